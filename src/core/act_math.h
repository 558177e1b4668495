/*
 * The numerically delicate scalar activations, written once: the activation module's kernels,
 * the loss helpers and the derivative modules all call these. Double in, double out; the
 * nnm__*_x variants return the unrounded extended value for callers that compose further
 * (e.g. sigma (1 - sigma) in a derivative) and want to round only once.
 *
 * Why extended precision. A double result within 2 ULP of the exact value is easy for a single
 * libm call, but compositions amplify: x * Phi(x) inherits erfc's error plus the error of the
 * rounded argument -x/sqrt2 magnified by 2 t^2 (~1400 near the end of the normal range),
 * x * sigma(x) adds a product to sigma's 1.5 ULP, and in the far negative tails (x < -708) e^x is
 * already a subnormal double while silu(x) = x e^x and mish(x) ~ x e^x are still normal numbers.
 * Evaluating the formulas in the x87 80-bit format (64-bit significand, exponent range to
 * 1e-4951) makes every intermediate error a few units of 2^-64, i.e. a few thousandths of a
 * double ULP, so each function below returns the exact value rounded once, within 0.5 ULP plus
 * ~0.01 ULP. The derivative of each is well conditioned in the extended format except where the
 * argument itself is a rounded product (-x/sqrt2 in Phi, the cubic in gelu_tanh): there the
 * argument is formed as an unevaluated double-double with fma and its low part enters through
 * the derivative, so no error is amplified.
 *
 * Where long double has fewer than 64 significand bits (MSVC, 32-bit ARM) the same formulas run
 * in double (nnm__xf = double). They then carry the libm errors (about 1 to 3 ULP) and lose
 * accuracy where an intermediate e^x is subnormal (silu, mish for x < -708); docs/activation.md
 * states the weaker bound for such platforms. Define NNM_NO_EXTENDED to force that path.
 *
 * The pieces that the derivatives need too (sigma, sigma at a double-double argument, Phi, phi,
 * the parts of tanh(softplus x)) are written once in act_math.inc and instantiated here for two
 * working types: _ld (nnm__xf, used by the forward functions below and by the f64 derivatives)
 * and _d (double, used by the f32 derivatives of core/deriv_math.h).
 */
#ifndef NNMATH_CORE_ACT_MATH_H
#define NNMATH_CORE_ACT_MATH_H

#include <float.h>
#include <math.h>

#if LDBL_MANT_DIG >= 64 && !defined(NNM_NO_EXTENDED)
#define NNM__HAVE_EXTENDED 1
typedef long double nnm__xf;
#define NNM__XFN(fn) fn##l
#else
#define NNM__HAVE_EXTENDED 0
typedef double nnm__xf;
#define NNM__XFN(fn) fn
#endif
/* A decimal constant in the extended format (a long double literal, converted explicitly where
 * nnm__xf is double); the indirection lets the argument be a macro. */
#define NNM__XC(c) NNM__XC_(c)
#define NNM__XC_(c) ((nnm__xf)(c##L))

static inline nnm__xf nnm__xexp(nnm__xf x) { return NNM__XFN(exp)(x); }
static inline nnm__xf nnm__xexpm1(nnm__xf x) { return NNM__XFN(expm1)(x); }
static inline nnm__xf nnm__xlog1p(nnm__xf x) { return NNM__XFN(log1p)(x); }
static inline nnm__xf nnm__xtanh(nnm__xf x) { return NNM__XFN(tanh)(x); }
static inline nnm__xf nnm__xerfc(nnm__xf x) { return NNM__XFN(erfc)(x); }
static inline nnm__xf nnm__xfabs(nnm__xf x) { return NNM__XFN(fabs)(x); }

/* 1/sqrt(2) as a double-double: RSQRT2_HI = RN(1/sqrt 2), RSQRT2_LO = RN(1/sqrt 2 - HI). */
#define NNM__RSQRT2_HI 0x1.6a09e667f3bcdp-1
#define NNM__RSQRT2_LO (-0x1.bdd3413b26456p-55)
/* 2/sqrt(pi) and 1/sqrt(2 pi) */
#define NNM__TWO_OVER_SQRTPI 1.1283791670955125738961589031215452
#define NNM__RSQRT_2PI 0.39894228040143267793994605993438187

/* ---- the shared pieces (act_math.inc), once per working type --------------------------------- */
#define NNM__R double
#define NNM__RS(name) name##_d
#define NNM__RF(fn) fn
#define NNM__RC(lit) lit
#include "core/act_math.inc"
#undef NNM__R
#undef NNM__RS
#undef NNM__RF
#undef NNM__RC

