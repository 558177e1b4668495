/*
 * Validation of a run-time activation descriptor (nnm_act), shared by nnm_act_apply_*,
 * nnm_grad_act_* and nnm_hess_act_*, so that every module accepts exactly the same descriptors.
 */
#ifndef NNMATH_CORE_ACT_PARAMS_H
#define NNMATH_CORE_ACT_PARAMS_H

#include <math.h>
#include "nnmath/activation.h"

/* NNM_OK when act.kind is a known kind and act.alpha fits it: leaky relu takes any finite alpha,
 * elu a finite alpha >= 0, every other kind alpha == 0 exactly. Else NNM_EINVAL. */
static inline nnm_status nnm__act_check(nnm_act act)
{
    switch (act.kind) {
    case NNM_ACT_LEAKY_RELU:
        return isfinite(act.alpha) ? NNM_OK : NNM_EINVAL;
    case NNM_ACT_ELU:
        return (isfinite(act.alpha) && act.alpha >= 0.0) ? NNM_OK : NNM_EINVAL;
    case NNM_ACT_IDENTITY: case NNM_ACT_STEP: case NNM_ACT_SIGMOID: case NNM_ACT_TANH:
    case NNM_ACT_RELU: case NNM_ACT_SELU: case NNM_ACT_SOFTPLUS: case NNM_ACT_LOG_SIGMOID:
    case NNM_ACT_SILU: case NNM_ACT_GELU: case NNM_ACT_GELU_TANH: case NNM_ACT_MISH:
        return act.alpha == 0.0 ? NNM_OK : NNM_EINVAL;
    }
    return NNM_EINVAL;
}

#endif /* NNMATH_CORE_ACT_PARAMS_H */
