/**
 * @file gradient.h
 * @brief First derivatives: activation derivatives and vector-Jacobian products, the softmax
 * Jacobian, loss gradients, affine backward (the gradient w.r.t. a matrix), finite differences,
 * gradient check and gradient descent.
 */
#ifndef NNMATH_GRADIENT_H
#define NNMATH_GRADIENT_H

#include <stddef.h>
#include <stdint.h>
#include <nnmath/export.h>
#include <nnmath/status.h>
#include <nnmath/activation.h>
#include <nnmath/loss.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief A scalar function f: R^d -> R of the user, with its context pointer. */
typedef double (*nnm_fn)(size_t d, const double *x, void *ctx);
/** @brief The gradient g = grad f(x) of a user function, written to g[0..d). */
typedef void (*nnm_grad_fn)(size_t d, const double *x, double *g, void *ctx);
/** @brief A vector function f: R^d -> R^m of the user, written to fx[0..m). */
typedef void (*nnm_vec_fn)(size_t d, const double *x, size_t m, double *fx, void *ctx);

/**
 * @brief Gradient-descent options; a zero field means its default
 * (learning_rate 0.1, momentum 0, grad_tol 1e-8, max_iter 10000, no callback).
 */
typedef struct nnm_gd_opts {
    double learning_rate;  /**< step size lr > 0 */
    double momentum;       /**< in [0, 1) */
    double grad_tol;       /**< stop when |g|_2 <= grad_tol */
    size_t max_iter;       /**< at most this many steps */
    /** called after each step with the same ctx as f and g; non-zero stops the descent */
    int (*on_iter)(size_t iter, double f, double grad_norm, void *ctx);
} nnm_gd_opts;

/** @brief What a gradient descent did. */
typedef struct nnm_gd_result {
    size_t iterations;   /**< steps taken */
    double f;            /**< f at the final x */
    double grad_norm;    /**< |grad f|_2 at the final x */
    int converged;       /**< 1 when |g|_2 <= grad_tol was reached */
} nnm_gd_result;

/* NNM-GRADIENT-ACT-API: derivatives of the activations (f', VJPs) follow. */

/* NNM-GRADIENT-API: softmax Jacobian and VJPs, loss gradients, affine backward, finite
   differences, gradient check and gradient descent follow. */

#ifdef __cplusplus
}
#endif

#endif /* NNMATH_GRADIENT_H */
