/*
 * White-box MPFR sweep of src/core/simd/kernels_opts.inc (the loss options of CE
 * from logits with labels and NLL) on every ISA this machine runs and on the 8-lane emulation,
 * called through the dispatch tables independently of NNMATH_ISA:
 *   op_cel_rows: the per-sample loss l_i = -(1-eps) log p_y - (eps/k) sum_j log p_j (before the
 *   weight) within the documented 4 eps of the 256-bit value, for k = 1..100 (tails), smoothing
 *   0, 0.1, 1 and 1e-300, logits up to +-700; policy rows (NaN, +inf entries, rows of -inf, and
 *   a finite max with -inf entries under smoothing) bit for bit as classification.inc's
 *   operations (copied below); rows of weight 0 (ignored labels outside [0,k), class weight 0)
 *   give 0 and are not read (NaN there);
 *   op_cel_grad: w (p_j - t'_j) / den within 4 eps w (p_j + t'_j) / den (the dominant entry:
 *   4 eps w (sum_{i != top} t'_i + 1 - p_top) / den) of the 256-bit value, f64 and f32, den = 1
 *   and a MEAN denominator, weights from 2^-1000 to 2^1000; policy rows bit for bit as
 *   gradient/loss.inc's operations (copied below); zero rows not read; in place;
 *   op_nll_total: the weighted sum within 1 ulp of the exact sum (f64), NaN when a product is
 *   not finite or reaches 2^958 (the entry then hands the call to the reference);
 *   op_nll_rows and op_nll_grad: bit for bit reduce.h's nnm__loss_weighted and gl_finish.
 *   op_bcew_rows / op_bcew_total / op_bcew_grad (BCE with logits with class_weight and / or
 *   pos_weight): rows and totals within the documented 4 eps of the 256-bit value, the gradient
 *   within 2 eps w ((1-t) sigma(a) + p t sigma(-a)) / den, k = 1, 2, 3, 7, 8, 9, 17, 1000, weights
 *   0 / random / subnormal / near DBL_MAX, pos weight 0; rows holding |a| > 708, +-inf or NaN
 *   in a weighted column (the reference's rows) and infinite logits of the gradient bit for bit
 *   as the reference's operations; weight-0 columns not read (NaN logits, targets 7 there).
 * Then the public functions on the ISA the library picked: option calls reach the kernels
 * (NONE outputs equal to the kernels' rows weighted by the module), SUM / MEAN / NONE with
 * weights near DBL_MAX (a finite MEAN), subnormal weights, a fully ignored batch (MEAN 0),
 * labels equal to ignore_index outside [0,k): within the bounds of the reference's values.
 * Run time: ~1e5 rows of up to 100 entries per dtype and path, each against 256-bit MPFR: a few
 * seconds per path in a Release build.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mpfr.h>

#include "core/cpu.h"
#include "core/loss_opts.h"
#include "core/loss_terms.h"
#include "core/simd/dispatch.h"
#include "core/simd/kernels.h"
#include "core/softmax_row.h"
#include "loss/reduce.h"
#include "nnm_test.h"
#include "nnmath/gradient.h"
#include "nnmath/loss.h"
#include "oracle.h"

#include "simd_harness.h"

static void track(double *worst, double err) { *worst = err > *worst ? err : *worst; }

static int same_bits(double a, double b) { return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0; }

#define EPS64 0x1p-52
#define EPS32 0x1p-23

/* ---- data ------------------------------------------------------------------------------------ */

enum { MAXK = 100, MAXN = 64 };
static const double SPECIALS[] = {INFINITY, -INFINITY, NAN, 1e300, -1e300, 745.5, -745.5, 0.0, -0.0};

/* n rows of k logits (mag: their range; specials: some entries from SPECIALS), labels in [0,k)
 * with some equal to the ignored index -7 (outside [0,k)) or to 0 under a class weight of 0 */
static void fill_rows(uint64_t *s, size_t n, size_t k, double mag, int specials, double *a, float *af,
                      int32_t *lab)
{
    for (size_t i = 0; i < n * k; ++i) {
        uint64_t r = nnm_rand_u64(s);
        a[i] = nnm_rand_uniform(s, -mag, mag);
        if (specials && r % 11 == 0) a[i] = SPECIALS[(r >> 8) % 9];
        if (r % 29 == 1) a[i] = a[i - (i > 0)]; /* ties */
        af[i] = (float)a[i];
    }
    for (size_t i = 0; i < n; ++i) {
        uint64_t r = nnm_rand_u64(s);
        lab[i] = (int32_t)(r % k);
        if (r % 13 == 5) {
            lab[i] = -7; /* ignored: the row is not read */
            for (size_t j = 0; j < k; ++j) a[i * k + j] = NAN, af[i * k + j] = NAN;
        }
    }
}

/* ---- the reference's operations (classification.inc / gradient/loss.inc) for policy rows ---- */

static double ref_special_nlp(const nnm__row_stats *st, double log_c, double aj)
{
    if (isnan(st->max)) return st->max;
    if (st->max > 0.0 && aj == st->max) return log_c;
    return HUGE_VAL;
}

/* the module's l (before the weight) of a row with a non-finite max */
static nnm__dd ref_cel_special(size_t k, const double *a, size_t y, const nnm__smoothing *sm)
{
    nnm__row_stats st = nnm__row_stats_f64(k, 1.0, a);
    size_t c = 0;
    for (size_t j = 0; j < k; ++j) c += a[j] > 0 && isinf(a[j]);
    double log_c = c ? log((double)c) : 0.0;
    nnm__sum l = {0.0, 0.0};
    if (sm->keep.hi != 0.0) nnm__sum_add_wcv(&l, 1.0, sm->keep, ref_special_nlp(&st, log_c, a[y]));
    if (sm->active) {
        nnm__sum all = {0.0, 0.0};
        for (size_t j = 0; j < k; ++j) nnm__sum_add(&all, ref_special_nlp(&st, log_c, a[j]));
        nnm__sum_add_wcv(&l, 1.0, sm->spread, nnm__sum_result(&all));
    }
    return nnm__sum_dd(&l);
}

static nnm__dd ref_coef(const nnm__smoothing *sm, size_t j, size_t y)
{
    nnm__dd c = {0.0, 0.0};
    if (sm->active) c = sm->spread;
    if (j == y) {
        nnm__dd s = nnm__two_sum(c.hi, sm->keep.hi);
        s.lo += c.lo + sm->keep.lo;
        c = s;
    }
    return c;
}

/* gl_finish with gl_dd_div, w > 0 */
static double ref_finish(nnm__dd g, double w, double den)
{
    if (w != 1.0) g = nnm__dd_mul_d(g, w);
    if (den != 1.0) {
        nnm__dd r = {g.hi / den, 0.0};
        if (isfinite(r.hi) && isfinite(g.hi) && r.hi != 0.0) r.lo = (fma(-r.hi, den, g.hi) + g.lo) / den;
        g = r;
    }
    return isfinite(g.hi) ? g.hi + g.lo : g.hi;
}

/* gl_ce_logits_row's policy branch */
static void ref_grad_special(size_t k, const double *a, size_t y, const nnm__smoothing *sm, double w,
                             double den, double *d)
{
    nnm__sum all = {0.0, 0.0};
    for (size_t j = 0; j < k; ++j) nnm__sum_add_dd(&all, ref_coef(sm, j, y));
    nnm__dd C = nnm__sum_dd(&all);
    nnm__row_stats st = nnm__row_stats_f64(k, 1.0, a);
    size_t cnt = 0;
    for (size_t j = 0; j < k; ++j) cnt += isinf(a[j]) && a[j] > 0;
    for (size_t j = 0; j < k; ++j) {
        double p = 0.0;
        if (isnan(st.max)) p = st.max;
        else if (cnt > 0 && isinf(a[j]) && a[j] > 0) p = 1.0 / (double)cnt;
        nnm__dd cp = nnm__dd_mul_d(C, p), c = ref_coef(sm, j, y);
        nnm__dd g = nnm__two_sum(cp.hi, -c.hi);
        if (isfinite(g.hi)) g.lo += cp.lo - c.lo;
        if (isnan(p)) g.hi = p, g.lo = 0.0;
        d[j] = ref_finish(g, w, den);
    }
}

