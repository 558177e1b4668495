/*
 * MPFR oracle for the activation module. Prints the measured maximum error of every function and
 * exits non-zero when a documented bound fails:
 *   elementwise  f32 <= 1 ULP, f64 <= 2 ULP where the exact result is a normal number
 *   softmax, log-softmax   <= 4 eps relative per output (normal exact outputs)
 *   logsumexp    <= 2 eps |lse| + 2^-8 eps_f64 (|beta max a| + log k)
 *   affine       <= the compensated-dot bound of activation.h
 * References are evaluated with 256-bit MPFR (NNM_ORACLE_PREC) from formulas that do not cancel,
 * so they are exact far beyond the ULP of either format.
 *
 * Run time is bounded by the fixed point counts below: ~25 s of CPU in a Release build on this
 * machine (about half in the elementwise sweeps, dominated by MPFR's erfc; half in the k = 10^6
 * softmax rows). Each elementwise function is evaluated on 2098 binades x 2 signs x 8 points
 * + ~46k uniform and threshold points in f64 (79.5k) and on 38.7k points in f32; the softmax
 * family on 369 fixed rows with a total of 1.17e6 outputs per dtype; affine on 200 products.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mpfr.h>
#include <nnmath/nnmath.h>

#include "nnm_test.h"
#include "oracle.h"

static int failures = 0;

static void report(const nnm_oracle_report *r, double bound)
{
    if (!nnm_oracle_print(r, bound)) failures++;
}

/* ---- exact references (256 bits; every formula free of cancellation) ---------------------- */

typedef struct { double alpha; } alpha_ctx;

/* sigma(x) by the branch that never subtracts: 1/(1+e^-x) or e^x/(1+e^x). */
static void mp_sigmoid(mpfr_t y, const mpfr_t x)
{
    mpfr_t e;
    mpfr_init2(e, NNM_ORACLE_PREC);
    if (mpfr_sgn(x) >= 0) {
        mpfr_neg(e, x, MPFR_RNDN);
        mpfr_exp(e, e, MPFR_RNDN);
        mpfr_add_ui(e, e, 1, MPFR_RNDN);
        mpfr_ui_div(y, 1, e, MPFR_RNDN);
    } else {
        mpfr_exp(e, x, MPFR_RNDN);
        mpfr_add_ui(y, e, 1, MPFR_RNDN);
        mpfr_div(y, e, y, MPFR_RNDN);
    }
    mpfr_clear(e);
}

/* softplus(x) = max(x,0) + log1p(e^-|x|) (also valid where e^x overflows MPFR's range). */
static void mp_softplus(mpfr_t y, const mpfr_t x)
{
    mpfr_t e;
    mpfr_init2(e, NNM_ORACLE_PREC);
    mpfr_abs(e, x, MPFR_RNDN);
    mpfr_neg(e, e, MPFR_RNDN);
    mpfr_exp(e, e, MPFR_RNDN);
    mpfr_log1p(e, e, MPFR_RNDN);
    if (mpfr_sgn(x) > 0)
        mpfr_add(y, x, e, MPFR_RNDN);
    else
        mpfr_set(y, e, MPFR_RNDN);
    mpfr_clear(e);
}

