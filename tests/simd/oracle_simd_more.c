/*
 * White-box MPFR sweep of the kernels of src/core/simd/kernels_more.inc on every ISA this machine
 * runs and on the 8-lane emulation (tests/simd/emu), called through the dispatch tables
 * independently of NNMATH_ISA, against the bound of the scalar reference each one replaces:
 *   tanh f64, elu, selu, silu: f32 <= 1 ULP, f64 <= 2 ULP where the exact result is normal, the
 *   policy's special values exactly, every tail length, in place;
 *   identity, step, relu, leaky relu: bit-identical to the module's scalar kernels (also NaN,
 *   signed zeros, infinities, subnormals);
 *   log-softmax VJP: |error| <= 4 eps beta (|g_j| + p_j sum|g|) (f64; the dominant entry with
 *   (1 - p_t)|g_t| + p_t sum_{k != t}|g_k|), 1 f32-eps of the same scale for f32, as
 *   tests/oracle/oracle_gradient.c measures the public function;
 *   loss gradients (no options; den = 1 for SUM/NONE, n for MEAN): l2 within 1 ULP (documented;
 *   the operations make it correctly rounded for f64), BCE with logits within
 *   2 eps ((1 - t) sigma(a) + t sigma(-a)) / den, CE with labels within 4 eps (p_j + c_j) / den
 *   (the dominant entry 4 eps (R + 1 - p_t) / den); f32 within 1 f32-eps of the same scale.
 *   Results below the normal range may differ by 16 units of the least subnormal;
 *   sigmoid', tanh' and their VJPs (dy up to 1e300, where f' alone underflows): f32 <= 1 ULP,
 *   f64 <= 2 ULP; leaky' dy one rounding (0.5 ULP f64); relu' and leaky' bit for bit against
 *   core/deriv_math.h, in place and tails.
 * Run time: ~50k (f64) and ~45k (f32) elementwise points per function and path, ~60k VJP
 * entries, ~200k loss-gradient entries per dtype and path, each against a 256-bit MPFR value
 * (2400 bits for p in the VJP): about 10 s per path in a Release build (20 s for avx2 + emu8). Prints the measured
 * maxima and exits non-zero when a bound fails.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mpfr.h>

#include "activation/kernels.h"
#include "core/act_math.h"
#include "core/deriv_math.h"
#include "core/cpu.h"
#include "core/simd/dispatch.h"
#include "core/simd/kernels.h"
#include "nnm_test.h"
#include "oracle.h"

#include "simd_harness.h"

/* ---- elementwise references ------------------------------------------------------------------ */

#define SELU_LAMBDA "1.0507009873554804934193349852946"
#define SELU_ALPHA "1.6732632423543772848170429916717"

typedef struct unary_ctx {
    nnm__unary_f32_fn f32;
    nnm__unary_f64_fn f64;
    nnm__unary_a_f32_fn a32;
    nnm__unary_a_f64_fn a64;
    double alpha;
} unary_ctx;

static int ref_tanh(mpfr_t y, const mpfr_t x, void *ctx)
{
    (void)ctx;
    return mpfr_tanh(y, x, MPFR_RNDN);
}

/* x for x > 0, c (e^x - 1) otherwise */
static void ref_elu_c(mpfr_t y, const mpfr_t x, const mpfr_t c)
{
    if (mpfr_sgn(x) > 0) {
        mpfr_set(y, x, MPFR_RNDN);
        return;
    }
    mpfr_t t;
    mpfr_init2(t, NNM_ORACLE_PREC);
    mpfr_expm1(t, x, MPFR_RNDN);
    mpfr_mul(y, t, c, MPFR_RNDN);
    mpfr_clear(t);
}

static int ref_elu(mpfr_t y, const mpfr_t x, void *ctx)
{
    mpfr_t c;
    mpfr_init2(c, NNM_ORACLE_PREC);
    mpfr_set_d(c, ((unary_ctx *)ctx)->alpha, MPFR_RNDN);
    ref_elu_c(y, x, c);
    mpfr_clear(c);
    return 0;
}

static int ref_selu(mpfr_t y, const mpfr_t x, void *ctx)
{
    (void)ctx;
    mpfr_t l, a;
    mpfr_inits2(NNM_ORACLE_PREC, l, a, (mpfr_ptr)0);
    mpfr_set_str(l, SELU_LAMBDA, 10, MPFR_RNDN);
    mpfr_set_str(a, SELU_ALPHA, 10, MPFR_RNDN);
    mpfr_mul(a, a, l, MPFR_RNDN);
    ref_elu_c(y, x, a);
    if (mpfr_sgn(x) > 0) mpfr_mul(y, y, l, MPFR_RNDN);
    mpfr_clears(l, a, (mpfr_ptr)0);
    return 0;
}

static int ref_silu(mpfr_t y, const mpfr_t x, void *ctx)
{
    (void)ctx;
    mpfr_t t;
    mpfr_init2(t, NNM_ORACLE_PREC);
    mpfr_neg(t, x, MPFR_RNDN);
    mpfr_exp(t, t, MPFR_RNDN);
    mpfr_add_ui(t, t, 1, MPFR_RNDN);
    mpfr_div(y, x, t, MPFR_RNDN);
    mpfr_clear(t);
    return 0;
}

static int apply_f32(size_t n, const float *x, float *y, void *ctx)
{
    unary_ctx *c = ctx;
    if (c->a32) c->a32(n, c->alpha, x, y);
    else c->f32(n, x, y);
    return 0;
}

static int apply_f64(size_t n, const double *x, double *y, void *ctx)
{
    unary_ctx *c = ctx;
    if (c->a64) c->a64(n, c->alpha, x, y);
    else c->f64(n, x, y);
    return 0;
}

/* Every binade, dense bands where the functions bend, the thresholds where the kernels switch
 * (tanh's k = 0 / -1 boundary at |x| = 0.1733, its clamp near 19.06 and 20, elu's clamp at -45,
 * silu's scalar lanes below -700 and exp's subnormal range). */