static int row_special(size_t k, const double *a)
{
    double m = -INFINITY;
    for (size_t j = 0; j < k; ++j) {
        if (isnan(a[j])) return 1;
        m = a[j] > m ? a[j] : m;
    }
    return !isfinite(m);
}

/* ---- exact values ---------------------------------------------------------------------------- */

/* p = softmax(a) exactly (256 bits) into p[j], and the exact l = -(1-eps) log p_y - (eps/k)
 * sum_j log p_j with the double constants' exact values (keep = 1 - eps, spread = eps / k) */
static void exact_row_q(size_t k, const double *a, size_t y, double eps, mpfr_t *p, mpfr_t l,
                        mpfr_ptr q)
{
    mpfr_t u, s, L;
    mpfr_inits2(NNM_ORACLE_PREC, u, s, L, (mpfr_ptr)0);
    size_t top = 0;
    for (size_t j = 1; j < k; ++j) top = a[j] > a[top] ? j : top;
    double m = a[top];
    mpfr_set_zero(s, 1);
    for (size_t j = 0; j < k; ++j) {
        if (j == top) continue;
        mpfr_set_d(u, a[j], MPFR_RNDN);
        mpfr_sub_d(u, u, m, MPFR_RNDN);
        mpfr_exp(u, u, MPFR_RNDN);
        mpfr_add(s, s, u, MPFR_RNDN);
    }
    mpfr_log1p(L, s, MPFR_RNDN); /* -log p_j = (m - a_j) + L */
    if (q != NULL) { /* 1 - p_top = S / (1 + S) (1 - p_top itself would round to 0) */
        mpfr_add_ui(u, s, 1, MPFR_RNDN);
        mpfr_div(q, s, u, MPFR_RNDN);
    }
    mpfr_add_ui(s, s, 1, MPFR_RNDN);
    for (size_t j = 0; p != NULL && j < k; ++j) {
        mpfr_set_d(u, a[j], MPFR_RNDN);
        mpfr_sub_d(u, u, m, MPFR_RNDN);
        mpfr_exp(u, u, MPFR_RNDN);
        mpfr_div(p[j], u, s, MPFR_RNDN);
    }
    /* l = L + (1 - eps)(m - a_y) + (eps / k) sum_j (m - a_j) */
    mpfr_set_d(u, m, MPFR_RNDN);
    mpfr_sub_d(u, u, a[y], MPFR_RNDN);
    mpfr_set_d(s, 1.0, MPFR_RNDN);
    mpfr_sub_d(s, s, eps, MPFR_RNDN);
    mpfr_mul(u, u, s, MPFR_RNDN);
    if (eps == 1.0) mpfr_set_zero(u, 1); /* a zero coefficient: 0 (a_y = -inf too) */
    mpfr_add(l, L, u, MPFR_RNDN);
    mpfr_set_zero(s, 1);
    for (size_t j = 0; j < k; ++j) {
        mpfr_set_d(u, m, MPFR_RNDN);
        mpfr_sub_d(u, u, a[j], MPFR_RNDN);
        mpfr_add(s, s, u, MPFR_RNDN);
    }
    mpfr_mul_d(s, s, eps, MPFR_RNDN);
    mpfr_div_ui(s, s, (unsigned long)k, MPFR_RNDN);
    if (eps != 0.0) mpfr_add(l, l, s, MPFR_RNDN); /* no smoothing: no term (-inf entries too) */
    mpfr_clears(u, s, L, (mpfr_ptr)0);
}

static void exact_row(size_t k, const double *a, size_t y, double eps, mpfr_t *p, mpfr_t l)
{
    exact_row_q(k, a, y, eps, p, l, NULL);
}

static const double EPSS[] = {0.0, 0.1, 1.0, 1e-300};

/* ---- CE rows and gradient ---------------------------------------------------------------------- */

