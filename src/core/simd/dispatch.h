/*
 * Dispatch entries of the vector kernels (the pattern is documented in core/cpu.h). Each entry
 * has the argument list of the scalar kernel it replaces, takes arguments the public function has
 * already validated, and returns 1 when a vector kernel for the cached ISA did the whole job, 0
 * when the caller must run its scalar reference (no vector kernel for this ISA, or inputs the
 * kernel does not cover; it then has written nothing).
 *
 *     if (!nnm__simd_sigmoid_f32(n, x, y)) nnm__act_sigmoid_kernel_f32(n, x, y);
 *
 * nnm__simd_table_* expose the per-ISA function pointers (NULL where no vector kernel exists) to
 * the white-box tests and the benchmarks.
 */
#ifndef NNMATH_SIMD_DISPATCH_H
#define NNMATH_SIMD_DISPATCH_H

#include <stddef.h>
#include <stdint.h>

#include "core/cpu.h"
#include "nnmath/loss.h"

/* The shortest rows worth a vector row kernel: the entries return 0 below these. A vector row
 * pays a fixed cost of 50 to 250 ns (the lane reductions, the compensated lane sums, a scalar
 * log1p or division at its end) that the scalar reference does not, so shorter rows run the
 * reference. Measured on Zen 3 with AVX2, 65536 f64 elements, ns per element vector / scalar:
 * softmax k = 1 99 / 18, k = 2 50 / 95; logsumexp k = 3 149 / 83, k = 4 50 / 83; softmax VJP k = 2 32 / 19, k = 4 7.2 / 11;
 * log-softmax VJP k = 24 10.9 / 9.9, k = 32 8.9 / 16; CE on logits (dense or labels) loss
 * k = 3 93 / 73 and 86 / 74, k = 4 54 / 77 and 47 / 71; their gradients k = 1 214 / 25 and
 * 108 / 37, k = 2 105 / 108 and 56 / 107; KL's NONE rows k = 1 257 / 182, k = 2 130 / 195. */
enum {
    NNM__MIN_K_SOFTMAX = 2, /* softmax and log-softmax */
    NNM__MIN_K_LSE = 4,
    NNM__MIN_K_VJP = 4,
    NNM__MIN_K_LSVJP = 32,
    NNM__MIN_K_CE_LOSS = 4, /* CE on logits, dense targets or labels, every reduction */
    NNM__MIN_K_CE_GRAD = 2,
    NNM__MIN_K_KL_ROWS = 2 /* KL under NONE (its SUM / MEAN total is elementwise) */
};

typedef void (*nnm__unary_f32_fn)(size_t n, const float *x, float *y);
typedef void (*nnm__unary_f64_fn)(size_t n, const double *x, double *y);
typedef void (*nnm__rows_f32_fn)(size_t n, size_t k, double beta, const float *a, float *y);
typedef void (*nnm__rows_f64_fn)(size_t n, size_t k, double beta, const double *a, double *y);
typedef void (*nnm__vjp_f32_fn)(size_t n, size_t k, double beta, const float *y, const float *dy,
                                float *da);
typedef void (*nnm__vjp_f64_fn)(size_t n, size_t k, double beta, const double *y,
                                const double *dy, double *da);
typedef int (*nnm__scan_f32_fn)(size_t m, const float *x);
typedef int (*nnm__scan_f64_fn)(size_t m, const double *x);
/* Loss totals: the compensated sum of the per-sample losses as hi + lo (m = n * k elements). */
typedef void (*nnm__total_f32_fn)(size_t m, const float *x, const float *t, double *hi, double *lo);
typedef void (*nnm__total_f64_fn)(size_t m, const double *x, const double *t, double *hi, double *lo);
typedef void (*nnm__labels_f32_fn)(size_t n, size_t k, const float *a, const int32_t *labels,
                                   double *hi, double *lo);
typedef void (*nnm__labels_f64_fn)(size_t n, size_t k, const double *a, const int32_t *labels,
                                   double *hi, double *lo);

#define NNM__SIMD_ENTRIES(X)                \
    X(sigmoid_f32, nnm__unary_f32_fn)       \
    X(sigmoid_f64, nnm__unary_f64_fn)       \
    X(tanh_f32, nnm__unary_f32_fn)          \
    X(softplus_f32, nnm__unary_f32_fn)      \
    X(softplus_f64, nnm__unary_f64_fn)      \
    X(log_sigmoid_f32, nnm__unary_f32_fn)   \
    X(log_sigmoid_f64, nnm__unary_f64_fn)   \
    X(softmax_f32, nnm__rows_f32_fn)        \
    X(log_softmax_f32, nnm__rows_f32_fn)    \
    X(logsumexp_f32, nnm__rows_f32_fn)      \
    X(softmax_f64, nnm__rows_f64_fn)        \
    X(log_softmax_f64, nnm__rows_f64_fn)    \
    X(logsumexp_f64, nnm__rows_f64_fn)      \
    X(l2_total_f32, nnm__total_f32_fn)      \
    X(l2_total_f64, nnm__total_f64_fn)      \
    X(bce_logits_total_f32, nnm__total_f32_fn) \
    X(bce_logits_total_f64, nnm__total_f64_fn) \
    X(ce_labels_total_f32, nnm__labels_f32_fn) \
    X(ce_labels_total_f64, nnm__labels_f64_fn) \
    X(softmax_vjp_f32, nnm__vjp_f32_fn)     \
    X(softmax_vjp_f64, nnm__vjp_f64_fn)     \
    X(all_finite_f32, nnm__scan_f32_fn)     \
    X(all_finite_f64, nnm__scan_f64_fn)     \
    X(all_unit_f32, nnm__scan_f32_fn)       \
    X(all_unit_f64, nnm__scan_f64_fn)

#define NNM__SIMD_DECLARE_TABLE(name, type) extern const type nnm__simd_table_##name[NNM__ISA_COUNT];
NNM__SIMD_ENTRIES(NNM__SIMD_DECLARE_TABLE)
#undef NNM__SIMD_DECLARE_TABLE

