/*
 * The notes' activations: the step function of the perceptron and its smooth replacement, the
 * logistic sigmoid (with its symmetry sigma(-a) = 1 - sigma(a)), the identity of the regression
 * output, the pre-activation a_k = w_k^T h + b_k, and the softmax examples: (1, 10, 100), the
 * "multiply by 100" fix for (1, 2, 3), and the "subtract the maximum" fix for (1, 10, 1000),
 * where the textbook formula e^a / sum e^a overflows (e^1000 > DBL_MAX ~ e^709.8; in float
 * already e^100 > FLT_MAX ~ e^88.7) and returns inf/inf = NaN.
 */
#include <stdio.h>

#include <nnmath/nnmath.h>

#include "tour.h"

static void print_row(const char *what, nnm_status st, const double *y, size_t k)
{
    printf("  %-44s", what);
    if (st != NNM_OK) {
        printf(" error: %s\n", nnm_status_str(st));
        return;
    }
    for (size_t j = 0; j < k; ++j) printf(" %.6g", y[j]);
    printf("\n");
}

void tour_activation(void)
{
    tour_section("activations (the notes' perceptron, sigmoid and softmax)");

    /* The perceptron's step and the neuron's sigmoid over the same inputs */
    const double a[5] = {-4.0, -1.0, 0.0, 1.0, 4.0};
    double y[5];
    print_row("a", NNM_OK, a, 5);
    print_row("step(a): 1 if a >= 0", nnm_act_step_f64(5, a, y), y, 5);
    print_row("sigmoid(a) = 1/(1+e^-a)", nnm_act_sigmoid_f64(5, a, y), y, 5);
    print_row("identity(a) (regression output)", nnm_act_identity_f64(5, a, y), y, 5);

    /* Symmetry sigma(-a) = 1 - sigma(a): the notes' "prove it", checked numerically */
    double s_pos, s_neg, two = 2.0, minus_two = -2.0;
    if (nnm_act_sigmoid_f64(1, &two, &s_pos) == NNM_OK &&
        nnm_act_sigmoid_f64(1, &minus_two, &s_neg) == NNM_OK)
        printf("  sigma(-2) = %.17g, 1 - sigma(2) = %.17g\n", s_neg, 1.0 - s_pos);
    /* Far in the tail the library keeps the digits that 1/(1+exp(-a)) loses to nothing */
    double far = -745.0, s_far;
    if (nnm_act_sigmoid_f64(1, &far, &s_far) == NNM_OK)
        printf("  sigma(-745) = %.6g (never flushed to 0 while representable)\n", s_far);

    /* The pre-activation of K = 3 neurons: a_k = w_k^T h + b_k */
    const double W[6] = {0.5, -1.0, 2.0, 0.25, -3.0, 1.0}, h[2] = {2.0, 1.0}, b[3] = {0.1, 0, -1};
    double pre[3];
    print_row("a = W h + b (3 neurons, h = (2, 1))",
              nnm_act_affine_f64(1, 2, 3, h, W, b, pre), pre, 3);

    /* Softmax of the notes' examples */
    const double s1[3] = {1, 10, 100}, s2[3] = {1, 2, 3}, s3[3] = {1, 10, 1000};
    double p[3];
    print_row("softmax(1, 10, 100)", nnm_act_softmax_f64(1, 3, 1.0, s1, p), p, 3);
    print_row("softmax(1, 2, 3): not close to an argmax", nnm_act_softmax_f64(1, 3, 1.0, s2, p), p, 3);
    print_row("softmax(1, 2, 3) with beta = 100 (x 100)", nnm_act_softmax_f64(1, 3, 100.0, s2, p), p, 3);
    print_row("softmax(1, 10, 1000) (max subtracted)", nnm_act_softmax_f64(1, 3, 1.0, s3, p), p, 3);

    /* In float the textbook formula already overflows at e^100; the library does not */
    const float f1[3] = {1, 10, 100}, f3[3] = {1, 10, 1000};
    float qf[3];
    if (nnm_act_softmax_f32(1, 3, 1.0, f1, qf) == NNM_OK)
        printf("  %-44s %g %g %g\n", "softmax_f32(1, 10, 100) (e^100 > FLT_MAX)", (double)qf[0],
               (double)qf[1], (double)qf[2]);
    if (nnm_act_softmax_f32(1, 3, 1.0, f3, qf) == NNM_OK)
        printf("  %-44s %g %g %g\n", "softmax_f32(1, 10, 1000)", (double)qf[0], (double)qf[1],
               (double)qf[2]);

    /* The log-probability of a dominant class and the row's log-sum-exp */
    double lp[3], lse;
    if (nnm_act_log_softmax_f64(1, 3, 1.0, s1, lp) == NNM_OK &&
        nnm_act_logsumexp_f64(1, 3, 1.0, s1, &lse) == NNM_OK)
        printf("  log softmax(1, 10, 100) = (%.17g, %.17g, %.6g), logsumexp = %.17g\n", lp[0],
               lp[1], lp[2], lse);
}
