/*
 * Fuzz target: the softmax family (softmax, log-softmax, logsumexp) and its derivatives (softmax
 * Jacobian, softmax and log-softmax VJPs, the cross-entropy Hessian and its HVP), f32 and f64.
 *
 * Decoded: n (0..6) and k (1..12, sometimes 0 or gigantic with tiny buffers), beta (mostly
 * plausible, sometimes 0, negative, NaN or inf), logits of any IEEE value (masks -inf, +inf
 * entries, huge magnitudes), cotangents, NULL pointers and partial overlaps.
 *
 * Invariants (include/nnmath/activation.h, gradient.h, hessian.h):
 *  - the documented status (EINVAL: NULL with n > 0, beta not finite and > 0, partial overlap;
 *    ESIZE: k = 0 or n*k / k*k beyond PTRDIFF_MAX bytes; EDOM: CE targets outside [0,1]) and no
 *    write on failure;
 *  - rows without NaN: softmax in [0,1] summing to 1 within (k + 4) eps (all -inf rows: all 0;
 *    +inf entries: equal shares), never NaN; log-softmax <= 0 and e^logp = softmax to
 *    (8 + 2|logp|) eps; logsumexp >= beta max a; in-place (y == a, da == dy) bit-identical;
 *    f32 within 5 FLT_EPSILON of f64;
 *  - the Jacobian is symmetric with rows summing to 0, the VJPs equal J dy within their error
 *    bound, and the CE Hessian is symmetric, PSD on the diagonal, H 1 = 0, HVP = H v. Where
 *    results underflow, the VJPs' absolute error is a few subnormal units times beta (a bracket
 *    that rounds in the subnormal range is then scaled; the header's "a few units of 2^-1074"
 *    holds for beta <= 1).
 */
#include "fuzz_common.h"

typedef struct scase {
    int f32;
    size_t n, k;
    int giant;
    double beta;
    double *a, *dy; /* n*k, rounded to float for f32 */
} scase;

static const scase *current;

static void describe_case(void)
{
    const scase *c = current;
    fprintf(stderr, "f32 %d n %zu k %zu giant %d beta %a\n", c->f32, c->n, c->k, c->giant, c->beta);
    for (size_t i = 0; !c->giant && i < c->n * c->k && i < 96; ++i)
        fprintf(stderr, "  a[%zu] = %a  dy = %a\n", i, c->a[i], c->dy[i]);
}

enum { F_SOFTMAX, F_LOGSOFTMAX, F_LSE, F_SOFTMAX_VJP, F_LOGSOFTMAX_VJP, F_HVP };

/* Run one row-family function on double data (f32: on float copies). out has n*k values (n for
 * logsumexp). in2 is the second input of the VJPs (dy) and the HVP (v). inplace: the output
 * aliases the first input (forward) or in2 (VJP, HVP). */
