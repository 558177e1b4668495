/*
 * Fuzz target: every loss (l2, l1, huber, bce, bce_logits, ce, ce_logits, ce_logits_labels,
 * nll_labels, kl_div), f32 and f64, every reduction and option.
 *
 * Decoded from the input: the loss, the dtype, n and k (small, or gigantic to reach the size
 * checks), the options (each field mostly valid, sometimes not), the data (any IEEE value for
 * inputs; targets mostly in [0,1]; labels mostly in range, sometimes -1, k, INT32_MIN, INT32_MAX
 * or the ignored index).
 *
 * Invariants (API.md "Losses", include/nnmath/loss.h):
 *  - the status is exactly the one the documented rules give, computed here independently
 *    (EINVAL > ESIZE > EDOM), and a failing call leaves the output bit-identical;
 *  - losses whose terms are non-negative are >= 0 (nll_labels too when every logp <= 0);
 *  - all inputs finite -> no NaN out;
 *  - NONE is row-local: out[i] equals the NONE loss of row i alone, bit for bit;
 *  - SUM equals the sum of the NONE values (to (n + 4) eps of sum |out[i]|) and MEAN equals
 *    SUM / D (D = n, or sum w_i for the label forms; 0 when D = 0) to 4 eps;
 *  - the f32 loss is the f64 loss of the same (widened) data rounded to float, to 1 ULP.
 * and for the gradients (nnm_grad_loss_*) and the diagonal Hessians (nnm_hess_loss_l2, huber,
 * bce, ce, bce_logits_opts) of the same call:
 *  - the status of the forward loss (the gradient needs no output for n = 0), no write on failure;
 *  - the gradient of SUM equals the gradient of NONE bit for bit (NONE differentiates sum_i
 *    out[i]) and is row-local (row i alone gives the same bits); MEAN is SUM / D to 2 ULP (0 for
 *    D = 0); an ignored or zero-weight sample gets exactly 0; d_input == input gives the same bits;
 *  - the logit forms have finite gradients for finite data (moderate weights); f32 = f64 rounded;
 *  - Hessian diagonals: l2 exactly 1 (or 1/n), huber 0 or 1 (or /n), bce/ce/bce_logits >= 0.
 */
#include "fuzz_common.h"

enum { L_L2, L_L1, L_HUBER, L_BCE, L_BCE_LOGITS, L_CE, L_CE_LOGITS, L_CE_LABELS, L_NLL, L_KL,
       L_COUNT };

typedef nnm_status (*dense64_fn)(size_t, size_t, const double *, const double *,
                                 const nnm_loss_opts *, double *);
typedef nnm_status (*dense32_fn)(size_t, size_t, const float *, const float *,
                                 const nnm_loss_opts *, float *);
typedef nnm_status (*label64_fn)(size_t, size_t, const double *, const int32_t *,
                                 const nnm_loss_opts *, double *);
typedef nnm_status (*label32_fn)(size_t, size_t, const float *, const int32_t *,
                                 const nnm_loss_opts *, float *);

/* gradients and diagonal Hessians have the forward signatures */
typedef struct deriv_fns {
    dense64_fn g64;
    dense32_fn g32;
    label64_fn gl64;
    label32_fn gl32;
    dense64_fn h64; /* NULL: no diagonal Hessian with options */
    dense32_fn h32;
} deriv_fns;

/* Which options each loss uses (the others must be zero) and what its data domain is. */
typedef struct loss_info {
    dense64_fn d64;
    dense32_fn d32;
    label64_fn l64;
    label32_fn l32;
    int class_weight, pos_weight, smoothing, ignore, delta;
    int input_unit;   /* input must lie in [0,1] (bce, ce: probabilities) */
    int target_unit;  /* dense target in [0,1] */
    int target_finite; /* regression target finite */
    int nonneg;       /* every per-sample loss >= 0 for data in the domain */
} loss_info;

