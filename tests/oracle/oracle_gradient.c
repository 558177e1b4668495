/*
 * MPFR oracle of the gradient module's closed forms (the activation derivatives are in
 * oracle_derivatives.c):
 *
 *   softmax Jacobian   nnm_grad_softmax_jacobian_*      relative error per entry: 2 eps (f64),
 *                                                       1 ULP (f32, normal results)
 *   softmax VJP        nnm_grad_softmax_vjp_*           error in eps of the componentwise scale
 *   log-softmax VJP    nnm_grad_log_softmax_vjp_*       of the header: 3 / 4 (f64), 1 f32-eps (f32)
 *   affine backward    nnm_grad_affine_*                error beyond the (2m+1) eps^2 sum|terms|
 *                                                       term, in eps |r|: 1 (f64); 1 ULP (f32)
 *   loss gradients     nnm_grad_loss_*                  1 ULP (l2, l1, huber, bce, ce, kl; nll:
 *                                                       2 for f64, its MEAN divides by a rounded
 *                                                       sum of weights);
 *                                                       eps of the componentwise scale: 2
 *                                                       (bce_logits), 4 (ce_logits, labels) for
 *                                                       f64, 1 f32-eps for f32
 *
 * The references evaluate the documented formulas on the given (rounded) inputs in MPFR: 256
 * bits for the softmax rows (every quantity is a product or a sum of products of the inputs),
 * 4096 bits for the affine dot products (exact), 1200 bits for the losses (p = 1 - 1e-320 must be
 * resolved). Inputs: random rows whose spread is 1, 10, 60 or 800 (flat to fully saturated
 * softmax rows), random loss problems with every option and reduction, half of them at the
 * extremes (logits up to 745 and 1e8, probabilities within 1e-15 of 0 and 1, log-probabilities
 * down to -745). The main() prints one line per function and returns 1 if any bound fails.
 *
 * Run time: ROWS = 3000 softmax rows per function (k <= 12; a quarter of the VJP rows, called in
 * batches of 30, k <= 40), 300 affine problems (up to 40 x 40 x 8), LOSS_PROBLEMS = 1500 per loss
 * (up to 4 x 5 elements) for each dtype: about 10 s of CPU in a Release build (each count bounds
 * its part linearly).
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

enum { ROWS = 3000, KMAX = 12, KBIG = 40, AFFINE = 300, LOSS_PROBLEMS = 1500 };
#define EPS64 DBL_EPSILON
#define EPS32 ((double)FLT_EPSILON)

static int failed;

static void report(const char *name, double worst, const char *what, double bound, size_t points)
{
    printf("%-36s max %.3g %s (bound %g) over %zu points\n", name, worst, what, bound, points);
    if (!(worst <= bound)) {
        printf("  FAILED: %s exceeds its bound\n", name);
        failed = 1;
    }
}

/* a softmax row of spread 1, 10, 60 or 800 (flat to saturated), as exact MPFR softmax rounded
 * to double: data such as nnm_act_softmax produces */
static void random_softmax_row(uint64_t *s, size_t k, double beta, double *y, double *lp)
{
    double spread = (double[]){1.0, 10.0, 60.0, 800.0}[nnm_rand_u64(s) % 4];
    double a[KBIG], m = -INFINITY;
    for (size_t j = 0; j < k; ++j) m = fmax(m, a[j] = nnm_rand_uniform(s, -spread, spread));
    mpfr_t S, e[KBIG];
    mpfr_init2(S, 256);
    mpfr_set_zero(S, 1);
    for (size_t j = 0; j < k; ++j) {
        mpfr_init2(e[j], 256);
        mpfr_set_d(e[j], a[j], MPFR_RNDN);
        mpfr_sub_d(e[j], e[j], m, MPFR_RNDN);
        mpfr_mul_d(e[j], e[j], beta, MPFR_RNDN);
        mpfr_exp(e[j], e[j], MPFR_RNDN);
        mpfr_add(S, S, e[j], MPFR_RNDN);
    }
    for (size_t j = 0; j < k; ++j) {
        mpfr_div(e[j], e[j], S, MPFR_RNDN);
        y[j] = mpfr_get_d(e[j], MPFR_RNDN);
        mpfr_log(e[j], e[j], MPFR_RNDN);
        lp[j] = mpfr_get_d(e[j], MPFR_RNDN);
        mpfr_clear(e[j]);
    }
    mpfr_clear(S);
}

static size_t argmax(size_t k, const double *v)
{
    size_t b = 0;
    for (size_t j = 1; j < k; ++j)
        if (v[j] > v[b]) b = j;
    return b;
}

/* ---- softmax Jacobian ------------------------------------------------------------------------ */

/* J[r][c] = beta y_r (delta - y_c), with 1 - y_top = sum of the others for y_top > 1/2 */
static void mp_jacobian_entry(mpfr_t J, size_t k, double beta, const double *y, size_t r, size_t c)
{
    mpfr_t q;
    mpfr_init2(q, 256);
    size_t top = argmax(k, y);
    if (r != c) {
        mpfr_set_d(J, y[r], MPFR_RNDN);
        mpfr_mul_d(J, J, -y[c], MPFR_RNDN);
    } else {
        mpfr_set_ui(q, 1, MPFR_RNDN);
        mpfr_sub_d(q, q, y[r], MPFR_RNDN);
        if (r == top && y[r] > 0.5) {
            mpfr_set_zero(q, 1);
            for (size_t j = 0; j < k; ++j)
                if (j != r) mpfr_add_d(q, q, y[j], MPFR_RNDN);
        }
        mpfr_mul_d(J, q, y[r], MPFR_RNDN);
    }
    mpfr_mul_d(J, J, beta, MPFR_RNDN);
    mpfr_clear(q);
}

