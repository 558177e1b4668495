/*
 * hessian: find the stationary points of a few functions of two variables and tell minima,
 * maxima, saddles and undecidable points apart from the Hessian's eigenvalues.
 *
 * The notes: a stationary point has grad f = 0; there the Hessian H decides. If all eigenvalues
 * of H are > 0 (H positive definite), f curves upward in every direction: a local minimum; all
 * < 0: a local maximum; both signs: a saddle. If some eigenvalue is 0 the second-order test
 * cannot decide (the notes' "PSD => minimum" needs a *definite* H): x^4 + y^4 and x^3 - 3xy^2
 * share H = 0 at the origin, yet one has a minimum there and the other does not.
 *
 * Library calls: nnm_grad_descent (minima), nnm_hess_eig_sym_f64 (eigenvalues and eigenvectors,
 * also for the Newton steps that find saddles and maxima, which descent cannot reach),
 * nnm_hess_classify_point (the classification, from the user's gradient and a finite-difference
 * Hessian), nnm_hess_classify_f64 (the same from the analytic Hessian), nnm_hess_quadform_f64 and
 * nnm_hess_numeric_from_grad.
 *
 * The exit status is 1 when a classification differs from the one known in closed form, so ctest
 * checks every line this program prints a verdict on.
 */
#include <nnmath/nnmath.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "../common/example.h"

/* A function of (x, y) with its analytic gradient and Hessian (row-major 2 x 2). */
typedef struct fn2 {
    const char *name;
    double (*f)(const double *x);
    void (*grad)(const double *x, double *g);
    void (*hess)(const double *x, double *h);
} fn2;

static double quad_f(const double *x) { return x[0] * x[0] + x[0] * x[1] + x[1] * x[1]; }
static void quad_g(const double *x, double *g)
{
    g[0] = 2 * x[0] + x[1];
    g[1] = x[0] + 2 * x[1];
}
static void quad_h(const double *x, double *h)
{
    (void)x;
    h[0] = 2;
    h[1] = 1;
    h[2] = 1;
    h[3] = 2;
}

/* Himmelblau's function: four minima with f = 0, one maximum, four saddles. */
static double himm_f(const double *x)
{
    double u = x[0] * x[0] + x[1] - 11, v = x[0] + x[1] * x[1] - 7;
    return u * u + v * v;
}
static void himm_g(const double *x, double *g)
{
    double u = x[0] * x[0] + x[1] - 11, v = x[0] + x[1] * x[1] - 7;
    g[0] = 4 * x[0] * u + 2 * v;
    g[1] = 2 * u + 4 * x[1] * v;
}
static void himm_h(const double *x, double *h)
{
    h[0] = 12 * x[0] * x[0] + 4 * x[1] - 42;
    h[1] = h[2] = 4 * (x[0] + x[1]);
    h[3] = 4 * x[0] + 12 * x[1] * x[1] - 26;
}

static double saddle_f(const double *x) { return x[0] * x[0] - x[1] * x[1]; }
static void saddle_g(const double *x, double *g)
{
    g[0] = 2 * x[0];
    g[1] = -2 * x[1];
}
static void saddle_h(const double *x, double *h)
{
    (void)x;
    h[0] = 2;
    h[1] = h[2] = 0;
    h[3] = -2;
}

static double quartic_f(const double *x) { return pow(x[0], 4) + pow(x[1], 4); }
static void quartic_g(const double *x, double *g)
{
    g[0] = 4 * pow(x[0], 3);
    g[1] = 4 * pow(x[1], 3);
}
static void quartic_h(const double *x, double *h)
{
    h[0] = 12 * x[0] * x[0];
    h[1] = h[2] = 0;
    h[3] = 12 * x[1] * x[1];
}

/* The monkey saddle: three valleys and three ridges meet at the origin. */
static double monkey_f(const double *x) { return pow(x[0], 3) - 3 * x[0] * x[1] * x[1]; }
static void monkey_g(const double *x, double *g)
{
    g[0] = 3 * x[0] * x[0] - 3 * x[1] * x[1];
    g[1] = -6 * x[0] * x[1];
}
static void monkey_h(const double *x, double *h)
{
    h[0] = 6 * x[0];
    h[1] = h[2] = -6 * x[1];
    h[3] = -6 * x[0];
}

