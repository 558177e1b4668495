/*
 * Scalar reference kernels of the activation module (internal). Each public function validates
 * its arguments and then runs one of these over [0, n); a later SIMD issue adds vector kernels
 * beside them (same signature) and dispatches. Kernels never allocate and never fail.
 * Elementwise kernels allow y == x. Row kernels take validated sizes (k >= 1, n*k fits).
 */
#ifndef NNMATH_ACTIVATION_KERNELS_H
#define NNMATH_ACTIVATION_KERNELS_H

#include <stddef.h>

/* ---- elementwise, double ---- */
void nnm__act_identity_kernel_f64(size_t n, const double *x, double *y);
void nnm__act_step_kernel_f64(size_t n, const double *x, double *y);
void nnm__act_sigmoid_kernel_f64(size_t n, const double *x, double *y);
void nnm__act_tanh_kernel_f64(size_t n, const double *x, double *y);
void nnm__act_relu_kernel_f64(size_t n, const double *x, double *y);
void nnm__act_leaky_relu_kernel_f64(size_t n, double alpha, const double *x, double *y);
void nnm__act_elu_kernel_f64(size_t n, double alpha, const double *x, double *y);
void nnm__act_selu_kernel_f64(size_t n, const double *x, double *y);
void nnm__act_softplus_kernel_f64(size_t n, const double *x, double *y);
void nnm__act_log_sigmoid_kernel_f64(size_t n, const double *x, double *y);
void nnm__act_silu_kernel_f64(size_t n, const double *x, double *y);
void nnm__act_gelu_kernel_f64(size_t n, const double *x, double *y);
void nnm__act_gelu_tanh_kernel_f64(size_t n, const double *x, double *y);
void nnm__act_mish_kernel_f64(size_t n, const double *x, double *y);

/* ---- elementwise, float (computed in extended/double precision, rounded once) ---- */
void nnm__act_identity_kernel_f32(size_t n, const float *x, float *y);
void nnm__act_step_kernel_f32(size_t n, const float *x, float *y);
void nnm__act_sigmoid_kernel_f32(size_t n, const float *x, float *y);
void nnm__act_tanh_kernel_f32(size_t n, const float *x, float *y);
void nnm__act_relu_kernel_f32(size_t n, const float *x, float *y);
void nnm__act_leaky_relu_kernel_f32(size_t n, double alpha, const float *x, float *y);
void nnm__act_elu_kernel_f32(size_t n, double alpha, const float *x, float *y);
void nnm__act_selu_kernel_f32(size_t n, const float *x, float *y);
void nnm__act_softplus_kernel_f32(size_t n, const float *x, float *y);
void nnm__act_log_sigmoid_kernel_f32(size_t n, const float *x, float *y);
void nnm__act_silu_kernel_f32(size_t n, const float *x, float *y);
void nnm__act_gelu_kernel_f32(size_t n, const float *x, float *y);
void nnm__act_gelu_tanh_kernel_f32(size_t n, const float *x, float *y);
void nnm__act_mish_kernel_f32(size_t n, const float *x, float *y);

/* ---- rows of the softmax family (n rows of k >= 1 logits; y == a allowed) ---- */
void nnm__act_softmax_kernel_f64(size_t n, size_t k, double beta, const double *a, double *y);
void nnm__act_log_softmax_kernel_f64(size_t n, size_t k, double beta, const double *a, double *y);
void nnm__act_logsumexp_kernel_f64(size_t n, size_t k, double beta, const double *a, double *lse);
void nnm__act_softmax_kernel_f32(size_t n, size_t k, double beta, const float *a, float *y);
void nnm__act_log_softmax_kernel_f32(size_t n, size_t k, double beta, const float *a, float *y);
void nnm__act_logsumexp_kernel_f32(size_t n, size_t k, double beta, const float *a, float *lse);

/* ---- affine pre-activation a_n = W h_n + b (b may be NULL; a overlaps nothing) ---- */
void nnm__act_affine_kernel_f64(size_t n, size_t d_in, size_t d_out, const double *h,
                                const double *W, const double *b, double *a);
void nnm__act_affine_kernel_f32(size_t n, size_t d_in, size_t d_out, const float *h,
                                const float *W, const float *b, float *a);

#endif /* NNMATH_ACTIVATION_KERNELS_H */
