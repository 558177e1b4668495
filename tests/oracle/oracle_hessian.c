/*
 * MPFR oracle of the hessian module's closed forms (the activation f'' are in
 * oracle_derivatives.c, the eigen-solver is compared with LAPACK in tests/unit/test_eigen.c):
 *
 *   sigma'(a)            nnm_hess_loss_bce_logits_*         ULP, bound 1 (f64 and f32)
 *   CE-from-logits H     nnm_hess_loss_ce_logits_*          relative error per entry, bound 16 eps
 *                                                           (f64), 1 ULP (f32)
 *   CE HVP               nnm_hess_loss_ce_logits_hvp_f64    error in units of
 *                                                           eps beta^2 p_j sum p_i |v_j - v_i|,
 *                                                           bound 24 k
 *   BCE / CE (probs), BCE-logits with pos/class weights     relative error, bounds 6 / 4 / 4 eps
 *                                                           (f32 BCE: 1 ULP where the result is a
 *                                                           normal float)
 *   x^T H x              nnm_hess_quadform_f64              error in units of
 *                                                           eps |exact| + (2d^2 eps)^2 sum|.|,
 *                                                           bound 1
 *
 * The references are independent formulas evaluated in 300-bit MPFR: softmax as e^(beta(a_j - max))
 * over their sum with 1 - p_j formed at 300 bits, (Hv)_j as beta^2 p_j sum_i p_i (v_j - v_i),
 * sigma' as e^x / (1 + e^x)^2.
 *
 * Run time: the sigma' sweep has ~60k points per dtype; the matrix cases ROWS = 2000 rows each
 * (k <= 10, ~10 cases), a few hundred MPFR operations per row: ~5 s in a Release build.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mpfr.h>
#include <nnmath/nnmath.h>

#include "nnm_test.h"
#include "oracle.h"

enum { ROWS = 2000, KMAX = 10 };

/* ---- sigma'(a) through the unweighted BCE-from-logits Hessian ------------------------------- */

static int ref_dsigmoid(mpfr_t y, const mpfr_t x, void *ctx)
{
    (void)ctx;
    /* e^-|x| / (1 + e^-|x|)^2 (even in x; -|x| keeps e^. inside MPFR's range) */
    mpfr_t e, d;
    mpfr_inits2(NNM_ORACLE_PREC + 64, e, d, (mpfr_ptr)0);
    mpfr_abs(e, x, MPFR_RNDN);
    mpfr_neg(e, e, MPFR_RNDN);
    mpfr_exp(e, e, MPFR_RNDN);
    mpfr_add_ui(d, e, 1, MPFR_RNDN);
    mpfr_sqr(d, d, MPFR_RNDN);
    int r = mpfr_div(y, e, d, MPFR_RNDN);
    mpfr_clears(e, d, (mpfr_ptr)0);
    return r;
}

static double zeros_d[4096];
static float zeros_f[4096];

static int apply_bce_f64(size_t n, const double *x, double *y, void *ctx)
{
    (void)ctx;
    return nnm_hess_loss_bce_logits_f64(1, n, x, zeros_d, y) != NNM_OK;
}
static int apply_bce_f32(size_t n, const float *x, float *y, void *ctx)
{
    (void)ctx;
    return nnm_hess_loss_bce_logits_f32(1, n, x, zeros_f, y) != NNM_OK;
}

static int sweep_dsigmoid(void)
{
    nnm_points p = {0}, pf = {0};
    nnm_points_add_binades(&p, -1074, 9, 24, 0x5161u); /* |a| up to 1024: sigma' down to e^-1024 */
    nnm_points_add_uniform(&p, -40.0, 40.0, 20000, 0x5162u);
    nnm_points_add_uniform(&p, -745.0, 745.0, 20000, 0x5163u);
    nnm_points_add(&p, 0.0);
    nnm_points_to_f32(&p, &pf);
    nnm_oracle_report r64 = nnm_oracle_sweep_f64("hess_loss_bce_logits_f64 (sigma')", ref_dsigmoid,
                                                 apply_bce_f64, NULL, &p);
    nnm_oracle_report r32 = nnm_oracle_sweep_f32("hess_loss_bce_logits_f32 (sigma')", ref_dsigmoid,
                                                 apply_bce_f32, NULL, &pf);
    int ok = nnm_oracle_print(&r64, 1.0);
    ok &= nnm_oracle_print(&r32, 1.0);
    nnm_points_free(&p);
    nnm_points_free(&pf);
    return ok;
}

