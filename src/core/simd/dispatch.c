/*
 * Dispatch tables and entries (see core/cpu.h for the pattern). Compiled without vector flags:
 * it only reads the cached ISA and calls through a pointer. With NNMATH_ENABLE_SIMD=OFF (or on a
 * target without the kernels) every slot is NULL and every entry returns 0.
 */
#include "core/simd/dispatch.h"

#include <math.h>

#include "core/simd/kernels.h"
#include "nnmath/activation.h"

#ifndef NNM_HAVE_AVX2
#define NNM_HAVE_AVX2 0
#endif
#ifndef NNM_HAVE_AVX512
#define NNM_HAVE_AVX512 0
#endif

#if NNM_HAVE_AVX2
#define NNM__AVX2_SLOT(name) nnm__##name##_avx2
#else
#define NNM__AVX2_SLOT(name) NULL
#endif
/* An AVX-512 machine without a dedicated kernel runs the AVX2 one (cpu.c only reports AVX-512
 * when AVX2 is there too). */
#if NNM_HAVE_AVX512
#define NNM__AVX512_SLOT(name) nnm__##name##_avx512
#else
#define NNM__AVX512_SLOT(name) NNM__AVX2_SLOT(name)
#endif

#define NNM__SIMD_DEFINE_TABLE(name, type) \
    const type nnm__simd_table_##name[NNM__ISA_COUNT] = {NULL, NNM__AVX2_SLOT(name), NNM__AVX512_SLOT(name)};
NNM__SIMD_ENTRIES(NNM__SIMD_DEFINE_TABLE)

int nnm__simd_sigmoid_f32(size_t n, const float *x, float *y)
{
    nnm__unary_f32_fn f = nnm__simd_table_sigmoid_f32[nnm__cpu_isa()];
    if (f == NULL) return 0;
    f(n, x, y);
    return 1;
}

int nnm__simd_sigmoid_f64(size_t n, const double *x, double *y)
{
    nnm__unary_f64_fn f = nnm__simd_table_sigmoid_f64[nnm__cpu_isa()];
    if (f == NULL) return 0;
    f(n, x, y);
    return 1;
}

int nnm__simd_tanh_f32(size_t n, const float *x, float *y)
{
    nnm__unary_f32_fn f = nnm__simd_table_tanh_f32[nnm__cpu_isa()];
    if (f == NULL) return 0;
    f(n, x, y);
    return 1;
}

#define NNM__SIMD_UNARY_ENTRY(name, T, type)                                                     \
    int nnm__simd_##name(size_t n, const T *x, T *y)                                             \
    {                                                                                            \
        type f = nnm__simd_table_##name[nnm__cpu_isa()];                                         \
        if (f == NULL) return 0;                                                                 \
        f(n, x, y);                                                                              \
        return 1;                                                                                \
    }
NNM__SIMD_UNARY_ENTRY(softplus_f32, float, nnm__unary_f32_fn)
NNM__SIMD_UNARY_ENTRY(softplus_f64, double, nnm__unary_f64_fn)
NNM__SIMD_UNARY_ENTRY(log_sigmoid_f32, float, nnm__unary_f32_fn)
NNM__SIMD_UNARY_ENTRY(log_sigmoid_f64, double, nnm__unary_f64_fn)


#define NNM__SIMD_ROWS_ENTRY(name, T, type, MIN_K)                                 \
    int nnm__simd_##name(size_t n, size_t k, double beta, const T *a, T *y)        \
    {                                                                              \
        type f = nnm__simd_table_##name[nnm__cpu_isa()];                           \
        if (f == NULL || k < MIN_K) return 0;                                      \
        f(n, k, beta, a, y);                                                       \
        return 1;                                                                  \
    }
NNM__SIMD_ROWS_ENTRY(softmax_f32, float, nnm__rows_f32_fn, NNM__MIN_K_SOFTMAX)
NNM__SIMD_ROWS_ENTRY(log_softmax_f32, float, nnm__rows_f32_fn, NNM__MIN_K_SOFTMAX)
NNM__SIMD_ROWS_ENTRY(logsumexp_f32, float, nnm__rows_f32_fn, NNM__MIN_K_LSE)
NNM__SIMD_ROWS_ENTRY(softmax_f64, double, nnm__rows_f64_fn, NNM__MIN_K_SOFTMAX)
NNM__SIMD_ROWS_ENTRY(log_softmax_f64, double, nnm__rows_f64_fn, NNM__MIN_K_SOFTMAX)
NNM__SIMD_ROWS_ENTRY(logsumexp_f64, double, nnm__rows_f64_fn, NNM__MIN_K_LSE)

/* The options the loss kernels cover (see dispatch.h). */
static int nnm__plain_reduction(size_t n, const nnm_loss_opts *o)
{
    if (n == 0) return 0;
    if (o == NULL) return 1;
    return (o->reduction == NNM_REDUCE_SUM || o->reduction == NNM_REDUCE_MEAN) &&
           o->class_weight == NULL && o->pos_weight == NULL && o->label_smoothing == 0.0 &&
           o->use_ignore_index == 0;
}

/* SUM: hi + lo rounded once; MEAN: (hi + lo) / n rounded once (the remainder of hi / n by fma),
 * as the loss module's reduction does. */
/* The reduction of opts (NULL: the default, SUM). */
static nnm_reduction nnm__reduction(const nnm_loss_opts *o)
{
    return o ? o->reduction : NNM_REDUCE_SUM;
}

static double nnm__finish(nnm_reduction reduction, size_t n, double hi, double lo)
{
    if (reduction != NNM_REDUCE_MEAN) return hi + lo;
    double den = (double)n, q = hi / den;
    if (!isfinite(q) || !isfinite(hi)) return q;
    return q + (fma(-q, den, hi) + lo) / den;
}

