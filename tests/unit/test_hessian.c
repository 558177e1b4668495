/* The hessian module (except activation f'', tested in test_hessian_activation.c): the notes'
 * worked example, the known stationary points, quadratic forms against MPFR, finite-difference
 * Hessians against closed forms, definiteness with its default tolerance, the closed-form loss
 * Hessians against central differences of the loss gradients, and bad input for every function
 * with the outputs proven untouched. (The eigen-solver itself is in test_eigen.c.) */
#include <float.h>
#include <math.h>
#include <mpfr.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <nnmath/nnmath.h>

#include "nnm_check.h"

/* The allocation-failure tests ask for ~2^59 bytes; under AddressSanitizer malloc must then
 * return NULL (as glibc does) instead of aborting the test. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}

/* ---- user functions ---------------------------------------------------------------------- */

/* Counts the calls of a user function, to check the documented evaluation counts. */
typedef struct counter {
    size_t calls;
} counter;

static void count(void *ctx)
{
    if (ctx != NULL) ((counter *)ctx)->calls++;
}

/* The notes' f(x, y) = x^2 + xy + y^2, its gradient (2x + y, x + 2y). */
static double notes_f(size_t d, const double *x, void *ctx)
{
    (void)d;
    count(ctx);
    return x[0] * x[0] + x[0] * x[1] + x[1] * x[1];
}
static void notes_g(size_t d, const double *x, double *g, void *ctx)
{
    (void)d;
    count(ctx);
    g[0] = 2.0 * x[0] + x[1];
    g[1] = x[0] + 2.0 * x[1];
}

static double bowl_f(size_t d, const double *x, void *ctx) /* x^2 + y^2 */
{
    (void)d, (void)ctx;
    return x[0] * x[0] + x[1] * x[1];
}
static void bowl_g(size_t d, const double *x, double *g, void *ctx)
{
    (void)d, (void)ctx;
    g[0] = 2.0 * x[0];
    g[1] = 2.0 * x[1];
}
static double cap_f(size_t d, const double *x, void *ctx) /* -x^2 - y^2 */
{
    return -bowl_f(d, x, ctx);
}
static void cap_g(size_t d, const double *x, double *g, void *ctx)
{
    bowl_g(d, x, g, ctx);
    g[0] = -g[0];
    g[1] = -g[1];
}
static double saddle_f(size_t d, const double *x, void *ctx) /* x^2 - y^2 */
{
    (void)d, (void)ctx;
    return x[0] * x[0] - x[1] * x[1];
}
static void saddle_g(size_t d, const double *x, double *g, void *ctx)
{
    (void)d, (void)ctx;
    g[0] = 2.0 * x[0];
    g[1] = -2.0 * x[1];
}
static double quartic_f(size_t d, const double *x, void *ctx) /* x^4 + y^4 */
{
    (void)d, (void)ctx;
    return pow(x[0], 4) + pow(x[1], 4);
}
static void quartic_g(size_t d, const double *x, double *g, void *ctx)
{
    (void)d, (void)ctx;
    g[0] = 4.0 * pow(x[0], 3);
    g[1] = 4.0 * pow(x[1], 3);
}
static double rosen_f(size_t d, const double *x, void *ctx) /* (1-x)^2 + 100 (y - x^2)^2 */
{
    (void)d, (void)ctx;
    double a = 1.0 - x[0], b = x[1] - x[0] * x[0];
    return a * a + 100.0 * b * b;
}
static void rosen_g(size_t d, const double *x, double *g, void *ctx)
{
    (void)d, (void)ctx;
    double b = x[1] - x[0] * x[0];
    g[0] = -2.0 * (1.0 - x[0]) - 400.0 * x[0] * b;
    g[1] = 200.0 * b;
}
static double nan_f(size_t d, const double *x, void *ctx)
{
    (void)d, (void)x, (void)ctx;
    return NAN;
}
static void nan_g(size_t d, const double *x, double *g, void *ctx)
{
    (void)x, (void)ctx;
    for (size_t i = 0; i < d; ++i) g[i] = NAN;
}

/* ---- the notes' worked example ------------------------------------------------------------- */

