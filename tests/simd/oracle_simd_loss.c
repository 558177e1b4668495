/*
 * White-box MPFR sweep of the kernels of src/core/simd/kernels_loss.inc on every ISA this machine
 * runs and on the 8-lane emulation (tests/simd/emu), called through the dispatch tables
 * independently of NNMATH_ISA, against the bounds of the scalar references they replace:
 *   l1 / Huber SUM totals (hi + lo): the exact sum of the exact terms within 1 ULP (f64; the
 *   documented reduction allows 2 eps on top of 4 eps per sample: the terms are exact here, so
 *   the total carries only the compensated sum's rounding), 1 ULP f32 after the entry's rounding;
 *   NONE per-sample losses of l2 / l1 / Huber: 2 ULP f64, 1 ULP f32 (documented: 4 eps), every k
 *   from 1 to 100 (tails of every length), and rows whose loss is not finite (an infinite or NaN
 *   y, a difference or square beyond DBL_MAX) bit for bit as the reference's operations give them;
 *   l1 / Huber gradients: bit for bit the reference's gl_regression_elem + gl_finish (copied
 *   below; den = 1 for SUM / NONE, n for MEAN), NaN, infinities, signed zeros, subnormals, in
 *   place, every tail;
 *   NLL SUM total within 1 ULP of the exact sum (f64; f32 after the entry's rounding), NONE bit
 *   for bit (-logp + 0).
 *   NONE rows of BCE with logits and of CE from logits with labels: within the
 *   documented 4 eps of the exact value (MPFR: log1p(e^-|a|) + coefficient |a|, and
 *   m - a_y + log1p(sum_{j != top} e^(a_j - m))) for every k from 1 to 100, logits up to +-700,
 *   targets 0 and 1 exactly, +-inf / NaN / +-1e300 / +-745.5 logits; non-finite BCE rows and
 *   policy CE rows (NaN, +inf entries, rows of -inf) bit for bit; losses below DBL_MIN (a
 *   dominant label) within k/2 + 2 subnormal ulps; and the public NONE calls reach the kernels;
 *   the NLL gradient bit for bit (NaN at the label, -1 / den, in place).
 * Then, through the public functions on the ISA the library picked (NNMATH_ISA or the best one),
 * the cases of docs/errors.md's fuzzing record that concern these losses: sums beyond DBL_MAX
 * whose MEAN is finite (the entry must fall back to the scaled total), subnormal and huge
 * differences, y - t beyond DBL_MAX, NaN and infinities: the status and the value bit for bit
 * as the scalar reference (loss/reduce.h with the module's operations) computes them.
 * Run time: ~120k total terms, ~100k row entries and ~70k gradient entries per dtype and path,
 * each term against a 256-bit MPFR value: a few seconds per path in a Release build.
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
#include "loss/reduce.h"
#include "nnm_test.h"
#include "nnmath/gradient.h"
#include "nnmath/loss.h"
#include "oracle.h"

#include "simd_harness.h"

static void track(double *worst, double err) { *worst = err > *worst ? err : *worst; }

static int same_bits(double a, double b) { return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0; }

enum { L2 = NNM__SIMD_REG_L2, L1 = NNM__SIMD_REG_L1, HUBER = NNM__SIMD_REG_HUBER };
static const char *kind_name[] = {"l2", "l1", "huber"};

/* ---- exact references ------------------------------------------------------------------------ */

/* acc += the exact term of (y, t): |d|, d^2 / 2, or Huber on the exact |d| */
static void add_exact_term(mpfr_t acc, int kind, double y, double t, double delta)
{
    mpfr_t d, u;
    mpfr_inits2(NNM_ORACLE_PREC, d, u, (mpfr_ptr)0);
    mpfr_set_d(d, y, MPFR_RNDN);
    mpfr_sub_d(d, d, t, MPFR_RNDN); /* exact: 256 bits hold any difference of doubles */
    mpfr_abs(d, d, MPFR_RNDN);
    if (kind == L1) {
        mpfr_set(u, d, MPFR_RNDN);
    } else if (kind == HUBER && mpfr_cmp_d(d, delta) > 0) {
        mpfr_sub_d(u, d, 0.5 * delta, MPFR_RNDN);
        mpfr_mul_d(u, u, delta, MPFR_RNDN);
    } else {
        mpfr_sqr(u, d, MPFR_RNDN);
        mpfr_div_2ui(u, u, 1, MPFR_RNDN);
    }
    mpfr_add(acc, acc, u, MPFR_RNDN);
    mpfr_clears(d, u, (mpfr_ptr)0);
}

/* the module's scalar operations (regression.inc, core/loss_terms.h): one row's loss l */
static nnm__dd ref_row(int kind, size_t k, const double *y, const double *t, double delta)
{
    nnm__sum row = {0.0, 0.0};
    for (size_t j = 0; j < k; ++j) {
        nnm__dd term = kind == L1      ? nnm__l1_term(y[j], t[j])
                       : kind == HUBER ? nnm__huber_term(y[j], t[j], delta)
                                       : nnm__l2_term(y[j], t[j]);
        nnm__sum_add_dd(&row, term);
    }
    return nnm__sum_dd(&row);
}

/* the module's SUM / MEAN (regression_run + reduce.h) */
static double ref_reduce(int kind, nnm_reduction red, size_t n, size_t k, const double *y,
                         const double *t, double delta)
{
    nnm__loss_total total = NNM__LOSS_TOTAL_INIT;
    for (size_t i = 0; i < n; ++i) nnm__loss_accumulate(&total, 1.0, ref_row(kind, k, y + i * k, t + i * k, delta));
    nnm__loss_cfg cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.reduction = red;
    return nnm__loss_finish(&cfg, &total, (double)n);
}

/* the gradient module's operations (gradient/loss.inc gl_regression_elem, gl_dd_div, gl_finish) */
static double ref_grad(int kind, double y, double t, double delta, double den)
{
    nnm__dd d = nnm__two_sum(y, -t), g = {0.0, 0.0};
    if (isnan(d.hi)) g.hi = d.hi;
    else if (kind == L1) g.hi = d.hi > 0.0 ? 1.0 : (d.hi < 0.0 ? -1.0 : 0.0);
    else if (fabs(d.hi) <= delta) g = d;
    else g.hi = d.hi > 0.0 ? delta : -delta;
    if (den != 1.0) {
        nnm__dd r = {g.hi / den, 0.0};
        if (isfinite(r.hi) && isfinite(g.hi) && r.hi != 0.0) r.lo = (fma(-r.hi, den, g.hi) + g.lo) / den;
        g = r;
    }
    return isfinite(g.hi) ? g.hi + g.lo : g.hi;
}

