/*
 * Loss options: validation of nnm_loss_opts, the data checks of the losses, and the weight of a
 * sample / the MEAN denominator. Shared by the loss module (src/loss/) and the derivatives of the
 * losses (src/gradient/, src/hessian/) so that a gradient accepts exactly the options, data and
 * statuses of its forward loss and weighs samples the same way. Names here are stable.
 *
 * Order of use in a public function (status precedence EINVAL > ESIZE > EDOM, all before the
 * first write):
 *
 *   nnm__loss_cfg cfg;
 *   NNM_TRY(nnm__loss_prologue(NNM__LOSS_CE_LOGITS_LABELS, opts, n, k, sizeof(T), a, labels,
 *                              out, 1, &cfg));        EINVAL options/pointers, ESIZE, EDOM weights
 *   NNM_TRY(nnm__loss_check_labels(&cfg, n, k, labels));                     EDOM: labels
 *   (or nnm__loss_check_unit_f64/_f32, nnm__loss_check_finite_f64/_f32 for dense targets)
 *   kernel: w_n = nnm__loss_sample_weight(&cfg, labels[n]) (0: do not read row n);
 *           MEAN: divide by nnm__loss_denominator(&cfg, n, labels) (0 over nothing);
 *           a gradient multiplies by nnm__loss_reduce_scale(&cfg, den) instead.
 *
 * The semantics (API.md, "Losses"): per-sample losses l_n are reduced as
 *   SUM  = sum_n w_n l_n,   MEAN = SUM / D,   NONE: out[n] = w_n l_n,
 * where w_n = class_weight[label_n] for the label forms (0 for an ignored sample) and 1 for every
 * other loss, and D = sum_n w_n for the label forms, n otherwise. A MEAN over D = 0 is 0.
 * Class weights of the dense forms (bce, bce_logits, ce, ce_logits) act per column inside l_n and
 * do not change D.
 */
#ifndef NNMATH_CORE_LOSS_OPTS_H
#define NNMATH_CORE_LOSS_OPTS_H

#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "core/simd/dispatch.h"
#include "core/sum.h"
#include "internal.h"
#include "nnmath/loss.h"

/* The losses of API.md; the kind decides which options are used and how samples are weighted. */
typedef enum nnm__loss_kind {
    NNM__LOSS_L2,
    NNM__LOSS_L1,
    NNM__LOSS_HUBER,
    NNM__LOSS_BCE,
    NNM__LOSS_BCE_LOGITS,
    NNM__LOSS_CE,
    NNM__LOSS_CE_LOGITS,
    NNM__LOSS_CE_LOGITS_LABELS,
    NNM__LOSS_NLL_LABELS,
    NNM__LOSS_KL_DIV
} nnm__loss_kind;

/* Validated options with the defaults resolved; what the kernels read. */
typedef struct nnm__loss_cfg {
    nnm__loss_kind kind;
    nnm_reduction reduction;
    const double *class_weight; /* NULL: every weight is 1 */
    const double *pos_weight;   /* NULL: every weight is 1 (bce_logits only) */
    double smoothing;           /* label smoothing eps in [0,1] (CE forms), else 0 */
    double delta;               /* Huber threshold, the default 1.0 resolved; else 0 */
    int32_t ignore_index;       /* the ignored label, when use_ignore != 0 */
    int use_ignore;             /* label forms with use_ignore_index != 0 */
    double weight_scale;        /* power of two applied to the sample weights w_n of a MEAN over a
                                   label form (1 unless the weights are near DBL_MAX) */
} nnm__loss_cfg;

/* 1 for the forms that take int32 class indices (the ESIZE rule k > INT32_MAX, weights w_n). */
static inline int nnm__loss_is_label_form(nnm__loss_kind kind)
{
    return kind == NNM__LOSS_CE_LOGITS_LABELS || kind == NNM__LOSS_NLL_LABELS;
}

