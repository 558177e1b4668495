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

/**
 * @brief Elementwise second derivative of an activation, d2ydx2[i] = f''(x[i])
 * (docs/derivatives.md).
 *
 * sigmoid -sigma'(x) tanh(x/2) (= sigma(1-sigma)(1-2sigma) without its cancellation at 0);
 * tanh -2 tanh(x) tanh'(x); softplus sigma'(x); log_sigmoid -sigma'(x); elu/selu alpha e^x,
 * lambda alpha e^x for x < 0, 0 for x > 0; silu sigma'(x)(2 - x tanh(x/2)); gelu phi(x)(2 - x^2);
 * gelu_tanh sigma'(z)(2z' + x z'' - x z'^2 tanh(z/2)); mish 4w(1+w)/q^2 (2 + x(q - 2nw)/(q(1+w)))
 * (w = e^x, n = w(w+2), q = n+2); 0 for identity, step, relu and leaky_relu.
 *
 * Accuracy against MPFR wherever the exact result is a normal number: f32 <= 1 ULP, f64 <= 2 ULP
 * (measured max: f32 0.500, f64 0.503 ULP), including next to every zero: sigma'' and tanh'' at 0
 * (odd: f''(+0) = -0), silu'' at +-2.39936, gelu'' at +-sqrt2 (2 - x^2 formed exactly),
 * gelu_tanh'' at +-1.41850, mish'' at -2.25638 and 1.49057 (Taylor expansions around the exact
 * roots; f64 is computed in x87 extended precision, about 4 ULP where long double is double).
 *
 * Kinks: f'' is 0 at the kink of relu, leaky_relu, elu and selu (the least-magnitude choice
 * between 0 on the right and alpha e^0 on the left) and everywhere for step. f''(+-inf) = 0;
 * NaN -> NaN for every kind. d2ydx2 == x is allowed.
 *
 * @return NNM_OK (also for n = 0, NULL pointers allowed then); NNM_EINVAL if act is invalid
 *         (nnm_act rules), x or d2ydx2 is NULL while n > 0, or d2ydx2 partially overlaps x;
 *         NNM_ESIZE if n elements exceed PTRDIFF_MAX bytes.
 */
NNM_API nnm_status nnm_hess_act_f32(nnm_act act, size_t n, const float *x, float *d2ydx2);
/** @copydoc nnm_hess_act_f32 */
NNM_API nnm_status nnm_hess_act_f64(nnm_act act, size_t n, const double *x, double *d2ydx2);

/* NNM-HESSIAN-API: loss Hessians, numeric Hessians, eigenvalues, definiteness, quadratic
   forms and stationary points follow. */

#ifdef __cplusplus
}
#endif

#endif /* NNMATH_HESSIAN_H */