static void cel(nnm__isa isa)
{
    static const size_t ks[] = {1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 33, 100};
    static double a[MAXN * MAXK], d[MAXN * MAXK], dp[MAXN * MAXK], want[MAXK];
    static float af[MAXN * MAXK], df[MAXN * MAXK];
    static int32_t lab[MAXN];
    double lh[MAXN], ll[MAXN], cw[MAXK];
    mpfr_t l, p[MAXK];
    mpfr_init2(l, NNM_ORACLE_PREC);
    for (size_t j = 0; j < MAXK; ++j) mpfr_init2(p[j], NNM_ORACLE_PREC);
    uint64_t s = 91;
    double r64 = 0, r32 = 0, g64 = 0, g32 = 0;
    size_t rows = 0, special = 0, gents = 0;
    for (size_t ki = 0; ki < sizeof ks / sizeof ks[0]; ++ki) {
        size_t k = ks[ki];
        for (int trial = 0; trial < 16; ++trial) {
            size_t n = MAXN - (size_t)trial;
            double mag = trial % 4 == 0 ? 1.0 : (trial % 4 == 1 ? 30.0 : (trial % 4 == 2 ? 1e-6 : 700.0));
            fill_rows(&s, n, k, mag, trial >= 12, a, af, lab);
            double eps = EPSS[trial % 4];
            nnm__smoothing sm = nnm__smoothing_make(eps, k);
            int weighted = trial % 3 != 0;
            for (size_t j = 0; j < k; ++j) {
                uint64_t r = nnm_rand_u64(&s);
                cw[j] = r % 7 == 0 ? 0.0 : ldexp(nnm_rand_uniform(&s, 0.5, 1.0), (int)(r % 2001) - 1000);
            }
            nnm__simd_lw lw = {weighted ? cw : NULL, 1.0, -7, 1};
            for (size_t i = 0; i < n; ++i) /* a class weight of 0: the row is not read */
                if (weighted && lab[i] >= 0 && cw[lab[i]] == 0.0)
                    for (size_t j = 0; j < k; ++j) a[i * k + j] = NAN, af[i * k + j] = NAN;
            double den = trial % 2 ? 1.0 : ldexp(nnm_rand_uniform(&s, 1.0, 2.0), (int)(nnm_rand_u64(&s) % 60) - 30);
            for (int dt = 0; dt < 2; ++dt) {
                double *aw = a;
                static double wide[MAXN * MAXK];
                if (dt) {
                    for (size_t i = 0; i < n * k; ++i) wide[i] = (double)af[i];
                    aw = wide;
                }
                /* loss rows */
                if (dt) K_(op_cel_rows_f32, isa)(n, k, af, lab, &lw, &sm, lh, ll);
                else K_(op_cel_rows_f64, isa)(n, k, a, lab, &lw, &sm, lh, ll);
                /* gradient (out of place, then in place) */
                if (dt) {
                    K_(op_cel_grad_f32, isa)(n, k, af, lab, &lw, &sm, den, df);
                    static float inpl[MAXN * MAXK];
                    memcpy(inpl, af, n * k * sizeof(float));
                    K_(op_cel_grad_f32, isa)(n, k, inpl, lab, &lw, &sm, den, inpl);
                    if (memcmp(inpl, df, n * k * sizeof(float))) fail("cel grad f32 in place differs");
                } else {
                    K_(op_cel_grad_f64, isa)(n, k, a, lab, &lw, &sm, den, d);
                    memcpy(dp, a, n * k * sizeof(double));
                    K_(op_cel_grad_f64, isa)(n, k, dp, lab, &lw, &sm, den, dp);
                    if (memcmp(dp, d, n * k * sizeof(double))) fail("cel grad f64 in place differs");
                }
                for (size_t i = 0; i < n; ++i) {
                    const double *ai = aw + i * k;
                    double w = lab[i] < 0 ? 0.0 : (weighted ? cw[lab[i]] : 1.0);
                    if (w == 0.0) {
                        if (lh[i] != 0.0 || ll[i] != 0.0) fail("cel row of weight 0 not 0");
                        for (size_t j = 0; j < k; ++j) {
                            double g = dt ? (double)df[i * k + j] : d[i * k + j];
                            if (!same_bits(g, 0.0)) fail("cel grad row of weight 0 not +0");
                        }
                        continue;
                    }
                    size_t y = (size_t)lab[i];
                    if (row_special(k, ai)) {
                        ++special;
                        nnm__dd want_l = ref_cel_special(k, ai, y, &sm);
                        if (!same_bits(lh[i], want_l.hi) || !same_bits(ll[i], want_l.lo)) {
                            printf("  cel policy row k=%zu eps=%g: got %a + %a want %a + %a\n", k, eps, lh[i], ll[i], want_l.hi, want_l.lo);
                            fail("cel policy row differs from the reference");
                        }
                        ref_grad_special(k, ai, y, &sm, w, den, want);
                        for (size_t j = 0; j < k; ++j) {
                            double g = dt ? (double)df[i * k + j] : d[i * k + j];
                            double wj = dt ? (double)(float)want[j] : want[j];
                            if (!same_bits(g, wj)) {
                                printf("  cel grad policy row k=%zu j=%zu: got %a want %a\n", k, j, g, wj);
                                fail("cel grad policy row differs from the reference");
                            }
                        }
                        continue;
                    }
                    ++rows;
                    mpfr_t q1;
                    mpfr_init2(q1, NNM_ORACLE_PREC);
                    exact_row_q(k, ai, y, eps, p, l, q1);
                    /* loss: l rounded to the dtype */
                    double got = lh[i] + ll[i];
                    if (mpfr_inf_p(l)) { /* a label at -inf, or -inf entries under smoothing */
                        if (got != INFINITY) fail("cel row of infinite loss");
                    } else if (mpfr_zero_p(l)) {
                        if (got != 0.0) fail("cel row of loss 0");
                    } else if (dt) {
                        if (nnm_oracle_is_normal_f32(l)) track(&r32, nnm_oracle_rel_err_f32((float)got, l));
                        else if (nnm_oracle_ulp_err_f32((float)got, l) > 1.0) {
                            printf("  cel f32 tiny row k=%zu eps=%g: got %a exact %a\n", k, eps, got, mpfr_get_d(l, MPFR_RNDN));
                            fail("cel f32 tiny row");
                        }
                    } else {
                        if (nnm_oracle_is_normal_f64(l)) track(&r64, nnm_oracle_rel_err_f64(got, l));
                        else if (nnm_oracle_ulp_err_f64(got, l) > 0.5 * (double)k + 2.0) {
                            printf("  cel f64 tiny row k=%zu eps=%g: got %a exact %a\n", k, eps, got, mpfr_get_d(l, MPFR_RNDN));
                            fail("cel f64 tiny row");
                        }
                    }
                    /* gradient: |got - exact| / (w (p_j + c_j) / den), top: w (R + 1 - p_top) / den */
                    size_t top = 0;
                    for (size_t j = 1; j < k; ++j) top = ai[j] > ai[top] ? j : top;
                    mpfr_t e, sc, t;
                    mpfr_inits2(NNM_ORACLE_PREC, e, sc, t, (mpfr_ptr)0);
                    for (size_t j = 0; j < k; ++j) {
                        /* c_j = eps/k + (1 - eps) [j == y] */
                        mpfr_set_d(t, eps, MPFR_RNDN);
                        mpfr_div_ui(t, t, (unsigned long)k, MPFR_RNDN);
                        if (j == y) {
                            mpfr_add_d(t, t, 1.0, MPFR_RNDN);
                            mpfr_sub_d(t, t, eps, MPFR_RNDN);
                        }
                        mpfr_sub(e, p[j], t, MPFR_RNDN);
                        if (j == top) {
                            /* p_top - c_top = (1 - c_top) - (1 - p_top), 1 - c_top formed
                             * directly (1 - eps + eps/k would round in 256 bits for eps =
                             * 1e-300): eps (k - 1)/k at the label, 1 - eps/k elsewhere; the
                             * scale is the sum of the two */
                            mpfr_set_d(t, eps, MPFR_RNDN);
                            mpfr_div_ui(t, t, (unsigned long)k, MPFR_RNDN);
                            if (j == y) {
                                mpfr_mul_ui(t, t, (unsigned long)(k - 1), MPFR_RNDN);
                            } else {
                                mpfr_ui_sub(t, 1, t, MPFR_RNDN);
                            }
                            mpfr_sub(e, t, q1, MPFR_RNDN);
                            mpfr_add(sc, t, q1, MPFR_RNDN);
                        } else {
                            mpfr_add(sc, p[j], t, MPFR_RNDN);
                        }
                        mpfr_mul_d(e, e, w, MPFR_RNDN);
                        mpfr_div_d(e, e, den, MPFR_RNDN);
                        mpfr_mul_d(sc, sc, w, MPFR_RNDN);
                        mpfr_div_d(sc, sc, den, MPFR_RNDN);
                        double g = dt ? (double)df[i * k + j] : d[i * k + j];
                        double ev = dt ? (double)mpfr_get_flt(e, MPFR_RNDN) : mpfr_get_d(e, MPFR_RNDN);
                        if (isinf(ev)) { /* beyond the dtype's range: the rounded value is +-inf */
                            if (!same_bits(g, ev)) fail("cel grad: overflow not +-inf");
                            continue;
                        }
                        mpfr_sub_d(e, e, g, MPFR_RNDN);
                        mpfr_abs(e, e, MPFR_RNDN);
                        if (mpfr_zero_p(sc)) {
                            if (!mpfr_zero_p(e)) fail("cel grad: nonzero where the scale is 0");
                            continue;
                        }
                        mpfr_div(e, e, sc, MPFR_RNDN);
                        double err = mpfr_get_d(e, MPFR_RNDU) / (dt ? EPS32 : EPS64);
                        /* below the dtype's least normal the result is rounded to the subnormal
                         * grid: allow half of its ulp on top */
                        double tiny = dt ? 0x1p-149 : 0x1p-1074;
                        double scd = mpfr_get_d(sc, MPFR_RNDN);
                        double allow = 4.0 + tiny / (scd * (dt ? EPS32 : EPS64));
                        if (err > allow) {
                            printf("  cel grad k=%zu j=%zu top=%zu y=%zu eps=%g w=%a den=%a %s: got %a err %.3g eps\n",
                                   k, j, top, y, eps, w, den, dt ? "f32" : "f64", g, err);
                            fail("cel grad over the bound");
                        }
                        if (scd > tiny / (dt ? EPS32 : EPS64) * 16) track(dt ? &g32 : &g64, err);
                        ++gents;
                    }
                    mpfr_clears(e, sc, t, q1, (mpfr_ptr)0);
                }
            }
        }
    }
    mpfr_clear(l);
    for (size_t j = 0; j < MAXK; ++j) mpfr_clear(p[j]);
    char name[64];
    snprintf(name, sizeof name, "cel_rows_f64 [%s]", path_name(isa));
    printf("%-28s max %.3f eps (bound 4) over %zu rows; %zu policy rows bit for bit\n", name, r64, rows, special);
    if (r64 > 4.0) fail(name);
    snprintf(name, sizeof name, "cel_rows_f32 [%s]", path_name(isa));
    printf("%-28s max %.3f eps (bound 4) over %zu rows\n", name, r32, rows);
    if (r32 > 4.0) fail(name);
    snprintf(name, sizeof name, "cel_grad_f64 [%s]", path_name(isa));
    printf("%-28s max %.3f eps of the scale (bound 4) over %zu entries\n", name, g64, gents);
    if (g64 > 4.0) fail(name);
    snprintf(name, sizeof name, "cel_grad_f32 [%s]", path_name(isa));
    printf("%-28s max %.3f eps of the scale (bound 4)\n", name, g32);
    if (g32 > 4.0) fail(name);
}

