/*
 * Prototypes of the vector kernels, one set per ISA (suffix _avx2, _avx512), generated from one
 * list so the two sets cannot drift apart. Kernels take validated arguments (the module's public
 * function checked everything), never fail, never allocate, and allow the same aliasing as their
 * public function. The dispatch tables in dispatch.c pick among them; nothing else calls them
 * except the white-box tests and the benchmarks.
 */
#ifndef NNMATH_SIMD_KERNELS_H
#define NNMATH_SIMD_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#define NNM__SIMD_KERNEL_PROTOTYPES(isa)                                                       \
    void nnm__sigmoid_f32_##isa(size_t n, const float *x, float *y);                           \
    void nnm__sigmoid_f64_##isa(size_t n, const double *x, double *y);                         \
    void nnm__tanh_f32_##isa(size_t n, const float *x, float *y);                              \
    void nnm__softplus_f32_##isa(size_t n, const float *x, float *y);                          \
    void nnm__softplus_f64_##isa(size_t n, const double *x, double *y);                        \
    void nnm__log_sigmoid_f32_##isa(size_t n, const float *x, float *y);                       \
    void nnm__log_sigmoid_f64_##isa(size_t n, const double *x, double *y);                     \
    void nnm__softmax_f32_##isa(size_t n, size_t k, double beta, const float *a, float *y);    \
    void nnm__log_softmax_f32_##isa(size_t n, size_t k, double beta, const float *a, float *y); \
    void nnm__logsumexp_f32_##isa(size_t n, size_t k, double beta, const float *a, float *lse); \
    void nnm__softmax_f64_##isa(size_t n, size_t k, double beta, const double *a, double *y);  \
    void nnm__log_softmax_f64_##isa(size_t n, size_t k, double beta, const double *a,          \
                                    double *y);                                                \
    void nnm__logsumexp_f64_##isa(size_t n, size_t k, double beta, const double *a, double *lse); \
    void nnm__l2_total_f32_##isa(size_t m, const float *y, const float *t, double *hi, double *lo); \
    void nnm__l2_total_f64_##isa(size_t m, const double *y, const double *t, double *hi,         \
                                 double *lo);                                                  \
    void nnm__bce_logits_total_f32_##isa(size_t m, const float *a, const float *t, double *hi,   \
                                         double *lo);                                          \
    void nnm__bce_logits_total_f64_##isa(size_t m, const double *a, const double *t, double *hi, \
                                         double *lo);                                          \
    void nnm__ce_labels_total_f32_##isa(size_t n, size_t k, const float *a,                     \
                                        const int32_t *labels, double *hi, double *lo);         \
    void nnm__ce_labels_total_f64_##isa(size_t n, size_t k, const double *a,                    \
                                        const int32_t *labels, double *hi, double *lo);         \
    void nnm__softmax_vjp_f32_##isa(size_t n, size_t k, double beta, const float *y,             \
                                    const float *dy, float *da);                                \
    void nnm__softmax_vjp_f64_##isa(size_t n, size_t k, double beta, const double *y,            \
                                    const double *dy, double *da);                              \
    int nnm__all_finite_f32_##isa(size_t m, const float *x);                                    \
    int nnm__all_finite_f64_##isa(size_t m, const double *x);                                   \
    int nnm__all_unit_f32_##isa(size_t m, const float *x);                                      \
    int nnm__all_unit_f64_##isa(size_t m, const double *x);

NNM__SIMD_KERNEL_PROTOTYPES(avx2)
NNM__SIMD_KERNEL_PROTOTYPES(avx512)

/* The kernels of kernels_more.inc (the log-softmax VJP, tanh f64, the cheap activations, the loss
 * gradients without options, the derivatives / VJPs of relu, leaky relu, sigmoid, tanh). The loss
 * gradients take den = 1 (SUM, NONE) or n (MEAN); the derivative kernels f' (dy NULL) or f' dy. */
