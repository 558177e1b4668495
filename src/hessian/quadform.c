/*
 * x^T H x, compensated (hessian.h).
 *
 * Each term x_i H_ij x_j is formed with the exact errors of its two products (TwoProduct: for
 * finite a, b the rounding error of a*b is exactly fma(a, b, -fl(a*b))), the terms are added
 * with TwoSum and all error terms are summed separately: Ogita, Rump and Oishi's Dot2 scheme
 * (SIAM J. Sci. Comput. 26, 2005) applied to the d^2 triple products. The result is as accurate
 * as a computation in twice the working precision followed by one rounding, which is what makes
 * the sign of a nearly-zero form (a nearly singular H, an almost flat direction) trustworthy.
 * -ffp-contract=off (set for every target) keeps the compiler from fusing the TwoSum steps.
 */
#include <math.h>

#include "nnmath/hessian.h"
#include "internal.h"

/* s + e = a + b exactly (Knuth's TwoSum: no branch, valid for any order of magnitude). */
static inline double two_sum(double a, double b, double *e)
{
    double s = a + b;
    double bb = s - a;
    *e = (a - (s - bb)) + (b - bb);
    return s;
}

/* sum_ij x_i H_ij x_j in double-double-like accuracy. For float data the inner products
 * H_ij x_j are exact in double already (24 + 24 bits < 53), and the same code stays correct. */
#define NNM__T double
#define NNM__SFX(name) name##_f64
#include "hessian/quadform.inc"
#undef NNM__T
#undef NNM__SFX

#define NNM__T float
#define NNM__SFX(name) name##_f32
#include "hessian/quadform.inc"
#undef NNM__T
#undef NNM__SFX
