/*
 * White-box sweep of the kernels of src/core/simd/kernels_prob.inc on every ISA
 * this machine runs and on the 8-lane emulation (tests/simd/emu), called through the dispatch
 * tables independently of NNMATH_ISA, against the scalar references they replace (the public
 * functions with the scalar path forced: nnm__cpu_force_isa) and against MPFR:
 *   gradients of BCE and CE on probabilities and of KL: bit for bit the reference (SUM / NONE:
 *   den = 1; MEAN: den = n), on y and t in [0, 1] with 0 and 1 exactly, subnormals, 1 - 2^-53,
 *   halves, every tail length, in place (d = y, d = logq), NaN / +-inf logq for KL;
 *   gradient of CE on logits with dense targets: within the documented 4 eps (C p_j + t_j) of
 *   the MPFR value (the dominant entry 4 eps (R + C (1 - p_j))), for k from 1 to 100, one-hot,
 *   soft and zero targets, ties, logits up to +-300 (f64) / +-40 (f32, so that every p_j is a
 *   normal float); policy rows (NaN, +inf entries, rows of -inf, -inf entries) bit for bit;
 *   in place;
 *   and the public functions reach the kernels (their results equal the kernels' on the ISA the
 *   library picked).
 * Run time: ~60k gradient entries per kernel, dtype and path (the ce_logits rows each against a
 * 256-bit MPFR softmax: ~40k entries): a few seconds per path in a Release build.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mpfr.h>

#include "core/cpu.h"
#include "core/loss_terms.h"
#include "core/simd/dispatch.h"
#include "core/simd/kernels.h"
#include "nnm_test.h"
#include "nnmath/gradient.h"
#include "nnmath/loss.h"
#include "oracle.h"

#include "simd_harness.h"

static nnm__isa start_isa; /* the ISA the library picked (restored after each scalar reference) */

static void track(double *worst, double err) { *worst = err > *worst ? err : *worst; }

static int same_bits(double a, double b) { return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0; }

static nnm_loss_opts opts_of(int red)
{
    nnm_loss_opts o = NNM_LOSS_OPTS_INIT;
    o.reduction = red == 0 ? NNM_REDUCE_SUM : (red == 1 ? NNM_REDUCE_MEAN : NNM_REDUCE_NONE);
    return o;
}

/* ---- data ------------------------------------------------------------------------------------ */

/* a probability with the edge cases mixed in: 0, 1, subnormals, tiny, 1 - 2^-53, 1/2, near 1 */
static double rand_prob(uint64_t *s)
{
    uint64_t r = nnm_rand_u64(s) % 20;
    switch (r) {
    case 0: return 0.0;
    case 1: return 1.0;
    case 2: return ldexp(nnm_rand_uniform(s, 0, 1), -1022 - (int)(nnm_rand_u64(s) % 52)); /* subnormal */
    case 3: return ldexp(nnm_rand_uniform(s, 0.5, 1), -(int)(nnm_rand_u64(s) % 1000));
    case 4: return 1.0 - 0x1p-53;
    case 5: return 0.5;
    case 6: return 1.0 - ldexp(nnm_rand_uniform(s, 0.5, 1), -(int)(nnm_rand_u64(s) % 60));
    default: return nnm_rand_uniform(s, 0, 1);
    }
}

static void fill_probs(uint64_t *s, size_t m, double *y, double *t, float *yf, float *tf)
{
    for (size_t i = 0; i < m; ++i) {
        y[i] = rand_prob(s), t[i] = rand_prob(s);
        if (nnm_rand_u64(s) % 7 == 0) t[i] = y[i]; /* y = t: the numerator 0 */
        yf[i] = (float)y[i], tf[i] = (float)t[i];
    }
}

/* ---- elementwise gradients: bit for bit the scalar reference ---------------------------------- */

enum { BCE, CE, KL };
static const char *gname[] = {"bce_grad", "ce_grad", "kl_grad"};

static nnm_status public_grad_f64(int kind, size_t n, size_t k, const double *x, const double *t,
                           const nnm_loss_opts *o, double *d)
{
    switch (kind) {
    case BCE: return nnm_grad_loss_bce_f64(n, k, x, t, o, d);
    case CE: return nnm_grad_loss_ce_f64(n, k, x, t, o, d);
    default: return nnm_grad_loss_kl_div_f64(n, k, x, t, o, d);
    }
}
static nnm_status public_grad_f32(int kind, size_t n, size_t k, const float *x, const float *t,
                           const nnm_loss_opts *o, float *d)
{
    switch (kind) {
    case BCE: return nnm_grad_loss_bce_f32(n, k, x, t, o, d);
    case CE: return nnm_grad_loss_ce_f32(n, k, x, t, o, d);
    default: return nnm_grad_loss_kl_div_f32(n, k, x, t, o, d);
    }
}

static void kernel_grad(nnm__isa isa, int kind, int dt, size_t m, const void *x, const void *t,
                        double den, void *d)
{
    if (dt) {
        nnm__grad_t_f32_fn f = kind == BCE ? K_(pr_bce_grad_f32, isa)
                               : kind == CE ? K_(pr_ce_grad_f32, isa) : K_(pr_kl_grad_f32, isa);
        f(m, (const float *)x, (const float *)t, den, (float *)d);
    } else {
        nnm__grad_t_f64_fn f = kind == BCE ? K_(pr_bce_grad_f64, isa)
                               : kind == CE ? K_(pr_ce_grad_f64, isa) : K_(pr_kl_grad_f64, isa);
        f(m, (const double *)x, (const double *)t, den, (double *)d);
    }
}

static void elem_grads(nnm__isa isa)
{
    enum { M = 2100 };
    static double x[M], t[M], ref[M], got[M], inplace[M];
    static float xf[M], tf[M], reff[M], gotf[M], inplacef[M];
    static const double qs[] = {NAN, INFINITY, -INFINITY, -0.0, 0.0, -750.0, 3.5};
    uint64_t s = 7;
    for (int kind = BCE; kind <= KL; ++kind) {
        size_t pts = 0, bad = 0;
        for (int trial = 0; trial < 30; ++trial) {
            size_t n = trial < 20 ? (size_t)trial + 1 : 700 - (size_t)trial, k = trial < 20 ? 1 : 3;
            size_t m = n * k;
            fill_probs(&s, m, x, t, xf, tf);
            if (kind == KL)
                for (size_t i = 0; i < m; ++i) {
                    uint64_t r = nnm_rand_u64(&s) % 9;
                    x[i] = r < 7 ? qs[r] : -nnm_rand_uniform(&s, 0, 30);
                    xf[i] = (float)x[i];
                }
            for (int red = 0; red < 3; ++red) {
                nnm_loss_opts o = opts_of(red);
                double den = red == 1 ? (double)n : 1.0;
                nnm__cpu_force_isa(NNM__ISA_SCALAR);
                if (public_grad_f64(kind, n, k, x, t, &o, ref) != NNM_OK) fail("scalar reference status");
                if (public_grad_f32(kind, n, k, xf, tf, &o, reff) != NNM_OK) fail("scalar reference status f32");
                nnm__cpu_force_isa(start_isa);
                kernel_grad(isa, kind, 0, m, x, t, den, got);
                kernel_grad(isa, kind, 1, m, xf, tf, den, gotf);
                memcpy(inplace, x, m * sizeof *x), memcpy(inplacef, xf, m * sizeof *xf);
                kernel_grad(isa, kind, 0, m, inplace, t, den, inplace);
                kernel_grad(isa, kind, 1, m, inplacef, tf, den, inplacef);
                for (size_t i = 0; i < m; ++i) {
                    if (!same_bits(got[i], ref[i]) || !same_bits(inplace[i], ref[i]) ||
                        !same_bits((double)gotf[i], (double)reff[i]) ||
                        !same_bits((double)inplacef[i], (double)reff[i])) {
                        if (bad++ < 5)
                            printf("  %s [%s] x=%a t=%a den=%g: got %a / %a (f32 %a), want %a (f32 %a)\n",
                                   gname[kind], path_name(isa), x[i], t[i], den, got[i], inplace[i],
                                   (double)gotf[i], ref[i], (double)reff[i]);
                    }
                }
                pts += m;
            }
        }
        char name[64];
        snprintf(name, sizeof name, "%s f64/f32 [%s]", gname[kind], path_name(isa));
        printf("%-30s %zu entries bit for bit the reference (incl. in place): %zu differ\n", name, pts, bad);
        if (bad) fail(name);
    }
}