int nnm__simd_sigmoid_f32(size_t n, const float *x, float *y);
int nnm__simd_sigmoid_f64(size_t n, const double *x, double *y);
int nnm__simd_tanh_f32(size_t n, const float *x, float *y);
int nnm__simd_tanh_f64(size_t n, const double *x, double *y);
int nnm__simd_softplus_f32(size_t n, const float *x, float *y);
int nnm__simd_softplus_f64(size_t n, const double *x, double *y);
int nnm__simd_log_sigmoid_f32(size_t n, const float *x, float *y);
int nnm__simd_log_sigmoid_f64(size_t n, const double *x, double *y);
int nnm__simd_softmax_f32(size_t n, size_t k, double beta, const float *a, float *y);
int nnm__simd_log_softmax_f32(size_t n, size_t k, double beta, const float *a, float *y);
int nnm__simd_logsumexp_f32(size_t n, size_t k, double beta, const float *a, float *lse);
int nnm__simd_softmax_f64(size_t n, size_t k, double beta, const double *a, double *y);
int nnm__simd_log_softmax_f64(size_t n, size_t k, double beta, const double *a, double *y);
int nnm__simd_logsumexp_f64(size_t n, size_t k, double beta, const double *a, double *lse);
int nnm__simd_softmax_vjp_f32(size_t n, size_t k, double beta, const float *y, const float *dy,
                              float *da);
int nnm__simd_softmax_vjp_f64(size_t n, size_t k, double beta, const double *y, const double *dy,
                              double *da);

/* Domain scans for the loss module's validation: 1 when all m elements are finite (resp. in
 * [0, 1]; NaN fails), 0 when one is not, -1 when no vector kernel ran (the caller scans). */
int nnm__simd_check_finite_f32(size_t m, const float *x);
int nnm__simd_check_finite_f64(size_t m, const double *x);
int nnm__simd_check_unit_f32(size_t m, const float *x);
int nnm__simd_check_unit_f64(size_t m, const double *x);

/* Losses: the vector kernels cover SUM and MEAN without options (opts NULL or all zero except the
 * reduction: no class/pos weights, no label smoothing, no ignored label) and n > 0; anything else
 * returns 0 for the module's reference. Arguments validated by the module (finite targets in
 * [0,1] for BCE, labels in [0,k)). */
int nnm__simd_loss_l2_f32(size_t n, size_t k, const float *y, const float *t,
                          const nnm_loss_opts *opts, float *out);
int nnm__simd_loss_l2_f64(size_t n, size_t k, const double *y, const double *t,
                          const nnm_loss_opts *opts, double *out);
int nnm__simd_loss_bce_logits_f32(size_t n, size_t k, const float *a, const float *t,
                                  const nnm_loss_opts *opts, float *out);
int nnm__simd_loss_bce_logits_f64(size_t n, size_t k, const double *a, const double *t,
                                  const nnm_loss_opts *opts, double *out);
int nnm__simd_loss_ce_logits_labels_f32(size_t n, size_t k, const float *a, const int32_t *labels,
                                        const nnm_loss_opts *opts, float *out);
int nnm__simd_loss_ce_logits_labels_f64(size_t n, size_t k, const double *a,
                                        const int32_t *labels, const nnm_loss_opts *opts,
                                        double *out);

/* ---- kernels_more.inc: the log-softmax VJP, tanh f64, the cheap activations, the loss
 * gradients (the entries follow the same pattern; 0 means "run the scalar reference"). */
typedef void (*nnm__unary_a_f32_fn)(size_t n, double alpha, const float *x, float *y);
typedef void (*nnm__unary_a_f64_fn)(size_t n, double alpha, const double *x, double *y);
typedef void (*nnm__grad_t_f32_fn)(size_t m, const float *x, const float *t, double den, float *d);
typedef void (*nnm__grad_t_f64_fn)(size_t m, const double *x, const double *t, double den,
                                   double *d);
typedef void (*nnm__grad_lab_f32_fn)(size_t n, size_t k, const float *a, const int32_t *labels,
                                     double den, float *d);
typedef void (*nnm__grad_lab_f64_fn)(size_t n, size_t k, const double *a, const int32_t *labels,
                                     double den, double *d);
/* f'(x) (dy NULL) or f'(x) dy; alpha is leaky relu's slope (unused by the other kinds) */
typedef void (*nnm__dact_f32_fn)(size_t n, double alpha, const float *x, const float *dy,
                                 float *out);
typedef void (*nnm__dact_f64_fn)(size_t n, double alpha, const double *x, const double *dy,
                                 double *out);

#define NNM__SIMD_MORE_ENTRIES(X)                  \
    X(tanh_f64, nnm__unary_f64_fn)                 \
    X(identity_f32, nnm__unary_f32_fn)             \
    X(identity_f64, nnm__unary_f64_fn)             \
    X(step_f32, nnm__unary_f32_fn)                 \
    X(step_f64, nnm__unary_f64_fn)                 \
    X(relu_f32, nnm__unary_f32_fn)                 \
    X(relu_f64, nnm__unary_f64_fn)                 \
    X(selu_f32, nnm__unary_f32_fn)                 \
    X(selu_f64, nnm__unary_f64_fn)                 \
    X(silu_f32, nnm__unary_f32_fn)                 \
    X(silu_f64, nnm__unary_f64_fn)                 \
    X(leaky_relu_f32, nnm__unary_a_f32_fn)         \
    X(leaky_relu_f64, nnm__unary_a_f64_fn)         \
    X(elu_f32, nnm__unary_a_f32_fn)                \
    X(elu_f64, nnm__unary_a_f64_fn)                \
    X(log_softmax_vjp_f32, nnm__vjp_f32_fn)        \
    X(log_softmax_vjp_f64, nnm__vjp_f64_fn)        \
    X(l2_grad_f32, nnm__grad_t_f32_fn)             \
    X(l2_grad_f64, nnm__grad_t_f64_fn)             \
    X(bce_logits_grad_f32, nnm__grad_t_f32_fn)     \
    X(bce_logits_grad_f64, nnm__grad_t_f64_fn)     \
    X(ce_labels_grad_f32, nnm__grad_lab_f32_fn)    \
    X(ce_labels_grad_f64, nnm__grad_lab_f64_fn)    \
    X(drelu_f32, nnm__dact_f32_fn)                 \
    X(drelu_f64, nnm__dact_f64_fn)                 \
    X(dleaky_f32, nnm__dact_f32_fn)                \
    X(dleaky_f64, nnm__dact_f64_fn)                \
    X(dsigmoid_f32, nnm__dact_f32_fn)              \
    X(dsigmoid_f64, nnm__dact_f64_fn)              \
    X(dtanh_f32, nnm__dact_f32_fn)                 \
    X(dtanh_f64, nnm__dact_f64_fn)

