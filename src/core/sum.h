/*
 * Accurate summation (internal). Neumaier's compensated sum: the error of a sum of m terms is
 * at most 2 eps |s| + O(m eps^2) sum|x_i| instead of (m-1) eps sum|x_i| for naive summation, which
 * is what lets a reduction add at most 2 eps (and the f32 SUM of 1e6 terms, accumulated in double,
 * land within 1 ULP of the exact sum).
 */
#ifndef NNMATH_CORE_SUM_H
#define NNMATH_CORE_SUM_H

#include <math.h>
#include <stddef.h>

typedef struct nnm__sum {
    double s; /* running sum */
    double c; /* accumulated rounding errors */
} nnm__sum;

static inline void nnm__sum_add(nnm__sum *acc, double x)
{
    double t = acc->s + x;
    /* the rounding error of s + x, exactly (TwoSum by magnitude) */
    acc->c += fabs(acc->s) >= fabs(x) ? (acc->s - t) + x : (x - t) + acc->s;
    acc->s = t;
}

/* The compensated total. Once s is infinite or NaN the correction is meaningless (inf - inf), so
 * the IEEE result of the plain sum is returned: NaN in gives NaN, +inf + finite gives +inf. */
static inline double nnm__sum_result(const nnm__sum *acc)
{
    return isfinite(acc->s) ? acc->s + acc->c : acc->s;
}

#endif /* NNMATH_CORE_SUM_H */
