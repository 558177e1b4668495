/* The vector kernels for AVX-512 F/DQ/VL/BW (compiled with -mavx512f -mavx512dq -mavx512vl
 * -mavx512bw; see cmake/NnmathSimd.cmake). */
#include "core/simd/vec_avx512.h"
#define NNM__V(name) nnm__##name##_avx512
#include "core/simd/kernels.inc"
#include "core/simd/kernels_more.inc"
#include "core/simd/kernels_loss.inc"
#include "core/simd/kernels_act3.inc"
#include "core/simd/kernels_deriv.inc"
#include "core/simd/kernels_prob.inc"
#include "core/simd/kernels_opts.inc"
