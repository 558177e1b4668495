/* Gradient module (except activation derivatives and loss gradients): softmax Jacobian and VJPs,
 * affine backward, finite differences, gradient check, gradient steps and gradient descent.
 *
 * References are independent of the code under test: literal values from mpmath at 300 bits
 * (the script is quoted where they are used), MPFR evaluations of the documented formulas at 256
 * bits, and central differences of the forward functions. Tolerances are the documented bounds in
 * multiples of eps (or, for finite differences, their documented error model). */
#include <float.h>
#include <math.h>
#include <mpfr.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <nnmath/nnmath.h>

#include "core/softmax_row.h"
#include "nnm_check.h"

/* Huge requests must come back as NNM_ENOMEM instead of aborting a sanitized run. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NNM_TEST_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define NNM_TEST_ASAN 1
#endif
#ifdef NNM_TEST_ASAN
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}
#endif

#define EPS DBL_EPSILON

/* ---- references ------------------------------------------------------------------------------ */

/* softmax(beta a) of one row by the core row statistics (the forward softmax's own pieces), for
 * finite rows: y_j = e^{beta (a_j - m)} / (1 + s). */
static void ref_softmax(size_t k, double beta, const double *a, double *y)
{
    nnm__row_stats st = nnm__row_stats_f64(k, beta, a);
    for (size_t j = 0; j < k; ++j)
        y[j] = (j == st.argmax ? 1.0 : nnm__exp_scaled_diff(beta, a[j], st.max)) / (1.0 + st.s);
}

/* log_softmax(beta a)_j = beta (a_j - m) - log1p(s). */
static void ref_log_softmax(size_t k, double beta, const double *a, double *lp)
{
    nnm__row_stats st = nnm__row_stats_f64(k, beta, a);
    for (size_t j = 0; j < k; ++j) lp[j] = beta * (a[j] - st.max) - log1p(st.s);
}

static size_t argmax(size_t k, const double *v)
{
    size_t b = 0;
    for (size_t j = 1; j < k; ++j)
        if (v[j] > v[b]) b = j;
    return b;
}

/* The documented softmax VJP evaluated in MPFR: beta y_j (dy_j - sum y dy), and for the entry
 * y_t > 1/2 beta y_t sum_{k != t} y_k (dy_t - dy_k). */
static double mpfr_softmax_vjp(size_t k, double beta, const double *y, const double *dy, size_t j)
{
    mpfr_t s, p, q;
    mpfr_inits2(256, s, p, q, (mpfr_ptr)0);
    size_t t = argmax(k, y);
    mpfr_set_zero(s, 1);
    if (j == t && y[t] > 0.5) {
        for (size_t i = 0; i < k; ++i) {
            if (i == t) continue;
            mpfr_set_d(p, dy[t], MPFR_RNDN);
            mpfr_sub_d(p, p, dy[i], MPFR_RNDN);
            mpfr_mul_d(p, p, y[i], MPFR_RNDN);
            mpfr_add(s, s, p, MPFR_RNDN);
        }
    } else {
        for (size_t i = 0; i < k; ++i) {
            mpfr_set_d(p, y[i], MPFR_RNDN);
            mpfr_mul_d(p, p, dy[i], MPFR_RNDN);
            mpfr_add(s, s, p, MPFR_RNDN);
        }
        mpfr_set_d(q, dy[j], MPFR_RNDN);
        mpfr_sub(s, q, s, MPFR_RNDN);
    }
    mpfr_mul_d(s, s, y[j], MPFR_RNDN);
    mpfr_mul_d(s, s, beta, MPFR_RNDN);
    double r = mpfr_get_d(s, MPFR_RNDN);
    mpfr_clears(s, p, q, (mpfr_ptr)0);
    return r;
}

/* The scale of the documented VJP error bound: beta y_j (|dy_j| + sum_k y_k |dy_k|), and for the
 * dominant entry beta y_t sum_{k != t} y_k (|dy_t| + |dy_k|). */
static double softmax_vjp_scale(size_t k, double beta, const double *y, const double *dy, size_t j)
{
    size_t t = argmax(k, y);
    long double s = 0;
    if (j == t && y[t] > 0.5) {
        for (size_t i = 0; i < k; ++i)
            if (i != t)
                s += (long double)y[i] * (fabsl((long double)dy[t]) + fabsl((long double)dy[i]));
    } else {
        for (size_t i = 0; i < k; ++i) s += (long double)y[i] * fabsl((long double)dy[i]);
        s += fabsl((long double)dy[j]);
    }
    return (double)((long double)beta * y[j] * s);
}

/* The documented log-softmax VJP in MPFR (p = e^logp from the given logp). 2400 bits: p can be
 * 1 - 1e-320, and g - p S must still see the 1e-320. */
static double mpfr_log_softmax_vjp(size_t k, double beta, const double *lp, const double *g,
                                   size_t j)
{
    mpfr_t s, p, q;
    mpfr_inits2(2400, s, p, q, (mpfr_ptr)0);
    mpfr_set_zero(s, 1);
    for (size_t i = 0; i < k; ++i) mpfr_add_d(s, s, g[i], MPFR_RNDN);
    mpfr_set_d(p, lp[j], MPFR_RNDN);
    mpfr_exp(p, p, MPFR_RNDN);
    mpfr_mul(s, s, p, MPFR_RNDN);
    mpfr_set_d(q, g[j], MPFR_RNDN);
    mpfr_sub(s, q, s, MPFR_RNDN);
    mpfr_mul_d(s, s, beta, MPFR_RNDN);
    double r = mpfr_get_d(s, MPFR_RNDN);
    mpfr_clears(s, p, q, (mpfr_ptr)0);
    return r;
}

/* The scale of its documented bound: beta (|g_j| + p_j sum |g_k|), the dominant entry
 * beta ((1 - p_t)|g_t| + p_t sum_{k != t} |g_k|). */
static double log_softmax_vjp_scale(size_t k, double beta, const double *lp, const double *g,
                                    size_t j)
{
    size_t t = argmax(k, lp);
    double sa = 0, sr = 0;
    for (size_t i = 0; i < k; ++i) {
        sa += fabs(g[i]);
        if (i != t) sr += fabs(g[i]);
    }
    if (j == t) return beta * (-expm1(lp[t]) * fabs(g[t]) + exp(lp[t]) * sr);
    return beta * (fabs(g[j]) + exp(lp[j]) * sa);
}

/* |got - want| <= tol_eps * eps * scale (+ 16 subnormal units for results that underflow, where
 * a relative bound cannot hold), the absolute form of a componentwise bound. */
#define assert_within_scale(got, want, scale, tol_eps)                                           \
    do {                                                                                         \
        double g__ = (got), w__ = (want), sc__ = (scale);                                       \
        ck_assert_msg(fabs(g__ - w__) <= (tol_eps) * EPS * sc__ + 16 * DBL_TRUE_MIN,            \
                      "%s = %.17g, want %.17g: error %.3g eps of scale %.3g > %g", #got, g__,    \
                      w__, fabs(g__ - w__) / (EPS * sc__), sc__, (double)(tol_eps));            \
    } while (0)

/* ---- softmax Jacobian ------------------------------------------------------------------------ */

/* The notes' exercise: dy_k/da_j = y_k (delta_jk - y_j) for y = softmax(1, 2, 3). Literals from
 * mpmath at 300 bits (y = exp(a - max) / sum, J = beta y_k (delta - y_j), printed with repr). The
 * input y is rounded to double (1/2 eps each); the documented bound is 2 eps: 3 eps in all. */
START_TEST(jacobian_of_the_notes_exercise_softmax_1_2_3)
{
    const double y[3] = {0.090030573170380457998, 0.24472847105479765247,
                         0.66524095577482188953};
    const double want[9] = {0.08192506906499322,   -0.022033044520174298, -0.059892024544818935,
                            -0.022033044520174298, 0.1848364465099787,    -0.16280340198980442,
                            -0.059892024544818935, -0.16280340198980442,  0.22269542653462335};
    double J[9];
    ck_assert_int_eq(nnm_grad_softmax_jacobian_f64(3, 1.0, y, J), NNM_OK);
    for (int i = 0; i < 9; ++i) nnm_assert_rel_f64(J[i], want[i], 3);

    /* the same from the library's own pieces: y from softmax(1,2,3) via the core row */
    const double a[3] = {1, 2, 3};
    double y2[3];
    ref_softmax(3, 1.0, a, y2);
    ck_assert_int_eq(nnm_grad_softmax_jacobian_f64(3, 1.0, y2, J), NNM_OK);
    for (int i = 0; i < 9; ++i) nnm_assert_rel_f64(J[i], want[i], 8);

    float yf[3] = {(float)y[0], (float)y[1], (float)y[2]}, Jf[9];
    ck_assert_int_eq(nnm_grad_softmax_jacobian_f32(3, 1.0, yf, Jf), NNM_OK);
    for (int i = 0; i < 9; ++i) nnm_assert_rel_f32(Jf[i], want[i], 3);
}
END_TEST

/* The notes' remedy "multiply by 100": y = softmax(100 (1, 2, 3)) = (e^-200, e^-100, 1)/(...).
 * y_3 rounds to 1, so y_3 (1 - y_3) would be 0; the Jacobian keeps 100 y_3 (y_1 + y_2) = 3.7e-42.
 * Literals: the same mpmath script with beta = 100. */
START_TEST(jacobian_keeps_the_diagonal_of_a_saturated_entry)
{
    const double y[3] = {1.3838965267367375306e-87, 3.720075976020835963e-44, 1.0};
    const double want[9] = {1.3838965267367375e-85,  -5.1482002224120135e-129,
                            -1.3838965267367375e-85, -5.1482002224120135e-129,
                            3.720075976020836e-42,   -3.720075976020836e-42,
                            -1.3838965267367375e-85, -3.720075976020836e-42,
                            3.720075976020836e-42};
    double J[9];
    ck_assert_int_eq(nnm_grad_softmax_jacobian_f64(3, 100.0, y, J), NNM_OK);
    for (int i = 0; i < 9; ++i) nnm_assert_rel_f64(J[i], want[i], 3);
    /* rows and columns still sum to 0 */
    for (int r = 0; r < 3; ++r) {
        ck_assert(fabs(J[3 * r] + J[3 * r + 1] + J[3 * r + 2]) <= 2 * EPS * fabs(J[3 * r + r]));
    }
}
END_TEST

