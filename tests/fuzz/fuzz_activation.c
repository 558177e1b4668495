/*
 * Fuzz target: the elementwise activations (all 14 kinds, direct entry points and
 * nnm_act_apply) and their derivatives (nnm_grad_act, nnm_grad_act_vjp, nnm_grad_act_vjp_from_y,
 * nnm_hess_act), f32 and f64.
 *
 * Decoded: the kind (sometimes an unknown value), alpha (the default, another value, or an
 * invalid one), n (small, or gigantic with a tiny buffer), the data (any IEEE value), NULL
 * pointers, and aliasing (in place, or a partial overlap that must be rejected).
 *
 * Invariants (include/nnmath/activation.h, gradient.h, hessian.h):
 *  - the documented status (nnm_act rules, NULL with n > 0, partial overlap -> NNM_EINVAL; n
 *    elements beyond PTRDIFF_MAX bytes -> NNM_ESIZE; from_y: kinds not invertible -> EINVAL,
 *    y outside the range of f -> EDOM) and no write on failure;
 *  - the direct function and nnm_act_apply agree bit for bit; in-place calls give the bits of
 *    out-of-place calls;
 *  - NaN out exactly where NaN came in; outputs in the range of f (and of f');
 *  - f32 within 2 ULP of the f64 result rounded to float (both are <= 1 / 2 ULP of exact);
 *  - vjp = f' dy within a few ULP; the forward output of every invertible kind is accepted by
 *    vjp_from_y (never NNM_EDOM).
 */
#include "fuzz_common.h"

typedef nnm_status (*ew64)(size_t, const double *, double *);
typedef nnm_status (*ew32)(size_t, const float *, float *);

/* the direct entry points of the kinds without a parameter (NULL: takes alpha) */
static const ew64 direct64[14] = {
    nnm_act_identity_f64, nnm_act_step_f64, nnm_act_sigmoid_f64, nnm_act_tanh_f64,
    nnm_act_relu_f64,     NULL,             NULL,                nnm_act_selu_f64,
    nnm_act_softplus_f64, nnm_act_log_sigmoid_f64, nnm_act_silu_f64, nnm_act_gelu_f64,
    nnm_act_gelu_tanh_f64, nnm_act_mish_f64};
static const ew32 direct32[14] = {
    nnm_act_identity_f32, nnm_act_step_f32, nnm_act_sigmoid_f32, nnm_act_tanh_f32,
    nnm_act_relu_f32,     NULL,             NULL,                nnm_act_selu_f32,
    nnm_act_softplus_f32, nnm_act_log_sigmoid_f32, nnm_act_silu_f32, nnm_act_gelu_f32,
    nnm_act_gelu_tanh_f32, nnm_act_mish_f32};

#define SELU_LAMBDA 1.0507009873554804934193349852946
#define SELU_ALPHA 1.6732632423543772848170429916717

typedef struct acase {
    nnm_act act;
    int f32;
    size_t n;
    int giant;
    double *x, *dy; /* n values (as double; rounded to float for f32) */
} acase;

static const acase *current;

static void describe_case(void)
{
    const acase *c = current;
    fprintf(stderr, "kind %d alpha %a f32 %d n %zu giant %d\n", (int)c->act.kind, c->act.alpha,
            c->f32, c->n, c->giant);
    for (size_t i = 0; !c->giant && i < c->n && i < 32; ++i)
        fprintf(stderr, "  x[%zu] = %a  dy = %a\n", i, c->x[i], c->dy[i]);
}

static int act_valid(nnm_act a)
{
    switch ((int)a.kind) {
    case NNM_ACT_LEAKY_RELU: return isfinite(a.alpha);
    case NNM_ACT_ELU: return isfinite(a.alpha) && a.alpha >= 0.0;
    default: return (int)a.kind >= 0 && (int)a.kind <= 13 && a.alpha == 0.0;
    }
}

static int from_y_invertible(nnm_act a)
{
    switch ((int)a.kind) {
    case NNM_ACT_SILU: case NNM_ACT_GELU: case NNM_ACT_GELU_TANH: case NNM_ACT_MISH: return 0;
    case NNM_ACT_LEAKY_RELU: return a.alpha > 0.0;
    default: return 1;
    }
}

/* Is y in the range of f (the from_y domain, include/nnmath/gradient.h)? NaN is allowed. */
/* the range of f as the from-y functions accept it: eps and half the least subnormal of the
 * type (eps == FLT_EPSILON for float) of slack at the elu limit */