/* ---- NLL ------------------------------------------------------------------------------------- */

static double ref_weighted(double w, double l)
{
    nnm__dd x = {l, 0.0};
    return nnm__loss_weighted(w, x);
}

static void nll(nnm__isa isa)
{
    enum { N = 300, K = 7 };
    static double lp[N * K], out[N], g[N * K];
    static float lpf[N * K], outf[N], gf[N * K];
    int32_t lab[N];
    double cw[K];
    uint64_t s = 123;
    mpfr_t ex, u;
    mpfr_inits2(NNM_ORACLE_PREC, ex, u, (mpfr_ptr)0);
    double t64 = 0, t32 = 0;
    size_t checked = 0;
    for (int trial = 0; trial < 40; ++trial) {
        size_t n = N - (size_t)trial * 7;
        for (size_t i = 0; i < n * K; ++i) {
            uint64_t r = nnm_rand_u64(&s);
            lp[i] = -ldexp(nnm_rand_uniform(&s, 0.0, 1.0), (int)(r % 40) - 20);
            if (r % 17 == 0) lp[i] = r % 2 ? 0.0 : -0.0;
            if (r % 19 == 0) lp[i] = ldexp(1.0, -1074);
            if (trial % 5 == 4 && r % 23 == 0) lp[i] = r % 3 ? -INFINITY : NAN;
            lpf[i] = (float)lp[i];
        }
        for (size_t j = 0; j < K; ++j) {
            uint64_t r = nnm_rand_u64(&s);
            cw[j] = r % 5 == 0 ? 0.0 : ldexp(nnm_rand_uniform(&s, 0.5, 1.0), (int)(r % 200) - 100);
            if (trial % 8 == 7 && j == 2) cw[j] = DBL_MAX; /* products beyond 2^958: NaN */
            if (trial % 8 == 6 && j == 3) cw[j] = 0x1p-1070;
        }
        for (size_t i = 0; i < n; ++i) {
            uint64_t r = nnm_rand_u64(&s);
            lab[i] = (int32_t)(r % K);
            if (r % 9 == 0) lab[i] = 1000; /* ignored, outside [0,k) */
        }
        double scale = trial % 3 == 2 ? 0.5 : 1.0;
        nnm__simd_lw lw = {trial % 4 ? cw : NULL, scale, 1000, 1};
        for (int dt = 0; dt < 2; ++dt) {
            double hi, lo;
            if (dt) K_(op_nll_total_f32, isa)(n, K, lpf, lab, &lw, &hi, &lo);
            else K_(op_nll_total_f64, isa)(n, K, lp, lab, &lw, &hi, &lo);
            mpfr_set_zero(ex, 1);
            int big = 0, nonfinite = 0;
            for (size_t i = 0; i < n; ++i) {
                if (lab[i] == 1000) continue;
                double w = lw.class_weight ? cw[lab[i]] * scale : 1.0;
                if (w == 0.0) continue;
                double l = -(dt ? (double)lpf[i * K + (size_t)lab[i]] : lp[i * K + (size_t)lab[i]]);
                if (!isfinite(l)) nonfinite = 1;
                else if (fabs(w * l) >= 0x1p958) big = 1;
                mpfr_set_d(u, l, MPFR_RNDN);
                mpfr_mul_d(u, u, w, MPFR_RNDN);
                mpfr_add(ex, ex, u, MPFR_RNDN);
            }
            if (big || nonfinite) {
                if (!isnan(hi)) fail("nll total: a non-finite or huge product must give NaN");
            } else {
                ++checked;
                double e = nnm_oracle_ulp_err_f64(hi + lo, ex);
                track(dt ? &t32 : &t64, e);
            }
            /* NONE: bit for bit nnm__loss_weighted */
            if (dt) K_(op_nll_rows_f32, isa)(n, K, lpf, lab, &lw, outf);
            else K_(op_nll_rows_f64, isa)(n, K, lp, lab, &lw, out);
            for (size_t i = 0; i < n; ++i) {
                double w = lab[i] == 1000 ? 0.0 : (lw.class_weight ? cw[lab[i]] * scale : 1.0);
                double want = w == 0.0 ? 0.0 : ref_weighted(w, -(dt ? (double)lpf[i * K + (size_t)lab[i]] : lp[i * K + (size_t)lab[i]]));
                double got = dt ? (double)outf[i] : out[i];
                if (dt) want = (double)(float)want;
                if (!same_bits(got, want)) {
                    printf("  nll row %zu: got %a want %a\n", i, got, want);
                    fail("nll NONE row differs from the reference");
                }
            }
            /* gradient, den 1 and a MEAN denominator, in place too */
            for (int dd = 0; dd < 2; ++dd) {
                double den = dd ? 3.7e5 : 1.0;
                if (dt) {
                    K_(op_nll_grad_f32, isa)(n, K, lpf, lab, &lw, den, gf);
                    static float inpl[N * K];
                    memcpy(inpl, lpf, sizeof inpl);
                    K_(op_nll_grad_f32, isa)(n, K, inpl, lab, &lw, den, inpl);
                    if (memcmp(inpl, gf, n * K * sizeof(float))) fail("nll grad f32 in place");
                } else {
                    K_(op_nll_grad_f64, isa)(n, K, lp, lab, &lw, den, g);
                    static double inpl[N * K];
                    memcpy(inpl, lp, sizeof inpl);
                    K_(op_nll_grad_f64, isa)(n, K, inpl, lab, &lw, den, inpl);
                    if (memcmp(inpl, g, n * K * sizeof(double))) fail("nll grad f64 in place");
                }
                for (size_t i = 0; i < n; ++i) {
                    double w = lab[i] == 1000 ? 0.0 : (lw.class_weight ? cw[lab[i]] * scale : 1.0);
                    for (size_t j = 0; j < K; ++j) {
                        double want = 0.0;
                        if (w != 0.0 && (int32_t)j == lab[i]) {
                            double v = dt ? (double)lpf[i * K + j] : lp[i * K + j];
                            want = isnan(v) ? v : ref_finish((nnm__dd){-1.0, 0.0}, w, den);
                        }
                        double got = dt ? (double)gf[i * K + j] : g[i * K + j];
                        if (dt) want = (double)(float)want;
                        if (!same_bits(got, want)) {
                            printf("  nll grad %zu,%zu: got %a want %a\n", i, j, got, want);
                            fail("nll grad differs from the reference");
                        }
                    }
                }
            }
        }
    }
    mpfr_clears(ex, u, (mpfr_ptr)0);
    char name[64];
    snprintf(name, sizeof name, "nll_total_f64 [%s]", path_name(isa));
    printf("%-28s max %.3f ulp (bound 1) over %zu finite totals per dtype\n", name, t64, checked / 2);
    if (t64 > 1.0) fail(name);
    snprintf(name, sizeof name, "nll_total_f32 [%s]", path_name(isa));
    printf("%-28s max %.3f ulp of the double total (bound 1)\n", name, t32);
    if (t32 > 1.0) fail(name);
    printf("nll_rows / nll_grad f64+f32 [%s]: bit for bit\n", path_name(isa));
}

/* ---- public functions ------------------------------------------------------------------------ */

/* the module's reference of CE with labels and options, from the reference's row losses: only
 * used to check status and value ranges of the public calls against MPFR (per sample) */