/* EINVAL checks of the options (opts == NULL means all defaults): a known reduction, every option
 * the loss does not use equal to zero (a NULL weight array, smoothing 0.0, delta 0.0, ignore_index
 * and use_ignore_index 0), label_smoothing in [0,1], delta >= 0 (0 = default 1.0, +inf allowed:
 * then Huber is l2). For the label forms ignore_index must be 0 unless use_ignore_index != 0, so a
 * PyTorch-style ignore_index = -100 that was meant to be active cannot be silently unused. The
 * comparisons are written positively so that NaN fails them. Fills *cfg only on success. */
static inline nnm_status nnm__loss_check_opts(nnm__loss_kind kind, const nnm_loss_opts *opts,
                                              nnm__loss_cfg *cfg)
{
    static const nnm_loss_opts defaults = NNM_LOSS_OPTS_INIT;
    const nnm_loss_opts *o = opts ? opts : &defaults;
    int uses_class_weight = kind == NNM__LOSS_BCE || kind == NNM__LOSS_BCE_LOGITS ||
                            kind == NNM__LOSS_CE || kind == NNM__LOSS_CE_LOGITS ||
                            nnm__loss_is_label_form(kind);
    int uses_pos_weight = kind == NNM__LOSS_BCE_LOGITS;
    int uses_smoothing = kind == NNM__LOSS_CE || kind == NNM__LOSS_CE_LOGITS ||
                         kind == NNM__LOSS_CE_LOGITS_LABELS;
    int uses_ignore = nnm__loss_is_label_form(kind);
    int uses_delta = kind == NNM__LOSS_HUBER;

    if (o->reduction != NNM_REDUCE_SUM && o->reduction != NNM_REDUCE_MEAN &&
        o->reduction != NNM_REDUCE_NONE)
        return NNM_EINVAL;
    if (!uses_class_weight && o->class_weight != NULL) return NNM_EINVAL;
    if (!uses_pos_weight && o->pos_weight != NULL) return NNM_EINVAL;
    if (uses_smoothing ? !(o->label_smoothing >= 0.0 && o->label_smoothing <= 1.0)
                       : o->label_smoothing != 0.0)
        return NNM_EINVAL;
    if (uses_delta ? !(o->delta >= 0.0) : o->delta != 0.0) return NNM_EINVAL;
    if (!uses_ignore && (o->use_ignore_index != 0 || o->ignore_index != 0)) return NNM_EINVAL;
    if (uses_ignore && o->use_ignore_index == 0 && o->ignore_index != 0) return NNM_EINVAL;

    cfg->kind = kind;
    cfg->reduction = o->reduction;
    cfg->class_weight = o->class_weight;
    cfg->pos_weight = o->pos_weight;
    cfg->smoothing = o->label_smoothing;
    cfg->delta = uses_delta ? (o->delta == 0.0 ? 1.0 : o->delta) : 0.0;
    cfg->ignore_index = o->ignore_index;
    cfg->use_ignore = uses_ignore && o->use_ignore_index != 0;
    cfg->weight_scale = 1.0;
    return NNM_OK;
}

/* EINVAL for a missing output: SUM and MEAN always write one value (0 for n = 0), NONE writes n. */
static inline int nnm__loss_out_missing(const nnm__loss_cfg *cfg, size_t n, const void *out)
{
    return out == NULL && (cfg->reduction != NNM_REDUCE_NONE || n > 0);
}

/* ESIZE checks: k == 0, an n x k array of elem_size bytes that overflows (nnm__matrix_size), a
 * weight array of k doubles beyond PTRDIFF_MAX bytes, and k > INT32_MAX for the label forms (a
 * label could not name every class). */
static inline nnm_status nnm__loss_check_size(const nnm__loss_cfg *cfg, size_t n, size_t k,
                                              size_t elem_size)
{
    size_t count;
    NNM_TRY(nnm__matrix_size(n, k, elem_size, &count));
    if (cfg->class_weight != NULL || cfg->pos_weight != NULL)
        NNM_TRY(nnm__count(k, 1, sizeof(double), &count));
    if (nnm__loss_is_label_form(cfg->kind) && k > (size_t)INT32_MAX) return NNM_ESIZE;
    return NNM_OK;
}