static void oracle_jacobian(void)
{
    uint64_t s = 1;
    double w64 = 0, w32 = 0;
    size_t n64 = 0, n32 = 0;
    mpfr_t J;
    mpfr_init2(J, 256);
    for (int row = 0; row < ROWS; ++row) {
        size_t k = 1 + (size_t)(nnm_rand_u64(&s) % KMAX);
        double beta = row % 10 == 0 ? 100.0 : nnm_rand_uniform(&s, 0.3, 3.0);
        double y[KMAX], lp[KMAX], Jd[KMAX * KMAX], yd32[KMAX];
        float yf[KMAX], Jf[KMAX * KMAX];
        random_softmax_row(&s, k, beta, y, lp);
        for (size_t j = 0; j < k; ++j) yd32[j] = yf[j] = (float)y[j];
        if (nnm_grad_softmax_jacobian_f64(k, beta, y, Jd) != NNM_OK ||
            nnm_grad_softmax_jacobian_f32(k, beta, yf, Jf) != NNM_OK) {
            printf("jacobian: call failed\n");
            failed = 1;
            return;
        }
        for (size_t r = 0; r < k; ++r)
            for (size_t c = 0; c < k; ++c) {
                mp_jacobian_entry(J, k, beta, y, r, c);
                if (nnm_oracle_is_normal_f64(J)) {
                    w64 = fmax(w64, nnm_oracle_rel_err_f64(Jd[r * k + c], J));
                    ++n64;
                }
                mp_jacobian_entry(J, k, beta, yd32, r, c);
                if (nnm_oracle_is_normal_f32(J)) {
                    w32 = fmax(w32, nnm_oracle_ulp_err_f32(Jf[r * k + c], J));
                    ++n32;
                }
            }
    }
    mpfr_clear(J);
    report("nnm_grad_softmax_jacobian_f64", w64, "eps relative", 2, n64);
    report("nnm_grad_softmax_jacobian_f32", w32, "ulp", 1, n32);
}

/* ---- softmax and log-softmax VJPs ------------------------------------------------------------ */

/* the documented softmax VJP and the scale of its bound */
static double mp_softmax_vjp(size_t k, double beta, const double *y, const double *dy, size_t j,
                             double *scale)
{
    mpfr_t acc, p;
    mpfr_inits2(256, acc, p, (mpfr_ptr)0);
    size_t t = argmax(k, y);
    double sc = 0;
    mpfr_set_zero(acc, 1);
    if (j == t && y[t] > 0.5) {
        for (size_t i = 0; i < k; ++i) {
            if (i == t) continue;
            mpfr_set_d(p, dy[t], MPFR_RNDN);
            mpfr_sub_d(p, p, dy[i], MPFR_RNDN);
            mpfr_mul_d(p, p, y[i], MPFR_RNDN);
            mpfr_add(acc, acc, p, MPFR_RNDN);
            sc += y[i] * (fabs(dy[t]) + fabs(dy[i]));
        }
    } else {
        for (size_t i = 0; i < k; ++i) {
            mpfr_set_d(p, y[i], MPFR_RNDN);
            mpfr_mul_d(p, p, dy[i], MPFR_RNDN);
            mpfr_add(acc, acc, p, MPFR_RNDN);
            sc += y[i] * fabs(dy[i]);
        }
        mpfr_d_sub(acc, dy[j], acc, MPFR_RNDN);
        sc += fabs(dy[j]);
    }
    mpfr_mul_d(acc, acc, y[j], MPFR_RNDN);
    mpfr_mul_d(acc, acc, beta, MPFR_RNDN);
    double r = mpfr_get_d(acc, MPFR_RNDN);
    mpfr_clears(acc, p, (mpfr_ptr)0);
    *scale = beta * y[j] * sc;
    return r;
}

/* the documented log-softmax VJP (p = e^logp at 2400 bits: p can be 1 - 1e-320) and its scale */
static double mp_log_softmax_vjp(size_t k, double beta, const double *lp, const double *g,
                                 size_t j, double *scale)
{
    mpfr_t S, p;
    mpfr_inits2(2400, S, p, (mpfr_ptr)0);
    size_t t = argmax(k, lp);
    double sa = 0, sr = 0;
    mpfr_set_zero(S, 1);
    for (size_t i = 0; i < k; ++i) {
        mpfr_add_d(S, S, g[i], MPFR_RNDN);
        sa += fabs(g[i]);
        if (i != t) sr += fabs(g[i]);
    }
    mpfr_set_d(p, lp[j], MPFR_RNDN);
    mpfr_exp(p, p, MPFR_RNDN);
    mpfr_mul(S, S, p, MPFR_RNDN);
    mpfr_d_sub(S, g[j], S, MPFR_RNDN);
    mpfr_mul_d(S, S, beta, MPFR_RNDN);
    double r = mpfr_get_d(S, MPFR_RNDN);
    mpfr_clears(S, p, (mpfr_ptr)0);
    *scale = j == t ? beta * (-expm1(lp[t]) * fabs(g[t]) + exp(lp[t]) * sr)
                    : beta * (fabs(g[j]) + exp(lp[j]) * sa);
    return r;
}

/* |got - want| in units of eps * scale; results below the normal range are allowed 16 units of
 * 2^-1074 (the bound is relative, which underflow cannot keep) and are not measured */
static double scaled_err(double got, double want, double scale, double eps, double tiny)
{
    double err = fabs(got - want);
    if (err <= 16 * tiny) return 0.0;
    return scale > 0 ? err / (eps * scale) : INFINITY;
}

/* Batches of BATCH rows in one call (so that a dispatched vector path is measured too), with k up
 * to KBIG in every fourth batch. */
