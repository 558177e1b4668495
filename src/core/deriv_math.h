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
 * The forward pieces needed here (sigma, sigma', Phi, phi, the gelu_tanh argument, tanh of
 * softplus) are written in the working type inside the template, because the forward helpers of
 * src/core return their values rounded to double or in one fixed extended type, and the f32
 * path wants the fast double evaluation.
 */
#ifndef NNMATH_CORE_DERIV_MATH_H
#define NNMATH_CORE_DERIV_MATH_H

#include <float.h>
#include <math.h>

#include "core/deriv_roots.h"

#if LDBL_MANT_DIG >= 64 && !defined(NNM_NO_EXTENDED)
#define NNM__DM_EXTENDED 1
typedef long double nnm__dmx;
#else
#define NNM__DM_EXTENDED 0
typedef double nnm__dmx;
#endif

/* SELU constants (Klambauer et al. 2017), the same decimal definitions as the forward function:
 * selu(x) = lambda x (x > 0), lambda alpha (e^x - 1) (x <= 0), with lambda alpha rounded once. */
#define NNM__DM_SELU_LAMBDA 1.0507009873554804934193349852946
#define NNM__DM_SELU_LAMBDA_ALPHA 1.7580993408473768599402175208123
/* the same lambda alpha as a double plus its remainder (mpmath, 50 digits) */
#define NNM__DM_SELU_LA_HI 0x1.c212cc640f031p+0
#define NNM__DM_SELU_LA_LO 1.415351938008447826247215e-17

/* ---- double instantiation (float inputs) ---------------------------------------------------- */
#define NNM__R double
#define NNM__RS(name) name##_d
#define NNM__RF(fn) fn
#define NNM__RC(lit) lit
/* the gelu_tanh constants k = 2 sqrt(2/pi), b = k 0.044715, as hi + lo pairs of this type
 * (MPFR, 400 bits): the cubic argument is formed as an unevaluated sum with them */
#define NNM__GT_K_HI 0x1.9884533d43651p+0
#define NNM__GT_K_LO (-9.9693088091109203145765526e-17)
#define NNM__GT_B_HI 0x1.2444f2a4d8b4bp-4
#define NNM__GT_B_LO (-6.1751499181553154533756356e-19)
#include "core/deriv_math.inc"
#undef NNM__R
#undef NNM__RS
#undef NNM__RF
#undef NNM__RC
#undef NNM__GT_K_HI
#undef NNM__GT_K_LO
#undef NNM__GT_B_HI
#undef NNM__GT_B_LO

/* ---- extended instantiation (double inputs) ------------------------------------------------- */
#define NNM__R nnm__dmx
#define NNM__RS(name) name##_ld
#if NNM__DM_EXTENDED
#define NNM__RF(fn) fn##l
#define NNM__RC(lit) NNM__DM_PASTE_L(lit) /* two levels: a macro argument is expanded first */
#define NNM__DM_PASTE_L(lit) lit##L
/* 64-bit significand hi parts (exact hex) and their remainders */
#define NNM__GT_K_HI 0x1.9884533d436508dp+0L
#define NNM__GT_K_LO 5.3511777557204782920131633e-20L
#define NNM__GT_B_HI 0x1.2444f2a4d8b4af4ap-4L
#define NNM__GT_B_LO (-8.7500621440089849582477675e-22L)
#else
#define NNM__RF(fn) fn
#define NNM__RC(lit) lit
#define NNM__GT_K_HI 0x1.9884533d43651p+0
#define NNM__GT_K_LO (-9.9693088091109203145765526e-17)
#define NNM__GT_B_HI 0x1.2444f2a4d8b4bp-4
#define NNM__GT_B_LO (-6.1751499181553154533756356e-19)
#endif
#include "core/deriv_math.inc"
#undef NNM__R
#undef NNM__RS
#undef NNM__RF
#undef NNM__RC
#undef NNM__GT_K_HI
#undef NNM__GT_K_LO
#undef NNM__GT_B_HI
#undef NNM__GT_B_LO

#endif /* NNMATH_CORE_DERIV_MATH_H */
