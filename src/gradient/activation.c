/*
 * Derivatives of the activations: f'(x), the vector-Jacobian product f'(x) dy, and the same
 * product from the forward output y for the kinds whose f' is a function of y. The scalar math
 * is in core/deriv_math.h (f32 data evaluated in double, f64 data in extended precision, each
 * result rounded once); this file validates and loops (activation.inc, instantiated twice).
 */
#include <float.h>
#include <math.h>
#include <stddef.h>

#include "nnmath/gradient.h"

#include "core/act_params.h"
#include "core/deriv_math.h"
#include "core/simd/dispatch.h"
#include "internal.h"

/* x, dy (may be NULL when not used) and out: non-NULL when n > 0, n elements addressable
 * (NNM_ESIZE past PTRDIFF_MAX bytes), out equal to or disjoint from each input. */
static nnm_status nnm__grad_act_arrays(size_t n, const void *x, const void *dy, const void *out,
                                       size_t elem_size)
{
    size_t count = 0;
    NNM_RETURN_IF(n > 0 && (x == NULL || out == NULL), NNM_EINVAL);
    /* the overlap test needs the byte size, so an oversized n is reported first (NNM_ESIZE) */
    NNM_TRY(nnm__count(n, 1, elem_size, &count));
    size_t bytes = count * elem_size;
    NNM_RETURN_IF(nnm__partial_overlap(out, bytes, x, bytes), NNM_EINVAL);
    NNM_RETURN_IF(dy != NULL && nnm__partial_overlap(out, bytes, dy, bytes), NNM_EINVAL);
    return NNM_OK;
}

/* The kinds whose f'(x) is determined by y = f(x) (see gradient.h). */
static nnm_status nnm__grad_from_y_check(nnm_act act)
{
    switch (act.kind) {
    case NNM_ACT_SILU: case NNM_ACT_GELU: case NNM_ACT_GELU_TANH: case NNM_ACT_MISH:
        return NNM_EINVAL;
    case NNM_ACT_LEAKY_RELU:
        return act.alpha > 0.0 ? NNM_OK : NNM_EINVAL;
    default:
        return NNM_OK;
    }
}

#define NNM__T float
#define NNM__SFX(name) name##_f32
#define NNM__DM(name) name##_d
#define NNM__W double
#define NNM__EPS ((double)FLT_EPSILON)
#define NNM__HALF_SUBNORMAL (0.5 * (double)FLT_TRUE_MIN)
#include "gradient/activation.inc"
#undef NNM__T
#undef NNM__SFX
#undef NNM__DM
#undef NNM__W
#undef NNM__EPS
#undef NNM__HALF_SUBNORMAL

#define NNM__T double
#define NNM__SFX(name) name##_f64
#define NNM__DM(name) name##_ld
#define NNM__W nnm__dmx
#define NNM__EPS DBL_EPSILON
#define NNM__HALF_SUBNORMAL (0.5 * DBL_TRUE_MIN)
#include "gradient/activation.inc"
#undef NNM__T
#undef NNM__SFX
#undef NNM__DM
#undef NNM__W
#undef NNM__EPS
#undef NNM__HALF_SUBNORMAL