START_TEST(notes_example_hessian_quadform_eigenvalues_and_minimum)
{
    /* f = x^2 + xy + y^2: H = [[2,1],[1,2]] */
    const double want[4] = {2, 1, 1, 2};
    double H[4];
    const double origin[2] = {0, 0}, p12[2] = {1, 2};

    /* numeric from f at the origin and from g at (1, 2): with power-of-two steps every value
     * the difference formulas see is exact here, and so is H */
    ck_assert_int_eq(nnm_hess_numeric(notes_f, NULL, 2, origin, H), NNM_OK);
    for (int i = 0; i < 4; ++i) nnm_assert_ulp_f64(H[i], want[i], 0);
    ck_assert_int_eq(nnm_hess_numeric_from_grad(notes_g, NULL, 2, p12, H), NNM_OK);
    for (int i = 0; i < 4; ++i) nnm_assert_ulp_f64(H[i], want[i], 0);
    /* "numeric, to 1e-8" (the issue; 1e-8 = 4.5e7 eps) at a point where f and g round: from f
     * (documented error ~ sqrt(eps) |f| / h^2 ~ 1e-9 here) and from g (~ eps |g| / h ~ 1e-11) */
    const double px[2] = {0.3, -0.7};
    ck_assert_int_eq(nnm_hess_numeric(notes_f, NULL, 2, px, H), NNM_OK);
    for (int i = 0; i < 4; ++i) nnm_assert_rel_f64(H[i], want[i], 4.5e7);
    ck_assert_int_eq(nnm_hess_numeric_from_grad(notes_g, NULL, 2, px, H), NNM_OK);
    for (int i = 0; i < 4; ++i) nnm_assert_rel_f64(H[i], want[i], 4.5e5);

    /* X^T H X = [1 2] [[2,1],[1,2]] [1 2]^T = 4 + 10 = 14 */
    const double X[2] = {1, 2};
    double q = 0.0;
    ck_assert_int_eq(nnm_hess_quadform_f64(2, want, X, &q), NNM_OK);
    nnm_assert_ulp_f64(q, 14.0, 0);

    /* eigenvalues {1, 3}, eigenvectors (1,-1)/sqrt2 and (1,1)/sqrt2 */
    double eig[2], V[4];
    ck_assert_int_eq(nnm_hess_eig_sym_f64(2, want, eig, V), NNM_OK);
    nnm_assert_ulp_f64(eig[0], 1.0, 0);
    nnm_assert_ulp_f64(eig[1], 3.0, 0);
    const double r = sqrt(0.5);
    nnm_assert_ulp_f64(V[0], r, 1);  /* column 0: ( r, -r) */
    nnm_assert_ulp_f64(V[2], -r, 1);
    nnm_assert_ulp_f64(V[1], r, 1);  /* column 1: ( r,  r) */
    nnm_assert_ulp_f64(V[3], r, 1);

    /* positive definite, and the origin (gradient 0) is a minimum */
    nnm_definiteness def;
    ck_assert_int_eq(nnm_hess_definiteness_f64(2, want, 0.0, &def), NNM_OK);
    ck_assert_int_eq(def, NNM_POSITIVE_DEFINITE);
    nnm_stationary st;
    ck_assert_int_eq(nnm_hess_classify_f64(2, origin, want, 0.0, &st), NNM_OK);
    ck_assert_int_eq(st, NNM_LOCAL_MINIMUM);
    ck_assert_int_eq(nnm_hess_classify_point(notes_f, NULL, NULL, 2, origin, 0.0, &st), NNM_OK);
    ck_assert_int_eq(st, NNM_LOCAL_MINIMUM);
    ck_assert_int_eq(nnm_hess_classify_point(NULL, notes_g, NULL, 2, origin, 0.0, &st), NNM_OK);
    ck_assert_int_eq(st, NNM_LOCAL_MINIMUM);
}
END_TEST

/* ---- stationary points ---------------------------------------------------------------------- */

typedef struct known_point {
    const char *name;
    nnm_fn f;
    nnm_grad_fn g;
    double x[2];
    nnm_stationary want;
} known_point;

static const known_point known[] = {
    {"x^2+y^2 at 0", bowl_f, bowl_g, {0, 0}, NNM_LOCAL_MINIMUM},
    {"-x^2-y^2 at 0", cap_f, cap_g, {0, 0}, NNM_LOCAL_MAXIMUM},
    {"x^2-y^2 at 0", saddle_f, saddle_g, {0, 0}, NNM_SADDLE_POINT},
    {"x^4+y^4 at 0", quartic_f, quartic_g, {0, 0}, NNM_DEGENERATE},
    {"Rosenbrock at (1,1)", rosen_f, rosen_g, {1, 1}, NNM_LOCAL_MINIMUM},
    {"x^2+y^2 at (1,0)", bowl_f, bowl_g, {1, 0}, NNM_NOT_STATIONARY},
    {"Rosenbrock at (0,0)", rosen_f, rosen_g, {0, 0}, NNM_NOT_STATIONARY},
    {"x^2-y^2 at (0,1e-3)", saddle_f, saddle_g, {0, 1e-3}, NNM_NOT_STATIONARY},
};

START_TEST(known_points_are_classified_from_f_and_from_the_gradient)
{
    for (size_t k = 0; k < sizeof known / sizeof known[0]; ++k) {
        const known_point *p = &known[k];
        nnm_stationary st = (nnm_stationary)-1;
        ck_assert_int_eq(nnm_hess_classify_point(p->f, NULL, NULL, 2, p->x, 0.0, &st), NNM_OK);
        ck_assert_msg(st == p->want, "%s from f: %d, want %d", p->name, (int)st, (int)p->want);
        st = (nnm_stationary)-1;
        ck_assert_int_eq(nnm_hess_classify_point(NULL, p->g, NULL, 2, p->x, 0.0, &st), NNM_OK);
        ck_assert_msg(st == p->want, "%s from g: %d, want %d", p->name, (int)st, (int)p->want);
        /* when both are given the gradient is used */
        st = (nnm_stationary)-1;
        ck_assert_int_eq(nnm_hess_classify_point(p->f, p->g, NULL, 2, p->x, 0.0, &st), NNM_OK);
        ck_assert_int_eq(st, p->want);
    }
}
END_TEST