static const loss_info losses[L_COUNT] = {
    [L_L2] = {nnm_loss_l2_f64, nnm_loss_l2_f32, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 1, 1},
    [L_L1] = {nnm_loss_l1_f64, nnm_loss_l1_f32, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 1, 1},
    [L_HUBER] = {nnm_loss_huber_f64, nnm_loss_huber_f32, NULL, NULL, 0, 0, 0, 0, 1, 0, 0, 1, 1},
    [L_BCE] = {nnm_loss_bce_f64, nnm_loss_bce_f32, NULL, NULL, 1, 0, 0, 0, 0, 1, 1, 0, 1},
    [L_BCE_LOGITS] = {nnm_loss_bce_logits_f64, nnm_loss_bce_logits_f32, NULL, NULL, 1, 1, 0, 0,
                      0, 0, 1, 0, 1},
    [L_CE] = {nnm_loss_ce_f64, nnm_loss_ce_f32, NULL, NULL, 1, 0, 1, 0, 0, 1, 1, 0, 1},
    [L_CE_LOGITS] = {nnm_loss_ce_logits_f64, nnm_loss_ce_logits_f32, NULL, NULL, 1, 0, 1, 0, 0, 0,
                     1, 0, 1},
    [L_CE_LABELS] = {NULL, NULL, nnm_loss_ce_logits_labels_f64, nnm_loss_ce_logits_labels_f32, 1,
                     0, 1, 1, 0, 0, 0, 0, 1},
    [L_NLL] = {NULL, NULL, nnm_loss_nll_labels_f64, nnm_loss_nll_labels_f32, 1, 0, 0, 1, 0, 0, 0,
               0, 0},
    [L_KL] = {nnm_loss_kl_div_f64, nnm_loss_kl_div_f32, NULL, NULL, 0, 0, 0, 0, 0, 0, 1, 0, 0},
};

static const deriv_fns derivs[L_COUNT] = {
    [L_L2] = {nnm_grad_loss_l2_f64, nnm_grad_loss_l2_f32, NULL, NULL, nnm_hess_loss_l2_f64,
              nnm_hess_loss_l2_f32},
    [L_L1] = {nnm_grad_loss_l1_f64, nnm_grad_loss_l1_f32, NULL, NULL, NULL, NULL},
    [L_HUBER] = {nnm_grad_loss_huber_f64, nnm_grad_loss_huber_f32, NULL, NULL,
                 nnm_hess_loss_huber_f64, nnm_hess_loss_huber_f32},
    [L_BCE] = {nnm_grad_loss_bce_f64, nnm_grad_loss_bce_f32, NULL, NULL, nnm_hess_loss_bce_f64,
               nnm_hess_loss_bce_f32},
    [L_BCE_LOGITS] = {nnm_grad_loss_bce_logits_f64, nnm_grad_loss_bce_logits_f32, NULL, NULL,
                      nnm_hess_loss_bce_logits_opts_f64, nnm_hess_loss_bce_logits_opts_f32},
    [L_CE] = {nnm_grad_loss_ce_f64, nnm_grad_loss_ce_f32, NULL, NULL, nnm_hess_loss_ce_f64,
              nnm_hess_loss_ce_f32},
    [L_CE_LOGITS] = {nnm_grad_loss_ce_logits_f64, nnm_grad_loss_ce_logits_f32, NULL, NULL, NULL,
                     NULL},
    [L_CE_LABELS] = {NULL, NULL, nnm_grad_loss_ce_logits_labels_f64,
                     nnm_grad_loss_ce_logits_labels_f32, NULL, NULL},
    [L_NLL] = {NULL, NULL, nnm_grad_loss_nll_labels_f64, nnm_grad_loss_nll_labels_f32, NULL, NULL},
    [L_KL] = {nnm_grad_loss_kl_div_f64, nnm_grad_loss_kl_div_f32, NULL, NULL, NULL, NULL},
};

static int is_label_form(int loss)
{
    return loss == L_CE_LABELS || loss == L_NLL;
}

/* One fuzzed call: sizes, options and data (all data kept as double; for f32 they are already
 * rounded to float, so the expected status sees exactly what the library sees). */
typedef struct loss_case {
    int loss, f32;
    size_t n, k;
    int opts_null;
    nnm_loss_opts o;
    double *cw, *pw;   /* k weights each when given */
    double *x, *t;     /* n*k */
    int32_t *labels;   /* n */
    int null_x, null_t, null_out;
    size_t cnt;        /* elements in x and t (3 for a gigantic case: never read) */
} loss_case;

static double round_to(int f32, double v)
{
    return f32 ? (double)(float)v : v;
}

static double fuzz_weight(fz_in *in)
{
    uint8_t m = fz_u8(in);
    if (m < 40) return 0.0;
    if (m < 220) return (double)fz_u8(in) / 32.0;
    return fz_f64(in); /* negative, NaN, inf, huge, subnormal */
}

static int32_t fuzz_label(fz_in *in, size_t k, int32_t ignore_index)
{
    uint8_t m = fz_u8(in);
    if (m < 200 || k == 0) return k ? (int32_t)(fz_u8(in) % (k < 256 ? k : 256)) : 0;
    switch (m % 7) {
    case 0: return -1;
    case 1: return (int32_t)(k <= INT32_MAX ? k : INT32_MAX);
    case 2: return INT32_MIN;
    case 3: return INT32_MAX;
    case 4: return ignore_index;
    case 5: return (int32_t)(k - 1);
    default: return (int32_t)fz_u32(in);
    }
}

