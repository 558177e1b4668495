/*
 * White-box MPFR sweep of the kernels of src/core/simd/kernels_deriv.inc on every ISA this machine
 * runs and on the 8-lane emulation (tests/simd/emu), called through the dispatch tables
 * independently of NNMATH_ISA, against the bounds of the public functions they serve
 * (gradient.h, hessian.h: f32 <= 1 ULP, f64 <= 2 ULP where the exact result is normal):
 *   f'(x) and f'(x) dy (dy = -0.3; f64 also 1e300, where f' alone underflows) of identity, step,
 *   elu (alpha 1, 0.3, 0, 1e300), selu, softplus, log-sigmoid, silu;
 *   g(y) dy from the output y over the validated range of y of sigmoid, tanh, elu, selu,
 *   softplus, log-sigmoid;
 *   f''(x) of sigmoid, tanh, silu, elu, selu, softplus, log-sigmoid.
 * The points: every binade of both signs (subnormals included), dense uniform bands, and
 * neighbourhoods of every threshold the kernels introduce (the reference lanes below -670,
 * beyond |x| = 670 and 335, e^x subnormal below -708, the window edges r +- W of the zero of
 * silu' and of the zeros of silu'', the branch at |x| = 1 of sigma'', the clamps at +-45 of the
 * from-y expm1, the bottom -alpha of
 * elu's range and -lambda alpha of selu's) and the zeros themselves.
 * Then bit for bit against the core scalar functions (deriv_math.h, the module's reference):
 * +-0, +-inf, NaN, +-DBL_MAX and values in the reference windows, with dy in {-2.5, +-0, inf,
 * NaN}; f'' of identity / step / relu / leaky relu everywhere; every length n = 0..17 against
 * the full call with canaries past the end, and in place (out == x, out == dy).
 * Run time: ~20k (f64) / ~12k (f32) points per function and configuration, each against a 256-bit
 * MPFR value: ~150 sweeps per path, about 15 s per path in a Release build. Prints the measured
 * maxima; exits non-zero when a bound or an identity fails.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mpfr.h>

#include "core/cpu.h"
#include "core/deriv_math.h"
#include "core/simd/dispatch.h"
#include "core/simd/kernels.h"
#include "nnm_test.h"
#include "oracle.h"

#include "simd_harness.h"

#define SELU_LAMBDA "1.0507009873554804934193349852946"
#define SELU_LAMBDA_ALPHA "1.7580993408473768599402175208123"

/* ---- MPFR references ----------------------------------------------------------------------- */

enum fn_id {
    F_IDENTITY, F_STEP, F_ELU, F_SELU, F_SOFTPLUS, F_LOGSIG, F_SILU,          /* f'(x) */
    Y_SIGMOID, Y_TANH, Y_ELU, Y_SELU, Y_SOFTPLUS, Y_LOGSIG,                   /* g(y) */
    H_SIGMOID, H_TANH, H_SILU, H_ELU, H_SELU, H_SOFTPLUS, H_LOGSIG            /* f''(x) */
};

typedef struct ctx {
    enum fn_id id;
    nnm__dact_f32_fn f32;
    nnm__dact_f64_fn f64;
    double alpha, dy; /* dy == 0: no dy (the derivative itself) */
} ctx;

/* sigma(x) = 1 / (1 + e^-x) */
static void m_sig(mpfr_t r, const mpfr_t x)
{
    mpfr_t t;
    mpfr_init2(t, NNM_ORACLE_PREC);
    mpfr_neg(t, x, MPFR_RNDN);
    mpfr_exp(t, t, MPFR_RNDN);
    mpfr_add_ui(t, t, 1, MPFR_RNDN);
    mpfr_ui_div(r, 1, t, MPFR_RNDN);
    mpfr_clear(t);
}

/* sigma'(x) = e / (1 + e)^2 with e = e^-|x| */
static void m_dsig(mpfr_t r, const mpfr_t x)
{
    mpfr_t e, d;
    mpfr_inits2(NNM_ORACLE_PREC, e, d, (mpfr_ptr)0);
    mpfr_abs(e, x, MPFR_RNDN);
    mpfr_neg(e, e, MPFR_RNDN);
    mpfr_exp(e, e, MPFR_RNDN);
    mpfr_add_ui(d, e, 1, MPFR_RNDN);
    mpfr_sqr(d, d, MPFR_RNDN);
    mpfr_div(r, e, d, MPFR_RNDN);
    mpfr_clears(e, d, (mpfr_ptr)0);
}

