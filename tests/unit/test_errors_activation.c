/*
 * Bad-input matrix of the activation module and of the activation derivatives (f', VJPs, f''):
 * every status each function can return, with outputs proven untouched (canaries), NULL with
 * n = 0 accepted, NULL with n > 0 rejected, sizes beyond PTRDIFF_MAX bytes rejected before any
 * access (the buffers passed are tiny: an access would be out of bounds, which the ASan build
 * and valgrind report), partial overlaps rejected, in-place calls equal to out-of-place ones.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <nnmath/nnmath.h>

#include "test_errors.h"

/* ---- the elementwise entry points, one signature (leaky/elu with their default alpha) ----- */
typedef nnm_status (*ew64)(size_t, const double *, double *);
typedef nnm_status (*ew32)(size_t, const float *, float *);

static nnm_status leaky64(size_t n, const double *x, double *y)
{
    return nnm_act_leaky_relu_f64(n, 0.01, x, y);
}
static nnm_status leaky32(size_t n, const float *x, float *y)
{
    return nnm_act_leaky_relu_f32(n, 0.01, x, y);
}
static nnm_status elu64(size_t n, const double *x, double *y)
{
    return nnm_act_elu_f64(n, 1.0, x, y);
}
static nnm_status elu32(size_t n, const float *x, float *y)
{
    return nnm_act_elu_f32(n, 1.0, x, y);
}

static const struct {
    const char *name;
    ew64 f64;
    ew32 f32;
} elementwise[] = {
    {"identity", nnm_act_identity_f64, nnm_act_identity_f32},
    {"step", nnm_act_step_f64, nnm_act_step_f32},
    {"sigmoid", nnm_act_sigmoid_f64, nnm_act_sigmoid_f32},
    {"tanh", nnm_act_tanh_f64, nnm_act_tanh_f32},
    {"relu", nnm_act_relu_f64, nnm_act_relu_f32},
    {"leaky_relu", leaky64, leaky32},
    {"elu", elu64, elu32},
    {"selu", nnm_act_selu_f64, nnm_act_selu_f32},
    {"softplus", nnm_act_softplus_f64, nnm_act_softplus_f32},
    {"log_sigmoid", nnm_act_log_sigmoid_f64, nnm_act_log_sigmoid_f32},
    {"silu", nnm_act_silu_f64, nnm_act_silu_f32},
    {"gelu", nnm_act_gelu_f64, nnm_act_gelu_f32},
    {"gelu_tanh", nnm_act_gelu_tanh_f64, nnm_act_gelu_tanh_f32},
    {"mish", nnm_act_mish_f64, nnm_act_mish_f32},
};
#define N_ELEMENTWISE ((int)(sizeof elementwise / sizeof elementwise[0]))

/* Inputs across the ranges: zeros, subnormals, the exp thresholds, infinities, NaN. */
static const double xs[16] = {0.0, -0.0, 1e-310, -1e-310, 0.5, -0.5, 3.0, -3.0,
                              40.0, -40.0, 709.0, -745.0, 1e300, -1e300, INFINITY, -INFINITY};

