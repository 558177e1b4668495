/* Loss gradients: every loss's gradient against central differences of its own forward loss
 * (loss.h), against an MPFR evaluation of the documented formula with the documented bound, at
 * random points, with every option and reduction, and at the extremes (large logits,
 * probabilities near 0 and 1); option semantics (ignore, weights, empty MEAN), aliasing, f32,
 * and every status with canaries. */
#include <float.h>
#include <math.h>
#include <mpfr.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nnmath/nnmath.h>

#include "core/softmax_row.h"
#include "nnm_check.h"

#define EPS DBL_EPSILON

/* ---- the ten losses as a table --------------------------------------------------------------- */

typedef nnm_status (*dense64)(size_t, size_t, const double *, const double *,
                              const nnm_loss_opts *, double *);
typedef nnm_status (*label64)(size_t, size_t, const double *, const int32_t *,
                              const nnm_loss_opts *, double *);
typedef nnm_status (*dense32)(size_t, size_t, const float *, const float *, const nnm_loss_opts *,
                              float *);
typedef nnm_status (*label32)(size_t, size_t, const float *, const int32_t *,
                              const nnm_loss_opts *, float *);

enum { L2, L1, HUBER, BCE, BCE_LOGITS, CE, CE_LOGITS, CE_LABELS, NLL, KL, NLOSS };
enum { IN_REAL, IN_PROB, IN_POSPROB, IN_LOGIT, IN_LOGP };

typedef struct loss_desc {
    const char *name;
    int labels, uses_cw, uses_pw, uses_smooth, uses_delta, input;
    dense64 f64, g64;
    label64 lf64, lg64;
    dense32 g32;
    label32 lg32;
} loss_desc;

static const loss_desc LOSSES[NLOSS] = {
    {"l2", 0, 0, 0, 0, 0, IN_REAL, nnm_loss_l2_f64, nnm_grad_loss_l2_f64, NULL, NULL,
     nnm_grad_loss_l2_f32, NULL},
    {"l1", 0, 0, 0, 0, 0, IN_REAL, nnm_loss_l1_f64, nnm_grad_loss_l1_f64, NULL, NULL,
     nnm_grad_loss_l1_f32, NULL},
    {"huber", 0, 0, 0, 0, 1, IN_REAL, nnm_loss_huber_f64, nnm_grad_loss_huber_f64, NULL, NULL,
     nnm_grad_loss_huber_f32, NULL},
    {"bce", 0, 1, 0, 0, 0, IN_PROB, nnm_loss_bce_f64, nnm_grad_loss_bce_f64, NULL, NULL,
     nnm_grad_loss_bce_f32, NULL},
    {"bce_logits", 0, 1, 1, 0, 0, IN_LOGIT, nnm_loss_bce_logits_f64, nnm_grad_loss_bce_logits_f64,
     NULL, NULL, nnm_grad_loss_bce_logits_f32, NULL},
    {"ce", 0, 1, 0, 1, 0, IN_POSPROB, nnm_loss_ce_f64, nnm_grad_loss_ce_f64, NULL, NULL,
     nnm_grad_loss_ce_f32, NULL},
    {"ce_logits", 0, 1, 0, 1, 0, IN_LOGIT, nnm_loss_ce_logits_f64, nnm_grad_loss_ce_logits_f64,
     NULL, NULL, nnm_grad_loss_ce_logits_f32, NULL},
    {"ce_logits_labels", 1, 1, 0, 1, 0, IN_LOGIT, NULL, NULL, nnm_loss_ce_logits_labels_f64,
     nnm_grad_loss_ce_logits_labels_f64, NULL, nnm_grad_loss_ce_logits_labels_f32},
    {"nll_labels", 1, 1, 0, 0, 0, IN_LOGP, NULL, NULL, nnm_loss_nll_labels_f64,
     nnm_grad_loss_nll_labels_f64, NULL, nnm_grad_loss_nll_labels_f32},
    {"kl_div", 0, 0, 0, 0, 0, IN_LOGP, nnm_loss_kl_div_f64, nnm_grad_loss_kl_div_f64, NULL, NULL,
     nnm_grad_loss_kl_div_f32, NULL},
};

static nnm_status call_fwd(const loss_desc *L, size_t n, size_t k, const double *x,
                           const double *t, const int32_t *lab, const nnm_loss_opts *o,
                           double *out)
{
    return L->labels ? L->lf64(n, k, x, lab, o, out) : L->f64(n, k, x, t, o, out);
}
static nnm_status call_grad(const loss_desc *L, size_t n, size_t k, const double *x,
                            const double *t, const int32_t *lab, const nnm_loss_opts *o,
                            double *g)
{
    return L->labels ? L->lg64(n, k, x, lab, o, g) : L->g64(n, k, x, t, o, g);
}
static nnm_status call_grad32(const loss_desc *L, size_t n, size_t k, const float *x,
                              const float *t, const int32_t *lab, const nnm_loss_opts *o,
                              float *g)
{
    return L->labels ? L->lg32(n, k, x, lab, o, g) : L->g32(n, k, x, t, o, g);
}

/* ---- random problems with random options ----------------------------------------------------- */

#define MAXN 4
#define MAXK 5
typedef struct problem {
    const loss_desc *L;
    size_t n, k;
    double x[MAXN * MAXK], t[MAXN * MAXK], sigma[MAXN * MAXK];
    int32_t lab[MAXN];
    double cw[MAXK], pw[MAXK];
    nnm_loss_opts o;
} problem;

static double uni(uint64_t *s, double lo, double hi)
{
    return nnm_rand_uniform(s, lo, hi);
}
static int one_in(uint64_t *s, int m)
{
    return nnm_rand_u64(s) % (uint64_t)m == 0;
}

/* A random problem of loss L with random options (every reduction, weights with exact zeros,
 * pos_weight, smoothing up to 1, delta, ignore_index naming a real class or -100).
 * moderate: inputs a margin away from the kinks (|y - t| = 0 for l1, = delta for huber) and from
 * the ends of the probability domains, and sigma[e] the scale of a finite-difference step that
 * stays inside the domain. extreme: logits up to +-745 and +-1e8, probabilities within 1e-15 of
 * 0 and 1, log-probabilities down to -745, regression values up to 1e15 (for MPFR only). */