#define NNM__SIMD_DECLARE_TABLE(name, type) extern const type nnm__simd_table_##name[NNM__ISA_COUNT];
NNM__SIMD_MORE_ENTRIES(NNM__SIMD_DECLARE_TABLE)
#undef NNM__SIMD_DECLARE_TABLE

int nnm__simd_identity_f32(size_t n, const float *x, float *y);
int nnm__simd_identity_f64(size_t n, const double *x, double *y);
int nnm__simd_step_f32(size_t n, const float *x, float *y);
int nnm__simd_step_f64(size_t n, const double *x, double *y);
int nnm__simd_relu_f32(size_t n, const float *x, float *y);
int nnm__simd_relu_f64(size_t n, const double *x, double *y);
int nnm__simd_selu_f32(size_t n, const float *x, float *y);
int nnm__simd_selu_f64(size_t n, const double *x, double *y);
int nnm__simd_silu_f32(size_t n, const float *x, float *y);
int nnm__simd_silu_f64(size_t n, const double *x, double *y);
int nnm__simd_leaky_relu_f32(size_t n, double alpha, const float *x, float *y);
int nnm__simd_leaky_relu_f64(size_t n, double alpha, const double *x, double *y);
int nnm__simd_elu_f32(size_t n, double alpha, const float *x, float *y);
int nnm__simd_elu_f64(size_t n, double alpha, const double *x, double *y);
int nnm__simd_log_softmax_vjp_f32(size_t n, size_t k, double beta, const float *logp,
                                  const float *dlogp, float *da);
int nnm__simd_log_softmax_vjp_f64(size_t n, size_t k, double beta, const double *logp,
                                  const double *dlogp, double *da);
/* Loss gradients: SUM, MEAN and NONE without options (opts NULL or all zero except the
 * reduction) and n > 0; anything else returns 0 for the module's reference. Arguments validated
 * by the module (finite targets in [0,1] for BCE, labels in [0,k)). */
int nnm__simd_grad_l2_f32(size_t n, size_t k, const float *y, const float *t,
                          const nnm_loss_opts *opts, float *dy);
int nnm__simd_grad_l2_f64(size_t n, size_t k, const double *y, const double *t,
                          const nnm_loss_opts *opts, double *dy);
int nnm__simd_grad_bce_logits_f32(size_t n, size_t k, const float *a, const float *t,
                                  const nnm_loss_opts *opts, float *da);
int nnm__simd_grad_bce_logits_f64(size_t n, size_t k, const double *a, const double *t,
                                  const nnm_loss_opts *opts, double *da);
int nnm__simd_grad_ce_logits_labels_f32(size_t n, size_t k, const float *a,
                                        const int32_t *labels, const nnm_loss_opts *opts,
                                        float *da);
int nnm__simd_grad_ce_logits_labels_f64(size_t n, size_t k, const double *a,
                                        const int32_t *labels, const nnm_loss_opts *opts,
                                        double *da);
/* Derivatives and VJPs of the activations (nnm_grad_act_*, nnm_grad_act_vjp_*): kind is an
 * nnm_act_kind; the kernels cover RELU, LEAKY_RELU, SIGMOID and TANH (0 for the others). */
int nnm__simd_grad_act_f32(int kind, double alpha, size_t n, const float *x, const float *dy,
                           float *out);
int nnm__simd_grad_act_f64(int kind, double alpha, size_t n, const double *x, const double *dy,
                           double *out);

/* ---- kernels_loss.inc: regression losses and gradients without options ------
 * kind: NNM__SIMD_REG_L2 / _L1 / _HUBER; delta: Huber's resolved threshold (> 0). */
#define NNM__SIMD_REG_L2 0
#define NNM__SIMD_REG_L1 1
#define NNM__SIMD_REG_HUBER 2
typedef void (*nnm__ls_total_f32_fn)(size_t m, double delta, const float *y, const float *t,
                                     double *hi, double *lo);
typedef void (*nnm__ls_total_f64_fn)(size_t m, double delta, const double *y, const double *t,
                                     double *hi, double *lo);
typedef void (*nnm__ls_rows_f32_fn)(size_t n, size_t k, double delta, const float *y,
                                    const float *t, float *out);
typedef void (*nnm__ls_rows_f64_fn)(size_t n, size_t k, double delta, const double *y,
                                    const double *t, double *out);
typedef void (*nnm__ls_grad_f32_fn)(size_t m, double delta, const float *y, const float *t,
                                    double den, float *out);
typedef void (*nnm__ls_grad_f64_fn)(size_t m, double delta, const double *y, const double *t,
                                    double den, double *out);
typedef void (*nnm__ls_nll_rows_f32_fn)(size_t n, size_t k, const float *logp,
                                        const int32_t *labels, float *out);
typedef void (*nnm__ls_nll_rows_f64_fn)(size_t n, size_t k, const double *logp,
                                        const int32_t *labels, double *out);

/* Per-sample losses of two-array forms without delta: BCE with logits */
typedef void (*nnm__ls_rows2_f32_fn)(size_t n, size_t k, const float *a, const float *t,
                                     float *out);
typedef void (*nnm__ls_rows2_f64_fn)(size_t n, size_t k, const double *a, const double *t,
                                     double *out);

typedef void (*nnm__ls_nll_grad_f32_fn)(size_t n, size_t k, const float *logp,
                                        const int32_t *labels, double g, float *out);
typedef void (*nnm__ls_nll_grad_f64_fn)(size_t n, size_t k, const double *logp,
                                        const int32_t *labels, double g, double *out);