static void m_const(mpfr_t r, const char *dec) { mpfr_set_str(r, dec, 10, MPFR_RNDN); }
/* lambda alpha as the library defines it (core/act_math.h: the product rounded once to 32
 * digits; selu' from y near -lambda alpha is sensitive to the constant's last digits) */
static void m_lambda_alpha(mpfr_t r) { m_const(r, SELU_LAMBDA_ALPHA); }

static double kink(double alpha) { return alpha <= 0.0 ? 0.0 : (alpha < 1.0 ? alpha : 1.0); }

static int ref(mpfr_t r, const mpfr_t x, void *vc)
{
    const ctx *c = vc;
    mpfr_t t, u;
    mpfr_inits2(NNM_ORACLE_PREC, t, u, (mpfr_ptr)0);
    int sg = mpfr_sgn(x);
    switch (c->id) {
    case F_IDENTITY: mpfr_set_ui(r, 1, MPFR_RNDN); break;
    case F_STEP: mpfr_set_ui(r, 0, MPFR_RNDN); break;
    case F_ELU: case H_ELU:
        if (sg > 0) mpfr_set_ui(r, c->id == F_ELU ? 1 : 0, MPFR_RNDN);
        else if (sg == 0) mpfr_set_d(r, c->id == F_ELU ? kink(c->alpha) : 0.0, MPFR_RNDN);
        else {
            mpfr_exp(r, x, MPFR_RNDN);
            mpfr_mul_d(r, r, c->alpha, MPFR_RNDN);
        }
        break;
    case F_SELU: case H_SELU:
        if (sg >= 0) {
            if (c->id == F_SELU) m_const(r, SELU_LAMBDA);
            else mpfr_set_ui(r, 0, MPFR_RNDN);
        } else {
            m_lambda_alpha(t);
            mpfr_exp(r, x, MPFR_RNDN);
            mpfr_mul(r, r, t, MPFR_RNDN);
        }
        break;
    case F_SOFTPLUS: m_sig(r, x); break;
    case F_LOGSIG: mpfr_neg(t, x, MPFR_RNDN); m_sig(r, t); break;
    case F_SILU: /* sigma(x) (1 + x sigma(-x)) */
        mpfr_neg(t, x, MPFR_RNDN);
        m_sig(u, t);
        mpfr_mul(u, u, x, MPFR_RNDN);
        mpfr_add_ui(u, u, 1, MPFR_RNDN);
        m_sig(t, x);
        mpfr_mul(r, t, u, MPFR_RNDN);
        break;
    case Y_SIGMOID: /* y (1 - y) */
        mpfr_ui_sub(t, 1, x, MPFR_RNDN);
        mpfr_mul(r, t, x, MPFR_RNDN);
        break;
    case Y_TANH: /* 1 - y^2 */
        mpfr_sqr(t, x, MPFR_RNDN);
        mpfr_ui_sub(r, 1, t, MPFR_RNDN);
        break;
    case Y_ELU: case Y_SELU:
        if (sg > 0 || (sg == 0 && c->id == Y_SELU)) {
            if (c->id == Y_ELU) mpfr_set_ui(r, 1, MPFR_RNDN);
            else m_const(r, SELU_LAMBDA);
        } else if (sg == 0) {
            mpfr_set_d(r, kink(c->alpha), MPFR_RNDN);
        } else {
            if (c->id == Y_ELU) mpfr_set_d(t, c->alpha, MPFR_RNDN);
            else m_lambda_alpha(t);
            mpfr_add(r, x, t, MPFR_RNDN);
            if (mpfr_sgn(r) < 0) mpfr_set_ui(r, 0, MPFR_RNDN);
        }
        break;
    case Y_SOFTPLUS: /* 1 - e^-y */
        mpfr_neg(t, x, MPFR_RNDN);
        mpfr_expm1(t, t, MPFR_RNDN);
        mpfr_neg(r, t, MPFR_RNDN);
        break;
    case Y_LOGSIG: /* 1 - e^y */
        mpfr_expm1(t, x, MPFR_RNDN);
        mpfr_neg(r, t, MPFR_RNDN);
        break;
    case H_SIGMOID: /* -sigma'(x) tanh(x/2) */
        m_dsig(t, x);
        mpfr_div_2ui(u, x, 1, MPFR_RNDN);
        mpfr_tanh(u, u, MPFR_RNDN);
        mpfr_mul(r, t, u, MPFR_RNDN);
        mpfr_neg(r, r, MPFR_RNDN);
        break;
    case H_TANH: /* -2 tanh(x) / cosh^2(x) */
        mpfr_cosh(t, x, MPFR_RNDN);
        mpfr_sqr(t, t, MPFR_RNDN);
        mpfr_tanh(u, x, MPFR_RNDN);
        mpfr_div(r, u, t, MPFR_RNDN);
        mpfr_mul_si(r, r, -2, MPFR_RNDN);
        break;
    case H_SILU: /* sigma'(x) (2 - x tanh(x/2)) */
        m_dsig(t, x);
        mpfr_div_2ui(u, x, 1, MPFR_RNDN);
        mpfr_tanh(u, u, MPFR_RNDN);
        mpfr_mul(u, u, x, MPFR_RNDN);
        mpfr_ui_sub(u, 2, u, MPFR_RNDN);
        mpfr_mul(r, t, u, MPFR_RNDN);
        break;
    case H_SOFTPLUS: m_dsig(r, x); break;
    case H_LOGSIG: m_dsig(r, x); mpfr_neg(r, r, MPFR_RNDN); break;
    }
    if (c->dy != 0.0) mpfr_mul_d(r, r, c->dy, MPFR_RNDN);
    mpfr_clears(t, u, (mpfr_ptr)0);
    return 0;
}