/* ---- CE on logits, dense targets: MPFR ------------------------------------------------------- */

/* exact d_j = (C p_j - t_j) / den and its bound scale B_j (C p_j + t_j, or for the first index
 * of the max R + C (1 - p_j)), both / den, for a row whose max is finite; the coefficients are
 * t_j + tl_j (tl NULL: 0; the hi + lo of an option's c_j = w_j t'_j) */
static void exact_cel_row(size_t k, const double *a, const double *t, const double *tl,
                          double den, mpfr_t *dex, double *B)
{
    mpfr_t z, so, e, C, R, p, sum;
    mpfr_inits2(NNM_ORACLE_PREC, z, so, e, C, R, p, sum, (mpfr_ptr)0);
    size_t top = 0;
    for (size_t j = 1; j < k; ++j) if (a[j] > a[top]) top = j;
    /* so = the sum of the other exponentials: the dominant entry is R - C so / (1 + so), with no
     * 1 - p rounded at 256 bits */
    mpfr_set_zero(so, 1), mpfr_set_zero(C, 1), mpfr_set_zero(R, 1);
    for (size_t j = 0; j < k; ++j) {
        mpfr_add_d(C, C, t[j], MPFR_RNDN);
        if (tl != NULL) mpfr_add_d(C, C, tl[j], MPFR_RNDN);
        if (j == top) continue;
        mpfr_set_d(z, a[j], MPFR_RNDN);
        mpfr_sub_d(z, z, a[top], MPFR_RNDN);
        mpfr_exp(e, z, MPFR_RNDN);
        mpfr_add(so, so, e, MPFR_RNDN);
        mpfr_add_d(R, R, t[j], MPFR_RNDN);
        if (tl != NULL) mpfr_add_d(R, R, tl[j], MPFR_RNDN);
    }
    mpfr_add_ui(sum, so, 1, MPFR_RNDN);
    for (size_t j = 0; j < k; ++j) {
        if (j == top) { /* R - C q and R + C q, q = so / (1 + so) = 1 - p */
            mpfr_div(p, so, sum, MPFR_RNDN);
            mpfr_mul(p, p, C, MPFR_RNDN);
            mpfr_add(z, R, p, MPFR_RNDN);
            B[j] = mpfr_get_d(z, MPFR_RNDN) / den;
            mpfr_sub(dex[j], R, p, MPFR_RNDN);
        } else {
            mpfr_set_d(z, a[j], MPFR_RNDN);
            mpfr_sub_d(z, z, a[top], MPFR_RNDN);
            mpfr_exp(e, z, MPFR_RNDN);
            mpfr_div(p, e, sum, MPFR_RNDN);
            mpfr_mul(dex[j], C, p, MPFR_RNDN);
            B[j] = (mpfr_get_d(dex[j], MPFR_RNDN) + t[j]) / den;
            mpfr_sub_d(dex[j], dex[j], t[j], MPFR_RNDN);
            if (tl != NULL) mpfr_sub_d(dex[j], dex[j], tl[j], MPFR_RNDN);
        }
        mpfr_div_d(dex[j], dex[j], den, MPFR_RNDN);
    }
    mpfr_clears(z, so, e, C, R, p, sum, (mpfr_ptr)0);
}

static void cel_grad(nnm__isa isa)
{
    enum { M = 3000, KMAX = 100 };
    static double a[M], t[M], ref[M], got[M], inplace[M], B[KMAX];
    static float af[M], tf[M], reff[M], gotf[M], inplacef[M];
    static double aw[M], tw[M];
    static const size_t ks[] = {1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 100};
    static const double mags64[] = {1.0, 10.0, 40.0, 300.0}, mags32[] = {1.0, 10.0, 40.0, 20.0};
    static mpfr_t dex[KMAX];
    for (size_t j = 0; j < KMAX; ++j) mpfr_init2(dex[j], NNM_ORACLE_PREC);
    uint64_t s = 31;
    double w64 = 0, w32 = 0;
    size_t pts = 0, special = 0, bad = 0;
    for (size_t ki = 0; ki < sizeof ks / sizeof ks[0]; ++ki) {
        size_t k = ks[ki];
        for (int trial = 0; trial < 8; ++trial) {
            size_t n = (M / k < 60 ? M / k : 60) - (size_t)trial % 3;
            int tk = trial % 4; /* targets: soft, one-hot, zero rows mixed, one-hot at the max */
            for (int dt = 0; dt < 2; ++dt) {
                double mag = dt ? mags32[trial % 4] : mags64[trial % 4];
                for (size_t i = 0; i < n; ++i) {
                    size_t hot = (size_t)(nnm_rand_u64(&s) % k);
                    for (size_t j = 0; j < k; ++j) {
                        size_t e = i * k + j;
                        a[e] = nnm_rand_uniform(&s, -mag, mag);
                        if (nnm_rand_u64(&s) % 10 == 0 && j > 0) a[e] = a[e - 1]; /* ties */
                        t[e] = tk == 0 ? nnm_rand_uniform(&s, 0, 1) : (double)(j == hot);
                        if (tk == 2 && nnm_rand_u64(&s) % 3 == 0) t[e] = 0.0;
                        if (tk == 0 && nnm_rand_u64(&s) % 5 == 0) t[e] = (double)(nnm_rand_u64(&s) % 2);
                    }
                    if (tk == 3) { /* a confident correct prediction: tiny gradients */
                        a[i * k + hot] = mag + 30.0;
                        for (size_t j = 0; j < k; ++j) t[i * k + j] = (double)(j == hot);
                    }
                }
                for (size_t e = 0; e < n * k; ++e) af[e] = (float)a[e], tf[e] = (float)t[e];
                for (int red = 0; red < 3; red += 1) {
                    double den = red == 1 ? (double)n : 1.0;
                    if (dt) {
                        K_(pr_cel_grad_f32, isa)(n, k, af, tf, den, gotf);
                        memcpy(inplacef, af, n * k * sizeof *af);
                        K_(pr_cel_grad_f32, isa)(n, k, inplacef, tf, den, inplacef);
                        if (memcmp(inplacef, gotf, n * k * sizeof *af)) fail("cel_grad f32 in place differs");
                        for (size_t e = 0; e < n * k; ++e) aw[e] = af[e], tw[e] = tf[e];
                    } else {
                        K_(pr_cel_grad_f64, isa)(n, k, a, t, den, got);
                        memcpy(inplace, a, n * k * sizeof *a);
                        K_(pr_cel_grad_f64, isa)(n, k, inplace, t, den, inplace);
                        if (memcmp(inplace, got, n * k * sizeof *a)) fail("cel_grad f64 in place differs");
                        memcpy(aw, a, n * k * sizeof *a), memcpy(tw, t, n * k * sizeof *t);
                    }
                    if (red == 2) continue; /* NONE: the same den = 1 as SUM */
                    for (size_t i = 0; i < n; ++i) {
                        exact_cel_row(k, aw + i * k, tw + i * k, NULL, den, dex, B);
                        for (size_t j = 0; j < k; ++j) {
                            double g = dt ? (double)gotf[i * k + j] : got[i * k + j];
                            double eps = dt ? 0x1p-23 : 0x1p-52;
                            mpfr_t d;
                            mpfr_init2(d, NNM_ORACLE_PREC);
                            mpfr_sub_d(d, dex[j], g, MPFR_RNDN);
                            double err = fabs(mpfr_get_d(d, MPFR_RNDN));
                            mpfr_clear(d);
                            double r = B[j] > 0 ? err / (eps * B[j]) : (err == 0 ? 0 : INFINITY);
                            if (r > 4.0 && bad++ < 5)
                                printf("  cel_grad %s [%s] k=%zu row %zu j=%zu: got %a exact %a (%.2f eps)\n",
                                       dt ? "f32" : "f64", path_name(isa), k, i, j, g,
                                       mpfr_get_d(dex[j], MPFR_RNDN), r);
                            track(dt ? &w32 : &w64, r);
                        }
                    }
                    pts += n * k;
                }
            }
        }
    }
    /* policy rows and -inf entries: bit for bit the scalar reference */
    static const double sa[] = {NAN, INFINITY, -INFINITY, 1e308, -1e308, 0.0, -0.0, 2.0};
    for (size_t k = 1; k <= 10; ++k)
        for (int trial = 0; trial < 30; ++trial) {
            size_t n = 9;
            for (size_t e = 0; e < n * k; ++e) {
                uint64_t r = nnm_rand_u64(&s);
                a[e] = r % 3 ? nnm_rand_uniform(&s, -5, 5) : sa[(r >> 8) % 8];
                if (trial % 3 == 0 && r % 2) a[e] = -INFINITY;
                t[e] = (r >> 20) % 4 ? nnm_rand_uniform(&s, 0, 1) : (double)((r >> 24) % 2);
                af[e] = (float)a[e], tf[e] = (float)t[e];
            }
            for (int red = 0; red < 3; ++red) {
                nnm_loss_opts o = opts_of(red);
                double den = red == 1 ? (double)n : 1.0;
                nnm__cpu_force_isa(NNM__ISA_SCALAR);
                if (nnm_grad_loss_ce_logits_f64(n, k, a, t, &o, ref) != NNM_OK) fail("cel reference status");
                if (nnm_grad_loss_ce_logits_f32(n, k, af, tf, &o, reff) != NNM_OK) fail("cel reference status");
                nnm__cpu_force_isa(start_isa);
                K_(pr_cel_grad_f64, isa)(n, k, a, t, den, got);
                K_(pr_cel_grad_f32, isa)(n, k, af, tf, den, gotf);
                for (size_t i = 0; i < n; ++i) {
                    int pol = 0, polf = 0;
                    for (size_t j = 0; j < k; ++j) {
                        pol |= !isfinite(a[i * k + j]) && !(a[i * k + j] < 0);
                        polf |= !isfinite((double)af[i * k + j]) && !(af[i * k + j] < 0);
                    }
                    int allneg = 1, allnegf = 1; /* a row of -inf is a policy row too */
                    for (size_t j = 0; j < k; ++j) {
                        allneg &= a[i * k + j] == -INFINITY;
                        allnegf &= af[i * k + j] == -INFINITY;
                    }
                    pol |= allneg, polf |= allnegf;
                    for (size_t j = 0; j < k; ++j) {
                        size_t e = i * k + j;
                        if (pol) {
                            ++special;
                            if (!same_bits(got[e], ref[e]) && bad++ < 5)
                                printf("  cel policy row f64 k=%zu: got %a want %a\n", k, got[e], ref[e]);
                        }
                        if (polf) {
                            ++special;
                            if (!same_bits((double)gotf[e], (double)reff[e]) && bad++ < 5)
                                printf("  cel policy row f32 k=%zu: got %a want %a\n", k, (double)gotf[e],
                                       (double)reff[e]);
                        }
                        if (!pol && a[e] == -INFINITY && !same_bits(got[e], ref[e]) && bad++ < 5)
                            printf("  cel -inf entry f64: got %a want %a\n", got[e], ref[e]);
                    }
                }
            }
        }
    char name[64];
    snprintf(name, sizeof name, "cel_grad_f64 [%s]", path_name(isa));
    printf("%-30s max %.3f eps (bound 4) over %zu entries; %zu policy entries bit for bit\n", name, w64, pts, special);
    snprintf(name, sizeof name, "cel_grad_f32 [%s]", path_name(isa));
    printf("%-30s max %.3f eps (bound 4)\n", name, w32);
    if (w64 > 4.0 || w32 > 4.0 || bad) fail("cel_grad");
    for (size_t j = 0; j < KMAX; ++j) mpfr_clear(dex[j]);
}