static void points_f64(nnm_points *p)
{
    nnm_points_add_binades(p, -1074, 1023, 16, 41);
    nnm_points_add_uniform(p, -25.0, 25.0, 8000, 42);
    nnm_points_add_uniform(p, -760.0, 760.0, 3000, 43);
    const double around[] = {0.0,  0.17328679513998632, -0.17328679513998632, 0.3465735902799726,
                             19.06, -19.06, 20.0, -20.0, -45.0, -40.0, -700.0, -708.0, -745.0,
                             -36.7, 709.0};
    for (size_t i = 0; i < sizeof around / sizeof around[0]; ++i)
        nnm_points_add_around(p, around[i], 40);
}

static void points_f32(nnm_points *p32)
{
    nnm_points p = {0};
    nnm_points_add_binades(&p, -149, 127, 80, 44);
    nnm_points_add_uniform(&p, -20.0, 20.0, 12000, 45);
    nnm_points_add_uniform(&p, -130.0, 130.0, 4000, 46);
    const double around[] = {0.0, 0.17328, -0.17328, 9.0, -9.0, -17.3, -45.0, -87.33, -103.97, 88.72};
    for (size_t i = 0; i < sizeof around / sizeof around[0]; ++i)
        nnm_points_add_around(&p, around[i], 40);
    nnm_points_to_f32(&p, p32);
    nnm_points_free(&p);
}

static int same_f64(double a, double b)
{
    return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}
static int same_f32(float a, float b)
{
    return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}

static void check_specials_f64(const char *name, const unary_ctx *c, const double *in,
                               const double *want, size_t m)
{
    double y[16];
    apply_f64(m, in, y, (void *)c);
    for (size_t i = 0; i < m; ++i)
        if (!same_f64(y[i], want[i])) {
            printf("  %s(%a) = %a, want %a\n", name, in[i], y[i], want[i]);
            fail(name);
        }
}

static void check_specials_f32(const char *name, const unary_ctx *c, const float *in,
                               const float *want, size_t m)
{
    float y[16];
    apply_f32(m, in, y, (void *)c);
    for (size_t i = 0; i < m; ++i)
        if (!same_f32(y[i], want[i])) {
            printf("  %s(%a) = %a, want %a\n", name, (double)in[i], (double)y[i], (double)want[i]);
            fail(name);
        }
}

/* every length 0..33 against the full call (canaries past the end), and in place */
static void check_tails(const char *name, const unary_ctx *c)
{
    double x[40], full[40], part[40];
    float xf[40], fullf[40], partf[40];
    uint64_t s = 97;
    for (size_t i = 0; i < 40; ++i) x[i] = nnm_rand_uniform(&s, -30.0, 30.0), xf[i] = (float)x[i];
    x[5] = -720.0; /* a silu lane taken by the scalar reference */
    apply_f64(40, x, full, (void *)c);
    apply_f32(40, xf, fullf, (void *)c);
    for (size_t n = 0; n <= 33; ++n) {
        nnm_canary_fill(part, sizeof part);
        nnm_canary_fill(partf, sizeof partf);
        apply_f64(n, x, part, (void *)c);
        apply_f32(n, xf, partf, (void *)c);
        if (n > 0 && (memcmp(part, full, n * sizeof(double)) != 0 ||
                      memcmp(partf, fullf, n * sizeof(float)) != 0))
            fail(name);
        if (!nnm_canary_intact(part + n, (40 - n) * sizeof(double)) ||
            !nnm_canary_intact(partf + n, (40 - n) * sizeof(float)))
            fail(name);
    }
    memcpy(part, x, sizeof x);
    memcpy(partf, xf, sizeof xf);
    apply_f64(40, part, part, (void *)c);
    apply_f32(40, partf, partf, (void *)c);
    if (memcmp(part, full, sizeof full) != 0 || memcmp(partf, fullf, sizeof fullf) != 0) fail(name);
}

static void sweep(nnm__isa isa, const char *fn, nnm_mpfr_fn ref, unary_ctx *c, const nnm_points *p64,
                  const nnm_points *p32)
{
    char name[80];
    nnm_oracle_report r;
    if (c->f64 || c->a64) {
        snprintf(name, sizeof name, "%s_f64 [%s]", fn, path_name(isa));
        r = nnm_oracle_sweep_f64(name, ref, apply_f64, c, p64);
        if (!nnm_oracle_print(&r, 2.0)) ++failures;
    }
    if (c->f32 || c->a32) {
        snprintf(name, sizeof name, "%s_f32 [%s]", fn, path_name(isa));
        r = nnm_oracle_sweep_f32(name, ref, apply_f32, c, p32);
        if (!nnm_oracle_print(&r, 1.0)) ++failures;
    }
}