static int apply_f64(size_t n, const double *x, double *y, void *vc)
{
    const ctx *c = vc;
    static double g[1 << 16];
    if (n > sizeof g / sizeof g[0]) return 1;
    for (size_t i = 0; i < n; ++i) g[i] = c->dy;
    c->f64(n, c->alpha, x, c->dy != 0.0 ? g : NULL, y);
    return 0;
}

static int apply_f32(size_t n, const float *x, float *y, void *vc)
{
    const ctx *c = vc;
    static float g[1 << 16];
    if (n > sizeof g / sizeof g[0]) return 1;
    for (size_t i = 0; i < n; ++i) g[i] = (float)c->dy;
    c->f32(n, c->alpha, x, c->dy != 0.0 ? g : NULL, y);
    return 0;
}

/* ---- points ---------------------------------------------------------------------------------- */

#define ROOT1 NNM__ROOT_SILU_D1_0_HI
#define W1 NNM__ROOT_SILU_D1_0_W
#define ROOT2 NNM__ROOT_SILU_D2_0_HI
#define W2 NNM__ROOT_SILU_D2_0_W

static void points_f64(nnm_points *p)
{
    nnm_points_add_binades(p, -1074, 1023, 5, 51);
    nnm_points_add_uniform(p, -10.0, 10.0, 3000, 52);
    nnm_points_add_uniform(p, -60.0, 60.0, 1500, 53);
    nnm_points_add_uniform(p, -760.0, 760.0, 1500, 54);
    const double around[] = {0.0, 1.0, -1.0, -708.0, -670.0, 670.0, 335.0, -335.0, ROOT1,
                             ROOT1 - W1, ROOT1 + W1, ROOT2, -ROOT2, ROOT2 - W2, ROOT2 + W2,
                             -ROOT2 + W2, -ROOT2 - W2, 0.34657359027997264, -745.0, 45.0};
    for (size_t i = 0; i < sizeof around / sizeof around[0]; ++i)
        nnm_points_add_around(p, around[i], 30);
}

