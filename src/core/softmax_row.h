/*
 * One row of the softmax family, shared by softmax, log-softmax, logsumexp, the cross-entropy
 * losses on logits and their gradients and Hessians.
 *
 * With m = max_j a_j and z_j = beta (a_j - m) <= 0, the row is described by
 *     s = sum_{j != argmax} e^{z_j}     (every term <= 1: nothing overflows)
 * and then
 *     logsumexp      = beta m + log1p(s)
 *     softmax_j      = e^{z_j} / (1 + s)
 *     log_softmax_j  = z_j - log1p(s)   (for the dominant entry exactly -log1p(s): a probability
 *                                         of 1 - 1e-22 keeps its log of -1e-22 instead of 0)
 * Computing beta (a_j - m) rather than beta a_j - beta m keeps a finite beta a that would overflow
 * from turning finite logits into infinities (policy).
 */
#ifndef NNMATH_CORE_SOFTMAX_ROW_H
#define NNMATH_CORE_SOFTMAX_ROW_H

#include <math.h>
#include <stddef.h>
#include "core/act_math.h"
#include "core/sum.h"

typedef struct nnm__row_stats {
    double max;      /* m = max_j a_j (-inf for a row of -inf, NaN if the row has a NaN) */
    size_t argmax;   /* first index attaining the max */
    double s;        /* sum over j != argmax of e^{z_j}, compensated */
    int special;     /* 1 when m is NaN or +-inf: the caller applies the policy limits */
} nnm__row_stats;

/* z = beta (a_j - m) as an unevaluated sum hi + lo. The rounding of a_j - m and of the product
 * are recovered exactly (TwoSum, fma), so e^{z} = e^{hi} (1 + lo) keeps a relative error of a few
 * eps even when |z| is ~700; the plain product would carry an error of |z| eps. */
static inline double nnm__exp_scaled_diff(double beta, double a, double m)
{
    double d = a - m;
    if (!(beta * d > -746.0)) return 0.0; /* e^z underflows (also a = -inf, or a - m = -inf) */
    double bb = d - a;                    /* TwoSum(a, -m): a - m = d + d_err exactly */
    double d_err = (a - (d - bb)) + (-m - bb);
    double hi = beta * d;
    double lo = fma(beta, d, -hi) + beta * d_err;
    /* e^{hi} (1 + lo) formed in the extended format and rounded once: 0.5 ULP + ~0.01 ULP
     * instead of the two roundings (exp, product) of a double evaluation. */
    return (double)(nnm__xexp((nnm__xf)hi) * (1 + (nnm__xf)lo));
}

/* ---- extended-precision rows -------------------------------------------------------------
 * The activation module's softmax, log-softmax and logsumexp round only once per output: the
 * exponentials e^{z_j} and their sum s are carried in nnm__xf (64-bit significand on x86-64),
 * summed with Neumaier's compensation, so s has relative error ~3 * 2^-64 for any k up to
 * 2^32, and e^{z_j}/(1+s), z_j - log1p(s) and beta m + log1p(s) reach double with ~0.5 ULP. */

/* z = beta (a - m) as hi + lo (see nnm__exp_scaled_diff). Returns 0 when z = -inf: a masked
 * -inf entry, or beta (a - m) beyond the double range (e^z = 0, log-softmax = -inf, both exact
 * to the last representable bit). a and m must not be NaN, m finite. */
static inline int nnm__scaled_diff(double beta, double a, double m, double *hi, double *lo)
{
    double d = a - m;
    double h = beta * d;
    if (!(h > -HUGE_VAL)) return 0;
    double bb = d - a;
    double d_err = (a - (d - bb)) + (-m - bb);
    *hi = h;
    *lo = fma(beta, d, -h) + beta * d_err;
    return 1;
}

/* e^{hi + lo} = e^{hi} (1 + lo) to 2^-64: |lo| <= 2^-52 |hi|, and hi < -11400 underflows the
 * extended format anyway, so the dropped lo^2/2 is below 2^-80. */
static inline nnm__xf nnm__exp_hilo_x(double hi, double lo)
{
    return nnm__xexp((nnm__xf)hi) * (1 + (nnm__xf)lo);
}

/* Neumaier summation in the extended format (the terms are positive, so the compensated sum is
 * within 2 units of 2^-64 of the exact sum for any realistic k). */
typedef struct nnm__xsum {
    nnm__xf s, c;
} nnm__xsum;

static inline void nnm__xsum_add(nnm__xsum *acc, nnm__xf x)
{
    nnm__xf t = acc->s + x;
    acc->c += nnm__xfabs(acc->s) >= nnm__xfabs(x) ? (acc->s - t) + x : (x - t) + acc->s;
    acc->s = t;
}

typedef struct nnm__row_stats_x {
    double max;    /* m = max_j a_j (-inf: all -inf; +inf: some +inf; NaN: some NaN) */
    size_t argmax; /* first index attaining the max */
    nnm__xf s;     /* sum over j != argmax of e^{beta (a_j - m)}, in extended precision */
    int special;   /* 1 when m is NaN or +-inf: the caller applies the policy limits */
} nnm__row_stats_x;

#define NNM__T double
#define NNM__SFX(name) name##_f64
#include "core/softmax_row.inc"
#undef NNM__T
#undef NNM__SFX

#define NNM__T float
#define NNM__SFX(name) name##_f32
#include "core/softmax_row.inc"
#undef NNM__T
#undef NNM__SFX

#endif /* NNMATH_CORE_SOFTMAX_ROW_H */
