/*
 * The notes' losses: half-SSE (univariate and multivariate), l1, binary and multiclass
 * cross-entropy, with the "verify the loss is 0 when outputs match targets" exercises, and what
 * the library adds (logits without overflow, reductions, options).
 */
#include <math.h>
#include <stdio.h>

#include <nnmath/nnmath.h>

#include "tour.h"

static void show(const char *what, nnm_status st, double value)
{
    if (st == NNM_OK)
        printf("  %-58s %.17g\n", what, value);
    else
        printf("  %-58s error: %s\n", what, nnm_status_str(st));
}

/* The call runs before its value is printed (arguments of one call are unordered in C). */
#define SHOW(what, call)              \
    do {                              \
        nnm_status st_ = (call);      \
        show((what), st_, l);         \
    } while (0)

void tour_loss(void)
{
    double l;
    tour_section("losses (the notes' definitions: sums over the N samples)");

    /* Regression: L = 1/2 sum_n (y_n - t_n)^2, and the multivariate 1/2 sum_n ||y_n - t_n||^2 */
    const double y[3] = {1.0, 2.0, 3.0}, t[3] = {1.0, 3.0, 5.0};
    SHOW("half-SSE, univariate y=(1,2,3) t=(1,3,5)", nnm_loss_l2_f64(3, 1, y, t, NULL, &l));
    SHOW("half-SSE, one 3-dim sample (same numbers)", nnm_loss_l2_f64(1, 3, y, t, NULL, &l));
    SHOW("l1, univariate", nnm_loss_l1_f64(3, 1, y, t, NULL, &l));
    SHOW("half-SSE with outputs = targets (the notes: 0)", nnm_loss_l2_f64(3, 1, t, t, NULL, &l));

    /* Binary classification: L = -sum_n t ln y + (1-t) ln(1-y) */
    const double yb[4] = {0.9, 0.2, 0.6, 0.01}, tb[4] = {1, 0, 1, 0};
    SHOW("BCE, y=(0.9,0.2,0.6,0.01) t=(1,0,1,0)", nnm_loss_bce_f64(4, 1, yb, tb, NULL, &l));
    SHOW("BCE with y = t in {0,1} (0 ln 0 = 0)", nnm_loss_bce_f64(4, 1, tb, tb, NULL, &l));
    const double y0 = 0.0, t1 = 1.0;
    SHOW("BCE at y=0, t=1: -ln 0, returned honestly", nnm_loss_bce_f64(1, 1, &y0, &t1, NULL, &l));

    /* Multiclass: L = -sum_n sum_k t_nk ln y_nk with 1-hot targets (t_n3 = 1: class 3) */
    const double yp[5] = {0.05, 0.1, 0.7, 0.1, 0.05}, th[5] = {0, 0, 1, 0, 0};
    SHOW("MCE, 1-hot class 3, y_3 = 0.7: -ln 0.7", nnm_loss_ce_f64(1, 5, yp, th, NULL, &l));
    SHOW("MCE with y = t (the notes: 0)", nnm_loss_ce_f64(1, 5, th, th, NULL, &l));

    /* On logits: softmax and the log fused, so (1, 10, 1000) and (1e8, 1e8) need no care */
    const double a[3] = {1.0, 10.0, 1000.0};
    const int32_t hot = 2, first = 0;
    SHOW("CE from logits (1,10,1000), class 3",
         nnm_loss_ce_logits_labels_f64(1, 3, a, &hot, NULL, &l));
    SHOW("CE from logits (1,10,1000), class 1",
         nnm_loss_ce_logits_labels_f64(1, 3, a, &first, NULL, &l));
    const double a8[2] = {1e8, 1e8};
    SHOW("CE from logits (1e8,1e8), class 1 = ln 2",
         nnm_loss_ce_logits_labels_f64(1, 2, a8, &first, NULL, &l));
    const double big = -1e30;
    SHOW("BCE from logit -1e30 with t = 1 (no overflow, no NaN)",
         nnm_loss_bce_logits_f64(1, 1, &big, &t1, NULL, &l));

    /* Reductions and options */
    nnm_loss_opts o = NNM_LOSS_OPTS_INIT;
    o.reduction = NNM_REDUCE_MEAN;
    SHOW("half-SSE, MEAN over the 3 samples", nnm_loss_l2_f64(3, 1, y, t, &o, &l));
    const double logits[6] = {2.0, 0.5, -1.0, 0.1, 0.2, 3.0};
    const int32_t labels[2] = {0, 2};
    o.label_smoothing = 0.1;
    SHOW("CE from logits, 2 samples, MEAN, label smoothing 0.1",
         nnm_loss_ce_logits_labels_f64(2, 3, logits, labels, &o, &l));
    o.label_smoothing = 0.0;
    o.delta = 0.5;
    SHOW("an option a loss does not use (delta for CE) is refused",
         nnm_loss_ce_logits_labels_f64(2, 3, logits, labels, &o, &l));
    const int32_t bad[2] = {0, 3};
    SHOW("a label outside [0,k) is refused before anything is read",
         nnm_loss_ce_logits_labels_f64(2, 3, logits, bad, NULL, &l));
}
