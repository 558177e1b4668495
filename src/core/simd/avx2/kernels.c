/* The vector kernels for AVX2 + FMA (compiled with -mavx2 -mfma; see cmake/NnmathSimd.cmake). */
#include "core/simd/vec_avx2.h"
#define NNM__V(name) nnm__##name##_avx2
#include "core/simd/kernels.inc"
#include "core/simd/kernels_more.inc"
#include "core/simd/kernels_loss.inc"
#include "core/simd/kernels_deriv.inc"
#include "core/simd/kernels_act3.inc"
#include "core/simd/kernels_prob.inc"
#include "core/simd/kernels_opts.inc"