/* ---- forward losses ----------------------------------------------------------------------------- */

/* acc += the exact BCE (kind BCE) or CE term of (y, t) */
static void add_exact_prob(mpfr_t acc, int kind, double y, double t)
{
    mpfr_t v, w;
    mpfr_inits2(NNM_ORACLE_PREC, v, w, (mpfr_ptr)0);
    if (t > 0) {
        mpfr_set_d(v, y, MPFR_RNDN);
        mpfr_log(v, v, MPFR_RNDN);
        mpfr_mul_d(v, v, t, MPFR_RNDN);
        mpfr_sub(acc, acc, v, MPFR_RNDN);
    }
    if (kind == BCE && t < 1) {
        mpfr_set_d(v, -y, MPFR_RNDN);
        mpfr_log1p(v, v, MPFR_RNDN);
        mpfr_set_d(w, 1.0, MPFR_RNDN);
        mpfr_sub_d(w, w, t, MPFR_RNDN);
        mpfr_mul(v, v, w, MPFR_RNDN);
        mpfr_sub(acc, acc, v, MPFR_RNDN);
    }
    mpfr_clears(v, w, (mpfr_ptr)0);
}

/* exact KL of a row: l = sum t (ln t - q) and M = sum t (|ln t| + |q|) (t = 0 terms are 0) */
static void exact_kl(mpfr_t l, double *M, size_t k, const double *q, const double *t)
{
    mpfr_t v;
    mpfr_init2(v, NNM_ORACLE_PREC);
    mpfr_set_zero(l, 1);
    *M = 0.0;
    for (size_t j = 0; j < k; ++j) {
        if (t[j] == 0.0) continue;
        mpfr_set_d(v, t[j], MPFR_RNDN);
        mpfr_log(v, v, MPFR_RNDN);
        *M += t[j] * (fabs(mpfr_get_d(v, MPFR_RNDN)) + fabs(q[j]));
        mpfr_sub_d(v, v, q[j], MPFR_RNDN);
        mpfr_mul_d(v, v, t[j], MPFR_RNDN);
        mpfr_add(l, l, v, MPFR_RNDN);
    }
    mpfr_clear(v);
}

/* exact CE on logits, dense targets, of a row with a finite max */
static void exact_cel(mpfr_t l, size_t k, const double *a, const double *t)
{
    mpfr_t so, e, C, z;
    mpfr_inits2(NNM_ORACLE_PREC, so, e, C, z, (mpfr_ptr)0);
    size_t top = 0;
    for (size_t j = 1; j < k; ++j) if (a[j] > a[top]) top = j;
    mpfr_set_zero(so, 1), mpfr_set_zero(C, 1), mpfr_set_zero(l, 1);
    for (size_t j = 0; j < k; ++j) {
        mpfr_set_d(z, a[top], MPFR_RNDN);
        mpfr_sub_d(z, z, a[j], MPFR_RNDN); /* m - a_j >= 0 */
        mpfr_mul_d(e, z, t[j], MPFR_RNDN);
        mpfr_add(l, l, e, MPFR_RNDN);
        mpfr_add_d(C, C, t[j], MPFR_RNDN);
        if (j == top) continue;
        mpfr_neg(z, z, MPFR_RNDN);
        mpfr_exp(e, z, MPFR_RNDN);
        mpfr_add(so, so, e, MPFR_RNDN);
    }
    mpfr_log1p(so, so, MPFR_RNDN);
    mpfr_mul(so, so, C, MPFR_RNDN);
    mpfr_add(l, l, so, MPFR_RNDN);
    mpfr_clears(so, e, C, z, (mpfr_ptr)0);
}

static double finish_ref(int red, size_t n, double hi, double lo)
{
    if (red != 1) return hi + lo;
    double den = (double)n, q = hi / den;
    if (!isfinite(q) || !isfinite(hi)) return q;
    return q + (fma(-q, den, hi) + lo) / den;
}

enum { FBCE, FCE, FKL, FCEL };
static const char *fname[] = {"bce", "ce", "kl", "ce_logits"};

static void kernel_rows(nnm__isa isa, int kind, int dt, size_t n, size_t k, const void *x, const void *t, void *out)
{
    if (dt) {
        nnm__ls_rows2_f32_fn f = kind == FBCE ? K_(pr_bce_rows_f32, isa) : kind == FCE ? K_(pr_ce_rows_f32, isa)
                                 : kind == FKL ? K_(pr_kl_rows_f32, isa) : K_(pr_cel_rows_f32, isa);
        f(n, k, (const float *)x, (const float *)t, (float *)out);
    } else {
        nnm__ls_rows2_f64_fn f = kind == FBCE ? K_(pr_bce_rows_f64, isa) : kind == FCE ? K_(pr_ce_rows_f64, isa)
                                 : kind == FKL ? K_(pr_kl_rows_f64, isa) : K_(pr_cel_rows_f64, isa);
        f(n, k, (const double *)x, (const double *)t, (double *)out);
    }
}

