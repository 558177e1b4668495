/*
 * Finite differences on user functions (double): gradient, Jacobian, gradient check.
 *
 * Step choice (docs/gradient.md). A central difference D(h) = (f(x+h) - f(x-h)) / 2h has a
 * truncation error h^2 |f'''| / 6 and a rounding error about eps |f| / h (the two values of f
 * carry eps |f| each, divided by 2h). The sum is smallest for h ~ cbrt(eps) in the units of x,
 * giving an error ~ eps^(2/3) ~ 4e-11 of the natural scales. Units of x: the step is relative,
 * h_i = c max(1, |x_i|), so a coordinate of size 1e6 gets a step that still moves f, and one near
 * 0 does not get a step that vanishes. Richardson's (4 D(h/2) - D(h)) / 3 cancels the h^2 term;
 * what is left is h^4 |f^(5)| / 480 + ~3 eps |f| / h, smallest near h ~ eps^(1/5).
 *
 * Unequal steps. x_i + h and x_i - h are rounded, so the actual steps h+ = x_i^+ - x_i and
 * h- = x_i - x_i^- differ by up to an ulp of x_i. The plain quotient (f+ - f-) / (h+ + h-) is then
 * the derivative at the midpoint of the probes, off by f'' (h+ - h-) / 2: at a minimum where f = 0
 * this ulp-sized term is the whole error. The three-point formula for unequal steps,
 *     D = (h-/h+ (f+ - f0) + h+/h- (f0 - f-)) / (h+ + h-)      (f0 = f(x)),
 * is exact for quadratics whatever the two steps are (its leading error is f''' h+ h- / 6), and
 * equals the plain central difference when h+ = h-. It costs one more call of f in total.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nnmath/gradient.h"
#include "internal.h"

/* A scalar (nnm_fn, m = 1) or vector (nnm_vec_fn) user function, evaluated the same way. */
typedef struct fd_target {
    nnm_fn f;
    nnm_vec_fn vf;
    void *ctx;
    size_t m;
} fd_target;

static void fd_eval(const fd_target *t, size_t d, const double *x, double *out)
{
    if (t->f != NULL) out[0] = t->f(d, x, t->ctx);
    else t->vf(d, x, t->m, out, t->ctx);
}

/* The smallest relative step accepted: with c >= 2^-48 = 16 eps both x_i + h and x_i - h differ
 * from x_i (h >= 16 eps max(1, |x_i|) is at least 8 ulps of x_i), so neither step is 0. */
#define FD_MIN_STEP 0x1p-48

/* Checks opts and returns the method and the relative step c (defaults filled in). */
static nnm_status fd_opts_read(const nnm_grad_fd_opts *opts, nnm_grad_fd_method *method,
                               double *c)
{
    nnm_grad_fd_method mth = opts != NULL ? opts->method : NNM_GRAD_FD_CENTRAL;
    double step = opts != NULL ? opts->step : 0.0;
    NNM_RETURN_IF(mth != NNM_GRAD_FD_CENTRAL && mth != NNM_GRAD_FD_RICHARDSON, NNM_EINVAL);
    NNM_RETURN_IF(step != 0.0 && !(step >= FD_MIN_STEP && step < 1.0), NNM_EINVAL);
    if (step == 0.0) {
        /* cbrt(eps) = 6.06e-6 balances h^2 against eps / h; eps^(1/5) = 7.4e-4 balances h^4
         * against eps / h. */
        step = mth == NNM_GRAD_FD_CENTRAL ? cbrt(DBL_EPSILON) : pow(DBL_EPSILON, 0.2);
    }
    *method = mth;
    *c = step;
    return NNM_OK;
}

static int all_finite(size_t n, const double *v)
{
    for (size_t i = 0; i < n; ++i)
        if (!isfinite(v[i])) return 0;
    return 1;
}

/* Scratch of the probes: f+ and f- (m values each); f0 = f(x) is computed once per call. */
typedef struct fd_work {
    double *xw;       /* the copy of x that f sees, one coordinate moved at a time */
    const double *f0; /* f(x), m values */
    double *fp, *fm;  /* f at the two probes, m values each */
    double *d1;       /* Richardson: D(h) while D(h/2) is formed, m values */
    double fbig;      /* largest |f| seen (the gradient check's noise scale) */
} fd_work;