#define NNM__SIMD_MORE_PROTOTYPES(isa)                                                          \
    void nnm__tanh_f64_##isa(size_t n, const double *x, double *y);                             \
    void nnm__identity_f32_##isa(size_t n, const float *x, float *y);                           \
    void nnm__identity_f64_##isa(size_t n, const double *x, double *y);                         \
    void nnm__step_f32_##isa(size_t n, const float *x, float *y);                               \
    void nnm__step_f64_##isa(size_t n, const double *x, double *y);                             \
    void nnm__relu_f32_##isa(size_t n, const float *x, float *y);                               \
    void nnm__relu_f64_##isa(size_t n, const double *x, double *y);                             \
    void nnm__selu_f32_##isa(size_t n, const float *x, float *y);                               \
    void nnm__selu_f64_##isa(size_t n, const double *x, double *y);                             \
    void nnm__silu_f32_##isa(size_t n, const float *x, float *y);                               \
    void nnm__silu_f64_##isa(size_t n, const double *x, double *y);                             \
    void nnm__leaky_relu_f32_##isa(size_t n, double alpha, const float *x, float *y);           \
    void nnm__leaky_relu_f64_##isa(size_t n, double alpha, const double *x, double *y);         \
    void nnm__elu_f32_##isa(size_t n, double alpha, const float *x, float *y);                  \
    void nnm__elu_f64_##isa(size_t n, double alpha, const double *x, double *y);                \
    void nnm__log_softmax_vjp_f32_##isa(size_t n, size_t k, double beta, const float *logp,     \
                                        const float *dlogp, float *da);                         \
    void nnm__log_softmax_vjp_f64_##isa(size_t n, size_t k, double beta, const double *logp,    \
                                        const double *dlogp, double *da);                       \
    void nnm__l2_grad_f32_##isa(size_t m, const float *y, const float *t, double den,           \
                                float *dy);                                                     \
    void nnm__l2_grad_f64_##isa(size_t m, const double *y, const double *t, double den,         \
                                double *dy);                                                    \
    void nnm__bce_logits_grad_f32_##isa(size_t m, const float *a, const float *t, double den,   \
                                        float *da);                                             \
    void nnm__bce_logits_grad_f64_##isa(size_t m, const double *a, const double *t, double den, \
                                        double *da);                                            \
    void nnm__ce_labels_grad_f32_##isa(size_t n, size_t k, const float *a,                      \
                                       const int32_t *labels, double den, float *da);           \
    void nnm__ce_labels_grad_f64_##isa(size_t n, size_t k, const double *a,                     \
                                       const int32_t *labels, double den, double *da);      \
    void nnm__drelu_f32_##isa(size_t n, double alpha, const float *x, const float *dy,         \
                              float *out);                                                      \
    void nnm__drelu_f64_##isa(size_t n, double alpha, const double *x, const double *dy,       \
                              double *out);                                                     \
    void nnm__dleaky_f32_##isa(size_t n, double alpha, const float *x, const float *dy,        \
                               float *out);                                                     \
    void nnm__dleaky_f64_##isa(size_t n, double alpha, const double *x, const double *dy,      \
                               double *out);                                                    \
    void nnm__dsigmoid_f32_##isa(size_t n, double alpha, const float *x, const float *dy,      \
                                 float *out);                                                   \
    void nnm__dsigmoid_f64_##isa(size_t n, double alpha, const double *x, const double *dy,    \
                                 double *out);                                                  \
    void nnm__dtanh_f32_##isa(size_t n, double alpha, const float *x, const float *dy,         \
                              float *out);                                                      \
    void nnm__dtanh_f64_##isa(size_t n, double alpha, const double *x, const double *dy,       \
                              double *out);

NNM__SIMD_MORE_PROTOTYPES(avx2)
NNM__SIMD_MORE_PROTOTYPES(avx512)

/* The kernels of kernels_loss.inc: SUM / MEAN totals of l1 and Huber (hi + lo of
 * the m = n k terms), NONE per-sample losses of l2, l1, Huber (n rows of k), the l1 / Huber
 * gradients (den = 1 for SUM / NONE, n for MEAN), NLL total / NONE. delta is Huber's (ignored
 * by the others). */
