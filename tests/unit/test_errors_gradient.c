/*
 * Bad-input matrix of the gradient module besides the loss gradients (test_errors_loss.c) and
 * the activation derivatives (test_errors_activation.c): the softmax Jacobian and VJPs, affine
 * backward, finite differences, gradient check, gradient step and descent. Every status, the
 * outputs proven untouched, NULL with n = 0, sizes beyond PTRDIFF_MAX bytes, overlaps.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <nnmath/nnmath.h>

#include "test_errors.h"

START_TEST(softmax_jacobian_statuses)
{
    guard J, y;
    memset(&y, 0, sizeof y);
    y.d[0] = 0.25, y.d[1] = 0.75;
    guard_fill(&J);
    static const double bad_beta[] = {0.0, -1.0, NAN, INFINITY};
    for (int b = 0; b < 4; ++b) {
        assert_status(nnm_grad_softmax_jacobian_f64(2, bad_beta[b], y.d, J.d), NNM_EINVAL);
        assert_status(nnm_grad_softmax_jacobian_f32(2, bad_beta[b], y.f, J.f), NNM_EINVAL);
    }
    assert_status(nnm_grad_softmax_jacobian_f64(2, 1.0, NULL, J.d), NNM_EINVAL);
    assert_status(nnm_grad_softmax_jacobian_f64(2, 1.0, y.d, NULL), NNM_EINVAL);
    assert_status(nnm_grad_softmax_jacobian_f64(0, 1.0, y.d, J.d), NNM_ESIZE);
    /* k*k overflows size_t, or its bytes exceed PTRDIFF_MAX, while k itself is valid */
    assert_status(nnm_grad_softmax_jacobian_f64((size_t)1 << 32, 1.0, y.d, J.d), NNM_ESIZE);
    assert_status(nnm_grad_softmax_jacobian_f64((size_t)1 << 30, 1.0, y.d, J.d), NNM_ESIZE);
    assert_status(nnm_grad_softmax_jacobian_f32((size_t)1 << 31, 1.0, y.f, J.f), NNM_ESIZE);
    assert_guard_intact(&J);
    /* J overlapping y */
    double buf[6] = {0.5, 0.5, 0, 0, 0, 0};
    assert_status(nnm_grad_softmax_jacobian_f64(2, 1.0, buf, buf + 1), NNM_EINVAL);
    assert_status(nnm_grad_softmax_jacobian_f64(2, 1.0, buf + 1, buf), NNM_EINVAL);
    ck_assert(buf[0] == 0.5 && buf[1] == 0.5 && buf[2] == 0.0);
}
END_TEST

typedef nnm_status (*vjp64)(size_t, size_t, double, const double *, const double *, double *);
typedef nnm_status (*vjp32)(size_t, size_t, double, const float *, const float *, float *);