static int ref_identity(mpfr_t y, const mpfr_t x, void *c) { (void)c; return mpfr_set(y, x, MPFR_RNDN); }
static int ref_step(mpfr_t y, const mpfr_t x, void *c)
{
    (void)c;
    return mpfr_set_ui(y, mpfr_sgn(x) >= 0 ? 1u : 0u, MPFR_RNDN);
}
static int ref_relu(mpfr_t y, const mpfr_t x, void *c)
{
    (void)c;
    return mpfr_sgn(x) > 0 ? mpfr_set(y, x, MPFR_RNDN) : mpfr_set_ui(y, 0, MPFR_RNDN);
}
static int ref_leaky(mpfr_t y, const mpfr_t x, void *c)
{
    double alpha = ((alpha_ctx *)c)->alpha;
    return mpfr_sgn(x) > 0 ? mpfr_set(y, x, MPFR_RNDN) : mpfr_mul_d(y, x, alpha, MPFR_RNDN);
}
static int ref_sigmoid(mpfr_t y, const mpfr_t x, void *c) { (void)c; mp_sigmoid(y, x); return 0; }
static int ref_tanh(mpfr_t y, const mpfr_t x, void *c) { (void)c; return mpfr_tanh(y, x, MPFR_RNDN); }
static int ref_softplus(mpfr_t y, const mpfr_t x, void *c) { (void)c; mp_softplus(y, x); return 0; }
static int ref_log_sigmoid(mpfr_t y, const mpfr_t x, void *c)
{
    (void)c;
    mpfr_t m;
    mpfr_init2(m, NNM_ORACLE_PREC);
    mpfr_neg(m, x, MPFR_RNDN);
    mp_softplus(y, m);
    mpfr_neg(y, y, MPFR_RNDN);
    mpfr_clear(m);
    return 0;
}
static int ref_silu(mpfr_t y, const mpfr_t x, void *c)
{
    (void)c;
    mp_sigmoid(y, x);
    return mpfr_mul(y, y, x, MPFR_RNDN);
}
static int ref_elu(mpfr_t y, const mpfr_t x, void *c)
{
    double alpha = ((alpha_ctx *)c)->alpha;
    if (mpfr_sgn(x) > 0) return mpfr_set(y, x, MPFR_RNDN);
    mpfr_expm1(y, x, MPFR_RNDN);
    return mpfr_mul_d(y, y, alpha, MPFR_RNDN);
}
static int ref_selu(mpfr_t y, const mpfr_t x, void *c)
{
    (void)c;
    mpfr_t lam, alp;
    mpfr_inits2(NNM_ORACLE_PREC, lam, alp, (mpfr_ptr)0);
    mpfr_set_str(lam, "1.0507009873554804934193349852946", 10, MPFR_RNDN);
    mpfr_set_str(alp, "1.6732632423543772848170429916717", 10, MPFR_RNDN);
    if (mpfr_sgn(x) > 0) {
        mpfr_mul(y, x, lam, MPFR_RNDN);
    } else {
        mpfr_expm1(y, x, MPFR_RNDN);
        mpfr_mul(y, y, alp, MPFR_RNDN);
        mpfr_mul(y, y, lam, MPFR_RNDN);
    }
    mpfr_clears(lam, alp, (mpfr_ptr)0);
    return 0;
}
/* gelu(x) = x erfc(-x/sqrt2)/2: erfc of a positive argument never cancels, of a negative one
 * it is 2 - erfc(|t|) (MPFR handles both exactly). */
static int ref_gelu(mpfr_t y, const mpfr_t x, void *c)
{
    (void)c;
    /* 128 bits: still 2^-120 relative, far below either ULP, and MPFR's erfc costs grow
     * quickly with the precision (256 bits would dominate the whole run). */
    mpfr_t t;
    mpfr_init2(t, 128);
    mpfr_sqrt_ui(t, 2, MPFR_RNDN);
    mpfr_div(t, x, t, MPFR_RNDN);
    mpfr_neg(t, t, MPFR_RNDN);
    mpfr_erfc(t, t, MPFR_RNDN);
    mpfr_mul(y, x, t, MPFR_RNDN);
    mpfr_div_2ui(y, y, 1, MPFR_RNDN);
    mpfr_clear(t);
    return 0;
}
/* gelu_tanh(x) = x (1 + tanh u)/2 = x sigma(2u), u = sqrt(2/pi) (x + 0.044715 x^3) with the
 * decimal constant exact. */
static int ref_gelu_tanh(mpfr_t y, const mpfr_t x, void *c)
{
    (void)c;
    mpfr_t u, k, cc;
    mpfr_inits2(NNM_ORACLE_PREC, u, k, cc, (mpfr_ptr)0);
    mpfr_set_str(cc, "0.044715", 10, MPFR_RNDN);
    mpfr_const_pi(k, MPFR_RNDN);
    mpfr_ui_div(k, 2, k, MPFR_RNDN);
    mpfr_sqrt(k, k, MPFR_RNDN);
    mpfr_mul_2ui(k, k, 1, MPFR_RNDN);          /* 2 sqrt(2/pi) */
    mpfr_sqr(u, x, MPFR_RNDN);
    mpfr_mul(u, u, cc, MPFR_RNDN);
    mpfr_add_ui(u, u, 1, MPFR_RNDN);
    mpfr_mul(u, u, x, MPFR_RNDN);
    mpfr_mul(u, u, k, MPFR_RNDN);              /* 2u */
    mp_sigmoid(y, u);
    mpfr_mul(y, y, x, MPFR_RNDN);
    mpfr_clears(u, k, cc, (mpfr_ptr)0);
    return 0;
}
static int ref_mish(mpfr_t y, const mpfr_t x, void *c)
{
    (void)c;
    mp_softplus(y, x);
    mpfr_tanh(y, y, MPFR_RNDN);
    return mpfr_mul(y, y, x, MPFR_RNDN);
}