START_TEST(jacobian_is_symmetric_and_masks_zero_entries)
{
    uint64_t seed = 11;
    for (int trial = 0; trial < 200; ++trial) {
        size_t k = 1 + (size_t)(nnm_rand_u64(&seed) % 12);
        double a[12], y[12], J[144];
        double beta = nnm_rand_uniform(&seed, 0.1, 5.0);
        for (size_t j = 0; j < k; ++j) a[j] = nnm_rand_uniform(&seed, -20, 20);
        if (k > 2) a[1] = -INFINITY; /* a masked class: y_1 = 0 */
        ref_softmax(k, beta, a, y);
        ck_assert_int_eq(nnm_grad_softmax_jacobian_f64(k, beta, y, J), NNM_OK);
        for (size_t r = 0; r < k; ++r) {
            long double row = 0;
            for (size_t c = 0; c < k; ++c) {
                ck_assert(J[r * k + c] == J[c * k + r]);
                row += J[r * k + c];
            }
            /* each entry has <= 2 eps of relative error, and the exact row sums to 0 up to the
             * rounding of y: |sum| <= 4 eps sum_c |J_rc| */
            long double mag = 0;
            for (size_t c = 0; c < k; ++c) mag += fabs(J[r * k + c]);
            ck_assert((double)fabsl(row) <= 4 * EPS * (double)mag);
            if (k > 2) ck_assert(J[1 * k + r] == 0.0 && J[r * k + 1] == 0.0);
        }
        /* off-diagonal entries are exactly -beta y_r y_c rounded twice */
        for (size_t r = 0; r < k; ++r)
            for (size_t c = 0; c < k; ++c)
                if (r != c) nnm_assert_rel_f64(J[r * k + c], -beta * y[r] * y[c], 2);
    }
    /* an all -inf row has y = 0: J = 0, not NaN */
    double y0[4] = {0, 0, 0, 0}, J0[16];
    ck_assert_int_eq(nnm_grad_softmax_jacobian_f64(4, 1.0, y0, J0), NNM_OK);
    for (int i = 0; i < 16; ++i) ck_assert(J0[i] == 0.0);
    /* k = 1: y = 1, J = 0 */
    double one = 1.0, J1 = 7;
    ck_assert_int_eq(nnm_grad_softmax_jacobian_f64(1, 2.0, &one, &J1), NNM_OK);
    ck_assert(J1 == 0.0);
    /* NaN propagates */
    double yn[2] = {NAN, 0.5}, Jn[4];
    ck_assert_int_eq(nnm_grad_softmax_jacobian_f64(2, 1.0, yn, Jn), NNM_OK);
    ck_assert(isnan(Jn[0]) && isnan(Jn[1]) && isnan(Jn[2]));
}
END_TEST

/* J is the derivative of softmax: central differences of the forward row, column by column. */
static void softmax_as_vec_fn(size_t d, const double *a, size_t m, double *y, void *ctx)
{
    (void)m;
    ref_softmax(d, *(const double *)ctx, a, y);
}

START_TEST(jacobian_matches_central_differences_of_softmax)
{
    uint64_t seed = 12;
    for (int trial = 0; trial < 50; ++trial) {
        size_t k = 2 + (size_t)(nnm_rand_u64(&seed) % 7);
        double a[8], y[8], J[64], Jn[64];
        double beta = nnm_rand_uniform(&seed, 0.2, 3.0);
        for (size_t j = 0; j < k; ++j) a[j] = nnm_rand_uniform(&seed, -4, 4);
        ref_softmax(k, beta, a, y);
        ck_assert_int_eq(nnm_grad_softmax_jacobian_f64(k, beta, y, J), NNM_OK);
        nnm_grad_fd_opts o = {NNM_GRAD_FD_RICHARDSON, 0.0};
        ck_assert_int_eq(nnm_grad_jacobian_numeric_ex(softmax_as_vec_fn, &beta, k, k, a, &o, Jn),
                         NNM_OK);
        /* Richardson's error ~ eps^(4/5) (|f^(5)| h^4 + |f|/h terms, both O(beta^5) at most
         * here): 1e3 eps^(4/5) of the unit scale of y is ~3e-10, far below any wrong formula */
        for (size_t i = 0; i < k * k; ++i)
            ck_assert_msg(fabs(J[i] - Jn[i]) <= 1e3 * pow(EPS, 0.8) * beta * beta * beta,
                          "J[%zu] = %.17g, differences %.17g", i, J[i], Jn[i]);
    }
}
END_TEST

START_TEST(jacobian_f32_is_the_rounded_double_computation)
{
    uint64_t seed = 13;
    for (int trial = 0; trial < 200; ++trial) {
        size_t k = 1 + (size_t)(nnm_rand_u64(&seed) % 9);
        double a[9], y[9], J[81];
        float yf[9], Jf[81];
        double beta = nnm_rand_uniform(&seed, 0.5, 4.0);
        for (size_t j = 0; j < k; ++j) a[j] = nnm_rand_uniform(&seed, -10, 10);
        ref_softmax(k, beta, a, y);
        for (size_t j = 0; j < k; ++j) y[j] = yf[j] = (float)y[j];
        ck_assert_int_eq(nnm_grad_softmax_jacobian_f32(k, beta, yf, Jf), NNM_OK);
        ck_assert_int_eq(nnm_grad_softmax_jacobian_f64(k, beta, y, J), NNM_OK);
        for (size_t i = 0; i < k * k; ++i) nnm_assert_ulp_f32(Jf[i], (float)J[i], 1);
    }
}
END_TEST

START_TEST(jacobian_rejects_bad_input_and_writes_nothing)
{
    double y[3] = {0.2, 0.3, 0.5}, J[9];
    float yf[3] = {0.2f, 0.3f, 0.5f}, Jf[9];
    const double bad_beta[] = {0.0, -1.0, NAN, INFINITY, -INFINITY};
    for (size_t i = 0; i < sizeof bad_beta / sizeof bad_beta[0]; ++i) {
        nnm_canary_fill(J, sizeof J);
        ck_assert_int_eq(nnm_grad_softmax_jacobian_f64(3, bad_beta[i], y, J), NNM_EINVAL);
        nnm_assert_untouched(J, sizeof J);
        nnm_canary_fill(Jf, sizeof Jf);
        ck_assert_int_eq(nnm_grad_softmax_jacobian_f32(3, bad_beta[i], yf, Jf), NNM_EINVAL);
        nnm_assert_untouched(Jf, sizeof Jf);
    }
    nnm_canary_fill(J, sizeof J);
    ck_assert_int_eq(nnm_grad_softmax_jacobian_f64(3, 1.0, NULL, J), NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_softmax_jacobian_f64(3, 1.0, y, NULL), NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_softmax_jacobian_f64(0, 1.0, y, J), NNM_ESIZE);
    ck_assert_int_eq(nnm_grad_softmax_jacobian_f64(0, NAN, y, J), NNM_EINVAL); /* precedence */
    ck_assert_int_eq(nnm_grad_softmax_jacobian_f64((size_t)1 << 32, 1.0, y, J), NNM_ESIZE);
    ck_assert_int_eq(nnm_grad_softmax_jacobian_f32(SIZE_MAX, 1.0, yf, Jf), NNM_ESIZE);
    nnm_assert_untouched(J, sizeof J);
    /* J overlapping y */
    double buf[12] = {0.2, 0.3, 0.5};
    ck_assert_int_eq(nnm_grad_softmax_jacobian_f64(3, 1.0, buf, buf + 1), NNM_EINVAL);
    ck_assert(buf[1] == 0.3 && buf[3] == 0.0);
}
END_TEST

/* ---- softmax VJP ----------------------------------------------------------------------------- */

/* Random rows with a spread of shapes: flat, peaked and saturated (a dominant y near or at 1). */
static void random_row(uint64_t *seed, size_t k, double *a)
{
    double spread = (double[]){1.0, 10.0, 60.0, 800.0}[nnm_rand_u64(seed) % 4];
    for (size_t j = 0; j < k; ++j) a[j] = nnm_rand_uniform(seed, -spread, spread);
}

START_TEST(softmax_vjp_meets_its_bound_against_mpfr)
{
    uint64_t seed = 21;
    double worst = 0;
    for (int trial = 0; trial < 400; ++trial) {
        size_t n = 1 + (size_t)(nnm_rand_u64(&seed) % 3);
        size_t k = 1 + (size_t)(nnm_rand_u64(&seed) % 10);
        double a[30], y[30], dy[30], da[30];
        double beta = nnm_rand_uniform(&seed, 0.3, 3.0);
        for (size_t r = 0; r < n; ++r) {
            random_row(&seed, k, a + r * k);
            ref_softmax(k, beta, a + r * k, y + r * k);
        }
        for (size_t i = 0; i < n * k; ++i) dy[i] = nnm_rand_uniform(&seed, -2, 2);
        if (trial % 5 == 0) dy[0] = dy[k - 1]; /* near-cancelling brackets */
        ck_assert_int_eq(nnm_grad_softmax_vjp_f64(n, k, beta, y, dy, da), NNM_OK);
        for (size_t r = 0; r < n; ++r)
            for (size_t j = 0; j < k; ++j) {
                const double *yr = y + r * k, *dyr = dy + r * k;
                double want = mpfr_softmax_vjp(k, beta, yr, dyr, j);
                double sc = softmax_vjp_scale(k, beta, yr, dyr, j);
                assert_within_scale(da[r * k + j], want, sc, 3);
                if (sc > 0x1p-960) /* away from underflow: the relative bound alone */
                    worst = fmax(worst, fabs(da[r * k + j] - want) / (EPS * sc));
            }
    }
    ck_assert_msg(worst <= 3, "worst %g eps of the scale", worst);
}
END_TEST

/* The VJP is J^T dy = J dy with the Jacobian of the same y. */
START_TEST(softmax_vjp_equals_jacobian_times_vector)
{
    uint64_t seed = 22;
    for (int trial = 0; trial < 300; ++trial) {
        size_t k = 1 + (size_t)(nnm_rand_u64(&seed) % 10);
        double a[10], y[10], v[10], da[10], J[100];
        double beta = nnm_rand_uniform(&seed, 0.3, 3.0);
        random_row(&seed, k, a);
        ref_softmax(k, beta, a, y);
        for (size_t j = 0; j < k; ++j) v[j] = nnm_rand_uniform(&seed, -3, 3);
        ck_assert_int_eq(nnm_grad_softmax_jacobian_f64(k, beta, y, J), NNM_OK);
        ck_assert_int_eq(nnm_grad_softmax_vjp_f64(1, k, beta, y, v, da), NNM_OK);
        for (size_t r = 0; r < k; ++r) {
            mpfr_t s;
            mpfr_init2(s, 256);
            mpfr_set_zero(s, 1);
            for (size_t c = 0; c < k; ++c) {
                mpfr_t p;
                mpfr_init2(p, 256);
                mpfr_set_d(p, J[r * k + c], MPFR_RNDN);
                mpfr_mul_d(p, p, v[c], MPFR_RNDN);
                mpfr_add(s, s, p, MPFR_RNDN);
                mpfr_clear(p);
            }
            double jv = mpfr_get_d(s, MPFR_RNDN);
            mpfr_clear(s);
            /* J's entries carry 2 eps and the VJP 3 eps of the same scale */
            assert_within_scale(da[r], jv, softmax_vjp_scale(k, beta, y, v, r), 5);
        }
    }
}
END_TEST

/* The VJP is the gradient of L(a) = sum_k dy_k softmax(beta a)_k: central differences. */
typedef struct vjp_ctx {
    size_t k;
    double beta;
    const double *w;
    int log_form;
} vjp_ctx;

static double weighted_softmax(size_t d, const double *a, void *ctx)
{
    const vjp_ctx *c = ctx;
    double y[16];
    if (c->log_form) ref_log_softmax(d, c->beta, a, y);
    else ref_softmax(d, c->beta, a, y);
    long double s = 0;
    for (size_t j = 0; j < d; ++j) s += (long double)c->w[j] * y[j];
    return (double)s;
}