/* ---- cross-entropy from logits: the full Hessian and the HVP ------------------------------- */

typedef struct softmax_mp {
    size_t k;
    mpfr_t e[KMAX], sum;
} softmax_mp;

static void softmax_mp_init(softmax_mp *s, size_t k, double beta, const double *a)
{
    s->k = k;
    for (size_t j = 0; j < k; ++j) mpfr_init2(s->e[j], 300);
    mpfr_init2(s->sum, 300);
    double mx = a[0];
    for (size_t j = 1; j < k; ++j) mx = fmax(mx, a[j]);
    mpfr_set_zero(s->sum, 1);
    for (size_t j = 0; j < k; ++j) {
        mpfr_set_d(s->e[j], a[j], MPFR_RNDN);
        mpfr_sub_d(s->e[j], s->e[j], mx, MPFR_RNDN);
        mpfr_mul_d(s->e[j], s->e[j], beta, MPFR_RNDN);
        mpfr_exp(s->e[j], s->e[j], MPFR_RNDN);
        mpfr_add(s->sum, s->sum, s->e[j], MPFR_RNDN);
    }
}

static void softmax_mp_clear(softmax_mp *s)
{
    for (size_t j = 0; j < s->k; ++j) mpfr_clear(s->e[j]);
    mpfr_clear(s->sum);
}

/* exact H_ij = beta^2 S (delta_ij p_i - p_i p_j) into h (300 bits) */
static void ce_entry(mpfr_t h, const softmax_mp *s, size_t i, size_t j, double beta,
                     const mpfr_t S)
{
    mpfr_t pi, pj;
    mpfr_inits2(300, pi, pj, (mpfr_ptr)0);
    mpfr_div(pi, s->e[i], s->sum, MPFR_RNDN);
    mpfr_div(pj, s->e[j], s->sum, MPFR_RNDN);
    if (i == j) {
        mpfr_ui_sub(h, 1, pj, MPFR_RNDN);
        mpfr_mul(h, h, pi, MPFR_RNDN);
    } else {
        mpfr_mul(h, pi, pj, MPFR_RNDN);
        mpfr_neg(h, h, MPFR_RNDN);
    }
    mpfr_mul(h, h, S, MPFR_RNDN);
    mpfr_mul_d(h, h, beta, MPFR_RNDN);
    mpfr_mul_d(h, h, beta, MPFR_RNDN);
    mpfr_clears(pi, pj, (mpfr_ptr)0);
}

