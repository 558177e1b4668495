/*
 * Closed-form Hessians of the losses w.r.t. their input (hessian.h).
 *
 * Cross-entropy from logits. With p = softmax(beta a) and S = sum_k t_k, the gradient of
 * l = -sum_k t_k log p_k is beta (S p - t), and since dp_k/da_j = beta p_k (delta_jk - p_j),
 *     H = beta^2 S (diag(p) - p p^T).
 * The diagonal needs p_j (1 - p_j), and 1 - p_j is formed without cancellation from the row
 * statistics of core/softmax_row.h (m = max, s = sum of the non-max exponentials e_j):
 *     1 - p_argmax = s / (1 + s),    1 - p_j = (1 + (s - e_j)) / (1 + s)  (j != argmax),
 * where s - e_j >= 0 is the sum of the other non-max terms, so both forms are accurate to a few
 * eps even when p_j is within 1e-20 of 1 (1 - fl(p_j) would be 0 there).
 *
 * Binary cross-entropy from logits with pos_weight q: the per-element loss
 *     q t softplus(-a) + (1 - t) softplus(a)
 * has second derivative (q t + 1 - t) sigma'(a), because softplus''(x) = sigma(x)(1 - sigma(x))
 * = sigma'(x) is even in x. sigma'(a) = e^-|a| / (1 + e^-|a|)^2 is the activation helpers'
 * cancellation-free form (core/deriv_math.h), never sigma (1 - sigma) from a rounded sigma.
 *
 * The diagonal losses (l2, huber, bce, ce on probabilities, bce_logits with options) return the
 * diagonal of the Hessian of exactly the scalar the matching gradient differentiates: SUM and NONE
 * (the sum of the per-sample losses), MEAN (divided by n); the Hessian w.r.t. the whole n x k
 * input is diagonal for these losses, so the diagonal is all of it.
 */
#include <float.h>
#include <math.h>

#include "nnmath/hessian.h"
#include "core/deriv_math.h"
#include "core/loss_opts.h"
#include "core/loss_terms.h"
#include "core/softmax_row.h"
#include "core/sum.h"
#include "internal.h"

/* ---- one softmax row: p_j and 1 - p_j -------------------------------------------------------- */

/* What a kernel needs to form p_j and 1 - p_j for any j of one row. */
typedef struct row_probs {
    nnm__row_stats st;
    double inv;      /* 1 / (1 + s) for an ordinary row */
    double inf_share; /* 1/c for a row with c entries at +inf */
    double inf_rest;  /* (c - 1)/c */
} row_probs;

static row_probs row_probs_make(nnm__row_stats st, size_t inf_count)
{
    row_probs r = {st, 0.0, 0.0, 0.0};
    if (!st.special) {
        r.inv = 1.0 / (1.0 + st.s);
    } else if (inf_count > 0) {
        r.inf_share = 1.0 / (double)inf_count;
        r.inf_rest = (double)(inf_count - 1) / (double)inf_count;
    }
    return r;
}

/* p_j and q_j = 1 - p_j of the entry a_j (the policy limits for rows whose max is not finite:
 * NaN row -> NaN, row of -inf -> p = 0, c entries at +inf -> 1/c each and 0 elsewhere). */
static void row_pq(const row_probs *r, double beta, double aj, size_t j, double *p, double *q)
{
    const nnm__row_stats *st = &r->st;
    if (st->special) {
        if (isnan(st->max)) {
            *p = *q = st->max;
        } else if (st->max > 0.0 && aj == st->max) {
            *p = r->inf_share;
            *q = r->inf_rest;
        } else {
            *p = 0.0;
            *q = 1.0;
        }
        return;
    }
    if (j == st->argmax) {
        *p = r->inv;
        *q = st->s * r->inv;
        return;
    }
    double e = nnm__exp_scaled_diff(beta, aj, st->max);
    *p = e * r->inv;
    *q = (1.0 + (st->s - e)) * r->inv;
}

#define NNM__T double
#define NNM__SFX(name) name##_f64
/* sigma'(a) evaluated in the wider working type of core/deriv_math.h, rounded once */
#define NNM__DSIG(a) ((double)nnm__dm_softplus_d2_ld((nnm__dmx)(a)))
#include "hessian/loss.inc"
#undef NNM__T
#undef NNM__SFX
#undef NNM__DSIG

#define NNM__T float
#define NNM__SFX(name) name##_f32
#define NNM__DSIG(a) nnm__dm_softplus_d2_d(a)
#include "hessian/loss.inc"
#undef NNM__T
#undef NNM__SFX
#undef NNM__DSIG
