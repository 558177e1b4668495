/* Activation derivatives f'(x), their VJPs and the VJPs from the forward output y
 * (nnm_grad_act_*, nnm_grad_act_vjp_*, nnm_grad_act_vjp_from_y_*).
 *
 * What is proven here: f' against central differences of the forward function (written below
 * with textbook formulas, evaluated in 256-bit MPFR so the quotient carries no rounding noise;
 * independent of the library's derivative forms; that reference is checked against the
 * activation module's nnm_act_apply_*, and f' against differences of nnm_act_apply_f64 too),
 * literal values next to every zero crossing from mpmath (80 digits), the notes'
 * sigma' = sigma(1 - sigma), VJP = f' dy, from_y = from_x, kinks, +-inf, NaN, +-0, every status
 * with untouched outputs, and in-place calls. The ULP bounds over all binades are proven
 * by tests/oracle/oracle_derivatives.c. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <nnmath/nnmath.h>

#include <mpfr.h>

#include "act_reference.h"
#include "nnm_check.h"

#define SELU_LAMBDA 1.0507009873554804934193349852946L
#define SELU_LAMBDA_ALPHA 1.7580993408473768599402175208123L

/* ---- forward reference (long double, textbook forms) ----------------------------------------- */

static long double fwd(nnm_act act, long double x)
{
    const long double a = (long double)act.alpha;
    switch (act.kind) {
    case NNM_ACT_IDENTITY: return x;
    case NNM_ACT_STEP: return x >= 0 ? 1 : 0;
    case NNM_ACT_SIGMOID: return 1 / (1 + expl(-x));
    case NNM_ACT_TANH: return tanhl(x);
    case NNM_ACT_RELU: return x > 0 ? x : 0;
    case NNM_ACT_LEAKY_RELU: return x > 0 ? x : a * x;
    case NNM_ACT_ELU: return x > 0 ? x : a * expm1l(x);
    case NNM_ACT_SELU: return x > 0 ? SELU_LAMBDA * x : SELU_LAMBDA_ALPHA * expm1l(x);
    case NNM_ACT_SOFTPLUS: return log1pl(expl(x));
    case NNM_ACT_LOG_SIGMOID: return -log1pl(expl(-x));
    case NNM_ACT_SILU: return x / (1 + expl(-x));
    case NNM_ACT_GELU: return x * (1 + erfl(x / sqrtl(2))) / 2;
    case NNM_ACT_GELU_TANH:
        return x * (1 + tanhl(sqrtl(2 / acosl(-1)) * (x + 0.044715L * x * x * x))) / 2;
    case NNM_ACT_MISH: return x * tanhl(log1pl(expl(x)));
    }
    return NAN;
}

/* (f(x+h) - f(x-h)) / 2h, h = 2^-40 max(1, |x|) rounded down to a power of 2, from the MPFR
 * forward reference (act_reference.h, the same textbook forms): truncation error
 * h^2 |f'''| / 6 ~ 2^-80 and rounding error ~2^-256 |f| / h, both far below a double eps of f'
 * on the points used (away from the zeros of f', where no relative accuracy can be asked of any
 * difference). */
static double central_difference(nnm_act act, double x)
{
    mpfr_t a, b, xx, h;
    mpfr_inits2(NNM_REF_ACT_PREC, a, b, xx, h, (mpfr_ptr)0);
    mpfr_set_d(h, ldexp(1.0, ilogb(fmax(1.0, fabs(x))) - 40), MPFR_RNDN); /* x +- h exact */
    mpfr_set_d(xx, x, MPFR_RNDN);
    mpfr_add(xx, xx, h, MPFR_RNDN);
    nnm_ref_act_mp(a, act, xx);
    mpfr_set_d(xx, x, MPFR_RNDN);
    mpfr_sub(xx, xx, h, MPFR_RNDN);
    nnm_ref_act_mp(b, act, xx);
    mpfr_sub(a, a, b, MPFR_RNDN);
    mpfr_div(a, a, h, MPFR_RNDN);
    mpfr_div_2ui(a, a, 1, MPFR_RNDN);
    double d = mpfr_get_d(a, MPFR_RNDN);
    mpfr_clears(a, b, xx, h, (mpfr_ptr)0);
    return d;
}

/* the zeros of f' (no finite difference is relative-accurate next to them) */
static int near_zero_of_derivative(nnm_act_kind kind, double x)
{
    double r = kind == NNM_ACT_SILU ? -1.2784645 : kind == NNM_ACT_GELU ? -0.7517915
             : kind == NNM_ACT_GELU_TANH ? -0.7524614 : kind == NNM_ACT_MISH ? -1.1924312 : 1e9;
    return fabs(x - r) < 0.05;
}

/* 200 random x in [-8, 8] per kind (away from the zeros of f'): the difference quotient is the
 * exact derivative rounded to double (to ~2^-80), so f64 must be within its 2 ULP bound of it and
 * f32 within 1 ULP of it rounded to float (plus that rounding: 2 ULP of float). */
START_TEST(f_prime_matches_central_differences_of_the_forward_function)
{
    uint64_t s = 11;
    for (size_t k = 0; k < NNM_REF_N_SMOOTH; ++k) {
        nnm_act act = nnm_ref_act(nnm_ref_smooth_kinds[k], 0.0);
        for (int i = 0; i < 200; ++i) {
            double x = nnm_rand_uniform(&s, -8, 8);
            if (near_zero_of_derivative(act.kind, x)) continue;
            double g, d = central_difference(act, x);
            ck_assert_int_eq(nnm_grad_act_f64(act, 1, &x, &g), NNM_OK);
            nnm_assert_ulp_f64(g, d, 2);
            float xf = (float)x, gf;
            ck_assert_int_eq(nnm_grad_act_f32(act, 1, &xf, &gf), NNM_OK);
            nnm_assert_ulp_f32(gf, (float)central_difference(act, (double)xf), 2);
        }
    }
}
END_TEST

