/*
 * Bad-input matrix of the Hessian module besides the activation f'' (test_errors_activation.c)
 * and the diagonal loss Hessians (test_errors_loss.c): the CE Hessian and HVP, the BCE-logits
 * diagonal, finite-difference Hessians, the quadratic form, the eigen-solver, definiteness and
 * classification. Every status with outputs untouched, the documented order EINVAL > ESIZE >
 * ENOMEM > EDOM, and regression tests of the eigen-solver bugs the fuzzer found (reliab8-2..5).
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <nnmath/nnmath.h>

#include "test_errors.h"

/* The NNM_ENOMEM cases ask malloc for 2^62 bytes. Under AddressSanitizer that aborts unless the
 * allocator may return NULL, as a real allocator does (this only sets ASan's default; the
 * ASAN_OPTIONS of the environment still apply on top). */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NNM_TEST_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(NNM_TEST_ASAN)
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}
#endif

START_TEST(ce_hessian_and_hvp_statuses)
{
    guard H, a, t, v;
    memset(&a, 0, sizeof a);
    memset(&v, 0, sizeof v);
    for (int j = 0; j < 64; ++j) t.d[j] = 0.25;
    for (int j = 0; j < 128; ++j) t.f[j] = 0.25f;
    guard_fill(&H);
    assert_status(nnm_hess_loss_ce_logits_f64(3, 0.0, a.d, t.d, H.d), NNM_EINVAL);
    assert_status(nnm_hess_loss_ce_logits_f64(3, NAN, a.d, t.d, H.d), NNM_EINVAL);
    assert_status(nnm_hess_loss_ce_logits_f64(3, 1.0, NULL, t.d, H.d), NNM_EINVAL);
    assert_status(nnm_hess_loss_ce_logits_f64(3, 1.0, a.d, NULL, H.d), NNM_EINVAL);
    assert_status(nnm_hess_loss_ce_logits_f64(3, 1.0, a.d, t.d, NULL), NNM_EINVAL);
    assert_status(nnm_hess_loss_ce_logits_f64(0, 1.0, a.d, t.d, H.d), NNM_ESIZE);
    assert_status(nnm_hess_loss_ce_logits_f64((size_t)1 << 32, 1.0, a.d, t.d, H.d), NNM_ESIZE);
    assert_status(nnm_hess_loss_ce_logits_f32((size_t)1 << 31, 1.0, a.f, t.f, H.f), NNM_ESIZE);
    static const double bad_t[] = {NAN, -0.5, 1.5};
    for (int b = 0; b < 3; ++b) {
        double tt[3] = {0.2, 0.3, bad_t[b]};
        assert_status(nnm_hess_loss_ce_logits_f64(3, 1.0, a.d, tt, H.d), NNM_EDOM);
    }
    assert_guard_intact(&H);
    /* HVP */
    assert_status(nnm_hess_loss_ce_logits_hvp_f64(2, 3, -1.0, a.d, v.d, H.d), NNM_EINVAL);
    assert_status(nnm_hess_loss_ce_logits_hvp_f64(2, 3, 1.0, NULL, v.d, H.d), NNM_EINVAL);
    assert_status(nnm_hess_loss_ce_logits_hvp_f64(2, 3, 1.0, a.d, NULL, H.d), NNM_EINVAL);
    assert_status(nnm_hess_loss_ce_logits_hvp_f64(2, 3, 1.0, a.d, v.d, NULL), NNM_EINVAL);
    assert_status(nnm_hess_loss_ce_logits_hvp_f64(2, 0, 1.0, a.d, v.d, H.d), NNM_ESIZE);
    assert_status(nnm_hess_loss_ce_logits_hvp_f64(HALF_SIZE_MAX, 2, 1.0, a.d, v.d, H.d), NNM_ESIZE);
    assert_status(nnm_hess_loss_ce_logits_hvp_f32(2, BIG_N_F32 / 2 + 1, 1.0, a.f, v.f, H.f), NNM_ESIZE);
    assert_status(nnm_hess_loss_ce_logits_hvp_f64(0, 3, 1.0, NULL, NULL, NULL), NNM_OK);
    assert_guard_intact(&H);
    /* Hv == v allowed */
    double av[6] = {1, 2, 3, -1, 0, 1}, v1[6] = {1, -1, 2, 0.5, 0.25, -3}, v2[6], h1[6];
    memcpy(v2, v1, sizeof v2);
    ck_assert_int_eq(nnm_hess_loss_ce_logits_hvp_f64(2, 3, 1.0, av, v1, h1), NNM_OK);
    ck_assert_int_eq(nnm_hess_loss_ce_logits_hvp_f64(2, 3, 1.0, av, v2, v2), NNM_OK);
    ck_assert(memcmp(h1, v2, sizeof h1) == 0);
    /* BCE logits diagonal (no options) */
    assert_status(nnm_hess_loss_bce_logits_f64(2, 3, NULL, t.d, H.d), NNM_EINVAL);
    assert_status(nnm_hess_loss_bce_logits_f64(2, 3, a.d, t.d, NULL), NNM_EINVAL);
    assert_status(nnm_hess_loss_bce_logits_f64(2, 0, a.d, t.d, H.d), NNM_ESIZE);
    double tb[6] = {0, 1, 0.5, 0.5, 0.5, 2.0};
    assert_status(nnm_hess_loss_bce_logits_f64(2, 3, a.d, tb, H.d), NNM_EDOM);
    assert_guard_intact(&H);
}
END_TEST