#define NNM__SIMD_LOSS_PROTOTYPES(isa)                                                          \
    void nnm__ls_l1_total_f32_##isa(size_t m, double delta, const float *y, const float *t,     \
                                    double *hi, double *lo);                                    \
    void nnm__ls_l1_total_f64_##isa(size_t m, double delta, const double *y, const double *t,   \
                                    double *hi, double *lo);                                    \
    void nnm__ls_huber_total_f32_##isa(size_t m, double delta, const float *y, const float *t,  \
                                       double *hi, double *lo);                                 \
    void nnm__ls_huber_total_f64_##isa(size_t m, double delta, const double *y,                 \
                                       const double *t, double *hi, double *lo);                \
    void nnm__ls_l2_rows_f32_##isa(size_t n, size_t k, double delta, const float *y,            \
                                   const float *t, float *out);                                 \
    void nnm__ls_l2_rows_f64_##isa(size_t n, size_t k, double delta, const double *y,           \
                                   const double *t, double *out);                               \
    void nnm__ls_l1_rows_f32_##isa(size_t n, size_t k, double delta, const float *y,            \
                                   const float *t, float *out);                                 \
    void nnm__ls_l1_rows_f64_##isa(size_t n, size_t k, double delta, const double *y,           \
                                   const double *t, double *out);                               \
    void nnm__ls_huber_rows_f32_##isa(size_t n, size_t k, double delta, const float *y,         \
                                      const float *t, float *out);                              \
    void nnm__ls_huber_rows_f64_##isa(size_t n, size_t k, double delta, const double *y,        \
                                      const double *t, double *out);                            \
    void nnm__ls_l1_grad_f32_##isa(size_t m, double delta, const float *y, const float *t,      \
                                   double den, float *out);                                     \
    void nnm__ls_l1_grad_f64_##isa(size_t m, double delta, const double *y, const double *t,    \
                                   double den, double *out);                                    \
    void nnm__ls_huber_grad_f32_##isa(size_t m, double delta, const float *y, const float *t,   \
                                      double den, float *out);                                  \
    void nnm__ls_huber_grad_f64_##isa(size_t m, double delta, const double *y, const double *t, \
                                      double den, double *out);                                 \
    void nnm__ls_nll_total_f32_##isa(size_t n, size_t k, const float *logp,                     \
                                     const int32_t *labels, double *hi, double *lo);            \
    void nnm__ls_nll_total_f64_##isa(size_t n, size_t k, const double *logp,                    \
                                     const int32_t *labels, double *hi, double *lo);            \
    void nnm__ls_nll_rows_f32_##isa(size_t n, size_t k, const float *logp,                      \
                                    const int32_t *labels, float *out);                         \
    void nnm__ls_nll_rows_f64_##isa(size_t n, size_t k, const double *logp,                     \
                                    const int32_t *labels, double *out);                        \
    void nnm__ls_bcel_rows_f32_##isa(size_t n, size_t k, const float *a, const float *t,        \
                                     float *out);                                               \
    void nnm__ls_bcel_rows_f64_##isa(size_t n, size_t k, const double *a, const double *t,      \
                                     double *out);                                              \
    void nnm__ls_cel_rows_f32_##isa(size_t n, size_t k, const float *a, const int32_t *labels,  \
                                    float *out);                                                \
    void nnm__ls_cel_rows_f64_##isa(size_t n, size_t k, const double *a,                        \
                                    const int32_t *labels, double *out);                        \
    void nnm__ls_nll_grad_f32_##isa(size_t n, size_t k, const float *logp,                      \
                                    const int32_t *labels, double g, float *out);               \
    void nnm__ls_nll_grad_f64_##isa(size_t n, size_t k, const double *logp,                     \
                                    const int32_t *labels, double g, double *out);

NNM__SIMD_LOSS_PROTOTYPES(avx2)
NNM__SIMD_LOSS_PROTOTYPES(avx512)

/* The kernels of kernels_prob.inc: BCE and CE on probabilities, CE on logits with
 * dense targets, KL divergence, without options. Gradients: m = n k elements (elementwise) or n
 * rows of k (ce_logits), den = 1 (SUM, NONE) or n (MEAN). Forward: the SUM total as hi + lo
 * (_total), the NONE per-sample losses (_rows). */