/* The piecewise kinds away from their kink (the stencil, h <= 2^-37, never crosses 0). */
START_TEST(piecewise_f_prime_matches_central_differences)
{
    const nnm_act acts[] = {nnm_ref_act(NNM_ACT_RELU, 0), nnm_ref_act(NNM_ACT_LEAKY_RELU, 0.01),
                            nnm_ref_act(NNM_ACT_LEAKY_RELU, -0.5), nnm_ref_act(NNM_ACT_ELU, 1.0),
                            nnm_ref_act(NNM_ACT_ELU, 0.3), nnm_ref_act(NNM_ACT_SELU, 0),
                            nnm_ref_act(NNM_ACT_IDENTITY, 0), nnm_ref_act(NNM_ACT_STEP, 0)};
    uint64_t s = 12;
    for (size_t k = 0; k < sizeof acts / sizeof acts[0]; ++k)
        for (int i = 0; i < 100; ++i) {
            double x = nnm_rand_uniform(&s, -8, 8);
            if (fabs(x) < 1e-6) continue;
            double g, d = central_difference(acts[k], x);
            ck_assert_int_eq(nnm_grad_act_f64(acts[k], 1, &x, &g), NNM_OK);
            nnm_assert_ulp_f64(g, d, 2);
        }
}
END_TEST

/* ---- literal values next to the zero crossings (mpmath, 80 digits) ------------------------------ */

typedef struct { double x, want; } lit64;
typedef struct { float x; double want; } lit32;

/* x = the double nearest the root and its two neighbours: the exact f' is ~1e-17 there, where an
 * evaluation of the closed form in double returns noise of ~1e-16 (every digit wrong). */
static const struct { nnm_act_kind kind; lit64 v[3]; lit32 f[3]; } zero_lits[] = {
    {NNM_ACT_SILU,
     {{-0x1.474973c84120bp+0, 2.384383475524311451107773e-17},
      {-0x1.474973c84120ap+0, 7.220774889984332382152003e-17},
      {-0x1.474973c84120cp+0, -2.452007938935708033867673e-17}},
     {{-0x1.4749740000000p+0f, -2.8270396683554367e-9},
      {-0x1.4749720000000p+0f, 2.3138140656545527e-8},
      {-0x1.4749760000000p+0f, -2.8792215825246924e-8}}},
    {NNM_ACT_GELU,
     {{-0x1.80ead197f00b4p-1, -6.453751729367753219676865e-18},
      {-0x1.80ead197f00b3p-1, 4.145170479608077231797356e-17},
      {-0x1.80ead197f00b5p-1, -5.435920825481626918536344e-17}},
     {{-0x1.80ead20000000p-1f, -5.227312104575155e-9},
      {-0x1.80ead00000000p-1f, 2.0491734848740447e-8},
      {-0x1.80ead40000000p-1f, -3.0946356298960011e-8}}},
    {NNM_ACT_GELU_TANH,
     {{-0x1.81429f9e97e4dp-1, -1.564745574089369318703981e-17},
      {-0x1.81429f9e97e4cp-1, 3.213655334476241896382212e-17},
      {-0x1.81429f9e97e4ep-1, -6.343146482654979578483448e-17}},
     {{-0x1.8142a00000000p-1f, -4.8805769909549434e-9},
      {-0x1.81429e0000000p-1f, 2.0773268398776437e-8},
      {-0x1.8142a20000000p-1f, -3.0534419627202151e-8}}},
    {NNM_ACT_MISH,
     {{-0x1.31432c0d12d84p+0, 1.294292419097849745071074e-17},
      {-0x1.31432c0d12d83p+0, 7.221726830166861702629406e-17},
      {-0x1.31432c0d12d85p+0, -4.63314199197116019368113e-17}},
     {{-0x1.31432c0000000p+0f, 8.1257279336583199e-10},
      {-0x1.31432a0000000p+0f, 3.2635247032260065e-8},
      {-0x1.31432e0000000p+0f, -3.1010095626715891e-8}}},
};

START_TEST(f_prime_keeps_its_digits_at_the_zero_crossings)
{
    for (size_t k = 0; k < sizeof zero_lits / sizeof zero_lits[0]; ++k) {
        nnm_act act = nnm_ref_act(zero_lits[k].kind, 0.0);
        for (int i = 0; i < 3; ++i) {
            double g;
            ck_assert_int_eq(nnm_grad_act_f64(act, 1, &zero_lits[k].v[i].x, &g), NNM_OK);
            nnm_assert_ulp_f64(g, zero_lits[k].v[i].want, 2);
            float gf;
            ck_assert_int_eq(nnm_grad_act_f32(act, 1, &zero_lits[k].f[i].x, &gf), NNM_OK);
            nnm_assert_ulp_f32(gf, (float)zero_lits[k].f[i].want, 1);
        }
    }
}
END_TEST

/* ---- the notes: sigma(-a) = 1 - sigma(a), sigma' = sigma (1 - sigma) ----------------------------- */

START_TEST(sigmoid_derivative_is_sigma_times_one_minus_sigma)
{
    const double xs[] = {0.0, 0.5, -0.5, 1.0, -1.0, 2.0, -2.0, 3.0, -3.0, 0.1};
    nnm_act act = nnm_ref_act(NNM_ACT_SIGMOID, 0.0);
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; ++i) {
        /* the notes' form, literally, in long double: for |x| <= 3 the subtraction 1 - s loses
         * at most 5 of the 64 bits, far below a double ULP */
        long double sl = 1 / (1 + expl(-(long double)xs[i]));
        double g, gm;
        ck_assert_int_eq(nnm_grad_act_f64(act, 1, &xs[i], &g), NNM_OK);
        nnm_assert_ulp_f64(g, (double)(sl * (1 - sl)), 1);
        double mx = -xs[i]; /* sigma(-a) = 1 - sigma(a) makes sigma' even, exactly */
        ck_assert_int_eq(nnm_grad_act_f64(act, 1, &mx, &gm), NNM_OK);
        ck_assert(g == gm);
    }
    double z = 0.0, g;
    ck_assert_int_eq(nnm_grad_act_f64(act, 1, &z, &g), NNM_OK);
    ck_assert(g == 0.25); /* sigma(0) (1 - sigma(0)) = 1/4 exactly */
}
END_TEST