static void points_f32(nnm_points *p32)
{
    nnm_points p = {0};
    nnm_points_add_binades(&p, -149, 127, 24, 55);
    nnm_points_add_uniform(&p, -10.0, 10.0, 3000, 56);
    nnm_points_add_uniform(&p, -110.0, 110.0, 2000, 57);
    const double around[] = {0.0, 1.0, -1.0, ROOT1, ROOT1 - W1, ROOT1 + W1, ROOT2, -ROOT2,
                             ROOT2 - W2, ROOT2 + W2, -ROOT2 + W2, -ROOT2 - W2, -87.3, -103.9, 45.0};
    for (size_t i = 0; i < sizeof around / sizeof around[0]; ++i)
        nnm_points_add_around(&p, around[i], 30);
    nnm_points_to_f32(&p, p32);
    nnm_points_free(&p);
}

/* the points of src in [lo, hi], plus neighbourhoods of the given edges */
static void points_range(const nnm_points *src, double lo, double hi, const double *edges,
                         size_t ne, int f32, nnm_points *out)
{
    nnm_points p = {0};
    for (size_t i = 0; i < src->n; ++i)
        if (src->x[i] >= lo && src->x[i] <= hi) nnm_points_add(&p, src->x[i]);
    for (size_t i = 0; i < ne; ++i) nnm_points_add_around(&p, edges[i], 40);
    nnm_points q = {0};
    for (size_t i = 0; i < p.n; ++i)
        if (p.x[i] >= lo && p.x[i] <= hi) nnm_points_add(&q, p.x[i]);
    nnm_points_free(&p);
    if (f32) {
        nnm_points_to_f32(&q, out);
        nnm_points_free(&q);
    } else {
        *out = q;
    }
}

/* ---- sweeps ---------------------------------------------------------------------------------- */

static void sweep(nnm__isa isa, const char *fn, ctx *c, const nnm_points *p64,
                  const nnm_points *p32)
{
    char name[120];
    nnm_oracle_report r;
    snprintf(name, sizeof name, "%s dy=%g f64 [%s]", fn, c->dy, path_name(isa));
    r = nnm_oracle_sweep_f64(name, ref, apply_f64, c, p64);
    if (!nnm_oracle_print(&r, 2.0)) ++failures;
    if (fabs(c->dy) > 1e30) return; /* beyond float */
    ctx cf = *c;
    cf.dy = (double)(float)c->dy; /* the f32 kernels see dy rounded to float */
    c = &cf;
    snprintf(name, sizeof name, "%s dy=%g f32 [%s]", fn, c->dy, path_name(isa));
    r = nnm_oracle_sweep_f32(name, ref, apply_f32, c, p32);
    if (!nnm_oracle_print(&r, 1.0)) ++failures;
}

typedef struct kernel {
    const char *name;
    enum fn_id id;
    nnm__dact_f32_fn f32;
    nnm__dact_f64_fn f64;
} kernel;

#define KERNEL(label, id, base, isa) {label, id, K_(base##_f32, isa), K_(base##_f64, isa)}

static size_t kernels_of(nnm__isa isa, kernel *k)
{
    size_t m = 0;
    k[m++] = (kernel)KERNEL("identity'", F_IDENTITY, dv_didentity, isa);
    k[m++] = (kernel)KERNEL("step'", F_STEP, dv_dstep, isa);
    k[m++] = (kernel)KERNEL("elu'", F_ELU, dv_delu, isa);
    k[m++] = (kernel)KERNEL("selu'", F_SELU, dv_dselu, isa);
    k[m++] = (kernel)KERNEL("softplus'", F_SOFTPLUS, dv_dsoftplus, isa);
    k[m++] = (kernel)KERNEL("log_sigmoid'", F_LOGSIG, dv_dlogsig, isa);
    k[m++] = (kernel)KERNEL("silu'", F_SILU, dv_dsilu, isa);
    k[m++] = (kernel)KERNEL("sigmoid'(y)", Y_SIGMOID, dv_ysigmoid, isa);
    k[m++] = (kernel)KERNEL("tanh'(y)", Y_TANH, dv_ytanh, isa);
    k[m++] = (kernel)KERNEL("elu'(y)", Y_ELU, dv_yelu, isa);
    k[m++] = (kernel)KERNEL("selu'(y)", Y_SELU, dv_yselu, isa);
    k[m++] = (kernel)KERNEL("softplus'(y)", Y_SOFTPLUS, dv_ysoftplus, isa);
    k[m++] = (kernel)KERNEL("log_sigmoid'(y)", Y_LOGSIG, dv_ylogsig, isa);
    k[m++] = (kernel)KERNEL("sigmoid''", H_SIGMOID, dv_hsigmoid, isa);
    k[m++] = (kernel)KERNEL("tanh''", H_TANH, dv_htanh, isa);
    k[m++] = (kernel)KERNEL("silu''", H_SILU, dv_hsilu, isa);
    k[m++] = (kernel)KERNEL("elu''", H_ELU, dv_helu, isa);
    k[m++] = (kernel)KERNEL("selu''", H_SELU, dv_hselu, isa);
    k[m++] = (kernel)KERNEL("softplus''", H_SOFTPLUS, dv_hsoftplus, isa);
    k[m++] = (kernel)KERNEL("log_sigmoid''", H_LOGSIG, dv_hlogsig, isa);
    return m;
}