/* Adapters to libnnmath's callback types: ctx is the fn2. */
static double cb_f(size_t d, const double *x, void *ctx)
{
    (void)d;
    return ((const fn2 *)ctx)->f(x);
}
static void cb_g(size_t d, const double *x, double *g, void *ctx)
{
    (void)d;
    ((const fn2 *)ctx)->grad(x, g);
}

static const char *verdict_name(nnm_stationary s)
{
    switch (s) {
    case NNM_NOT_STATIONARY: return "not stationary";
    case NNM_LOCAL_MINIMUM: return "local minimum";
    case NNM_LOCAL_MAXIMUM: return "local maximum";
    case NNM_SADDLE_POINT: return "saddle point";
    case NNM_DEGENERATE: return "degenerate";
    }
    return "?";
}

static int failures = 0;

/* Classify x for fn, print the evidence, and count a failure if the verdict is not `expect`. */
static nnm_stationary explain(const fn2 *fn, const double *x, nnm_stationary expect)
{
    double g[2], h[4], lam[2], v[4];
    nnm_stationary s = NNM_NOT_STATIONARY, s_analytic = NNM_NOT_STATIONARY;
    fn->grad(x, g);
    fn->hess(x, h);
    EX_TRY(nnm_hess_classify_point(cb_f, cb_g, (void *)fn, 2, x, 0.0, &s));
    EX_TRY(nnm_hess_classify_f64(2, g, h, 0.0, &s_analytic));
    EX_TRY(nnm_hess_eig_sym_f64(2, h, lam, v));

    printf("  (%9.6f, %9.6f)  f = %-11.6g %s\n", x[0], x[1], fn->f(x), verdict_name(s));
    printf("      eigenvalues of H %8.3f %8.3f: ", lam[0], lam[1]);
    switch (s) {
    case NNM_NOT_STATIONARY:
        printf("grad f = (%g, %g) is not 0\n", g[0], g[1]);
        break;
    case NNM_LOCAL_MINIMUM:
        printf("both > 0, f curves up in every direction\n");
        break;
    case NNM_LOCAL_MAXIMUM:
        printf("both < 0, f curves down in every direction\n");
        break;
    case NNM_SADDLE_POINT:
        /* eigenvectors are the columns of v: v[0], v[2] is the first */
        /* + 0.0 turns a -0 component into +0 (so it does not print as "-0.000") */
        printf("f falls along (%.3f, %.3f), rises along (%.3f, %.3f)\n", v[0] + 0.0, v[2] + 0.0,
               v[1] + 0.0, v[3] + 0.0);
        break;
    case NNM_DEGENERATE:
        printf("H is singular and semi-definite: second order cannot decide\n");
        break;
    }
    if (s != expect || s_analytic != expect) {
        printf("  FAIL: expected %s (finite-difference Hessian: %s, analytic: %s)\n",
               verdict_name(expect), verdict_name(s), verdict_name(s_analytic));
        ++failures;
    }
    return s;
}

/* Newton's method on grad f = 0, x <- x - H^-1 g with H^-1 from the eigen-decomposition
 * H = V diag(lam) V^T: unlike descent it is drawn to every kind of stationary point. Directions
 * with |lam| <= 1e-12 max|lam| are skipped (H is singular there), and a step longer than 1 is
 * shortened so that a start where H is nearly singular does not throw x far away. Returns 1 when
 * |g| <= 1e-9 after at most 100 steps. */
