/*
 * Stationary-point classification (hessian.h): from (grad f, H), and directly from a user f or
 * grad f at a point through the finite-difference Hessians of numeric.c.
 *
 * Why "degenerate" exists. The notes state that a positive semi-definite Hessian at a stationary
 * point makes it a local minimum. That holds for a positive DEFINITE Hessian only: when H is
 * singular, the second-order term vanishes along its null space and the higher-order terms
 * decide (x^3 + y^2 at 0: PSD Hessian diag(0, 2), no minimum; x^4 + y^4 at 0: H = 0, a minimum;
 * -x^4 - y^4: H = 0, a maximum). Such points are reported as NNM_DEGENERATE rather than guessed.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "nnmath/hessian.h"
#include "hessian/hessian_internal.h"
#include "internal.h"

/* eps^(1/3) and eps^(1/4) for DBL_EPSILON = 2^-52 (see the zero band of classify_point). */
#define NNM__CBRT_EPS 6.0554544523933395e-06
#define NNM__QRT_EPS 0x1p-13

/* |v|_2 without overflow or underflow: scaled by max|v_i| (NaN-free input). */
static double norm2(size_t d, const double *v)
{
    double s = 0.0;
    for (size_t i = 0; i < d; ++i) s = fmax(s, fabs(v[i]));
    if (s == 0.0) return 0.0;
    double acc = 0.0;
    for (size_t i = 0; i < d; ++i) {
        double r = v[i] / s;
        acc += r * r;
    }
    return s * sqrt(acc);
}

static double norm2_f32(size_t d, const float *v)
{
    double s = 0.0;
    for (size_t i = 0; i < d; ++i) s = fmax(s, fabs((double)v[i]));
    if (s == 0.0) return 0.0;
    double acc = 0.0;
    for (size_t i = 0; i < d; ++i) {
        double r = (double)v[i] / s;
        acc += r * r;
    }
    return s * sqrt(acc);
}

static double max_abs(size_t d, const double *lambda)
{
    double m = 0.0;
    for (size_t i = 0; i < d; ++i) m = fmax(m, fabs(lambda[i]));
    return m;
}

/* The verdict once the two zero bands are known. */
static nnm_stationary classify_from(size_t d, const double *lambda, double gnorm, double tol_g,
                                    double tol_l)
{
    if (!(gnorm <= tol_g)) return NNM_NOT_STATIONARY;
    nnm__inertia in = nnm__eig_inertia(d, lambda, tol_l);
    if (in.pos > 0 && in.neg > 0) return NNM_SADDLE_POINT; /* curvature of both signs */
    if (in.zero > 0) return NNM_DEGENERATE;
    return in.pos == d ? NNM_LOCAL_MINIMUM : NNM_LOCAL_MAXIMUM;
}

/* Defaults for an exactly known H (API.md): |g| <= sqrt(eps) max(1, |H|_2), and the eigenvalue
 * band d eps max|lambda| of nnm_hess_definiteness. sqrt(eps) for the gradient: a stationary point
 * found by an iterative method is known to about sqrt(eps) relative (f is flat to second order
 * there, so f cannot pin x down better). */
static nnm_stationary classify_exact(size_t d, const double *lambda, double gnorm, double tol,
                                     double eps)
{
    double tol_g = tol, tol_l = tol;
    if (!(tol > 0)) {
        tol_g = sqrt(eps) * fmax(1.0, max_abs(d, lambda));
        tol_l = nnm__eig_default_tol(d, lambda, eps);
    }
    return classify_from(d, lambda, gnorm, tol_g, tol_l);
}