/* ---- implementations through the public array API ---------------------------------------- */

#define IMPL(name)                                                                             \
    static int impl_##name##_f64(size_t n, const double *x, double *y, void *c)               \
    {                                                                                          \
        (void)c;                                                                               \
        return nnm_act_##name##_f64(n, x, y) != NNM_OK;                                        \
    }                                                                                          \
    static int impl_##name##_f32(size_t n, const float *x, float *y, void *c)                 \
    {                                                                                          \
        (void)c;                                                                               \
        return nnm_act_##name##_f32(n, x, y) != NNM_OK;                                        \
    }
IMPL(identity)
IMPL(step)
IMPL(relu)
IMPL(sigmoid)
IMPL(tanh)
IMPL(softplus)
IMPL(log_sigmoid)
IMPL(silu)
IMPL(selu)
IMPL(gelu)
IMPL(gelu_tanh)
IMPL(mish)

static int impl_leaky_f64(size_t n, const double *x, double *y, void *c)
{
    return nnm_act_leaky_relu_f64(n, ((alpha_ctx *)c)->alpha, x, y) != NNM_OK;
}
static int impl_leaky_f32(size_t n, const float *x, float *y, void *c)
{
    return nnm_act_leaky_relu_f32(n, ((alpha_ctx *)c)->alpha, x, y) != NNM_OK;
}
static int impl_elu_f64(size_t n, const double *x, double *y, void *c)
{
    return nnm_act_elu_f64(n, ((alpha_ctx *)c)->alpha, x, y) != NNM_OK;
}
static int impl_elu_f32(size_t n, const float *x, float *y, void *c)
{
    return nnm_act_elu_f32(n, ((alpha_ctx *)c)->alpha, x, y) != NNM_OK;
}
/* nnm_act_apply_* must give the same bits as the direct call: checked through the oracle too. */
static int impl_apply_gelu_f64(size_t n, const double *x, double *y, void *c)
{
    (void)c;
    return nnm_act_apply_f64(nnm_act_default(NNM_ACT_GELU), n, x, y) != NNM_OK;
}
static int impl_apply_mish_f32(size_t n, const float *x, float *y, void *c)
{
    (void)c;
    return nnm_act_apply_f32(nnm_act_default(NNM_ACT_MISH), n, x, y) != NNM_OK;
}

typedef struct unary_case {
    const char *name;
    nnm_mpfr_fn ref;
    nnm_apply_f64 f64;
    nnm_apply_f32 f32;
    void *ctx;
} unary_case;

/* Thresholds of the functions (each with its 4 neighbours on both sides and both signs):
 * exp overflow / DBL_MIN / subnormal ends for double (709.78, 708.40, 745.13) and float
 * (88.72, 87.34, 103.28), where sigma(x) rounds to 1 (f64 ~36.7, f32 ~16.6), where softplus's
 * log1p term drops below half an ULP (~37, ~17), the ends of the normal range of gelu (~37.5,
 * f32 ~13.2), gelu_tanh (~21.5) and silu/mish (~715), the gelu_tanh cut at 64, and the extremes. */
static const double thresholds[] = {
    0.5, 1.0, 2.0, 3.0, 4.7, 8.0, 9.0, 13.2, 13.5, 15.9, 16.6, 17.0, 18.4, 19.06, 20.0, 21.5,
    26.5, 27.0, 36.04, 36.74, 37.0, 37.5, 38.0, 38.5, 40.0, 63.9999999, 64.0, 64.0000001,
    87.33654475, 88.72283935, 103.27892990, 104.0, 700.0, 708.39641853226408,
    709.78271289338397, 710.0, 714.0, 715.0, 716.0, 744.44, 745.13321910194111, 746.0,
    1e10, 1e20, 1e100, 1e300, DBL_MAX, DBL_MIN, DBL_TRUE_MIN, 1e-300, 1e-20, 1e-8,
    (double)FLT_MAX, (double)FLT_MIN, (double)FLT_TRUE_MIN};

