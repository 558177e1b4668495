/**
 * @file loss.h
 * @brief Losses: per-sample losses over the rows of n x k outputs and targets, and their reductions.
 *
 * Every loss exists for float (_f32) and double (_f64); the options (weights included) are double
 * for both dtypes, and float losses accumulate in double.
 */
#ifndef NNMATH_LOSS_H
#define NNMATH_LOSS_H

#include <stddef.h>
#include <stdint.h>
#include <nnmath/export.h>
#include <nnmath/status.h>
#include <nnmath/activation.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief How per-sample losses l_n are reduced. Values are stable. */
typedef enum nnm_reduction {
    NNM_REDUCE_SUM = 0,   /**< sum_n w_n l_n: the textbook definitions (default) */
    NNM_REDUCE_MEAN = 1,  /**< the sum divided by the count of the loss's table (0 over nothing) */
    NNM_REDUCE_NONE = 2   /**< out[n] per sample */
} nnm_reduction;

/**
 * @brief Loss options. A zero-initialised struct (or opts == NULL) means the defaults;
 * options a loss does not use must stay zero (else NNM_EINVAL).
 */
typedef struct nnm_loss_opts {
    nnm_reduction reduction;    /**< SUM by default */
    const double *class_weight; /**< k weights >= 0, or NULL (CE, NLL, BCE per output column) */
    const double *pos_weight;   /**< k weights >= 0, or NULL (BCE with logits) */
    double label_smoothing;     /**< in [0,1]; CE forms: t' = (1-eps) t + eps/k */
    int32_t ignore_index;       /**< label forms, when use_ignore_index != 0: samples with this
                                     label count for nothing */
    int32_t use_ignore_index;   /**< 0: no label is ignored */
    double delta;               /**< Huber threshold; 0 means the default 1.0; < 0 or NaN: NNM_EINVAL */
} nnm_loss_opts;

/** Static initialiser of the defaults (equal to an all-zero struct). */
#define NNM_LOSS_OPTS_INIT { NNM_REDUCE_SUM, NULL, NULL, 0.0, 0, 0, 0.0 }

/* NNM-LOSS-API: the loss module's declarations follow. */

/*
 * Common contract of every loss below (see docs/loss.md for the math and docs/policy.md for the
 * rules shared by the library):
 *  - Arguments: (n, k, input, target or labels, opts, out); input, target and labels are n x k
 *    row-major (labels: n int32 class indices). opts == NULL or a zero-initialised nnm_loss_opts
 *    means SUM with no weights. out receives 1 value (SUM, MEAN; 0 for n = 0) or n values
 *    (NONE: out[i] = w_i l_i). out must not overlap the inputs.
 *  - Reduction: SUM = sum_i w_i l_i, MEAN = SUM / D with D = n (dense forms) or sum_i w_i
 *    (label forms; a MEAN over D = 0 is 0). w_i = 1 except for the label forms, where it is
 *    class_weight[label_i] (1 without weights) and 0 for an ignored sample.
 *  - Accuracy (every finite input): each per-sample loss l_i within 4 eps relative of the exact
 *    value (f64 eps = 2^-52, f32 eps = 2^-23; kl_div: see its block), the reduction adds at most
 *    2 eps (compensated summation in double; float inputs are widened to double, so an f32 SUM
 *    of any length is within 1 ULP of the exact sum of the exact f32 losses). A SUM or MEAN is
 *    +-inf only when its value is beyond the range: products w_i l_i and partial sums above
 *    2^960 are carried at an exact scale of 2^-1100, so finite terms of both signs never meet as
 *    inf - inf, and a finite MEAN of huge terms stays finite.
 *  - Statuses, all checked before the first write (a failing call writes nothing):
 *    NNM_EINVAL: input/target/labels NULL while n > 0, out NULL (unless NONE with n = 0), an
 *    unknown reduction, an option the loss does not use set to non-zero, label_smoothing outside
 *    [0,1], delta < 0 or NaN, ignore_index != 0 while use_ignore_index == 0;
 *    NNM_ESIZE: k == 0, n*k (or the k weights) beyond PTRDIFF_MAX bytes, k > INT32_MAX for the
 *    label forms; NNM_EDOM: a weight < 0, NaN or +inf, a label outside [0,k) that is not ignored,
 *    a target or probability outside [0,1] or NaN (regression targets: not finite).
 *  - A column of weight 0, an ignored sample and a sample of weight 0 contribute exactly 0 and
 *    their data is not read (nor checked), also where the term would be 0 * inf.
 *  - NaN in logits, outputs or log-probabilities gives NaN (for the row, hence the reduction).
 */