static void oracle_vjps(void)
{
    enum { BATCH = 30 };
    uint64_t s = 2;
    double ws64 = 0, ws32 = 0, wl64 = 0, wl32 = 0;
    size_t pts = 0;
    static double y[BATCH * KBIG], lp[BATCH * KBIG], dy[BATCH * KBIG], da[BATCH * KBIG],
        yd[BATCH * KBIG], lpd[BATCH * KBIG], dyd[BATCH * KBIG];
    static float yf[BATCH * KBIG], lpf[BATCH * KBIG], dyf[BATCH * KBIG], daf[BATCH * KBIG];
    for (int batch = 0; batch < ROWS / BATCH; ++batch) {
        size_t kmax = batch % 4 == 3 ? KBIG : KMAX;
        size_t k = 1 + (size_t)(nnm_rand_u64(&s) % kmax), nk = BATCH * k;
        double beta = nnm_rand_uniform(&s, 0.3, 3.0);
        for (size_t r = 0; r < BATCH; ++r) {
            random_softmax_row(&s, k, beta, y + r * k, lp + r * k);
            for (size_t j = 0; j < k; ++j) {
                size_t e = r * k + j;
                dy[e] = nnm_rand_uniform(&s, -2, 2);
                if (r % 3 == 0) dy[e] = j == r % k ? -1.0 : 0.0; /* NLL-shaped */
                yd[e] = yf[e] = (float)y[e];
                lpd[e] = lpf[e] = (float)lp[e];
                dyd[e] = dyf[e] = (float)dy[e];
            }
        }
        double sc, want;
        int bad = nnm_grad_softmax_vjp_f64(BATCH, k, beta, y, dy, da) != NNM_OK;
        bad |= nnm_grad_softmax_vjp_f32(BATCH, k, beta, yf, dyf, daf) != NNM_OK;
        for (size_t e = 0; e < nk; ++e) {
            size_t r0 = e - e % k;
            want = mp_softmax_vjp(k, beta, y + r0, dy + r0, e % k, &sc);
            ws64 = fmax(ws64, scaled_err(da[e], want, sc, EPS64, DBL_TRUE_MIN));
            want = mp_softmax_vjp(k, beta, yd + r0, dyd + r0, e % k, &sc);
            ws32 = fmax(ws32, scaled_err((double)daf[e], want, sc, EPS32, FLT_TRUE_MIN));
        }
        bad |= nnm_grad_log_softmax_vjp_f64(BATCH, k, beta, lp, dy, da) != NNM_OK;
        bad |= nnm_grad_log_softmax_vjp_f32(BATCH, k, beta, lpf, dyf, daf) != NNM_OK;
        for (size_t e = 0; e < nk; ++e) {
            size_t r0 = e - e % k;
            want = mp_log_softmax_vjp(k, beta, lp + r0, dy + r0, e % k, &sc);
            wl64 = fmax(wl64, scaled_err(da[e], want, sc, EPS64, DBL_TRUE_MIN));
            want = mp_log_softmax_vjp(k, beta, lpd + r0, dyd + r0, e % k, &sc);
            wl32 = fmax(wl32, scaled_err((double)daf[e], want, sc, EPS32, FLT_TRUE_MIN));
        }
        if (bad) {
            printf("vjp: call failed\n");
            failed = 1;
        }
        pts += nk;
    }
    report("nnm_grad_softmax_vjp_f64", ws64, "eps of the scale", 3, pts);
    report("nnm_grad_softmax_vjp_f32", ws32, "eps of the scale", 1, pts);
    report("nnm_grad_log_softmax_vjp_f64", wl64, "eps of the scale", 4, pts);
    report("nnm_grad_log_softmax_vjp_f32", wl32, "eps of the scale", 1, pts);
}

/* ---- affine backward ------------------------------------------------------------------------- */

/* exact sum_m a_m b_m (coefficients a may be NULL: all 1) into r, and sum |a_m b_m| */
static void mp_dot(mpfr_t r, size_t m, const double *a, size_t as, const double *b, size_t bs,
                   double *abs_sum)
{
    mpfr_t p;
    mpfr_init2(p, 4096);
    mpfr_set_zero(r, 1);
    double t = 0;
    for (size_t i = 0; i < m; ++i) {
        double av = a != NULL ? a[i * as] : 1.0;
        mpfr_set_d(p, av, MPFR_RNDN);
        mpfr_mul_d(p, p, b[i * bs], MPFR_RNDN);
        mpfr_add(r, r, p, MPFR_RNDN);
        t += fabs(av * b[i * bs]);
    }
    mpfr_clear(p);
    *abs_sum = t;
}

static void affine_measure64(mpfr_t ex, double got, double abs_sum, size_t m, double *w64)
{
    double e = mpfr_get_d(ex, MPFR_RNDN);
    double err = fabs(got - e) - (double)(2 * m + 1) * EPS64 * EPS64 * abs_sum;
    if (err > 0) *w64 = fmax(*w64, e != 0 ? err / (EPS64 * fabs(e)) : INFINITY);
}

/* f32: one rounding of a double sum that is exact to O(m 2^-106) sum|terms|, so 1 ULP wherever
 * the sum does not cancel by more than 2^28 (the others are not measured) */
static void affine_measure32(mpfr_t ex, float got, double abs_sum, double *w32, size_t *n32)
{
    double e = mpfr_get_d(ex, MPFR_RNDN);
    if (nnm_oracle_is_normal_f32(ex) && abs_sum <= 0x1p28 * fabs(e)) {
        *w32 = fmax(*w32, nnm_oracle_ulp_err_f32(got, ex));
        ++*n32;
    }
}

