/*
 * MPFR oracle of the losses: every per-sample loss (NONE) against its value in 256-bit MPFR
 * (relative error in eps, bound 4), SUM and MEAN against the exact weighted sum of the exact
 * per-sample losses (bound: the per-sample maximum + 2 eps), the f32 SUM of 1e6 squared errors
 * (bound 1 ULP of the exact sum) and the double-double log of kl_div.
 *
 * The MPFR references use formulas independent of the library's: -log softmax(a)_j is
 * log1p(sum_{i != j} e^(a_i - a_j)) (no max, no argmax), softplus is log1p(e^x) (rewritten as
 * x + log1p(e^-x) for x > 0 only to keep e^x inside MPFR's exponent range), smoothing targets
 * are formed exactly.
 *
 * Run time: ROWS samples per case (k <= 10 columns, ~40 cases over both dtypes) at a few MPFR
 * evaluations each, plus one pass over 1e6 squared errors: ~10-20 s in a Release build.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mpfr.h>
#include <nnmath/loss.h>

#include "loss/log_dd.h"
#include "nnm_test.h"
#include "oracle.h"

enum { ROWS = 4000, KMAX = 10 };

typedef enum { L2, L1, HUBER, BCE, BCE_LOGITS, CE, CE_LOGITS, CE_LABELS, NLL, KL } kind_t;

typedef struct {
    const char *name;
    kind_t kind;
    size_t k;
    int input_mode;  /* how inputs are drawn, see draw() */
    int target_mode; /* 0: 1-hot / {0,1}, 1: soft in [0,1], 2: any real (regression) */
    double smoothing, delta;
    int weights, pos_weights, ignore;
} case_t;

static double cw[KMAX], pw[KMAX];

/* ---------------------------------------------------------------- MPFR references */

static void mp_softplus(mpfr_t r, double x)
{
    mpfr_t e;
    mpfr_init2(e, NNM_ORACLE_PREC);
    mpfr_set_d(e, -fabs(x), MPFR_RNDN);
    mpfr_exp(e, e, MPFR_RNDN);
    mpfr_log1p(e, e, MPFR_RNDN);
    if (x > 0) mpfr_add_d(e, e, x, MPFR_RNDN); /* log1p(e^x) = x + log1p(e^-x) */
    mpfr_set(r, e, MPFR_RNDN);
    mpfr_clear(e);
}

/* -log softmax(a)_j = log1p(sum_{i != j} e^(a_i - a_j)) */
static void mp_nlp(mpfr_t r, size_t k, const double *a, size_t j)
{
    mpfr_t s, d;
    mpfr_inits2(NNM_ORACLE_PREC, s, d, (mpfr_ptr)0);
    mpfr_set_zero(s, 1);
    for (size_t i = 0; i < k; ++i) {
        if (i == j) continue;
        mpfr_set_d(d, a[i], MPFR_RNDN);
        mpfr_sub_d(d, d, a[j], MPFR_RNDN);
        mpfr_exp(d, d, MPFR_RNDN);
        mpfr_add(s, s, d, MPFR_RNDN);
    }
    mpfr_log1p(r, s, MPFR_RNDN);
    mpfr_clears(s, d, (mpfr_ptr)0);
}

/* t' = (1 - eps) t + eps / k exactly */
static void mp_smooth(mpfr_t r, double t, double eps, size_t k)
{
    mpfr_t a;
    mpfr_init2(a, NNM_ORACLE_PREC);
    mpfr_set_d(r, 1.0, MPFR_RNDN);
    mpfr_sub_d(r, r, eps, MPFR_RNDN);
    mpfr_mul_d(r, r, t, MPFR_RNDN);
    mpfr_set_d(a, eps, MPFR_RNDN);
    mpfr_div_ui(a, a, (unsigned long)k, MPFR_RNDN);
    mpfr_add(r, r, a, MPFR_RNDN);
    mpfr_clear(a);
}

