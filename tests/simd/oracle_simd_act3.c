/*
 * White-box MPFR sweep of the kernels of src/core/simd/kernels_act3.inc (gelu, gelu_tanh, mish)
 * on every ISA this machine runs and on the 8-lane emulation (tests/simd/emu), called through the
 * dispatch tables independently of NNMATH_ISA, against the bound of the scalar reference each one
 * replaces (f32 <= 1 ULP, f64 <= 2 ULP where the exact result is normal):
 *   - every binade of both signs, dense uniform bands, and the neighbourhoods of each threshold
 *     the kernels introduce (the erfc pieces at |t| = 0.5, 1.5, 3, i.e. x = -+0.7071, -+2.1213,
 *     -+4.2426; gelu f32's clamp at -+15 and the f32 underflow near -13.2 / -14.4; gelu_tanh's
 *     |x| = 64 limit and the f64 reference lanes below x = -21; mish's clamp at -200, its
 *     reference lanes below -700 and the end of its normal range near -738);
 *   - specials bit for bit against the module's scalar kernels: +-0, +-inf, NaN, subnormals,
 *     the largest finite values, and inputs on both sides of every threshold;
 *   - every length n = 0..17 against one full call (canaries past the end), in place;
 *   - f' and f' dy (dy = -0.3f, 1e30f) of the three for float data: <= 1 ULP against MPFR over
 *     every 12th forward point plus the 100 floats on each side of each root of f' and of each
 *     root-window edge (root -+ 1/8, where the kernels switch to the reference); specials, window
 *     lanes and the far negative tails bit for bit against core/deriv_math.h; tails, in place.
 *   - f'' of the three for float data: <= 1 ULP against MPFR around every zero
 *     of f'' and window edge and clamp; specials, window lanes and far tails bit for bit.
 *   - gelu'' for double data: <= 2 ULP against MPFR (~4.6k points per path);
 *     the reference lanes |x| > 37.5, specials and subnormals bit for bit.
 *   - f' and f' dy (dy = -0.3, 1e300) of the three and f'' of gelu_tanh and mish for double data:
 *     <= 2 ULP against MPFR around every root, band / window edge and tail
 *     threshold (~2.1k points per f' / f'', 1.1k per VJP and path); the reference lanes (bands,
 *     windows, tails), specials and subnormals bit for bit; tails 0..17, in place.
 * Run time: ~60k f64 and ~45k f32 points per forward function and path, ~6k per derivative
 * sweep (9 per path), ~3.7k per second-derivative sweep (3 per path), each against a 256-bit
 * MPFR value: about 25 s per path in a Release build. Prints the measured maxima and exits
 * non-zero when a bound fails.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mpfr.h>

#include "activation/kernels.h"
#include "core/cpu.h"
#include "core/deriv_math.h"
#include "core/deriv_roots.h"
#include "core/simd/dispatch.h"
#include "core/simd/kernels.h"
#include "nnm_test.h"
#include "oracle.h"

#include "simd_harness.h"

/* ---- MPFR references ----------------------------------------------------------------------- */

/* x Phi(x) = x erfc(-x/sqrt2) / 2 */
static int ref_gelu(mpfr_t y, const mpfr_t x, void *ctx)
{
    (void)ctx;
    mpfr_t t;
    mpfr_init2(t, NNM_ORACLE_PREC);
    mpfr_sqrt_ui(t, 2, MPFR_RNDN);
    mpfr_div(t, x, t, MPFR_RNDN);
    mpfr_neg(t, t, MPFR_RNDN);
    mpfr_erfc(t, t, MPFR_RNDN);
    mpfr_mul(y, x, t, MPFR_RNDN);
    mpfr_div_ui(y, y, 2, MPFR_RNDN);
    mpfr_clear(t);
    return 0;
}

/* x sigma(2 sqrt(2/pi) (x + 0.044715 x^3)) = x (1 + tanh(sqrt(2/pi) (...)))/2 */
static int ref_gelu_tanh(mpfr_t y, const mpfr_t x, void *ctx)
{
    (void)ctx;
    mpfr_t v, k;
    mpfr_inits2(NNM_ORACLE_PREC, v, k, (mpfr_ptr)0);
    mpfr_set_str(k, "0.044715", 10, MPFR_RNDN);
    mpfr_sqr(v, x, MPFR_RNDN);
    mpfr_mul(v, v, k, MPFR_RNDN);
    mpfr_add_ui(v, v, 1, MPFR_RNDN);
    mpfr_mul(v, v, x, MPFR_RNDN);
    mpfr_const_pi(k, MPFR_RNDN);
    mpfr_ui_div(k, 8, k, MPFR_RNDN);
    mpfr_sqrt(k, k, MPFR_RNDN); /* 2 sqrt(2/pi) */
    mpfr_mul(v, v, k, MPFR_RNDN);
    mpfr_neg(v, v, MPFR_RNDN);
    mpfr_exp(v, v, MPFR_RNDN);
    mpfr_add_ui(v, v, 1, MPFR_RNDN);
    mpfr_div(y, x, v, MPFR_RNDN);
    mpfr_clears(v, k, (mpfr_ptr)0);
    return 0;
}

/* x tanh(log1p(e^x)) */
static int ref_mish(mpfr_t y, const mpfr_t x, void *ctx)
{
    (void)ctx;
    mpfr_t t;
    mpfr_init2(t, NNM_ORACLE_PREC);
    mpfr_exp(t, x, MPFR_RNDN);
    mpfr_log1p(t, t, MPFR_RNDN);
    mpfr_tanh(t, t, MPFR_RNDN);
    mpfr_mul(y, x, t, MPFR_RNDN);
    mpfr_clear(t);
    return 0;
}

/* ---- the functions under test --------------------------------------------------------------- */

typedef struct fn_case {
    const char *name;
    nnm_mpfr_fn ref;
    nnm__unary_f32_fn v32; /* the vector kernel on the path under test (NULL: none) */
    nnm__unary_f64_fn v64;
    void (*s32)(size_t, const float *, float *); /* the module's scalar kernel */
    void (*s64)(size_t, const double *, double *);
} fn_case;

static int apply_f32(size_t n, const float *x, float *y, void *ctx)
{
    ((const fn_case *)ctx)->v32(n, x, y);
    return 0;
}
static int apply_f64(size_t n, const double *x, double *y, void *ctx)
{
    ((const fn_case *)ctx)->v64(n, x, y);
    return 0;
}