#define NNM__SIMD_PROB_PROTOTYPES(isa)                                                             \
    void nnm__pr_bce_grad_f32_##isa(size_t m, const float *y, const float *t, double den, float *out); \
    void nnm__pr_bce_grad_f64_##isa(size_t m, const double *y, const double *t, double den, double *out); \
    void nnm__pr_ce_grad_f32_##isa(size_t m, const float *y, const float *t, double den, float *out); \
    void nnm__pr_ce_grad_f64_##isa(size_t m, const double *y, const double *t, double den, double *out); \
    void nnm__pr_kl_grad_f32_##isa(size_t m, const float *logq, const float *t, double den, float *out); \
    void nnm__pr_kl_grad_f64_##isa(size_t m, const double *logq, const double *t, double den, double *out); \
    void nnm__pr_cel_grad_f32_##isa(size_t n, size_t k, const float *a, const float *t, double den, float *out); \
    void nnm__pr_cel_grad_f64_##isa(size_t n, size_t k, const double *a, const double *t, double den, double *out); \
    void nnm__pr_bce_total_f32_##isa(size_t m, const float *y, const float *t, double *hi, double *lo); \
    void nnm__pr_bce_total_f64_##isa(size_t m, const double *y, const double *t, double *hi, double *lo); \
    void nnm__pr_ce_total_f32_##isa(size_t m, const float *y, const float *t, double *hi, double *lo); \
    void nnm__pr_ce_total_f64_##isa(size_t m, const double *y, const double *t, double *hi, double *lo); \
    void nnm__pr_kl_total_f32_##isa(size_t m, const float *logq, const float *t, double *hi, double *lo); \
    void nnm__pr_kl_total_f64_##isa(size_t m, const double *logq, const double *t, double *hi, double *lo); \
    void nnm__pr_cel_total_f32_##isa(size_t n, size_t k, const float *a, const float *t, double *hi, double *lo); \
    void nnm__pr_cel_total_f64_##isa(size_t n, size_t k, const double *a, const double *t, double *hi, double *lo); \
    void nnm__pr_bce_rows_f32_##isa(size_t n, size_t k, const float *y, const float *t, float *out); \
    void nnm__pr_bce_rows_f64_##isa(size_t n, size_t k, const double *y, const double *t, double *out); \
    void nnm__pr_ce_rows_f32_##isa(size_t n, size_t k, const float *y, const float *t, float *out); \
    void nnm__pr_ce_rows_f64_##isa(size_t n, size_t k, const double *y, const double *t, double *out); \
    void nnm__pr_kl_rows_f32_##isa(size_t n, size_t k, const float *logq, const float *t, float *out); \
    void nnm__pr_kl_rows_f64_##isa(size_t n, size_t k, const double *logq, const double *t, double *out); \
    void nnm__pr_cel_rows_f32_##isa(size_t n, size_t k, const float *a, const float *t, float *out); \
    void nnm__pr_cel_rows_f64_##isa(size_t n, size_t k, const double *a, const double *t, double *out);

NNM__SIMD_PROB_PROTOTYPES(avx2)
NNM__SIMD_PROB_PROTOTYPES(avx512)

/* kernels_prob.inc with options: class_weight (w: k doubles, NULL: all 1) of BCE, CE and CE on
 * logits with dense targets, label smoothing (sm: the constants, NULL: inactive) of CE and CE on
 * logits; n rows of k, the forms above otherwise. */
struct nnm__smoothing;
#define NNM__SIMD_PROBW_PROTO1(name, SFX, isa)                                                  \
    void nnm__pr_##name##_total_##SFX##_##isa(size_t n, size_t k, const nnm__op_##SFX##_t *x,  \
                                              const nnm__op_##SFX##_t *t, const double *w,     \
                                              const struct nnm__smoothing *sm, double *hi,     \
                                              double *lo);                                     \
    void nnm__pr_##name##_rows_##SFX##_##isa(size_t n, size_t k, const nnm__op_##SFX##_t *x,   \
                                             const nnm__op_##SFX##_t *t, const double *w,      \
                                             const struct nnm__smoothing *sm,                  \
                                             nnm__op_##SFX##_t *out);                          \
    void nnm__pr_##name##_grad_##SFX##_##isa(size_t n, size_t k, const nnm__op_##SFX##_t *x,   \
                                             const nnm__op_##SFX##_t *t, const double *w,      \
                                             const struct nnm__smoothing *sm, double den,      \
                                             nnm__op_##SFX##_t *out);
#define NNM__SIMD_PROBW_PROTOTYPES(isa)                                                         \
    NNM__SIMD_PROBW_PROTO1(bcew, f32, isa) NNM__SIMD_PROBW_PROTO1(bcew, f64, isa)               \
    NNM__SIMD_PROBW_PROTO1(cew, f32, isa) NNM__SIMD_PROBW_PROTO1(cew, f64, isa)                 \
    NNM__SIMD_PROBW_PROTO1(celw, f32, isa) NNM__SIMD_PROBW_PROTO1(celw, f64, isa)