#define NNM__SIMD_LOSS_ENTRIES(X)                  \
    X(ls_l1_total_f32, nnm__ls_total_f32_fn)       \
    X(ls_l1_total_f64, nnm__ls_total_f64_fn)       \
    X(ls_huber_total_f32, nnm__ls_total_f32_fn)    \
    X(ls_huber_total_f64, nnm__ls_total_f64_fn)    \
    X(ls_l2_rows_f32, nnm__ls_rows_f32_fn)         \
    X(ls_l2_rows_f64, nnm__ls_rows_f64_fn)         \
    X(ls_l1_rows_f32, nnm__ls_rows_f32_fn)         \
    X(ls_l1_rows_f64, nnm__ls_rows_f64_fn)         \
    X(ls_huber_rows_f32, nnm__ls_rows_f32_fn)      \
    X(ls_huber_rows_f64, nnm__ls_rows_f64_fn)      \
    X(ls_l1_grad_f32, nnm__ls_grad_f32_fn)         \
    X(ls_l1_grad_f64, nnm__ls_grad_f64_fn)         \
    X(ls_huber_grad_f32, nnm__ls_grad_f32_fn)      \
    X(ls_huber_grad_f64, nnm__ls_grad_f64_fn)      \
    X(ls_nll_total_f32, nnm__labels_f32_fn)        \
    X(ls_nll_total_f64, nnm__labels_f64_fn)        \
    X(ls_nll_rows_f32, nnm__ls_nll_rows_f32_fn)    \
    X(ls_nll_rows_f64, nnm__ls_nll_rows_f64_fn)    \
    X(ls_bcel_rows_f32, nnm__ls_rows2_f32_fn)      \
    X(ls_bcel_rows_f64, nnm__ls_rows2_f64_fn)      \
    X(ls_cel_rows_f32, nnm__ls_nll_rows_f32_fn)    \
    X(ls_cel_rows_f64, nnm__ls_nll_rows_f64_fn)    \
    X(ls_nll_grad_f32, nnm__ls_nll_grad_f32_fn)    \
    X(ls_nll_grad_f64, nnm__ls_nll_grad_f64_fn)

#define NNM__SIMD_DECLARE_TABLE(name, type) extern const type nnm__simd_table_##name[NNM__ISA_COUNT];
NNM__SIMD_LOSS_ENTRIES(NNM__SIMD_DECLARE_TABLE)
#undef NNM__SIMD_DECLARE_TABLE

/* Regression losses: l1 / Huber SUM and MEAN, and NONE for l2 / l1 / Huber (opts NULL or all zero
 * but the reduction, n > 0; 0 otherwise, and when a total is not finite: the module's scaled
 * reference decides). Targets validated finite by the module. */
int nnm__simd_loss_reg_f32(int kind, double delta, size_t n, size_t k, const float *y,
                           const float *t, const nnm_loss_opts *opts, float *out);
int nnm__simd_loss_reg_f64(int kind, double delta, size_t n, size_t k, const double *y,
                           const double *t, const nnm_loss_opts *opts, double *out);
/* Gradients of l1 / Huber (any reduction, no options, n > 0; 0 for l2 and anything else). */
int nnm__simd_grad_reg_f32(int kind, double delta, size_t n, size_t k, const float *y,
                           const float *t, const nnm_loss_opts *opts, float *dy);
int nnm__simd_grad_reg_f64(int kind, double delta, size_t n, size_t k, const double *y,
                           const double *t, const nnm_loss_opts *opts, double *dy);
/* NLL on log-probabilities: SUM / MEAN / NONE without options, n > 0 (0 otherwise, and when the
 * total is not finite). Labels validated in [0, k). */
int nnm__simd_loss_nll_labels_f32(size_t n, size_t k, const float *logp, const int32_t *labels,
                                  const nnm_loss_opts *opts, float *out);
int nnm__simd_loss_nll_labels_f64(size_t n, size_t k, const double *logp, const int32_t *labels,
                                  const nnm_loss_opts *opts, double *out);
/* NONE without options, n > 0, for BCE with logits (targets validated in
 * [0, 1]) and CE from logits with labels (labels validated in [0, k)); 0 for any other call
 * (SUM / MEAN go through nnm__simd_loss_bce_logits_* / nnm__simd_loss_ce_logits_labels_*). */
int nnm__simd_loss_bce_logits_none_f32(size_t n, size_t k, const float *a, const float *t,
                                       const nnm_loss_opts *opts, float *out);
int nnm__simd_loss_bce_logits_none_f64(size_t n, size_t k, const double *a, const double *t,
                                       const nnm_loss_opts *opts, double *out);
int nnm__simd_loss_ce_logits_labels_none_f32(size_t n, size_t k, const float *a,
                                             const int32_t *labels, const nnm_loss_opts *opts,
                                             float *out);
int nnm__simd_loss_ce_logits_labels_none_f64(size_t n, size_t k, const double *a,
                                             const int32_t *labels, const nnm_loss_opts *opts,
                                             double *out);
/* Gradient of NLL on log-probabilities without options (any reduction, n > 0;
 * 0 otherwise). Labels validated in [0, k). */
int nnm__simd_grad_nll_labels_f32(size_t n, size_t k, const float *logp, const int32_t *labels,
                                  const nnm_loss_opts *opts, float *dlogp);
int nnm__simd_grad_nll_labels_f64(size_t n, size_t k, const double *logp, const int32_t *labels,
                                  const nnm_loss_opts *opts, double *dlogp);

/* ---- kernels_prob.inc: BCE and CE on probabilities, CE on logits with dense
 * targets, KL divergence, without options (opts NULL or all zero but the reduction), n > 0;
 * every entry returns 0 (nothing written) otherwise. Data validated by the module (y, t in
 * [0, 1]). */
typedef void (*nnm__pr_rows_grad_f32_fn)(size_t n, size_t k, const float *a, const float *t,
                                         double den, float *d);
typedef void (*nnm__pr_rows_grad_f64_fn)(size_t n, size_t k, const double *a, const double *t,
                                         double den, double *d);
/* the SUM total (hi + lo) of n rows of k (CE on logits, dense targets) */
typedef void (*nnm__labels_pr_f32_fn)(size_t n, size_t k, const float *a, const float *t,
                                      double *hi, double *lo);
