/*
 * Internal conventions shared by every module: argument-check macros and size arithmetic.
 * Internal non-static names use the nnm__ prefix; nothing here is exported.
 */
#ifndef NNMATH_INTERNAL_H
#define NNMATH_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "nnmath/status.h"

/* Validate, then run: every public function checks all its arguments with these before its first
 * write, so a failing call has written nothing. */
#define NNM_RETURN_IF(cond, status) \
    do {                            \
        if (cond) return (status);  \
    } while (0)

/* Propagate a status from a helper check. */
#define NNM_TRY(expr)                        \
    do {                                     \
        nnm_status nnm__st_ = (expr);        \
        if (nnm__st_ != NNM_OK) return nnm__st_; \
    } while (0)

/* The element count a * b, or NNM_ESIZE when it overflows size_t or when count * elem_size bytes
 * exceed PTRDIFF_MAX (pointer differences inside such an array would be undefined). */
static inline nnm_status nnm__count(size_t a, size_t b, size_t elem_size, size_t *count)
{
    size_t limit = (size_t)PTRDIFF_MAX / elem_size;
    if (a != 0 && b > limit / a) return NNM_ESIZE;
    *count = a * b;
    return NNM_OK;
}

/* NNM_ESIZE for k == 0 or an n x k array that is too large; *count receives n*k. */
static inline nnm_status nnm__matrix_size(size_t n, size_t k, size_t elem_size, size_t *count)
{
    if (k == 0) return NNM_ESIZE;
    return nnm__count(n, k, elem_size, count);
}

/* True when [a, a+na) and [b, b+nb) (in bytes) overlap without being the same array start; used
 * where the API allows exact aliasing only. */
static inline int nnm__partial_overlap(const void *a, size_t na, const void *b, size_t nb)
{
    uintptr_t pa = (uintptr_t)a, pb = (uintptr_t)b;
    if (a == NULL || b == NULL || pa == pb) return 0;
    return pa < pb + nb && pb < pa + na;
}

#endif /* NNMATH_INTERNAL_H */
