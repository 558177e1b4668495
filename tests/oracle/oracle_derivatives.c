/*
 * MPFR oracle for the activation derivatives: f' (nnm_grad_act_*), f'' (nnm_hess_act_*), the
 * VJP f'(x) dy (nnm_grad_act_vjp_*) and the VJP from the output (nnm_grad_act_vjp_from_y_*) of
 * every activation kind, f32 and f64. Prints the measured maximum ULP error of each and exits
 * non-zero when a bound fails: f32 <= 1 ULP, f64 <= 2 ULP wherever the exact result is normal.
 *
 * References are written independently of the library's formulas where the textbook form is
 * safe in MPFR: sigma' = sigma(x) sigma(-x) (the notes' sigma(1 - sigma) with the symmetry
 * 1 - sigma(x) = sigma(-x)), sigma'' = sigma'(sigma(-x) - sigma(x)), silu' = sigma + x sigma',
 * gelu_tanh and mish through tanh/sech of MPFR, ... They are evaluated with WORK_PREC bits (plus
 * the bits that cancel in sigma'' for tiny |x|): next to a zero crossing the double inputs lose
 * at most ~60 bits to cancellation, which leaves > 120 correct bits.
 *
 * Point sets (f' and f''; the VJP and from-y sweeps use half as many): every binade of the
 * format (2 random points per binade and sign for f64, 6 for f32), 3000 / 2000 / 1000 uniform
 * samples on [-4, 4], [-40, 40] and [-800, 800], the 200 neighbours on each side of every zero
 * crossing and of both window edges of its expansion, 2000 uniform samples over each window, and
 * the 40 neighbours of 0, +-1 and +-64 (the gelu_tanh cut-off). That is ~15k points per function
 * in f64 (~20k next to a zero) and ~9k in f32; the 122 sweeps evaluate ~1.2M MPFR references in
 * ~8 s of CPU in a Release build on this 2-core machine (MPFR's erfc dominates).
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mpfr.h>
#include <nnmath/nnmath.h>

#include "core/deriv_roots.h"
#include "nnm_test.h"
#include "oracle.h"

#define WORK_PREC 192

enum order { D1 = 1, D2 = 2, VJP = 3, FROM_Y = 4 };

typedef struct ref_ctx {
    nnm_act act;
    enum order order;
    double dy; /* VJP and FROM_Y: the constant cotangent */
} ref_ctx;

static int failures = 0;

/* ---- MPFR helpers (precision taken from the output) ------------------------------------------ */

#define TMP(name) mpfr_t name; mpfr_init2(name, mpfr_get_prec(y))