START_TEST(softmax_and_log_softmax_vjps_are_derivatives_of_the_forward_rows)
{
    uint64_t seed = 23;
    for (int trial = 0; trial < 100; ++trial) {
        size_t k = 1 + (size_t)(nnm_rand_u64(&seed) % 8);
        double a[8], y[8], lp[8], w[8], da[8], gn[8];
        vjp_ctx c = {k, nnm_rand_uniform(&seed, 0.3, 2.0), w, trial % 2};
        for (size_t j = 0; j < k; ++j) {
            a[j] = nnm_rand_uniform(&seed, -3, 3);
            w[j] = nnm_rand_uniform(&seed, -2, 2);
        }
        if (c.log_form) {
            ref_log_softmax(k, c.beta, a, lp);
            ck_assert_int_eq(nnm_grad_log_softmax_vjp_f64(1, k, c.beta, lp, w, da), NNM_OK);
        } else {
            ref_softmax(k, c.beta, a, y);
            ck_assert_int_eq(nnm_grad_softmax_vjp_f64(1, k, c.beta, y, w, da), NNM_OK);
        }
        nnm_grad_fd_opts o = {NNM_GRAD_FD_RICHARDSON, 0.0};
        ck_assert_int_eq(nnm_grad_numeric_ex(weighted_softmax, &c, k, a, &o, gn), NNM_OK);
        double sw = 0;
        for (size_t j = 0; j < k; ++j) sw += fabs(w[j]);
        /* Richardson: ~eps^(4/5) times the scales: sum|w| (1 + beta^5), the 5th derivative of
         * a softmax row being O(beta^5); 1e3 of slack for the constants */
        double tol = 1e3 * pow(EPS, 0.8) * sw * (1.0 + pow(c.beta, 5));
        for (size_t j = 0; j < k; ++j)
            ck_assert_msg(fabs(da[j] - gn[j]) <= tol, "da[%zu] = %.17g, differences %.17g", j,
                          da[j], gn[j]);
    }
}
END_TEST

START_TEST(softmax_vjp_in_place_rows_and_f32)
{
    uint64_t seed = 24;
    for (int trial = 0; trial < 100; ++trial) {
        size_t n = 1 + (size_t)(nnm_rand_u64(&seed) % 4), k = 1 + (size_t)(nnm_rand_u64(&seed) % 6);
        double a[24], y[24], dy[24], da[24], inpl[24];
        float yf[24], dyf[24], daf[24];
        double beta = nnm_rand_uniform(&seed, 0.5, 2.0);
        for (size_t r = 0; r < n; ++r) {
            random_row(&seed, k, a + r * k);
            ref_softmax(k, beta, a + r * k, y + r * k);
        }
        for (size_t i = 0; i < n * k; ++i) {
            inpl[i] = dy[i] = nnm_rand_uniform(&seed, -1, 1);
            y[i] = yf[i] = (float)y[i];
            dy[i] = inpl[i] = dyf[i] = (float)dy[i];
        }
        ck_assert_int_eq(nnm_grad_softmax_vjp_f64(n, k, beta, y, dy, da), NNM_OK);
        ck_assert_int_eq(nnm_grad_softmax_vjp_f64(n, k, beta, y, inpl, inpl), NNM_OK);
        for (size_t i = 0; i < n * k; ++i) ck_assert(inpl[i] == da[i]);
        /* each row is independent of the others */
        for (size_t r = 0; r < n; ++r) {
            double one[6];
            ck_assert_int_eq(nnm_grad_softmax_vjp_f64(1, k, beta, y + r * k, dy + r * k, one),
                             NNM_OK);
            for (size_t j = 0; j < k; ++j) ck_assert(one[j] == da[r * k + j]);
        }
        /* f32: the double computation on the same data, rounded once */
        ck_assert_int_eq(nnm_grad_softmax_vjp_f32(n, k, beta, yf, dyf, daf), NNM_OK);
        for (size_t i = 0; i < n * k; ++i) nnm_assert_ulp_f32(daf[i], (float)da[i], 1);
        ck_assert_int_eq(nnm_grad_softmax_vjp_f32(n, k, beta, yf, dyf, dyf), NNM_OK);
        for (size_t i = 0; i < n * k; ++i) ck_assert(dyf[i] == daf[i]);
    }
}
END_TEST

/* ---- log-softmax VJP ------------------------------------------------------------------------- */

START_TEST(log_softmax_vjp_meets_its_bound_against_mpfr)
{
    uint64_t seed = 31;
    for (int trial = 0; trial < 400; ++trial) {
        size_t k = 1 + (size_t)(nnm_rand_u64(&seed) % 10);
        double a[10], lp[10], g[10], da[10];
        double beta = nnm_rand_uniform(&seed, 0.3, 3.0);
        random_row(&seed, k, a);
        ref_log_softmax(k, beta, a, lp);
        for (size_t j = 0; j < k; ++j) g[j] = nnm_rand_uniform(&seed, -2, 2);
        if (trial % 3 == 0) { /* the NLL gradient: -1 at one class */
            for (size_t j = 0; j < k; ++j) g[j] = 0;
            g[nnm_rand_u64(&seed) % k] = -1;
        }
        ck_assert_int_eq(nnm_grad_log_softmax_vjp_f64(1, k, beta, lp, g, da), NNM_OK);
        for (size_t j = 0; j < k; ++j)
            assert_within_scale(da[j], mpfr_log_softmax_vjp(k, beta, lp, g, j),
                                log_softmax_vjp_scale(k, beta, lp, g, j), 4);
    }
}
END_TEST

/* A confident correct prediction: logits (0, 50), label 1, so dlogp = (0, -1) and
 * da = softmax - onehot = (p_0, -p_0) with p_0 = e^-50 / (1 + e^-50) = 1.9287498479639178e-22
 * (mpmath, 300 bits). p_1 rounds to 1; the naive p_1 - 1 would be 0. */
START_TEST(log_softmax_vjp_keeps_the_gradient_of_a_confident_prediction)
{
    const double a[2] = {0.0, 50.0};
    const double p0 = 1.9287498479639178e-22;
    double lp[2], g[2] = {0.0, -1.0}, da[2];
    ref_log_softmax(2, 1.0, a, lp);
    ck_assert_int_eq(nnm_grad_log_softmax_vjp_f64(1, 2, 1.0, lp, g, da), NNM_OK);
    nnm_assert_rel_f64(da[0], p0, 4);
    nnm_assert_rel_f64(da[1], -p0, 4);
    float lpf[2] = {(float)lp[0], (float)lp[1]}, gf[2] = {0.0f, -1.0f}, daf[2];
    ck_assert_int_eq(nnm_grad_log_softmax_vjp_f32(1, 2, 1.0, lpf, gf, daf), NNM_OK);
    /* logp in float: lp[1] = -1.9e-22 is a normal float, so 1 - p_1 survives */
    nnm_assert_rel_f32(daf[1], -p0, 2);
    /* masked entries (logp = -inf) get beta dlogp; an all -inf row gives beta dlogp */
    double lm[3] = {-INFINITY, log(0.25), log(0.75)}, gm[3] = {2.0, 0.0, 0.0}, dm[3];
    ck_assert_int_eq(nnm_grad_log_softmax_vjp_f64(1, 3, 0.5, lm, gm, dm), NNM_OK);
    nnm_assert_ulp_f64(dm[0], 1.0, 0);
    nnm_assert_rel_f64(dm[1], -0.5 * 0.25 * 2.0, 4);
    nnm_assert_rel_f64(dm[2], -0.5 * 0.75 * 2.0, 4);
    double la[2] = {-INFINITY, -INFINITY}, ga[2] = {1.0, -3.0}, dda[2];
    ck_assert_int_eq(nnm_grad_log_softmax_vjp_f64(1, 2, 2.0, la, ga, dda), NNM_OK);
    ck_assert(dda[0] == 2.0 && dda[1] == -6.0);
}
END_TEST

START_TEST(log_softmax_vjp_in_place_and_f32)
{
    uint64_t seed = 32;
    for (int trial = 0; trial < 100; ++trial) {
        size_t n = 1 + (size_t)(nnm_rand_u64(&seed) % 3), k = 1 + (size_t)(nnm_rand_u64(&seed) % 6);
        double a[18], lp[18], g[18], da[18], inpl[18];
        float lpf[18], gf[18], daf[18];
        double beta = nnm_rand_uniform(&seed, 0.5, 2.0);
        for (size_t r = 0; r < n; ++r) {
            random_row(&seed, k, a + r * k);
            ref_log_softmax(k, beta, a + r * k, lp + r * k);
        }
        for (size_t i = 0; i < n * k; ++i) {
            lp[i] = lpf[i] = (float)lp[i];
            g[i] = inpl[i] = gf[i] = (float)nnm_rand_uniform(&seed, -1, 1);
        }
        ck_assert_int_eq(nnm_grad_log_softmax_vjp_f64(n, k, beta, lp, g, da), NNM_OK);
        ck_assert_int_eq(nnm_grad_log_softmax_vjp_f64(n, k, beta, lp, inpl, inpl), NNM_OK);
        for (size_t i = 0; i < n * k; ++i) ck_assert(inpl[i] == da[i]);
        ck_assert_int_eq(nnm_grad_log_softmax_vjp_f32(n, k, beta, lpf, gf, daf), NNM_OK);
        for (size_t i = 0; i < n * k; ++i) nnm_assert_ulp_f32(daf[i], (float)da[i], 1);
    }
}
END_TEST

START_TEST(vjps_reject_bad_input_and_write_nothing)
{
    double y[6] = {0.2, 0.3, 0.5, 0.1, 0.1, 0.8}, dy[6] = {1, 2, 3, 4, 5, 6}, da[6];
    float yf[6] = {0.2f, 0.3f, 0.5f, 0.1f, 0.1f, 0.8f}, dyf[6] = {1, 2, 3, 4, 5, 6}, daf[6];
    typedef nnm_status (*vjp64)(size_t, size_t, double, const double *, const double *, double *);
    typedef nnm_status (*vjp32)(size_t, size_t, double, const float *, const float *, float *);
    vjp64 f64[2] = {nnm_grad_softmax_vjp_f64, nnm_grad_log_softmax_vjp_f64};
    vjp32 f32[2] = {nnm_grad_softmax_vjp_f32, nnm_grad_log_softmax_vjp_f32};
    for (int f = 0; f < 2; ++f) {
        nnm_canary_fill(da, sizeof da);
        nnm_canary_fill(daf, sizeof daf);
        ck_assert_int_eq(f64[f](2, 3, 0.0, y, dy, da), NNM_EINVAL);
        ck_assert_int_eq(f64[f](2, 3, NAN, y, dy, da), NNM_EINVAL);
        ck_assert_int_eq(f64[f](2, 3, INFINITY, y, dy, da), NNM_EINVAL);
        ck_assert_int_eq(f64[f](2, 3, -2.0, y, dy, da), NNM_EINVAL);
        ck_assert_int_eq(f64[f](2, 3, 1.0, NULL, dy, da), NNM_EINVAL);
        ck_assert_int_eq(f64[f](2, 3, 1.0, y, NULL, da), NNM_EINVAL);
        ck_assert_int_eq(f64[f](2, 3, 1.0, y, dy, NULL), NNM_EINVAL);
        ck_assert_int_eq(f64[f](2, 0, 1.0, y, dy, da), NNM_ESIZE);
        ck_assert_int_eq(f64[f](2, 0, 1.0, NULL, dy, da), NNM_EINVAL); /* EINVAL first */
        ck_assert_int_eq(f64[f](SIZE_MAX / 2, 4, 1.0, y, dy, da), NNM_ESIZE);
        ck_assert_int_eq(f64[f]((size_t)PTRDIFF_MAX / 16 + 1, 2, 1.0, y, dy, da), NNM_ESIZE);
        ck_assert_int_eq(f32[f](2, 3, 0.0, yf, dyf, daf), NNM_EINVAL);
        ck_assert_int_eq(f32[f](2, 3, 1.0, yf, NULL, daf), NNM_EINVAL);
        ck_assert_int_eq(f32[f](2, 0, 1.0, yf, dyf, daf), NNM_ESIZE);
        nnm_assert_untouched(da, sizeof da);
        nnm_assert_untouched(daf, sizeof daf);
        /* da overlapping the forward output, or partially overlapping dy */
        double buf[12];
        memcpy(buf, dy, sizeof dy);
        ck_assert_int_eq(f64[f](1, 3, 1.0, y, buf, buf + 1), NNM_EINVAL);
        ck_assert_int_eq(f64[f](1, 3, 1.0, y, dy, (double *)y), NNM_EINVAL);
        ck_assert(memcmp(buf, dy, sizeof dy) == 0);
        /* n = 0: nothing to do, NULL allowed */
        ck_assert_int_eq(f64[f](0, 3, 1.0, NULL, NULL, NULL), NNM_OK);
        ck_assert_int_eq(f32[f](0, 5, 1.0, NULL, NULL, NULL), NNM_OK);
    }
}
END_TEST