START_TEST(classification_from_exact_gradient_and_hessian)
{
    const double g0[3] = {0, 0, 0};
    nnm_stationary st;
    /* x^3 + y^2 at 0: H = diag(0, 2) is PSD, but 0 is no minimum: degenerate */
    const double H_cubic[4] = {0, 0, 0, 2};
    ck_assert_int_eq(nnm_hess_classify_f64(2, g0, H_cubic, 0.0, &st), NNM_OK);
    ck_assert_int_eq(st, NNM_DEGENERATE);
    /* the zero matrix (x^4 + y^4, -x^4 - y^4 at 0) is degenerate */
    const double Z[4] = {0, 0, 0, 0};
    ck_assert_int_eq(nnm_hess_classify_f64(2, g0, Z, 0.0, &st), NNM_OK);
    ck_assert_int_eq(st, NNM_DEGENERATE);
    /* indefinite with a zero eigenvalue is still a saddle */
    const double H_sz[9] = {1, 0, 0, 0, -1, 0, 0, 0, 0};
    ck_assert_int_eq(nnm_hess_classify_f64(3, g0, H_sz, 0.0, &st), NNM_OK);
    ck_assert_int_eq(st, NNM_SADDLE_POINT);
    /* negative semi-definite and singular: degenerate; negative definite: maximum */
    const double H_nsd[9] = {-1, -2, -3, -2, -4, -6, -3, -6, -9};
    ck_assert_int_eq(nnm_hess_classify_f64(3, g0, H_nsd, 0.0, &st), NNM_OK);
    ck_assert_int_eq(st, NNM_DEGENERATE);
    const double H_nd[4] = {-2, 1, 1, -2};
    ck_assert_int_eq(nnm_hess_classify_f64(2, g0, H_nd, 0.0, &st), NNM_OK);
    ck_assert_int_eq(st, NNM_LOCAL_MAXIMUM);

    /* the default gradient band is sqrt(eps) max(1, |H|_2) = 1.49e-8 * 3 for [[2,1],[1,2]] */
    const double H[4] = {2, 1, 1, 2};
    const double g_in[2] = {4.4e-8, 0}, g_out[2] = {4.5e-8, 0};
    ck_assert_int_eq(nnm_hess_classify_f64(2, g_in, H, 0.0, &st), NNM_OK);
    ck_assert_int_eq(st, NNM_LOCAL_MINIMUM);
    ck_assert_int_eq(nnm_hess_classify_f64(2, g_out, H, 0.0, &st), NNM_OK);
    ck_assert_int_eq(st, NNM_NOT_STATIONARY);
    /* an explicit tol is used for both bands */
    ck_assert_int_eq(nnm_hess_classify_f64(2, g_out, H, 1e-7, &st), NNM_OK);
    ck_assert_int_eq(st, NNM_LOCAL_MINIMUM);
    const double H_small[4] = {1, 0, 0, 1e-8};
    ck_assert_int_eq(nnm_hess_classify_f64(2, g0, H_small, 0.0, &st), NNM_OK);
    ck_assert_int_eq(st, NNM_LOCAL_MINIMUM);
    ck_assert_int_eq(nnm_hess_classify_f64(2, g0, H_small, 1e-7, &st), NNM_OK);
    ck_assert_int_eq(st, NNM_DEGENERATE);

    /* float data: bands from FLT_EPSILON (sqrt(FLT_EPSILON) * 3 = 1.04e-3) */
    const float Hf[4] = {2, 1, 1, 2}, gf_in[2] = {1e-3f, 0}, gf_out[2] = {1.1e-3f, 0};
    ck_assert_int_eq(nnm_hess_classify_f32(2, gf_in, Hf, 0.0, &st), NNM_OK);
    ck_assert_int_eq(st, NNM_LOCAL_MINIMUM);
    ck_assert_int_eq(nnm_hess_classify_f32(2, gf_out, Hf, 0.0, &st), NNM_OK);
    ck_assert_int_eq(st, NNM_NOT_STATIONARY);
    const float Hf_sad[4] = {1, 3, 3, 1};
    const float gf0[2] = {0, 0};
    ck_assert_int_eq(nnm_hess_classify_f32(2, gf0, Hf_sad, 0.0, &st), NNM_OK);
    ck_assert_int_eq(st, NNM_SADDLE_POINT);
}
END_TEST

/* ---- definiteness ----------------------------------------------------------------------------- */

START_TEST(rank_one_matrix_of_the_issue_is_positive_semidefinite)
{
    const double R[9] = {1, 2, 3, 2, 4, 6, 3, 6, 9};
    nnm_definiteness def = (nnm_definiteness)-1;
    ck_assert_int_eq(nnm_hess_definiteness_f64(3, R, 0.0, &def), NNM_OK);
    ck_assert_int_eq(def, NNM_POSITIVE_SEMIDEFINITE);
    ck_assert_int_eq(nnm_hess_definiteness_f64(3, R, -1.0, &def), NNM_OK); /* <= 0: default */
    ck_assert_int_eq(def, NNM_POSITIVE_SEMIDEFINITE);
    const float Rf[9] = {1, 2, 3, 2, 4, 6, 3, 6, 9};
    ck_assert_int_eq(nnm_hess_definiteness_f32(3, Rf, 0.0, &def), NNM_OK);
    ck_assert_int_eq(def, NNM_POSITIVE_SEMIDEFINITE);
    const double Rn[9] = {-1, -2, -3, -2, -4, -6, -3, -6, -9};
    ck_assert_int_eq(nnm_hess_definiteness_f64(3, Rn, 0.0, &def), NNM_OK);
    ck_assert_int_eq(def, NNM_NEGATIVE_SEMIDEFINITE);
}
END_TEST