#define NNM__SIMD_TOTAL_ENTRY(name, table, T, type)                                              \
    int nnm__simd_loss_##name(size_t n, size_t k, const T *x, const T *t,                        \
                              const nnm_loss_opts *opts, T *out)                                 \
    {                                                                                            \
        type f = nnm__simd_table_##table[nnm__cpu_isa()];                                        \
        if (f == NULL || !nnm__plain_reduction(n, opts)) return 0;                               \
        double hi, lo;                                                                           \
        f(n * k, x, t, &hi, &lo);                                                                \
        if (!isfinite(hi)) return 0; /* overflow or NaN: the reference's scaled total decides */ \
        out[0] = (T)nnm__finish(nnm__reduction(opts), n, hi, lo);                                \
        return 1;                                                                                \
    }
NNM__SIMD_TOTAL_ENTRY(l2_f32, l2_total_f32, float, nnm__total_f32_fn)
NNM__SIMD_TOTAL_ENTRY(l2_f64, l2_total_f64, double, nnm__total_f64_fn)
NNM__SIMD_TOTAL_ENTRY(bce_logits_f32, bce_logits_total_f32, float, nnm__total_f32_fn)
NNM__SIMD_TOTAL_ENTRY(bce_logits_f64, bce_logits_total_f64, double, nnm__total_f64_fn)

#define NNM__SIMD_LABELS_ENTRY(sfx, T, type)                                                     \
    int nnm__simd_loss_ce_logits_labels_##sfx(size_t n, size_t k, const T *a,                    \
                                              const int32_t *labels, const nnm_loss_opts *opts,  \
                                              T *out)                                            \
    {                                                                                            \
        type f = nnm__simd_table_ce_labels_total_##sfx[nnm__cpu_isa()];                          \
        if (f == NULL || k < NNM__MIN_K_CE_LOSS || !nnm__plain_reduction(n, opts)) return 0;     \
        double hi, lo;                                                                           \
        f(n, k, a, labels, &hi, &lo);                                                            \
        if (!isfinite(hi)) return 0; /* overflow or NaN: the reference's scaled total decides */ \
        out[0] = (T)nnm__finish(nnm__reduction(opts), n, hi, lo);                                \
        return 1;                                                                                \
    }
NNM__SIMD_LABELS_ENTRY(f32, float, nnm__labels_f32_fn)
NNM__SIMD_LABELS_ENTRY(f64, double, nnm__labels_f64_fn)

#define NNM__SIMD_VJP_ENTRY(sfx, T, type)                                                        \
    int nnm__simd_softmax_vjp_##sfx(size_t n, size_t k, double beta, const T *y, const T *dy,    \
                                    T *da)                                                       \
    {                                                                                            \
        type f = nnm__simd_table_softmax_vjp_##sfx[nnm__cpu_isa()];                              \
        if (f == NULL || k < NNM__MIN_K_VJP) return 0;                                           \
        f(n, k, beta, y, dy, da);                                                                \
        return 1;                                                                                \
    }
NNM__SIMD_VJP_ENTRY(f32, float, nnm__vjp_f32_fn)
NNM__SIMD_VJP_ENTRY(f64, double, nnm__vjp_f64_fn)

#define NNM__SIMD_SCAN_ENTRY(entry, table, T, type)                                              \
    int nnm__simd_##entry(size_t m, const T *x)                                                  \
    {                                                                                            \
        type f = nnm__simd_table_##table[nnm__cpu_isa()];                                        \
        return f == NULL ? -1 : f(m, x);                                                         \
    }
NNM__SIMD_SCAN_ENTRY(check_finite_f32, all_finite_f32, float, nnm__scan_f32_fn)
NNM__SIMD_SCAN_ENTRY(check_finite_f64, all_finite_f64, double, nnm__scan_f64_fn)
NNM__SIMD_SCAN_ENTRY(check_unit_f32, all_unit_f32, float, nnm__scan_f32_fn)
NNM__SIMD_SCAN_ENTRY(check_unit_f64, all_unit_f64, double, nnm__scan_f64_fn)

/* ---- kernels_more.inc ---------------------------------------------------------------------- */
NNM__SIMD_MORE_ENTRIES(NNM__SIMD_DEFINE_TABLE)

NNM__SIMD_UNARY_ENTRY(tanh_f64, double, nnm__unary_f64_fn)
NNM__SIMD_UNARY_ENTRY(identity_f32, float, nnm__unary_f32_fn)
NNM__SIMD_UNARY_ENTRY(identity_f64, double, nnm__unary_f64_fn)
NNM__SIMD_UNARY_ENTRY(step_f32, float, nnm__unary_f32_fn)
NNM__SIMD_UNARY_ENTRY(step_f64, double, nnm__unary_f64_fn)
NNM__SIMD_UNARY_ENTRY(relu_f32, float, nnm__unary_f32_fn)
NNM__SIMD_UNARY_ENTRY(relu_f64, double, nnm__unary_f64_fn)
NNM__SIMD_UNARY_ENTRY(selu_f32, float, nnm__unary_f32_fn)
NNM__SIMD_UNARY_ENTRY(selu_f64, double, nnm__unary_f64_fn)
NNM__SIMD_UNARY_ENTRY(silu_f32, float, nnm__unary_f32_fn)
NNM__SIMD_UNARY_ENTRY(silu_f64, double, nnm__unary_f64_fn)

#define NNM__SIMD_UNARY_A_ENTRY(name, T, type)                                                  \
    int nnm__simd_##name(size_t n, double alpha, const T *x, T *y)                             \
    {                                                                                           \
        type f = nnm__simd_table_##name[nnm__cpu_isa()];                                        \
        if (f == NULL) return 0;                                                                \
        f(n, alpha, x, y);                                                                      \
        return 1;                                                                               \
    }
NNM__SIMD_UNARY_A_ENTRY(leaky_relu_f32, float, nnm__unary_a_f32_fn)
NNM__SIMD_UNARY_A_ENTRY(leaky_relu_f64, double, nnm__unary_a_f64_fn)
NNM__SIMD_UNARY_A_ENTRY(elu_f32, float, nnm__unary_a_f32_fn)
NNM__SIMD_UNARY_A_ENTRY(elu_f64, double, nnm__unary_a_f64_fn)

