/* Second derivatives of the activations, nnm_hess_act_*.
 *
 * What is proven here: f'' against second central differences of the forward function (written
 * below with textbook formulas in 256-bit MPFR, independent of the library's forms) and against
 * differences of the library's gradient nnm_grad_act_f64, literal
 * values next to every zero of f'' from mpmath (80 digits) and in closed form at 0, the issue's
 * sigma'' = sigma (1 - sigma)(1 - 2 sigma), the kinks, +-inf, NaN, signed zeros, every status
 * with untouched outputs, and in-place calls. The ULP bounds over all binades are proven by
 * tests/oracle/oracle_derivatives.c. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <nnmath/nnmath.h>
#include <mpfr.h>

#include "act_reference.h"
#include "nnm_check.h"

/* (f(x+h) - 2 f(x) + f(x-h)) / h^2, h = 2^-40 max(1, |x|) rounded down to a power of 2, from
 * the MPFR forward reference (act_reference.h, textbook forms): truncation error
 * h^2 |f''''| / 12 ~ 2^-80 and rounding error ~4 2^-256 |f| / h^2 ~ 2^-174, both far below a
 * double eps of f'' on the points used (away from the zeros of f'', where no relative accuracy
 * can be asked of any difference). */
static double second_difference(nnm_act act, double x)
{
    mpfr_t a, b, c, xx, h;
    mpfr_inits2(NNM_REF_ACT_PREC, a, b, c, xx, h, (mpfr_ptr)0);
    mpfr_set_d(h, ldexp(1.0, ilogb(fmax(1.0, fabs(x))) - 40), MPFR_RNDN); /* x +- h exact */
    mpfr_set_d(xx, x, MPFR_RNDN);
    nnm_ref_act_mp(c, act, xx);
    mpfr_add(xx, xx, h, MPFR_RNDN);
    nnm_ref_act_mp(a, act, xx);
    mpfr_set_d(xx, x, MPFR_RNDN);
    mpfr_sub(xx, xx, h, MPFR_RNDN);
    nnm_ref_act_mp(b, act, xx);
    mpfr_add(a, a, b, MPFR_RNDN);
    mpfr_mul_2ui(c, c, 1, MPFR_RNDN);
    mpfr_sub(a, a, c, MPFR_RNDN);
    mpfr_div(a, a, h, MPFR_RNDN);
    mpfr_div(a, a, h, MPFR_RNDN);
    double d = mpfr_get_d(a, MPFR_RNDN);
    mpfr_clears(a, b, c, xx, h, (mpfr_ptr)0);
    return d;
}

/* the zeros of f'' (no difference quotient is relative-accurate next to them) */
static int near_zero_of_second_derivative(nnm_act_kind kind, double x)
{
    const double zeros[][2] = {{0, 0}, {2.3993573, -2.3993573}, {1.4142136, -1.4142136},
                               {1.418504, -1.418504}, {-2.2563764, 1.4905712}};
    int z = kind == NNM_ACT_SIGMOID || kind == NNM_ACT_TANH ? 0 : kind == NNM_ACT_SILU ? 1
          : kind == NNM_ACT_GELU ? 2 : kind == NNM_ACT_GELU_TANH ? 3 : kind == NNM_ACT_MISH ? 4 : -1;
    return z >= 0 && (fabs(x - zeros[z][0]) < 0.05 || fabs(x - zeros[z][1]) < 0.05);
}

/* 200 random x in [-8, 8] per kind: the second difference is the exact f'' rounded to double
 * (to ~2^-80), so f64 must be within its 2 ULP bound and f32 within 1 ULP of it rounded to
 * float (plus that rounding: 2 ULP of float). */
