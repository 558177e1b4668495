/**
 * @file activation.h
 * @brief Forward maps: elementwise activations, the softmax family, the affine pre-activation.
 *
 * Every function exists for float (_f32) and double (_f64); scalar parameters (alpha, beta) are
 * double for both. Elementwise functions allow y == x. See docs/policy.md for the edge-case policy.
 */
#ifndef NNMATH_ACTIVATION_H
#define NNMATH_ACTIVATION_H

#include <stddef.h>
#include <nnmath/export.h>
#include <nnmath/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Activation kinds, for code that chooses an activation at run time. Values are stable. */
typedef enum nnm_act_kind {
    NNM_ACT_IDENTITY = 0,
    NNM_ACT_STEP = 1,
    NNM_ACT_SIGMOID = 2,
    NNM_ACT_TANH = 3,
    NNM_ACT_RELU = 4,
    NNM_ACT_LEAKY_RELU = 5,
    NNM_ACT_ELU = 6,
    NNM_ACT_SELU = 7,
    NNM_ACT_SOFTPLUS = 8,
    NNM_ACT_LOG_SIGMOID = 9,
    NNM_ACT_SILU = 10,
    NNM_ACT_GELU = 11,
    NNM_ACT_GELU_TANH = 12,
    NNM_ACT_MISH = 13
} nnm_act_kind;

/**
 * @brief An activation chosen at run time.
 *
 * alpha: the negative slope of LEAKY_RELU (finite, any sign) or the scale of ELU (finite, >= 0);
 * it must be 0 for every other kind (else NNM_EINVAL).
 */
typedef struct nnm_act {
    nnm_act_kind kind;
    double alpha;
} nnm_act;

/* NNM-ACTIVATION-API: the activation module's declarations follow. */

/*
 * Accuracy notation: "ULP" is the error |y - f(x)| in units in the last place of the exact
 * f(x), measured against MPFR by tests/oracle/oracle_activation.c over every binade (subnormals
 * included), +-0, huge magnitudes and each function's thresholds. The bounds hold wherever the
 * exact result is a normal number of the output type. They rely on a long double with a 64-bit
 * (or wider) significand, as on x86-64 and AArch64 Linux; where long double is plain double the
 * f64 functions fall back to double formulas (see docs/activation.md for those bounds).
 *
 * Common to every elementwise function: y[i] = f(x[i]) for i < n; y == x (in place) is allowed,
 * any other overlap of x and y is NNM_EINVAL; n = 0 writes nothing and accepts NULL pointers;
 * NaN in gives NaN out. Statuses: NNM_OK; NNM_EINVAL if x or y is NULL while n > 0, if x and y
 * overlap without being equal, or for a bad scalar parameter; NNM_ESIZE if n elements exceed
 * PTRDIFF_MAX bytes. A failing call writes nothing.
 */

/* ---- identity, step, relu, leaky relu: exact ---------------------------------------------- */

/**
 * @brief Identity, y = x (the regression output activation), elementwise. Exact (a copy).
 * @return NNM_OK; NNM_EINVAL (NULL with n > 0, partial overlap); NNM_ESIZE (n too large).
 */
NNM_API nnm_status nnm_act_identity_f64(size_t n, const double *x, double *y);
/** @brief Identity, y = x, float. Exact. @return as nnm_act_identity_f64. */
NNM_API nnm_status nnm_act_identity_f32(size_t n, const float *x, float *y);

/**
 * @brief Heaviside step, y = 1 if x >= 0 else 0 (the perceptron's activation), elementwise.
 *
 * Exact. Both zeros give 1; -inf gives 0, +inf gives 1; NaN -> NaN. y == x allowed.
 * @return NNM_OK; NNM_EINVAL (NULL with n > 0, partial overlap); NNM_ESIZE (n too large).
 */