START_TEST(softmax_vjp_statuses)
{
    vjp64 f = _i ? nnm_grad_log_softmax_vjp_f64 : nnm_grad_softmax_vjp_f64;
    vjp32 g = _i ? nnm_grad_log_softmax_vjp_f32 : nnm_grad_softmax_vjp_f32;
    guard out, y, dy;
    memset(&y, 0, sizeof y);
    memset(&dy, 0, sizeof dy);
    guard_fill(&out);
    assert_status(f(2, 3, 0.0, y.d, dy.d, out.d), NNM_EINVAL);
    assert_status(f(2, 3, NAN, y.d, dy.d, out.d), NNM_EINVAL);
    assert_status(g(2, 3, -INFINITY, y.f, dy.f, out.f), NNM_EINVAL);
    assert_status(f(2, 3, 1.0, NULL, dy.d, out.d), NNM_EINVAL);
    assert_status(f(2, 3, 1.0, y.d, NULL, out.d), NNM_EINVAL);
    assert_status(f(2, 3, 1.0, y.d, dy.d, NULL), NNM_EINVAL);
    assert_status(f(2, 0, 1.0, y.d, dy.d, out.d), NNM_ESIZE);
    assert_status(f(HALF_SIZE_MAX, 2, 1.0, y.d, dy.d, out.d), NNM_ESIZE);
    assert_status(f(3, BIG_N_F64 / 3 + 1, 1.0, y.d, dy.d, out.d), NNM_ESIZE);
    assert_status(g(3, BIG_N_F32 / 3 + 1, 1.0, y.f, dy.f, out.f), NNM_ESIZE);
    assert_status(f(0, 3, 1.0, NULL, NULL, NULL), NNM_OK);
    assert_status(f(0, 3, 1.0, y.d, dy.d, out.d), NNM_OK);
    assert_guard_intact(&out);
    /* da == dy is allowed; da over y, or partially over dy, is not */
    double yv[6] = {0.1, 0.2, 0.7, 0.3, 0.3, 0.4}, d1[6], d2[6];
    if (_i)
        for (int j = 0; j < 6; ++j) yv[j] = log(yv[j]);
    for (int j = 0; j < 6; ++j) d2[j] = sin(j + 1.0);
    ck_assert_int_eq(f(2, 3, 1.5, yv, d2, d1), NNM_OK);
    ck_assert_int_eq(f(2, 3, 1.5, yv, d2, d2), NNM_OK);
    ck_assert(memcmp(d1, d2, sizeof d1) == 0);
    double buf[7] = {0, 0, 0, 0, 0, 0, 0}, snap[7];
    memcpy(snap, buf, sizeof buf);
    assert_status(f(2, 3, 1.0, yv, buf, buf + 1), NNM_EINVAL);
    assert_status(f(2, 3, 1.0, buf, d1, buf), NNM_EINVAL);
    assert_status(f(2, 3, 1.0, buf + 1, d1, buf), NNM_EINVAL);
    ck_assert(memcmp(buf, snap, sizeof buf) == 0);
}
END_TEST

/* reliab8-7 (low): -beta y_k y_j was formed as -(y_k y_j) beta and flushed to 0 where the true
 * product is a representable subnormal. */
START_TEST(softmax_jacobian_keeps_subnormal_products)
{
    double y[2] = {0x1p-1074, 0.2}, J[4];
    ck_assert_int_eq(nnm_grad_softmax_jacobian_f64(2, 100.0, y, J), NNM_OK);
    /* -100 * 2^-1074 * 0.2 = -20 * 2^-1074 is exact */
    ck_assert_msg(J[1] == -20 * 0x1p-1074 && J[2] == -20 * 0x1p-1074, "J[0][1] = %a", J[1]);
}
END_TEST