static void kernel_total(nnm__isa isa, int kind, int dt, size_t n, size_t k, const void *x, const void *t,
                         double *hi, double *lo)
{
    if (kind == FCEL) {
        if (dt) K_(pr_cel_total_f32, isa)(n, k, (const float *)x, (const float *)t, hi, lo);
        else K_(pr_cel_total_f64, isa)(n, k, (const double *)x, (const double *)t, hi, lo);
        return;
    }
    if (dt) {
        nnm__total_f32_fn f = kind == FBCE ? K_(pr_bce_total_f32, isa) : kind == FCE ? K_(pr_ce_total_f32, isa)
                                                                      : K_(pr_kl_total_f32, isa);
        f(n * k, (const float *)x, (const float *)t, hi, lo);
    } else {
        nnm__total_f64_fn f = kind == FBCE ? K_(pr_bce_total_f64, isa) : kind == FCE ? K_(pr_ce_total_f64, isa)
                                                                      : K_(pr_kl_total_f64, isa);
        f(n * k, (const double *)x, (const double *)t, hi, lo);
    }
}

static nnm_status public_loss_f64(int kind, size_t n, size_t k, const double *x, const double *t, const nnm_loss_opts *o,
                           double *out)
{
    switch (kind) {
    case FBCE: return nnm_loss_bce_f64(n, k, x, t, o, out);
    case FCE: return nnm_loss_ce_f64(n, k, x, t, o, out);
    case FKL: return nnm_loss_kl_div_f64(n, k, x, t, o, out);
    default: return nnm_loss_ce_logits_f64(n, k, x, t, o, out);
    }
}
static nnm_status public_loss_f32(int kind, size_t n, size_t k, const float *x, const float *t, const nnm_loss_opts *o,
                           float *out)
{
    switch (kind) {
    case FBCE: return nnm_loss_bce_f32(n, k, x, t, o, out);
    case FCE: return nnm_loss_ce_f32(n, k, x, t, o, out);
    case FKL: return nnm_loss_kl_div_f32(n, k, x, t, o, out);
    default: return nnm_loss_ce_logits_f32(n, k, x, t, o, out);
    }
}

/* the error of a row result in the documented units: eps |l| (4 eps bound), and for KL
 * eps |l| + 2^-100 M (the bound 4 eps |l| + 2^-98 M, divided by 4 like the rest). A result whose
 * exact value is below the least normal is allowed k/2 + 2 units of the least subnormal (the
 * absolute rounding of subnormal terms, as in the reference). */
static double row_err(int dt, double got, const mpfr_t ex, double M, size_t k)
{
    /* everything scaled by 2^200, so that the subnormal allowance does not underflow */
    mpfr_t d;
    mpfr_init2(d, NNM_ORACLE_PREC);
    mpfr_sub_d(d, ex, got, MPFR_RNDN);
    mpfr_mul_2si(d, d, 200, MPFR_RNDN);
    double err = fabs(mpfr_get_d(d, MPFR_RNDN));
    mpfr_mul_2si(d, ex, 200, MPFR_RNDN);
    double l = fabs(mpfr_get_d(d, MPFR_RNDN));
    mpfr_clear(d);
    double eps = dt ? 0x1p-23 : 0x1p-52, tiny = dt ? 0x1p+51 : 0x1p-874; /* 2^-149, 2^-1074 */
    double unit = eps * l + 0x1p+100 * M;
    if (l < (dt ? 0x1p+74 : 0x1p-822)) unit += ((double)k / 2 + 2) * tiny / 4; /* below the least normal */
    return unit > 0 ? err / unit : (err == 0 ? 0 : INFINITY);
}

static void fill_fwd(uint64_t *s, int kind, int trial, size_t m, size_t k, double *x, double *t)
{
    static const double mags[] = {1.0, 10.0, 40.0, 300.0};
    for (size_t i = 0; i < m; ++i) {
        if (kind == FCEL) {
            x[i] = nnm_rand_uniform(s, -mags[trial % 4], mags[trial % 4]);
            t[i] = trial % 3 == 0 ? (double)(nnm_rand_u64(s) % 2 == 0) : nnm_rand_uniform(s, 0, 1);
            if (trial % 5 == 4 && i % k == 0) x[i] = 800.0; /* a dominant logit: a tiny loss */
        } else if (kind == FKL) {
            t[i] = rand_prob(s);
            x[i] = trial % 2 && t[i] > 0 ? log(t[i]) + ldexp(nnm_rand_uniform(s, -1, 1), -(int)(nnm_rand_u64(s) % 50))
                                         : -nnm_rand_uniform(s, 0, 40); /* q ~ t: cancellation */
        } else {
            x[i] = rand_prob(s), t[i] = rand_prob(s);
            if (x[i] == 0.0 && t[i] > 0) x[i] = 0.25; /* +inf rows are checked apart */
            if (x[i] == 1.0 && t[i] < 1 && kind == FBCE) x[i] = 0.75;
        }
    }
}

static void forward(nnm__isa isa)
{
    enum { M = 4000 };
    static double x[M], t[M], xw[M], tw[M], out[M];
    static float xf[M], tf[M], outf[M];
    static const size_t ks[] = {1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 100};
    mpfr_t ex, tot;
    mpfr_inits2(NNM_ORACLE_PREC, ex, tot, (mpfr_ptr)0);
    uint64_t s = 57;
    for (int kind = FBCE; kind <= FCEL; ++kind) {
        double w64 = 0, w32 = 0, t64 = 0, t32 = 0;
        size_t pts = 0;
        for (size_t ki = 0; ki < sizeof ks / sizeof ks[0]; ++ki) {
            size_t k = ks[ki];
            for (int trial = 0; trial < 5; ++trial) {
                size_t n = (M / k < 200 ? M / k : 200) - (size_t)trial;
                fill_fwd(&s, kind, trial, n * k, k, x, t);
                for (size_t i = 0; i < n * k; ++i) xf[i] = (float)x[i], tf[i] = (float)t[i];
                for (int dt = 0; dt < 2; ++dt) {
                    for (size_t i = 0; i < n * k; ++i) xw[i] = dt ? xf[i] : x[i], tw[i] = dt ? tf[i] : t[i];
                    kernel_rows(isa, kind, dt, n, k, dt ? (void *)xf : (void *)x, dt ? (void *)tf : (void *)t,
                                dt ? (void *)outf : (void *)out);
                    double hi, lo;
                    kernel_total(isa, kind, dt, n, k, dt ? (void *)xf : (void *)x, dt ? (void *)tf : (void *)t, &hi, &lo);
                    mpfr_set_zero(tot, 1);
                    double Mall = 0.0;
                    for (size_t i = 0; i < n; ++i) {
                        double Mi = 0.0;
                        if (kind == FKL) exact_kl(ex, &Mi, k, xw + i * k, tw + i * k);
                        else if (kind == FCEL) exact_cel(ex, k, xw + i * k, tw + i * k);
                        else {
                            mpfr_set_zero(ex, 1);
                            for (size_t j = 0; j < k; ++j) add_exact_prob(ex, kind, xw[i * k + j], tw[i * k + j]);
                        }
                        mpfr_add(tot, tot, ex, MPFR_RNDN);
                        Mall += Mi;
                        double r = row_err(dt, dt ? (double)outf[i] : out[i], ex, Mi, k);
                        if (r > 4.0 && failures < 20)
                            printf("  %s row %s [%s] k=%zu: got %a exact %a (%.2f)\n", fname[kind], dt ? "f32" : "f64",
                                   path_name(isa), k, dt ? (double)outf[i] : out[i], mpfr_get_d(ex, MPFR_RNDN), r);
                        track(dt ? &w32 : &w64, r);
                    }
                    double tr = row_err(dt, dt ? (double)(float)(hi + lo) : hi + lo, tot, Mall, n * k);
                    track(dt ? &t32 : &t64, tr);
                }
                pts += n * k;
            }
        }
        char name[64];
        snprintf(name, sizeof name, "%s rows / SUM [%s]", fname[kind], path_name(isa));
        printf("%-30s rows max %.3f / %.3f, SUM max %.3f / %.3f (f64 / f32, bound 4%s) over %zu terms\n", name, w64, w32,
               t64, t32, kind == FKL ? " in eps |l| + 2^-100 M" : " eps", pts);
        if (w64 > 4.0 || w32 > 4.0 || t64 > 4.0 || t32 > 4.0) fail(name);
    }
    mpfr_clears(ex, tot, (mpfr_ptr)0);
}

