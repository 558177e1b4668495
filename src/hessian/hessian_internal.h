/*
 * Internal pieces shared by the files of the hessian module (eigen.c, definiteness.c,
 * stationary.c, numeric.c). Nothing here is exported.
 */
#ifndef NNMATH_HESSIAN_INTERNAL_H
#define NNMATH_HESSIAN_INTERNAL_H

#include <stddef.h>

#include "nnmath/gradient.h"
#include "nnmath/status.h"

/* Scratch of one symmetric eigen-solve, allocated once (one malloc) per public call. */
typedef struct nnm__eig_work {
    size_t d;
    int vectors;      /* 1 when eigenvectors are wanted */
    int scale_exp;    /* the loaded matrix is H * 2^-scale_exp (max|A| in [1/2, 1)) */
    int is_zero;      /* H == 0: eigenvalues 0, eigenvectors I, nothing to iterate */
    double *A;        /* d x d working copy */
    double *Zt;       /* d x d eigenvectors as rows (vectors only) */
    double *lambda;   /* d eigenvalues, ascending after nnm__eig_run */
    double *off;      /* d: off-diagonal of the tridiagonal form */
    double *tau;      /* d: Householder factors */
    double *tmp;      /* d: scratch vector */
    void *block;      /* the allocation */
} nnm__eig_work;

/* Allocate the scratch for a d x d problem (d >= 1, d*d already checked by the caller):
 * NNM_ENOMEM when the total does not fit in size_t or malloc fails. */
nnm_status nnm__eig_alloc(size_t d, int vectors, nnm__eig_work *w);
void nnm__eig_free(nnm__eig_work *w);

/* Load H into w->A: NNM_EDOM for a NaN/inf entry or |H_ij - H_ji| > d eps max|H| (eps =
 * DBL_EPSILON for double data, FLT_EPSILON for float data); the symmetric part (H + H^T)/2 is
 * kept, scaled by a power of two (exact). */
nnm_status nnm__eig_load_f64(nnm__eig_work *w, const double *H);
nnm_status nnm__eig_load_f32(nnm__eig_work *w, const float *H);

/* Sizes (NNM_ESIZE) -> nnm__eig_alloc -> load -> run, for d x d data H. On NNM_OK the caller
 * owns w and frees it with nnm__eig_free; on error there is nothing to free. */
nnm_status nnm__eig_compute_f64(size_t d, const double *H, int vectors, nnm__eig_work *w);
nnm_status nnm__eig_compute_f32(size_t d, const float *H, int vectors, nnm__eig_work *w);

/* Solve: w->lambda ascending (in the units of H), w->Zt rows = orthonormal eigenvectors with
 * their largest-magnitude component positive. NNM_OK or NNM_ENOCONV. */
nnm_status nnm__eig_run(nnm__eig_work *w);

/* Counts of eigenvalues above tol, below -tol, and within [-tol, tol]. */
typedef struct nnm__inertia {
    size_t pos, neg, zero;
} nnm__inertia;
nnm__inertia nnm__eig_inertia(size_t d, const double *lambda, double tol);

/* Default zero tolerance for eigenvalues: d eps max|lambda| (API.md). */
double nnm__eig_default_tol(size_t d, const double *lambda, double eps);

/* Finite-difference Hessian from the gradient / from f into H (d x d, symmetric), using
 * scratch of 3d doubles (from_grad) or d doubles + ... see numeric.c. The callers validated
 * everything; x is finite. */
void nnm__hess_from_grad(nnm_grad_fn g, void *ctx, size_t d, const double *x, double *H,
                         double *scratch /* 3 d */);
void nnm__hess_from_f(nnm_fn f, void *ctx, size_t d, const double *x, double *H,
                      double *scratch /* d */);
/* Central-difference gradient of f (step cbrt(eps) max(1, |x_i|)); scratch of d doubles. */
void nnm__grad_central(nnm_fn f, void *ctx, size_t d, const double *x, double *g,
                       double *scratch /* d */);

#endif /* NNMATH_HESSIAN_INTERNAL_H */