START_TEST(elementwise_every_status_and_no_write)
{
    const char *name = elementwise[_i].name;
    ew64 f = elementwise[_i].f64;
    ew32 g = elementwise[_i].f32;
    guard out, in;
    memset(&in, 0, sizeof in);

    /* n = 0: NULL pointers are fine and nothing is written */
    ck_assert_msg(f(0, NULL, NULL) == NNM_OK, "%s f64 n=0 NULL", name);
    ck_assert_msg(g(0, NULL, NULL) == NNM_OK, "%s f32 n=0 NULL", name);
    guard_fill(&out);
    ck_assert_int_eq(f(0, in.d, out.d), NNM_OK);
    ck_assert_int_eq(g(0, in.f, out.f), NNM_OK);
    assert_guard_intact(&out);

    /* NULL with n > 0 */
    ck_assert_msg(f(3, NULL, out.d) == NNM_EINVAL, "%s NULL x", name);
    ck_assert_msg(f(3, in.d, NULL) == NNM_EINVAL, "%s NULL y", name);
    ck_assert_msg(g(3, NULL, out.f) == NNM_EINVAL, "%s f32 NULL x", name);
    ck_assert_msg(g(3, in.f, NULL) == NNM_EINVAL, "%s f32 NULL y", name);
    assert_guard_intact(&out);
    /* NULL before size: EINVAL wins over ESIZE */
    ck_assert_msg(f(BIG_N_F64, NULL, out.d) == NNM_EINVAL, "%s NULL beats ESIZE", name);

    /* n elements beyond PTRDIFF_MAX bytes: rejected before any access of the tiny buffers */
    ck_assert_msg(f(BIG_N_F64, in.d, out.d) == NNM_ESIZE, "%s f64 PTRDIFF_MAX", name);
    ck_assert_msg(f(SIZE_MAX, in.d, out.d) == NNM_ESIZE, "%s f64 SIZE_MAX", name);
    ck_assert_msg(g(BIG_N_F32, in.f, out.f) == NNM_ESIZE,
                  "%s f32 PTRDIFF_MAX", name);
    ck_assert_msg(g(SIZE_MAX, in.f, out.f) == NNM_ESIZE,
                  "%s f32 SIZE_MAX", name);
    assert_guard_intact(&out);

    /* a partial overlap (y one element into x) is rejected, nothing written */
    double buf[9];
    nnm_canary_fill(buf, sizeof buf);
    ck_assert_msg(f(8, buf, buf + 1) == NNM_EINVAL, "%s partial overlap", name);
    nnm_assert_untouched(buf, sizeof buf);
    float buff[9];
    nnm_canary_fill(buff, sizeof buff);
    ck_assert_msg(g(8, buff, buff + 1) == NNM_EINVAL, "%s f32 partial overlap", name);
    nnm_assert_untouched(buff, sizeof buff);

    /* in place (y == x) gives the bits of the out-of-place call */
    double y[16], z[16];
    float yf[16], zf[16], xf[16];
    memcpy(z, xs, sizeof z);
    ck_assert_int_eq(f(16, xs, y), NNM_OK);
    ck_assert_int_eq(f(16, z, z), NNM_OK);
    ck_assert_msg(memcmp(y, z, sizeof y) == 0, "%s f64 in place differs", name);
    for (int i = 0; i < 16; ++i) xf[i] = zf[i] = (float)xs[i];
    ck_assert_int_eq(g(16, xf, yf), NNM_OK);
    ck_assert_int_eq(g(16, zf, zf), NNM_OK);
    ck_assert_msg(memcmp(yf, zf, sizeof yf) == 0, "%s f32 in place differs", name);
    /* NaN in gives NaN out, and no NaN from a non-NaN input */
    double nan_in = NAN, nan_out;
    ck_assert_int_eq(f(1, &nan_in, &nan_out), NNM_OK);
    ck_assert_msg(isnan(nan_out), "%s(NaN) is not NaN", name);
    for (int i = 0; i < 16; ++i) ck_assert_msg(!isnan(y[i]), "%s(%g) is NaN", name, xs[i]);
}
END_TEST