static void elementwise(nnm__isa isa, const nnm_points *p64, const nnm_points *p32)
{
    unary_ctx c = {0};
    c.f64 = K_(tanh_f64, isa);
    sweep(isa, "tanh", ref_tanh, &c, p64, p32);
    {
        const double in[] = {0.0, -0.0, INFINITY, -INFINITY, NAN, 0x1p-1074, -0x1p-1074, 30.0, -1e300};
        const double want[] = {0.0, -0.0, 1.0, -1.0, NAN, 0x1p-1074, -0x1p-1074, 1.0, -1.0};
        check_specials_f64("tanh_f64", &c, in, want, 9);
    }

    static const double alphas[] = {1.0, 1.7, 0.3, 0.0};
    for (size_t i = 0; i < 4; ++i) {
        char fn[32];
        unary_ctx e = {0};
        e.a32 = K_(elu_f32, isa), e.a64 = K_(elu_f64, isa), e.alpha = alphas[i];
        snprintf(fn, sizeof fn, "elu(%g)", alphas[i]);
        if (alphas[i] > 0.0) sweep(isa, fn, ref_elu, &e, p64, p32);
        const double in[] = {0.0, -0.0, INFINITY, -INFINITY, NAN, -0x1p-1074, 5.0, -1000.0};
        const double want[] = {0.0, -0.0, INFINITY, -alphas[i], NAN, -alphas[i] * 0x1p-1074,
                               5.0, -alphas[i]};
        check_specials_f64(fn, &e, in, want, 8);
        const float inf[] = {0.0f, -0.0f, INFINITY, -INFINITY, NAN, -0x1p-149f, 5.0f, -1000.0f};
        const float wantf[] = {0.0f, -0.0f, INFINITY, (float)-alphas[i],
                               NAN, (float)(-alphas[i] * 0x1p-149), 5.0f, (float)-alphas[i]};
        check_specials_f32(fn, &e, inf, wantf, 8);
        check_tails(fn, &e);
    }

    unary_ctx s = {0};
    s.f32 = K_(selu_f32, isa), s.f64 = K_(selu_f64, isa);
    sweep(isa, "selu", ref_selu, &s, p64, p32);
    {
        const double la = 1.7580993408473768599402175208123;
        const double in[] = {0.0, -0.0, INFINITY, -INFINITY, NAN, -1000.0};
        const double want[] = {0.0, -0.0, INFINITY, -la, NAN, -la};
        check_specials_f64("selu", &s, in, want, 6);
        const float inf[] = {0.0f, -0.0f, INFINITY, -INFINITY, NAN, -1000.0f};
        const float wantf[] = {0.0f, -0.0f, INFINITY, (float)-la, NAN, (float)-la};
        check_specials_f32("selu", &s, inf, wantf, 6);
        check_tails("selu", &s);
    }

    unary_ctx si = {0};
    si.f32 = K_(silu_f32, isa), si.f64 = K_(silu_f64, isa);
    sweep(isa, "silu", ref_silu, &si, p64, p32);
    {
        const double in[] = {0.0, -0.0, INFINITY, -INFINITY, NAN, -800.0, 800.0, -710.0};
        const double want[] = {0.0, -0.0, INFINITY, -0.0, NAN, -0.0, 800.0, nnm__silu(-710.0)};
        check_specials_f64("silu", &si, in, want, 8);
        const float inf[] = {0.0f, -0.0f, INFINITY, -INFINITY, NAN, -800.0f, 800.0f, -3e38f};
        const float wantf[] = {0.0f, -0.0f, INFINITY, -0.0f, NAN, -0.0f, 800.0f, -0.0f};
        check_specials_f32("silu", &si, inf, wantf, 8);
        check_tails("silu", &si);
    }
    unary_ctx t = {0};
    t.f64 = K_(tanh_f64, isa), t.f32 = K_(silu_f32, isa); /* f32 half: any kernel */
    check_tails("tanh_f64", &t);
}

/* ---- the exact kernels: bit for bit against the module's scalar kernels --------------------- */

static void exact(nnm__isa isa, const nnm_points *p64, const nnm_points *p32)
{
    size_t n = p64->n + 12, n32 = p32->n + 12;
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *w = malloc(n * sizeof *w);
    float *xf = malloc(n32 * sizeof *xf), *yf = malloc(n32 * sizeof *yf), *wf = malloc(n32 * sizeof *wf);
    if (!x || !y || !w || !xf || !yf || !wf) {
        fail("exact: out of memory");
        return;
    }
    const double sp[12] = {0.0, -0.0, INFINITY, -INFINITY, NAN, -NAN, 0x1p-1074, -0x1p-1074,
                           DBL_MAX, -DBL_MAX, 0x1p-1022, -0x1.8p-1070};
    memcpy(x, sp, sizeof sp);
    memcpy(x + 12, p64->x, p64->n * sizeof *x);
    for (size_t i = 0; i < 12; ++i) xf[i] = (float)sp[i];
    xf[6] = 0x1p-149f, xf[7] = -0x1p-149f, xf[8] = FLT_MAX, xf[9] = -FLT_MAX;
    for (size_t i = 0; i < p32->n; ++i) xf[12 + i] = (float)p32->x[i];
    char name[64];
#define EXACT_CHECK(label, vec64, ref64, vec32, ref32)                                     \
    do {                                                                                   \
        vec64;                                                                             \
        ref64;                                                                             \
        vec32;                                                                             \
        ref32;                                                                             \
        size_t bad = 0;                                                                    \
        for (size_t i = 0; i < n; ++i) bad += !same_f64(y[i], w[i]);                       \
        for (size_t i = 0; i < n32; ++i) bad += !same_f32(yf[i], wf[i]);                   \
        snprintf(name, sizeof name, "%s [%s]", label, path_name(isa));                     \
        printf("%-28s %zu of %zu results differ from the scalar reference\n", name, bad,   \
               n + n32);                                                                   \
        if (bad) fail(name);                                                               \
    } while (0)
    EXACT_CHECK("identity", K_(identity_f64, isa)(n, x, y), nnm__act_identity_kernel_f64(n, x, w),
                K_(identity_f32, isa)(n32, xf, yf), nnm__act_identity_kernel_f32(n32, xf, wf));
    EXACT_CHECK("step", K_(step_f64, isa)(n, x, y), nnm__act_step_kernel_f64(n, x, w),
                K_(step_f32, isa)(n32, xf, yf), nnm__act_step_kernel_f32(n32, xf, wf));
    EXACT_CHECK("relu", K_(relu_f64, isa)(n, x, y), nnm__act_relu_kernel_f64(n, x, w),
                K_(relu_f32, isa)(n32, xf, yf), nnm__act_relu_kernel_f32(n32, xf, wf));
    static const double alphas[] = {0.01, -0.3, 0.0, 1e-300, 3.7, 0x1.5555555555555p-2};
    for (size_t a = 0; a < sizeof alphas / sizeof alphas[0]; ++a) {
        char lab[40];
        double al = alphas[a];
        snprintf(lab, sizeof lab, "leaky_relu(%g)", al);
        EXACT_CHECK(lab, K_(leaky_relu_f64, isa)(n, al, x, y),
                    nnm__act_leaky_relu_kernel_f64(n, al, x, w),
                    K_(leaky_relu_f32, isa)(n32, al, xf, yf),
                    nnm__act_leaky_relu_kernel_f32(n32, al, xf, wf));
    }
    /* in place and every tail length, relu and leaky */
    for (size_t m = 0; m <= 19; ++m) {
        double buf[24];
        nnm_canary_fill(buf, sizeof buf);
        memcpy(buf, x + 3, m * sizeof(double));
        K_(leaky_relu_f64, isa)(m, 0.25, buf, buf);
        nnm__act_leaky_relu_kernel_f64(m, 0.25, x + 3, w);
        if ((m && memcmp(buf, w, m * sizeof(double)) != 0) ||
            !nnm_canary_intact(buf + m, (24 - m) * sizeof(double)))
            fail("leaky_relu in place / tails");
    }
#undef EXACT_CHECK
    free(x), free(y), free(w), free(xf), free(yf), free(wf);
}