/* sigma'(44) = e^-44/(1 + e^-44)^2 = 7.78e-20: a rounded sigma(44) is 1 and s (1 - s) gives 0
 * (what PyTorch returns). The reference e^-44 (1 - 2e^-44) is exact to 2^-126 relative. */
START_TEST(sigmoid_derivative_does_not_vanish_in_the_tails)
{
    nnm_act act = nnm_ref_act(NNM_ACT_SIGMOID, 0.0);
    const double xs[] = {44.0, -44.0, 100.0, 700.0};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; ++i) {
        double g;
        ck_assert_int_eq(nnm_grad_act_f64(act, 1, &xs[i], &g), NNM_OK);
        long double e = expl(-fabsl((long double)xs[i]));
        nnm_assert_ulp_f64(g, (double)(e * (1 - 2 * e)), 1);
    }
    float xf = 44.0f, gf;
    ck_assert_int_eq(nnm_grad_act_f32(act, 1, &xf, &gf), NNM_OK);
    nnm_assert_ulp_f32(gf, (float)(expl(-44.0L)), 1);
}
END_TEST

/* gelu'(-30) = Phi(-30) - 30 phi(30) = -4.4e-195: the Gaussian tail keeps its digits. */
START_TEST(gelu_derivative_keeps_relative_accuracy_far_left)
{
    nnm_act act = nnm_ref_act(NNM_ACT_GELU, 0.0);
    double x = -30.0, g;
    ck_assert_int_eq(nnm_grad_act_f64(act, 1, &x, &g), NNM_OK);
    /* mpmath (80 digits): Phi(-30) + (-30) phi(-30) */
    nnm_assert_ulp_f64(g, -4.4160316907084943701e-195, 2);
}
END_TEST

/* ---- VJP ------------------------------------------------------------------------------------- */

static const nnm_act all_acts[] = {
    {NNM_ACT_IDENTITY, 0},    {NNM_ACT_STEP, 0},       {NNM_ACT_SIGMOID, 0},
    {NNM_ACT_TANH, 0},        {NNM_ACT_RELU, 0},       {NNM_ACT_LEAKY_RELU, 0.01},
    {NNM_ACT_LEAKY_RELU, -2}, {NNM_ACT_ELU, 1.0},      {NNM_ACT_ELU, 0.25},
    {NNM_ACT_SELU, 0},        {NNM_ACT_SOFTPLUS, 0},   {NNM_ACT_LOG_SIGMOID, 0},
    {NNM_ACT_SILU, 0},        {NNM_ACT_GELU, 0},       {NNM_ACT_GELU_TANH, 0},
    {NNM_ACT_MISH, 0}};
#define N_ACTS (sizeof all_acts / sizeof all_acts[0])

/* dx = f'(x) dy rounded once, so it is within 1/2 ULP of the exact product, and the double
 * product of the rounded f' and dy within 1 ULP of it too: at most 2 ULP apart (1 for f32,
 * whose product is formed in double). dx == dy in place gives the same bits. */
START_TEST(vjp_is_f_prime_times_dy_also_in_place)
{
    enum { N = 64 };
    uint64_t s = 21;
    for (size_t k = 0; k < N_ACTS; ++k) {
        double x[N], dy[N], g[N], dx[N], io[N];
        float xf[N], dyf[N], gf[N], dxf[N];
        for (int i = 0; i < N; ++i) {
            x[i] = nnm_rand_uniform(&s, -6, 6);
            dy[i] = io[i] = nnm_rand_uniform(&s, -3, 3);
            xf[i] = (float)x[i];
            dyf[i] = (float)dy[i];
        }
        ck_assert_int_eq(nnm_grad_act_f64(all_acts[k], N, x, g), NNM_OK);
        ck_assert_int_eq(nnm_grad_act_vjp_f64(all_acts[k], N, x, dy, dx), NNM_OK);
        ck_assert_int_eq(nnm_grad_act_vjp_f64(all_acts[k], N, x, io, io), NNM_OK);
        ck_assert_int_eq(nnm_grad_act_f32(all_acts[k], N, xf, gf), NNM_OK);
        ck_assert_int_eq(nnm_grad_act_vjp_f32(all_acts[k], N, xf, dyf, dxf), NNM_OK);
        for (int i = 0; i < N; ++i) {
            nnm_assert_ulp_f64(dx[i], g[i] * dy[i], 2);
            ck_assert(memcmp(&dx[i], &io[i], sizeof dx[i]) == 0);
            nnm_assert_ulp_f32(dxf[i], (float)((double)gf[i] * (double)dyf[i]), 1);
        }
    }
}
END_TEST

/* The extended working precision keeps f'(x) dy accurate where f'(x) alone underflows:
 * sigmoid'(-800) = e^-800 is 0 in double, e^-800 * 1e300 = 3.6e-48 is not. */
START_TEST(vjp_survives_an_underflowing_derivative)
{
    nnm_act act = nnm_ref_act(NNM_ACT_SIGMOID, 0.0);
    double x = -800.0, dy = 1e300, dx, g;
    ck_assert_int_eq(nnm_grad_act_f64(act, 1, &x, &g), NNM_OK);
    ck_assert(g == 0.0);
    ck_assert_int_eq(nnm_grad_act_vjp_f64(act, 1, &x, &dy, &dx), NNM_OK);
#if LDBL_MAX_EXP > DBL_MAX_EXP
    nnm_assert_rel_f64(dx, (double)(expl(-800.0L) * 1e300L), 1);
#endif
}
END_TEST

/* ---- from y ----------------------------------------------------------------------------------- */

/* y = f(x) rounded to double from the long double forward; g(y) dy against f'(x) dy. The
 * relative condition of g at these y (|x| <= 1) is below 3 (tanh at y = 0.76 is the largest), so
 * the rounding of y (1/2 ULP) moves g by < 1.5 ULP: 4 eps covers it with both results' errors. */
