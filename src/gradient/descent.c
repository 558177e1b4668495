/*
 * Gradient steps and gradient descent with momentum (docs/gradient.md: the algorithm and its
 * stopping rules).
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "nnmath/gradient.h"
#include "internal.h"

/* ---- one step ------------------------------------------------------------------------------ */

#define NNM__T double
#define NNM__SFX(name) name##_f64
#include "gradient/step.inc"
#undef NNM__T
#undef NNM__SFX

#define NNM__T float
#define NNM__SFX(name) name##_f32
#include "gradient/step.inc"
#undef NNM__T
#undef NNM__SFX

/* ---- descent ------------------------------------------------------------------------------- */

/* Defaults of API.md for the zero fields of nnm_gd_opts. */
#define GD_DEFAULT_LR 0.1
#define GD_DEFAULT_GRAD_TOL 1e-8
#define GD_DEFAULT_MAX_ITER 10000u

/* |v|_2 without overflow or underflow: scaled by the largest |v_i| (a sum of squares of values
 * up to 1e200 would overflow, of values near 1e-200 underflow to 0). NaN if an entry is NaN,
 * +inf if one is infinite. */
static double norm2(size_t d, const double *v)
{
    double big = 0.0;
    for (size_t i = 0; i < d; ++i) {
        if (isnan(v[i])) return v[i];
        big = fmax(big, fabs(v[i]));
    }
    if (big == 0.0 || isinf(big)) return big;
    double s = 0.0;
    for (size_t i = 0; i < d; ++i) {
        double q = v[i] / big;
        s += q * q; /* each term <= 1: the naive sum's d eps relative error is plenty for a norm
                       compared with a tolerance */
    }
    return big * sqrt(s);
}

static int all_finite(size_t d, const double *v)
{
    for (size_t i = 0; i < d; ++i)
        if (!isfinite(v[i])) return 0;
    return 1;
}

typedef struct gd_params {
    double lr, momentum, grad_tol;
    size_t max_iter;
    int (*on_iter)(size_t iter, double f, double grad_norm, void *ctx);
} gd_params;

static nnm_status gd_params_read(const nnm_gd_opts *opts, gd_params *p)
{
    nnm_gd_opts o = {0.0, 0.0, 0.0, 0, NULL};
    if (opts != NULL) o = *opts;
    p->lr = o.learning_rate == 0.0 ? GD_DEFAULT_LR : o.learning_rate;
    p->momentum = o.momentum;
    p->grad_tol = o.grad_tol == 0.0 ? GD_DEFAULT_GRAD_TOL : o.grad_tol;
    p->max_iter = o.max_iter == 0 ? GD_DEFAULT_MAX_ITER : o.max_iter;
    p->on_iter = o.on_iter;
    NNM_RETURN_IF(!(p->lr > 0.0 && isfinite(p->lr)), NNM_EINVAL);
    NNM_RETURN_IF(!(p->momentum >= 0.0 && p->momentum < 1.0), NNM_EINVAL);
    NNM_RETURN_IF(!(p->grad_tol > 0.0 && isfinite(p->grad_tol)), NNM_EINVAL);
    return NNM_OK;
}

nnm_status nnm_grad_descent(nnm_fn f, nnm_grad_fn g, void *ctx, size_t d, double *x,
                            const nnm_gd_opts *opts, nnm_gd_result *result)
{
    gd_params p;
    size_t count = 0;
    NNM_RETURN_IF(f == NULL || g == NULL || x == NULL, NNM_EINVAL);
    NNM_TRY(gd_params_read(opts, &p));
    NNM_RETURN_IF(d == 0, NNM_ESIZE);
    NNM_TRY(nnm__count(d, 1, sizeof(double), &count));

    /* the gradient (d) and, with momentum, the velocity (d); d <= PTRDIFF_MAX / 8 so 2d fits */
    size_t words = p.momentum > 0.0 ? 2 * d : d;
    double *grad = (double *)malloc(words * sizeof(double));
    NNM_RETURN_IF(grad == NULL, NNM_ENOMEM);
    if (!all_finite(d, x)) { /* the starting point is data: checked before any call of f */
        free(grad);
        return NNM_EDOM;
    }
    double *vel = p.momentum > 0.0 ? grad + d : NULL;
    if (vel != NULL)
        for (size_t i = 0; i < d; ++i) vel[i] = 0.0;

    nnm_status st;
    size_t iter = 0;
    int converged = 0;
    double fx = f(d, x, ctx);
    g(d, x, grad, ctx);
    double gnorm = norm2(d, grad);
    for (;;) {
        if (!isfinite(fx) || !all_finite(d, grad)) {
            st = NNM_EDOM;
            break;
        }
        if (iter > 0 && p.on_iter != NULL && p.on_iter(iter, fx, gnorm, ctx) != 0) {
            /* the callback sees every finite iterate; converged reports the test honestly */
            converged = gnorm <= p.grad_tol;
            st = NNM_OK;
            break;
        }
        if (gnorm <= p.grad_tol) {
            converged = 1;
            st = NNM_OK;
            break;
        }
        if (iter == p.max_iter) {
            st = NNM_ENOCONV;
            break;
        }
        if (vel != NULL) {
            for (size_t i = 0; i < d; ++i) {
                vel[i] = p.momentum * vel[i] - p.lr * grad[i];
                x[i] += vel[i];
            }
        } else {
            for (size_t i = 0; i < d; ++i) x[i] -= p.lr * grad[i];
        }
        ++iter;
        if (!all_finite(d, x)) {
            /* a diverging step overflowed x: f and g are not asked about a non-finite point */
            fx = gnorm = NAN;
            st = NNM_EDOM;
            break;
        }
        fx = f(d, x, ctx);
        g(d, x, grad, ctx);
        gnorm = norm2(d, grad);
    }
    free(grad);
    if (result != NULL) {
        result->iterations = iter;
        result->f = fx;
        result->grad_norm = gnorm;
        result->converged = converged;
    }
    return st;
}
