/*
 * ln t in double-double (relative error ~2^-100), for the KL divergence: its terms
 * t (ln t - log q) cancel when q ~ t, and a double ln t would leave an error of u |t ln t| per term
 * that can exceed the whole (tiny) divergence. With ln t to ~2^-100 the per-sample KL is accurate
 * to a few eps unless it is below ~2^-45 of sum_k t_k |log q_k| (see docs/loss.md).
 *
 * Method: t = 2^e m with m in [sqrt(1/2), sqrt(2)), ln t = e ln2 + 2 atanh(s), s = (m-1)/(m+1),
 * |s| <= 0.1716, 2 atanh(s) = 2 s sum_j s^(2j) / (2j+1). With z = s^2 <= 0.02944 the terms j >= 11
 * weigh below z^11 < 2^-55 and are summed in double (their error is below 2^-108); the terms
 * j <= 10 use double-double Horner with 1/(2j+1) split into hi + lo (constants from MPFR).
 */
#ifndef NNMATH_LOSS_LOG_DD_H
#define NNMATH_LOSS_LOG_DD_H

#include <math.h>

#include "core/loss_terms.h"

/* |a| >= |b| (or a == 0): a + b = s + e exactly. */
static inline nnm__dd nnm__fast_two_sum(double a, double b)
{
    double s = a + b;
    nnm__dd r = {s, b - (s - a)};
    return r;
}

/* x + y for x, y of the same sign (or a sum that cancels by at most a factor ~3, as in e ln2 +
 * ln m below): relative error a few u^2. */
static inline nnm__dd nnm__dd_add(nnm__dd x, nnm__dd y)
{
    nnm__dd s = nnm__two_sum(x.hi, y.hi);
    return nnm__fast_two_sum(s.hi, s.lo + x.lo + y.lo);
}

static inline nnm__dd nnm__dd_mul(nnm__dd x, nnm__dd y)
{
    nnm__dd p = nnm__two_prod(x.hi, y.hi);
    return nnm__fast_two_sum(p.hi, p.lo + (x.hi * y.lo + x.lo * y.hi));
}

/* ln t for finite t > 0 (subnormals included: frexp normalises them). */
static inline nnm__dd nnm__log_dd(double t)
{
    static const nnm__dd inv_odd[11] = {
        {1.0, 0.0},
        {0x1.5555555555555p-2, 0x1.5555555555555p-56},  /* 1/3 */
        {0x1.999999999999ap-3, -0x1.999999999999ap-57}, /* 1/5 */
        {0x1.2492492492492p-3, 0x1.2492492492492p-57},  /* 1/7 */
        {0x1.c71c71c71c71cp-4, 0x1.c71c71c71c71cp-58},  /* 1/9 */
        {0x1.745d1745d1746p-4, -0x1.745d1745d1746p-59}, /* 1/11 */
        {0x1.3b13b13b13b14p-4, -0x1.3b13b13b13b14p-58}, /* 1/13 */
        {0x1.1111111111111p-4, 0x1.1111111111111p-60},  /* 1/15 */
        {0x1.e1e1e1e1e1e1ep-5, 0x1.e1e1e1e1e1e1ep-61},  /* 1/17 */
        {0x1.af286bca1af28p-5, 0x1.af286bca1af28p-59},  /* 1/19 */
        {0x1.8618618618618p-5, 0x1.8618618618618p-59},  /* 1/21 */
    };
    static const nnm__dd ln2 = {0x1.62e42fefa39efp-1, 0x1.abc9e3b39803fp-56};
    int e;
    double m = frexp(t, &e);
    if (m < 0x1.6a09e667f3bcdp-1) { /* sqrt(1/2) rounded down: m in [0.7071, 1.4142) */
        m *= 2.0;
        e -= 1;
    }
    double num = m - 1.0;                 /* exact (Sterbenz: m in [1/2, 2]) */
    nnm__dd den = nnm__two_sum(m, 1.0);   /* m + 1 exactly */
    double q = num / den.hi;              /* s = num / den to ~u^2: the remainder is exact (fma) */
    double r = fma(-q, den.hi, num) - q * den.lo;
    nnm__dd s = nnm__fast_two_sum(q, r / den.hi);
    nnm__dd z = nnm__dd_mul(s, s);
    double tail = 0.0; /* sum_{j=11}^{20} z^(j-11) / (2j+1) in double */
    for (int j = 20; j >= 11; --j) tail = tail * z.hi + 1.0 / (double)(2 * j + 1);
    nnm__dd p = {tail, 0.0};
    for (int j = 10; j >= 0; --j) p = nnm__dd_add(nnm__dd_mul(p, z), inv_odd[j]);
    nnm__dd s2 = {2.0 * s.hi, 2.0 * s.lo};
    nnm__dd lnm = nnm__dd_mul(s2, p);
    if (e == 0) return lnm;
    nnm__dd eln2 = nnm__dd_mul_d(ln2, (double)e);
    return nnm__dd_add(eln2, lnm);
}

#endif /* NNMATH_LOSS_LOG_DD_H */