static void elementwise_points(nnm_points *p64, nnm_points *p32)
{
    /* every binade of double (subnormals included), 8 random points each, both signs */
    nnm_points b64 = {0};
    nnm_points_add_binades(&b64, -1074, 1023, 8, 0x5eed0001u);
    nnm_points_add_uniform(&b64, -2.0, 2.0, 5000, 0x5eed0002u);
    nnm_points_add_uniform(&b64, -40.0, 40.0, 20000, 0x5eed0003u);
    nnm_points_add_uniform(&b64, -760.0, 760.0, 20000, 0x5eed0004u);
    nnm_points_add(&b64, 0.0);
    nnm_points_add(&b64, -0.0);
    for (size_t i = 0; i < sizeof thresholds / sizeof thresholds[0]; ++i) {
        nnm_points_add_around(&b64, thresholds[i], 4);
        nnm_points_add_around(&b64, -thresholds[i], 4);
    }
    /* infinities (the neighbours of DBL_MAX) are edge cases of the unit tests, not ULP data */
    for (size_t i = 0; i < b64.n; ++i)
        if (isfinite(b64.x[i])) nnm_points_add(p64, b64.x[i]);
    nnm_points_free(&b64);

    /* float: every float binade with 32 points, dense uniform ranges, the thresholds */
    nnm_points b32 = {0};
    nnm_points_add_binades(&b32, -149, 127, 32, 0x5eed0005u);
    nnm_points_add_uniform(&b32, -20.0, 20.0, 10000, 0x5eed0006u);
    nnm_points_add_uniform(&b32, -110.0, 110.0, 10000, 0x5eed0007u);
    nnm_points_add(&b32, 0.0);
    nnm_points_add(&b32, -0.0);
    nnm_points_to_f32(&b32, p32);
    nnm_points_free(&b32);
    for (size_t i = 0; i < sizeof thresholds / sizeof thresholds[0]; ++i) {
        for (int s = -1; s <= 1; s += 2) {
            float t = (float)(s * thresholds[i]);
            if (!isfinite(t)) continue;
            float up = t, down = t;
            nnm_points_add(p32, (double)t);
            for (int j = 0; j < 4; ++j) {
                up = nextafterf(up, INFINITY);
                down = nextafterf(down, -INFINITY);
                if (isfinite(up)) nnm_points_add(p32, (double)up);
                if (isfinite(down)) nnm_points_add(p32, (double)down);
            }
        }
    }
}

static void run_elementwise(void)
{
    nnm_points p64 = {0}, p32 = {0};
    elementwise_points(&p64, &p32);
    alpha_ctx leaky = {0.01}, leaky_neg = {-0.3}, elu1 = {1.0}, elu_odd = {1.7};
    const unary_case cases[] = {
        {"identity", ref_identity, impl_identity_f64, impl_identity_f32, NULL},
        {"step", ref_step, impl_step_f64, impl_step_f32, NULL},
        {"relu", ref_relu, impl_relu_f64, impl_relu_f32, NULL},
        {"leaky_relu(0.01)", ref_leaky, impl_leaky_f64, impl_leaky_f32, &leaky},
        {"leaky_relu(-0.3)", ref_leaky, impl_leaky_f64, impl_leaky_f32, &leaky_neg},
        {"sigmoid", ref_sigmoid, impl_sigmoid_f64, impl_sigmoid_f32, NULL},
        {"tanh", ref_tanh, impl_tanh_f64, impl_tanh_f32, NULL},
        {"softplus", ref_softplus, impl_softplus_f64, impl_softplus_f32, NULL},
        {"log_sigmoid", ref_log_sigmoid, impl_log_sigmoid_f64, impl_log_sigmoid_f32, NULL},
        {"silu", ref_silu, impl_silu_f64, impl_silu_f32, NULL},
        {"elu(1)", ref_elu, impl_elu_f64, impl_elu_f32, &elu1},
        {"elu(1.7)", ref_elu, impl_elu_f64, impl_elu_f32, &elu_odd},
        {"selu", ref_selu, impl_selu_f64, impl_selu_f32, NULL},
        {"gelu", ref_gelu, impl_gelu_f64, impl_gelu_f32, NULL},
        {"gelu_tanh", ref_gelu_tanh, impl_gelu_tanh_f64, impl_gelu_tanh_f32, NULL},
        {"mish", ref_mish, impl_mish_f64, impl_mish_f32, NULL},
        {"apply(gelu)", ref_gelu, impl_apply_gelu_f64, NULL, NULL},
        {"apply(mish)", ref_mish, NULL, impl_apply_mish_f32, NULL},
    };
    printf("== elementwise, f64 (bound 2 ulp), %zu points ==\n", p64.n);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        if (!cases[i].f64) continue;
        nnm_oracle_report r = nnm_oracle_sweep_f64(cases[i].name, cases[i].ref, cases[i].f64,
                                                   cases[i].ctx, &p64);
        report(&r, 2.0);
    }
    printf("== elementwise, f32 (bound 1 ulp), %zu points ==\n", p32.n);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        if (!cases[i].f32) continue;
        nnm_oracle_report r = nnm_oracle_sweep_f32(cases[i].name, cases[i].ref, cases[i].f32,
                                                   cases[i].ctx, &p32);
        report(&r, 1.0);
    }
    nnm_points_free(&p64);
    nnm_points_free(&p32);
}

