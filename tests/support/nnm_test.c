#include "nnm_test.h"

#include <float.h>
#include <math.h>
#include <string.h>

/* Map the bit pattern onto a monotone integer line: negative values are mirrored below zero so
 * that consecutive doubles differ by 1, and -0 and +0 coincide. */
static int64_t ordered_f64(double x)
{
    int64_t i;
    memcpy(&i, &x, sizeof i);
    return i < 0 ? INT64_MIN - i : i;
}

static int32_t ordered_f32(float x)
{
    int32_t i;
    memcpy(&i, &x, sizeof i);
    return i < 0 ? INT32_MIN - i : i;
}

uint64_t nnm_ulp_distance_f64(double a, double b)
{
    if (isnan(a) || isnan(b)) return (isnan(a) && isnan(b)) ? 0 : UINT64_MAX;
    if (a == b) return 0;
    if (isinf(a) && isinf(b)) return UINT64_MAX;
    int64_t ia = ordered_f64(a), ib = ordered_f64(b);
    /* the difference of two values in [-2^63+1, 2^63-1] fits in uint64_t */
    return ia > ib ? (uint64_t)ia - (uint64_t)ib : (uint64_t)ib - (uint64_t)ia;
}

uint64_t nnm_ulp_distance_f32(float a, float b)
{
    if (isnan(a) || isnan(b)) return (isnan(a) && isnan(b)) ? 0 : UINT64_MAX;
    if (a == b) return 0;
    if (isinf(a) && isinf(b)) return UINT64_MAX;
    int64_t ia = ordered_f32(a), ib = ordered_f32(b);
    return (uint64_t)(ia > ib ? ia - ib : ib - ia);
}

static double rel_err_eps(double got, double want, double eps)
{
    if (isnan(got) || isnan(want)) return (isnan(got) && isnan(want)) ? 0.0 : HUGE_VAL;
    if (got == want) return 0.0;
    if (want == 0.0 || isinf(want) || isinf(got)) return HUGE_VAL;
    return fabs(got - want) / (fabs(want) * eps);
}

double nnm_rel_err_eps_f64(double got, double want)
{
    return rel_err_eps(got, want, DBL_EPSILON);
}

double nnm_rel_err_eps_f32(float got, double want)
{
    return rel_err_eps((double)got, want, (double)FLT_EPSILON);
}

void nnm_canary_fill(void *buf, size_t bytes)
{
    if (bytes) memset(buf, 0xFF, bytes);
}

int nnm_canary_intact(const void *buf, size_t bytes)
{
    const unsigned char *p = buf;
    for (size_t i = 0; i < bytes; ++i)
        if (p[i] != 0xFF) return 0;
    return 1;
}

uint64_t nnm_rand_u64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

double nnm_rand_uniform(uint64_t *state, double lo, double hi)
{
    double u = (double)(nnm_rand_u64(state) >> 11) * 0x1p-53; /* [0, 1) */
    return lo + (hi - lo) * u;
}