START_TEST(vjp_from_y_agrees_with_vjp_from_x)
{
    const nnm_act acts[] = {nnm_ref_act(NNM_ACT_IDENTITY, 0), nnm_ref_act(NNM_ACT_STEP, 0),
                            nnm_ref_act(NNM_ACT_SIGMOID, 0), nnm_ref_act(NNM_ACT_TANH, 0),
                            nnm_ref_act(NNM_ACT_RELU, 0), nnm_ref_act(NNM_ACT_LEAKY_RELU, 0.01),
                            nnm_ref_act(NNM_ACT_LEAKY_RELU, 3.0), nnm_ref_act(NNM_ACT_ELU, 1.0),
                            nnm_ref_act(NNM_ACT_ELU, 0.3), nnm_ref_act(NNM_ACT_SELU, 0),
                            nnm_ref_act(NNM_ACT_SOFTPLUS, 0), nnm_ref_act(NNM_ACT_LOG_SIGMOID, 0)};
    uint64_t s = 31;
    for (size_t k = 0; k < sizeof acts / sizeof acts[0]; ++k)
        for (int i = 0; i < 100; ++i) {
            double x = nnm_rand_uniform(&s, -1, 1), dy = nnm_rand_uniform(&s, -2, 2);
            double y = (double)fwd(acts[k], x), a, b;
            ck_assert_int_eq(nnm_grad_act_vjp_f64(acts[k], 1, &x, &dy, &a), NNM_OK);
            ck_assert_int_eq(nnm_grad_act_vjp_from_y_f64(acts[k], 1, &y, &dy, &b), NNM_OK);
            nnm_assert_rel_f64(b, a, 4);
            float xf = (float)x, yf = (float)fwd(acts[k], xf), dyf = (float)dy, af, bf;
            ck_assert_int_eq(nnm_grad_act_vjp_f32(acts[k], 1, &xf, &dyf, &af), NNM_OK);
            ck_assert_int_eq(nnm_grad_act_vjp_from_y_f32(acts[k], 1, &yf, &dyf, &bf), NNM_OK);
            nnm_assert_rel_f32(bf, (double)af, 4);
        }
}
END_TEST

/* The range ends: sigmoid y = 0 or 1 and tanh y = +-1 give 0; softplus y = +inf gives 1; the
 * elu/selu bottom (x = -inf) gives 0 also when the forward rounded -alpha away from 0; y = 0
 * is the kink x = 0. */
START_TEST(vjp_from_y_at_the_ends_of_the_range)
{
    double one = 1.0, r;
    double y;
    y = 1.0;
    ck_assert_int_eq(nnm_grad_act_vjp_from_y_f64(nnm_ref_act(NNM_ACT_SIGMOID, 0), 1, &y, &one, &r), NNM_OK);
    ck_assert(r == 0.0);
    y = -1.0;
    ck_assert_int_eq(nnm_grad_act_vjp_from_y_f64(nnm_ref_act(NNM_ACT_TANH, 0), 1, &y, &one, &r), NNM_OK);
    ck_assert(r == 0.0);
    y = INFINITY;
    ck_assert_int_eq(nnm_grad_act_vjp_from_y_f64(nnm_ref_act(NNM_ACT_SOFTPLUS, 0), 1, &y, &one, &r), NNM_OK);
    ck_assert(r == 1.0);
    y = -INFINITY;
    ck_assert_int_eq(nnm_grad_act_vjp_from_y_f64(nnm_ref_act(NNM_ACT_LOG_SIGMOID, 0), 1, &y, &one, &r), NNM_OK);
    ck_assert(r == 1.0);
    float yf = (float)-0.3, onef = 1.0f, rf; /* rounds to -0.30000001192..., below -0.3 */
    ck_assert(-0.3 > (double)yf);
    ck_assert_int_eq(nnm_grad_act_vjp_from_y_f32(nnm_ref_act(NNM_ACT_ELU, 0.3), 1, &yf, &onef, &rf), NNM_OK);
    ck_assert(rf == 0.0f);
    y = -1.7580993408473768599402175208123;
    ck_assert_int_eq(nnm_grad_act_vjp_from_y_f64(nnm_ref_act(NNM_ACT_SELU, 0), 1, &y, &one, &r), NNM_OK);
    ck_assert(r >= 0.0 && r < 1e-15);
    y = -0.0;
    ck_assert_int_eq(nnm_grad_act_vjp_from_y_f64(nnm_ref_act(NNM_ACT_ELU, 0.5), 1, &y, &one, &r), NNM_OK);
    ck_assert(r == 0.5);
    ck_assert_int_eq(nnm_grad_act_vjp_from_y_f64(nnm_ref_act(NNM_ACT_SELU, 0), 1, &y, &one, &r), NNM_OK);
    ck_assert(r == (double)SELU_LAMBDA);
    y = NAN;
    ck_assert_int_eq(nnm_grad_act_vjp_from_y_f64(nnm_ref_act(NNM_ACT_SIGMOID, 0), 1, &y, &one, &r), NNM_OK);
    ck_assert(isnan(r));
}
END_TEST

/* ---- kinks, infinities, NaN, signed zeros -------------------------------------------------------- */