static int check_ce(void)
{
    static const size_t ks[] = {2, 3, 5, 10};
    static const double betas[] = {0.5, 1.0, 3.0};
    static const double spreads[] = {3.0, 30.0};
    uint64_t rng = 0xce11u;
    double worst64 = 0.0, worst32 = 0.0, worst_hvp = 0.0;
    size_t entries = 0;
    mpfr_t h, S, acc, mag, tmp;
    mpfr_inits2(300, h, S, acc, mag, tmp, (mpfr_ptr)0);
    for (size_t ki = 0; ki < 4; ++ki)
        for (size_t bi = 0; bi < 3; ++bi)
            for (size_t si = 0; si < 2; ++si)
                for (size_t row = 0; row < ROWS / 12; ++row) {
                    size_t k = ks[ki];
                    double beta = betas[bi], a[KMAX], t[KMAX], v[KMAX], H[KMAX * KMAX],
                           Hv[KMAX];
                    float af[KMAX], tf[KMAX], Hf[KMAX * KMAX];
                    for (size_t j = 0; j < k; ++j) {
                        af[j] = (float)nnm_rand_uniform(&rng, -spreads[si], spreads[si]);
                        tf[j] = (float)nnm_rand_uniform(&rng, 0.0, 1.0);
                        a[j] = (double)af[j]; /* the same data for both dtypes */
                        t[j] = (double)tf[j];
                        v[j] = nnm_rand_uniform(&rng, -1.0, 1.0);
                    }
                    if (nnm_hess_loss_ce_logits_f64(k, beta, a, t, H) != NNM_OK ||
                        nnm_hess_loss_ce_logits_f32(k, beta, af, tf, Hf) != NNM_OK ||
                        nnm_hess_loss_ce_logits_hvp_f64(1, k, beta, a, v, Hv) != NNM_OK) {
                        printf("ce_logits: call failed\n");
                        return 0;
                    }
                    softmax_mp s;
                    softmax_mp_init(&s, k, beta, a);
                    mpfr_set_zero(S, 1);
                    for (size_t j = 0; j < k; ++j) mpfr_add_d(S, S, t[j], MPFR_RNDN);
                    for (size_t i = 0; i < k; ++i)
                        for (size_t j = 0; j < k; ++j) {
                            ce_entry(h, &s, i, j, beta, S);
                            worst64 = fmax(worst64, nnm_oracle_rel_err_f64(H[i * k + j], h));
                            worst32 = fmax(worst32, nnm_oracle_ulp_err_f32(Hf[i * k + j], h));
                            ++entries;
                        }
                    /* (Hv)_j = beta^2 p_j sum_i p_i (v_j - v_i), scale with |.| inside */
                    for (size_t j = 0; j < k; ++j) {
                        mpfr_set_zero(acc, 1);
                        mpfr_set_zero(mag, 1);
                        for (size_t i = 0; i < k; ++i) {
                            mpfr_set_d(tmp, v[j], MPFR_RNDN);
                            mpfr_sub_d(tmp, tmp, v[i], MPFR_RNDN);
                            mpfr_mul(tmp, tmp, s.e[i], MPFR_RNDN);
                            mpfr_add(acc, acc, tmp, MPFR_RNDN);
                            mpfr_abs(tmp, tmp, MPFR_RNDN);
                            mpfr_add(mag, mag, tmp, MPFR_RNDN);
                        }
                        mpfr_mul(acc, acc, s.e[j], MPFR_RNDN);
                        mpfr_mul(mag, mag, s.e[j], MPFR_RNDN);
                        mpfr_div(acc, acc, s.sum, MPFR_RNDN);
                        mpfr_div(acc, acc, s.sum, MPFR_RNDN);
                        mpfr_div(mag, mag, s.sum, MPFR_RNDN);
                        mpfr_div(mag, mag, s.sum, MPFR_RNDN);
                        mpfr_mul_d(acc, acc, beta * beta, MPFR_RNDN);
                        mpfr_mul_d(mag, mag, beta * beta, MPFR_RNDN);
                        double scale = mpfr_get_d(mag, MPFR_RNDN);
                        double err = fabs(Hv[j] - mpfr_get_d(acc, MPFR_RNDN));
                        if (scale > 0)
                            worst_hvp = fmax(worst_hvp, err / (DBL_EPSILON * scale * (double)k));
                        else if (err > 0)
                            worst_hvp = INFINITY;
                    }
                    softmax_mp_clear(&s);
                }
    mpfr_clears(h, S, acc, mag, tmp, (mpfr_ptr)0);
    printf("hess_loss_ce_logits_f64: max %.3g eps relative (%zu entries), bound 16\n", worst64,
           entries);
    printf("hess_loss_ce_logits_f32: max %.3g ulp (%zu entries), bound 1\n", worst32, entries);
    printf("hess_loss_ce_logits_hvp_f64: max %.3g k eps of beta^2 p_j sum p_i|v_j - v_i|, "
           "bound 24\n",
           worst_hvp);
    return worst64 <= 16.0 && worst32 <= 1.0 && worst_hvp <= 24.0;
}

/* ---- diagonal Hessians with weights ----------------------------------------------------- */