/* ---- data ------------------------------------------------------------------------------------ */

static void fill(uint64_t *s, int trial, size_t m, double *y, double *t, float *yf, float *tf)
{
    static const double mags[] = {1.0, 1e3, 1e-3, 40.0, 1e150, 3.0};
    double mag = mags[trial % 6];
    for (size_t i = 0; i < m; ++i) {
        y[i] = nnm_rand_uniform(s, -mag, mag);
        t[i] = nnm_rand_uniform(s, -mag, mag);
        uint64_t r = nnm_rand_u64(s) % 16;
        if (r == 0) t[i] = y[i];                                                   /* term 0 */
        if (r == 1) t[i] = y[i] + ldexp(nnm_rand_uniform(s, -1, 1), -(int)(nnm_rand_u64(s) % 60)); /* near */
        if (r == 2) y[i] = ldexp(nnm_rand_uniform(s, -1, 1), -(int)(nnm_rand_u64(s) % 1074)), t[i] = 0.0;
        if (r == 3) t[i] = (double)(nnm_rand_u64(s) % 2); /* targets 0 and 1 exactly */
        yf[i] = (float)y[i], tf[i] = (float)t[i];
    }
}

/* ---- totals ---------------------------------------------------------------------------------- */

static void totals(nnm__isa isa)
{
    enum { M = 3000 };
    static double y[M], t[M], yw[M], tw[M];
    static float yf[M], tf[M];
    /* 0x1p-1000: a tiny delta whose linear terms stay normal (subnormal products lose up to 2^-1075
     * each, in the reference as here: the bound is for normal terms) */
    static const double deltas[] = {1.0, 0.37, 1e-3, 50.0, INFINITY, 0x1p-1000};
    uint64_t s = 11;
    mpfr_t ex;
    mpfr_init2(ex, NNM_ORACLE_PREC);
    for (int kind = L1; kind <= HUBER; ++kind) {
        double w64 = 0, w32 = 0;
        size_t pts = 0;
        for (int trial = 0; trial < 24; ++trial) {
            size_t m = trial < 12 ? (size_t)trial + 1 : M - (size_t)trial * 37;
            double delta = deltas[trial % 6];
            fill(&s, trial, m, y, t, yf, tf);
            double hi, lo;
            for (int dt = 0; dt < 2; ++dt) {
                if (dt) {
                    for (size_t i = 0; i < m; ++i) yw[i] = yf[i], tw[i] = tf[i];
                    if (kind == L1) K_(ls_l1_total_f32, isa)(m, delta, yf, tf, &hi, &lo);
                    else K_(ls_huber_total_f32, isa)(m, delta, yf, tf, &hi, &lo);
                } else {
                    memcpy(yw, y, m * sizeof *y), memcpy(tw, t, m * sizeof *t);
                    if (kind == L1) K_(ls_l1_total_f64, isa)(m, delta, y, t, &hi, &lo);
                    else K_(ls_huber_total_f64, isa)(m, delta, y, t, &hi, &lo);
                }
                mpfr_set_zero(ex, 1);
                for (size_t i = 0; i < m; ++i) add_exact_term(ex, kind, yw[i], tw[i], delta);
                if (!isfinite(hi)) { /* f32 data of magnitude 1e150 is inf: then so is the total */
                    if (mpfr_number_p(ex) && mpfr_cmp_d(ex, DBL_MAX) <= 0) fail("total not finite on finite data");
                    continue;
                }
                if (dt) track(&w32, nnm_oracle_ulp_err_f32((float)(hi + lo), ex));
                else track(&w64, nnm_oracle_ulp_err_f64(hi + lo, ex));
            }
            pts += m;
        }
        /* a total beyond DBL_MAX is reported as such (the entry then falls back) */
        {
            double yy[5] = {DBL_MAX, -DBL_MAX, 1.0, 2.0, 3.0}, tt[5] = {-DBL_MAX, DBL_MAX, 0, 0, 0}, hi, lo;
            if (kind == L1) K_(ls_l1_total_f64, isa)(5, 1.0, yy, tt, &hi, &lo);
            else K_(ls_huber_total_f64, isa)(5, 1.0, yy, tt, &hi, &lo);
            if (isfinite(hi)) fail("overflowing total reported finite");
            yy[0] = NAN;
            if (kind == L1) K_(ls_l1_total_f64, isa)(5, 1.0, yy, tt, &hi, &lo);
            else K_(ls_huber_total_f64, isa)(5, 1.0, yy, tt, &hi, &lo);
            if (!isnan(hi)) fail("NaN total");
        }
        char name[64];
        snprintf(name, sizeof name, "%s_total_f64 [%s]", kind_name[kind], path_name(isa));
        printf("%-34s max %.3f ulp (bound 1) over %zu terms\n", name, w64, pts);
        if (w64 > 1.0) fail(name);
        snprintf(name, sizeof name, "%s_total_f32 [%s]", kind_name[kind], path_name(isa));
        printf("%-34s max %.3f ulp (bound 1) over %zu terms\n", name, w32, pts);
        if (w32 > 1.0) fail(name);
    }
    mpfr_clear(ex);
}

/* ---- NONE rows ------------------------------------------------------------------------------- */

static void rows_kernel(nnm__isa isa, int kind, int dt, size_t n, size_t k, double delta,
                        const double *y, const double *t, const float *yf, const float *tf,
                        double *out, float *outf)
{
    if (dt) {
        nnm__ls_rows_f32_fn f = kind == L1 ? K_(ls_l1_rows_f32, isa)
                                : kind == HUBER ? K_(ls_huber_rows_f32, isa) : K_(ls_l2_rows_f32, isa);
        f(n, k, delta, yf, tf, outf);
    } else {
        nnm__ls_rows_f64_fn f = kind == L1 ? K_(ls_l1_rows_f64, isa)
                                : kind == HUBER ? K_(ls_huber_rows_f64, isa) : K_(ls_l2_rows_f64, isa);
        f(n, k, delta, y, t, out);
    }
}

