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

/* Add w l to the running total of SUM / MEAN. */
static inline void nnm__loss_accumulate(nnm__sum *total, double w, nnm__dd l)
{
    if (w == 0.0) return;
    nnm__sum_add_dd(total, w == 1.0 ? l : nnm__dd_mul_d(l, w));
}

/* The SUM, or the MEAN total / den (0 when den = 0: a mean over nothing). The division is done on
 * the unrounded total s + c (remainder by fma) so that MEAN rounds once, like SUM. */
static inline double nnm__loss_finish(const nnm__loss_cfg *cfg, const nnm__sum *total, double den)
{
    nnm__dd s = nnm__sum_dd(total);
    if (cfg->reduction != NNM_REDUCE_MEAN) return s.hi + s.lo;
    if (!(den > 0.0)) return 0.0;
    double q = s.hi / den;
    if (!isfinite(q) || !isfinite(s.hi)) return q;
    double r = fma(-q, den, s.hi) + s.lo;
    return q + r / den;
}

#endif /* NNMATH_LOSS_REDUCE_H */