static nnm_status run(const scase *c, int fn, const double *in1, const double *in2, double *out,
                      int inplace)
{
    size_t n = c->n, k = c->k, cnt = n * k, ocnt = fn == F_LSE ? n : cnt;
    if (!c->f32) {
        const double *x1 = in1, *x2 = in2;
        if (inplace) {
            memcpy(out, fn <= F_LSE ? in1 : in2, cnt * sizeof(double));
            if (fn <= F_LSE) x1 = out;
            else x2 = out;
        }
        switch (fn) {
        case F_SOFTMAX: return nnm_act_softmax_f64(n, k, c->beta, x1, out);
        case F_LOGSOFTMAX: return nnm_act_log_softmax_f64(n, k, c->beta, x1, out);
        case F_LSE: return nnm_act_logsumexp_f64(n, k, c->beta, x1, out);
        case F_SOFTMAX_VJP: return nnm_grad_softmax_vjp_f64(n, k, c->beta, x1, x2, out);
        case F_LOGSOFTMAX_VJP: return nnm_grad_log_softmax_vjp_f64(n, k, c->beta, x1, x2, out);
        default: return nnm_hess_loss_ce_logits_hvp_f64(n, k, c->beta, x1, x2, out);
        }
    }
    float *x1 = fz_alloc(cnt, sizeof(float)), *x2 = fz_alloc(cnt, sizeof(float));
    float *o = fz_alloc_out(inplace ? cnt : ocnt, sizeof(float));
    for (size_t i = 0; i < cnt; ++i) {
        x1[i] = (float)in1[i];
        x2[i] = in2 ? (float)in2[i] : 0.0f;
    }
    const float *p1 = x1, *p2 = x2;
    if (inplace) {
        memcpy(o, fn <= F_LSE ? x1 : x2, cnt * sizeof(float));
        if (fn <= F_LSE) p1 = o;
        else p2 = o;
    }
    nnm_status s;
    switch (fn) {
    case F_SOFTMAX: s = nnm_act_softmax_f32(n, k, c->beta, p1, o); break;
    case F_LOGSOFTMAX: s = nnm_act_log_softmax_f32(n, k, c->beta, p1, o); break;
    case F_LSE: s = nnm_act_logsumexp_f32(n, k, c->beta, p1, o); break;
    case F_SOFTMAX_VJP: s = nnm_grad_softmax_vjp_f32(n, k, c->beta, p1, p2, o); break;
    case F_LOGSOFTMAX_VJP: s = nnm_grad_log_softmax_vjp_f32(n, k, c->beta, p1, p2, o); break;
    default: s = nnm_hess_loss_ce_logits_hvp_f32(n, k, c->beta, p1, p2, o); break;
    }
    for (size_t i = 0; s == NNM_OK && i < ocnt; ++i) out[i] = (double)o[i];
    free(x1);
    free(x2);
    free(o);
    return s;
}

static int beta_ok(double beta)
{
    return beta > 0.0 && beta <= DBL_MAX;
}

/* Failing calls (NULL, partial overlap, gigantic sizes, bad beta) on raw buffers: the status
 * and that nothing was written. */
static void error_paths(const scase *c, fz_in *in)
{
    size_t elem = c->f32 ? sizeof(float) : sizeof(double);
    size_t n = c->n, k = c->k, cnt = c->giant ? 4 : n * k;
    uint8_t mode = fz_u8(in) % 4; /* 0: as decoded, 1: NULL input, 2: NULL output, 3: overlap */
    if (mode == 3 && (c->giant || cnt < 2)) mode = 0;
    int fn = (int)(fz_u8(in) % 6);
    if (mode == 3 && fn == F_HVP) mode = 0; /* the HVP documents no overlap check */
    unsigned char *buf = fz_alloc(cnt + 1, elem), *in2 = fz_alloc(cnt, elem);
    memset(buf, 0, (cnt + 1) * elem);
    memset(in2, 0, cnt * elem);
    unsigned char *src = fz_alloc(cnt, elem);
    memset(src, 0, cnt * elem);
    void *out = buf;
    const void *x = src;
    if (mode == 1) x = NULL;
    if (mode == 2) out = NULL;
    if (mode == 3) {
        x = buf; /* the output starts one element into the input */
        out = buf + elem;
    }
    void *snap = fz_snapshot(buf, (cnt + 1) * elem);
    nnm_status s;
    double b = c->beta;
    if (c->f32) {
        const float *xf = x, *yf = (const float *)(const void *)in2;
        float *of = out;
        switch (fn) {
        case F_SOFTMAX: s = nnm_act_softmax_f32(n, k, b, xf, of); break;
        case F_LOGSOFTMAX: s = nnm_act_log_softmax_f32(n, k, b, xf, of); break;
        case F_LSE: s = nnm_act_logsumexp_f32(n, k, b, xf, of); break;
        case F_SOFTMAX_VJP: s = nnm_grad_softmax_vjp_f32(n, k, b, xf, yf, of); break;
        case F_LOGSOFTMAX_VJP: s = nnm_grad_log_softmax_vjp_f32(n, k, b, xf, yf, of); break;
        default: s = nnm_hess_loss_ce_logits_hvp_f32(n, k, b, xf, yf, of); break;
        }
    } else {
        const double *xd = x, *yd = (const double *)(const void *)in2;
        double *od = out;
        switch (fn) {
        case F_SOFTMAX: s = nnm_act_softmax_f64(n, k, b, xd, od); break;
        case F_LOGSOFTMAX: s = nnm_act_log_softmax_f64(n, k, b, xd, od); break;
        case F_LSE: s = nnm_act_logsumexp_f64(n, k, b, xd, od); break;
        case F_SOFTMAX_VJP: s = nnm_grad_softmax_vjp_f64(n, k, b, xd, yd, od); break;
        case F_LOGSOFTMAX_VJP: s = nnm_grad_log_softmax_vjp_f64(n, k, b, xd, yd, od); break;
        default: s = nnm_hess_loss_ce_logits_hvp_f64(n, k, b, xd, yd, od); break;
        }
    }
    nnm_status want = NNM_OK;
    int overlap = mode == 3; /* the output starts one element into the input: partial */
    int einval = !beta_ok(b) || (n > 0 && (mode == 1 || mode == 2)) ||
                 (overlap && !(fn == F_LSE && n == 0));
    if (einval) want = NNM_EINVAL;
    else if (k == 0 || n > (size_t)PTRDIFF_MAX / elem / k) want = NNM_ESIZE;
    FZ_CHECK(s == want);
    if (s != NNM_OK) FZ_CHECK(fz_same(buf, snap, (cnt + 1) * elem));
    free(buf);
    free(in2);
    free(src);
    free(snap);
}