static int takes_alpha(enum fn_id id) { return id == F_ELU || id == Y_ELU || id == H_ELU; }
static int is_hess(enum fn_id id) { return id >= H_SIGMOID; }
static int is_from_y(enum fn_id id) { return id >= Y_SIGMOID && id < H_SIGMOID; }

/* the range of y = f(x) and the edges to sample densely */
static void y_range(enum fn_id id, double alpha, double *lo, double *hi, double *edges, size_t *ne)
{
    const double la = 1.0507009873554804934 * 1.6732632423543772848;
    *ne = 0;
    switch (id) {
    case Y_SIGMOID: *lo = 0.0, *hi = 1.0; edges[(*ne)++] = 1.0, edges[(*ne)++] = 0.5; break;
    case Y_TANH: *lo = -1.0, *hi = 1.0; edges[(*ne)++] = 1.0, edges[(*ne)++] = -1.0; break;
    case Y_ELU: *lo = -alpha, *hi = HUGE_VAL; edges[(*ne)++] = -alpha; break;
    case Y_SELU: *lo = -la * (1.0 + DBL_EPSILON), *hi = HUGE_VAL; edges[(*ne)++] = -la; break;
    case Y_SOFTPLUS: *lo = 0.0, *hi = HUGE_VAL; edges[(*ne)++] = 45.0, edges[(*ne)++] = 1.0; break;
    case Y_LOGSIG: *lo = -HUGE_VAL, *hi = 0.0; edges[(*ne)++] = -45.0, edges[(*ne)++] = -1.0; break;
    default: *lo = -HUGE_VAL, *hi = HUGE_VAL; break;
    }
    edges[(*ne)++] = 0.0;
}

static void sweeps(nnm__isa isa, const nnm_points *p64, const nnm_points *p32)
{
    kernel k[32];
    size_t m = kernels_of(isa, k);
    static const double alphas[] = {1.0, 0.3, 0.0, 1e300};
    for (size_t i = 0; i < m; ++i) {
        size_t na = takes_alpha(k[i].id) ? sizeof alphas / sizeof alphas[0] : 1;
        for (size_t a = 0; a < na; ++a) {
            double alpha = takes_alpha(k[i].id) ? alphas[a] : 0.0;
            if (k[i].id == Y_ELU && alpha > 1e10) continue; /* y's range would be all of R */
            char fn[64];
            if (takes_alpha(k[i].id)) snprintf(fn, sizeof fn, "%s alpha=%g", k[i].name, alpha);
            else snprintf(fn, sizeof fn, "%s", k[i].name);
            const nnm_points *q64 = p64, *q32 = p32;
            nnm_points r64 = {0}, r32 = {0};
            if (is_from_y(k[i].id)) {
                double lo, hi, edges[8];
                size_t ne;
                y_range(k[i].id, alpha, &lo, &hi, edges, &ne);
                points_range(p64, lo, hi, edges, ne, 0, &r64);
                /* float y: the range of the float forward (float lo rounds away from 0) */
                points_range(p64, lo, hi, edges, ne, 1, &r32);
                q64 = &r64, q32 = &r32;
            }
            static const double dys[] = {0.0, -0.3, 1e300};
            size_t nd = is_hess(k[i].id) ? 1 : 3;
            for (size_t d = 0; d < nd; ++d) {
                ctx c = {k[i].id, k[i].f32, k[i].f64, alpha, dys[d]};
                sweep(isa, fn, &c, q64, q32);
            }
            nnm_points_free(&r64);
            nnm_points_free(&r32);
        }
    }
}