/* The difference quotient along coordinate i with step h into col[r * stride], r < m (see the
 * top of the file). Returns 0 when a value of f was not finite. xw is restored. */
static int fd_central(const fd_target *t, size_t d, fd_work *w, size_t i, double h, double *col,
                      size_t stride)
{
    double xi = w->xw[i];
    double xp = xi + h, xm = xi - h;
    w->xw[i] = xp;
    fd_eval(t, d, w->xw, w->fp);
    w->xw[i] = xm;
    fd_eval(t, d, w->xw, w->fm);
    w->xw[i] = xi;
    if (!all_finite(t->m, w->fp) || !all_finite(t->m, w->fm)) return 0;
    /* each actual step carries at most one rounding (2^-53 relative), so the weights keep the
     * formula exact for quadratics to that relative accuracy */
    double hp = xp - xi, hm = xi - xm;
    double rp = hm / hp, rm = hp / hm, den = hp + hm;
    for (size_t r = 0; r < t->m; ++r) {
        double fp = w->fp[r], fm = w->fm[r], f0 = w->f0[r];
        col[r * stride] = (rp * (fp - f0) + rm * (f0 - fm)) / den;
        w->fbig = fmax(w->fbig, fmax(fabs(fp), fabs(fm)));
    }
    return 1;
}

/* Column i of the Jacobian (the derivative along x_i) by the chosen method. */
static int fd_column(const fd_target *t, size_t d, fd_work *w, size_t i,
                     nnm_grad_fd_method method, double c, double *col, size_t stride)
{
    double h = c * fmax(1.0, fabs(w->xw[i]));
    if (method == NNM_GRAD_FD_CENTRAL) return fd_central(t, d, w, i, h, col, stride);
    /* D(h) = f' + c2 h^2 + c4 h^4 + ...: (4 D(h/2) - D(h)) / 3 = f' - c4 h^4 / 4 + ...,
     * written as a correction of the better estimate D(h/2). */
    if (!fd_central(t, d, w, i, h, w->d1, 1)) return 0;
    if (!fd_central(t, d, w, i, 0.5 * h, col, stride)) return 0;
    for (size_t r = 0; r < t->m; ++r) {
        double d2 = col[r * stride];
        col[r * stride] = d2 + (d2 - w->d1[r]) / 3.0;
    }
    return 1;
}

/* The size check shared by every entry point: d > 0 and d doubles addressable (ESIZE). */
static nnm_status fd_size(size_t d, size_t *bytes)
{
    NNM_RETURN_IF(d == 0, NNM_ESIZE);
    size_t count = 0;
    NNM_TRY(nnm__count(d, 1, sizeof(double), &count));
    *bytes = count * sizeof(double);
    return NNM_OK;
}

/* Scratch of `count` doubles (NULL when the bytes would not fit in size_t, or malloc fails). */
static double *scratch(size_t count)
{
    return count > SIZE_MAX / sizeof(double) ? NULL : (double *)malloc(count * sizeof(double));
}

/* The finite-difference Jacobian (m x d, row-major, J[r][i] = df_r/dx_i) of a scalar or vector
 * target into out, after every argument has been checked. Scratch: the copy of x (d), f0, f+, f-,
 * D(h) (4m) and the result until every value is known finite (m d): a failing call writes
 * nothing. ga (may be NULL): the gradient check's analytic gradient, also m d = d values, to be
 * compared in the same pass; *worst receives the check's measure. */