START_TEST(every_definiteness_class_and_the_explicit_tolerance)
{
    struct {
        double H[4];
        nnm_definiteness want;
    } cases[] = {
        {{2, 1, 1, 2}, NNM_POSITIVE_DEFINITE},
        {{-2, 1, 1, -2}, NNM_NEGATIVE_DEFINITE},
        {{1, 0, 0, -1}, NNM_INDEFINITE},
        {{1, 1, 1, 1}, NNM_POSITIVE_SEMIDEFINITE},
        {{-1, 1, 1, -1}, NNM_NEGATIVE_SEMIDEFINITE},
        {{0, 0, 0, 0}, NNM_POSITIVE_SEMIDEFINITE}, /* zero: both semi-definite, PSD reported */
        {{1, 3, 3, 1}, NNM_INDEFINITE},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; ++c) {
        nnm_definiteness def = (nnm_definiteness)-1;
        ck_assert_int_eq(nnm_hess_definiteness_f64(2, cases[c].H, 0.0, &def), NNM_OK);
        ck_assert_msg(def == cases[c].want, "case %zu: %d, want %d", c, (int)def,
                      (int)cases[c].want);
    }
    /* lambda = 1e-10 is positive by default (the band is 2 eps), zero with tol = 1e-9 */
    const double H[4] = {1, 0, 0, 1e-10}, Hm[4] = {1, 0, 0, -1e-10};
    nnm_definiteness def;
    ck_assert_int_eq(nnm_hess_definiteness_f64(2, H, 0.0, &def), NNM_OK);
    ck_assert_int_eq(def, NNM_POSITIVE_DEFINITE);
    ck_assert_int_eq(nnm_hess_definiteness_f64(2, H, 1e-9, &def), NNM_OK);
    ck_assert_int_eq(def, NNM_POSITIVE_SEMIDEFINITE);
    ck_assert_int_eq(nnm_hess_definiteness_f64(2, Hm, 0.0, &def), NNM_OK);
    ck_assert_int_eq(def, NNM_INDEFINITE);
    ck_assert_int_eq(nnm_hess_definiteness_f64(2, Hm, 1e-9, &def), NNM_OK);
    ck_assert_int_eq(def, NNM_POSITIVE_SEMIDEFINITE);
}
END_TEST

/* Random Gram matrices G G^T of rank r <= d (d up to 60, both solver paths) are PSD under the
 * default tolerance, PD when r = d and G is well conditioned; their negatives are NSD/ND, and
 * G G^T - c I with 0 < c < lambda_max is indefinite. */
START_TEST(random_gram_matrices_are_semidefinite_under_the_default_tolerance)
{
    uint64_t rng = 0xde7e1u;
    for (size_t d = 1; d <= 60; d += (d < 8 ? 1 : 9)) {
        for (size_t r = 1; r <= d; r += (d < 8 ? 1 : 4)) {
            double *G = malloc(d * r * sizeof *G), *H = malloc(d * d * sizeof *H);
            ck_assert(G && H);
            for (size_t i = 0; i < d * r; ++i) G[i] = nnm_rand_uniform(&rng, -1, 1);
            /* full rank: add 2 I-like columns to make it well conditioned */
            for (size_t i = 0; i < d; ++i)
                for (size_t j = 0; j < d; ++j) {
                    double acc = 0.0;
                    for (size_t k = 0; k < r; ++k) acc += G[i * r + k] * G[j * r + k];
                    H[i * d + j] = acc + (r == d && i == j ? 2.0 : 0.0);
                }
            nnm_definiteness def;
            ck_assert_int_eq(nnm_hess_definiteness_f64(d, H, 0.0, &def), NNM_OK);
            ck_assert_msg(def == (r == d ? NNM_POSITIVE_DEFINITE : NNM_POSITIVE_SEMIDEFINITE),
                          "d=%zu r=%zu: %d", d, r, (int)def);
            for (size_t i = 0; i < d * d; ++i) H[i] = -H[i];
            ck_assert_int_eq(nnm_hess_definiteness_f64(d, H, 0.0, &def), NNM_OK);
            ck_assert_msg(def == (r == d ? NNM_NEGATIVE_DEFINITE : NNM_NEGATIVE_SEMIDEFINITE),
                          "-: d=%zu r=%zu: %d", d, r, (int)def);
            if (d >= 2) {
                for (size_t i = 0; i < d * d; ++i) H[i] = -H[i];
                for (size_t i = 0; i < d; ++i) H[i * d + i] -= 1e-3;
                if (r < d) { /* a null direction now has -1e-3, the range keeps > 0 */
                    ck_assert_int_eq(nnm_hess_definiteness_f64(d, H, 0.0, &def), NNM_OK);
                    ck_assert_msg(def == NNM_INDEFINITE, "shift: d=%zu r=%zu: %d", d, r,
                                  (int)def);
                }
            }
            free(H);
            free(G);
        }
    }
}
END_TEST

/* ---- quadratic form ----------------------------------------------------------------------- */

