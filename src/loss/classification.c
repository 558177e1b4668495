/* Classification losses: BCE (probabilities, logits), CE (probabilities, logits with dense
 * targets, logits with labels), NLL on log-probabilities, KL divergence; f64 and f32 from one
 * template. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "nnmath/loss.h"

#include "core/loss_opts.h"
#include "core/loss_terms.h"
#include "core/simd/dispatch.h"
#include "core/softmax_row.h"
#include "internal.h"
#include "loss/log_dd.h"
#include "loss/reduce.h"

#define NNM__T double
#define NNM__SFX(name) name##_f64
#include "loss/classification.inc"
#undef NNM__T
#undef NNM__SFX

#define NNM__T float
#define NNM__SFX(name) name##_f32
#include "loss/classification.inc"
#undef NNM__T
#undef NNM__SFX
