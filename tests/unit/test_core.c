/* Core: status strings, version, size arithmetic, accurate summation, and the test helpers
 * themselves (a wrong ULP distance would make every other test meaningless). */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <nnmath/nnmath.h>

#include "core/sum.h"
#include "internal.h"
#include "nnm_check.h"

START_TEST(status_strings_are_never_null)
{
    for (int s = -3; s < 12; ++s) {
        const char *str = nnm_status_str((nnm_status)s);
        ck_assert_ptr_nonnull(str);
        ck_assert_int_gt((int)strlen(str), 0);
    }
    ck_assert_str_eq(nnm_status_str(NNM_OK), "success");
    ck_assert_str_eq(nnm_status_str((nnm_status)99), "unknown status");
    ck_assert_str_eq(nnm_status_str((nnm_status)-1), "unknown status");
}
END_TEST

START_TEST(status_values_are_stable)
{
    ck_assert_int_eq(NNM_OK, 0);
    ck_assert_int_eq(NNM_EINVAL, 1);
    ck_assert_int_eq(NNM_ESIZE, 2);
    ck_assert_int_eq(NNM_EDOM, 3);
    ck_assert_int_eq(NNM_ENOMEM, 4);
    ck_assert_int_eq(NNM_ENOCONV, 5);
}
END_TEST

START_TEST(version_of_library_matches_headers)
{
    ck_assert_uint_eq(nnm_version_number(), NNM_VERSION_NUMBER);
    ck_assert_uint_eq(nnm_version_number(),
                      NNM_VERSION_MAJOR * 10000u + NNM_VERSION_MINOR * 100u + NNM_VERSION_PATCH);
    ck_assert_str_eq(nnm_version_string(), NNM_VERSION_STRING);
    ck_assert_str_eq(nnm_version_string(), "0.1.0");
}
END_TEST

START_TEST(element_counts_reject_overflow_and_ptrdiff_max)
{
    size_t c = 7;
    ck_assert_int_eq(nnm__count(3, 5, sizeof(double), &c), NNM_OK);
    ck_assert_uint_eq(c, 15);
    ck_assert_int_eq(nnm__count(0, SIZE_MAX, sizeof(double), &c), NNM_OK);
    ck_assert_uint_eq(c, 0);
    c = 7;
    ck_assert_int_eq(nnm__count(SIZE_MAX / 2, 3, 1, &c), NNM_ESIZE);
    ck_assert_uint_eq(c, 7); /* untouched on failure */
    /* fits in size_t but the bytes exceed PTRDIFF_MAX */
    ck_assert_int_eq(nnm__count((size_t)PTRDIFF_MAX / 8 + 1, 1, sizeof(double), &c), NNM_ESIZE);
    ck_assert_int_eq(nnm__count((size_t)PTRDIFF_MAX / 8, 1, sizeof(double), &c), NNM_OK);
    ck_assert_int_eq(nnm__matrix_size(4, 0, sizeof(float), &c), NNM_ESIZE);
}
END_TEST