#define NNM__SIMD_LSVJP_ENTRY(sfx, T, type)                                                     \
    int nnm__simd_log_softmax_vjp_##sfx(size_t n, size_t k, double beta, const T *logp,        \
                                        const T *dlogp, T *da)                                  \
    {                                                                                           \
        type f = nnm__simd_table_log_softmax_vjp_##sfx[nnm__cpu_isa()];                         \
        if (f == NULL || k < NNM__MIN_K_LSVJP) return 0;                                        \
        f(n, k, beta, logp, dlogp, da);                                                         \
        return 1;                                                                               \
    }
NNM__SIMD_LSVJP_ENTRY(f32, float, nnm__vjp_f32_fn)
NNM__SIMD_LSVJP_ENTRY(f64, double, nnm__vjp_f64_fn)

/* The options the loss-gradient kernels cover: none but the reduction (any of the three), n > 0.
 * *den: the MEAN denominator n of the unweighted losses, 1 for SUM and NONE. */
static int nnm__plain_grad(size_t n, const nnm_loss_opts *o, double *den)
{
    if (n == 0) return 0;
    *den = 1.0;
    if (o == NULL) return 1;
    if (o->class_weight != NULL || o->pos_weight != NULL || o->label_smoothing != 0.0 ||
        o->use_ignore_index != 0)
        return 0;
    if (o->reduction == NNM_REDUCE_MEAN) *den = (double)n;
    return 1;
}

#define NNM__SIMD_GRAD_T_ENTRY(name, table, T, type)                                            \
    int nnm__simd_grad_##name(size_t n, size_t k, const T *x, const T *t,                       \
                              const nnm_loss_opts *opts, T *d)                                  \
    {                                                                                           \
        type f = nnm__simd_table_##table[nnm__cpu_isa()];                                       \
        double den;                                                                             \
        if (f == NULL || !nnm__plain_grad(n, opts, &den)) return 0;                             \
        f(n * k, x, t, den, d);                                                                 \
        return 1;                                                                               \
    }
NNM__SIMD_GRAD_T_ENTRY(l2_f32, l2_grad_f32, float, nnm__grad_t_f32_fn)
NNM__SIMD_GRAD_T_ENTRY(l2_f64, l2_grad_f64, double, nnm__grad_t_f64_fn)
NNM__SIMD_GRAD_T_ENTRY(bce_logits_f32, bce_logits_grad_f32, float, nnm__grad_t_f32_fn)
NNM__SIMD_GRAD_T_ENTRY(bce_logits_f64, bce_logits_grad_f64, double, nnm__grad_t_f64_fn)

#define NNM__SIMD_GRAD_LAB_ENTRY(sfx, T, type)                                                  \
    int nnm__simd_grad_ce_logits_labels_##sfx(size_t n, size_t k, const T *a,                  \
                                              const int32_t *labels, const nnm_loss_opts *opts, \
                                              T *d)                                             \
    {                                                                                           \
        type f = nnm__simd_table_ce_labels_grad_##sfx[nnm__cpu_isa()];                          \
        double den;                                                                             \
        if (f == NULL || k < NNM__MIN_K_CE_GRAD || !nnm__plain_grad(n, opts, &den)) return 0;   \
        f(n, k, a, labels, den, d);                                                             \
        return 1;                                                                               \
    }
NNM__SIMD_GRAD_LAB_ENTRY(f32, float, nnm__grad_lab_f32_fn)
NNM__SIMD_GRAD_LAB_ENTRY(f64, double, nnm__grad_lab_f64_fn)

#define NNM__SIMD_GRAD_ACT_ENTRY(sfx, T, type)                                                  \
    int nnm__simd_grad_act_##sfx(int kind, double alpha, size_t n, const T *x, const T *dy,     \
                                 T *out)                                                        \
    {                                                                                           \
        const type *table;                                                                      \
        switch (kind) {                                                                         \
        case NNM_ACT_RELU: table = nnm__simd_table_drelu_##sfx; break;                          \
        case NNM_ACT_LEAKY_RELU: table = nnm__simd_table_dleaky_##sfx; break;                   \
        case NNM_ACT_SIGMOID: table = nnm__simd_table_dsigmoid_##sfx; break;                    \
        case NNM_ACT_TANH: table = nnm__simd_table_dtanh_##sfx; break;                          \
        case NNM_ACT_IDENTITY: table = nnm__simd_table_dv_didentity_##sfx; break;               \
        case NNM_ACT_STEP: table = nnm__simd_table_dv_dstep_##sfx; break;                       \
        case NNM_ACT_ELU: table = nnm__simd_table_dv_delu_##sfx; break;                         \
        case NNM_ACT_SELU: table = nnm__simd_table_dv_dselu_##sfx; break;                       \
        case NNM_ACT_SOFTPLUS: table = nnm__simd_table_dv_dsoftplus_##sfx; break;               \
        case NNM_ACT_LOG_SIGMOID: table = nnm__simd_table_dv_dlogsig_##sfx; break;              \
        case NNM_ACT_SILU: table = nnm__simd_table_dv_dsilu_##sfx; break;                       \
        case NNM_ACT_GELU: table = nnm__simd_table_dgelu_##sfx; break;                          \
        case NNM_ACT_GELU_TANH: table = nnm__simd_table_dgelu_tanh_##sfx; break;                \
        case NNM_ACT_MISH: table = nnm__simd_table_dmish_##sfx; break;                          \
        default: return 0;                                                                      \
        }                                                                                       \
        type f = table[nnm__cpu_isa()];                                                         \
        if (f == NULL) return 0;                                                                \
        f(n, alpha, x, dy, out);                                                                \
        return 1;                                                                               \
    }
NNM__SIMD_GRAD_ACT_ENTRY(f32, float, nnm__dact_f32_fn)
NNM__SIMD_GRAD_ACT_ENTRY(f64, double, nnm__dact_f64_fn)

/* ---- kernels_loss.inc ---------------------------------------------------------------------- */
NNM__SIMD_LOSS_ENTRIES(NNM__SIMD_DEFINE_TABLE)

/* No option but the reduction (any of the three), n > 0; *red receives the reduction. */
static int nnm__ls_plain(size_t n, const nnm_loss_opts *o, nnm_reduction *red)
{
    if (n == 0) return 0;
    *red = NNM_REDUCE_SUM;
    if (o == NULL) return 1;
    if (o->class_weight != NULL || o->pos_weight != NULL || o->label_smoothing != 0.0 ||
        o->use_ignore_index != 0)
        return 0;
    *red = o->reduction;
    return 1;
}

