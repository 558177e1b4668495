/*
 * Softmax Jacobian and the vector-Jacobian products of softmax and log-softmax
 * (docs/gradient.md derives dy_k/da_j = beta y_k (delta_jk - y_j)).
 */
#include <math.h>
#include <stdint.h>

#include "nnmath/gradient.h"
#include "core/simd/dispatch.h"
#include "core/sum.h"
#include "internal.h"
#include "gradient/grad_util.inc"

#define NNM__T double
#define NNM__SFX(name) name##_f64
#include "gradient/softmax.inc"
#undef NNM__T
#undef NNM__SFX

#define NNM__T float
#define NNM__SFX(name) name##_f32
#include "gradient/softmax.inc"
#undef NNM__T
#undef NNM__SFX