/* The kernels of kernels_deriv.inc: f'(x) (dy NULL) or f'(x) dy of identity,
 * step, elu, selu, softplus, log-sigmoid, silu (dv_d*); g(y) dy from the forward output of
 * sigmoid, tanh, elu, selu, softplus, log-sigmoid (dv_y*); f''(x) (dy NULL) of the piecewise
 * linear kinds, sigmoid, tanh, silu, elu, selu, softplus, log-sigmoid (dv_h*). All take the
 * nnm__dact_*_fn arguments (alpha: elu's, ignored by the others). */
#define NNM__SIMD_DERIV_LIST(X, isa)                                                           \
    X(dv_didentity, isa) X(dv_dstep, isa) X(dv_delu, isa) X(dv_dselu, isa)                     \
    X(dv_dsoftplus, isa) X(dv_dlogsig, isa) X(dv_dsilu, isa)                                   \
    X(dv_ysigmoid, isa) X(dv_ytanh, isa) X(dv_yelu, isa) X(dv_yselu, isa)                      \
    X(dv_ysoftplus, isa) X(dv_ylogsig, isa)                                                    \
    X(dv_hzero, isa) X(dv_hsigmoid, isa) X(dv_htanh, isa) X(dv_hsilu, isa) X(dv_helu, isa)     \
    X(dv_hselu, isa) X(dv_hsoftplus, isa) X(dv_hlogsig, isa)
#define NNM__SIMD_DERIV_PROTO1(base, isa)                                                      \
    void nnm__##base##_f32_##isa(size_t n, double alpha, const float *x, const float *dy,      \
                                 float *out);                                                  \
    void nnm__##base##_f64_##isa(size_t n, double alpha, const double *x, const double *dy,    \
                                 double *out);
#define NNM__SIMD_DERIV_PROTOTYPES(isa) NNM__SIMD_DERIV_LIST(NNM__SIMD_DERIV_PROTO1, isa)

NNM__SIMD_DERIV_PROTOTYPES(avx2)
NNM__SIMD_DERIV_PROTOTYPES(avx512)

/* The kernels of kernels_act3.inc: gelu (erf form), gelu_tanh and mish. */
#define NNM__SIMD_ACT3_PROTOTYPES(isa)                                                          \
    void nnm__gelu_f32_##isa(size_t n, const float *x, float *y);                               \
    void nnm__gelu_f64_##isa(size_t n, const double *x, double *y);                             \
    void nnm__gelu_tanh_f32_##isa(size_t n, const float *x, float *y);                          \
    void nnm__gelu_tanh_f64_##isa(size_t n, const double *x, double *y);                        \
    void nnm__mish_f32_##isa(size_t n, const float *x, float *y);                               \
    void nnm__mish_f64_##isa(size_t n, const double *x, double *y);                             \
    void nnm__dgelu_f32_##isa(size_t n, double alpha, const float *x, const float *dy,          \
                              float *out);                                                      \
    void nnm__dgelu_tanh_f32_##isa(size_t n, double alpha, const float *x, const float *dy,     \
                                   float *out);                                                 \
    void nnm__dmish_f32_##isa(size_t n, double alpha, const float *x, const float *dy,          \
                              float *out);                                                      \
    void nnm__hgelu_f32_##isa(size_t n, double alpha, const float *x, const float *dy,          \
                              float *out);                                                      \
    void nnm__hgelu_tanh_f32_##isa(size_t n, double alpha, const float *x, const float *dy,     \
                                   float *out);                                                 \
    void nnm__hmish_f32_##isa(size_t n, double alpha, const float *x, const float *dy,          \
                              float *out);                                                      \
    void nnm__hgelu_f64_##isa(size_t n, double alpha, const double *x, const double *dy,        \
                              double *out);                                                     \
    void nnm__dgelu_f64_##isa(size_t n, double alpha, const double *x, const double *dy,        \
                              double *out);                                                     \
    void nnm__dgelu_tanh_f64_##isa(size_t n, double alpha, const double *x, const double *dy,   \
                                   double *out);                                                \
    void nnm__dmish_f64_##isa(size_t n, double alpha, const double *x, const double *dy,        \
                              double *out);                                                     \
    void nnm__hgelu_tanh_f64_##isa(size_t n, double alpha, const double *x, const double *dy,   \
                                   double *out);                                                \
    void nnm__hmish_f64_##isa(size_t n, double alpha, const double *x, const double *dy,        \
                              double *out);