/* ---- log-softmax VJP ------------------------------------------------------------------------- */

static size_t argmax_row(size_t k, const double *v)
{
    size_t t = 0;
    for (size_t j = 1; j < k; ++j) t = v[j] > v[t] ? j : t;
    return t;
}

/* exact da_j (p at 2400 bits: p can be 1 - 1e-300) and the documented scale */
static double exact_lsvjp(size_t k, double beta, const double *lp, const double *g, size_t j,
                          double *scale)
{
    mpfr_t S, p;
    mpfr_inits2(2400, S, p, (mpfr_ptr)0);
    size_t t = argmax_row(k, lp);
    double sa = 0, sr = 0;
    mpfr_set_zero(S, 1);
    for (size_t i = 0; i < k; ++i) {
        mpfr_add_d(S, S, g[i], MPFR_RNDN);
        sa += fabs(g[i]);
        if (i != t) sr += fabs(g[i]);
    }
    mpfr_set_d(p, lp[j], MPFR_RNDN);
    mpfr_exp(p, p, MPFR_RNDN);
    mpfr_mul(S, S, p, MPFR_RNDN);
    mpfr_d_sub(S, g[j], S, MPFR_RNDN);
    mpfr_mul_d(S, S, beta, MPFR_RNDN);
    double r = mpfr_get_d(S, MPFR_RNDN);
    mpfr_clears(S, p, (mpfr_ptr)0);
    *scale = j == t ? beta * (-expm1(lp[t]) * fabs(g[t]) + exp(lp[t]) * sr)
                    : beta * (fabs(g[j]) + exp(lp[j]) * sa);
    return r;
}

static double scaled_err(double got, double want, double scale, double eps, double tiny)
{
    double err = fabs(got - want);
    if (err <= 16 * tiny) return 0.0;
    return scale > 0 ? err / (eps * scale) : INFINITY;
}

/* a row of log-probabilities of random logits (exact enough: any logp is valid input) */
static void logp_row(uint64_t *s, size_t k, int kind, double *lp)
{
    double a[1000], m = -INFINITY, sum = 0.0;
    for (size_t j = 0; j < k; ++j) {
        a[j] = nnm_rand_uniform(s, -4.0, 4.0);
        if (kind == 1 && j == k / 2) a[j] = 30.0; /* p_t = 1 - 1e-12 */
        if (kind == 2 && j % 3 == 1 && k > 1) a[j] = -INFINITY; /* masked */
        m = a[j] > m ? a[j] : m;
    }
    for (size_t j = 0; j < k; ++j) sum += exp(a[j] - m);
    for (size_t j = 0; j < k; ++j) lp[j] = a[j] - m - log(sum);
}

static void lsvjp(nnm__isa isa)
{
    static const size_t ks[] = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33, 100, 1000};
    enum { ROWS = 3 };
    static double lp[ROWS * 1000], g[ROWS * 1000], da[ROWS * 1000], one[1000];
    static float lpf[ROWS * 1000], gf[ROWS * 1000], daf[ROWS * 1000];
    double w64 = 0.0, w32 = 0.0;
    size_t pts = 0;
    uint64_t s = 77;
    for (size_t ik = 0; ik < sizeof ks / sizeof ks[0]; ++ik) {
        for (int kind = 0; kind < 4; ++kind) {
            size_t k = ks[ik], nk = ROWS * k;
            double beta = kind == 3 ? 2.5 : (kind == 2 ? 0.4 : 1.0);
            for (size_t r = 0; r < ROWS; ++r) {
                logp_row(&s, k, kind, lp + r * k);
                for (size_t j = 0; j < k; ++j) {
                    size_t e = r * k + j;
                    g[e] = nnm_rand_uniform(&s, -2.0, 2.0);
                    if (r == 1) g[e] = j == (r * 7) % k ? -1.0 : 0.0; /* NLL-shaped */
                    lpf[e] = (float)lp[e], gf[e] = (float)g[e];
                }
            }
            K_(log_softmax_vjp_f64, isa)(ROWS, k, beta, lp, g, da);
            K_(log_softmax_vjp_f32, isa)(ROWS, k, beta, lpf, gf, daf);
            for (size_t e = 0; e < nk; ++e) {
                size_t r0 = e - e % k;
                double sc, want = exact_lsvjp(k, beta, lp + r0, g + r0, e % k, &sc);
                double err = scaled_err(da[e], want, sc, DBL_EPSILON, 0x1p-1074);
                w64 = err > w64 ? err : w64;
                double lpd[1000], gd[1000];
                for (size_t j = 0; j < k; ++j) lpd[j] = lpf[r0 + j], gd[j] = gf[r0 + j];
                want = exact_lsvjp(k, beta, lpd, gd, e % k, &sc);
                err = scaled_err((double)daf[e], want, sc, FLT_EPSILON, 0x1p-149);
                w32 = err > w32 ? err : w32;
                if (kind == 2 && isinf(lp[e]) && da[e] != beta * g[e]) fail("log_softmax_vjp masked entry");
            }
            pts += nk;
            /* row by row and in place give the same bits */
            for (size_t r = 0; r < ROWS; ++r) {
                K_(log_softmax_vjp_f64, isa)(1, k, beta, lp + r * k, g + r * k, one);
                if (memcmp(one, da + r * k, k * sizeof(double)) != 0) fail("log_softmax_vjp rows");
            }
            K_(log_softmax_vjp_f64, isa)(ROWS, k, beta, lp, g, g);
            if (memcmp(g, da, nk * sizeof(double)) != 0) fail("log_softmax_vjp in place");
        }
    }
    /* rows the vector form hands to the scalar steps: a NaN, an infinite gradient, logp > 0 */
    {
        double l3[3] = {-0.5, NAN, -1.5}, g3[3] = {1.0, 2.0, 3.0}, d3[3];
        K_(log_softmax_vjp_f64, isa)(1, 3, 1.0, l3, g3, d3);
        if (!isnan(d3[1])) fail("log_softmax_vjp NaN row");
        double l4[3] = {-0.1, -1.0, -3.0}, g4[3] = {1.0, INFINITY, 0.0}, d4[3];
        K_(log_softmax_vjp_f64, isa)(1, 3, 1.0, l4, g4, d4);
        if (!isnan(d4[0]) && !isinf(d4[0])) fail("log_softmax_vjp infinite gradient");
    }
    char name[64];
    snprintf(name, sizeof name, "log_softmax_vjp_f64 [%s]", path_name(isa));
    printf("%-34s max %.3f eps of the scale (bound 4) over %zu entries\n", name, w64, pts);
    if (w64 > 4.0) fail(name);
    snprintf(name, sizeof name, "log_softmax_vjp_f32 [%s]", path_name(isa));
    printf("%-34s max %.3f f32-eps of the scale (bound 1) over %zu entries\n", name, w32, pts);
    if (w32 > 1.0) fail(name);
}

