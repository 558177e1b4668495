/*
 * Check assertions built on nnm_test.h. Tolerances are never absolute: ULPs for elementwise
 * results, multiples of eps for reductions (ARCHITECTURE.md).
 */
#ifndef NNM_CHECK_H
#define NNM_CHECK_H

#include <check.h>
#include <inttypes.h>
#include "nnm_test.h"

#define nnm_assert_ulp_f64(got, want, max_ulp)                                                  \
    do {                                                                                       \
        double g_ = (got), w_ = (want);                                                        \
        uint64_t d_ = nnm_ulp_distance_f64(g_, w_);                                            \
        ck_assert_msg(d_ <= (uint64_t)(max_ulp), "%s = %.17g, want %.17g: %" PRIu64            \
                      " ulp > %d", #got, g_, w_, d_, (int)(max_ulp));                          \
    } while (0)

#define nnm_assert_ulp_f32(got, want, max_ulp)                                                  \
    do {                                                                                       \
        float g_ = (got), w_ = (want);                                                         \
        uint64_t d_ = nnm_ulp_distance_f32(g_, w_);                                            \
        ck_assert_msg(d_ <= (uint64_t)(max_ulp), "%s = %.9g, want %.9g: %" PRIu64 " ulp > %d", \
                      #got, (double)g_, (double)w_, d_, (int)(max_ulp));                       \
    } while (0)

#define nnm_assert_rel_f64(got, want, max_eps)                                                  \
    do {                                                                                       \
        double g_ = (got), w_ = (want), e_ = nnm_rel_err_eps_f64(g_, w_);                      \
        ck_assert_msg(e_ <= (double)(max_eps), "%s = %.17g, want %.17g: %.3g eps > %g", #got,  \
                      g_, w_, e_, (double)(max_eps));                                          \
    } while (0)

#define nnm_assert_rel_f32(got, want, max_eps)                                                  \
    do {                                                                                       \
        float g_ = (got);                                                                      \
        double w_ = (want), e_ = nnm_rel_err_eps_f32(g_, w_);                                  \
        ck_assert_msg(e_ <= (double)(max_eps), "%s = %.9g, want %.17g: %.3g eps > %g", #got,   \
                      (double)g_, w_, e_, (double)(max_eps));                                  \
    } while (0)

/* The whole output buffer still holds the canary: the failing call wrote nothing. */
#define nnm_assert_untouched(buf, bytes) \
    ck_assert_msg(nnm_canary_intact((buf), (bytes)), "%s was written by a failing call", #buf)

/* Run a Check suite and exit with its verdict; every test binary's main is this one line. */
int nnm_run_suite(Suite *suite);

#endif /* NNM_CHECK_H */
