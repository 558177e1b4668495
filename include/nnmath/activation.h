/**
 * @file activation.h
 * @brief Forward maps: elementwise activations, the softmax family, the affine pre-activation.
 *
 * Every function exists for float (_f32) and double (_f64); scalar parameters (alpha, beta) are
 * double for both. Elementwise functions allow y == x. See docs/policy.md for the edge-case policy.
 */
#ifndef NNMATH_ACTIVATION_H
#define NNMATH_ACTIVATION_H

#include <stddef.h>
#include <nnmath/export.h>
#include <nnmath/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Activation kinds, for code that chooses an activation at run time. Values are stable. */
typedef enum nnm_act_kind {
    NNM_ACT_IDENTITY = 0,
    NNM_ACT_STEP = 1,
    NNM_ACT_SIGMOID = 2,
    NNM_ACT_TANH = 3,
    NNM_ACT_RELU = 4,
    NNM_ACT_LEAKY_RELU = 5,
    NNM_ACT_ELU = 6,
    NNM_ACT_SELU = 7,
    NNM_ACT_SOFTPLUS = 8,
    NNM_ACT_LOG_SIGMOID = 9,
    NNM_ACT_SILU = 10,
    NNM_ACT_GELU = 11,
    NNM_ACT_GELU_TANH = 12,
    NNM_ACT_MISH = 13
} nnm_act_kind;

/**
 * @brief An activation chosen at run time.
 *
 * alpha: the negative slope of LEAKY_RELU (finite, any sign) or the scale of ELU (finite, >= 0);
 * it must be 0 for every other kind (else NNM_EINVAL).
 */
typedef struct nnm_act {
    nnm_act_kind kind;
    double alpha;
} nnm_act;

/* NNM-ACTIVATION-API: the activation module's declarations follow. */

#ifdef __cplusplus
}
#endif

#endif /* NNMATH_ACTIVATION_H */