NNM_API nnm_status nnm_act_step_f64(size_t n, const double *x, double *y);
/** @brief Heaviside step, float: 1 if x >= 0 (also -0) else 0; NaN -> NaN. Exact.
 *  @return as nnm_act_step_f64. */
NNM_API nnm_status nnm_act_step_f32(size_t n, const float *x, float *y);

/**
 * @brief Rectified linear unit, y = max(x, 0), elementwise.
 *
 * Exact. relu(-0) = +0, relu(-inf) = 0, relu(+inf) = +inf, NaN -> NaN. y == x allowed.
 * @return NNM_OK; NNM_EINVAL (NULL with n > 0, partial overlap); NNM_ESIZE (n too large).
 */
NNM_API nnm_status nnm_act_relu_f64(size_t n, const double *x, double *y);
/** @brief relu, float: y = max(x, 0), exact, relu(-0) = +0, NaN -> NaN.
 *  @return as nnm_act_relu_f64. */
NNM_API nnm_status nnm_act_relu_f32(size_t n, const float *x, float *y);

/**
 * @brief Leaky relu, y = x for x >= 0, alpha x otherwise, elementwise.
 *
 * alpha: any finite double (0 gives relu; negative alpha is allowed). Error: 0.5 ULP (one
 * rounding of alpha x). Zeros pass unchanged (for alpha = 0, as relu, -0 gives +0). With
 * alpha = 0, -inf gives 0 (not 0 * inf = NaN); otherwise y(-inf) = -alpha inf. NaN -> NaN.
 * y == x allowed.
 * @return NNM_OK; NNM_EINVAL (alpha not finite, NULL with n > 0, partial overlap);
 *         NNM_ESIZE (n too large).
 */
NNM_API nnm_status nnm_act_leaky_relu_f64(size_t n, double alpha, const double *x, double *y);
/** @brief Leaky relu, float: x for x >= 0, alpha x otherwise; alpha is a finite double.
 *  Error <= 1 ULP (alpha x formed in double, rounded to float: correctly rounded except within
 *  2^-29 ULP of a tie; measured 0.50).
 *  @return as nnm_act_leaky_relu_f64. */
NNM_API nnm_status nnm_act_leaky_relu_f32(size_t n, double alpha, const float *x, float *y);

/* ---- the sigmoid family --------------------------------------------------------------------- */

/**
 * @brief Logistic sigmoid, y = 1 / (1 + e^-x), elementwise.
 *
 * Evaluated as 1/(1+e^-x) for x >= 0 and e^x/(1+e^x) for x < 0, so nothing overflows and the
 * result keeps full relative accuracy down to the subnormals (it is never flushed to 0 while
 * normal). Error <= 2 ULP (measured 0.50). sigmoid(-inf) = 0, sigmoid(+inf) = 1, NaN -> NaN;
 * sigma(-x) = 1 - sigma(x) to rounding. y == x allowed.
 * @return NNM_OK; NNM_EINVAL (NULL with n > 0, partial overlap); NNM_ESIZE (n too large).
 */
NNM_API nnm_status nnm_act_sigmoid_f64(size_t n, const double *x, double *y);
/** @brief Logistic sigmoid, float: y = 1/(1+e^-x). Error <= 1 ULP (computed in extended
 *  precision, rounded once). Limits as nnm_act_sigmoid_f64. @return as nnm_act_sigmoid_f64. */
NNM_API nnm_status nnm_act_sigmoid_f32(size_t n, const float *x, float *y);

/**
 * @brief Hyperbolic tangent, y = tanh(x), elementwise.
 *
 * Error <= 2 ULP (measured 0.50; the extended tanh rounded once). tanh(+-0) = +-0,
 * tanh(+-inf) = +-1, NaN -> NaN. y == x allowed.
 * @return NNM_OK; NNM_EINVAL (NULL with n > 0, partial overlap); NNM_ESIZE (n too large).
 */