static void rows(nnm__isa isa)
{
    enum { M = 4000 };
    static double y[M], t[M], yw[M], tw[M], out[M];
    static float yf[M], tf[M], outf[M];
    static const size_t ks[] = {1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 100};
    static const double deltas[] = {1.0, 0.37, 1e-3, 50.0, INFINITY};
    uint64_t s = 23;
    mpfr_t ex;
    mpfr_init2(ex, NNM_ORACLE_PREC);
    for (int kind = L2; kind <= HUBER; ++kind) {
        double w64 = 0, w32 = 0;
        size_t pts = 0, special = 0;
        for (size_t ki = 0; ki < sizeof ks / sizeof ks[0]; ++ki) {
            size_t k = ks[ki];
            for (int trial = 0; trial < 6; ++trial) {
                size_t n = (M / k < 300 ? M / k : 300) - (size_t)trial;
                double delta = deltas[trial % 5];
                fill(&s, trial, n * k, y, t, yf, tf);
                for (int dt = 0; dt < 2; ++dt) {
                    rows_kernel(isa, kind, dt, n, k, delta, y, t, yf, tf, out, outf);
                    for (size_t i = 0; i < n * k; ++i) yw[i] = dt ? yf[i] : y[i], tw[i] = dt ? tf[i] : t[i];
                    for (size_t i = 0; i < n; ++i) {
                        mpfr_set_zero(ex, 1);
                        for (size_t j = 0; j < k; ++j) add_exact_term(ex, kind, yw[i * k + j], tw[i * k + j], delta);
                        if (dt) track(&w32, nnm_oracle_ulp_err_f32(outf[i], ex));
                        else track(&w64, nnm_oracle_ulp_err_f64(out[i], ex));
                    }
                }
                pts += n * k;
            }
        }
        /* rows whose loss is not finite: the reference's bits (inf, NaN, overflow of d or d^2) */
        static const double sy[] = {INFINITY, -INFINITY, NAN, DBL_MAX, -DBL_MAX, 1e200, 0x1p-1074, -0.0, 0.0, 3.0};
        static const double st[] = {-DBL_MAX, DBL_MAX, 0.0, 1.0, -0.0, -1e200, 0x1p-1074, 0.0, -0.0, 1e308};
        for (size_t k = 1; k <= 9; ++k)
            for (int trial = 0; trial < 40; ++trial) {
                size_t n = 7;
                for (size_t i = 0; i < n * k; ++i) {
                    uint64_t r = nnm_rand_u64(&s);
                    y[i] = r % 3 ? nnm_rand_uniform(&s, -2, 2) : sy[(r >> 8) % 10];
                    t[i] = r % 5 ? nnm_rand_uniform(&s, -2, 2) : st[(r >> 16) % 10];
                    yf[i] = (float)y[i], tf[i] = (float)t[i];
                }
                double delta = deltas[trial % 5];
                for (int dt = 0; dt < 2; ++dt) {
                    rows_kernel(isa, kind, dt, n, k, delta, y, t, yf, tf, out, outf);
                    for (size_t i = 0; i < n * k; ++i) yw[i] = dt ? yf[i] : y[i], tw[i] = dt ? tf[i] : t[i];
                    for (size_t i = 0; i < n; ++i) {
                        nnm__dd l = ref_row(kind, k, yw + i * k, tw + i * k, delta);
                        double want = l.hi + l.lo;
                        if (isfinite(want)) continue; /* finite rows: bound checked above */
                        ++special;
                        double got = dt ? (double)outf[i] : out[i];
                        if (dt) want = (double)(float)want;
                        if (!same_bits(got, want)) {
                            printf("  %s row k=%zu %s: got %a want %a\n", kind_name[kind], k, dt ? "f32" : "f64", got, want);
                            fail("non-finite row differs from the reference");
                        }
                    }
                }
            }
        char name[64];
        snprintf(name, sizeof name, "%s_rows_f64 [%s]", kind_name[kind], path_name(isa));
        printf("%-34s max %.3f ulp (bound 2) over %zu terms; %zu non-finite rows bit for bit\n", name, w64,
               pts, special);
        if (w64 > 2.0) fail(name);
        snprintf(name, sizeof name, "%s_rows_f32 [%s]", kind_name[kind], path_name(isa));
        printf("%-34s max %.3f ulp (bound 1) over %zu terms\n", name, w32, pts);
        if (w32 > 1.0) fail(name);
    }
    mpfr_clear(ex);
}

/* ---- gradients ------------------------------------------------------------------------------- */

static void grads(nnm__isa isa)
{
    enum { M = 3000 };
    static double y[M], t[M], d[M], d2[M];
    static float yf[M], tf[M], df[M];
    static const double deltas[] = {1.0, 0.37, 1e-3, 50.0, INFINITY, 0x1p-1070};
    static const double dens[] = {1.0, 7.0, 3e5, 1e300};
    static const double sp[] = {INFINITY, -INFINITY, NAN, DBL_MAX, -DBL_MAX, 0x1p-1074, -0x1p-1074, 0.0, -0.0, 1.0, 1e-310};
    uint64_t s = 37;
    for (int kind = L1; kind <= HUBER; ++kind) {
        size_t pts = 0, bad = 0;
        for (int trial = 0; trial < 24; ++trial) {
            size_t m = trial < 9 ? (size_t)trial + 1 : M - (size_t)trial * 13;
            double delta = deltas[trial % 6], den = dens[trial % 4];
            fill(&s, trial, m, y, t, yf, tf);
            if (trial % 3 == 0)
                for (size_t i = 0; i < m; i += 3) {
                    y[i] = sp[nnm_rand_u64(&s) % 11], t[i] = sp[3 + nnm_rand_u64(&s) % 8];
                    yf[i] = (float)y[i], tf[i] = (float)t[i];
                }
            if (kind == L1) K_(ls_l1_grad_f64, isa)(m, delta, y, t, den, d), K_(ls_l1_grad_f32, isa)(m, delta, yf, tf, den, df);
            else K_(ls_huber_grad_f64, isa)(m, delta, y, t, den, d), K_(ls_huber_grad_f32, isa)(m, delta, yf, tf, den, df);
            for (size_t i = 0; i < m; ++i) {
                double w64 = ref_grad(kind, y[i], t[i], delta, den);
                double w32 = (double)(float)ref_grad(kind, (double)yf[i], (double)tf[i], delta, den);
                if (!same_bits(d[i], w64) || !same_bits((double)df[i], w32)) {
                    if (bad++ < 5)
                        printf("  %s_grad y=%a t=%a delta=%a den=%a: f64 %a want %a, f32 %a want %a\n",
                               kind_name[kind], y[i], t[i], delta, den, d[i], w64, (double)df[i], w32);
                }
            }
            /* in place (dy may alias y) */
            memcpy(d2, y, m * sizeof *y);
            if (kind == L1) K_(ls_l1_grad_f64, isa)(m, delta, d2, t, den, d2);
            else K_(ls_huber_grad_f64, isa)(m, delta, d2, t, den, d2);
            for (size_t i = 0; i < m; ++i)
                if (!same_bits(d[i], d2[i])) { fail("grad in place"); break; }
            pts += m;
        }
        char name[64];
        snprintf(name, sizeof name, "%s_grad f64+f32 [%s]", kind_name[kind], path_name(isa));
        printf("%-34s %zu of %zu entries differ from the reference's bits (bound 0)\n", name, bad, pts);
        if (bad) fail(name);
    }
}