/* sum_ij x_i H_ij x_j exactly (each triple product has <= 159 significant bits), rounded once. */
static double exact_quadform(size_t d, const double *H, const double *x, double *abs_sum)
{
    mpfr_t acc, term, a;
    mpfr_inits2(4096, acc, term, a, (mpfr_ptr)0);
    mpfr_set_zero(acc, 1);
    mpfr_set_zero(a, 1);
    for (size_t i = 0; i < d; ++i)
        for (size_t j = 0; j < d; ++j) {
            mpfr_set_d(term, x[i], MPFR_RNDN);
            mpfr_mul_d(term, term, H[i * d + j], MPFR_RNDN);
            mpfr_mul_d(term, term, x[j], MPFR_RNDN);
            mpfr_add(acc, acc, term, MPFR_RNDN);
            mpfr_abs(term, term, MPFR_RNDN);
            mpfr_add(a, a, term, MPFR_RNDN);
        }
    double r = mpfr_get_d(acc, MPFR_RNDN);
    *abs_sum = mpfr_get_d(a, MPFR_RNDN);
    mpfr_clears(acc, term, a, (mpfr_ptr)0);
    return r;
}

START_TEST(quadform_is_compensated)
{
    /* a designed cancellation: terms 1e16, 1, 1, -1e16 sum to 2; a plain loop gives 0 */
    const double H[4] = {1e16, 1, 1, -1e16}, x[2] = {1, 1};
    double q = 0.0;
    ck_assert_int_eq(nnm_hess_quadform_f64(2, H, x, &q), NNM_OK);
    nnm_assert_ulp_f64(q, 2.0, 0);
    double naive = 0.0;
    for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 2; ++j) naive += x[i] * H[i * 2 + j] * x[j];
    ck_assert(naive != 2.0); /* the test can tell the two apart */

    /* random near-singular forms: x along a null direction of a rank-deficient H, so that the
     * exact value is tiny next to sum |x_i H_ij x_j|; bound eps |exact| + (2 d^2 eps)^2 sum|.| */
    uint64_t rng = 0x9f0u;
    for (size_t d = 1; d <= 24; ++d) {
        double *Hm = malloc(d * d * sizeof *Hm), *v = malloc(d * sizeof *v);
        double *xv = malloc(d * sizeof *xv);
        ck_assert(Hm && v && xv);
        for (size_t i = 0; i < d; ++i) v[i] = nnm_rand_uniform(&rng, -1, 1);
        for (size_t i = 0; i < d; ++i) xv[i] = nnm_rand_uniform(&rng, -1, 1);
        /* H = v v^T * 1e8 + N with small random N: x^T H x = 1e8 (v.x)^2 + x^T N x */
        for (size_t i = 0; i < d; ++i)
            for (size_t j = 0; j < d; ++j)
                Hm[i * d + j] = 1e8 * v[i] * v[j] + 1e-8 * nnm_rand_uniform(&rng, -1, 1);
        /* make v.x ~ 0 so that the form is dominated by cancellation */
        if (d >= 2) {
            double dot = 0.0;
            for (size_t i = 0; i + 1 < d; ++i) dot += v[i] * xv[i];
            xv[d - 1] = -dot / v[d - 1];
        }
        double abs_sum, want = exact_quadform(d, Hm, xv, &abs_sum), got;
        ck_assert_int_eq(nnm_hess_quadform_f64(d, Hm, xv, &got), NNM_OK);
        double gam = 2.0 * (double)(d * d) * DBL_EPSILON;
        double bound = DBL_EPSILON * fabs(want) + gam * gam * abs_sum;
        ck_assert_msg(fabs(got - want) <= bound, "d=%zu: %.17g vs %.17g (bound %.3g)", d, got,
                      want, bound);
        free(xv);
        free(v);
        free(Hm);
    }
}
END_TEST

START_TEST(quadform_float_data_and_ieee_values)
{
    const float H[4] = {2, 1, 1, 2}, x[2] = {1, 2};
    float q = 0.0f;
    ck_assert_int_eq(nnm_hess_quadform_f32(2, H, x, &q), NNM_OK);
    nnm_assert_ulp_f32(q, 14.0f, 0);
    /* 0.1f^2 * 3 terms: the exact value of the float data, rounded once */
    const float Hs[4] = {0.1f, 0.3f, 0.3f, 0.7f}, xs[2] = {0.1f, -0.35f};
    double Hd[4], xd[2], abs_sum;
    for (int i = 0; i < 4; ++i) Hd[i] = (double)Hs[i];
    for (int i = 0; i < 2; ++i) xd[i] = (double)xs[i];
    double want = exact_quadform(2, Hd, xd, &abs_sum);
    ck_assert_int_eq(nnm_hess_quadform_f32(2, Hs, xs, &q), NNM_OK);
    nnm_assert_ulp_f32(q, (float)want, 0);

    double v;
    const double Hn[4] = {1, NAN, 1, 1}, xo[2] = {1, 1};
    ck_assert_int_eq(nnm_hess_quadform_f64(2, Hn, xo, &v), NNM_OK);
    ck_assert(isnan(v));
    const double Hi[4] = {INFINITY, 0, 0, 1};
    ck_assert_int_eq(nnm_hess_quadform_f64(2, Hi, xo, &v), NNM_OK);
    ck_assert(isinf(v) && v > 0);
    const double Hbig[4] = {DBL_MAX, 0, 0, DBL_MAX}, xb[2] = {2, 2};
    ck_assert_int_eq(nnm_hess_quadform_f64(2, Hbig, xb, &v), NNM_OK);
    ck_assert(isinf(v) && v > 0);
}
END_TEST

