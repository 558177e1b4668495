/*
 * Activation module: literal values (computed independently with mpmath at 400 bits), the
 * edge-case policy (+-0, +-inf, NaN, masked and infinite softmax rows), properties over seeded
 * random inputs (sigma(-a) = 1 - sigma(a), rows of softmax sum to 1, apply == direct call,
 * in-place == out-of-place), and every status code with the outputs proven untouched.
 * The full ULP sweeps against MPFR are tests/oracle/oracle_activation.c.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <nnmath/nnmath.h>

#include "nnm_check.h"

typedef nnm_status (*fn64)(size_t, const double *, double *);
typedef nnm_status (*fn32)(size_t, const float *, float *);
typedef struct lit {
    double x, y64; /* y64 = f(x) rounded to double */
    float y32;     /* f((float)x) rounded to float */
} lit;

/* Literal tables: x, f(x) to double, f((float)x) to float (mpmath, 400-bit precision). They
 * cover the traps of the issue: sigmoid and softplus far from 0 (no flush, no threshold
 * shortcut: softplus(20.5) is not 20.5), silu/mish at x = -712 where e^x is subnormal but the
 * result is normal, gelu's tail through erfc, selu's expm1 near 0. */
static const lit lit_sigmoid[] = {
    {1.0, 0.7310585786300049, 0.7310585975646973f},
    {-30.0, 9.357622968839299e-14, 9.357622912219837e-14f},
    {-700.0, 9.85967654375977e-305, 0.0f},
    {36.0, 0.9999999999999998, 1.0f},
    {-87.0, 1.6458114310822737e-38, 1.6458114537543937e-38f},
    {-0.3, 0.425557483188341, 0.4255574941635132f},
};
static const lit lit_tanh[] = {
    {1e-05, 9.999999999666668e-06, 9.999999747378752e-06f},
    {0.5, 0.46211715726000974, 0.46211716532707214f},
    {-3.0, -0.9950547536867305, -0.9950547814369202f},
    {19.0, 0.9999999999999999, 1.0f},
};
static const lit lit_softplus[] = {
    {-700.0, 9.85967654375977e-305, 0.0f},
    {20.5, 20.500000001250154, 20.5f},
    {0.0, 0.6931471805599453, 0.6931471824645996f},
    {-30.0, 9.357622968839737e-14, 9.357622912219837e-14f},
    {15.0, 15.000000305902274, 15.0f},
    {-100.0, 3.720075976020836e-44, 3.783505853677006e-44f},
};
static const lit lit_log_sigmoid[] = {
    {40.0, -4.248354255291589e-18, -4.24835413113866e-18f},
    {-1000.0, -1000.0, -1000.0f},
    {1.0, -0.3132616875182228, -0.3132616877555847f},
    {30.0, -9.357622968839737e-14, -9.357622912219837e-14f},
};
static const lit lit_silu[] = {
    {-50.0, -9.643749239819589e-21, -9.643748987141262e-21f},
    {-712.0, -4.313292185103229e-307, -0.0f},
    {1.0, 0.7310585786300049, 0.7310585975646973f},
    {-100.0, -3.720075976020836e-42, -3.7204474227823893e-42f},
    {-0.001, -0.0004997500000208334, -0.0004997500218451023f},
};
static const lit lit_selu[] = {
    {1.0, 1.0507009873554805, 1.0507010221481323f},
    {-1.0, -1.1113307378125628, -1.1113307476043701f},
    {-1e-20, -1.7580993408473768e-20, -1.758099205884295e-20f},
    {-20.0, -1.758099337223664, -1.7580993175506592f},
};
static const lit lit_gelu[] = {
    {-10.0, -7.619853024160526e-23, -7.619852977043458e-23f},
    {-37.0, -2.1184613523340935e-298, -0.0f},
    {1.0, 0.8413447460685429, 0.8413447737693787f},
    {-5.0, -1.4332578593959695e-06, -1.433257807548216e-06f},
    {3.0, 2.99595030590511, 2.995950222015381f},
    {-13.0, -7.952313719414843e-38, -7.952313854143535e-38f},
};
static const lit lit_gelu_tanh[] = {
    {-10.0, -1.204092348209806e-37, -1.2040923861938598e-37f},
    {1.0, 0.8411919906082767, 0.8411920070648193f},
    {-20.0, -3.3754509563109673e-261, -0.0f},
    {-5.0, -2.291796196629506e-07, -2.2917961928214936e-07f},
    {-9.0, -1.3364595947348725e-28, -1.3364596033436624e-28f},
};
static const lit lit_mish[] = {
    {-712.0, -4.313292185103229e-307, -0.0f},
    {1.0, 0.8650983882673103, 0.8650984168052673f},
    {-5.0, -0.033576237730161704, -0.03357623890042305f},
    {-100.0, -3.720075976020836e-42, -3.7204474227823893e-42f},
    {30.0, 30.0, 30.0f},
};

static void check_lits(const char *name, fn64 f64, fn32 f32, const lit *t, size_t n)
{
    for (size_t i = 0; i < n; ++i) {
        double y = 0;
        float x32 = (float)t[i].x, y32 = 0;
        ck_assert_int_eq(f64(1, &t[i].x, &y), NNM_OK);
        ck_assert_int_eq(f32(1, &x32, &y32), NNM_OK);
        ck_assert_msg(nnm_ulp_distance_f64(y, t[i].y64) <= 2, "%s_f64(%.17g) = %.17g, want %.17g",
                      name, t[i].x, y, t[i].y64);
        ck_assert_msg(nnm_ulp_distance_f32(y32, t[i].y32) <= 1, "%s_f32(%.9g) = %.9g, want %.9g",
                      name, (double)x32, (double)y32, (double)t[i].y32);
    }
}