typedef void (*nnm__labels_pr_f64_fn)(size_t n, size_t k, const double *a, const double *t,
                                      double *hi, double *lo);
#define NNM__SIMD_PROB_ENTRIES(X)                  \
    X(pr_bce_grad_f32, nnm__grad_t_f32_fn)         \
    X(pr_bce_grad_f64, nnm__grad_t_f64_fn)         \
    X(pr_ce_grad_f32, nnm__grad_t_f32_fn)          \
    X(pr_ce_grad_f64, nnm__grad_t_f64_fn)          \
    X(pr_kl_grad_f32, nnm__grad_t_f32_fn)          \
    X(pr_kl_grad_f64, nnm__grad_t_f64_fn)          \
    X(pr_cel_grad_f32, nnm__pr_rows_grad_f32_fn)   \
    X(pr_cel_grad_f64, nnm__pr_rows_grad_f64_fn)   \
    X(pr_bce_total_f32, nnm__total_f32_fn)         \
    X(pr_bce_total_f64, nnm__total_f64_fn)         \
    X(pr_ce_total_f32, nnm__total_f32_fn)          \
    X(pr_ce_total_f64, nnm__total_f64_fn)          \
    X(pr_kl_total_f32, nnm__total_f32_fn)          \
    X(pr_kl_total_f64, nnm__total_f64_fn)          \
    X(pr_cel_total_f32, nnm__labels_pr_f32_fn)     \
    X(pr_cel_total_f64, nnm__labels_pr_f64_fn)     \
    X(pr_bce_rows_f32, nnm__ls_rows2_f32_fn)       \
    X(pr_bce_rows_f64, nnm__ls_rows2_f64_fn)       \
    X(pr_ce_rows_f32, nnm__ls_rows2_f32_fn)        \
    X(pr_ce_rows_f64, nnm__ls_rows2_f64_fn)        \
    X(pr_kl_rows_f32, nnm__ls_rows2_f32_fn)        \
    X(pr_kl_rows_f64, nnm__ls_rows2_f64_fn)        \
    X(pr_cel_rows_f32, nnm__ls_rows2_f32_fn)       \
    X(pr_cel_rows_f64, nnm__ls_rows2_f64_fn)

#define NNM__SIMD_DECLARE_TABLE(name, type) extern const type nnm__simd_table_##name[NNM__ISA_COUNT];
NNM__SIMD_PROB_ENTRIES(NNM__SIMD_DECLARE_TABLE)
#undef NNM__SIMD_DECLARE_TABLE

/* Gradients (any reduction): bce, ce (probabilities), kl_div (w.r.t. logq), ce_logits (dense). */
int nnm__simd_grad_bce_f32(size_t n, size_t k, const float *y, const float *t,
                           const nnm_loss_opts *opts, float *dy);
int nnm__simd_grad_bce_f64(size_t n, size_t k, const double *y, const double *t,
                           const nnm_loss_opts *opts, double *dy);
int nnm__simd_grad_ce_f32(size_t n, size_t k, const float *y, const float *t,
                          const nnm_loss_opts *opts, float *dy);
int nnm__simd_grad_ce_f64(size_t n, size_t k, const double *y, const double *t,
                          const nnm_loss_opts *opts, double *dy);
int nnm__simd_grad_kl_div_f32(size_t n, size_t k, const float *logq, const float *t,
                              const nnm_loss_opts *opts, float *dlogq);
int nnm__simd_grad_kl_div_f64(size_t n, size_t k, const double *logq, const double *t,
                              const nnm_loss_opts *opts, double *dlogq);
int nnm__simd_grad_ce_logits_f32(size_t n, size_t k, const float *a, const float *t,
                                 const nnm_loss_opts *opts, float *da);
int nnm__simd_grad_ce_logits_f64(size_t n, size_t k, const double *a, const double *t,
                                 const nnm_loss_opts *opts, double *da);
/* Forward losses, SUM / MEAN / NONE: 0 also when the SUM / MEAN total is not finite (the module's
 * scaled reference decides). */
int nnm__simd_loss_bce_f32(size_t n, size_t k, const float *y, const float *t,
                           const nnm_loss_opts *opts, float *out);
int nnm__simd_loss_bce_f64(size_t n, size_t k, const double *y, const double *t,
                           const nnm_loss_opts *opts, double *out);
int nnm__simd_loss_ce_f32(size_t n, size_t k, const float *y, const float *t,
                          const nnm_loss_opts *opts, float *out);
int nnm__simd_loss_ce_f64(size_t n, size_t k, const double *y, const double *t,
                          const nnm_loss_opts *opts, double *out);
int nnm__simd_loss_kl_div_f32(size_t n, size_t k, const float *logq, const float *t,
                              const nnm_loss_opts *opts, float *out);
int nnm__simd_loss_kl_div_f64(size_t n, size_t k, const double *logq, const double *t,
                              const nnm_loss_opts *opts, double *out);
int nnm__simd_loss_ce_logits_f32(size_t n, size_t k, const float *a, const float *t,
                                 const nnm_loss_opts *opts, float *out);
int nnm__simd_loss_ce_logits_f64(size_t n, size_t k, const double *a, const double *t,
                                 const nnm_loss_opts *opts, double *out);

/* ---- kernels_prob.inc with options: class_weight of bce, ce, ce_logits (dense targets) and
 * label smoothing of ce, ce_logits, any reduction. w: the k class weights or NULL (all 1); sm:
 * the smoothing constants or NULL (inactive). */
struct nnm__smoothing;
struct nnm__loss_cfg;
typedef void (*nnm__prw_total_f32_fn)(size_t n, size_t k, const float *x, const float *t,
                                      const double *w, const struct nnm__smoothing *sm,
                                      double *hi, double *lo);
typedef void (*nnm__prw_total_f64_fn)(size_t n, size_t k, const double *x, const double *t,
                                      const double *w, const struct nnm__smoothing *sm,
                                      double *hi, double *lo);
typedef void (*nnm__prw_rows_f32_fn)(size_t n, size_t k, const float *x, const float *t,
                                     const double *w, const struct nnm__smoothing *sm,
                                     float *out);