/* ---- finite-difference Hessians ---------------------------------------------------------- */

/* f(x) = exp(a.x) + (b.x)^3 + 1/2 x^T M x with a closed-form Hessian
 * exp(a.x) a a^T + 6 (b.x) b b^T + M. d <= 8. */
typedef struct smooth {
    size_t d;
    double a[8], b[8], M[64];
    size_t calls;
} smooth;

static double dot(size_t d, const double *u, const double *v)
{
    double s = 0.0;
    for (size_t i = 0; i < d; ++i) s += u[i] * v[i];
    return s;
}
static double smooth_f(size_t d, const double *x, void *ctx)
{
    smooth *s = ctx;
    s->calls++;
    double q = 0.0;
    for (size_t i = 0; i < d; ++i) q += 0.5 * x[i] * dot(d, s->M + i * d, x);
    double bx = dot(d, s->b, x);
    return exp(dot(d, s->a, x)) + bx * bx * bx + q;
}
static void smooth_g(size_t d, const double *x, double *g, void *ctx)
{
    smooth *s = ctx;
    s->calls++;
    double e = exp(dot(d, s->a, x)), bx = dot(d, s->b, x);
    for (size_t i = 0; i < d; ++i) g[i] = e * s->a[i] + 3.0 * bx * bx * s->b[i] + dot(d, s->M + i * d, x);
}
static void smooth_H(const smooth *s, const double *x, double *H)
{
    size_t d = s->d;
    double e = exp(dot(d, s->a, x)), bx = dot(d, s->b, x);
    for (size_t i = 0; i < d; ++i)
        for (size_t j = 0; j < d; ++j)
            H[i * d + j] = e * s->a[i] * s->a[j] + 6.0 * bx * s->b[i] * s->b[j] + s->M[i * d + j];
}

START_TEST(numeric_hessians_match_closed_forms_within_their_documented_errors)
{
    uint64_t rng = 0x4e55u;
    const double e13 = cbrt(DBL_EPSILON), e12 = sqrt(DBL_EPSILON);
    for (size_t d = 1; d <= 8; ++d)
        for (int trial = 0; trial < 4; ++trial) {
            smooth s = {d, {0}, {0}, {0}, 0};
            for (size_t i = 0; i < d; ++i) {
                s.a[i] = nnm_rand_uniform(&rng, -0.5, 0.5);
                s.b[i] = nnm_rand_uniform(&rng, -0.5, 0.5);
            }
            for (size_t i = 0; i < d; ++i)
                for (size_t j = i; j < d; ++j)
                    s.M[i * d + j] = s.M[j * d + i] = nnm_rand_uniform(&rng, -2, 2);
            double x[8], H[64], Hx[64], Hf[64];
            for (size_t i = 0; i < d; ++i) x[i] = nnm_rand_uniform(&rng, -3, 3);
            const double x_copy0 = x[0];
            smooth_H(&s, x, Hx);
            /* the scale of the documented errors: |f|, |g| and the third/fourth derivatives
             * are all O(exp(|a||x|) + |b|^3 |x|^3 + |M| |x|^2) here */
            double scale = fabs(smooth_f(d, x, &s)) + 10.0;
            s.calls = 0;
            ck_assert_int_eq(nnm_hess_numeric_from_grad(smooth_g, &s, d, x, H), NNM_OK);
            ck_assert_uint_eq(s.calls, 2 * d);
            s.calls = 0;
            ck_assert_int_eq(nnm_hess_numeric(smooth_f, &s, d, x, Hf), NNM_OK);
            ck_assert_uint_eq(s.calls, 2 * d * d + 1);
            ck_assert(x[0] == x_copy0); /* x is never modified */
            for (size_t i = 0; i < d; ++i)
                for (size_t j = 0; j < d; ++j) {
                    /* symmetric by construction, bit for bit */
                    ck_assert(H[i * d + j] == H[j * d + i]);
                    ck_assert(Hf[i * d + j] == Hf[j * d + i]);
                    double eg = fabs(H[i * d + j] - Hx[i * d + j]);
                    double ef = fabs(Hf[i * d + j] - Hx[i * d + j]);
                    /* observed worst (this seed): 0.43 and 2.8 times the unit below */
                    ck_assert_msg(eg <= 4.0 * e13 * e13 * scale,
                                  "from g d=%zu (%zu,%zu): err %.3g", d, i, j, eg);
                    ck_assert_msg(ef <= 16.0 * e12 * scale,
                                  "from f d=%zu (%zu,%zu): err %.3g", d, i, j, ef);
                }
        }
}
END_TEST

/* A "gradient" whose Jacobian is not symmetric still gives a symmetric H: (J + J^T)/2. */
static void skew_g(size_t d, const double *x, double *g, void *ctx)
{
    (void)d, (void)ctx;
    g[0] = 3.0 * x[0] + 2.0 * x[1];
    g[1] = x[1];
}