NNM__SIMD_ACT3_PROTOTYPES(avx2)
NNM__SIMD_ACT3_PROTOTYPES(avx512)

/* The kernels of kernels_opts.inc: CE from logits with labels and NLL with
 * class weights / ignore_index / label smoothing (the sample weights described by an
 * nnm__simd_lw, dispatch.h; the smoothing constants by core/loss_terms.h's nnm__smoothing). */
struct nnm__simd_lw;
struct nnm__smoothing;
typedef float nnm__op_f32_t; /* the element types by suffix (for the prototype macros) */
typedef double nnm__op_f64_t;
#define NNM__SIMD_OPTS_PROTO1(SFX, isa)                                                         \
    void nnm__op_cel_rows_##SFX##_##isa(size_t n, size_t k, const nnm__op_##SFX##_t *a,         \
                                        const int32_t *labels, const struct nnm__simd_lw *lw,   \
                                        const struct nnm__smoothing *sm, double *lh,            \
                                        double *ll);                                            \
    void nnm__op_cel_grad_##SFX##_##isa(size_t n, size_t k, const nnm__op_##SFX##_t *a,         \
                                        const int32_t *labels, const struct nnm__simd_lw *lw,   \
                                        const struct nnm__smoothing *sm, double den,            \
                                        nnm__op_##SFX##_t *da);                                 \
    void nnm__op_nll_total_##SFX##_##isa(size_t n, size_t k, const nnm__op_##SFX##_t *logp,    \
                                         const int32_t *labels, const struct nnm__simd_lw *lw,  \
                                         double *hi, double *lo);                               \
    void nnm__op_nll_rows_##SFX##_##isa(size_t n, size_t k, const nnm__op_##SFX##_t *logp,     \
                                        const int32_t *labels, const struct nnm__simd_lw *lw,   \
                                        nnm__op_##SFX##_t *out);                                \
    void nnm__op_nll_grad_##SFX##_##isa(size_t n, size_t k, const nnm__op_##SFX##_t *logp,     \
                                        const int32_t *labels, const struct nnm__simd_lw *lw,   \
                                        double den, nnm__op_##SFX##_t *out);
#define NNM__SIMD_OPTS_PROTOTYPES(isa) NNM__SIMD_OPTS_PROTO1(f32, isa) NNM__SIMD_OPTS_PROTO1(f64, isa)

NNM__SIMD_OPTS_PROTOTYPES(avx2)
NNM__SIMD_OPTS_PROTOTYPES(avx512)
NNM__SIMD_PROBW_PROTOTYPES(avx2) /* kernels_prob.inc with options (needs nnm__op_*_t) */
NNM__SIMD_PROBW_PROTOTYPES(avx512)

/* kernels_opts.inc: BCE with logits with class_weight cw and / or pos_weight pw (k doubles each,
 * NULL: all 1): the SUM total of the n k terms as hi + lo, the NONE rows, the gradient (den = 1,
 * or n for MEAN). */
#define NNM__SIMD_BCEW_PROTO1(SFX, isa)                                                         \
    void nnm__op_bcew_total_##SFX##_##isa(size_t n, size_t k, const nnm__op_##SFX##_t *a,       \
                                          const nnm__op_##SFX##_t *t, const double *cw,         \
                                          const double *pw, double *hi, double *lo);            \
    void nnm__op_bcew_rows_##SFX##_##isa(size_t n, size_t k, const nnm__op_##SFX##_t *a,        \
                                         const nnm__op_##SFX##_t *t, const double *cw,          \
                                         const double *pw, nnm__op_##SFX##_t *out);             \
    void nnm__op_bcew_grad_##SFX##_##isa(size_t n, size_t k, const nnm__op_##SFX##_t *a,        \
                                         const nnm__op_##SFX##_t *t, const double *cw,          \
                                         const double *pw, double den, nnm__op_##SFX##_t *out);
#define NNM__SIMD_BCEW_PROTOTYPES(isa)                                                          \
    NNM__SIMD_BCEW_PROTO1(f32, isa) NNM__SIMD_BCEW_PROTO1(f64, isa)
NNM__SIMD_BCEW_PROTOTYPES(avx2)
NNM__SIMD_BCEW_PROTOTYPES(avx512)

#endif /* NNMATH_SIMD_KERNELS_H */