#define CHECK_LITS(name) \
    check_lits(#name, nnm_act_##name##_f64, nnm_act_##name##_f32, lit_##name, \
               sizeof lit_##name / sizeof lit_##name[0])

START_TEST(elementwise_literal_values)
{
    CHECK_LITS(sigmoid);
    CHECK_LITS(tanh);
    CHECK_LITS(softplus);
    CHECK_LITS(log_sigmoid);
    CHECK_LITS(silu);
    CHECK_LITS(selu);
    CHECK_LITS(gelu);
    CHECK_LITS(gelu_tanh);
    CHECK_LITS(mish);
}
END_TEST

START_TEST(elu_and_leaky_literal_values)
{
    double x[3] = {-1e-20, -2.0, 3.0}, y[3];
    ck_assert_int_eq(nnm_act_elu_f64(3, 1.0, x, y), NNM_OK);
    nnm_assert_ulp_f64(y[0], -1e-20, 0);   /* expm1: e^x - 1 would give 0 */
    nnm_assert_ulp_f64(y[2], 3.0, 0);
    ck_assert_int_eq(nnm_act_elu_f64(3, 1.5, x, y), NNM_OK);
    nnm_assert_ulp_f64(y[1], -1.296997075145081, 2); /* 1.5 (e^-2 - 1), mpmath */
    float xf[2] = {-2.0f, -1e-20f}, yf[2];
    ck_assert_int_eq(nnm_act_elu_f32(2, 1.5, xf, yf), NNM_OK);
    nnm_assert_ulp_f32(yf[0], -1.2969970703125f, 1);
    nnm_assert_ulp_f32(yf[1], -1.5e-20f, 1);

    ck_assert_int_eq(nnm_act_leaky_relu_f64(3, 0.01, x, y), NNM_OK);
    nnm_assert_ulp_f64(y[1], -0.02, 0);
    nnm_assert_ulp_f64(y[2], 3.0, 0);
    ck_assert_int_eq(nnm_act_leaky_relu_f64(3, -0.5, x, y), NNM_OK); /* negative slope allowed */
    nnm_assert_ulp_f64(y[1], 1.0, 0);
    ck_assert_int_eq(nnm_act_leaky_relu_f32(2, 0.25, xf, yf), NNM_OK);
    nnm_assert_ulp_f32(yf[0], -0.5f, 0);
}
END_TEST

/* ---- edge cases: +-0, +-inf, NaN ---------------------------------------------------------- */

typedef struct edge {
    const char *name;
    fn64 f64;
    fn32 f32;
    double at_pinf, at_minf, at_pzero, at_mzero;
} edge;

static void check_edge(const edge *e)
{
    const double x[5] = {INFINITY, -INFINITY, 0.0, -0.0, NAN};
    const double want[4] = {e->at_pinf, e->at_minf, e->at_pzero, e->at_mzero};
    double y[5];
    float xf[5], yf[5];
    for (int i = 0; i < 5; ++i) xf[i] = (float)x[i];
    ck_assert_int_eq(e->f64(5, x, y), NNM_OK);
    ck_assert_int_eq(e->f32(5, xf, yf), NNM_OK);
    for (int i = 0; i < 4; ++i) {
        ck_assert_msg(y[i] == want[i] && !!signbit(y[i]) == !!signbit(want[i]),
                      "%s_f64(%g) = %g, want %g", e->name, x[i], y[i], want[i]);
        ck_assert_msg(yf[i] == (float)want[i] && !!signbit(yf[i]) == !!signbit(want[i]),
                      "%s_f32(%g) = %g, want %g", e->name, x[i], (double)yf[i], want[i]);
    }
    ck_assert_msg(isnan(y[4]) && isnan(yf[4]), "%s(NaN) is not NaN", e->name);
}

static nnm_status leaky0_f64(size_t n, const double *x, double *y) { return nnm_act_leaky_relu_f64(n, 0.0, x, y); }
static nnm_status leaky0_f32(size_t n, const float *x, float *y) { return nnm_act_leaky_relu_f32(n, 0.0, x, y); }
static nnm_status leakyn_f64(size_t n, const double *x, double *y) { return nnm_act_leaky_relu_f64(n, -0.5, x, y); }
static nnm_status leakyn_f32(size_t n, const float *x, float *y) { return nnm_act_leaky_relu_f32(n, -0.5, x, y); }
static nnm_status elu2_f64(size_t n, const double *x, double *y) { return nnm_act_elu_f64(n, 2.0, x, y); }
static nnm_status elu2_f32(size_t n, const float *x, float *y) { return nnm_act_elu_f32(n, 2.0, x, y); }

START_TEST(elementwise_edge_cases_follow_the_policy)
{
    const double la = 1.7580993408473768599; /* selu(-inf) = -lambda alpha */
    const edge edges[] = {
        {"identity", nnm_act_identity_f64, nnm_act_identity_f32, INFINITY, -INFINITY, 0.0, -0.0},
        {"step", nnm_act_step_f64, nnm_act_step_f32, 1.0, 0.0, 1.0, 1.0},
        {"sigmoid", nnm_act_sigmoid_f64, nnm_act_sigmoid_f32, 1.0, 0.0, 0.5, 0.5},
        {"tanh", nnm_act_tanh_f64, nnm_act_tanh_f32, 1.0, -1.0, 0.0, -0.0},
        {"relu", nnm_act_relu_f64, nnm_act_relu_f32, INFINITY, 0.0, 0.0, 0.0},
        {"leaky(0)", leaky0_f64, leaky0_f32, INFINITY, 0.0, 0.0, 0.0},
        {"leaky(-0.5)", leakyn_f64, leakyn_f32, INFINITY, INFINITY, 0.0, -0.0},
        {"elu(2)", elu2_f64, elu2_f32, INFINITY, -2.0, 0.0, -0.0},
        {"selu", nnm_act_selu_f64, nnm_act_selu_f32, INFINITY, -la, 0.0, -0.0},
        {"softplus", nnm_act_softplus_f64, nnm_act_softplus_f32, INFINITY, 0.0, 0.69314718055994530942, 0.69314718055994530942},
        {"log_sigmoid", nnm_act_log_sigmoid_f64, nnm_act_log_sigmoid_f32, -0.0, -INFINITY, -0.69314718055994530942, -0.69314718055994530942},
        {"silu", nnm_act_silu_f64, nnm_act_silu_f32, INFINITY, -0.0, 0.0, -0.0},
        {"gelu", nnm_act_gelu_f64, nnm_act_gelu_f32, INFINITY, -0.0, 0.0, -0.0},
        {"gelu_tanh", nnm_act_gelu_tanh_f64, nnm_act_gelu_tanh_f32, INFINITY, -0.0, 0.0, -0.0},
        {"mish", nnm_act_mish_f64, nnm_act_mish_f32, INFINITY, -0.0, 0.0, -0.0},
    };
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; ++i) check_edge(&edges[i]);
}
END_TEST