/* ---- the softmax family ------------------------------------------------------------------ */

/* Precision of the row references: 160 bits. A row of k <= 1e6 terms summed with 160-bit
 * roundings is exact to ~2^-140 relative, and every z_j = beta (a_j - m) to 2^-160 relative,
 * which moves e^{z_j} by at most |z_j| 2^-160 (|z_j| < 2^1024 only where e^{z_j} = 0 anyway). */
enum { ROW_PREC = 160 };

typedef struct row_max {
    double sm, lsm, lse_rel;  /* max relative error in eps: softmax, log-softmax, logsumexp */
    double lse_bound_ratio;   /* max of err / (documented mixed bound) */
    size_t outputs, rows;
} row_max;

/* References of one row given as doubles (the f32 rows are passed already rounded to float). */
static void row_reference(size_t k, double beta, const double *a, mpfr_t *sm, mpfr_t *lsm,
                          mpfr_t lse)
{
    /* log sum = log1p(S') with S' the sum without the (first) maximal term: log of a sum
     * 1 + 1e-40 at 160 bits would keep only 30 bits of the small part, log1p keeps them all. */
    double m = -INFINITY;
    size_t arg = 0;
    for (size_t j = 0; j < k; ++j)
        if (a[j] > m) {
            m = a[j];
            arg = j;
        }
    mpfr_t S, t;
    mpfr_inits2(ROW_PREC, S, t, (mpfr_ptr)0);
    mpfr_set_ui(S, 0, MPFR_RNDN);
    for (size_t j = 0; j < k; ++j) {
        mpfr_set_d(lsm[j], a[j], MPFR_RNDN);
        mpfr_sub_d(lsm[j], lsm[j], m, MPFR_RNDN);
        mpfr_mul_d(lsm[j], lsm[j], beta, MPFR_RNDN); /* z_j (-inf for masked entries) */
        mpfr_exp(sm[j], lsm[j], MPFR_RNDN);
        if (j != arg) mpfr_add(S, S, sm[j], MPFR_RNDN);
    }
    mpfr_log1p(t, S, MPFR_RNDN);
    mpfr_add_ui(S, S, 1, MPFR_RNDN);
    for (size_t j = 0; j < k; ++j) {
        mpfr_div(sm[j], sm[j], S, MPFR_RNDN);
        mpfr_sub(lsm[j], lsm[j], t, MPFR_RNDN);
    }
    mpfr_set_d(lse, m, MPFR_RNDN);
    mpfr_mul_d(lse, lse, beta, MPFR_RNDN);
    mpfr_add(lse, lse, t, MPFR_RNDN);
    mpfr_clears(S, t, (mpfr_ptr)0);
}

static int row_is_normal(const mpfr_t v, int f32)
{
    return f32 ? nnm_oracle_is_normal_f32(v) : nnm_oracle_is_normal_f64(v);
}

static double row_rel(double got, const mpfr_t exact, int f32)
{
    return f32 ? nnm_oracle_rel_err_f32((float)got, exact) : nnm_oracle_rel_err_f64(got, exact);
}