NNM_API nnm_status nnm_act_tanh_f64(size_t n, const double *x, double *y);
/** @brief tanh, float. Error <= 1 ULP. Odd (keeps -0), tanh(+-inf) = +-1.
 *  @return as nnm_act_tanh_f64. */
NNM_API nnm_status nnm_act_tanh_f32(size_t n, const float *x, float *y);

/**
 * @brief Softplus, y = log(1 + e^x), elementwise.
 *
 * Exact form max(x, 0) + log1p(e^-|x|) for every finite x (no threshold shortcut): softplus(x)
 * ~ e^x keeps its relative accuracy for x << 0, and equals x to rounding for large x.
 * Error <= 2 ULP (measured 0.50). softplus(-inf) = 0, softplus(+inf) = +inf, NaN -> NaN.
 * y == x allowed.
 * @return NNM_OK; NNM_EINVAL (NULL with n > 0, partial overlap); NNM_ESIZE (n too large).
 */
NNM_API nnm_status nnm_act_softplus_f64(size_t n, const double *x, double *y);
/** @brief Softplus, float: y = log(1 + e^x), exact form. Error <= 1 ULP.
 *  @return as nnm_act_softplus_f64. */
NNM_API nnm_status nnm_act_softplus_f32(size_t n, const float *x, float *y);

/**
 * @brief Log-sigmoid, y = log sigma(x) = -softplus(-x), elementwise.
 *
 * Error <= 2 ULP (measured 0.50); for x >> 0, y ~ -e^-x keeps full relative accuracy.
 * log_sigmoid(-inf) = -inf, log_sigmoid(+inf) = -0, NaN -> NaN. y == x allowed.
 * @return NNM_OK; NNM_EINVAL (NULL with n > 0, partial overlap); NNM_ESIZE (n too large).
 */
NNM_API nnm_status nnm_act_log_sigmoid_f64(size_t n, const double *x, double *y);
/** @brief Log-sigmoid, float: y = -softplus(-x). Error <= 1 ULP.
 *  @return as nnm_act_log_sigmoid_f64. */
NNM_API nnm_status nnm_act_log_sigmoid_f32(size_t n, const float *x, float *y);

/**
 * @brief SiLU (swish), y = x sigma(x), elementwise.
 *
 * Product formed in extended precision, so x e^x stays accurate where e^x alone is a subnormal
 * double (x < -708). Error <= 2 ULP (measured 0.50). silu(-inf) = -0 (the limit 0),
 * silu(+inf) = +inf, silu(-0) = -0, NaN -> NaN. y == x allowed.
 * @return NNM_OK; NNM_EINVAL (NULL with n > 0, partial overlap); NNM_ESIZE (n too large).
 */
NNM_API nnm_status nnm_act_silu_f64(size_t n, const double *x, double *y);
/** @brief SiLU, float: y = x sigma(x). Error <= 1 ULP. silu(-inf) = -0.
 *  @return as nnm_act_silu_f64. */
NNM_API nnm_status nnm_act_silu_f32(size_t n, const float *x, float *y);

/* ---- exponential linear units ------------------------------------------------------------- */

/**
 * @brief ELU, y = x for x > 0, alpha (e^x - 1) otherwise, elementwise.
 *
 * alpha: finite, >= 0. e^x - 1 via expm1 (no cancellation for tiny negative x). Error <= 2 ULP
 * (measured 0.50). elu(-inf) = -alpha, elu(-0) = -0, NaN -> NaN. y == x allowed.
 * @return NNM_OK; NNM_EINVAL (alpha negative or not finite, NULL with n > 0, partial overlap);
 *         NNM_ESIZE (n too large).
 */
NNM_API nnm_status nnm_act_elu_f64(size_t n, double alpha, const double *x, double *y);
/** @brief ELU, float; alpha is a finite double >= 0. Error <= 1 ULP.
 *  @return as nnm_act_elu_f64. */
