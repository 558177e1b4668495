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

/* ---- definiteness --------------------------------------------------------------------------- */

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

/* reliab8-5 and what was behind it: the product H_ij x_j was formed first and could overflow
 * (or underflow) although the term x_i H_ij x_j could not; next to x_i = 0 that gave 0 * inf =
 * NaN for finite data. H and x are now scaled by powers of two first, and a term with a zero
 * component is exactly 0 without reading H_ij. */
START_TEST(quadform_has_no_spurious_overflow_and_zero_components_contribute_zero)
{
    double v;
    /* the fuzzer's case: exact x^T H x = 2^200, was NaN */
    const double H1[4] = {1.0, 0x1p1000, 0x1p1000, 1.0}, x1[2] = {0x1p100, 0.0};
    ck_assert_int_eq(nnm_hess_quadform_f64(2, H1, x1, &v), NNM_OK);
    nnm_assert_ulp_f64(v, 0x1p200, 0);
    /* no zero component: terms 2^100 + 2^100, but H_10 x_0 = 2^1100 overflowed (was +inf) */
    const double H2[4] = {0.0, 0x1p1000, 0x1p1000, 0.0}, x2[2] = {0x1p100, 0x1p-1000};
    ck_assert_int_eq(nnm_hess_quadform_f64(2, H2, x2, &v), NNM_OK);
    nnm_assert_ulp_f64(v, 0x1p101, 0);
    /* terms 4 DBL_MAX and -4 DBL_MAX cancel exactly (was inf - inf = NaN) */
    const double H3[4] = {DBL_MAX, 0.0, 0.0, -DBL_MAX}, x3[2] = {2.0, 2.0};
    ck_assert_int_eq(nnm_hess_quadform_f64(2, H3, x3, &v), NNM_OK);
    ck_assert(v == 0.0);
    /* an intermediate h x_j = (1 + 2^-52) 2^-1060 is subnormal and lost its last bit; the
     * form 2 h x_0 x_1 = (1 + 2^-52) 2^-959 is normal and now exact (was 1 ulp low) */
    const double h = 0x1.0000000000001p-1000;
    const double H4[4] = {0.0, h, h, 0.0}, x4[2] = {0x1p100, 0x1p-60};
    ck_assert_int_eq(nnm_hess_quadform_f64(2, H4, x4, &v), NNM_OK);
    nnm_assert_ulp_f64(v, 0x1.0000000000001p-959, 0);
    /* x_1 = 0: row and column 1 of H are not read, so inf and NaN there change nothing (as a
     * zero weight elsewhere in the library); 2 * 3 * 2 = 12 */
    const double H5[4] = {3.0, INFINITY, NAN, -INFINITY}, x5[2] = {2.0, 0.0};
    ck_assert_int_eq(nnm_hess_quadform_f64(2, H5, x5, &v), NNM_OK);
    nnm_assert_ulp_f64(v, 12.0, 0);
    const float H5f[4] = {3.0f, INFINITY, NAN, 1.0f}, x5f[2] = {2.0f, 0.0f};
    float vf;
    ck_assert_int_eq(nnm_hess_quadform_f32(2, H5f, x5f, &vf), NNM_OK);
    nnm_assert_ulp_f32(vf, 12.0f, 0);
    const float H6f[4] = {1.0f, 0x1p120f, 0x1p120f, 1.0f}, x6f[2] = {0x1p10f, 0.0f};
    ck_assert_int_eq(nnm_hess_quadform_f32(2, H6f, x6f, &vf), NNM_OK);
    nnm_assert_ulp_f32(vf, 0x1p20f, 0);
    /* a read inf still propagates, and 0 * inf inside a read term is NaN by IEEE rules */
    const double H7[4] = {3.0, INFINITY, INFINITY, 1.0}, x7[2] = {2.0, 1.0};
    ck_assert_int_eq(nnm_hess_quadform_f64(2, H7, x7, &v), NNM_OK);
    ck_assert(isinf(v) && v > 0);
    const double x8[2] = {-INFINITY, 1.0}, H8[4] = {1.0, 0.0, 0.0, 1.0};
    ck_assert_int_eq(nnm_hess_quadform_f64(2, H8, x8, &v), NNM_OK);
    ck_assert(isnan(v));
    /* exactly DBL_MAX is finite; beyond it is +-inf */
    const double H9[4] = {0x1p1023, 0.0, 0.0, DBL_MAX - 0x1p1023};
    const double x9[2] = {1.0, 1.0};
    ck_assert_int_eq(nnm_hess_quadform_f64(2, H9, x9, &v), NNM_OK);
    nnm_assert_ulp_f64(v, DBL_MAX, 0);
    const double H10[4] = {-DBL_MAX, 0.0, 0.0, -DBL_MAX};
    ck_assert_int_eq(nnm_hess_quadform_f64(2, H10, x9, &v), NNM_OK);
    ck_assert(isinf(v) && v < 0);
}
END_TEST

/* Random forms against MPFR with the documented bound eps |exact| + (2 d^2 eps)^2 sum
 * |x_i H_ij x_j| + 2^-1074 (the last for a result among the subnormals). Odd t: x entries from
 * 2^-1000 to 2^1000 and H entries chosen so that each term is about 2^tau, tau from 2^-1200 to
 * 2^1000 (H_ij clamped to [2^-1074, 2^1023]): the per-term scaling, on products H_ij x_j from
 * 2^-2000 to 2^2000 that the plain evaluation overflowed or flushed. Even t: entries within
 * 2^+-100 of a common scale 2^-900..2^300 (the common scaling). A fifth of the x_i are zero.
 * 600 forms, d <= 12. */
