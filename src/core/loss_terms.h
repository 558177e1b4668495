/*
 * Per-element terms of the losses and the double-double helpers that keep them accurate. Shared by
 * the loss module and the derivatives of the losses (which may reuse the scalar terms, e.g. the
 * BCE-with-logits term, to evaluate a forward value the same way).
 *
 * Why double-double: a loss is a sum of non-negative terms, each a short product such as
 * w * t * (-log y). Rounding every product would cost up to ~3 u per term (u = eps/2) on top of
 * the error of log/exp, which would eat most of the 4 eps budget. Here every product is split
 * exactly (fma) into hi + lo and both parts go into the compensated sum, so a per-sample loss
 * carries only the error of the elementary function (log, log1p, exp: <= 1 ulp each in glibc)
 * plus the final rounding. Non-finite products keep lo = 0 (fma(a, b, -inf) would be a NaN).
 */
#ifndef NNMATH_CORE_LOSS_TERMS_H
#define NNMATH_CORE_LOSS_TERMS_H

#include <math.h>
#include <stddef.h>

#include "core/scalar.h"
#include "core/sum.h"

/* An unevaluated sum hi + lo with |lo| <= ulp(hi) (after normalisation). */
typedef struct nnm__dd {
    double hi, lo;
} nnm__dd;

/* a + b = s + e exactly (Knuth's TwoSum, no ordering needed). Only for finite a + b. */
static inline nnm__dd nnm__two_sum(double a, double b)
{
    double s = a + b;
    double bb = s - a;
    nnm__dd r = {s, (a - (s - bb)) + (b - bb)};
    if (!isfinite(s)) r.lo = 0.0;
    return r;
}

/* a * b = p + e exactly (fma), unless the product is not finite (then e = 0). */
static inline nnm__dd nnm__two_prod(double a, double b)
{
    double p = a * b;
    nnm__dd r = {p, isfinite(p) ? fma(a, b, -p) : 0.0};
    return r;
}

/* (x.hi + x.lo) * b with the leading product exact: relative error <= 2 u^2 + the error of x. */
static inline nnm__dd nnm__dd_mul_d(nnm__dd x, double b)
{
    nnm__dd r = nnm__two_prod(x.hi, b);
    if (isfinite(r.hi)) r.lo += x.lo * b;
    return r;
}

/* Add x.hi + x.lo to a compensated sum. */
static inline void nnm__sum_add_dd(nnm__sum *acc, nnm__dd x)
{
    nnm__sum_add(acc, x.hi);
    if (x.lo != 0.0) nnm__sum_add(acc, x.lo);
}

/* The compensated sum as hi + lo (lo = 0 once the sum is infinite or NaN, where the correction
 * term is meaningless). */
static inline nnm__dd nnm__sum_dd(const nnm__sum *acc)
{
    nnm__dd r = {acc->s, isfinite(acc->s) ? acc->c : 0.0};
    return r;
}

/* 1 - t for t in [0,1] as an exact hi + lo (1 - t rounds when t < 1/2; the error would go
 * straight into the (1-t) ln(1-y) term of a soft-target BCE). */
static inline nnm__dd nnm__one_minus(double t)
{
    return nnm__two_sum(1.0, -t);
}

/* Label smoothing t' = (1 - eps) t + eps/k, the constants split exactly once per call:
 * keep = 1 - eps and spread = eps / k, each as hi + lo (the division's remainder comes from fma,
 * exact), so t' carries ~u^2 instead of the ~3 u of the plain expression. */
typedef struct nnm__smoothing {
    nnm__dd keep, spread;
    int active; /* eps > 0 */
} nnm__smoothing;

static inline nnm__smoothing nnm__smoothing_make(double eps, size_t k)
{
    nnm__smoothing sm;
    double kd = (double)k;
    sm.active = eps > 0.0;
    sm.keep = nnm__one_minus(eps);
    sm.spread.hi = eps / kd;
    sm.spread.lo = fma(-sm.spread.hi, kd, eps) / kd;
    return sm;
}

/* t' for one target (exact t when smoothing is off). */
static inline nnm__dd nnm__smoothed(const nnm__smoothing *sm, double t)
{
    if (!sm->active) {
        nnm__dd r = {t, 0.0};
        return r;
    }
    nnm__dd p = nnm__dd_mul_d(sm->keep, t);
    nnm__dd s = nnm__two_sum(p.hi, sm->spread.hi);
    s.lo += p.lo + sm->spread.lo;
    return s;
}