START_TEST(affine_backward_statuses)
{
    guard dW, db, dh, in;
    memset(&in, 0, sizeof in);
    guard_fill(&dW);
    guard_fill(&db);
    guard_fill(&dh);
    const double *h = in.d, *W = in.d + 16, *delta = in.d + 32;
    assert_status(nnm_grad_affine_f64(2, 3, 4, h, W, delta, NULL, NULL, NULL), NNM_EINVAL);
    assert_status(nnm_grad_affine_f64(0, 3, 4, NULL, NULL, NULL, NULL, NULL, NULL), NNM_EINVAL);
    assert_status(nnm_grad_affine_f64(2, 3, 4, NULL, W, delta, dW.d, NULL, NULL), NNM_EINVAL);
    assert_status(nnm_grad_affine_f64(2, 3, 4, h, NULL, delta, NULL, NULL, dh.d), NNM_EINVAL);
    assert_status(nnm_grad_affine_f64(2, 3, 4, h, W, NULL, NULL, db.d, NULL), NNM_EINVAL);
    assert_status(nnm_grad_affine_f64(2, 0, 4, h, W, delta, dW.d, db.d, dh.d), NNM_ESIZE);
    assert_status(nnm_grad_affine_f64(2, 3, 0, h, W, delta, dW.d, db.d, dh.d), NNM_ESIZE);
    assert_status(nnm_grad_affine_f64(HALF_SIZE_MAX, 2, 1, h, W, delta, dW.d, db.d, dh.d), NNM_ESIZE);
    assert_status(nnm_grad_affine_f64(1, 2, HALF_SIZE_MAX, h, W, delta, dW.d, db.d, dh.d), NNM_ESIZE);
    assert_status(nnm_grad_affine_f64(1, 1, BIG_N_F64, h, W, delta, dW.d, db.d, dh.d), NNM_ESIZE);
    assert_status(nnm_grad_affine_f32(1, BIG_N_F32, 1, in.f, in.f, in.f, dW.f, db.f, dh.f), NNM_ESIZE);
    assert_guard_intact(&dW);
    assert_guard_intact(&db);
    assert_guard_intact(&dh);
    /* n = 0: dW and db are empty sums (0), the rest may be NULL */
    assert_status(nnm_grad_affine_f64(0, 3, 4, NULL, NULL, NULL, dW.d, db.d, NULL), NNM_OK);
    for (int j = 0; j < 12; ++j) ck_assert(dW.d[j] == 0.0);
    for (int j = 0; j < 4; ++j) ck_assert(db.d[j] == 0.0);
    ck_assert(nnm_canary_intact(dW.d + 12, sizeof dW - 12 * sizeof(double)));
    /* outputs overlapping inputs or each other */
    double buf[64];
    memset(buf, 0, sizeof buf);
    assert_status(nnm_grad_affine_f64(2, 3, 4, buf, buf + 8, buf + 24, buf + 2, NULL, NULL), NNM_EINVAL);
    assert_status(nnm_grad_affine_f64(2, 3, 4, buf, buf + 8, buf + 24, NULL, buf + 26, NULL), NNM_EINVAL);
    assert_status(nnm_grad_affine_f64(2, 3, 4, buf, buf + 8, buf + 24, buf + 40, buf + 45, NULL), NNM_EINVAL);
    assert_status(nnm_grad_affine_f64(2, 3, 4, buf, buf + 8, buf + 24, NULL, NULL, buf + 10), NNM_EINVAL);
}
END_TEST

/* user functions for the finite-difference family */
static double f_quad(size_t d, const double *x, void *ctx)
{
    (void)ctx;
    double s = 0.0;
    for (size_t i = 0; i < d; ++i) s += x[i] * x[i];
    return s;
}
static void g_quad(size_t d, const double *x, double *g, void *ctx)
{
    (void)ctx;
    for (size_t i = 0; i < d; ++i) g[i] = 2.0 * x[i];
}
static double f_nan(size_t d, const double *x, void *ctx)
{
    (void)d, (void)x, (void)ctx;
    return NAN;
}
static void g_inf(size_t d, const double *x, double *g, void *ctx)
{
    (void)x, (void)ctx;
    for (size_t i = 0; i < d; ++i) g[i] = INFINITY;
}
static void vec_quad(size_t d, const double *x, size_t m, double *fx, void *ctx)
{
    (void)ctx;
    for (size_t i = 0; i < m; ++i) fx[i] = x[i % d] * (double)(i + 1);
}

