/*
 * Shared pieces of the libFuzzer targets: a reader that decodes sizes, options and IEEE values
 * from the fuzzer's bytes, exact-size heap buffers (so that AddressSanitizer sees one element past
 * either end), output snapshots (a failing call must leave its outputs bit-identical) and the
 * invariant check that turns a broken promise into a crash libFuzzer keeps as a reproducer.
 *
 * Every decoder is total: when the input runs out it returns zeros, so any byte string is a valid
 * input and the fuzzer never wastes executions on rejected inputs.
 */
#ifndef NNM_FUZZ_COMMON_H
#define NNM_FUZZ_COMMON_H

#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nnmath/nnmath.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What the target prints about the current case when an invariant fails (set per input). */
static void (*fz_describe)(void);

/* A broken invariant: say which, describe the case, and abort, so libFuzzer saves the input. */
#define FZ_CHECK(cond)                                                                     \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "fuzz invariant failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
            if (fz_describe) fz_describe();                                                \
            abort();                                                                       \
        }                                                                                  \
    } while (0)

/* ---- the input reader ------------------------------------------------------------------- */

typedef struct fz_in {
    const uint8_t *p;
    size_t n;
} fz_in;

static inline uint8_t fz_u8(fz_in *in)
{
    if (in->n == 0) return 0;
    in->n--;
    return *in->p++;
}

static inline uint16_t fz_u16(fz_in *in)
{
    uint16_t lo = fz_u8(in);
    return (uint16_t)(lo | (uint16_t)(fz_u8(in) << 8));
}

static inline uint32_t fz_u32(fz_in *in)
{
    uint32_t lo = fz_u16(in);
    return lo | ((uint32_t)fz_u16(in) << 16);
}

static inline uint64_t fz_u64(fz_in *in)
{
    uint64_t lo = fz_u32(in);
    return lo | ((uint64_t)fz_u32(in) << 32);
}

/* A value in [0, count): uniform enough for choices among a few options. */
static inline unsigned fz_pick(fz_in *in, unsigned count)
{
    return count == 0 ? 0u : (unsigned)(fz_u8(in) % count);
}

/* Values every function must survive: signed zeros, infinities, NaN, the extremes of both types,
 * the exp overflow/underflow thresholds of f64 (709.78, -745.13) and f32 (88.72, -103.97), the
 * thresholds used by the activations (20, 36, 1e8) and the zero crossings of the derivatives. */
static const double fz_specials[] = {
    0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, INFINITY, -INFINITY, NAN, -NAN,
    DBL_MIN, -DBL_MIN, DBL_TRUE_MIN, -DBL_TRUE_MIN, DBL_MAX, -DBL_MAX, DBL_EPSILON,
    (double)FLT_MIN, -(double)FLT_MIN, (double)FLT_TRUE_MIN, (double)FLT_MAX, -(double)FLT_MAX,
    709.782712893384, -709.782712893384, 745.1332191019412, -745.1332191019412, -708.3964185322641,
    88.72283935546875, -88.72283935546875, 103.97208404541016, -103.97208404541016,
    -87.33654022216797, 20.0, -20.0, 36.0, -36.0, 1e8, -1e8, 1e300, -1e300, 1e-300, -1e-300,
    -1.2784645427610738, -0.7517915246935645, 1.4142135623730951, -1.4142135623730951,
    2.3993572805154676, -2.3993572805154676, 1e-8, -1e-8, 0.6931471805599453, -0.6931471805599453,
};

/* One double: raw bits, a special value, a moderate value, a value of any binade, or a value that
 * is exactly a float. The mix keeps most inputs where the functions do interesting work while raw
 * bits still reach every NaN payload and subnormal. */
static inline double fz_f64(fz_in *in)
{
    uint8_t mode = fz_u8(in);
    switch (mode % 8) {
    case 0: {
        uint64_t bits = fz_u64(in);
        double x;
        memcpy(&x, &bits, sizeof x);
        return x;
    }
    case 1:
        return fz_specials[fz_u8(in) % (sizeof fz_specials / sizeof fz_specials[0])];
    case 2:
    case 3:
        return (double)(int16_t)fz_u16(in) / 256.0; /* [-128, 128) in steps of 1/256 */
    case 4: {
        /* (1 + m/2^16) 2^e with e in [-1080, 1040]: every binade, subnormals included */
        double m = 1.0 + (double)fz_u16(in) / 65536.0;
        int e = (int)(fz_u16(in) % 2121u) - 1080;
        double x = ldexp(m, e);
        return (mode & 8) ? -x : x;
    }
    case 5:
        return (double)(int8_t)fz_u8(in); /* small integers: exact kinks and ties */
    case 6:
        return (double)(int16_t)fz_u16(in) * 1e-3;
    default: {
        uint32_t bits = fz_u32(in);
        float f;
        memcpy(&f, &bits, sizeof f);
        return (double)f;
    }
    }
}