static int in_range(nnm_act a, double y, double eps)
{
    double half_sub = 0.5 * (eps == (double)FLT_EPSILON ? (double)FLT_TRUE_MIN : DBL_TRUE_MIN);
    if (isnan(y)) return 1;
    switch ((int)a.kind) {
    case NNM_ACT_SIGMOID: return y >= 0.0 && y <= 1.0;
    case NNM_ACT_TANH: return y >= -1.0 && y <= 1.0;
    case NNM_ACT_STEP: return y == 0.0 || y == 1.0;
    case NNM_ACT_RELU: case NNM_ACT_SOFTPLUS: return y >= 0.0;
    case NNM_ACT_LOG_SIGMOID: return y <= 0.0;
    case NNM_ACT_ELU: return y >= -(a.alpha * (1 + eps) + half_sub);
    case NNM_ACT_SELU: return y >= -SELU_LAMBDA * SELU_ALPHA * (1 + eps);
    default: return 1;
    }
}

/* ---- one dtype-generic call layer: data in double, f32 calls on float copies ------------- */
enum { OP_APPLY, OP_DIRECT, OP_GRAD, OP_HESS };

static nnm_status call1(const acase *c, int op, const double *x, double *y, int inplace)
{
    size_t n = c->n;
    if (!c->f32) {
        const double *in = x;
        if (inplace) {
            memcpy(y, x, n * sizeof(double));
            in = y;
        }
        switch (op) {
        case OP_APPLY: return nnm_act_apply_f64(c->act, n, in, y);
        case OP_GRAD: return nnm_grad_act_f64(c->act, n, in, y);
        case OP_HESS: return nnm_hess_act_f64(c->act, n, in, y);
        default:
            if (c->act.kind == NNM_ACT_LEAKY_RELU) return nnm_act_leaky_relu_f64(n, c->act.alpha, in, y);
            if (c->act.kind == NNM_ACT_ELU) return nnm_act_elu_f64(n, c->act.alpha, in, y);
            if (direct64[c->act.kind] == NULL) abort();
            return direct64[c->act.kind](n, in, y);
        }
    }
    float *xf = fz_alloc(n, sizeof(float)), *yf = fz_alloc_out(n, sizeof(float));
    for (size_t i = 0; i < n; ++i) xf[i] = (float)x[i];
    const float *in = xf;
    if (inplace) {
        memcpy(yf, xf, n * sizeof(float));
        in = yf;
    }
    nnm_status s;
    switch (op) {
    case OP_APPLY: s = nnm_act_apply_f32(c->act, n, in, yf); break;
    case OP_GRAD: s = nnm_grad_act_f32(c->act, n, in, yf); break;
    case OP_HESS: s = nnm_hess_act_f32(c->act, n, in, yf); break;
    default:
        if (c->act.kind == NNM_ACT_LEAKY_RELU) s = nnm_act_leaky_relu_f32(n, c->act.alpha, in, yf);
        else if (c->act.kind == NNM_ACT_ELU) s = nnm_act_elu_f32(n, c->act.alpha, in, yf);
        else if (direct32[c->act.kind] == NULL) abort();
        else s = direct32[c->act.kind](n, in, yf);
    }
    for (size_t i = 0; s == NNM_OK && i < n; ++i) y[i] = (double)yf[i];
    free(xf);
    free(yf);
    return s;
}

/* the f32 result against the f64 result of the same float input, rounded to float */
static void check_f32_vs_f64(const acase *c, int op, const double *y32)
{
    acase c64 = *c;
    c64.f32 = 0;
    double *y64 = fz_alloc(c->n, sizeof(double));
    FZ_CHECK(call1(&c64, op, c->x, y64, 0) == NNM_OK);
    for (size_t i = 0; i < c->n; ++i) {
        float want = (float)y64[i], got = (float)y32[i];
        if (isnan(want)) {
            FZ_CHECK(isnan(got));
        } else if (isfinite(want) && fabsf(want) >= FLT_MIN && fabsf(want) < FLT_MAX) {
            if (fz_ulp_f32(got, want) > 2) {
                fprintf(stderr, "op %d i %zu: f32 %a, f64 rounded %a (f64 %a)\n", op, i,
                        (double)got, (double)want, y64[i]);
                FZ_CHECK(fz_ulp_f32(got, want) <= 2);
            }
        }
    }
    free(y64);
}