static void mp_sig(mpfr_t y, const mpfr_t x) /* sigma(x), no subtraction on either side */
{
    TMP(e);
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

static void mp_sig_neg(mpfr_t y, const mpfr_t x) /* sigma(-x) */
{
    TMP(m);
    mpfr_neg(m, x, MPFR_RNDN);
    mp_sig(y, m);
    mpfr_clear(m);
}

static void mp_dsig(mpfr_t y, const mpfr_t x) /* sigma(x) sigma(-x) */
{
    TMP(a);
    mp_sig(a, x);
    mp_sig_neg(y, x);
    mpfr_mul(y, y, a, MPFR_RNDN);
    mpfr_clear(a);
}

static void mp_phi(mpfr_t y, const mpfr_t x) /* e^{-x^2/2}/sqrt(2 pi) */
{
    TMP(c);
    mpfr_sqr(y, x, MPFR_RNDN);
    mpfr_div_2ui(y, y, 1, MPFR_RNDN);
    mpfr_neg(y, y, MPFR_RNDN);
    mpfr_exp(y, y, MPFR_RNDN);
    mpfr_const_pi(c, MPFR_RNDN);
    mpfr_mul_2ui(c, c, 1, MPFR_RNDN);
    mpfr_sqrt(c, c, MPFR_RNDN);
    mpfr_div(y, y, c, MPFR_RNDN);
    mpfr_clear(c);
}

static void mp_Phi(mpfr_t y, const mpfr_t x) /* erfc(-x/sqrt2)/2 */
{
    TMP(c);
    mpfr_sqrt_ui(c, 2, MPFR_RNDN);
    mpfr_div(y, x, c, MPFR_RNDN);
    mpfr_neg(y, y, MPFR_RNDN);
    mpfr_erfc(y, y, MPFR_RNDN);
    mpfr_div_2ui(y, y, 1, MPFR_RNDN);
    mpfr_clear(c);
}

/* the gelu_tanh pieces: u = sqrt(2/pi)(x + 0.044715 x^3), u' and u'' */
static void mp_gt_u(mpfr_t u, mpfr_t du, mpfr_t d2u, const mpfr_t x)
{
    mpfr_t k, c, x2;
    mpfr_inits2(mpfr_get_prec(u), k, c, x2, (mpfr_ptr)0);
    mpfr_const_pi(k, MPFR_RNDN);
    mpfr_ui_div(k, 2, k, MPFR_RNDN);
    mpfr_sqrt(k, k, MPFR_RNDN);
    mpfr_set_str(c, "0.044715", 10, MPFR_RNDN);
    mpfr_sqr(x2, x, MPFR_RNDN);
    mpfr_mul(u, x2, c, MPFR_RNDN);     /* c x^2 */
    mpfr_mul_ui(du, u, 3, MPFR_RNDN);  /* 3 c x^2 */
    mpfr_add_ui(u, u, 1, MPFR_RNDN);
    mpfr_mul(u, u, x, MPFR_RNDN);
    mpfr_mul(u, u, k, MPFR_RNDN);
    mpfr_add_ui(du, du, 1, MPFR_RNDN);
    mpfr_mul(du, du, k, MPFR_RNDN);
    mpfr_mul(d2u, x, c, MPFR_RNDN);
    mpfr_mul_ui(d2u, d2u, 6, MPFR_RNDN);
    mpfr_mul(d2u, d2u, k, MPFR_RNDN);
    mpfr_clears(k, c, x2, (mpfr_ptr)0);
}

static void mp_sech2(mpfr_t y, const mpfr_t x)
{
    mpfr_sech(y, x, MPFR_RNDN);
    mpfr_sqr(y, y, MPFR_RNDN);
}

/* the least-magnitude subgradient between slopes a and b (docs/policy.md) */
static double kink(double a, double b)
{
    if ((a <= 0 && b >= 0) || (a >= 0 && b <= 0)) return 0.0;
    return a > 0 ? fmin(a, b) : fmax(a, b);
}

/* ---- f', f'' of every kind -------------------------------------------------------------------- */

static const char *LAMBDA = "1.0507009873554804934193349852946";
static const char *LAMBDA_ALPHA = "1.7580993408473768599402175208123";

static void deriv(mpfr_t y, const mpfr_t x, nnm_act act, int order)
{
    int s = mpfr_sgn(x);
    mpfr_t a, b, c;
    mpfr_inits2(mpfr_get_prec(y), a, b, c, (mpfr_ptr)0);
    switch (act.kind) {
    case NNM_ACT_IDENTITY: mpfr_set_ui(y, order == 1 ? 1 : 0, MPFR_RNDN); break;
    case NNM_ACT_STEP: mpfr_set_ui(y, 0, MPFR_RNDN); break;
    case NNM_ACT_RELU: mpfr_set_ui(y, order == 1 && s > 0 ? 1 : 0, MPFR_RNDN); break;
    case NNM_ACT_LEAKY_RELU:
        if (order == 2) mpfr_set_ui(y, 0, MPFR_RNDN);
        else mpfr_set_d(y, s > 0 ? 1.0 : s < 0 ? act.alpha : kink(act.alpha, 1.0), MPFR_RNDN);
        break;
    case NNM_ACT_ELU:
    case NNM_ACT_SELU: {
        int selu = act.kind == NNM_ACT_SELU;
        if (s < 0) {
            mpfr_exp(y, x, MPFR_RNDN);
            if (selu) mpfr_set_str(a, LAMBDA_ALPHA, 10, MPFR_RNDN);
            else mpfr_set_d(a, act.alpha, MPFR_RNDN);
            mpfr_mul(y, y, a, MPFR_RNDN);
        } else if (order == 2) {
            mpfr_set_ui(y, 0, MPFR_RNDN);
        } else if (selu) {
            mpfr_set_str(y, LAMBDA, 10, MPFR_RNDN); /* right slope, and the smaller one at 0 */
        } else {
            mpfr_set_d(y, s > 0 ? 1.0 : kink(act.alpha, 1.0), MPFR_RNDN);
        }
        break;
    }
    case NNM_ACT_SIGMOID:
        mp_dsig(y, x);
        if (order == 2) { /* sigma' (sigma(-x) - sigma(x)) */
            mp_sig_neg(a, x);
            mp_sig(b, x);
            mpfr_sub(a, a, b, MPFR_RNDN);
            mpfr_mul(y, y, a, MPFR_RNDN);
        }
        break;
    case NNM_ACT_TANH:
        mp_sech2(y, x);
        if (order == 2) {
            mpfr_tanh(a, x, MPFR_RNDN);
            mpfr_mul(y, y, a, MPFR_RNDN);
            mpfr_mul_si(y, y, -2, MPFR_RNDN);
        }
        break;
    case NNM_ACT_SOFTPLUS:
    case NNM_ACT_LOG_SIGMOID:
        if (order == 2) {
            mp_dsig(y, x);
            if (act.kind == NNM_ACT_LOG_SIGMOID) mpfr_neg(y, y, MPFR_RNDN);
        } else if (act.kind == NNM_ACT_SOFTPLUS) {
            mp_sig(y, x);
        } else {
            mp_sig_neg(y, x);
        }
        break;
    case NNM_ACT_SILU:
        if (order == 1) { /* sigma + x sigma' */
            mp_dsig(a, x);
            mpfr_mul(a, a, x, MPFR_RNDN);
            mp_sig(y, x);
            mpfr_add(y, y, a, MPFR_RNDN);
        } else {          /* sigma' (2 + x (sigma(-x) - sigma(x))) */
            mp_sig_neg(a, x);
            mp_sig(b, x);
            mpfr_sub(a, a, b, MPFR_RNDN);
            mpfr_mul(a, a, x, MPFR_RNDN);
            mpfr_add_ui(a, a, 2, MPFR_RNDN);
            mp_dsig(y, x);
            mpfr_mul(y, y, a, MPFR_RNDN);
        }
        break;
    case NNM_ACT_GELU:
        mp_phi(a, x);
        if (order == 1) {
            mpfr_mul(a, a, x, MPFR_RNDN);
            mp_Phi(y, x);
            mpfr_add(y, y, a, MPFR_RNDN);
        } else {
            mpfr_sqr(b, x, MPFR_RNDN);
            mpfr_ui_sub(b, 2, b, MPFR_RNDN);
            mpfr_mul(y, a, b, MPFR_RNDN);
        }
        break;
    case NNM_ACT_GELU_TANH: {
        /* f = x (1 + tanh u)/2:  f' = (1 + tanh u)/2 + x u' sech^2(u)/2,
         * f'' = sech^2(u) (u' + x u''/2 - x u'^2 tanh u); (1 + tanh u)/2 = sigma(2u) */
        mpfr_t u, du, d2u;
        mpfr_inits2(mpfr_get_prec(y), u, du, d2u, (mpfr_ptr)0);
        mp_gt_u(u, du, d2u, x);
        mp_sech2(a, u);
        if (order == 1) {
            mpfr_mul(a, a, du, MPFR_RNDN);
            mpfr_mul(a, a, x, MPFR_RNDN);
            mpfr_div_2ui(a, a, 1, MPFR_RNDN);
            mpfr_mul_2ui(b, u, 1, MPFR_RNDN);
            mp_sig(y, b);
            mpfr_add(y, y, a, MPFR_RNDN);
        } else {
            mpfr_tanh(b, u, MPFR_RNDN);
            mpfr_mul(b, b, du, MPFR_RNDN);
            mpfr_mul(b, b, du, MPFR_RNDN);
            mpfr_mul(b, b, x, MPFR_RNDN);             /* x u'^2 tanh u */
            mpfr_mul(c, x, d2u, MPFR_RNDN);
            mpfr_div_2ui(c, c, 1, MPFR_RNDN);
            mpfr_add(c, c, du, MPFR_RNDN);
            mpfr_sub(c, c, b, MPFR_RNDN);
            mpfr_mul(y, a, c, MPFR_RNDN);
        }
        mpfr_clears(u, du, d2u, (mpfr_ptr)0);
        break;
    }
    case NNM_ACT_MISH: {
        /* sp = softplus(x), T = tanh(sp), S = sech^2(sp):
         * f' = T + x S sigma(x),  f'' = S sigma(x) (2 + x (sigma(-x) - 2 T sigma(x))) */
        mpfr_t sp, T, S, sg;
        mpfr_inits2(mpfr_get_prec(y), sp, T, S, sg, (mpfr_ptr)0);
        mpfr_exp(sp, x, MPFR_RNDN);
        mpfr_log1p(sp, sp, MPFR_RNDN);
        if (mpfr_inf_p(sp)) mpfr_set(sp, x, MPFR_RNDN); /* e^x beyond MPFR's range: sp = x */
        mpfr_tanh(T, sp, MPFR_RNDN);
        mp_sech2(S, sp);
        mp_sig(sg, x);
        mpfr_mul(a, S, sg, MPFR_RNDN);
        if (order == 1) {
            mpfr_mul(a, a, x, MPFR_RNDN);
            mpfr_add(y, T, a, MPFR_RNDN);
        } else {
            mpfr_mul(b, T, sg, MPFR_RNDN);
            mpfr_mul_2ui(b, b, 1, MPFR_RNDN);
            mp_sig_neg(c, x);
            mpfr_sub(c, c, b, MPFR_RNDN);
            mpfr_mul(c, c, x, MPFR_RNDN);
            mpfr_add_ui(c, c, 2, MPFR_RNDN);
            mpfr_mul(y, a, c, MPFR_RNDN);
        }
        mpfr_clears(sp, T, S, sg, (mpfr_ptr)0);
        break;
    }
    }
    mpfr_clears(a, b, c, (mpfr_ptr)0);
}

/* g(y) of the from-y VJP, with the forward written out: sigmoid y(1-y), tanh 1 - y^2, ... */
static void deriv_from_y(mpfr_t r, const mpfr_t y, nnm_act act)
{
    int s = mpfr_sgn(y);
    mpfr_t a;
    mpfr_init2(a, mpfr_get_prec(r));
    switch (act.kind) {
    case NNM_ACT_SIGMOID:
        mpfr_ui_sub(a, 1, y, MPFR_RNDN);
        mpfr_mul(r, y, a, MPFR_RNDN);
        break;
    case NNM_ACT_TANH:
        mpfr_sqr(a, y, MPFR_RNDN);
        mpfr_ui_sub(r, 1, a, MPFR_RNDN);
        break;
    case NNM_ACT_SOFTPLUS: /* 1 - e^-y */
        mpfr_neg(a, y, MPFR_RNDN);
        mpfr_expm1(a, a, MPFR_RNDN);
        mpfr_neg(r, a, MPFR_RNDN);
        break;
    case NNM_ACT_LOG_SIGMOID: /* 1 - e^y */
        mpfr_expm1(a, y, MPFR_RNDN);
        mpfr_neg(r, a, MPFR_RNDN);
        break;
    case NNM_ACT_ELU:
    case NNM_ACT_SELU:
        if (s < 0) {
            if (act.kind == NNM_ACT_SELU) mpfr_set_str(a, LAMBDA_ALPHA, 10, MPFR_RNDN);
            else mpfr_set_d(a, act.alpha, MPFR_RNDN);
            mpfr_add(r, y, a, MPFR_RNDN);
            if (mpfr_sgn(r) < 0) mpfr_set_ui(r, 0, MPFR_RNDN);
        } else if (act.kind == NNM_ACT_SELU) {
            mpfr_set_str(r, LAMBDA, 10, MPFR_RNDN);
        } else {
            mpfr_set_d(r, s > 0 ? 1.0 : kink(act.alpha, 1.0), MPFR_RNDN);
        }
        break;
    default: /* identity, step, relu, leaky: the same piecewise constants as from x */
        deriv(r, y, act, 1);
        break;
    }
    mpfr_clear(a);
}

/* extra bits for the one reference that cancels at tiny |x|: sigma'' through
 * sigma(-x) - sigma(x) ~ -x/2 (silu'' and mish'' add that difference times x to 2: no loss) */
static mpfr_prec_t prec_for(const mpfr_t x, const ref_ctx *ctx)
{
    if (ctx->act.kind != NNM_ACT_SIGMOID || ctx->order != D2) return WORK_PREC;
    if (mpfr_zero_p(x) || !mpfr_number_p(x)) return WORK_PREC;
    mpfr_exp_t e = mpfr_get_exp(x);
    return WORK_PREC + (e < 0 ? (mpfr_prec_t)(-e) : 0);
}

static int ref(mpfr_t y, const mpfr_t x, void *vctx)
{
    const ref_ctx *ctx = vctx;
    if (mpfr_nan_p(x)) return mpfr_set_nan(y), 0;
    mpfr_t r;
    mpfr_init2(r, prec_for(x, ctx));
    if (mpfr_inf_p(x)) {
        /* limits */
        double v = 0.0;
        int pos = mpfr_sgn(x) > 0;
        if (ctx->order != D2 && ctx->order != FROM_Y) {
            switch (ctx->act.kind) {
            case NNM_ACT_IDENTITY: v = 1; break;
            case NNM_ACT_RELU: case NNM_ACT_SOFTPLUS: case NNM_ACT_SILU: case NNM_ACT_GELU:
            case NNM_ACT_GELU_TANH: case NNM_ACT_MISH: case NNM_ACT_ELU: v = pos; break;
            case NNM_ACT_LEAKY_RELU: v = pos ? 1 : ctx->act.alpha; break;
            case NNM_ACT_SELU: v = pos ? 1.0507009873554804934193349852946 : 0; break;
            case NNM_ACT_LOG_SIGMOID: v = !pos; break;
            default: v = 0; break;
            }
        } else if (ctx->order == FROM_Y) {
            deriv_from_y(r, x, ctx->act);
            v = mpfr_get_d(r, MPFR_RNDN);
        }
        mpfr_set_d(r, v, MPFR_RNDN);
    } else if (ctx->order == FROM_Y) {
        deriv_from_y(r, x, ctx->act);
    } else {
        deriv(r, x, ctx->act, ctx->order == D2 ? 2 : 1);
    }
    if (ctx->order == VJP || ctx->order == FROM_Y) mpfr_mul_d(r, r, ctx->dy, MPFR_RNDN);
    mpfr_set(y, r, MPFR_RNDN);
    mpfr_clear(r);
    return 0;
}

/* ---- the functions under test ---------------------------------------------------------------- */

enum { BATCH = 4096 };
static double dy64[BATCH];
static float dy32[BATCH];

static int impl_f64(size_t n, const double *x, double *y, void *vctx)
{
    const ref_ctx *ctx = vctx;
    for (size_t i = 0; i < n && i < BATCH; ++i) dy64[i] = ctx->dy;
    switch (ctx->order) {
    case D1: return nnm_grad_act_f64(ctx->act, n, x, y) != NNM_OK;
    case D2: return nnm_hess_act_f64(ctx->act, n, x, y) != NNM_OK;
    case VJP: return n > BATCH || nnm_grad_act_vjp_f64(ctx->act, n, x, dy64, y) != NNM_OK;
    case FROM_Y: return n > BATCH || nnm_grad_act_vjp_from_y_f64(ctx->act, n, x, dy64, y) != NNM_OK;
    }
    return 1;
}

static int impl_f32(size_t n, const float *x, float *y, void *vctx)
{
    const ref_ctx *ctx = vctx;
    for (size_t i = 0; i < n && i < BATCH; ++i) dy32[i] = (float)ctx->dy;
    switch (ctx->order) {
    case D1: return nnm_grad_act_f32(ctx->act, n, x, y) != NNM_OK;
    case D2: return nnm_hess_act_f32(ctx->act, n, x, y) != NNM_OK;
    case VJP: return n > BATCH || nnm_grad_act_vjp_f32(ctx->act, n, x, dy32, y) != NNM_OK;
    case FROM_Y: return n > BATCH || nnm_grad_act_vjp_from_y_f32(ctx->act, n, x, dy32, y) != NNM_OK;
    }
    return 1;
}

/* ---- point sets --------------------------------------------------------------------------------- */

typedef struct { double r, w; } root_info;

/* the zero crossings (and expansion windows) of f' and f'' per kind */
static size_t roots_of(nnm_act_kind kind, int order, root_info *out)
{
    size_t k = 0;
#define ROOT(ID) (out[k++] = (root_info){ID##_HI, ID##_W})
#define EVEN_ROOT(ID) (ROOT(ID), out[k++] = (root_info){-ID##_HI, ID##_W})
    if (order == 1) {
        if (kind == NNM_ACT_SILU) ROOT(NNM__ROOT_SILU_D1_0);
        if (kind == NNM_ACT_GELU) ROOT(NNM__ROOT_GELU_D1_0);
        if (kind == NNM_ACT_GELU_TANH) ROOT(NNM__ROOT_GELU_TANH_D1_0);
        if (kind == NNM_ACT_MISH) ROOT(NNM__ROOT_MISH_D1_0);
    } else {
        if (kind == NNM_ACT_SILU) EVEN_ROOT(NNM__ROOT_SILU_D2_0);
        if (kind == NNM_ACT_GELU) out[k++] = (root_info){sqrt(2.0), 0.125},
                                  out[k++] = (root_info){-sqrt(2.0), 0.125};
        if (kind == NNM_ACT_GELU_TANH) EVEN_ROOT(NNM__ROOT_GELU_TANH_D2_0);
        if (kind == NNM_ACT_MISH) ROOT(NNM__ROOT_MISH_D2_0), ROOT(NNM__ROOT_MISH_D2_1);
    }
#undef ROOT
#undef EVEN_ROOT
    return k;
}

static void add_around_f32(nnm_points *p, float x, int steps)
{
    float up = x, down = x;
    nnm_points_add(p, (double)x);
    for (int i = 0; i < steps; ++i) {
        up = nextafterf(up, HUGE_VALF);
        down = nextafterf(down, -HUGE_VALF);
        nnm_points_add(p, (double)up);
        nnm_points_add(p, (double)down);
    }
}

/* dense = 2 for f' and f'', 1 for the VJP sweeps (the same kernels with one more product) */
static void build_points(nnm_act_kind kind, int order, int f32, size_t dense, nnm_points *p)
{
    uint64_t seed = 0x5eed0000u + (uint64_t)kind * 16u + (uint64_t)order;
    if (f32) nnm_points_add_binades(p, -149, 127, 3 * dense, seed);
    else nnm_points_add_binades(p, -1074, 1023, dense, seed);
    nnm_points_add_uniform(p, -4, 4, 1500 * dense, seed + 1);
    nnm_points_add_uniform(p, -40, 40, 1000 * dense, seed + 2);
    nnm_points_add_uniform(p, -800, 800, 500 * dense, seed + 3);
    root_info roots[4];
    size_t nr = roots_of(kind, order, roots);
    double special[] = {0.0, 64.0, -64.0, 1.0, -1.0};
    for (size_t i = 0; i < sizeof special / sizeof special[0]; ++i) {
        if (f32) add_around_f32(p, (float)special[i], 40);
        else nnm_points_add_around(p, special[i], 40);
    }
    for (size_t i = 0; i < nr; ++i) {
        double r = roots[i].r, w = roots[i].w;
        double pts[3] = {r, r - w, r + w};
        for (int j = 0; j < 3; ++j) {
            if (f32) add_around_f32(p, (float)pts[j], 100 * (int)dense);
            else nnm_points_add_around(p, pts[j], 100 * (int)dense);
        }
        nnm_points_add_uniform(p, r - 1.5 * w, r + 1.5 * w, 1000 * dense, seed + 10 + i);
    }
}

static void run(const char *name, nnm_act act, enum order order, double dy, int f32)
{
    ref_ctx ctx = {act, order, f32 ? (double)(float)dy : dy}; /* the dy the call sees */
    nnm_points p = {0}, q = {0};
    build_points(act.kind, order == D2 ? 2 : 1, f32, order <= D2 ? 2 : 1, &p);
    if (order == FROM_Y) { /* keep only y in the range of f */
        nnm_points in = {0};
        for (size_t i = 0; i < p.n; ++i) {
            double y = p.x[i];
            int ok = 1;
            switch (act.kind) {
            case NNM_ACT_STEP: ok = y == 0 || y == 1; break;
            case NNM_ACT_RELU: ok = y >= 0; break;
            case NNM_ACT_SIGMOID: ok = y >= 0 && y <= 1; break;
            case NNM_ACT_TANH: ok = fabs(y) <= 1; break;
            case NNM_ACT_SOFTPLUS: ok = y >= 0; break;
            case NNM_ACT_LOG_SIGMOID: ok = y <= 0; break;
            case NNM_ACT_ELU: ok = y >= -act.alpha; break;
            case NNM_ACT_SELU: ok = y >= -1.75809934084737685; break;
            default: break;
            }
            if (ok) nnm_points_add(&in, y);
        }
        /* the bottom of the elu/selu range, where y + alpha cancels: the 400 doubles above it */
        if (act.kind == NNM_ACT_ELU || act.kind == NNM_ACT_SELU) {
            double y = act.kind == NNM_ACT_ELU ? -act.alpha : -1.75809934084737685;
            for (int i = 0; i < 400; ++i) nnm_points_add(&in, y = nextafter(y, 0.0));
        }
        nnm_points_free(&p);
        p = in;
    }
    char label[96];
    snprintf(label, sizeof label, "%s %s", name, f32 ? "f32" : "f64");
    nnm_oracle_report r;
    if (f32) {
        nnm_points_to_f32(&p, &q);
        r = nnm_oracle_sweep_f32(label, ref, impl_f32, &ctx, &q);
    } else {
        r = nnm_oracle_sweep_f64(label, ref, impl_f64, &ctx, &p);
    }
    if (!nnm_oracle_print(&r, f32 ? 1.0 : 2.0)) failures++;
    nnm_points_free(&p);
    nnm_points_free(&q);
}

int main(void)
{
    static const struct { const char *name; nnm_act act; } kinds[] = {
        {"identity", {NNM_ACT_IDENTITY, 0.0}},   {"step", {NNM_ACT_STEP, 0.0}},
        {"sigmoid", {NNM_ACT_SIGMOID, 0.0}},     {"tanh", {NNM_ACT_TANH, 0.0}},
        {"relu", {NNM_ACT_RELU, 0.0}},           {"leaky(0.01)", {NNM_ACT_LEAKY_RELU, 0.01}},
        {"leaky(-0.3)", {NNM_ACT_LEAKY_RELU, -0.3}}, {"elu(1)", {NNM_ACT_ELU, 1.0}},
        {"elu(0.3)", {NNM_ACT_ELU, 0.3}},        {"selu", {NNM_ACT_SELU, 0.0}},
        {"softplus", {NNM_ACT_SOFTPLUS, 0.0}},   {"log_sigmoid", {NNM_ACT_LOG_SIGMOID, 0.0}},
        {"silu", {NNM_ACT_SILU, 0.0}},           {"gelu", {NNM_ACT_GELU, 0.0}},
        {"gelu_tanh", {NNM_ACT_GELU_TANH, 0.0}}, {"mish", {NNM_ACT_MISH, 0.0}},
    };
    char name[64];
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; ++i) {
        for (int f32 = 0; f32 <= 1; ++f32) {
            snprintf(name, sizeof name, "%s'", kinds[i].name);
            run(name, kinds[i].act, D1, 1.0, f32);
            snprintf(name, sizeof name, "%s''", kinds[i].name);
            run(name, kinds[i].act, D2, 1.0, f32);
        }
    }
    /* VJP: f'(x) dy rounded once; dy = -0.3 (not a power of 2) and a huge dy that brings
     * underflowed derivatives back into the normal range (sigmoid'(-800) dy) */
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; ++i)
        for (int f32 = 0; f32 <= 1; ++f32) {
            snprintf(name, sizeof name, "vjp %s (dy=-0.3)", kinds[i].name);
            run(name, kinds[i].act, VJP, -0.3, f32);
        }
    static const struct { const char *name; nnm_act act; } big[] = {
        {"sigmoid", {NNM_ACT_SIGMOID, 0.0}}, {"silu", {NNM_ACT_SILU, 0.0}},
        {"gelu", {NNM_ACT_GELU, 0.0}},       {"mish", {NNM_ACT_MISH, 0.0}},
    };
    for (size_t i = 0; i < sizeof big / sizeof big[0]; ++i) {
        snprintf(name, sizeof name, "vjp %s (dy=1e300)", big[i].name);
        run(name, big[i].act, VJP, 1e300, 0);
    }
    /* from y: g(y) dy for y in the range of f */
    static const struct { const char *name; nnm_act act; } fy[] = {
        {"identity", {NNM_ACT_IDENTITY, 0.0}}, {"step", {NNM_ACT_STEP, 0.0}},
        {"sigmoid", {NNM_ACT_SIGMOID, 0.0}},   {"tanh", {NNM_ACT_TANH, 0.0}},
        {"relu", {NNM_ACT_RELU, 0.0}},         {"leaky(0.01)", {NNM_ACT_LEAKY_RELU, 0.01}},
        {"elu(1)", {NNM_ACT_ELU, 1.0}},        {"elu(0.3)", {NNM_ACT_ELU, 0.3}},
        {"selu", {NNM_ACT_SELU, 0.0}},         {"softplus", {NNM_ACT_SOFTPLUS, 0.0}},
        {"log_sigmoid", {NNM_ACT_LOG_SIGMOID, 0.0}},
    };
    for (size_t i = 0; i < sizeof fy / sizeof fy[0]; ++i)
        for (int f32 = 0; f32 <= 1; ++f32) {
            snprintf(name, sizeof name, "from_y %s (dy=-0.3)", fy[i].name);
            run(name, fy[i].act, FROM_Y, -0.3, f32);
        }
    printf("%s\n", failures ? "derivative oracle: FAIL" : "derivative oracle: all bounds hold");
    return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