/* The status the documented rules give (include/nnmath/loss.h, common contract). */
static nnm_status expected_status(const loss_case *c, int deriv)
{
    const loss_info *L = &losses[c->loss];
    const nnm_loss_opts *o = &c->o;
    size_t elem = c->f32 ? sizeof(float) : sizeof(double);
    if (!c->opts_null) {
        if (o->reduction != NNM_REDUCE_SUM && o->reduction != NNM_REDUCE_MEAN &&
            o->reduction != NNM_REDUCE_NONE)
            return NNM_EINVAL;
        if (!L->class_weight && o->class_weight) return NNM_EINVAL;
        if (!L->pos_weight && o->pos_weight) return NNM_EINVAL;
        if (L->smoothing ? !(o->label_smoothing >= 0.0 && o->label_smoothing <= 1.0)
                         : o->label_smoothing != 0.0)
            return NNM_EINVAL;
        if (L->delta ? !(o->delta >= 0.0) : o->delta != 0.0) return NNM_EINVAL;
        if (!L->ignore && (o->ignore_index != 0 || o->use_ignore_index != 0)) return NNM_EINVAL;
        if (L->ignore && o->use_ignore_index == 0 && o->ignore_index != 0) return NNM_EINVAL;
    }
    int none = !c->opts_null && o->reduction == NNM_REDUCE_NONE;
    if (c->n > 0 && (c->null_x || c->null_t)) return NNM_EINVAL;
    /* a loss always writes SUM/MEAN (one value, also for n = 0); a gradient or Hessian writes
     * n*k values, nothing for n = 0 */
    if (c->null_out && (deriv ? c->n > 0 : (!none || c->n > 0))) return NNM_EINVAL;
    if (c->k == 0) return NNM_ESIZE;
    if (c->n > (size_t)PTRDIFF_MAX / elem / c->k) return NNM_ESIZE;
    int has_w = !c->opts_null && (o->class_weight || o->pos_weight);
    if (has_w && c->k > (size_t)PTRDIFF_MAX / sizeof(double)) return NNM_ESIZE;
    if (is_label_form(c->loss) && c->k > (size_t)INT32_MAX) return NNM_ESIZE;
    const double *cw = c->opts_null ? NULL : o->class_weight;
    const double *pw = c->opts_null ? NULL : o->pos_weight;
    for (size_t j = 0; cw && j < c->k; ++j)
        if (!(cw[j] >= 0.0 && cw[j] <= DBL_MAX)) return NNM_EDOM;
    for (size_t j = 0; pw && j < c->k; ++j)
        if (!(pw[j] >= 0.0 && pw[j] <= DBL_MAX)) return NNM_EDOM;
    if (is_label_form(c->loss)) {
        int use = !c->opts_null && o->use_ignore_index;
        for (size_t i = 0; i < c->n; ++i) {
            int32_t y = c->labels[i];
            if (use && y == o->ignore_index) continue;
            if (y < 0 || (size_t)y >= c->k) return NNM_EDOM;
        }
        return NNM_OK;
    }
    /* dense data: a column of class weight 0 is neither read nor checked */
    for (size_t i = 0; i < c->n; ++i)
        for (size_t j = 0; j < c->k; ++j) {
            if (cw && cw[j] == 0.0 && (L->input_unit || L->target_unit)) continue;
            double x = c->x[i * c->k + j], t = c->t[i * c->k + j];
            if (L->input_unit && !(x >= 0.0 && x <= 1.0)) return NNM_EDOM;
            if (L->target_unit && !(t >= 0.0 && t <= 1.0)) return NNM_EDOM;
            if (L->target_finite && !isfinite(t)) return NNM_EDOM;
        }
    return NNM_OK;
}

enum { W_LOSS, W_GRAD, W_HESS };

/* Run the loss (which = W_LOSS), its gradient or its diagonal Hessian for case c on rows
 * [row, row + n) with the given options into out (double; f32 results widened; floats the
 * library left untouched stay all-ones). inplace: the output aliases the input (W_GRAD,
 * W_HESS; out must then hold n*k values). Returns the status. */