/* ---- bit for bit against the core scalar functions ------------------------------------------ */

static int same_f64(double a, double b)
{
    return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}
static int same_f32(float a, float b)
{
    return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}

static nnm__dmx sref_ld(enum fn_id id, nnm__dmx v, nnm__dmx a)
{
    switch (id) {
    case F_IDENTITY: return nnm__dm_identity_d1_ld(v);
    case F_STEP: return nnm__dm_zero_d_ld(v);
    case F_ELU: return nnm__dm_elu_d1_ld(v, a);
    case F_SELU: return nnm__dm_selu_d1_ld(v);
    case F_SOFTPLUS: return nnm__dm_softplus_d1_ld(v);
    case F_LOGSIG: return nnm__dm_log_sigmoid_d1_ld(v);
    case F_SILU: return nnm__dm_silu_d1_ld(v);
    case Y_SIGMOID: return nnm__dm_sigmoid_d1y_ld(v);
    case Y_TANH: return nnm__dm_tanh_d1y_ld(v);
    case Y_ELU: return nnm__dm_elu_d1y_ld(v, a);
    case Y_SELU: return nnm__dm_selu_d1y_ld(v);
    case Y_SOFTPLUS: return nnm__dm_softplus_d1y_ld(v);
    case Y_LOGSIG: return nnm__dm_log_sigmoid_d1y_ld(v);
    case H_SIGMOID: return nnm__dm_sigmoid_d2_ld(v);
    case H_TANH: return nnm__dm_tanh_d2_ld(v);
    case H_SILU: return nnm__dm_silu_d2_ld(v);
    case H_ELU: return nnm__dm_elu_d2_ld(v, a);
    case H_SELU: return nnm__dm_selu_d2_ld(v);
    case H_SOFTPLUS: return nnm__dm_softplus_d2_ld(v);
    case H_LOGSIG: return nnm__dm_log_sigmoid_d2_ld(v);
    }
    return v;
}
static double sref_d(enum fn_id id, double v, double a)
{
    switch (id) {
    case F_IDENTITY: return nnm__dm_identity_d1_d(v);
    case F_STEP: return nnm__dm_zero_d_d(v);
    case F_ELU: return nnm__dm_elu_d1_d(v, a);
    case F_SELU: return nnm__dm_selu_d1_d(v);
    case F_SOFTPLUS: return nnm__dm_softplus_d1_d(v);
    case F_LOGSIG: return nnm__dm_log_sigmoid_d1_d(v);
    case F_SILU: return nnm__dm_silu_d1_d(v);
    case Y_SIGMOID: return nnm__dm_sigmoid_d1y_d(v);
    case Y_TANH: return nnm__dm_tanh_d1y_d(v);
    case Y_ELU: return nnm__dm_elu_d1y_d(v, a);
    case Y_SELU: return nnm__dm_selu_d1y_d(v);
    case Y_SOFTPLUS: return nnm__dm_softplus_d1y_d(v);
    case Y_LOGSIG: return nnm__dm_log_sigmoid_d1y_d(v);
    case H_SIGMOID: return nnm__dm_sigmoid_d2_d(v);
    case H_TANH: return nnm__dm_tanh_d2_d(v);
    case H_SILU: return nnm__dm_silu_d2_d(v);
    case H_ELU: return nnm__dm_elu_d2_d(v, a);
    case H_SELU: return nnm__dm_selu_d2_d(v);
    case H_SOFTPLUS: return nnm__dm_softplus_d2_d(v);
    case H_LOGSIG: return nnm__dm_log_sigmoid_d2_d(v);
    }
    return v;
}

/* whether x lies in the validated range of y (from-y kernels) */
static int in_y_range(enum fn_id id, double alpha, double x)
{
    double lo, hi, e[8];
    size_t ne;
    if (!is_from_y(id)) return 1;
    y_range(id, alpha, &lo, &hi, e, &ne);
    return isnan(x) || (x >= lo && x <= hi);
}