/* ---- NLL ------------------------------------------------------------------------------------- */

static void nll(nnm__isa isa)
{
    enum { N = 3000, K = 5 };
    static double lp[N * K], out[N];
    static float lpf[N * K], outf[N];
    static int32_t lab[N];
    uint64_t s = 53;
    double w64 = 0, w32 = 0;
    size_t pts = 0, bad = 0;
    mpfr_t ex, ex32;
    mpfr_inits2(NNM_ORACLE_PREC, ex, ex32, (mpfr_ptr)0);
    for (int trial = 0; trial < 24; ++trial) {
        size_t n = trial < 9 ? (size_t)trial + 1 : N - (size_t)trial * 11;
        double mag = trial % 3 == 0 ? 1e-3 : (trial % 3 == 1 ? 30.0 : 1e5);
        for (size_t i = 0; i < n * K; ++i) {
            lp[i] = -nnm_rand_uniform(&s, 0.0, mag);
            if (i % 17 == 0) lp[i] = -ldexp(nnm_rand_uniform(&s, 0, 1), -(int)(nnm_rand_u64(&s) % 1074));
            if (i % 29 == 0) lp[i] = i % 58 == 0 ? 0.0 : -0.0;
            lpf[i] = (float)lp[i];
        }
        for (size_t i = 0; i < n; ++i) lab[i] = (int32_t)(nnm_rand_u64(&s) % K);
        double hi, lo, hf, lf;
        K_(ls_nll_total_f64, isa)(n, K, lp, lab, &hi, &lo);
        K_(ls_nll_total_f32, isa)(n, K, lpf, lab, &hf, &lf);
        mpfr_set_zero(ex, 1), mpfr_set_zero(ex32, 1);
        for (size_t i = 0; i < n; ++i) {
            mpfr_sub_d(ex, ex, lp[i * K + (size_t)lab[i]], MPFR_RNDN);
            mpfr_sub_d(ex32, ex32, (double)lpf[i * K + (size_t)lab[i]], MPFR_RNDN);
        }
        track(&w64, nnm_oracle_ulp_err_f64(hi + lo, ex));
        track(&w32, nnm_oracle_ulp_err_f32((float)(hf + lf), ex32));
        K_(ls_nll_rows_f64, isa)(n, K, lp, lab, out);
        K_(ls_nll_rows_f32, isa)(n, K, lpf, lab, outf);
        for (size_t i = 0; i < n; ++i) {
            double w = -lp[i * K + (size_t)lab[i]] + 0.0;
            float wf = (float)(-(double)lpf[i * K + (size_t)lab[i]] + 0.0);
            bad += !same_bits(out[i], w) || !same_bits((double)outf[i], (double)wf);
        }
        pts += n;
    }
    {
        double v[4] = {-1.0, -INFINITY, -2.0, -3.0}, hi, lo;
        int32_t l4[4] = {0, 0, 0, 0};
        K_(ls_nll_total_f64, isa)(4, 1, v, l4, &hi, &lo);
        if (isfinite(hi)) fail("nll total inf"); /* not finite: the entry falls back */
        v[1] = NAN;
        K_(ls_nll_total_f64, isa)(4, 1, v, l4, &hi, &lo);
        if (!isnan(hi)) fail("nll total NaN");
    }
    mpfr_clears(ex, ex32, (mpfr_ptr)0);
    char name[64];
    snprintf(name, sizeof name, "nll_total_f64 [%s]", path_name(isa));
    printf("%-34s max %.3f ulp (bound 1) over %zu samples\n", name, w64, pts);
    if (w64 > 1.0) fail(name);
    snprintf(name, sizeof name, "nll_total_f32 [%s]", path_name(isa));
    printf("%-34s max %.3f ulp (bound 1) over %zu samples\n", name, w32, pts);
    if (w32 > 1.0) fail(name);
    snprintf(name, sizeof name, "nll_rows f64+f32 [%s]", path_name(isa));
    printf("%-34s %zu of %zu entries differ from the reference's bits (bound 0)\n", name, bad, pts);
    if (bad) fail(name);
}

/* the module's NLL without options (classification.inc + reduce.h) */
static double ref_nll(nnm_reduction red, size_t n, size_t k, const double *lp, const int32_t *lab, double *none)
{
    nnm__loss_total total = NNM__LOSS_TOTAL_INIT;
    for (size_t i = 0; i < n; ++i) {
        nnm__dd l = {-lp[i * k + (size_t)lab[i]], 0.0};
        if (none) none[i] = nnm__loss_weighted(1.0, l);
        else nnm__loss_accumulate(&total, 1.0, l);
    }
    nnm__loss_cfg cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.reduction = red;
    return nnm__loss_finish(&cfg, &total, (double)n);
}