START_TEST(leaky_relu_minus_zero_keeps_its_sign_for_positive_alpha)
{
    double x = -0.0, y = 1.0;
    ck_assert_int_eq(nnm_act_leaky_relu_f64(1, 0.1, &x, &y), NNM_OK);
    ck_assert(y == 0.0 && signbit(y)); /* alpha * (-0) */
}
END_TEST

START_TEST(sigmoid_does_not_flush_while_the_result_is_normal)
{
    /* sigma(-708) = e^-708 / (1 + e^-708) ~ 3.3e-308 > DBL_MIN: a normal double (mpmath) */
    double x = -708.0, y;
    ck_assert_int_eq(nnm_act_sigmoid_f64(1, &x, &y), NNM_OK);
    nnm_assert_ulp_f64(y, 3.307553003638408e-308, 2);
    float xf = -87.3f, yf;
    ck_assert_int_eq(nnm_act_sigmoid_f32(1, &xf, &yf), NNM_OK);
    ck_assert(yf >= FLT_MIN);
}
END_TEST

/* ---- properties ------------------------------------------------------------------------- */

START_TEST(sigmoid_symmetry_over_random_inputs)
{
    /* sigma(-a) = 1 - sigma(a): with sigma(a) in [1/2, 1) (a >= 0) the sum sigma(a) + sigma(-a)
     * is 1 within 1 eps (each term within 0.5 ULP, one rounding of the sum). */
    uint64_t seed = 42;
    double a[2000], na[2000], s1[2000], s2[2000];
    float af[2000], naf[2000], t1[2000], t2[2000];
    for (int i = 0; i < 2000; ++i) {
        a[i] = nnm_rand_uniform(&seed, 0.0, 40.0);
        na[i] = -a[i];
        af[i] = (float)a[i];
        naf[i] = -af[i];
    }
    ck_assert_int_eq(nnm_act_sigmoid_f64(2000, a, s1), NNM_OK);
    ck_assert_int_eq(nnm_act_sigmoid_f64(2000, na, s2), NNM_OK);
    ck_assert_int_eq(nnm_act_sigmoid_f32(2000, af, t1), NNM_OK);
    ck_assert_int_eq(nnm_act_sigmoid_f32(2000, naf, t2), NNM_OK);
    for (int i = 0; i < 2000; ++i) {
        nnm_assert_rel_f64(s1[i] + s2[i], 1.0, 1);
        nnm_assert_rel_f32(t1[i] + t2[i], 1.0, 1);
        /* and 1 - sigma(a), exact in double for sigma(a) >= 1/2, is sigma(-a) to 0.5 ulp of 1 */
        ck_assert(fabs((1.0 - s1[i]) - s2[i]) <= DBL_EPSILON / 2);
    }
}
END_TEST

START_TEST(in_place_equals_out_of_place_and_apply_equals_direct)
{
    uint64_t seed = 7;
    enum { N = 500 };
    double x[N], y[N], z[N];
    float xf[N], yf[N], zf[N];
    for (int i = 0; i < N; ++i) {
        x[i] = nnm_rand_uniform(&seed, -50.0, 50.0);
        xf[i] = (float)x[i];
    }
    for (int kind = NNM_ACT_IDENTITY; kind <= NNM_ACT_MISH; ++kind) {
        nnm_act act = nnm_act_default((nnm_act_kind)kind);
        ck_assert_int_eq(nnm_act_apply_f64(act, N, x, y), NNM_OK);
        memcpy(z, x, sizeof z);
        ck_assert_int_eq(nnm_act_apply_f64(act, N, z, z), NNM_OK);
        ck_assert(memcmp(y, z, sizeof z) == 0);
        ck_assert_int_eq(nnm_act_apply_f32(act, N, xf, yf), NNM_OK);
        memcpy(zf, xf, sizeof zf);
        ck_assert_int_eq(nnm_act_apply_f32(act, N, zf, zf), NNM_OK);
        ck_assert(memcmp(yf, zf, sizeof zf) == 0);
    }
    /* apply gives the bits of the direct call */
    ck_assert_int_eq(nnm_act_apply_f64(nnm_act_default(NNM_ACT_GELU), N, x, y), NNM_OK);
    ck_assert_int_eq(nnm_act_gelu_f64(N, x, z), NNM_OK);
    ck_assert(memcmp(y, z, sizeof z) == 0);
    nnm_act leaky = {NNM_ACT_LEAKY_RELU, -0.25};
    ck_assert_int_eq(nnm_act_apply_f32(leaky, N, xf, yf), NNM_OK);
    ck_assert_int_eq(nnm_act_leaky_relu_f32(N, -0.25, xf, zf), NNM_OK);
    ck_assert(memcmp(yf, zf, sizeof zf) == 0);
    nnm_act elu = {NNM_ACT_ELU, 0.5};
    ck_assert_int_eq(nnm_act_apply_f64(elu, N, x, y), NNM_OK);
    ck_assert_int_eq(nnm_act_elu_f64(N, 0.5, x, z), NNM_OK);
    ck_assert(memcmp(y, z, sizeof z) == 0);
}
END_TEST

START_TEST(act_default_parameters)
{
    ck_assert(nnm_act_default(NNM_ACT_LEAKY_RELU).alpha == 0.01);
    ck_assert(nnm_act_default(NNM_ACT_ELU).alpha == 1.0);
    ck_assert(nnm_act_default(NNM_ACT_GELU).alpha == 0.0);
    ck_assert_int_eq(nnm_act_default(NNM_ACT_MISH).kind, NNM_ACT_MISH);
    ck_assert_int_eq(NNM_ACT_IDENTITY, 0);
    ck_assert_int_eq(NNM_ACT_MISH, 13);
}
END_TEST

/* ---- statuses -------------------------------------------------------------------------- */