typedef void (*nnm__prw_rows_f64_fn)(size_t n, size_t k, const double *x, const double *t,
                                     const double *w, const struct nnm__smoothing *sm,
                                     double *out);
typedef void (*nnm__prw_grad_f32_fn)(size_t n, size_t k, const float *x, const float *t,
                                     const double *w, const struct nnm__smoothing *sm,
                                     double den, float *d);
typedef void (*nnm__prw_grad_f64_fn)(size_t n, size_t k, const double *x, const double *t,
                                     const double *w, const struct nnm__smoothing *sm,
                                     double den, double *d);
#define NNM__SIMD_PROBW_ENTRY3(base, X)                                                         \
    X(pr_##base##_total_f32, nnm__prw_total_f32_fn)                                             \
    X(pr_##base##_total_f64, nnm__prw_total_f64_fn)                                             \
    X(pr_##base##_rows_f32, nnm__prw_rows_f32_fn)                                               \
    X(pr_##base##_rows_f64, nnm__prw_rows_f64_fn)                                               \
    X(pr_##base##_grad_f32, nnm__prw_grad_f32_fn)                                               \
    X(pr_##base##_grad_f64, nnm__prw_grad_f64_fn)
#define NNM__SIMD_PROBW_ENTRIES(X)                                                              \
    NNM__SIMD_PROBW_ENTRY3(bcew, X) NNM__SIMD_PROBW_ENTRY3(cew, X) NNM__SIMD_PROBW_ENTRY3(celw, X)

#define NNM__SIMD_DECLARE_TABLE(name, type)                                                     \
    extern const type nnm__simd_table_##name[NNM__ISA_COUNT];
NNM__SIMD_PROBW_ENTRIES(NNM__SIMD_DECLARE_TABLE)
#undef NNM__SIMD_DECLARE_TABLE

/* The entries take the module's validated configuration and its smoothing constants (sm may be
 * NULL: no smoothing) and return 0 (nothing written) without options (no class weight, smoothing
 * inactive: the entries above cover that), for n == 0, without a kernel, when a SUM / MEAN total
 * is not finite (the reference's scaled total decides), and for the ce_logits gradient when the
 * class weights add up to more than 2^1000 (its coefficient sum must stay finite). den: 1 (SUM,
 * NONE) or n (MEAN). */
int nnm__simd_loss_bce_opts_f32(const struct nnm__loss_cfg *cfg,
    const struct nnm__smoothing *sm, size_t n, size_t k, const float *x, const float *t,
    float *out);
int nnm__simd_grad_bce_opts_f32(const struct nnm__loss_cfg *cfg,
    const struct nnm__smoothing *sm, double den, size_t n, size_t k, const float *x,
    const float *t, float *d);
int nnm__simd_loss_bce_opts_f64(const struct nnm__loss_cfg *cfg,
    const struct nnm__smoothing *sm, size_t n, size_t k, const double *x, const double *t,
    double *out);
int nnm__simd_grad_bce_opts_f64(const struct nnm__loss_cfg *cfg,
    const struct nnm__smoothing *sm, double den, size_t n, size_t k, const double *x,
    const double *t, double *d);
int nnm__simd_loss_ce_opts_f32(const struct nnm__loss_cfg *cfg,
    const struct nnm__smoothing *sm, size_t n, size_t k, const float *x, const float *t,
    float *out);
int nnm__simd_grad_ce_opts_f32(const struct nnm__loss_cfg *cfg,
    const struct nnm__smoothing *sm, double den, size_t n, size_t k, const float *x,
    const float *t, float *d);
int nnm__simd_loss_ce_opts_f64(const struct nnm__loss_cfg *cfg,
    const struct nnm__smoothing *sm, size_t n, size_t k, const double *x, const double *t,
    double *out);
int nnm__simd_grad_ce_opts_f64(const struct nnm__loss_cfg *cfg,
    const struct nnm__smoothing *sm, double den, size_t n, size_t k, const double *x,
    const double *t, double *d);
int nnm__simd_loss_ce_logits_opts_f32(const struct nnm__loss_cfg *cfg,
    const struct nnm__smoothing *sm, size_t n, size_t k, const float *x, const float *t,
    float *out);
int nnm__simd_grad_ce_logits_opts_f32(const struct nnm__loss_cfg *cfg,
    const struct nnm__smoothing *sm, double den, size_t n, size_t k, const float *x,
    const float *t, float *d);
int nnm__simd_loss_ce_logits_opts_f64(const struct nnm__loss_cfg *cfg,
    const struct nnm__smoothing *sm, size_t n, size_t k, const double *x, const double *t,
    double *out);
int nnm__simd_grad_ce_logits_opts_f64(const struct nnm__loss_cfg *cfg,
    const struct nnm__smoothing *sm, double den, size_t n, size_t k, const double *x,
    const double *t, double *d);

/* ---- kernels_deriv.inc: the other activation derivatives ------------------
 * f' / VJPs from x go through nnm__simd_grad_act_* above (more kinds); the VJPs from y and f''
 * have their own entries (kind: an nnm_act_kind; 0 for kinds without a vector kernel). */
#include "core/simd/kernels.h"
#define NNM__SIMD_DERIV_ENTRY2(base, X) X(base##_f32, nnm__dact_f32_fn) X(base##_f64, nnm__dact_f64_fn)
#define NNM__SIMD_DERIV_ENTRIES(X) NNM__SIMD_DERIV_LIST(NNM__SIMD_DERIV_ENTRY2, X)

#define NNM__SIMD_DECLARE_TABLE(name, type) extern const type nnm__simd_table_##name[NNM__ISA_COUNT];
NNM__SIMD_DERIV_ENTRIES(NNM__SIMD_DECLARE_TABLE)
#undef NNM__SIMD_DECLARE_TABLE

/* g(y) dy for a y the module has validated (nnm_grad_act_vjp_from_y_*) */
int nnm__simd_grad_act_from_y_f32(int kind, double alpha, size_t n, const float *y,
                                  const float *dy, float *out);
int nnm__simd_grad_act_from_y_f64(int kind, double alpha, size_t n, const double *y,
                                  const double *dy, double *out);
/* f''(x) (nnm_hess_act_*) */
int nnm__simd_hess_act_f32(int kind, double alpha, size_t n, const float *x, float *out);
int nnm__simd_hess_act_f64(int kind, double alpha, size_t n, const double *x, double *out);

/* ---- kernels_act3.inc: gelu (erf form), gelu_tanh, mish. Same pattern: 0 means
 * "run the scalar reference" (no vector kernel for this ISA or dtype). */
#define NNM__SIMD_ACT3_ENTRIES(X)          \
    X(gelu_f32, nnm__unary_f32_fn)         \
    X(gelu_f64, nnm__unary_f64_fn)         \
    X(gelu_tanh_f32, nnm__unary_f32_fn)    \
    X(gelu_tanh_f64, nnm__unary_f64_fn)    \
    X(mish_f32, nnm__unary_f32_fn)         \
    X(mish_f64, nnm__unary_f64_fn)         \
    X(dgelu_f32, nnm__dact_f32_fn)         \
    X(dgelu_tanh_f32, nnm__dact_f32_fn)    \
    X(dmish_f32, nnm__dact_f32_fn)         \
    X(hgelu_f32, nnm__dact_f32_fn)         \
    X(hgelu_tanh_f32, nnm__dact_f32_fn)    \
    X(hmish_f32, nnm__dact_f32_fn)         \
    X(hgelu_f64, nnm__dact_f64_fn)         \
    X(dgelu_f64, nnm__dact_f64_fn)         \
    X(dgelu_tanh_f64, nnm__dact_f64_fn)    \
    X(dmish_f64, nnm__dact_f64_fn)         \
    X(hgelu_tanh_f64, nnm__dact_f64_fn)    \
    X(hmish_f64, nnm__dact_f64_fn)

#define NNM__SIMD_DECLARE_TABLE(name, type) extern const type nnm__simd_table_##name[NNM__ISA_COUNT];
NNM__SIMD_ACT3_ENTRIES(NNM__SIMD_DECLARE_TABLE)
#undef NNM__SIMD_DECLARE_TABLE

int nnm__simd_gelu_f32(size_t n, const float *x, float *y);
int nnm__simd_gelu_f64(size_t n, const double *x, double *y);
int nnm__simd_gelu_tanh_f32(size_t n, const float *x, float *y);
int nnm__simd_gelu_tanh_f64(size_t n, const double *x, double *y);
int nnm__simd_mish_f32(size_t n, const float *x, float *y);
int nnm__simd_mish_f64(size_t n, const double *x, double *y);
/* f' and f' dy of gelu, gelu_tanh, mish reach nnm__simd_grad_act_*, f'' of the three
 * nnm__simd_hess_act_* (helpers "act3b", "act4": float and double data) */

/* ---- kernels_opts.inc: the loss options of CE from logits with labels and NLL
 * (class_weight, ignore_index, label smoothing), loss and gradient. The entries take the
 * module's validated configuration (core/loss_opts.h) and return 0 (nothing written) when no
 * vector kernel exists, n == 0, or (NLL totals) the vector total is not finite. */
/* The sample weights of a label form: w_i = 0 for an ignored label, class_weight[y_i] * scale,
 * or 1 without weights (core/loss_opts.h nnm__loss_sample_weight). */
typedef struct nnm__simd_lw {
    const double *class_weight;
    double scale;
    int32_t ignore_index;
    int use_ignore;
} nnm__simd_lw;
struct nnm__loss_cfg;
struct nnm__smoothing;
#define NNM__SIMD_OPTS_TYPES(SFX)                                                               \
    typedef void (*nnm__op_cel_rows_##SFX##_fn)(size_t, size_t, const nnm__op_##SFX##_t *,      \
                                                const int32_t *, const nnm__simd_lw *,          \
                                                const struct nnm__smoothing *, double *,        \
                                                double *);                                      \
    typedef void (*nnm__op_cel_grad_##SFX##_fn)(size_t, size_t, const nnm__op_##SFX##_t *,      \
                                                const int32_t *, const nnm__simd_lw *,          \
                                                const struct nnm__smoothing *, double,          \
                                                nnm__op_##SFX##_t *);                           \
    typedef void (*nnm__op_nll_total_##SFX##_fn)(size_t, size_t, const nnm__op_##SFX##_t *,     \
                                                 const int32_t *, const nnm__simd_lw *,         \
                                                 double *, double *);                           \
    typedef void (*nnm__op_nll_rows_##SFX##_fn)(size_t, size_t, const nnm__op_##SFX##_t *,      \
                                                const int32_t *, const nnm__simd_lw *,          \
                                                nnm__op_##SFX##_t *);                           \
    typedef void (*nnm__op_nll_grad_##SFX##_fn)(size_t, size_t, const nnm__op_##SFX##_t *,      \
                                                const int32_t *, const nnm__simd_lw *, double,  \
                                                nnm__op_##SFX##_t *);
NNM__SIMD_OPTS_TYPES(f32)
NNM__SIMD_OPTS_TYPES(f64)
#undef NNM__SIMD_OPTS_TYPES

#define NNM__SIMD_OPTS_ENTRIES(X)                          \
    X(op_cel_rows_f32, nnm__op_cel_rows_f32_fn)            \
    X(op_cel_rows_f64, nnm__op_cel_rows_f64_fn)            \
    X(op_cel_grad_f32, nnm__op_cel_grad_f32_fn)            \
    X(op_cel_grad_f64, nnm__op_cel_grad_f64_fn)            \
    X(op_nll_total_f32, nnm__op_nll_total_f32_fn)          \
    X(op_nll_total_f64, nnm__op_nll_total_f64_fn)          \
    X(op_nll_rows_f32, nnm__op_nll_rows_f32_fn)            \
    X(op_nll_rows_f64, nnm__op_nll_rows_f64_fn)            \
    X(op_nll_grad_f32, nnm__op_nll_grad_f32_fn)            \
    X(op_nll_grad_f64, nnm__op_nll_grad_f64_fn)

#define NNM__SIMD_DECLARE_TABLE(name, type) extern const type nnm__simd_table_##name[NNM__ISA_COUNT];
NNM__SIMD_OPTS_ENTRIES(NNM__SIMD_DECLARE_TABLE)
#undef NNM__SIMD_DECLARE_TABLE

/* CE from logits with labels: the per-sample losses l_i (before the weight w_i) of n rows as
 * hi + lo (0 for a row of weight 0, which is not read), for the module's own weighting and
 * reduction; sm: the call's smoothing constants. */
int nnm__simd_cel_opts_rows_f32(const struct nnm__loss_cfg *cfg, const struct nnm__smoothing *sm,
                                size_t n, size_t k, const float *a, const int32_t *labels,
                                double *lh, double *ll);
int nnm__simd_cel_opts_rows_f64(const struct nnm__loss_cfg *cfg, const struct nnm__smoothing *sm,
                                size_t n, size_t k, const double *a, const int32_t *labels,
                                double *lh, double *ll);
/* ... and its gradient, den = 1 (SUM, NONE) or the MEAN denominator (> 0). */
int nnm__simd_grad_cel_opts_f32(const struct nnm__loss_cfg *cfg, const struct nnm__smoothing *sm,
                                double den, size_t n, size_t k, const float *a,
                                const int32_t *labels, float *da);
int nnm__simd_grad_cel_opts_f64(const struct nnm__loss_cfg *cfg, const struct nnm__smoothing *sm,
                                double den, size_t n, size_t k, const double *a,
                                const int32_t *labels, double *da);
/* NLL: the weighted SUM sum_i w_i l_i as hl[0] + hl[1] (SUM / MEAN: the module finishes it; 0
 * when it is not finite or a product reaches 2^958), the NONE rows w_i l_i, the gradient. */
int nnm__simd_nll_opts_total_f32(const struct nnm__loss_cfg *cfg, size_t n, size_t k,
                                 const float *logp, const int32_t *labels, double *hl);
int nnm__simd_nll_opts_total_f64(const struct nnm__loss_cfg *cfg, size_t n, size_t k,
                                 const double *logp, const int32_t *labels, double *hl);
int nnm__simd_nll_opts_rows_f32(const struct nnm__loss_cfg *cfg, size_t n, size_t k,
                                const float *logp, const int32_t *labels, float *out);
int nnm__simd_nll_opts_rows_f64(const struct nnm__loss_cfg *cfg, size_t n, size_t k,
                                const double *logp, const int32_t *labels, double *out);
int nnm__simd_grad_nll_opts_f32(const struct nnm__loss_cfg *cfg, double den, size_t n, size_t k,
                                const float *logp, const int32_t *labels, float *dlogp);
int nnm__simd_grad_nll_opts_f64(const struct nnm__loss_cfg *cfg, double den, size_t n, size_t k,
                                const double *logp, const int32_t *labels, double *dlogp);

/* ---- kernels_opts.inc: BCE with logits with class_weight and / or pos_weight (cw, pw: k
 * doubles or NULL), any reduction, loss and gradient. */
struct nnm__loss_cfg;
#define NNM__SIMD_BCEW_TYPES(SFX)                                                               \
    typedef void (*nnm__op_bcew_total_##SFX##_fn)(size_t, size_t, const nnm__op_##SFX##_t *,    \
                                                  const nnm__op_##SFX##_t *, const double *,    \
                                                  const double *, double *, double *);          \
    typedef void (*nnm__op_bcew_rows_##SFX##_fn)(size_t, size_t, const nnm__op_##SFX##_t *,     \
                                                 const nnm__op_##SFX##_t *, const double *,     \
                                                 const double *, nnm__op_##SFX##_t *);          \
    typedef void (*nnm__op_bcew_grad_##SFX##_fn)(size_t, size_t, const nnm__op_##SFX##_t *,     \
                                                 const nnm__op_##SFX##_t *, const double *,     \
                                                 const double *, double, nnm__op_##SFX##_t *);
NNM__SIMD_BCEW_TYPES(f32)
NNM__SIMD_BCEW_TYPES(f64)
#undef NNM__SIMD_BCEW_TYPES
#define NNM__SIMD_BCEW_ENTRIES(X)                                                               \
    X(op_bcew_total_f32, nnm__op_bcew_total_f32_fn)                                             \
    X(op_bcew_total_f64, nnm__op_bcew_total_f64_fn)                                             \
    X(op_bcew_rows_f32, nnm__op_bcew_rows_f32_fn)                                               \
    X(op_bcew_rows_f64, nnm__op_bcew_rows_f64_fn)                                               \
    X(op_bcew_grad_f32, nnm__op_bcew_grad_f32_fn)                                               \
    X(op_bcew_grad_f64, nnm__op_bcew_grad_f64_fn)
#define NNM__SIMD_DECLARE_TABLE(name, type)                                                     \
    extern const type nnm__simd_table_##name[NNM__ISA_COUNT];
NNM__SIMD_BCEW_ENTRIES(NNM__SIMD_DECLARE_TABLE)
#undef NNM__SIMD_DECLARE_TABLE

/* The entries take the module's validated configuration and return 0 (nothing written) without
 * a class or pos weight (the entries above cover that), for n == 0, without a kernel, or when a
 * SUM / MEAN total is not finite (the reference's scaled total decides). SUM / MEAN are finished
 * as the module does (one rounding; MEAN over D = n); the gradient's MEAN divides by n. */
int nnm__simd_loss_bce_logits_opts_f32(const struct nnm__loss_cfg *cfg, size_t n, size_t k,
                                       const float *a, const float *t, float *out);
int nnm__simd_loss_bce_logits_opts_f64(const struct nnm__loss_cfg *cfg, size_t n, size_t k,
                                       const double *a, const double *t, double *out);
int nnm__simd_grad_bce_logits_opts_f32(const struct nnm__loss_cfg *cfg, size_t n, size_t k,
                                       const float *a, const float *t, float *da);
int nnm__simd_grad_bce_logits_opts_f64(const struct nnm__loss_cfg *cfg, size_t n, size_t k,
                                       const double *a, const double *t, double *da);

#endif /* NNMATH_SIMD_DISPATCH_H */
