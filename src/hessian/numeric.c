/*
 * Finite-difference Hessians of a user function (hessian.h), double only.
 *
 * Steps. A central second difference of f has truncation error (h^2/12) f'''' and rounding error
 * ~ 4 eps |f| / h^2; they balance at h ~ eps^(1/4) (times the scale of x_i), leaving ~sqrt(eps)
 * relative. A central first difference of g has truncation (h^2/6) g''' and rounding
 * ~ eps |g| / h, balanced at h ~ eps^(1/3), leaving ~eps^(2/3). The step is scaled by
 * max(1, |x_i|) so that it stays a meaningful perturbation of large coordinates and does not
 * shrink below the absolute scale of the function near x_i = 0.
 *
 * Actual steps. x_i + h is rounded; instead of pretending the step was h, the formulas use the
 * steps that were really taken, hp = (x_i + h) - x_i and hm = x_i - (x_i - h) (each within one
 * rounding of the true difference of the two points, and usually exact), and the unequal-step
 * versions of the difference formulas. All of them are exact for a quadratic f (or a linear g),
 * so the notes' x^2 + xy + y^2 comes out as [[2,1],[1,2]] up to the rounding of f itself.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nnmath/hessian.h"
#include "hessian/hessian_internal.h"
#include "internal.h"

/* The nominal steps are powers of two: 2^-13 ~ eps^(1/4) = 1.2e-4 for differences of f and
 * 2^-17 = 7.6e-6 ~ eps^(1/3) = 6.1e-6 for differences of g, times 2^(e-1) where
 * max(1, |x_i|) = m 2^e, m in [1/2, 1) (the binade of the coordinate, so that the step stays
 * relative for large |x_i|). A power-of-two step keeps x_i +- h exactly representable for
 * every x_i of that binade except at its very top, so the formulas see the step they assume, and
 * for dyadic x and polynomial f the function values, hence the results, are often exact. */
#define NNM__STEP_F_EXP (-13)
#define NNM__STEP_G_EXP (-17)

/* The two sides of the step around x actually taken: hp = (x + h) - x and hm = x - (x - h),
 * each within one rounding of the difference of the two points. */
static void steps(double x, int step_exp, double *hp, double *hm)
{
    int e = 0;
    (void)frexp(fmax(1.0, fabs(x)), &e);
    double step = ldexp(1.0, step_exp + e - 1);
    *hp = (x + step) - x;
    *hm = x - (x - step);
}

void nnm__grad_central(nnm_fn f, void *ctx, size_t d, const double *x, double *g,
                       double *xs)
{
    memcpy(xs, x, d * sizeof *xs);
    for (size_t i = 0; i < d; ++i) {
        double hp, hm;
        steps(x[i], NNM__STEP_G_EXP, &hp, &hm);
        xs[i] = x[i] + hp;
        double fp = f(d, xs, ctx);
        xs[i] = x[i] - hm;
        double fm = f(d, xs, ctx);
        xs[i] = x[i];
        /* for hp != hm the weighted form keeps the derivative of a quadratic exact:
         * f'(x) = (hm^2 (f+ - f0) + hp^2 (f0 - f-)) / (hp hm (hp + hm)); with hp == hm it is the
         * plain (f+ - f-) / 2h, and then f0 is not needed */
        if (hp == hm) {
            g[i] = (fp - fm) / (hp + hm);
        } else {
            double f0 = f(d, xs, ctx);
            g[i] = (hm * hm * (fp - f0) + hp * hp * (f0 - fm)) / (hp * hm * (hp + hm));
        }
    }
}

void nnm__hess_from_grad(nnm_grad_fn g, void *ctx, size_t d, const double *x, double *H,
                         double *scratch)
{
    double *xs = scratch, *gp = scratch + d, *gm = scratch + 2 * d;
    memcpy(xs, x, d * sizeof *xs);
    for (size_t i = 0; i < d; ++i) {
        double hp, hm;
        steps(x[i], NNM__STEP_G_EXP, &hp, &hm);
        xs[i] = x[i] + hp;
        g(d, xs, gp, ctx);
        xs[i] = x[i] - hm;
        g(d, xs, gm, ctx);
        xs[i] = x[i];
        /* (g+ - g-)/(hp + hm) is exact for linear g whatever hp and hm; for smooth g its error
         * is (hp - hm)/2 g'' + O(h^2) g''', and |hp - hm| is one rounding of x_i at most */
        double w = hp + hm;
        for (size_t j = 0; j < d; ++j) H[i * d + j] = (gp[j] - gm[j]) / w;
    }
    /* symmetric by construction: the antisymmetric part of J is pure difference error */
    for (size_t i = 0; i < d; ++i)
        for (size_t j = i + 1; j < d; ++j) {
            double s = 0.5 * (H[i * d + j] + H[j * d + i]);
            H[i * d + j] = s;
            H[j * d + i] = s;
        }
}