static nnm_status run_fn(const loss_case *c, int which, size_t row, size_t n,
                         const nnm_loss_opts *opts, double *out, size_t out_count, int inplace)
{
    const loss_info *L = &losses[c->loss];
    const deriv_fns *D = &derivs[c->loss];
    int lab_form = is_label_form(c->loss);
    size_t k = c->k, cnt = n * k < c->cnt ? n * k : c->cnt;
    if (k != 0 && n > c->cnt / k) cnt = c->cnt; /* gigantic: the tiny buffer, never read */
    const double *x = c->null_x ? NULL : c->x + row * k;
    const double *t = c->null_t ? NULL : (c->t ? c->t + row * k : NULL);
    const int32_t *lab = c->null_t ? NULL : (c->labels ? c->labels + row : NULL);
    nnm_status s;
    if (!c->f32) {
        double *o = c->null_out ? NULL : out;
        if (inplace && o && x) {
            memcpy(o, x, cnt * sizeof(double));
            x = o;
        }
        switch (which) {
        case W_LOSS: return lab_form ? L->l64(n, k, x, lab, opts, o) : L->d64(n, k, x, t, opts, o);
        case W_GRAD: return lab_form ? D->gl64(n, k, x, lab, opts, o) : D->g64(n, k, x, t, opts, o);
        default: return D->h64(n, k, x, t, opts, o);
        }
    }
    float *xf = x ? fz_alloc(cnt, sizeof(float)) : NULL;
    float *tf = (t && !lab_form) ? fz_alloc(cnt, sizeof(float)) : NULL;
    float *of = c->null_out ? NULL : fz_alloc_out(out_count, sizeof(float));
    for (size_t i = 0; xf && i < cnt; ++i) xf[i] = (float)x[i];
    for (size_t i = 0; tf && i < cnt; ++i) tf[i] = (float)t[i];
    const float *xin = xf;
    if (inplace && of && xf) {
        memcpy(of, xf, cnt * sizeof(float));
        xin = of;
    }
    switch (which) {
    case W_LOSS: s = lab_form ? L->l32(n, k, xin, lab, opts, of) : L->d32(n, k, xin, tf, opts, of); break;
    case W_GRAD: s = lab_form ? D->gl32(n, k, xin, lab, opts, of) : D->g32(n, k, xin, tf, opts, of); break;
    default: s = D->h32(n, k, xin, tf, opts, of); break;
    }
    if (of) {
        /* widen what the library wrote; untouched floats stay all-ones (checked by the caller) */
        for (size_t i = 0; i < out_count; ++i) {
            uint32_t bits;
            memcpy(&bits, &of[i], sizeof bits);
            if (bits == 0xffffffffu) {
                memset(&out[i], 0xff, sizeof out[i]);
            } else {
                out[i] = (double)of[i];
            }
        }
    }
    free(xf);
    free(tf);
    free(of);
    return s;
}

static nnm_status run_loss(const loss_case *c, size_t row, size_t n, const nnm_loss_opts *opts,
                           double *out, size_t out_count)
{
    return run_fn(c, W_LOSS, row, n, opts, out, out_count, 0);
}

static int all_finite(const double *v, size_t count)
{
    for (size_t i = 0; i < count; ++i)
        if (!isfinite(v[i])) return 0;
    return 1;
}

static int is_untouched(const double *v)
{
    uint64_t bits;
    memcpy(&bits, v, sizeof bits);
    return bits == UINT64_MAX;
}