static double f_sq(size_t d, const double *x, void *ctx)
{
    (void)ctx;
    double s = 0.0;
    for (size_t i = 0; i < d; ++i) s += x[i] * x[i];
    return s;
}
static void g_sq(size_t d, const double *x, double *g, void *ctx)
{
    (void)ctx;
    for (size_t i = 0; i < d; ++i) g[i] = 2.0 * x[i];
}
static void g_nan(size_t d, const double *x, double *g, void *ctx)
{
    (void)x, (void)ctx;
    for (size_t i = 0; i < d; ++i) g[i] = NAN;
}

START_TEST(numeric_quadform_statuses)
{
    guard H;
    double x[3] = {1, 2, 3}, bad[3] = {1, INFINITY, 3};
    guard_fill(&H);
    assert_status(nnm_hess_numeric(NULL, NULL, 3, x, H.d), NNM_EINVAL);
    assert_status(nnm_hess_numeric(f_sq, NULL, 3, NULL, H.d), NNM_EINVAL);
    assert_status(nnm_hess_numeric(f_sq, NULL, 3, x, NULL), NNM_EINVAL);
    assert_status(nnm_hess_numeric(f_sq, NULL, 0, x, H.d), NNM_ESIZE);
    assert_status(nnm_hess_numeric(f_sq, NULL, (size_t)1 << 32, x, H.d), NNM_ESIZE);
    assert_status(nnm_hess_numeric(f_sq, NULL, 3, bad, H.d), NNM_EDOM);
    assert_status(nnm_hess_numeric_from_grad(NULL, NULL, 3, x, H.d), NNM_EINVAL);
    assert_status(nnm_hess_numeric_from_grad(g_sq, NULL, 0, x, H.d), NNM_ESIZE);
    assert_status(nnm_hess_numeric_from_grad(g_sq, NULL, (size_t)1 << 31, x, H.d), NNM_ESIZE);
    assert_status(nnm_hess_numeric_from_grad(g_sq, NULL, 3, bad, H.d), NNM_EDOM);
    assert_guard_intact(&H);
    /* quadratic form: value untouched on failure */
    double Hq[9] = {2, 1, 0, 1, 2, 0, 0, 0, 1}, q = -7.0;
    assert_status(nnm_hess_quadform_f64(3, NULL, x, &q), NNM_EINVAL);
    assert_status(nnm_hess_quadform_f64(3, Hq, NULL, &q), NNM_EINVAL);
    assert_status(nnm_hess_quadform_f64(3, Hq, x, NULL), NNM_EINVAL);
    assert_status(nnm_hess_quadform_f64(0, Hq, x, &q), NNM_ESIZE);
    assert_status(nnm_hess_quadform_f64((size_t)1 << 32, Hq, x, &q), NNM_ESIZE);
    float qf = -7.0f, Hf[9] = {0}, xf[3] = {0};
    assert_status(nnm_hess_quadform_f32((size_t)1 << 31, Hf, xf, &qf), NNM_ESIZE);
    ck_assert(q == -7.0 && qf == -7.0f);
}
END_TEST

