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

/**
 * @brief Elementwise derivative of an activation, dydx[i] = f'(x[i]) (docs/derivatives.md).
 *
 * For every kind of nnm_act: identity 1; step 0; sigmoid e^-|x|/(1+e^-|x|)^2 (never s(1-s)
 * from a rounded s); tanh 4e/(1+e)^2, e = e^-2|x|; relu/leaky_relu/elu/selu piecewise; softplus
 * sigma(x); log_sigmoid sigma(-x); silu sigma(x)(1 + x sigma(-x)); gelu Phi(x) + x phi(x);
 * gelu_tanh sigma(z)(1 + x z' sigma(-z)), z = 2 sqrt(2/pi)(x + 0.044715 x^3); mish
 * tanh(sp) + x sech^2(sp) sigma(x), sp = softplus(x).
 *
 * Accuracy against MPFR wherever the exact result is a normal number: f32 <= 1 ULP, f64 <= 2 ULP
 * (measured max: f32 0.500, f64 0.504 ULP), including next to the zero crossings of silu'
 * (x = -1.27846), gelu' (-0.75179), gelu_tanh' (-0.75246) and mish' (-1.19243), which are
 * evaluated from Taylor expansions around the exact roots (f64 is computed in x87 extended
 * precision; where long double is plain double the f64 bound is about 4 ULP). Results below the
 * normal range are still accurate to a few subnormal ULPs, never flushed early.
 *
 * Kinks (least-magnitude subgradient, docs/policy.md): relu'(0) = 0; leaky_relu'(0) =
 * min(alpha, 1) for alpha >= 0 (= alpha for the usual alpha <= 1), 0 for alpha < 0; elu'(0) =
 * min(alpha, 1); selu'(0) = lambda (the smaller one-sided slope); step' = 0 everywhere.
 * Both zeros give the same value. f'(+-inf) is the limit (0 or 1, alpha for leaky at -inf,
 * lambda for selu at +inf); NaN -> NaN for every kind (also identity and step).
 * dydx == x is allowed.
 *
 * @return NNM_OK (also for n = 0, NULL pointers allowed then); NNM_EINVAL if act is invalid
 *         (nnm_act rules), x or dydx is NULL while n > 0, or dydx partially overlaps x;
 *         NNM_ESIZE if n elements exceed PTRDIFF_MAX bytes.
 */
NNM_API nnm_status nnm_grad_act_f32(nnm_act act, size_t n, const float *x, float *dydx);
/** @copydoc nnm_grad_act_f32 */
NNM_API nnm_status nnm_grad_act_f64(nnm_act act, size_t n, const double *x, double *dydx);

/**
 * @brief Vector-Jacobian product of an activation, dx[i] = f'(x[i]) * dy[i].
 *
 * f'(x) is evaluated as in nnm_grad_act_* and multiplied by dy in the working precision
 * (double for f32, extended for f64) before one final rounding, so dx has the same bound as f'
 * (f32 <= 1 ULP, f64 <= 2 ULP of the exact f'(x) dy) and stays accurate where f'(x) alone would
 * underflow (sigmoid'(-800) * 1e300). IEEE products: 0 * inf = NaN (e.g. relu at x < 0 with an
 * infinite dy), NaN in x or dy gives NaN. dx == dy (in place) and dx == x are allowed.
 *
 * @return NNM_OK (also for n = 0); NNM_EINVAL if act is invalid, a pointer is NULL while n > 0,
 *         or dx partially overlaps x or dy; NNM_ESIZE if n elements exceed PTRDIFF_MAX bytes.
 */
NNM_API nnm_status nnm_grad_act_vjp_f32(nnm_act act, size_t n, const float *x, const float *dy,
                                        float *dx);
/** @copydoc nnm_grad_act_vjp_f32 */
NNM_API nnm_status nnm_grad_act_vjp_f64(nnm_act act, size_t n, const double *x,
                                        const double *dy, double *dx);

/**
 * @brief VJP from the forward output: dx[i] = g(y[i]) * dy[i] where g(f(x)) = f'(x).
 *
 * For the kinds whose derivative is a function of y = f(x): identity 1; step 0; sigmoid
 * y(1-y); tanh (1-y)(1+y); relu [y > 0]; leaky_relu (alpha > 0) 1 or alpha by the sign of y;
 * elu y + alpha (y < 0); selu y + lambda alpha (y < 0); softplus 1 - e^-y (= -expm1(-y));
 * log_sigmoid 1 - e^y. silu, gelu, gelu_tanh and mish are not invertible from y (two x give the
 * same y around their minimum) and leaky_relu with alpha <= 0 maps every x <= 0 to y <= 0 with
 * no way back to x's sign or kink (use relu for alpha = 0): NNM_EINVAL.
 *
 * Domain: y must lie in the range of f: [0,1] sigmoid, [-1,1] tanh, {0,1} step, y >= 0 relu and
 * softplus, y <= 0 log_sigmoid, y >= -alpha (1 + eps) elu and y >= -lambda alpha (1 + eps) selu
 * (eps = FLT_EPSILON or DBL_EPSILON: the forward's rounding of its lower limit); else NNM_EDOM
 * before anything is written (passing the pre-activation x by mistake is caught). NaN y is not
 * a domain error: it gives NaN. At the bottom of the elu/selu range y + alpha is clamped at 0.
 * y = +-0 is taken as x = 0 for leaky/elu/selu (the kink value of nnm_grad_act_*).
 *
 * Accuracy: within 1 ULP (f32) / 2 ULP (f64) of g(y) dy for the given y; this equals f'(x) dy
 * to the accuracy y carries (y(1-y) from a y rounded near 1 cannot recover sigma'(40)).
 * dx == dy and dx == y are allowed.
 *
 * @return NNM_OK (also for n = 0); NNM_EINVAL if act is invalid or not invertible (above), a
 *         pointer is NULL while n > 0, or dx partially overlaps y or dy; NNM_ESIZE if n
 *         elements exceed PTRDIFF_MAX bytes; NNM_EDOM if some y is outside the range of f.
 */
NNM_API nnm_status nnm_grad_act_vjp_from_y_f32(nnm_act act, size_t n, const float *y,
                                               const float *dy, float *dx);
/** @copydoc nnm_grad_act_vjp_from_y_f32 */
NNM_API nnm_status nnm_grad_act_vjp_from_y_f64(nnm_act act, size_t n, const double *y,
                                               const double *dy, double *dx);

/* NNM-GRADIENT-API: softmax Jacobian and VJPs, loss gradients, affine backward, finite
   differences, gradient check and gradient descent follow. */

#ifdef __cplusplus
}
#endif

#endif /* NNMATH_GRADIENT_H */