/* The gradient and the diagonal Hessian of the same call (see the invariants at the top). */
static void check_derivs(const loss_case *c, int huge)
{
    const deriv_fns *D = &derivs[c->loss];
    nnm_status want = expected_status(c, 1);
    size_t n = c->n, k = c->k, cnt = huge ? 3 : n * k, ocnt = cnt ? cnt : 1;
    const nnm_loss_opts *opts = c->opts_null ? NULL : &c->o;
    const double eps = c->f32 ? (double)FLT_EPSILON : DBL_EPSILON;
    for (int which = W_GRAD; which <= W_HESS; ++which) {
        if (which == W_HESS && D->h64 == NULL) continue;
        double *g = fz_alloc_out(ocnt, sizeof(double));
        nnm_status s = run_fn(c, which, 0, n, opts, g, ocnt, 0);
        if (s != want) {
            fprintf(stderr, "%s: status %d, documented %d\n", which == W_GRAD ? "gradient" : "hessian",
                    (int)s, (int)want);
            FZ_CHECK(s == want);
        }
        if (s != NNM_OK || n == 0) {
            for (size_t i = 0; i < ocnt; ++i) FZ_CHECK(is_untouched(&g[i]));
            free(g);
            continue;
        }
        FZ_CHECK(huge != 1);
        if (huge || c->null_x || c->null_t || c->null_out) {
            free(g);
            continue;
        }
        /* the three reductions, row locality, in place */
        nnm_loss_opts o3 = c->opts_null ? (nnm_loss_opts)NNM_LOSS_OPTS_INIT : c->o;
        double *gs = fz_alloc_out(cnt, sizeof(double)), *gn = fz_alloc_out(cnt, sizeof(double));
        double *gm = fz_alloc_out(cnt, sizeof(double)), *gi = fz_alloc_out(cnt, sizeof(double));
        o3.reduction = NNM_REDUCE_SUM;
        FZ_CHECK(run_fn(c, which, 0, n, &o3, gs, cnt, 0) == NNM_OK);
        o3.reduction = NNM_REDUCE_NONE;
        FZ_CHECK(run_fn(c, which, 0, n, &o3, gn, cnt, 0) == NNM_OK);
        o3.reduction = NNM_REDUCE_MEAN;
        FZ_CHECK(run_fn(c, which, 0, n, &o3, gm, cnt, 0) == NNM_OK);
        o3.reduction = c->opts_null ? NNM_REDUCE_SUM : c->o.reduction;
        FZ_CHECK(run_fn(c, which, 0, n, &o3, gi, cnt, 1) == NNM_OK);
        for (size_t i = 0; i < cnt; ++i) {
            FZ_CHECK(fz_bits_eq64(gs[i], gn[i]));
            FZ_CHECK(fz_bits_eq64(g[i], gi[i]));
        }
        o3.reduction = NNM_REDUCE_SUM;
        double *row = fz_alloc_out(k, sizeof(double));
        for (size_t i = 0; i < n; ++i) {
            FZ_CHECK(run_fn(c, which, i, 1, &o3, row, k, 0) == NNM_OK);
            for (size_t j = 0; j < k; ++j) FZ_CHECK(fz_bits_eq64(row[j], gs[i * k + j]));
        }
        free(row);
        /* MEAN = SUM / D, rounded once each */
        double den = (double)n;
        const double *cw = c->opts_null ? NULL : c->o.class_weight;
        int use_ignore = !c->opts_null && c->o.use_ignore_index;
        if (is_label_form(c->loss)) {
            den = 0.0;
            for (size_t i = 0; i < n; ++i)
                if (!(use_ignore && c->labels[i] == c->o.ignore_index))
                    den += cw ? cw[c->labels[i]] : 1.0;
        }
        double lo = c->f32 ? (double)FLT_MIN : DBL_MIN, hi = c->f32 ? (double)FLT_MAX : DBL_MAX;
        /* an element whose exact value cancels to ~0 (e.g. (sum t') p - t' for uniform rows) is
         * rounding noise of ~DBL_EPSILON of the weighted terms (the smoothed target eps/k is
         * itself rounded), computed differently under SUM and MEAN */
        double wmax = 1.0;
        for (size_t j = 0; j < k && cw; ++j) wmax = fmax(wmax, cw[j]);
        for (size_t j = 0; j < k && !c->opts_null && c->o.pos_weight; ++j)
            wmax = fmax(wmax, c->o.pos_weight[j]);
        double noise = 16.0 * (double)k * wmax * DBL_EPSILON;
        for (size_t i = 0; i < cnt; ++i) {
            if (den == 0.0) {
                FZ_CHECK(gm[i] == 0.0);
                continue;
            }
            double w = gs[i] / den;
            if (isfinite(den) && isfinite(w) && fabs(w) >= lo * 4 && fabs(w) < hi && fabs(gs[i]) < hi)
                FZ_CHECK(fabs(gm[i] - w) <= (2.0 + (double)n) * eps * fabs(w) + noise / den);
        }
        /* exactly zero: ignored / zero-weight samples (label forms), zero-weight columns */
        for (size_t i = 0; i < n; ++i)
            for (size_t j = 0; j < k; ++j) {
                double v = gs[i * k + j];
                if (is_label_form(c->loss)) {
                    int32_t y = c->labels[i];
                    if ((use_ignore && y == c->o.ignore_index) || (cw && cw[y] == 0.0))
                        FZ_CHECK(v == 0.0);
                } else if (cw && cw[j] == 0.0 && c->loss != L_CE_LOGITS) {
                    FZ_CHECK(v == 0.0);
                }
            }
        /* finite data and moderate weights: the logit forms' gradients are finite */
        int finite = all_finite(c->x, cnt) && (c->t == NULL || all_finite(c->t, cnt));
        double wlim = c->f32 ? 1e30 : 1e100; /* w (sigma - t) stays inside the dtype's range */
        for (size_t j = 0; j < k && cw; ++j) finite &= cw[j] <= wlim;
        for (size_t j = 0; j < k && !c->opts_null && c->o.pos_weight; ++j)
            finite &= c->o.pos_weight[j] <= wlim;
        if (finite && which == W_GRAD &&
            (c->loss == L_BCE_LOGITS || c->loss == L_CE_LOGITS || c->loss == L_CE_LABELS))
            for (size_t i = 0; i < cnt; ++i) FZ_CHECK(isfinite(gs[i]));
        /* Hessian diagonals */
        if (which == W_HESS)
            for (size_t i = 0; i < cnt; ++i) {
                double v = gs[i];
                if (isnan(c->x[i]) || (c->t && isnan(c->t[i]))) continue;
                if (c->loss == L_L2) FZ_CHECK(v == 1.0);
                else if (c->loss == L_HUBER) FZ_CHECK(v == 0.0 || v == 1.0);
                else FZ_CHECK(v >= 0.0);
            }
        /* f32 = f64 of the same data rounded to float */
        if (c->f32) {
            loss_case c64 = *c;
            c64.f32 = 0;
            double *g64 = fz_alloc_out(cnt, sizeof(double));
            FZ_CHECK(run_fn(&c64, which, 0, n, &o3, g64, cnt, 0) == NNM_OK);
            for (size_t i = 0; i < cnt; ++i) {
                float w32 = (float)g64[i];
                if (isnan(w32)) FZ_CHECK(isnan(gs[i]));
                else if (isfinite(w32) && fabsf(w32) >= FLT_MIN) FZ_CHECK(fz_ulp_f32((float)gs[i], w32) <= 1);
            }
            free(g64);
        }
        free(gs), free(gn), free(gm), free(gi), free(g);
    }
}