static void public_calls(void)
{
    enum { N = 37, K = 9 };
    double a[N * K], out[N], outv[N], cw[K], lh[N], ll[N], g[N * K];
    float af[N * K], outf[N], gf[N * K];
    int32_t lab[N];
    uint64_t s = 7;
    nnm__isa isa = nnm__cpu_isa();
    for (size_t i = 0; i < N * K; ++i) a[i] = nnm_rand_uniform(&s, -9, 9), af[i] = (float)a[i];
    for (size_t j = 0; j < K; ++j) cw[j] = nnm_rand_uniform(&s, 0.1, 3.0);
    for (size_t i = 0; i < N; ++i) lab[i] = (int32_t)(nnm_rand_u64(&s) % K);
    lab[3] = -100, lab[20] = -100; /* ignored, outside [0,k) */
    nnm_loss_opts o = NNM_LOSS_OPTS_INIT;
    o.class_weight = cw, o.use_ignore_index = 1, o.ignore_index = -100, o.label_smoothing = 0.1;
    o.reduction = NNM_REDUCE_NONE;
    if (nnm_loss_ce_logits_labels_f64(N, K, a, lab, &o, out) != NNM_OK) fail("public cel status");
    if (K_(op_cel_rows_f64, isa) != NULL) {
        /* NONE must be the kernel's rows weighted by the module (reduce.h) */
        nnm__loss_cfg cfg;
        memset(&cfg, 0, sizeof cfg);
        if (nnm__loss_check_opts(NNM__LOSS_CE_LOGITS_LABELS, &o, &cfg) != NNM_OK) fail("opts");
        nnm__smoothing sm = nnm__smoothing_make(0.1, K);
        nnm__simd_lw lw = {cw, 1.0, -100, 1};
        K_(op_cel_rows_f64, isa)(N, K, a, lab, &lw, &sm, lh, ll);
        for (size_t i = 0; i < N; ++i) {
            nnm__dd l = {lh[i], ll[i]};
            outv[i] = nnm__loss_weighted(nnm__loss_sample_weight(&cfg, lab[i]), l);
        }
        if (memcmp(out, outv, sizeof out)) fail("public ce_logits_labels NONE with options does not reach the kernel");
        /* the NLL rows and the gradients likewise */
        K_(op_nll_rows_f64, isa)(N, K, a, lab, &lw, outv);
        if (nnm_loss_nll_labels_f64(N, K, a, lab, &(nnm_loss_opts){.reduction = NNM_REDUCE_NONE, .class_weight = cw, .use_ignore_index = 1, .ignore_index = -100}, out) != NNM_OK ||
            memcmp(out, outv, sizeof out))
            fail("public nll NONE with options does not reach the kernel");
        o.reduction = NNM_REDUCE_SUM;
        if (nnm_grad_loss_ce_logits_labels_f64(N, K, a, lab, &o, g) != NNM_OK) fail("public cel grad status");
        static double gv[N * K];
        K_(op_cel_grad_f64, isa)(N, K, a, lab, &lw, &sm, 1.0, gv);
        if (memcmp(g, gv, sizeof g)) fail("public ce_logits_labels gradient with options does not reach the kernel");
        printf("public option calls reach the kernels [%s]\n", path_name(isa));
    } else {
        printf("public option calls: scalar path [%s]\n", path_name(isa));
    }
    /* per sample within 4 eps of MPFR through the public NONE, f64 and f32 */
    mpfr_t l;
    mpfr_init2(l, NNM_ORACLE_PREC);
    o.reduction = NNM_REDUCE_NONE;
    if (nnm_loss_ce_logits_labels_f64(N, K, a, lab, &o, out) != NNM_OK) fail("public cel status");
    if (nnm_loss_ce_logits_labels_f32(N, K, af, lab, &o, outf) != NNM_OK) fail("public cel f32 status");
    double w64 = 0, w32 = 0;
    for (size_t i = 0; i < N; ++i) {
        if (lab[i] < 0) {
            if (out[i] != 0.0 || outf[i] != 0.0f) fail("public ignored sample not 0");
            continue;
        }
        double wide[K];
        exact_row(K, a + i * K, (size_t)lab[i], 0.1, NULL, l);
        mpfr_mul_d(l, l, cw[lab[i]], MPFR_RNDN);
        track(&w64, nnm_oracle_rel_err_f64(out[i], l));
        for (size_t j = 0; j < K; ++j) wide[j] = (double)af[i * K + j];
        exact_row(K, wide, (size_t)lab[i], 0.1, NULL, l);
        mpfr_mul_d(l, l, cw[lab[i]], MPFR_RNDN);
        track(&w32, nnm_oracle_rel_err_f32(outf[i], l));
    }
    printf("public ce_logits_labels NONE (weights, ignore, smoothing): max %.3f / %.3f eps f64 / f32 (bound 4)\n", w64, w32);
    if (w64 > 4.0 || w32 > 4.0) fail("public ce_logits_labels NONE over the bound");
    /* fuzzing-record cases: weights near DBL_MAX (finite MEAN), subnormal weights, a fully
     * ignored batch, against the scalar reference's reduction of the same per-sample values */
    for (int c = 0; c < 3; ++c) {
        for (size_t j = 0; j < K; ++j) cw[j] = c == 0 ? DBL_MAX : (c == 1 ? 0x1p-1060 * (double)(j + 1) : 1.0);
        nnm_loss_opts m = NNM_LOSS_OPTS_INIT;
        m.class_weight = cw, m.use_ignore_index = 1, m.ignore_index = c == 2 ? -100 : 5, m.reduction = NNM_REDUCE_MEAN;
        int32_t lab2[N];
        for (size_t i = 0; i < N; ++i) lab2[i] = c == 2 ? -100 : lab[i] < 0 ? 5 : lab[i];
        double mean, mean_nll;
        float meanf;
        if (nnm_loss_ce_logits_labels_f64(N, K, a, lab2, &m, &mean) != NNM_OK) fail("public cel MEAN status");
        if (nnm_loss_ce_logits_labels_f32(N, K, af, lab2, &m, &meanf) != NNM_OK) fail("public cel MEAN f32 status");
        if (nnm_loss_nll_labels_f64(N, K, a, lab2, &m, &mean_nll) != NNM_OK) fail("public nll MEAN status");
        /* the exact weighted mean */
        mpfr_t num, den, u;
        mpfr_inits2(NNM_ORACLE_PREC, num, den, u, (mpfr_ptr)0);
        mpfr_set_zero(num, 1), mpfr_set_zero(den, 1);
        for (size_t i = 0; i < N; ++i) {
            if (lab2[i] == m.ignore_index) continue;
            exact_row(K, a + i * K, (size_t)lab2[i], 0.0, NULL, u);
            mpfr_mul_d(u, u, cw[lab2[i]], MPFR_RNDN);
            mpfr_add(num, num, u, MPFR_RNDN);
            mpfr_add_d(den, den, cw[lab2[i]], MPFR_RNDN);
        }
        if (mpfr_zero_p(den)) {
            if (!same_bits(mean, 0.0) || meanf != 0.0f || !same_bits(mean_nll, 0.0)) fail("MEAN over a fully ignored batch is not 0");
        } else {
            /* a product w_i l_i below DBL_MIN is rounded to the subnormal grid (in the
             * reference too): N half-ulps of 2^-1074 on the SUM, divided by the weights */
            double dend = mpfr_get_d(den, MPFR_RNDN);
            mpfr_div(num, num, den, MPFR_RNDN);
            double e = nnm_oracle_rel_err_f64(mean, num);
            double extra = (double)N * 0x1p-1074 * 0.5 / dend / fabs(mean) / EPS64;
            if (!(e <= 6.0 + extra)) {
                printf("  case %d: MEAN %a err %.3g eps\n", c, mean, e);
                fail("public cel MEAN with extreme weights over 4 + 2 eps");
            }
        }
        mpfr_clears(num, den, u, (mpfr_ptr)0);
        /* the gradient over a fully ignored batch is 0, and NLL's too */
        if (c == 2) {
            if (nnm_grad_loss_ce_logits_labels_f64(N, K, a, lab2, &m, g) != NNM_OK) fail("grad status");
            if (nnm_grad_loss_ce_logits_labels_f32(N, K, af, lab2, &m, gf) != NNM_OK) fail("grad status");
            for (size_t i = 0; i < N * K; ++i)
                if (!same_bits(g[i], 0.0) || gf[i] != 0.0f) fail("gradient of a fully ignored MEAN not 0");
        }
    }
    mpfr_clear(l);
    printf("public MEAN with weights near DBL_MAX / subnormal weights / a fully ignored batch: checked\n");
}