/* Exact per-sample loss l_i (without w_i) and the sample weight w_i. */
static double mp_loss(mpfr_t r, const case_t *c, const double *x, const double *t, int32_t label)
{
    size_t k = c->k;
    mpfr_t a, b;
    mpfr_inits2(NNM_ORACLE_PREC, a, b, (mpfr_ptr)0);
    mpfr_set_zero(r, 1);
    double w_i = 1.0;
    for (size_t j = 0; j < k && c->kind != CE_LABELS && c->kind != NLL; ++j) {
        double w = c->weights ? cw[j] : 1.0;
        if (w == 0.0) continue; /* a column of weight 0 contributes exactly 0 (not 0 * inf) */
        switch (c->kind) {
        case L2: case L1: case HUBER:
            mpfr_set_d(a, x[j], MPFR_RNDN);
            mpfr_sub_d(a, a, t[j], MPFR_RNDN);
            mpfr_abs(a, a, MPFR_RNDN);
            if (c->kind == L1) {
            } else if (c->kind == L2 || mpfr_cmp_d(a, c->delta) <= 0) {
                mpfr_sqr(a, a, MPFR_RNDN);
                mpfr_div_2ui(a, a, 1, MPFR_RNDN);
            } else {
                mpfr_sub_d(a, a, c->delta / 2, MPFR_RNDN);
                mpfr_mul_d(a, a, c->delta, MPFR_RNDN);
            }
            mpfr_add(r, r, a, MPFR_RNDN);
            break;
        case BCE:
            if (t[j] > 0) { /* -t ln y */
                mpfr_set_d(a, x[j], MPFR_RNDN);
                mpfr_log(a, a, MPFR_RNDN);
                mpfr_mul_d(a, a, t[j], MPFR_RNDN);
                mpfr_mul_d(a, a, -w, MPFR_RNDN);
                mpfr_add(r, r, a, MPFR_RNDN);
            }
            if (t[j] < 1) { /* -(1-t) ln(1-y) */
                mpfr_set_d(a, -x[j], MPFR_RNDN);
                mpfr_log1p(a, a, MPFR_RNDN);
                mpfr_set_d(b, 1.0, MPFR_RNDN);
                mpfr_sub_d(b, b, t[j], MPFR_RNDN);
                mpfr_mul(a, a, b, MPFR_RNDN);
                mpfr_mul_d(a, a, -w, MPFR_RNDN);
                mpfr_add(r, r, a, MPFR_RNDN);
            }
            break;
        case BCE_LOGITS: {
            double p = c->pos_weights ? pw[j] : 1.0;
            mp_softplus(a, -x[j]);
            mpfr_mul_d(a, a, t[j], MPFR_RNDN);
            mpfr_mul_d(a, a, p, MPFR_RNDN);
            mp_softplus(b, x[j]);
            mpfr_t o;
            mpfr_init2(o, NNM_ORACLE_PREC);
            mpfr_set_d(o, 1.0, MPFR_RNDN);
            mpfr_sub_d(o, o, t[j], MPFR_RNDN);
            mpfr_mul(b, b, o, MPFR_RNDN);
            mpfr_clear(o);
            mpfr_add(a, a, b, MPFR_RNDN);
            mpfr_mul_d(a, a, w, MPFR_RNDN);
            mpfr_add(r, r, a, MPFR_RNDN);
            break;
        }
        case CE: case CE_LOGITS:
            mp_smooth(b, t[j], c->smoothing, k);
            if (mpfr_zero_p(b)) break;
            if (c->kind == CE) {
                mpfr_set_d(a, x[j], MPFR_RNDN);
                mpfr_log(a, a, MPFR_RNDN);
                mpfr_neg(a, a, MPFR_RNDN);
            } else {
                mp_nlp(a, k, x, j);
            }
            mpfr_mul(a, a, b, MPFR_RNDN);
            mpfr_mul_d(a, a, w, MPFR_RNDN);
            mpfr_add(r, r, a, MPFR_RNDN);
            break;
        case KL:
            if (t[j] == 0) break;
            mpfr_set_d(a, t[j], MPFR_RNDN);
            mpfr_log(a, a, MPFR_RNDN);
            mpfr_sub_d(a, a, x[j], MPFR_RNDN);
            mpfr_mul_d(a, a, t[j], MPFR_RNDN);
            mpfr_add(r, r, a, MPFR_RNDN);
            break;
        default: break;
        }
    }
    if (c->kind == CE_LABELS || c->kind == NLL) {
        if (c->ignore && label == -100) {
            w_i = 0.0;
        } else {
            w_i = c->weights ? cw[label] : 1.0;
            if (c->kind == NLL) {
                mpfr_set_d(r, -x[label], MPFR_RNDN);
            } else {
                mp_nlp(a, k, x, (size_t)label);
                mpfr_set_d(b, 1.0, MPFR_RNDN);
                mpfr_sub_d(b, b, c->smoothing, MPFR_RNDN);
                mpfr_mul(r, a, b, MPFR_RNDN);
                if (c->smoothing > 0) {
                    mpfr_set_zero(b, 1);
                    for (size_t j = 0; j < k; ++j) {
                        mp_nlp(a, k, x, j);
                        mpfr_add(b, b, a, MPFR_RNDN);
                    }
                    mpfr_mul_d(b, b, c->smoothing, MPFR_RNDN);
                    mpfr_div_ui(b, b, (unsigned long)k, MPFR_RNDN);
                    mpfr_add(r, r, b, MPFR_RNDN);
                }
            }
        }
    }
    mpfr_clears(a, b, (mpfr_ptr)0);
    return w_i;
}