/* ---- loss gradients ---------------------------------------------------------------------------- */

/* sigma(x) at 256 bits */
static void mp_sigmoid(mpfr_t y, double x)
{
    mpfr_set_d(y, -x, MPFR_RNDN);
    mpfr_exp(y, y, MPFR_RNDN);
    mpfr_add_ui(y, y, 1, MPFR_RNDN);
    mpfr_ui_div(y, 1, y, MPFR_RNDN);
}

static void track(double *worst, double err) { *worst = err > *worst ? err : *worst; }

static void elem_grads(nnm__isa isa)
{
    enum { M = 4000 };
    static double a[M], t[M], d[M], d2[M];
    static float af[M], tf[M], df[M];
    double wl2 = 0, wl2f = 0, wb = 0, wbf = 0;
    mpfr_t ex, s1, s2;
    mpfr_inits2(NNM_ORACLE_PREC, ex, s1, s2, (mpfr_ptr)0);
    uint64_t s = 5;
    size_t pts = 0;
    for (int trial = 0; trial < 24; ++trial) {
        size_t m = M - (size_t)trial * 7; /* tails of every length */
        double den = trial % 3 == 0 ? 1.0 : (double)(1 + trial * 13);
        for (size_t i = 0; i < m; ++i) {
            double mag = trial % 4 == 0 ? 1e3 : (trial % 4 == 1 ? 40.0 : (trial % 4 == 2 ? 800.0 : 1e-3));
            a[i] = nnm_rand_uniform(&s, -mag, mag);
            if (i % 97 == 0) a[i] = ldexp(nnm_rand_uniform(&s, -1, 1), -(int)(nnm_rand_u64(&s) % 1060));
            int tk = (int)(i % 4);
            t[i] = tk == 0 ? 0.0 : (tk == 1 ? 1.0 : nnm_rand_uniform(&s, 0.0, 1.0));
            af[i] = (float)a[i], tf[i] = (float)t[i];
        }
        /* l2: (y - t) / den, y = a */
        K_(l2_grad_f64, isa)(m, a, t, den, d);
        K_(l2_grad_f32, isa)(m, af, tf, den, df);
        for (size_t i = 0; i < m; ++i) {
            mpfr_set_d(ex, a[i], MPFR_RNDN);
            mpfr_sub_d(ex, ex, t[i], MPFR_RNDN);
            mpfr_div_d(ex, ex, den, MPFR_RNDN);
            track(&wl2, nnm_oracle_ulp_err_f64(d[i], ex));
            mpfr_set_d(ex, (double)af[i], MPFR_RNDN);
            mpfr_sub_d(ex, ex, (double)tf[i], MPFR_RNDN);
            mpfr_div_d(ex, ex, den, MPFR_RNDN);
            track(&wl2f, nnm_oracle_ulp_err_f32(df[i], ex));
        }
        /* bce with logits: (1 - t) sigma(a) - t sigma(-a), over den */
        K_(bce_logits_grad_f64, isa)(m, a, t, den, d);
        K_(bce_logits_grad_f32, isa)(m, af, tf, den, df);
        for (int dt = 0; dt < 2; ++dt)
            for (size_t i = 0; i < m; ++i) {
                double av = dt ? (double)af[i] : a[i], tv = dt ? (double)tf[i] : t[i];
                mp_sigmoid(s1, av);
                mp_sigmoid(s2, -av);
                double sc = ((1.0 - tv) * mpfr_get_d(s1, MPFR_RNDN) + tv * mpfr_get_d(s2, MPFR_RNDN)) / den;
                mpfr_mul_d(s1, s1, 1.0 - tv, MPFR_RNDN); /* 1 - t exact for these t */
                mpfr_mul_d(s2, s2, tv, MPFR_RNDN);
                mpfr_sub(ex, s1, s2, MPFR_RNDN);
                mpfr_div_d(ex, ex, den, MPFR_RNDN);
                double want = mpfr_get_d(ex, MPFR_RNDN);
                if (dt) track(&wbf, scaled_err((double)df[i], want, sc, FLT_EPSILON, 0x1p-149));
                else track(&wb, scaled_err(d[i], want, sc, 2 * DBL_EPSILON, 0x1p-1074));
            }
        pts += m;
        /* in place */
        memcpy(d2, a, m * sizeof(double));
        K_(bce_logits_grad_f64, isa)(m, d2, t, den, d2);
        if (memcmp(d, d2, m * sizeof(double)) != 0) fail("bce_logits_grad in place");
    }
    /* non-finite inputs: the limits (a = +inf: 1 - t, a = -inf: -t), NaN; l2 infinities */
    {
        double av[4] = {INFINITY, -INFINITY, NAN, 0.0}, tv[4] = {0.25, 0.25, 0.5, 1.0}, o[4];
        K_(bce_logits_grad_f64, isa)(4, av, tv, 1.0, o);
        if (o[0] != 0.75 || o[1] != -0.25 || !isnan(o[2]) || o[3] != -0.5) fail("bce_logits_grad limits");
        K_(l2_grad_f64, isa)(4, av, tv, 2.0, o);
        if (o[0] != INFINITY || o[1] != -INFINITY || !isnan(o[2]) || o[3] != -0.5) fail("l2_grad limits");
    }
    /* signed zeros: y = -0, t = +0 gives the reference's (-0 + 0) / den = +0 for every den, in
     * the vector body and in the scalar tail alike (a -0 quotient must not survive) */
    for (size_t m = 1; m <= 9; ++m) {
        double zy[9], zt[9], o[9];
        float zyf[9], ztf[9], of[9];
        for (size_t i = 0; i < m; ++i) zy[i] = -0.0, zt[i] = 0.0, zyf[i] = -0.0f, ztf[i] = 0.0f;
        for (int dn = 0; dn < 2; ++dn) {
            K_(l2_grad_f64, isa)(m, zy, zt, dn ? 3.0 : 1.0, o);
            K_(l2_grad_f32, isa)(m, zyf, ztf, dn ? 3.0 : 1.0, of);
            for (size_t i = 0; i < m; ++i)
                if (o[i] != 0.0 || signbit(o[i]) || of[i] != 0.0f || signbit(of[i])) fail("l2_grad -0");
        }
    }
    mpfr_clears(ex, s1, s2, (mpfr_ptr)0);
    char name[64];
    snprintf(name, sizeof name, "l2_grad_f64 [%s]", path_name(isa));
    printf("%-34s max %.3f ulp (bound 1) over %zu entries\n", name, wl2, pts);
    if (wl2 > 1.0) fail(name);
    snprintf(name, sizeof name, "l2_grad_f32 [%s]", path_name(isa));
    printf("%-34s max %.3f ulp (bound 1) over %zu entries\n", name, wl2f, pts);
    if (wl2f > 1.0) fail(name);
    snprintf(name, sizeof name, "bce_logits_grad_f64 [%s]", path_name(isa));
    printf("%-34s max %.3f of 2 eps of the scale (bound 1) over %zu entries\n", name, wb, pts);
    if (wb > 1.0) fail(name);
    snprintf(name, sizeof name, "bce_logits_grad_f32 [%s]", path_name(isa));
    printf("%-34s max %.3f f32-eps of the scale (bound 1) over %zu entries\n", name, wbf, pts);
    if (wbf > 1.0) fail(name);
}