/* A weight must be finite and >= 0 (NaN, negative and +inf weights are NNM_EDOM: an infinite
 * weight would turn a zero loss into 0 * inf and every MEAN into inf / inf). */
static inline int nnm__loss_weight_ok(double w)
{
    return w >= 0.0 && w <= DBL_MAX;
}

/* EDOM check of the k class weights and k pos weights that are given (always all k, also for
 * n = 0: a bad weight array is an error whatever the batch). */
static inline nnm_status nnm__loss_check_weights(const nnm__loss_cfg *cfg, size_t k)
{
    for (size_t j = 0; cfg->class_weight != NULL && j < k; ++j)
        if (!nnm__loss_weight_ok(cfg->class_weight[j])) return NNM_EDOM;
    for (size_t j = 0; cfg->pos_weight != NULL && j < k; ++j)
        if (!nnm__loss_weight_ok(cfg->pos_weight[j])) return NNM_EDOM;
    return NNM_OK;
}

/* The checks every loss and loss gradient starts with, in status order: the options (EINVAL),
 * input and target (or labels) NULL while n > 0 (EINVAL), out NULL where something must be
 * written (EINVAL; pass need_out = 0 to check the output elsewhere), the sizes (ESIZE) and the
 * weight arrays (EDOM). elem_size is sizeof(T) of the n x k input. Labels and dense targets are
 * checked after this by nnm__loss_check_labels / _unit_ / _finite_. */
static inline nnm_status nnm__loss_prologue(nnm__loss_kind kind, const nnm_loss_opts *opts,
                                            size_t n, size_t k, size_t elem_size,
                                            const void *input, const void *target,
                                            const void *out, int need_out, nnm__loss_cfg *cfg)
{
    NNM_TRY(nnm__loss_check_opts(kind, opts, cfg));
    NNM_RETURN_IF(n > 0 && (input == NULL || target == NULL), NNM_EINVAL);
    NNM_RETURN_IF(need_out && nnm__loss_out_missing(cfg, n, out), NNM_EINVAL);
    NNM_TRY(nnm__loss_check_size(cfg, n, k, elem_size));
    return nnm__loss_check_weights(cfg, k);
}

/* 1 when sample label y is ignored (label forms with ignore_index in use). */
static inline int nnm__loss_ignored(const nnm__loss_cfg *cfg, int32_t y)
{
    return cfg->use_ignore && y == cfg->ignore_index;
}

/* EDOM check of n labels: each in [0,k) unless ignored. Run before any row is read at a label. */
static inline nnm_status nnm__loss_check_labels(nnm__loss_cfg *cfg, size_t n, size_t k,
                                                const int32_t *labels)
{
    double w_max = 0.0; /* the largest weight of a counted sample */
    for (size_t i = 0; i < n; ++i) {
        int32_t y = labels[i];
        if (nnm__loss_ignored(cfg, y)) continue;
        if (y < 0 || (size_t)y >= k) return NNM_EDOM;
        if (cfg->class_weight) w_max = fmax(w_max, cfg->class_weight[y]);
    }
    /* A MEAN is sum_n w_n l_n / sum_n w_n: with valid weights near DBL_MAX the denominator (up to
     * n DBL_MAX) overflows, and the mean would come out as x / inf or inf / inf although it is a
     * finite weighted average. It is invariant under scaling every w_n by one power of two, so
     * the weights are scaled by 2^-e such that n w_max 2^-e < 2^(955+1+64) < DBL_MAX for any
     * n < 2^64. Only the counted samples decide (an unused huge class weight scales nothing), and
     * the scaling is exact except for a counted weight below 2^(e-1022), whose share of the
     * total is then below 2^-1900. */
    if (cfg->reduction == NNM_REDUCE_MEAN && w_max > 0.0 && ilogb(w_max) > 955)
        cfg->weight_scale = ldexp(1.0, 955 - ilogb(w_max));
    return NNM_OK;
}

/* Weight of column j inside a dense loss (bce, bce_logits, ce, ce_logits); 1 without weights. A
 * column of weight 0 contributes exactly 0 and its data is neither read nor checked. */