START_TEST(kinks_take_the_least_magnitude_subgradient)
{
    const struct { nnm_act act; double want; } k[] = {
        {{NNM_ACT_RELU, 0}, 0.0},         {{NNM_ACT_STEP, 0}, 0.0},
        {{NNM_ACT_LEAKY_RELU, 0.01}, 0.01}, {{NNM_ACT_LEAKY_RELU, 0.0}, 0.0},
        {{NNM_ACT_LEAKY_RELU, -0.5}, 0.0}, {{NNM_ACT_LEAKY_RELU, 3.0}, 1.0},
        {{NNM_ACT_ELU, 1.0}, 1.0},        {{NNM_ACT_ELU, 0.5}, 0.5},
        {{NNM_ACT_ELU, 2.0}, 1.0},        {{NNM_ACT_ELU, 0.0}, 0.0},
        {{NNM_ACT_SELU, 0}, (double)SELU_LAMBDA},
    };
    for (size_t i = 0; i < sizeof k / sizeof k[0]; ++i) {
        double x[2] = {0.0, -0.0}, g[2];
        float xf[2] = {0.0f, -0.0f}, gf[2];
        ck_assert_int_eq(nnm_grad_act_f64(k[i].act, 2, x, g), NNM_OK);
        ck_assert_int_eq(nnm_grad_act_f32(k[i].act, 2, xf, gf), NNM_OK);
        for (int j = 0; j < 2; ++j) {
            ck_assert_msg(g[j] == k[i].want, "kind %d alpha %g: %g", (int)k[i].act.kind,
                          k[i].act.alpha, g[j]);
            ck_assert(gf[j] == (float)k[i].want);
        }
    }
}
END_TEST

START_TEST(infinities_give_the_limits_and_nan_propagates)
{
    const struct { nnm_act act; double at_minus_inf, at_plus_inf; } lim[] = {
        {{NNM_ACT_IDENTITY, 0}, 1, 1},   {{NNM_ACT_STEP, 0}, 0, 0},
        {{NNM_ACT_SIGMOID, 0}, 0, 0},    {{NNM_ACT_TANH, 0}, 0, 0},
        {{NNM_ACT_RELU, 0}, 0, 1},       {{NNM_ACT_LEAKY_RELU, 0.2}, 0.2, 1},
        {{NNM_ACT_ELU, 1.0}, 0, 1},      {{NNM_ACT_SELU, 0}, 0, (double)SELU_LAMBDA},
        {{NNM_ACT_SOFTPLUS, 0}, 0, 1},   {{NNM_ACT_LOG_SIGMOID, 0}, 1, 0},
        {{NNM_ACT_SILU, 0}, 0, 1},       {{NNM_ACT_GELU, 0}, 0, 1},
        {{NNM_ACT_GELU_TANH, 0}, 0, 1},  {{NNM_ACT_MISH, 0}, 0, 1},
    };
    for (size_t i = 0; i < sizeof lim / sizeof lim[0]; ++i) {
        double x[3] = {-INFINITY, INFINITY, NAN}, g[3];
        float xf[3] = {-INFINITY, INFINITY, NAN}, gf[3];
        ck_assert_int_eq(nnm_grad_act_f64(lim[i].act, 3, x, g), NNM_OK);
        ck_assert_int_eq(nnm_grad_act_f32(lim[i].act, 3, xf, gf), NNM_OK);
        ck_assert_msg(g[0] == lim[i].at_minus_inf && g[1] == lim[i].at_plus_inf,
                      "kind %d: %g %g", (int)lim[i].act.kind, g[0], g[1]);
        ck_assert(gf[0] == (float)lim[i].at_minus_inf && gf[1] == (float)lim[i].at_plus_inf);
        ck_assert(isnan(g[2]) && isnan(gf[2]));
        /* NaN in dy propagates too */
        double xv = 0.5, dy = NAN, dx;
        ck_assert_int_eq(nnm_grad_act_vjp_f64(lim[i].act, 1, &xv, &dy, &dx), NNM_OK);
        ck_assert(isnan(dx));
    }
}
END_TEST

/* Smooth derivatives are even or continuous at 0: +0 and -0 give the same value; subnormal
 * inputs are ordinary inputs (sigma'(tiny) = 1/4, gelu'(tiny) = 1/2, ...). */
START_TEST(signed_zeros_and_subnormals)
{
    const struct { nnm_act_kind kind; double at0; } z[] = {
        {NNM_ACT_SIGMOID, 0.25}, {NNM_ACT_TANH, 1.0},     {NNM_ACT_SOFTPLUS, 0.5},
        {NNM_ACT_LOG_SIGMOID, 0.5}, {NNM_ACT_SILU, 0.5}, {NNM_ACT_GELU, 0.5},
        {NNM_ACT_GELU_TANH, 0.5}, {NNM_ACT_MISH, 0.6}};
    for (size_t i = 0; i < sizeof z / sizeof z[0]; ++i) {
        double x[4] = {0.0, -0.0, DBL_TRUE_MIN, -DBL_TRUE_MIN}, g[4];
        ck_assert_int_eq(nnm_grad_act_f64(nnm_ref_act(z[i].kind, 0), 4, x, g), NNM_OK);
        ck_assert(g[0] == g[1]);
        if (z[i].kind == NNM_ACT_MISH) {
            nnm_assert_ulp_f64(g[0], 0.6, 1); /* tanh(ln 2) = 3/5 */
        } else {
            ck_assert(g[0] == z[i].at0);
        }
        nnm_assert_ulp_f64(g[2], g[0], 1);
        nnm_assert_ulp_f64(g[3], g[0], 1);
    }
}
END_TEST

/* ---- against the activation module's forward functions ----------------------------------------- */

/* The MPFR forward above is the library's forward (same definitions and constants): within the
 * activation module's bounds (2 ULP f64, 1 ULP f32) at random points. */
START_TEST(reference_forward_is_the_library_forward)
{
    uint64_t s = 13;
    mpfr_t x, y;
    mpfr_inits2(NNM_REF_ACT_PREC, x, y, (mpfr_ptr)0);
    for (size_t k = 0; k < N_ACTS; ++k)
        for (int i = 0; i < 50; ++i) {
            double v = nnm_rand_uniform(&s, -8, 8), f;
            float vf = (float)v, ff;
            ck_assert_int_eq(nnm_act_apply_f64(all_acts[k], 1, &v, &f), NNM_OK);
            ck_assert_int_eq(nnm_act_apply_f32(all_acts[k], 1, &vf, &ff), NNM_OK);
            mpfr_set_d(x, v, MPFR_RNDN);
            nnm_ref_act_mp(y, all_acts[k], x);
            nnm_assert_ulp_f64(f, mpfr_get_d(y, MPFR_RNDN), 2);
            mpfr_set_flt(x, vf, MPFR_RNDN);
            nnm_ref_act_mp(y, all_acts[k], x);
            nnm_assert_ulp_f32(ff, mpfr_get_flt(y, MPFR_RNDN), 1);
        }
    mpfr_clears(x, y, (mpfr_ptr)0);
}
END_TEST

