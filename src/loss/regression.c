/* Regression losses: l2 (half sum of squared errors), l1, Huber; f64 and f32 from one template. */
#include <math.h>
#include <stddef.h>

#include "nnmath/loss.h"

#include "core/loss_opts.h"
#include "core/loss_terms.h"
#include "core/simd/dispatch.h"
#include "internal.h"
#include "loss/reduce.h"

#define NNM__T double
#define NNM__SFX(name) name##_f64
#include "loss/regression.inc"
#undef NNM__T
#undef NNM__SFX

#define NNM__T float
#define NNM__SFX(name) name##_f32
#include "loss/regression.inc"
#undef NNM__T
#undef NNM__SFX