/* ---- BCE with logits with class_weight / pos_weight ------------------------------------------ */

/* the reference's operations (classification.inc's row loop with core/loss_terms.h's
 * nnm__bce_logits_add; gradient/loss.inc's gl_bce_logits_elem, copied) */
static double ref_bcew_row(size_t k, const double *a, const double *t, const double *cw,
                           const double *pw)
{
    nnm__sum row = {0.0, 0.0};
    for (size_t j = 0; j < k; ++j) {
        double w = cw ? cw[j] : 1.0;
        if (w != 0.0) nnm__bce_logits_add(&row, w, a[j], t[j], pw ? pw[j] : 1.0);
    }
    nnm__dd l = nnm__sum_dd(&row);
    return l.hi + l.lo;
}

static nnm__dd ref_bcew_dl(double a, double t, double p)
{
    nnm__dd g = {0.0, 0.0};
    if (isnan(a)) {
        g.hi = a;
        return g;
    }
    if (t < 1.0) g = nnm__dd_mul_d(nnm__one_minus(t), nnm__sigmoid(a));
    if (t > 0.0 && p > 0.0) {
        nnm__dd b = nnm__dd_mul_d(nnm__two_prod(p, t), nnm__sigmoid(-a));
        nnm__dd s = nnm__two_sum(g.hi, -b.hi);
        if (isfinite(s.hi)) s.lo += g.lo - b.lo;
        g = s;
    }
    return g;
}

/* softplus(x) = log1p(e^x) in MPFR */
static void mp_softplus(mpfr_t r, double x)
{
    mpfr_set_d(r, x, MPFR_RNDN);
    mpfr_exp(r, r, MPFR_RNDN);
    mpfr_log1p(r, r, MPFR_RNDN);
}

/* the exact term w [q softplus(-a) + (1 - t) softplus(a)] added to acc, with q = p t as the
 * reference forms it (two_prod: exact unless p t is subnormal, where the reference's coefficient
 * itself is rounded); and the exact gradient w [(1 - t) sigma(a) - q sigma(-a)] / den with its
 * error scale w [(1 - t) sigma(a) + q sigma(-a)] / den */
static void mp_bcew(double a, double t, double w, double p, double den, mpfr_t acc, mpfr_t g,
                    mpfr_t scale)
{
    mpfr_t q, u, x, y;
    mpfr_inits2(NNM_ORACLE_PREC, q, u, x, y, (mpfr_ptr)0);
    nnm__dd qd = nnm__two_prod(p, t);
    mpfr_set_d(q, qd.hi, MPFR_RNDN);
    mpfr_add_d(q, q, qd.lo, MPFR_RNDN);
    mpfr_set_d(u, 1.0, MPFR_RNDN);
    mpfr_sub_d(u, u, t, MPFR_RNDN);
    mp_softplus(x, -a);
    mpfr_mul(x, x, q, MPFR_RNDN);
    mp_softplus(y, a);
    mpfr_mul(y, y, u, MPFR_RNDN);
    mpfr_add(x, x, y, MPFR_RNDN);
    mpfr_mul_d(x, x, w, MPFR_RNDN);
    mpfr_add(acc, acc, x, MPFR_RNDN);
    /* sigma(a) = 1 / (1 + e^-a) */
    mpfr_set_d(x, -a, MPFR_RNDN);
    mpfr_exp(x, x, MPFR_RNDN);
    mpfr_add_ui(x, x, 1, MPFR_RNDN);
    mpfr_ui_div(x, 1, x, MPFR_RNDN);
    mpfr_set_d(y, a, MPFR_RNDN); /* sigma(-a) = 1 / (1 + e^a), not 1 - sigma(a) (cancels) */
    mpfr_exp(y, y, MPFR_RNDN);
    mpfr_add_ui(y, y, 1, MPFR_RNDN);
    mpfr_ui_div(y, 1, y, MPFR_RNDN);
    mpfr_mul(x, x, u, MPFR_RNDN);
    mpfr_mul(y, y, q, MPFR_RNDN);
    mpfr_sub(g, x, y, MPFR_RNDN);
    mpfr_add(scale, x, y, MPFR_RNDN);
    mpfr_mul_d(g, g, w, MPFR_RNDN);
    mpfr_div_d(g, g, den, MPFR_RNDN);
    mpfr_mul_d(scale, scale, w, MPFR_RNDN);
    mpfr_div_d(scale, scale, den, MPFR_RNDN);
    mpfr_clears(q, u, x, y, (mpfr_ptr)0);
}

/* |got - exact| beyond an absolute allowance, in units of eps * scale */
static double err_units(double got, const mpfr_t exact, double scale, double eps, double abs_allow)
{
    mpfr_t d;
    mpfr_init2(d, NNM_ORACLE_PREC);
    mpfr_sub_d(d, exact, got, MPFR_RNDN);
    mpfr_abs(d, d, MPFR_RNDN);
    double e = mpfr_get_d(d, MPFR_RNDU) - abs_allow;
    mpfr_clear(d);
    if (e <= 0.0) return 0.0;
    return scale > 0.0 ? e / scale / eps : INFINITY;
}

static const size_t BCEW_KS[] = {1, 2, 3, 7, 8, 9, 17, 1000};

/* weights of mode m for column j: NULL-like 1, random with zeros, subnormal, near DBL_MAX */
static double bcew_weight(uint64_t *s, int m, size_t j)
{
    uint64_t r = nnm_rand_u64(s);
    switch (m) {
    case 0: return 1.0;
    case 1: return r % 5 == 0 ? 0.0 : ldexp(nnm_rand_uniform(s, 0.5, 1.0), (int)(r % 40) - 20);
    case 2: return j % 3 == 0 ? 0x1p-1070 * (double)(j % 7 + 1) : nnm_rand_uniform(s, 0.0, 3.0);
    default: return j % 2 ? DBL_MAX : nnm_rand_uniform(s, 0.5, 2.0);
    }
}

/* Sweep: k in BCEW_KS, n from 1 to 40 (n k up to 40000: tails of both widths), class weights and
 * pos weights NULL / random with zeros / subnormal / near DBL_MAX, pos weight 0 columns, targets
 * hard and soft, logits uniform in [-40, 40] with some at +-(700..750), +-inf and NaN, the
 * weight-0 columns holding NaN logits and targets outside [0,1]. Each element is checked against
 * 256-bit MPFR (bounded: ~3e5 elements per dtype and path, a few seconds). */
