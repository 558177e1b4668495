/**
 * @file hessian.h
 * @brief Second derivatives: activation f'', loss Hessians and Hessian-vector products,
 * finite-difference Hessians, symmetric eigenvalues, definiteness, quadratic forms and
 * stationary-point classification. The linear algebra is double.
 */
#ifndef NNMATH_HESSIAN_H
#define NNMATH_HESSIAN_H

#include <stddef.h>
#include <nnmath/export.h>
#include <nnmath/status.h>
#include <nnmath/activation.h>
#include <nnmath/loss.h>
#include <nnmath/gradient.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Definiteness of a symmetric matrix (with a tolerance for zero eigenvalues). */
typedef enum nnm_definiteness {
    NNM_POSITIVE_DEFINITE = 0,
    NNM_POSITIVE_SEMIDEFINITE = 1,
    NNM_NEGATIVE_DEFINITE = 2,
    NNM_NEGATIVE_SEMIDEFINITE = 3,
    NNM_INDEFINITE = 4
} nnm_definiteness;

/** @brief What kind of point x is for f, from grad f(x) and the Hessian at x. */
typedef enum nnm_stationary {
    NNM_NOT_STATIONARY = 0,
    NNM_LOCAL_MINIMUM = 1,
    NNM_LOCAL_MAXIMUM = 2,
    NNM_SADDLE_POINT = 3,
    NNM_DEGENERATE = 4
} nnm_stationary;

/* NNM-HESSIAN-ACT-API: second derivatives of the activations follow. */

/* NNM-HESSIAN-API: loss Hessians, numeric Hessians, eigenvalues, definiteness, quadratic
   forms and stationary points follow. */

#ifdef __cplusplus
}
#endif

#endif /* NNMATH_HESSIAN_H */
