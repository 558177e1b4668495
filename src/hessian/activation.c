/*
 * Second derivatives of the activations, f''(x) elementwise. The scalar math is in
 * core/deriv_math.h (f32 data evaluated in double, f64 data in extended precision, each result
 * rounded once; the zeros of f'' are evaluated from Taylor expansions around the exact roots).
 */
#include <math.h>
#include <stddef.h>

#include "nnmath/hessian.h"

#include "core/act_params.h"
#include "core/deriv_math.h"
#include "core/simd/dispatch.h"
#include "internal.h"

/* x and out non-NULL when n > 0, out equal to or disjoint from x, n elements addressable. */
static nnm_status nnm__hess_act_arrays(size_t n, const void *x, const void *out, size_t elem_size)
{
    size_t count = 0;
    NNM_RETURN_IF(n > 0 && (x == NULL || out == NULL), NNM_EINVAL);
    /* the overlap test needs the byte size, so an oversized n is reported first (NNM_ESIZE) */
    NNM_TRY(nnm__count(n, 1, elem_size, &count));
    size_t bytes = count * elem_size;
    NNM_RETURN_IF(nnm__partial_overlap(out, bytes, x, bytes), NNM_EINVAL);
    return NNM_OK;
}

/* out[i] = f''(x[i]) rounded once from the working type W; D is an expression in v. */
#define NNM__HA_LOOP(T, W, D)                                                                  \
    do {                                                                                       \
        for (size_t i = 0; i < n; ++i) {                                                       \
            W v = (W)x[i];                                                                     \
            out[i] = (T)(D);                                                                   \
        }                                                                                      \
    } while (0)

/* One kernel per element type; SFX is the working-type suffix of deriv_math.h (_d or _ld).
 * T and W are types, which cannot be parenthesised (hence the NOLINT). */
#define NNM__HESS_ACT(T, W, TSFX, SFX)                                                          \
    nnm_status nnm_hess_act_##TSFX(nnm_act act, size_t n, const T *x, T *out) /* NOLINT(bugprone-macro-parentheses) */ \
    {                                                                                          \
        NNM_TRY(nnm__act_check(act));                                                          \
        NNM_TRY(nnm__hess_act_arrays(n, x, out, sizeof(T)));                                   \
        if (nnm__simd_hess_act_##TSFX((int)act.kind, act.alpha, n, x, out)) return NNM_OK;     \
        const W a = (W)act.alpha;                                                              \
        switch (act.kind) {                                                                    \
        case NNM_ACT_IDENTITY: case NNM_ACT_STEP: case NNM_ACT_RELU: case NNM_ACT_LEAKY_RELU:  \
            NNM__HA_LOOP(T, W, nnm__dm_zero_d##SFX(v)); break;                                 \
        case NNM_ACT_SIGMOID: NNM__HA_LOOP(T, W, nnm__dm_sigmoid_d2##SFX(v)); break;           \
        case NNM_ACT_TANH: NNM__HA_LOOP(T, W, nnm__dm_tanh_d2##SFX(v)); break;                 \
        case NNM_ACT_ELU: NNM__HA_LOOP(T, W, nnm__dm_elu_d2##SFX(v, a)); break;                \
        case NNM_ACT_SELU: NNM__HA_LOOP(T, W, nnm__dm_selu_d2##SFX(v)); break;                 \
        case NNM_ACT_SOFTPLUS: NNM__HA_LOOP(T, W, nnm__dm_softplus_d2##SFX(v)); break;         \
        case NNM_ACT_LOG_SIGMOID: NNM__HA_LOOP(T, W, nnm__dm_log_sigmoid_d2##SFX(v)); break;   \
        case NNM_ACT_SILU: NNM__HA_LOOP(T, W, nnm__dm_silu_d2##SFX(v)); break;                 \
        case NNM_ACT_GELU: NNM__HA_LOOP(T, W, nnm__dm_gelu_d2##SFX(v)); break;                 \
        case NNM_ACT_GELU_TANH: NNM__HA_LOOP(T, W, nnm__dm_gelu_tanh_d2##SFX(v)); break;       \
        case NNM_ACT_MISH: NNM__HA_LOOP(T, W, nnm__dm_mish_d2##SFX(v)); break;                 \
        }                                                                                      \
        return NNM_OK;                                                                         \
    }

NNM__HESS_ACT(float, double, f32, _d)
NNM__HESS_ACT(double, nnm__dmx, f64, _ld)