NNM_API nnm_status nnm_act_elu_f32(size_t n, double alpha, const float *x, float *y);

/**
 * @brief SELU, y = lambda x for x > 0, lambda alpha (e^x - 1) otherwise, elementwise.
 *
 * lambda = 1.0507009873554804934193349852946, alpha = 1.6732632423543772848170429916717
 * (Klambauer et al.), used to 64 bits. Error <= 2 ULP (measured 0.50) against these decimal
 * constants. selu(-inf) = -lambda alpha, selu(-0) = -0, NaN -> NaN. y == x allowed.
 * @return NNM_OK; NNM_EINVAL (NULL with n > 0, partial overlap); NNM_ESIZE (n too large).
 */
NNM_API nnm_status nnm_act_selu_f64(size_t n, const double *x, double *y);
/** @brief SELU, float. Error <= 1 ULP. @return as nnm_act_selu_f64. */
NNM_API nnm_status nnm_act_selu_f32(size_t n, const float *x, float *y);

/* ---- GELU and mish ------------------------------------------------------------------------ */

/**
 * @brief GELU (erf form), y = x Phi(x) = x erfc(-x/sqrt 2) / 2, elementwise.
 *
 * erfc keeps the relative accuracy of Phi for x << 0 (1 + erf would cancel); the argument
 * -x/sqrt2 is carried as a double-double so its rounding is not amplified. Error <= 2 ULP
 * (measured 0.50). gelu(-inf) = -0 (the limit 0), gelu(+inf) = +inf, gelu(-0) = -0,
 * NaN -> NaN. y == x allowed.
 * @return NNM_OK; NNM_EINVAL (NULL with n > 0, partial overlap); NNM_ESIZE (n too large).
 */
NNM_API nnm_status nnm_act_gelu_f64(size_t n, const double *x, double *y);
/** @brief GELU (erf form), float: y = x Phi(x). Error <= 1 ULP. gelu(-inf) = -0.
 *  @return as nnm_act_gelu_f64. */
NNM_API nnm_status nnm_act_gelu_f32(size_t n, const float *x, float *y);

/**
 * @brief GELU (tanh approximation), y = x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) / 2.
 *
 * Evaluated as x sigma(2 sqrt(2/pi) (x + 0.044715 x^3)) (the same function without the
 * cancellation of 1 + tanh for x < 0), with the sigmoid's argument as a double-double.
 * The exact reference uses the decimal 0.044715. Error <= 2 ULP (measured 0.50).
 * gelu_tanh(-inf) = -0, gelu_tanh(+inf) = +inf, NaN -> NaN. y == x allowed.
 * @return NNM_OK; NNM_EINVAL (NULL with n > 0, partial overlap); NNM_ESIZE (n too large).
 */
NNM_API nnm_status nnm_act_gelu_tanh_f64(size_t n, const double *x, double *y);
/** @brief GELU (tanh approximation), float. Error <= 1 ULP.
 *  @return as nnm_act_gelu_tanh_f64. */
NNM_API nnm_status nnm_act_gelu_tanh_f32(size_t n, const float *x, float *y);

/**
 * @brief Mish, y = x tanh(softplus(x)), elementwise.
 *
 * tanh(softplus x) is evaluated as e(e+2)/(e(e+2)+2) with e = e^x (a form without
 * cancellation), in extended precision. Error <= 2 ULP (measured 0.50). mish(-inf) = -0,
 * mish(+inf) = +inf, mish(-0) = -0, NaN -> NaN. y == x allowed.
 * @return NNM_OK; NNM_EINVAL (NULL with n > 0, partial overlap); NNM_ESIZE (n too large).
 */
NNM_API nnm_status nnm_act_mish_f64(size_t n, const double *x, double *y);
/** @brief Mish, float. Error <= 1 ULP. @return as nnm_act_mish_f64. */
NNM_API nnm_status nnm_act_mish_f32(size_t n, const float *x, float *y);