START_TEST(eigen_definiteness_classify_statuses)
{
    guard eig, V;
    double H[9] = {2, 1, 0, 1, 2, 0, 0, 0, 1}, grad[3] = {0, 0, 0};
    guard_fill(&eig);
    guard_fill(&V);
    assert_status(nnm_hess_eigvals_sym_f64(3, NULL, eig.d), NNM_EINVAL);
    assert_status(nnm_hess_eigvals_sym_f64(3, H, NULL), NNM_EINVAL);
    assert_status(nnm_hess_eig_sym_f64(3, H, eig.d, NULL), NNM_EINVAL);
    assert_status(nnm_hess_eigvals_sym_f64(0, H, eig.d), NNM_ESIZE);
    assert_status(nnm_hess_eigvals_sym_f64((size_t)1 << 32, H, eig.d), NNM_ESIZE);
    assert_status(nnm_hess_eig_sym_f64(SIZE_MAX, H, eig.d, V.d), NNM_ESIZE);
    /* d*d doubles fit in PTRDIFF_MAX bytes but the 2^62-byte scratch cannot exist: ENOMEM,
     * reported before the (tiny) H is read */
    assert_status(nnm_hess_eigvals_sym_f64((size_t)1 << 29, H, eig.d), NNM_ENOMEM);
    assert_status(nnm_hess_eig_sym_f64((size_t)1 << 29, H, eig.d, V.d), NNM_ENOMEM);
    /* EINVAL before ESIZE before ENOMEM before EDOM */
    assert_status(nnm_hess_eigvals_sym_f64(0, NULL, eig.d), NNM_EINVAL);
    double Hnan[9] = {2, 1, 0, 1, NAN, 0, 0, 0, 1};
    assert_status(nnm_hess_eigvals_sym_f64(0, Hnan, eig.d), NNM_ESIZE);
    assert_status(nnm_hess_eigvals_sym_f64(3, Hnan, eig.d), NNM_EDOM);
    double Hinf[9] = {2, 1, 0, 1, 2, 0, 0, 0, -INFINITY};
    assert_status(nnm_hess_eig_sym_f64(3, Hinf, eig.d, V.d), NNM_EDOM);
    double Hasym[9] = {2, 1, 0, 1.001, 2, 0, 0, 0, 1};
    assert_status(nnm_hess_eigvals_sym_f64(3, Hasym, eig.d), NNM_EDOM);
    float Hf[9] = {2, 1, 0, 1.001f, 2, 0, 0, 0, 1};
    assert_status(nnm_hess_eigvals_sym_f32(3, Hf, eig.f), NNM_EDOM);
    assert_guard_intact(&eig);
    assert_guard_intact(&V);
    /* definiteness and classification: *out written only on NNM_OK */
    nnm_definiteness def = (nnm_definiteness)77;
    nnm_stationary st = (nnm_stationary)77;
    assert_status(nnm_hess_definiteness_f64(3, H, NAN, &def), NNM_EINVAL);
    assert_status(nnm_hess_definiteness_f64(3, H, INFINITY, &def), NNM_EINVAL);
    assert_status(nnm_hess_definiteness_f64(3, NULL, 0.0, &def), NNM_EINVAL);
    assert_status(nnm_hess_definiteness_f64(3, H, 0.0, NULL), NNM_EINVAL);
    assert_status(nnm_hess_definiteness_f64(0, H, 0.0, &def), NNM_ESIZE);
    assert_status(nnm_hess_definiteness_f64(3, Hnan, 0.0, &def), NNM_EDOM);
    assert_status(nnm_hess_definiteness_f64(3, Hasym, 0.0, &def), NNM_EDOM);
    ck_assert_int_eq((int)def, 77);
    assert_status(nnm_hess_classify_f64(3, grad, H, NAN, &st), NNM_EINVAL);
    assert_status(nnm_hess_classify_f64(3, NULL, H, 0.0, &st), NNM_EINVAL);
    assert_status(nnm_hess_classify_f64(3, grad, NULL, 0.0, &st), NNM_EINVAL);
    assert_status(nnm_hess_classify_f64(3, grad, H, 0.0, NULL), NNM_EINVAL);
    assert_status(nnm_hess_classify_f64(0, grad, H, 0.0, &st), NNM_ESIZE);
    double gbad[3] = {0, NAN, 0};
    assert_status(nnm_hess_classify_f64(3, gbad, H, 0.0, &st), NNM_EDOM);
    assert_status(nnm_hess_classify_f64(3, grad, Hnan, 0.0, &st), NNM_EDOM);
    ck_assert_int_eq((int)st, 77);
    double x[3] = {0, 0, 0}, xbad[3] = {0, -INFINITY, 0};
    assert_status(nnm_hess_classify_point(NULL, NULL, NULL, 3, x, 0.0, &st), NNM_EINVAL);
    assert_status(nnm_hess_classify_point(f_sq, g_sq, NULL, 3, NULL, 0.0, &st), NNM_EINVAL);
    assert_status(nnm_hess_classify_point(f_sq, g_sq, NULL, 3, x, NAN, &st), NNM_EINVAL);
    assert_status(nnm_hess_classify_point(f_sq, g_sq, NULL, 0, x, 0.0, &st), NNM_ESIZE);
    assert_status(nnm_hess_classify_point(f_sq, g_sq, NULL, 3, xbad, 0.0, &st), NNM_EDOM);
    assert_status(nnm_hess_classify_point(NULL, g_nan, NULL, 3, x, 0.0, &st), NNM_EDOM);
    ck_assert_int_eq((int)st, 77);
    assert_status(nnm_hess_classify_point(f_sq, NULL, NULL, 3, x, 0.0, &st), NNM_OK);
    ck_assert_int_eq((int)st, NNM_LOCAL_MINIMUM);
}
END_TEST