/* pr_log and pr_nlog1m alone: BCE rows of one element with t = 1 (-log y) and t = 0
 * (-log1p(-y)) are the logs rounded once (the products by 1 are exact), over every binade of
 * (0, 1] (subnormals included) and around 1/2, sqrt(1/2), 1: bound 1 ulp */
static void logs(nnm__isa isa)
{
    enum { N = 4096 };
    static double y[N], t1[N], t0[N], out[N];
    uint64_t s = 3;
    double w1 = 0, w0 = 0;
    mpfr_t ex;
    mpfr_init2(ex, NNM_ORACLE_PREC);
    for (int rep = 0; rep < 12; ++rep) {
        for (size_t i = 0; i < N; ++i) {
            int b = (int)(nnm_rand_u64(&s) % 1075);
            y[i] = ldexp(nnm_rand_uniform(&s, 1, 2), -b - 1);
            if (i % 5 == 0) y[i] = nextafter(i % 2 ? 0.5 : 0x1.6a09e667f3bcdp-1, (i % 3) ? 0 : 1) * (1 + 0x1p-50 * (double)(i % 7));
            if (i % 7 == 0) y[i] = 1.0 - ldexp(nnm_rand_uniform(&s, 0, 1), -(int)(nnm_rand_u64(&s) % 54));
            if (y[i] > 1.0 || !(y[i] > 0)) y[i] = 0.5;
            t1[i] = 1.0, t0[i] = 0.0;
        }
        K_(pr_bce_rows_f64, isa)(N, 1, y, t1, out);
        for (size_t i = 0; i < N; ++i) {
            mpfr_set_d(ex, y[i], MPFR_RNDN);
            mpfr_log(ex, ex, MPFR_RNDN);
            mpfr_neg(ex, ex, MPFR_RNDN);
            track(&w1, nnm_oracle_ulp_err_f64(out[i], ex));
        }
        K_(pr_bce_rows_f64, isa)(N, 1, y, t0, out);
        for (size_t i = 0; i < N; ++i) {
            if (y[i] == 1.0) continue;
            mpfr_set_d(ex, -y[i], MPFR_RNDN);
            mpfr_log1p(ex, ex, MPFR_RNDN);
            mpfr_neg(ex, ex, MPFR_RNDN);
            track(&w0, nnm_oracle_ulp_err_f64(out[i], ex));
        }
    }
    mpfr_clear(ex);
    printf("pr_log [%s]                  -log y max %.3f ulp, -log1p(-y) max %.3f ulp (bound 1) over %d points each\n",
           path_name(isa), w1, w0, 12 * N);
    if (w1 > 1.0 || w0 > 1.0) fail("pr_log");
}

/* rows the vector form hands to the reference (or whose value is +inf / NaN), and every public
 * call: bit for bit the scalar path's results (status included) */
static void specials(nnm__isa isa)
{
    enum { N = 9, KM = 10 };
    double x[N * KM], t[N * KM], ref[N], got[N];
    float xf[N * KM], tf[N * KM], reff[N], gotf[N];
    static const double sa[] = {NAN, INFINITY, -INFINITY, 1e308, -1e308, 0.0, -0.0, 2.0};
    uint64_t s = 99;
    size_t cnt = 0, bad = 0;
    for (int kind = FBCE; kind <= FCEL; ++kind)
        for (size_t k = 1; k <= KM; ++k)
            for (int trial = 0; trial < 20; ++trial) {
                for (size_t e = 0; e < N * k; ++e) {
                    uint64_t r = nnm_rand_u64(&s);
                    t[e] = (r >> 20) % 3 ? rand_prob(&s) : (double)((r >> 24) % 2);
                    if (kind == FKL || kind == FCEL) {
                        x[e] = r % 3 ? nnm_rand_uniform(&s, -5, 5) : sa[(r >> 8) % 8];
                        if (kind == FCEL && trial % 3 == 0 && r % 2) x[e] = -INFINITY;
                    } else {
                        x[e] = rand_prob(&s); /* 0 and 1 with t at and off the boundary */
                    }
                    xf[e] = (float)x[e], tf[e] = (float)t[e];
                }
                kernel_rows(isa, kind, 0, N, k, x, t, got);
                kernel_rows(isa, kind, 1, N, k, xf, tf, gotf);
                nnm_loss_opts o = opts_of(2);
                nnm__cpu_force_isa(NNM__ISA_SCALAR);
                public_loss_f64(kind, N, k, x, t, &o, ref);
                public_loss_f32(kind, N, k, xf, tf, &o, reff);
                nnm__cpu_force_isa(start_isa);
                for (size_t i = 0; i < N; ++i) {
                    if (!isfinite(ref[i])) {
                        ++cnt;
                        if (!same_bits(got[i], ref[i]) && bad++ < 5)
                            printf("  %s special row f64 k=%zu: got %a want %a\n", fname[kind], k, got[i], ref[i]);
                    }
                    if (!isfinite(reff[i])) {
                        ++cnt;
                        if (!same_bits((double)gotf[i], (double)reff[i]) && bad++ < 5)
                            printf("  %s special row f32 k=%zu: got %a want %a\n", fname[kind], k, (double)gotf[i],
                                   (double)reff[i]);
                    }
                }
                /* public SUM / MEAN: the scalar path's value when the total is not finite; else the
                 * kernel total finished like the module */
                for (int red = 0; red < 2; ++red) {
                    double r64, g64, hi, lo;
                    float r32, g32;
                    o = opts_of(red);
                    nnm__cpu_force_isa(NNM__ISA_SCALAR);
                    nnm_status st1 = public_loss_f64(kind, N, k, x, t, &o, &r64);
                    nnm_status st2 = public_loss_f32(kind, N, k, xf, tf, &o, &r32);
                    nnm__cpu_force_isa(start_isa);
                    nnm_status st3 = public_loss_f64(kind, N, k, x, t, &o, &g64);
                    nnm_status st4 = public_loss_f32(kind, N, k, xf, tf, &o, &g32);
                    if (st1 != st3 || st2 != st4) fail("public status differs from the scalar path");
                    if (K_(pr_bce_rows_f64, start_isa) == NULL) continue;
                    kernel_total(start_isa, kind, 0, N, k, x, t, &hi, &lo);
                    double want = isfinite(hi) ? finish_ref(red, N, hi, lo) : r64;
                    if (!same_bits(g64, want) && bad++ < 5) printf("  %s public f64 red %d: got %a want %a\n", fname[kind], red, g64, want);
                    kernel_total(start_isa, kind, 1, N, k, xf, tf, &hi, &lo);
                    float wantf = isfinite(hi) ? (float)finish_ref(red, N, hi, lo) : r32;
                    if (!same_bits((double)g32, (double)wantf) && bad++ < 5)
                        printf("  %s public f32 red %d: got %a want %a\n", fname[kind], red, (double)g32, (double)wantf);
                }
            }
    printf("forward specials [%s]            %zu non-finite rows bit for bit, public SUM / MEAN routed: %zu differ\n",
           path_name(isa), cnt, bad);
    if (bad) fail("forward specials");
}

/* public NONE reaches the kernels */
static void public_none(void)
{
    enum { N = 13, K = 6 };
    double x[N * K], t[N * K], out[N], want[N];
    float xf[N * K], tf[N * K], outf[N], wantf[N];
    uint64_t s = 5;
    nnm__isa isa = nnm__cpu_isa();
    if (K_(pr_bce_rows_f64, isa) == NULL) return;
    nnm_loss_opts o = opts_of(2);
    for (int kind = FBCE; kind <= FCEL; ++kind) {
        fill_fwd(&s, kind, 1, N * K, K, x, t);
        for (size_t i = 0; i < N * K; ++i) xf[i] = (float)x[i], tf[i] = (float)t[i];
        kernel_rows(isa, kind, 0, N, K, x, t, want);
        kernel_rows(isa, kind, 1, N, K, xf, tf, wantf);
        if (public_loss_f64(kind, N, K, x, t, &o, out) != NNM_OK || memcmp(out, want, sizeof out))
            fail("public f64 NONE does not reach the kernel");
        if (public_loss_f32(kind, N, K, xf, tf, &o, outf) != NNM_OK || memcmp(outf, wantf, sizeof outf))
            fail("public f32 NONE does not reach the kernel");
    }
    printf("public NONE of bce / ce / kl / ce_logits reach the kernels [%s]\n", path_name(isa));
}

/* ---- routing: the public functions reach the kernels ----------------------------------------- */