static void check_forward(const scase *c)
{
    size_t n = c->n, k = c->k, cnt = n * k;
    const double eps = c->f32 ? (double)FLT_EPSILON : DBL_EPSILON;
    double *y = fz_alloc_out(cnt, sizeof(double)), *lp = fz_alloc_out(cnt, sizeof(double));
    double *lse = fz_alloc_out(n, sizeof(double)), *z = fz_alloc_out(cnt, sizeof(double));
    FZ_CHECK(run(c, F_SOFTMAX, c->a, NULL, y, 0) == NNM_OK);
    FZ_CHECK(run(c, F_LOGSOFTMAX, c->a, NULL, lp, 0) == NNM_OK);
    FZ_CHECK(run(c, F_LSE, c->a, NULL, lse, 0) == NNM_OK);
    FZ_CHECK(run(c, F_SOFTMAX, c->a, NULL, z, 1) == NNM_OK);
    for (size_t i = 0; i < cnt; ++i) FZ_CHECK(fz_bits_eq64(y[i], z[i]));
    FZ_CHECK(run(c, F_LOGSOFTMAX, c->a, NULL, z, 1) == NNM_OK);
    for (size_t i = 0; i < cnt; ++i) FZ_CHECK(fz_bits_eq64(lp[i], z[i]));

    for (size_t r = 0; r < n; ++r) {
        const double *ar = c->a + r * k, *yr = y + r * k, *lr = lp + r * k;
        int has_nan = 0, all_neg_inf = 1, pos_inf = 0;
        double m = -INFINITY;
        for (size_t j = 0; j < k; ++j) {
            has_nan |= isnan(ar[j]);
            all_neg_inf &= ar[j] == -INFINITY;
            pos_inf += ar[j] == INFINITY;
            if (ar[j] > m) m = ar[j];
        }
        if (has_nan) continue;
        double sum = 0.0;
        for (size_t j = 0; j < k; ++j) {
            FZ_CHECK(!isnan(yr[j]) && yr[j] >= 0.0 && yr[j] <= 1.0);
            FZ_CHECK(!isnan(lr[j]) && lr[j] <= 0.0);
            sum += yr[j];
            if (pos_inf) FZ_CHECK(yr[j] == (ar[j] == INFINITY ? 1.0 / (double)pos_inf : 0.0) ||
                                  (ar[j] == INFINITY && fabs(yr[j] * pos_inf - 1) <= 2 * eps));
            /* e^logp = softmax within (8 + 2 |logp|) eps wherever softmax is normal */
            double lo = c->f32 ? (double)FLT_MIN : DBL_MIN;
            if (yr[j] >= lo && isfinite(lr[j])) {
                double e = exp(lr[j]);
                FZ_CHECK(fabs(e - yr[j]) <= (8 + 2 * fabs(lr[j])) * eps * yr[j] + 2 * DBL_EPSILON * e);
            }
        }
        if (all_neg_inf) {
            FZ_CHECK(sum == 0.0);
            FZ_CHECK(lse[r] == -INFINITY);
        } else {
            FZ_CHECK(fabs(sum - 1.0) <= (double)(k + 4) * eps);
            FZ_CHECK(!isnan(lse[r]));
            double bm = c->beta * m;
            double tiny = c->f32 ? (double)FLT_TRUE_MIN : DBL_TRUE_MIN;
            if (isfinite(bm) && isfinite(lse[r])) FZ_CHECK(lse[r] >= bm - 2 * eps * fabs(bm) - tiny);
        }
    }
    if (c->f32) {
        scase c64 = *c;
        c64.f32 = 0;
        double *y64 = fz_alloc(cnt, sizeof(double));
        FZ_CHECK(run(&c64, F_SOFTMAX, c->a, NULL, y64, 0) == NNM_OK);
        for (size_t i = 0; i < cnt; ++i)
            if (y64[i] >= (double)FLT_MIN || y64[i] == 0.0)
                FZ_CHECK(fabs(y[i] - y64[i]) <= 5 * (double)FLT_EPSILON * y64[i] ||
                         (y64[i] < (double)FLT_MIN * 2 && fabs(y[i] - y64[i]) <= (double)FLT_MIN));
        free(y64);
    }

    /* ---- VJPs against J dy, in place = out of place ---- */
    double *da = fz_alloc_out(cnt, sizeof(double)), *da2 = fz_alloc_out(cnt, sizeof(double));
    FZ_CHECK(run(c, F_SOFTMAX_VJP, y, c->dy, da, 0) == NNM_OK);
    FZ_CHECK(run(c, F_SOFTMAX_VJP, y, c->dy, da2, 1) == NNM_OK);
    for (size_t i = 0; i < cnt; ++i) FZ_CHECK(fz_bits_eq64(da[i], da2[i]));
    double *J = fz_alloc_out(k * k, sizeof(double));
    for (size_t r = 0; r < n; ++r) {
        const double *yr = y + r * k, *dr = c->dy + r * k;
        int finite = 1;
        double sy = 0.0, ydy = 0.0;
        for (size_t j = 0; j < k; ++j) {
            finite &= isfinite(yr[j]) && isfinite(dr[j]) && fabs(dr[j]) < 1e100;
            sy += yr[j] * fabs(dr[j]);
        }
        if (!finite || c->beta > (c->f32 ? 1e30 : 1e100)) continue; /* J, da beyond the range */
        /* the reference J is the f64 one of the same (widened) y: the f32 Jacobian is that,
         * rounded once to float (checked), and a float-rounded J would lose the subnormal
         * products that the f32 VJP, computed in double, keeps */
        FZ_CHECK(nnm_grad_softmax_jacobian_f64(k, c->beta, yr, J) == NNM_OK);
        if (c->f32) {
            float *yf = fz_alloc(k, sizeof(float)), *Jf = fz_alloc(k * k, sizeof(float));
            for (size_t j = 0; j < k; ++j) yf[j] = (float)yr[j];
            FZ_CHECK(nnm_grad_softmax_jacobian_f32(k, c->beta, yf, Jf) == NNM_OK);
            for (size_t j = 0; j < k * k; ++j)
                if (fabs(J[j]) >= (double)FLT_MIN && fabs(J[j]) < (double)FLT_MAX)
                    FZ_CHECK(fz_ulp_f32(Jf[j], (float)J[j]) <= 1);
            free(yf);
            free(Jf);
        }
        for (size_t i = 0; i < k; ++i) {
            double rs = 0.0, jdy = 0.0;
            for (size_t j = 0; j < k; ++j) {
                FZ_CHECK(fabs(J[i * k + j] - J[j * k + i]) <=
                         4 * eps * fabs(J[i * k + j]) +
                             4 * fmax(1.0, c->beta) * (c->f32 ? (double)FLT_TRUE_MIN : DBL_TRUE_MIN));
                rs += J[i * k + j];
                jdy += J[i * k + j] * dr[j];
            }
            double scale = c->beta * yr[i];
            /* beta y_k y_j may be flushed where it is a subnormal (reliab8-7, low): allow
             * k beta subnormal units */
            FZ_CHECK(fabs(rs) <= (3.0 * (double)k + 8) * scale * eps +
                                     (double)k * 4 * fmax(1.0, c->beta) *
                                         (c->f32 ? (double)FLT_TRUE_MIN : DBL_TRUE_MIN));
            /* J entries that underflow are off by up to beta subnormal units each (reliab8-7):
             * the reference J dy then carries beta u sum |dy| on top of the relative bound */
            double sdy = 0.0;
            for (size_t j = 0; j < k; ++j) sdy += fabs(dr[j]);
            double bound = (2.0 * (double)k + 8) * (scale * (fabs(dr[i]) + sy)) * eps +
                           2 * fmax(1.0, c->beta) * DBL_TRUE_MIN * sdy +
                           (double)k * 8 * fmax(1.0, c->beta) * (c->f32 ? (double)FLT_TRUE_MIN : DBL_TRUE_MIN);
            (void)ydy;
            double top = c->f32 ? (double)FLT_MAX / 4 : DBL_MAX / 4;
            if (fabs(jdy) < top && bound < top) FZ_CHECK(fabs(da[r * k + i] - jdy) <= bound);
        }
    }
    /* log-softmax VJP: beta (g_j - p_j sum g), p = e^logp */
    FZ_CHECK(run(c, F_LOGSOFTMAX_VJP, lp, c->dy, da, 0) == NNM_OK);
    FZ_CHECK(run(c, F_LOGSOFTMAX_VJP, lp, c->dy, da2, 1) == NNM_OK);
    for (size_t i = 0; i < cnt; ++i) FZ_CHECK(fz_bits_eq64(da[i], da2[i]));
    for (size_t r = 0; r < n; ++r) {
        const double *lr = lp + r * k, *dr = c->dy + r * k;
        double sg = 0.0, sa = 0.0;
        int finite = 1;
        for (size_t j = 0; j < k; ++j) {
            finite &= !isnan(lr[j]) && isfinite(dr[j]) && fabs(dr[j]) < 1e100;
            sg += dr[j];
            sa += fabs(dr[j]);
        }
        if (!finite || c->beta > (c->f32 ? 1e30 : 1e100)) continue; /* J, da beyond the range */
        for (size_t j = 0; j < k; ++j) {
            double p = exp(lr[j]);
            double want = c->beta * (dr[j] - p * sg);
            /* beta times the magnitudes first: a subnormal beta times eps would underflow */
            double bound = (2.0 * (double)k + 8 + 2 * (isfinite(lr[j]) ? fabs(lr[j]) : 0)) *
                               (c->beta * (fabs(dr[j]) + p * sa)) * eps +
                           (double)k * 8 * fmax(1.0, c->beta) * (c->f32 ? (double)FLT_TRUE_MIN : DBL_TRUE_MIN);
            double top = c->f32 ? (double)FLT_MAX / 4 : DBL_MAX / 4; /* da beyond: +-inf */
            if (fabs(want) < top && bound < top) FZ_CHECK(fabs(da[r * k + j] - want) <= bound);
        }
    }
    free(J);
    free(da);
    free(da2);
    free(y);
    free(lp);
    free(lse);
    free(z);
}