/* ---- regression tests of the fuzz findings (reliab8-2..5, fixed) ---------------------------- */
static double max_orth_err(size_t d, const double *V)
{
    double worst = 0.0;
    for (size_t j = 0; j < d; ++j)
        for (size_t k = 0; k < d; ++k) {
            double dot = 0.0;
            for (size_t i = 0; i < d; ++i) dot += V[i * d + j] * V[i * d + k];
            worst = fmax(worst, fabs(dot - (j == k ? 1.0 : 0.0)));
        }
    return worst;
}

START_TEST(eigenvectors_orthonormal_with_subnormal_entry) /* reliab8-2 */
{
    const double a = -0x1.4p+4, b = -0x1.fdeb851eb851fp+3, c = -0x1.7e43c8800759cp+0,
                 e = -0x1.8243fep+20, s = 0x0.07ec1c1000004p-1022;
    double H[25] = {a, b, c, e, 0, b, s, 0, 0, 0, c, 0, 0, 0, 0, e, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    double lam[5], V[25];
    ck_assert_int_eq(nnm_hess_eig_sym_f64(5, H, lam, V), NNM_OK);
    ck_assert_msg(max_orth_err(5, V) <= 10 * 5 * DBL_EPSILON, "|V^T V - I| = %g", max_orth_err(5, V));
}
END_TEST

START_TEST(eigenvalues_accurate_with_subnormal_entry) /* reliab8-3 */
{
    const double a = 0x1.f91c4p-6, b = -0x1.bb6cp+0, e = 0x1.caeap-1057;
    double H[25] = {a, b, 0, 0, 0, b, 0, e, 0, 0, 0, e, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    double lam[5];
    ck_assert_int_eq(nnm_hess_eigvals_sym_f64(5, H, lam), NNM_OK);
    /* exact: the eigenvalues of [[a, b], [b, 0]] (e moves them by ~e^2), then zeros; the
     * reference itself is within 2 eps */
    double want = (a + sqrt(a * a + 4 * b * b)) / 2;
    nnm_assert_rel_f64(lam[4], want, 10 * 5 + 2);
    /* tiny normal entries whose squares underflow: sum of eigenvalues = trace */
    const double t = 0x1.8181818181818p-638, bb = -0x1.474973c84120cp+0, u = 0x1.0181818181818p-109;
    double H8[64] = {0}, l8[8];
    for (int j = 1; j < 7; ++j) H8[j] = H8[j * 8] = t;
    H8[7] = H8[56] = u;
    H8[9] = bb;
    ck_assert_int_eq(nnm_hess_eigvals_sym_f64(8, H8, l8), NNM_OK);
    double tr = 0.0;
    for (int j = 0; j < 8; ++j) tr += l8[j];
    ck_assert_msg(fabs(tr - bb) <= 10 * 8 * DBL_EPSILON * fabs(bb), "sum %a vs trace %a", tr, bb);
}
END_TEST

START_TEST(eigenvectors_orthonormal_for_rank_deficient_matrix) /* reliab8-4 */
{
    static const struct {
        int i, j;
        double v;
    } nz[] = {{0, 0, -0x1.89ba5e353f7cfp-7}, {0, 2, -0x1.9fe36ap+0},  {0, 3, -0x1.81ap-3},
              {0, 11, -0x1.505f3f3f3f3ebp-6}, {0, 33, 0x1.14p+0},      {1, 1, -0x1.d8p-1},
              {1, 2, -0x1.d8p-1},            {1, 3, -0x1.d8p-1},      {1, 4, -0x1.d8p-1}};
    static double H[36 * 36], lam[36], V[36 * 36];
    memset(H, 0, sizeof H);
    for (int j = 4; j < 36; ++j)
        if (j != 10 && j != 11 && j != 33) H[j] = H[j * 36] = -0x1.d8p-1;
    for (size_t t = 0; t < sizeof nz / sizeof nz[0]; ++t)
        H[nz[t].i * 36 + nz[t].j] = H[nz[t].j * 36 + nz[t].i] = nz[t].v;
    ck_assert_int_eq(nnm_hess_eig_sym_f64(36, H, lam, V), NNM_OK);
    ck_assert_msg(max_orth_err(36, V) <= 10 * 36 * DBL_EPSILON, "|V^T V - I| = %g",
                  max_orth_err(36, V));
}
END_TEST

START_TEST(quadform_zero_component_next_to_huge_entry_is_finite) /* reliab8-5 */
{
    double H[4] = {1.0, 0x1p1000, 0x1p1000, 1.0}, x[2] = {0x1p100, 0.0}, q;
    ck_assert_int_eq(nnm_hess_quadform_f64(2, H, x, &q), NNM_OK);
    ck_assert_msg(q == 0x1p200, "q = %g, exact 2^200", q);
}
END_TEST

static Suite *errors_hessian_suite(void)
{
    Suite *s = suite_create("errors_hessian");
    TCase *tc = tcase_create("matrix");
    tcase_add_test(tc, ce_hessian_and_hvp_statuses);
    tcase_add_test(tc, numeric_quadform_statuses);
    tcase_add_test(tc, eigen_definiteness_classify_statuses);
    suite_add_tcase(s, tc);
    TCase *reg = tcase_create("fuzz_findings");
    tcase_add_test(reg, eigenvectors_orthonormal_with_subnormal_entry);
    tcase_add_test(reg, eigenvalues_accurate_with_subnormal_entry);
    tcase_add_test(reg, eigenvectors_orthonormal_for_rank_deficient_matrix);
    tcase_add_test(reg, quadform_zero_component_next_to_huge_entry_is_finite);
    suite_add_tcase(s, reg);
    return s;
}

int main(void)
{
    return nnm_run_suite(errors_hessian_suite());
}