/* reliab8-6: the scalar parameter is an EINVAL and is checked before the size (precedence). */
START_TEST(alpha_is_checked_before_sizes)
{
    guard out, in;
    memset(&in, 0, sizeof in);
    guard_fill(&out);
    assert_status(nnm_act_elu_f64(BIG_N_F64, -0.0625, in.d, out.d), NNM_EINVAL);
    assert_status(nnm_act_leaky_relu_f64(BIG_N_F64, INFINITY, in.d, out.d), NNM_EINVAL);
    assert_status(nnm_act_elu_f32(BIG_N_F32, NAN, in.f,
                                  out.f), NNM_EINVAL);
    assert_status(nnm_act_leaky_relu_f32(BIG_N_F32, -INFINITY, in.f,
                                         out.f), NNM_EINVAL);
    /* and with valid sizes */
    assert_status(nnm_act_elu_f64(4, -1e-300, in.d, out.d), NNM_EINVAL);
    assert_status(nnm_act_elu_f64(4, INFINITY, in.d, out.d), NNM_EINVAL);
    assert_status(nnm_act_leaky_relu_f64(4, NAN, in.d, out.d), NNM_EINVAL);
    assert_guard_intact(&out);
    /* any finite alpha is valid for leaky relu, alpha = 0 for elu too */
    assert_status(nnm_act_leaky_relu_f64(4, -5.0, in.d, out.d), NNM_OK);
    assert_status(nnm_act_elu_f64(4, 0.0, in.d, out.d), NNM_OK);
}
END_TEST

/* ---- descriptors: nnm_act_apply, nnm_grad_act*, nnm_hess_act ------------------------------ */
static const nnm_act bad_acts[] = {
    {(nnm_act_kind)-1, 0.0},        {(nnm_act_kind)14, 0.0},       {(nnm_act_kind)99, 0.0},
    {NNM_ACT_SIGMOID, 0.5},         {NNM_ACT_RELU, -0.0 + 1e-300}, {NNM_ACT_LEAKY_RELU, NAN},
    {NNM_ACT_LEAKY_RELU, INFINITY}, {NNM_ACT_ELU, -1.0},           {NNM_ACT_ELU, NAN},
    {NNM_ACT_IDENTITY, NAN},        {NNM_ACT_MISH, INFINITY},
};