/* the thresholds of kernels_act3.inc (see the header comment) */
static const double thresholds[] = {0.0,     0.70710678118654752, -0.70710678118654752,
                                    2.1213203435596426, -2.1213203435596426, 4.2426406871192851,
                                    -4.2426406871192851, 15.0, -15.0, -13.2, -14.4, 64.0, -64.0,
                                    -21.0, -21.25, -200.0, 200.0, -700.0, -708.0, -738.0,
                                    -745.0, -37.5, -38.5, 27.0, -10.0, -9.0};

static void points_f64(nnm_points *p)
{
    nnm_points_add_binades(p, -1074, 1023, 16, 61);
    nnm_points_add_uniform(p, -40.0, 40.0, 12000, 62);
    nnm_points_add_uniform(p, -760.0, 760.0, 3000, 63);
    for (size_t i = 0; i < sizeof thresholds / sizeof thresholds[0]; ++i)
        nnm_points_add_around(p, thresholds[i], 40);
}

static void points_f32(nnm_points *p32)
{
    nnm_points p = {0};
    nnm_points_add_binades(&p, -149, 127, 50, 64);
    nnm_points_add_uniform(&p, -20.0, 20.0, 14000, 65);
    nnm_points_add_uniform(&p, -260.0, 260.0, 4000, 66);
    for (size_t i = 0; i < sizeof thresholds / sizeof thresholds[0]; ++i)
        nnm_points_add_around(&p, thresholds[i], 40);
    nnm_points_to_f32(&p, p32);
    /* float neighbours of the thresholds (the double neighbours above collapse to one float) */
    for (size_t i = 0; i < sizeof thresholds / sizeof thresholds[0]; ++i) {
        float f = (float)thresholds[i], g = f;
        for (int k = 0; k < 40; ++k) {
            f = nextafterf(f, INFINITY), g = nextafterf(g, -INFINITY);
            nnm_points_add(p32, (double)f);
            nnm_points_add(p32, (double)g);
        }
    }
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

/* Specials bit for bit against the module's scalar kernel: NaN, +-inf, +-0, tiny |x| (x/2 resp.
 * 3x/5 rounded once), x > 64 (the result is x), the far negative tail where every result is -0
 * (f32 x < -250, f64 x < -800), and the f64 lanes the kernels hand to the reference (gelu_tanh
 * x < -21, mish x < -700). The other finite inputs of the list are bounded by the sweep. */
static int must_match(double v, int f64, double ref_below)
{
    if (isnan(v) || isinf(v) || v == 0.0 || v > 64.0) return 1;
    if (fabs(v) < (f64 ? 0x1p-1000 : 0x1p-120)) return 1;
    return v < (f64 ? (ref_below > -800.0 ? ref_below : -800.0) : -250.0);
}

static void specials(const fn_case *c, nnm__isa isa, double ref_below)
{
    static const double sp[] = {0.0, -0.0, INFINITY, -INFINITY, NAN, -NAN, 0x1p-1074, -0x1p-1074,
                                0x1p-1022, -0x1p-1022, -0x1.8p-1070, DBL_MAX, -DBL_MAX, 1e300,
                                -1e300, 64.0, -64.0, 0x1.0000000000001p6, -0x1.0000000000001p6,
                                -21.0, -0x1.5000000000001p4, -25.0, -700.0, -0x1.5e00000000001p9,
                                -740.0, -800.0, -1e5, 15.0, -15.0, 200.0, -200.0, -201.0, -300.0,
                                1e10, -1e10, 0x1p-149, -0x1p-149, 0x1.8p-148, FLT_MAX, -FLT_MAX,
                                0x1p-126, -0x1p-126, -0x1p-140, 3.0, -3.0};
    enum { NS = sizeof sp / sizeof sp[0] };
    char name[120];
    if (c->v64) {
        double y[NS], w[NS];
        c->v64(NS, sp, y);
        c->s64(NS, sp, w);
        for (size_t i = 0; i < NS; ++i)
            if (must_match(sp[i], 1, ref_below) && !same_f64(y[i], w[i])) {
                snprintf(name, sizeof name, "%s_f64 [%s] special %a: %a, reference %a", c->name,
                         path_name(isa), sp[i], y[i], w[i]);
                fail(name);
            }
    }
    if (c->v32) {
        float xf[NS], y[NS], w[NS];
        for (size_t i = 0; i < NS; ++i) xf[i] = (float)sp[i];
        c->v32(NS, xf, y);
        c->s32(NS, xf, w);
        for (size_t i = 0; i < NS; ++i)
            if (must_match((double)xf[i], 0, 0.0) && !same_f32(y[i], w[i])) {
                snprintf(name, sizeof name, "%s_f32 [%s] special %a: %a, reference %a", c->name,
                         path_name(isa), (double)xf[i], (double)y[i], (double)w[i]);
                fail(name);
            }
    }
}

/* every length 0..17 against the full call (canaries past the end), and in place */
static void tails(const fn_case *c, nnm__isa isa)
{
    enum { N = 24 };
    double x[N], full[N], part[N];
    float xf[N], fullf[N], partf[N];
    uint64_t s = 91;
    for (size_t i = 0; i < N; ++i) x[i] = nnm_rand_uniform(&s, -30.0, 30.0), xf[i] = (float)x[i];
    x[3] = -720.0, x[10] = -25.0, x[11] = NAN, x[17] = -INFINITY; /* reference lanes */
    xf[5] = -300.0f, xf[12] = INFINITY, xf[13] = -0.0f;
    char name[80];
    snprintf(name, sizeof name, "%s tails / in place [%s]", c->name, path_name(isa));
    if (c->v64) c->v64(N, x, full);
    if (c->v32) c->v32(N, xf, fullf);
    for (size_t n = 0; n <= 17; ++n) {
        nnm_canary_fill(part, sizeof part);
        nnm_canary_fill(partf, sizeof partf);
        if (c->v64) {
            c->v64(n, x, part);
            if ((n > 0 && memcmp(part, full, n * sizeof(double)) != 0) ||
                !nnm_canary_intact(part + n, (N - n) * sizeof(double)))
                fail(name);
        }
        if (c->v32) {
            c->v32(n, xf, partf);
            if ((n > 0 && memcmp(partf, fullf, n * sizeof(float)) != 0) ||
                !nnm_canary_intact(partf + n, (N - n) * sizeof(float)))
                fail(name);
        }
    }
    memcpy(part, x, sizeof x);
    memcpy(partf, xf, sizeof xf);
    if (c->v64) {
        c->v64(N, part, part);
        if (memcmp(part, full, sizeof full) != 0) fail(name);
    }
    if (c->v32) {
        c->v32(N, partf, partf);
        if (memcmp(partf, fullf, sizeof fullf) != 0) fail(name);
    }
}

/* ---- derivatives and VJPs (float data) -------------------------------------------------------- */

/* One derivative case for both dtypes: the exact derivative, the kernel under test for float or
 * double data (the other one NULL), and dy: 0 for the derivative alone, else the VJP with this
 * dy everywhere. */
typedef struct dcase {
    nnm_mpfr_fn d1;
    nnm__dact_f32_fn v32;
    nnm__dact_f64_fn v64;
    double dy;
} dcase;

/* sigma(v) for an MPFR v */
static void mp_sig(mpfr_t y, const mpfr_t v)
{
    mpfr_neg(y, v, MPFR_RNDN);
    mpfr_exp(y, y, MPFR_RNDN);
    mpfr_add_ui(y, y, 1, MPFR_RNDN);
    mpfr_ui_div(y, 1, y, MPFR_RNDN);
}

/* Phi(x) + x phi(x) */
static int ref_dgelu(mpfr_t y, const mpfr_t x, void *ctx)
{
    (void)ctx;
    mpfr_t a, b;
    mpfr_inits2(NNM_ORACLE_PREC, a, b, (mpfr_ptr)0);
    ref_gelu(a, x, NULL);
    mpfr_div(a, a, x, MPFR_RNDN); /* Phi (x != 0 in the sweeps; 0 is a special below) */
    mpfr_sqr(b, x, MPFR_RNDN);
    mpfr_div_si(b, b, -2, MPFR_RNDN);
    mpfr_exp(b, b, MPFR_RNDN);
    mpfr_mul(b, b, x, MPFR_RNDN);
    mpfr_const_pi(y, MPFR_RNDN);
    mpfr_mul_ui(y, y, 2, MPFR_RNDN);
    mpfr_sqrt(y, y, MPFR_RNDN);
    mpfr_div(b, b, y, MPFR_RNDN);
    mpfr_add(y, a, b, MPFR_RNDN);
    mpfr_clears(a, b, (mpfr_ptr)0);
    return 0;
}

/* sigma(z) + x z' sigma(z) sigma(-z), z = k (x + c x^3), z' = k (1 + 3 c x^2) */
static int ref_dgelu_tanh(mpfr_t y, const mpfr_t x, void *ctx)
{
    (void)ctx;
    mpfr_t k, c, z, dz, s1, s2;
    mpfr_inits2(NNM_ORACLE_PREC, k, c, z, dz, s1, s2, (mpfr_ptr)0);
    mpfr_set_str(c, "0.044715", 10, MPFR_RNDN);
    mpfr_const_pi(k, MPFR_RNDN);
    mpfr_ui_div(k, 8, k, MPFR_RNDN);
    mpfr_sqrt(k, k, MPFR_RNDN);
    mpfr_sqr(z, x, MPFR_RNDN);
    mpfr_mul(z, z, c, MPFR_RNDN);
    mpfr_mul_ui(dz, z, 3, MPFR_RNDN);
    mpfr_add_ui(dz, dz, 1, MPFR_RNDN);
    mpfr_mul(dz, dz, k, MPFR_RNDN);
    mpfr_add_ui(z, z, 1, MPFR_RNDN);
    mpfr_mul(z, z, x, MPFR_RNDN);
    mpfr_mul(z, z, k, MPFR_RNDN);
    mp_sig(s1, z);
    mpfr_neg(z, z, MPFR_RNDN);
    mp_sig(s2, z);
    mpfr_mul(dz, dz, x, MPFR_RNDN);
    mpfr_mul(dz, dz, s1, MPFR_RNDN);
    mpfr_mul(dz, dz, s2, MPFR_RNDN);
    mpfr_add(y, s1, dz, MPFR_RNDN);
    mpfr_clears(k, c, z, dz, s1, s2, (mpfr_ptr)0);
    return 0;
}

/* tanh(sp) + x sech^2(sp) sigma(x), sp = log1p(e^x) */
static int ref_dmish(mpfr_t y, const mpfr_t x, void *ctx)
{
    (void)ctx;
    mpfr_t sp, t, s;
    mpfr_inits2(NNM_ORACLE_PREC, sp, t, s, (mpfr_ptr)0);
    mpfr_exp(sp, x, MPFR_RNDN);
    mpfr_log1p(sp, sp, MPFR_RNDN);
    mpfr_tanh(t, sp, MPFR_RNDN);
    mpfr_sech(sp, sp, MPFR_RNDN);
    mpfr_sqr(sp, sp, MPFR_RNDN);
    mp_sig(s, x);
    mpfr_mul(sp, sp, s, MPFR_RNDN);
    mpfr_mul(sp, sp, x, MPFR_RNDN);
    mpfr_add(y, t, sp, MPFR_RNDN);
    mpfr_clears(sp, t, s, (mpfr_ptr)0);
    return 0;
}

static int ref_vjp(mpfr_t y, const mpfr_t x, void *ctx)
{
    const dcase *c = ctx;
    c->d1(y, x, NULL);
    if (c->dy != 0.0) mpfr_mul_d(y, y, c->dy, MPFR_RNDN);
    return 0;
}

/* The kernel under test on n points: f'(x) alone, or f'(x) dy with a dy array of the case's dy. */
#define DAPPLY(T, v)                                                                               \
    const dcase *c = ctx;                                                                          \
    if (c->dy == 0.0) {                                                                            \
        c->v(n, 0.0, x, NULL, y);                                                                  \
        return 0;                                                                                  \
    }                                                                                              \
    T *g = malloc((n ? n : 1) * sizeof *g);                                                        \
    if (g == NULL) return 1;                                                                       \
    for (size_t i = 0; i < n; ++i) g[i] = (T)c->dy;                                                \
    c->v(n, 0.0, x, g, y);                                                                         \
    free(g);                                                                                       \
    return 0;

static int dapply_f32(size_t n, const float *x, float *y, void *ctx) { DAPPLY(float, v32) }
static int dapply_f64(size_t n, const double *x, double *y, void *ctx) { DAPPLY(double, v64) }

static void derivs(nnm__isa isa, const nnm_points *p32)
{
    static const double ref_below[] = {-37.0, -64.0, -250.0}; /* the reference's tail lanes */
    static const double roots[] = {-0.7517915246935645, -0.7524614220710163, -1.1924312145154952};
    struct {
        const char *name;
        nnm_mpfr_fn d1;
        nnm__dact_f32_fn v32;
        double (*ref)(double);
    } fs[] = {
        {"gelu'", ref_dgelu, K_(dgelu_f32, isa), nnm__dm_gelu_d1_d},
        {"gelu_tanh'", ref_dgelu_tanh, K_(dgelu_tanh_f32, isa), nnm__dm_gelu_tanh_d1_d},
        {"mish'", ref_dmish, K_(dmish_f32, isa), nnm__dm_mish_d1_d},
    };
    /* the root windows' edges (root -+ 1/8) and the roots themselves, as floats */
    nnm_points pts = {0};
    for (size_t i = 0; i < p32->n; i += 12) /* every 12th forward point: the run-time bound */
        if (p32->x[i] != 0.0) nnm_points_add(&pts, p32->x[i]);
    for (size_t r = 0; r < 3; ++r) {
        const double at[] = {roots[r], roots[r] - 0.125, roots[r] + 0.125};
        for (size_t a = 0; a < 3; ++a) {
            float f = (float)at[a], g = f;
            for (int k = 0; k < 100; ++k) {
                f = nextafterf(f, INFINITY), g = nextafterf(g, -INFINITY);
                nnm_points_add(&pts, (double)f);
                nnm_points_add(&pts, (double)g);
            }
        }
    }
    static const double dys[] = {0.0, (double)-0.3f, (double)1e30f}; /* float values */
    for (size_t i = 0; i < 3; ++i) {
        for (size_t d = 0; d < 3; ++d) {
            dcase c = {fs[i].d1, fs[i].v32, NULL, dys[d]};
            char name[80];
            snprintf(name, sizeof name, "%s%s f32 [%s]", d ? "vjp " : "", fs[i].name,
                     path_name(isa));
            if (d) snprintf(name + strlen(name), sizeof name - strlen(name), " dy=%g", dys[d]);
            nnm_oracle_report r = nnm_oracle_sweep_f32(name, ref_vjp, dapply_f32, &c, &pts);
            if (!nnm_oracle_print(&r, 1.0)) fail(name);
        }
        /* specials, window lanes and zeros bit for bit against the reference, f' and f' dy */
        static const float sp[] = {0.0f, -0.0f, INFINITY, -INFINITY, NAN, 0x1p-149f, -0x1p-149f,
                                   -0.75f, -0.7517915f, -0.7524614f, -1.1924312f, -1.0f, 65.0f,
                                   -65.0f, -300.0f, -1e30f, 1e30f, FLT_MAX, -FLT_MAX, -40.0f};
        enum { NS = sizeof sp / sizeof sp[0] };
        static const float g[NS] = {1.0f, -2.0f, 3.0f, -4.0f, 5.0f, INFINITY, -INFINITY, 1e30f,
                                    -1e30f, 0.5f, 2.0f, 0.0f, -0.0f, 1e38f, -1e38f, 1.0f, 2.0f,
                                    -1.0f, 3e38f, 3e38f};
        float y[NS], w[NS];
        for (int withg = 0; withg < 2; ++withg) {
            fs[i].v32(NS, 0.0, sp, withg ? g : NULL, y);
            for (size_t j = 0; j < NS; ++j) {
                double v = (double)sp[j], dd = fs[i].ref(v);
                w[j] = (float)(withg ? dd * (double)g[j] : dd);
                int must = isnan(v) || isinf(v) || fabs(v - roots[i]) < 0.125 || v == 0.0 ||
                           fabs(v) < 0x1p-120 || fabs(v) > 64.0 || v < ref_below[i];
                if (must && !same_f32(y[j], w[j])) {
                    char name[120];
                    snprintf(name, sizeof name, "%s f32 [%s] special %a%s: %a, reference %a",
                             fs[i].name, path_name(isa), v, withg ? " (vjp)" : "", (double)y[j],
                             (double)w[j]);
                    fail(name);
                }
            }
        }
        /* tails 0..17 and in place (out == x, out == dy) */
        {
            enum { N = 24 };
            float x[N], gg[N], full[N], fullg[N], b[N];
            uint64_t s = 17;
            for (size_t j = 0; j < N; ++j)
                x[j] = (float)nnm_rand_uniform(&s, -4.0, 4.0), gg[j] = (float)nnm_rand_uniform(&s, -2.0, 2.0);
            x[2] = (float)roots[i], x[9] = -INFINITY, x[14] = NAN;
            fs[i].v32(N, 0.0, x, NULL, full);
            fs[i].v32(N, 0.0, x, gg, fullg);
            char name[80];
            snprintf(name, sizeof name, "%s tails / in place [%s]", fs[i].name, path_name(isa));
            for (size_t n = 0; n <= 17; ++n) {
                nnm_canary_fill(b, sizeof b);
                fs[i].v32(n, 0.0, x, gg, b);
                if ((n && memcmp(b, fullg, n * sizeof(float)) != 0) ||
                    !nnm_canary_intact(b + n, (N - n) * sizeof(float)))
                    fail(name);
            }
            memcpy(b, x, sizeof b);
            fs[i].v32(N, 0.0, b, NULL, b);
            if (memcmp(b, full, sizeof b) != 0) fail(name);
            memcpy(b, x, sizeof b);
            fs[i].v32(N, 0.0, b, gg, b);
            if (memcmp(b, fullg, sizeof b) != 0) fail(name);
            memcpy(b, gg, sizeof b);
            fs[i].v32(N, 0.0, x, b, b);
            if (memcmp(b, fullg, sizeof b) != 0) fail(name);
        }
    }
    nnm_points_free(&pts);
}

/* ---- second derivatives (float data) ----------------------------------------------------------- */

/* phi(x) (2 - x^2) */
static int ref_d2gelu(mpfr_t y, const mpfr_t x, void *ctx)
{
    (void)ctx;
    mpfr_t a, b;
    mpfr_inits2(NNM_ORACLE_PREC, a, b, (mpfr_ptr)0);
    mpfr_sqr(a, x, MPFR_RNDN);
    mpfr_ui_sub(b, 2, a, MPFR_RNDN);
    mpfr_div_si(a, a, -2, MPFR_RNDN);
    mpfr_exp(a, a, MPFR_RNDN);
    mpfr_mul(b, b, a, MPFR_RNDN);
    mpfr_const_pi(a, MPFR_RNDN);
    mpfr_mul_ui(a, a, 2, MPFR_RNDN);
    mpfr_sqrt(a, a, MPFR_RNDN);
    mpfr_div(y, b, a, MPFR_RNDN);
    mpfr_clears(a, b, (mpfr_ptr)0);
    return 0;
}

/* sigma(z) sigma(-z) (2 z' + x z'' - x z'^2 tanh(z/2)), z = k (x + c x^3), z' = k (1 + 3 c x^2),
 * z'' = 6 k c x (the second derivative of x sigma(z), with sigma'' = -sigma' tanh(z/2)) */
static int ref_d2gelu_tanh(mpfr_t y, const mpfr_t x, void *ctx)
{
    (void)ctx;
    mpfr_t k, c, z, dz, d2z, s1, s2;
    mpfr_inits2(NNM_ORACLE_PREC, k, c, z, dz, d2z, s1, s2, (mpfr_ptr)0);
    mpfr_set_str(c, "0.044715", 10, MPFR_RNDN);
    mpfr_const_pi(k, MPFR_RNDN);
    mpfr_ui_div(k, 8, k, MPFR_RNDN);
    mpfr_sqrt(k, k, MPFR_RNDN);
    mpfr_mul(d2z, k, c, MPFR_RNDN);
    mpfr_mul_ui(d2z, d2z, 6, MPFR_RNDN);
    mpfr_mul(d2z, d2z, x, MPFR_RNDN);
    mpfr_sqr(z, x, MPFR_RNDN);
    mpfr_mul(z, z, c, MPFR_RNDN);
    mpfr_mul_ui(dz, z, 3, MPFR_RNDN);
    mpfr_add_ui(dz, dz, 1, MPFR_RNDN);
    mpfr_mul(dz, dz, k, MPFR_RNDN);
    mpfr_add_ui(z, z, 1, MPFR_RNDN);
    mpfr_mul(z, z, x, MPFR_RNDN);
    mpfr_mul(z, z, k, MPFR_RNDN);
    mp_sig(s1, z);
    mpfr_neg(s2, z, MPFR_RNDN);
    mp_sig(s2, s2);
    mpfr_mul(s1, s1, s2, MPFR_RNDN);      /* sigma'(z) */
    mpfr_div_2ui(z, z, 1, MPFR_RNDN);
    mpfr_tanh(z, z, MPFR_RNDN);
    mpfr_mul(z, z, dz, MPFR_RNDN);
    mpfr_mul(z, z, dz, MPFR_RNDN);
    mpfr_mul(z, z, x, MPFR_RNDN);         /* x z'^2 tanh(z/2) */
    mpfr_mul(d2z, d2z, x, MPFR_RNDN);
    mpfr_mul_ui(dz, dz, 2, MPFR_RNDN);
    mpfr_add(dz, dz, d2z, MPFR_RNDN);
    mpfr_sub(dz, dz, z, MPFR_RNDN);
    mpfr_mul(y, s1, dz, MPFR_RNDN);
    mpfr_clears(k, c, z, dz, d2z, s1, s2, (mpfr_ptr)0);
    return 0;
}

/* sech^2(sp) sigma(x) (2 + x (sigma(-x) - 2 tanh(sp) sigma(x))), sp = log1p(e^x) */
static int ref_d2mish(mpfr_t y, const mpfr_t x, void *ctx)
{
    (void)ctx;
    mpfr_t sp, t, s, sn;
    mpfr_inits2(NNM_ORACLE_PREC, sp, t, s, sn, (mpfr_ptr)0);
    mpfr_exp(sp, x, MPFR_RNDN);
    mpfr_log1p(sp, sp, MPFR_RNDN);
    mpfr_tanh(t, sp, MPFR_RNDN);
    mpfr_sech(sp, sp, MPFR_RNDN);
    mpfr_sqr(sp, sp, MPFR_RNDN);
    mp_sig(s, x);
    mpfr_neg(sn, x, MPFR_RNDN);
    mp_sig(sn, sn);
    mpfr_mul(sp, sp, s, MPFR_RNDN);
    mpfr_mul(t, t, s, MPFR_RNDN);
    mpfr_mul_2ui(t, t, 1, MPFR_RNDN);
    mpfr_sub(t, sn, t, MPFR_RNDN);
    mpfr_mul(t, t, x, MPFR_RNDN);
    mpfr_add_ui(t, t, 2, MPFR_RNDN);
    mpfr_mul(y, sp, t, MPFR_RNDN);
    mpfr_clears(sp, t, s, sn, (mpfr_ptr)0);
    return 0;
}

/* f'' of the three against MPFR (<= 1 ULP) over every 24th forward point, 1000 uniform floats in
 * [-16, 16], and the 40 floats on each side of each zero of f'' and of each root-window edge
 * (root -+ W, where the kernels switch to the reference) and of the clamps; specials, window
 * lanes and the tails where the result is a float zero bit for bit against core/deriv_math.h;
 * lengths 0..17 and in place. About 3.7k MPFR points per function and path (~3 s per path). */
static void hessians(nnm__isa isa, const nnm_points *p32)
{
    const double r2 = 1.4142135623730951, rg = NNM__ROOT_GELU_TANH_D2_0_HI;
    const double rm0 = NNM__ROOT_MISH_D2_0_HI, rm1 = NNM__ROOT_MISH_D2_1_HI;
    struct {
        const char *name;
        nnm_mpfr_fn d2;
        nnm__dact_f32_fn v32;
        double (*ref)(double);
        double at[12]; /* zeros, window edges, clamps (0 ends the list) */
        double zero_beyond; /* |x| above which every finite result is a float zero */
    } fs[] = {
        {"gelu''", ref_d2gelu, K_(hgelu_f32, isa), nnm__dm_gelu_d2_d,
         {r2, -r2, 14.5, -14.5, 20.0, -20.0, 13.2, -13.2}, 20.0},
        {"gelu_tanh''", ref_d2gelu_tanh, K_(hgelu_tanh_f32, isa), nnm__dm_gelu_tanh_d2_d,
         {rg, -rg, rg - 0.125, rg + 0.125, -rg - 0.125, -rg + 0.125, 64.0, -64.0, 7.0, -7.0},
         64.0},
        {"mish''", ref_d2mish, K_(hmish_f32, isa), nnm__dm_mish_d2_d,
         {rm0, rm0 - 0.5, rm0 + 0.5, rm1, rm1 - 0.25, rm1 + 0.25, -200.0, 200.0, -100.0, 50.0},
         200.0},
    };
    for (size_t i = 0; i < sizeof fs / sizeof fs[0]; ++i) {
        nnm_points pts = {0};
        for (size_t j = 0; j < p32->n; j += 24) nnm_points_add(&pts, p32->x[j]);
        uint64_t seed = 29;
        for (int j = 0; j < 1000; ++j) /* where f'' is a normal float */
            nnm_points_add(&pts, (double)(float)nnm_rand_uniform(&seed, -16.0, 16.0));
        for (size_t a = 0; a < 12 && fs[i].at[a] != 0.0; ++a) {
            float f = (float)fs[i].at[a], g = f;
            nnm_points_add(&pts, (double)f);
            for (int k = 0; k < 40; ++k) {
                f = nextafterf(f, INFINITY), g = nextafterf(g, -INFINITY);
                nnm_points_add(&pts, (double)f);
                nnm_points_add(&pts, (double)g);
            }
        }
        dcase c = {fs[i].d2, fs[i].v32, NULL, 0.0};
        char name[120];
        snprintf(name, sizeof name, "%s f32 [%s]", fs[i].name, path_name(isa));
        nnm_oracle_report r = nnm_oracle_sweep_f32(name, ref_vjp, dapply_f32, &c, &pts);
        if (!nnm_oracle_print(&r, 1.0)) fail(name);
        nnm_points_free(&pts);

        /* bit for bit: specials, lanes in the windows, far tails */
        static const float sp[] = {0.0f, -0.0f, INFINITY, -INFINITY, NAN, 0x1p-149f, -0x1p-149f,
                                   1.41421354f, -1.41421354f, 1.4184783f, -1.4184783f,
                                   -2.2563779f, 1.4904093f, -2.0f, -2.7f, 1.3f, 1.7f, 1.5f,
                                   65.0f, -65.0f, 64.0f, -64.0f, 21.0f, -21.0f, -201.0f, 201.0f,
                                   -300.0f, 1e30f, -1e30f, FLT_MAX, -FLT_MAX, 0x1p-126f};
        enum { NS = sizeof sp / sizeof sp[0] };
        float y[NS];
        fs[i].v32(NS, 0.0, sp, NULL, y);
        for (size_t j = 0; j < NS; ++j) {
            double v = (double)sp[j];
            float w = (float)fs[i].ref(v);
            int in_window = 0;
            if (i == 1) in_window = fabs(fabs(v) - rg) < NNM__ROOT_GELU_TANH_D2_0_W;
            if (i == 2)
                in_window = fabs(v - rm0) < NNM__ROOT_MISH_D2_0_W ||
                            fabs(v - rm1) < NNM__ROOT_MISH_D2_1_W;
            int must = isnan(v) || isinf(v) || v == 0.0 || fabs(v) < 0x1p-120 || in_window ||
                       fabs(v) > fs[i].zero_beyond;
            if (must && !same_f32(y[j], w)) {
                snprintf(name, sizeof name, "%s f32 [%s] special %a: %a, reference %a",
                         fs[i].name, path_name(isa), v, (double)y[j], (double)w);
                fail(name);
            }
        }
        /* tails 0..17 and in place */
        enum { N = 24 };
        float x[N], full[N], b[N];
        uint64_t s = 23;
        for (size_t j = 0; j < N; ++j) x[j] = (float)nnm_rand_uniform(&s, -4.0, 4.0);
        x[1] = 1.5f, x[4] = -2.3f, x[9] = -INFINITY, x[14] = NAN, x[16] = -300.0f;
        fs[i].v32(N, 0.0, x, NULL, full);
        snprintf(name, sizeof name, "%s tails / in place [%s]", fs[i].name, path_name(isa));
        for (size_t n = 0; n <= 17; ++n) {
            nnm_canary_fill(b, sizeof b);
            fs[i].v32(n, 0.0, x, NULL, b);
            if ((n && memcmp(b, full, n * sizeof(float)) != 0) ||
                !nnm_canary_intact(b + n, (N - n) * sizeof(float)))
                fail(name);
        }
        memcpy(b, x, sizeof b);
        fs[i].v32(N, 0.0, b, NULL, b);
        if (memcmp(b, full, sizeof b) != 0) fail(name);
    }
}

/* gelu'' for double data: <= 2 ULP against MPFR over every 24th forward point, 1500 uniform
 * points in [-40, 40] and the 40 doubles on each side of the zeros +-sqrt2, of the reference
 * lanes' edge +-37.5 and of 0 (~4.6k points per path); the reference lanes (|x| > 37.5, inf, NaN),
 * zeros and subnormals bit for bit against core/deriv_math.h; lengths 0..17 and in place. */
static void hessian_gelu_f64(nnm__isa isa, const nnm_points *p64)
{
    nnm__dact_f64_fn v = K_(hgelu_f64, isa);
    nnm_points pts = {0};
    for (size_t j = 0; j < p64->n; j += 24) nnm_points_add(&pts, p64->x[j]);
    nnm_points_add_uniform(&pts, -40.0, 40.0, 1500, 67);
    static const double at[] = {1.4142135623730951, -1.4142135623730951, 37.5, -37.5, 0.0};
    for (size_t a = 0; a < sizeof at / sizeof at[0]; ++a) nnm_points_add_around(&pts, at[a], 40);
    char name[120];
    snprintf(name, sizeof name, "gelu'' f64 [%s]", path_name(isa));
    dcase c = {ref_d2gelu, NULL, v, 0.0};
    nnm_oracle_report r = nnm_oracle_sweep_f64(name, ref_d2gelu, dapply_f64, &c, &pts);
    if (!nnm_oracle_print(&r, 2.0)) fail(name);
    nnm_points_free(&pts);

    static const double sp[] = {0.0, -0.0, INFINITY, -INFINITY, NAN, -NAN, 0x1p-1074, -0x1p-1074,
                                0x1p-1022, -0x1p-1022, 37.5, -37.5, 0x1.2c00000000001p5,
                                -0x1.2c00000000001p5, 38.0, -38.6, 39.0, -40.0, 1e10, -1e200,
                                DBL_MAX, -DBL_MAX, 1.4142135623730951, -1.4142135623730951};
    enum { NS = sizeof sp / sizeof sp[0] };
    double y[NS];
    v(NS, 0.0, sp, NULL, y);
    for (size_t j = 0; j < NS; ++j) {
        double w = (double)nnm__dm_gelu_d2_ld(sp[j]);
        int must = isnan(sp[j]) || fabs(sp[j]) > 37.5 || fabs(sp[j]) < 0x1p-1000;
        if (must && !same_f64(y[j], w)) {
            snprintf(name, sizeof name, "gelu'' f64 [%s] special %a: %a, reference %a",
                     path_name(isa), sp[j], y[j], w);
            fail(name);
        }
    }
    enum { N = 24 };
    double x[N], full[N], b[N];
    uint64_t s = 31;
    for (size_t j = 0; j < N; ++j) x[j] = nnm_rand_uniform(&s, -6.0, 6.0);
    x[3] = 40.0, x[9] = -INFINITY, x[14] = NAN, x[15] = 1.4142135623730951;
    v(N, 0.0, x, NULL, full);
    snprintf(name, sizeof name, "gelu'' f64 tails / in place [%s]", path_name(isa));
    for (size_t n = 0; n <= 17; ++n) {
        nnm_canary_fill(b, sizeof b);
        v(n, 0.0, x, NULL, b);
        if ((n && memcmp(b, full, n * sizeof(double)) != 0) ||
            !nnm_canary_intact(b + n, (N - n) * sizeof(double)))
            fail(name);
    }
    memcpy(b, x, sizeof b);
    v(N, 0.0, b, NULL, b);
    if (memcmp(b, full, sizeof b) != 0) fail(name);
}

/* ---- f' / f' dy and f'' for double data ----------------------------------------------------- */

/* The lanes kernels_act3.inc hands to the reference, written out from its documented thresholds
 * (not from the kernels' masks): infinities and NaN, the band / root windows, the far tails. */
static int fix_dgelu(double v)
{
    return !(v >= -36.5 && v <= DBL_MAX) || (v > -1.125 && v < -0.5);
}
static int fix_dgelu_tanh(double v)
{
    return !(v >= -20.5 && v <= 64.0) ||
           fabs(v - NNM__ROOT_GELU_TANH_D1_0_HI) < NNM__ROOT_GELU_TANH_D1_0_W;
}
static int fix_dmish(double v)
{
    return !(v >= -670.0 && v <= DBL_MAX) || fabs(v - NNM__ROOT_MISH_D1_0_HI) < NNM__ROOT_MISH_D1_0_W;
}
static int fix_hgelu_tanh(double v)
{
    return !(fabs(v) <= 20.5) ||
           fabs(fabs(v) - NNM__ROOT_GELU_TANH_D2_0_HI) < NNM__ROOT_GELU_TANH_D2_0_W;
}
static int fix_hmish(double v)
{
    return !(v >= -670.0 && v <= 335.0) ||
           fabs(v - NNM__ROOT_MISH_D2_0_HI) < NNM__ROOT_MISH_D2_0_W ||
           fabs(v - NNM__ROOT_MISH_D2_1_HI) < NNM__ROOT_MISH_D2_1_W;
}

/* f' (and f' dy at dy = -0.3 and 1e300) of gelu, gelu_tanh, mish and f'' of gelu_tanh, mish:
 * <= 2 ULP against MPFR over every 64th forward point (~1k), 500 uniform points on [-6, 6] and
 * the 40 doubles on each side of every threshold of the kernels (band and window edges, tails,
 * clamps; the roots themselves); the VJPs over every other point. The reference lanes, specials
 * and subnormals bit for bit against core/deriv_math.h (times dy in its extended type, rounded
 * once); lengths 0..17 and in place (out == x, out == dy). About 2.1k MPFR points per f' or f''
 * and path, 1.1k per VJP (~4 s per path). */
static void derivs_f64(nnm__isa isa, const nnm_points *p64)
{
    const double rg1 = NNM__ROOT_GELU_D1_0_HI, rt1 = NNM__ROOT_GELU_TANH_D1_0_HI;
    const double rm1 = NNM__ROOT_MISH_D1_0_HI, rt2 = NNM__ROOT_GELU_TANH_D2_0_HI;
    const double rm20 = NNM__ROOT_MISH_D2_0_HI, rm21 = NNM__ROOT_MISH_D2_1_HI;
    struct {
        const char *name;
        nnm_mpfr_fn d;
        nnm__dact_f64_fn v64;
        nnm__dmx (*ref)(nnm__dmx);
        int (*fix)(double);
        int vjp;
        double at[14]; /* thresholds (0 ends the list) */
    } fs[] = {
        {"gelu'", ref_dgelu, K_(dgelu_f64, isa), nnm__dm_gelu_d1_ld, fix_dgelu, 1,
         {rg1, rg1 - 0.125, rg1 + 0.125, -1.125, -0.5, -36.5, 36.5, -2.1213203435596426,
          -4.2426406871192851, 0.70710678118654752, -0.70710678118654752, 8.3}},
        {"gelu_tanh'", ref_dgelu_tanh, K_(dgelu_tanh_f64, isa), nnm__dm_gelu_tanh_d1_ld,
         fix_dgelu_tanh, 1, {rt1, rt1 - 0.125, rt1 + 0.125, -20.5, 64.0, -64.0, 20.5, -1.5}},
        {"mish'", ref_dmish, K_(dmish_f64, isa), nnm__dm_mish_d1_ld, fix_dmish, 1,
         {rm1, rm1 - 0.125, rm1 + 0.125, -670.0, 40.0, -40.0, -2.0}},
        {"gelu_tanh''", ref_d2gelu_tanh, K_(hgelu_tanh_f64, isa), nnm__dm_gelu_tanh_d2_ld,
         fix_hgelu_tanh, 0,
         {rt2, -rt2, rt2 - 0.125, rt2 + 0.125, -rt2 - 0.125, -rt2 + 0.125, 20.5, -20.5, 3.0}},
        {"mish''", ref_d2mish, K_(hmish_f64, isa), nnm__dm_mish_d2_ld, fix_hmish, 0,
         {rm20, rm20 - 0.5, rm20 + 0.5, rm21, rm21 - 0.25, rm21 + 0.25, -670.0, 335.0, -0.13,
          30.0}},
    };
    char name[160];
    for (size_t i = 0; i < sizeof fs / sizeof fs[0]; ++i) {
        nnm_points pts = {0};
        for (size_t j = 0; j < p64->n; j += 64)
            if (p64->x[j] != 0.0) nnm_points_add(&pts, p64->x[j]);
        nnm_points_add_uniform(&pts, -6.0, 6.0, 500, 71 + i);
        for (size_t a = 0; a < 14 && fs[i].at[a] != 0.0; ++a)
            nnm_points_add_around(&pts, fs[i].at[a], 40);
        const double dys[] = {0.0, -0.3, 1e300};
        for (int k = 0; k < (fs[i].vjp ? 3 : 1); ++k) {
            nnm_points sub = {0};
            for (size_t j = 0; j < pts.n; j += (k ? 2 : 1)) nnm_points_add(&sub, pts.x[j]);
            dcase c = {fs[i].d, NULL, fs[i].v64, dys[k]};
            if (k)
                snprintf(name, sizeof name, "vjp %s f64 [%s] dy=%g", fs[i].name, path_name(isa),
                         dys[k]);
            else
                snprintf(name, sizeof name, "%s f64 [%s]", fs[i].name, path_name(isa));
            nnm_oracle_report r = nnm_oracle_sweep_f64(name, ref_vjp, dapply_f64, &c, &sub);
            if (!nnm_oracle_print(&r, 2.0)) fail(name);
            nnm_points_free(&sub);
        }
        nnm_points_free(&pts);

        /* bit for bit: specials, reference lanes on both sides of each threshold */
        double sp[160];
        size_t ns = 0;
        static const double fixed[] = {0.0, -0.0, INFINITY, -INFINITY, NAN, -NAN, 0x1p-1074,
                                       -0x1p-1074, 0x1p-1022, -0x1p-1022, -0x1.8p-1070, DBL_MAX,
                                       -DBL_MAX, 1e300, -1e300, 1e10, -1e10, -700.0, -1e5, 400.0};
        for (size_t a = 0; a < sizeof fixed / sizeof fixed[0]; ++a) sp[ns++] = fixed[a];
        for (size_t a = 0; a < 14 && fs[i].at[a] != 0.0; ++a) {
            double u = fs[i].at[a], w = u;
            sp[ns++] = u;
            for (int s = 0; s < 3; ++s) {
                u = nextafter(u, INFINITY), w = nextafter(w, -INFINITY);
                sp[ns++] = u, sp[ns++] = w;
            }
        }
        double y[160], g[160], yg[160];
        for (size_t j = 0; j < ns; ++j) g[j] = j % 3 == 0 ? -0.3 : (j % 3 == 1 ? 1e300 : -0.0);
        fs[i].v64(ns, 0.0, sp, NULL, y);
        fs[i].v64(ns, 0.0, sp, g, yg);
        for (size_t j = 0; j < ns; ++j) {
            double v = sp[j];
            int must = isnan(v) || fs[i].fix(v) || fabs(v) < 0x1p-1000;
            double w = (double)fs[i].ref(v), wg = (double)(fs[i].ref(v) * (nnm__dmx)g[j]);
            if (must && (!same_f64(y[j], w) || (fs[i].vjp && !same_f64(yg[j], wg)))) {
                snprintf(name, sizeof name, "%s f64 [%s] special %a (dy %g): %a / %a, reference %a / %a",
                         fs[i].name, path_name(isa), v, g[j], y[j], yg[j], w, wg);
                fail(name);
            }
        }
        /* tails 0..17 and in place (out == x; out == dy for the VJP) */
        enum { N = 24 };
        double x[N], gg[N], full[N], fullg[N], b[N];
        uint64_t s = 37 + i;
        for (size_t j = 0; j < N; ++j)
            x[j] = nnm_rand_uniform(&s, -4.0, 4.0), gg[j] = nnm_rand_uniform(&s, -2.0, 2.0);
        x[2] = fs[i].at[0], x[5] = -800.0, x[9] = -INFINITY, x[14] = NAN, x[16] = fs[i].at[1];
        fs[i].v64(N, 0.0, x, NULL, full);
        fs[i].v64(N, 0.0, x, gg, fullg);
        snprintf(name, sizeof name, "%s f64 tails / in place [%s]", fs[i].name, path_name(isa));
        for (size_t n = 0; n <= 17; ++n) {
            nnm_canary_fill(b, sizeof b);
            fs[i].v64(n, 0.0, x, n % 2 ? gg : NULL, b);
            if ((n && memcmp(b, n % 2 ? fullg : full, n * sizeof(double)) != 0) ||
                !nnm_canary_intact(b + n, (N - n) * sizeof(double)))
                fail(name);
        }
        memcpy(b, x, sizeof b);
        fs[i].v64(N, 0.0, b, NULL, b);
        if (memcmp(b, full, sizeof b) != 0) fail(name);
        memcpy(b, x, sizeof b);
        fs[i].v64(N, 0.0, b, gg, b);
        if (memcmp(b, fullg, sizeof b) != 0) fail(name);
        memcpy(b, gg, sizeof b);
        fs[i].v64(N, 0.0, x, b, b);
        if (memcmp(b, fullg, sizeof b) != 0) fail(name);
    }
}

static void run_path(nnm__isa isa, const nnm_points *p64, const nnm_points *p32)
{
    static const double ref_below[] = {-37.5, -21.0, -700.0};
    fn_case cases[] = {
        {"gelu", ref_gelu, K_(gelu_f32, isa), K_(gelu_f64, isa), nnm__act_gelu_kernel_f32,
         nnm__act_gelu_kernel_f64},
        {"gelu_tanh", ref_gelu_tanh, K_(gelu_tanh_f32, isa), K_(gelu_tanh_f64, isa),
         nnm__act_gelu_tanh_kernel_f32, nnm__act_gelu_tanh_kernel_f64},
        {"mish", ref_mish, K_(mish_f32, isa), K_(mish_f64, isa), nnm__act_mish_kernel_f32,
         nnm__act_mish_kernel_f64},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        const fn_case *c = &cases[i];
        char name[80];
        nnm_oracle_report r;
        if (c->v64) {
            snprintf(name, sizeof name, "%s_f64 [%s]", c->name, path_name(isa));
            r = nnm_oracle_sweep_f64(name, c->ref, apply_f64, (void *)c, p64);
            if (!nnm_oracle_print(&r, 2.0)) fail(name);
        }
        if (c->v32) {
            snprintf(name, sizeof name, "%s_f32 [%s]", c->name, path_name(isa));
            r = nnm_oracle_sweep_f32(name, c->ref, apply_f32, (void *)c, p32);
            if (!nnm_oracle_print(&r, 1.0)) fail(name);
        }
        specials(c, isa, ref_below[i]);
        tails(c, isa);
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
        if (i != PATH_EMU8 && (!nnm__cpu_isa_available(isa) || K_(mish_f32, isa) == NULL)) {
            printf("[%s] not available on this machine or not compiled: skipped\n", path_name(isa));
            continue;
        }
        run_path(isa, &p64, &p32);
        derivs(isa, &p32);
        hessians(isa, &p32);
        hessian_gelu_f64(isa, &p64);
        derivs_f64(isa, &p64);
        ++ran;
    }
    nnm_points_free(&p64);
    nnm_points_free(&p32);
    printf("%d ISA path(s) checked, %d failure(s)\n", ran, failures);
    return failures ? 1 : 0;
}
