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
    return exp(hi) * (1.0 + lo);
}

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