START_TEST(f_second_matches_second_differences_of_the_forward_function)
{
    uint64_t s = 51;
    for (size_t k = 0; k < NNM_REF_N_SMOOTH; ++k) {
        nnm_act act = nnm_ref_act(nnm_ref_smooth_kinds[k], 0.0);
        for (int i = 0; i < 200; ++i) {
            double x = nnm_rand_uniform(&s, -8, 8);
            if (near_zero_of_second_derivative(act.kind, x)) continue;
            double h, d = second_difference(act, x);
            ck_assert_int_eq(nnm_hess_act_f64(act, 1, &x, &h), NNM_OK);
            nnm_assert_ulp_f64(h, d, 2);
            float xf = (float)x, hf;
            ck_assert_int_eq(nnm_hess_act_f32(act, 1, &xf, &hf), NNM_OK);
            nnm_assert_ulp_f32(hf, (float)second_difference(act, (double)xf), 2);
        }
    }
}
END_TEST

/* elu, selu: alpha e^x on the left (against the second difference); on the linear pieces
 * (elu/selu right of 0, relu, leaky relu, identity, step) f'' is exactly 0. */
START_TEST(piecewise_f_second_matches_second_differences)
{
    const nnm_act acts[] = {nnm_ref_act(NNM_ACT_ELU, 1.0), nnm_ref_act(NNM_ACT_ELU, 0.3),
                            nnm_ref_act(NNM_ACT_SELU, 0), nnm_ref_act(NNM_ACT_RELU, 0),
                            nnm_ref_act(NNM_ACT_LEAKY_RELU, 0.01), nnm_ref_act(NNM_ACT_IDENTITY, 0),
                            nnm_ref_act(NNM_ACT_STEP, 0)};
    uint64_t s = 52;
    for (size_t k = 0; k < sizeof acts / sizeof acts[0]; ++k)
        for (int i = 0; i < 100; ++i) {
            double x = nnm_rand_uniform(&s, -8, 8), h;
            if (fabs(x) < 1e-6) continue;
            ck_assert_int_eq(nnm_hess_act_f64(acts[k], 1, &x, &h), NNM_OK);
            int curved = (acts[k].kind == NNM_ACT_ELU || acts[k].kind == NNM_ACT_SELU) && x < 0;
            if (curved) nnm_assert_ulp_f64(h, second_difference(acts[k], x), 2);
            else ck_assert(h == 0.0);
        }
}
END_TEST

/* f'' against the fourth-order central difference of the gradient nnm_grad_act_f64,
 * (-g(x+2h) + 8 g(x+h) - 8 g(x-h) + g(x-2h)) / 12h with h = 2^-12 on [-4, 4]: g's rounding
 * (<= 2 ULP each) contributes ~2^-39 |g| and truncation h^4 |g^(5)| / 30 ~ 2^-52 |g^(5)|, below
 * 2^-34 relative where |f''| >= |f'|/16, i.e. 2^18 eps. This ties the Hessian to the shipped
 * gradient (a wrong formula is off by far more); the ULP accuracy is proven against MPFR. */
START_TEST(f_second_matches_differences_of_the_gradient)
{
    const nnm_act acts[] = {
        {NNM_ACT_SIGMOID, 0}, {NNM_ACT_TANH, 0},   {NNM_ACT_SOFTPLUS, 0}, {NNM_ACT_LOG_SIGMOID, 0},
        {NNM_ACT_SILU, 0},    {NNM_ACT_GELU, 0},   {NNM_ACT_GELU_TANH, 0}, {NNM_ACT_MISH, 0},
        {NNM_ACT_ELU, 0.7},   {NNM_ACT_SELU, 0},   {NNM_ACT_RELU, 0},     {NNM_ACT_LEAKY_RELU, 0.1}};
    uint64_t s = 54;
    const double h = 0x1p-12;
    for (size_t k = 0; k < sizeof acts / sizeof acts[0]; ++k)
        for (int i = 0; i < 100; ++i) {
            double x = nnm_rand_uniform(&s, -4, 4);
            if (fabs(x) < 4 * h || near_zero_of_second_derivative(acts[k].kind, x)) continue;
            double p[4] = {x + 2 * h, x + h, x - h, x - 2 * h}, g[4], gx, f2;
            ck_assert_int_eq(nnm_grad_act_f64(acts[k], 4, p, g), NNM_OK);
            ck_assert_int_eq(nnm_grad_act_f64(acts[k], 1, &x, &gx), NNM_OK);
            ck_assert_int_eq(nnm_hess_act_f64(acts[k], 1, &x, &f2), NNM_OK);
            double d = ((g[3] - g[0]) + 8 * (g[1] - g[2])) / (12 * h); /* 0 on constant g */
            if (f2 == 0.0) {
                ck_assert(d == 0.0);
                continue;
            }
            if (fabs(f2) < fabs(gx) / 16) continue; /* f'' tiny against f': the quotient is noise */
            nnm_assert_rel_f64(d, f2, 0x1p18);
        }
}
END_TEST