static inline double nnm__loss_class_weight(const nnm__loss_cfg *cfg, size_t j)
{
    return cfg->class_weight ? cfg->class_weight[j] : 1.0;
}

/* pos_weight p_j of bce_logits (multiplies the t log sigma(a) term); 1 without weights. */
static inline double nnm__loss_pos_weight(const nnm__loss_cfg *cfg, size_t j)
{
    return cfg->pos_weight ? cfg->pos_weight[j] : 1.0;
}

/* w_n of a label form: 0 for an ignored sample, class_weight[y] (1 without weights) otherwise.
 * w_n == 0 means: l_n = 0 and row n is not read. The label must have passed the label check. */
static inline double nnm__loss_sample_weight(const nnm__loss_cfg *cfg, int32_t y)
{
    if (nnm__loss_ignored(cfg, y)) return 0.0;
    return cfg->class_weight ? cfg->class_weight[y] * cfg->weight_scale : 1.0;
}

/* The MEAN denominator D: sum_n w_n (compensated, so D carries <= 1 eps) for the label forms,
 * n for every other loss. labels is only read for the label forms. */
static inline double nnm__loss_denominator(const nnm__loss_cfg *cfg, size_t n,
                                           const int32_t *labels)
{
    if (!nnm__loss_is_label_form(cfg->kind)) return (double)n;
    nnm__sum acc = {0.0, 0.0};
    for (size_t i = 0; i < n; ++i) nnm__sum_add(&acc, nnm__loss_sample_weight(cfg, labels[i]));
    return nnm__sum_result(&acc);
}

/* The factor d(reduced)/d(sum_n w_n l_n): 1 for SUM and NONE (NONE's gradient is that of
 * sum_n out[n]), 1/D for MEAN, and 0 when D = 0 (a mean over nothing is 0, and so is its
 * gradient). The forward loss divides by D instead (one rounding fewer). */
static inline double nnm__loss_reduce_scale(const nnm__loss_cfg *cfg, double den)
{
    if (cfg->reduction != NNM_REDUCE_MEAN) return 1.0;
    return den > 0.0 ? 1.0 / den : 0.0;
}

/* Data checks of dense targets / probabilities (EDOM). Elements of a column whose class weight
 * is 0 are skipped (never read). The _unit checks demand 0 <= x <= 1 (NaN fails); the _finite
 * checks demand a finite value (regression targets: NaN is data outside the domain, and an
 * infinite target has no finite loss for any output). */
#define NNM__LOSS_DEFINE_CHECKS(T, SFX)                                                         \
    static inline nnm_status nnm__loss_check_unit_##SFX(const nnm__loss_cfg *cfg, size_t n,    \
                                                        size_t k, const T *x)                  \
    {                                                                                          \
        int vec = cfg->class_weight ? -1 : nnm__simd_check_unit_##SFX(n * k, x); /* SIMD scan */ \
        if (vec >= 0) return vec ? NNM_OK : NNM_EDOM;                                          \
        for (size_t i = 0; i < n; ++i)                                                         \
            for (size_t j = 0; j < k; ++j) {                                                   \
                if (cfg->class_weight && cfg->class_weight[j] == 0.0) continue;                \
                T v = x[i * k + j];                                                            \
                if (!(v >= 0 && v <= 1)) return NNM_EDOM;                                      \
            }                                                                                  \
        return NNM_OK;                                                                         \
    }                                                                                          \
    static inline nnm_status nnm__loss_check_finite_##SFX(size_t count, const T *x)            \
    {                                                                                          \
        int vec = nnm__simd_check_finite_##SFX(count, x); /* SIMD scan where available */       \
        if (vec >= 0) return vec ? NNM_OK : NNM_EDOM;                                          \
        for (size_t i = 0; i < count; ++i)                                                     \
            if (!isfinite(x[i])) return NNM_EDOM;                                              \
        return NNM_OK;                                                                         \
    }

NNM__LOSS_DEFINE_CHECKS(double, f64)
NNM__LOSS_DEFINE_CHECKS(float, f32)
#undef NNM__LOSS_DEFINE_CHECKS

#endif /* NNMATH_CORE_LOSS_OPTS_H */