static const loss_case *current;

static void describe_case(void)
{
    const loss_case *c = current;
    fprintf(stderr, "loss %d f32 %d n %zu k %zu opts %s reduction %d smoothing %a delta %a "
            "ignore %d/%d\n", c->loss, c->f32, c->n, c->k, c->opts_null ? "NULL" : "set",
            (int)c->o.reduction, c->o.label_smoothing, c->o.delta, (int)c->o.use_ignore_index,
            (int)c->o.ignore_index);
    for (size_t j = 0; j < c->k && j < 16; ++j)
        fprintf(stderr, "  w[%zu] class %a pos %a\n", j, c->cw ? c->cw[j] : 1.0,
                c->pw ? c->pw[j] : 1.0);
    for (size_t i = 0; i < c->cnt && i < 64; ++i)
        fprintf(stderr, "  x[%zu] = %a  t = %a\n", i, c->x[i], c->t ? c->t[i] : 0.0);
    for (size_t i = 0; c->labels && i < c->n && i < 16; ++i)
        fprintf(stderr, "  label[%zu] = %d\n", i, (int)c->labels[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in in = {data, size};
    loss_case c;
    memset(&c, 0, sizeof c);
    current = &c;
    fz_describe = describe_case;
    c.loss = (int)fz_pick(&in, L_COUNT);
    c.f32 = fz_u8(&in) & 1;
    const loss_info *L = &losses[c.loss];

    /* sizes: mostly small; sometimes gigantic. A gigantic call must fail on its size (ESIZE)
     * before touching the tiny buffers it gets; one whose sizes are valid but too big to
     * allocate is made empty (n = 0, no weight arrays), which must succeed without reading. */
    uint8_t sz = fz_u8(&in);
    int huge = 0;
    size_t elem = c.f32 ? sizeof(float) : sizeof(double);
    c.n = fz_u8(&in) % 7;
    c.k = 1 + fz_u8(&in) % 6;
    if (sz >= 240) {
        static const size_t big[] = {0, 1, 2, (size_t)INT32_MAX, (size_t)INT32_MAX + 1u,
                                     (size_t)PTRDIFF_MAX / 8, (size_t)PTRDIFF_MAX / 4 + 1,
                                     (size_t)PTRDIFF_MAX, SIZE_MAX / 2 + 1, SIZE_MAX};
        c.n = big[fz_u8(&in) % 10];
        c.k = big[fz_u8(&in) % 10];
        int oversize = (c.k != 0 && c.n > (size_t)PTRDIFF_MAX / elem / c.k) ||
                       (is_label_form(c.loss) && c.k > (size_t)INT32_MAX);
        if (c.k <= 8 && c.n <= 8) {
            huge = 0; /* an ordinary small case after all */
        } else if (oversize) {
            huge = 1;
        } else {
            c.n = 0;
            huge = 2;
        }
    } else if (sz >= 225) {
        c.k = 0;
    }

    /* options */
    c.opts_null = fz_u8(&in) < 30;
    uint8_t om = fz_u8(&in);
    c.o.reduction = (nnm_reduction)(om % 3);
    if (om >= 250) c.o.reduction = (nnm_reduction)(int)(int8_t)fz_u8(&in);
    size_t kw = huge ? 3 : c.k; /* weight arrays have k entries (3 for gigantic k: never read) */
    uint8_t wm = huge == 2 ? 0 : fz_u8(&in);
    if ((wm & 3) == 1 || (!L->class_weight && wm == 255)) {
        c.cw = fz_alloc(kw, sizeof(double));
        for (size_t j = 0; j < kw; ++j) c.cw[j] = fuzz_weight(&in);
        c.o.class_weight = c.cw;
    }
    if ((wm & 12) == 4 || (!L->pos_weight && wm == 254)) {
        c.pw = fz_alloc(kw, sizeof(double));
        for (size_t j = 0; j < kw; ++j) c.pw[j] = fuzz_weight(&in);
        c.o.pos_weight = c.pw;
    }
    uint8_t sm = fz_u8(&in);
    if (sm >= 128 && (L->smoothing || sm >= 250))
        c.o.label_smoothing = sm >= 245 ? fz_f64(&in) : (double)fz_u8(&in) / 255.0;
    uint8_t im = fz_u8(&in);
    if (im >= 128 && (L->ignore || im >= 250)) {
        c.o.use_ignore_index = im >= 200 ? 0 : 1;
        c.o.ignore_index = (im & 1) ? -100 : (int32_t)(fz_u8(&in) % 8);
        if (im >= 252) c.o.ignore_index = (int32_t)fz_u32(&in);
    }
    uint8_t dm = fz_u8(&in);
    if (dm >= 128 && (L->delta || dm >= 250))
        c.o.delta = dm >= 240 ? fz_f64(&in) : (double)fz_u8(&in) / 16.0;

    /* data (gigantic sizes get 3-element buffers: a correct call never reads them) */
    size_t cnt = huge ? 3 : c.n * c.k;
    size_t nlab = huge ? 3 : c.n;
    c.cnt = cnt;
    c.x = fz_alloc(cnt, sizeof(double));
    if (is_label_form(c.loss))
        c.labels = fz_alloc(nlab, sizeof(int32_t));
    else
        c.t = fz_alloc(cnt, sizeof(double));
    for (size_t i = 0; i < cnt; ++i) {
        c.x[i] = round_to(c.f32, L->input_unit ? fz_unit_f64(&in) : fz_f64(&in));
        if (c.t) c.t[i] = round_to(c.f32, (L->target_unit ? fz_unit_f64(&in) : fz_f64(&in)));
    }
    for (size_t i = 0; c.labels && i < nlab; ++i)
        c.labels[i] = fuzz_label(&in, c.k, c.o.ignore_index);
    uint8_t nm = fz_u8(&in);
    c.null_x = nm == 1;
    c.null_t = nm == 2;
    c.null_out = nm == 3;

    nnm_status want = expected_status(&c, 0);
    const nnm_loss_opts *opts = c.opts_null ? NULL : &c.o;
    int none = !c.opts_null && c.o.reduction == NNM_REDUCE_NONE;
    size_t out_count = (none && !huge) ? (c.n ? c.n : 1) : 1;
    double *out = fz_alloc_out(out_count, sizeof(double));
    check_derivs(&c, huge);
    nnm_status got = run_loss(&c, 0, c.n, opts, out, out_count);
    if (got != want) {
        fprintf(stderr, "loss %d f32=%d n=%zu k=%zu: status %d, documented %d\n", c.loss, c.f32,
                c.n, c.k, (int)got, (int)want);
        FZ_CHECK(got == want);
    }
    if (got != NNM_OK) {
        for (size_t i = 0; i < out_count; ++i) FZ_CHECK(is_untouched(&out[i]));
        goto done;
    }
    FZ_CHECK(huge != 1); /* a call beyond PTRDIFF_MAX bytes never succeeds */
    if (huge) goto done;

    int finite_in = all_finite(c.x, cnt) && (c.t == NULL || all_finite(c.t, cnt));
    int nan_in = 0;
    for (size_t i = 0; i < cnt; ++i) nan_in |= isnan(c.x[i]) || (c.t && isnan(c.t[i]));
    int logp_nonpos = 1;
    for (size_t i = 0; i < cnt; ++i) logp_nonpos &= !(c.x[i] > 0.0);
    int nonneg = L->nonneg || (c.loss == L_NLL && logp_nonpos);
    int wsum_overflow = 0; /* (reliab8-1/-8/-10, fixed: MEANs and sums over weights near DBL_MAX) */
    size_t written = none ? c.n : 1;
    for (size_t i = 0; i < written; ++i) {
        if (!nan_in) FZ_CHECK(!is_untouched(&out[i]));
        if (nonneg) FZ_CHECK(!(out[i] < 0.0));
        if (finite_in && !wsum_overflow) FZ_CHECK(!isnan(out[i]));
    }
    if (c.null_out || c.null_x || c.null_t) goto done;

    /* the same data under the three reductions */
    nnm_loss_opts o3 = c.opts_null ? (nnm_loss_opts)NNM_LOSS_OPTS_INIT : c.o;
    double *per = fz_alloc_out(c.n ? c.n : 1, sizeof(double));
    double sum, mean;
    o3.reduction = NNM_REDUCE_NONE;
    FZ_CHECK(run_loss(&c, 0, c.n, &o3, per, c.n ? c.n : 1) == NNM_OK);
    o3.reduction = NNM_REDUCE_SUM;
    FZ_CHECK(run_loss(&c, 0, c.n, &o3, &sum, 1) == NNM_OK);
    o3.reduction = NNM_REDUCE_MEAN;
    FZ_CHECK(run_loss(&c, 0, c.n, &o3, &mean, 1) == NNM_OK);
    if (c.n == 0) {
        FZ_CHECK(sum == 0.0 && mean == 0.0);
        free(per);
        goto done;
    }

    /* NONE is row-local: row i alone gives the same value, bit for bit */
    o3.reduction = NNM_REDUCE_NONE;
    for (size_t i = 0; i < c.n; ++i) {
        double one;
        FZ_CHECK(run_loss(&c, i, 1, &o3, &one, 1) == NNM_OK);
        FZ_CHECK(fz_bits_eq64(one, per[i]));
    }

    /* SUM = sum of NONE, MEAN = SUM / D */
    const double eps = c.f32 ? (double)FLT_EPSILON : DBL_EPSILON;
    double acc = 0.0, mag = 0.0, den = (double)c.n;
    int finite_per = 1;
    for (size_t i = 0; i < c.n; ++i) {
        acc += per[i];
        mag += fabs(per[i]);
        finite_per &= isfinite(per[i]);
    }
    if (is_label_form(c.loss)) {
        den = 0.0;
        for (size_t i = 0; i < c.n; ++i) {
            if (c.o.use_ignore_index && !c.opts_null && c.labels[i] == c.o.ignore_index) continue;
            den += (c.opts_null || !c.o.class_weight) ? 1.0 : c.o.class_weight[c.labels[i]];
        }
    }
    if (finite_per && isfinite(mag) && mag < (c.f32 ? (double)FLT_MAX : DBL_MAX) / 4) {
        /* each rounding to the dtype costs eps/2 relative, or half a subnormal step absolute */
        double tiny = c.f32 ? (double)FLT_TRUE_MIN : DBL_TRUE_MIN;
        FZ_CHECK(fabs(sum - acc) <= (double)(c.n + 4) * eps * mag + (double)(c.n + 1) * tiny);
        if (den > 0.0 && isfinite(den) && isfinite(sum) && fabs(sum) > (c.f32 ? (double)FLT_MIN : DBL_MIN) * 1e3) {
            double want_mean = sum / den;
            if (fabs(want_mean) > (c.f32 ? (double)FLT_MIN : DBL_MIN))
                FZ_CHECK(fabs(mean - want_mean) <= (double)(c.n + 4) * eps * fabs(want_mean));
        }
    }
    if (den == 0.0) FZ_CHECK(mean == 0.0);

    /* f32 = f64 of the same data, rounded (the f32 losses compute in double) */
    if (c.f32) {
        loss_case c64 = c;
        c64.f32 = 0;
        double *per64 = fz_alloc_out(c.n, sizeof(double));
        o3.reduction = NNM_REDUCE_NONE;
        FZ_CHECK(run_loss(&c64, 0, c.n, &o3, per64, c.n) == NNM_OK);
        for (size_t i = 0; i < c.n; ++i) {
            float want32 = (float)per64[i];
            if (isfinite(want32) && fabsf(want32) >= FLT_MIN) FZ_CHECK(fz_ulp_f32((float)per[i], want32) <= 1);
        }
        free(per64);
    }
    free(per);

done:
    free(out);
    free(c.x);
    free(c.t);
    free(c.labels);
    free(c.cw);
    free(c.pw);
    return 0;
}