START_TEST(finite_differences_statuses)
{
    guard g;
    double x[3] = {1.0, -2.0, 0.5}, bad[3] = {1.0, NAN, 0.5}, e = -1.0;
    guard_fill(&g);
    assert_status(nnm_grad_numeric(NULL, NULL, 3, x, g.d), NNM_EINVAL);
    assert_status(nnm_grad_numeric(f_quad, NULL, 3, NULL, g.d), NNM_EINVAL);
    assert_status(nnm_grad_numeric(f_quad, NULL, 3, x, NULL), NNM_EINVAL);
    assert_status(nnm_grad_numeric(f_quad, NULL, 0, x, g.d), NNM_ESIZE);
    assert_status(nnm_grad_numeric(f_quad, NULL, BIG_N_F64, x, g.d), NNM_ESIZE);
    assert_status(nnm_grad_numeric(f_quad, NULL, 3, bad, g.d), NNM_EDOM);
    assert_status(nnm_grad_numeric(f_nan, NULL, 3, x, g.d), NNM_EDOM);
    nnm_grad_fd_opts o = {(nnm_grad_fd_method)2, 0.0};
    assert_status(nnm_grad_numeric_ex(f_quad, NULL, 3, x, &o, g.d), NNM_EINVAL);
    static const double bad_step[] = {NAN, -1e-3, 1.0, 0x1p-49, INFINITY};
    for (int b = 0; b < 5; ++b) {
        nnm_grad_fd_opts ob = {NNM_GRAD_FD_CENTRAL, bad_step[b]};
        assert_status(nnm_grad_numeric_ex(f_quad, NULL, 3, x, &ob, g.d), NNM_EINVAL);
    }
    assert_guard_intact(&g);
    /* Jacobian */
    assert_status(nnm_grad_jacobian_numeric(NULL, NULL, 3, 2, x, g.d), NNM_EINVAL);
    assert_status(nnm_grad_jacobian_numeric(vec_quad, NULL, 3, 2, NULL, g.d), NNM_EINVAL);
    assert_status(nnm_grad_jacobian_numeric(vec_quad, NULL, 3, 0, x, g.d), NNM_ESIZE);
    assert_status(nnm_grad_jacobian_numeric(vec_quad, NULL, 0, 2, x, g.d), NNM_ESIZE);
    assert_status(nnm_grad_jacobian_numeric(vec_quad, NULL, 3, BIG_N_F64 / 2, x, g.d), NNM_ESIZE);
    assert_status(nnm_grad_jacobian_numeric(vec_quad, NULL, 3, 2, bad, g.d), NNM_EDOM);
    assert_guard_intact(&g);
    /* gradient check: *max_rel_err untouched on failure */
    assert_status(nnm_grad_check(NULL, g_quad, NULL, 3, x, &e), NNM_EINVAL);
    assert_status(nnm_grad_check(f_quad, NULL, NULL, 3, x, &e), NNM_EINVAL);
    assert_status(nnm_grad_check(f_quad, g_quad, NULL, 3, x, NULL), NNM_EINVAL);
    assert_status(nnm_grad_check(f_quad, g_quad, NULL, 0, x, &e), NNM_ESIZE);
    assert_status(nnm_grad_check(f_quad, g_quad, NULL, 3, bad, &e), NNM_EDOM);
    assert_status(nnm_grad_check(f_quad, g_inf, NULL, 3, x, &e), NNM_EDOM);
    assert_status(nnm_grad_check(f_nan, g_quad, NULL, 3, x, &e), NNM_EDOM);
    ck_assert(e == -1.0);
    assert_status(nnm_grad_check(f_quad, g_quad, NULL, 3, x, &e), NNM_OK);
    ck_assert(e >= 0.0 && e < 1e-6);
}
END_TEST