/* exact p_j - [j == y] over den for one row, and the documented scale (4 eps of it is the bound) */
static void exact_ce_row(size_t k, const double *a, size_t y, double den, double *want, double *scale)
{
    mpfr_t S, e, m;
    mpfr_inits2(NNM_ORACLE_PREC, S, e, m, (mpfr_ptr)0);
    size_t top = argmax_row(k, a);
    mpfr_set_zero(S, 1);
    for (size_t j = 0; j < k; ++j) {
        mpfr_set_d(e, a[j], MPFR_RNDN);
        mpfr_sub_d(e, e, a[top], MPFR_RNDN);
        mpfr_exp(e, e, MPFR_RNDN);
        mpfr_add(S, S, e, MPFR_RNDN);
    }
    for (size_t j = 0; j < k; ++j) {
        mpfr_set_d(e, a[j], MPFR_RNDN);
        mpfr_sub_d(e, e, a[top], MPFR_RNDN);
        mpfr_exp(e, e, MPFR_RNDN);
        mpfr_div(e, e, S, MPFR_RNDN); /* p_j */
        double p = mpfr_get_d(e, MPFR_RNDN);
        mpfr_ui_sub(m, 1, e, MPFR_RNDN);
        double omp = mpfr_get_d(m, MPFR_RNDN); /* 1 - p_j */
        if (j == y) mpfr_sub_ui(e, e, 1, MPFR_RNDN);
        mpfr_div_d(e, e, den, MPFR_RNDN);
        want[j] = mpfr_get_d(e, MPFR_RNDN);
        scale[j] = j == top ? ((y != top ? 1.0 : 0.0) + omp) / den : (p + (j == y ? 1.0 : 0.0)) / den;
    }
    mpfr_clears(S, e, m, (mpfr_ptr)0);
}

static void ce_grads(nnm__isa isa)
{
    static const size_t ks[] = {1, 2, 3, 4, 7, 8, 9, 10, 17, 100, 1000};
    enum { N = 4 };
    static double a[N * 1000], d[N * 1000], d2[N * 1000], want[1000], sc[1000], ad[1000];
    static float af[N * 1000], df[N * 1000];
    int32_t lab[N];
    double w64 = 0, w32 = 0;
    size_t pts = 0;
    uint64_t s = 11;
    for (size_t ik = 0; ik < sizeof ks / sizeof ks[0]; ++ik)
        for (int kind = 0; kind < 5; ++kind) {
            size_t k = ks[ik];
            double den = kind % 2 ? (double)N : 1.0;
            for (size_t r = 0; r < N; ++r) {
                lab[r] = (int32_t)(nnm_rand_u64(&s) % k);
                for (size_t j = 0; j < k; ++j) {
                    double v = nnm_rand_uniform(&s, -5.0, 5.0);
                    if (kind == 2 && j == (size_t)lab[r]) v = 40.0;     /* confident, correct */
                    if (kind == 3 && j == (r + 1) % k) v = 40.0;        /* confident, maybe wrong */
                    if (kind == 4 && j % 4 == 2) v = -INFINITY;         /* masked */
                    if (kind == 4 && j % 5 == 3) v = 2.5;               /* ties */
                    a[r * k + j] = v, af[r * k + j] = (float)v;
                }
            }
            K_(ce_labels_grad_f64, isa)(N, k, a, lab, den, d);
            K_(ce_labels_grad_f32, isa)(N, k, af, lab, den, df);
            for (size_t r = 0; r < N; ++r) {
                exact_ce_row(k, a + r * k, (size_t)lab[r], den, want, sc);
                for (size_t j = 0; j < k; ++j)
                    track(&w64, scaled_err(d[r * k + j], want[j], sc[j], 4 * DBL_EPSILON, 0x1p-1074));
                for (size_t j = 0; j < k; ++j) ad[j] = (double)af[r * k + j];
                exact_ce_row(k, ad, (size_t)lab[r], den, want, sc);
                for (size_t j = 0; j < k; ++j)
                    track(&w32, scaled_err((double)df[r * k + j], want[j], sc[j], FLT_EPSILON, 0x1p-149));
            }
            pts += N * k;
            memcpy(d2, a, N * k * sizeof(double));
            K_(ce_labels_grad_f64, isa)(N, k, d2, lab, den, d2);
            if (memcmp(d, d2, N * k * sizeof(double)) != 0) fail("ce_labels_grad in place");
            for (size_t r = 0; r < N; ++r) {
                K_(ce_labels_grad_f64, isa)(1, k, a + r * k, lab + r, den, d2);
                if (memcmp(d + r * k, d2, k * sizeof(double)) != 0) fail("ce_labels_grad rows");
            }
        }
    /* the policy rows */
    {
        double r1[3] = {0, NAN, 1}, r2[3] = {INFINITY, INFINITY, 0}, r3[3] = {-INFINITY, -INFINITY, -INFINITY};
        double r4[3] = {INFINITY, 1.0, INFINITY}, o[3];
        int32_t l0 = 0, l1 = 1;
        K_(ce_labels_grad_f64, isa)(1, 3, r1, &l0, 1.0, o);
        if (!isnan(o[0]) || !isnan(o[1]) || !isnan(o[2])) fail("ce_labels_grad NaN row");
        K_(ce_labels_grad_f64, isa)(1, 3, r2, &l0, 1.0, o);
        if (o[0] != -0.5 || o[1] != 0.5 || o[2] != 0.0) fail("ce_labels_grad +inf row");
        K_(ce_labels_grad_f64, isa)(1, 3, r3, &l1, 2.0, o);
        if (o[0] != 0.0 || o[1] != -0.5 || o[2] != 0.0) fail("ce_labels_grad -inf row");
        K_(ce_labels_grad_f64, isa)(1, 3, r4, &l1, 1.0, o);
        if (o[0] != 0.5 || o[1] != -1.0 || o[2] != 0.5) fail("ce_labels_grad +inf row, finite label");
    }
    char name[64];
    snprintf(name, sizeof name, "ce_labels_grad_f64 [%s]", path_name(isa));
    printf("%-34s max %.3f of 4 eps of the scale (bound 1) over %zu entries\n", name, w64, pts);
    if (w64 > 1.0) fail(name);
    snprintf(name, sizeof name, "ce_labels_grad_f32 [%s]", path_name(isa));
    printf("%-34s max %.3f f32-eps of the scale (bound 1) over %zu entries\n", name, w32, pts);
    if (w32 > 1.0) fail(name);
}

