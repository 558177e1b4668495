/*
 * Affine backward: the gradients of a_n = W h_n + b with respect to W (a matrix: dW = sum_n
 * delta_n h_n^T), b and h, each element a compensated dot product (docs/gradient.md).
 */
#include <math.h>
#include <stdint.h>

#include "nnmath/gradient.h"
#include "core/sum.h"
#include "internal.h"
#include "gradient/grad_util.inc"

/* Outputs accumulated at once: 64 (sum, compensation) pairs are 1 KiB of stack, enough for the
 * contiguous row reads to amortise the strided coefficient reads. */
#define NNM__AFFINE_BLOCK 64

#define NNM__T double
#define NNM__SFX(name) name##_f64
#define NNM__PRODUCT_IS_EXACT 0 /* 53x53-bit products round: recover the error with fma */
#include "gradient/affine.inc"
#undef NNM__T
#undef NNM__SFX
#undef NNM__PRODUCT_IS_EXACT

#define NNM__T float
#define NNM__SFX(name) name##_f32
#define NNM__PRODUCT_IS_EXACT 1 /* 24x24-bit products fit in 53 bits: exact in double */
#include "gradient/affine.inc"
#undef NNM__T
#undef NNM__SFX
#undef NNM__PRODUCT_IS_EXACT