/**
 * @brief Half sum of squared errors (the l2-loss of the notes): l_i = 1/2 sum_k (y_ik - t_ik)^2.
 *
 * Options: reduction only (every other field must be zero). Targets must be finite (NNM_EDOM);
 * outputs y may be any value (+-inf give +inf, NaN gives NaN). MEAN divides by n, not n*k
 * (PyTorch's mse_loss mean is 2/k times this MEAN). Max error: per sample 4 eps (measured
 * 0.5 eps: every square is formed exactly), reduction 2 eps; f32 SUM within 1 ULP of the exact sum.
 * The difference is exact (TwoSum) and halved before squaring, so 1/2 d^2 <= DBL_MAX never
 * overflows in between.
 * @return NNM_OK, NNM_EINVAL, NNM_ESIZE, NNM_EDOM as in the common contract above.
 */
NNM_API nnm_status nnm_loss_l2_f64(size_t n, size_t k, const double *y, const double *t,
                                   const nnm_loss_opts *opts, double *NNM_RESTRICT out);
/**
 * @brief f32 half-SSE, l_i = 1/2 sum_k (y_ik - t_ik)^2, computed in double (see nnm_loss_l2_f64).
 *
 * The options are the same double-precision nnm_loss_opts. Max error: 4 eps (f32) per sample and
 * 1 ULP for SUM (correctly rounded up to ~2^-29). A result beyond FLT_MAX is +inf.
 * @return NNM_OK, NNM_EINVAL, NNM_ESIZE, NNM_EDOM as for nnm_loss_l2_f64.
 */
NNM_API nnm_status nnm_loss_l2_f32(size_t n, size_t k, const float *y, const float *t,
                                   const nnm_loss_opts *opts, float *NNM_RESTRICT out);

/**
 * @brief l1-loss: l_i = sum_k |y_ik - t_ik|.
 *
 * Options: reduction only. Targets must be finite (NNM_EDOM). Max error: 4 eps per sample
 * (measured 0.5 eps: |y - t| is exact), reduction 2 eps.
 * @return NNM_OK, NNM_EINVAL, NNM_ESIZE, NNM_EDOM as in the common contract above.
 */
NNM_API nnm_status nnm_loss_l1_f64(size_t n, size_t k, const double *y, const double *t,
                                   const nnm_loss_opts *opts, double *NNM_RESTRICT out);
/**
 * @brief f32 l1-loss, l_i = sum_k |y_ik - t_ik|, computed in double (see nnm_loss_l1_f64);
 * options are the double-precision nnm_loss_opts.
 * @return NNM_OK, NNM_EINVAL, NNM_ESIZE, NNM_EDOM as for nnm_loss_l1_f64.
 */
NNM_API nnm_status nnm_loss_l1_f32(size_t n, size_t k, const float *y, const float *t,
                                   const nnm_loss_opts *opts, float *NNM_RESTRICT out);

/**
 * @brief Huber loss: l_i = sum_k h(d), d = y - t, h(d) = 1/2 d^2 if |d| <= delta, else
 * delta (|d| - delta/2).
 *
 * Options: reduction and delta (0 = the default 1.0; +inf gives the l2-loss; delta < 0 or NaN is
 * NNM_EINVAL). Targets must be finite. Max error: 4 eps per sample (measured 0.5 eps), reduction
 * 2 eps. The linear branch cannot cancel (|d| - delta/2 >= |d|/2).
 * @return NNM_OK, NNM_EINVAL, NNM_ESIZE, NNM_EDOM as in the common contract above.
 */
NNM_API nnm_status nnm_loss_huber_f64(size_t n, size_t k, const double *y, const double *t,
                                      const nnm_loss_opts *opts, double *NNM_RESTRICT out);