/* f' against the fourth-order central difference of nnm_act_apply_f64 itself,
 * (-f(x+2h) + 8 f(x+h) - 8 f(x-h) + f(x-2h)) / 12h with h = 2^-12 (x in [-4, 4]): the forward's
 * rounding (<= 2 ULP each) contributes <= 18 * 2 * 2^-53 |f| / 12h ~ 2^-39 |f| and truncation
 * h^4 |f^(5)| / 30 ~ 2^-52 |f^(5)|; on points with |f'| >= |f|/16 and |f^(5)| <= 2^6 (all these
 * kinds on [-4, 4]) that is below 2^-34 relative, i.e. 2^18 eps: this check proves the
 * derivative belongs to the shipped forward function (a wrong formula or constant is off by far
 * more); the ULP accuracy is proven against MPFR above and in the oracle. */
START_TEST(f_prime_matches_differences_of_the_library_forward)
{
    uint64_t s = 14;
    const double h = 0x1p-12;
    for (size_t k = 0; k < N_ACTS; ++k)
        for (int i = 0; i < 100; ++i) {
            double x = nnm_rand_uniform(&s, -4, 4);
            if (fabs(x) < 4 * h || near_zero_of_derivative(all_acts[k].kind, x)) continue;
            double p[4] = {x + 2 * h, x + h, x - h, x - 2 * h}, f[4], fx, g;
            ck_assert_int_eq(nnm_act_apply_f64(all_acts[k], 4, p, f), NNM_OK);
            ck_assert_int_eq(nnm_act_apply_f64(all_acts[k], 1, &x, &fx), NNM_OK);
            ck_assert_int_eq(nnm_grad_act_f64(all_acts[k], 1, &x, &g), NNM_OK);
            double d = ((f[3] - f[0]) + 8 * (f[1] - f[2])) / (12 * h); /* 0 on constant f */
            if (fabs(g) < fabs(fx) / 16) continue; /* f' tiny against f: the quotient is noise */
            if (g == 0.0) ck_assert(d == 0.0);
            else nnm_assert_rel_f64(d, g, 0x1p18);
        }
}
END_TEST

/* ---- statuses: every error leaves the output untouched ------------------------------------------ */

START_TEST(invalid_descriptors_and_pointers_are_einval_and_write_nothing)
{
    double x[4] = {0.1, 0.2, 0.3, 0.4}, dy[4] = {1, 1, 1, 1}, out[4];
    float xf[4] = {0.1f, 0.2f, 0.3f, 0.4f}, dyf[4] = {1, 1, 1, 1}, outf[4];
    const nnm_act bad[] = {nnm_ref_act((nnm_act_kind)99, 0), nnm_ref_act((nnm_act_kind)-1, 0),
                           nnm_ref_act(NNM_ACT_SIGMOID, 0.5), nnm_ref_act(NNM_ACT_LEAKY_RELU, NAN),
                           nnm_ref_act(NNM_ACT_LEAKY_RELU, INFINITY), nnm_ref_act(NNM_ACT_ELU, -1.0),
                           nnm_ref_act(NNM_ACT_ELU, NAN)};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
        nnm_canary_fill(out, sizeof out);
        nnm_canary_fill(outf, sizeof outf);
        ck_assert_int_eq(nnm_grad_act_f64(bad[i], 4, x, out), NNM_EINVAL);
        ck_assert_int_eq(nnm_grad_act_vjp_f64(bad[i], 4, x, dy, out), NNM_EINVAL);
        ck_assert_int_eq(nnm_grad_act_vjp_from_y_f64(bad[i], 4, x, dy, out), NNM_EINVAL);
        ck_assert_int_eq(nnm_grad_act_f32(bad[i], 4, xf, outf), NNM_EINVAL);
        ck_assert_int_eq(nnm_grad_act_vjp_f32(bad[i], 4, xf, dyf, outf), NNM_EINVAL);
        ck_assert_int_eq(nnm_grad_act_vjp_from_y_f32(bad[i], 4, xf, dyf, outf), NNM_EINVAL);
        nnm_assert_untouched(out, sizeof out);
        nnm_assert_untouched(outf, sizeof outf);
    }
    nnm_act ok = nnm_ref_act(NNM_ACT_SIGMOID, 0);
    nnm_canary_fill(out, sizeof out);
    ck_assert_int_eq(nnm_grad_act_f64(ok, 4, NULL, out), NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_act_f64(ok, 4, x, NULL), NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_act_vjp_f64(ok, 4, x, NULL, out), NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_act_vjp_f64(ok, 4, NULL, dy, out), NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_act_vjp_from_y_f64(ok, 4, NULL, dy, out), NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_act_vjp_from_y_f64(ok, 4, x, NULL, out), NNM_EINVAL);
    nnm_assert_untouched(out, sizeof out);
    /* partial overlaps: out shifted by one element against x or dy */
    double buf[5] = {0.1, 0.2, 0.3, 0.4, 0.5}, save[5];
    memcpy(save, buf, sizeof buf);
    ck_assert_int_eq(nnm_grad_act_f64(ok, 4, buf, buf + 1), NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_act_vjp_f64(ok, 4, x, buf, buf + 1), NNM_EINVAL);
    ck_assert_int_eq(nnm_grad_act_vjp_from_y_f64(ok, 4, buf + 1, dy, buf), NNM_EINVAL);
    ck_assert(memcmp(buf, save, sizeof buf) == 0);
    /* n = 0: NULL everywhere is fine */
    ck_assert_int_eq(nnm_grad_act_f64(ok, 0, NULL, NULL), NNM_OK);
    ck_assert_int_eq(nnm_grad_act_vjp_f32(ok, 0, NULL, NULL, NULL), NNM_OK);
    ck_assert_int_eq(nnm_grad_act_vjp_from_y_f64(ok, 0, NULL, NULL, NULL), NNM_OK);
}
END_TEST