static void public_grads(void)
{
    enum { N = 13, K = 6 };
    double y[N * K], t[N * K], a[N * K], d[N * K], want[N * K];
    float yf[N * K], tf[N * K], af[N * K], df[N * K], wantf[N * K];
    uint64_t s = 83;
    for (size_t i = 0; i < N * K; ++i) {
        y[i] = rand_prob(&s), t[i] = rand_prob(&s), a[i] = nnm_rand_uniform(&s, -20, 20);
        yf[i] = (float)y[i], tf[i] = (float)t[i], af[i] = (float)a[i];
    }
    nnm__isa isa = nnm__cpu_isa();
    if (K_(pr_bce_grad_f64, isa) == NULL) {
        printf("public gradients of bce / ce / kl / ce_logits: scalar path [%s]\n", path_name(isa));
        return;
    }
    for (int red = 0; red < 3; ++red) {
        nnm_loss_opts o = opts_of(red);
        double den = red == 1 ? (double)N : 1.0;
        for (int kind = BCE; kind <= KL; ++kind) {
            kernel_grad(isa, kind, 0, N * K, kind == KL ? a : y, t, den, want);
            kernel_grad(isa, kind, 1, N * K, kind == KL ? af : yf, tf, den, wantf);
            if (public_grad_f64(kind, N, K, kind == KL ? a : y, t, &o, d) != NNM_OK || memcmp(d, want, sizeof d))
                fail("public f64 gradient does not reach the kernel");
            if (public_grad_f32(kind, N, K, kind == KL ? af : yf, tf, &o, df) != NNM_OK || memcmp(df, wantf, sizeof df))
                fail("public f32 gradient does not reach the kernel");
        }
        K_(pr_cel_grad_f64, isa)(N, K, a, t, den, want);
        K_(pr_cel_grad_f32, isa)(N, K, af, tf, den, wantf);
        if (nnm_grad_loss_ce_logits_f64(N, K, a, t, &o, d) != NNM_OK || memcmp(d, want, sizeof d))
            fail("public ce_logits f64 gradient does not reach the kernel");
        if (nnm_grad_loss_ce_logits_f32(N, K, af, tf, &o, df) != NNM_OK || memcmp(df, wantf, sizeof df))
            fail("public ce_logits f32 gradient does not reach the kernel");
    }
    printf("public gradients of bce / ce / kl / ce_logits reach the kernels [%s]\n", path_name(isa));
}

/* ---- options: class_weight of bce / ce / ce_logits, label smoothing of ce / ce_logits ---------
 * The option kernels (pr_*w_*) against the scalar reference (the public functions with the scalar
 * path forced): the bce / ce gradients bit for bit (incl. in place); the forward losses (SUM / MEAN
 * totals, NONE rows) and the ce_logits gradient in units of the documented bound's scale: eps |l|
 * for a loss, eps (C p_j + c_j) for a gradient entry (R + C (1 - p_j) at the first max, all / den),
 * against the reference's value (itself within its bound of the exact one, so the difference
 * measured covers both errors; the bound is 4 units); every non-finite result (+inf rows, NaN and
 * policy rows) bit for bit. A SUM / MEAN total that is not finite, and a ce_logits gradient whose
 * weights add up to more than 2^1000, are the reference's by design (the entry returns 0):
 * counted as handed over, and public_opts checks that the public calls then equal the reference.
 * Weight sets: none (smoothing only), random in [0, 3] with 0 and 1 mixed in, edge values (0, the
 * least subnormal, 2^-1030, 1e-300, 1, 2^990, 7.5), 0 or DBL_MAX (overflowing terms), all 1;
 * smoothing eps in {0, 2^-30, 0.1, 0.5, 1}; k in {1, 2, 3, 7, 8, 9, 17, 1000}; the targets (and
 * for bce / ce the probabilities) of a zero-weight column are NaN / 2 (not validated, not read).
 * Points: 3 losses x 5 weight sets x <= 5 eps x 8 k x 3 reductions, <= 1000 entries each:
 * ~1.5M entries per path and dtype, with the ce_logits scale computed in double: a few seconds. */
enum { WS_NONE, WS_RANDOM, WS_EDGE, WS_HUGE, WS_ONES, WS_COUNT };

static void make_weights(uint64_t *s, int ws, size_t k, double *w)
{
    static const double edge[] = {0.0, 0x1p-1074, 0x1p-1030, 1e-300, 1.0, 0x1p990, 7.5, 0.0};
    for (size_t j = 0; j < k; ++j) {
        uint64_t r = nnm_rand_u64(s) % 8;
        switch (ws) {
        case WS_RANDOM: w[j] = r == 0 ? 0.0 : (r == 1 ? 1.0 : nnm_rand_uniform(s, 0, 3)); break;
        case WS_EDGE: w[j] = edge[r]; break;
        case WS_HUGE: w[j] = r == 0 ? 0.0 : DBL_MAX; break;
        default: w[j] = 1.0;
        }
    }
}

static void fill_opts(uint64_t *s, int kind, int trial, size_t m, size_t k, const double *w,
                      double *x, double *t)
{
    static const double mags[] = {1.0, 10.0, 40.0, 300.0};
    static const double odd[] = {NAN, INFINITY, -INFINITY, -INFINITY};
    for (size_t i = 0; i < m; ++i) {
        if (kind == FCEL) {
            x[i] = nnm_rand_uniform(s, -mags[trial % 4], mags[trial % 4]);
            t[i] = trial % 3 == 0 ? (double)(nnm_rand_u64(s) % 3 == 0) : nnm_rand_uniform(s, 0, 1);
            if (trial % 7 == 6 && nnm_rand_u64(s) % 5 == 0) x[i] = odd[nnm_rand_u64(s) % 4];
        } else {
            x[i] = rand_prob(s), t[i] = rand_prob(s);
            if (trial % 5 != 0 && x[i] == 0.0) x[i] = 0.25; /* +inf rows only in some trials */
            if (trial % 5 != 0 && x[i] == 1.0 && kind == FBCE) x[i] = 0.75;
        }
        if (w != NULL && w[i % k] == 0.0) {
            t[i] = NAN;
            if (kind != FCEL) x[i] = 2.0;
        }
    }
}

static void kw_total(nnm__isa isa, int kind, int dt, size_t n, size_t k, const void *x,
                     const void *t, const double *w, const nnm__smoothing *sm, double *hi,
                     double *lo)
{
    if (dt) {
        nnm__prw_total_f32_fn f = kind == FBCE ? K_(pr_bcew_total_f32, isa)
                                  : kind == FCE ? K_(pr_cew_total_f32, isa)
                                                : K_(pr_celw_total_f32, isa);
        f(n, k, (const float *)x, (const float *)t, w, sm, hi, lo);
    } else {
        nnm__prw_total_f64_fn f = kind == FBCE ? K_(pr_bcew_total_f64, isa)
                                  : kind == FCE ? K_(pr_cew_total_f64, isa)
                                                : K_(pr_celw_total_f64, isa);
        f(n, k, (const double *)x, (const double *)t, w, sm, hi, lo);
    }
}
static void kw_rows(nnm__isa isa, int kind, int dt, size_t n, size_t k, const void *x,
                    const void *t, const double *w, const nnm__smoothing *sm, void *out)
{
    if (dt) {
        nnm__prw_rows_f32_fn f = kind == FBCE ? K_(pr_bcew_rows_f32, isa)
                                 : kind == FCE ? K_(pr_cew_rows_f32, isa)
                                               : K_(pr_celw_rows_f32, isa);
        f(n, k, (const float *)x, (const float *)t, w, sm, (float *)out);
    } else {
        nnm__prw_rows_f64_fn f = kind == FBCE ? K_(pr_bcew_rows_f64, isa)
                                 : kind == FCE ? K_(pr_cew_rows_f64, isa)
                                               : K_(pr_celw_rows_f64, isa);
        f(n, k, (const double *)x, (const double *)t, w, sm, (double *)out);
    }
}
/* The kernels' loss of both dtypes under reduction red (2: NONE rows into out / outf, else the
 * finished total into out[0] / outf[0]); 0 when a total is not finite (the public entry then
 * hands the call to the reference). */