/* Check one row in one dtype; a holds the (already rounded) inputs as doubles. */
static void check_row(size_t k, double beta, const double *a, int f32, row_max *mx)
{
    double *ysm = malloc(k * sizeof *ysm), *ylsm = malloc(k * sizeof *ylsm), lse = 0;
    float *af = calloc(k, sizeof *af), *yf = calloc(k, sizeof *yf); /* calloc: gcc -O2 -g cannot
                                                                      * see the k > 0 loop fill af */
    mpfr_t *sm = malloc(k * sizeof *sm), *lsm = malloc(k * sizeof *lsm), xlse;
    if (!ysm || !ylsm || !af || !yf || !sm || !lsm) {
        fprintf(stderr, "oracle: out of memory\n");
        exit(EXIT_FAILURE);
    }
    int bad = 0;
    if (f32) {
        float lf;
        for (size_t j = 0; j < k; ++j) af[j] = (float)a[j];
        bad |= nnm_act_softmax_f32(1, k, beta, af, yf) != NNM_OK;
        for (size_t j = 0; j < k; ++j) ysm[j] = (double)yf[j];
        bad |= nnm_act_log_softmax_f32(1, k, beta, af, yf) != NNM_OK;
        for (size_t j = 0; j < k; ++j) ylsm[j] = (double)yf[j];
        bad |= nnm_act_logsumexp_f32(1, k, beta, af, &lf) != NNM_OK;
        lse = (double)lf;
    } else {
        bad |= nnm_act_softmax_f64(1, k, beta, a, ysm) != NNM_OK;
        bad |= nnm_act_log_softmax_f64(1, k, beta, a, ylsm) != NNM_OK;
        bad |= nnm_act_logsumexp_f64(1, k, beta, a, &lse) != NNM_OK;
    }
    if (bad) {
        printf("row k=%zu beta=%g: CALL FAILED\n", k, beta);
        failures++;
    }
    for (size_t j = 0; j < k; ++j) {
        mpfr_init2(sm[j], ROW_PREC);
        mpfr_init2(lsm[j], ROW_PREC);
    }
    mpfr_init2(xlse, ROW_PREC);
    row_reference(k, beta, a, sm, lsm, xlse);
    double m = -INFINITY;
    for (size_t j = 0; j < k; ++j) {
        if (a[j] > m) m = a[j];
        if (row_is_normal(sm[j], f32)) {
            double e = row_rel(ysm[j], sm[j], f32);
            if (e > mx->sm) mx->sm = e;
        }
        if (row_is_normal(lsm[j], f32)) {
            double e = row_rel(ylsm[j], lsm[j], f32);
            if (e > mx->lsm) mx->lsm = e;
        }
        mx->outputs++;
        mpfr_clear(sm[j]);
        mpfr_clear(lsm[j]);
    }
    if (row_is_normal(xlse, f32)) {
        double rel = row_rel(lse, xlse, f32); /* in eps of the format */
        double ex = mpfr_get_d(xlse, MPFR_RNDN);
        double eps = f32 ? (double)FLT_EPSILON : DBL_EPSILON;
        /* documented: |err| <= 2 eps |lse| + 2^-8 eps_64 (|beta m| + log k) */
        double allowed = 2 * eps * fabs(ex) + 0x1p-8 * DBL_EPSILON * (fabs(beta * m) + log((double)k));
        double ratio = rel * eps * fabs(ex) / allowed;
        if (ratio > mx->lse_bound_ratio) mx->lse_bound_ratio = ratio;
        /* the plain relative bound is promised where lse is not the result of cancellation */
        if (fabs(ex) >= 0x1p-8 * (fabs(beta * m) + log((double)k)) && rel > mx->lse_rel)
            mx->lse_rel = rel;
    }
    mpfr_clear(xlse);
    mx->rows++;
    free(ysm); free(ylsm); free(af); free(yf); free(sm); free(lsm);
}

/* The f32 check runs on the row rounded to float (the reference is computed from exactly the
 * values the float function sees); logits beyond the float range are clamped to +-1e38 first so
 * that the float row stays finite where the double row is. */
static void check_row_both(size_t k, double beta, const double *a, row_max *m64, row_max *m32)
{
    check_row(k, beta, a, 0, m64);
    double *r = malloc(k * sizeof *r);
    if (!r) exit(EXIT_FAILURE);
    for (size_t j = 0; j < k; ++j)
        r[j] = isfinite(a[j]) ? (double)(float)fmax(-1e38, fmin(1e38, a[j])) : a[j];
    check_row(k, beta, r, 1, m32);
    free(r);
}