static int newton(const fn2 *fn, double *x)
{
    for (int it = 0; it < 100; ++it) {
        double g[2], h[4], lam[2], v[4], step[2] = {0, 0};
        fn->grad(x, g);
        if (hypot(g[0], g[1]) <= 1e-9)
            return 1;
        fn->hess(x, h);
        EX_TRY(nnm_hess_eig_sym_f64(2, h, lam, v));
        double lam_max = fmax(fabs(lam[0]), fabs(lam[1]));
        for (int j = 0; j < 2; ++j) {
            if (!(fabs(lam[j]) > 1e-12 * lam_max))
                continue;
            double c = (v[j] * g[0] + v[2 + j] * g[1]) / lam[j];
            step[0] -= c * v[j];
            step[1] -= c * v[2 + j];
        }
        double len = hypot(step[0], step[1]);
        if (len > 1.0) {
            step[0] /= len;
            step[1] /= len;
        }
        x[0] += step[0];
        x[1] += step[1];
    }
    double g[2];
    fn->grad(x, g);
    return hypot(g[0], g[1]) <= 1e-9;
}

static void notes_example(void)
{
    static const fn2 fn = {"x^2 + xy + y^2", quad_f, quad_g, quad_h};
    printf("== f(x, y) = %s (the notes' example) ==\n", fn.name);

    double x[2] = {1.0, 2.0}, h[4], q = 0.0;
    EX_TRY(nnm_hess_numeric_from_grad(cb_g, (void *)&fn, 2, x, h));
    printf("Hessian by central differences of the gradient at (1, 2): [[%.6f, %.6f], [%.6f, %.6f]]"
           "\n",
           h[0], h[1], h[2], h[3]);
    fn.hess(x, h);
    EX_TRY(nnm_hess_quadform_f64(2, h, x, &q));
    printf("X^T H X for X = (1, 2): %g (the notes: 14)\n", q);
    if (q != 14.0) {
        printf("  FAIL: expected 14\n");
        ++failures;
    }
    printf("at (1, 2):\n");
    explain(&fn, x, NNM_NOT_STATIONARY);

    nnm_gd_opts opts = {0.1, 0.0, 1e-10, 1000, NULL};
    nnm_gd_result res;
    EX_TRY(nnm_grad_descent(cb_f, cb_g, (void *)&fn, 2, x, &opts, &res));
    printf("gradient descent from (1, 2), lr 0.1: %zu steps, |grad f| = %.2g\n", res.iterations,
           res.grad_norm);
    explain(&fn, x, NNM_LOCAL_MINIMUM);
    printf("\n");
}

static int by_position(const void *a, const void *b)
{
    const double *p = a, *q = b;
    if (p[0] != q[0])
        return p[0] < q[0] ? -1 : 1;
    return (p[1] > q[1]) - (p[1] < q[1]);
}