/**
 * @brief f32 Huber loss (see nnm_loss_huber_f64), computed in double; options (delta, weights)
 * are the double-precision nnm_loss_opts.
 * @return NNM_OK, NNM_EINVAL, NNM_ESIZE, NNM_EDOM as for nnm_loss_huber_f64.
 */
NNM_API nnm_status nnm_loss_huber_f32(size_t n, size_t k, const float *y, const float *t,
                                      const nnm_loss_opts *opts, float *NNM_RESTRICT out);

/**
 * @brief Binary cross-entropy on probabilities:
 * l_i = -sum_k w_k [t_ik ln y_ik + (1 - t_ik) ln(1 - y_ik)].
 *
 * y and t must lie in [0,1] (NaN or outside: NNM_EDOM). Options: reduction, class_weight (one
 * weight per column k, inside l_i). 0 ln 0 = 0; -ln 0 = +inf is returned honestly (y = 0 with
 * t > 0, or y = 1 with t < 1), with no clamp at -100. ln(1 - y) is computed as log1p(-y).
 * Max error: 4 eps per sample (tiny losses of confident predictions included; measured 1.0 eps,
 * the error of log/log1p), reduction 2 eps.
 * @return NNM_OK, NNM_EINVAL, NNM_ESIZE, NNM_EDOM as in the common contract above.
 */
NNM_API nnm_status nnm_loss_bce_f64(size_t n, size_t k, const double *y, const double *t,
                                    const nnm_loss_opts *opts, double *NNM_RESTRICT out);
/**
 * @brief f32 binary cross-entropy on probabilities (see nnm_loss_bce_f64), computed in double;
 * the class weights are double (nnm_loss_opts).
 * @return NNM_OK, NNM_EINVAL, NNM_ESIZE, NNM_EDOM as for nnm_loss_bce_f64.
 */
NNM_API nnm_status nnm_loss_bce_f32(size_t n, size_t k, const float *y, const float *t,
                                    const nnm_loss_opts *opts, float *NNM_RESTRICT out);

/**
 * @brief Binary cross-entropy on logits with positive weights:
 * l_i = sum_k w_k [p_k t_ik softplus(-a_ik) + (1 - t_ik) softplus(a_ik)]
 * = -sum_k w_k [p_k t log sigmoid(a) + (1 - t) log(1 - sigmoid(a))].
 *
 * t must lie in [0,1] (NNM_EDOM). Options: reduction, class_weight w (per column), pos_weight p
 * (per column, on the t log sigmoid term). Both terms are >= 0, so the loss is finite and free of
 * cancellation for every finite logit (|a| up to DBL_MAX); a = +-inf gives the limits (0 or
 * +inf, never NaN: a term with coefficient 0 is 0); a NaN logit gives NaN. Max error: 4 eps per
 * sample (measured 0.8 eps), reduction 2 eps.
 * @return NNM_OK, NNM_EINVAL, NNM_ESIZE, NNM_EDOM as in the common contract above.
 */
NNM_API nnm_status nnm_loss_bce_logits_f64(size_t n, size_t k, const double *a, const double *t,
                                           const nnm_loss_opts *opts, double *NNM_RESTRICT out);
/**
 * @brief f32 binary cross-entropy on logits (see nnm_loss_bce_logits_f64), computed in double;
 * class_weight and pos_weight are double arrays (nnm_loss_opts).
 * @return NNM_OK, NNM_EINVAL, NNM_ESIZE, NNM_EDOM as for nnm_loss_bce_logits_f64.
 */
NNM_API nnm_status nnm_loss_bce_logits_f32(size_t n, size_t k, const float *a, const float *t,
                                           const nnm_loss_opts *opts, float *NNM_RESTRICT out);

/**
 * @brief Multiclass cross-entropy on probabilities (the notes' MCE):
 * l_i = -sum_k w_k t'_ik ln y_ik, t' = (1 - eps) t + eps/k.
 *
 * y and t must lie in [0,1] (NNM_EDOM); rows need not sum to 1 (they are not checked). Options:
 * reduction, class_weight (per class, inside l_i), label_smoothing eps. 0 ln 0 = 0 (t' = 0 skips
 * the class); y = 0 with t' > 0 gives +inf honestly. Max error: 4 eps per sample (measured
 * 0.9 eps; smoothed targets are formed exactly), reduction 2 eps.
 * @return NNM_OK, NNM_EINVAL, NNM_ESIZE, NNM_EDOM as in the common contract above.
 */
