/*
 * Shared pieces of the bad-input matrix (tests/unit/test_errors_*.c): sizes that overflow, and a
 * guarded output buffer whose every byte is a canary, so that a failing call is proven to have
 * written nothing (docs/errors.md).
 */
#ifndef NNM_TEST_ERRORS_H
#define NNM_TEST_ERRORS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "nnm_check.h"

/* Element counts whose byte size exceeds PTRDIFF_MAX (valid size_t values, impossible arrays),
 * and counts whose products overflow size_t. */
#define BIG_N_F64 ((size_t)PTRDIFF_MAX / sizeof(double) + 1)
#define BIG_N_F32 ((size_t)PTRDIFF_MAX / sizeof(float) + 1)
#define HALF_SIZE_MAX (SIZE_MAX / 2 + 1) /* times 2 wraps to 0 */

/* An output buffer of 64 doubles or 128 floats (a union, so either view is a declared type)
 * filled with the canary. Every failing call in the matrix writes into one of these and must
 * leave all of it intact. */
typedef union guard {
    double d[64];
    float f[128];
} guard;

static inline void guard_fill(guard *g)
{
    nnm_canary_fill(g, sizeof *g);
}

#define assert_guard_intact(g) nnm_assert_untouched((g), sizeof *(g))

/* A status check with the call in the message. */
#define assert_status(call, want)                                                                \
    do {                                                                                         \
        nnm_status s_ = (call);                                                                  \
        ck_assert_msg(s_ == (want), "%s returned %d (%s), want %d (%s)", #call, (int)s_,          \
                      nnm_status_str(s_), (int)(want), nnm_status_str(want));                    \
    } while (0)

#endif /* NNM_TEST_ERRORS_H */