/* ---- affine backward ------------------------------------------------------------------------- */

/* Hand-computed: h = [[1,2,3],[4,5,6]], W = [[1,0,-1],[2,1,0]], delta = [[1,-1],[2,0.5]].
 * dW = delta^T h = [[1*1+2*4, 1*2+2*5, 1*3+2*6], [-1*1+0.5*4, -1*2+0.5*5, -1*3+0.5*6]]
 *    = [[9, 12, 15], [1, 0.5, 0]];  db = [3, -0.5];
 * dh_1 = W^T (1,-1) = (1-2, 0-1, -1-0) = (-1, -1, -1); dh_2 = W^T (2, 0.5) = (3, 0.5, -2). */
START_TEST(affine_backward_small_example_by_hand)
{
    const double h[6] = {1, 2, 3, 4, 5, 6}, W[6] = {1, 0, -1, 2, 1, 0}, delta[4] = {1, -1, 2, 0.5};
    const double wdW[6] = {9, 12, 15, 1, 0.5, 0}, wdb[2] = {3, -0.5},
                 wdh[6] = {-1, -1, -1, 3, 0.5, -2};
    double dW[6], db[2], dh[6];
    ck_assert_int_eq(nnm_grad_affine_f64(2, 3, 2, h, W, delta, dW, db, dh), NNM_OK);
    for (int i = 0; i < 6; ++i) ck_assert(dW[i] == wdW[i] && dh[i] == wdh[i]);
    ck_assert(db[0] == wdb[0] && db[1] == wdb[1]);
    float hf[6], Wf[6], df[4], dWf[6], dbf[2], dhf[6];
    for (int i = 0; i < 6; ++i) {
        hf[i] = (float)h[i];
        Wf[i] = (float)W[i];
    }
    for (int i = 0; i < 4; ++i) df[i] = (float)delta[i];
    ck_assert_int_eq(nnm_grad_affine_f32(2, 3, 2, hf, Wf, df, dWf, dbf, dhf), NNM_OK);
    for (int i = 0; i < 6; ++i) ck_assert(dWf[i] == (float)wdW[i] && dhf[i] == (float)wdh[i]);
    ck_assert(dbf[0] == (float)wdb[0] && dbf[1] == (float)wdb[1]);
}
END_TEST

/* exact sum_m a_m b_m (MPFR at 4096 bits holds any sum of double products exactly enough) and
 * sum |a_m b_m| */
static double exact_dot(size_t m, const double *a, size_t as, const double *b, size_t bs,
                       double *abs_sum)
{
    mpfr_t s, p;
    mpfr_inits2(4096, s, p, (mpfr_ptr)0);
    mpfr_set_zero(s, 1);
    long double t = 0;
    for (size_t i = 0; i < m; ++i) {
        double av = a != NULL ? a[i * as] : 1.0;
        mpfr_set_d(p, av, MPFR_RNDN);
        mpfr_mul_d(p, p, b[i * bs], MPFR_RNDN);
        mpfr_add(s, s, p, MPFR_RNDN);
        t += fabsl((long double)av * b[i * bs]);
    }
    double r = mpfr_get_d(s, MPFR_RNDN);
    mpfr_clears(s, p, (mpfr_ptr)0);
    *abs_sum = (double)t;
    return r;
}

/* |got - exact| <= eps |exact| + 2 m eps^2 sum|terms| (the documented bound, 2 for the eps^2
 * constant of the compensated sum of 2m terms) */
static void assert_dot_bound(double got, double exact, double abs_sum, size_t m)
{
    double bound = EPS * fabs(exact) + 2.0 * (double)(2 * m + 1) * EPS * EPS * abs_sum;
    ck_assert_msg(fabs(got - exact) <= bound, "got %.17g, exact %.17g, bound %.3g", got, exact,
                  bound);
}

START_TEST(affine_backward_is_a_compensated_dot_product)
{
    uint64_t seed = 41;
    for (int trial = 0; trial < 60; ++trial) {
        size_t n = 1 + (size_t)(nnm_rand_u64(&seed) % 70);
        size_t di = 1 + (size_t)(nnm_rand_u64(&seed) % 140),
               dout = 1 + (size_t)(nnm_rand_u64(&seed) % 9);
        double *h = malloc(n * di * sizeof *h), *W = malloc(dout * di * sizeof *W),
               *delta = malloc(n * dout * sizeof *delta), *dW = malloc(dout * di * sizeof *dW),
               *db = malloc(dout * sizeof *db), *dh = malloc(n * di * sizeof *dh);
        ck_assert(h && W && delta && dW && db && dh);
        /* heavy cancellation: terms of both signs over 20 binades */
        for (size_t i = 0; i < n * di; ++i)
            h[i] = nnm_rand_uniform(&seed, -1, 1) * exp2((double)(nnm_rand_u64(&seed) % 20));
        for (size_t i = 0; i < dout * di; ++i)
            W[i] = nnm_rand_uniform(&seed, -1, 1) * exp2((double)(nnm_rand_u64(&seed) % 20));
        for (size_t i = 0; i < n * dout; ++i)
            delta[i] = nnm_rand_uniform(&seed, -1, 1) * exp2((double)(nnm_rand_u64(&seed) % 20));
        ck_assert_int_eq(nnm_grad_affine_f64(n, di, dout, h, W, delta, dW, db, dh), NNM_OK);
        double as;
        for (size_t o = 0; o < dout; ++o) {
            for (size_t i = 0; i < di; ++i) {
                double ex = exact_dot(n, delta + o, dout, h + i, di, &as);
                assert_dot_bound(dW[o * di + i], ex, as, n);
            }
            double ex = exact_dot(n, NULL, 0, delta + o, dout, &as);
            assert_dot_bound(db[o], ex, as, n);
        }
        for (size_t r = 0; r < n; ++r)
            for (size_t i = 0; i < di; ++i) {
                double ex = exact_dot(dout, delta + r * dout, 1, W + i, di, &as);
                assert_dot_bound(dh[r * di + i], ex, as, dout);
            }
        free(h), free(W), free(delta), free(dW), free(db), free(dh);
    }
}
END_TEST

/* The sum 1e16 * 1 + 1 * 1 + (-1e16) * 1 is 1; a naive sum returns 0. f32: the products are exact
 * in double and the double sum is compensated, so the float result is the correctly rounded one. */
START_TEST(affine_backward_survives_cancellation)
{
    const double h[3] = {1, 1, 1}, delta[3] = {1e16, 1, -1e16};
    double dW, db;
    ck_assert_int_eq(nnm_grad_affine_f64(3, 1, 1, h, NULL, delta, &dW, &db, NULL), NNM_OK);
    ck_assert(dW == 1.0 && db == 1.0);
    const float hf[3] = {3, 1, 3}, df[3] = {1e8f, 1, -1e8f};
    float dWf, dbf;
    ck_assert_int_eq(nnm_grad_affine_f32(3, 1, 1, hf, NULL, df, &dWf, &dbf, NULL), NNM_OK);
    ck_assert(dWf == 1.0f && dbf == 1.0f);
    /* f32 against the exactly rounded result on random data */
    uint64_t seed = 42;
    for (int trial = 0; trial < 100; ++trial) {
        size_t n = 1 + (size_t)(nnm_rand_u64(&seed) % 50);
        float hh[50], dd[50], out;
        double hd[50], ddd[50], as;
        for (size_t i = 0; i < n; ++i) {
            hd[i] = hh[i] = (float)nnm_rand_uniform(&seed, -8, 8);
            ddd[i] = dd[i] = (float)nnm_rand_uniform(&seed, -8, 8);
        }
        ck_assert_int_eq(nnm_grad_affine_f32(n, 1, 1, hh, NULL, dd, &out, NULL, NULL), NNM_OK);
        double ex = exact_dot(n, ddd, 1, hd, 1, &as);
        /* the double sum is exact to O(n 2^-106) sum|terms|, far below half a float ulp unless
         * the sum cancels by 2^28, which this data does not reach: within 1 ulp */
        nnm_assert_ulp_f32(out, (float)ex, 1);
    }
}
END_TEST

/* dW, db, dh are the gradient of L = sum_n delta_n . (W h_n + b): central differences over
 * the concatenated parameters (W, b, h). L is linear in each, so the differences are exact up to
 * rounding: |error| <= a few eps |L| / h_i. */
typedef struct affine_ctx {
    size_t n, di, dout;
    const double *delta;
} affine_ctx;

static double affine_objective(size_t d, const double *p, void *ctx)
{
    const affine_ctx *c = ctx;
    (void)d;
    const double *W = p, *b = p + c->dout * c->di, *h = b + c->dout;
    long double L = 0;
    for (size_t r = 0; r < c->n; ++r)
        for (size_t o = 0; o < c->dout; ++o) {
            long double a = b[o];
            for (size_t i = 0; i < c->di; ++i)
                a += (long double)W[o * c->di + i] * h[r * c->di + i];
            L += (long double)c->delta[r * c->dout + o] * a;
        }
    return (double)L;
}

START_TEST(affine_backward_matches_central_differences)
{
    uint64_t seed = 43;
    for (int trial = 0; trial < 20; ++trial) {
        size_t n = 1 + (size_t)(nnm_rand_u64(&seed) % 4),
               di = 1 + (size_t)(nnm_rand_u64(&seed) % 4),
               dout = 1 + (size_t)(nnm_rand_u64(&seed) % 4);
        double p[4 * 4 + 4 + 16], delta[16], g[36], dW[16], db[4], dh[16];
        size_t d = dout * di + dout + n * di;
        for (size_t i = 0; i < d; ++i) p[i] = nnm_rand_uniform(&seed, -2, 2);
        for (size_t i = 0; i < n * dout; ++i) delta[i] = nnm_rand_uniform(&seed, -2, 2);
        affine_ctx c = {n, di, dout, delta};
        ck_assert_int_eq(nnm_grad_numeric(affine_objective, &c, d, p, g), NNM_OK);
        ck_assert_int_eq(nnm_grad_affine_f64(n, di, dout, p + dout * di + dout, p, delta, dW, db,
                                             dh), NNM_OK);
        double L = fabs(affine_objective(d, p, &c)) + 1.0;
        double tol = 64 * EPS * L / cbrt(EPS); /* rounding error eps |L| / h of the differences */
        for (size_t i = 0; i < dout * di; ++i) ck_assert(fabs(dW[i] - g[i]) <= tol);
        for (size_t o = 0; o < dout; ++o) ck_assert(fabs(db[o] - g[dout * di + o]) <= tol);
        for (size_t i = 0; i < n * di; ++i) ck_assert(fabs(dh[i] - g[dout * di + dout + i]) <= tol);
    }
}
END_TEST