START_TEST(elementwise_statuses_leave_outputs_untouched)
{
    double x[8] = {1, 2, 3, 4, 5, 6, 7, 8}, y[8];
    float xf[8] = {1, 2, 3, 4, 5, 6, 7, 8}, yf[8];
    fn64 f64s[] = {nnm_act_identity_f64, nnm_act_step_f64, nnm_act_sigmoid_f64, nnm_act_tanh_f64,
                   nnm_act_relu_f64, nnm_act_selu_f64, nnm_act_softplus_f64,
                   nnm_act_log_sigmoid_f64, nnm_act_silu_f64, nnm_act_gelu_f64,
                   nnm_act_gelu_tanh_f64, nnm_act_mish_f64};
    fn32 f32s[] = {nnm_act_identity_f32, nnm_act_step_f32, nnm_act_sigmoid_f32, nnm_act_tanh_f32,
                   nnm_act_relu_f32, nnm_act_selu_f32, nnm_act_softplus_f32,
                   nnm_act_log_sigmoid_f32, nnm_act_silu_f32, nnm_act_gelu_f32,
                   nnm_act_gelu_tanh_f32, nnm_act_mish_f32};
    for (size_t i = 0; i < sizeof f64s / sizeof f64s[0]; ++i) {
        nnm_canary_fill(y, sizeof y);
        ck_assert_int_eq(f64s[i](8, NULL, y), NNM_EINVAL);
        ck_assert_int_eq(f64s[i](8, x, NULL), NNM_EINVAL);
        ck_assert_int_eq(f64s[i](0, NULL, NULL), NNM_OK);
        ck_assert_int_eq(f64s[i](SIZE_MAX, x, y), NNM_ESIZE);
        ck_assert_int_eq(f64s[i](SIZE_MAX, NULL, y), NNM_EINVAL); /* EINVAL before ESIZE */
        ck_assert_int_eq(f64s[i](4, y, y + 2), NNM_EINVAL);      /* partial overlap */
        nnm_assert_untouched(y, sizeof y);
        nnm_canary_fill(yf, sizeof yf);
        ck_assert_int_eq(f32s[i](8, NULL, yf), NNM_EINVAL);
        ck_assert_int_eq(f32s[i](8, xf, NULL), NNM_EINVAL);
        ck_assert_int_eq(f32s[i](0, NULL, NULL), NNM_OK);
        ck_assert_int_eq(f32s[i](SIZE_MAX, xf, yf), NNM_ESIZE);
        ck_assert_int_eq(f32s[i](4, yf + 1, yf), NNM_EINVAL);
        nnm_assert_untouched(yf, sizeof yf);
    }
    nnm_canary_fill(y, sizeof y);
    nnm_canary_fill(yf, sizeof yf);
    ck_assert_int_eq(nnm_act_leaky_relu_f64(8, NAN, x, y), NNM_EINVAL);
    ck_assert_int_eq(nnm_act_leaky_relu_f64(8, INFINITY, x, y), NNM_EINVAL);
    ck_assert_int_eq(nnm_act_leaky_relu_f32(8, -INFINITY, xf, yf), NNM_EINVAL);
    ck_assert_int_eq(nnm_act_leaky_relu_f64(8, 0.1, NULL, y), NNM_EINVAL);
    ck_assert_int_eq(nnm_act_leaky_relu_f64(0, 0.1, NULL, NULL), NNM_OK);
    ck_assert_int_eq(nnm_act_elu_f64(8, -1.0, x, y), NNM_EINVAL);
    ck_assert_int_eq(nnm_act_elu_f64(8, NAN, x, y), NNM_EINVAL);
    ck_assert_int_eq(nnm_act_elu_f32(8, INFINITY, xf, yf), NNM_EINVAL);
    ck_assert_int_eq(nnm_act_elu_f32(8, 1.0, xf, NULL), NNM_EINVAL);
    ck_assert_int_eq(nnm_act_elu_f32(0, 1.0, NULL, NULL), NNM_OK);
    nnm_assert_untouched(y, sizeof y);
    nnm_assert_untouched(yf, sizeof yf);
}
END_TEST

START_TEST(apply_rejects_bad_descriptors)
{
    double x[4] = {1, 2, 3, 4}, y[4];
    float xf[4] = {1, 2, 3, 4}, yf[4];
    nnm_canary_fill(y, sizeof y);
    nnm_canary_fill(yf, sizeof yf);
    nnm_act bad_kind = {(nnm_act_kind)99, 0.0};
    nnm_act neg_kind = {(nnm_act_kind)-1, 0.0};
    nnm_act sigmoid_alpha = {NNM_ACT_SIGMOID, 0.5};
    nnm_act elu_neg = {NNM_ACT_ELU, -1.0};
    nnm_act leaky_nan = {NNM_ACT_LEAKY_RELU, NAN};
    ck_assert_int_eq(nnm_act_apply_f64(bad_kind, 4, x, y), NNM_EINVAL);
    ck_assert_int_eq(nnm_act_apply_f64(neg_kind, 4, x, y), NNM_EINVAL);
    ck_assert_int_eq(nnm_act_apply_f64(sigmoid_alpha, 4, x, y), NNM_EINVAL);
    ck_assert_int_eq(nnm_act_apply_f64(elu_neg, 4, x, y), NNM_EINVAL);
    ck_assert_int_eq(nnm_act_apply_f32(leaky_nan, 4, xf, yf), NNM_EINVAL);
    ck_assert_int_eq(nnm_act_apply_f32(bad_kind, 0, NULL, NULL), NNM_EINVAL); /* kind first */
    ck_assert_int_eq(nnm_act_apply_f32(nnm_act_default(NNM_ACT_TANH), 4, NULL, yf), NNM_EINVAL);
    ck_assert_int_eq(nnm_act_apply_f64(nnm_act_default(NNM_ACT_TANH), SIZE_MAX, x, y), NNM_ESIZE);
    ck_assert_int_eq(nnm_act_apply_f64(nnm_act_default(NNM_ACT_TANH), 0, NULL, NULL), NNM_OK);
    nnm_assert_untouched(y, sizeof y);
    nnm_assert_untouched(yf, sizeof yf);
}
END_TEST

/* ---- the softmax family -------------------------------------------------------------------- */