/* ---- run-time choice ---------------------------------------------------------------------- */

/**
 * @brief The default descriptor of a kind: alpha = 0.01 (LEAKY_RELU), 1.0 (ELU), else 0.
 *
 * Never fails; an unknown kind is returned as given (with alpha 0) and rejected later by
 * nnm_act_apply_f64 / nnm_act_apply_f32.
 */
NNM_API nnm_act nnm_act_default(nnm_act_kind kind);

/**
 * @brief y = act(x) elementwise for a descriptor chosen at run time: the same results, bounds
 * and edge cases as the corresponding nnm_act_<kind>_f64 function. y == x allowed.
 * @return NNM_OK; NNM_EINVAL (unknown kind, alpha invalid for the kind or non-zero for a kind
 *         without parameter, NULL with n > 0, partial overlap); NNM_ESIZE (n too large).
 */
NNM_API nnm_status nnm_act_apply_f64(nnm_act act, size_t n, const double *x, double *y);
/** @brief nnm_act_apply_f64 for float data (alpha stays double); bounds of the _f32 functions.
 *  @return as nnm_act_apply_f64. */
NNM_API nnm_status nnm_act_apply_f32(nnm_act act, size_t n, const float *x, float *y);

/* ---- the softmax family ------------------------------------------------------------------- */

/*
 * Rows: a is n x k row-major; each row is transformed with the inverse temperature beta
 * (finite, > 0; beta = 1 is the plain softmax, the notes' "multiply by 100" is beta = 100),
 * computed as beta (a_j - max a), so finite logits of any magnitude never overflow.
 * Row policy (docs/policy.md): -inf entries are masked (probability 0); a row of only -inf gives
 * zeros / -inf / -inf (softmax / log-softmax / logsumexp); a row with +inf entries gives equal
 * shares 1/c among its c infinite entries and 0 elsewhere (log-softmax: -log c and -inf;
 * logsumexp: +inf); a NaN anywhere in a row makes the whole row (or its lse) NaN.
 * Statuses: NNM_OK; NNM_EINVAL if a or the output is NULL while n > 0, if beta is not finite
 * and > 0 (NaN included), or if the output partially overlaps a; NNM_ESIZE if k = 0 or n*k
 * elements exceed PTRDIFF_MAX bytes. n = 0 writes nothing. A failing call writes nothing.
 */

/**
 * @brief Softmax over each row, y_j = e^{beta a_j} / sum_i e^{beta a_i}.
 *
 * Max subtraction, the exponentials and their compensated sum in extended precision, one
 * rounding at the end: every output whose exact value is a normal double is within 4 eps
 * relative (measured <= 0.5 eps) for any k up to 10^6 and logits of any finite magnitude, so
 * the exact sum of a row's outputs is within 4 eps of 1. y == a allowed.
 * @return see the row statuses above.
 */
NNM_API nnm_status nnm_act_softmax_f64(size_t n, size_t k, double beta, const double *a,
                                       double *y);
/** @brief Softmax, float (beta double): each normal output within 4 eps (FLT_EPSILON)
 *  relative. Row policy and statuses as nnm_act_softmax_f64. */
NNM_API nnm_status nnm_act_softmax_f32(size_t n, size_t k, double beta, const float *a,
                                       float *y);

/**
 * @brief Log-softmax over each row, y_j = beta a_j - log sum_i e^{beta a_i}.
 *
 * Computed as z_j - log1p(s) with z_j = beta (a_j - max) and s the sum of the non-maximal
 * e^{z}: the dominant entry's log-probability -log1p(s) keeps its relative accuracy even when
 * it is tiny (log p = -1e-22, not 0). Every output within 4 eps relative (measured <= 0.5 eps)
 * where its exact value is a normal double. y == a allowed.
 * @return see the row statuses above.
 */