/* ---- derivatives and VJPs ------------------------------------------------------------------- */

typedef struct dact_ctx {
    nnm__dact_f32_fn f32;
    nnm__dact_f64_fn f64;
    double alpha, dy; /* dy == 0: the derivative itself (dy NULL) */
} dact_ctx;

static int dact_apply_f64(size_t n, const double *x, double *y, void *ctx)
{
    dact_ctx *c = ctx;
    static double g[1 << 16];
    if (n > sizeof g / sizeof g[0]) return 1;
    for (size_t i = 0; i < n; ++i) g[i] = c->dy;
    c->f64(n, c->alpha, x, c->dy != 0.0 ? g : NULL, y);
    return 0;
}

static int dact_apply_f32(size_t n, const float *x, float *y, void *ctx)
{
    dact_ctx *c = ctx;
    static float g[1 << 16];
    if (n > sizeof g / sizeof g[0]) return 1;
    for (size_t i = 0; i < n; ++i) g[i] = (float)c->dy;
    c->f32(n, c->alpha, x, c->dy != 0.0 ? g : NULL, y);
    return 0;
}

/* sigma'(x) dy = dy e^-|x| / (1 + e^-|x|)^2 (even; -|x| keeps MPFR's exponent range);
 * tanh'(x) dy = dy / cosh^2 x */
static int ref_dsig(mpfr_t y, const mpfr_t x, void *ctx)
{
    dact_ctx *c = ctx;
    mpfr_t e, d;
    mpfr_inits2(NNM_ORACLE_PREC, e, d, (mpfr_ptr)0);
    mpfr_abs(e, x, MPFR_RNDN);
    mpfr_neg(e, e, MPFR_RNDN);
    mpfr_exp(e, e, MPFR_RNDN);
    mpfr_add_ui(d, e, 1, MPFR_RNDN);
    mpfr_sqr(d, d, MPFR_RNDN);
    mpfr_div(y, e, d, MPFR_RNDN);
    if (c->dy != 0.0) mpfr_mul_d(y, y, c->dy, MPFR_RNDN);
    mpfr_clears(e, d, (mpfr_ptr)0);
    return 0;
}

static int ref_dtanh(mpfr_t y, const mpfr_t x, void *ctx)
{
    dact_ctx *c = ctx;
    mpfr_cosh(y, x, MPFR_RNDN);
    mpfr_sqr(y, y, MPFR_RNDN);
    mpfr_ui_div(y, 1, y, MPFR_RNDN);
    if (c->dy != 0.0) mpfr_mul_d(y, y, c->dy, MPFR_RNDN);
    return 0;
}

/* leaky'(x) dy for x < 0: alpha dy */
static int ref_dleaky(mpfr_t y, const mpfr_t x, void *ctx)
{
    dact_ctx *c = ctx;
    mpfr_set_d(y, mpfr_sgn(x) > 0 ? 1.0 : c->alpha, MPFR_RNDN);
    if (c->dy != 0.0) mpfr_mul_d(y, y, c->dy, MPFR_RNDN);
    return 0;
}