START_TEST(affine_backward_optional_outputs_and_empty_batch)
{
    const double h[6] = {1, 2, 3, 4, 5, 6}, W[6] = {1, 0, -1, 2, 1, 0}, delta[4] = {1, -1, 2, 0.5};
    double dW[6], db[2], dh[6], dW2[6], db2[2], dh2[6];
    ck_assert_int_eq(nnm_grad_affine_f64(2, 3, 2, h, W, delta, dW, db, dh), NNM_OK);
    /* each output alone, with the inputs it does not need NULL */
    nnm_canary_fill(dW2, sizeof dW2);
    ck_assert_int_eq(nnm_grad_affine_f64(2, 3, 2, h, NULL, delta, dW2, NULL, NULL), NNM_OK);
    ck_assert(memcmp(dW, dW2, sizeof dW) == 0);
    ck_assert_int_eq(nnm_grad_affine_f64(2, 3, 2, NULL, NULL, delta, NULL, db2, NULL), NNM_OK);
    ck_assert(memcmp(db, db2, sizeof db) == 0);
    ck_assert_int_eq(nnm_grad_affine_f64(2, 3, 2, NULL, W, delta, NULL, NULL, dh2), NNM_OK);
    ck_assert(memcmp(dh, dh2, sizeof dh) == 0);
    /* n = 0: dW and db are empty sums (0), nothing else is read or written */
    nnm_canary_fill(dh2, sizeof dh2);
    ck_assert_int_eq(nnm_grad_affine_f64(0, 3, 2, NULL, NULL, NULL, dW2, db2, dh2), NNM_OK);
    for (int i = 0; i < 6; ++i) ck_assert(dW2[i] == 0.0);
    ck_assert(db2[0] == 0.0 && db2[1] == 0.0);
    nnm_assert_untouched(dh2, sizeof dh2);
    float dWf[6], dbf[2];
    ck_assert_int_eq(nnm_grad_affine_f32(0, 3, 2, NULL, NULL, NULL, dWf, dbf, NULL), NNM_OK);
    ck_assert(dWf[5] == 0.0f && dbf[1] == 0.0f);
    /* NaN and inf propagate, also through a zero delta (0 * inf = NaN) */
    const double hn[2] = {INFINITY, 1.0}, dn[2] = {0.0, 1.0};
    double o1, o2;
    ck_assert_int_eq(nnm_grad_affine_f64(2, 1, 1, hn, NULL, dn, &o1, &o2, NULL), NNM_OK);
    ck_assert(isnan(o1) && o2 == 1.0);
    const double hi[2] = {INFINITY, 1.0}, di1[2] = {1.0, 1.0};
    ck_assert_int_eq(nnm_grad_affine_f64(2, 1, 1, hi, NULL, di1, &o1, NULL, NULL), NNM_OK);
    ck_assert(isinf(o1) && o1 > 0);
    /* large blocks: d_in beyond one accumulator block agrees with small calls per column */
    enum { N = 3, DI = 150, DO = 2 };
    static double bh[N * DI], bW[DO * DI], bd[N * DO], bdW[DO * DI], bdh[N * DI];
    uint64_t seed = 44;
    for (int i = 0; i < N * DI; ++i) bh[i] = nnm_rand_uniform(&seed, -1, 1);
    for (int i = 0; i < DO * DI; ++i) bW[i] = nnm_rand_uniform(&seed, -1, 1);
    for (int i = 0; i < N * DO; ++i) bd[i] = nnm_rand_uniform(&seed, -1, 1);
    ck_assert_int_eq(nnm_grad_affine_f64(N, DI, DO, bh, bW, bd, bdW, NULL, bdh), NNM_OK);
    for (int i = 0; i < DI; ++i) {
        double hc[N], wc[DO], one_dW[DO], one_dh[N];
        for (int r = 0; r < N; ++r) hc[r] = bh[r * DI + i];
        for (int o = 0; o < DO; ++o) wc[o] = bW[o * DI + i];
        ck_assert_int_eq(nnm_grad_affine_f64(N, 1, DO, hc, wc, bd, one_dW, NULL, one_dh), NNM_OK);
        for (int o = 0; o < DO; ++o) ck_assert(one_dW[o] == bdW[o * DI + i]);
        for (int r = 0; r < N; ++r) ck_assert(one_dh[r] == bdh[r * DI + i]);
    }
}
END_TEST

START_TEST(affine_backward_rejects_bad_input_and_writes_nothing)
{
    double h[6] = {1, 2, 3, 4, 5, 6}, W[6] = {1, 0, -1, 2, 1, 0}, delta[4] = {1, -1, 2, 0.5};
    double dW[6], db[2], dh[6];
    nnm_canary_fill(dW, sizeof dW);
    nnm_canary_fill(db, sizeof db);
    nnm_canary_fill(dh, sizeof dh);
    ck_assert_int_eq(nnm_grad_affine_f64(2, 3, 2, h, W, delta, NULL, NULL, NULL), NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_affine_f64(0, 3, 2, h, W, delta, NULL, NULL, NULL), NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_affine_f64(2, 3, 2, h, W, NULL, dW, db, dh), NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_affine_f64(2, 3, 2, NULL, W, delta, dW, db, dh), NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_affine_f64(2, 3, 2, h, NULL, delta, dW, db, dh), NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_affine_f64(2, 0, 2, h, W, delta, dW, db, dh), NNM_ESIZE);
    ck_assert_int_eq(nnm_grad_affine_f64(2, 3, 0, h, W, delta, dW, db, dh), NNM_ESIZE);
    ck_assert_int_eq(nnm_grad_affine_f64(2, 3, 0, h, W, NULL, dW, db, dh), NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_affine_f64(SIZE_MAX / 2, 3, 2, h, W, delta, dW, db, dh), NNM_ESIZE);
    ck_assert_int_eq(
        nnm_grad_affine_f64(2, (size_t)1 << 40, (size_t)1 << 40, h, W, delta, dW, db, dh),
        NNM_ESIZE);
    ck_assert_int_eq(nnm_grad_affine_f64(2, 3, (size_t)PTRDIFF_MAX / 8, h, W, delta, dW, db, dh),
                     NNM_ESIZE);
    nnm_assert_untouched(dW, sizeof dW);
    nnm_assert_untouched(db, sizeof db);
    nnm_assert_untouched(dh, sizeof dh);
    float hf[6] = {0}, Wf[6] = {0}, df[4] = {0}, dWf[6], dbf[2], dhf[6];
    nnm_canary_fill(dWf, sizeof dWf);
    ck_assert_int_eq(nnm_grad_affine_f32(2, 3, 2, hf, Wf, df, NULL, NULL, NULL), NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_affine_f32(2, 3, 2, hf, Wf, NULL, dWf, dbf, dhf), NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_affine_f32(2, 0, 2, hf, Wf, df, dWf, dbf, dhf), NNM_ESIZE);
    nnm_assert_untouched(dWf, sizeof dWf);
    /* outputs overlapping inputs or each other */
    double buf[32];
    memcpy(buf, h, sizeof h);
    ck_assert_int_eq(nnm_grad_affine_f64(2, 3, 2, buf, W, delta, buf + 2, NULL, NULL), NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_affine_f64(2, 3, 2, h, W, delta, NULL, NULL, (double *)delta + 1),
                     NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_affine_f64(2, 3, 2, h, W, delta, buf + 8, buf + 12, NULL),
                     NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_affine_f64(2, 3, 2, h, W, delta, NULL, buf + 8, buf + 9), NNM_EINVAL);
    ck_assert(memcmp(buf, h, sizeof h) == 0);
    ck_assert(delta[1] == -1.0);
}
END_TEST

/* ---- finite differences ---------------------------------------------------------------------- */

/* f(x) = e^{x0} sin(x1) + x2^3 / 3 + x0 x2 with its gradient and third derivatives bounded by
 * M3 = e^{x0} + 2 near x (the largest |d^3 f / dx_i^3| there). */
static double test_f(size_t d, const double *x, void *ctx)
{
    (void)d, (void)ctx;
    return exp(x[0]) * sin(x[1]) + x[2] * x[2] * x[2] / 3.0 + x[0] * x[2];
}
static void test_g(size_t d, const double *x, double *g, void *ctx)
{
    (void)d, (void)ctx;
    g[0] = exp(x[0]) * sin(x[1]) + x[2];
    g[1] = exp(x[0]) * cos(x[1]);
    g[2] = x[2] * x[2] + x[0];
}

/* The documented central-difference error per coordinate: h^2 M3 / 6 + eps F / h (F: |f| near x),
 * with a factor 4 for the rounding of f's own evaluation (a few ulps). */
static double central_bound(double xi, double M3, double F)
{
    double h = cbrt(EPS) * fmax(1.0, fabs(xi));
    return 4.0 * (h * h * M3 / 6.0 + EPS * F / h);
}

START_TEST(numeric_gradient_meets_its_error_model)
{
    uint64_t seed = 51;
    double worst_c = 0, worst_r = 0;
    for (int trial = 0; trial < 200; ++trial) {
        double x[3], g[3], gn[3], gr[3];
        double scale = trial < 100 ? 1.0 : 30.0; /* also |x| > 1: the step grows with |x| */
        for (int i = 0; i < 3; ++i) x[i] = nnm_rand_uniform(&seed, -scale, scale);
        x[0] = nnm_rand_uniform(&seed, -2, 2);
        test_g(3, x, g, NULL);
        ck_assert_int_eq(nnm_grad_numeric(test_f, NULL, 3, x, gn), NNM_OK);
        nnm_grad_fd_opts o = {NNM_GRAD_FD_RICHARDSON, 0.0};
        ck_assert_int_eq(nnm_grad_numeric_ex(test_f, NULL, 3, x, &o, gr), NNM_OK);
        double F = fabs(test_f(3, x, NULL)) + exp(x[0]) + 1.0;
        double M3 = exp(x[0]) + 2.0;
        for (int i = 0; i < 3; ++i) {
            double b = central_bound(x[i], M3, F);
            ck_assert_msg(fabs(gn[i] - g[i]) <= b, "g[%d] = %.17g, central %.17g, bound %.3g", i,
                          g[i], gn[i], b);
            if (scale == 1.0) { /* |x_i| <= 2: the errors relative to |g_i| + F */
                worst_c = fmax(worst_c, fabs(gn[i] - g[i]) / (fabs(g[i]) + F));
                worst_r = fmax(worst_r, fabs(gr[i] - g[i]) / (fabs(g[i]) + F));
            }
            /* Richardson: h^4 |f^(5)| / 480 + 3 eps F / h with h = eps^(1/5) s: the same model */
            double hr = pow(EPS, 0.2) * fmax(1.0, fabs(x[i]));
            double br = 4.0 * (pow(hr, 4) * M3 / 480.0 + 3.0 * EPS * F / hr);
            ck_assert_msg(fabs(gr[i] - g[i]) <= br, "g[%d] = %.17g, Richardson %.17g, bound %.3g",
                          i, g[i], gr[i], br);
        }
    }
    /* eps^(2/3) = 3.7e-11 and eps^(4/5) = 3.1e-13 are the documented orders of magnitude */
    ck_assert(worst_c < 10 * pow(EPS, 2.0 / 3.0));
    ck_assert(worst_r < 10 * pow(EPS, 0.8));
    ck_assert(worst_r < worst_c);
}
END_TEST

/* f(x) = x^2 at x = 1e8: with an absolute step cbrt(eps) = 6e-6 the difference of f would be
 * rounding noise (ulp(1e16) = 2); the relative step 6e2 keeps 2x exact up to h^2-free terms. */
static double square(size_t d, const double *x, void *ctx)
{
    (void)d, (void)ctx;
    return x[0] * x[0];
}

