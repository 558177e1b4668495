/*
 * Symmetric eigenvalues and eigenvectors (hessian.h): validation, scratch, loading and the
 * public entry points. The kernels (Jacobi, Householder + implicit QL) are in eigen_kernels.h.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nnmath/hessian.h"
#include "hessian/eigen_kernels.h"
#include "hessian/hessian_internal.h"
#include "internal.h"

nnm_status nnm__eig_alloc(size_t d, int vectors, nnm__eig_work *w)
{
    /* d*d fits (the caller checked it against PTRDIFF_MAX / sizeof(double)); the sum of the
     * pieces may not, and then the scratch cannot exist: NNM_ENOMEM. */
    size_t dd = d * d, total = dd;
    if (vectors) {
        if (total > SIZE_MAX - dd) return NNM_ENOMEM;
        total += dd;
    }
    if (d > (SIZE_MAX - total) / 4) return NNM_ENOMEM;
    total += 4 * d;
    if (total > SIZE_MAX / sizeof(double)) return NNM_ENOMEM;
    double *mem = malloc(total * sizeof(double));
    if (mem == NULL) return NNM_ENOMEM;
    w->d = d;
    w->vectors = vectors;
    w->scale_exp = 0;
    w->is_zero = 0;
    w->block = mem;
    w->A = mem;
    mem += dd;
    w->Zt = NULL;
    if (vectors) {
        w->Zt = mem;
        mem += dd;
    }
    w->lambda = mem;
    w->off = mem + d;
    w->tau = mem + 2 * d;
    w->tmp = mem + 3 * d;
    return NNM_OK;
}

void nnm__eig_free(nnm__eig_work *w)
{
    free(w->block);
    w->block = NULL;
}

nnm_status nnm__eig_run(nnm__eig_work *w)
{
    size_t d = w->d;
    if (w->is_zero) {
        memset(w->lambda, 0, d * sizeof(double));
        if (w->vectors) nnm__eig_identity(d, w->Zt);
        return NNM_OK;
    }
    if (nnm__eig_use_jacobi(d)) {
        NNM_TRY(nnm__eig_jacobi(d, w->A, w->Zt, NNM__EIG_JACOBI_MAX_SWEEPS));
        for (size_t i = 0; i < d; ++i) w->lambda[i] = w->A[i * d + i];
    } else {
        nnm__eig_tridiagonalise(d, w->A, w->lambda, w->off, w->tau, w->tmp);
        if (w->vectors) nnm__eig_form_qt(d, w->A, w->tau, w->Zt, w->tmp);
        NNM_TRY(nnm__eig_tridiag_ql(d, w->lambda, w->off, w->Zt, NNM__EIG_QL_ITER_PER_EIG));
    }
    nnm__eig_sort(d, w->lambda, w->Zt);
    for (size_t i = 0; i < d; ++i) w->lambda[i] = ldexp(w->lambda[i], w->scale_exp);
    if (w->vectors) {
        /* a reproducible sign: the largest-magnitude component (the first one on a tie) of each
         * eigenvector is made positive */
        for (size_t j = 0; j < d; ++j) {
            double *z = w->Zt + j * d;
            size_t big = 0;
            for (size_t i = 1; i < d; ++i)
                if (fabs(z[i]) > fabs(z[big])) big = i;
            if (z[big] < 0.0)
                for (size_t i = 0; i < d; ++i) z[i] = -z[i];
        }
    }
    return NNM_OK;
}

nnm__inertia nnm__eig_inertia(size_t d, const double *lambda, double tol)
{
    nnm__inertia in = {0, 0, 0};
    for (size_t i = 0; i < d; ++i) {
        if (lambda[i] > tol)
            ++in.pos;
        else if (lambda[i] < -tol)
            ++in.neg;
        else
            ++in.zero;
    }
    return in;
}

double nnm__eig_default_tol(size_t d, const double *lambda, double eps)
{
    double lmax = 0.0;
    for (size_t i = 0; i < d; ++i) lmax = fmax(lmax, fabs(lambda[i]));
    return (double)d * eps * lmax;
}

/* Loading (data checks) and the public entry points, once per dtype. NNM__EPS is the unit
 * roundoff of the DATA: float data carries float rounding, so its symmetry is judged with
 * FLT_EPSILON. */
#define NNM__T double
#define NNM__SFX(name) name##_f64
#define NNM__EPS DBL_EPSILON
#include "hessian/eigen.inc"
#undef NNM__T
#undef NNM__SFX
#undef NNM__EPS

#define NNM__T float
#define NNM__SFX(name) name##_f32
#define NNM__EPS ((double)FLT_EPSILON)
#include "hessian/eigen.inc"
#undef NNM__T
#undef NNM__SFX
#undef NNM__EPS
