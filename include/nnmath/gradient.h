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
 * (measured max: f32 0.500, f64 0.504 ULP on the scalar path; the AVX2 / AVX-512 kernels, which
 * carry double-double intermediates instead, f32 0.500, f64 0.82 ULP), including next to the
 * zero crossings of silu' (x = -1.27846), gelu' (-0.75179), gelu_tanh' (-0.75246) and mish'
 * (-1.19243), which are evaluated from Taylor expansions around the exact roots (the vector
 * kernels hand the lanes near a root to the same expansions). The scalar f64 path computes in x87
 * extended precision; where long double is plain double and no vector kernel runs, the f64 bound
 * does not hold (docs/derivatives.md).
 * Results below the normal range are still accurate to a few subnormal ULPs, never flushed early.
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
 * softplus, y <= 0 log_sigmoid, y >= -(alpha (1 + eps) + tmin/2) elu and y >= -lambda alpha
 * (1 + eps) selu (eps = FLT_EPSILON or DBL_EPSILON, tmin = FLT_TRUE_MIN or DBL_TRUE_MIN: the
 * forward's rounding of its lower limit, also where -alpha is subnormal); else NNM_EDOM
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

/* ---- softmax: Jacobian and vector-Jacobian products (docs/gradient.md) -------------------- */

/**
 * @brief Softmax Jacobian of one row: J[k][j] = dy_k/da_j = beta y_k (delta_jk - y_j), k x k.
 *
 * y = softmax(beta a) is one row of an nnm_act_softmax_* output; it is data, not range-checked
 * (NaN propagates). J is row-major, symmetric, and each row and column sums to 0 up to rounding.
 * For the one entry y_k > 1/2 that a softmax row can have, the diagonal factor 1 - y_k is taken
 * as sum_{j != k} y_j (equal for a softmax row): a y_k that rounded to 1 has lost 1 - y_k = 1e-22,
 * which the other entries still hold, so J[k][k] keeps its relative accuracy.
 * Accuracy: every entry within 2 eps relative of that formula on the given y (f64); f32 is
 * computed in double and rounded once (<= 1 ULP). Masked entries (y_k = 0) give zero rows and
 * columns; the all-zero row of an all -inf input gives J = 0.
 *
 * @return NNM_OK; NNM_EINVAL if y or J is NULL, beta is not finite and > 0, or J overlaps y;
 *         NNM_ESIZE if k = 0 or k*k elements overflow.
 */
NNM_API nnm_status nnm_grad_softmax_jacobian_f32(size_t k, double beta, const float *y,
                                                 float *NNM_RESTRICT J);
/** @copydoc nnm_grad_softmax_jacobian_f32 */
NNM_API nnm_status nnm_grad_softmax_jacobian_f64(size_t k, double beta, const double *y,
                                                 double *NNM_RESTRICT J);

/**
 * @brief Softmax VJP over n rows: da_j = beta y_j (dy_j - sum_k y_k dy_k), O(k) per row.
 *
 * y (n x k) is the softmax output, dy = dL/dy, da = dL/da (J^T dy = J dy, J is symmetric).
 * The inner product is a compensated sum of exact products; for the entry y_j > 1/2 of a row the
 * bracket is evaluated as sum_{k != j} y_k (dy_j - dy_k) (equal for a softmax row) because
 * dy_j - sum_k y_k dy_k cancels there. Accuracy (f64): |error of da_j| <= 3 eps beta y_j
 * (|dy_j| + sum_k y_k |dy_k|), the dominant entry with sum_{k != j} y_k (|dy_j| + |dy_k|) in the
 * bracket (plus a few units of 2^-1074 where results underflow); f32 is computed in double and
 * rounded once. IEEE values flow (y_j = 0 with dy_j = inf gives NaN). da == dy is allowed (each
 * row is read before it is written).
 *
 * @return NNM_OK (also for n = 0, NULL pointers allowed then); NNM_EINVAL if a pointer is NULL
 *         while n > 0, beta is not finite and > 0, or da overlaps y or partially overlaps dy;
 *         NNM_ESIZE if k = 0 or n*k overflows.
 */
NNM_API nnm_status nnm_grad_softmax_vjp_f32(size_t n, size_t k, double beta, const float *y,
                                            const float *dy, float *da);
/** @copydoc nnm_grad_softmax_vjp_f32 */
NNM_API nnm_status nnm_grad_softmax_vjp_f64(size_t n, size_t k, double beta, const double *y,
                                            const double *dy, double *da);

/**
 * @brief Log-softmax VJP over n rows: da_j = beta (dlogp_j - p_j sum_k dlogp_k), p = e^logp.
 *
 * logp (n x k) is the nnm_act_log_softmax_* output, dlogp = dL/dlogp. For the row's largest
 * logp_j the term is evaluated as beta ((1 - p_j) dlogp_j - p_j sum_{k != j} dlogp_k) with
 * 1 - p_j = -expm1(logp_j): a dominant class keeps the small gradient p_j - 1 (the NLL gradient
 * of a confident correct prediction) instead of cancelling it to 0. Sums are compensated.
 * Accuracy (f64): |error of da_j| <= 4 eps beta (|dlogp_j| + p_j sum_k |dlogp_k|) (the dominant
 * entry: ((1-p_j)|dlogp_j| + p_j sum_{k != j} |dlogp_k|)), plus a few units of 2^-1074 where
 * results underflow; f32 computed in double, rounded once.
 * Masked entries (logp_j = -inf, p_j = 0) get beta dlogp_j. da == dlogp is allowed.
 *
 * @return NNM_OK (also for n = 0, NULL pointers allowed then); NNM_EINVAL if a pointer is NULL
 *         while n > 0, beta is not finite and > 0, or da overlaps logp or partially overlaps
 *         dlogp; NNM_ESIZE if k = 0 or n*k overflows.
 */
NNM_API nnm_status nnm_grad_log_softmax_vjp_f32(size_t n, size_t k, double beta,
                                                const float *logp, const float *dlogp, float *da);
/** @copydoc nnm_grad_log_softmax_vjp_f32 */
NNM_API nnm_status nnm_grad_log_softmax_vjp_f64(size_t n, size_t k, double beta,
                                                const double *logp, const double *dlogp,
                                                double *da);

/* ---- loss gradients (docs/gradient.md, section 2) ------------------------------------------ */

/*
 * Common contract of the loss gradients below. Each nnm_grad_loss_<name> takes the arguments of
 * nnm_loss_<name> (loss.h) with the n x k gradient d_input = dL/d(input) in place of out, and
 * overwrites it:
 *  - L is the reduced loss: SUM = sum_i w_i l_i, MEAN = SUM / D (D = n, or sum_i w_i for the label
 *    forms), and for NONE the gradient of sum_i out[i] (= SUM). A MEAN over D = 0 has gradient 0.
 *    Weights, smoothing, pos_weight and ignore_index act exactly as in the forward loss; an
 *    ignored sample, a sample of weight 0 and (except for the softmax forms, where every logit of
 *    a counted row moves the softmax) a column of weight 0 get an exactly zero gradient, and
 *    their data is not read.
 *  - Every element is formed as an unevaluated sum hi + lo, multiplied by its weight and divided
 *    by D in that form, and rounded once (f32: computed in double, rounded once to float).
 *  - Statuses and their order are those of the forward loss (the same options, data checks and
 *    weight checks, from the same code), all before the first write: NNM_EINVAL (options;
 *    input, target/labels or d_input NULL while n > 0; d_input overlapping the target, the
 *    labels or a weight array, or partially overlapping the input), NNM_ESIZE, NNM_EDOM.
 *    d_input == input is allowed. n = 0 writes nothing (pointers may be NULL).
 *  - NaN in the input gives NaN where the forward loss would be NaN.
 */

/**
 * @brief Gradient of the half-SSE: dL/dy = r (y - t), r = 1 (SUM, NONE) or 1/n (MEAN).
 *
 * y - t is exact (TwoSum) and the scale is a division: within 1 ULP (correctly rounded up to
 * ~2^-104 relative). y = +-inf gives +-inf, NaN gives NaN; t must be finite (NNM_EDOM).
 * @return NNM_OK, NNM_EINVAL, NNM_ESIZE, NNM_EDOM as in the common contract above.
 */
NNM_API nnm_status nnm_grad_loss_l2_f64(size_t n, size_t k, const double *y, const double *t,
                                        const nnm_loss_opts *opts, double *dy);
/**
 * @brief f32 nnm_grad_loss_l2_f64, computed in double (<= 1 ULP); options are the double
 * nnm_loss_opts.
 */
NNM_API nnm_status nnm_grad_loss_l2_f32(size_t n, size_t k, const float *y, const float *t,
                                        const nnm_loss_opts *opts, float *dy);

/**
 * @brief Gradient of the l1-loss: dL/dy = r sign(y - t), 0 at y = t (the subgradient of least
 * magnitude, policy).
 *
 * Exact up to the one rounding of r = 1/n (MEAN). y = +-inf gives +-r, NaN gives NaN.
 * @return NNM_OK, NNM_EINVAL, NNM_ESIZE, NNM_EDOM as in the common contract above.
 */
NNM_API nnm_status nnm_grad_loss_l1_f64(size_t n, size_t k, const double *y, const double *t,
                                        const nnm_loss_opts *opts, double *dy);
/**
 * @brief f32 nnm_grad_loss_l1_f64 (exact up to the MEAN scale); options are the double
 * nnm_loss_opts.
 */
NNM_API nnm_status nnm_grad_loss_l1_f32(size_t n, size_t k, const float *y, const float *t,
                                        const nnm_loss_opts *opts, float *dy);

/**
 * @brief Gradient of the Huber loss: dL/dy = r d for |d| <= delta, r delta sign(d) beyond,
 * d = y - t.
 *
 * Huber is C^1 (both branches give +-delta at |d| = delta), so the branch taken on the rounded d
 * cannot matter. Within 1 ULP. delta = +inf gives the l2 gradient.
 * @return NNM_OK, NNM_EINVAL, NNM_ESIZE, NNM_EDOM as in the common contract above.
 */
NNM_API nnm_status nnm_grad_loss_huber_f64(size_t n, size_t k, const double *y, const double *t,
                                           const nnm_loss_opts *opts, double *dy);
/**
 * @brief f32 nnm_grad_loss_huber_f64, computed in double (<= 1 ULP); options are the double
 * nnm_loss_opts.
 */
NNM_API nnm_status nnm_grad_loss_huber_f32(size_t n, size_t k, const float *y, const float *t,
                                           const nnm_loss_opts *opts, float *dy);

/**
 * @brief Gradient of BCE on probabilities: dL/dy = r w_k (y - t) / (y (1 - y)).
 *
 * The single quotient does not cancel where -t/y + (1-t)/(1-y) would (y ~ t); y - t, 1 - y and
 * y (1 - y) are exact to u^2, so the result is within 1 ULP. At y = 0: -inf if t > 0, else r w_k;
 * at y = 1: +inf if t < 1, else -r w_k (0 ln 0 = 0 has derivative 0). Columns of class weight 0
 * give 0.
 * @return NNM_OK, NNM_EINVAL, NNM_ESIZE, NNM_EDOM as in the common contract above.
 */
NNM_API nnm_status nnm_grad_loss_bce_f64(size_t n, size_t k, const double *y, const double *t,
                                         const nnm_loss_opts *opts, double *dy);
/**
 * @brief f32 nnm_grad_loss_bce_f64, computed in double (<= 1 ULP); the class weights are double
 * (nnm_loss_opts).
 */
NNM_API nnm_status nnm_grad_loss_bce_f32(size_t n, size_t k, const float *y, const float *t,
                                         const nnm_loss_opts *opts, float *dy);

/**
 * @brief Gradient of BCE on logits: dL/da = r w_k [(1 - t) sigma(a) - p_k t sigma(-a)]
 * (= r w_k (sigma(a) - t) without pos_weight).
 *
 * From l = p t softplus(-a) + (1 - t) softplus(a) and softplus' = sigma. The two terms are each
 * accurate, so a saturated logit keeps its gradient: t = 1, a = 40 gives -sigma(-40) = -4.2e-18
 * where sigma(a) - t would give 0. Accuracy: |error| <= 2 eps r w_k ((1 - t) sigma(a) +
 * p_k t sigma(-a)) (componentwise: relative 2 eps for hard targets). a = +inf gives
 * r w_k (1 - t), a = -inf gives -r w_k p_k t; NaN gives NaN.
 * @return NNM_OK, NNM_EINVAL, NNM_ESIZE, NNM_EDOM as in the common contract above.
 */
NNM_API nnm_status nnm_grad_loss_bce_logits_f64(size_t n, size_t k, const double *a,
                                                const double *t, const nnm_loss_opts *opts,
                                                double *da);
/**
 * @brief f32 nnm_grad_loss_bce_logits_f64, computed in double; class_weight and pos_weight are
 * double (nnm_loss_opts).
 */
NNM_API nnm_status nnm_grad_loss_bce_logits_f32(size_t n, size_t k, const float *a,
                                                const float *t, const nnm_loss_opts *opts,
                                                float *da);

/**
 * @brief Gradient of CE on probabilities: dL/dy_k = -r w_k t'_k / y_k, t' = (1 - eps) t + eps/k.
 *
 * Within 1 ULP (t' is exact to u^2). t'_k = 0 gives 0 (and y_k is not read); y_k = 0 under
 * t'_k > 0 gives -inf. Rows are not constrained to sum to 1: this is the gradient in R^k.
 * @return NNM_OK, NNM_EINVAL, NNM_ESIZE, NNM_EDOM as in the common contract above.
 */
NNM_API nnm_status nnm_grad_loss_ce_f64(size_t n, size_t k, const double *y, const double *t,
                                        const nnm_loss_opts *opts, double *dy);
/**
 * @brief f32 nnm_grad_loss_ce_f64, computed in double (<= 1 ULP); the class weights are double
 * (nnm_loss_opts).
 */
NNM_API nnm_status nnm_grad_loss_ce_f32(size_t n, size_t k, const float *y, const float *t,
                                        const nnm_loss_opts *opts, float *dy);

/**
 * @brief Gradient of CE on logits with dense targets: dL/da_j = r (C p_j - c_j), p = softmax(a),
 * c_j = w_j t'_j, C = sum_j c_j (= (sum t') p - t' without class weights).
 *
 * For the dominant entry p_j = 1 - s/(1+s) is used (s: the sum of the other exponentials of the
 * row): r (sum_{i != j} c_i - C s/(1+s)), so a confident correct prediction keeps its gradient
 * -(1 - p_j) ~ -1e-22 instead of 0. Accuracy: |error of da_j| <= 4 eps r (C p_j + c_j), for the
 * dominant entry 4 eps r (sum_{i != j} c_i + C (1 - p_j)) (componentwise; relative when nothing
 * cancels). A zero-weight column still gets r C p_j (its logit moves the softmax). Rows with
 * infinities use the policy's limit probabilities (+inf entries share 1, -inf entries 0); a NaN
 * row gives NaN.
 * @return NNM_OK, NNM_EINVAL, NNM_ESIZE, NNM_EDOM as in the common contract above.
 */
NNM_API nnm_status nnm_grad_loss_ce_logits_f64(size_t n, size_t k, const double *a,
                                               const double *t, const nnm_loss_opts *opts,
                                               double *da);
/**
 * @brief f32 nnm_grad_loss_ce_logits_f64, computed in double; the class weights are double
 * (nnm_loss_opts).
 */
NNM_API nnm_status nnm_grad_loss_ce_logits_f32(size_t n, size_t k, const float *a,
                                               const float *t, const nnm_loss_opts *opts,
                                               float *da);

/**
 * @brief Gradient of CE on logits with labels: dL/da_ij = r w_i (p_ij - t'_ij),
 * t'_i = (1 - eps) onehot(y_i) + eps/k, w_i = class_weight[y_i], r = 1 or 1/sum_i w_i (MEAN).
 *
 * The smoothing term is masked and weighted like the NLL term (as in the forward loss), and
 * sum_j t'_ij = 1. Ignored samples and samples of weight 0 get zero rows (not read). Accuracy as
 * nnm_grad_loss_ce_logits_f64 with c = t', C = 1: the dominant class of a confident correct
 * prediction keeps -(1 - p) + eps (k - 1)/k accurately. CE([1e8, 1e8], label 0) gives
 * (-1/2, 1/2) exactly.
 * @return NNM_OK, NNM_EINVAL, NNM_ESIZE, NNM_EDOM as in the common contract above.
 */
NNM_API nnm_status nnm_grad_loss_ce_logits_labels_f64(size_t n, size_t k, const double *a,
                                                      const int32_t *labels,
                                                      const nnm_loss_opts *opts, double *da);
/**
 * @brief f32 nnm_grad_loss_ce_logits_labels_f64, computed in double; the class weights are double
 * (nnm_loss_opts).
 */
NNM_API nnm_status nnm_grad_loss_ce_logits_labels_f32(size_t n, size_t k, const float *a,
                                                      const int32_t *labels,
                                                      const nnm_loss_opts *opts, float *da);

/**
 * @brief Gradient of the NLL on log-probabilities: dL/dlogp_ij = -r w_i [j == y_i].
 *
 * Exact for SUM and NONE; within 2 ULP for MEAN (w_i divided by the compensated sum of the
 * weights, which is rounded once before the quotient). logp is read only at the label, where a
 * NaN gives NaN (the forward loss is NaN exactly then); every other entry is 0. Ignored samples and
 * samples of weight 0 get zero rows. Chained with nnm_grad_log_softmax_vjp_* this is the
 * softmax-cross-entropy gradient p - onehot.
 * @return NNM_OK, NNM_EINVAL, NNM_ESIZE, NNM_EDOM as in the common contract above.
 */
NNM_API nnm_status nnm_grad_loss_nll_labels_f64(size_t n, size_t k, const double *logp,
                                                const int32_t *labels, const nnm_loss_opts *opts,
                                                double *dlogp);
/** @brief f32 nnm_grad_loss_nll_labels_f64; the class weights are double (nnm_loss_opts). */
NNM_API nnm_status nnm_grad_loss_nll_labels_f32(size_t n, size_t k, const float *logp,
                                                const int32_t *labels, const nnm_loss_opts *opts,
                                                float *dlogp);

/**
 * @brief Gradient of the KL divergence w.r.t. logq: dL/dlogq = -r t.
 *
 * Exact up to the rounding of the MEAN division (<= 1/2 ULP). NaN in logq gives NaN (also where
 * t = 0, as in the forward loss); logq = +-inf gives -r t.
 * @return NNM_OK, NNM_EINVAL, NNM_ESIZE, NNM_EDOM as in the common contract above.
 */
NNM_API nnm_status nnm_grad_loss_kl_div_f64(size_t n, size_t k, const double *logq,
                                            const double *t, const nnm_loss_opts *opts,
                                            double *dlogq);
/** @brief f32 nnm_grad_loss_kl_div_f64; options are the double nnm_loss_opts. */
NNM_API nnm_status nnm_grad_loss_kl_div_f32(size_t n, size_t k, const float *logq,
                                            const float *t, const nnm_loss_opts *opts,
                                            float *dlogq);

/* ---- affine backward (the gradient w.r.t. a matrix) --------------------------------------- */

/**
 * @brief Affine backward of a_n = W h_n + b: dW = sum_n delta_n h_n^T, db = sum_n delta_n,
 * dh_n = W^T delta_n.
 *
 * h is n x d_in, W is d_out x d_in (row o is w_o), delta = dL/da is n x d_out; the outputs dW
 * (d_out x d_in), db (d_out) and dh (n x d_in) are overwritten. Any one or two of dW, db, dh may
 * be NULL (not computed); all three NULL is NNM_EINVAL (a call that computes nothing is a caller
 * error). For n = 0, dW and db are set to 0 (empty sums) and h, delta, dh may be NULL. W is read
 * only for dh and may be NULL when dh is NULL or n = 0; h only for dW.
 * Accuracy: every output element is a dot product evaluated with exact products (fma) and a
 * compensated sum, as if in twice the precision: |error| <= eps |r| + m eps^2 sum|terms| for f64
 * (m = n or d_out terms); f32 sums exact double products in double and rounds once (<= 1 ULP
 * unless the sum cancels by more than 2^28). NaN and inf propagate (nothing is skipped, also
 * zero deltas: 0 * inf = NaN). No output may overlap an input or another output.
 *
 * @return NNM_OK; NNM_EINVAL if dW, db and dh are all NULL, a needed input is NULL while n > 0,
 *         or an output overlaps an input or another output; NNM_ESIZE if d_in or d_out is 0 or
 *         n*d_in, n*d_out or d_out*d_in overflows.
 */
NNM_API nnm_status nnm_grad_affine_f32(size_t n, size_t d_in, size_t d_out, const float *h,
                                       const float *W, const float *delta,
                                       float *NNM_RESTRICT dW, float *NNM_RESTRICT db,
                                       float *NNM_RESTRICT dh);
/** @copydoc nnm_grad_affine_f32 */
NNM_API nnm_status nnm_grad_affine_f64(size_t n, size_t d_in, size_t d_out, const double *h,
                                       const double *W, const double *delta,
                                       double *NNM_RESTRICT dW, double *NNM_RESTRICT db,
                                       double *NNM_RESTRICT dh);

/* ---- finite differences and gradient check (double only) --------------------------------- */

/** @brief Finite-difference scheme. Values are stable. */
typedef enum nnm_grad_fd_method {
    NNM_GRAD_FD_CENTRAL = 0,   /**< (f(x+h) - f(x-h)) / 2h, h = cbrt(eps) s: error ~ eps^(2/3) */
    NNM_GRAD_FD_RICHARDSON = 1 /**< (4 D(h/2) - D(h)) / 3, h = eps^(1/5) s: error ~ eps^(4/5) */
} nnm_grad_fd_method;

/**
 * @brief Finite-difference options; a zero-initialised struct (or NULL) means central
 * differences with the default step.
 */
typedef struct nnm_grad_fd_opts {
    nnm_grad_fd_method method; /**< NNM_GRAD_FD_CENTRAL (default) or NNM_GRAD_FD_RICHARDSON */
    double step;               /**< relative step c, h_i = c max(1, |x_i|); 0 means the method's
                                    default (cbrt(eps) or eps^(1/5)); else in [2^-48, 1), so that
                                    both probes differ from x_i */
} nnm_grad_fd_opts;

/**
 * @brief Numerical gradient g_i ~ df/dx_i by central differences (double).
 *
 * g_i ~ (f(x + h_i e_i) - f(x - h_i e_i)) / 2h_i with h_i = cbrt(eps) max(1, |x_i|). The
 * rounded probes x_i +- h_i sit at unequal distances h+, h- from x_i, so the quotient is the
 * three-point one for unequal steps, (h-/h+ (f+ - f0) + h+/h- (f0 - f-)) / (h+ + h-) with
 * f0 = f(x): exact for quadratics, no f'' (h+ - h-) term. Expected error:
 * h_i^2 |f'''| / 6 + eps |f| / h_i, about eps^(2/3) (s_i^2 |f'''| + |f| / s_i) ~ 4e-11 times
 * those scales (s_i = max(1, |x_i|)). Costs 2d + 1 calls of f; x is not modified (f sees a copy,
 * changed one coordinate at a time).
 *
 * @return NNM_OK; NNM_EINVAL if f, x or g is NULL; NNM_ESIZE if d = 0 or d doubles overflow;
 *         NNM_EDOM if x has a non-finite entry or f returned a non-finite value (g is then
 *         untouched); NNM_ENOMEM if the O(d) scratch could not be allocated.
 */
NNM_API nnm_status nnm_grad_numeric(nnm_fn f, void *ctx, size_t d, const double *x,
                                    double *NNM_RESTRICT g);

/**
 * @brief nnm_grad_numeric with options: central differences or Richardson extrapolation.
 *
 * Richardson: R = (4 D(h_i/2) - D(h_i)) / 3 from two central differences D removes the h^2 term:
 * error about h^4 |f^(5)| / 480 + 3 eps |f| / h, with the default h_i = eps^(1/5) max(1, |x_i|)
 * about eps^(4/5) ~ 3e-13 times the scales above, for 4d + 1 calls of f.
 *
 * @return as nnm_grad_numeric; NNM_EINVAL also for an unknown method or a step outside
 *         [2^-48, 1) (0 is the default; NaN is rejected).
 */
NNM_API nnm_status nnm_grad_numeric_ex(nnm_fn f, void *ctx, size_t d, const double *x,
                                       const nnm_grad_fd_opts *opts, double *NNM_RESTRICT g);

/**
 * @brief Numerical Jacobian J[i][j] ~ df_i/dx_j (m x d, row-major) by central differences.
 *
 * Column j from f(x + h_j e_j) - f(x - h_j e_j) with the step and error of nnm_grad_numeric
 * (|f| read as |f_i| per row). Costs 2d + 1 calls of f.
 *
 * @return NNM_OK; NNM_EINVAL if f, x or J is NULL; NNM_ESIZE if d or m is 0 or m*d overflows;
 *         NNM_EDOM if x has a non-finite entry or f produced a non-finite value (J untouched);
 *         NNM_ENOMEM if the O(m d) scratch could not be allocated.
 */
NNM_API nnm_status nnm_grad_jacobian_numeric(nnm_vec_fn f, void *ctx, size_t d, size_t m,
                                             const double *x, double *NNM_RESTRICT J);

/** @brief nnm_grad_jacobian_numeric with options (see nnm_grad_numeric_ex). */
NNM_API nnm_status nnm_grad_jacobian_numeric_ex(nnm_vec_fn f, void *ctx, size_t d, size_t m,
                                                const double *x, const nnm_grad_fd_opts *opts,
                                                double *NNM_RESTRICT J);

/**
 * @brief Gradient check: the largest relative difference between g(x) and central differences.
 *
 * max_rel_err = max_i |a_i - n_i| / max(|a_i|, |n_i|, F_i / s_i) (0 where a_i = n_i), with a = g(x)
 * the analytic gradient, n the numerical one (nnm_grad_numeric), s_i = max(1, |x_i|) and F_i the
 * largest |f| among f(x) and the two probes along coordinate i. The floor F_i / s_i is the
 * natural scale of a gradient component: a component far smaller than it cannot be resolved by a
 * finite difference (its rounding noise is eps^(2/3) F_i / s_i), so it is compared absolutely at
 * that scale instead of relatively to itself, which keeps a zero gradient at a minimum (f = 0
 * included: the probes are not 0) from reporting a relative error of 1.
 * What to expect: a correct gradient of a smooth, well-scaled f gives about 1e-10 (see
 * nnm_grad_numeric); a wrong one gives about 1e-2 or more.
 *
 * @return NNM_OK; NNM_EINVAL if f, g, x or max_rel_err is NULL; NNM_ESIZE if d = 0 or d doubles
 *         overflow; NNM_EDOM if x has a non-finite entry or f or g produced a non-finite value
 *         (*max_rel_err untouched); NNM_ENOMEM if the O(d) scratch could not be allocated.
 */
NNM_API nnm_status nnm_grad_check(nnm_fn f, nnm_grad_fn g, void *ctx, size_t d, const double *x,
                                  double *max_rel_err);

/** @brief nnm_grad_check with finite-difference options (see nnm_grad_numeric_ex). */
NNM_API nnm_status nnm_grad_check_ex(nnm_fn f, nnm_grad_fn g, void *ctx, size_t d,
                                     const double *x, const nnm_grad_fd_opts *opts,
                                     double *max_rel_err);

/* ---- gradient descent ----------------------------------------------------------------------- */

/**
 * @brief One gradient step, x_i -= lr g_i, elementwise.
 *
 * lr is any finite value (lr < 0 ascends, lr = 0 leaves x as it is); a non-finite lr is
 * NNM_EINVAL. f64: x - (lr g) with two roundings, |error| <= ulp(result)/2 + eps |lr g| / 2;
 * f32 is computed in double and rounded once (<= 1 ULP).
 * IEEE values flow (0 * inf = NaN). x == g is allowed.
 *
 * @return NNM_OK (also for n = 0, NULL pointers allowed then); NNM_EINVAL if g or x is NULL while
 *         n > 0, lr is not finite, or x and g partially overlap; NNM_ESIZE if n elements
 *         overflow.
 */
NNM_API nnm_status nnm_grad_step_f32(size_t n, double lr, const float *g, float *x);
/** @copydoc nnm_grad_step_f32 */
NNM_API nnm_status nnm_grad_step_f64(size_t n, double lr, const double *g, double *x);

/**
 * @brief Gradient descent with momentum on a user function: v = momentum v - lr g(x); x += v.
 *
 * Starting from x (in/out, d values, all finite) with v = 0, each step updates v and x, then
 * evaluates f and g at the new x and calls on_iter(iter, f, |g|_2, ctx) if set. It stops with
 * - NNM_OK, converged = 1, when |g|_2 <= grad_tol (checked at the start too: 0 iterations);
 * - NNM_OK, converged = 0, when on_iter returned non-zero (and |g|_2 > grad_tol);
 * - NNM_ENOCONV after max_iter steps without convergence;
 * - NNM_EDOM when f or an entry of g is not finite (x holds that iterate, result its f and |g|_2;
 *   on_iter is not called for it), or when a step made x non-finite (x holds it, f and g are not
 *   evaluated there, result f and grad_norm are NaN).
 * On OK, ENOCONV and EDOM, x holds the last iterate and result (if not NULL) its iteration count,
 * f, |g|_2 (computed without overflow) and converged. opts == NULL or a zero field means the
 * default: learning_rate 0.1, momentum 0, grad_tol 1e-8, max_iter 10000. ctx is passed to f, g
 * and on_iter. Allocates O(d) scratch (the gradient, and the velocity when momentum > 0).
 *
 * @return as above; NNM_EINVAL if f, g or x is NULL, learning_rate is not finite and > 0
 *         (after the default), momentum is not in [0, 1), or grad_tol is negative or not finite
 *         (x and result untouched); NNM_ESIZE if d = 0 or d doubles overflow; NNM_EDOM also when
 *         the starting x has a non-finite entry (before any call of f; nothing written);
 *         NNM_ENOMEM if the scratch could not be allocated (nothing written).
 */
NNM_API nnm_status nnm_grad_descent(nnm_fn f, nnm_grad_fn g, void *ctx, size_t d, double *x,
                                    const nnm_gd_opts *opts, nnm_gd_result *result);

#ifdef __cplusplus
}
#endif

#endif /* NNMATH_GRADIENT_H */