START_TEST(numeric_hessians_are_exact_for_quadratics_and_symmetrised)
{
    /* dyadic point, quadratic f: every f value is exact, so H is exactly [[2,1],[1,2]] */
    const double x[2] = {0.5, -0.25}, want[4] = {2, 1, 1, 2};
    double H[4];
    counter c = {0};
    ck_assert_int_eq(nnm_hess_numeric(notes_f, &c, 2, x, H), NNM_OK);
    ck_assert_uint_eq(c.calls, 9);
    for (int i = 0; i < 4; ++i) nnm_assert_ulp_f64(H[i], want[i], 0);
    ck_assert_int_eq(nnm_hess_numeric_from_grad(notes_g, NULL, 2, x, H), NNM_OK);
    for (int i = 0; i < 4; ++i) nnm_assert_ulp_f64(H[i], want[i], 0);
    /* large coordinates: the step scales with |x_i| */
    const double xl[2] = {1e6, -3e5};
    ck_assert_int_eq(nnm_hess_numeric_from_grad(notes_g, NULL, 2, xl, H), NNM_OK);
    for (int i = 0; i < 4; ++i) nnm_assert_rel_f64(H[i], want[i], 4);

    ck_assert_int_eq(nnm_hess_numeric_from_grad(skew_g, NULL, 2, x, H), NNM_OK);
    nnm_assert_ulp_f64(H[0], 3.0, 0);
    nnm_assert_ulp_f64(H[1], 1.0, 0); /* (2 + 0) / 2 */
    nnm_assert_ulp_f64(H[2], 1.0, 0);
    nnm_assert_ulp_f64(H[3], 1.0, 0);

}
END_TEST

/* ---- bad input ----------------------------------------------------------------------------------- */