static void random_problem(uint64_t *s, const loss_desc *L, int extreme, problem *P)
{
    memset(P, 0, sizeof *P);
    P->L = L;
    P->n = 1 + (size_t)(nnm_rand_u64(s) % MAXN);
    P->k = 1 + (size_t)(nnm_rand_u64(s) % MAXK);
    P->o.reduction = (nnm_reduction)(nnm_rand_u64(s) % 3);
    if (L->uses_cw && one_in(s, 2)) {
        for (size_t j = 0; j < P->k; ++j) P->cw[j] = one_in(s, 5) ? 0.0 : uni(s, 0.1, 2.0);
        P->o.class_weight = P->cw;
    }
    if (L->uses_pw && one_in(s, 2)) {
        for (size_t j = 0; j < P->k; ++j) P->pw[j] = one_in(s, 5) ? 0.0 : uni(s, 0.1, 3.0);
        P->o.pos_weight = P->pw;
    }
    if (L->uses_smooth && one_in(s, 2)) P->o.label_smoothing = one_in(s, 4) ? 1.0 : uni(s, 0, 1);
    if (L->uses_delta && one_in(s, 2)) P->o.delta = uni(s, 0.2, 3.0);
    if (L->labels && one_in(s, 2)) {
        P->o.use_ignore_index = 1;
        P->o.ignore_index = one_in(s, 2) ? -100 : (int32_t)(nnm_rand_u64(s) % P->k);
    }
    double delta = P->o.delta == 0.0 ? 1.0 : P->o.delta;
    for (size_t i = 0; i < P->n; ++i) {
        P->lab[i] = (int32_t)(nnm_rand_u64(s) % P->k);
        if (P->o.use_ignore_index && one_in(s, 3)) P->lab[i] = P->o.ignore_index;
    }
    for (size_t e = 0; e < P->n * P->k; ++e) {
        double t = one_in(s, 3) ? (double)one_in(s, 2) : uni(s, 0, 1), x;
        double tiny = pow(10.0, -uni(s, 3, 15)), sign = one_in(s, 2) ? 1.0 : -1.0;
        switch (L->input) {
        case IN_REAL:
            t = uni(s, -3, 3);
            if (extreme) {
                x = sign * pow(10.0, uni(s, 5, 15));
                break;
            }
            do x = uni(s, -3, 3);
            while (fabs(x - t) < 0.02 || fabs(fabs(x - t) - delta) < 0.02);
            break;
        case IN_PROB: x = extreme ? (one_in(s, 2) ? tiny : 1.0 - tiny) : uni(s, 0.02, 0.98); break;
        case IN_POSPROB: x = extreme ? (one_in(s, 2) ? tiny : 1.0) : uni(s, 0.02, 0.98); break;
        case IN_LOGIT:
            x = extreme ? (one_in(s, 8) ? sign * 1e8 : sign * uni(s, 20, 745)) : uni(s, -6, 6);
            break;
        default: x = extreme ? -uni(s, 20, 745) : uni(s, -5, 0); break;
        }
        P->x[e] = x;
        P->t[e] = t;
        P->sigma[e] = (L->input == IN_PROB || L->input == IN_POSPROB) ? 0.5 * fmin(x, 1 - x) : 1.0;
    }
}

/* The reduced loss at x0 + sigma z (NONE: the sum of the n outputs, in long double). */
static double problem_loss(size_t d, const double *z, void *ctx)
{
    const problem *P = ctx;
    double x[MAXN * MAXK], out[MAXN];
    for (size_t e = 0; e < d; ++e) x[e] = P->x[e] + P->sigma[e] * z[e];
    if (call_fwd(P->L, P->n, P->k, x, P->t, P->lab, &P->o, out) != NNM_OK) return NAN;
    if (P->o.reduction != NNM_REDUCE_NONE) return out[0];
    long double sum = 0;
    for (size_t i = 0; i < P->n; ++i) sum += out[i];
    return (double)sum;
}

/* sigma_e g_e against Richardson differences of the forward loss in the variables z (x = x0 +
 * sigma z, so that every probe stays in the domain). The documented Richardson error is
 * ~eps^(4/5) (3 |F| / h + h^4 |F^(5)| / 480) in those variables; |F| and the derivative
 * magnitudes sum_e |sigma_e g_e| set the scale, and 100 covers the constants of these smooth
 * losses. A wrong gradient (sign, weight, reduction or smoothing factor) is off by O(|g|). */
static void check_against_differences(const problem *P, const nnm_grad_fd_opts *fo, int trial)
{
    size_t d = P->n * P->k;
    double g[MAXN * MAXK], fd[MAXN * MAXK], z[MAXN * MAXK] = {0};
    ck_assert_int_eq(call_grad(P->L, P->n, P->k, P->x, P->t, P->lab, &P->o, g), NNM_OK);
    ck_assert_int_eq(nnm_grad_numeric_ex(problem_loss, (void *)P, d, z, fo, fd), NNM_OK);
    double scale = fabs(problem_loss(d, z, (void *)P));
    for (size_t e = 0; e < d; ++e) scale += fabs(P->sigma[e] * g[e]);
    double tol = 100 * pow(EPS, 0.8) * scale;
    for (size_t e = 0; e < d; ++e)
        ck_assert_msg(fabs(P->sigma[e] * g[e] - fd[e]) <= tol,
                      "%s trial %d (n %zu k %zu reduction %d): element %zu: gradient %.17g, "
                      "differences %.17g (tol %.3g)",
                      P->L->name, trial, P->n, P->k, (int)P->o.reduction, e, P->sigma[e] * g[e],
                      fd[e], tol);
}

START_TEST(every_gradient_matches_central_differences_of_its_loss)
{
    uint64_t seed = 100 + (uint64_t)_i;
    nnm_grad_fd_opts fo = {NNM_GRAD_FD_RICHARDSON, 0.0};
    for (int trial = 0; trial < 200; ++trial) {
        problem P;
        random_problem(&seed, &LOSSES[_i], 0, &P);
        check_against_differences(&P, &fo, trial);
    }
}
END_TEST

/* ---- MPFR reference of the documented formulas ----------------------------------------------- */

/* 1200 bits: p = 1 - 1e-320 and s/(1+s) of logits 745 apart must be resolved exactly. */
#define PREC 1200

static void mp_sigmoid(mpfr_t r, double a)
{
    mpfr_set_d(r, -a, MPFR_RNDN);
    mpfr_exp(r, r, MPFR_RNDN);
    mpfr_add_ui(r, r, 1, MPFR_RNDN);
    mpfr_ui_div(r, 1, r, MPFR_RNDN);
}

/* t' = (1 - eps) t + eps / k */
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

/* The exact gradient of P at element e, rounded to double, and the scale of its documented
 * bound (*scale: 0 for the losses bounded in ULPs). */