static void public_nll(void)
{
    enum { N = 9, K = 2 };
    static const double vals[] = {-DBL_MAX, -1e308, -0.0, 0.0, -INFINITY, NAN, -1.0, 5.0, -0x1p-1074, DBL_MAX};
    uint64_t s = 61;
    for (int trial = 0; trial < 300; ++trial) {
        double lp[N * K], out[N], want[N];
        int32_t lab[N];
        for (size_t i = 0; i < N * K; ++i)
            lp[i] = nnm_rand_u64(&s) % 3 ? vals[nnm_rand_u64(&s) % 10] : nnm_rand_uniform(&s, -9, 0);
        for (size_t i = 0; i < N; ++i) lab[i] = (int32_t)(nnm_rand_u64(&s) % K);
        for (int red = 0; red < 3; ++red) {
            nnm_loss_opts o = NNM_LOSS_OPTS_INIT;
            o.reduction = red == 0 ? NNM_REDUCE_SUM : (red == 1 ? NNM_REDUCE_MEAN : NNM_REDUCE_NONE);
            if (nnm_loss_nll_labels_f64(N, K, lp, lab, &o, out) != NNM_OK) fail("public nll status");
            size_t cnt = red == 2 ? N : 1;
            if (red == 2) (void)ref_nll(o.reduction, N, K, lp, lab, want);
            else want[0] = ref_nll(o.reduction, N, K, lp, lab, NULL);
            for (size_t i = 0; i < cnt; ++i) {
                int ok = same_bits(out[i], want[i]) ||
                         (isfinite(want[i]) && isfinite(out[i]) &&
                          fabs(out[i] - want[i]) <= 2 * DBL_EPSILON * fabs(want[i]));
                if (!ok) {
                    printf("  public nll red %d: got %a want %a\n", red, out[i], want[i]);
                    fail("public nll differs from the reference");
                }
            }
        }
    }
    /* SUM beyond DBL_MAX with a finite MEAN: the entry falls back to the scaled total */
    double lp[3] = {-DBL_MAX, -DBL_MAX, -DBL_MAX}, out;
    int32_t lab[3] = {0, 0, 0};
    nnm_loss_opts o = NNM_LOSS_OPTS_INIT;
    o.reduction = NNM_REDUCE_MEAN;
    if (nnm_loss_nll_labels_f64(3, 1, lp, lab, &o, &out) != NNM_OK || out != DBL_MAX) fail("nll MEAN of DBL_MAX");
}

/* ---- public functions: the fuzzing record's cases, status and bits as the reference -------- */

static void public_cases(void)
{
    enum { N = 6, K = 3 };
    static const double cases[][2] = {
        {DBL_MAX, -DBL_MAX}, {1e308, -1e308}, {1e200, 0.0}, {0x1p-1074, 0.0}, {1e-310, -1e-310},
        {INFINITY, 0.0}, {NAN, 1.0}, {0.0, 1.0}, {1.0, 0.0}, {0x1p600, -0x1p600}, {0.5, 0.5},
    };
    size_t nc = sizeof cases / sizeof cases[0];
    uint64_t s = 41;
    size_t checked = 0;
    for (int trial = 0; trial < 400; ++trial) {
        double y[N * K], t[N * K], out[N], want[N];
        for (size_t i = 0; i < N * K; ++i) {
            uint64_t r = nnm_rand_u64(&s);
            if (r % 4 == 0) y[i] = nnm_rand_uniform(&s, -3, 3), t[i] = nnm_rand_uniform(&s, -3, 3);
            else y[i] = cases[(r >> 4) % nc][0], t[i] = cases[(r >> 12) % nc][1];
            if (isnan(t[i]) || isinf(t[i])) t[i] = 1.0; /* targets are finite (EDOM otherwise) */
        }
        for (int kind = L2; kind <= HUBER; ++kind)
            for (int red = 0; red < 3; ++red) {
                nnm_loss_opts o = NNM_LOSS_OPTS_INIT;
                o.reduction = red == 0 ? NNM_REDUCE_SUM : (red == 1 ? NNM_REDUCE_MEAN : NNM_REDUCE_NONE);
                o.delta = kind == HUBER ? (trial % 2 ? 0.75 : 1e300) : 0.0;
                double delta = kind == HUBER ? o.delta : 1.0;
                nnm_status st = kind == L1 ? nnm_loss_l1_f64(N, K, y, t, &o, out)
                                : kind == HUBER ? nnm_loss_huber_f64(N, K, y, t, &o, out)
                                                : nnm_loss_l2_f64(N, K, y, t, &o, out);
                size_t cnt = o.reduction == NNM_REDUCE_NONE ? N : 1;
                if (o.reduction == NNM_REDUCE_NONE) {
                    for (size_t i = 0; i < N; ++i) {
                        nnm__dd l = ref_row(kind, K, y + i * K, t + i * K, delta);
                        want[i] = l.hi + l.lo;
                    }
                } else {
                    want[0] = ref_reduce(kind, o.reduction, N, K, y, t, delta);
                }
                if (st != NNM_OK) fail("public status");
                for (size_t i = 0; i < cnt; ++i) {
                    ++checked;
                    /* finite results may differ in the last bits (lane order): 2 ulp */
                    int ok = same_bits(out[i], want[i]) ||
                             (isfinite(want[i]) && isfinite(out[i]) &&
                              fabs(out[i] - want[i]) <= 2 * DBL_EPSILON * fabs(want[i]));
                    if (!ok) {
                        printf("  public %s red %d: got %a want %a\n", kind_name[kind], red, out[i], want[i]);
                        fail("public function differs from the reference");
                    }
                }
                /* gradients bit for bit */
                if (kind != L2) {
                    double g[N * K];
                    st = kind == L1 ? nnm_grad_loss_l1_f64(N, K, y, t, &o, g) : nnm_grad_loss_huber_f64(N, K, y, t, &o, g);
                    if (st != NNM_OK) fail("public grad status");
                    double den = o.reduction == NNM_REDUCE_MEAN ? (double)N : 1.0;
                    for (size_t i = 0; i < N * K; ++i)
                        if (!same_bits(g[i], ref_grad(kind, y[i], t[i], delta, den))) {
                            fail("public grad differs from the reference");
                            break;
                        }
                }
            }
    }
    /* a SUM beyond DBL_MAX whose MEAN is finite (fuzz finding for the weighted forms; here the
     * dense rows): the vector total overflows, the entry falls back, the MEAN is finite */
    {
        const double a = 0.75 * DBL_MAX, b = -0.2 * DBL_MAX; /* y - t = 0.95 DBL_MAX */
        double y[4] = {a, a, a, a}, t[4] = {b, b, b, b}, out;
        nnm_loss_opts o = NNM_LOSS_OPTS_INIT;
        o.reduction = NNM_REDUCE_MEAN;
        if (nnm_loss_l1_f64(4, 1, y, t, &o, &out) != NNM_OK || !isfinite(out) ||
            !same_bits(out, ref_reduce(L1, NNM_REDUCE_MEAN, 4, 1, y, t, 1.0)))
            fail("l1 MEAN of terms whose sum overflows");
        o.delta = 0.5; /* terms 0.5 (|d| - 0.25) ~ 0.47 DBL_MAX: their sum overflows */
        if (nnm_loss_huber_f64(4, 1, y, t, &o, &out) != NNM_OK || !isfinite(out) ||
            !same_bits(out, ref_reduce(HUBER, NNM_REDUCE_MEAN, 4, 1, y, t, 0.5)))
            fail("huber MEAN of terms whose sum overflows");
    }
    printf("public l2/l1/huber loss + gradient vs the reference on the fuzzing record's cases [%s]: %zu values\n",
           nnm__isa_name(nnm__cpu_isa()), checked);
}

