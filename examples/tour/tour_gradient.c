/*
 * The notes' gradient exercises: the sigmoid's "easy derivative" sigma' = sigma (1 - sigma), the
 * softmax Jacobian dy_k/da_j = y_k (delta_jk - y_j), and
 * gradient descent on f(x, y) = x^2 + xy + y^2.
 */
#include <nnmath/nnmath.h>
#include <stdio.h>

#include "tour.h"

static void print_matrix(size_t k, const double *J)
{
    for (size_t r = 0; r < k; ++r) {
        printf("    [");
        for (size_t c = 0; c < k; ++c) printf(" % .6e", J[r * k + c]);
        printf(" ]\n");
    }
}

/* f(x, y) = x^2 + xy + y^2 and its gradient (2x + y, x + 2y) */
static double notes_f(size_t d, const double *x, void *ctx)
{
    (void)d, (void)ctx;
    return x[0] * x[0] + x[0] * x[1] + x[1] * x[1];
}
static void notes_grad(size_t d, const double *x, double *g, void *ctx)
{
    (void)d, (void)ctx;
    g[0] = 2 * x[0] + x[1];
    g[1] = x[0] + 2 * x[1];
}
static int show_progress(size_t iter, double f, double grad_norm, void *ctx)
{
    (void)ctx;
    if (iter <= 3 || iter % 50 == 0)
        printf("    step %3zu: f = %.6e, |grad f| = %.3e\n", iter, f, grad_norm);
    return 0;
}

/* The notes ask to prove sigma' = sigma (1 - sigma): compare it with the library's sigma'. */
static void tour_sigmoid_derivative(void)
{
    tour_section("sigmoid derivative: sigma' = sigma (1 - sigma)");
    const double x[5] = {-4, -1, 0, 2, 44};
    double s[5], ds[5];
    nnm_act sigmoid = nnm_act_default(NNM_ACT_SIGMOID);
    if (nnm_act_sigmoid_f64(5, x, s) != NNM_OK || nnm_grad_act_f64(sigmoid, 5, x, ds) != NNM_OK)
        return;
    printf("     x    sigma(x)            sigma (1 - sigma)   sigma'(x) (library)\n");
    for (int i = 0; i < 5; ++i)
        printf("  %4g    %.12e  %.12e  %.12e\n", x[i], s[i], s[i] * (1 - s[i]), ds[i]);
    printf("at x = 44, sigma rounds to 1 and sigma (1 - sigma) gives 0; the library evaluates\n"
           "sigma' = e^-|x| / (1 + e^-|x|)^2 and keeps its %.3e\n", ds[4]);
}

void tour_gradient(void)
{
    tour_sigmoid_derivative();
    tour_section("softmax Jacobian: dy_k/da_j = y_k (delta_jk - y_j)");
    /* y = softmax(1, 2, 3), and softmax(100 * (1, 2, 3)): the notes' "multiply by 100" */
    const double a[3] = {1, 2, 3};
    double y[3], y100[3], J[9], v[3] = {1, 0, 0}, Jv[3];
    if (nnm_act_softmax_f64(1, 3, 1.0, a, y) != NNM_OK ||
        nnm_act_softmax_f64(1, 3, 100.0, a, y100) != NNM_OK)
        return;
    printf("y = softmax(1, 2, 3) = (%.6f, %.6f, %.6f)\n", y[0], y[1], y[2]);
    if (nnm_grad_softmax_jacobian_f64(3, 1.0, y, J) != NNM_OK) return;
    printf("J =\n");
    print_matrix(3, J);
    printf("J is symmetric and each row sums to 0 (sum y = 1): row sums %.1e %.1e %.1e\n",
           J[0] + J[1] + J[2], J[3] + J[4] + J[5], J[6] + J[7] + J[8]);
    nnm_grad_softmax_vjp_f64(1, 3, 1.0, y, v, Jv);
    printf("J^T (1,0,0) by the O(k) product: (%.6f, %.6f, %.6f) = the first row\n", Jv[0], Jv[1],
           Jv[2]);

    /* "multiply by 100": softmax(100, 200, 300) puts y_3 = 1 - 3.7e-44, which rounds to 1 */
    nnm_grad_softmax_jacobian_f64(3, 100.0, y100, J);
    printf("with beta = 100: y = (%.3e, %.3e, %.17g)\n", y100[0], y100[1], y100[2]);
    printf("  naive beta y_3 (1 - y_3) = %g; the library's J[3][3] = %.6e = 100 y_3 (y_1 + y_2)\n",
           100.0 * y100[2] * (1.0 - y100[2]), J[8]);

    tour_section("gradient descent on f(x, y) = x^2 + xy + y^2");
    double x[2] = {1, 2};
    nnm_gd_opts opts = {0.1, 0.0, 1e-8, 0, show_progress}; /* 0: the default max_iter */
    nnm_gd_result r;
    printf("from (1, 2), learning rate 0.1 (the Hessian [[2,1],[1,2]] has eigenvalues 1 and 3,\n"
           "so each step shrinks the error by at least |1 - 0.1 * 1| = 0.9):\n");
    nnm_status st = nnm_grad_descent(notes_f, notes_grad, NULL, 2, x, &opts, &r);
    printf("%s after %zu steps: x = (%.3e, %.3e), f = %.3e, |grad f| = %.3e\n",
           nnm_status_str(st), r.iterations, x[0], x[1], r.f, r.grad_norm);
    x[0] = 1, x[1] = 2;
    opts.momentum = 0.5;
    opts.on_iter = NULL;
    st = nnm_grad_descent(notes_f, notes_grad, NULL, 2, x, &opts, &r);
    printf("with momentum 0.5: %s after %zu steps\n", nnm_status_str(st), r.iterations);
}