static void bcew(nnm__isa isa)
{
    enum { MAXE = 40000 };
    static double a[MAXE], t[MAXE], out[MAXE], g[MAXE], inpl[MAXE];
    static float af[MAXE], tf[MAXE], outf[MAXE], gf[MAXE], inplf[MAXE];
    double cw[1000], pw[1000];
    uint64_t s = 99;
    mpfr_t ex, tot, gx, sc;
    mpfr_inits2(NNM_ORACLE_PREC, ex, tot, gx, sc, (mpfr_ptr)0);
    double lmax[2] = {0, 0}, tmax[2] = {0, 0}, gmax[2] = {0, 0};
    size_t rows_ref = 0, rows_vec = 0, grads = 0, totals = 0;
    for (size_t ki = 0; ki < sizeof BCEW_KS / sizeof BCEW_KS[0]; ++ki) {
        size_t k = BCEW_KS[ki];
        for (int trial = 0; trial < 12; ++trial) {
            size_t n = k == 1000 ? (size_t)(trial % 3 + 1) : (size_t)(trial * 3 + 1);
            int cm = trial % 4, pm = (trial / 4 + (int)ki) % 4, specials = trial % 6 == 5;
            for (size_t j = 0; j < k; ++j) {
                cw[j] = bcew_weight(&s, cm, j);
                pw[j] = bcew_weight(&s, pm, j);
                if (pm == 1 && j % 4 == 1) pw[j] = 0.0;
            }
            const double *cwp = trial % 5 == 4 ? NULL : cw, *pwp = trial % 7 == 6 ? NULL : pw;
            if (cwp == NULL && pwp == NULL) pwp = pw;
            for (size_t i = 0; i < n * k; ++i) {
                uint64_t r = nnm_rand_u64(&s);
                a[i] = nnm_rand_uniform(&s, -40.0, 40.0);
                if (trial % 4 == 1 && r % 23 == 0)
                    a[i] = (r % 2 ? 1 : -1) * nnm_rand_uniform(&s, 700.0, 750.0);
                if (specials && r % 31 == 0)
                    a[i] = (double[]){INFINITY, -INFINITY, NAN}[(r >> 8) % 3];
                t[i] = r % 3 == 0 ? nnm_rand_uniform(&s, 0.0, 1.0) : (double)((r >> 4) % 2);
                if (cwp && cw[i % k] == 0.0) a[i] = NAN, t[i] = 7.0; /* not read */
                af[i] = (float)a[i], tf[i] = (float)t[i];
                if (isfinite(a[i]) && fabs(a[i]) < 1e30) a[i] = (double)af[i]; /* same data */
                t[i] = cwp && cw[i % k] == 0.0 ? t[i] : (double)tf[i];
            }
            for (int dt = 0; dt < 2; ++dt) {
                const double eps = dt ? EPS32 : EPS64;
                /* NONE rows */
                if (dt) K_(op_bcew_rows_f32, isa)(n, k, af, tf, cwp, pwp, outf);
                else K_(op_bcew_rows_f64, isa)(n, k, a, t, cwp, pwp, out);
                /* NONE is row-local: row i alone gives the same bits (fuzz finding: with k = 1
                 * a special lane sent its whole block of rows to the reference) */
                for (size_t i = 0; i < n; ++i) {
                    double one;
                    float onef;
                    if (dt)
                        K_(op_bcew_rows_f32, isa)(1, k, af + i * k, tf + i * k, cwp, pwp, &onef);
                    else K_(op_bcew_rows_f64, isa)(1, k, a + i * k, t + i * k, cwp, pwp, &one);
                    if (dt ? memcmp(&onef, &outf[i], sizeof onef) : !same_bits(one, out[i]))
                        fail("bcew NONE row alone differs from the same row in the batch");
                }
                mpfr_set_zero(tot, 1);
                int tot_special = 0;
                for (size_t i = 0; i < n; ++i) {
                    const double *ai = a + i * k, *ti = t + i * k;
                    double got = dt ? (double)outf[i] : out[i];
                    int special = 0;
                    mpfr_set_zero(ex, 1);
                    for (size_t j = 0; j < k; ++j) {
                        double w = cwp ? cw[j] : 1.0;
                        if (w == 0.0) continue;
                        if (!(fabs(ai[j]) <= 708.0)) special = 1;
                        if (!isfinite(ai[j])) tot_special = 1;
                        else mp_bcew(ai[j], ti[j], w, pwp ? pw[j] : 1.0, 1.0, ex, gx, sc);
                    }
                    mpfr_add(tot, tot, ex, MPFR_RNDN);
                    double ref = ref_bcew_row(k, ai, ti, cwp, pwp);
                    if (dt) ref = (double)(float)ref;
                    if (special || !isfinite(ref) || !isfinite(got)) {
                        ++rows_ref;
                        if (!same_bits(got, ref)) {
                            printf("  bcew row k=%zu i=%zu dt=%d: got %a want %a\n", k, i, dt,
                                   got, ref);
                            fail("bcew NONE row (special / non-finite) differs from the reference");
                        }
                        continue;
                    }
                    ++rows_vec;
                    /* subnormal products w (...) round to 2^-1075 (f64) in the reference too */
                    double allow = (double)k * 0x1p-1074 + (dt ? 0x1p-150 : 0.0);
                    double e = err_units(got, ex, fabs(mpfr_get_d(ex, MPFR_RNDN)), eps, allow);
                    track(&lmax[dt], e);
                    if (!(e <= 4.0)) {
                        printf("  bcew row k=%zu i=%zu dt=%d: got %a err %.3g eps\n", k, i, dt,
                               got, e);
                        fail("bcew NONE row over 4 eps");
                    }
                }
                /* SUM total (with an infinite or NaN logit it is not finite, and the entry hands
                 * the call to the reference; lanes |a| > 708 take the reference's term) */
                double hi, lo;
                if (dt) K_(op_bcew_total_f32, isa)(n, k, af, tf, cwp, pwp, &hi, &lo);
                else K_(op_bcew_total_f64, isa)(n, k, a, t, cwp, pwp, &hi, &lo);
                if (!tot_special) {
                    double ex_d = mpfr_get_d(tot, MPFR_RNDN);
                    if (!isfinite(ex_d)) {
                        /* beyond DBL_MAX: the entry hands a non-finite total to the reference */
                    } else if (dt && isinf((float)ex_d)) {
                        if (!(fabs((double)(float)(hi + lo)) >= (double)FLT_MAX))
                            fail("bcew total f32 beyond FLT_MAX is not inf");
                    } else if (isfinite(hi)) {
                        ++totals;
                        /* f64: the double total; f32: the float the entry returns */
                        double v = dt ? (double)(float)(hi + lo) : hi + lo;
                        double e = err_units(v, tot, fabs(ex_d), eps,
                                             (double)(n * k) * 0x1p-1074 + (dt ? 0x1p-150 : 0.0));
                        track(&tmax[dt], e);
                        if (!(e <= 4.0)) {
                            printf("  bcew total k=%zu n=%zu dt=%d: err %.3g eps\n", k, n, dt, e);
                            fail("bcew total over 4 eps");
                        }
                    } else if (ex_d < 0x1p1020) {
                        fail("bcew total not finite for a finite sum");
                    }
                }
                /* gradient, den 1 and a MEAN denominator, in place */
                for (int dd = 0; dd < 2; ++dd) {
                    double den = dd ? (double)n : 1.0;
                    if (dt) {
                        K_(op_bcew_grad_f32, isa)(n, k, af, tf, cwp, pwp, den, gf);
                        memcpy(inplf, af, n * k * sizeof(float));
                        K_(op_bcew_grad_f32, isa)(n, k, inplf, tf, cwp, pwp, den, inplf);
                        if (memcmp(inplf, gf, n * k * sizeof(float)))
                            fail("bcew grad f32 in place");
                    } else {
                        K_(op_bcew_grad_f64, isa)(n, k, a, t, cwp, pwp, den, g);
                        memcpy(inpl, a, n * k * sizeof(double));
                        K_(op_bcew_grad_f64, isa)(n, k, inpl, t, cwp, pwp, den, inpl);
                        if (memcmp(inpl, g, n * k * sizeof(double))) fail("bcew grad f64 in place");
                    }
                    for (size_t e = 0; e < n * k; ++e) {
                        size_t j = e % k;
                        double w = cwp ? cw[j] : 1.0, p = pwp ? pw[j] : 1.0;
                        double got = dt ? (double)gf[e] : g[e];
                        if (w == 0.0) {
                            if (!same_bits(got, 0.0)) fail("bcew grad: weight-0 column not +0");
                            continue;
                        }
                        if (!isfinite(a[e])) { /* the reference's operations, bit for bit */
                            double want = ref_finish(ref_bcew_dl(a[e], t[e], p), w, den);
                            if (dt) want = (double)(float)want;
                            if (!same_bits(got, want)) {
                                printf("  bcew grad a=%g t=%g: got %a want %a\n", a[e], t[e],
                                       got, want);
                                fail("bcew grad (non-finite logit) differs from the reference");
                            }
                            continue;
                        }
                        mpfr_set_zero(ex, 1);
                        mp_bcew(a[e], t[e], w, p, den, ex, gx, sc);
                        double scale = mpfr_get_d(sc, MPFR_RNDN), gx_d = mpfr_get_d(gx, MPFR_RNDN);
                        if (isinf(dt ? (double)(float)gx_d : gx_d)) { /* beyond the type's range */
                            /* sigma(-|a|) < 2^-1022 has no relative accuracy, here or in the
                             * reference: a huge w p times it is covered by the allowance below */
                            if (fabs(a[e]) > 708.0) continue;
                            double big = dt ? (double)FLT_MAX : DBL_MAX;
                            if (!(fabs(got) >= big && (got > 0) == (gx_d > 0))) {
                                printf("  bcew grad a=%a t=%a w=%a p=%a den=%g: got %a\n", a[e],
                                       t[e], w, p, den, got);
                                fail("bcew grad: an overflowing gradient is not +-inf");
                            }
                            continue;
                        }
                        /* subnormal sigma(+-a) or p t: 2^-1074 absolutely, times w (1 + p) / den */
                        double allow = w * (1.0 + p) / den * 0x1p-1073 + 0x1p-1074 +
                                       (dt ? 0x1p-150 : 0.0);
                        if (!isfinite(got)) { /* w g overflowed before the division by den */
                            double want = ref_finish(ref_bcew_dl(a[e], t[e], p), w, den);
                            if (dt) want = (double)(float)want;
                            if (!same_bits(got, want)) {
                                printf("  bcew grad a=%a t=%a: got %a want %a\n", a[e], t[e], got,
                                       want);
                                fail("bcew grad: overflow where the reference has none");
                            }
                            continue;
                        }
                        double er = err_units(got, gx, scale, eps, allow);
                        ++grads;
                        track(&gmax[dt], er);
                        if (!(er <= 2.0)) {
                            printf("  bcew grad a=%a t=%a w=%a p=%a den=%g: got %a err %.3g\n",
                                   a[e], t[e], w, p, den, got, er);
                            fail("bcew grad over 2 eps");
                        }
                    }
                }
            }
        }
    }
    mpfr_clears(ex, tot, gx, sc, (mpfr_ptr)0);
    const char *pn = path_name(isa);
    printf("bcew_rows_f64 [%s]          max %.3f eps (bound 4); f32 %.3f eps; %zu rows vector, %zu "
           "reference bit for bit\n", pn, lmax[0], lmax[1], rows_vec, rows_ref);
    printf("bcew_total f64 / f32 [%s]   max %.3f / %.3f eps (bound 4) over %zu totals\n", pn,
           tmax[0], tmax[1], totals);
    printf("bcew_grad f64 / f32 [%s]    max %.3f / %.3f eps of w((1-t)s(a) + p t s(-a))/den "
           "(bound 2) over %zu elements\n", pn, gmax[0], gmax[1], grads);
}