static void print_rows(const char *dtype, const row_max *m)
{
    printf("softmax_%s     max %7.3f eps relative (bound 4) over %zu outputs in %zu rows%s\n", dtype,
           m->sm, m->outputs, m->rows, m->sm <= 4 ? "" : "  FAIL");
    printf("log_softmax_%s max %7.3f eps relative (bound 4)%s\n", dtype, m->lsm,
           m->lsm <= 4 ? "" : "  FAIL");
    printf("logsumexp_%s   max %7.3f eps relative where |lse| >= 2^-8 (|beta m| + log k) (bound 2);"
           " max %.3f of the mixed bound overall%s\n", dtype, m->lse_rel, m->lse_bound_ratio,
           (m->lse_rel <= 2 && m->lse_bound_ratio <= 1) ? "" : "  FAIL");
    failures += !(m->sm <= 4) + !(m->lsm <= 4) + !(m->lse_rel <= 2 && m->lse_bound_ratio <= 1);
}

/* Rows: the notes' examples, cancellation and dominance cases, masked and tied entries, and
 * random rows of k = 1 .. 10^6 with logits scaled from 1 to 1e300 and beta from 0.01 to 100.
 * The total of k over all rows (~1.25e6 per dtype) bounds the run time (~2 us per MPFR exp). */
static void run_softmax(void)
{
    row_max m64 = {0}, m32 = {0};
    const double notes1[3] = {1, 10, 100}, notes2[3] = {1, 2, 3}, notes3[3] = {1, 10, 1000};
    check_row_both(3, 1.0, notes1, &m64, &m32);
    check_row_both(3, 100.0, notes2, &m64, &m32);
    check_row_both(3, 1.0, notes3, &m64, &m32);
    const double ln2[2] = {-0.69314718055994530942, -0.69314718055994530942};
    const double dominant[2] = {0.0, -50.6};
    const double masked[4] = {-INFINITY, 3.0, -INFINITY, 2.5};
    const double tied[5] = {7.0, -1.0, 7.0, 6.5, 7.0};
    check_row_both(2, 1.0, ln2, &m64, &m32);
    check_row_both(2, 1.0, dominant, &m64, &m32);
    check_row_both(4, 1.0, masked, &m64, &m32);
    check_row_both(5, 3.0, tied, &m64, &m32);

    static const size_t ks[] = {1, 2, 3, 10, 100, 1000};
    static const double scales[] = {1.0, 30.0, 700.0, 1e5, 1e300};
    static const double betas[] = {1.0, 100.0, 0.01};
    uint64_t seed = 0x50f7u;
    size_t kmax = 1000000;
    double *a = malloc(kmax * sizeof *a);
    if (!a) exit(EXIT_FAILURE);
    for (size_t ik = 0; ik < sizeof ks / sizeof ks[0]; ++ik)
        for (size_t is = 0; is < sizeof scales / sizeof scales[0]; ++is)
            for (size_t ib = 0; ib < sizeof betas / sizeof betas[0]; ++ib)
                for (int rep = 0; rep < 4; ++rep) {
                    size_t k = ks[ik];
                    for (size_t j = 0; j < k; ++j)
                        a[j] = nnm_rand_uniform(&seed, -scales[is], scales[is]);
                    if (rep == 3 && k > 2) a[k / 2] = -INFINITY; /* a masked entry */
                    check_row_both(k, betas[ib], a, &m64, &m32);
                }
    /* long rows: k = 1e5 of small logits (a large sum), k = 1e6 of logits in [-30, 30] */
    for (size_t j = 0; j < 100000; ++j) a[j] = nnm_rand_uniform(&seed, -1.0, 1.0);
    check_row_both(100000, 1.0, a, &m64, &m32);
    for (size_t j = 0; j < kmax; ++j) a[j] = nnm_rand_uniform(&seed, -30.0, 30.0);
    check_row_both(kmax, 1.0, a, &m64, &m32);
    free(a);
    printf("== softmax family (per output, exact value normal) ==\n");
    print_rows("f64", &m64);
    print_rows("f32", &m32);
}

/* ---- affine ---------------------------------------------------------------------------- */

/* 200 random products a = W h + b with d_in up to 1000, half of them built to cancel (each row
 * of W paired with a negated copy of itself), checked against the exact MPFR dot product with
 * the bounds of activation.h. */
