/*
 * The notes' Hessian example: f(x, y) = x^2 + xy + y^2 has the Hessian [[2,1],[1,2]], the
 * quadratic form X^T H X = 14 at X = (1, 2), eigenvalues {1, 3}, and the origin is a minimum;
 * then the classification of the textbook stationary points, and why "PSD => minimum" needs a
 * definite Hessian.
 */
#include <float.h>
#include <nnmath/nnmath.h>
#include <stdio.h>

#include "tour.h"

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

static double bowl(size_t d, const double *x, void *ctx)
{
    (void)d, (void)ctx;
    return x[0] * x[0] + x[1] * x[1];
}
static double cap(size_t d, const double *x, void *ctx)
{
    return -bowl(d, x, ctx);
}
static double saddle(size_t d, const double *x, void *ctx)
{
    (void)d, (void)ctx;
    return x[0] * x[0] - x[1] * x[1];
}
static double quartic(size_t d, const double *x, void *ctx)
{
    (void)d, (void)ctx;
    double a = x[0] * x[0], b = x[1] * x[1];
    return a * a + b * b;
}
static double cubic(size_t d, const double *x, void *ctx)
{
    (void)d, (void)ctx;
    return x[0] * x[0] * x[0] + x[1] * x[1];
}
static double rosenbrock(size_t d, const double *x, void *ctx)
{
    (void)d, (void)ctx;
    double a = 1 - x[0], b = x[1] - x[0] * x[0];
    return a * a + 100 * b * b;
}

static const char *stationary_name(nnm_stationary s)
{
    switch (s) {
    case NNM_NOT_STATIONARY: return "not stationary";
    case NNM_LOCAL_MINIMUM: return "local minimum";
    case NNM_LOCAL_MAXIMUM: return "local maximum";
    case NNM_SADDLE_POINT: return "saddle point";
    case NNM_DEGENERATE: return "degenerate (higher-order terms decide)";
    }
    return "?";
}

static const char *definiteness_name(nnm_definiteness d)
{
    switch (d) {
    case NNM_POSITIVE_DEFINITE: return "positive definite";
    case NNM_POSITIVE_SEMIDEFINITE: return "positive semi-definite";
    case NNM_NEGATIVE_DEFINITE: return "negative definite";
    case NNM_NEGATIVE_SEMIDEFINITE: return "negative semi-definite";
    case NNM_INDEFINITE: return "indefinite";
    }
    return "?";
}

void tour_hessian(void)
{
    tour_section("Hessian of f(x, y) = x^2 + xy + y^2 (the notes' example)");
    const double origin[2] = {0, 0}, X[2] = {1, 2};
    double H[4], Hg[4];
    if (nnm_hess_numeric(notes_f, NULL, 2, origin, H) != NNM_OK) return;
    if (nnm_hess_numeric_from_grad(notes_g, NULL, 2, X, Hg) != NNM_OK) return;
    printf("numeric Hessian from f at (0,0):    [[%g, %g], [%g, %g]]\n", H[0], H[1], H[2], H[3]);
    printf("numeric Hessian from grad at (1,2): [[%g, %g], [%g, %g]]   (notes: [[2,1],[1,2]])\n",
           Hg[0], Hg[1], Hg[2], Hg[3]);

    const double Hx[4] = {2, 1, 1, 2};
    double q = 0;
    if (nnm_hess_quadform_f64(2, Hx, X, &q) != NNM_OK) return;
    printf("X^T H X for X = (1, 2): %g   (notes: 4 + 10 = 14 > 0, convex along X)\n", q);

    double eig[2], V[4];
    if (nnm_hess_eig_sym_f64(2, Hx, eig, V) != NNM_OK) return;
    printf("eigenvalues: %g, %g; eigenvectors (columns): (%.6f, %.6f), (%.6f, %.6f)\n", eig[0],
           eig[1], V[0], V[2], V[1], V[3]);
    nnm_definiteness def;
    if (nnm_hess_definiteness_f64(2, Hx, 0.0, &def) != NNM_OK) return;
    printf("H is %s: non-negative eigenvalues <=> x^T H x >= 0 for all x\n",
           definiteness_name(def));
    nnm_stationary st;
    if (nnm_hess_classify_point(notes_f, notes_g, NULL, 2, origin, 0.0, &st) != NNM_OK) return;
    printf("grad f(0,0) = 0 and H definite: the origin is a %s\n", stationary_name(st));

    tour_section("classifying stationary points from f alone");
    struct {
        const char *name;
        nnm_fn f;
        double x[2];
    } pts[] = {
        {"x^2 + y^2       at (0, 0)", bowl, {0, 0}},
        {"-x^2 - y^2      at (0, 0)", cap, {0, 0}},
        {"x^2 - y^2       at (0, 0)", saddle, {0, 0}},
        {"x^4 + y^4       at (0, 0)", quartic, {0, 0}},
        {"x^3 + y^2       at (0, 0)", cubic, {0, 0}},
        {"Rosenbrock      at (1, 1)", rosenbrock, {1, 1}},
        {"x^2 + y^2       at (1, 0)", bowl, {1, 0}},
    };
    for (size_t i = 0; i < sizeof pts / sizeof pts[0]; ++i) {
        if (nnm_hess_classify_point(pts[i].f, NULL, NULL, 2, pts[i].x, 0.0, &st) != NNM_OK)
            return;
        printf("  %s: %s\n", pts[i].name, stationary_name(st));
    }
    printf("x^3 + y^2 has the PSD Hessian diag(0, 2) at 0 and no minimum there: the notes'\n"
           "\"PSD at a stationary point => minimum\" holds for a definite Hessian only.\n");

    tour_section("semi-definite within rounding: the rank-1 matrix [[1,2,3],[2,4,6],[3,6,9]]");
    const double R[9] = {1, 2, 3, 2, 4, 6, 3, 6, 9};
    double er[3];
    if (nnm_hess_eigvals_sym_f64(3, R, er) != NNM_OK) return;
    if (nnm_hess_definiteness_f64(3, R, 0.0, &def) != NNM_OK) return;
    printf("eigenvalues %.3g, %.3g, %g: a solver may return the two zeros as +-rounding noise;\n"
           "with the default band |lambda| <= d eps max|lambda| = %.2g the matrix is %s\n",
           er[0], er[1], er[2], 3 * DBL_EPSILON * er[2], definiteness_name(def));
}