#define NNM__R nnm__xf
#define NNM__RS(name) name##_ld
#define NNM__RF(fn) NNM__XFN(fn)
#if NNM__HAVE_EXTENDED
#define NNM__RC(lit) NNM__XC(lit)
#else
#define NNM__RC(lit) lit /* the double literal itself: no double rounding through long double */
#endif
#include "core/act_math.inc"
#undef NNM__R
#undef NNM__RS
#undef NNM__RF
#undef NNM__RC

/* ---- sigmoid family ------------------------------------------------------------------------ */

/* stable logistic sigmoid, see nnm__am_sig in act_math.inc */
static inline nnm__xf nnm__sigmoid_x(double x) { return nnm__am_sig_ld(x); }

/* log(1 + e^x) = max(x, 0) + log1p(e^-|x|): e^-|x| <= 1 never overflows and log1p keeps the
 * relative accuracy of the small term when x << 0 (where softplus(x) ~ e^x). No threshold
 * shortcut: for large x the log1p term falls below half an ULP of x and rounds away by itself.
 * A NaN survives through the second term (fmax would drop it). */
static inline nnm__xf nnm__softplus_x(double x)
{
    nnm__xf X = x;
    return (x > 0.0 ? X : 0) + nnm__xlog1p(nnm__xexp(-nnm__xfabs(X)));
}

/* Stable logistic sigmoid (see nnm__sigmoid_x); within 0.51 ULP with extended precision. */
static inline double nnm__sigmoid(double x) { return (double)nnm__sigmoid_x(x); }

/* softplus(x) = log(1 + e^x), exact form (see nnm__softplus_x). */
static inline double nnm__softplus(double x) { return (double)nnm__softplus_x(x); }

/* log sigma(x) = -softplus(-x). */
static inline double nnm__log_sigmoid(double x) { return (double)-nnm__softplus_x(-x); }

/* tanh, rounded once from the extended tanh (glibc's double tanh reaches 2 ULP). Odd: the sign
 * of zero is kept. */
static inline double nnm__tanh(double x) { return (double)nnm__xtanh((nnm__xf)x); }

/* silu(x) = x sigma(x). The product is formed in the extended format, whose range keeps
 * e^x normal down to x = -11355 (silu is a normal double down to x ~ -745 + log|x|).
 * silu(-inf) = -0 (the limit, approached from below), silu(+inf) = +inf. */
static inline nnm__xf nnm__silu_x(double x)
{
    if (isinf(x)) return x > 0 ? (nnm__xf)x : NNM__XC(-0.0);
    return (nnm__xf)x * nnm__sigmoid_x(x);
}
static inline double nnm__silu(double x) { return (double)nnm__silu_x(x); }

/* ---- exponential linear units ---------------------------------------------------------------- */

/* elu(x) = x for x > 0, alpha (e^x - 1) otherwise. expm1 keeps the relative accuracy for tiny
 * negative x, where e^x - 1 would cancel to nothing. elu(-inf) = -alpha, elu(-0) = -0. */
static inline nnm__xf nnm__elu_x(double x, double alpha)
{
    if (x > 0.0) return (nnm__xf)x;
    return (nnm__xf)alpha * nnm__xexpm1((nnm__xf)x);
}
static inline double nnm__elu(double x, double alpha) { return (double)nnm__elu_x(x, alpha); }

/* SELU constants (Klambauer et al. 2017) to 30 digits; both are defined as solutions of the
 * self-normalising fixed point, so the decimal expansions below are the definition we round. */
#define NNM__SELU_LAMBDA 1.0507009873554804934193349852946
#define NNM__SELU_ALPHA 1.6732632423543772848170429916717
/* lambda * alpha, rounded once (so the negative branch carries one constant, not two). */
#define NNM__SELU_LAMBDA_ALPHA 1.7580993408473768599402175208123

/* selu(x) = lambda x for x > 0, lambda alpha (e^x - 1) otherwise. With 64-bit constants the
 * constant contributes 2^-64 relative error instead of the 2^-53 of a double constant. */
static inline nnm__xf nnm__selu_x(double x)
{
    if (x > 0.0) return NNM__XC(NNM__SELU_LAMBDA) * (nnm__xf)x;
    return NNM__XC(NNM__SELU_LAMBDA_ALPHA) * nnm__xexpm1((nnm__xf)x);
}
static inline double nnm__selu(double x) { return (double)nnm__selu_x(x); }

/* ---- Gaussian error linear units ------------------------------------------------------------ */

/* Phi(x) for every x (nnm__am_Phi_finite_ld, act_math.inc): Phi(-inf) = 0, Phi(+inf) = 1,
 * NaN -> NaN. */
static inline nnm__xf nnm__Phi_x(double x)
{
    if (isinf(x)) return x > 0 ? 1 : 0;
    return nnm__am_Phi_finite_ld(x);
}
static inline double nnm__Phi(double x) { return (double)nnm__Phi_x(x); }