/* ---- part 2: NONE of BCE with logits and CE from logits with labels ----------------------- */

/* acc += the exact BCE-with-logits term log1p(e^-|a|) + (a >= 0 ? (1 - t) a : t |a|) (the same
 * value as t softplus(-a) + (1 - t) softplus(a), written without e^|a|, which MPFR's exponent
 * range could not hold for |a| ~ 1e300) */
static void add_exact_bcel(mpfr_t acc, double a, double t)
{
    mpfr_t u, c;
    mpfr_inits2(NNM_ORACLE_PREC, u, c, (mpfr_ptr)0);
    mpfr_set_d(u, -fabs(a), MPFR_RNDN);
    mpfr_exp(u, u, MPFR_RNDN);
    mpfr_log1p(u, u, MPFR_RNDN);
    mpfr_add(acc, acc, u, MPFR_RNDN);
    if (a >= 0) mpfr_set_d(c, 1.0, MPFR_RNDN), mpfr_sub_d(c, c, t, MPFR_RNDN);
    else mpfr_set_d(c, t, MPFR_RNDN);
    if (!mpfr_zero_p(c)) { /* a coefficient 0 makes the term 0, also for a = +-inf */
        mpfr_mul_d(c, c, fabs(a), MPFR_RNDN);
        mpfr_add(acc, acc, c, MPFR_RNDN);
    }
    mpfr_clears(u, c, (mpfr_ptr)0);
}

/* the module's BCE-with-logits row (nnm__bce_logits_add, w = 1, pos_weight 1) */
static double ref_bcel_row(size_t k, const double *a, const double *t)
{
    nnm__sum row = {0.0, 0.0};
    for (size_t j = 0; j < k; ++j) nnm__bce_logits_add(&row, 1.0, a[j], t[j], 1.0);
    nnm__dd l = nnm__sum_dd(&row);
    return l.hi + l.lo;
}

/* the exact -log softmax(a)_y = m - a_y + log1p(sum_{j != top} e^(a_j - m)) of a finite row
 * (log1p: a sum of e^-800 would vanish next to 1 even in 256 bits) */
static void exact_cel(mpfr_t ex, size_t k, const double *a, size_t y)
{
    mpfr_t u, s;
    mpfr_inits2(NNM_ORACLE_PREC, u, s, (mpfr_ptr)0);
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
    mpfr_log1p(s, s, MPFR_RNDN);
    mpfr_set_d(ex, m, MPFR_RNDN);
    mpfr_sub_d(ex, ex, a[y], MPFR_RNDN);
    mpfr_add(ex, ex, s, MPFR_RNDN);
    mpfr_clears(u, s, (mpfr_ptr)0);
}

/* the policy value of a row whose max is not finite (API.md), or 0 with *special = 0 */
static double special_cel(size_t k, const double *a, size_t y, int *special)
{
    double m = -INFINITY;
    size_t cnt = 0;
    *special = 1;
    for (size_t j = 0; j < k; ++j) {
        if (isnan(a[j])) return NAN;
        m = a[j] > m ? a[j] : m;
        cnt += a[j] == INFINITY;
    }
    if (isfinite(m)) {
        *special = 0;
        return 0.0;
    }
    return m > 0 && a[y] == INFINITY ? log((double)cnt) : INFINITY;
}