static void oracle_affine(void)
{
    uint64_t s = 3;
    double w64 = 0, w32 = 0;
    size_t n64 = 0, n32 = 0;
    mpfr_t ex;
    mpfr_init2(ex, 4096);
    for (int trial = 0; trial < AFFINE; ++trial) {
        size_t n = 1 + (size_t)(nnm_rand_u64(&s) % 40), di = 1 + (size_t)(nnm_rand_u64(&s) % 40);
        size_t dout = 1 + (size_t)(nnm_rand_u64(&s) % 8);
        double *h = malloc(n * di * sizeof *h), *W = malloc(dout * di * sizeof *W);
        double *dl = malloc(n * dout * sizeof *dl), *dW = malloc(dout * di * sizeof *dW);
        double *db = malloc(dout * sizeof *db), *dh = malloc(n * di * sizeof *dh);
        float *hf = malloc(n * di * sizeof *hf), *Wf = malloc(dout * di * sizeof *Wf);
        float *dlf = malloc(n * dout * sizeof *dlf), *dWf = malloc(dout * di * sizeof *dWf);
        float *dbf = malloc(dout * sizeof *dbf), *dhf = malloc(n * di * sizeof *dhf);
        if (!h || !W || !dl || !dW || !db || !dh || !hf || !Wf || !dlf || !dWf || !dbf || !dhf) {
            printf("affine: out of memory\n");
            failed = 1;
            return;
        }
        /* terms of both signs over 2^20 of range, so sums cancel; the f32 data are float
         * values of the same kind (their products are exact in double: a different regime) */
        double *arrs[3] = {h, W, dl};
        float *farrs[3] = {hf, Wf, dlf};
        size_t lens[3] = {n * di, dout * di, n * dout};
        for (int a = 0; a < 3; ++a)
            for (size_t i = 0; i < lens[a]; ++i) {
                double v = nnm_rand_uniform(&s, -1, 1) * exp2((double)(nnm_rand_u64(&s) % 20));
                arrs[a][i] = v;
                farrs[a][i] =
                    (float)(nnm_rand_uniform(&s, -1, 1) * exp2((double)(nnm_rand_u64(&s) % 20)));
            }
        if (nnm_grad_affine_f64(n, di, dout, h, W, dl, dW, db, dh) != NNM_OK ||
            nnm_grad_affine_f32(n, di, dout, hf, Wf, dlf, dWf, dbf, dhf) != NNM_OK) {
            printf("affine: call failed\n");
            failed = 1;
        }
        /* the float data widened, for the exact reference of the f32 results */
        double *hw = malloc(n * di * sizeof *hw), *Ww = malloc(dout * di * sizeof *Ww);
        double *dw = malloc(n * dout * sizeof *dw);
        if (!hw || !Ww || !dw) {
            printf("affine: out of memory\n");
            failed = 1;
            return;
        }
        for (size_t i = 0; i < n * di; ++i) hw[i] = hf[i];
        for (size_t i = 0; i < dout * di; ++i) Ww[i] = Wf[i];
        for (size_t i = 0; i < n * dout; ++i) dw[i] = dlf[i];
        double as;
        for (size_t o = 0; o < dout; ++o) {
            for (size_t i = 0; i < di; ++i, ++n64) {
                mp_dot(ex, n, dl + o, dout, h + i, di, &as);
                affine_measure64(ex, dW[o * di + i], as, n, &w64);
                mp_dot(ex, n, dw + o, dout, hw + i, di, &as);
                affine_measure32(ex, dWf[o * di + i], as, &w32, &n32);
            }
            mp_dot(ex, n, NULL, 0, dl + o, dout, &as);
            affine_measure64(ex, db[o], as, n, &w64);
            mp_dot(ex, n, NULL, 0, dw + o, dout, &as);
            affine_measure32(ex, dbf[o], as, &w32, &n32);
            ++n64;
        }
        for (size_t r = 0; r < n; ++r)
            for (size_t i = 0; i < di; ++i, ++n64) {
                mp_dot(ex, dout, dl + r * dout, 1, W + i, di, &as);
                affine_measure64(ex, dh[r * di + i], as, dout, &w64);
                mp_dot(ex, dout, dw + r * dout, 1, Ww + i, di, &as);
                affine_measure32(ex, dhf[r * di + i], as, &w32, &n32);
            }
        free(hw), free(Ww), free(dw);
        free(h), free(W), free(dl), free(dW), free(db), free(dh);
        free(hf), free(Wf), free(dlf), free(dWf), free(dbf), free(dhf);
    }
    mpfr_clear(ex);
    report("nnm_grad_affine_f64", w64, "eps of |r| beyond the m eps^2 term", 1, n64);
    report("nnm_grad_affine_f32", w32, "ulp", 1, n32);
}

/* ---- loss gradients -------------------------------------------------------------------------- */

enum { L2, L1, HUBER, BCE, BCE_LOGITS, CE, CE_LOGITS, CE_LABELS, NLL, KL, NLOSS };
enum { IN_REAL, IN_PROB, IN_POSPROB, IN_LOGIT, IN_LOGP };
static const struct {
    const char *name64, *name32;
    int labels, uses_cw, uses_pw, uses_smooth, uses_delta, input;
    double bound64; /* < 1: ULP bound 1 (nll: 2); else eps of the componentwise scale */
} LOSS[NLOSS] = {
    {"nnm_grad_loss_l2_f64", "nnm_grad_loss_l2_f32", 0, 0, 0, 0, 0, IN_REAL, 0},
    {"nnm_grad_loss_l1_f64", "nnm_grad_loss_l1_f32", 0, 0, 0, 0, 0, IN_REAL, 0},
    {"nnm_grad_loss_huber_f64", "nnm_grad_loss_huber_f32", 0, 0, 0, 0, 1, IN_REAL, 0},
    {"nnm_grad_loss_bce_f64", "nnm_grad_loss_bce_f32", 0, 1, 0, 0, 0, IN_PROB, 0},
    {"nnm_grad_loss_bce_logits_f64", "nnm_grad_loss_bce_logits_f32", 0, 1, 1, 0, 0, IN_LOGIT, 2},
    {"nnm_grad_loss_ce_f64", "nnm_grad_loss_ce_f32", 0, 1, 0, 1, 0, IN_POSPROB, 0},
    {"nnm_grad_loss_ce_logits_f64", "nnm_grad_loss_ce_logits_f32", 0, 1, 0, 1, 0, IN_LOGIT, 4},
    {"nnm_grad_loss_ce_logits_labels_f64", "nnm_grad_loss_ce_logits_labels_f32", 1, 1, 0, 1, 0,
     IN_LOGIT, 4},
    {"nnm_grad_loss_nll_labels_f64", "nnm_grad_loss_nll_labels_f32", 1, 1, 0, 0, 0, IN_LOGP, 0.5},
    {"nnm_grad_loss_kl_div_f64", "nnm_grad_loss_kl_div_f32", 0, 0, 0, 0, 0, IN_LOGP, 0},
};

