/*
 * Test helpers shared by every suite: ULP distances, relative error in multiples of eps, output
 * canaries and a small deterministic PRNG. Independent of Check so that oracle programs and
 * fuzzers can use them too; the Check assertion macros are in nnm_check.h.
 */
#ifndef NNM_TEST_H
#define NNM_TEST_H

#include <stddef.h>
#include <stdint.h>

/* Number of representable values between a and b (0 when equal, also +0 vs -0, and when both
 * are NaN). Exact across binades, subnormals and the sign change; a NaN against a non-NaN, or
 * infinities of different sign, give UINT64_MAX. */
uint64_t nnm_ulp_distance_f64(double a, double b);
uint64_t nnm_ulp_distance_f32(float a, float b);

/* |got - want| / (|want| eps) with eps = DBL_EPSILON or FLT_EPSILON: the relative error in units
 * of machine epsilon. 0 when both are equal (including equal infinities and NaN vs NaN); +inf when
 * exactly one is NaN or want == 0 != got. */
double nnm_rel_err_eps_f64(double got, double want);
double nnm_rel_err_eps_f32(float got, double want);

/* Output canaries: fill a buffer with a byte pattern (all bits set: a NaN for either float type), and
 * check that a failing call left all of it untouched. */
void nnm_canary_fill(void *buf, size_t bytes);
int nnm_canary_intact(const void *buf, size_t bytes);

/* splitmix64: a reproducible PRNG for property tests (seeded per test, no global state). */
uint64_t nnm_rand_u64(uint64_t *state);
double nnm_rand_uniform(uint64_t *state, double lo, double hi);

#endif /* NNM_TEST_H */