START_TEST(descriptor_statuses_for_every_entry_point)
{
    guard out, in, dy;
    memset(&in, 0, sizeof in);
    memset(&dy, 0, sizeof dy);
    const float *inf_ = in.f, *dyf = dy.f;
    float *outf = out.f;
    guard_fill(&out);
    for (size_t b = 0; b < sizeof bad_acts / sizeof bad_acts[0]; ++b) {
        nnm_act a = bad_acts[b];
        /* invalid descriptor: EINVAL, also with n = 0 and with a size that is also invalid */
        for (int big = 0; big < 2; ++big) {
            size_t n = big ? BIG_N_F64 : 4;
            assert_status(nnm_act_apply_f64(a, n, in.d, out.d), NNM_EINVAL);
            assert_status(nnm_grad_act_f64(a, n, in.d, out.d), NNM_EINVAL);
            assert_status(nnm_grad_act_vjp_f64(a, n, in.d, dy.d, out.d), NNM_EINVAL);
            assert_status(nnm_grad_act_vjp_from_y_f64(a, n, in.d, dy.d, out.d), NNM_EINVAL);
            assert_status(nnm_hess_act_f64(a, n, in.d, out.d), NNM_EINVAL);
            assert_status(nnm_act_apply_f32(a, n, inf_, outf), NNM_EINVAL);
            assert_status(nnm_grad_act_f32(a, n, inf_, outf), NNM_EINVAL);
            assert_status(nnm_grad_act_vjp_f32(a, n, inf_, dyf, outf), NNM_EINVAL);
            assert_status(nnm_grad_act_vjp_from_y_f32(a, n, inf_, dyf, outf), NNM_EINVAL);
            assert_status(nnm_hess_act_f32(a, n, inf_, outf), NNM_EINVAL);
        }
    }
    assert_guard_intact(&out);

    for (int kind = 0; kind <= NNM_ACT_MISH; ++kind) {
        nnm_act a = nnm_act_default((nnm_act_kind)kind);
        /* n = 0 with NULL: OK for every entry point */
        assert_status(nnm_act_apply_f64(a, 0, NULL, NULL), NNM_OK);
        assert_status(nnm_grad_act_f64(a, 0, NULL, NULL), NNM_OK);
        assert_status(nnm_grad_act_vjp_f64(a, 0, NULL, NULL, NULL), NNM_OK);
        assert_status(nnm_hess_act_f32(a, 0, NULL, NULL), NNM_OK);
        /* NULL with n > 0 */
        assert_status(nnm_act_apply_f64(a, 2, NULL, out.d), NNM_EINVAL);
        assert_status(nnm_grad_act_f64(a, 2, in.d, NULL), NNM_EINVAL);
        assert_status(nnm_grad_act_vjp_f64(a, 2, in.d, NULL, out.d), NNM_EINVAL);
        assert_status(nnm_grad_act_vjp_f64(a, 2, NULL, dy.d, out.d), NNM_EINVAL);
        assert_status(nnm_grad_act_vjp_f32(a, 2, inf_, dyf, NULL), NNM_EINVAL);
        assert_status(nnm_hess_act_f64(a, 2, NULL, out.d), NNM_EINVAL);
        /* beyond PTRDIFF_MAX bytes */
        assert_status(nnm_act_apply_f64(a, BIG_N_F64, in.d, out.d), NNM_ESIZE);
        assert_status(nnm_grad_act_f64(a, BIG_N_F64, in.d, out.d), NNM_ESIZE);
        assert_status(nnm_grad_act_vjp_f64(a, SIZE_MAX, in.d, dy.d, out.d), NNM_ESIZE);
        assert_status(nnm_hess_act_f64(a, BIG_N_F64, in.d, out.d), NNM_ESIZE);
        assert_status(nnm_act_apply_f32(a, BIG_N_F32, inf_, outf), NNM_ESIZE);
        assert_status(nnm_grad_act_f32(a, BIG_N_F32, inf_, outf), NNM_ESIZE);
        assert_status(nnm_hess_act_f32(a, SIZE_MAX, inf_, outf), NNM_ESIZE);
        assert_guard_intact(&out);

        /* partial overlaps: dx one element into x or dy */
        double buf[9], other[8] = {0};
        nnm_canary_fill(buf, sizeof buf);
        assert_status(nnm_grad_act_f64(a, 8, buf, buf + 1), NNM_EINVAL);
        assert_status(nnm_hess_act_f64(a, 8, buf, buf + 1), NNM_EINVAL);
        assert_status(nnm_act_apply_f64(a, 8, buf + 1, buf), NNM_EINVAL);
        assert_status(nnm_grad_act_vjp_f64(a, 8, buf, other, buf + 1), NNM_EINVAL);
        assert_status(nnm_grad_act_vjp_f64(a, 8, other, buf, buf + 1), NNM_EINVAL);
        nnm_assert_untouched(buf, sizeof buf);

        /* in place: dydx == x, dx == dy and dx == x give the out-of-place bits */
        double g1[16], g2[16], v1[16], v2[16], dyv[16];
        for (int i = 0; i < 16; ++i) dyv[i] = 0.25 * (i + 1);
        memcpy(g2, xs, sizeof g2);
        ck_assert_int_eq(nnm_grad_act_f64(a, 16, xs, g1), NNM_OK);
        ck_assert_int_eq(nnm_grad_act_f64(a, 16, g2, g2), NNM_OK);
        ck_assert_msg(memcmp(g1, g2, sizeof g1) == 0, "kind %d: f' in place", kind);
        memcpy(g2, xs, sizeof g2);
        ck_assert_int_eq(nnm_hess_act_f64(a, 16, xs, g1), NNM_OK);
        ck_assert_int_eq(nnm_hess_act_f64(a, 16, g2, g2), NNM_OK);
        ck_assert_msg(memcmp(g1, g2, sizeof g1) == 0, "kind %d: f'' in place", kind);
        memcpy(v2, dyv, sizeof v2);
        ck_assert_int_eq(nnm_grad_act_vjp_f64(a, 16, xs, dyv, v1), NNM_OK);
        ck_assert_int_eq(nnm_grad_act_vjp_f64(a, 16, xs, v2, v2), NNM_OK);
        ck_assert_msg(memcmp(v1, v2, sizeof v1) == 0, "kind %d: VJP dx == dy", kind);
        memcpy(v2, xs, sizeof v2);
        ck_assert_int_eq(nnm_grad_act_vjp_f64(a, 16, v2, dyv, v2), NNM_OK);
        ck_assert_msg(memcmp(v1, v2, sizeof v1) == 0, "kind %d: VJP dx == x", kind);
    }
}
END_TEST