/* A float: the same mix, rounded (which also produces the f32 overflow to +-inf). */
static inline float fz_f32(fz_in *in)
{
    return (float)fz_f64(in);
}

/* A probability-like value in [0,1] most of the time, and sometimes anything (the EDOM cases). */
static inline double fz_unit_f64(fz_in *in)
{
    uint8_t mode = fz_u8(in);
    if (mode < 200) return (double)fz_u16(in) / 65535.0;
    if (mode < 215) return (mode & 1) ? 1.0 : 0.0;
    return fz_f64(in);
}

/* A scalar parameter: mostly a plausible value, sometimes a special or an arbitrary one. */
static inline double fz_param(fz_in *in, double plausible)
{
    uint8_t mode = fz_u8(in);
    if (mode < 150) return plausible * (1.0 + (double)(int8_t)fz_u8(in) / 128.0);
    return fz_f64(in);
}

/* ---- buffers ------------------------------------------------------------------------------ */

/* An exact-size heap buffer (at least 1 byte, so malloc never returns NULL for a valid request);
 * ASan reports any access past count elements. */
static inline void *fz_alloc(size_t count, size_t elem)
{
    void *p = malloc(count == 0 ? 1 : count * elem);
    if (p == NULL) abort();
    return p;
}

/* An output buffer pre-filled with a pattern no function computes (all bits set). */
static inline void *fz_alloc_out(size_t count, size_t elem)
{
    void *p = fz_alloc(count, elem);
    memset(p, 0xff, count == 0 ? 1 : count * elem);
    return p;
}

/* A copy of a buffer, to prove later that a failing call wrote nothing. */
static inline void *fz_snapshot(const void *buf, size_t bytes)
{
    void *p = fz_alloc(bytes, 1);
    if (bytes) memcpy(p, buf, bytes);
    return p;
}

static inline int fz_same(const void *a, const void *b, size_t bytes)
{
    return bytes == 0 || memcmp(a, b, bytes) == 0;
}

/* ---- numbers ------------------------------------------------------------------------------ */

static inline int fz_status_known(nnm_status s)
{
    return s == NNM_OK || s == NNM_EINVAL || s == NNM_ESIZE || s == NNM_EDOM || s == NNM_ENOMEM ||
           s == NNM_ENOCONV;
}

/* Number of doubles between a and b (0 when equal, +0 vs -0 included; UINT64_MAX when exactly
 * one is NaN). */
static inline uint64_t fz_ulp_f64(double a, double b)
{
    if (isnan(a) || isnan(b)) return (isnan(a) && isnan(b)) ? 0 : UINT64_MAX;
    int64_t ia, ib;
    memcpy(&ia, &a, sizeof ia);
    memcpy(&ib, &b, sizeof ib);
    if (ia < 0) ia = INT64_MIN - ia;
    if (ib < 0) ib = INT64_MIN - ib;
    return ia > ib ? (uint64_t)ia - (uint64_t)ib : (uint64_t)ib - (uint64_t)ia;
}

static inline uint64_t fz_ulp_f32(float a, float b)
{
    if (isnan(a) || isnan(b)) return (isnan(a) && isnan(b)) ? 0 : UINT64_MAX;
    int32_t ia, ib;
    memcpy(&ia, &a, sizeof ia);
    memcpy(&ib, &b, sizeof ib);
    if (ia < 0) ia = INT32_MIN - ia;
    if (ib < 0) ib = INT32_MIN - ib;
    return ia > ib ? (uint64_t)((int64_t)ia - (int64_t)ib) : (uint64_t)((int64_t)ib - (int64_t)ia);
}

/* Bitwise equality of two doubles / floats (NaN payloads included). */
static inline int fz_bits_eq64(double a, double b)
{
    uint64_t ia, ib;
    memcpy(&ia, &a, sizeof ia);
    memcpy(&ib, &b, sizeof ib);
    return ia == ib;
}

static inline int fz_bits_eq32(float a, float b)
{
    uint32_t ia, ib;
    memcpy(&ia, &a, sizeof ia);
    memcpy(&ib, &b, sizeof ib);
    return ia == ib;
}

#endif /* NNM_FUZZ_COMMON_H */