START_TEST(quadform_over_many_binades_meets_the_bound)
{
    uint64_t rng = 0xf0a3u;
    for (int t = 0; t < 600; ++t) {
        size_t d = 1 + (size_t)(t % 12);
        double H[144], x[12];
        int ex[12], wide = t % 2, base = (int)(nnm_rand_u64(&rng) % 1201) - 900;
        for (size_t i = 0; i < d; ++i) {
            int zero = nnm_rand_u64(&rng) % 5 == 0;
            ex[i] = wide ? (int)(nnm_rand_u64(&rng) % 2001) - 1000
                         : base / 3 + (int)(nnm_rand_u64(&rng) % 201) - 100;
            x[i] = zero ? 0.0 : ldexp(nnm_rand_uniform(&rng, -1.0, 1.0), ex[i]);
        }
        for (size_t i = 0; i < d; ++i)
            for (size_t j = 0; j < d; ++j) {
                int k = base / 3 + (int)(nnm_rand_u64(&rng) % 201) - 100;
                if (wide) {
                    int tau = (int)(nnm_rand_u64(&rng) % 2201) - 1200;
                    k = tau - ex[i] - ex[j];
                    k = k < -1074 ? -1074 : k > 1023 ? 1023 : k;
                }
                H[i * d + j] = ldexp(nnm_rand_uniform(&rng, -1.0, 1.0), k);
            }
        double abs_sum, want = exact_quadform(d, H, x, &abs_sum), got;
        ck_assert_int_eq(nnm_hess_quadform_f64(d, H, x, &got), NNM_OK);
        double gam = 2.0 * (double)(d * d) * DBL_EPSILON;
        double bound = DBL_EPSILON * fabs(want) + gam * gam * abs_sum + 0x1p-1074;
        ck_assert_msg(isfinite(got) && fabs(got - want) <= bound,
                      "t=%d d=%zu: %a vs %a (bound %.3g)", t, d, got, want, bound);
    }
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
    for (size_t i = 0; i < d; ++i)
        g[i] = e * s->a[i] + 3.0 * bx * bx * s->b[i] + dot(d, s->M + i * d, x);
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

/* ---- bad input ------------------------------------------------------------------------------ */

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

/* ---- closed-form loss Hessians ------------------------------------------------------------- */

/* Reference gradients written by a different formula than the library's (long double, direct
 * softmax and sigmoid), used for central differences until/besides nnm_grad_loss_*. */
static void ref_ce_logits_grad(size_t k, double beta, const double *a, const double *t,
                               double *g)
{
    long double m = a[0], sum = 0, S = 0;
    for (size_t j = 1; j < k; ++j)
        if (a[j] > m) m = a[j];
    for (size_t j = 0; j < k; ++j) sum += expl((long double)beta * ((long double)a[j] - m));
    for (size_t j = 0; j < k; ++j) S += t[j];
    for (size_t j = 0; j < k; ++j) {
        long double p = expl((long double)beta * ((long double)a[j] - m)) / sum;
        g[j] = (double)((long double)beta * (S * p - t[j]));
    }
}

/* H[i][j] ~ (g_j(a + h e_i) - g_j(a - h e_i)) / 2h for a gradient function of one row. */
typedef void (*row_grad)(size_t k, const double *a, double *g, const void *ctx);

static void fd_jacobian(row_grad g, const void *ctx, size_t k, const double *a, double h,
                        double *J)
{
    double ap[16], gp[16], gm[16];
    memcpy(ap, a, k * sizeof *a);
    for (size_t i = 0; i < k; ++i) {
        double step = h * fmax(1.0, fabs(a[i]));
        double hp = (a[i] + step) - a[i], hm = a[i] - (a[i] - step);
        ap[i] = a[i] + hp;
        g(k, ap, gp, ctx);
        ap[i] = a[i] - hm;
        g(k, ap, gm, ctx);
        ap[i] = a[i];
        for (size_t j = 0; j < k; ++j) J[i * k + j] = (gp[j] - gm[j]) / (hp + hm);
    }
}

typedef struct ce_ctx {
    double beta;
    const double *t;
} ce_ctx;

static void ce_ref_row(size_t k, const double *a, double *g, const void *ctx)
{
    const ce_ctx *c = ctx;
    ref_ce_logits_grad(k, c->beta, a, c->t, g);
}

/* The exact Hessian beta^2 S (diag(p) - p p^T) in MPFR (p = softmax(beta a), 1 - p formed at
 * 300 bits), rounded once. */
static void mpfr_ce_hessian(size_t k, double beta, const double *a, const double *t, double *H)
{
    mpfr_t e[16], sum, S, tmp, pi, pj, m;
    for (size_t j = 0; j < k; ++j) mpfr_init2(e[j], 300);
    mpfr_inits2(300, sum, S, tmp, pi, pj, m, (mpfr_ptr)0);
    double mx = a[0];
    for (size_t j = 1; j < k; ++j) mx = fmax(mx, a[j]);
    mpfr_set_zero(sum, 1);
    mpfr_set_zero(S, 1);
    for (size_t j = 0; j < k; ++j) {
        mpfr_set_d(e[j], a[j], MPFR_RNDN);
        mpfr_sub_d(e[j], e[j], mx, MPFR_RNDN);
        mpfr_mul_d(e[j], e[j], beta, MPFR_RNDN);
        mpfr_exp(e[j], e[j], MPFR_RNDN);
        mpfr_add(sum, sum, e[j], MPFR_RNDN);
        mpfr_add_d(S, S, t[j], MPFR_RNDN);
    }
    for (size_t i = 0; i < k; ++i)
        for (size_t j = 0; j < k; ++j) {
            mpfr_div(pi, e[i], sum, MPFR_RNDN);
            mpfr_div(pj, e[j], sum, MPFR_RNDN);
            if (i == j) {
                mpfr_d_sub(tmp, 1.0, pj, MPFR_RNDN);
                mpfr_mul(tmp, tmp, pi, MPFR_RNDN);
            } else {
                mpfr_mul(tmp, pi, pj, MPFR_RNDN);
                mpfr_neg(tmp, tmp, MPFR_RNDN);
            }
            mpfr_mul(tmp, tmp, S, MPFR_RNDN);
            mpfr_mul_d(tmp, tmp, beta, MPFR_RNDN);
            mpfr_mul_d(tmp, tmp, beta, MPFR_RNDN);
            H[i * k + j] = mpfr_get_d(tmp, MPFR_RNDN);
        }
    for (size_t j = 0; j < k; ++j) mpfr_clear(e[j]);
    mpfr_clears(sum, S, tmp, pi, pj, m, (mpfr_ptr)0);
}

START_TEST(ce_logits_hessian_literals_and_limits)
{
    double H[9];
    /* a = (0, 0): p = (1/2, 1/2), H = S beta^2 [[1/4, -1/4], [-1/4, 1/4]] */
    const double a0[2] = {0, 0}, t10[2] = {1, 0}, t11[2] = {1, 1};
    ck_assert_int_eq(nnm_hess_loss_ce_logits_f64(2, 1.0, a0, t10, H), NNM_OK);
    nnm_assert_ulp_f64(H[0], 0.25, 0);
    nnm_assert_ulp_f64(H[1], -0.25, 0);
    nnm_assert_ulp_f64(H[2], -0.25, 0);
    nnm_assert_ulp_f64(H[3], 0.25, 0);
    ck_assert_int_eq(nnm_hess_loss_ce_logits_f64(2, 2.0, a0, t11, H), NNM_OK); /* S = 2, b^2 = 4 */
    nnm_assert_ulp_f64(H[0], 2.0, 0);
    nnm_assert_ulp_f64(H[1], -2.0, 0);
    /* zero targets: the loss is 0 whatever a, and so is its Hessian (TensorFlow's silent 0 was
     * wrong for t != 0, not for t = 0) */
    const double tz[2] = {0, 0}, a1[2] = {1, -3};
    ck_assert_int_eq(nnm_hess_loss_ce_logits_f64(2, 1.0, a1, tz, H), NNM_OK);
    for (int i = 0; i < 4; ++i) ck_assert(H[i] == 0.0);

    /* p_0 -> 1: H_00 = p_0 (1 - p_0) ~ e^-40 keeps its relative accuracy (1 - fl(p_0) = 0) */
    const double a40[2] = {0, -40}, want40 = exp(-40.0) / ((1 + exp(-40.0)) * (1 + exp(-40.0)));
    ck_assert_int_eq(nnm_hess_loss_ce_logits_f64(2, 1.0, a40, t10, H), NNM_OK);
    nnm_assert_rel_f64(H[0], want40, 8);
    nnm_assert_rel_f64(H[3], want40, 8);
    nnm_assert_rel_f64(H[1], -want40, 8);

    /* softmax policy rows: NaN -> NaN; all -inf -> 0; two +inf share 1/2 */
    const double anan[3] = {0, NAN, 1}, aminf[3] = {-INFINITY, -INFINITY, -INFINITY};
    const double ainf[3] = {INFINITY, 0, INFINITY}, t3[3] = {1, 0, 0};
    ck_assert_int_eq(nnm_hess_loss_ce_logits_f64(3, 1.0, anan, t3, H), NNM_OK);
    for (int i = 0; i < 9; ++i) ck_assert(isnan(H[i]));
    ck_assert_int_eq(nnm_hess_loss_ce_logits_f64(3, 1.0, aminf, t3, H), NNM_OK);
    for (int i = 0; i < 9; ++i) ck_assert(H[i] == 0.0);
    ck_assert_int_eq(nnm_hess_loss_ce_logits_f64(3, 1.0, ainf, t3, H), NNM_OK);
    const double want_inf[9] = {0.25, 0, -0.25, 0, 0, 0, -0.25, 0, 0.25};
    for (int i = 0; i < 9; ++i) nnm_assert_ulp_f64(H[i], want_inf[i], 0);
    /* -inf logits drop out: rows and columns of 0 */
    const double aone[3] = {0, -INFINITY, 0};
    ck_assert_int_eq(nnm_hess_loss_ce_logits_f64(3, 1.0, aone, t3, H), NNM_OK);
    const double want_one[9] = {0.25, 0, -0.25, 0, 0, 0, -0.25, 0, 0.25};
    for (int i = 0; i < 9; ++i) nnm_assert_ulp_f64(H[i], want_one[i], 0);
}
END_TEST

START_TEST(ce_logits_hessian_against_mpfr_and_differences_of_the_gradient)
{
    uint64_t rng = 0xce10u;
    for (size_t k = 1; k <= 12; ++k)
        for (int trial = 0; trial < 6; ++trial) {
            double a[16], t[16], H[256], Href[256], J[256];
            float af[16], tf[16], Hf[256];
            double beta = trial == 0 ? 1.0 : nnm_rand_uniform(&rng, 0.25, 4.0);
            double spread = trial < 3 ? 3.0 : 30.0; /* up to p ~ 1 - 1e-26 */
            for (size_t j = 0; j < k; ++j) {
                a[j] = nnm_rand_uniform(&rng, -spread, spread);
                t[j] = nnm_rand_uniform(&rng, 0.0, 1.0); /* soft, sum != 1 */
                af[j] = (float)a[j];
                tf[j] = (float)t[j];
            }
            ck_assert_int_eq(nnm_hess_loss_ce_logits_f64(k, beta, a, t, H), NNM_OK);
            mpfr_ce_hessian(k, beta, a, t, Href);
            for (size_t i = 0; i < k * k; ++i) {
                nnm_assert_rel_f64(H[i], Href[i], 16); /* oracle_hessian measures <= 3.3 */
                ck_assert(H[i] == H[(i % k) * k + i / k]); /* symmetric */
            }
            /* f32: double inside, rounded once, against the exact Hessian of the float data */
            double ad[16], td[16];
            for (size_t j = 0; j < k; ++j) {
                ad[j] = (double)af[j];
                td[j] = (double)tf[j];
            }
            mpfr_ce_hessian(k, beta, ad, td, Href);
            ck_assert_int_eq(nnm_hess_loss_ce_logits_f32(k, beta, af, tf, Hf), NNM_OK);
            for (size_t i = 0; i < k * k; ++i) nnm_assert_ulp_f32(Hf[i], (float)Href[i], 1);
            /* central differences of the (independent, long double) gradient: the documented
             * finite-difference error eps^(2/3)-ish times the Hessian's scale beta^2 S */
            if (trial < 3) {
                ce_ctx c = {beta, t};
                fd_jacobian(ce_ref_row, &c, k, a, 0x1p-17 / beta, J);
                double S = 0.0;
                for (size_t j = 0; j < k; ++j) S += t[j];
                double tol = 64.0 * cbrt(DBL_EPSILON) * cbrt(DBL_EPSILON) * beta * beta *
                             fmax(S, 1.0);
                for (size_t i = 0; i < k * k; ++i)
                    ck_assert_msg(fabs(H[i] - J[i]) <= tol, "k=%zu: H %.17g vs FD %.17g", k, H[i],
                                  J[i]);
            }
        }
}
END_TEST

/* beta^2 p_j sum_i p_i (v_j - v_i) in MPFR (= (Hv)_j since sum p = 1), and its error scale
 * beta^2 p_j sum_i p_i |v_j - v_i|. */
static void mpfr_ce_hvp(size_t k, double beta, const double *a, const double *v, double *Hv,
                        double *scale)
{
    mpfr_t e[16], sum, acc, mag, tmp, d;
    for (size_t j = 0; j < k; ++j) mpfr_init2(e[j], 300);
    mpfr_inits2(300, sum, acc, mag, tmp, d, (mpfr_ptr)0);
    double mx = a[0];
    for (size_t j = 1; j < k; ++j) mx = fmax(mx, a[j]);
    mpfr_set_zero(sum, 1);
    for (size_t j = 0; j < k; ++j) {
        mpfr_set_d(e[j], a[j], MPFR_RNDN);
        mpfr_sub_d(e[j], e[j], mx, MPFR_RNDN);
        mpfr_mul_d(e[j], e[j], beta, MPFR_RNDN);
        mpfr_exp(e[j], e[j], MPFR_RNDN);
        mpfr_add(sum, sum, e[j], MPFR_RNDN);
    }
    for (size_t j = 0; j < k; ++j) {
        mpfr_set_zero(acc, 1);
        mpfr_set_zero(mag, 1);
        for (size_t i = 0; i < k; ++i) {
            mpfr_set_d(d, v[j], MPFR_RNDN);
            mpfr_sub_d(d, d, v[i], MPFR_RNDN);
            mpfr_mul(tmp, d, e[i], MPFR_RNDN);
            mpfr_add(acc, acc, tmp, MPFR_RNDN);
            mpfr_abs(tmp, tmp, MPFR_RNDN);
            mpfr_add(mag, mag, tmp, MPFR_RNDN);
        }
        /* times p_j / sum = e_j / sum^2, times beta^2 */
        mpfr_mul(acc, acc, e[j], MPFR_RNDN);
        mpfr_mul(mag, mag, e[j], MPFR_RNDN);
        mpfr_div(acc, acc, sum, MPFR_RNDN);
        mpfr_div(acc, acc, sum, MPFR_RNDN);
        mpfr_div(mag, mag, sum, MPFR_RNDN);
        mpfr_div(mag, mag, sum, MPFR_RNDN);
        mpfr_mul_d(acc, acc, beta * beta, MPFR_RNDN);
        mpfr_mul_d(mag, mag, beta * beta, MPFR_RNDN);
        Hv[j] = mpfr_get_d(acc, MPFR_RNDN);
        scale[j] = mpfr_get_d(mag, MPFR_RNDN);
    }
    for (size_t j = 0; j < k; ++j) mpfr_clear(e[j]);
    mpfr_clears(sum, acc, mag, tmp, d, (mpfr_ptr)0);
}

START_TEST(ce_logits_hvp_against_mpfr_and_the_full_hessian)
{
    uint64_t rng = 0x49u;
    for (size_t k = 1; k <= 12; ++k)
        for (int trial = 0; trial < 4; ++trial) {
            const size_t n = 3;
            double a[36], v[36], Hv[36], Hv2[36], t[12], H[144], ref[12], scale[12];
            float af[36], vf[36], Hvf[36];
            double spread = trial < 2 ? 4.0 : 40.0; /* also rows with p_m within 1e-17 of 1 */
            double beta = trial % 2 ? 0.5 : 1.5;
            for (size_t i = 0; i < n * k; ++i) {
                a[i] = nnm_rand_uniform(&rng, -spread, spread);
                v[i] = nnm_rand_uniform(&rng, -1, 1);
                af[i] = (float)a[i];
                vf[i] = (float)v[i];
            }
            ck_assert_int_eq(nnm_hess_loss_ce_logits_hvp_f64(n, k, beta, a, v, Hv), NNM_OK);
            for (size_t r = 0; r < n; ++r) {
                mpfr_ce_hvp(k, beta, a + r * k, v + r * k, ref, scale);
                for (size_t j = 0; j < k; ++j)
                    ck_assert_msg(fabs(Hv[r * k + j] - ref[j]) <=
                                      24.0 * (double)k * DBL_EPSILON * scale[j],
                                  "k=%zu row %zu j %zu: %.17g vs %.17g (scale %.3g)", k, r, j,
                                  Hv[r * k + j], ref[j], scale[j]);
                /* and H v from the full Hessian of a one-hot row agrees (H's entries are within
                 * 16 eps; the plain product adds k eps sum |H_ji v_i|) */
                for (size_t j = 0; j < k; ++j) t[j] = j == r % k ? 1.0 : 0.0;
                ck_assert_int_eq(nnm_hess_loss_ce_logits_f64(k, beta, a + r * k, t, H), NNM_OK);
                for (size_t j = 0; j < k; ++j) {
                    double acc = 0.0, mag = 0.0;
                    for (size_t i = 0; i < k; ++i) {
                        acc += H[j * k + i] * v[r * k + i];
                        mag += fabs(H[j * k + i] * v[r * k + i]);
                    }
                    ck_assert(fabs(Hv[r * k + j] - acc) <=
                              (16.0 + (double)k) * DBL_EPSILON * mag +
                                  24.0 * (double)k * DBL_EPSILON * scale[j]);
                }
            }
            /* in place: Hv == v gives the same bits */
            memcpy(Hv2, v, sizeof v);
            ck_assert_int_eq(nnm_hess_loss_ce_logits_hvp_f64(n, k, beta, a, Hv2, Hv2), NNM_OK);
            for (size_t i = 0; i < n * k; ++i) nnm_assert_ulp_f64(Hv2[i], Hv[i], 0);
            /* f32: the double computation on the float data, rounded once */
            double ad[36], vd[36], Hvd[36];
            for (size_t i = 0; i < n * k; ++i) {
                ad[i] = (double)af[i];
                vd[i] = (double)vf[i];
            }
            ck_assert_int_eq(nnm_hess_loss_ce_logits_hvp_f64(n, k, beta, ad, vd, Hvd), NNM_OK);
            ck_assert_int_eq(nnm_hess_loss_ce_logits_hvp_f32(n, k, beta, af, vf, Hvf), NNM_OK);
            for (size_t i = 0; i < n * k; ++i) nnm_assert_ulp_f32(Hvf[i], (float)Hvd[i], 0);
        }
    /* policy rows: NaN -> NaN, -inf entries drop out, two +inf share 1/2 */
    const double a_s[6] = {INFINITY, 0, INFINITY, 0, -INFINITY, NAN}, v_s[6] = {1, 5, 3, 1, 1, 1};
    double h_s[6];
    ck_assert_int_eq(nnm_hess_loss_ce_logits_hvp_f64(2, 3, 1.0, a_s, v_s, h_s), NNM_OK);
    nnm_assert_ulp_f64(h_s[0], 0.5 * (1 - 2), 0); /* p = (1/2, 0, 1/2), p.v = 2 */
    ck_assert(h_s[1] == 0.0);
    nnm_assert_ulp_f64(h_s[2], 0.5 * (3 - 2), 0);
    for (int i = 3; i < 6; ++i) ck_assert(isnan(h_s[i]));
    /* n = 0: nothing is read or written, NULL is fine */
    ck_assert_int_eq(nnm_hess_loss_ce_logits_hvp_f64(0, 3, 1.0, NULL, NULL, NULL), NNM_OK);
    /* no spurious overflow (fuzz finding): v_j - v_m of entries near DBL_MAX overflows, while
     * (Hv)_j = beta^2 p_j (v_j - p.v) is ~1e295 for p_j ~ 1e-13 */
    const double a_b[2][4] = {{0, -30, -30, 1}, {-0.5, -0.5, 3, -40}};
    const double v_b[2][4] = {{-DBL_MAX, DBL_MAX, 1, 0x1p-1070}, {1e300, -0x1.8p1023, 2, DBL_MAX}};
    for (int r = 0; r < 2; ++r) {
        double h_b[4], ref_b[4], sc_b[4];
        ck_assert_int_eq(nnm_hess_loss_ce_logits_hvp_f64(1, 4, 1.0, a_b[r], v_b[r], h_b), NNM_OK);
        mpfr_ce_hvp(4, 1.0, a_b[r], v_b[r], ref_b, sc_b);
        for (int j = 0; j < 4; ++j)
            ck_assert_msg(isfinite(h_b[j]) && fabs(h_b[j] - ref_b[j]) <= 96 * DBL_EPSILON * sc_b[j],
                          "row %d j %d: %.17g vs %.17g", r, j, h_b[j], ref_b[j]);
    }
}
END_TEST

/* Reference per-element gradients of the diagonal losses (a different formula than the
 * library's: long double, direct sigmoid), for central differences in the one input element. */
typedef struct elem_ctx {
    double t, w, q, delta;
    int kind; /* 0 bce_logits, 1 l2, 2 huber, 3 bce, 4 ce */
} elem_ctx;

static double ref_elem_grad(double x, const elem_ctx *c)
{
    long double X = x, t = c->t;
    switch (c->kind) {
    case 0: { /* w [(1 - t) s - q t (1 - s)], s = 1/(1 + e^-x) */
        long double s = 1.0L / (1.0L + expl(-X));
        return (double)(c->w * ((1 - t) * s - c->q * t * (1 - s)));
    }
    case 1: return (double)(X - t);
    case 2: return (double)fminl(fmaxl(X - t, -(long double)c->delta), (long double)c->delta);
    case 3: return (double)(c->w * (-t / X + (1 - t) / (1 - X)));
    default: return (double)(-c->w * t / X);
    }
}

/* The relative error allowed between a Hessian and central differences of a gradient: 16 times
 * eps^(2/3), the documented error of such a difference at its optimal step (~2.6e6 eps). */
#define FD_REL_EPS (16.0 / cbrt(DBL_EPSILON)) /* 16 eps^(2/3) in units of eps */

/* central difference of the reference gradient at x, step 2^-17 times the local scale of x
 * (|x|, or the distance to the poles 0 and 1 for probabilities) */
static double fd_elem(double x, const elem_ctx *c, double rel)
{
    double scale = c->kind >= 3 ? fmin(x, 1.0 - x) : fmax(fabs(x), 1e-3);
    double step = rel * scale;
    double hp = (x + step) - x, hm = x - (x - step);
    return (ref_elem_grad(x + hp, c) - ref_elem_grad(x - hm, c)) / (hp + hm);
}

START_TEST(bce_logits_hessian_literals_weights_and_differences)
{
    /* sigma'(0) = 1/4 exactly; sigma'(+-inf) = 0; NaN -> NaN; sigma'(40) ~ e^-40 accurately
     * where sigma (1 - sigma) from a rounded sigma would be 0 */
    const double a[5] = {0, INFINITY, -INFINITY, NAN, 40}, t[5] = {1, 0, 0.5, 0, 1};
    double h[5];
    ck_assert_int_eq(nnm_hess_loss_bce_logits_f64(1, 5, a, t, h), NNM_OK);
    nnm_assert_ulp_f64(h[0], 0.25, 0);
    ck_assert(h[1] == 0.0 && h[2] == 0.0 && isnan(h[3]));
    const double e40 = exp(-40.0), s40 = e40 / ((1 + e40) * (1 + e40));
    nnm_assert_rel_f64(h[4], s40, 2);

    /* pos_weight q and class weight w: w (q t + 1 - t) sigma'(a); MEAN divides by n */
    const double q[2] = {3.0, 0.5}, w[2] = {2.0, 0.0};
    nnm_loss_opts o = NNM_LOSS_OPTS_INIT;
    o.pos_weight = q;
    o.class_weight = w;
    const double a2[4] = {0, 1, 0, NAN}, t2[4] = {0.5, 1, 1, 0}; /* column 1 has weight 0 */
    double h2[4];
    ck_assert_int_eq(nnm_hess_loss_bce_logits_opts_f64(2, 2, a2, t2, &o, h2), NNM_OK);
    nnm_assert_ulp_f64(h2[0], 2.0 * (1.5 + 0.5) * 0.25, 0);
    ck_assert(h2[1] == 0.0 && h2[3] == 0.0); /* weight 0: 0, and the NaN there is not read */
    nnm_assert_ulp_f64(h2[2], 2.0 * 3.0 * 0.25, 0);
    o.reduction = NNM_REDUCE_MEAN;
    ck_assert_int_eq(nnm_hess_loss_bce_logits_opts_f64(2, 2, a2, t2, &o, h2), NNM_OK);
    nnm_assert_ulp_f64(h2[0], 0.5, 0);
    nnm_assert_ulp_f64(h2[2], 0.75, 0);

    /* random points against differences of the reference gradient */
    uint64_t rng = 0xbce1u;
    for (int i = 0; i < 200; ++i) {
        elem_ctx c = {nnm_rand_uniform(&rng, 0, 1), nnm_rand_uniform(&rng, 0.1, 3),
                      nnm_rand_uniform(&rng, 0.1, 4), 0, 0};
        double x = nnm_rand_uniform(&rng, -12, 12), hv;
        nnm_loss_opts oo = NNM_LOSS_OPTS_INIT;
        oo.class_weight = &c.w;
        oo.pos_weight = &c.q;
        ck_assert_int_eq(nnm_hess_loss_bce_logits_opts_f64(1, 1, &x, &c.t, &oo, &hv), NNM_OK);
        double fd = fd_elem(x, &c, 0x1p-17);
        double e23 = cbrt(DBL_EPSILON) * cbrt(DBL_EPSILON);
        ck_assert_msg(fabs(hv - fd) <= 64.0 * e23 * c.w * (c.q + 1),
                      "x=%g: %.17g vs FD %.17g", x, hv, fd);
        /* f32: sigma' of the float input, rounded once */
        float xf = (float)x, tf = (float)c.t, hf;
        ck_assert_int_eq(nnm_hess_loss_bce_logits_f32(1, 1, &xf, &tf, &hf), NNM_OK);
        double ex = exp(-fabs((double)xf));
        nnm_assert_ulp_f32(hf, (float)(ex / ((1 + ex) * (1 + ex))), 1);
    }
}
END_TEST

START_TEST(regression_hessians_l2_and_huber)
{
    const double y[5] = {0.5, 3.0, -1.0, NAN, INFINITY}, t[5] = {0, 0, 0, 0, 0};
    double h[5];
    ck_assert_int_eq(nnm_hess_loss_l2_f64(1, 5, y, t, NULL, h), NNM_OK);
    for (int i = 0; i < 3; ++i) nnm_assert_ulp_f64(h[i], 1.0, 0);
    ck_assert(isnan(h[3]));
    nnm_assert_ulp_f64(h[4], 1.0, 0);
    nnm_loss_opts mean = NNM_LOSS_OPTS_INIT;
    mean.reduction = NNM_REDUCE_MEAN;
    double h4[4];
    const double y4[4] = {1, 2, 3, 4}, t4[4] = {0, 0, 0, 0};
    ck_assert_int_eq(nnm_hess_loss_l2_f64(4, 1, y4, t4, &mean, h4), NNM_OK);
    for (int i = 0; i < 4; ++i) nnm_assert_ulp_f64(h4[i], 0.25, 0);

    /* Huber, delta = 1 (default): 1 inside, 0 outside, 0 at the kink |d| = delta */
    const double yh[6] = {0.5, -0.999, 1.0, -1.0, 2.0, NAN}, th[6] = {0, 0, 0, 0, 0, 0};
    const double want[5] = {1, 1, 0, 0, 0};
    double hh[6];
    ck_assert_int_eq(nnm_hess_loss_huber_f64(1, 6, yh, th, NULL, hh), NNM_OK);
    for (int i = 0; i < 5; ++i) nnm_assert_ulp_f64(hh[i], want[i], 0);
    ck_assert(isnan(hh[5]));
    nnm_loss_opts o = NNM_LOSS_OPTS_INIT;
    o.delta = 3.0;
    ck_assert_int_eq(nnm_hess_loss_huber_f64(1, 6, yh, th, &o, hh), NNM_OK);
    for (int i = 0; i < 5; ++i) nnm_assert_ulp_f64(hh[i], 1.0, 0);
    o.delta = INFINITY; /* Huber = l2 */
    const double ybig[1] = {1e300}, tz[1] = {0};
    ck_assert_int_eq(nnm_hess_loss_huber_f64(1, 1, ybig, tz, &o, hh), NNM_OK);
    nnm_assert_ulp_f64(hh[0], 1.0, 0);

    /* against differences of the clamp gradient away from the kink */
    uint64_t rng = 0x4ab3u;
    for (int i = 0; i < 100; ++i) {
        elem_ctx c = {nnm_rand_uniform(&rng, -2, 2), 1, 1, nnm_rand_uniform(&rng, 0.1, 2), 2};
        double x = nnm_rand_uniform(&rng, -5, 5), hv;
        if (fabs(fabs(x - c.t) - c.delta) < 1e-3) continue;
        nnm_loss_opts oo = NNM_LOSS_OPTS_INIT;
        oo.delta = c.delta;
        ck_assert_int_eq(nnm_hess_loss_huber_f64(1, 1, &x, &c.t, &oo, &hv), NNM_OK);
        nnm_assert_rel_f64(hv, fd_elem(x, &c, 0x1p-17), FD_REL_EPS);
        c.kind = 1;
        ck_assert_int_eq(nnm_hess_loss_l2_f64(1, 1, &x, &c.t, NULL, &hv), NNM_OK);
        nnm_assert_rel_f64(hv, fd_elem(x, &c, 0x1p-17), FD_REL_EPS);
    }
    float yf[2] = {0.25f, 7.0f}, tf[2] = {0, 0}, hf[2];
    ck_assert_int_eq(nnm_hess_loss_huber_f32(1, 2, yf, tf, NULL, hf), NNM_OK);
    ck_assert(hf[0] == 1.0f && hf[1] == 0.0f);
    ck_assert_int_eq(nnm_hess_loss_l2_f32(1, 2, yf, yf, NULL, yf), NNM_OK); /* h == input */
    ck_assert(yf[0] == 1.0f && yf[1] == 1.0f);
}
END_TEST

START_TEST(probability_losses_bce_and_ce)
{
    /* bce: t/y^2 + (1-t)/(1-y)^2; absent terms never give 0 * inf */
    const double y[5] = {0.5, 0.0, 0.0, 1.0, 0.25}, t[5] = {0.5, 0.0, 0.5, 1.0, 1.0};
    double h[5];
    ck_assert_int_eq(nnm_hess_loss_bce_f64(1, 5, y, t, NULL, h), NNM_OK);
    nnm_assert_ulp_f64(h[0], 4.0, 0); /* 0.5/0.25 + 0.5/0.25 */
    nnm_assert_ulp_f64(h[1], 1.0, 0); /* (1 - 0)/1 */
    ck_assert(isinf(h[2]) && h[2] > 0);
    nnm_assert_ulp_f64(h[3], 1.0, 0);
    nnm_assert_ulp_f64(h[4], 16.0, 0);
    /* ce: w t'/y^2; t' = 0 gives 0 even at y = 0 */
    const double yc[3] = {0.5, 0.0, 0.25}, tc[3] = {1.0, 0.0, 0.5};
    double hc[3];
    ck_assert_int_eq(nnm_hess_loss_ce_f64(1, 3, yc, tc, NULL, hc), NNM_OK);
    nnm_assert_ulp_f64(hc[0], 4.0, 0);
    ck_assert(hc[1] == 0.0);
    nnm_assert_ulp_f64(hc[2], 8.0, 0);
    /* label smoothing eps = 0.5, k = 3: t' = 0.5 t + 1/6 */
    nnm_loss_opts o = NNM_LOSS_OPTS_INIT;
    o.label_smoothing = 0.5;
    const double y3[3] = {0.5, 0.5, 0.25};
    ck_assert_int_eq(nnm_hess_loss_ce_f64(1, 3, y3, tc, &o, hc), NNM_OK);
    nnm_assert_rel_f64(hc[0], (0.5 + 1.0 / 6.0) / 0.25, 2);
    nnm_assert_rel_f64(hc[1], (1.0 / 6.0) / 0.25, 2);
    nnm_assert_rel_f64(hc[2], (0.25 + 1.0 / 6.0) / 0.0625, 2);

    /* random points against differences of the reference gradients, with weights and MEAN */
    uint64_t rng = 0x9b0bu;
    for (int i = 0; i < 200; ++i) {
        elem_ctx c = {nnm_rand_uniform(&rng, 0, 1), nnm_rand_uniform(&rng, 0.1, 3), 1, 0, 3};
        double x = nnm_rand_uniform(&rng, 0.02, 0.98), hv, hm[2], xx[2] = {x, x}, tt[2];
        nnm_loss_opts oo = NNM_LOSS_OPTS_INIT;
        oo.class_weight = &c.w;
        ck_assert_int_eq(nnm_hess_loss_bce_f64(1, 1, &x, &c.t, &oo, &hv), NNM_OK);
        double fd = fd_elem(x, &c, 0x1p-17);
        nnm_assert_rel_f64(hv, fd, FD_REL_EPS);
        c.kind = 4;
        ck_assert_int_eq(nnm_hess_loss_ce_f64(1, 1, &x, &c.t, &oo, &hv), NNM_OK);
        if (c.t > 0) nnm_assert_rel_f64(hv, fd_elem(x, &c, 0x1p-17), FD_REL_EPS);
        /* MEAN over n = 2 is SUM / 2, exactly */
        tt[0] = tt[1] = c.t;
        oo.reduction = NNM_REDUCE_MEAN;
        ck_assert_int_eq(nnm_hess_loss_ce_f64(2, 1, xx, tt, &oo, hm), NNM_OK);
        nnm_assert_ulp_f64(hm[0], hv / 2, 0);
        nnm_assert_ulp_f64(hm[1], hv / 2, 0);
    }
    float yf[2] = {0.5f, 0.25f}, tf[2] = {1.0f, 0.0f}, hf[2];
    ck_assert_int_eq(nnm_hess_loss_bce_f32(1, 2, yf, tf, NULL, hf), NNM_OK);
    nnm_assert_ulp_f32(hf[0], 4.0f, 0);
    nnm_assert_ulp_f32(hf[1], 1.0f / 0.5625f, 0);
    ck_assert_int_eq(nnm_hess_loss_ce_f32(1, 2, yf, tf, NULL, hf), NNM_OK);
    nnm_assert_ulp_f32(hf[0], 4.0f, 0);
    ck_assert(hf[1] == 0.0f);
}
END_TEST

START_TEST(bad_input_loss_hessians)
{
    const double a[4] = {0, 1, 2, 3}, t[4] = {0, 1, 0.5, 0}, tbad[4] = {0, 1.5, 0, 0};
    const double tnan[4] = {0, NAN, 0, 0}, neg[2] = {1, -1};
    const float af[4] = {0, 1, 2, 3}, tf[4] = {0, 1, 0.5f, 0}, tfbad[4] = {0, -0.5f, 0, 0};
    double H[16], h[4];
    float Hf[16], hf[4];
    nnm_canary_fill(H, sizeof H);
    nnm_canary_fill(h, sizeof h);
    nnm_canary_fill(Hf, sizeof Hf);
    nnm_canary_fill(hf, sizeof hf);
    const size_t huge = (size_t)1 << 62;

    /* ce_logits full */
    ck_assert_int_eq(nnm_hess_loss_ce_logits_f64(4, 1.0, NULL, t, H), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_loss_ce_logits_f64(4, 1.0, a, NULL, H), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_loss_ce_logits_f64(4, 1.0, a, t, NULL), NNM_EINVAL);
    const double bad_beta[4] = {0.0, -1.0, NAN, INFINITY};
    for (int b = 0; b < 4; ++b) {
        ck_assert_int_eq(nnm_hess_loss_ce_logits_f64(4, bad_beta[b], a, t, H), NNM_EINVAL);
        ck_assert_int_eq(nnm_hess_loss_ce_logits_f32(4, bad_beta[b], af, tf, Hf), NNM_EINVAL);
        ck_assert_int_eq(nnm_hess_loss_ce_logits_hvp_f64(1, 4, bad_beta[b], a, t, h),
                         NNM_EINVAL);
        ck_assert_int_eq(nnm_hess_loss_ce_logits_hvp_f32(1, 4, bad_beta[b], af, tf, hf),
                         NNM_EINVAL);
    }
    ck_assert_int_eq(nnm_hess_loss_ce_logits_f64(0, NAN, a, t, H), NNM_EINVAL); /* EINVAL first */
    ck_assert_int_eq(nnm_hess_loss_ce_logits_f64(0, 1.0, a, t, H), NNM_ESIZE);
    ck_assert_int_eq(nnm_hess_loss_ce_logits_f64((size_t)1 << 31, 1.0, a, t, H), NNM_ESIZE);
    ck_assert_int_eq(nnm_hess_loss_ce_logits_f64(4, 1.0, a, tbad, H), NNM_EDOM);
    ck_assert_int_eq(nnm_hess_loss_ce_logits_f64(4, 1.0, a, tnan, H), NNM_EDOM);
    ck_assert_int_eq(nnm_hess_loss_ce_logits_f32(4, 1.0, af, tfbad, Hf), NNM_EDOM);
    ck_assert_int_eq(nnm_hess_loss_ce_logits_f32(0, 1.0, af, tf, Hf), NNM_ESIZE);

    /* hvp */
    ck_assert_int_eq(nnm_hess_loss_ce_logits_hvp_f64(1, 4, 1.0, NULL, t, h), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_loss_ce_logits_hvp_f64(1, 4, 1.0, a, NULL, h), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_loss_ce_logits_hvp_f64(1, 4, 1.0, a, t, NULL), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_loss_ce_logits_hvp_f64(1, 0, 1.0, a, t, h), NNM_ESIZE);
    ck_assert_int_eq(nnm_hess_loss_ce_logits_hvp_f64(huge, 4, 1.0, a, t, h), NNM_ESIZE);
    ck_assert_int_eq(nnm_hess_loss_ce_logits_hvp_f32(huge, 4, 1.0, af, tf, hf), NNM_ESIZE);

    /* the diagonal losses: pointers, options, sizes, data */
    typedef nnm_status (*diag_f64)(size_t, size_t, const double *, const double *,
                                   const nnm_loss_opts *, double *);
    typedef nnm_status (*diag_f32)(size_t, size_t, const float *, const float *,
                                   const nnm_loss_opts *, float *);
    const diag_f64 f64s[5] = {nnm_hess_loss_bce_logits_opts_f64, nnm_hess_loss_l2_f64,
                              nnm_hess_loss_huber_f64, nnm_hess_loss_bce_f64,
                              nnm_hess_loss_ce_f64};
    const diag_f32 f32s[5] = {nnm_hess_loss_bce_logits_opts_f32, nnm_hess_loss_l2_f32,
                              nnm_hess_loss_huber_f32, nnm_hess_loss_bce_f32,
                              nnm_hess_loss_ce_f32};
    const double yp[4] = {0.1, 0.5, 0.9, 0.3}; /* valid probabilities for bce and ce */
    const float ypf[4] = {0.1f, 0.5f, 0.9f, 0.3f};
    for (int f = 0; f < 5; ++f) {
        nnm_loss_opts o = NNM_LOSS_OPTS_INIT;
        ck_assert_int_eq(f64s[f](2, 2, NULL, t, NULL, h), NNM_EINVAL);
        ck_assert_int_eq(f64s[f](2, 2, yp, NULL, NULL, h), NNM_EINVAL);
        ck_assert_int_eq(f64s[f](2, 2, yp, t, NULL, NULL), NNM_EINVAL);
        ck_assert_int_eq(f32s[f](2, 2, ypf, tf, NULL, NULL), NNM_EINVAL);
        ck_assert_int_eq(f64s[f](0, 2, NULL, NULL, NULL, NULL), NNM_OK); /* empty batch */
        o.reduction = (nnm_reduction)7;
        ck_assert_int_eq(f64s[f](2, 2, yp, t, &o, h), NNM_EINVAL);
        o.reduction = NNM_REDUCE_SUM;
        o.use_ignore_index = 1; /* no diagonal loss uses ignore_index */
        ck_assert_int_eq(f64s[f](2, 2, yp, t, &o, h), NNM_EINVAL);
        o.use_ignore_index = 0;
        o.delta = f == 2 ? -1.0 : 0.5; /* huber: bad delta; others: an unused option */
        ck_assert_int_eq(f64s[f](2, 2, yp, t, &o, h), NNM_EINVAL);
        ck_assert_int_eq(f32s[f](2, 2, ypf, tf, &o, hf), NNM_EINVAL);
        o.delta = 0.0;
        o.label_smoothing = f == 4 ? 2.0 : 0.1; /* ce: out of range; others: unused */
        ck_assert_int_eq(f64s[f](2, 2, yp, t, &o, h), NNM_EINVAL);
        o.label_smoothing = 0.0;
        ck_assert_int_eq(f64s[f](2, 0, yp, t, NULL, h), NNM_ESIZE);
        ck_assert_int_eq(f64s[f](huge, 4, yp, t, NULL, h), NNM_ESIZE);
        ck_assert_int_eq(f32s[f](2, 0, ypf, tf, NULL, hf), NNM_ESIZE);
        if (f == 0 || f >= 3) { /* weighted losses: a negative class weight */
            o.class_weight = neg;
            ck_assert_int_eq(f64s[f](2, 2, yp, t, &o, h), NNM_EDOM);
            ck_assert_int_eq(f32s[f](2, 2, ypf, tf, &o, hf), NNM_EDOM);
            o.class_weight = NULL;
        } else {
            o.class_weight = neg; /* l2/huber take no class weights */
            ck_assert_int_eq(f64s[f](2, 2, yp, t, &o, h), NNM_EINVAL);
            o.class_weight = NULL;
        }
        if (f != 0) { /* pos_weight is bce_logits only */
            o.pos_weight = neg;
            ck_assert_int_eq(f64s[f](2, 2, yp, t, &o, h), NNM_EINVAL);
            o.pos_weight = NULL;
        }
        if (f == 1 || f == 2) { /* regression targets must be finite */
            ck_assert_int_eq(f64s[f](2, 2, yp, tnan, NULL, h), NNM_EDOM);
            const float tfinf[4] = {0, INFINITY, 0, 0};
            ck_assert_int_eq(f32s[f](2, 2, ypf, tfinf, NULL, hf), NNM_EDOM);
        } else { /* targets in [0, 1] */
            ck_assert_int_eq(f64s[f](2, 2, yp, tbad, NULL, h), NNM_EDOM);
            ck_assert_int_eq(f64s[f](2, 2, yp, tnan, NULL, h), NNM_EDOM);
            ck_assert_int_eq(f32s[f](2, 2, ypf, tfbad, NULL, hf), NNM_EDOM);
        }
        if (f >= 3) { /* probabilities in [0, 1] */
            const double ybad[4] = {0.1, 1.5, 0.2, 0.2}, ynan[4] = {NAN, 0.5, 0.5, 0.5};
            ck_assert_int_eq(f64s[f](2, 2, ybad, t, NULL, h), NNM_EDOM);
            ck_assert_int_eq(f64s[f](2, 2, ynan, t, NULL, h), NNM_EDOM);
        }
    }
    ck_assert_int_eq(nnm_hess_loss_bce_logits_f64(2, 2, a, tbad, h), NNM_EDOM);
    ck_assert_int_eq(nnm_hess_loss_bce_logits_f64(2, 2, NULL, t, h), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_loss_bce_logits_f32(2, 0, af, tf, hf), NNM_ESIZE);

    nnm_assert_untouched(H, sizeof H);
    nnm_assert_untouched(h, sizeof h);
    nnm_assert_untouched(Hf, sizeof Hf);
    nnm_assert_untouched(hf, sizeof hf);
}
END_TEST

/* ---- the closed forms against central differences of the gradient module's loss gradients -- */

typedef nnm_status (*loss_grad_f64)(size_t, size_t, const double *, const double *,
                                    const nnm_loss_opts *, double *);

/* dg/dx of the library gradient in every direction e_idx, for an n x k input (n k <= 64):
 * J[idx][m] = (g_m(x + h e_idx) - g_m(x - h e_idx)) / (h+ + h-), with the step h = rel times the
 * local scale of x_idx (|x|, or the distance to the poles 0 and 1 for probabilities). */
static void fd_loss_jacobian(loss_grad_f64 grad, size_t n, size_t k, const double *x,
                             const double *t, const nnm_loss_opts *o, int prob, double rel,
                             double *J)
{
    size_t nk = n * k;
    double xp[64], gp[64], gm[64];
    memcpy(xp, x, nk * sizeof *x);
    for (size_t idx = 0; idx < nk; ++idx) {
        double scale = prob ? fmin(x[idx], 1.0 - x[idx]) : fmax(1.0, fabs(x[idx]));
        double step = rel * scale;
        double hp = (x[idx] + step) - x[idx], hm = x[idx] - (x[idx] - step);
        xp[idx] = x[idx] + hp;
        ck_assert_int_eq(grad(n, k, xp, t, o, gp), NNM_OK);
        xp[idx] = x[idx] - hm;
        ck_assert_int_eq(grad(n, k, xp, t, o, gm), NNM_OK);
        xp[idx] = x[idx];
        for (size_t m = 0; m < nk; ++m) J[idx * nk + m] = (gp[m] - gm[m]) / (hp + hm);
    }
}

/* The diagonal Hessians: h against the diagonal of the difference Jacobian of the matching
 * nnm_grad_loss_*, and the off-diagonal of that Jacobian is 0 (the losses are separable), for
 * every reduction and the options each loss takes. */
START_TEST(diagonal_hessians_match_differences_of_the_loss_gradients)
{
    typedef nnm_status (*hess_f64)(size_t, size_t, const double *, const double *,
                                   const nnm_loss_opts *, double *);
    const struct {
        const char *name;
        hess_f64 hess;
        loss_grad_f64 grad;
        int prob;      /* input is a probability */
        int weights;   /* class weights */
        int pos;       /* pos_weight */
        int smoothing; /* label smoothing */
        int delta;     /* Huber delta */
    } cases[] = {
        {"bce_logits", nnm_hess_loss_bce_logits_opts_f64, nnm_grad_loss_bce_logits_f64, 0, 1, 1,
         0, 0},
        {"l2", nnm_hess_loss_l2_f64, nnm_grad_loss_l2_f64, 0, 0, 0, 0, 0},
        {"huber", nnm_hess_loss_huber_f64, nnm_grad_loss_huber_f64, 0, 0, 0, 0, 1},
        {"bce", nnm_hess_loss_bce_f64, nnm_grad_loss_bce_f64, 1, 1, 0, 0, 0},
        {"ce", nnm_hess_loss_ce_f64, nnm_grad_loss_ce_f64, 1, 1, 0, 1, 0},
    };
    uint64_t rng = 0x6ad1u;
    const size_t n = 3, k = 4, nk = 12;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; ++c)
        for (int red = 0; red < 3; ++red)
            for (int trial = 0; trial < 8; ++trial) {
                double x[12], t[12], h[12], J[144], w[4], q[4];
                for (size_t i = 0; i < nk; ++i) {
                    x[i] = cases[c].prob ? nnm_rand_uniform(&rng, 0.05, 0.95)
                                         : nnm_rand_uniform(&rng, -6.0, 6.0);
                    t[i] = cases[c].prob || cases[c].pos || c == 0
                               ? nnm_rand_uniform(&rng, 0.0, 1.0)
                               : nnm_rand_uniform(&rng, -3.0, 3.0);
                }
                for (size_t j = 0; j < k; ++j) {
                    w[j] = nnm_rand_uniform(&rng, 0.2, 3.0);
                    q[j] = nnm_rand_uniform(&rng, 0.2, 3.0);
                }
                nnm_loss_opts o = NNM_LOSS_OPTS_INIT;
                o.reduction = (nnm_reduction)red;
                if (cases[c].weights) o.class_weight = w;
                if (cases[c].pos) o.pos_weight = q;
                if (cases[c].smoothing) o.label_smoothing = 0.3;
                if (cases[c].delta) o.delta = nnm_rand_uniform(&rng, 0.5, 4.0);
                /* keep Huber's differences away from its kink */
                if (cases[c].delta)
                    for (size_t i = 0; i < nk; ++i)
                        if (fabs(fabs(x[i] - t[i]) - o.delta) < 1e-3) x[i] += 0.01;
                ck_assert_int_eq(cases[c].hess(n, k, x, t, &o, h), NNM_OK);
                fd_loss_jacobian(cases[c].grad, n, k, x, t, &o, cases[c].prob, 0x1p-17, J);
                double hmax = 0.0;
                for (size_t i = 0; i < nk; ++i) hmax = fmax(hmax, fabs(h[i]));
                for (size_t i = 0; i < nk; ++i) {
                    ck_assert_msg(nnm_rel_err_eps_f64(h[i], J[i * nk + i]) <= FD_REL_EPS ||
                                      fabs(h[i] - J[i * nk + i]) <=
                                          FD_REL_EPS * DBL_EPSILON * hmax,
                                  "%s red %d: h[%zu] = %.17g, FD %.17g", cases[c].name, red, i,
                                  h[i], J[i * nk + i]);
                    for (size_t m = 0; m < nk; ++m)
                        if (m != i) ck_assert(J[i * nk + m] == 0.0);
                }
            }
}
END_TEST