/* The CE Hessian of one row (one-hot target 0, so sum t = 1) against the HVP of the same row. */
static void check_hessian(const scase *c, fz_in *in)
{
    size_t k = c->k;
    if (c->n == 0 || c->beta > (c->f32 ? 1e15 : 1e50)) return; /* beta^2 H beyond the range */
    const double eps = c->f32 ? (double)FLT_EPSILON : DBL_EPSILON;
    double *t = fz_alloc(k, sizeof(double)), *H = fz_alloc_out(k * k, sizeof(double));
    for (size_t j = 0; j < k; ++j) t[j] = j == 0 ? 1.0 : 0.0;
    int bad_t = fz_u8(in) >= 240;
    if (bad_t) t[fz_u8(in) % k] = fz_f64(in);
    int t_ok = 1;
    for (size_t j = 0; j < k; ++j) t_ok &= t[j] >= 0.0 && t[j] <= 1.0;
    nnm_status s;
    void *snap = fz_snapshot(H, k * k * sizeof(double));
    if (c->f32) {
        /* f32: the f64 Hessian of the same (float) data is the reference; the f32 one is it
         * rounded once */
        float *af = fz_alloc(k, sizeof(float)), *tf = fz_alloc(k, sizeof(float));
        float *Hf = fz_alloc_out(k * k, sizeof(float));
        void *fs = fz_snapshot(Hf, k * k * sizeof(float));
        for (size_t j = 0; j < k; ++j) af[j] = (float)c->a[j], tf[j] = (float)t[j];
        t_ok = 1;
        for (size_t j = 0; j < k; ++j) t_ok &= tf[j] >= 0.0f && tf[j] <= 1.0f;
        s = nnm_hess_loss_ce_logits_f32(k, c->beta, af, tf, Hf);
        if (s != NNM_OK) FZ_CHECK(fz_same(Hf, fs, k * k * sizeof(float)));
        if (s == NNM_OK) {
            for (size_t j = 0; j < k; ++j) t[j] = (double)tf[j];
            FZ_CHECK(nnm_hess_loss_ce_logits_f64(k, c->beta, c->a, t, H) == NNM_OK);
            for (size_t j = 0; j < k * k; ++j)
                if (fabs(H[j]) >= (double)FLT_MIN && fabs(H[j]) < (double)FLT_MAX)
                    FZ_CHECK(fz_ulp_f32(Hf[j], (float)H[j]) <= 1);
        }
        free(af), free(tf), free(Hf), free(fs);
    } else {
        s = nnm_hess_loss_ce_logits_f64(k, c->beta, c->a, t, H);
        if (s != NNM_OK) FZ_CHECK(fz_same(H, snap, k * k * sizeof(double)));
    }
    FZ_CHECK(s == (t_ok ? NNM_OK : NNM_EDOM));
    int finite_row = 1;
    for (size_t j = 0; j < k; ++j) finite_row &= isfinite(c->a[j]);
    if (s == NNM_OK && finite_row && !bad_t) {
        double b2 = c->beta * c->beta;
        double *p = fz_alloc(k, sizeof(double)), *hv = fz_alloc_out(c->n * k, sizeof(double));
        scase c1 = *c, c64 = *c;
        c1.n = 1;
        c64.n = 1;
        c64.f32 = 0; /* p in double: the f32 functions compute in double (p may underflow float) */
        FZ_CHECK(run(&c64, F_SOFTMAX, c->a, NULL, p, 0) == NNM_OK);
        FZ_CHECK(run(&c1, F_HVP, c->a, c->dy, hv, 0) == NNM_OK);
        double pv = 0.0;
        for (size_t j = 0; j < k; ++j) pv += p[j] * fabs(c->dy[j]);
        for (size_t i = 0; i < k; ++i) {
            FZ_CHECK(H[i * k + i] >= 0.0);
            double rs = 0.0, Hv = 0.0;
            for (size_t j = 0; j < k; ++j) {
                FZ_CHECK(fabs(H[i * k + j] - H[j * k + i]) <=
                         4 * eps * fabs(H[i * k + j]) +
                             4 * (c->f32 ? (double)FLT_TRUE_MIN : DBL_TRUE_MIN));
                rs += H[i * k + j];
                Hv += H[i * k + j] * c->dy[j];
            }
            double sv = 0.0;
            for (size_t j = 0; j < k; ++j) sv += isfinite(c->dy[j]) ? fabs(c->dy[j]) : 0.0;
            /* products that round in the subnormal range before the beta^2 scaling carry
             * beta^2 subnormal units */
            double tiny = (double)k * 16 * fmax(1.0, b2) *
                              (c->f32 ? (double)FLT_TRUE_MIN : DBL_TRUE_MIN) +
                          2 * fmax(1.0, b2) * DBL_TRUE_MIN * sv;
            FZ_CHECK(fabs(rs) <= (3.0 * (double)k + 32) * (b2 * 2 * p[i]) * eps + tiny);
            double top = c->f32 ? (double)FLT_MAX / 4 : DBL_MAX / 4;
            /* beta^2 below DBL_MIN: H underflows entry by entry while the HVP scales once */
            if (b2 >= DBL_MIN && isfinite(c->dy[i]) && fabs(c->dy[i]) < 1e100 && fabs(Hv) < top &&
                b2 * (fabs(c->dy[i]) + pv) < top && pv < top) /* no intermediate beyond the range */
                FZ_CHECK(fabs(hv[i] - Hv) <=
                         (2.0 * (double)k + 32) * (b2 * p[i] * (fabs(c->dy[i]) + pv)) * eps + tiny);
        }
        free(p);
        free(hv);
    }
    free(t);
    free(H);
    free(snap);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in in = {data, size};
    scase c;
    memset(&c, 0, sizeof c);
    current = &c;
    fz_describe = describe_case;
    uint8_t m = fz_u8(&in);
    c.f32 = m & 1;
    c.n = fz_u8(&in) % 7;
    c.k = 1 + fz_u8(&in) % 12;
    uint8_t bm = fz_u8(&in);
    c.beta = bm < 120 ? 1.0 : bm < 160 ? 100.0 : bm < 230 ? fz_param(&in, 1.0) : fz_f64(&in);
    size_t elem = c.f32 ? sizeof(float) : sizeof(double);
    if (m >= 244) {
        static const size_t giant[] = {(size_t)1 << 30, (size_t)1 << 31, (size_t)1 << 62,
                                       (size_t)PTRDIFF_MAX, SIZE_MAX};
        c.k = giant[fz_u8(&in) % 5];
        c.n = (m & 2) ? SIZE_MAX / 3 : 3;
        if (c.n <= (size_t)PTRDIFF_MAX / elem / c.k) c.n = SIZE_MAX; /* beyond PTRDIFF_MAX bytes */
        c.giant = 1;
    } else if (m >= 236) {
        c.k = 0;
    }
    size_t cnt = c.giant ? 4 : c.n * c.k;
    c.a = fz_alloc(cnt, sizeof(double));
    c.dy = fz_alloc(cnt, sizeof(double));
    for (size_t i = 0; i < cnt; ++i) {
        uint8_t vm = fz_u8(&in);
        double v = vm < 16 ? -INFINITY : vm < 20 ? INFINITY : fz_f64(&in);
        double d = fz_u8(&in) < 200 ? (double)(int16_t)fz_u16(&in) / 256.0 : fz_f64(&in);
        c.a[i] = c.f32 ? (double)(float)v : v;
        c.dy[i] = c.f32 ? (double)(float)d : d;
    }
    error_paths(&c, &in);
    if (!c.giant && c.k > 0 && beta_ok(c.beta)) {
        check_forward(&c);
        check_hessian(&c, &in);
    }
    free(c.a);
    free(c.dy);
    return 0;
}
