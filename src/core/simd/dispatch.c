/*
 * Dispatch tables and entries (see core/cpu.h for the pattern). Compiled without vector flags:
 * it only reads the cached ISA and calls through a pointer. With NNMATH_ENABLE_SIMD=OFF (or on a
 * target without the kernels) every slot is NULL and every entry returns 0.
 */
#include "core/simd/dispatch.h"
#include "core/simd/kernels.h"

#ifndef NNM_HAVE_AVX2
#define NNM_HAVE_AVX2 0
#endif
#ifndef NNM_HAVE_AVX512
#define NNM_HAVE_AVX512 0
#endif

#if NNM_HAVE_AVX2
#define NNM__AVX2_SLOT(name) nnm__##name##_avx2
#else
#define NNM__AVX2_SLOT(name) NULL
#endif
/* An AVX-512 machine without a dedicated kernel runs the AVX2 one (cpu.c only reports AVX-512
 * when AVX2 is there too). */
#if NNM_HAVE_AVX512
#define NNM__AVX512_SLOT(name) nnm__##name##_avx512
#else
#define NNM__AVX512_SLOT(name) NNM__AVX2_SLOT(name)
#endif

#define NNM__SIMD_DEFINE_TABLE(name, type) \
    const type nnm__simd_table_##name[NNM__ISA_COUNT] = {NULL, NNM__AVX2_SLOT(name), NNM__AVX512_SLOT(name)};
NNM__SIMD_ENTRIES(NNM__SIMD_DEFINE_TABLE)

int nnm__simd_sigmoid_f32(size_t n, const float *x, float *y)
{
    nnm__unary_f32_fn f = nnm__simd_table_sigmoid_f32[nnm__cpu_isa()];
    if (f == NULL) return 0;
    f(n, x, y);
    return 1;
}

int nnm__simd_sigmoid_f64(size_t n, const double *x, double *y)
{
    nnm__unary_f64_fn f = nnm__simd_table_sigmoid_f64[nnm__cpu_isa()];
    if (f == NULL) return 0;
    f(n, x, y);
    return 1;
}

int nnm__simd_tanh_f32(size_t n, const float *x, float *y)
{
    nnm__unary_f32_fn f = nnm__simd_table_tanh_f32[nnm__cpu_isa()];
    if (f == NULL) return 0;
    f(n, x, y);
    return 1;
}

#define NNM__SIMD_ROWS_ENTRY(name, T, type)                                        \
    int nnm__simd_##name(size_t n, size_t k, double beta, const T *a, T *y)        \
    {                                                                              \
        type f = nnm__simd_table_##name[nnm__cpu_isa()];                           \
        if (f == NULL) return 0;                                                   \
        f(n, k, beta, a, y);                                                       \
        return 1;                                                                  \
    }
NNM__SIMD_ROWS_ENTRY(softmax_f32, float, nnm__rows_f32_fn)
NNM__SIMD_ROWS_ENTRY(log_softmax_f32, float, nnm__rows_f32_fn)
NNM__SIMD_ROWS_ENTRY(logsumexp_f32, float, nnm__rows_f32_fn)
NNM__SIMD_ROWS_ENTRY(softmax_f64, double, nnm__rows_f64_fn)
NNM__SIMD_ROWS_ENTRY(log_softmax_f64, double, nnm__rows_f64_fn)
NNM__SIMD_ROWS_ENTRY(logsumexp_f64, double, nnm__rows_f64_fn)