static void none2(nnm__isa isa)
{
    enum { M = 4000 };
    static double a[M], t[M], aw[M], tw[M], out[M];
    static float af[M], tf[M], outf[M];
    static int32_t lab[M];
    static const size_t ks[] = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33, 100};
    static const double sp[] = {INFINITY, -INFINITY, NAN, 0.0, -0.0, 1e300, -1e300, 745.5, -745.5, 88.0, -88.0, 0x1p-1074};
    uint64_t s = 71;
    mpfr_t ex;
    mpfr_init2(ex, NNM_ORACLE_PREC);
    double b64 = 0, b32 = 0, c64 = 0, c32 = 0;
    size_t bpts = 0, cpts = 0, bspecial = 0, cspecial = 0;
    for (size_t ki = 0; ki < sizeof ks / sizeof ks[0]; ++ki) {
        size_t k = ks[ki];
        for (int trial = 0; trial < 8; ++trial) {
            size_t n = (M / k < 240 ? M / k : 240) - (size_t)trial;
            double mag = trial % 4 == 0 ? 1.0 : (trial % 4 == 1 ? 30.0 : (trial % 4 == 2 ? 1e-6 : 700.0));
            int specials = trial >= 6;
            for (size_t i = 0; i < n * k; ++i) {
                uint64_t r = nnm_rand_u64(&s);
                a[i] = nnm_rand_uniform(&s, -mag, mag);
                t[i] = r % 4 == 0 ? (double)((r >> 8) % 2) : nnm_rand_uniform(&s, 0.0, 1.0); /* 0 and 1 exactly */
                if (specials && r % 7 == 0) a[i] = sp[(r >> 16) % 12];
                af[i] = (float)a[i], tf[i] = (float)t[i];
            }
            for (size_t i = 0; i < n; ++i) lab[i] = (int32_t)(nnm_rand_u64(&s) % k);
            for (int dt = 0; dt < 2; ++dt) {
                for (size_t i = 0; i < n * k; ++i) aw[i] = dt ? af[i] : a[i], tw[i] = dt ? tf[i] : t[i];
                /* BCE with logits */
                if (dt) K_(ls_bcel_rows_f32, isa)(n, k, af, tf, outf);
                else K_(ls_bcel_rows_f64, isa)(n, k, a, t, out);
                for (size_t i = 0; i < n; ++i) {
                    double got = dt ? (double)outf[i] : out[i];
                    double want = ref_bcel_row(k, aw + i * k, tw + i * k);
                    if (!isfinite(want)) {
                        ++bspecial;
                        if (dt) want = (double)(float)want;
                        if (!same_bits(got, want)) {
                            printf("  bcel row k=%zu %s: got %a want %a\n", k, dt ? "f32" : "f64", got, want);
                            fail("bcel non-finite row differs from the reference");
                        }
                        continue;
                    }
                    mpfr_set_zero(ex, 1);
                    for (size_t j = 0; j < k; ++j) add_exact_bcel(ex, aw[i * k + j], tw[i * k + j]);
                    if (dt) {
                        if (nnm_oracle_is_normal_f32(ex)) track(&b32, nnm_oracle_rel_err_f32(outf[i], ex));
                        else if (nnm_oracle_ulp_err_f32(outf[i], ex) > 1.0) fail("bcel f32 tiny row");
                    } else {
                        if (nnm_oracle_is_normal_f64(ex)) track(&b64, nnm_oracle_rel_err_f64(out[i], ex));
                        else if (nnm_oracle_ulp_err_f64(out[i], ex) > 2.0) fail("bcel f64 tiny row");
                    }
                }
                /* CE from logits with labels */
                if (dt) K_(ls_cel_rows_f32, isa)(n, k, af, lab, outf);
                else K_(ls_cel_rows_f64, isa)(n, k, a, lab, out);
                for (size_t i = 0; i < n; ++i) {
                    double got = dt ? (double)outf[i] : out[i];
                    int special;
                    double want = special_cel(k, aw + i * k, (size_t)lab[i], &special);
                    if (special) {
                        ++cspecial;
                        if (dt) want = (double)(float)want;
                        if (!same_bits(got, want)) {
                            printf("  cel row k=%zu %s: got %a want %a\n", k, dt ? "f32" : "f64", got, want);
                            fail("cel policy row differs from the reference");
                        }
                        continue;
                    }
                    exact_cel(ex, k, aw + i * k, (size_t)lab[i]);
                    if (mpfr_zero_p(ex)) { /* k = 1: log 1 = 0 exactly */
                        if (got != 0.0) fail("cel row of one class");
                        continue;
                    }
                    if (dt) {
                        if (nnm_oracle_is_normal_f32(ex)) track(&c32, nnm_oracle_rel_err_f32(outf[i], ex));
                        else if (nnm_oracle_ulp_err_f32(outf[i], ex) > 1.0) fail("cel f32 tiny row");
                    } else {
                        if (nnm_oracle_is_normal_f64(ex)) track(&c64, nnm_oracle_rel_err_f64(out[i], ex));
                        /* a loss below DBL_MIN is a sum of e^(a_j - m) that are subnormal
                         * themselves, each rounded to the subnormal grid (the reference's
                         * operations too): k/2 + 2 subnormal ulps */
                        else if (nnm_oracle_ulp_err_f64(out[i], ex) > 0.5 * (double)k + 2.0) fail("cel f64 tiny row");
                    }
                }
            }
            bpts += n * k, cpts += n;
        }
    }
    mpfr_clear(ex);
    char name[64];
    snprintf(name, sizeof name, "bce_logits_rows_f64 [%s]", path_name(isa));
    printf("%-34s max %.3f eps (bound 4) over %zu terms; %zu non-finite rows bit for bit\n", name, b64, bpts, bspecial);
    if (b64 > 4.0) fail(name);
    snprintf(name, sizeof name, "bce_logits_rows_f32 [%s]", path_name(isa));
    printf("%-34s max %.3f eps (bound 4) over %zu terms\n", name, b32, bpts);
    if (b32 > 4.0) fail(name);
    snprintf(name, sizeof name, "ce_logits_labels_rows_f64 [%s]", path_name(isa));
    printf("%-34s max %.3f eps (bound 4) over %zu rows; %zu policy rows bit for bit\n", name, c64, cpts, cspecial);
    if (c64 > 4.0) fail(name);
    snprintf(name, sizeof name, "ce_logits_labels_rows_f32 [%s]", path_name(isa));
    printf("%-34s max %.3f eps (bound 4) over %zu rows\n", name, c32, cpts);
    if (c32 > 4.0) fail(name);
}

/* NLL gradient: bit for bit the reference's rows (0 but -1 / den at the label, NaN where the
 * label's logp is NaN; den = 1, n), in place and not, every k with tails, through the kernels and
 * through the public function for SUM / MEAN / NONE */
static double ref_nll_g(double den)
{
    if (den == 1.0) return -1.0;
    double q = -1.0 / den; /* gradient/loss.c gl_dd_div + gl_finish */
    if (!isfinite(q) || q == 0.0) return q;
    return q + (fma(-q, den, -1.0) + 0.0) / den;
}