static void himmelblau(void)
{
    static const fn2 fn = {"(x^2 + y - 11)^2 + (x + y^2 - 7)^2", himm_f, himm_g, himm_h};
    printf("== Himmelblau's function f(x, y) = %s ==\n", fn.name);

    /* Descent finds the minima: one start per quadrant. lr 0.01 < 2 / lam_max (lam_max is about
     * 134 at the minimum near (-3.78, -3.28)), so every step shrinks the error. */
    static const double starts[4][2] = {{4, 4}, {-4, 4}, {-4, -4}, {4, -4}};
    printf("gradient descent (lr 0.01) from the four quadrants:\n");
    for (int i = 0; i < 4; ++i) {
        double x[2] = {starts[i][0], starts[i][1]};
        nnm_gd_opts opts = {0.01, 0.0, 1e-10, 10000, NULL};
        nnm_gd_result res;
        EX_TRY(nnm_grad_descent(cb_f, cb_g, (void *)&fn, 2, x, &opts, &res));
        printf("  from (%2g, %2g), %zu steps:\n", starts[i][0], starts[i][1], res.iterations);
        explain(&fn, x, NNM_LOCAL_MINIMUM);
    }

    /* Newton from a 9 x 9 grid of starts finds every stationary point; keep the distinct ones. */
    double found[32][2];
    int nfound = 0;
    for (int i = 0; i < 9; ++i) {
        for (int j = 0; j < 9; ++j) {
            double x[2] = {-5.0 + 1.25 * i, -5.0 + 1.25 * j};
            if (!newton(&fn, x))
                continue;
            int dup = 0;
            for (int k = 0; k < nfound && !dup; ++k)
                dup = hypot(found[k][0] - x[0], found[k][1] - x[1]) < 1e-6;
            if (!dup && nfound < 32) {
                found[nfound][0] = x[0];
                found[nfound][1] = x[1];
                ++nfound;
            }
        }
    }
    qsort(found, (size_t)nfound, sizeof found[0], by_position);
    printf("Newton's method from a 9 x 9 grid of starts finds %d stationary points:\n", nfound);
    /* The nine stationary points as tabulated for this function (to 6 decimals): what each
     * found point must be classified as. */
    static const struct { double x, y; nnm_stationary kind; } known[9] = {
        {3.0, 2.0, NNM_LOCAL_MINIMUM},          {-2.805118, 3.131313, NNM_LOCAL_MINIMUM},
        {-3.779310, -3.283186, NNM_LOCAL_MINIMUM}, {3.584428, -1.848127, NNM_LOCAL_MINIMUM},
        {-0.270845, -0.923039, NNM_LOCAL_MAXIMUM}, {-3.073026, -0.081353, NNM_SADDLE_POINT},
        {-0.127961, -1.953715, NNM_SADDLE_POINT},  {0.086678, 2.884255, NNM_SADDLE_POINT},
        {3.385154, 0.073852, NNM_SADDLE_POINT},
    };
    int count[5] = {0, 0, 0, 0, 0};
    for (int k = 0; k < nfound; ++k) {
        nnm_stationary expect = NNM_NOT_STATIONARY;
        for (int j = 0; j < 9; ++j)
            if (hypot(found[k][0] - known[j].x, found[k][1] - known[j].y) < 1e-5)
                expect = known[j].kind;
        ++count[explain(&fn, found[k], expect)];
    }
    printf("  %d minima, %d maximum, %d saddles (known: 4, 1, 4)\n\n", count[NNM_LOCAL_MINIMUM],
           count[NNM_LOCAL_MAXIMUM], count[NNM_SADDLE_POINT]);
    if (nfound != 9 || count[NNM_LOCAL_MINIMUM] != 4 || count[NNM_LOCAL_MAXIMUM] != 1 ||
        count[NNM_SADDLE_POINT] != 4) {
        printf("  FAIL: Himmelblau's function has 4 minima, 1 maximum and 4 saddles\n");
        ++failures;
    }
}

static void saddle(void)
{
    static const fn2 fn = {"x^2 - y^2", saddle_f, saddle_g, saddle_h};
    printf("== f(x, y) = %s ==\n", fn.name);
    const double origin[2] = {0, 0};
    explain(&fn, origin, NNM_SADDLE_POINT);
    printf("\n");
}

static void degenerate(void)
{
    static const fn2 quartic = {"x^4 + y^4", quartic_f, quartic_g, quartic_h};
    static const fn2 monkey = {"x^3 - 3xy^2", monkey_f, monkey_g, monkey_h};
    const double origin[2] = {0, 0};
    printf("== two functions with grad f = 0 and H = 0 at the origin ==\n");
    printf("f(x, y) = %s:\n", quartic.name);
    explain(&quartic, origin, NNM_DEGENERATE);
    printf("f(x, y) = %s:\n", monkey.name);
    explain(&monkey, origin, NNM_DEGENERATE);
    /* Higher-order terms decide: x^4 + y^4 > 0 away from the origin (a minimum), while
     * x^3 - 3xy^2 = t^3 on the x axis takes both signs (no extremum). */
    const double t = 0.1, left[2] = {-t, 0}, right[2] = {t, 0};
    printf("on the x axis at -0.1 and 0.1: x^4 + y^4 = %g, %g (a minimum); "
           "x^3 - 3xy^2 = %g, %g (neither)\n",
           quartic_f(left), quartic_f(right), monkey_f(left), monkey_f(right));
}

int main(void)
{
    notes_example();
    himmelblau();
    saddle();
    degenerate();
    if (failures != 0) {
        printf("\n%d classification(s) differ from the closed form\n", failures);
        return EXIT_FAILURE;
    }
    return EXIT_SUCCESS;
}