static int check_diagonal(void)
{
    uint64_t rng = 0xd1a9u;
    double w_bce = 0.0, w_ce = 0.0, w_bl = 0.0, w_bce32 = 0.0;
    mpfr_t r, u, tmp;
    mpfr_inits2(300, r, u, tmp, (mpfr_ptr)0);
    for (size_t row = 0; row < 20 * ROWS; ++row) {
        double y = nnm_rand_uniform(&rng, 0.0, 1.0), t = nnm_rand_uniform(&rng, 0.0, 1.0);
        double a = nnm_rand_uniform(&rng, -30.0, 30.0), w = nnm_rand_uniform(&rng, 0.1, 4.0);
        double q = nnm_rand_uniform(&rng, 0.1, 4.0), smooth = nnm_rand_uniform(&rng, 0.0, 1.0);
        if (row % 4 == 0) y = ldexp(y, -(int)(row % 200)); /* probabilities down to 1e-60 */
        if (row % 4 == 1) y = 1.0 - ldexp(y, -(int)(row % 50)); /* and close to 1 */
        if (y <= 0.0 || y >= 1.0) continue;
        nnm_loss_opts o = NNM_LOSS_OPTS_INIT;
        o.class_weight = &w;
        double h;
        float hf, yf = (float)y, tf = (float)t;
        /* bce: w (t / y^2 + (1 - t) / (1 - y)^2) */
        if (nnm_hess_loss_bce_f64(1, 1, &y, &t, &o, &h) != NNM_OK ||
            nnm_hess_loss_bce_f32(1, 1, &yf, &tf, &o, &hf) != NNM_OK)
            return 0;
        for (int pass = 0; pass < 2; ++pass) {
            double yy = pass ? (double)yf : y, tt = pass ? (double)tf : t;
            mpfr_set_d(r, tt, MPFR_RNDN);
            mpfr_div_d(r, r, yy, MPFR_RNDN);
            mpfr_div_d(r, r, yy, MPFR_RNDN);
            mpfr_set_ui(u, 1, MPFR_RNDN);
            mpfr_sub_d(u, u, yy, MPFR_RNDN);
            mpfr_sqr(u, u, MPFR_RNDN);
            mpfr_set_ui(tmp, 1, MPFR_RNDN);
            mpfr_sub_d(tmp, tmp, tt, MPFR_RNDN);
            mpfr_div(tmp, tmp, u, MPFR_RNDN);
            mpfr_add(r, r, tmp, MPFR_RNDN);
            mpfr_mul_d(r, r, w, MPFR_RNDN);
            if (pass) {
                /* float results are promised where the exact value is a normal float (1/y^2
                 * beyond FLT_MAX overflows to +inf honestly) */
                if (nnm_oracle_is_normal_f32(r))
                    w_bce32 = fmax(w_bce32, nnm_oracle_ulp_err_f32(hf, r));
            }
            else
                w_bce = fmax(w_bce, nnm_oracle_rel_err_f64(h, r));
        }
        /* ce with label smoothing: w t' / y^2, t' = (1 - e) t + e / k with k = 1 */
        o.label_smoothing = smooth;
        if (nnm_hess_loss_ce_f64(1, 1, &y, &t, &o, &h) != NNM_OK) return 0;
        mpfr_set_ui(r, 1, MPFR_RNDN);
        mpfr_sub_d(r, r, smooth, MPFR_RNDN);
        mpfr_mul_d(r, r, t, MPFR_RNDN);
        mpfr_add_d(r, r, smooth, MPFR_RNDN);
        mpfr_div_d(r, r, y, MPFR_RNDN);
        mpfr_div_d(r, r, y, MPFR_RNDN);
        mpfr_mul_d(r, r, w, MPFR_RNDN);
        w_ce = fmax(w_ce, nnm_oracle_rel_err_f64(h, r));
        /* bce_logits with pos_weight q: w (q t + 1 - t) sigma'(a) */
        o.label_smoothing = 0.0;
        o.pos_weight = &q;
        if (nnm_hess_loss_bce_logits_opts_f64(1, 1, &a, &t, &o, &h) != NNM_OK) return 0;
        mpfr_set_d(u, a, MPFR_RNDN);
        ref_dsigmoid(u, u, NULL);
        mpfr_set_d(r, q, MPFR_RNDN);
        mpfr_mul_d(r, r, t, MPFR_RNDN);
        mpfr_add_ui(r, r, 1, MPFR_RNDN);
        mpfr_sub_d(r, r, t, MPFR_RNDN);
        mpfr_mul(r, r, u, MPFR_RNDN);
        mpfr_mul_d(r, r, w, MPFR_RNDN);
        w_bl = fmax(w_bl, nnm_oracle_rel_err_f64(h, r));
    }
    mpfr_clears(r, u, tmp, (mpfr_ptr)0);
    printf("hess_loss_bce_f64: max %.3g eps relative, bound 6\n", w_bce);
    printf("hess_loss_bce_f32: max %.3g ulp, bound 1\n", w_bce32);
    printf("hess_loss_ce_f64 (smoothing, weights): max %.3g eps relative, bound 4\n", w_ce);
    printf("hess_loss_bce_logits_opts_f64 (pos/class weights): max %.3g eps relative, bound 4\n",
           w_bl);
    return w_bce <= 6.0 && w_bce32 <= 1.0 && w_ce <= 4.0 && w_bl <= 4.0;
}