static int kw_loss(nnm__isa isa, int kind, int red, size_t n, size_t k, const double *x,
                   const double *t, const float *xf, const float *tf, const double *w,
                   const nnm__smoothing *sm, double *out, float *outf)
{
    if (red == 2) {
        kw_rows(isa, kind, 0, n, k, x, t, w, sm, out);
        kw_rows(isa, kind, 1, n, k, xf, tf, w, sm, outf);
        return 1;
    }
    double hi, lo, hf, lf;
    kw_total(isa, kind, 0, n, k, x, t, w, sm, &hi, &lo);
    kw_total(isa, kind, 1, n, k, xf, tf, w, sm, &hf, &lf);
    out[0] = finish_ref(red, n, hi, lo);
    outf[0] = (float)finish_ref(red, n, hf, lf);
    return isfinite(hi) && isfinite(hf);
}
static void kw_grad(nnm__isa isa, int kind, int dt, size_t n, size_t k, const void *x,
                    const void *t, const double *w, const nnm__smoothing *sm, double den, void *d)
{
    if (dt) {
        nnm__prw_grad_f32_fn f = kind == FBCE ? K_(pr_bcew_grad_f32, isa)
                                 : kind == FCE ? K_(pr_cew_grad_f32, isa)
                                               : K_(pr_celw_grad_f32, isa);
        f(n, k, (const float *)x, (const float *)t, w, sm, den, (float *)d);
    } else {
        nnm__prw_grad_f64_fn f = kind == FBCE ? K_(pr_bcew_grad_f64, isa)
                                 : kind == FCE ? K_(pr_cew_grad_f64, isa)
                                               : K_(pr_celw_grad_f64, isa);
        f(n, k, (const double *)x, (const double *)t, w, sm, den, (double *)d);
    }
}
static nnm_status pub_grad_f64(int kind, size_t n, size_t k, const double *x, const double *t,
                               const nnm_loss_opts *o, double *d)
{
    return kind == FCEL ? nnm_grad_loss_ce_logits_f64(n, k, x, t, o, d)
                        : public_grad_f64(kind == FBCE ? BCE : CE, n, k, x, t, o, d);
}
static nnm_status pub_grad_f32(int kind, size_t n, size_t k, const float *x, const float *t,
                               const nnm_loss_opts *o, float *d)
{
    return kind == FCEL ? nnm_grad_loss_ce_logits_f32(n, k, x, t, o, d)
                        : public_grad_f32(kind == FBCE ? BCE : CE, n, k, x, t, o, d);
}

/* |got - ref| in units of eps scale (plus k + 2 least subnormals: the absolute rounding of
 * subnormal terms); non-finite values bit for bit (0 or inf units) */
static double units(int dt, double got, double ref, double scale, size_t k)
{
    if (!isfinite(ref) || !isfinite(got)) return same_bits(got, ref) ? 0.0 : INFINITY;
    double eps = dt ? 0x1p-23 : 0x1p-52, tiny = dt ? 0x1p-149 : 0x1p-1074;
    return fabs(got - ref) / (eps * scale + ((double)k + 2) * tiny);
}

/* the ce_logits gradient of n rows against MPFR: the error of each entry in units of eps B_j
 * (exact_cel_row's scale, plus k + 2 least subnormals); rows whose max is not finite (policy rows,
 * scalar code in the kernel) bit for bit the reference. c_j = w_j t'_j as the reference forms it
 * (nnm__smoothed, nnm__dd_mul_d: the exact coefficient it differentiates). Returns the maximum. */
static double cel_exact_units(int dt, size_t n, size_t k, const double *a, const double *t,
                              const double *w, const nnm__smoothing *sm, double den,
                              const double *got, const double *ref)
{
    static double ch[1000], cl[1000], B[1000];
    static mpfr_t dex[1000];
    static int init = 0;
    if (!init) {
        for (size_t j = 0; j < 1000; ++j) mpfr_init2(dex[j], NNM_ORACLE_PREC);
        init = 1;
    }
    double worst = 0.0, eps = dt ? 0x1p-23 : 0x1p-52, tiny = dt ? 0x1p-149 : 0x1p-1074;
    mpfr_t d;
    mpfr_init2(d, NNM_ORACLE_PREC);
    for (size_t i = 0; i < n; ++i) {
        const double *ai = a + i * k;
        int special = 0;
        double m = -INFINITY;
        for (size_t j = 0; j < k; ++j) {
            special |= isnan(ai[j]) || (isinf(ai[j]) && ai[j] > 0);
            m = fmax(m, ai[j]);
        }
        if (special || isinf(m)) {
            for (size_t j = 0; j < k; ++j)
                if (!same_bits(got[i * k + j], ref[i * k + j])) worst = INFINITY;
            continue;
        }
        for (size_t j = 0; j < k; ++j) {
            nnm__dd c = {0.0, 0.0};
            double wj = w != NULL ? w[j] : 1.0;
            if (wj != 0.0) c = nnm__smoothed(sm, t[i * k + j]);
            if (wj != 0.0 && wj != 1.0) c = nnm__dd_mul_d(c, wj);
            ch[j] = c.hi, cl[j] = c.lo;
        }
        exact_cel_row(k, ai, ch, cl, den, dex, B);
        for (size_t j = 0; j < k; ++j) {
            mpfr_sub_d(d, dex[j], got[i * k + j], MPFR_RNDN);
            double e = fabs(mpfr_get_d(d, MPFR_RNDN)) / (eps * B[j] + ((double)k + 2) * tiny);
            double ex = mpfr_get_d(dex[j], MPFR_RNDN), g = got[i * k + j];
            if (dt && isinf(g) && fabs(ex) >= 0x1.ffffffp127 && (g > 0) == (ex > 0))
                e = 0.0; /* beyond FLT_MAX: the float overflow is the correctly rounded value */
            worst = fmax(worst, e);
        }
    }
    mpfr_clear(d);
    return worst;
}

