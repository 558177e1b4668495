/*
 * The stable scalar pieces the loss and derivative modules call by name: nnm__sigmoid,
 * nnm__softplus, nnm__log_sigmoid (and, through core/act_math.h, tanh, silu, elu, selu, Phi,
 * the normal density, gelu, gelu_tanh, mish and their extended-precision _x forms).
 * All take and return double and are within 0.51 ULP of the exact value where long double has a
 * 64-bit significand (x86-64, AArch64); see act_math.h for the technique and the fallback.
 * Float entry points convert, which keeps f32 results within 1 ULP.
 */
#ifndef NNMATH_CORE_SCALAR_H
#define NNMATH_CORE_SCALAR_H

#include "core/act_math.h"

#endif /* NNMATH_CORE_SCALAR_H */