/* ---------------------------------------------------------------- inputs */

static double log_uniform(uint64_t *s, double lo_exp, double hi_exp)
{
    return pow(10.0, nnm_rand_uniform(s, lo_exp, hi_exp));
}

/* One row of inputs x, targets t (or a label) for case c. input_mode:
 * 0 regression values over many scales, with near-equal pairs; 1 probabilities incl. near 0/1;
 * 2 logits of moderate spread; 3 confident logits (gaps 30 .. 1e4); 4 huge logits (|a| up to
 * 1e30, BCE); 5 KL: logq of a random distribution; 6 KL near q = t (tiny divergences). */
static void draw(const case_t *c, uint64_t *s, double *x, double *t, int32_t *label)
{
    size_t k = c->k;
    size_t hot = (size_t)(nnm_rand_u64(s) % k);
    *label = (int32_t)hot;
    if (c->ignore && nnm_rand_u64(s) % 5 == 0) *label = -100;
    double tsum = 0;
    for (size_t j = 0; j < k; ++j) {
        if (c->target_mode == 0)
            t[j] = (c->kind == BCE || c->kind == BCE_LOGITS) ? (double)(nnm_rand_u64(s) & 1)
                                                             : (j == hot ? 1.0 : 0.0);
        else if (c->target_mode == 1)
            t[j] = nnm_rand_uniform(s, 0, 1);
        else
            t[j] = nnm_rand_uniform(s, -1, 1) * log_uniform(s, -3, 3);
        tsum += t[j];
    }
    if (c->kind == KL) /* a distribution, with some exact zeros */
        for (size_t j = 0; j < k; ++j) t[j] = (nnm_rand_u64(s) % 7 == 0) ? 0.0 : t[j] / tsum;
    for (size_t j = 0; j < k; ++j) {
        switch (c->input_mode) {
        case 0: {
            uint64_t r = nnm_rand_u64(s) % 3;
            if (r == 0) x[j] = t[j] * (1 + nnm_rand_uniform(s, -1, 1) * log_uniform(s, -15, -1));
            else x[j] = nnm_rand_uniform(s, -1, 1) * log_uniform(s, -3, 3);
            break;
        }
        case 1: {
            uint64_t r = nnm_rand_u64(s) % 4;
            if (r == 0) x[j] = log_uniform(s, -300, -1);              /* near 0 */
            else if (r == 1) x[j] = 1 - log_uniform(s, (nnm_rand_u64(s) & 1) ? -16 : -7, -1); /* near 1 */
            else x[j] = nnm_rand_uniform(s, 0, 1);
            break;
        }
        case 2: x[j] = nnm_rand_uniform(s, -8, 8); break;
        case 3: x[j] = (j == hot ? 1.0 : 0.0) * log_uniform(s, 1.5, 4) + nnm_rand_uniform(s, -1, 1); break;
        case 4: x[j] = (nnm_rand_u64(s) & 1 ? 1 : -1) * log_uniform(s, -300, 30); break;
        case 5: x[j] = log(nnm_rand_uniform(s, 1e-6, 1)); break;
        case 6: x[j] = t[j] > 0 ? log(t[j]) + nnm_rand_uniform(s, -1, 1) * log_uniform(s, -9, -4) : -5.0; break;
        case 7: x[j] = t[j] * (1 + nnm_rand_uniform(s, -1, 1) * log_uniform(s, -12, -3)); break;
        default: break;
        }
    }
    if (c->input_mode == 7) { /* q = t (1 + delta) renormalised, then logq = ln q rounded */
        double sum = 0;
        for (size_t j = 0; j < k; ++j) sum += x[j];
        for (size_t j = 0; j < k; ++j) x[j] = x[j] > 0 ? log(x[j] / sum) : -5.0;
    }
    if (c->kind == CE && c->input_mode == 1) { /* probability rows */
        double sum = 0;
        for (size_t j = 0; j < k; ++j) sum += x[j];
        for (size_t j = 0; j < k; ++j) x[j] = x[j] / sum;
    }
}

