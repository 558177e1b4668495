/*
 * The softmax family over the rows of an n x k matrix: softmax, log-softmax and logsumexp with
 * inverse temperature beta, f32 and f64 from one template (softmax.inc). The row statistics
 * (max, argmax, extended-precision sum of the non-maximal exponentials) are core/softmax_row.h,
 * shared with the cross-entropy losses and the derivative modules.
 */
#include <math.h>
#include <stddef.h>

#include "nnmath/activation.h"
#include "core/act_math.h"
#include "core/simd/dispatch.h"
#include "core/softmax_row.h"
#include "internal.h"
#include "activation/kernels.h"

typedef enum nnm__row_kind { NNM__ROW_SOFTMAX, NNM__ROW_LOG_SOFTMAX } nnm__row_kind;

/* Arguments of the row functions, in the policy's order: pointers and beta (NNM_EINVAL), then
 * sizes (NNM_ESIZE), then the overlap of the output (out_count elements) with a, which is
 * allowed only as exact equality (NNM_EINVAL otherwise). */
static nnm_status nnm__rows_check(size_t n, size_t k, double beta, const void *a, const void *out,
                                  size_t out_per_row, size_t elem_size)
{
    NNM_RETURN_IF(n > 0 && (a == NULL || out == NULL), NNM_EINVAL);
    NNM_RETURN_IF(!(beta > 0.0 && isfinite(beta)), NNM_EINVAL);
    size_t count, out_count;
    NNM_TRY(nnm__matrix_size(n, k, elem_size, &count));
    NNM_TRY(nnm__count(n, out_per_row, elem_size, &out_count));
    NNM_RETURN_IF(nnm__partial_overlap(a, count * elem_size, out, out_count * elem_size),
                  NNM_EINVAL);
    return NNM_OK;
}

#define NNM__T double
#define NNM__SFX(name) name##_f64
#include "activation/softmax.inc"
#undef NNM__T
#undef NNM__SFX

#define NNM__T float
#define NNM__SFX(name) name##_f32
#include "activation/softmax.inc"
#undef NNM__T
#undef NNM__SFX

nnm_status nnm_act_softmax_f64(size_t n, size_t k, double beta, const double *a, double *y)
{
    NNM_TRY(nnm__rows_check(n, k, beta, a, y, k, sizeof *a));
    if (!nnm__simd_softmax_f64(n, k, beta, a, y)) nnm__act_softmax_kernel_f64(n, k, beta, a, y);
    return NNM_OK;
}

nnm_status nnm_act_softmax_f32(size_t n, size_t k, double beta, const float *a, float *y)
{
    NNM_TRY(nnm__rows_check(n, k, beta, a, y, k, sizeof *a));
    if (!nnm__simd_softmax_f32(n, k, beta, a, y)) nnm__act_softmax_kernel_f32(n, k, beta, a, y);
    return NNM_OK;
}

nnm_status nnm_act_log_softmax_f64(size_t n, size_t k, double beta, const double *a, double *y)
{
    NNM_TRY(nnm__rows_check(n, k, beta, a, y, k, sizeof *a));
    if (!nnm__simd_log_softmax_f64(n, k, beta, a, y)) nnm__act_log_softmax_kernel_f64(n, k, beta, a, y);
    return NNM_OK;
}

nnm_status nnm_act_log_softmax_f32(size_t n, size_t k, double beta, const float *a, float *y)
{
    NNM_TRY(nnm__rows_check(n, k, beta, a, y, k, sizeof *a));
    if (!nnm__simd_log_softmax_f32(n, k, beta, a, y)) nnm__act_log_softmax_kernel_f32(n, k, beta, a, y);
    return NNM_OK;
}

/* lse has one value per row; lse == a is allowed: row r's value lands in a[r], which belongs to
 * a row <= r that has been read completely (k >= 1). */
nnm_status nnm_act_logsumexp_f64(size_t n, size_t k, double beta, const double *a, double *lse)
{
    NNM_TRY(nnm__rows_check(n, k, beta, a, lse, 1, sizeof *a));
    if (!nnm__simd_logsumexp_f64(n, k, beta, a, lse)) nnm__act_logsumexp_kernel_f64(n, k, beta, a, lse);
    return NNM_OK;
}

nnm_status nnm_act_logsumexp_f32(size_t n, size_t k, double beta, const float *a, float *lse)
{
    NNM_TRY(nnm__rows_check(n, k, beta, a, lse, 1, sizeof *a));
    if (!nnm__simd_logsumexp_f32(n, k, beta, a, lse)) nnm__act_logsumexp_kernel_f32(n, k, beta, a, lse);
    return NNM_OK;
}