#define MAXN 4
#define MAXK 5
typedef struct problem {
    int kind;
    size_t n, k;
    double x[MAXN * MAXK], t[MAXN * MAXK];
    int32_t lab[MAXN];
    double cw[MAXK], pw[MAXK];
    nnm_loss_opts o;
} problem;

static int one_in(uint64_t *s, int m)
{
    return nnm_rand_u64(s) % (uint64_t)m == 0;
}

/* random options (every reduction, weights with zeros, pos_weight, smoothing, delta, ignore)
 * and data, half at the extremes; f32: the data are rounded to float first */
static void random_problem(uint64_t *s, int kind, int extreme, int as_float, problem *P)
{
    memset(P, 0, sizeof *P);
    P->kind = kind;
    P->n = 1 + (size_t)(nnm_rand_u64(s) % MAXN);
    P->k = 1 + (size_t)(nnm_rand_u64(s) % MAXK);
    P->o.reduction = (nnm_reduction)(nnm_rand_u64(s) % 3);
    if (LOSS[kind].uses_cw && one_in(s, 2)) {
        for (size_t j = 0; j < P->k; ++j)
            P->cw[j] = one_in(s, 5) ? 0.0 : nnm_rand_uniform(s, 0.1, 2.0);
        P->o.class_weight = P->cw;
    }
    if (LOSS[kind].uses_pw && one_in(s, 2)) {
        for (size_t j = 0; j < P->k; ++j)
            P->pw[j] = one_in(s, 5) ? 0.0 : nnm_rand_uniform(s, 0.1, 3.0);
        P->o.pos_weight = P->pw;
    }
    if (LOSS[kind].uses_smooth && one_in(s, 2))
        P->o.label_smoothing = one_in(s, 4) ? 1.0 : nnm_rand_uniform(s, 0, 1);
    if (LOSS[kind].uses_delta && one_in(s, 2)) P->o.delta = nnm_rand_uniform(s, 0.2, 3.0);
    if (LOSS[kind].labels && one_in(s, 2)) {
        P->o.use_ignore_index = 1;
        P->o.ignore_index = one_in(s, 2) ? -100 : (int32_t)(nnm_rand_u64(s) % P->k);
    }
    for (size_t i = 0; i < P->n; ++i) {
        P->lab[i] = (int32_t)(nnm_rand_u64(s) % P->k);
        if (P->o.use_ignore_index && one_in(s, 3)) P->lab[i] = P->o.ignore_index;
    }
    for (size_t e = 0; e < P->n * P->k; ++e) {
        double t = one_in(s, 3) ? (double)one_in(s, 2) : nnm_rand_uniform(s, 0, 1), x;
        double tiny = pow(10.0, -nnm_rand_uniform(s, 3, 15)), sign = one_in(s, 2) ? 1.0 : -1.0;
        switch (LOSS[kind].input) {
        case IN_REAL:
            t = nnm_rand_uniform(s, -3, 3);
            x = extreme ? sign * pow(10.0, nnm_rand_uniform(s, 5, 15)) : nnm_rand_uniform(s, -3, 3);
            break;
        case IN_PROB:
            x = extreme ? (one_in(s, 2) ? tiny : 1.0 - tiny) : nnm_rand_uniform(s, 0.02, 0.98);
            break;
        case IN_POSPROB:
            x = extreme ? (one_in(s, 2) ? tiny : 1.0) : nnm_rand_uniform(s, 0.02, 1);
            break;
        case IN_LOGIT:
            x = extreme ? (one_in(s, 8) ? sign * 1e8 : sign * nnm_rand_uniform(s, 20, 745))
                        : nnm_rand_uniform(s, -6, 6);
            break;
        default: x = extreme ? -nnm_rand_uniform(s, 20, 745) : nnm_rand_uniform(s, -5, 0); break;
        }
        P->x[e] = as_float ? (double)(float)x : x;
        P->t[e] = as_float ? (double)(float)t : t;
    }
}

#define PREC 1200

static void mp_sigmoid(mpfr_t r, double a)
{
    mpfr_set_d(r, -a, MPFR_RNDN);
    mpfr_exp(r, r, MPFR_RNDN);
    mpfr_add_ui(r, r, 1, MPFR_RNDN);
    mpfr_ui_div(r, 1, r, MPFR_RNDN);
}

static void mp_smoothed(mpfr_t r, double t, double eps, size_t k)
{
    mpfr_t q;
    mpfr_init2(q, PREC);
    mpfr_set_ui(r, 1, MPFR_RNDN);
    mpfr_sub_d(r, r, eps, MPFR_RNDN);
    mpfr_mul_d(r, r, t, MPFR_RNDN);
    mpfr_set_d(q, eps, MPFR_RNDN);
    mpfr_div_ui(q, q, (unsigned long)k, MPFR_RNDN);
    mpfr_add(r, r, q, MPFR_RNDN);
    mpfr_clear(q);
}