/* phi(x) = e^{-x^2/2} / sqrt(2 pi) (nnm__am_phi_ld, act_math.inc) */
static inline nnm__xf nnm__norm_pdf_x(double x) { return nnm__am_phi_ld(x); }
static inline double nnm__norm_pdf(double x) { return (double)nnm__norm_pdf_x(x); }

/* gelu(x) = x Phi(x) (erf form). gelu(-inf) = -0 (the limit from below), gelu(+inf) = +inf. */
static inline nnm__xf nnm__gelu_x(double x)
{
    if (isinf(x)) return x > 0 ? (nnm__xf)x : NNM__XC(-0.0);
    return (nnm__xf)x * nnm__am_Phi_finite_ld(x);
}
static inline double nnm__gelu(double x) { return (double)nnm__gelu_x(x); }

/* The tanh approximation's constants: k = 2 sqrt(2/pi) as a double-double, and the decimal
 * 0.044715 of the definition (Hendrycks & Gimpel) as a double-double. */
#define NNM__GELU_K_HI 0x1.9884533d43651p+0
#define NNM__GELU_K_LO (-0x1.cbc0d30ebfd15p-54)
#define NNM__GELU_C_HI 0x1.6e4e26d4801f7p-5
#define NNM__GELU_C_LO 0x1.441355475a31ap-59

/* gelu_tanh(x) = x (1 + tanh(u))/2 with u = sqrt(2/pi) (x + 0.044715 x^3).
 * (1 + tanh u)/2 = sigma(2u) turns the cancelling 1 + tanh(u) for x < 0 into a sigmoid, so
 * gelu_tanh(x) = x sigma(v), v = k x (1 + c x^2). sigma(v) has relative condition |v| (up to
 * ~710 where the result is still normal), so v is formed as a double-double v + vl from exact
 * fma products and the double-double constants (relative error ~2^-100; |vl| <= 2^-52 |v|),
 * and sigma takes the pair (nnm__am_sig2). Requires |x| <= 64 (x^3 stays finite); beyond that
 * |v| > 1.9e4 and sigma(v) is 0 or 1 in every format. Also the argument of gelu_tanh' and
 * gelu_tanh'' (core/deriv_math.inc). */
static inline void nnm__gelu_tanh_arg(double x, double *v, double *vl)
{
    double s = x * x, sl = fma(x, x, -s);                          /* x^2 = s + sl */
    double q = NNM__GELU_C_HI * s;                                  /* c x^2 = q + ql */
    double ql = fma(NNM__GELU_C_HI, s, -q) + NNM__GELU_C_HI * sl + NNM__GELU_C_LO * s;
    double w = 1.0 + q;                                             /* 1 + c x^2 = w + wl */
    double wb = w - q;                                              /* TwoSum(1, q) */
    double wl = ((1.0 - wb) + (q - (w - wb))) + ql;
    double kx = NNM__GELU_K_HI * x;                                 /* k x = kx + kxl */
    double kxl = fma(NNM__GELU_K_HI, x, -kx) + NNM__GELU_K_LO * x;
    *v = kx * w;                                                    /* k x w = v + vl */
    *vl = fma(kx, w, -*v) + kx * wl + kxl * w;
}

/* gelu_tanh(x) = x sigma(v + vl); for |x| > 64 the result is x or -0 (also +-inf). */
static inline nnm__xf nnm__gelu_tanh_x(double x)
{
    if (fabs(x) > 64.0) return x > 0 ? (nnm__xf)x : NNM__XC(-0.0);
    double v, vl;
    nnm__gelu_tanh_arg(x, &v, &vl);
    return (nnm__xf)x * nnm__am_sig2_ld(v, vl);
}
static inline double nnm__gelu_tanh(double x) { return (double)nnm__gelu_tanh_x(x); }

/* ---- mish --------------------------------------------------------------------------------- */

/* tanh(softplus(x)) = num/den from the positive parts of act_math.inc */
static inline nnm__xf nnm__tanh_softplus_x(double x)
{
    nnm__am_tsp_ld p = nnm__am_tanh_softplus_parts_ld(x);
    return p.num / p.den;
}

/* mish(x) = x tanh(softplus(x)). mish(-inf) = -0, mish(+inf) = +inf. */
static inline nnm__xf nnm__mish_x(double x)
{
    if (isinf(x)) return x > 0 ? (nnm__xf)x : NNM__XC(-0.0);
    return (nnm__xf)x * nnm__tanh_softplus_x(x);
}
static inline double nnm__mish(double x) { return (double)nnm__mish_x(x); }

#endif /* NNMATH_CORE_ACT_MATH_H */