START_TEST(numeric_gradient_scales_the_step_with_x)
{
    double x = 1e8, g;
    ck_assert_int_eq(nnm_grad_numeric(square, NULL, 1, &x, &g), NNM_OK);
    nnm_assert_rel_f64(g, 2e8, 1e5); /* eps^(2/3) relative = 1.7e5 eps */
    x = -3e-200; /* near 0 the step is cbrt(eps), not 3e-200 * cbrt(eps) */
    ck_assert_int_eq(nnm_grad_numeric(square, NULL, 1, &x, &g), NNM_OK);
    ck_assert(fabs(g - 2 * x) <= 4 * EPS / cbrt(EPS));
}
END_TEST

static void test_vec(size_t d, const double *x, size_t m, double *fx, void *ctx)
{
    (void)d, (void)m, (void)ctx;
    fx[0] = x[0] * x[1];
    fx[1] = sin(x[0]);
    fx[2] = exp(x[1]) - x[0];
    fx[3] = 0.5;
}

START_TEST(numeric_jacobian_matches_the_closed_form)
{
    uint64_t seed = 52;
    for (int trial = 0; trial < 100; ++trial) {
        double x[2] = {nnm_rand_uniform(&seed, -3, 3), nnm_rand_uniform(&seed, -3, 3)};
        double J[8], Jr[8];
        const double want[8] = {x[1], x[0], cos(x[0]), 0, -1, exp(x[1]), 0, 0};
        ck_assert_int_eq(nnm_grad_jacobian_numeric(test_vec, NULL, 2, 4, x, J), NNM_OK);
        nnm_grad_fd_opts o = {NNM_GRAD_FD_RICHARDSON, 0.0};
        ck_assert_int_eq(nnm_grad_jacobian_numeric_ex(test_vec, NULL, 2, 4, x, &o, Jr), NNM_OK);
        double F = exp(fabs(x[1])) + 10.0;
        for (int i = 0; i < 8; ++i) {
            double b = central_bound(x[i % 2], F, F);
            ck_assert_msg(fabs(J[i] - want[i]) <= b, "J[%d] = %.17g want %.17g", i, J[i], want[i]);
            double hr = pow(EPS, 0.2) * fmax(1.0, fabs(x[i % 2]));
            double br = 4.0 * (pow(hr, 4) * F / 480.0 + 3.0 * EPS * F / hr);
            ck_assert_msg(fabs(Jr[i] - want[i]) <= br, "Jr[%d] = %.17g want %.17g", i, Jr[i],
                          want[i]);
        }
        ck_assert(J[6] == 0.0 && J[7] == 0.0); /* a constant output has an exactly zero row */
    }
}
END_TEST

static double cube(size_t d, const double *x, void *ctx)
{
    (void)d, (void)ctx;
    return x[0] * x[0] * x[0];
}

START_TEST(numeric_step_option_sets_h)
{
    /* x^3 at 1 with c = 2^-4: (f(1+c) - f(1-c)) / 2c = 3 + c^2 exactly (all values exact) */
    nnm_grad_fd_opts o = {NNM_GRAD_FD_CENTRAL, 0x1p-4};
    double x = 1.0, g;
    ck_assert_int_eq(nnm_grad_numeric_ex(cube, NULL, 1, &x, &o, &g), NNM_OK);
    ck_assert(g == 3.0 + 0x1p-8);
    /* Richardson removes the c^2 term: the cube's expansion stops there, so the result is 3 */
    o.method = NNM_GRAD_FD_RICHARDSON;
    ck_assert_int_eq(nnm_grad_numeric_ex(cube, NULL, 1, &x, &o, &g), NNM_OK);
    ck_assert(g == 3.0);
}
END_TEST

/* ---- gradient check -------------------------------------------------------------------------- */

static void wrong_g(size_t d, const double *x, double *g, void *ctx)
{
    test_g(d, x, g, ctx);
    g[1] *= 1.01; /* a 1% mistake in one component */
}

static double shifted_square(size_t d, const double *x, void *ctx)
{
    (void)ctx;
    double s = 0;
    for (size_t i = 0; i < d; ++i) s += (x[i] - 1.0) * (x[i] - 1.0);
    return s;
}
static void shifted_square_g(size_t d, const double *x, double *g, void *ctx)
{
    (void)ctx;
    for (size_t i = 0; i < d; ++i) g[i] = 2.0 * (x[i] - 1.0);
}

/* f = 1000 + 1e-9 x0 + x1^2 / 3: a component (1e-9) far below what a difference of f can
 * resolve next to the offset 1000 (ulp(1000) / h ~ 2e-8) */
static double offset_f(size_t d, const double *x, void *ctx)
{
    (void)d, (void)ctx;
    return 1000.0 + 1e-9 * x[0] + x[1] * x[1] / 3.0;
}
static void offset_g(size_t d, const double *x, double *g, void *ctx)
{
    (void)d, (void)ctx;
    g[0] = 1e-9;
    g[1] = 2.0 * x[1] / 3.0;
}

/* f = 1e-30 (x0^2 + x1): tiny values and gradients must be judged relative to themselves. */
static double tiny_f(size_t d, const double *x, void *ctx)
{
    (void)d, (void)ctx;
    return 1e-30 * (x[0] * x[0] + x[1]);
}
static void tiny_g(size_t d, const double *x, double *g, void *ctx)
{
    (void)d;
    double k = ctx != NULL ? 2.0 : 1.0; /* ctx != NULL: a gradient wrong by a factor 2 */
    g[0] = k * 2e-30 * x[0];
    g[1] = 1e-30;
}

START_TEST(gradient_check_separates_right_from_wrong)
{
    uint64_t seed = 61;
    for (int trial = 0; trial < 100; ++trial) {
        double x[3] = {nnm_rand_uniform(&seed, -2, 2), nnm_rand_uniform(&seed, -3, 3),
                       nnm_rand_uniform(&seed, -3, 3)};
        double e_right, e_wrong, e_rich;
        ck_assert_int_eq(nnm_grad_check(test_f, test_g, NULL, 3, x, &e_right), NNM_OK);
        ck_assert_int_eq(nnm_grad_check(test_f, wrong_g, NULL, 3, x, &e_wrong), NNM_OK);
        nnm_grad_fd_opts o = {NNM_GRAD_FD_RICHARDSON, 0.0};
        ck_assert_int_eq(nnm_grad_check_ex(test_f, test_g, NULL, 3, x, &o, &e_rich), NNM_OK);
        /* documented: ~eps^(2/3) for a right gradient (1e3 of slack for f''' / f ratios up to
         * e^2 + 2 here) */
        ck_assert_msg(e_right <= 1e3 * pow(EPS, 2.0 / 3.0), "right gradient: %g", e_right);
        ck_assert_msg(e_rich <= 1e3 * pow(EPS, 0.8), "right gradient, Richardson: %g", e_rich);
        /* 1% of g_1 relative to max(|g_1|, F/s): at least 1e-2 |g_1| / max(|g_1|, F) */
        double g[3];
        test_g(3, x, g, NULL);
        double F = fabs(test_f(3, x, NULL)) * 1.01 + 1e-300;
        double expect = 0.01 * fabs(g[1]) / fmax(1.01 * fabs(g[1]), F / fmax(1.0, fabs(x[1])));
        ck_assert_msg(e_wrong >= 0.5 * expect, "wrong gradient reported %g, expected ~%g",
                      e_wrong, expect);
    }
    /* at the minimum, where f = 0 and the gradient is 0: the probes set the scale */
    double xm[4] = {1, 1, 1, 1}, e;
    ck_assert_int_eq(nnm_grad_check(shifted_square, shifted_square_g, NULL, 4, xm, &e), NNM_OK);
    ck_assert_msg(e <= 1e3 * pow(EPS, 2.0 / 3.0), "at the minimum: %g", e);
    /* a tiny component beside a large f: its difference quotient is rounding noise of
     * ulp(1000) / h ~ 2e-8; relative to 1e-9 itself that reads as an error of ~1, relative to the
     * scale F / s = 1000 of a component it is ~1e-11 */
    double xz[2] = {0.3, 0.5};
    ck_assert_int_eq(nnm_grad_check(offset_f, offset_g, NULL, 2, xz, &e), NNM_OK);
    ck_assert_msg(e <= 1e3 * pow(EPS, 2.0 / 3.0), "unresolvable component: %g", e);
    /* tiny scales: right is tiny, a factor 2 is caught */
    double xt[2] = {0.7, 0.3};
    ck_assert_int_eq(nnm_grad_check(tiny_f, tiny_g, NULL, 2, xt, &e), NNM_OK);
    ck_assert_msg(e <= 1e3 * pow(EPS, 2.0 / 3.0), "tiny right: %g", e);
    ck_assert_int_eq(nnm_grad_check(tiny_f, tiny_g, xt, 2, xt, &e), NNM_OK);
    ck_assert_msg(e >= 0.25, "tiny wrong: %g", e);
}
END_TEST

/* ---- bad input of the finite-difference family ----------------------------------------------- */

static double nan_after(size_t d, const double *x, void *ctx)
{
    (void)d;
    int *calls = ctx;
    return ++*calls > 3 ? NAN : x[0];
}
static void nan_vec(size_t d, const double *x, size_t m, double *fx, void *ctx)
{
    (void)d;
    for (size_t i = 0; i < m; ++i) fx[i] = x[0];
    if (ctx != NULL) fx[m - 1] = INFINITY;
}
static void inf_g(size_t d, const double *x, double *g, void *ctx)
{
    (void)x, (void)ctx;
    for (size_t i = 0; i < d; ++i) g[i] = i == 1 ? -INFINITY : 1.0;
}