/* NONE: the per-sample kernel of the kind; SUM / MEAN: the total of l1 / Huber (l2's SUM / MEAN
 * is nnm__simd_loss_l2_*), finished like the module (nnm__finish), or 0 when it is not finite. */
#define NNM__SIMD_LOSS_REG_ENTRY(sfx, T)                                                        \
    int nnm__simd_loss_reg_##sfx(int kind, double delta, size_t n, size_t k, const T *y,        \
                                 const T *t, const nnm_loss_opts *opts, T *out)                 \
    {                                                                                           \
        nnm_reduction red;                                                                      \
        if (!nnm__ls_plain(n, opts, &red)) return 0;                                            \
        nnm__isa isa = nnm__cpu_isa();                                                          \
        if (red == NNM_REDUCE_NONE) {                                                           \
            nnm__ls_rows_##sfx##_fn f = kind == NNM__SIMD_REG_L1 ? nnm__simd_table_ls_l1_rows_##sfx[isa] \
                                      : kind == NNM__SIMD_REG_HUBER ? nnm__simd_table_ls_huber_rows_##sfx[isa] \
                                      : nnm__simd_table_ls_l2_rows_##sfx[isa];                  \
            if (f == NULL) return 0;                                                            \
            f(n, k, delta, y, t, out);                                                          \
            return 1;                                                                           \
        }                                                                                       \
        nnm__ls_total_##sfx##_fn f = kind == NNM__SIMD_REG_L1 ? nnm__simd_table_ls_l1_total_##sfx[isa] \
                                   : kind == NNM__SIMD_REG_HUBER ? nnm__simd_table_ls_huber_total_##sfx[isa] \
                                   : NULL;                                                      \
        if (f == NULL) return 0;                                                                \
        double hi, lo;                                                                          \
        f(n * k, delta, y, t, &hi, &lo);                                                        \
        if (!isfinite(hi)) return 0; /* overflow or NaN: the reference's scaled total decides */ \
        out[0] = (T)nnm__finish(nnm__reduction(opts), n, hi, lo);                               \
        return 1;                                                                               \
    }
NNM__SIMD_LOSS_REG_ENTRY(f32, float)
NNM__SIMD_LOSS_REG_ENTRY(f64, double)

#define NNM__SIMD_GRAD_REG_ENTRY(sfx, T)                                                        \
    int nnm__simd_grad_reg_##sfx(int kind, double delta, size_t n, size_t k, const T *y,        \
                                 const T *t, const nnm_loss_opts *opts, T *dy)                  \
    {                                                                                           \
        nnm__isa isa = nnm__cpu_isa();                                                          \
        nnm__ls_grad_##sfx##_fn f = kind == NNM__SIMD_REG_L1 ? nnm__simd_table_ls_l1_grad_##sfx[isa] \
                                  : kind == NNM__SIMD_REG_HUBER ? nnm__simd_table_ls_huber_grad_##sfx[isa] \
                                  : NULL;                                                       \
        double den;                                                                             \
        if (f == NULL || !nnm__plain_grad(n, opts, &den)) return 0;                             \
        f(n * k, delta, y, t, den, dy);                                                         \
        return 1;                                                                               \
    }
NNM__SIMD_GRAD_REG_ENTRY(f32, float)
NNM__SIMD_GRAD_REG_ENTRY(f64, double)

#define NNM__SIMD_NLL_ENTRY(sfx, T)                                                             \
    int nnm__simd_loss_nll_labels_##sfx(size_t n, size_t k, const T *logp,                      \
                                        const int32_t *labels, const nnm_loss_opts *opts, T *out) \
    {                                                                                           \
        nnm_reduction red;                                                                      \
        if (!nnm__ls_plain(n, opts, &red)) return 0;                                            \
        nnm__isa isa = nnm__cpu_isa();                                                          \
        if (red == NNM_REDUCE_NONE) {                                                           \
            nnm__ls_nll_rows_##sfx##_fn f = nnm__simd_table_ls_nll_rows_##sfx[isa];             \
            if (f == NULL) return 0;                                                            \
            f(n, k, logp, labels, out);                                                         \
            return 1;                                                                           \
        }                                                                                       \
        nnm__labels_##sfx##_fn f = nnm__simd_table_ls_nll_total_##sfx[isa];                     \
        if (f == NULL) return 0;                                                                \
        double hi, lo;                                                                          \
        f(n, k, logp, labels, &hi, &lo);                                                        \
        if (!isfinite(hi)) return 0; /* overflow or NaN: the reference's scaled total decides */ \
        out[0] = (T)nnm__finish(nnm__reduction(opts), n, hi, lo);                               \
        return 1;                                                                               \
    }
NNM__SIMD_NLL_ENTRY(f32, float)
NNM__SIMD_NLL_ENTRY(f64, double)