/* ---- next to the zeros ------------------------------------------------------------------------- */

typedef struct { double x, want; } lit64;
typedef struct { float x; double want; } lit32;

/* x = the double nearest the zero and its neighbours (mpmath, 80 digits): f'' ~ 1e-17 there */
static const struct { nnm_act_kind kind; lit64 v[3]; lit32 f[3]; } zero_lits[] = {
    {NNM_ACT_SILU,
     {{0x1.331e23ad9de11p+1, 1.690099417216168054405998e-17},
      {0x1.331e23ad9de12p+1, -2.374672220471969181971212e-17},
      {0x1.331e23ad9de10p+1, 5.754871054904308300124484e-17}},
     {{0x1.331e240000000p+1f, -3.5113583374732021e-9},
      {0x1.331e260000000p+1f, -2.5333929166867233e-8},
      {0x1.331e220000000p+1f, 1.8311221165756213e-8}}},
    {NNM_ACT_GELU,
     {{0x1.6a09e667f3bcdp+0, -4.012965934178287110022511e-17},
      {0x1.6a09e667f3bcep+0, -1.323020396079572341726058e-16},
      {0x1.6a09e667f3bccp+0, 5.204272092439153538790333e-17}},
     {{0x1.6a09e60000000p+0f, 1.0046944239884241e-8},
      {0x1.6a09e80000000p+0f, -3.9437721898641118e-8},
      {0x1.6a09e40000000p+0f, 5.9531622892146903e-8}}},
    {NNM_ACT_GELU_TANH,
     {{0x1.6b23142700629p+0, 3.312948965428755572411671e-17},
      {0x1.6b2314270062ap+0, -5.780861570556681968759001e-17},
      {0x1.6b23142700628p+0, 1.240675950141419737423105e-16}},
     {{0x1.6b23140000000p+0f, 3.719008554017795e-9},
      {0x1.6b23160000000p+0f, -4.5103009801300982e-8},
      {0x1.6b23120000000p+0f, 5.2541039189820382e-8}}},
    {NNM_ACT_MISH,
     {{-0x1.20d0f116eb001p+1, 1.164017476490441862690031e-17},
      {-0x1.20d0f116eb000p+1, 5.993683509442882176561447e-17},
      {-0x1.20d0f116eb002p+1, -3.665648556461994547032323e-17}},
     {{-0x1.20d0f20000000p+1f, -1.1803906563651243e-8},
      {-0x1.20d0f00000000p+1f, 1.412516601771529e-8},
      {-0x1.20d0f40000000p+1f, -3.7732967892075631e-8}}},
    {NNM_ACT_MISH,
     {{0x1.7d9612a440040p+0, 1.64393755978495711319637e-17},
      {0x1.7d9612a440041p+0, -3.478509608818160176292981e-17},
      {0x1.7d9612a44003fp+0, 6.76638472838807717624945e-17}},
     {{0x1.7d96120000000p+0f, 8.8223231601832908e-9},
      {0x1.7d96140000000p+0f, -1.8678604238051528e-8},
      {0x1.7d96100000000p+0f, 3.6323258552671537e-8}}},
};