static void check_ranges(const acase *c, int op, const double *y)
{
    double eps = c->f32 ? (double)FLT_EPSILON : DBL_EPSILON;
    int fwd = op == OP_APPLY || op == OP_DIRECT;
    for (size_t i = 0; i < c->n; ++i) {
        double x = c->x[i], v = y[i];
        FZ_CHECK(isnan(v) == isnan(x)); /* NaN exactly where NaN came in */
        if (isnan(x)) continue;
        switch ((int)c->act.kind) {
        case NNM_ACT_IDENTITY:
            if (fwd) FZ_CHECK(fz_bits_eq64(v, x));
            if (op == OP_GRAD) FZ_CHECK(v == 1.0);
            if (op == OP_HESS) FZ_CHECK(v == 0.0);
            break;
        case NNM_ACT_STEP:
            if (fwd) FZ_CHECK(v == (x >= 0.0 ? 1.0 : 0.0));
            else FZ_CHECK(v == 0.0);
            break;
        case NNM_ACT_SIGMOID:
            if (fwd) FZ_CHECK(v >= 0.0 && v <= 1.0);
            if (op == OP_GRAD) FZ_CHECK(v >= 0.0 && v <= 0.25);
            if (op == OP_HESS) FZ_CHECK(fabs(v) <= 0.0963);
            break;
        case NNM_ACT_TANH:
            if (fwd) FZ_CHECK(v >= -1.0 && v <= 1.0);
            if (op == OP_GRAD) FZ_CHECK(v >= 0.0 && v <= 1.0);
            if (op == OP_HESS) FZ_CHECK(fabs(v) <= 0.7699);
            break;
        case NNM_ACT_RELU:
            if (fwd) FZ_CHECK(v >= 0.0 && (x <= 0.0 || v == x));
            if (op == OP_GRAD) FZ_CHECK(v == (x > 0.0 ? 1.0 : 0.0));
            if (op == OP_HESS) FZ_CHECK(v == 0.0);
            break;
        case NNM_ACT_LEAKY_RELU:
            if (fwd && x >= 0.0) FZ_CHECK(v == x);
            if (op == OP_HESS) FZ_CHECK(v == 0.0);
            break;
        case NNM_ACT_ELU: {
            /* an f32 result below -FLT_MAX is -inf (alpha may be any finite double); a result in
             * the subnormal range rounds by up to half the least subnormal (alpha = 2^-137 in
             * float: relative 2^-13, beyond eps) */
            double half_sub = 0.5 * (c->f32 ? (double)FLT_TRUE_MIN : DBL_TRUE_MIN);
            if (fwd)
                FZ_CHECK((v >= -(c->act.alpha * (1 + eps) + half_sub) ||
                          (c->f32 && v == -INFINITY && c->act.alpha > (double)FLT_MAX)) &&
                         (x <= 0.0 || v == x));
            break;
        }
        case NNM_ACT_SELU:
            if (fwd) FZ_CHECK(v >= -SELU_LAMBDA * SELU_ALPHA * (1 + eps));
            break;
        case NNM_ACT_SOFTPLUS:
            if (fwd) FZ_CHECK(v >= 0.0 && v >= x);
            if (op == OP_GRAD) FZ_CHECK(v >= 0.0 && v <= 1.0);
            if (op == OP_HESS) FZ_CHECK(v >= 0.0 && v <= 0.25);
            break;
        case NNM_ACT_LOG_SIGMOID:
            if (fwd) FZ_CHECK(v <= 0.0 && (x >= 0.0 || v <= x));
            if (op == OP_GRAD) FZ_CHECK(v >= 0.0 && v <= 1.0);
            if (op == OP_HESS) FZ_CHECK(v <= 0.0 && v >= -0.25);
            break;
        default: /* silu, gelu, gelu_tanh, mish: bounded below, f' bounded */
            if (fwd) FZ_CHECK(v >= -0.31 && (x <= 0.0 || v <= x));
            if (op == OP_GRAD) FZ_CHECK(v >= -0.25 && v <= 1.25);
            break;
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in in = {data, size};
    acase c;
    memset(&c, 0, sizeof c);
    current = &c;
    fz_describe = describe_case;

    uint8_t km = fz_u8(&in);
    c.f32 = km >> 7;
    int kind = (km & 0x7f) % 16;
    if (kind >= 14) kind = (km & 1) ? -1 : 14 + (int)fz_u8(&in);
    c.act.kind = (nnm_act_kind)kind;
    uint8_t am = fz_u8(&in);
    if (kind >= 0 && kind < 14 && am < 170) c.act = nnm_act_default((nnm_act_kind)kind);
    else if (am < 230) c.act.alpha = (double)(int8_t)fz_u8(&in) / 16.0;
    else c.act.alpha = fz_f64(&in);
    uint8_t nm = fz_u8(&in);
    c.n = nm % 17;
    size_t elem = c.f32 ? sizeof(float) : sizeof(double);
    if (nm >= 250) {
        static const size_t giant[] = {(size_t)PTRDIFF_MAX / 8 + 1, (size_t)PTRDIFF_MAX / 4 + 1,
                                       (size_t)PTRDIFF_MAX, SIZE_MAX / 2 + 1, SIZE_MAX};
        c.n = giant[fz_u8(&in) % 5];
        if (c.n <= (size_t)PTRDIFF_MAX / elem) c.n = SIZE_MAX; /* keep it beyond PTRDIFF_MAX bytes */
        c.giant = 1;
    }
    size_t cnt = c.giant ? 4 : c.n;
    c.x = fz_alloc(cnt, sizeof(double));
    c.dy = fz_alloc(cnt, sizeof(double));
    for (size_t i = 0; i < cnt; ++i) {
        double v = fz_f64(&in);
        double dv = fz_u8(&in) < 200 ? (double)(int16_t)fz_u16(&in) / 512.0 : fz_f64(&in);
        c.x[i] = c.f32 ? (double)(float)v : v;
        c.dy[i] = c.f32 ? (double)(float)dv : dv;
    }
    uint8_t pm = fz_u8(&in); /* pointer mode: 0 normal, 1 NULL x, 2 NULL y, 3 partial overlap */
    int ptr_mode = pm < 220 ? 0 : (int)(pm % 3) + 1;
    if (c.giant && ptr_mode == 3) ptr_mode = 0;
    if (c.n < 2 && ptr_mode == 3) ptr_mode = 0;

    int valid = act_valid(c.act);
    nnm_status want = !valid ? NNM_EINVAL
                      : (c.n > 0 && ptr_mode != 0) ? NNM_EINVAL
                      : c.giant ? NNM_ESIZE
                      : NNM_OK;

    /* ---- statuses and no-write for the four elementwise entry families ---- */
    for (int op = OP_APPLY; op <= OP_HESS; ++op) {
        if (op == OP_DIRECT && !(kind >= 0 && kind < 14)) continue;
        /* the direct entry points of kinds without parameter ignore alpha */
        nnm_status w = want;
        if (op == OP_DIRECT && kind != NNM_ACT_LEAKY_RELU && kind != NNM_ACT_ELU)
            w = (c.n > 0 && ptr_mode != 0) ? NNM_EINVAL : c.giant ? NNM_ESIZE : NNM_OK;
        if (ptr_mode == 0 && !c.giant) {
            double *y = fz_alloc_out(cnt, sizeof(double));
            /* the analyzer loses c.x inside call1's inlined f32 branch; c.x is freed at the end */
            nnm_status s = call1(&c, op, c.x, y, 0); // NOLINT(clang-analyzer-unix.Malloc)
            FZ_CHECK(s == w);
            if (s == NNM_OK) {
                check_ranges(&c, op, y);
                double *z = fz_alloc_out(cnt, sizeof(double));
                FZ_CHECK(call1(&c, op, c.x, z, 1) == NNM_OK); /* in place */
                for (size_t i = 0; i < c.n; ++i) FZ_CHECK(fz_bits_eq64(y[i], z[i]));
                if (op == OP_DIRECT && valid) {
                    FZ_CHECK(call1(&c, OP_APPLY, c.x, z, 0) == NNM_OK);
                    for (size_t i = 0; i < c.n; ++i) FZ_CHECK(fz_bits_eq64(y[i], z[i]));
                }
                if (c.f32) check_f32_vs_f64(&c, op, y);
                free(z);
            }
            free(y);
            continue;
        }
        /* error paths on raw buffers of the dtype: NULLs, a partial overlap, a gigantic n */
        size_t bytes = (cnt + 1) * elem;
        unsigned char *buf = fz_alloc_out(cnt + 1, elem);
        unsigned char *xb = fz_alloc(cnt, elem);
        memset(xb, 0, cnt * elem);
        void *snap = fz_snapshot(buf, bytes);
        const void *xp = ptr_mode == 1 ? NULL : (ptr_mode == 3 ? (const void *)buf : xb);
        void *yp = ptr_mode == 2 ? NULL : (ptr_mode == 3 ? (void *)(buf + elem) : buf);
        if (ptr_mode == 3) memset(buf, 0, bytes), free(snap), snap = fz_snapshot(buf, bytes);
        nnm_status s;
        size_t n = c.n;
        if (c.f32) {
            const float *xf = xp;
            float *yf = yp;
            switch (op) {
            case OP_APPLY: s = nnm_act_apply_f32(c.act, n, xf, yf); break;
            case OP_GRAD: s = nnm_grad_act_f32(c.act, n, xf, yf); break;
            case OP_HESS: s = nnm_hess_act_f32(c.act, n, xf, yf); break;
            default:
                s = kind == NNM_ACT_LEAKY_RELU ? nnm_act_leaky_relu_f32(n, c.act.alpha, xf, yf)
                    : kind == NNM_ACT_ELU      ? nnm_act_elu_f32(n, c.act.alpha, xf, yf)
                                               : direct32[kind](n, xf, yf);
            }
        } else {
            const double *xd = xp;
            double *yd = yp;
            switch (op) {
            case OP_APPLY: s = nnm_act_apply_f64(c.act, n, xd, yd); break;
            case OP_GRAD: s = nnm_grad_act_f64(c.act, n, xd, yd); break;
            case OP_HESS: s = nnm_hess_act_f64(c.act, n, xd, yd); break;
            default:
                s = kind == NNM_ACT_LEAKY_RELU ? nnm_act_leaky_relu_f64(n, c.act.alpha, xd, yd)
                    : kind == NNM_ACT_ELU      ? nnm_act_elu_f64(n, c.act.alpha, xd, yd)
                                               : direct64[kind](n, xd, yd);
            }
        }
        FZ_CHECK(s == w);
        if (s != NNM_OK) FZ_CHECK(fz_same(buf, snap, bytes));
        free(buf);
        free(xb);
        free(snap);
    }

    /* ---- VJP from x, and from the forward output y ---- */
    if (!c.giant && ptr_mode == 0 && valid) {
        size_t n = c.n;
        double *g = fz_alloc(n, sizeof(double)), *y = fz_alloc(n, sizeof(double));
        FZ_CHECK(call1(&c, OP_GRAD, c.x, g, 0) == NNM_OK);
        FZ_CHECK(call1(&c, OP_APPLY, c.x, y, 0) == NNM_OK);
        double *dx = fz_alloc_out(n, sizeof(double)), *dx2 = fz_alloc_out(n, sizeof(double));
        double *dxy = fz_alloc_out(n, sizeof(double));
        nnm_status s, s2, sy;
        if (c.f32) {
            float *xf = fz_alloc(n, sizeof(float)), *df = fz_alloc(n, sizeof(float));
            float *yf = fz_alloc(n, sizeof(float)), *of = fz_alloc_out(n, sizeof(float));
            float *ip = fz_alloc(n, sizeof(float)), *oy = fz_alloc_out(n, sizeof(float));
            for (size_t i = 0; i < n; ++i) {
                xf[i] = (float)c.x[i];
                df[i] = (float)c.dy[i];
                yf[i] = (float)y[i];
            }
            s = nnm_grad_act_vjp_f32(c.act, n, xf, df, of);
            memcpy(ip, df, n * sizeof(float));
            s2 = nnm_grad_act_vjp_f32(c.act, n, xf, ip, ip); /* dx == dy */
            sy = nnm_grad_act_vjp_from_y_f32(c.act, n, yf, df, oy);
            for (size_t i = 0; i < n; ++i) {
                dx[i] = (double)of[i];
                dx2[i] = (double)ip[i];
                dxy[i] = (double)oy[i];
            }
            free(xf), free(df), free(yf), free(of), free(ip), free(oy);
        } else {
            s = nnm_grad_act_vjp_f64(c.act, n, c.x, c.dy, dx);
            memcpy(dx2, c.dy, n * sizeof(double));
            s2 = nnm_grad_act_vjp_f64(c.act, n, c.x, dx2, dx2);
            sy = nnm_grad_act_vjp_from_y_f64(c.act, n, y, c.dy, dxy);
        }
        FZ_CHECK(s == NNM_OK && s2 == NNM_OK);
        for (size_t i = 0; i < n; ++i) {
            FZ_CHECK(fz_bits_eq64(dx[i], dx2[i]));
            /* dx = f'(x) dy with one rounding: within 3 ULP of the product of the rounded f' */
            double want_dx = g[i] * c.dy[i];
            /* a subnormal f' carries less than full precision; the VJP does not (documented) */
            int g_normal = fabs(g[i]) >= (c.f32 ? (double)FLT_MIN : DBL_MIN);
            if (!g_normal) {
            } else if (c.f32) {
                float w32 = (float)want_dx;
                if (isfinite(w32) && fabsf(w32) >= FLT_MIN) FZ_CHECK(fz_ulp_f32((float)dx[i], w32) <= 3);
            } else if (isfinite(want_dx) && fabs(want_dx) >= DBL_MIN * 8) {
                FZ_CHECK(fz_ulp_f64(dx[i], want_dx) <= 5);
            }
            if (isnan(c.x[i]) || isnan(c.dy[i])) FZ_CHECK(isnan(dx[i]));
        }
        /* from y: the forward output is always in the domain of an invertible kind */
        /* f32 elu with alpha beyond FLT_MAX: the forward gives -inf, outside the domain */
        int f32_huge_alpha = c.f32 && kind == NNM_ACT_ELU && c.act.alpha > (double)FLT_MAX / 2;
        if (!from_y_invertible(c.act)) {
            FZ_CHECK(sy == NNM_EINVAL);
        } else if (!f32_huge_alpha) {
            double eps = c.f32 ? (double)FLT_EPSILON : DBL_EPSILON;
            for (size_t i = 0; i < n; ++i) FZ_CHECK(in_range(c.act, y[i], eps));
            FZ_CHECK(sy == NNM_OK);
            for (size_t i = 0; i < n; ++i)
                if (isfinite(y[i]) && isfinite(c.dy[i]) && fabs(c.dy[i]) < 1e30) FZ_CHECK(!isnan(dxy[i]));
        }
        /* from y with a y outside the range of f: NNM_EDOM, nothing written */
        if (from_y_invertible(c.act) && n > 0) {
            double *yb = fz_alloc(n, sizeof(double));
            memcpy(yb, y, n * sizeof(double));
            size_t at = fz_u8(&in) % n;
            yb[at] = fz_f64(&in);
            if (c.f32) yb[at] = (double)(float)yb[at];
            double eps = c.f32 ? (double)FLT_EPSILON : DBL_EPSILON;
            int inside = 1;
            for (size_t i = 0; i < n; ++i) inside &= in_range(c.act, yb[i], eps);
            double *ob = fz_alloc_out(n, sizeof(double));
            void *snap = fz_snapshot(ob, n * sizeof(double));
            nnm_status sb;
            if (c.f32) {
                float *yf = fz_alloc(n, sizeof(float)), *df = fz_alloc(n, sizeof(float));
                float *of = fz_alloc_out(n, sizeof(float));
                void *fs = fz_snapshot(of, n * sizeof(float));
                for (size_t i = 0; i < n; ++i) yf[i] = (float)yb[i], df[i] = (float)c.dy[i];
                sb = nnm_grad_act_vjp_from_y_f32(c.act, n, yf, df, of);
                if (sb != NNM_OK) FZ_CHECK(fz_same(of, fs, n * sizeof(float)));
                free(yf), free(df), free(of), free(fs);
            } else {
                sb = nnm_grad_act_vjp_from_y_f64(c.act, n, yb, c.dy, ob);
                if (sb != NNM_OK) FZ_CHECK(fz_same(ob, snap, n * sizeof(double)));
            }
            /* the exact boundary (y = -alpha (1 + eps)) may round either way */
            if (!inside) FZ_CHECK(sb == NNM_EDOM);
            else FZ_CHECK(sb == NNM_OK || (kind == NNM_ACT_ELU || kind == NNM_ACT_SELU));
            free(yb), free(ob), free(snap);
        }
        free(g), free(y), free(dx), free(dx2), free(dxy);
    }
    free(c.x);
    free(c.dy);
    return 0;
}