static double mp_grad(const problem *P, size_t e, double *scale)
{
    const loss_desc *L = P->L;
    int kind = (int)(L - LOSSES);
    size_t n = P->n, k = P->k, i = e / k, j = e % k;
    double x = P->x[e], t = P->t[e], eps = P->o.label_smoothing;
    double delta = P->o.delta == 0 ? 1.0 : P->o.delta;
    mpfr_t g, D, u, v, C, R;
    mpfr_inits2(PREC, g, D, u, v, C, R, (mpfr_ptr)0);
    *scale = 0.0;

    /* the MEAN divisor: n, or the sum of the sample weights of the label forms */
    mpfr_set_ui(D, 1, MPFR_RNDN);
    if (P->o.reduction == NNM_REDUCE_MEAN) {
        mpfr_set_ui(D, (unsigned long)n, MPFR_RNDN);
        if (L->labels) {
            mpfr_set_zero(D, 1);
            for (size_t r = 0; r < n; ++r)
                if (!is_ignored(P, r))
                    mpfr_add_d(D, D, P->o.class_weight ? P->cw[P->lab[r]] : 1.0, MPFR_RNDN);
        }
    }
    /* the weight in front of the element: the sample weight (label forms) or the column's */
    double w = 1.0;
    if (L->labels) w = is_ignored(P, i) ? 0.0 : (P->o.class_weight ? P->cw[P->lab[i]] : 1.0);
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
    case BCE: /* (y - t) / (y (1 - y)) */
        mpfr_set_d(g, x, MPFR_RNDN), mpfr_sub_d(g, g, t, MPFR_RNDN);
        mpfr_set_ui(u, 1, MPFR_RNDN), mpfr_sub_d(u, u, x, MPFR_RNDN),
            mpfr_mul_d(u, u, x, MPFR_RNDN);
        mpfr_div(g, g, u, MPFR_RNDN);
        break;
    case BCE_LOGITS: { /* (1 - t) sigma(a) - p t sigma(-a) */
        double p = P->o.pos_weight ? P->pw[j] : 1.0;
        mpfr_set_ui(v, 1, MPFR_RNDN), mpfr_sub_d(v, v, t, MPFR_RNDN);
        mp_sigmoid(u, x), mpfr_mul(u, u, v, MPFR_RNDN);
        mp_sigmoid(v, -x), mpfr_mul_d(v, v, t, MPFR_RNDN), mpfr_mul_d(v, v, p, MPFR_RNDN);
        mpfr_sub(g, u, v, MPFR_RNDN);
        *scale = (mpfr_get_d(u, MPFR_RNDN) + mpfr_get_d(v, MPFR_RNDN)) * w;
        break;
    }
    case CE: /* -t' / y */
        mp_smoothed(u, t, eps, k);
        if (!mpfr_zero_p(u)) mpfr_div_d(g, u, x, MPFR_RNDN), mpfr_neg(g, g, MPFR_RNDN);
        break;
    case CE_LOGITS:
    case CE_LABELS: { /* C p_j - c_j with p = softmax of the row */
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
                double wq = P->o.class_weight ? P->cw[q] : 1.0;
                mp_smoothed(c, P->t[i * k + q], eps, k);
                mpfr_mul_d(c, c, wq, MPFR_RNDN);
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
        if (j == top) { /* sum_{i != j} c_i + C (1 - p_j) */
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
    default: mpfr_set_d(g, -t, MPFR_RNDN); break; /* KL */
    }
    if (w == 0.0 || mpfr_zero_p(D)) mpfr_set_zero(g, 1);
    mpfr_mul_d(g, g, w, MPFR_RNDN);
    if (!mpfr_zero_p(D)) {
        mpfr_div(g, g, D, MPFR_RNDN);
        *scale /= mpfr_get_d(D, MPFR_RNDN);
    } else {
        *scale = 0;
    }
    double r = mpfr_get_d(g, MPFR_RNDN);
    mpfr_clears(g, D, u, v, C, R, (mpfr_ptr)0);
    return r;
}

/* The documented bound: 1 ULP for the losses whose element is exact to u^2 before its rounding
 * (2 for nll, whose MEAN divides by the rounded sum of the weights),
 * the componentwise bounds (2 eps for bce_logits, 4 eps for the softmax forms) otherwise; a
 * result in the subnormal range is allowed one unit of 2^-1074 more. */
static void check_against_mpfr(const problem *P, int trial, double *worst)
{
    size_t d = P->n * P->k;
    double g[MAXN * MAXK];
    ck_assert_int_eq(call_grad(P->L, P->n, P->k, P->x, P->t, P->lab, &P->o, g), NNM_OK);
    int kind = (int)(P->L - LOSSES);
    for (size_t e = 0; e < d; ++e) {
        double scale, want = mp_grad(P, e, &scale);
        double err;
        if (kind == BCE_LOGITS || kind == CE_LOGITS || kind == CE_LABELS) {
            double bound = (kind == BCE_LOGITS ? 2 : 4) * EPS * scale + DBL_TRUE_MIN;
            err = fabs(g[e] - want);
            ck_assert_msg(err <= bound,
                          "%s trial %d element %zu: %.17g, exact %.17g, error %.3g eps of scale "
                          "%.3g", P->L->name, trial, e, g[e], want, err / (EPS * scale), scale);
            if (scale > DBL_MIN) *worst = fmax(*worst, err / (EPS * scale));
        } else if (fabs(want) >= DBL_MIN || want == 0.0 || isinf(want)) {
            /* nll under MEAN: w_i / sum w rounds the compensated denominator and the quotient */
            uint64_t u = nnm_ulp_distance_f64(g[e], want);
            ck_assert_msg(u <= (kind == NLL ? 2u : 1u),
                          "%s trial %d element %zu: %.17g, exact %.17g: %llu ulp",
                          P->L->name, trial, e, g[e], want, (unsigned long long)u);
            *worst = fmax(*worst, (double)u);
        } else {
            ck_assert_msg(fabs(g[e] - want) <= DBL_TRUE_MIN, "%s: subnormal %.17g vs %.17g",
                          P->L->name, g[e], want);
        }
    }
}

START_TEST(every_gradient_meets_its_bound_against_mpfr)
{
    uint64_t seed = 200 + (uint64_t)_i;
    double worst = 0;
    for (int trial = 0; trial < 300; ++trial) {
        problem P;
        random_problem(&seed, &LOSSES[_i], trial % 2, &P);
        check_against_mpfr(&P, trial, &worst);
    }
    /* printed for the record (the bound is asserted above) */
    fprintf(stderr, "  %-18s max error %.3g %s\n", LOSSES[_i].name, worst,
            (_i == BCE_LOGITS || _i == CE_LOGITS || _i == CE_LABELS) ? "eps of the scale" : "ulp");
}
END_TEST

/* ---- the extremes, by finite differences ---------------------------------------------------- */

/* Hand-picked extreme problems: logits whose probes must be exact (integers, with a power-of-two
 * step 2^-10 and half-step 2^-11, so x0 + z is exact), probabilities near 0 with relative steps,
 * and saturated sigmoid terms. Each loss value is dominated by the extreme element, so the
 * differences resolve even gradients of 1e-22. */
static void extreme(int kind, size_t n, size_t k, const double *x, const double *t,
                    const int32_t *lab, nnm_loss_opts o)
{
    problem P;
    memset(&P, 0, sizeof P);
    P.L = &LOSSES[kind];
    P.n = n, P.k = k, P.o = o;
    for (size_t e = 0; e < n * k; ++e) {
        P.x[e] = x[e];
        P.t[e] = t != NULL ? t[e] : 0.0;
        int prob = P.L->input == IN_PROB || P.L->input == IN_POSPROB;
        /* regression values: a power of two near |x| keeps x0 + sigma z exact (1e15 has its
         * low 15 bits zero) */
        P.sigma[e] = prob
                         ? 0.5 * fmin(x[e], 1 - x[e])
                         : (P.L->input == IN_REAL ? exp2(floor(log2(fmax(1.0, fabs(x[e]))))) : 1.0);
    }
    for (size_t i = 0; lab != NULL && i < n; ++i) P.lab[i] = lab[i];
    if (o.class_weight) memcpy(P.cw, o.class_weight, k * sizeof(double)), P.o.class_weight = P.cw;
    if (o.pos_weight) memcpy(P.pw, o.pos_weight, k * sizeof(double)), P.o.pos_weight = P.pw;
    nnm_grad_fd_opts fo = {NNM_GRAD_FD_RICHARDSON, 0x1p-10};
    check_against_differences(&P, &fo, -1);
    double worst = 0;
    check_against_mpfr(&P, -1, &worst);
}

START_TEST(gradients_at_the_extremes_match_differences_and_mpfr)
{
    nnm_loss_opts sum = NNM_LOSS_OPTS_INIT, mean = {NNM_REDUCE_MEAN, NULL, NULL, 0.0, 0, 0, 0.0};
    /* confident and correct, confident and wrong, with 3 classes and smoothing */
    extreme(CE_LABELS, 1, 2, (double[]){0, 50}, NULL, (int32_t[]){1}, sum);
    extreme(CE_LABELS, 1, 2, (double[]){0, 700}, NULL, (int32_t[]){1}, sum);
    extreme(CE_LABELS, 1, 2, (double[]){700, 0}, NULL, (int32_t[]){1}, sum);
    nnm_loss_opts sm = {NNM_REDUCE_MEAN, NULL, NULL, 1e-3, 0, 0, 0.0};
    extreme(CE_LABELS, 2, 3, (double[]){-700, 0, 50, 40, -40, 0}, NULL, (int32_t[]){2, 0}, sm);
    extreme(CE_LOGITS, 1, 3, (double[]){-40, 0, 40}, (double[]){0.25, 0.0, 0.5}, NULL, sum);
    extreme(CE_LOGITS, 1, 3, (double[]){-40, 0, 40}, (double[]){0.0, 0.0, 1.0}, NULL, mean);
    /* saturated sigmoids: t = 1 at a = 40 and 700 (gradients -4.2e-18 and -9.9e-305) */
    extreme(BCE_LOGITS, 1, 1, (double[]){40}, (double[]){1}, NULL, sum);
    extreme(BCE_LOGITS, 1, 1, (double[]){700}, (double[]){1}, NULL, sum);
    extreme(BCE_LOGITS, 1, 1, (double[]){-40}, (double[]){0}, NULL, sum);
    nnm_loss_opts pw = {NNM_REDUCE_SUM, NULL, (const double[]){2.5, 0.5}, 0.0, 0, 0, 0.0};
    extreme(BCE_LOGITS, 1, 2, (double[]){-30, 30}, (double[]){0.75, 1.0}, NULL, pw);
    /* probabilities near 0, where -log y is large and its derivative 1/y huge */
    extreme(BCE, 1, 1, (double[]){1e-10}, (double[]){0}, NULL, sum);
    extreme(BCE, 1, 1, (double[]){1e-10}, (double[]){0.5}, NULL, sum);
    extreme(BCE, 1, 2, (double[]){1e-300, 0.5}, (double[]){1, 0.25}, NULL, mean);
    extreme(CE, 1, 2, (double[]){1e-10, 1e-200}, (double[]){1, 0.5}, NULL, sum);
    extreme(NLL, 1, 3, (double[]){-700, -1e-300, -5}, NULL, (int32_t[]){0}, sum);
    extreme(KL, 1, 2, (double[]){-700, -1e-10}, (double[]){1e-300, 1.0}, NULL, sum);
    extreme(L2, 1, 2, (double[]){1e15, -3}, (double[]){-1e15, 2}, NULL, mean);
    extreme(HUBER, 1, 2, (double[]){1e15, 0.25}, (double[]){-1e15, 0}, NULL, sum);
}
END_TEST

/* ---- literal values ------------------------------------------------------------------------- */

START_TEST(literal_gradients_of_confident_and_tied_predictions)
{
    /* logits (0, 50), label 1: da = p - onehot = (p0, -p0), p0 = e^-50 / (1 + e^-50)
     * = 1.9287498479639178e-22 (mpmath, 300 bits); p_1 - 1 would be 0 */
    const double a[2] = {0, 50};
    double da[2];
    ck_assert_int_eq(nnm_grad_loss_ce_logits_labels_f64(1, 2, a, (int32_t[]){1}, NULL, da), NNM_OK);
    nnm_assert_rel_f64(da[0], 1.9287498479639178e-22, 4);
    nnm_assert_rel_f64(da[1], -1.9287498479639178e-22, 4);
    ck_assert_int_eq(nnm_grad_loss_ce_logits_f64(1, 2, a, (double[]){0, 1}, NULL, da), NNM_OK);
    nnm_assert_rel_f64(da[1], -1.9287498479639178e-22, 4);
    /* the policy's CE([1e8, 1e8], 0) = ln 2: its gradient is (1/2 - 1, 1/2) exactly */
    const double tie[2] = {1e8, 1e8};
    ck_assert_int_eq(nnm_grad_loss_ce_logits_labels_f64(1, 2, tie, (int32_t[]){0}, NULL, da),
                     NNM_OK);
    ck_assert(da[0] == -0.5 && da[1] == 0.5);
    /* bce_logits, t = 1 at a = 40: -sigma(-40) = -4.248354255291589e-18 (mpmath) */
    double g;
    ck_assert_int_eq(nnm_grad_loss_bce_logits_f64(1, 1, (double[]){40}, (double[]){1}, NULL, &g),
                     NNM_OK);
    nnm_assert_rel_f64(g, -4.248354255291589e-18, 2);
    ck_assert_int_eq(nnm_grad_loss_bce_logits_f64(1, 1, (double[]){700}, (double[]){1}, NULL, &g),
                     NNM_OK);
    nnm_assert_rel_f64(g, -9.85967654375977e-305, 2);
    /* the notes' l2-loss: dL/dy = y - t; with MEAN over n = 2 samples, (y - t) / 2 */
    double y[4] = {1, 2, 3, 4}, t[4] = {0.5, 2, 5, 4}, dy[4];
    nnm_loss_opts mean = {NNM_REDUCE_MEAN, NULL, NULL, 0.0, 0, 0, 0.0};
    ck_assert_int_eq(nnm_grad_loss_l2_f64(2, 2, y, t, &mean, dy), NNM_OK);
    ck_assert(dy[0] == 0.25 && dy[1] == 0 && dy[2] == -1 && dy[3] == 0);
    /* BCE at y = t has gradient exactly 0; at y = 0, t = 0 it is 1; at y = 1, t = 1 it is -1 */
    double yb[4] = {0.3, 0, 1, 0}, tb[4] = {0.3, 0, 1, 0.5}, gb[4];
    ck_assert_int_eq(nnm_grad_loss_bce_f64(1, 4, yb, tb, NULL, gb), NNM_OK);
    ck_assert(gb[0] == 0 && gb[1] == 1 && gb[2] == -1 && isinf(gb[3]) && gb[3] < 0);
    /* l1 at the kink: the least-magnitude subgradient 0 */
    double gl;
    ck_assert_int_eq(nnm_grad_loss_l1_f64(1, 1, (double[]){2}, (double[]){2}, NULL, &gl), NNM_OK);
    ck_assert(gl == 0 && !signbit(gl));
    /* NLL chained with the log-softmax VJP is softmax - onehot (the fused form) */
    double lp[3], dlp[3], viavjp[3], fused[3];
    const double z[3] = {0.5, -1.0, 2.0};
    nnm__row_stats st = nnm__row_stats_f64(3, 1.0, z);
    for (int j = 0; j < 3; ++j) lp[j] = (z[j] - st.max) - log1p(st.s);
    ck_assert_int_eq(nnm_grad_loss_nll_labels_f64(1, 3, lp, (int32_t[]){1}, NULL, dlp), NNM_OK);
    ck_assert_int_eq(nnm_grad_log_softmax_vjp_f64(1, 3, 1.0, lp, dlp, viavjp), NNM_OK);
    ck_assert_int_eq(nnm_grad_loss_ce_logits_labels_f64(1, 3, z, (int32_t[]){1}, NULL, fused),
                     NNM_OK);
    for (int j = 0; j < 3; ++j) nnm_assert_rel_f64(viavjp[j], fused[j], 8);
}
END_TEST

/* ---- options and reductions ------------------------------------------------------------------ */

/* NONE is the gradient of sum_n out[n] = SUM; MEAN is SUM / D (for the label forms
 * D = sum_n w_n): each element within 1 ulp of the SUM element divided by D in MPFR. */
START_TEST(reductions_scale_the_gradient_as_the_loss)
{
    uint64_t seed = 300 + (uint64_t)_i;
    const loss_desc *L = &LOSSES[_i];
    for (int trial = 0; trial < 100; ++trial) {
        problem P;
        random_problem(&seed, L, 0, &P);
        double gs[MAXN * MAXK], gn[MAXN * MAXK], gm[MAXN * MAXK];
        size_t d = P.n * P.k;
        P.o.reduction = NNM_REDUCE_SUM;
        ck_assert_int_eq(call_grad(L, P.n, P.k, P.x, P.t, P.lab, &P.o, gs), NNM_OK);
        P.o.reduction = NNM_REDUCE_NONE;
        ck_assert_int_eq(call_grad(L, P.n, P.k, P.x, P.t, P.lab, &P.o, gn), NNM_OK);
        P.o.reduction = NNM_REDUCE_MEAN;
        ck_assert_int_eq(call_grad(L, P.n, P.k, P.x, P.t, P.lab, &P.o, gm), NNM_OK);
        long double D = (long double)P.n;
        if (L->labels) {
            D = 0;
            for (size_t i = 0; i < P.n; ++i)
                if (!is_ignored(&P, i)) D += P.o.class_weight ? P.cw[P.lab[i]] : 1.0;
        }
        for (size_t e = 0; e < d; ++e) {
            ck_assert(memcmp(&gs[e], &gn[e], sizeof(double)) == 0);
            if (D == 0) ck_assert(gm[e] == 0.0 && !signbit(gm[e]));
            else nnm_assert_rel_f64(gm[e], (double)(gs[e] / D), 2);
        }
    }
}
END_TEST

/* Ignored samples and zero weights: exactly zero gradient, and their data is not read (NaN there
 * changes nothing); a MEAN over nothing has gradient 0 everywhere. */
START_TEST(ignored_and_zero_weight_data_is_not_read)
{
    /* ce_logits_labels and nll: row 1 ignored (NaN logits), row 2 of class weight 0 */
    const double cw[3] = {1.0, 2.0, 0.0};
    nnm_loss_opts o = {NNM_REDUCE_MEAN, cw, NULL, 0.1, -100, 1, 0.0};
    double a[9] = {0.5, 1.0, -1.0, NAN, NAN, NAN, INFINITY, NAN, 1.0};
    int32_t lab[3] = {1, -100, 2};
    double g[9], g1[3];
    ck_assert_int_eq(nnm_grad_loss_ce_logits_labels_f64(3, 3, a, lab, &o, g), NNM_OK);
    for (int j = 3; j < 9; ++j) ck_assert(g[j] == 0.0);
    /* the counted row alone, with its weight 2 as the whole denominator: the same numbers */
    ck_assert_int_eq(nnm_grad_loss_ce_logits_labels_f64(1, 3, a, lab, &o, g1), NNM_OK);
    for (int j = 0; j < 3; ++j) ck_assert(g[j] == g1[j]);
    nnm_loss_opts onll = {NNM_REDUCE_MEAN, cw, NULL, 0.0, -100, 1, 0.0};
    ck_assert_int_eq(nnm_grad_loss_nll_labels_f64(3, 3, a, lab, &onll, g), NNM_OK);
    ck_assert(g[0] == 0 && g[1] == -1.0 && g[2] == 0); /* -w / sum w = -2 / 2 */
    for (int j = 3; j < 9; ++j) ck_assert(g[j] == 0.0);
    /* every sample ignored: MEAN over nothing, zero gradient, nothing read */
    int32_t all_ignored[3] = {-100, -100, -100};
    nnm_canary_fill(g, sizeof g);
    ck_assert_int_eq(nnm_grad_loss_ce_logits_labels_f64(3, 3, a, all_ignored, &o, g), NNM_OK);
    for (int j = 0; j < 9; ++j) ck_assert(g[j] == 0.0);
    /* dense losses: a column of weight 0 is 0 and not read (its data would be EDOM) */
    const double cw2[2] = {0.0, 1.5};
    nnm_loss_opts od = {NNM_REDUCE_SUM, cw2, NULL, 0.0, 0, 0, 0.0};
    double y[2] = {7.0 /* not a probability */, 0.25}, t[2] = {NAN, 1.0}, gd[2];
    ck_assert_int_eq(nnm_grad_loss_bce_f64(1, 2, y, t, &od, gd), NNM_OK);
    ck_assert(gd[0] == 0.0);
    nnm_assert_rel_f64(gd[1], 1.5 * (0.25 - 1.0) / (0.25 * 0.75), 1);
    ck_assert_int_eq(nnm_grad_loss_ce_f64(1, 2, y, t, &od, gd), NNM_OK);
    ck_assert(gd[0] == 0.0 && gd[1] == -1.5 / 0.25);
    double al[2] = {NAN, 3.0};
    ck_assert_int_eq(nnm_grad_loss_bce_logits_f64(1, 2, al, t, &od, gd), NNM_OK);
    ck_assert(gd[0] == 0.0 && isfinite(gd[1]));
    /* ce_logits: a zero-weight column's logit still moves the softmax: r C p_j */
    double az[2] = {0.0, 0.0}, tz[2] = {NAN, 1.0};
    ck_assert_int_eq(nnm_grad_loss_ce_logits_f64(1, 2, az, tz, &od, gd), NNM_OK);
    ck_assert(gd[0] == 0.75 && gd[1] == -0.75);
}
END_TEST

/* NaN in gives NaN where the forward loss is NaN; infinite logits use the softmax policy's
 * limit probabilities (+inf entries share 1, -inf entries get 0). */
START_TEST(nan_and_infinite_inputs_follow_the_policy)
{
    double g[3], out;
    const double t3[3] = {0.0, 1.0, 0.5};
    /* elementwise losses: NaN exactly where the input is NaN */
    const double yn[3] = {NAN, 0.5, -2.0};
    ck_assert_int_eq(nnm_grad_loss_l2_f64(1, 3, yn, t3, NULL, g), NNM_OK);
    ck_assert(isnan(g[0]) && g[1] == -0.5 && g[2] == -2.5);
    ck_assert_int_eq(nnm_grad_loss_l1_f64(1, 3, yn, t3, NULL, g), NNM_OK);
    ck_assert(isnan(g[0]) && g[1] == -1 && g[2] == -1);
    ck_assert_int_eq(nnm_grad_loss_huber_f64(1, 3, yn, t3, NULL, g), NNM_OK);
    ck_assert(isnan(g[0]) && g[1] == -0.5 && g[2] == -1);
    ck_assert_int_eq(nnm_grad_loss_bce_logits_f64(1, 3, yn, (double[]){1, 1, 1}, NULL, g), NNM_OK);
    ck_assert(isnan(g[0]) && isfinite(g[1]));
    /* +-inf: the limits, never 0 * inf */
    const double yi[3] = {INFINITY, -INFINITY, 0.0};
    ck_assert_int_eq(nnm_grad_loss_l2_f64(1, 3, yi, t3, NULL, g), NNM_OK);
    ck_assert(isinf(g[0]) && g[0] > 0 && isinf(g[1]) && g[1] < 0);
    ck_assert_int_eq(nnm_grad_loss_bce_logits_f64(1, 3, yi, t3, NULL, g), NNM_OK);
    ck_assert(g[0] == 1.0 && g[1] == -1.0 && g[2] == 0.0); /* 1 - t, -t, sigma(0) - 1/2 */
    /* kl: NaN in logq gives NaN, also under t = 0 (as the forward loss) */
    ck_assert_int_eq(nnm_grad_loss_kl_div_f64(1, 3, (double[]){NAN, -1, NAN}, t3, NULL, g), NNM_OK);
    ck_assert(isnan(g[0]) && g[1] == -1.0 && isnan(g[2]));
    ck_assert_int_eq(nnm_loss_kl_div_f64(1, 3, (double[]){NAN, -1, -1}, t3, NULL, &out), NNM_OK);
    ck_assert(isnan(out));
    /* nll: NaN at the label gives NaN there; NaN elsewhere is not part of the loss */
    ck_assert_int_eq(nnm_grad_loss_nll_labels_f64(1, 3, (double[]){NAN, -1, -2}, (int32_t[]){0},
                                                  NULL, g), NNM_OK);
    ck_assert(isnan(g[0]) && g[1] == 0 && g[2] == 0);
    ck_assert_int_eq(nnm_grad_loss_nll_labels_f64(1, 3, (double[]){-1, NAN, -2}, (int32_t[]){0},
                                                  NULL, g), NNM_OK);
    ck_assert(g[0] == -1 && g[1] == 0 && g[2] == 0);
    /* softmax forms: a NaN row is NaN; +inf entries share probability 1 */
    ck_assert_int_eq(nnm_grad_loss_ce_logits_labels_f64(1, 3, (double[]){0, NAN, 1},
                                                        (int32_t[]){0}, NULL, g), NNM_OK);
    ck_assert(isnan(g[0]) && isnan(g[1]) && isnan(g[2]));
    ck_assert_int_eq(nnm_grad_loss_ce_logits_labels_f64(1, 3, (double[]){INFINITY, INFINITY, 0},
                                                        (int32_t[]){0}, NULL, g), NNM_OK);
    ck_assert(g[0] == -0.5 && g[1] == 0.5 && g[2] == 0.0);
    ck_assert_int_eq(nnm_grad_loss_ce_logits_f64(1, 3, (double[]){-INFINITY, 0, 0}, t3, NULL, g),
                     NNM_OK);
    ck_assert(g[0] == 0.0 && g[1] == 0.75 - 1.0 && g[2] == 0.75 - 0.5); /* C = 1.5, p = (0,.5,.5) */
    /* a row of -inf has every probability 0: the gradient is -c */
    ck_assert_int_eq(nnm_grad_loss_ce_logits_f64(1, 3, (double[]){-INFINITY, -INFINITY, -INFINITY},
                                                 t3, NULL, g), NNM_OK);
    ck_assert(g[0] == 0.0 && g[1] == -1.0 && g[2] == -0.5);
}
END_TEST

/* A NaN row's gradient carries the NaN the reference picks (the row's first NaN after a_0: here
 * -NaN after a +NaN a_0), sign included, on every path: the vector kernels once produced the
 * default +NaN or kept a_0's NaN (found in review). */
START_TEST(nan_rows_carry_the_reference_nan)
{
    const double a[3] = {NAN, -NAN, 0.0}, t3[3] = {0.0, 1.0, 0.5};
    const float af[3] = {NAN, -NAN, 0.0f}, tf[3] = {0.0f, 1.0f, 0.5f};
    const int32_t lab[1] = {2};
    nnm_loss_opts sm = NNM_LOSS_OPTS_INIT;
    sm.reduction = NNM_REDUCE_MEAN;
    sm.label_smoothing = 0.1;
    double g[3];
    float gf[3];
    ck_assert(!signbit(a[0]) && signbit(a[1]));
    for (int form = 0; form < 3; ++form) {
        const nnm_loss_opts *o = form == 2 ? &sm : NULL;
        nnm_status s64 = form == 0 ? nnm_grad_loss_ce_logits_f64(1, 3, a, t3, NULL, g)
                                   : nnm_grad_loss_ce_logits_labels_f64(1, 3, a, lab, o, g);
        nnm_status s32 = form == 0 ? nnm_grad_loss_ce_logits_f32(1, 3, af, tf, NULL, gf)
                                   : nnm_grad_loss_ce_logits_labels_f32(1, 3, af, lab, o, gf);
        ck_assert_int_eq(s64, NNM_OK);
        ck_assert_int_eq(s32, NNM_OK);
        for (int j = 0; j < 3; ++j) {
            ck_assert_msg(isnan(g[j]) && signbit(g[j]), "form %d f64 entry %d", form, j);
            ck_assert_msg(isnan(gf[j]) && signbit(gf[j]), "form %d f32 entry %d", form, j);
        }
    }
}
END_TEST

START_TEST(in_place_and_f32_are_the_double_computation)
{
    uint64_t seed = 400 + (uint64_t)_i;
    const loss_desc *L = &LOSSES[_i];
    for (int trial = 0; trial < 100; ++trial) {
        problem P;
        random_problem(&seed, L, trial % 3 == 0, &P);
        size_t d = P.n * P.k;
        float xf[MAXN * MAXK], tf[MAXN * MAXK], gf[MAXN * MAXK];
        double g[MAXN * MAXK], inpl[MAXN * MAXK];
        for (size_t e = 0; e < d; ++e) {
            xf[e] = (float)P.x[e];
            tf[e] = (float)P.t[e];
            if (L->input == IN_PROB && (xf[e] <= 0 || xf[e] >= 1)) xf[e] = 0.5f;
            if (L->input == IN_POSPROB && xf[e] <= 0) xf[e] = 0.5f;
            P.x[e] = inpl[e] = xf[e];
            P.t[e] = tf[e];
        }
        ck_assert_int_eq(call_grad(L, P.n, P.k, P.x, P.t, P.lab, &P.o, g), NNM_OK);
        ck_assert_int_eq(call_grad(L, P.n, P.k, inpl, P.t, P.lab, &P.o, inpl), NNM_OK);
        ck_assert_int_eq(call_grad32(L, P.n, P.k, xf, tf, P.lab, &P.o, gf), NNM_OK);
        for (size_t e = 0; e < d; ++e) {
            ck_assert(memcmp(&g[e], &inpl[e], sizeof(double)) == 0);
            /* f32 widens to double, runs the same double computation and rounds once */
            ck_assert_msg(memcmp(&gf[e], &(float){(float)g[e]}, sizeof(float)) == 0,
                          "%s: f32 %.9g vs f64 %.17g", L->name, (double)gf[e], g[e]);
        }
        ck_assert_int_eq(call_grad32(L, P.n, P.k, xf, tf, P.lab, &P.o, xf), NNM_OK);
        ck_assert(memcmp(xf, gf, d * sizeof(float)) == 0);
    }
}
END_TEST

/* ---- statuses ------------------------------------------------------------------------------ */

START_TEST(bad_input_is_rejected_and_nothing_is_written)
{
    const loss_desc *L = &LOSSES[_i];
    double x[6] = {0.5, 0.25, 0.75, -0.5, 0.125, 0.5}, t[6] = {0, 1, 0.5, 1, 0, 0.25};
    if (L->input == IN_POSPROB || L->input == IN_PROB) x[3] = 0.5;
    int32_t lab[2] = {1, 2};
    double g[6];
    float xf[6], tf[6], gf[6];
    for (int e = 0; e < 6; ++e) xf[e] = (float)x[e], tf[e] = (float)t[e];
    const double *tgt = L->labels ? NULL : t;
    nnm_canary_fill(g, sizeof g);
    nnm_canary_fill(gf, sizeof gf);
#define G64(n, k, xx, tt, ll, oo, gg) \
    (L->labels ? L->lg64(n, k, xx, ll, oo, gg) : L->g64(n, k, xx, tt, oo, gg))
#define G32(n, k, xx, tt, ll, oo, gg) \
    (L->labels ? L->lg32(n, k, xx, ll, oo, gg) : L->g32(n, k, xx, tt, oo, gg))
    ck_assert_int_eq(G64(2, 3, x, tgt, lab, NULL, g), NNM_OK); /* sanity: valid as given */
    nnm_canary_fill(g, sizeof g);
    /* EINVAL: pointers */
    ck_assert_int_eq(G64(2, 3, NULL, tgt, lab, NULL, g), NNM_EINVAL);
    ck_assert_int_eq(G64(2, 3, x, NULL, NULL, NULL, g), NNM_EINVAL);
    ck_assert_int_eq(G64(2, 3, x, tgt, lab, NULL, NULL), NNM_EINVAL);
    ck_assert_int_eq(G32(2, 3, xf, NULL, NULL, NULL, gf), NNM_EINVAL);
    /* EINVAL: options (unused ones non-zero, bad reduction, bad values) */
    const double w3[3] = {1, 1, 1};
    nnm_loss_opts bad[] = {
        {(nnm_reduction)3, NULL, NULL, 0, 0, 0, 0},  {(nnm_reduction)-1, NULL, NULL, 0, 0, 0, 0},
        {NNM_REDUCE_SUM, NULL, NULL, -0.5, 0, 0, 0}, {NNM_REDUCE_SUM, NULL, NULL, NAN, 0, 0, 0},
        {NNM_REDUCE_SUM, NULL, NULL, 1.5, 0, 0, 0},  {NNM_REDUCE_SUM, NULL, NULL, 0, 0, 0, -1},
        {NNM_REDUCE_SUM, NULL, NULL, 0, 0, 0, NAN},  {NNM_REDUCE_SUM, NULL, NULL, 0, 5, 0, 0},
        {NNM_REDUCE_SUM, L->uses_cw ? NULL : w3, NULL, 0, 0, 0, 0},
        {NNM_REDUCE_SUM, NULL, L->uses_pw ? NULL : w3, 0, 0, 0, 0},
        {NNM_REDUCE_SUM, NULL, NULL, 0, 0, L->labels ? 0 : 1, 0}};
    /* every set is invalid for every loss, except where the loss uses that option: class_weight
     * (8), pos_weight (9), use_ignore_index with ignore_index 0 (10, label forms) */
    for (size_t b = 0; b < sizeof bad / sizeof bad[0]; ++b) {
        if ((b == 8 && L->uses_cw) || (b == 9 && L->uses_pw) || (b == 10 && L->labels)) continue;
        ck_assert_msg(G64(2, 3, x, tgt, lab, &bad[b], g) == NNM_EINVAL,
                      "%s: option set %zu accepted", L->name, b);
        ck_assert_int_eq(G32(2, 3, xf, L->labels ? NULL : tf, lab, &bad[b], gf), NNM_EINVAL);
    }
    /* ESIZE */
    ck_assert_int_eq(G64(2, 0, x, tgt, lab, NULL, g), NNM_ESIZE);
    ck_assert_int_eq(G64(SIZE_MAX / 2, 3, x, tgt, lab, NULL, g), NNM_ESIZE);
    ck_assert_int_eq(G32(2, 0, xf, L->labels ? NULL : tf, lab, NULL, gf), NNM_ESIZE);
    if (L->labels)
        ck_assert_int_eq(G64(1, (size_t)INT32_MAX + 1, x, tgt, lab, NULL, g), NNM_ESIZE);
    /* EDOM: data and weights */
    if (L->labels) {
        ck_assert_int_eq(G64(2, 3, x, tgt, ((int32_t[]){1, 3}), NULL, g), NNM_EDOM);
        ck_assert_int_eq(G64(2, 3, x, tgt, ((int32_t[]){-1, 0}), NULL, g), NNM_EDOM);
        ck_assert_int_eq(G32(2, 3, xf, NULL, ((int32_t[]){1, 3}), NULL, gf), NNM_EDOM);
    } else if (L->input == IN_REAL) {
        double tn[6] = {0, 1, NAN, 1, 0, 0};
        ck_assert_int_eq(G64(2, 3, x, tn, lab, NULL, g), NNM_EDOM);
        tn[2] = INFINITY;
        ck_assert_int_eq(G64(2, 3, x, tn, lab, NULL, g), NNM_EDOM);
    } else {
        double tn[6] = {0, 1, 1.5, 1, 0, 0};
        float tnf[6] = {0, 1, NAN, 1, 0, 0};
        ck_assert_int_eq(G64(2, 3, x, tn, lab, NULL, g), NNM_EDOM);
        tn[2] = NAN;
        ck_assert_int_eq(G64(2, 3, x, tn, lab, NULL, g), NNM_EDOM);
        tn[2] = -1e-300;
        ck_assert_int_eq(G64(2, 3, x, tn, lab, NULL, g), NNM_EDOM);
        ck_assert_int_eq(G32(2, 3, xf, tnf, lab, NULL, gf), NNM_EDOM);
        if (L->input == IN_PROB || L->input == IN_POSPROB) {
            double xb[6] = {0.5, 0.25, 1.25, 0.5, 0.125, 0.5};
            ck_assert_int_eq(G64(2, 3, xb, t, lab, NULL, g), NNM_EDOM);
        }
    }
    if (L->uses_cw) {
        nnm_loss_opts ow = {NNM_REDUCE_SUM, (const double[]){1, -1, 1}, NULL, 0, 0, 0, 0};
        ck_assert_int_eq(G64(2, 3, x, tgt, lab, &ow, g), NNM_EDOM);
        ow.class_weight = (const double[]){1, NAN, 1};
        ck_assert_int_eq(G64(2, 3, x, tgt, lab, &ow, g), NNM_EDOM);
        ow.class_weight = (const double[]){1, INFINITY, 1};
        ck_assert_int_eq(G64(2, 3, x, tgt, lab, &ow, g), NNM_EDOM);
        ck_assert_int_eq(G64(0, 3, NULL, NULL, NULL, &ow, NULL), NNM_EDOM); /* also for n = 0 */
        ow.class_weight = (const double[]){1, -1, 1};
        ow.reduction = (nnm_reduction)7; /* EINVAL before EDOM */
        ck_assert_int_eq(G64(2, 3, x, tgt, lab, &ow, g), NNM_EINVAL);
    }
    if (L->uses_pw) {
        nnm_loss_opts op = {NNM_REDUCE_SUM, NULL, (const double[]){1, 1, -0.5}, 0, 0, 0, 0};
        ck_assert_int_eq(G64(2, 3, x, tgt, lab, &op, g), NNM_EDOM);
    }
    if (L->uses_delta) {
        nnm_loss_opts od = {NNM_REDUCE_SUM, NULL, NULL, 0, 0, 0, -0.5};
        ck_assert_int_eq(G64(2, 3, x, tgt, lab, &od, g), NNM_EINVAL);
    }
    nnm_assert_untouched(g, sizeof g);
    nnm_assert_untouched(gf, sizeof gf);
    /* aliasing: d may be the input exactly, nothing else */
    double buf[12];
    memcpy(buf, x, sizeof x);
    ck_assert_int_eq(G64(2, 3, buf, tgt, lab, NULL, buf + 1), NNM_EINVAL);
    if (!L->labels) {
        double tt[6];
        memcpy(tt, t, sizeof t);
        ck_assert_int_eq(L->g64(2, 3, x, tt, NULL, tt), NNM_EINVAL);
        ck_assert(memcmp(tt, t, sizeof t) == 0);
    } else {
        double lbuf[8];
        int32_t *lp = (int32_t *)(void *)lbuf;
        lp[0] = 1, lp[1] = 2;
        ck_assert_int_eq(L->lg64(2, 3, x, lp, NULL, lbuf), NNM_EINVAL);
        ck_assert(lp[0] == 1 && lp[1] == 2);
    }
    if (L->uses_cw) {
        double wbuf[6] = {1, 1, 1, 0, 0, 0};
        nnm_loss_opts ow = {NNM_REDUCE_SUM, wbuf, NULL, 0, 0, 0, 0};
        ck_assert_int_eq(G64(1, 3, x, tgt, lab, &ow, wbuf + 2), NNM_EINVAL);
        ck_assert(wbuf[2] == 1 && wbuf[3] == 0);
    }
    ck_assert(memcmp(buf, x, sizeof x) == 0);
    /* n = 0: nothing to do, NULL pointers allowed */
    ck_assert_int_eq(G64(0, 3, NULL, NULL, NULL, NULL, NULL), NNM_OK);
    ck_assert_int_eq(G32(0, 3, NULL, NULL, NULL, NULL, NULL), NNM_OK);
#undef G64
#undef G32
}
END_TEST

static Suite *gradient_loss_suite(void)
{
    Suite *s = suite_create("gradient_loss");
    TCase *tc = tcase_create("losses");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, every_gradient_matches_central_differences_of_its_loss, 0, NLOSS);
    tcase_add_loop_test(tc, every_gradient_meets_its_bound_against_mpfr, 0, NLOSS);
    tcase_add_test(tc, gradients_at_the_extremes_match_differences_and_mpfr);
    tcase_add_test(tc, literal_gradients_of_confident_and_tied_predictions);
    tcase_add_loop_test(tc, reductions_scale_the_gradient_as_the_loss, 0, NLOSS);
    tcase_add_test(tc, ignored_and_zero_weight_data_is_not_read);
    tcase_add_test(tc, nan_and_infinite_inputs_follow_the_policy);
    tcase_add_test(tc, nan_rows_carry_the_reference_nan);
    tcase_add_loop_test(tc, in_place_and_f32_are_the_double_computation, 0, NLOSS);
    tcase_add_loop_test(tc, bad_input_is_rejected_and_nothing_is_written, 0, NLOSS);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return nnm_run_suite(gradient_loss_suite());
}