START_TEST(f_second_keeps_its_digits_at_the_zeros)
{
    for (size_t k = 0; k < sizeof zero_lits / sizeof zero_lits[0]; ++k) {
        nnm_act act = nnm_ref_act(zero_lits[k].kind, 0.0);
        for (int i = 0; i < 3; ++i) {
            double h, mx = -zero_lits[k].v[i].x, hm;
            ck_assert_int_eq(nnm_hess_act_f64(act, 1, &zero_lits[k].v[i].x, &h), NNM_OK);
            nnm_assert_ulp_f64(h, zero_lits[k].v[i].want, 2);
            /* silu'', gelu'' and gelu_tanh'' are even: the mirrored zero is as accurate */
            if (act.kind != NNM_ACT_MISH) {
                ck_assert_int_eq(nnm_hess_act_f64(act, 1, &mx, &hm), NNM_OK);
                nnm_assert_ulp_f64(hm, zero_lits[k].v[i].want, 2);
            }
            float hf;
            ck_assert_int_eq(nnm_hess_act_f32(act, 1, &zero_lits[k].f[i].x, &hf), NNM_OK);
            nnm_assert_ulp_f32(hf, (float)zero_lits[k].f[i].want, 1);
        }
    }
}
END_TEST

/* At the zero x = 0 of sigma'' and tanh'': sigma''(x) = -x/8 + x^3/96 - ..., tanh''(x) = -2x +
 * 8x^3/3 - ...; at x = 2^-600 the cubic terms are 2^-1200 below the linear ones, so the exact
 * results round to -2^-603 and -2^-599. The odd functions keep the sign of zero: f''(+0) = -0. */
START_TEST(odd_second_derivatives_at_zero)
{
    double x[4] = {0x1p-600, -0x1p-600, 0.0, -0.0}, h[4];
    ck_assert_int_eq(nnm_hess_act_f64(nnm_ref_act(NNM_ACT_SIGMOID, 0), 4, x, h), NNM_OK);
    ck_assert(h[0] == -0x1p-603 && h[1] == 0x1p-603);
    ck_assert(h[2] == 0.0 && signbit(h[2]) && h[3] == 0.0 && !signbit(h[3]));
    ck_assert_int_eq(nnm_hess_act_f64(nnm_ref_act(NNM_ACT_TANH, 0), 4, x, h), NNM_OK);
    ck_assert(h[0] == -0x1p-599 && h[1] == 0x1p-599);
    ck_assert(h[2] == 0.0 && signbit(h[2]) && h[3] == 0.0 && !signbit(h[3]));
    float xf[2] = {0x1p-100f, DBL_MIN > 0 ? 0x1p-149f : 0.0f}, hf[2];
    ck_assert_int_eq(nnm_hess_act_f32(nnm_ref_act(NNM_ACT_SIGMOID, 0), 2, xf, hf), NNM_OK);
    ck_assert(hf[0] == -0x1p-103f);
    ck_assert(hf[1] == 0.0f); /* -2^-152 rounds to -0 in float */
}
END_TEST

/* The form sigma'' = sigma (1 - sigma)(1 - 2 sigma), evaluated literally in long double
 * at points where its cancellation costs at most 6 of the 64 bits (|x| in [0.25, 3]). */
START_TEST(sigmoid_second_derivative_is_the_textbook_product)
{
    const double xs[] = {0.25, -0.25, 0.5, -0.5, 1.0, -1.0, 2.0, -2.0, 3.0, -3.0};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; ++i) {
        long double s = 1 / (1 + expl(-(long double)xs[i]));
        double h;
        ck_assert_int_eq(nnm_hess_act_f64(nnm_ref_act(NNM_ACT_SIGMOID, 0), 1, &xs[i], &h), NNM_OK);
        nnm_assert_ulp_f64(h, (double)(s * (1 - s) * (1 - 2 * s)), 1);
    }
}
END_TEST

/* ---- kinks, infinities, NaN ------------------------------------------------------------------- */