static void options(nnm__isa isa)
{
    enum { M = 6000 };
    static double x[M], t[M], ref[M], got[M], inpl[M], w[1000];
    static double xw[M], tw[M], gw[M], rw[M]; /* the f32 data and results widened */
    static float xf[M], tf[M], reff[M], gotf[M], inplf[M];
    static const size_t ks[] = {1, 2, 3, 7, 8, 9, 17, 1000};
    static const double epss[] = {0.0, 0x1p-30, 0.1, 0.5, 1.0};
    uint64_t s = 101;
    int trial = 0;
    for (int kind = FBCE; kind <= FCEL; ++kind) {
        if (kind == FKL) continue;
        double wl = 0.0, wg = 0.0;
        size_t pts = 0, handed = 0, bad = 0;
        for (int ws = 0; ws < WS_COUNT; ++ws)
            for (size_t ie = 0; ie < 5; ++ie) {
                double eps = epss[ie];
                if ((kind == FBCE && eps != 0.0) || (ws == WS_NONE && eps == 0.0)) continue;
                for (size_t ik = 0; ik < 8; ++ik, ++trial) {
                    size_t k = ks[ik], n = k == 1000 ? 3 : 1 + (size_t)(nnm_rand_u64(&s) % 40);
                    size_t m = n * k;
                    make_weights(&s, ws, k, w);
                    const double *wp = ws == WS_NONE ? NULL : w;
                    fill_opts(&s, kind, trial, m, k, wp, x, t);
                    for (size_t i = 0; i < m; ++i) {
                        xf[i] = (float)x[i], tf[i] = (float)t[i];
                    }
                    nnm__smoothing sm = nnm__smoothing_make(eps, k);
                    const nnm__smoothing *smp = sm.active ? &sm : NULL;
                    double wsum = 0.0;
                    for (size_t j = 0; wp != NULL && j < k; ++j) wsum += wp[j];
                    for (int red = 0; red < 3; ++red) {
                        nnm_loss_opts o = opts_of(red);
                        o.class_weight = wp, o.label_smoothing = eps;
                        double den = red == 1 ? (double)n : 1.0;
                        size_t nout = red == 2 ? n : 1;
                        /* forward */
                        nnm__cpu_force_isa(NNM__ISA_SCALAR);
                        if (public_loss_f64(kind, n, k, x, t, &o, ref) != NNM_OK ||
                            public_loss_f32(kind, n, k, xf, tf, &o, reff) != NNM_OK)
                            fail("options: scalar reference status (loss)");
                        nnm__cpu_force_isa(start_isa);
                        int fin = kw_loss(isa, kind, red, n, k, x, t, xf, tf, wp, smp, got, gotf);
                        if (!fin) ++handed;
                        for (size_t i = 0; fin && i < nout; ++i) {
                            double e0 = units(0, got[i], ref[i], fabs(ref[i]), k);
                            double r1 = (double)reff[i];
                            double e1 = units(1, (double)gotf[i], r1, fabs(r1), k);
                            if (e0 > 4.0 || e1 > 4.0) {
                                if (bad++ < 5)
                                    printf("  %s loss [%s] ws=%d eps=%g k=%zu red=%d row %zu: "
                                           "got %a (f32 %a), want %a (f32 %a)\n", fname[kind],
                                           path_name(isa), ws, eps, k, red, i, got[i],
                                           (double)gotf[i], ref[i], r1);
                            }
                            track(&wl, fmax(e0, e1));
                            ++pts;
                        }
                        /* gradient */
                        nnm__cpu_force_isa(NNM__ISA_SCALAR);
                        if (pub_grad_f64(kind, n, k, x, t, &o, ref) != NNM_OK ||
                            pub_grad_f32(kind, n, k, xf, tf, &o, reff) != NNM_OK)
                            fail("options: scalar reference status (gradient)");
                        nnm__cpu_force_isa(start_isa);
                        if (kind == FCEL && !(wsum <= 0x1p1000)) {
                            ++handed; /* the reference's (public_opts) */
                            continue;
                        }
                        kw_grad(isa, kind, 0, n, k, x, t, wp, smp, den, got);
                        kw_grad(isa, kind, 1, n, k, xf, tf, wp, smp, den, gotf);
                        memcpy(inpl, x, m * sizeof *x), memcpy(inplf, xf, m * sizeof *xf);
                        kw_grad(isa, kind, 0, n, k, inpl, t, wp, smp, den, inpl);
                        kw_grad(isa, kind, 1, n, k, inplf, tf, wp, smp, den, inplf);
                        double ecel = 0.0;
                        if (kind == FCEL) {
                            for (size_t i = 0; i < m; ++i) {
                                xw[i] = (double)xf[i], tw[i] = (double)tf[i];
                                gw[i] = (double)gotf[i], rw[i] = (double)reff[i];
                            }
                            ecel = fmax(cel_exact_units(0, n, k, x, t, wp, &sm, den, got, ref),
                                        cel_exact_units(1, n, k, xw, tw, wp, &sm, den, gw, rw));
                            track(&wg, ecel);
                            if (ecel > 4.0 && bad++ < 5)
                                printf("  ce_logits grad [%s] ws=%d eps=%g k=%zu n=%zu red=%d: "
                                       "%.3f eps\n", path_name(isa), ws, eps, k, n, red, ecel);
                        }
                        for (size_t i = 0; i < m; ++i) {
                            double e = 0.0;
                            double gf = (double)gotf[i];
                            if (!same_bits(inpl[i], got[i]) || !same_bits((double)inplf[i], gf))
                                e = INFINITY;
                            if (kind != FCEL &&
                                (!same_bits(got[i], ref[i]) || !same_bits(gf, (double)reff[i])))
                                e = INFINITY;
                            if (e > 0.0) {
                                if (bad++ < 5)
                                    printf("  %s grad [%s] ws=%d eps=%g k=%zu red=%d entry %zu: "
                                           "x=%a t=%a got %a / %a (f32 %a), want %a (f32 %a)\n",
                                           fname[kind],
                                           path_name(isa), ws, eps, k, red, i, x[i], t[i], got[i],
                                           inpl[i], (double)gotf[i], ref[i], (double)reff[i]);
                            }
                            track(&wg, e);
                            ++pts;
                        }
                    }
                }
            }
        char name[64];
        snprintf(name, sizeof name, "%s options [%s]", fname[kind], path_name(isa));
        printf("%-28s %zu values: max loss %.3f eps |l|, gradient %s %.3f, %zu handed to the "
               "reference, %zu over the bound\n", name, pts, wl,
               kind == FCEL ? "eps (C p + c)" : "(bit for bit)", wg, handed, bad);
        if (bad) fail(name);
    }
}

/* the public calls with options reach the option kernels (bit for bit their results on the ISA
 * the library picked), and where the entries hand over (a total beyond DBL_MAX, ce_logits weights
 * adding up to more than 2^1000) the public results are the scalar reference's */
static void public_opts(void)
{
    enum { N = 13, K = 6 };
    double x[N * K], t[N * K], d[N * K], want[N * K], w[K];
    float xf[N * K], tf[N * K], df[N * K], wantf[N * K];
    uint64_t s = 211;
    nnm__isa isa = nnm__cpu_isa();
    if (K_(pr_bcew_grad_f64, isa) == NULL) {
        printf("public calls with options: scalar path [%s]\n", path_name(isa));
        return;
    }
    for (int ws = WS_RANDOM; ws <= WS_HUGE; ++ws)
        for (int kind = FBCE; kind <= FCEL; ++kind) {
            if (kind == FKL) continue;
            make_weights(&s, ws, K, w);
            fill_opts(&s, kind, 1, N * K, K, w, x, t);
            for (size_t i = 0; i < N * K; ++i) xf[i] = (float)x[i], tf[i] = (float)t[i];
            double eps = kind == FBCE ? 0.0 : 0.25, wsum = 0.0;
            for (size_t j = 0; j < K; ++j) wsum += w[j];
            nnm__smoothing sm = nnm__smoothing_make(eps, K);
            const nnm__smoothing *smp = sm.active ? &sm : NULL;
            for (int red = 0; red < 3; ++red) {
                nnm_loss_opts o = opts_of(red);
                o.class_weight = w, o.label_smoothing = eps;
                double den = red == 1 ? (double)N : 1.0;
                size_t nout = red == 2 ? N : 1;
                /* loss: the kernel's value, or the reference's when the total is not finite */
                int fin = kw_loss(isa, kind, red, N, K, x, t, xf, tf, w, smp, want, wantf);
                if (!fin) {
                    nnm__cpu_force_isa(NNM__ISA_SCALAR);
                    (void)public_loss_f64(kind, N, K, x, t, &o, want);
                    (void)public_loss_f32(kind, N, K, xf, tf, &o, wantf);
                    nnm__cpu_force_isa(start_isa);
                }
                if (public_loss_f64(kind, N, K, x, t, &o, d) != NNM_OK ||
                    memcmp(d, want, nout * sizeof *d))
                    fail("public f64 loss with options does not reach the kernel");
                if (public_loss_f32(kind, N, K, xf, tf, &o, df) != NNM_OK ||
                    memcmp(df, wantf, nout * sizeof *df))
                    fail("public f32 loss with options does not reach the kernel");
                /* gradient */
                if (kind == FCEL && !(wsum <= 0x1p1000)) {
                    nnm__cpu_force_isa(NNM__ISA_SCALAR);
                    (void)pub_grad_f64(kind, N, K, x, t, &o, want);
                    (void)pub_grad_f32(kind, N, K, xf, tf, &o, wantf);
                    nnm__cpu_force_isa(start_isa);
                } else {
                    kw_grad(isa, kind, 0, N, K, x, t, w, smp, den, want);
                    kw_grad(isa, kind, 1, N, K, xf, tf, w, smp, den, wantf);
                }
                if (pub_grad_f64(kind, N, K, x, t, &o, d) != NNM_OK || memcmp(d, want, sizeof d))
                    fail("public f64 gradient with options does not reach the kernel");
                if (pub_grad_f32(kind, N, K, xf, tf, &o, df) != NNM_OK ||
                    memcmp(df, wantf, sizeof df))
                    fail("public f32 gradient with options does not reach the kernel");
            }
        }
    printf("public bce / ce / ce_logits with options reach the kernels [%s]\n", path_name(isa));
}

int main(void)
{
    int ran = 0;
    start_isa = nnm__cpu_isa();
    for (int i = 1; i <= PATH_EMU8; ++i) {
        nnm__isa isa = (nnm__isa)i;
        if (i != PATH_EMU8 && (!nnm__cpu_isa_available(isa) || K_(pr_bce_grad_f64, isa) == NULL)) {
            printf("[%s] not available on this machine or not compiled: skipped\n", path_name(isa));
            continue;
        }
        elem_grads(isa);
        cel_grad(isa);
        logs(isa);
        forward(isa);
        specials(isa);
        options(isa);
        ++ran;
    }
    public_grads();
    public_none();
    public_opts();
    printf("%d ISA path(s) checked, %d failure(s)\n", ran, failures);
    return failures ? 1 : 0;
}
