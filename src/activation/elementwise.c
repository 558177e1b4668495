/*
 * Elementwise activations, f32 and f64 from one template (elementwise.inc), and the run-time
 * dispatch nnm_act_apply_*. The numerics live in core/act_math.h, shared with the derivative
 * modules; this file is validation and loops.
 */
#include <math.h>
#include <stddef.h>

#include "nnmath/activation.h"
#include "core/act_math.h"
#include "core/act_params.h"
#include "core/simd/dispatch.h"
#include "internal.h"
#include "activation/kernels.h"

/* Arguments of every elementwise function: x and y non-NULL when n > 0, n elements addressable
 * (n * elem_size <= PTRDIFF_MAX, else NNM_ESIZE), and y either exactly x or disjoint from it
 * (partial overlap is NNM_EINVAL: the result would depend on the loop order). */
static nnm_status nnm__act_check_arrays(size_t n, const void *x, const void *y, size_t elem_size)
{
    NNM_RETURN_IF(n > 0 && (x == NULL || y == NULL), NNM_EINVAL);
    size_t count;
    NNM_TRY(nnm__count(n, 1, elem_size, &count));
    NNM_RETURN_IF(nnm__partial_overlap(x, count * elem_size, y, count * elem_size), NNM_EINVAL);
    return NNM_OK;
}

nnm_act nnm_act_default(nnm_act_kind kind)
{
    nnm_act act = {kind, 0.0};
    if (kind == NNM_ACT_LEAKY_RELU) act.alpha = 0.01;
    if (kind == NNM_ACT_ELU) act.alpha = 1.0;
    return act;
}

#define NNM__T double
#define NNM__SFX(name) name##_f64
#include "activation/elementwise.inc"
#undef NNM__T
#undef NNM__SFX

#define NNM__T float
#define NNM__SFX(name) name##_f32
#include "activation/elementwise.inc"
#undef NNM__T
#undef NNM__SFX