static int is_ignored(const problem *P, size_t i)
{
    return P->o.use_ignore_index && P->lab[i] == P->o.ignore_index;
}

/* the documented gradient of element e into g, and the scale of the componentwise bound */
static void mp_loss_grad(const problem *P, size_t e, mpfr_t g, double *scale)
{
    int kind = P->kind;
    size_t n = P->n, k = P->k, i = e / k, j = e % k;
    double x = P->x[e], t = P->t[e], eps = P->o.label_smoothing;
    double delta = P->o.delta == 0 ? 1.0 : P->o.delta;
    mpfr_t D, u, v, C, R;
    mpfr_inits2(PREC, D, u, v, C, R, (mpfr_ptr)0);
    *scale = 0.0;
    mpfr_set_ui(D, 1, MPFR_RNDN);
    if (P->o.reduction == NNM_REDUCE_MEAN) {
        mpfr_set_ui(D, (unsigned long)n, MPFR_RNDN);
        if (LOSS[kind].labels) {
            mpfr_set_zero(D, 1);
            for (size_t r = 0; r < n; ++r)
                if (!is_ignored(P, r))
                    mpfr_add_d(D, D, P->o.class_weight ? P->cw[P->lab[r]] : 1.0, MPFR_RNDN);
        }
    }
    double w = 1.0;
    if (LOSS[kind].labels)
        w = is_ignored(P, i) ? 0.0 : (P->o.class_weight ? P->cw[P->lab[i]] : 1.0);
    else if (P->o.class_weight && kind != CE_LOGITS) w = P->cw[j];
    mpfr_set_zero(g, 1);
    switch (kind) {
    case L2: mpfr_set_d(g, x, MPFR_RNDN), mpfr_sub_d(g, g, t, MPFR_RNDN); break;
    case L1: mpfr_set_si(g, x > t ? 1 : (x < t ? -1 : 0), MPFR_RNDN); break;
    case HUBER:
        mpfr_set_d(g, x, MPFR_RNDN), mpfr_sub_d(g, g, t, MPFR_RNDN);
        mpfr_set_d(u, delta, MPFR_RNDN);
        if (mpfr_cmpabs(g, u) > 0) mpfr_set_d(g, mpfr_sgn(g) > 0 ? delta : -delta, MPFR_RNDN);
        break;
    case BCE:
        if (x == 0.0) mpfr_set_d(g, t > 0 ? -INFINITY : 1.0, MPFR_RNDN);
        else if (x == 1.0) mpfr_set_d(g, t < 1 ? INFINITY : -1.0, MPFR_RNDN);
        else {
            mpfr_set_d(g, x, MPFR_RNDN), mpfr_sub_d(g, g, t, MPFR_RNDN);
            mpfr_set_ui(u, 1, MPFR_RNDN), mpfr_sub_d(u, u, x, MPFR_RNDN);
            mpfr_mul_d(u, u, x, MPFR_RNDN);
            mpfr_div(g, g, u, MPFR_RNDN);
        }
        break;
    case BCE_LOGITS: {
        double p = P->o.pos_weight ? P->pw[j] : 1.0;
        mpfr_set_ui(v, 1, MPFR_RNDN), mpfr_sub_d(v, v, t, MPFR_RNDN);
        mp_sigmoid(u, x), mpfr_mul(u, u, v, MPFR_RNDN);
        mp_sigmoid(v, -x), mpfr_mul_d(v, v, t, MPFR_RNDN), mpfr_mul_d(v, v, p, MPFR_RNDN);
        mpfr_sub(g, u, v, MPFR_RNDN);
        *scale = (mpfr_get_d(u, MPFR_RNDN) + mpfr_get_d(v, MPFR_RNDN)) * w;
        break;
    }
    case CE:
        mp_smoothed(u, t, eps, k);
        if (!mpfr_zero_p(u)) {
            if (x == 0.0) mpfr_set_inf(g, -1);
            else mpfr_div_d(g, u, x, MPFR_RNDN), mpfr_neg(g, g, MPFR_RNDN);
        }
        break;
    case CE_LOGITS:
    case CE_LABELS: {
        const double *a = P->x + i * k;
        double m = a[0];
        size_t top = 0;
        for (size_t q = 1; q < k; ++q)
            if (a[q] > m) m = a[q], top = q;
        mpfr_t S, p, c;
        mpfr_inits2(PREC, S, p, c, (mpfr_ptr)0);
        mpfr_set_zero(S, 1), mpfr_set_zero(C, 1), mpfr_set_zero(R, 1);
        double cj = 0;
        for (size_t q = 0; q < k; ++q) {
            mpfr_set_d(u, a[q], MPFR_RNDN), mpfr_sub_d(u, u, m, MPFR_RNDN),
                mpfr_exp(u, u, MPFR_RNDN);
            mpfr_add(S, S, u, MPFR_RNDN);
            if (kind == CE_LOGITS) {
                mp_smoothed(c, P->t[i * k + q], eps, k);
                mpfr_mul_d(c, c, P->o.class_weight ? P->cw[q] : 1.0, MPFR_RNDN);
            } else {
                mp_smoothed(c, q == (size_t)P->lab[i] ? 1.0 : 0.0, eps, k);
            }
            mpfr_add(C, C, c, MPFR_RNDN);
            if (q != top) mpfr_add(R, R, c, MPFR_RNDN);
            if (q == j) cj = mpfr_get_d(c, MPFR_RNDN), mpfr_set(v, c, MPFR_RNDN);
        }
        mpfr_set_d(p, a[j], MPFR_RNDN), mpfr_sub_d(p, p, m, MPFR_RNDN), mpfr_exp(p, p, MPFR_RNDN);
        mpfr_div(p, p, S, MPFR_RNDN);
        mpfr_mul(g, C, p, MPFR_RNDN);
        mpfr_sub(g, g, v, MPFR_RNDN);
        double Cd = mpfr_get_d(C, MPFR_RNDN), pd = mpfr_get_d(p, MPFR_RNDN);
        if (j == top) {
            mpfr_ui_sub(p, 1, p, MPFR_RNDN);
            *scale = mpfr_get_d(R, MPFR_RNDN) + Cd * mpfr_get_d(p, MPFR_RNDN);
        } else {
            *scale = Cd * pd + cj;
        }
        *scale *= w;
        mpfr_clears(S, p, c, (mpfr_ptr)0);
        break;
    }
    case NLL: mpfr_set_si(g, j == (size_t)P->lab[i] ? -1 : 0, MPFR_RNDN); break;
    default: mpfr_set_d(g, -t, MPFR_RNDN); break;
    }
    if (w == 0.0 || mpfr_zero_p(D)) mpfr_set_zero(g, 1);
    mpfr_mul_d(g, g, w, MPFR_RNDN);
    if (!mpfr_zero_p(D)) {
        mpfr_div(g, g, D, MPFR_RNDN);
        *scale /= mpfr_get_d(D, MPFR_RNDN);
    } else {
        *scale = 0;
    }
    mpfr_clears(D, u, v, C, R, (mpfr_ptr)0);
}