START_TEST(step_and_descent_statuses)
{
    guard x, g;
    memset(&g, 0, sizeof g);
    guard_fill(&x);
    static const double bad_lr[] = {NAN, INFINITY, -INFINITY};
    for (int b = 0; b < 3; ++b) {
        assert_status(nnm_grad_step_f64(4, bad_lr[b], g.d, x.d), NNM_EINVAL);
        assert_status(nnm_grad_step_f32(4, bad_lr[b], g.f, x.f), NNM_EINVAL);
        assert_status(nnm_grad_step_f64(BIG_N_F64, bad_lr[b], g.d, x.d), NNM_EINVAL);
    }
    assert_status(nnm_grad_step_f64(4, 0.1, NULL, x.d), NNM_EINVAL);
    assert_status(nnm_grad_step_f64(4, 0.1, g.d, NULL), NNM_EINVAL);
    assert_status(nnm_grad_step_f64(BIG_N_F64, 0.1, g.d, x.d), NNM_ESIZE);
    assert_status(nnm_grad_step_f32(BIG_N_F32, 0.1, g.f, x.f), NNM_ESIZE);
    assert_status(nnm_grad_step_f64(0, 0.1, NULL, NULL), NNM_OK);
    assert_guard_intact(&x);
    double buf[9] = {0};
    assert_status(nnm_grad_step_f64(8, 0.1, buf, buf + 1), NNM_EINVAL);
    /* x == g is allowed: x - lr x */
    double v[2] = {1.0, -2.0};
    assert_status(nnm_grad_step_f64(2, 0.5, v, v), NNM_OK);
    ck_assert(v[0] == 0.5 && v[1] == -1.0);

    /* descent: invalid options, x and result untouched */
    double x0[2] = {1.0, 2.0};
    nnm_gd_result r, rsnap;
    nnm_canary_fill(&r, sizeof r);
    memcpy(&rsnap, &r, sizeof r);
    const nnm_gd_opts bad_opts[] = {
        {-0.1, 0, 0, 0, NULL},  {NAN, 0, 0, 0, NULL},       {INFINITY, 0, 0, 0, NULL},
        {0.1, 1.0, 0, 0, NULL}, {0.1, -0.1, 0, 0, NULL},    {0.1, NAN, 0, 0, NULL},
        {0.1, 0, -1e-8, 0, NULL}, {0.1, 0, INFINITY, 0, NULL}, {0.1, 0, NAN, 0, NULL},
    };
    for (size_t b = 0; b < sizeof bad_opts / sizeof bad_opts[0]; ++b) {
        assert_status(nnm_grad_descent(f_quad, g_quad, NULL, 2, x0, &bad_opts[b], &r), NNM_EINVAL);
        ck_assert(x0[0] == 1.0 && x0[1] == 2.0);
        ck_assert(memcmp(&r, &rsnap, sizeof r) == 0);
    }
    assert_status(nnm_grad_descent(NULL, g_quad, NULL, 2, x0, NULL, &r), NNM_EINVAL);
    assert_status(nnm_grad_descent(f_quad, NULL, NULL, 2, x0, NULL, &r), NNM_EINVAL);
    assert_status(nnm_grad_descent(f_quad, g_quad, NULL, 2, NULL, NULL, &r), NNM_EINVAL);
    assert_status(nnm_grad_descent(f_quad, g_quad, NULL, 0, x0, NULL, &r), NNM_ESIZE);
    assert_status(nnm_grad_descent(f_quad, g_quad, NULL, BIG_N_F64, x0, NULL, &r), NNM_ESIZE);
    double xbad[2] = {1.0, INFINITY};
    assert_status(nnm_grad_descent(f_quad, g_quad, NULL, 2, xbad, NULL, &r), NNM_EDOM);
    ck_assert(memcmp(&r, &rsnap, sizeof r) == 0);
    /* a non-finite f stops with EDOM (the documented exception: x holds that iterate) */
    assert_status(nnm_grad_descent(f_nan, g_quad, NULL, 2, x0, NULL, &r), NNM_EDOM);
    /* the iteration limit: ENOCONV with the last iterate */
    double x1[2] = {1.0, 2.0};
    nnm_gd_opts few = {0.01, 0.0, 1e-12, 3, NULL};
    assert_status(nnm_grad_descent(f_quad, g_quad, NULL, 2, x1, &few, &r), NNM_ENOCONV);
    ck_assert_uint_eq(r.iterations, 3);
    ck_assert(r.converged == 0 && x1[0] < 1.0);
}
END_TEST

static Suite *errors_gradient_suite(void)
{
    Suite *s = suite_create("errors_gradient");
    TCase *tc = tcase_create("matrix");
    tcase_add_test(tc, softmax_jacobian_statuses);
    tcase_add_loop_test(tc, softmax_vjp_statuses, 0, 2);
    tcase_add_test(tc, affine_backward_statuses);
    tcase_add_test(tc, finite_differences_statuses);
    tcase_add_test(tc, step_and_descent_statuses);
    suite_add_tcase(s, tc);
    TCase *reg = tcase_create("fuzz_findings");
    tcase_add_test(reg, softmax_jacobian_keeps_subnormal_products);
    suite_add_tcase(s, reg);
    return s;
}

int main(void)
{
    return nnm_run_suite(errors_gradient_suite());
}