/* VJP from y: kinds that cannot be inverted are EINVAL, a y outside the range of f is EDOM (the
 * whole array is checked before anything is written), NaN y is data, not an error. */
START_TEST(vjp_from_y_domain)
{
    static const struct {
        nnm_act act;
        double bad_y;
    } domain[] = {
        {{NNM_ACT_SIGMOID, 0.0}, 1.5},       {{NNM_ACT_SIGMOID, 0.0}, -1e-300},
        {{NNM_ACT_TANH, 0.0}, -2.0},         {{NNM_ACT_STEP, 0.0}, 0.5},
        {{NNM_ACT_RELU, 0.0}, -1.0},         {{NNM_ACT_SOFTPLUS, 0.0}, -1e-300},
        {{NNM_ACT_LOG_SIGMOID, 0.0}, 0.1},   {{NNM_ACT_ELU, 1.0}, -1.5},
        {{NNM_ACT_SELU, 0.0}, -1.9},         {{NNM_ACT_SIGMOID, 0.0}, INFINITY},
        {{NNM_ACT_TANH, 0.0}, -INFINITY},
    };
    guard out;
    double dy[4] = {1, 1, 1, 1};
    for (size_t c = 0; c < sizeof domain / sizeof domain[0]; ++c) {
        double y[4] = {0.0, 0.0, 0.0, 0.0};
        y[3] = domain[c].bad_y; /* the bad value is the last one: all must be checked first */
        guard_fill(&out);
        ck_assert_msg(nnm_grad_act_vjp_from_y_f64(domain[c].act, 4, y, dy, out.d) == NNM_EDOM,
                      "kind %d y %g", (int)domain[c].act.kind, domain[c].bad_y);
        float yf[4], dyf[4] = {1, 1, 1, 1};
        for (int i = 0; i < 4; ++i) yf[i] = (float)y[i];
        if (isfinite(domain[c].bad_y) && fabs(domain[c].bad_y) < 1e-30) continue; /* 0 in float */
        ck_assert_msg(nnm_grad_act_vjp_from_y_f32(domain[c].act, 4, yf, dyf, out.f) ==
                          NNM_EDOM,
                      "f32 kind %d y %g", (int)domain[c].act.kind, domain[c].bad_y);
        assert_guard_intact(&out);
    }
    /* not invertible: EINVAL (even for n = 0) */
    static const nnm_act no_inverse[] = {{NNM_ACT_SILU, 0.0},       {NNM_ACT_GELU, 0.0},
                                         {NNM_ACT_GELU_TANH, 0.0},  {NNM_ACT_MISH, 0.0},
                                         {NNM_ACT_LEAKY_RELU, 0.0}, {NNM_ACT_LEAKY_RELU, -0.5}};
    double y[4] = {0.1, 0.2, 0.3, 0.4};
    guard_fill(&out);
    for (size_t c = 0; c < sizeof no_inverse / sizeof no_inverse[0]; ++c) {
        assert_status(nnm_grad_act_vjp_from_y_f64(no_inverse[c], 4, y, dy, out.d), NNM_EINVAL);
        assert_status(nnm_grad_act_vjp_from_y_f64(no_inverse[c], 0, NULL, NULL, NULL), NNM_EINVAL);
    }
    assert_guard_intact(&out);
    /* NaN y is not a domain error; the forward output of sigmoid at its extremes is accepted */
    double yn[3] = {NAN, 1.0, 0.0}, dx[3];
    assert_status(nnm_grad_act_vjp_from_y_f64((nnm_act){NNM_ACT_SIGMOID, 0.0}, 3, yn, dy, dx), NNM_OK);
    ck_assert(isnan(dx[0]));
    /* the elu forward's lowest output, -alpha rounded, is inside the domain */
    double xlow = -800.0, ylow;
    ck_assert_int_eq(nnm_act_elu_f64(1, 1.5, &xlow, &ylow), NNM_OK);
    assert_status(nnm_grad_act_vjp_from_y_f64((nnm_act){NNM_ACT_ELU, 1.5}, 1, &ylow, dy, dx), NNM_OK);
}
END_TEST

