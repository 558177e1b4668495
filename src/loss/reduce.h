/*
 * Reduction of per-sample losses (SUM, MEAN, NONE), dtype independent: per-sample losses arrive
 * as double-double values l_n with their weight w_n (1, or class_weight[label], or 0 for an
 * ignored sample), and everything is accumulated in double with Neumaier compensation. The
 * reduction therefore adds at most ~1 eps to the error of the per-sample losses, and an f32 sum
 * (computed in double, rounded once) lands within 1 ULP of the exact sum.
 */
#ifndef NNMATH_LOSS_REDUCE_H
#define NNMATH_LOSS_REDUCE_H

#include "core/loss_opts.h"
#include "core/loss_terms.h"

/* w l as one double (the NONE output): the product is exact to u^2 before the final rounding. A
 * zero weight gives exactly 0 (the sample was not read, its l is 0). */
static inline double nnm__loss_weighted(double w, nnm__dd l)
{
    if (w == 0.0) return 0.0;
    if (w != 1.0) l = nnm__dd_mul_d(l, w);
    return l.hi + l.lo;
}

/* The running total of SUM / MEAN, in two compensated sums. A product w l of finite factors can
 * exceed DBL_MAX, and so can a running sum of finite products, while the SUM (after cancellation)
 * or the MEAN is representable: accumulated naively, +inf and -inf products then meet as NaN, or a
 * finite mean comes out as inf (fuzz finding: NLL with a class weight of DBL_MAX). Products with
 * ilogb(w) + ilogb(l) >= NNM__BIG_LOG2 therefore go to `big` in units of 2^NNM__BIG_SHIFT, each
 * factor scaled by 2^(-NNM__BIG_SHIFT/2) before the product (exact for normal factors: a big
 * product has w >= 2^-64, so the scaled w is normal, and the scaled l loses only bits below
 * 2^-1074 in units of a term >= 2^-141). `fit` terms stay below 2^961 and big terms below 2^949,
 * so neither sum can overflow for any n < 2^62. Ordinary data never reaches `big`: the result is
 * then bit-identical to a single compensated sum. */
#define NNM__BIG_LOG2 959
#define NNM__BIG_SHIFT 1100
typedef struct nnm__loss_total {
    nnm__sum fit; /* products below 2^960 */
    nnm__sum big; /* larger products, times 2^-1100 */
} nnm__loss_total;
#define NNM__LOSS_TOTAL_INIT {{0.0, 0.0}, {0.0, 0.0}}

/* Add w l to the running total of SUM / MEAN. */
static inline void nnm__loss_accumulate(nnm__loss_total *total, double w, nnm__dd l)
{
    if (w == 0.0) return;
    if (!isfinite(l.hi) || l.hi == 0.0 || ilogb(w) + ilogb(l.hi) < NNM__BIG_LOG2) {
        nnm__sum_add_dd(&total->fit, w == 1.0 ? l : nnm__dd_mul_d(l, w));
        return;
    }
    const double half = ldexp(1.0, -NNM__BIG_SHIFT / 2);
    nnm__dd ls = {l.hi * half, l.lo * half};
    nnm__sum_add_dd(&total->big, nnm__dd_mul_d(ls, w * half));
}

/* The SUM, or the MEAN total / den (0 when den = 0: a mean over nothing). The division is done on
 * the unrounded total s + c (remainder by fma) so that MEAN rounds once, like SUM. With big
 * products, fit is added to big in big's units (fit is then negligible unless it is >= 2^-141 in
 * those units, where the scaling is exact), the total is normalised to [1, 2) by an exact power
 * of two 2^e (in big's units it can be as small as 2^-141, and a quotient by a weight sum up to
 * 2^1020 would otherwise underflow) and the result is scaled back once: it overflows to +-inf
 * only when the value does. */
static inline double nnm__loss_finish(const nnm__loss_cfg *cfg, const nnm__loss_total *total,
                                      double den)
{
    nnm__dd s = nnm__sum_dd(&total->fit);
    int e = 0;
    if (total->big.s != 0.0 && isfinite(s.hi)) {
        /* 2^-1100 is below the least subnormal: scale in two exact halves */
        const double half = ldexp(1.0, -NNM__BIG_SHIFT / 2);
        nnm__sum all = total->big;
        nnm__sum_add_dd(&all, (nnm__dd){s.hi * half * half, s.lo * half * half});
        s = nnm__sum_dd(&all);
        if (s.hi != 0.0 && isfinite(s.hi)) {
            e = ilogb(s.hi);
            s.hi = ldexp(s.hi, -e), s.lo = ldexp(s.lo, -e);
            e += NNM__BIG_SHIFT;
        }
    }
    double r;
    if (cfg->reduction != NNM_REDUCE_MEAN) {
        r = s.hi + s.lo;
    } else {
        if (!(den > 0.0)) return 0.0;
        r = s.hi / den;
        if (isfinite(r) && isfinite(s.hi)) r += (fma(-r, den, s.hi) + s.lo) / den;
    }
    return e != 0 ? ldexp(r, e) : r;
}

#endif /* NNMATH_LOSS_REDUCE_H */
