/* Test-only instantiation of the vector kernels on the emulated 8-lane vocabulary (vec_emu8.h),
 * compiled into oracle_simd: the AVX-512 code paths checked on a machine without AVX-512. */
#include "core/simd/kernels.h"
#include "vec_emu8.h"
NNM__SIMD_KERNEL_PROTOTYPES(emu8)
NNM__SIMD_MORE_PROTOTYPES(emu8)
NNM__SIMD_DERIV_PROTOTYPES(emu8)
NNM__SIMD_LOSS_PROTOTYPES(emu8)
NNM__SIMD_ACT3_PROTOTYPES(emu8)
NNM__SIMD_OPTS_PROTOTYPES(emu8)
NNM__SIMD_BCEW_PROTOTYPES(emu8)
NNM__SIMD_PROB_PROTOTYPES(emu8)
NNM__SIMD_PROBW_PROTOTYPES(emu8)
#define NNM__V(name) nnm__##name##_emu8
#define NNM__EMU8 1 /* no forced inlining (kernels_prob.inc) */
#include "core/simd/kernels.inc"
#include "core/simd/kernels_more.inc"
#include "core/simd/kernels_loss.inc"
#include "core/simd/kernels_deriv.inc"
#include "core/simd/kernels_act3.inc"
#include "core/simd/kernels_prob.inc"
#include "core/simd/kernels_opts.inc"