START_TEST(kinks_infinities_and_nan)
{
    const nnm_act acts[] = {
        {NNM_ACT_IDENTITY, 0}, {NNM_ACT_STEP, 0},      {NNM_ACT_SIGMOID, 0},   {NNM_ACT_TANH, 0},
        {NNM_ACT_RELU, 0},     {NNM_ACT_LEAKY_RELU, 0.1}, {NNM_ACT_ELU, 1.0}, {NNM_ACT_ELU, 0.5},
        {NNM_ACT_SELU, 0},     {NNM_ACT_SOFTPLUS, 0},  {NNM_ACT_LOG_SIGMOID, 0}, {NNM_ACT_SILU, 0},
        {NNM_ACT_GELU, 0},     {NNM_ACT_GELU_TANH, 0}, {NNM_ACT_MISH, 0}};
    for (size_t i = 0; i < sizeof acts / sizeof acts[0]; ++i) {
        double x[5] = {-INFINITY, INFINITY, NAN, 0.0, -0.0}, h[5];
        float xf[5] = {-INFINITY, INFINITY, NAN, 0.0f, -0.0f}, hf[5];
        ck_assert_int_eq(nnm_hess_act_f64(acts[i], 5, x, h), NNM_OK);
        ck_assert_int_eq(nnm_hess_act_f32(acts[i], 5, xf, hf), NNM_OK);
        ck_assert_msg(h[0] == 0 && h[1] == 0, "kind %d: %g %g", (int)acts[i].kind, h[0], h[1]);
        ck_assert(hf[0] == 0 && hf[1] == 0);
        ck_assert(isnan(h[2]) && isnan(hf[2]));
        switch (acts[i].kind) {
        case NNM_ACT_IDENTITY: case NNM_ACT_STEP: case NNM_ACT_RELU: case NNM_ACT_LEAKY_RELU:
        case NNM_ACT_ELU: case NNM_ACT_SELU: case NNM_ACT_SIGMOID: case NNM_ACT_TANH:
            /* kinks (least magnitude: 0) and the zeros of the odd sigma'', tanh'' */
            ck_assert(h[3] == 0 && h[4] == 0 && hf[3] == 0 && hf[4] == 0);
            break;
        default: /* smooth and even or continuous at 0: both zeros agree */
            ck_assert(h[3] == h[4] && hf[3] == hf[4]);
            break;
        }
    }
    /* closed forms at 0: softplus'' = 1/4, log_sigmoid'' = -1/4, silu'' = 1/2, gelu'' = 2/sqrt(2 pi) */
    double z = 0.0, h;
    ck_assert_int_eq(nnm_hess_act_f64(nnm_ref_act(NNM_ACT_SOFTPLUS, 0), 1, &z, &h), NNM_OK);
    ck_assert(h == 0.25);
    ck_assert_int_eq(nnm_hess_act_f64(nnm_ref_act(NNM_ACT_LOG_SIGMOID, 0), 1, &z, &h), NNM_OK);
    ck_assert(h == -0.25);
    ck_assert_int_eq(nnm_hess_act_f64(nnm_ref_act(NNM_ACT_SILU, 0), 1, &z, &h), NNM_OK);
    ck_assert(h == 0.5);
    ck_assert_int_eq(nnm_hess_act_f64(nnm_ref_act(NNM_ACT_GELU, 0), 1, &z, &h), NNM_OK);
    nnm_assert_ulp_f64(h, 0.79788456080286535588, 1);
}
END_TEST

/* ---- statuses ------------------------------------------------------------------------------------ */