/* ---------------------------------------------------------------- calls */

static nnm_status call_f64(const case_t *c, size_t n, const double *x, const double *t,
                           const int32_t *lab, const nnm_loss_opts *o, double *out)
{
    switch (c->kind) {
    case L2: return nnm_loss_l2_f64(n, c->k, x, t, o, out);
    case L1: return nnm_loss_l1_f64(n, c->k, x, t, o, out);
    case HUBER: return nnm_loss_huber_f64(n, c->k, x, t, o, out);
    case BCE: return nnm_loss_bce_f64(n, c->k, x, t, o, out);
    case BCE_LOGITS: return nnm_loss_bce_logits_f64(n, c->k, x, t, o, out);
    case CE: return nnm_loss_ce_f64(n, c->k, x, t, o, out);
    case CE_LOGITS: return nnm_loss_ce_logits_f64(n, c->k, x, t, o, out);
    case CE_LABELS: return nnm_loss_ce_logits_labels_f64(n, c->k, x, lab, o, out);
    case NLL: return nnm_loss_nll_labels_f64(n, c->k, x, lab, o, out);
    case KL: return nnm_loss_kl_div_f64(n, c->k, x, t, o, out);
    }
    return NNM_EINVAL;
}

static nnm_status call_f32(const case_t *c, size_t n, const float *x, const float *t,
                           const int32_t *lab, const nnm_loss_opts *o, float *out)
{
    switch (c->kind) {
    case L2: return nnm_loss_l2_f32(n, c->k, x, t, o, out);
    case L1: return nnm_loss_l1_f32(n, c->k, x, t, o, out);
    case HUBER: return nnm_loss_huber_f32(n, c->k, x, t, o, out);
    case BCE: return nnm_loss_bce_f32(n, c->k, x, t, o, out);
    case BCE_LOGITS: return nnm_loss_bce_logits_f32(n, c->k, x, t, o, out);
    case CE: return nnm_loss_ce_f32(n, c->k, x, t, o, out);
    case CE_LOGITS: return nnm_loss_ce_logits_f32(n, c->k, x, t, o, out);
    case CE_LABELS: return nnm_loss_ce_logits_labels_f32(n, c->k, x, lab, o, out);
    case NLL: return nnm_loss_nll_labels_f32(n, c->k, x, lab, o, out);
    case KL: return nnm_loss_kl_div_f32(n, c->k, x, t, o, out);
    }
    return NNM_EINVAL;
}

/* ---------------------------------------------------------------- one case */