/* NONE of BCE with logits / CE from logits with labels, no options */
#define NNM__SIMD_NONE_ENTRY(name, table, sfx, T, T2, MIN_K)                                    \
    int nnm__simd_loss_##name##_none_##sfx(size_t n, size_t k, const T *a, const T2 *t,          \
                                           const nnm_loss_opts *opts, T *out)                   \
    {                                                                                           \
        nnm_reduction red;                                                                      \
        if (!nnm__ls_plain(n, opts, &red) || red != NNM_REDUCE_NONE || k < MIN_K) return 0;     \
        nnm__isa isa = nnm__cpu_isa();                                                          \
        if (nnm__simd_table_##table##_##sfx[isa] == NULL) return 0;                             \
        nnm__simd_table_##table##_##sfx[isa](n, k, a, t, out);                                  \
        return 1;                                                                               \
    }
NNM__SIMD_NONE_ENTRY(bce_logits, ls_bcel_rows, f32, float, float, 1)
NNM__SIMD_NONE_ENTRY(bce_logits, ls_bcel_rows, f64, double, double, 1)
NNM__SIMD_NONE_ENTRY(ce_logits_labels, ls_cel_rows, f32, float, int32_t, NNM__MIN_K_CE_LOSS)
NNM__SIMD_NONE_ENTRY(ce_logits_labels, ls_cel_rows, f64, double, int32_t, NNM__MIN_K_CE_LOSS)

/* NLL gradient: g = -1 / den with gradient/loss.c's gl_finish operations (w = 1,
 * g = -1 + 0: the quotient plus its fma remainder over den, rounded once) */
#define NNM__SIMD_NLL_GRAD_ENTRY(sfx, T)                                                        \
    int nnm__simd_grad_nll_labels_##sfx(size_t n, size_t k, const T *logp,                      \
                                        const int32_t *labels, const nnm_loss_opts *opts,       \
                                        T *dlogp)                                               \
    {                                                                                           \
        nnm__ls_nll_grad_##sfx##_fn f = nnm__simd_table_ls_nll_grad_##sfx[nnm__cpu_isa()];      \
        double den;                                                                             \
        if (f == NULL || !nnm__plain_grad(n, opts, &den)) return 0;                             \
        double g = -1.0;                                                                        \
        if (den != 1.0) {                                                                       \
            double q = -1.0 / den;                                                              \
            g = isfinite(q) && q != 0.0 ? q + fma(-q, den, -1.0) / den : q;                     \
        }                                                                                       \
        f(n, k, logp, labels, g, dlogp);                                                        \
        return 1;                                                                               \
    }
NNM__SIMD_NLL_GRAD_ENTRY(f32, float)
NNM__SIMD_NLL_GRAD_ENTRY(f64, double)

/* ---- kernels_prob.inc: no options, any reduction, n > 0 -------------------------------------- */
NNM__SIMD_PROB_ENTRIES(NNM__SIMD_DEFINE_TABLE)

#define NNM__SIMD_PROB_GRAD_ENTRY(name, table, sfx, T)                                          \
    int nnm__simd_grad_##name##_##sfx(size_t n, size_t k, const T *x, const T *t,              \
                                      const nnm_loss_opts *opts, T *d)                         \
    {                                                                                           \
        nnm__grad_t_##sfx##_fn f = nnm__simd_table_##table##_##sfx[nnm__cpu_isa()];             \
        double den;                                                                             \
        if (f == NULL || !nnm__plain_grad(n, opts, &den)) return 0;                             \
        f(n * k, x, t, den, d);                                                                 \
        return 1;                                                                               \
    }
NNM__SIMD_PROB_GRAD_ENTRY(bce, pr_bce_grad, f32, float)
NNM__SIMD_PROB_GRAD_ENTRY(bce, pr_bce_grad, f64, double)
NNM__SIMD_PROB_GRAD_ENTRY(ce, pr_ce_grad, f32, float)
NNM__SIMD_PROB_GRAD_ENTRY(ce, pr_ce_grad, f64, double)
NNM__SIMD_PROB_GRAD_ENTRY(kl_div, pr_kl_grad, f32, float)
NNM__SIMD_PROB_GRAD_ENTRY(kl_div, pr_kl_grad, f64, double)
#undef NNM__SIMD_PROB_GRAD_ENTRY

#define NNM__SIMD_PROB_CELG_ENTRY(sfx, T)                                                       \
    int nnm__simd_grad_ce_logits_##sfx(size_t n, size_t k, const T *a, const T *t,             \
                                       const nnm_loss_opts *opts, T *da)                        \
    {                                                                                           \
        nnm__pr_rows_grad_##sfx##_fn f = nnm__simd_table_pr_cel_grad_##sfx[nnm__cpu_isa()];     \
        double den;                                                                             \
        if (f == NULL || k < NNM__MIN_K_CE_GRAD || !nnm__plain_grad(n, opts, &den)) return 0;   \
        f(n, k, a, t, den, da);                                                                 \
        return 1;                                                                               \
    }
NNM__SIMD_PROB_CELG_ENTRY(f32, float)
NNM__SIMD_PROB_CELG_ENTRY(f64, double)
#undef NNM__SIMD_PROB_CELG_ENTRY

/* NONE: the rows kernel; SUM / MEAN: the total over m = n k elements (elem = 1) or n rows,
 * finished as the module does (nnm__finish), or 0 when it is not finite. */
#define NNM__SIMD_PROB_LOSS_ENTRY(name, base, sfx, T, ttype, ARGS, MIN_K_NONE, MIN_K_TOTAL)    \
    int nnm__simd_loss_##name##_##sfx(size_t n, size_t k, const T *x, const T *t,              \
                                      const nnm_loss_opts *opts, T *out)                        \
    {                                                                                           \
        nnm_reduction red;                                                                      \
        if (!nnm__ls_plain(n, opts, &red)) return 0;                                            \
        nnm__isa isa = nnm__cpu_isa();                                                          \
        if (red == NNM_REDUCE_NONE) {                                                           \
            nnm__ls_rows2_##sfx##_fn f = nnm__simd_table_pr_##base##_rows_##sfx[isa];           \
            if (f == NULL || k < MIN_K_NONE) return 0;                                          \
            f(n, k, x, t, out);                                                                 \
            return 1;                                                                           \
        }                                                                                       \
        ttype f = nnm__simd_table_pr_##base##_total_##sfx[isa];                                 \
        if (f == NULL || k < MIN_K_TOTAL) return 0;                                             \
        double hi, lo;                                                                          \
        f ARGS;                                                                                 \
        if (!isfinite(hi)) return 0; /* overflow, inf or NaN: the reference's scaled total */   \
        out[0] = (T)nnm__finish(nnm__reduction(opts), n, hi, lo);                               \
        return 1;                                                                               \
    }
