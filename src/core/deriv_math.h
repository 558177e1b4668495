/*
 * Scalar first and second derivatives of every activation, written once as a template
 * (deriv_math.inc) and instantiated for two working types:
 *
 *   nnm__dm_*_ld  working type nnm__dmx: long double (x87 80-bit, 64-bit significand) when the
 *                 platform has it; used for double inputs (the _f64 entry points);
 *   nnm__dm_*_d   working type double; used for float inputs (the _f32 entry points).
 *
 * Why the wider working type. Every formula below is free of cancellation away from the zeros
 * of the function (those are handled by Taylor expansions, deriv_roots.h), so its relative error
 * is a small multiple of the working precision: with 11 (f64 via long double) or 29 (f32 via
 * double) spare bits, a dozen roundings and a libm error of a few units of the working format
 * stay below 2^-55 (resp. 2^-40) relative, and the single final rounding to the result format
 * gives <= 0.52 ULP. Evaluating in the result format itself would leave 2-4 ULP (e.g.
 * e/(1+e)^2 already carries 4-5 roundings plus exp's error).
 *
 * Where long double has fewer than 64 significand bits (MSVC, 32-bit ARM, Apple arm64), or
 * with NNM_NO_EXTENDED, the f64 path runs in double with the same formulas and expansions, and
 * the 2-ULP bound is lost (measured with NNM_NO_EXTENDED, see docs/derivatives.md): ~4 ULP for
 * the sigmoid family, ~16 ULP at the window edges of the expansions, and in the far tails where
 * an intermediate exponential is subnormal in double but the derivative is not (silu', mish' at
 * x < -708, gelu'' at x < -37.5, gelu_tanh'' at x < -21) hundreds to 7e4 ULP; the VJP can then no
 * longer recover an f' that underflows. f32 keeps its bound (double carries 29 spare bits).
 *
 * The forward pieces needed here (sigma, sigma at a double-double argument, Phi, phi, the
 * gelu_tanh argument, the parts of tanh(softplus)) are not written again: core/act_math.h
 * instantiates them (act_math.inc) for the same two working types, and the template below calls
 * the instantiation of its own type.
 */
#ifndef NNMATH_CORE_DERIV_MATH_H
#define NNMATH_CORE_DERIV_MATH_H

#include "core/act_math.h"
#include "core/deriv_roots.h"

/* the working type of the f64 path is the forward's extended type (act_math.h) */
#define NNM__DM_EXTENDED NNM__HAVE_EXTENDED
typedef nnm__xf nnm__dmx;

/* selu's lambda alpha (NNM__SELU_LAMBDA_ALPHA, act_math.h) as a double plus its remainder
 * (mpmath, 50 digits), for the cancelling y + lambda alpha of selu' from y */
#define NNM__DM_SELU_LA_HI 0x1.c212cc640f031p+0
#define NNM__DM_SELU_LA_LO 1.415351938008447826247215e-17

/* ---- double instantiation (float inputs) ---------------------------------------------------- */
#define NNM__R double
#define NNM__RS(name) name##_d
#define NNM__RF(fn) fn
#define NNM__RC(lit) lit
#include "core/deriv_math.inc"
#undef NNM__R
#undef NNM__RS
#undef NNM__RF
#undef NNM__RC

/* ---- extended instantiation (double inputs) ------------------------------------------------- */
#define NNM__R nnm__dmx
#define NNM__RS(name) name##_ld
#define NNM__RF(fn) NNM__XFN(fn)
#if NNM__DM_EXTENDED
#define NNM__RC(lit) NNM__XC(lit)
#else
#define NNM__RC(lit) lit
#endif
#include "core/deriv_math.inc"
#undef NNM__R
#undef NNM__RS
#undef NNM__RF
#undef NNM__RC

#endif /* NNMATH_CORE_DERIV_MATH_H */