static int run_case(const case_t *c, int f32, uint64_t seed)
{
    size_t k = c->k, n = ROWS;
    double *x = malloc(n * k * sizeof *x), *t = malloc(n * k * sizeof *t);
    float *xf = malloc(n * k * sizeof *xf), *tf = malloc(n * k * sizeof *tf);
    int32_t *lab = malloc(n * sizeof *lab);
    double *out = malloc(n * sizeof *out);
    float *outf = malloc(n * sizeof *outf);
    uint64_t s = seed;
    for (size_t i = 0; i < n; ++i) draw(c, &s, x + i * k, t + i * k, lab + i);
    if (f32) { /* the f32 case works on the float values, widened exactly for the reference */
        for (size_t i = 0; i < n * k; ++i) {
            xf[i] = (float)x[i];
            tf[i] = (float)t[i];
            /* keep f32 probabilities inside (0,1), where the loss is finite (the draws reach
             * 1e-300 and 1 - 1e-16 for the f64 case) */
            if (c->input_mode == 1 && xf[i] == 0.0f) xf[i] = 0x1p-126f;
            if (c->input_mode == 1 && xf[i] == 1.0f) xf[i] = 1.0f - 0x1p-24f;
            x[i] = (double)xf[i];
            t[i] = (double)tf[i];
        }
    }
    nnm_loss_opts o = NNM_LOSS_OPTS_INIT;
    o.class_weight = c->weights ? cw : NULL;
    o.pos_weight = c->pos_weights ? pw : NULL;
    o.label_smoothing = c->smoothing;
    o.delta = c->kind == HUBER ? c->delta : 0.0;
    if (c->ignore) {
        o.use_ignore_index = 1;
        o.ignore_index = -100;
    }
    mpfr_t ex, sum, wsum, tmp;
    mpfr_inits2(NNM_ORACLE_PREC, ex, sum, wsum, tmp, (mpfr_ptr)0);
    mpfr_set_zero(sum, 1);
    mpfr_set_zero(wsum, 1);
    double max_err = 0, worst = 0;
    size_t checked = 0, others = 0;
    /* kl_div: its terms cancel; the claim is |err| <= 4 eps |l| + 2^-98 M with
     * M = sum_k t (|ln t| + |logq|). Rows with |l| < 2^-45 M are ill-conditioned: for them the
     * second part is checked (max of |err| / (2^-100 M), bound 4), for the others 4 eps. */
    size_t ill = 0;
    double ill_max = 0, sub_max = 0;
    int ok = 1;

    o.reduction = NNM_REDUCE_NONE;
    nnm_status st = f32 ? call_f32(c, n, xf, tf, lab, &o, outf) : call_f64(c, n, x, t, lab, &o, out);
    if (st != NNM_OK) ok = 0;
    for (size_t i = 0; ok && i < n; ++i) {
        double w = mp_loss(ex, c, x + i * k, t + i * k, lab[i]);
        mpfr_mul_d(ex, ex, w, MPFR_RNDN); /* NONE gives w_i l_i */
        mpfr_add(sum, sum, ex, MPFR_RNDN);
        mpfr_add_d(wsum, wsum, w, MPFR_RNDN);
        int normal = f32 ? nnm_oracle_is_normal_f32(ex) : nnm_oracle_is_normal_f64(ex);
        double e = f32 ? nnm_oracle_rel_err_f32(outf[i], ex) : nnm_oracle_rel_err_f64(out[i], ex);
        if (c->kind == KL) {
            double M = 0;
            for (size_t j = 0; j < k; ++j) {
                double tj = t[i * k + j];
                if (tj > 0) M += tj * (fabs(log(tj)) + fabs(x[i * k + j]));
            }
            if (mpfr_cmpabs_ui(ex, 0) == 0 || fabs(mpfr_get_d(ex, MPFR_RNDN)) < 0x1p-45 * M) {
                mpfr_t d;
                mpfr_init2(d, NNM_ORACLE_PREC);
                mpfr_set_d(d, f32 ? (double)outf[i] : out[i], MPFR_RNDN);
                mpfr_sub(d, d, ex, MPFR_RNDN);
                double ae = fabs(mpfr_get_d(d, MPFR_RNDU)) / (0x1p-100 * M);
                mpfr_clear(d);
                ill++;
                if (!(ae <= ill_max)) ill_max = isnan(ae) ? HUGE_VAL : ae;
                continue;
            }
        }
        if (!normal) { /* 0 (exact, e.g. an ignored sample) or below the normal range: the
                          * result must be 0 for an exact 0, else within 4 subnormal ulps */
            others++;
            if (mpfr_zero_p(ex) && (f32 ? outf[i] != 0 : out[i] != 0)) ok = 0;
            double ue = f32 ? nnm_oracle_ulp_err_f32(outf[i], ex) : nnm_oracle_ulp_err_f64(out[i], ex);
            if (!(ue <= sub_max)) sub_max = isnan(ue) ? HUGE_VAL : ue;
            continue;
        }
        checked++;
        if (!(e <= max_err)) {
            max_err = isnan(e) ? HUGE_VAL : e;
            worst = (double)i;
        }
    }
    /* reductions: SUM and MEAN against the exact sums */
    double red_err = 0;
    for (int r = 0; ok && r < 2; ++r) {
        o.reduction = r == 0 ? NNM_REDUCE_SUM : NNM_REDUCE_MEAN;
        double got;
        float gotf = 0;
        st = f32 ? call_f32(c, n, xf, tf, lab, &o, &gotf) : call_f64(c, n, x, t, lab, &o, &got);
        if (st != NNM_OK) ok = 0;
        if (f32) got = (double)gotf;
        mpfr_set(tmp, sum, MPFR_RNDN);
        if (r == 1) {
            if (c->kind == CE_LABELS || c->kind == NLL) mpfr_div(tmp, tmp, wsum, MPFR_RNDN);
            else mpfr_div_ui(tmp, tmp, (unsigned long)n, MPFR_RNDN);
        }
        double e = f32 ? nnm_oracle_rel_err_f32(gotf, tmp) : nnm_oracle_rel_err_f64(got, tmp);
        if (!(e <= red_err)) red_err = isnan(e) ? HUGE_VAL : e;
        if (getenv("ORACLE_DEBUG")) mpfr_printf("  reduction %d got %.17g exact %.20Rg\n", r, got, tmp);
    }
    mpfr_clears(ex, sum, wsum, tmp, (mpfr_ptr)0);
    int pass = ok && max_err <= 4.0 && red_err <= max_err + 2.0 && ill_max <= 4.0 && sub_max <= 4.0;
    if (sub_max > 0)
        printf("      %-34s below the normal range: max %.3f subnormal ulp (bound 4)\n", c->name,
               sub_max);
    if (ill)
        printf("      %-34s %zu ill-conditioned rows (|l| < 2^-45 M): max |err| = %.3f * 2^-100 M"
               " (bound 4)\n", c->name, ill, ill_max);
    printf("%-5s %-34s per-sample max %6.3f eps (bound 4) at row %-5.0f over %zu rows (%zu zero/"
           "non-normal); SUM/MEAN max %6.3f eps (bound %.3f)%s\n",
           f32 ? "f32" : "f64", c->name, max_err, worst, checked, others, red_err, max_err + 2.0,
           pass ? "" : "  FAIL");
    free(x); free(t); free(xf); free(tf); free(lab); free(out); free(outf);
    return pass;
}