#define NNM__PR_ELEM_ARGS (n * k, x, t, &hi, &lo)
#define NNM__PR_ROWS_ARGS (n, k, x, t, &hi, &lo)
NNM__SIMD_PROB_LOSS_ENTRY(bce, bce, f32, float, nnm__total_f32_fn, NNM__PR_ELEM_ARGS, 1, 1)
NNM__SIMD_PROB_LOSS_ENTRY(bce, bce, f64, double, nnm__total_f64_fn, NNM__PR_ELEM_ARGS, 1, 1)
NNM__SIMD_PROB_LOSS_ENTRY(ce, ce, f32, float, nnm__total_f32_fn, NNM__PR_ELEM_ARGS, 1, 1)
NNM__SIMD_PROB_LOSS_ENTRY(ce, ce, f64, double, nnm__total_f64_fn, NNM__PR_ELEM_ARGS, 1, 1)
NNM__SIMD_PROB_LOSS_ENTRY(kl_div, kl, f32, float, nnm__total_f32_fn, NNM__PR_ELEM_ARGS,
                          NNM__MIN_K_KL_ROWS, 1)
NNM__SIMD_PROB_LOSS_ENTRY(kl_div, kl, f64, double, nnm__total_f64_fn, NNM__PR_ELEM_ARGS,
                          NNM__MIN_K_KL_ROWS, 1)
NNM__SIMD_PROB_LOSS_ENTRY(ce_logits, cel, f32, float, nnm__labels_pr_f32_fn, NNM__PR_ROWS_ARGS,
                          NNM__MIN_K_CE_LOSS, NNM__MIN_K_CE_LOSS)
NNM__SIMD_PROB_LOSS_ENTRY(ce_logits, cel, f64, double, nnm__labels_pr_f64_fn, NNM__PR_ROWS_ARGS,
                          NNM__MIN_K_CE_LOSS, NNM__MIN_K_CE_LOSS)
#undef NNM__PR_ELEM_ARGS
#undef NNM__PR_ROWS_ARGS
#undef NNM__SIMD_PROB_LOSS_ENTRY

/* ---- kernels_prob.inc with options: class_weight of bce / ce / ce_logits (dense targets), label
 * smoothing of ce / ce_logits; the module's validated configuration (the weights are finite and
 * >= 0) and smoothing constants. Without options the entries above run (these return 0). */
#include "core/loss_opts.h"
#include "core/loss_terms.h"
NNM__SIMD_PROBW_ENTRIES(NNM__SIMD_DEFINE_TABLE)

/* the smoothing constants when smoothing is active, else NULL; 0 when nothing is an option */
static int nnm__prw_opts(const nnm__loss_cfg *cfg, const nnm__smoothing **sm, size_t n)
{
    if (*sm != NULL && !(*sm)->active) *sm = NULL;
    return n > 0 && (cfg->class_weight != NULL || *sm != NULL);
}

/* The ce_logits gradient needs C = sum_j w_j t'_j (<= sum_j w_j, t' <= 1) finite and far from
 * DBL_MAX (kernels_prob.inc pr_cel_grad_row): the plain sum of the weights is within k eps of the
 * exact one, so <= 2^1000 proves C < 2^1001. */
static int nnm__prw_weights_small(const nnm__loss_cfg *cfg, size_t k)
{
    double sum = 0.0;
    for (size_t j = 0; cfg->class_weight != NULL && j < k; ++j) sum += cfg->class_weight[j];
    return sum <= 0x1p1000;
}

#define NNM__SIMD_PROBW_ENTRY_DEFS(name, base, sfx, T, CHECK, MIN_K_LOSS, MIN_K_GRAD)          \
    int nnm__simd_loss_##name##_opts_##sfx(const struct nnm__loss_cfg *cfg,                     \
                                           const struct nnm__smoothing *sm, size_t n, size_t k, \
                                           const T *x, const T *t, T *out)                      \
    {                                                                                           \
        if (!nnm__prw_opts(cfg, &sm, n) || k < MIN_K_LOSS) return 0;                            \
        nnm__isa isa = nnm__cpu_isa();                                                          \
        if (cfg->reduction == NNM_REDUCE_NONE) {                                                \
            nnm__prw_rows_##sfx##_fn f = nnm__simd_table_pr_##base##_rows_##sfx[isa];           \
            if (f == NULL) return 0;                                                            \
            f(n, k, x, t, cfg->class_weight, sm, out);                                          \
            return 1;                                                                           \
        }                                                                                       \
        nnm__prw_total_##sfx##_fn f = nnm__simd_table_pr_##base##_total_##sfx[isa];             \
        if (f == NULL) return 0;                                                                \
        double hi, lo;                                                                          \
        f(n, k, x, t, cfg->class_weight, sm, &hi, &lo);                                         \
        if (!isfinite(hi)) return 0; /* overflow, inf or NaN: the reference's scaled total */   \
        out[0] = (T)nnm__finish(cfg->reduction, n, hi, lo);                                     \
        return 1;                                                                               \
    }                                                                                           \
    int nnm__simd_grad_##name##_opts_##sfx(const struct nnm__loss_cfg *cfg,                     \
                                           const struct nnm__smoothing *sm, double den,         \
                                           size_t n, size_t k, const T *x, const T *t, T *d)    \
    {                                                                                           \
        nnm__prw_grad_##sfx##_fn f = nnm__simd_table_pr_##base##_grad_##sfx[nnm__cpu_isa()];    \
        if (f == NULL || k < MIN_K_GRAD || !nnm__prw_opts(cfg, &sm, n) || !(CHECK)) return 0;  \
        f(n, k, x, t, cfg->class_weight, sm, den, d);                                           \
        return 1;                                                                               \
    }
NNM__SIMD_PROBW_ENTRY_DEFS(bce, bcew, f32, float, 1, 1, 1)
NNM__SIMD_PROBW_ENTRY_DEFS(bce, bcew, f64, double, 1, 1, 1)
NNM__SIMD_PROBW_ENTRY_DEFS(ce, cew, f32, float, 1, 1, 1)
NNM__SIMD_PROBW_ENTRY_DEFS(ce, cew, f64, double, 1, 1, 1)
NNM__SIMD_PROBW_ENTRY_DEFS(ce_logits, celw, f32, float, nnm__prw_weights_small(cfg, k),
                           NNM__MIN_K_CE_LOSS, NNM__MIN_K_CE_GRAD)
NNM__SIMD_PROBW_ENTRY_DEFS(ce_logits, celw, f64, double, nnm__prw_weights_small(cfg, k),
                           NNM__MIN_K_CE_LOSS, NNM__MIN_K_CE_GRAD)