void nnm__hess_from_f(nnm_fn f, void *ctx, size_t d, const double *x, double *H, double *xs)
{
    memcpy(xs, x, d * sizeof *xs);
    const double f0 = f(d, xs, ctx);
    /* the steps of each coordinate are needed by every pair: recompute them (two additions)
     * rather than allocating 2d more doubles */
    for (size_t i = 0; i < d; ++i) {
        double hpi, hmi;
        steps(x[i], NNM__STEP_F_EXP, &hpi, &hmi);
        xs[i] = x[i] + hpi;
        double fp = f(d, xs, ctx);
        xs[i] = x[i] - hmi;
        double fm = f(d, xs, ctx);
        xs[i] = x[i];
        /* unequal-step second difference, exact for quadratics:
         * f'' = 2 ((f+ - f0)/hp - (f0 - f-)/hm) / (hp + hm) */
        H[i * d + i] = 2.0 * ((fp - f0) / hpi - (f0 - fm) / hmi) / (hpi + hmi);
        for (size_t j = 0; j < i; ++j) {
            double hpj, hmj;
            steps(x[j], NNM__STEP_F_EXP, &hpj, &hmj);
            /* four-point mixed difference: the x_i^2, x_j^2 and linear terms cancel exactly
             * and the bilinear term gives (hpi + hmi)(hpj + hmj) */
            xs[i] = x[i] + hpi;
            xs[j] = x[j] + hpj;
            double fpp = f(d, xs, ctx);
            xs[j] = x[j] - hmj;
            double fpm = f(d, xs, ctx);
            xs[i] = x[i] - hmi;
            double fmm = f(d, xs, ctx);
            xs[j] = x[j] + hpj;
            double fmp = f(d, xs, ctx);
            xs[i] = x[i];
            xs[j] = x[j];
            double hij = ((fpp - fpm) - (fmp - fmm)) / ((hpi + hmi) * (hpj + hmj));
            H[i * d + j] = hij;
            H[j * d + i] = hij;
        }
    }
}

/* Shared checks of both public functions: pointers, sizes, then scratch, then data. */
static nnm_status numeric_prepare(size_t d, const double *x, size_t scratch_len, double **scratch)
{
    size_t dd;
    NNM_RETURN_IF(d == 0, NNM_ESIZE);
    NNM_TRY(nnm__count(d, d, sizeof(double), &dd));
    for (size_t i = 0; i < d; ++i) NNM_RETURN_IF(!isfinite(x[i]), NNM_EDOM);
    /* scratch_len <= 3 and d*d doubles fit, so scratch_len * d doubles fit too (3d <= d^2 for
     * d >= 3, and 3d <= 9 doubles otherwise) */
    *scratch = malloc(scratch_len * d * sizeof(double));
    NNM_RETURN_IF(*scratch == NULL, NNM_ENOMEM);
    return NNM_OK;
}

nnm_status nnm_hess_numeric(nnm_fn f, void *ctx, size_t d, const double *x,
                            double *NNM_RESTRICT H)
{
    NNM_RETURN_IF(f == NULL || x == NULL || H == NULL, NNM_EINVAL);
    double *xs = NULL;
    NNM_TRY(numeric_prepare(d, x, 1, &xs));
    nnm__hess_from_f(f, ctx, d, x, H, xs);
    free(xs);
    return NNM_OK;
}

nnm_status nnm_hess_numeric_from_grad(nnm_grad_fn g, void *ctx, size_t d, const double *x,
                                      double *NNM_RESTRICT H)
{
    NNM_RETURN_IF(g == NULL || x == NULL || H == NULL, NNM_EINVAL);
    double *scratch = NULL;
    NNM_TRY(numeric_prepare(d, x, 3, &scratch));
    nnm__hess_from_grad(g, ctx, d, x, H, scratch);
    free(scratch);
    return NNM_OK;
}
