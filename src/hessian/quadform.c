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
#include <float.h>
#include <limits.h>
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

/*
 * Range. TwoProduct is exact only while a product and its error term are representable, and a
 * triple product x_i H_ij x_j needs intermediates that a plain evaluation can push out of range
 * even when the term itself is fine: H_ij x_j = 2^1100 overflowed next to x_i = 2^-1000 (or
 * x_i = 0, where 0 * inf gave NaN), and a subnormal H_ij x_j lost bits that a large x_i then
 * magnified. So every term is computed on data scaled by powers of two (exact) such that the
 * largest scaled term lies just below 2^QF_TOP3 = 2^900: partial sums stay below d^2 2^900 (no
 * overflow for any d whose matrix fits in memory) and the 1869 binades between 2^900 and 2^-969,
 * where TwoProduct stops being exact, hold every term that can matter to the result. The scaled
 * sum is then multiplied back by the inverse power of two.
 *
 *  - Common case: one factor 2^kh for all of H and one 2^kx for all of x, putting max|H| and
 *    max|x| just below 2^300. Every non-zero scaled entry, product and term then stays above
 *    2^-603 (far from 2^-969) as long as the data's own spread is moderate:
 *    (max|H| / min|H|) (max|x| / min|x|)^2 <= 2^1200 over the non-zero entries that are read,
 *    which quadform_common_scale checks. Float data always qualify (their spread is below
 *    2^831), and wherever the unscaled Dot2 met no underflow or overflow the result is the
 *    same bit for bit (the scaling is exact and Dot2 commutes with it).
 *  - Otherwise (entries 2^1200 apart, as only adversarial data are): each term gets its own
 *    power of two from the exponents of its three factors (frexp), relative to the largest
 *    term's, so that no scaled term that is within 2^1869 of the largest can underflow. The
 *    frexp calls make this path about four times slower (35 against 9 ns per term, d = 256).
 */
#define QF_TOP 300            /* max|H| and max|x| scaled into [2^299, 2^300) */
#define QF_TOP3 (3 * QF_TOP)  /* the largest scaled term in [2^897, 2^900) */
#define QF_MAX_SPREAD 1200    /* binades of (max|H| / min|H|) (max|x| / min|x|)^2 for one scale */

/* The binade e of a finite m > 0: m = f 2^e with f in [1/2, 1). */
static int binade(double m)
{
    int e;
    (void)frexp(m, &e);
    return e;
}

/* v 2^e for finite v: steps of at most 2^1000, all in the direction of e, so that every step is
 * exact until the value overflows (to +-inf, which is then the result) or becomes subnormal
 * (each rounding is at most 2^-1075 and later steps only shrink it). The last factor 2^e,
 * |e| <= 1000, is a normal number: ldexp(1.0, e) is exact and raises no range error (ldexp of
 * the value itself could set errno). */
static double mul_pow2(double v, int e)
{
    while (e > 1000) {
        v *= 0x1p1000;
        e -= 1000;
    }
    while (e < -1000) {
        v *= 0x1p-1000;
        e += 1000;
    }
    return v * ldexp(1.0, e);
}

/* The largest finite magnitude and the smallest non-zero one over some values. */
typedef struct qf_range {
    double max, min;
} qf_range;

static void qf_range_add(qf_range *r, double v)
{
    double a = fabs(v);
    if (a == 0.0 || !isfinite(a)) return;
    if (a > r->max) r->max = a;
    if (a < r->min) r->min = a;
}

/* The common scalings 2^kh (H) and 2^kx (x), k <= 1022 so that 2^k is a normal number. Returns
 * 1 when they keep every scaled product in range (see above), 0 when the spread asks for the
 * per-term scaling. Without a finite non-zero value in H or in x every finite term read is 0 and
 * no scaling is needed. */
static int quadform_common_scale(qf_range h, qf_range x, int *kh, int *kx)
{
    *kh = 0;
    *kx = 0;
    if (h.max == 0.0 || x.max == 0.0) return 1;
    int th = QF_TOP - binade(h.max), tx = QF_TOP - binade(x.max);
    *kh = th > 1022 ? 1022 : th;
    *kx = tx > 1022 ? 1022 : tx;
    /* cppcheck-suppress knownConditionTrueFalse ; true exactly when a clamp above applied */
    if (th != *kh || tx != *kx) return 0; /* max|.| below 2^-722 cannot reach 2^299 */
    int spread = (binade(h.max) - binade(h.min)) + 2 * (binade(x.max) - binade(x.min));
    return spread <= QF_MAX_SPREAD;
}

/* One Dot2 step: s + c += a h b for finite scaled factors whose products stay in range. */
static inline void dot2_term(double a, double h, double b, double *s, double *c)
{
    double p = h * b;
    double e1 = fma(h, b, -p); /* h b = p + e1 exactly */
    double q = a * p;
    double e2 = fma(a, p, -q); /* a p = q + e2 exactly */
    double e3;
    *s = two_sum(*s, q, &e3);
    /* a * e1 is rounded, but it is already an eps-sized correction: its rounding error is
     * eps^2 |term| and lands in the second-order part of the bound */
    *c += e2 + a * e1 + e3;
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