/* ---- x^T H x ---------------------------------------------------------------------------- */

static int check_quadform(void)
{
    uint64_t rng = 0x9f01u;
    double worst = 0.0;
    mpfr_t acc, mag, term;
    mpfr_inits2(4096, acc, mag, term, (mpfr_ptr)0);
    for (size_t trial = 0; trial < ROWS; ++trial) {
        size_t d = 1 + trial % 16;
        double H[256], x[16], v[16], got;
        for (size_t i = 0; i < d; ++i) v[i] = nnm_rand_uniform(&rng, -1, 1);
        for (size_t i = 0; i < d; ++i) x[i] = nnm_rand_uniform(&rng, -1, 1);
        double big = ldexp(1.0, (int)(trial % 60));
        for (size_t i = 0; i < d; ++i)
            for (size_t j = 0; j < d; ++j)
                H[i * d + j] = big * v[i] * v[j] + nnm_rand_uniform(&rng, -1, 1) / big;
        if (d >= 2) { /* x nearly orthogonal to v: the form cancels by ~big^2 */
            double s = 0.0;
            for (size_t i = 0; i + 1 < d; ++i) s += v[i] * x[i];
            x[d - 1] = -s / v[d - 1];
        }
        if (nnm_hess_quadform_f64(d, H, x, &got) != NNM_OK) return 0;
        mpfr_set_zero(acc, 1);
        mpfr_set_zero(mag, 1);
        for (size_t i = 0; i < d; ++i)
            for (size_t j = 0; j < d; ++j) {
                mpfr_set_d(term, x[i], MPFR_RNDN);
                mpfr_mul_d(term, term, H[i * d + j], MPFR_RNDN);
                mpfr_mul_d(term, term, x[j], MPFR_RNDN);
                mpfr_add(acc, acc, term, MPFR_RNDN);
                mpfr_abs(term, term, MPFR_RNDN);
                mpfr_add(mag, mag, term, MPFR_RNDN);
            }
        double exact = mpfr_get_d(acc, MPFR_RNDN), sum_abs = mpfr_get_d(mag, MPFR_RNDN);
        double gam = 2.0 * (double)(d * d) * DBL_EPSILON;
        double bound = DBL_EPSILON * fabs(exact) + gam * gam * sum_abs;
        mpfr_sub_d(acc, acc, got, MPFR_RNDN);
        double err = fabs(mpfr_get_d(acc, MPFR_RNDN));
        if (bound > 0) worst = fmax(worst, err / bound);
    }
    mpfr_clears(acc, mag, term, (mpfr_ptr)0);
    printf("hess_quadform_f64: max error %.3g of the Dot2 bound eps|q| + (2 d^2 eps)^2 sum|.|, "
           "bound 1\n",
           worst);
    return worst <= 1.0;
}

int main(void)
{
    int ok = sweep_dsigmoid();
    ok &= check_ce();
    ok &= check_diagonal();
    ok &= check_quadform();
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