static void nll_grad(nnm__isa isa)
{
    enum { M = 2000 };
    static double lp[M], d[M];
    static float lpf[M], df[M];
    static int32_t lab[M];
    static const double vals[] = {-1.0, NAN, -INFINITY, 0.0, -0.0, -1e300, -0x1p-1074};
    uint64_t s = 97;
    size_t bad = 0, pts = 0;
    for (size_t k = 1; k <= 19; ++k)
        for (int trial = 0; trial < 4; ++trial) {
            size_t n = M / k - (size_t)trial;
            double den = trial % 2 ? (double)n : 1.0;
            for (size_t i = 0; i < n * k; ++i) lp[i] = vals[nnm_rand_u64(&s) % 7], lpf[i] = (float)lp[i];
            for (size_t i = 0; i < n; ++i) lab[i] = (int32_t)(nnm_rand_u64(&s) % k);
            double g = ref_nll_g(den);
            for (int inplace = 0; inplace < 2; ++inplace) {
                if (inplace) {
                    memcpy(d, lp, n * k * sizeof *d), memcpy(df, lpf, n * k * sizeof *df);
                    K_(ls_nll_grad_f64, isa)(n, k, d, lab, g, d), K_(ls_nll_grad_f32, isa)(n, k, df, lab, g, df);
                } else {
                    nnm_canary_fill(d, sizeof d), nnm_canary_fill(df, sizeof df);
                    K_(ls_nll_grad_f64, isa)(n, k, lp, lab, g, d), K_(ls_nll_grad_f32, isa)(n, k, lpf, lab, g, df);
                }
                for (size_t i = 0; i < n; ++i)
                    for (size_t j = 0; j < k; ++j) {
                        double v = lp[i * k + j], vf = (double)lpf[i * k + j];
                        int at = j == (size_t)lab[i];
                        double w = at ? (isnan(v) ? v : g) : 0.0;
                        double wf = at ? (isnan(vf) ? vf : (double)(float)g) : 0.0;
                        bad += !same_bits(d[i * k + j], w) || !same_bits((double)df[i * k + j], wf);
                    }
                pts += 2 * n * k;
            }
        }
    char name[64];
    snprintf(name, sizeof name, "nll_grad f64+f32 [%s]", path_name(isa));
    printf("%-34s %zu of %zu entries differ from the reference's bits (bound 0)\n", name, bad, pts);
    if (bad) fail(name);
}

static void public_nll_grad(void)
{
    enum { N = 11, K = 5 };
    double lp[N * K], d[N * K];
    int32_t lab[N];
    uint64_t s = 101;
    for (size_t i = 0; i < N * K; ++i) lp[i] = i % 13 ? -nnm_rand_uniform(&s, 0, 9) : NAN;
    for (size_t i = 0; i < N; ++i) lab[i] = (int32_t)(nnm_rand_u64(&s) % K);
    lab[0] = 0; /* lp[0] is NaN: NaN out there */
    for (int red = 0; red < 3; ++red) {
        nnm_loss_opts o = NNM_LOSS_OPTS_INIT;
        o.reduction = red == 0 ? NNM_REDUCE_SUM : (red == 1 ? NNM_REDUCE_MEAN : NNM_REDUCE_NONE);
        if (nnm_grad_loss_nll_labels_f64(N, K, lp, lab, &o, d) != NNM_OK) fail("public nll grad status");
        double g = ref_nll_g(red == 1 ? (double)N : 1.0);
        for (size_t i = 0; i < N; ++i)
            for (size_t j = 0; j < K; ++j) {
                double v = lp[i * K + j];
                double w = j == (size_t)lab[i] ? (isnan(v) ? v : g) : 0.0;
                if (!same_bits(d[i * K + j], w)) {
                    fail("public nll grad differs from the reference");
                    return;
                }
            }
    }
}

/* the public NONE calls reach the kernels and give what they give; SUM / MEAN and options still
 * go elsewhere (the status and values of option calls are the module's business, checked by its
 * own tests) */
static void public_none2(void)
{
    enum { N = 13, K = 6 };
    double a[N * K], t[N * K], out[N], want[N];
    float af[N * K], tf[N * K], outf[N], wantf[N];
    int32_t lab[N];
    uint64_t s = 83;
    for (size_t i = 0; i < N * K; ++i) {
        a[i] = nnm_rand_uniform(&s, -20, 20), t[i] = nnm_rand_uniform(&s, 0, 1);
        if (i % 11 == 0) a[i] = i % 22 ? INFINITY : -INFINITY;
        af[i] = (float)a[i], tf[i] = (float)t[i];
    }
    for (size_t i = 0; i < N; ++i) lab[i] = (int32_t)(nnm_rand_u64(&s) % K);
    nnm_loss_opts o = NNM_LOSS_OPTS_INIT;
    o.reduction = NNM_REDUCE_NONE;
    nnm__isa isa = nnm__cpu_isa();
    if (K_(ls_bcel_rows_f64, isa) == NULL) {
        printf("public NONE bce_logits / ce_logits_labels: scalar path [%s]\n", path_name(isa));
        return;
    }
    K_(ls_bcel_rows_f64, isa)(N, K, a, t, want);
    K_(ls_bcel_rows_f32, isa)(N, K, af, tf, wantf);
    if (nnm_loss_bce_logits_f64(N, K, a, t, &o, out) != NNM_OK || memcmp(out, want, sizeof out))
        fail("public bce_logits f64 NONE does not reach the kernel");
    if (nnm_loss_bce_logits_f32(N, K, af, tf, &o, outf) != NNM_OK || memcmp(outf, wantf, sizeof outf))
        fail("public bce_logits f32 NONE does not reach the kernel");
    K_(ls_cel_rows_f64, isa)(N, K, a, lab, want);
    K_(ls_cel_rows_f32, isa)(N, K, af, lab, wantf);
    if (nnm_loss_ce_logits_labels_f64(N, K, a, lab, &o, out) != NNM_OK || memcmp(out, want, sizeof out))
        fail("public ce_logits_labels f64 NONE does not reach the kernel");
    if (nnm_loss_ce_logits_labels_f32(N, K, af, lab, &o, outf) != NNM_OK || memcmp(outf, wantf, sizeof outf))
        fail("public ce_logits_labels f32 NONE does not reach the kernel");
    printf("public NONE bce_logits / ce_logits_labels reach the kernels [%s]\n", path_name(isa));
}

int main(void)
{
    int ran = 0;
    for (int i = 1; i <= PATH_EMU8; ++i) {
        nnm__isa isa = (nnm__isa)i;
        if (i != PATH_EMU8 && (!nnm__cpu_isa_available(isa) || K_(ls_l1_total_f64, isa) == NULL)) {
            printf("[%s] not available on this machine or not compiled: skipped\n", path_name(isa));
            continue;
        }
        totals(isa);
        rows(isa);
        grads(isa);
        nll(isa);
        none2(isa);
        nll_grad(isa);
        ++ran;
    }
    public_cases();
    public_nll();
    public_none2();
    public_nll_grad();
    printf("%d ISA path(s) checked, %d failure(s)\n", ran, failures);
    return failures ? 1 : 0;
}