/* The f32 SUM of 1e6 squared errors lands within 1 ULP of the exact sum. */
static int sum_of_a_million_squares(void)
{
    enum { N = 1000000 };
    float *y = malloc(N * sizeof *y), *t = malloc(N * sizeof *t);
    uint64_t s = 42;
    for (size_t i = 0; i < N; ++i) {
        y[i] = (float)nnm_rand_uniform(&s, -10, 10);
        t[i] = (float)nnm_rand_uniform(&s, -10, 10);
    }
    float got = 0;
    nnm_status st = nnm_loss_l2_f32(N, 1, y, t, NULL, &got);
    mpfr_t sum, d;
    mpfr_inits2(NNM_ORACLE_PREC, sum, d, (mpfr_ptr)0);
    mpfr_set_zero(sum, 1);
    for (size_t i = 0; i < N; ++i) {
        mpfr_set_flt(d, y[i], MPFR_RNDN);
        mpfr_sub_d(d, d, (double)t[i], MPFR_RNDN);
        mpfr_sqr(d, d, MPFR_RNDN);
        mpfr_add(sum, sum, d, MPFR_RNDN);
    }
    mpfr_div_2ui(sum, sum, 1, MPFR_RNDN);
    double ulp = nnm_oracle_ulp_err_f32(got, sum);
    mpfr_clears(sum, d, (mpfr_ptr)0);
    free(y);
    free(t);
    int pass = st == NNM_OK && ulp <= 1.0;
    printf("f32   l2 SUM of 1e6 squared errors       %.3f ulp of the exact sum (bound 1)%s\n", ulp,
           pass ? "" : "  FAIL");
    return pass;
}