START_TEST(ulp_distance_is_exact_across_binades_signs_and_subnormals)
{
    ck_assert_uint_eq(nnm_ulp_distance_f64(1.0, 1.0), 0);
    ck_assert_uint_eq(nnm_ulp_distance_f64(0.0, -0.0), 0);
    ck_assert_uint_eq(nnm_ulp_distance_f64(1.0, nextafter(1.0, 2.0)), 1);
    ck_assert_uint_eq(nnm_ulp_distance_f64(1.0, nextafter(1.0, 0.0)), 1); /* across the binade */
    ck_assert_uint_eq(nnm_ulp_distance_f64(-DBL_TRUE_MIN, DBL_TRUE_MIN), 2);
    ck_assert_uint_eq(nnm_ulp_distance_f64(0.0, 4 * DBL_TRUE_MIN), 4);
    ck_assert_uint_eq(nnm_ulp_distance_f64(DBL_MIN, nextafter(DBL_MIN, 0.0)), 1);
    ck_assert_uint_eq(nnm_ulp_distance_f64(DBL_MAX, INFINITY), 1);
    ck_assert_uint_eq(nnm_ulp_distance_f64(2.0, 1.0), 1ull << 52);
    ck_assert_uint_eq(nnm_ulp_distance_f64(NAN, NAN), 0);
    ck_assert_uint_eq(nnm_ulp_distance_f64(NAN, 1.0), UINT64_MAX);
    ck_assert_uint_eq(nnm_ulp_distance_f64(-INFINITY, INFINITY), UINT64_MAX);

    ck_assert_uint_eq(nnm_ulp_distance_f32(1.0f, nextafterf(1.0f, 2.0f)), 1);
    ck_assert_uint_eq(nnm_ulp_distance_f32(-FLT_TRUE_MIN, FLT_TRUE_MIN), 2);
    ck_assert_uint_eq(nnm_ulp_distance_f32(2.0f, 1.0f), 1u << 23);
    ck_assert_uint_eq(nnm_ulp_distance_f32(-0.0f, 0.0f), 0);
    ck_assert_uint_eq(nnm_ulp_distance_f32(NAN, 0.0f), UINT64_MAX);
}
END_TEST

START_TEST(relative_error_is_in_units_of_eps)
{
    ck_assert(nnm_rel_err_eps_f64(1.0 + DBL_EPSILON, 1.0) == 1.0);
    ck_assert(nnm_rel_err_eps_f64(INFINITY, INFINITY) == 0.0);
    ck_assert(isinf(nnm_rel_err_eps_f64(1e-300, 0.0)));
    ck_assert(isinf(nnm_rel_err_eps_f64(NAN, 1.0)));
    ck_assert(nnm_rel_err_eps_f32(1.0f + FLT_EPSILON, 1.0) == 1.0);
}
END_TEST

START_TEST(canary_detects_any_written_byte)
{
    double buf[8];
    nnm_canary_fill(buf, sizeof buf);
    ck_assert(nnm_canary_intact(buf, sizeof buf));
    ck_assert(isnan(buf[3])); /* the pattern is a NaN, so a skipped write also fails value checks */
    buf[7] = 0.0;
    ck_assert(!nnm_canary_intact(buf, sizeof buf));
}
END_TEST

START_TEST(compensated_sum_recovers_what_naive_summation_loses)
{
    /* 1 + 1e-16 * 1e4 loses every small term naively; exactly it is 1 + 1e-12 */
    nnm__sum acc = {0.0, 0.0};
    nnm__sum_add(&acc, 1.0);
    for (int i = 0; i < 10000; ++i) nnm__sum_add(&acc, 1e-16);
    nnm_assert_rel_f64(nnm__sum_result(&acc), 1.0 + 1e-12, 1);

    nnm__sum big = {0.0, 0.0};
    nnm__sum_add(&big, 1e308);
    nnm__sum_add(&big, 1e308);
    ck_assert(isinf(nnm__sum_result(&big)) && nnm__sum_result(&big) > 0);
    nnm__sum_add(&big, -INFINITY);
    ck_assert(isnan(nnm__sum_result(&big)));
}
END_TEST

static Suite *core_suite(void)
{
    Suite *s = suite_create("core");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, status_strings_are_never_null);
    tcase_add_test(tc, status_values_are_stable);
    tcase_add_test(tc, version_of_library_matches_headers);
    tcase_add_test(tc, element_counts_reject_overflow_and_ptrdiff_max);
    tcase_add_test(tc, ulp_distance_is_exact_across_binades_signs_and_subnormals);
    tcase_add_test(tc, relative_error_is_in_units_of_eps);
    tcase_add_test(tc, canary_detects_any_written_byte);
    tcase_add_test(tc, compensated_sum_recovers_what_naive_summation_loses);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return nnm_run_suite(core_suite());
}