/* ---- the softmax family -------------------------------------------------------------------- */
typedef nnm_status (*row64)(size_t, size_t, double, const double *, double *);
typedef nnm_status (*row32)(size_t, size_t, double, const float *, float *);

static const struct {
    const char *name;
    row64 f64;
    row32 f32;
    int per_row; /* 1: one output per row (logsumexp) */
} rows[] = {
    {"softmax", nnm_act_softmax_f64, nnm_act_softmax_f32, 0},
    {"log_softmax", nnm_act_log_softmax_f64, nnm_act_log_softmax_f32, 0},
    {"logsumexp", nnm_act_logsumexp_f64, nnm_act_logsumexp_f32, 1},
};

START_TEST(softmax_family_statuses)
{
    const char *name = rows[_i].name;
    row64 f = rows[_i].f64;
    row32 g = rows[_i].f32;
    guard out, in;
    memset(&in, 0, sizeof in);
    float *outf = out.f;
    const float *inf_ = in.f;
    guard_fill(&out);
    static const double bad_beta[] = {0.0, -0.0, -1.0, NAN, INFINITY, -INFINITY};
    for (size_t b = 0; b < sizeof bad_beta / sizeof bad_beta[0]; ++b) {
        ck_assert_msg(f(2, 3, bad_beta[b], in.d, out.d) == NNM_EINVAL, "%s beta %g", name, bad_beta[b]);
        ck_assert_msg(g(2, 3, bad_beta[b], inf_, outf) == NNM_EINVAL, "%s f32 beta", name);
        /* EINVAL before ESIZE */
        ck_assert_msg(f(2, 0, bad_beta[b], in.d, out.d) == NNM_EINVAL, "%s beta before k", name);
    }
    ck_assert_msg(f(2, 3, 1.0, NULL, out.d) == NNM_EINVAL, "%s NULL a", name);
    ck_assert_msg(f(2, 3, 1.0, in.d, NULL) == NNM_EINVAL, "%s NULL y", name);
    ck_assert_msg(f(2, 0, 1.0, NULL, out.d) == NNM_EINVAL, "%s NULL before k = 0", name);
    ck_assert_msg(f(2, 0, 1.0, in.d, out.d) == NNM_ESIZE, "%s k = 0", name);
    ck_assert_msg(f(0, 0, 1.0, NULL, NULL) == NNM_ESIZE, "%s k = 0, n = 0", name);
    ck_assert_msg(f(HALF_SIZE_MAX, 2, 1.0, in.d, out.d) == NNM_ESIZE, "%s n*k wraps", name);
    ck_assert_msg(f(2, BIG_N_F64 / 2 + 1, 1.0, in.d, out.d) == NNM_ESIZE, "%s n*k bytes", name);
    ck_assert_msg(g(2, BIG_N_F32 / 2 + 1, 1.0, inf_, outf) == NNM_ESIZE, "%s f32 n*k bytes", name);
    ck_assert_msg(f(1, SIZE_MAX, 1.0, in.d, out.d) == NNM_ESIZE, "%s k = SIZE_MAX", name);
    assert_guard_intact(&out);
    /* n = 0 with NULL is an empty batch */
    ck_assert_msg(f(0, 3, 1.0, NULL, NULL) == NNM_OK, "%s n = 0", name);
    ck_assert_msg(f(0, 3, 1.0, in.d, out.d) == NNM_OK, "%s n = 0", name);
    assert_guard_intact(&out);
    /* partial overlap of the output with a */
    double buf[13];
    nnm_canary_fill(buf, sizeof buf);
    ck_assert_msg(f(3, 4, 1.0, buf, buf + 1) == NNM_EINVAL, "%s overlap", name);
    nnm_assert_untouched(buf, sizeof buf);
    /* in place (y == a) for the row-shaped outputs */
    if (!rows[_i].per_row) {
        double a[12], y[12];
        for (int i = 0; i < 12; ++i) a[i] = sin(i) * 30.0;
        a[5] = -INFINITY;
        ck_assert_int_eq(f(3, 4, 2.0, a, y), NNM_OK);
        ck_assert_int_eq(f(3, 4, 2.0, a, a), NNM_OK);
        ck_assert_msg(memcmp(a, y, sizeof y) == 0, "%s in place", name);
    }
}
END_TEST