START_TEST(softmax_of_the_notes_examples)
{
    /* (1, 10, 100): e^100 would overflow float; exact values from mpmath */
    const double a1[3] = {1, 10, 100};
    double y[3];
    ck_assert_int_eq(nnm_act_softmax_f64(1, 3, 1.0, a1, y), NNM_OK);
    nnm_assert_rel_f64(y[0], 1.0112214926104486e-43, 4);
    nnm_assert_rel_f64(y[1], 8.194012623990515e-40, 4);
    nnm_assert_ulp_f64(y[2], 1.0, 0);
    const float a1f[3] = {1, 10, 100};
    float yf[3];
    ck_assert_int_eq(nnm_act_softmax_f32(1, 3, 1.0, a1f, yf), NNM_OK);
    nnm_assert_ulp_f32(yf[1], 8.194008692231508e-40f, 1); /* a float subnormal, rounded once */
    nnm_assert_ulp_f32(yf[2], 1.0f, 0);

    /* (1, 2, 3) with "multiply by 100" (beta = 100): the max dominates */
    const double a2[3] = {1, 2, 3};
    ck_assert_int_eq(nnm_act_softmax_f64(1, 3, 100.0, a2, y), NNM_OK);
    nnm_assert_rel_f64(y[0], 1.3838965267367376e-87, 4);
    nnm_assert_rel_f64(y[1], 3.720075976020836e-44, 4);
    nnm_assert_ulp_f64(y[2], 1.0, 0);
    ck_assert_int_eq(nnm_act_softmax_f64(1, 3, 1.0, a2, y), NNM_OK); /* without the scaling */
    nnm_assert_rel_f64(y[2], 0.6652409557748219, 4);

    /* (1, 10, 1000): subtracting the max keeps e^1000 from overflowing */
    const double a3[3] = {1, 10, 1000};
    ck_assert_int_eq(nnm_act_softmax_f64(1, 3, 1.0, a3, y), NNM_OK);
    ck_assert(y[0] == 0.0 && y[1] == 0.0); /* e^-990 underflows: exactly 0 in double */
    nnm_assert_ulp_f64(y[2], 1.0, 0);
    const float a3f[3] = {1, 10, 1000};
    ck_assert_int_eq(nnm_act_softmax_f32(1, 3, 1.0, a3f, yf), NNM_OK);
    ck_assert(yf[0] == 0.0f && yf[1] == 0.0f && yf[2] == 1.0f);
    double l[3], lse;
    ck_assert_int_eq(nnm_act_log_softmax_f64(1, 3, 1.0, a3, l), NNM_OK);
    nnm_assert_ulp_f64(l[0], -999.0, 0);
    nnm_assert_ulp_f64(l[1], -990.0, 0);
    ck_assert_int_eq(nnm_act_logsumexp_f64(1, 3, 1.0, a3, &lse), NNM_OK);
    nnm_assert_ulp_f64(lse, 1000.0, 0);
}
END_TEST

START_TEST(log_softmax_keeps_the_tiny_log_of_the_dominant_entry)
{
    /* p_0 = 1 - 1.06e-22: log p_0 = -1.0585203596771809e-22 (mpmath), not 0 */
    const double a[2] = {0.0, -50.6};
    double l[2], lse;
    ck_assert_int_eq(nnm_act_log_softmax_f64(1, 2, 1.0, a, l), NNM_OK);
    nnm_assert_rel_f64(l[0], -1.0585203596771809e-22, 4);
    nnm_assert_rel_f64(l[1], -50.6, 4);
    ck_assert_int_eq(nnm_act_logsumexp_f64(1, 2, 1.0, a, &lse), NNM_OK);
    nnm_assert_rel_f64(lse, 1.0585203596771809e-22, 2);
    const float af[2] = {0.0f, -50.6f};
    float lf[2];
    ck_assert_int_eq(nnm_act_log_softmax_f32(1, 2, 1.0, af, lf), NNM_OK);
    nnm_assert_rel_f32(lf[0], -1.0585219748523035e-22, 4); /* a_1 = -50.6f = -50.599998474... */
    /* the notes' (1, 10, 100): log p_max = -8.195023845483126e-40 */
    const double b[3] = {1, 10, 100};
    double lb[3];
    ck_assert_int_eq(nnm_act_log_softmax_f64(1, 3, 1.0, b, lb), NNM_OK);
    nnm_assert_rel_f64(lb[2], -8.195023845483126e-40, 4);
}
END_TEST

START_TEST(logsumexp_near_zero_meets_its_mixed_bound)
{
    /* a = (-ln2, -ln2) rounded to double: lse = a + ln 2 = 2.3190468138462996e-17 exactly
     * (mpmath). Promised: |err| <= 2 eps |lse| + 2^-8 eps (|beta m| + log k). */
    const double a[2] = {-0.69314718055994530942, -0.69314718055994530942};
    const double exact = 2.3190468138462996e-17;
    double lse;
    ck_assert_int_eq(nnm_act_logsumexp_f64(1, 2, 1.0, a, &lse), NNM_OK);
    double bound = 2 * DBL_EPSILON * exact + 0x1p-8 * DBL_EPSILON * (fabs(a[0]) + log(2.0));
    ck_assert_msg(fabs(lse - exact) <= bound, "lse = %.17g, want %.17g", lse, exact);
    ck_assert(lse > 0); /* the sign survives the cancellation */
    /* float: (-ln2 rounded to float) gives lse = -1.904654299957768e-09, within 2 eps */
    const float af[2] = {-0.693147182f, -0.693147182f};
    float lf;
    ck_assert_int_eq(nnm_act_logsumexp_f32(1, 2, 1.0, af, &lf), NNM_OK);
    nnm_assert_rel_f32(lf, -1.904654299957768e-09, 2);
}
END_TEST