START_TEST(finite_differences_reject_bad_input_and_write_nothing)
{
    double x[3] = {1, 2, 3}, g[3], J[6], e;
    int calls = 0;
    nnm_canary_fill(g, sizeof g);
    nnm_canary_fill(J, sizeof J);
    nnm_canary_fill(&e, sizeof e);
    ck_assert_int_eq(nnm_grad_numeric(NULL, NULL, 3, x, g), NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_numeric(test_f, NULL, 3, NULL, g), NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_numeric(test_f, NULL, 3, x, NULL), NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_numeric(test_f, NULL, 0, x, g), NNM_ESIZE);
    ck_assert_int_eq(nnm_grad_numeric(NULL, NULL, 0, x, g), NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_numeric(test_f, NULL, SIZE_MAX / 4, x, g), NNM_ESIZE);
    ck_assert_int_eq(nnm_grad_numeric(nan_after, &calls, 3, x, g), NNM_EDOM);
    const nnm_grad_fd_opts bad[] = {{(nnm_grad_fd_method)2, 0.0}, {(nnm_grad_fd_method)-1, 0.0},
                                    {NNM_GRAD_FD_CENTRAL, -1e-3}, {NNM_GRAD_FD_CENTRAL, 1.0},
                                    {NNM_GRAD_FD_CENTRAL, NAN}, {NNM_GRAD_FD_RICHARDSON, INFINITY}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
        ck_assert_int_eq(nnm_grad_numeric_ex(test_f, NULL, 3, x, &bad[i], g), NNM_EINVAL);
        ck_assert_int_eq(nnm_grad_jacobian_numeric_ex(nan_vec, NULL, 3, 2, x, &bad[i], J),
                         NNM_EINVAL);
        ck_assert_int_eq(nnm_grad_check_ex(test_f, test_g, NULL, 3, x, &bad[i], &e), NNM_EINVAL);
    }
    double xbad[3] = {1, NAN, 3}, xinf[3] = {1, 2, -INFINITY};
    ck_assert_int_eq(nnm_grad_numeric(test_f, NULL, 3, xbad, g), NNM_EDOM);
    ck_assert_int_eq(nnm_grad_numeric(test_f, NULL, 3, xinf, g), NNM_EDOM);
    nnm_assert_untouched(g, sizeof g);

    ck_assert_int_eq(nnm_grad_jacobian_numeric(NULL, NULL, 3, 2, x, J), NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_jacobian_numeric(nan_vec, NULL, 3, 2, NULL, J), NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_jacobian_numeric(nan_vec, NULL, 3, 2, x, NULL), NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_jacobian_numeric(nan_vec, NULL, 0, 2, x, J), NNM_ESIZE);
    ck_assert_int_eq(nnm_grad_jacobian_numeric(nan_vec, NULL, 3, 0, x, J), NNM_ESIZE);
    ck_assert_int_eq(nnm_grad_jacobian_numeric(nan_vec, NULL, 3, SIZE_MAX / 2, x, J), NNM_ESIZE);
    ck_assert_int_eq(nnm_grad_jacobian_numeric(nan_vec, &calls, 3, 2, x, J), NNM_EDOM);
    ck_assert_int_eq(nnm_grad_jacobian_numeric(nan_vec, NULL, 3, 2, xbad, J), NNM_EDOM);
    nnm_assert_untouched(J, sizeof J);

    ck_assert_int_eq(nnm_grad_check(NULL, test_g, NULL, 3, x, &e), NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_check(test_f, NULL, NULL, 3, x, &e), NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_check(test_f, test_g, NULL, 3, NULL, &e), NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_check(test_f, test_g, NULL, 3, x, NULL), NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_check(test_f, test_g, NULL, 0, x, &e), NNM_ESIZE);
    ck_assert_int_eq(nnm_grad_check(test_f, inf_g, NULL, 3, x, &e), NNM_EDOM);
    calls = 0;
    ck_assert_int_eq(nnm_grad_check(nan_after, test_g, &calls, 3, x, &e), NNM_EDOM);
    ck_assert_int_eq(nnm_grad_check(test_f, test_g, NULL, 3, xinf, &e), NNM_EDOM);
    nnm_assert_untouched(&e, sizeof e);

    /* scratch that cannot be allocated: NNM_ENOMEM before x is read (x is tiny here) */
    size_t huge = (size_t)PTRDIFF_MAX / 8;
    ck_assert_int_eq(nnm_grad_numeric(test_f, NULL, huge, x, g), NNM_ENOMEM);
    ck_assert_int_eq(nnm_grad_check(test_f, test_g, NULL, huge, x, &e), NNM_ENOMEM);
    ck_assert_int_eq(nnm_grad_jacobian_numeric(nan_vec, NULL, huge / 4, 2, x, J), NNM_ENOMEM);
    nnm_assert_untouched(g, sizeof g);
    nnm_assert_untouched(J, sizeof J);
    nnm_assert_untouched(&e, sizeof e);
}
END_TEST

/* ---- gradient steps -------------------------------------------------------------------------- */

START_TEST(gradient_step_updates_in_place)
{
    double x[4] = {1, -2, 3.5, 0}, g[4] = {0.5, 4, -1, 0};
    ck_assert_int_eq(nnm_grad_step_f64(4, 0.25, g, x), NNM_OK);
    ck_assert(x[0] == 0.875 && x[1] == -3 && x[2] == 3.75 && x[3] == 0);
    ck_assert_int_eq(nnm_grad_step_f64(4, -0.25, g, x), NNM_OK); /* ascent undoes it */
    ck_assert(x[0] == 1 && x[1] == -2 && x[2] == 3.5 && x[3] == 0);
    ck_assert_int_eq(nnm_grad_step_f64(4, 0.5, x, x), NNM_OK); /* x == g: x (1 - lr) */
    ck_assert(x[0] == 0.5 && x[1] == -1 && x[2] == 1.75);
    float xf[3] = {1, 2, 3}, gf[3] = {1, 1, INFINITY};
    ck_assert_int_eq(nnm_grad_step_f32(3, 0.1, gf, xf), NNM_OK);
    /* computed in double, rounded once: the correctly rounded value of x - lr g */
    nnm_assert_ulp_f32(xf[0], (float)(1.0 - 0.1), 0);
    nnm_assert_ulp_f32(xf[1], (float)(2.0 - 0.1), 0);
    ck_assert(isinf(xf[2]) && xf[2] < 0);
    double z[1] = {1.0}, gi[1] = {INFINITY};
    ck_assert_int_eq(nnm_grad_step_f64(1, 0.0, gi, z), NNM_OK); /* 0 * inf = NaN flows */
    ck_assert(isnan(z[0]));
    uint64_t seed = 71;
    for (int i = 0; i < 1000; ++i) {
        double xd = nnm_rand_uniform(&seed, -10, 10), gd = nnm_rand_uniform(&seed, -10, 10);
        double lr = nnm_rand_uniform(&seed, 0, 2);
        float a = (float)xd, b = (float)gd;
        ck_assert_int_eq(nnm_grad_step_f32(1, lr, &b, &a), NNM_OK);
        long double exact = (long double)(float)xd - (long double)lr * (float)gd;
        nnm_assert_ulp_f32(a, (float)exact, 1);
    }
}
END_TEST

START_TEST(gradient_step_rejects_bad_input)
{
    double x[3] = {1, 2, 3}, g[3] = {1, 1, 1};
    float xf[3] = {1, 2, 3}, gf[3] = {1, 1, 1};
    const double bad[] = {NAN, INFINITY, -INFINITY};
    for (int i = 0; i < 3; ++i) {
        ck_assert_int_eq(nnm_grad_step_f64(3, bad[i], g, x), NNM_EINVAL);
        ck_assert_int_eq(nnm_grad_step_f32(3, bad[i], gf, xf), NNM_EINVAL);
    }
    ck_assert_int_eq(nnm_grad_step_f64(3, 0.1, NULL, x), NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_step_f64(3, 0.1, g, NULL), NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_step_f32(3, 0.1, gf, NULL), NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_step_f64(SIZE_MAX / 4, 0.1, g, x), NNM_ESIZE);
    double buf[4] = {1, 2, 3, 4};
    ck_assert_int_eq(nnm_grad_step_f64(3, 0.1, buf, buf + 1), NNM_EINVAL); /* partial overlap */
    ck_assert(x[0] == 1 && x[1] == 2 && x[2] == 3 && xf[0] == 1 && xf[2] == 3);
    ck_assert(buf[0] == 1 && buf[1] == 2 && buf[3] == 4);
    ck_assert_int_eq(nnm_grad_step_f64(0, 0.1, NULL, NULL), NNM_OK);
    ck_assert_int_eq(nnm_grad_step_f32(0, 0.1, NULL, NULL), NNM_OK);
}
END_TEST

/* ---- gradient descent ------------------------------------------------------------------------ */

/* The notes' f(x, y) = x^2 + xy + y^2 (Hessian [[2,1],[1,2]], eigenvalues 1 and 3). */
static double notes_f(size_t d, const double *x, void *ctx)
{
    (void)d, (void)ctx;
    return x[0] * x[0] + x[0] * x[1] + x[1] * x[1];
}
static void notes_g(size_t d, const double *x, double *g, void *ctx)
{
    (void)d, (void)ctx;
    g[0] = 2 * x[0] + x[1];
    g[1] = x[0] + 2 * x[1];
}

START_TEST(descent_reaches_the_minimum_of_the_notes_function)
{
    double x[2] = {1, 2}; /* the notes' X */
    nnm_gd_result r;
    ck_assert_int_eq(nnm_grad_descent(notes_f, notes_g, NULL, 2, x, NULL, &r), NNM_OK);
    ck_assert_int_eq(r.converged, 1);
    ck_assert(r.grad_norm <= 1e-8);
    /* g = H x with lambda_min(H) = 1: |x|_2 <= |g|_2 / 1 <= grad_tol */
    ck_assert(hypot(x[0], x[1]) <= r.grad_norm);
    ck_assert(r.f == notes_f(2, x, NULL));
    /* lr = 0.1 contracts the error by max|1 - 0.1 lambda| = 0.9 per step: from |g_0| = 6.4
     * to 1e-8 takes log(6.4e8) / log(1/0.9) ~ 193 steps (the slow eigen-direction) at most */
    ck_assert(r.iterations > 100 && r.iterations <= 200);
    /* opts NULL, an all-zero struct and the explicit defaults are the same run */
    double y[2] = {1, 2}, z[2] = {1, 2};
    nnm_gd_opts zero = {0}, expl = {0.1, 0.0, 1e-8, 10000, NULL};
    nnm_gd_result ry, rz;
    ck_assert_int_eq(nnm_grad_descent(notes_f, notes_g, NULL, 2, y, &zero, &ry), NNM_OK);
    ck_assert_int_eq(nnm_grad_descent(notes_f, notes_g, NULL, 2, z, &expl, &rz), NNM_OK);
    ck_assert(memcmp(x, y, sizeof x) == 0 && memcmp(x, z, sizeof x) == 0);
    ck_assert(ry.iterations == r.iterations && rz.iterations == r.iterations);
    /* momentum converges too, and the result may be NULL */
    double m[2] = {1, 2};
    nnm_gd_opts mo = {0.1, 0.5, 1e-10, 0, NULL};
    ck_assert_int_eq(nnm_grad_descent(notes_f, notes_g, NULL, 2, m, &mo, NULL), NNM_OK);
    ck_assert(hypot(m[0], m[1]) <= 1e-10);
    /* a start at the minimum converges with 0 iterations */
    double o[2] = {0, 0};
    ck_assert_int_eq(nnm_grad_descent(notes_f, notes_g, NULL, 2, o, NULL, &r), NNM_OK);
    ck_assert(r.iterations == 0 && r.converged == 1 && o[0] == 0 && o[1] == 0);
}
END_TEST

/* Rosenbrock f = (1 - x)^2 + 100 (y - x^2)^2, minimum (1, 1) with Hessian [[802, -400],
 * [-400, 200]] there, lambda_min = 0.39936. */
static double rosen_f(size_t d, const double *x, void *ctx)
{
    (void)d, (void)ctx;
    double a = 1 - x[0], b = x[1] - x[0] * x[0];
    return a * a + 100 * b * b;
}
static void rosen_g(size_t d, const double *x, double *g, void *ctx)
{
    (void)d, (void)ctx;
    double b = x[1] - x[0] * x[0];
    g[0] = -2 * (1 - x[0]) - 400 * x[0] * b;
    g[1] = 200 * b;
}

START_TEST(descent_with_momentum_reaches_the_rosenbrock_minimum)
{
    double x[2] = {-1.2, 1.0}; /* the classic start */
    nnm_gd_opts o = {1e-3, 0.9, 1e-8, 100000, NULL};
    nnm_gd_result r;
    ck_assert_int_eq(nnm_grad_descent(rosen_f, rosen_g, NULL, 2, x, &o, &r), NNM_OK);
    ck_assert_int_eq(r.converged, 1);
    /* near the minimum x - x* = H^-1 g (1 + O(|x - x*|)), so |x - x*| <= |g| / lambda_min
     * = 2.5 |g| <= 2.5 grad_tol; the factor 1.01 covers the O(|x - x*|) = O(1e-8) term */
    ck_assert_msg(hypot(x[0] - 1, x[1] - 1) <= 1.01 * r.grad_norm / 0.39936,
                  "x = (%.17g, %.17g), |g| = %g", x[0], x[1], r.grad_norm);
    /* without momentum the same budget is not enough: momentum is what gets it there */
    double y[2] = {-1.2, 1.0};
    nnm_gd_opts plain = {1e-3, 0.0, 1e-8, r.iterations, NULL};
    ck_assert_int_eq(nnm_grad_descent(rosen_f, rosen_g, NULL, 2, y, &plain, NULL), NNM_ENOCONV);
}
END_TEST