START_TEST(bad_input_numeric_quadform_definiteness_classify)
{
    double H[4], Hc[4];
    const double x[2] = {1, 2}, Hok[4] = {2, 1, 1, 2}, g0[2] = {0, 0};
    const float Hf[4] = {2, 1, 1, 2}, gf[2] = {0, 0};
    nnm_canary_fill(H, sizeof H);
    const size_t huge = (size_t)1 << 33, big = (size_t)1 << 28;

    /* numeric Hessians */
    ck_assert_int_eq(nnm_hess_numeric(NULL, NULL, 2, x, H), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_numeric(notes_f, NULL, 2, NULL, H), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_numeric(notes_f, NULL, 2, x, NULL), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_numeric(notes_f, NULL, 0, x, H), NNM_ESIZE);
    ck_assert_int_eq(nnm_hess_numeric(notes_f, NULL, huge, x, H), NNM_ESIZE);
    ck_assert_int_eq(nnm_hess_numeric_from_grad(NULL, NULL, 2, x, H), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_numeric_from_grad(notes_g, NULL, 2, NULL, H), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_numeric_from_grad(notes_g, NULL, 2, x, NULL), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_numeric_from_grad(notes_g, NULL, 0, x, H), NNM_ESIZE);
    ck_assert_int_eq(nnm_hess_numeric_from_grad(notes_g, NULL, huge, x, H), NNM_ESIZE);
    const double bad_x[3][2] = {{NAN, 0}, {0, INFINITY}, {-INFINITY, 0}};
    for (int k = 0; k < 3; ++k) {
        ck_assert_int_eq(nnm_hess_numeric(notes_f, NULL, 2, bad_x[k], H), NNM_EDOM);
        ck_assert_int_eq(nnm_hess_numeric_from_grad(notes_g, NULL, 2, bad_x[k], H), NNM_EDOM);
    }
    nnm_assert_untouched(H, sizeof H);
    /* a NaN-valued function is not an error: it flows into H */
    ck_assert_int_eq(nnm_hess_numeric(nan_f, NULL, 2, x, Hc), NNM_OK);
    ck_assert(isnan(Hc[0]) && isnan(Hc[1]));
    ck_assert_int_eq(nnm_hess_numeric_from_grad(nan_g, NULL, 2, x, Hc), NNM_OK);
    ck_assert(isnan(Hc[3]));

    /* quadratic form */
    double q;
    float qf;
    nnm_canary_fill(&q, sizeof q);
    nnm_canary_fill(&qf, sizeof qf);
    ck_assert_int_eq(nnm_hess_quadform_f64(2, NULL, x, &q), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_quadform_f64(2, Hok, NULL, &q), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_quadform_f64(2, Hok, x, NULL), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_quadform_f64(0, Hok, x, &q), NNM_ESIZE);
    ck_assert_int_eq(nnm_hess_quadform_f64(huge, Hok, x, &q), NNM_ESIZE);
    ck_assert_int_eq(nnm_hess_quadform_f32(2, NULL, Hf, &qf), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_quadform_f32(0, Hf, Hf, &qf), NNM_ESIZE);
    ck_assert_int_eq(nnm_hess_quadform_f32(huge, Hf, Hf, &qf), NNM_ESIZE);
    nnm_assert_untouched(&q, sizeof q);
    nnm_assert_untouched(&qf, sizeof qf);

    /* definiteness */
    nnm_definiteness def;
    nnm_canary_fill(&def, sizeof def);
    ck_assert_int_eq(nnm_hess_definiteness_f64(2, NULL, 0.0, &def), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_definiteness_f64(2, Hok, 0.0, NULL), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_definiteness_f64(2, Hok, NAN, &def), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_definiteness_f64(2, Hok, INFINITY, &def), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_definiteness_f64(2, Hok, -INFINITY, &def), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_definiteness_f64(0, NULL, 0.0, &def), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_definiteness_f64(0, Hok, 0.0, &def), NNM_ESIZE);
    ck_assert_int_eq(nnm_hess_definiteness_f64(huge, Hok, 0.0, &def), NNM_ESIZE);
    ck_assert_int_eq(nnm_hess_definiteness_f64(big, Hok, 0.0, &def), NNM_ENOMEM);
    ck_assert_int_eq(nnm_hess_definiteness_f32(2, Hf, NAN, &def), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_definiteness_f32(0, Hf, 0.0, &def), NNM_ESIZE);
    ck_assert_int_eq(nnm_hess_definiteness_f32(big, Hf, 0.0, &def), NNM_ENOMEM);
    const double Hnan[4] = {2, NAN, NAN, 2}, Hasym[4] = {2, 1, 1.5, 2};
    const float Hfasym[4] = {2, 1, 1.5f, 2};
    ck_assert_int_eq(nnm_hess_definiteness_f64(2, Hnan, 0.0, &def), NNM_EDOM);
    ck_assert_int_eq(nnm_hess_definiteness_f64(2, Hasym, 0.0, &def), NNM_EDOM);
    ck_assert_int_eq(nnm_hess_definiteness_f32(2, Hfasym, 0.0, &def), NNM_EDOM);
    nnm_assert_untouched(&def, sizeof def);

    /* classification from (grad, H) */
    nnm_stationary st;
    nnm_canary_fill(&st, sizeof st);
    ck_assert_int_eq(nnm_hess_classify_f64(2, NULL, Hok, 0.0, &st), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_classify_f64(2, g0, NULL, 0.0, &st), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_classify_f64(2, g0, Hok, 0.0, NULL), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_classify_f64(2, g0, Hok, NAN, &st), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_classify_f64(0, g0, Hok, 0.0, &st), NNM_ESIZE);
    ck_assert_int_eq(nnm_hess_classify_f64(huge, g0, Hok, 0.0, &st), NNM_ESIZE);
    const double gnan[2] = {0, NAN}, ginf[2] = {INFINITY, 0};
    ck_assert_int_eq(nnm_hess_classify_f64(2, gnan, Hok, 0.0, &st), NNM_EDOM);
    ck_assert_int_eq(nnm_hess_classify_f64(2, ginf, Hok, 0.0, &st), NNM_EDOM);
    ck_assert_int_eq(nnm_hess_classify_f64(2, g0, Hnan, 0.0, &st), NNM_EDOM);
    ck_assert_int_eq(nnm_hess_classify_f64(2, g0, Hasym, 0.0, &st), NNM_EDOM);
    ck_assert_int_eq(nnm_hess_classify_f32(2, NULL, Hf, 0.0, &st), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_classify_f32(2, gf, Hf, INFINITY, &st), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_classify_f32(0, gf, Hf, 0.0, &st), NNM_ESIZE);
    ck_assert_int_eq(nnm_hess_classify_f32(2, gf, Hfasym, 0.0, &st), NNM_EDOM);
    const float gfnan[2] = {NAN, 0};
    ck_assert_int_eq(nnm_hess_classify_f32(2, gfnan, Hf, 0.0, &st), NNM_EDOM);

    /* classification at a point of a user function */
    ck_assert_int_eq(nnm_hess_classify_point(NULL, NULL, NULL, 2, x, 0.0, &st), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_classify_point(bowl_f, NULL, NULL, 2, NULL, 0.0, &st),
                     NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_classify_point(bowl_f, NULL, NULL, 2, x, 0.0, NULL), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_classify_point(bowl_f, NULL, NULL, 2, x, NAN, &st), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_classify_point(bowl_f, NULL, NULL, 0, x, 0.0, &st), NNM_ESIZE);
    ck_assert_int_eq(nnm_hess_classify_point(bowl_f, NULL, NULL, huge, x, 0.0, &st),
                     NNM_ESIZE);
    ck_assert_int_eq(nnm_hess_classify_point(bowl_f, bowl_g, NULL, 2, bad_x[0], 0.0, &st),
                     NNM_EDOM);
    ck_assert_int_eq(nnm_hess_classify_point(nan_f, NULL, NULL, 2, x, 0.0, &st), NNM_EDOM);
    ck_assert_int_eq(nnm_hess_classify_point(NULL, nan_g, NULL, 2, x, 0.0, &st), NNM_EDOM);
    nnm_assert_untouched(&st, sizeof st);
}
END_TEST

static Suite *hessian_suite(void)
{
    Suite *s = suite_create("hessian");
    TCase *tc = tcase_create("hessian");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, notes_example_hessian_quadform_eigenvalues_and_minimum);
    tcase_add_test(tc, known_points_are_classified_from_f_and_from_the_gradient);
    tcase_add_test(tc, classification_from_exact_gradient_and_hessian);
    tcase_add_test(tc, rank_one_matrix_of_the_issue_is_positive_semidefinite);
    tcase_add_test(tc, every_definiteness_class_and_the_explicit_tolerance);
    tcase_add_test(tc, random_gram_matrices_are_semidefinite_under_the_default_tolerance);
    tcase_add_test(tc, quadform_is_compensated);
    tcase_add_test(tc, quadform_float_data_and_ieee_values);
    tcase_add_test(tc, numeric_hessians_match_closed_forms_within_their_documented_errors);
    tcase_add_test(tc, numeric_hessians_are_exact_for_quadratics_and_symmetrised);
    tcase_add_test(tc, bad_input_numeric_quadform_definiteness_classify);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return nnm_run_suite(hessian_suite());
}