#undef NNM__SIMD_PROBW_ENTRY_DEFS

/* ---- kernels_deriv.inc ----------------------------------------------------------------------- */
NNM__SIMD_DERIV_ENTRIES(NNM__SIMD_DEFINE_TABLE)

/* relu and leaky relu from y: the x-form kernels (drelu, dleaky) give the y-forms on the domain
 * the module has validated (y >= 0 resp. sign(y) = sign(x) for alpha > 0). */
#define NNM__SIMD_FROM_Y_ENTRY(sfx, T, type)                                                    \
    int nnm__simd_grad_act_from_y_##sfx(int kind, double alpha, size_t n, const T *y,          \
                                        const T *dy, T *out)                                    \
    {                                                                                           \
        const type *table;                                                                      \
        switch (kind) {                                                                         \
        case NNM_ACT_IDENTITY: table = nnm__simd_table_dv_didentity_##sfx; break;               \
        case NNM_ACT_STEP: table = nnm__simd_table_dv_dstep_##sfx; break;                       \
        case NNM_ACT_SIGMOID: table = nnm__simd_table_dv_ysigmoid_##sfx; break;                 \
        case NNM_ACT_TANH: table = nnm__simd_table_dv_ytanh_##sfx; break;                       \
        case NNM_ACT_RELU: table = nnm__simd_table_drelu_##sfx; break;                          \
        case NNM_ACT_LEAKY_RELU: table = nnm__simd_table_dleaky_##sfx; break;                   \
        case NNM_ACT_ELU: table = nnm__simd_table_dv_yelu_##sfx; break;                         \
        case NNM_ACT_SELU: table = nnm__simd_table_dv_yselu_##sfx; break;                       \
        case NNM_ACT_SOFTPLUS: table = nnm__simd_table_dv_ysoftplus_##sfx; break;               \
        case NNM_ACT_LOG_SIGMOID: table = nnm__simd_table_dv_ylogsig_##sfx; break;              \
        default: return 0;                                                                      \
        }                                                                                       \
        type f = table[nnm__cpu_isa()];                                                         \
        if (f == NULL) return 0;                                                                \
        f(n, alpha, y, dy, out);                                                                \
        return 1;                                                                               \
    }
NNM__SIMD_FROM_Y_ENTRY(f32, float, nnm__dact_f32_fn)
NNM__SIMD_FROM_Y_ENTRY(f64, double, nnm__dact_f64_fn)

#define NNM__SIMD_HESS_ACT_ENTRY(sfx, T, type)                                                  \
    int nnm__simd_hess_act_##sfx(int kind, double alpha, size_t n, const T *x, T *out)         \
    {                                                                                           \
        const type *table;                                                                      \
        switch (kind) {                                                                         \
        case NNM_ACT_IDENTITY: case NNM_ACT_STEP: case NNM_ACT_RELU: case NNM_ACT_LEAKY_RELU:   \
            table = nnm__simd_table_dv_hzero_##sfx; break;                                      \
        case NNM_ACT_SIGMOID: table = nnm__simd_table_dv_hsigmoid_##sfx; break;                 \
        case NNM_ACT_TANH: table = nnm__simd_table_dv_htanh_##sfx; break;                       \
        case NNM_ACT_ELU: table = nnm__simd_table_dv_helu_##sfx; break;                         \
        case NNM_ACT_SELU: table = nnm__simd_table_dv_hselu_##sfx; break;                       \
        case NNM_ACT_SOFTPLUS: table = nnm__simd_table_dv_hsoftplus_##sfx; break;               \
        case NNM_ACT_LOG_SIGMOID: table = nnm__simd_table_dv_hlogsig_##sfx; break;              \
        case NNM_ACT_SILU: table = nnm__simd_table_dv_hsilu_##sfx; break;                       \
        case NNM_ACT_GELU: table = nnm__simd_table_hgelu_##sfx; break;                          \
        case NNM_ACT_GELU_TANH: table = nnm__simd_table_hgelu_tanh_##sfx; break;                \
        case NNM_ACT_MISH: table = nnm__simd_table_hmish_##sfx; break;                          \
        default: return 0;                                                                      \
        }                                                                                       \
        type f = table[nnm__cpu_isa()];                                                         \
        if (f == NULL) return 0;                                                                \
        f(n, alpha, x, NULL, out);                                                              \
        return 1;                                                                               \
    }
NNM__SIMD_HESS_ACT_ENTRY(f32, float, nnm__dact_f32_fn)
NNM__SIMD_HESS_ACT_ENTRY(f64, double, nnm__dact_f64_fn)

/* ---- kernels_act3.inc -------------------- */
NNM__SIMD_ACT3_ENTRIES(NNM__SIMD_DEFINE_TABLE)
NNM__SIMD_UNARY_ENTRY(gelu_f32, float, nnm__unary_f32_fn)
NNM__SIMD_UNARY_ENTRY(gelu_f64, double, nnm__unary_f64_fn)
NNM__SIMD_UNARY_ENTRY(gelu_tanh_f32, float, nnm__unary_f32_fn)
NNM__SIMD_UNARY_ENTRY(gelu_tanh_f64, double, nnm__unary_f64_fn)
NNM__SIMD_UNARY_ENTRY(mish_f32, float, nnm__unary_f32_fn)
NNM__SIMD_UNARY_ENTRY(mish_f64, double, nnm__unary_f64_fn)

/* ---- kernels_opts.inc -------------------- */
#include "core/loss_opts.h"
NNM__SIMD_OPTS_ENTRIES(NNM__SIMD_DEFINE_TABLE)

static nnm__simd_lw nnm__op_lw(const nnm__loss_cfg *cfg)
{
    nnm__simd_lw lw = {cfg->class_weight, cfg->weight_scale, cfg->ignore_index, cfg->use_ignore};
    return lw;
}