/* ln t in double-double (kl_div's building block) against MPFR, in units of 2^-100 relative. */
static int log_dd_accuracy(void)
{
    nnm_points p = {0};
    nnm_points_add_binades(&p, -1074, 1023, 4, 7);
    nnm_points_add_uniform(&p, 0.5, 2.0, 20000, 8);
    nnm_points_add_around(&p, 1.0, 50);
    nnm_points_add_around(&p, 0x1.6a09e667f3bcdp-1, 20);
    mpfr_t ex, got;
    mpfr_inits2(NNM_ORACLE_PREC, ex, got, (mpfr_ptr)0);
    double worst = 0, worst_x = 0;
    size_t m = 0;
    for (size_t i = 0; i < p.n; ++i) {
        double x = p.x[i];
        if (!(x > 0) || x == 1.0) continue;
        nnm__dd l = nnm__log_dd(x);
        mpfr_set_d(ex, x, MPFR_RNDN);
        mpfr_log(ex, ex, MPFR_RNDN);
        mpfr_set_d(got, l.hi, MPFR_RNDN);
        mpfr_add_d(got, got, l.lo, MPFR_RNDN);
        mpfr_sub(got, got, ex, MPFR_RNDN);
        mpfr_div(got, got, ex, MPFR_RNDN);
        mpfr_mul_2si(got, got, 100, MPFR_RNDN);
        double e = fabs(mpfr_get_d(got, MPFR_RNDN));
        if (!(e <= worst)) {
            worst = e;
            worst_x = x;
        }
        m++;
    }
    mpfr_clears(ex, got, (mpfr_ptr)0);
    nnm_points_free(&p);
    int pass = worst <= 1.0;
    printf("      internal ln t in double-double     max %.4f * 2^-100 relative at t = %.17g over %zu"
           " points (bound 1)%s\n", worst, worst_x, m, pass ? "" : "  FAIL");
    return pass;
}

int main(void)
{
    for (size_t j = 0; j < KMAX; ++j) {
        cw[j] = 0.25 + 0.5 * (double)j; /* distinct, inexact products */
        pw[j] = 3.0 / (double)(j + 1);
    }
    cw[3] = 0.0; /* a class of weight 0 */
    static const case_t cases[] = {
        {"l2 (k=1, the notes' univariate)", L2, 1, 0, 2, 0, 0, 0, 0, 0},
        {"l2 (k=7)", L2, 7, 0, 2, 0, 0, 0, 0, 0},
        {"l1 (k=5)", L1, 5, 0, 2, 0, 0, 0, 0, 0},
        {"huber delta=1 (k=5)", HUBER, 5, 0, 2, 0, 1.0, 0, 0, 0},
        {"huber delta=0.37 (k=5)", HUBER, 5, 0, 2, 0, 0.37, 0, 0, 0},
        {"bce {0,1} targets near 0/1 (k=4)", BCE, 4, 1, 0, 0, 0, 0, 0, 0},
        {"bce soft targets + class_weight", BCE, 6, 1, 1, 0, 0, 1, 0, 0},
        {"bce_logits {0,1}, |a| 1e-300..1e30", BCE_LOGITS, 4, 4, 0, 0, 0, 0, 0, 0},
        {"bce_logits soft + pos_w + class_w", BCE_LOGITS, 6, 2, 1, 0, 0, 1, 1, 0},
        {"ce 1-hot (k=5)", CE, 5, 1, 0, 0, 0, 0, 0, 0},
        {"ce soft + smoothing 0.1 + weights", CE, 6, 1, 1, 0.1, 0, 1, 0, 0},
        {"ce_logits 1-hot (k=5)", CE_LOGITS, 5, 2, 0, 0, 0, 0, 0, 0},
        {"ce_logits confident 1-hot (k=4)", CE_LOGITS, 4, 3, 0, 0, 0, 0, 0, 0},
        {"ce_logits soft + smoothing + weights", CE_LOGITS, 7, 2, 1, 0.2, 0, 1, 0, 0},
        {"ce_labels (k=10)", CE_LABELS, 10, 2, 0, 0, 0, 0, 0, 0},
        {"ce_labels confident (k=3)", CE_LABELS, 3, 3, 0, 0, 0, 0, 0, 0},
        {"ce_labels ignore+weights+smoothing", CE_LABELS, 6, 2, 0, 0.15, 0, 1, 0, 1},
        {"nll ignore + weights", NLL, 6, 2, 0, 0, 0, 1, 0, 1},
        {"kl_div random q (k=6)", KL, 6, 5, 1, 0, 0, 0, 0, 0},
        {"kl_div logq = ln t + 1e-9..1e-4", KL, 6, 6, 1, 0, 0, 0, 0, 0},
        {"kl_div q ~ t renormalised", KL, 6, 7, 1, 0, 0, 0, 0, 0},
    };
    int ok = 1;
    for (int f32 = 0; f32 < 2; ++f32)
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i)
            ok &= run_case(&cases[i], f32, 1000 + i);
    ok &= sum_of_a_million_squares();
    ok &= log_dd_accuracy();
    printf("%s\n", ok ? "oracle_loss: all bounds hold" : "oracle_loss: FAILED");
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