/* The public functions reach the kernels: NONE equals the rows kernel, SUM / MEAN the total
 * finished once, the gradient the gradient kernel; zero-weight columns with NaN logits and
 * targets outside [0,1] are accepted and give 0. */
static void bcew_public(void)
{
    enum { N = 23, K = 9 };
    double a[N * K], t[N * K], cw[K], pw[K], out[N], outv[N], g[N * K], gv[N * K], r1, r2;
    float af[N * K], tf[N * K], outf[N], outfv[N];
    uint64_t s = 5;
    nnm__isa isa = nnm__cpu_isa();
    for (size_t j = 0; j < K; ++j) cw[j] = j == 4 ? 0.0 : nnm_rand_uniform(&s, 0.1, 3.0);
    for (size_t j = 0; j < K; ++j) pw[j] = j == 2 ? 0.0 : nnm_rand_uniform(&s, 0.1, 5.0);
    for (size_t i = 0; i < N * K; ++i) {
        a[i] = i % K == 4 ? NAN : nnm_rand_uniform(&s, -9, 9);
        t[i] = i % K == 4 ? 3.0 : (double)(nnm_rand_u64(&s) % 2);
        af[i] = (float)a[i], tf[i] = (float)t[i];
    }
    nnm_loss_opts o = NNM_LOSS_OPTS_INIT;
    o.class_weight = cw, o.pos_weight = pw, o.reduction = NNM_REDUCE_NONE;
    if (nnm_loss_bce_logits_f64(N, K, a, t, &o, out) != NNM_OK) fail("public bcew status");
    if (nnm_loss_bce_logits_f32(N, K, af, tf, &o, outf) != NNM_OK) fail("public bcew f32 status");
    for (size_t i = 0; i < N; ++i)
        if (!(out[i] > 0.0 && isfinite(out[i]))) fail("public bcew NONE row not a positive number");
    if (K_(op_bcew_rows_f64, isa) == NULL) {
        printf("public bcew option calls: scalar path [%s]\n", path_name(isa));
        return;
    }
    K_(op_bcew_rows_f64, isa)(N, K, a, t, cw, pw, outv);
    K_(op_bcew_rows_f32, isa)(N, K, af, tf, cw, pw, outfv);
    if (memcmp(out, outv, sizeof out) || memcmp(outf, outfv, sizeof outf))
        fail("public bce_logits NONE with weights does not reach the kernel");
    double hi, lo;
    K_(op_bcew_total_f64, isa)(N, K, a, t, cw, pw, &hi, &lo);
    o.reduction = NNM_REDUCE_SUM;
    if (nnm_loss_bce_logits_f64(N, K, a, t, &o, &r1) != NNM_OK || !same_bits(r1, hi + lo))
        fail("public bce_logits SUM with weights does not reach the kernel");
    o.reduction = NNM_REDUCE_MEAN;
    if (nnm_loss_bce_logits_f64(N, K, a, t, &o, &r2) != NNM_OK) fail("public bcew MEAN status");
    double q = hi / N;
    if (!same_bits(r2, q + (fma(-q, N, hi) + lo) / N))
        fail("public bcew MEAN not the kernel's total / n");
    if (nnm_grad_loss_bce_logits_f64(N, K, a, t, &o, g) != NNM_OK) fail("public bcew grad status");
    K_(op_bcew_grad_f64, isa)(N, K, a, t, cw, pw, (double)N, gv);
    if (memcmp(g, gv, sizeof g))
        fail("public bce_logits gradient with weights does not reach the kernel");
    /* pos_weight alone */
    o.class_weight = NULL, o.reduction = NNM_REDUCE_SUM;
    for (size_t i = 0; i < N * K; ++i) if (isnan(a[i])) a[i] = 0.5, t[i] = 0.25;
    if (nnm_grad_loss_bce_logits_f64(N, K, a, t, &o, g) != NNM_OK) fail("public bcew grad status");
    K_(op_bcew_grad_f64, isa)(N, K, a, t, NULL, pw, 1.0, gv);
    if (memcmp(g, gv, sizeof g))
        fail("public bce_logits gradient with pos_weight does not reach the kernel");
    printf("public bce_logits option calls reach the kernels [%s]\n", path_name(isa));
}

int main(void)
{
    int ran = 0;
    for (int i = 1; i <= PATH_EMU8; ++i) {
        nnm__isa isa = (nnm__isa)i;
        if (i != PATH_EMU8 && (!nnm__cpu_isa_available(isa) || K_(op_cel_rows_f64, isa) == NULL)) {
            printf("[%s] not available on this machine or not compiled: skipped\n", path_name(isa));
            continue;
        }
        cel(isa);
        nll(isa);
        bcew(isa);
        ++ran;
    }
    public_calls();
    bcew_public();
    printf("%d ISA path(s) checked, %d failure(s)\n", ran, failures);
    return failures ? 1 : 0;
}