/* G(a) = beta * nnm_grad_loss_ce_logits(beta a): the gradient of CE(softmax(beta a)) by the
 * chain rule, for the full Hessian's beta. */
typedef struct lib_ce_ctx {
    double beta;
    const double *t;
    const nnm_loss_opts *o;
} lib_ce_ctx;

static void lib_ce_row(size_t k, const double *a, double *g, const void *ctx)
{
    const lib_ce_ctx *c = ctx;
    double z[16] = {0};
    for (size_t j = 0; j < k; ++j) z[j] = c->beta * a[j];
    ck_assert_int_eq(nnm_grad_loss_ce_logits_f64(1, k, z, c->t, c->o, g), NNM_OK);
    for (size_t j = 0; j < k; ++j) g[j] *= c->beta;
}

START_TEST(ce_logits_hessian_and_hvp_match_differences_of_the_loss_gradient)
{
    uint64_t rng = 0x6ce2u;
    const double e23 = cbrt(DBL_EPSILON) * cbrt(DBL_EPSILON);
    for (size_t k = 1; k <= 10; ++k)
        for (int trial = 0; trial < 6; ++trial) {
            double a[16], t[16], ts[16], w[16], H[256], J[256];
            double beta = trial < 2 ? 1.0 : nnm_rand_uniform(&rng, 0.3, 3.0);
            double S = 0.0, C = 0.0;
            for (size_t j = 0; j < k; ++j) {
                a[j] = nnm_rand_uniform(&rng, -4.0, 4.0);
                t[j] = nnm_rand_uniform(&rng, 0.0, 1.0);
                w[j] = nnm_rand_uniform(&rng, 0.2, 3.0);
                S += t[j];
            }
            /* plain soft targets */
            lib_ce_ctx c = {beta, t, NULL};
            ck_assert_int_eq(nnm_hess_loss_ce_logits_f64(k, beta, a, t, H), NNM_OK);
            fd_jacobian(lib_ce_row, &c, k, a, 0x1p-17 / beta, J);
            double tol = 64.0 * e23 * beta * beta * fmax(S, 1.0);
            for (size_t i = 0; i < k * k; ++i)
                ck_assert_msg(fabs(H[i] - J[i]) <= tol, "k=%zu: H %.17g vs FD %.17g", k, H[i],
                              J[i]);
            /* label smoothing e: the Hessian of the smoothed targets t' = (1 - e) t + e/k */
            nnm_loss_opts o = NNM_LOSS_OPTS_INIT;
            o.label_smoothing = 0.25;
            for (size_t j = 0; j < k; ++j) ts[j] = 0.75 * t[j] + 0.25 / (double)k;
            c.o = &o;
            ck_assert_int_eq(nnm_hess_loss_ce_logits_f64(k, beta, a, ts, H), NNM_OK);
            fd_jacobian(lib_ce_row, &c, k, a, 0x1p-17 / beta, J);
            for (size_t i = 0; i < k * k; ++i) ck_assert(fabs(H[i] - J[i]) <= tol);
            /* class weights: this Hessian times C / S, C = sum_j w_j t_j (documented) */
            nnm_loss_opts ow = NNM_LOSS_OPTS_INIT;
            ow.class_weight = w;
            c.o = &ow;
            for (size_t j = 0; j < k; ++j) C += w[j] * t[j];
            ck_assert_int_eq(nnm_hess_loss_ce_logits_f64(k, beta, a, t, H), NNM_OK);
            fd_jacobian(lib_ce_row, &c, k, a, 0x1p-17 / beta, J);
            for (size_t i = 0; i < k * k; ++i)
                ck_assert(fabs(H[i] * (S > 0 ? C / S : 0.0) - J[i]) <=
                          64.0 * e23 * beta * beta * fmax(C, 1.0));

            /* HVP of one-hot rows = the directional difference of the gradient along v */
            double v[16], Hv[16], gp[16], gm[16], ap[16], am[16], oh[16];
            for (size_t j = 0; j < k; ++j) {
                v[j] = nnm_rand_uniform(&rng, -1.0, 1.0);
                oh[j] = j == (size_t)trial % k ? 1.0 : 0.0;
            }
            ck_assert_int_eq(nnm_hess_loss_ce_logits_hvp_f64(1, k, beta, a, v, Hv), NNM_OK);
            double hs = 0x1p-17 / beta;
            for (size_t j = 0; j < k; ++j) {
                ap[j] = a[j] + hs * v[j];
                am[j] = a[j] - hs * v[j];
            }
            lib_ce_ctx c1 = {beta, oh, NULL};
            lib_ce_row(k, ap, gp, &c1);
            lib_ce_row(k, am, gm, &c1);
            for (size_t j = 0; j < k; ++j) {
                double fd = (gp[j] - gm[j]) / (2.0 * hs);
                ck_assert_msg(fabs(Hv[j] - fd) <= 64.0 * e23 * beta * beta,
                              "hvp k=%zu: %.17g vs %.17g", k, Hv[j], fd);
            }
        }
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
    tcase_add_test(tc, quadform_has_no_spurious_overflow_and_zero_components_contribute_zero);
    tcase_add_test(tc, quadform_over_many_binades_meets_the_bound);
    tcase_add_test(tc, numeric_hessians_match_closed_forms_within_their_documented_errors);
    tcase_add_test(tc, numeric_hessians_are_exact_for_quadratics_and_symmetrised);
    tcase_add_test(tc, bad_input_numeric_quadform_definiteness_classify);
    tcase_add_test(tc, ce_logits_hessian_literals_and_limits);
    tcase_add_test(tc, ce_logits_hessian_against_mpfr_and_differences_of_the_gradient);
    tcase_add_test(tc, ce_logits_hvp_against_mpfr_and_the_full_hessian);
    tcase_add_test(tc, bce_logits_hessian_literals_weights_and_differences);
    tcase_add_test(tc, regression_hessians_l2_and_huber);
    tcase_add_test(tc, probability_losses_bce_and_ce);
    tcase_add_test(tc, bad_input_loss_hessians);
    tcase_add_test(tc, diagonal_hessians_match_differences_of_the_loss_gradients);
    tcase_add_test(tc, ce_logits_hessian_and_hvp_match_differences_of_the_loss_gradient);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return nnm_run_suite(hessian_suite());
}