#define NNM__SIMD_OPTS_ENTRY_DEFS(sfx, T)                                                       \
    int nnm__simd_cel_opts_rows_##sfx(const struct nnm__loss_cfg *cfg,                          \
                                      const struct nnm__smoothing *sm, size_t n, size_t k,      \
                                      const T *a, const int32_t *labels, double *lh, double *ll) \
    {                                                                                           \
        nnm__op_cel_rows_##sfx##_fn f = nnm__simd_table_op_cel_rows_##sfx[nnm__cpu_isa()];      \
        if (f == NULL || n == 0 || k < NNM__MIN_K_CE_LOSS) return 0;                            \
        nnm__simd_lw lw = nnm__op_lw(cfg);                                                      \
        f(n, k, a, labels, &lw, sm, lh, ll);                                                    \
        return 1;                                                                               \
    }                                                                                           \
    int nnm__simd_grad_cel_opts_##sfx(const struct nnm__loss_cfg *cfg,                          \
                                      const struct nnm__smoothing *sm, double den, size_t n,    \
                                      size_t k, const T *a, const int32_t *labels, T *da)       \
    {                                                                                           \
        nnm__op_cel_grad_##sfx##_fn f = nnm__simd_table_op_cel_grad_##sfx[nnm__cpu_isa()];      \
        if (f == NULL || n == 0 || k < NNM__MIN_K_CE_GRAD) return 0;                            \
        nnm__simd_lw lw = nnm__op_lw(cfg);                                                      \
        f(n, k, a, labels, &lw, sm, den, da);                                                   \
        return 1;                                                                               \
    }                                                                                           \
    int nnm__simd_nll_opts_total_##sfx(const struct nnm__loss_cfg *cfg, size_t n, size_t k,     \
                                       const T *logp, const int32_t *labels, double *hl)        \
    {                                                                                           \
        nnm__op_nll_total_##sfx##_fn f = nnm__simd_table_op_nll_total_##sfx[nnm__cpu_isa()];    \
        if (f == NULL || n == 0) return 0;                                                      \
        nnm__simd_lw lw = nnm__op_lw(cfg);                                                      \
        f(n, k, logp, labels, &lw, &hl[0], &hl[1]);                                             \
        return isfinite(hl[0]); /* else the reference's scaled total decides */                 \
    }                                                                                           \
    int nnm__simd_nll_opts_rows_##sfx(const struct nnm__loss_cfg *cfg, size_t n, size_t k,      \
                                      const T *logp, const int32_t *labels, T *out)             \
    {                                                                                           \
        nnm__op_nll_rows_##sfx##_fn f = nnm__simd_table_op_nll_rows_##sfx[nnm__cpu_isa()];      \
        if (f == NULL || n == 0) return 0;                                                      \
        nnm__simd_lw lw = nnm__op_lw(cfg);                                                      \
        f(n, k, logp, labels, &lw, out);                                                        \
        return 1;                                                                               \
    }                                                                                           \
    int nnm__simd_grad_nll_opts_##sfx(const struct nnm__loss_cfg *cfg, double den, size_t n,    \
                                      size_t k, const T *logp, const int32_t *labels, T *dlogp) \
    {                                                                                           \
        nnm__op_nll_grad_##sfx##_fn f = nnm__simd_table_op_nll_grad_##sfx[nnm__cpu_isa()];      \
        if (f == NULL || n == 0) return 0;                                                      \
        nnm__simd_lw lw = nnm__op_lw(cfg);                                                      \
        f(n, k, logp, labels, &lw, den, dlogp);                                                 \
        return 1;                                                                               \
    }
NNM__SIMD_OPTS_ENTRY_DEFS(f32, float)
NNM__SIMD_OPTS_ENTRY_DEFS(f64, double)

/* ---- kernels_opts.inc: BCE with logits with class_weight / pos_weight ------------------------ */
NNM__SIMD_BCEW_ENTRIES(NNM__SIMD_DEFINE_TABLE)

#define NNM__SIMD_BCEW_ENTRY_DEFS(sfx, T)                                                       \
    int nnm__simd_loss_bce_logits_opts_##sfx(const struct nnm__loss_cfg *cfg, size_t n,         \
                                             size_t k, const T *a, const T *t, T *out)          \
    {                                                                                           \
        nnm__isa isa = nnm__cpu_isa();                                                          \
        if (n == 0 || (cfg->class_weight == NULL && cfg->pos_weight == NULL)) return 0;         \
        if (cfg->reduction == NNM_REDUCE_NONE) {                                                \
            nnm__op_bcew_rows_##sfx##_fn f = nnm__simd_table_op_bcew_rows_##sfx[isa];           \
            if (f == NULL) return 0;                                                            \
            f(n, k, a, t, cfg->class_weight, cfg->pos_weight, out);                             \
            return 1;                                                                           \
        }                                                                                       \
        nnm__op_bcew_total_##sfx##_fn f = nnm__simd_table_op_bcew_total_##sfx[isa];             \
        if (f == NULL) return 0;                                                                \
        double hi, lo;                                                                          \
        f(n, k, a, t, cfg->class_weight, cfg->pos_weight, &hi, &lo);                            \
        if (!isfinite(hi)) return 0; /* overflow, inf or NaN: the reference's scaled total */   \
        out[0] = (T)nnm__finish(cfg->reduction, n, hi, lo);                                     \
        return 1;                                                                               \
    }                                                                                           \
    int nnm__simd_grad_bce_logits_opts_##sfx(const struct nnm__loss_cfg *cfg, size_t n,         \
                                             size_t k, const T *a, const T *t, T *da)           \
    {                                                                                           \
        nnm__op_bcew_grad_##sfx##_fn f = nnm__simd_table_op_bcew_grad_##sfx[nnm__cpu_isa()];    \
        if (f == NULL || n == 0 || (cfg->class_weight == NULL && cfg->pos_weight == NULL))      \
            return 0;                                                                           \
        f(n, k, a, t, cfg->class_weight, cfg->pos_weight,                                       \
          cfg->reduction == NNM_REDUCE_MEAN ? (double)n : 1.0, da);                             \
        return 1;                                                                               \
    }
NNM__SIMD_BCEW_ENTRY_DEFS(f32, float)
NNM__SIMD_BCEW_ENTRY_DEFS(f64, double)
#undef NNM__SIMD_BCEW_ENTRY_DEFS