nnm_status nnm_hess_classify_f64(size_t d, const double *grad, const double *H, double tol,
                                 nnm_stationary *out)
{
    NNM_RETURN_IF(grad == NULL || H == NULL || out == NULL || !isfinite(tol), NNM_EINVAL);
    size_t dd;
    NNM_RETURN_IF(d == 0, NNM_ESIZE);
    NNM_TRY(nnm__count(d, d, sizeof(double), &dd));
    for (size_t i = 0; i < d; ++i) NNM_RETURN_IF(!isfinite(grad[i]), NNM_EDOM);
    nnm__eig_work w;
    NNM_TRY(nnm__eig_compute_f64(d, H, 0, &w));
    *out = classify_exact(d, w.lambda, norm2(d, grad), tol, DBL_EPSILON);
    nnm__eig_free(&w);
    return NNM_OK;
}

nnm_status nnm_hess_classify_f32(size_t d, const float *grad, const float *H, double tol,
                                 nnm_stationary *out)
{
    NNM_RETURN_IF(grad == NULL || H == NULL || out == NULL || !isfinite(tol), NNM_EINVAL);
    size_t dd;
    NNM_RETURN_IF(d == 0, NNM_ESIZE);
    NNM_TRY(nnm__count(d, d, sizeof(float), &dd));
    for (size_t i = 0; i < d; ++i) NNM_RETURN_IF(!isfinite((double)grad[i]), NNM_EDOM);
    nnm__eig_work w;
    NNM_TRY(nnm__eig_compute_f32(d, H, 0, &w));
    *out = classify_exact(d, w.lambda, norm2_f32(d, grad), tol, (double)FLT_EPSILON);
    nnm__eig_free(&w);
    return NNM_OK;
}

nnm_status nnm_hess_classify_point(nnm_fn f, nnm_grad_fn g, void *ctx, size_t d,
                                   const double *x, double tol, nnm_stationary *out)
{
    size_t dd;
    NNM_RETURN_IF((f == NULL && g == NULL) || x == NULL || out == NULL || !isfinite(tol),
                  NNM_EINVAL);
    NNM_RETURN_IF(d == 0, NNM_ESIZE);
    NNM_TRY(nnm__count(d, d, sizeof(double), &dd));
    for (size_t i = 0; i < d; ++i) NNM_RETURN_IF(!isfinite(x[i]), NNM_EDOM);

    /* H (d^2) + gradient (d) + difference scratch (3d), one block */
    NNM_RETURN_IF(dd > SIZE_MAX / sizeof(double) - 4 * d, NNM_ENOMEM);
    double *H = malloc((dd + 4 * d) * sizeof(double));
    NNM_RETURN_IF(H == NULL, NNM_ENOMEM);
    double *grad = H + dd, *scratch = grad + d;

    if (g != NULL) {
        g(d, x, grad, ctx);
        nnm__hess_from_grad(g, ctx, d, x, H, scratch);
    } else {
        nnm__grad_central(f, ctx, d, x, grad, scratch);
        nnm__hess_from_f(f, ctx, d, x, H, scratch);
    }

    nnm_status st = NNM_OK;
    for (size_t i = 0; i < d && st == NNM_OK; ++i)
        if (!isfinite(grad[i])) st = NNM_EDOM;
    nnm__eig_work w;
    if (st == NNM_OK) st = nnm__eig_compute_f64(d, H, 0, &w);
    if (st == NNM_OK) {
        double tol_g = tol, tol_l = tol;
        if (!(tol > 0)) {
            /* the numeric Hessian is only known to ~eps^(2/3) (from g) or ~eps^(1/2) (from f)
             * relative to max(1, |H|): an eigenvalue inside the square root of that error has no
             * trustworthy sign (see nnm_hess_numeric_from_grad / nnm_hess_numeric) */
            double scale = fmax(1.0, max_abs(d, w.lambda));
            tol_g = sqrt(DBL_EPSILON) * scale;
            tol_l = (g != NULL ? NNM__CBRT_EPS : NNM__QRT_EPS) * scale;
        }
        *out = classify_from(d, w.lambda, norm2(d, grad), tol_g, tol_l);
        nnm__eig_free(&w);
    }
    free(H);
    return st;
}