static nnm_status fd_run(const fd_target *t, size_t d, const double *x, nnm_grad_fd_method method,
                         double c, size_t md, double *out, nnm_grad_fn g, double *worst)
{
    size_t m = t->m;
    /* each term is <= PTRDIFF_MAX / 8 doubles (checked by the callers): the sum cannot wrap */
    double *xw = scratch(d + 4 * m + md + (g != NULL ? d : 0));
    NNM_RETURN_IF(xw == NULL, NNM_ENOMEM);
    if (!all_finite(d, x)) {
        free(xw);
        return NNM_EDOM;
    }
    double *f0 = xw + d, *fp = f0 + m, *fm = fp + m, *d1 = fm + m, *res = d1 + m;
    double *ga = g != NULL ? res + md : NULL;
    memcpy(xw, x, d * sizeof(double));
    fd_work w = {xw, f0, fp, fm, d1, 0.0};
    nnm_status st = NNM_OK;
    fd_eval(t, d, xw, f0);
    if (!all_finite(m, f0)) st = NNM_EDOM;
    if (st == NNM_OK && ga != NULL) {
        g(d, x, ga, t->ctx);
        if (!all_finite(d, ga)) st = NNM_EDOM;
    }
    double max_err = 0.0;
    for (size_t i = 0; i < d && st == NNM_OK; ++i) {
        w.fbig = fabs(f0[0]);
        if (!fd_column(t, d, &w, i, method, c, res + i, d)) {
            st = NNM_EDOM;
            break;
        }
        if (ga == NULL) continue;
        double a = ga[i], n = res[i];
        if (a == n) continue;
        /* Relative to the larger of the two values, but never to less than the natural scale
         * F_i / max(1, |x_i|) of a component of this gradient: the difference's own rounding
         * noise is ~eps^(2/3) of that scale, so a smaller component cannot be judged relatively.
         * Each quotient is <= 1 in magnitude, so their difference cannot overflow. */
        double den = fmax(fmax(fabs(a), fabs(n)), w.fbig / fmax(1.0, fabs(x[i])));
        max_err = fmax(max_err, fabs(a / den - n / den));
    }
    if (st == NNM_OK) {
        if (out != NULL) memcpy(out, res, md * sizeof(double));
        if (worst != NULL) *worst = max_err;
    }
    free(xw);
    return st;
}

nnm_status nnm_grad_numeric_ex(nnm_fn f, void *ctx, size_t d, const double *x,
                               const nnm_grad_fd_opts *opts, double *NNM_RESTRICT g)
{
    nnm_grad_fd_method method;
    double c;
    size_t bytes = 0;
    NNM_RETURN_IF(f == NULL || x == NULL || g == NULL, NNM_EINVAL);
    NNM_TRY(fd_opts_read(opts, &method, &c));
    NNM_TRY(fd_size(d, &bytes));
    fd_target t = {f, NULL, ctx, 1};
    return fd_run(&t, d, x, method, c, d, g, NULL, NULL);
}

nnm_status nnm_grad_numeric(nnm_fn f, void *ctx, size_t d, const double *x, double *NNM_RESTRICT g)
{
    return nnm_grad_numeric_ex(f, ctx, d, x, NULL, g);
}

nnm_status nnm_grad_jacobian_numeric_ex(nnm_vec_fn f, void *ctx, size_t d, size_t m,
                                        const double *x, const nnm_grad_fd_opts *opts,
                                        double *NNM_RESTRICT J)
{
    nnm_grad_fd_method method;
    double c;
    size_t bytes = 0, md = 0, m4 = 0;
    NNM_RETURN_IF(f == NULL || x == NULL || J == NULL, NNM_EINVAL);
    NNM_TRY(fd_opts_read(opts, &method, &c));
    NNM_TRY(fd_size(d, &bytes));
    NNM_RETURN_IF(m == 0, NNM_ESIZE);
    NNM_TRY(nnm__count(m, d, sizeof(double), &md));
    NNM_TRY(nnm__count(m, 4, sizeof(double), &m4));
    fd_target t = {NULL, f, ctx, m};
    return fd_run(&t, d, x, method, c, md, J, NULL, NULL);
}

nnm_status nnm_grad_jacobian_numeric(nnm_vec_fn f, void *ctx, size_t d, size_t m,
                                     const double *x, double *NNM_RESTRICT J)
{
    return nnm_grad_jacobian_numeric_ex(f, ctx, d, m, x, NULL, J);
}

nnm_status nnm_grad_check_ex(nnm_fn f, nnm_grad_fn g, void *ctx, size_t d, const double *x,
                             const nnm_grad_fd_opts *opts, double *max_rel_err)
{
    nnm_grad_fd_method method;
    double c;
    size_t bytes = 0;
    NNM_RETURN_IF(f == NULL || g == NULL || x == NULL || max_rel_err == NULL, NNM_EINVAL);
    NNM_TRY(fd_opts_read(opts, &method, &c));
    NNM_TRY(fd_size(d, &bytes));
    fd_target t = {f, NULL, ctx, 1};
    return fd_run(&t, d, x, method, c, d, NULL, g, max_rel_err);
}

nnm_status nnm_grad_check(nnm_fn f, nnm_grad_fn g, void *ctx, size_t d, const double *x,
                          double *max_rel_err)
{
    return nnm_grad_check_ex(f, g, ctx, d, x, NULL, max_rel_err);
}