NNM_API nnm_status nnm_loss_ce_f64(size_t n, size_t k, const double *y, const double *t,
                                   const nnm_loss_opts *opts, double *NNM_RESTRICT out);
/**
 * @brief f32 cross-entropy on probabilities (see nnm_loss_ce_f64), computed in double; the class
 * weights are double (nnm_loss_opts).
 * @return NNM_OK, NNM_EINVAL, NNM_ESIZE, NNM_EDOM as for nnm_loss_ce_f64.
 */
NNM_API nnm_status nnm_loss_ce_f32(size_t n, size_t k, const float *y, const float *t,
                                   const nnm_loss_opts *opts, float *NNM_RESTRICT out);

/**
 * @brief Cross-entropy on logits with dense (1-hot or soft) targets:
 * l_i = -sum_k w_k t'_ik log softmax(a_i)_k, t' = (1 - eps) t + eps/k.
 *
 * t must lie in [0,1] (NNM_EDOM); soft targets need not sum to 1. Options: reduction,
 * class_weight (per class, inside l_i; MEAN still divides by n), label_smoothing. Computed as
 * sum_k c_k (m - a_k) + (sum_k c_k) log1p(s) with m = max a and s = sum_{k != argmax} e^(a_k - m):
 * no term is negative, so nothing cancels: CE([1e8, 1e8], t = (1,0)) = ln 2 to 4 eps, and the
 * tiny loss of a confident correct prediction keeps its relative accuracy. Rows with infinities
 * follow the softmax policy: -inf logits have probability 0 (+inf loss if their target is > 0),
 * c entries at +inf share probability 1/c, a row of -inf has every probability 0; NaN gives NaN.
 * Max error: 4 eps per sample (measured <= 1.05 eps), reduction 2 eps.
 * @return NNM_OK, NNM_EINVAL, NNM_ESIZE, NNM_EDOM as in the common contract above.
 */
NNM_API nnm_status nnm_loss_ce_logits_f64(size_t n, size_t k, const double *a, const double *t,
                                          const nnm_loss_opts *opts, double *NNM_RESTRICT out);
/**
 * @brief f32 cross-entropy on logits with dense targets (see nnm_loss_ce_logits_f64), computed
 * in double; the class weights are double (nnm_loss_opts).
 * @return NNM_OK, NNM_EINVAL, NNM_ESIZE, NNM_EDOM as for nnm_loss_ce_logits_f64.
 */
NNM_API nnm_status nnm_loss_ce_logits_f32(size_t n, size_t k, const float *a, const float *t,
                                          const nnm_loss_opts *opts, float *NNM_RESTRICT out);

/**
 * @brief Cross-entropy on logits with class indices:
 * l_i = (1 - eps)(-log p_i[y_i]) + (eps/k) sum_k (-log p_ik), p_i = softmax(a_i), weighted by
 * w_i = class_weight[y_i] as a whole.
 *
 * labels in [0,k) unless equal to ignore_index while use_ignore_index != 0 (else NNM_EDOM,
 * checked before any row is read); k > INT32_MAX is NNM_ESIZE. Options: reduction, class_weight,
 * label_smoothing, ignore_index/use_ignore_index. An ignored sample, or one whose class weight is
 * 0, has w_i = 0: out[i] = 0 under NONE, it is left out of MEAN's denominator sum_i w_i, and its
 * row is not read. The smoothing term is masked and weighted like the NLL term and shares its
 * denominator. (PyTorch 1.13 weights the smoothing term per class k instead, -sum_k w_k log p_ik;
 * the two agree without class weights; see docs/loss.md.) Never cancels (see
 * nnm_loss_ce_logits_f64): CE([1e8, 1e8], label 0) = ln 2. Max error: 4 eps per sample
 * (measured <= 1.0 eps), reduction 2 eps.
 * @return NNM_OK, NNM_EINVAL, NNM_ESIZE, NNM_EDOM as in the common contract above.
 */