static void run_affine(void)
{
    uint64_t seed = 0xaff1u;
    double worst64 = 0, worst32 = 0, rel64 = 0, rel32 = 0;
    enum { DMAX = 1000, DOUT = 3 };
    static double h[DMAX], W[DOUT * DMAX], b[DOUT], a[DOUT];
    static float hf[DMAX], Wf[DOUT * DMAX], bf[DOUT], af[DOUT];
    mpfr_t acc, t;
    mpfr_inits2(4200, acc, t, (mpfr_ptr)0); /* exact: products of doubles span < 4200 bits */
    for (int rep = 0; rep < 200; ++rep) {
        size_t d = 1 + (size_t)(nnm_rand_u64(&seed) % DMAX);
        double scale = rep % 3 == 0 ? 1e10 : 1.0;
        for (size_t i = 0; i < d; ++i) h[i] = (double)(float)nnm_rand_uniform(&seed, -1, 1);
        for (size_t i = 0; i < DOUT * d; ++i)
            W[i] = (double)(float)nnm_rand_uniform(&seed, -scale, scale);
        for (size_t o = 0; o < DOUT; ++o) b[o] = (double)(float)nnm_rand_uniform(&seed, -1, 1);
        if (rep % 2 == 1 && d >= 2) /* cancellation: w_{d-1} h_{d-1} nearly opposes the rest */
            for (size_t o = 0; o < DOUT; ++o) {
                double sum = 0;
                for (size_t i = 0; i + 1 < d; ++i) sum += W[o * d + i] * h[i];
                h[d - 1] = 0.5;
                W[o * d + d - 1] = (double)(float)(-2 * sum + 1e-7);
            }
        for (size_t i = 0; i < d; ++i) hf[i] = (float)h[i];
        for (size_t i = 0; i < DOUT * d; ++i) Wf[i] = (float)W[i];
        for (size_t o = 0; o < DOUT; ++o) bf[o] = (float)b[o];
        if (nnm_act_affine_f64(1, d, DOUT, h, W, b, a) != NNM_OK ||
            nnm_act_affine_f32(1, d, DOUT, hf, Wf, bf, af) != NNM_OK) {
            printf("affine: CALL FAILED\n");
            failures++;
            continue;
        }
        for (size_t o = 0; o < DOUT; ++o) {
            double abs_sum = fabs(b[o]);
            mpfr_set_d(acc, b[o], MPFR_RNDN);
            for (size_t i = 0; i < d; ++i) {
                mpfr_set_d(t, W[o * d + i], MPFR_RNDN);
                mpfr_mul_d(t, t, h[i], MPFR_RNDN);
                mpfr_add(acc, acc, t, MPFR_RNDN);
                abs_sum += fabs(W[o * d + i] * h[i]);
            }
            double ex = mpfr_get_d(acc, MPFR_RNDN);
            double m = (double)(d + 1), u = DBL_EPSILON / 2, g = m * u / (1 - m * u);
            double err64 = fabs(nnm_oracle_rel_err_f64(a[o], acc) * DBL_EPSILON * ex);
            double bound64 = u * fabs(ex) + g * g * abs_sum;
            double err32 = fabs(nnm_oracle_rel_err_f32(af[o], acc) * (double)FLT_EPSILON * ex);
            /* double accumulation of d_in exact products (+ b): gamma_{d_in+1} sum|terms|,
             * then one rounding to float of that double */
            double uf = (double)FLT_EPSILON / 2;
            double bound32 = uf * fabs(ex) + (1 + uf) * g * abs_sum;
            if (err64 / bound64 > worst64) worst64 = err64 / bound64;
            if (err32 / bound32 > worst32) worst32 = err32 / bound32;
            double r64 = nnm_oracle_rel_err_f64(a[o], acc), r32 = nnm_oracle_rel_err_f32(af[o], acc);
            if (r64 > rel64) rel64 = r64;
            if (r32 > rel32) rel32 = r32;
        }
    }
    mpfr_clears(acc, t, (mpfr_ptr)0);
    printf("== affine (200 products, half of them cancelling) ==\n");
    printf("affine_f64     max %.3f of the bound (max relative error %.3f eps)%s\n", worst64,
           rel64, worst64 <= 1 ? "" : "  FAIL");
    printf("affine_f32     max %.3f of the bound (max relative error %.3f eps)%s\n", worst32,
           rel32, worst32 <= 1 ? "" : "  FAIL");
    failures += !(worst64 <= 1) + !(worst32 <= 1);
}

int main(void)
{
    run_elementwise();
    run_softmax();
    run_affine();
    printf("%s\n", failures ? "FAILED" : "all bounds hold");
    return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