/* w * c * v added to a compensated sum, with c = c.hi + c.lo, the two leading products exact.
 * Callers skip terms whose coefficient w c is 0 (0 * log 0 = 0 and 0 * inf = 0 by convention). */
static inline void nnm__sum_add_wcv(nnm__sum *acc, double w, nnm__dd c, double v)
{
    nnm__dd p = nnm__dd_mul_d(c, v);
    if (w != 1.0) p = nnm__dd_mul_d(p, w);
    nnm__sum_add_dd(acc, p);
}

/* 1/2 (y - t)^2 as hi + lo. d = y - t is kept exact (TwoSum); (d/2) d instead of d^2 / 2 so that
 * a d^2 beyond DBL_MAX whose half is finite does not overflow (d/2 is exact for normal d). */
static inline nnm__dd nnm__l2_term(double y, double t)
{
    nnm__dd d = nnm__two_sum(y, -t);
    if (!isfinite(d.hi)) {
        nnm__dd r = {0.5 * d.hi * d.hi, 0.0};
        return r;
    }
    nnm__dd r = nnm__two_prod(0.5 * d.hi, d.hi);
    if (isfinite(r.hi)) r.lo += d.hi * d.lo; /* 1/2 * 2 d.hi d.lo; d.lo^2 / 2 is below u^2 */
    return r;
}

/* |y - t| as hi + lo (exact). */
static inline nnm__dd nnm__l1_term(double y, double t)
{
    nnm__dd d = nnm__two_sum(y, -t);
    if (d.hi < 0.0) {
        d.hi = -d.hi;
        d.lo = -d.lo;
    }
    return d;
}

/* Huber: 1/2 d^2 for |d| <= delta, else delta (|d| - delta/2), d = y - t. The linear branch has
 * no cancellation (|d| - delta/2 >= delta/2 >= |d|/2 when |d| > delta), and |d| - delta/2 is
 * formed exactly with TwoSum so only the final product rounds. The branch is chosen on the
 * rounded d: at |d| = delta both branches agree to first order, so the choice cannot matter. */
static inline nnm__dd nnm__huber_term(double y, double t, double delta)
{
    nnm__dd d = nnm__l1_term(y, t);
    if (!(d.hi > delta)) return nnm__l2_term(y, t);
    nnm__dd u = nnm__two_sum(d.hi, -0.5 * delta);
    u.lo += d.lo;
    return nnm__dd_mul_d(u, delta);
}

/* The BCE-with-logits term of one element with positive weight p:
 *   p t softplus(-a) + (1 - t) softplus(a) = -[p t log sigma(a) + (1-t) log(1 - sigma(a))],
 * a sum of two non-negative terms (no cancellation for any a, |a| up to DBL_MAX), each exact to
 * the error of softplus. A zero coefficient skips its term, so a = +-inf gives the limits 0 or
 * +inf and never 0 * inf = NaN; a NaN logit gives NaN. Added to acc (times the column weight w). */
static inline void nnm__bce_logits_add(nnm__sum *acc, double w, double a, double t, double p)
{
    if (isnan(a)) {
        nnm__sum_add(acc, a);
        return;
    }
    if (t > 0.0 && p > 0.0) {
        nnm__dd c = nnm__two_prod(p, t);
        nnm__sum_add_wcv(acc, w, c, nnm__softplus(-a));
    }
    if (t < 1.0) nnm__sum_add_wcv(acc, w, nnm__one_minus(t), nnm__softplus(a));
}

/* The BCE term on a probability y in [0,1]: -[t log y + (1-t) log1p(-y)], with 0 log 0 = 0 and
 * -log 0 = +inf returned honestly. log1p(-y) keeps the relative accuracy of log(1 - y) for small
 * y (where 1 - y would round); both terms are >= 0, so nothing cancels. */
static inline void nnm__bce_add(nnm__sum *acc, double w, double y, double t)
{
    if (t > 0.0) {
        nnm__dd c = {t, 0.0};
        nnm__sum_add_wcv(acc, w, c, -log(y));
    }
    if (t < 1.0) nnm__sum_add_wcv(acc, w, nnm__one_minus(t), -log1p(-y));
}

#endif /* NNMATH_CORE_LOSS_TERMS_H */