START_TEST(bad_arguments_are_rejected_and_write_nothing)
{
    double x[4] = {0.1, 0.2, 0.3, 0.4}, out[4];
    float xf[4] = {0.1f, 0.2f, 0.3f, 0.4f}, outf[4];
    const nnm_act bad[] = {nnm_ref_act((nnm_act_kind)99, 0), nnm_ref_act(NNM_ACT_TANH, 1.0),
                           nnm_ref_act(NNM_ACT_LEAKY_RELU, NAN), nnm_ref_act(NNM_ACT_ELU, -0.5)};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
        nnm_canary_fill(out, sizeof out);
        nnm_canary_fill(outf, sizeof outf);
        ck_assert_int_eq(nnm_hess_act_f64(bad[i], 4, x, out), NNM_EINVAL);
        ck_assert_int_eq(nnm_hess_act_f32(bad[i], 4, xf, outf), NNM_EINVAL);
        nnm_assert_untouched(out, sizeof out);
        nnm_assert_untouched(outf, sizeof outf);
    }
    nnm_act ok = nnm_ref_act(NNM_ACT_GELU, 0);
    nnm_canary_fill(out, sizeof out);
    ck_assert_int_eq(nnm_hess_act_f64(ok, 4, NULL, out), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_act_f64(ok, 4, x, NULL), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_act_f64(ok, (size_t)PTRDIFF_MAX / 8 + 1, x, out), NNM_ESIZE);
    ck_assert_int_eq(nnm_hess_act_f32(ok, SIZE_MAX, xf, outf), NNM_ESIZE);
    nnm_assert_untouched(out, sizeof out);
    double buf[5] = {0.1, 0.2, 0.3, 0.4, 0.5}, save[5];
    memcpy(save, buf, sizeof buf);
    ck_assert_int_eq(nnm_hess_act_f64(ok, 4, buf, buf + 1), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_act_f64(ok, 4, buf + 1, buf), NNM_EINVAL);
    ck_assert(memcmp(buf, save, sizeof buf) == 0);
    ck_assert_int_eq(nnm_hess_act_f64(ok, 0, NULL, NULL), NNM_OK);
    ck_assert_int_eq(nnm_hess_act_f32(ok, 0, NULL, NULL), NNM_OK);
}
END_TEST

START_TEST(in_place)
{
    enum { N = 32 };
    const nnm_act acts[] = {{NNM_ACT_SIGMOID, 0}, {NNM_ACT_ELU, 0.7}, {NNM_ACT_SILU, 0},
                            {NNM_ACT_GELU_TANH, 0}, {NNM_ACT_MISH, 0}};
    uint64_t s = 53;
    for (size_t k = 0; k < sizeof acts / sizeof acts[0]; ++k) {
        double x[N], h[N];
        float xf[N], hf[N];
        for (int i = 0; i < N; ++i) xf[i] = (float)(x[i] = nnm_rand_uniform(&s, -5, 5));
        ck_assert_int_eq(nnm_hess_act_f64(acts[k], N, x, h), NNM_OK);
        ck_assert_int_eq(nnm_hess_act_f32(acts[k], N, xf, hf), NNM_OK);
        ck_assert_int_eq(nnm_hess_act_f64(acts[k], N, x, x), NNM_OK);
        ck_assert_int_eq(nnm_hess_act_f32(acts[k], N, xf, xf), NNM_OK);
        ck_assert(memcmp(x, h, sizeof x) == 0);
        ck_assert(memcmp(xf, hf, sizeof xf) == 0);
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("hessian_activation");
    TCase *t = tcase_create("all");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, f_second_matches_second_differences_of_the_forward_function);
    tcase_add_test(t, piecewise_f_second_matches_second_differences);
    tcase_add_test(t, f_second_matches_differences_of_the_gradient);
    tcase_add_test(t, f_second_keeps_its_digits_at_the_zeros);
    tcase_add_test(t, odd_second_derivatives_at_zero);
    tcase_add_test(t, sigmoid_second_derivative_is_the_textbook_product);
    tcase_add_test(t, kinks_infinities_and_nan);
    tcase_add_test(t, bad_arguments_are_rejected_and_write_nothing);
    tcase_add_test(t, in_place);
    suite_add_tcase(s, t);
    return s;
}

int main(void) { return nnm_run_suite(suite()); }