START_TEST(from_y_rejects_kinds_that_y_does_not_determine)
{
    const nnm_act no[] = {nnm_ref_act(NNM_ACT_SILU, 0), nnm_ref_act(NNM_ACT_GELU, 0),
                          nnm_ref_act(NNM_ACT_GELU_TANH, 0), nnm_ref_act(NNM_ACT_MISH, 0),
                          nnm_ref_act(NNM_ACT_LEAKY_RELU, 0.0), nnm_ref_act(NNM_ACT_LEAKY_RELU, -0.1)};
    double y[2] = {0.1, 0.2}, dy[2] = {1, 1}, out[2];
    float yf[2] = {0.1f, 0.2f}, dyf[2] = {1, 1}, outf[2];
    for (size_t i = 0; i < sizeof no / sizeof no[0]; ++i) {
        nnm_canary_fill(out, sizeof out);
        nnm_canary_fill(outf, sizeof outf);
        ck_assert_int_eq(nnm_grad_act_vjp_from_y_f64(no[i], 2, y, dy, out), NNM_EINVAL);
        ck_assert_int_eq(nnm_grad_act_vjp_from_y_f32(no[i], 2, yf, dyf, outf), NNM_EINVAL);
        /* EINVAL before ESIZE */
        ck_assert_int_eq(nnm_grad_act_vjp_from_y_f64(no[i], SIZE_MAX, y, dy, out), NNM_EINVAL);
        nnm_assert_untouched(out, sizeof out);
        nnm_assert_untouched(outf, sizeof outf);
    }
}
END_TEST

/* y outside the range of f is NNM_EDOM, checked over the whole array before any write (the bad
 * value is last). */
START_TEST(from_y_outside_the_range_is_edom_and_writes_nothing)
{
    const struct { nnm_act act; double bad; } d[] = {
        {{NNM_ACT_SIGMOID, 0}, 1.5},     {{NNM_ACT_SIGMOID, 0}, -0.1},
        {{NNM_ACT_SIGMOID, 0}, INFINITY}, {{NNM_ACT_TANH, 0}, -1.1},
        {{NNM_ACT_RELU, 0}, -1.0},       {{NNM_ACT_SOFTPLUS, 0}, -0.1},
        {{NNM_ACT_LOG_SIGMOID, 0}, 0.1}, {{NNM_ACT_STEP, 0}, 0.5},
        {{NNM_ACT_ELU, 0.5}, -0.51},     {{NNM_ACT_SELU, 0}, -1.76},
    };
    for (size_t i = 0; i < sizeof d / sizeof d[0]; ++i) {
        double y[3] = {0.0, 0.0, d[i].bad}, dy[3] = {1, 1, 1}, out[3];
        float yf[3] = {0.0f, 0.0f, (float)d[i].bad}, dyf[3] = {1, 1, 1}, outf[3];
        nnm_canary_fill(out, sizeof out);
        nnm_canary_fill(outf, sizeof outf);
        ck_assert_int_eq(nnm_grad_act_vjp_from_y_f64(d[i].act, 3, y, dy, out), NNM_EDOM);
        ck_assert_int_eq(nnm_grad_act_vjp_from_y_f32(d[i].act, 3, yf, dyf, outf), NNM_EDOM);
        nnm_assert_untouched(out, sizeof out);
        nnm_assert_untouched(outf, sizeof outf);
        /* in place (dx == dy): still untouched */
        ck_assert_int_eq(nnm_grad_act_vjp_from_y_f64(d[i].act, 3, y, dy, dy), NNM_EDOM);
        ck_assert(dy[0] == 1 && dy[1] == 1 && dy[2] == 1);
    }
    /* the edges themselves are inside */
    double y[2] = {-0.5, 0.0}, dy[2] = {1, 1}, out[2];
    ck_assert_int_eq(nnm_grad_act_vjp_from_y_f64(nnm_ref_act(NNM_ACT_ELU, 0.5), 2, y, dy, out), NNM_OK);
}
END_TEST

/* An element count whose bytes exceed PTRDIFF_MAX is NNM_ESIZE (nothing is read or written:
 * the pointers are real but short). */
START_TEST(oversized_counts_are_esize)
{
    double x[1] = {0.5}, dy[1] = {1}, out[1];
    float xf[1] = {0.5f}, dyf[1] = {1}, outf[1];
    nnm_act act = nnm_ref_act(NNM_ACT_TANH, 0);
    size_t n64 = (size_t)PTRDIFF_MAX / sizeof(double) + 1, n32 = (size_t)PTRDIFF_MAX / 4 + 1;
    nnm_canary_fill(out, sizeof out);
    nnm_canary_fill(outf, sizeof outf);
    ck_assert_int_eq(nnm_grad_act_f64(act, n64, x, out), NNM_ESIZE);
    ck_assert_int_eq(nnm_grad_act_vjp_f64(act, n64, x, dy, out), NNM_ESIZE);
    ck_assert_int_eq(nnm_grad_act_vjp_from_y_f64(act, n64, x, dy, out), NNM_ESIZE);
    ck_assert_int_eq(nnm_grad_act_f32(act, n32, xf, outf), NNM_ESIZE);
    ck_assert_int_eq(nnm_grad_act_vjp_from_y_f32(act, SIZE_MAX, xf, dyf, outf), NNM_ESIZE);
    nnm_assert_untouched(out, sizeof out);
    nnm_assert_untouched(outf, sizeof outf);
}
END_TEST