static nnm_status call64(const problem *P, double *g)
{
    const double *x = P->x, *t = P->t;
    const int32_t *l = P->lab;
    const nnm_loss_opts *o = &P->o;
    size_t n = P->n, k = P->k;
    switch (P->kind) {
    case L2: return nnm_grad_loss_l2_f64(n, k, x, t, o, g);
    case L1: return nnm_grad_loss_l1_f64(n, k, x, t, o, g);
    case HUBER: return nnm_grad_loss_huber_f64(n, k, x, t, o, g);
    case BCE: return nnm_grad_loss_bce_f64(n, k, x, t, o, g);
    case BCE_LOGITS: return nnm_grad_loss_bce_logits_f64(n, k, x, t, o, g);
    case CE: return nnm_grad_loss_ce_f64(n, k, x, t, o, g);
    case CE_LOGITS: return nnm_grad_loss_ce_logits_f64(n, k, x, t, o, g);
    case CE_LABELS: return nnm_grad_loss_ce_logits_labels_f64(n, k, x, l, o, g);
    case NLL: return nnm_grad_loss_nll_labels_f64(n, k, x, l, o, g);
    default: return nnm_grad_loss_kl_div_f64(n, k, x, t, o, g);
    }
}

static nnm_status call32(const problem *P, float *g)
{
    float x[MAXN * MAXK], t[MAXN * MAXK];
    for (size_t e = 0; e < P->n * P->k; ++e) x[e] = (float)P->x[e], t[e] = (float)P->t[e];
    const int32_t *l = P->lab;
    const nnm_loss_opts *o = &P->o;
    size_t n = P->n, k = P->k;
    switch (P->kind) {
    case L2: return nnm_grad_loss_l2_f32(n, k, x, t, o, g);
    case L1: return nnm_grad_loss_l1_f32(n, k, x, t, o, g);
    case HUBER: return nnm_grad_loss_huber_f32(n, k, x, t, o, g);
    case BCE: return nnm_grad_loss_bce_f32(n, k, x, t, o, g);
    case BCE_LOGITS: return nnm_grad_loss_bce_logits_f32(n, k, x, t, o, g);
    case CE: return nnm_grad_loss_ce_f32(n, k, x, t, o, g);
    case CE_LOGITS: return nnm_grad_loss_ce_logits_f32(n, k, x, t, o, g);
    case CE_LABELS: return nnm_grad_loss_ce_logits_labels_f32(n, k, x, l, o, g);
    case NLL: return nnm_grad_loss_nll_labels_f32(n, k, x, l, o, g);
    default: return nnm_grad_loss_kl_div_f32(n, k, x, t, o, g);
    }
}

static void oracle_losses(void)
{
    mpfr_t g;
    mpfr_init2(g, PREC);
    for (int kind = 0; kind < NLOSS; ++kind) {
        uint64_t s = 100 + (uint64_t)kind;
        double w64 = 0, w32 = 0;
        size_t pts64 = 0, pts32 = 0;
        for (int dt = 0; dt < 2; ++dt)
            for (int trial = 0; trial < LOSS_PROBLEMS; ++trial) {
                problem P;
                random_problem(&s, kind, trial % 2, dt, &P);
                double g64[MAXN * MAXK];
                float g32[MAXN * MAXK];
                if ((dt == 0 ? call64(&P, g64) : call32(&P, g32)) != NNM_OK) {
                    printf("%s: call failed\n", dt == 0 ? LOSS[kind].name64 : LOSS[kind].name32);
                    failed = 1;
                    continue;
                }
                for (size_t e = 0; e < P.n * P.k; ++e) {
                    double sc, err;
                    mp_loss_grad(&P, e, g, &sc);
                    double want = mpfr_get_d(g, MPFR_RNDN);
                    if (dt == 0) {
                        ++pts64;
                        if (LOSS[kind].bound64 >= 1)
                            err = scaled_err(g64[e], want, sc, EPS64, DBL_TRUE_MIN);
                        else if (nnm_oracle_is_normal_f64(g) || mpfr_zero_p(g) || mpfr_inf_p(g))
                            err = nnm_oracle_ulp_err_f64(g64[e], g);
                        else err = fabs(g64[e] - want) <= DBL_TRUE_MIN ? 0 : INFINITY;
                        w64 = fmax(w64, err);
                    } else {
                        ++pts32;
                        if (LOSS[kind].bound64 >= 1)
                            err = scaled_err((double)g32[e], want, sc, EPS32, FLT_TRUE_MIN);
                        else if (nnm_oracle_is_normal_f32(g) || mpfr_zero_p(g) || mpfr_inf_p(g))
                            err = nnm_oracle_ulp_err_f32(g32[e], g);
                        else err = fabs((double)g32[e] - want) <= FLT_TRUE_MIN ? 0 : INFINITY;
                        w32 = fmax(w32, err);
                    }
                }
            }
        /* nll under MEAN: w_i / sum w rounds the compensated denominator and the quotient */
        int scaled = LOSS[kind].bound64 >= 1;
        report(LOSS[kind].name64, w64, scaled ? "eps of the scale" : "ulp",
               scaled ? LOSS[kind].bound64 : (LOSS[kind].bound64 > 0 ? 2 : 1), pts64);
        report(LOSS[kind].name32, w32, scaled ? "eps of the scale" : "ulp", 1, pts32);
    }
    mpfr_clear(g);
}