NNM_API nnm_status nnm_act_log_softmax_f64(size_t n, size_t k, double beta, const double *a,
                                           double *y);
/** @brief Log-softmax, float (beta double): within 4 eps (FLT_EPSILON) relative.
 *  Row policy and statuses as nnm_act_log_softmax_f64. */
NNM_API nnm_status nnm_act_log_softmax_f32(size_t n, size_t k, double beta, const float *a,
                                           float *y);

/**
 * @brief Log-sum-exp of each row, lse = log sum_j e^{beta a_j} = beta max + log1p(s).
 *
 * Bound: |lse - exact| <= 2 eps |exact| + 2^-8 eps (|beta max_j a_j| + log k). The second term
 * is the extended-precision (64-bit) error of the final combination; it matters only when
 * beta max a and log(sum) cancel, e.g. a = (-ln 2, -ln 2) rounded to double, whose exact lse is
 * 2.3e-17 and comes back with 5e-4 relative error (a correct sign and 3 digits, never 0).
 * Otherwise (e.g. whenever beta max a >= 0 or lse is not tiny) the result is within 2 eps
 * relative (measured <= 0.5 eps). lse may equal a (one value per row, written after the row is
 * read); any other overlap is NNM_EINVAL.
 * @return see the row statuses above.
 */
NNM_API nnm_status nnm_act_logsumexp_f64(size_t n, size_t k, double beta, const double *a,
                                         double *lse);
/** @brief Log-sum-exp, float (beta double): |lse - exact| <= 2 FLT_EPSILON |exact| +
 *  2^-8 DBL_EPSILON (|beta max a| + log k). Row policy and statuses as nnm_act_logsumexp_f64. */
NNM_API nnm_status nnm_act_logsumexp_f32(size_t n, size_t k, double beta, const float *a,
                                         float *lse);

/* ---- the affine pre-activation ------------------------------------------------------------ */

/**
 * @brief Affine map of a layer, a_n = W h_n + b for each of the n rows of h.
 *
 * h: n x d_in, W: d_out x d_in (row k is w_k), b: d_out values or NULL (no bias),
 * a: n x d_out, all row-major. Each a_nk = w_k . h_n + b_k is accumulated with a compensated
 * dot product (TwoProduct by fma + Neumaier summation), as accurate as evaluating in twice the
 * working precision and rounding once:
 * |a - exact| <= eps/2 |exact| + gamma_{d_in+1}^2 (sum_i |w_ki h_ni| + |b_k|), gamma_m = m eps/2 /
 * (1 - m eps/2). Infinities and NaN follow IEEE arithmetic (inf - inf = NaN).
 * a must not overlap h, W or b (NNM_EINVAL).
 * @return NNM_OK; NNM_EINVAL if h, W or a is NULL while n > 0, or a overlaps an input;
 *         NNM_ESIZE if d_in or d_out is 0 or an array's element count overflows.
 */
NNM_API nnm_status nnm_act_affine_f64(size_t n, size_t d_in, size_t d_out, const double *h,
                                      const double *W, const double *b,
                                      double *NNM_RESTRICT a);
/**
 * @brief Affine map, float: a_n = W h_n + b. Products of floats are exact in double and are
 * summed in double, then rounded once: |a - exact| <= u |exact| + (1 + u) gamma_{d_in+1}
 * (sum_i |w_ki h_ni| + |b_k|) with u = FLT_EPSILON/2 and gamma_m = m (DBL_EPSILON/2) /
 * (1 - m DBL_EPSILON/2): correctly rounded floats unless the dot product cancels by more than
 * ~2^29. Statuses and aliasing as nnm_act_affine_f64.
 */
NNM_API nnm_status nnm_act_affine_f32(size_t n, size_t d_in, size_t d_out, const float *h,
                                      const float *W, const float *b, float *NNM_RESTRICT a);

#ifdef __cplusplus
}
#endif

#endif /* NNMATH_ACTIVATION_H */