static void specials(nnm__isa isa)
{
    static const double xs[] = {0.0, -0.0, INFINITY, -INFINITY, NAN, DBL_MAX, -DBL_MAX, 1.0, -1.0,
                                0.5, -0.5, ROOT1, ROOT1 + 0.1, -ROOT2, ROOT2 + 0.3, -720.0, 720.0,
                                -400.0, 400.0, -1000.0, 1e-310, -1e-310, 0x1p-1074, -0x1p-1074,
                                -1.7580993408473766, 0.3};
    static const double gs[] = {-2.5, 0.0, -0.0, INFINITY, -INFINITY, NAN};
    static const double alphas[] = {1.0, 0.3, 0.0, 1e300};
    enum { NX = sizeof xs / sizeof xs[0] };
    kernel k[32];
    size_t m = kernels_of(isa, k);
    for (size_t i = 0; i < m; ++i) {
        size_t na = takes_alpha(k[i].id) ? sizeof alphas / sizeof alphas[0] : 1;
        for (size_t a = 0; a < na; ++a) {
            double alpha = takes_alpha(k[i].id) ? alphas[a] : 0.0;
            double x[NX], y[NX], g[NX];
            float xf[NX], yf[NX], gf[NX];
            size_t n = 0;
            for (size_t j = 0; j < NX; ++j)
                if (in_y_range(k[i].id, alpha, xs[j])) x[n] = xs[j], xf[n] = (float)xs[j], ++n;
            for (size_t gi = 0; gi <= (is_hess(k[i].id) ? 0 : sizeof gs / sizeof gs[0]); ++gi) {
                int with_g = gi > 0;
                for (size_t j = 0; j < n; ++j)
                    g[j] = with_g ? gs[gi - 1] : 0.0, gf[j] = (float)g[j];
                k[i].f64(n, alpha, x, with_g ? g : NULL, y);
                k[i].f32(n, alpha, xf, with_g ? gf : NULL, yf);
                for (size_t j = 0; j < n; ++j) {
                    /* strict (bit for bit): non-finite or zero inputs, |x| >= 700, the lanes
                     * the kernels hand to the reference (the root windows of silu' and silu''),
                     * the exact kinds, and wherever the reference's value is 0 or not finite.
                     * Else (a vector value, not bit-identical in general) within 2 eps (f64)
                     * resp. 1 eps (f32) of the reference. */
                    double v = x[j];
                    enum fn_id id = k[i].id;
                    int strict = !isfinite(v) || v == 0.0 || fabs(v) >= 700.0 ||
                                 id == F_IDENTITY || id == F_STEP ||
                                 (id == F_SILU && fabs(v - ROOT1) < W1) ||
                                 (id == H_SILU && fabs(fabs(v) - ROOT2) < W2);
                    nnm__dmx r = sref_ld(id, (nnm__dmx)v, (nnm__dmx)alpha);
                    double want = (double)(with_g ? r * (nnm__dmx)g[j] : r);
                    double rd = sref_d(id, (double)xf[j], alpha);
                    float wantf = (float)(with_g ? rd * (double)gf[j] : rd);
                    int ok64 = same_f64(y[j], want), ok32 = same_f32(yf[j], wantf);
                    if (!ok64 && !strict && isfinite(want) && want != 0.0)
                        ok64 = fabs(y[j] - want) <= 2.0 * DBL_EPSILON * fabs(want);
                    if (!ok32 && !strict && isfinite(wantf) && wantf != 0.0f)
                        ok32 = fabs((double)yf[j] - (double)wantf) <=
                               (double)FLT_EPSILON * fabs((double)wantf);
                    if (!ok64 || !ok32) {
                        printf("  %s alpha=%g [%s] x=%a dy=%g: f64 %a want %a, f32 %a want %a\n",
                               k[i].name, alpha, path_name(isa), v, with_g ? g[j] : 0.0, y[j],
                               want, (double)yf[j], (double)wantf);
                        fail("specials");
                    }
                }
            }
        }
    }
    /* f'' of the piecewise linear kinds: bit for bit over every x */
    {
        uint64_t s = 11;
        double x[64], y[64];
        float xf[64], yf[64];
        for (size_t j = 0; j < 64; ++j) {
            x[j] = j < NX ? xs[j] : nnm_rand_uniform(&s, -1e3, 1e3);
            xf[j] = (float)x[j];
        }
        K_(dv_hzero_f64, isa)(64, 0.0, x, NULL, y);
        K_(dv_hzero_f32, isa)(64, 0.0, xf, NULL, yf);
        for (size_t j = 0; j < 64; ++j)
            if (!same_f64(y[j], (double)nnm__dm_zero_d_ld((nnm__dmx)x[j])) ||
                !same_f32(yf[j], (float)nnm__dm_zero_d_d((double)xf[j])))
                fail("f'' of the piecewise linear kinds");
    }
}