/* Long rows (k = 1000) of CE on logits, dense targets and labels, SUM, with label smoothing and
 * class weights: the compensated sum C of the coefficients then carries a low part of several
 * ulps, which every entry must use (the dominant one once dropped it: 17.6 eps with eps = 2^-30).
 * 2 forms x 3 smoothings x 2 weightings = 12 rows of 1000 entries, MPFR at 200 bits (2k
 * exponentials a row). */
static void oracle_long_rows(void)
{
    enum { K = 1000 };
    static double a[K], t[K], cw[K], g[K];
    static const double smooth[] = {0.0, 0x1p-30, 0.1};
    uint64_t s = 77;
    double worst = 0;
    size_t pts = 0;
    mpfr_t S, C, c, e;
    mpfr_inits2(200, S, C, c, e, (mpfr_ptr)0);
    for (int form = 0; form < 2; ++form)
        for (int ie = 0; ie < 3; ++ie)
            for (int weighted = 0; weighted < 2; ++weighted) {
                for (size_t j = 0; j < K; ++j) {
                    a[j] = nnm_rand_uniform(&s, -300, 300);
                    t[j] = j % 2 ? 0.0 : nnm_rand_uniform(&s, 0, 1);
                    cw[j] = nnm_rand_uniform(&s, 0.5, 2.0);
                }
                int32_t lab = (int32_t)(nnm_rand_u64(&s) % K);
                nnm_loss_opts o = NNM_LOSS_OPTS_INIT;
                o.reduction = NNM_REDUCE_SUM;
                o.label_smoothing = smooth[ie];
                if (weighted) o.class_weight = cw;
                nnm_status st =
                    form == 0 ? nnm_grad_loss_ce_logits_f64(1, K, a, t, &o, g)
                              : nnm_grad_loss_ce_logits_labels_f64(1, K, a, &lab, &o, g);
                if (st != NNM_OK) failed = 1;
                /* r: the sample weight of the label form; c_j = w_j t'_j (dense) or t'_j */
                double r = form == 1 && weighted ? cw[lab] : 1.0;
                size_t top = 0;
                for (size_t j = 1; j < K; ++j) top = a[j] > a[top] ? j : top;
                mpfr_set_zero(S, 1), mpfr_set_zero(C, 1);
                for (size_t j = 0; j < K; ++j) {
                    mpfr_set_d(e, a[j], MPFR_RNDN), mpfr_sub_d(e, e, a[top], MPFR_RNDN);
                    mpfr_exp(e, e, MPFR_RNDN), mpfr_add(S, S, e, MPFR_RNDN);
                    mp_smoothed(c, form == 0 ? t[j] : (double)(j == (size_t)lab), smooth[ie], K);
                    if (form == 0 && weighted) mpfr_mul_d(c, c, cw[j], MPFR_RNDN);
                    mpfr_add(C, C, c, MPFR_RNDN);
                }
                double Cd = mpfr_get_d(C, MPFR_RNDN);
                for (size_t j = 0; j < K; ++j, ++pts) {
                    mpfr_set_d(e, a[j], MPFR_RNDN), mpfr_sub_d(e, e, a[top], MPFR_RNDN);
                    mpfr_exp(e, e, MPFR_RNDN), mpfr_div(e, e, S, MPFR_RNDN); /* p_j */
                    double pj = mpfr_get_d(e, MPFR_RNDN);
                    mp_smoothed(c, form == 0 ? t[j] : (double)(j == (size_t)lab), smooth[ie], K);
                    if (form == 0 && weighted) mpfr_mul_d(c, c, cw[j], MPFR_RNDN);
                    double cj = mpfr_get_d(c, MPFR_RNDN);
                    mpfr_mul(e, e, C, MPFR_RNDN), mpfr_sub(e, e, c, MPFR_RNDN);
                    mpfr_mul_d(e, e, r, MPFR_RNDN);
                    /* the documented scales: r (C p_j + c_j); the dominant entry
                     * r (sum_{i != j} c_i + C (1 - p_j)) */
                    double scale =
                        j == top ? r * ((Cd - cj) + Cd * (1.0 - pj)) : r * (Cd * pj + cj);
                    worst = fmax(worst, scaled_err(g[j], mpfr_get_d(e, MPFR_RNDN), scale, EPS64,
                                                   DBL_TRUE_MIN));
                }
            }
    mpfr_clears(S, C, c, e, (mpfr_ptr)0);
    report("ce_logits (dense, labels) k=1000 f64", worst, "eps of the scale", 4, pts);
}

int main(void)
{
    oracle_jacobian();
    oracle_vjps();
    oracle_affine();
    oracle_losses();
    oracle_long_rows();
    return failed;
}