START_TEST(f_prime_in_place)
{
    enum { N = 32 };
    uint64_t s = 41;
    for (size_t k = 0; k < N_ACTS; ++k) {
        double x[N], g[N];
        float xf[N], gf[N];
        for (int i = 0; i < N; ++i) xf[i] = (float)(x[i] = nnm_rand_uniform(&s, -5, 5));
        ck_assert_int_eq(nnm_grad_act_f64(all_acts[k], N, x, g), NNM_OK);
        ck_assert_int_eq(nnm_grad_act_f32(all_acts[k], N, xf, gf), NNM_OK);
        ck_assert_int_eq(nnm_grad_act_f64(all_acts[k], N, x, x), NNM_OK);
        ck_assert_int_eq(nnm_grad_act_f32(all_acts[k], N, xf, xf), NNM_OK);
        ck_assert(memcmp(x, g, sizeof x) == 0);
        ck_assert(memcmp(xf, gf, sizeof xf) == 0);
    }
}
END_TEST

/* elu' and elu'' = alpha e^x with alpha near DBL_MAX below x = -708: e^x alone is subnormal (or
 * 0) in double while alpha e^x is a normal number (fuzz finding: the float path gave 0). MPFR is
 * the reference. */
START_TEST(elu_derivatives_with_a_huge_alpha_keep_their_digits)
{
    const double alphas[2] = {DBL_MAX, 0x1p1000};
    const double xs[4] = {-0x1.74910ep+9, -708.5, -745.25, -1000.0};
    mpfr_t r;
    mpfr_init2(r, 200);
    for (int a = 0; a < 2; ++a)
        for (int i = 0; i < 4; ++i) {
            nnm_act act = {NNM_ACT_ELU, alphas[a]};
            mpfr_set_d(r, xs[i], MPFR_RNDN);
            mpfr_exp(r, r, MPFR_RNDN);
            mpfr_mul_d(r, r, alphas[a], MPFR_RNDN);
            double want = mpfr_get_d(r, MPFR_RNDN);
            float xf = (float)xs[i], gf = 0.0f, hf = 0.0f;
            double g = 0.0, h = 0.0;
            ck_assert_int_eq(nnm_grad_act_f64(act, 1, &xs[i], &g), NNM_OK);
            ck_assert_int_eq(nnm_hess_act_f64(act, 1, &xs[i], &h), NNM_OK);
            nnm_assert_ulp_f64(g, want, 2);
            nnm_assert_ulp_f64(h, want, 2);
            if ((double)xf != xs[i]) continue;
            if (fabs(want) >= (double)FLT_MIN && fabs(want) <= (double)FLT_MAX) {
                ck_assert_int_eq(nnm_grad_act_f32(act, 1, &xf, &gf), NNM_OK);
                ck_assert_int_eq(nnm_hess_act_f32(act, 1, &xf, &hf), NNM_OK);
                nnm_assert_ulp_f32(gf, (float)want, 1);
                nnm_assert_ulp_f32(hf, (float)want, 1);
            }
        }
    mpfr_clear(r);
}
END_TEST

/* the from-y form accepts every output of the forward, also -alpha rounded in the subnormal
 * range, where the rounding exceeds eps relative (fuzz finding: alpha = 2^-137 in float) */
START_TEST(from_y_accepts_the_forward_output_at_a_subnormal_limit)
{
    nnm_act act = {NNM_ACT_ELU, 0x1.2909p-137};
    const float x[2] = {-FLT_MAX, -200.0f};
    const float dy[2] = {1.0f, -2.0f};
    float y[2], dx[2];
    ck_assert_int_eq(nnm_act_elu_f32(2, act.alpha, x, y), NNM_OK);
    ck_assert((double)y[0] < -act.alpha * (1.0 + (double)FLT_EPSILON)); /* the case at hand */
    ck_assert_int_eq(nnm_grad_act_vjp_from_y_f32(act, 2, y, dy, dx), NNM_OK);
    ck_assert(dx[0] == 0.0f && dx[1] == 0.0f); /* y + alpha clamped at 0 */
    const double xd[1] = {-1000.0}, dyd[1] = {1.0};
    double yd[1], dxd[1];
    act.alpha = 0x1.2909p-1066;
    ck_assert_int_eq(nnm_act_elu_f64(1, act.alpha, xd, yd), NNM_OK);
    ck_assert_int_eq(nnm_grad_act_vjp_from_y_f64(act, 1, yd, dyd, dxd), NNM_OK);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("gradient_activation");
    TCase *t = tcase_create("all");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, f_prime_matches_central_differences_of_the_forward_function);
    tcase_add_test(t, piecewise_f_prime_matches_central_differences);
    tcase_add_test(t, reference_forward_is_the_library_forward);
    tcase_add_test(t, f_prime_matches_differences_of_the_library_forward);
    tcase_add_test(t, f_prime_keeps_its_digits_at_the_zero_crossings);
    tcase_add_test(t, sigmoid_derivative_is_sigma_times_one_minus_sigma);
    tcase_add_test(t, sigmoid_derivative_does_not_vanish_in_the_tails);
    tcase_add_test(t, gelu_derivative_keeps_relative_accuracy_far_left);
    tcase_add_test(t, vjp_is_f_prime_times_dy_also_in_place);
    tcase_add_test(t, vjp_survives_an_underflowing_derivative);
    tcase_add_test(t, vjp_from_y_agrees_with_vjp_from_x);
    tcase_add_test(t, vjp_from_y_at_the_ends_of_the_range);
    tcase_add_test(t, kinks_take_the_least_magnitude_subgradient);
    tcase_add_test(t, infinities_give_the_limits_and_nan_propagates);
    tcase_add_test(t, signed_zeros_and_subnormals);
    tcase_add_test(t, invalid_descriptors_and_pointers_are_einval_and_write_nothing);
    tcase_add_test(t, from_y_rejects_kinds_that_y_does_not_determine);
    tcase_add_test(t, from_y_outside_the_range_is_edom_and_writes_nothing);
    tcase_add_test(t, oversized_counts_are_esize);
    tcase_add_test(t, f_prime_in_place);
    tcase_add_test(t, elu_derivatives_with_a_huge_alpha_keep_their_digits);
    tcase_add_test(t, from_y_accepts_the_forward_output_at_a_subnormal_limit);
    suite_add_tcase(s, t);
    return s;
}

int main(void) { return nnm_run_suite(suite()); }