START_TEST(affine_statuses)
{
    guard out, in;
    memset(&in, 0, sizeof in);
    guard_fill(&out);
    const double *h = in.d, *W = in.d + 16, *b = in.d + 32;
    assert_status(nnm_act_affine_f64(2, 3, 4, NULL, W, b, out.d), NNM_EINVAL);
    assert_status(nnm_act_affine_f64(2, 3, 4, h, NULL, b, out.d), NNM_EINVAL);
    assert_status(nnm_act_affine_f64(2, 3, 4, h, W, b, NULL), NNM_EINVAL);
    assert_status(nnm_act_affine_f64(2, 0, 4, h, W, b, out.d), NNM_ESIZE);
    assert_status(nnm_act_affine_f64(2, 3, 0, h, W, b, out.d), NNM_ESIZE);
    assert_status(nnm_act_affine_f64(0, 0, 4, NULL, NULL, NULL, NULL), NNM_ESIZE);
    assert_status(nnm_act_affine_f64(HALF_SIZE_MAX, 2, 1, h, W, b, out.d), NNM_ESIZE);
    assert_status(nnm_act_affine_f64(1, 2, HALF_SIZE_MAX, h, W, b, out.d), NNM_ESIZE);
    assert_status(nnm_act_affine_f64(1, BIG_N_F64, 1, h, W, b, out.d), NNM_ESIZE);
    assert_status(nnm_act_affine_f32(1, 1, BIG_N_F32, in.f, in.f + 16, in.f + 32, out.f), NNM_ESIZE);
    assert_guard_intact(&out);
    /* b may be NULL; n = 0 writes nothing */
    assert_status(nnm_act_affine_f64(0, 3, 4, NULL, W, b, NULL), NNM_OK);
    assert_status(nnm_act_affine_f64(0, 3, 4, h, W, b, out.d), NNM_OK);
    assert_guard_intact(&out);
    assert_status(nnm_act_affine_f64(2, 3, 4, h, W, NULL, out.d), NNM_OK);
    /* the output must not overlap an input */
    double buf[40];
    memset(buf, 0, sizeof buf);
    assert_status(nnm_act_affine_f64(2, 3, 4, buf, buf + 8, buf + 20, buf + 4), NNM_EINVAL);
    assert_status(nnm_act_affine_f64(2, 3, 4, buf, buf + 8, buf + 20, buf + 10), NNM_EINVAL);
    assert_status(nnm_act_affine_f64(2, 3, 4, buf, buf + 8, buf + 20, buf + 22), NNM_EINVAL);
}
END_TEST

static Suite *errors_activation_suite(void)
{
    Suite *s = suite_create("errors_activation");
    TCase *tc = tcase_create("matrix");
    tcase_add_loop_test(tc, elementwise_every_status_and_no_write, 0, N_ELEMENTWISE);
    tcase_add_test(tc, alpha_is_checked_before_sizes);
    tcase_add_test(tc, descriptor_statuses_for_every_entry_point);
    tcase_add_test(tc, vjp_from_y_domain);
    tcase_add_loop_test(tc, softmax_family_statuses, 0, 3);
    tcase_add_test(tc, affine_statuses);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return nnm_run_suite(errors_activation_suite());
}