START_TEST(softmax_rows_follow_the_policy)
{
    const double inf = INFINITY;
    /* rows: masked entries; all -inf; two +inf entries; a NaN; +inf and -inf together */
    const double a[5 * 4] = {-inf, 0.0, -inf, 0.0,  -inf, -inf, -inf, -inf,  inf, 1.0, inf, -inf,
                             1.0, NAN, 2.0, 3.0,  -inf, 5.0, inf, 1e308};
    double y[20], l[20], lse[5];
    ck_assert_int_eq(nnm_act_softmax_f64(5, 4, 1.0, a, y), NNM_OK);
    ck_assert_int_eq(nnm_act_log_softmax_f64(5, 4, 1.0, a, l), NNM_OK);
    ck_assert_int_eq(nnm_act_logsumexp_f64(5, 4, 1.0, a, lse), NNM_OK);
    const double ysm[20] = {0, 0.5, 0, 0.5,  0, 0, 0, 0,  0.5, 0, 0.5, 0,  NAN, NAN, NAN, NAN,  0, 0, 1, 0};
    const double ln2 = 0.69314718055994530942;
    const double ylsm[20] = {-inf, -ln2, -inf, -ln2,  -inf, -inf, -inf, -inf,  -ln2, -inf, -ln2, -inf,
                             NAN, NAN, NAN, NAN,  -inf, -inf, 0, -inf};
    for (int i = 0; i < 20; ++i) {
        ck_assert_msg(nnm_ulp_distance_f64(y[i], ysm[i]) <= 1, "softmax[%d] = %g", i, y[i]);
        ck_assert_msg(nnm_ulp_distance_f64(l[i], ylsm[i]) <= 1, "log_softmax[%d] = %g", i, l[i]);
    }
    nnm_assert_ulp_f64(lse[0], ln2, 1);
    ck_assert(lse[1] == -inf && lse[2] == inf && isnan(lse[3]) && lse[4] == inf);

    float af[20], yf[20], lf[20], lsef[5];
    for (int i = 0; i < 20; ++i) af[i] = (float)a[i];
    af[19] = 1e38f;
    ck_assert_int_eq(nnm_act_softmax_f32(5, 4, 1.0, af, yf), NNM_OK);
    ck_assert_int_eq(nnm_act_log_softmax_f32(5, 4, 1.0, af, lf), NNM_OK);
    ck_assert_int_eq(nnm_act_logsumexp_f32(5, 4, 1.0, af, lsef), NNM_OK);
    for (int i = 0; i < 20; ++i) {
        ck_assert_msg(nnm_ulp_distance_f32(yf[i], (float)ysm[i]) <= 1, "softmax_f32[%d]", i);
        ck_assert_msg(nnm_ulp_distance_f32(lf[i], (float)ylsm[i]) <= 1, "log_softmax_f32[%d]", i);
    }
    ck_assert(lsef[1] == -INFINITY && lsef[2] == INFINITY && isnan(lsef[3]));
}
END_TEST

START_TEST(beta_scaling_never_turns_finite_logits_into_infinities)
{
    /* beta a_0 = 2e308 overflows, beta (a - max) = (0, -1e308) does not */
    const double a[2] = {2.0, 1.0};
    double y[2], l[2];
    ck_assert_int_eq(nnm_act_softmax_f64(1, 2, 1e308, a, y), NNM_OK);
    ck_assert(y[0] == 1.0 && y[1] == 0.0);
    ck_assert_int_eq(nnm_act_log_softmax_f64(1, 2, 1e308, a, l), NNM_OK);
    ck_assert(l[0] == 0.0);
    nnm_assert_ulp_f64(l[1], -1e308, 0);
    /* huge logits, beta = 1: (1e308, -1e308) differ by more than DBL_MAX */
    const double b[2] = {1e308, -1e308};
    ck_assert_int_eq(nnm_act_log_softmax_f64(1, 2, 1.0, b, l), NNM_OK);
    ck_assert(l[0] == 0.0 && l[1] == -INFINITY); /* -2e308 is beyond the range */
    ck_assert_int_eq(nnm_act_softmax_f64(1, 2, 1.0, b, y), NNM_OK);
    ck_assert(y[0] == 1.0 && y[1] == 0.0);
}
END_TEST

START_TEST(softmax_rows_sum_to_one_and_in_place_matches)
{
    uint64_t seed = 99;
    enum { N = 20, K = 257 };
    static double a[N * K], y[N * K], z[N * K], l[N * K], lse[N], lse2[N];
    static float af[N * K], yf[N * K];
    for (int i = 0; i < N * K; ++i) {
        double scale = (i / K) % 2 ? 500.0 : 3.0;
        a[i] = nnm_rand_uniform(&seed, -scale, scale);
        af[i] = (float)a[i];
    }
    double betas[3] = {1.0, 100.0, 0.125};
    for (int ib = 0; ib < 3; ++ib) {
        ck_assert_int_eq(nnm_act_softmax_f64(N, K, betas[ib], a, y), NNM_OK);
        ck_assert_int_eq(nnm_act_softmax_f32(N, K, betas[ib], af, yf), NNM_OK);
        for (int r = 0; r < N; ++r) {
            long double s = 0, sf = 0; /* summed in extended precision: the row's own error */
            for (int j = 0; j < K; ++j) {
                s += y[r * K + j];
                sf += yf[r * K + j];
                ck_assert(y[r * K + j] >= 0 && y[r * K + j] <= 1);
            }
            nnm_assert_rel_f64((double)s, 1.0, 4);
            nnm_assert_rel_f32((float)sf, 1.0, 4);
        }
        /* in place gives the same bits, for all three functions */
        memcpy(z, a, sizeof z);
        ck_assert_int_eq(nnm_act_softmax_f64(N, K, betas[ib], z, z), NNM_OK);
        ck_assert(memcmp(y, z, sizeof z) == 0);
        ck_assert_int_eq(nnm_act_log_softmax_f64(N, K, betas[ib], a, l), NNM_OK);
        memcpy(z, a, sizeof z);
        ck_assert_int_eq(nnm_act_log_softmax_f64(N, K, betas[ib], z, z), NNM_OK);
        ck_assert(memcmp(l, z, sizeof z) == 0);
        ck_assert_int_eq(nnm_act_logsumexp_f64(N, K, betas[ib], a, lse), NNM_OK);
        memcpy(z, a, sizeof z);
        ck_assert_int_eq(nnm_act_logsumexp_f64(N, K, betas[ib], z, z), NNM_OK);
        memcpy(lse2, z, sizeof lse2);
        ck_assert(memcmp(lse, lse2, sizeof lse) == 0);
        /* log_softmax = beta a - lse and softmax = exp(log_softmax), to the stated bounds */
        for (int r = 0; r < N; ++r)
            for (int j = 0; j < K; j += 37)
                nnm_assert_rel_f64(exp(l[r * K + j]), y[r * K + j],
                                   8 + fabs(l[r * K + j])); /* exp's condition |l| */
    }
}
END_TEST