static void derivs(nnm__isa isa, const nnm_points *p64, const nnm_points *p32)
{
    static const double dys[] = {0.0, -0.3, 1e300, 7e-300};
    char name[80];
    nnm_oracle_report r;
    for (size_t i = 0; i < sizeof dys / sizeof dys[0]; ++i) {
        dact_ctx c = {K_(dsigmoid_f32, isa), K_(dsigmoid_f64, isa), 0.0, dys[i]};
        snprintf(name, sizeof name, "sigmoid' dy=%g f64 [%s]", dys[i], path_name(isa));
        r = nnm_oracle_sweep_f64(name, ref_dsig, dact_apply_f64, &c, p64);
        if (!nnm_oracle_print(&r, 2.0)) ++failures;
        dact_ctx t = {K_(dtanh_f32, isa), K_(dtanh_f64, isa), 0.0, dys[i]};
        snprintf(name, sizeof name, "tanh' dy=%g f64 [%s]", dys[i], path_name(isa));
        r = nnm_oracle_sweep_f64(name, ref_dtanh, dact_apply_f64, &t, p64);
        if (!nnm_oracle_print(&r, 2.0)) ++failures;
        if (fabs(dys[i]) > 1e30 || (dys[i] != 0.0 && fabs(dys[i]) < 1e-30)) continue; /* beyond float */
        c.dy = t.dy = (double)(float)dys[i]; /* the f32 kernels see dy rounded to float */
        snprintf(name, sizeof name, "sigmoid' dy=%g f32 [%s]", dys[i], path_name(isa));
        r = nnm_oracle_sweep_f32(name, ref_dsig, dact_apply_f32, &c, p32);
        if (!nnm_oracle_print(&r, 1.0)) ++failures;
        snprintf(name, sizeof name, "tanh' dy=%g f32 [%s]", dys[i], path_name(isa));
        r = nnm_oracle_sweep_f32(name, ref_dtanh, dact_apply_f32, &t, p32);
        if (!nnm_oracle_print(&r, 1.0)) ++failures;
        dact_ctx l = {K_(dleaky_f32, isa), K_(dleaky_f64, isa), 0x1.5555555555555p-2, dys[i]};
        snprintf(name, sizeof name, "leaky(1/3)' dy=%g f64 [%s]", dys[i], path_name(isa));
        r = nnm_oracle_sweep_f64(name, ref_dleaky, dact_apply_f64, &l, p64);
        if (!nnm_oracle_print(&r, 0.5)) ++failures; /* one rounding of alpha dy */
        l.dy = (double)(float)dys[i];
        snprintf(name, sizeof name, "leaky(1/3)' dy=%g f32 [%s]", dys[i], path_name(isa));
        r = nnm_oracle_sweep_f32(name, ref_dleaky, dact_apply_f32, &l, p32);
        if (!nnm_oracle_print(&r, 1.0)) ++failures;
    }
    /* relu' and leaky' bit for bit against the scalar derivatives, specials included */
    static const double xs[] = {0.0, -0.0, 1.0, -1.0, INFINITY, -INFINITY, NAN, 0x1p-1074, -0x1p-1074, 3.0, -5.0};
    static const double alphas[] = {0.01, -0.3, 0.0, 2.0, -0.0};
    enum { NX = sizeof xs / sizeof xs[0] };
    double y[NX], g[NX];
    float xf[NX], yf[NX];
    for (size_t i = 0; i < NX; ++i) g[i] = i % 2 ? -2.5 : INFINITY, xf[i] = (float)xs[i];
    K_(drelu_f64, isa)(NX, 0.0, xs, NULL, y);
    K_(drelu_f32, isa)(NX, 0.0, xf, NULL, yf);
    for (size_t i = 0; i < NX; ++i)
        if (!same_f64(y[i], (double)nnm__dm_relu_d1_ld(xs[i])) || !same_f32(yf[i], (float)nnm__dm_relu_d1_d((double)xf[i])))
            fail("relu' specials");
    K_(drelu_f64, isa)(NX, 0.0, xs, g, y);
    for (size_t i = 0; i < NX; ++i)
        if (!same_f64(y[i], (double)(nnm__dm_relu_d1_ld(xs[i]) * g[i]))) fail("relu' vjp specials");
    for (size_t a = 0; a < sizeof alphas / sizeof alphas[0]; ++a) {
        K_(dleaky_f64, isa)(NX, alphas[a], xs, NULL, y);
        K_(dleaky_f32, isa)(NX, alphas[a], xf, NULL, yf);
        for (size_t i = 0; i < NX; ++i)
            if (!same_f64(y[i], (double)nnm__dm_leaky_d1_ld(xs[i], alphas[a])) ||
                !same_f32(yf[i], (float)nnm__dm_leaky_d1_d((double)xf[i], alphas[a])))
                fail("leaky' specials");
    }
    /* in place (dx == dy, dx == x) and tails, the double kernels with scalar lanes */
    {
        double x[21], gg[21], want[21], b[21];
        uint64_t s = 3;
        for (size_t i = 0; i < 21; ++i) x[i] = nnm_rand_uniform(&s, -900, 900), gg[i] = nnm_rand_uniform(&s, -1e300, 1e300);
        nnm__dact_f64_fn fs[2] = {K_(dsigmoid_f64, isa), K_(dtanh_f64, isa)};
        for (int f = 0; f < 2; ++f) {
            fs[f](21, 0.0, x, gg, want);
            memcpy(b, gg, sizeof b);
            fs[f](21, 0.0, x, b, b);
            if (memcmp(b, want, sizeof b) != 0) fail("dact in place (dy)");
            memcpy(b, x, sizeof b);
            fs[f](21, 0.0, b, gg, b);
            if (memcmp(b, want, sizeof b) != 0) fail("dact in place (x)");
            for (size_t n = 0; n <= 21; ++n) {
                nnm_canary_fill(b, sizeof b);
                fs[f](n, 0.0, x, gg, b);
                if ((n && memcmp(b, want, n * sizeof(double)) != 0) ||
                    !nnm_canary_intact(b + n, (21 - n) * sizeof(double)))
                    fail("dact tails");
            }
        }
    }
}

int main(void)
{
    nnm_points p64 = {0}, p32 = {0};
    points_f64(&p64);
    points_f32(&p32);
    int ran = 0;
    for (int i = 1; i <= PATH_EMU8; ++i) {
        nnm__isa isa = (nnm__isa)i;
        if (i != PATH_EMU8 && (!nnm__cpu_isa_available(isa) || K_(tanh_f64, isa) == NULL)) {
            printf("[%s] not available on this machine or not compiled: skipped\n", path_name(isa));
            continue;
        }
        elementwise(isa, &p64, &p32);
        exact(isa, &p64, &p32);
        lsvjp(isa);
        elem_grads(isa);
        ce_grads(isa);
        derivs(isa, &p64, &p32);
        ++ran;
    }
    nnm_points_free(&p64);
    nnm_points_free(&p32);
    printf("%d ISA path(s) checked, %d failure(s)\n", ran, failures);
    return failures ? 1 : 0;
}