/* every length 0..17 against the full call (canaries past the end), and in place */
static void tails(nnm__isa isa)
{
    enum { N = 40 };
    double x[N], g[N], full[N], part[N];
    float xf[N], gf[N], fullf[N], partf[N];
    kernel k[32];
    size_t m = kernels_of(isa, k);
    for (size_t i = 0; i < m; ++i) {
        uint64_t s = 97 + i;
        for (size_t j = 0; j < N; ++j) {
            double v = nnm_rand_uniform(&s, -6.0, 6.0);
            if (k[i].id == Y_SIGMOID) v = fabs(v) / 6.0;
            if (k[i].id == Y_TANH) v /= 6.0;
            if (k[i].id == Y_SOFTPLUS) v = fabs(v);
            if (k[i].id == Y_LOGSIG) v = -fabs(v);
            if (k[i].id == Y_ELU || k[i].id == Y_SELU) v = v < -1.0 ? -1.0 / v : v;
            x[j] = v, g[j] = nnm_rand_uniform(&s, -3.0, 3.0);
        }
        if (!is_from_y(k[i].id)) { /* reference lanes in mixed blocks */
            x[3] = -720.0, x[6] = ROOT1 + 0.01, x[9] = ROOT2 - 0.2, x[12] = NAN, x[13] = 800.0;
        }
        for (size_t j = 0; j < N; ++j) xf[j] = (float)x[j], gf[j] = (float)g[j];
        const double alpha = 0.7;
        for (int wg = 0; wg < 2; ++wg) {
            if (wg && is_hess(k[i].id)) break;
            const double *gp = wg ? g : NULL;
            const float *gpf = wg ? gf : NULL;
            k[i].f64(N, alpha, x, gp, full);
            k[i].f32(N, alpha, xf, gpf, fullf);
            for (size_t n = 0; n <= 17; ++n) {
                nnm_canary_fill(part, sizeof part);
                nnm_canary_fill(partf, sizeof partf);
                k[i].f64(n, alpha, x, gp, part);
                k[i].f32(n, alpha, xf, gpf, partf);
                if (n > 0 && (memcmp(part, full, n * sizeof(double)) != 0 ||
                              memcmp(partf, fullf, n * sizeof(float)) != 0))
                    fail(k[i].name);
                if (!nnm_canary_intact(part + n, (N - n) * sizeof(double)) ||
                    !nnm_canary_intact(partf + n, (N - n) * sizeof(float)))
                    fail(k[i].name);
            }
            /* in place: out == x, and out == dy */
            memcpy(part, x, sizeof x);
            memcpy(partf, xf, sizeof xf);
            k[i].f64(N, alpha, part, gp, part);
            k[i].f32(N, alpha, partf, gpf, partf);
            if (memcmp(part, full, sizeof full) != 0 || memcmp(partf, fullf, sizeof fullf) != 0)
                fail("in place (x)");
            if (wg) {
                memcpy(part, g, sizeof g);
                memcpy(partf, gf, sizeof gf);
                k[i].f64(N, alpha, x, part, part);
                k[i].f32(N, alpha, xf, partf, partf);
                if (memcmp(part, full, sizeof full) != 0 ||
                    memcmp(partf, fullf, sizeof fullf) != 0)
                    fail("in place (dy)");
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
        if (i != PATH_EMU8 && (!nnm__cpu_isa_available(isa) || K_(dv_dsilu_f64, isa) == NULL)) {
            printf("[%s] not available on this machine or not compiled: skipped\n", path_name(isa));
            continue;
        }
        sweeps(isa, &p64, &p32);
        specials(isa);
        tails(isa);
        ++ran;
    }
    nnm_points_free(&p64);
    nnm_points_free(&p32);
    printf("%d ISA path(s) checked, %d failure(s)\n", ran, failures);
    return failures ? 1 : 0;
}
