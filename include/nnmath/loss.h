/**
 * @file loss.h
 * @brief Losses: per-sample losses over the rows of n x k outputs and targets, and their reductions.
 *
 * Every loss exists for float (_f32) and double (_f64); the options (weights included) are double
 * for both dtypes, and float losses accumulate in double.
 */
#ifndef NNMATH_LOSS_H
#define NNMATH_LOSS_H

#include <stddef.h>
#include <stdint.h>
#include <nnmath/export.h>
#include <nnmath/status.h>
#include <nnmath/activation.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief How per-sample losses l_n are reduced. Values are stable. */
typedef enum nnm_reduction {
    NNM_REDUCE_SUM = 0,   /**< sum_n w_n l_n: the textbook definitions (default) */
    NNM_REDUCE_MEAN = 1,  /**< the sum divided by the count of the loss's table (0 over nothing) */
    NNM_REDUCE_NONE = 2   /**< out[n] per sample */
} nnm_reduction;

/**
 * @brief Loss options. A zero-initialised struct (or opts == NULL) means the defaults;
 * options a loss does not use must stay zero (else NNM_EINVAL).
 */
typedef struct nnm_loss_opts {
    nnm_reduction reduction;    /**< SUM by default */
    const double *class_weight; /**< k weights >= 0, or NULL (CE, NLL, BCE per output column) */
    const double *pos_weight;   /**< k weights >= 0, or NULL (BCE with logits) */
    double label_smoothing;     /**< in [0,1]; CE forms: t' = (1-eps) t + eps/k */
    int32_t ignore_index;       /**< label forms, when use_ignore_index != 0: samples with this
                                     label count for nothing */
    int32_t use_ignore_index;   /**< 0: no label is ignored */
    double delta;               /**< Huber threshold; 0 means the default 1.0; < 0 or NaN: NNM_EINVAL */
} nnm_loss_opts;

/** Static initialiser of the defaults (equal to an all-zero struct). */
#define NNM_LOSS_OPTS_INIT { NNM_REDUCE_SUM, NULL, NULL, 0.0, 0, 0, 0.0 }

/* NNM-LOSS-API: the loss module's declarations follow. */

#ifdef __cplusplus
}
#endif

#endif /* NNMATH_LOSS_H */
