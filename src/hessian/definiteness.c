/*
 * Definiteness of a symmetric matrix from the signs of its eigenvalues (hessian.h).
 *
 * Eigenvalues rather than a Cholesky/LDL^T attempt: a pivot test answers "definite or not" but
 * cannot tell semi-definite from indefinite in the presence of rounding, while eigenvalues come
 * with an error bound (O(eps |H|_2), the Jacobi path even relative) against which the tolerance
 * is set. The default tolerance d eps max|lambda| is that bound with the usual growth factor d.
 */
#include <float.h>
#include <math.h>

#include "nnmath/hessian.h"
#include "hessian/hessian_internal.h"
#include "internal.h"

static nnm_definiteness definiteness_of(nnm__inertia in)
{
    if (in.neg == 0) return in.zero == 0 ? NNM_POSITIVE_DEFINITE : NNM_POSITIVE_SEMIDEFINITE;
    if (in.pos == 0) return in.zero == 0 ? NNM_NEGATIVE_DEFINITE : NNM_NEGATIVE_SEMIDEFINITE;
    return NNM_INDEFINITE;
}

/* After a successful solve: the tolerance (given or default) and the verdict. */
static void finish(nnm__eig_work *w, double tol, double eps, nnm_definiteness *out)
{
    if (!(tol > 0)) tol = nnm__eig_default_tol(w->d, w->lambda, eps);
    *out = definiteness_of(nnm__eig_inertia(w->d, w->lambda, tol));
    nnm__eig_free(w);
}

nnm_status nnm_hess_definiteness_f64(size_t d, const double *H, double tol,
                                     nnm_definiteness *out)
{
    NNM_RETURN_IF(H == NULL || out == NULL || !isfinite(tol), NNM_EINVAL);
    nnm__eig_work w;
    NNM_TRY(nnm__eig_compute_f64(d, H, 0, &w));
    finish(&w, tol, DBL_EPSILON, out);
    return NNM_OK;
}

/* Float data is known to float precision only: its zero band is d FLT_EPSILON max|lambda|. */
nnm_status nnm_hess_definiteness_f32(size_t d, const float *H, double tol,
                                     nnm_definiteness *out)
{
    NNM_RETURN_IF(H == NULL || out == NULL || !isfinite(tol), NNM_EINVAL);
    nnm__eig_work w;
    NNM_TRY(nnm__eig_compute_f32(d, H, 0, &w));
    finish(&w, tol, (double)FLT_EPSILON, out);
    return NNM_OK;
}
