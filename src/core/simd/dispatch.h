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

typedef void (*nnm__unary_f32_fn)(size_t n, const float *x, float *y);
typedef void (*nnm__unary_f64_fn)(size_t n, const double *x, double *y);
typedef void (*nnm__rows_f32_fn)(size_t n, size_t k, double beta, const float *a, float *y);
typedef void (*nnm__rows_f64_fn)(size_t n, size_t k, double beta, const double *a, double *y);

#define NNM__SIMD_ENTRIES(X)                \
    X(sigmoid_f32, nnm__unary_f32_fn)       \
    X(sigmoid_f64, nnm__unary_f64_fn)       \
    X(tanh_f32, nnm__unary_f32_fn)          \
    X(softmax_f32, nnm__rows_f32_fn)        \
    X(log_softmax_f32, nnm__rows_f32_fn)    \
    X(logsumexp_f32, nnm__rows_f32_fn)      \
    X(softmax_f64, nnm__rows_f64_fn)        \
    X(log_softmax_f64, nnm__rows_f64_fn)    \
    X(logsumexp_f64, nnm__rows_f64_fn)

#define NNM__SIMD_DECLARE_TABLE(name, type) extern const type nnm__simd_table_##name[NNM__ISA_COUNT];
NNM__SIMD_ENTRIES(NNM__SIMD_DECLARE_TABLE)
#undef NNM__SIMD_DECLARE_TABLE

int nnm__simd_sigmoid_f32(size_t n, const float *x, float *y);
int nnm__simd_sigmoid_f64(size_t n, const double *x, double *y);
int nnm__simd_tanh_f32(size_t n, const float *x, float *y);
int nnm__simd_softmax_f32(size_t n, size_t k, double beta, const float *a, float *y);
int nnm__simd_log_softmax_f32(size_t n, size_t k, double beta, const float *a, float *y);
int nnm__simd_logsumexp_f32(size_t n, size_t k, double beta, const float *a, float *lse);
int nnm__simd_softmax_f64(size_t n, size_t k, double beta, const double *a, double *y);
int nnm__simd_log_softmax_f64(size_t n, size_t k, double beta, const double *a, double *y);
int nnm__simd_logsumexp_f64(size_t n, size_t k, double beta, const double *a, double *lse);

#endif /* NNMATH_SIMD_DISPATCH_H */