START_TEST(softmax_statuses_leave_outputs_untouched)
{
    double a[6] = {1, 2, 3, 4, 5, 6}, y[6];
    float af[6] = {1, 2, 3, 4, 5, 6}, yf[6];
    nnm_canary_fill(y, sizeof y);
    nnm_canary_fill(yf, sizeof yf);
    typedef nnm_status (*row64)(size_t, size_t, double, const double *, double *);
    typedef nnm_status (*row32)(size_t, size_t, double, const float *, float *);
    row64 f64s[3] = {nnm_act_softmax_f64, nnm_act_log_softmax_f64, nnm_act_logsumexp_f64};
    row32 f32s[3] = {nnm_act_softmax_f32, nnm_act_log_softmax_f32, nnm_act_logsumexp_f32};
    for (int i = 0; i < 3; ++i) {
        ck_assert_int_eq(f64s[i](2, 3, 1.0, NULL, y), NNM_EINVAL);
        ck_assert_int_eq(f64s[i](2, 3, 1.0, a, NULL), NNM_EINVAL);
        ck_assert_int_eq(f64s[i](2, 3, 0.0, a, y), NNM_EINVAL);
        ck_assert_int_eq(f64s[i](2, 3, -1.0, a, y), NNM_EINVAL);
        ck_assert_int_eq(f64s[i](2, 3, NAN, a, y), NNM_EINVAL);
        ck_assert_int_eq(f64s[i](2, 3, INFINITY, a, y), NNM_EINVAL);
        ck_assert_int_eq(f64s[i](2, 0, 1.0, a, y), NNM_ESIZE);
        ck_assert_int_eq(f64s[i](0, 0, 1.0, NULL, NULL), NNM_ESIZE);
        ck_assert_int_eq(f64s[i](2, 0, NAN, a, y), NNM_EINVAL);       /* EINVAL before ESIZE */
        ck_assert_int_eq(f64s[i](SIZE_MAX, 2, 1.0, a, y), NNM_ESIZE); /* n*k overflows */
        ck_assert_int_eq(f64s[i](1, 3, 1.0, y, y + 1), NNM_EINVAL);  /* partial overlap */
        ck_assert_int_eq(f64s[i](0, 3, 1.0, NULL, NULL), NNM_OK);
        ck_assert_int_eq(f32s[i](2, 3, 1.0, NULL, yf), NNM_EINVAL);
        ck_assert_int_eq(f32s[i](2, 3, 0.0, af, yf), NNM_EINVAL);
        ck_assert_int_eq(f32s[i](2, 0, 1.0, af, yf), NNM_ESIZE);
        ck_assert_int_eq(f32s[i](SIZE_MAX / 2, 4, 1.0, af, yf), NNM_ESIZE);
        ck_assert_int_eq(f32s[i](0, 3, 1.0, NULL, NULL), NNM_OK);
    }
    nnm_assert_untouched(y, sizeof y);
    nnm_assert_untouched(yf, sizeof yf);
}
END_TEST

/* ---- affine ---------------------------------------------------------------------------- */

/* float rows with entries near FLT_MAX: the float-lane TwoSum of a_j - m overflowed into
 * -inf + inf = NaN (fuzz finding); such rows must give the double computation rounded once. */
START_TEST(float_rows_near_flt_max_match_the_double_rows)
{
    const float a[12] = {-0x1.474974p+0f, FLT_MAX,         0x1.f4f4p+119f, 0x1.f4f4p+119f,
                         0x1.f4f4p+119f,  0x1.f4f4p+119f,  0x1.f4f4p+119f, 0x1.f4f4p+119f,
                         0x1.f474p+119f,  0x1.f4f4p+119f,  0x1.f4f4p+119f, 0x1.f40bp+119f};
    const float b[12] = {-FLT_MAX, 0x1p126f, 0x1.8p126f, 1.0f, -1.0f, 0x1p-100f,
                         0x1p127f, 0x1.fffffep126f, -0x1p126f, 2.0f, 3.0f, 0x1.7p127f};
    const float *rows[2] = {a, b};
    for (int r = 0; r < 2; ++r) {
        float yf[12], pf[12], lf;
        double ad[12], yd[12], pd[12], ld;
        for (int j = 0; j < 12; ++j) ad[j] = (double)rows[r][j];
        ck_assert_int_eq(nnm_act_log_softmax_f32(1, 12, 1.0, rows[r], yf), NNM_OK);
        ck_assert_int_eq(nnm_act_softmax_f32(1, 12, 1.0, rows[r], pf), NNM_OK);
        ck_assert_int_eq(nnm_act_logsumexp_f32(1, 12, 1.0, rows[r], &lf), NNM_OK);
        ck_assert_int_eq(nnm_act_log_softmax_f64(1, 12, 1.0, ad, yd), NNM_OK);
        ck_assert_int_eq(nnm_act_softmax_f64(1, 12, 1.0, ad, pd), NNM_OK);
        ck_assert_int_eq(nnm_act_logsumexp_f64(1, 12, 1.0, ad, &ld), NNM_OK);
        for (int j = 0; j < 12; ++j) {
            ck_assert(!isnan(yf[j]) && !isnan(pf[j]));
            if (fabs(yd[j]) <= (double)FLT_MAX) nnm_assert_ulp_f32(yf[j], (float)yd[j], 1);
            else ck_assert(yf[j] == -INFINITY);
            nnm_assert_ulp_f32(pf[j], (float)pd[j], 1);
        }
        nnm_assert_ulp_f32(lf, (float)ld, 1);
    }
}
END_TEST

START_TEST(affine_literal_and_no_bias)
{
    const double W[6] = {1, 2, 3, 4, 5, 6}, h[4] = {1, -1, 2, 0.5}, b[3] = {0.5, 0, -1};
    double a[6];
    ck_assert_int_eq(nnm_act_affine_f64(2, 2, 3, h, W, b, a), NNM_OK);
    const double want[6] = {-0.5, -1, -2, 3.5, 8, 12};
    for (int i = 0; i < 6; ++i) nnm_assert_ulp_f64(a[i], want[i], 0);
    ck_assert_int_eq(nnm_act_affine_f64(2, 2, 3, h, W, NULL, a), NNM_OK);
    const double want0[6] = {-1, -1, -1, 3, 8, 13};
    for (int i = 0; i < 6; ++i) nnm_assert_ulp_f64(a[i], want0[i], 0);
    const float Wf[6] = {1, 2, 3, 4, 5, 6}, hf[4] = {1, -1, 2, 0.5f}, bf[3] = {0.5f, 0, -1};
    float af[6];
    ck_assert_int_eq(nnm_act_affine_f32(2, 2, 3, hf, Wf, bf, af), NNM_OK);
    for (int i = 0; i < 6; ++i) nnm_assert_ulp_f32(af[i], (float)want[i], 0);
}
END_TEST