NNM_API nnm_status nnm_loss_ce_logits_labels_f64(size_t n, size_t k, const double *a,
                                                 const int32_t *labels, const nnm_loss_opts *opts,
                                                 double *NNM_RESTRICT out);
/**
 * @brief f32 cross-entropy on logits with class indices (see nnm_loss_ce_logits_labels_f64),
 * computed in double; the class weights are double (nnm_loss_opts).
 * @return NNM_OK, NNM_EINVAL, NNM_ESIZE, NNM_EDOM as for nnm_loss_ce_logits_labels_f64.
 */
NNM_API nnm_status nnm_loss_ce_logits_labels_f32(size_t n, size_t k, const float *a,
                                                 const int32_t *labels, const nnm_loss_opts *opts,
                                                 float *NNM_RESTRICT out);

/**
 * @brief Negative log-likelihood on log-probabilities: l_i = -logp[i][y_i], weighted by
 * w_i = class_weight[y_i].
 *
 * logp is not checked (any value; -inf gives +inf, NaN gives NaN). Labels as for
 * nnm_loss_ce_logits_labels_f64 (ignore_index, NNM_EDOM, k > INT32_MAX is NNM_ESIZE). Options:
 * reduction, class_weight, ignore_index/use_ignore_index (label_smoothing must be 0). MEAN divides
 * by sum_i w_i. Exact per sample; out[i] = w_i l_i rounds once; reduction 2 eps.
 * @return NNM_OK, NNM_EINVAL, NNM_ESIZE, NNM_EDOM as in the common contract above.
 */
NNM_API nnm_status nnm_loss_nll_labels_f64(size_t n, size_t k, const double *logp,
                                           const int32_t *labels, const nnm_loss_opts *opts,
                                           double *NNM_RESTRICT out);
/**
 * @brief f32 negative log-likelihood (see nnm_loss_nll_labels_f64); the class weights are double
 * (nnm_loss_opts) and the reduction is accumulated in double.
 * @return NNM_OK, NNM_EINVAL, NNM_ESIZE, NNM_EDOM as for nnm_loss_nll_labels_f64.
 */
NNM_API nnm_status nnm_loss_nll_labels_f32(size_t n, size_t k, const float *logp,
                                           const int32_t *labels, const nnm_loss_opts *opts,
                                           float *NNM_RESTRICT out);

/**
 * @brief Kullback-Leibler divergence from log-probabilities:
 * l_i = sum_k t_ik (ln t_ik - logq_ik), with 0 ln 0 = 0 (a t = 0 term is 0 for every logq but NaN).
 *
 * t must lie in [0,1] (NNM_EDOM); logq is not checked (logq = -inf with t > 0 gives +inf, NaN
 * gives NaN). Options: reduction only. The terms have both signs and cancel when q ~ t; ln t is
 * evaluated in double-double and every term kept exact, so the per-sample error is at most
 * 4 eps |l_i| + 2^-98 M_i with M_i = sum_k t_ik (|ln t_ik| + |logq_ik|): 4 eps relative whenever
 * |l_i| >= 2^-45 M_i (with a double ln t, the error would be ~eps M_i, so a divergence of 1e-8 M_i
 * would already lose half its digits). Reduction 2 eps (of sum_i |l_i|).
 * @return NNM_OK, NNM_EINVAL, NNM_ESIZE, NNM_EDOM as in the common contract above.
 */
NNM_API nnm_status nnm_loss_kl_div_f64(size_t n, size_t k, const double *logq, const double *t,
                                       const nnm_loss_opts *opts, double *NNM_RESTRICT out);
/**
 * @brief f32 KL divergence (see nnm_loss_kl_div_f64), computed in double(-double); options are
 * the double-precision nnm_loss_opts.
 * @return NNM_OK, NNM_EINVAL, NNM_ESIZE, NNM_EDOM as for nnm_loss_kl_div_f64.
 */
NNM_API nnm_status nnm_loss_kl_div_f32(size_t n, size_t k, const float *logq, const float *t,
                                       const nnm_loss_opts *opts, float *NNM_RESTRICT out);

#ifdef __cplusplus
}
#endif

#endif /* NNMATH_LOSS_H */