typedef struct cb_log {
    size_t calls, stop_at;
    size_t iters[16];
    double f[16], gn[16];
} cb_log;

static int record_iter(size_t iter, double f, double grad_norm, void *ctx)
{
    cb_log *log = ctx;
    if (log->calls < 16) {
        log->iters[log->calls] = iter;
        log->f[log->calls] = f;
        log->gn[log->calls] = grad_norm;
    }
    ++log->calls;
    return iter >= log->stop_at;
}
static double logged_f(size_t d, const double *x, void *ctx)
{
    (void)ctx;
    return notes_f(d, x, NULL);
}
static void logged_g(size_t d, const double *x, double *g, void *ctx)
{
    (void)ctx;
    notes_g(d, x, g, NULL);
}

START_TEST(descent_callback_sees_every_step_and_can_stop_it)
{
    cb_log log = {0, 5, {0}, {0}, {0}};
    double x[2] = {1, 2}, y[2] = {1, 2};
    nnm_gd_opts o = {0.1, 0.0, 1e-8, 0, record_iter};
    nnm_gd_result r;
    ck_assert_int_eq(nnm_grad_descent(logged_f, logged_g, &log, 2, x, &o, &r), NNM_OK);
    ck_assert_int_eq(r.converged, 0);
    ck_assert_uint_eq(r.iterations, 5);
    ck_assert_uint_eq(log.calls, 5);
    /* the same 5 steps by hand: iter i sees f and |g| at the i-th iterate */
    for (size_t i = 0; i < 5; ++i) {
        double g[2];
        notes_g(2, y, g, NULL);
        ck_assert_int_eq(nnm_grad_step_f64(2, 0.1, g, y), NNM_OK);
        notes_g(2, y, g, NULL);
        ck_assert_uint_eq(log.iters[i], i + 1);
        ck_assert(log.f[i] == notes_f(2, y, NULL));
        nnm_assert_rel_f64(log.gn[i], hypot(g[0], g[1]), 2);
    }
    ck_assert(x[0] == y[0] && x[1] == y[1]);
    ck_assert(r.f == log.f[4] && r.grad_norm == log.gn[4]);
    /* a callback that never stops is called once per step */
    cb_log all = {0, SIZE_MAX, {0}, {0}, {0}};
    double z[2] = {1, 2};
    ck_assert_int_eq(nnm_grad_descent(logged_f, logged_g, &all, 2, z, &o, &r), NNM_OK);
    ck_assert(r.converged == 1 && all.calls == r.iterations);
}
END_TEST

START_TEST(descent_reports_no_convergence_with_the_last_iterate)
{
    double x[2] = {1, 2}, y[2] = {1, 2};
    nnm_gd_opts o = {0.1, 0.5, 1e-8, 3, NULL};
    nnm_gd_result r;
    ck_assert_int_eq(nnm_grad_descent(notes_f, notes_g, NULL, 2, x, &o, &r), NNM_ENOCONV);
    ck_assert(r.iterations == 3 && r.converged == 0);
    /* three heavy-ball steps by hand: v = 0.5 v - 0.1 g; y += v */
    double v[2] = {0, 0};
    for (int i = 0; i < 3; ++i) {
        double g[2];
        notes_g(2, y, g, NULL);
        for (int j = 0; j < 2; ++j) {
            v[j] = 0.5 * v[j] - 0.1 * g[j];
            y[j] += v[j];
        }
    }
    ck_assert(x[0] == y[0] && x[1] == y[1]);
    ck_assert(r.f == notes_f(2, y, NULL));
}
END_TEST

static double nan_f_after(size_t d, const double *x, void *ctx)
{
    int *calls = ctx;
    return ++*calls > 4 ? NAN : notes_f(d, x, NULL);
}
static void nan_g(size_t d, const double *x, double *g, void *ctx)
{
    notes_g(d, x, g, NULL);
    int *calls = ctx;
    if (*calls > 2) g[1] = INFINITY;
}
static void notes_g_ctx(size_t d, const double *x, double *g, void *ctx)
{
    (void)ctx;
    notes_g(d, x, g, NULL);
}
static double atan_f(size_t d, const double *x, void *ctx)
{
    (void)d, (void)ctx;
    return atan(x[0]);
}
static void steep_g(size_t d, const double *x, double *g, void *ctx)
{
    (void)d, (void)ctx;
    g[0] = -1e300 * (1 + fabs(x[0]));
}

START_TEST(descent_stops_on_non_finite_values)
{
    int calls = 0;
    double x[2] = {1, 2};
    nnm_gd_result r;
    ck_assert_int_eq(nnm_grad_descent(nan_f_after, notes_g_ctx, &calls, 2, x, NULL, &r), NNM_EDOM);
    ck_assert(r.iterations == 4 && isnan(r.f) && r.converged == 0);
    ck_assert(x[0] != 1 && isfinite(x[0])); /* the iterate where f failed */
    calls = 0;
    double y[2] = {1, 2};
    ck_assert_int_eq(nnm_grad_descent(nan_f_after, nan_g, &calls, 2, y, NULL, &r), NNM_EDOM);
    ck_assert(r.iterations == 2 && isinf(r.grad_norm));
    /* a diverging run: lr = 1.5 on the notes' function grows by |1 - 1.5 * 3| = 3.5 a step until
     * f overflows */
    double z[2] = {1, 2};
    nnm_gd_opts big = {1.5, 0, 0, 0, NULL};
    ck_assert_int_eq(nnm_grad_descent(notes_f, notes_g, NULL, 2, z, &big, &r), NNM_EDOM);
    ck_assert(isinf(r.f) && r.iterations > 100);
    /* a step that overflows x itself: f and g are not evaluated there */
    double w[1] = {0.0};
    nnm_gd_opts one = {1e10, 0, 0, 0, NULL};
    ck_assert_int_eq(nnm_grad_descent(atan_f, steep_g, NULL, 1, w, &one, &r), NNM_EDOM);
    ck_assert(isinf(w[0]) && isnan(r.f) && isnan(r.grad_norm) && r.iterations == 1);
}
END_TEST

START_TEST(descent_rejects_bad_input_and_writes_nothing)
{
    double x[2] = {1, 2};
    nnm_gd_result r;
    nnm_canary_fill(&r, sizeof r);
    const nnm_gd_opts bad[] = {
        {-0.1, 0, 0, 0, NULL}, {NAN, 0, 0, 0, NULL},  {INFINITY, 0, 0, 0, NULL},
        {0, 1.0, 0, 0, NULL},  {0, -0.1, 0, 0, NULL}, {0, NAN, 0, 0, NULL},
        {0, 0, -1e-8, 0, NULL}, {0, 0, NAN, 0, NULL}, {0, 0, INFINITY, 0, NULL}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i)
        ck_assert_int_eq(nnm_grad_descent(notes_f, notes_g, NULL, 2, x, &bad[i], &r), NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_descent(NULL, notes_g, NULL, 2, x, NULL, &r), NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_descent(notes_f, NULL, NULL, 2, x, NULL, &r), NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_descent(notes_f, notes_g, NULL, 2, NULL, NULL, &r), NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_descent(notes_f, notes_g, NULL, 0, x, NULL, &r), NNM_ESIZE);
    ck_assert_int_eq(nnm_grad_descent(notes_f, notes_g, NULL, 0, x, &bad[0], &r), NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_descent(notes_f, notes_g, NULL, SIZE_MAX / 4, x, NULL, &r),
                     NNM_ESIZE);
    ck_assert_int_eq(nnm_grad_descent(notes_f, notes_g, NULL, (size_t)PTRDIFF_MAX / 8, x, NULL, &r),
                     NNM_ENOMEM);
    double xn[2] = {1, NAN};
    ck_assert_int_eq(nnm_grad_descent(notes_f, notes_g, NULL, 2, xn, NULL, &r), NNM_EDOM);
    ck_assert(x[0] == 1 && x[1] == 2 && xn[0] == 1 && isnan(xn[1]));
    nnm_assert_untouched(&r, sizeof r);
}
END_TEST

static Suite *gradient_suite(void)
{
    Suite *s = suite_create("gradient");
    TCase *tc = tcase_create("softmax");
    tcase_add_test(tc, jacobian_of_the_notes_exercise_softmax_1_2_3);
    tcase_add_test(tc, jacobian_keeps_the_diagonal_of_a_saturated_entry);
    tcase_add_test(tc, jacobian_is_symmetric_and_masks_zero_entries);
    tcase_add_test(tc, jacobian_matches_central_differences_of_softmax);
    tcase_add_test(tc, jacobian_f32_is_the_rounded_double_computation);
    tcase_add_test(tc, jacobian_rejects_bad_input_and_writes_nothing);
    tcase_add_test(tc, softmax_vjp_meets_its_bound_against_mpfr);
    tcase_add_test(tc, softmax_vjp_equals_jacobian_times_vector);
    tcase_add_test(tc, softmax_and_log_softmax_vjps_are_derivatives_of_the_forward_rows);
    tcase_add_test(tc, softmax_vjp_in_place_rows_and_f32);
    tcase_add_test(tc, log_softmax_vjp_meets_its_bound_against_mpfr);
    tcase_add_test(tc, log_softmax_vjp_keeps_the_gradient_of_a_confident_prediction);
    tcase_add_test(tc, log_softmax_vjp_in_place_and_f32);
    tcase_add_test(tc, vjps_reject_bad_input_and_write_nothing);
    suite_add_tcase(s, tc);

    tc = tcase_create("affine");
    tcase_add_test(tc, affine_backward_small_example_by_hand);
    tcase_add_test(tc, affine_backward_is_a_compensated_dot_product);
    tcase_add_test(tc, affine_backward_survives_cancellation);
    tcase_add_test(tc, affine_backward_matches_central_differences);
    tcase_add_test(tc, affine_backward_optional_outputs_and_empty_batch);
    tcase_add_test(tc, affine_backward_rejects_bad_input_and_writes_nothing);
    suite_add_tcase(s, tc);

    tc = tcase_create("numeric");
    tcase_add_test(tc, numeric_gradient_meets_its_error_model);
    tcase_add_test(tc, numeric_gradient_scales_the_step_with_x);
    tcase_add_test(tc, numeric_jacobian_matches_the_closed_form);
    tcase_add_test(tc, numeric_step_option_sets_h);
    tcase_add_test(tc, gradient_check_separates_right_from_wrong);
    tcase_add_test(tc, finite_differences_reject_bad_input_and_write_nothing);
    suite_add_tcase(s, tc);

    tc = tcase_create("descent");
    tcase_add_test(tc, gradient_step_updates_in_place);
    tcase_add_test(tc, gradient_step_rejects_bad_input);
    tcase_add_test(tc, descent_reaches_the_minimum_of_the_notes_function);
    tcase_add_test(tc, descent_with_momentum_reaches_the_rosenbrock_minimum);
    tcase_add_test(tc, descent_callback_sees_every_step_and_can_stop_it);
    tcase_add_test(tc, descent_reports_no_convergence_with_the_last_iterate);
    tcase_add_test(tc, descent_stops_on_non_finite_values);
    tcase_add_test(tc, descent_rejects_bad_input_and_writes_nothing);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return nnm_run_suite(gradient_suite());
}