START_TEST(affine_accumulates_without_cancellation_loss)
{
    /* 1e16 + 1 - 1e16 = 1: naive double summation returns 0 (1e16 + 1 rounds to 1e16) */
    const double W[3] = {1e16, 1.0, -1e16}, h[3] = {1.0, 1.0, 1.0};
    double a;
    ck_assert_int_eq(nnm_act_affine_f64(1, 3, 1, h, W, NULL, &a), NNM_OK);
    nnm_assert_ulp_f64(a, 1.0, 0);
    /* products rounding away: (1 + 2^-30)^2 - 1 - 2^-29 = 2^-60 exactly, with a bias */
    const double W2[2] = {1 + 0x1p-30, -1}, h2[2] = {1 + 0x1p-30, 1 + 0x1p-29}, b2 = 0x1p-61;
    ck_assert_int_eq(nnm_act_affine_f64(1, 2, 1, h2, W2, &b2, &a), NNM_OK);
    nnm_assert_ulp_f64(a, 0x1p-60 + 0x1p-61, 0);
    /* float: 2^24 + 1 - 2^24 = 1 needs the double accumulator (float would give 0) */
    const float Wf[3] = {16777216.0f, 1.0f, -16777216.0f}, hf[3] = {1, 1, 1};
    float af;
    ck_assert_int_eq(nnm_act_affine_f32(1, 3, 1, hf, Wf, NULL, &af), NNM_OK);
    nnm_assert_ulp_f32(af, 1.0f, 0);
    /* infinities follow IEEE arithmetic */
    const double Wi[2] = {INFINITY, 1.0}, hi[2] = {1.0, 2.0};
    ck_assert_int_eq(nnm_act_affine_f64(1, 2, 1, hi, Wi, NULL, &a), NNM_OK);
    ck_assert(a == INFINITY);
}
END_TEST

START_TEST(affine_statuses_leave_outputs_untouched)
{
    double W[6] = {1, 2, 3, 4, 5, 6}, h[4] = {1, 2, 3, 4}, b[3] = {0, 0, 0}, a[6], big[32];
    float Wf[6] = {1, 2, 3, 4, 5, 6}, hf[4] = {1, 2, 3, 4}, af[6];
    nnm_canary_fill(a, sizeof a);
    nnm_canary_fill(af, sizeof af);
    ck_assert_int_eq(nnm_act_affine_f64(2, 2, 3, NULL, W, b, a), NNM_EINVAL);
    ck_assert_int_eq(nnm_act_affine_f64(2, 2, 3, h, NULL, b, a), NNM_EINVAL);
    ck_assert_int_eq(nnm_act_affine_f64(2, 2, 3, h, W, b, NULL), NNM_EINVAL);
    ck_assert_int_eq(nnm_act_affine_f64(2, 0, 3, h, W, b, a), NNM_ESIZE);
    ck_assert_int_eq(nnm_act_affine_f64(2, 2, 0, h, W, b, a), NNM_ESIZE);
    ck_assert_int_eq(nnm_act_affine_f64(0, 0, 3, NULL, NULL, NULL, NULL), NNM_ESIZE);
    ck_assert_int_eq(nnm_act_affine_f64(2, SIZE_MAX / 2, 3, h, W, b, a), NNM_ESIZE);
    ck_assert_int_eq(nnm_act_affine_f64(0, 2, 3, NULL, NULL, NULL, NULL), NNM_OK);
    ck_assert_int_eq(nnm_act_affine_f32(2, 2, 3, hf, NULL, NULL, af), NNM_EINVAL);
    ck_assert_int_eq(nnm_act_affine_f32(2, 2, SIZE_MAX / 2, hf, Wf, NULL, af), NNM_ESIZE);
    ck_assert_int_eq(nnm_act_affine_f32(0, 2, 3, NULL, NULL, NULL, NULL), NNM_OK);
    nnm_assert_untouched(a, sizeof a);
    nnm_assert_untouched(af, sizeof af);
    /* the output may not overlap an input (not even exactly) */
    nnm_canary_fill(big, sizeof big);
    double *volatile same = big; /* hidden from the compiler's restrict diagnostics */
    ck_assert_int_eq(nnm_act_affine_f64(1, 2, 2, big, big + 8, NULL, same), NNM_EINVAL);
    ck_assert_int_eq(nnm_act_affine_f64(1, 2, 2, big + 4, big + 8, NULL, big + 9), NNM_EINVAL);
    ck_assert_int_eq(nnm_act_affine_f64(1, 2, 2, big + 4, big + 8, big + 17, big + 16), NNM_EINVAL);
    nnm_assert_untouched(big, sizeof big);
}
END_TEST

static Suite *activation_suite(void)
{
    Suite *s = suite_create("activation");
    TCase *tc = tcase_create("activation");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, elementwise_literal_values);
    tcase_add_test(tc, elu_and_leaky_literal_values);
    tcase_add_test(tc, elementwise_edge_cases_follow_the_policy);
    tcase_add_test(tc, leaky_relu_minus_zero_keeps_its_sign_for_positive_alpha);
    tcase_add_test(tc, sigmoid_does_not_flush_while_the_result_is_normal);
    tcase_add_test(tc, sigmoid_symmetry_over_random_inputs);
    tcase_add_test(tc, in_place_equals_out_of_place_and_apply_equals_direct);
    tcase_add_test(tc, act_default_parameters);
    tcase_add_test(tc, elementwise_statuses_leave_outputs_untouched);
    tcase_add_test(tc, apply_rejects_bad_descriptors);
    tcase_add_test(tc, softmax_of_the_notes_examples);
    tcase_add_test(tc, log_softmax_keeps_the_tiny_log_of_the_dominant_entry);
    tcase_add_test(tc, logsumexp_near_zero_meets_its_mixed_bound);
    tcase_add_test(tc, softmax_rows_follow_the_policy);
    tcase_add_test(tc, beta_scaling_never_turns_finite_logits_into_infinities);
    tcase_add_test(tc, softmax_rows_sum_to_one_and_in_place_matches);
    tcase_add_test(tc, softmax_statuses_leave_outputs_untouched);
    tcase_add_test(tc, affine_literal_and_no_bias);
    tcase_add_test(tc, affine_accumulates_without_cancellation_loss);
    tcase_add_test(tc, affine_statuses_leave_outputs_untouched);
    tcase_add_test(tc, float_rows_near_flt_max_match_the_double_rows);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return nnm_run_suite(activation_suite());
}
