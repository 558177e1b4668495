/*
 * Bad-input matrix of the losses, their gradients (nnm_grad_loss_*) and their diagonal Hessians
 * (nnm_hess_loss_*), which share one set of rules (include/nnmath/loss.h, common contract):
 * every status, in the documented precedence EINVAL > ESIZE > EDOM, with the output proven
 * untouched; labels INT32_MIN, -1, k, INT32_MAX; NaN targets and weights; NULL with n = 0;
 * sizes beyond PTRDIFF_MAX bytes and k > INT32_MAX rejected before any access; in place
 * gradients; and regression tests of the bugs the fuzzers found (reliab8-1, -8, -9, -10).
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <nnmath/nnmath.h>

#include "test_errors.h"

enum { L2, L1, HUBER, BCE, BCE_LOGITS, CE, CE_LOGITS, CE_LABELS, NLL, KL, N_LOSSES };

typedef nnm_status (*d64)(size_t, size_t, const double *, const double *, const nnm_loss_opts *,
                          double *);
typedef nnm_status (*d32)(size_t, size_t, const float *, const float *, const nnm_loss_opts *,
                          float *);
typedef nnm_status (*l64)(size_t, size_t, const double *, const int32_t *, const nnm_loss_opts *,
                          double *);
typedef nnm_status (*l32)(size_t, size_t, const float *, const int32_t *, const nnm_loss_opts *,
                          float *);

/* what = 0: the loss, 1: its gradient, 2: its diagonal Hessian (NULL where there is none) */
static const struct {
    const char *name;
    d64 f64[3];
    d32 f32[3];
    l64 lab64[2];
    l32 lab32[2];
    int cw, pw, smoothing, ignore, delta; /* the options it uses */
    int input_unit, target_unit, target_finite;
} L[N_LOSSES] = {
    [L2] = {"l2", {nnm_loss_l2_f64, nnm_grad_loss_l2_f64, nnm_hess_loss_l2_f64},
            {nnm_loss_l2_f32, nnm_grad_loss_l2_f32, nnm_hess_loss_l2_f32}, {NULL, NULL}, {NULL, NULL},
            0, 0, 0, 0, 0, 0, 0, 1},
    [L1] = {"l1", {nnm_loss_l1_f64, nnm_grad_loss_l1_f64, NULL},
            {nnm_loss_l1_f32, nnm_grad_loss_l1_f32, NULL}, {NULL, NULL}, {NULL, NULL},
            0, 0, 0, 0, 0, 0, 0, 1},
    [HUBER] = {"huber", {nnm_loss_huber_f64, nnm_grad_loss_huber_f64, nnm_hess_loss_huber_f64},
               {nnm_loss_huber_f32, nnm_grad_loss_huber_f32, nnm_hess_loss_huber_f32},
               {NULL, NULL}, {NULL, NULL}, 0, 0, 0, 0, 1, 0, 0, 1},
    [BCE] = {"bce", {nnm_loss_bce_f64, nnm_grad_loss_bce_f64, nnm_hess_loss_bce_f64},
             {nnm_loss_bce_f32, nnm_grad_loss_bce_f32, nnm_hess_loss_bce_f32}, {NULL, NULL},
             {NULL, NULL}, 1, 0, 0, 0, 0, 1, 1, 0},
    [BCE_LOGITS] = {"bce_logits",
                    {nnm_loss_bce_logits_f64, nnm_grad_loss_bce_logits_f64,
                     nnm_hess_loss_bce_logits_opts_f64},
                    {nnm_loss_bce_logits_f32, nnm_grad_loss_bce_logits_f32,
                     nnm_hess_loss_bce_logits_opts_f32},
                    {NULL, NULL}, {NULL, NULL}, 1, 1, 0, 0, 0, 0, 1, 0},
    [CE] = {"ce", {nnm_loss_ce_f64, nnm_grad_loss_ce_f64, nnm_hess_loss_ce_f64},
            {nnm_loss_ce_f32, nnm_grad_loss_ce_f32, nnm_hess_loss_ce_f32}, {NULL, NULL}, {NULL, NULL},
            1, 0, 1, 0, 0, 1, 1, 0},
    [CE_LOGITS] = {"ce_logits", {nnm_loss_ce_logits_f64, nnm_grad_loss_ce_logits_f64, NULL},
                   {nnm_loss_ce_logits_f32, nnm_grad_loss_ce_logits_f32, NULL}, {NULL, NULL},
                   {NULL, NULL}, 1, 0, 1, 0, 0, 0, 1, 0},
    [CE_LABELS] = {"ce_logits_labels", {NULL, NULL, NULL}, {NULL, NULL, NULL},
                   {nnm_loss_ce_logits_labels_f64, nnm_grad_loss_ce_logits_labels_f64},
                   {nnm_loss_ce_logits_labels_f32, nnm_grad_loss_ce_logits_labels_f32}, 1, 0, 1, 1,
                   0, 0, 0, 0},
    [NLL] = {"nll_labels", {NULL, NULL, NULL}, {NULL, NULL, NULL},
             {nnm_loss_nll_labels_f64, nnm_grad_loss_nll_labels_f64},
             {nnm_loss_nll_labels_f32, nnm_grad_loss_nll_labels_f32}, 1, 0, 0, 1, 0, 0, 0, 0},
    [KL] = {"kl_div", {nnm_loss_kl_div_f64, nnm_grad_loss_kl_div_f64, NULL},
            {nnm_loss_kl_div_f32, nnm_grad_loss_kl_div_f32, NULL}, {NULL, NULL}, {NULL, NULL},
            0, 0, 0, 0, 0, 0, 1, 0},
};

#define K 4
#define N 3

/* Valid data for every loss: probabilities / targets in (0,1), labels in range. */
static double x_ok[N * K] = {0.1, 0.2, 0.3, 0.4, 0.25, 0.25, 0.25, 0.25, 0.7, 0.1, 0.1, 0.1};
static double t_ok[N * K] = {0.0, 1.0, 0.5, 0.25, 1.0, 0.0, 0.0, 0.0, 0.3, 0.3, 0.2, 0.2};
static int32_t lab_ok[N] = {1, 0, 3};

/* One call of loss i, what (0 loss, 1 gradient, 2 Hessian), dtype f32 or f64, on double data
 * (f32: converted). out is a guard: 64 doubles or 128 floats of canary. */
static nnm_status call(int i, int what, int f32, size_t n, size_t k, const double *x,
                       const double *t, const int32_t *lab, const nnm_loss_opts *o, guard *out)
{
    int lab_form = i == CE_LABELS || i == NLL;
    if (!f32) {
        double *od = out ? out->d : NULL;
        if (lab_form) return L[i].lab64[what](n, k, x, lab, o, od);
        return L[i].f64[what](n, k, x, t, o, od);
    }
    float xf[64], tf[64];
    size_t cnt = 0;
    if (k != 0 && n <= 64 / k) cnt = n * k;
    for (size_t j = 0; j < cnt; ++j) {
        xf[j] = x ? (float)x[j] : 0.0f;
        tf[j] = t ? (float)t[j] : 0.0f;
    }
    const float *xp = x ? xf : NULL, *tp = t ? tf : NULL;
    if (x && cnt == 0) xp = xf; /* gigantic sizes: tiny valid buffers */
    if (t && cnt == 0) tp = tf;
    float *op = out ? out->f : NULL;
    if (lab_form) return L[i].lab32[what](n, k, xp, lab, o, op);
    return L[i].f32[what](n, k, xp, tp, o, op);
}

static int has(int i, int what)
{
    if (i == CE_LABELS || i == NLL) return what < 2;
    return L[i].f64[what] != NULL;
}

/* Expect status want for every variant (loss/gradient/Hessian, f32/f64) that exists, and no
 * write. need_out: the loss writes (SUM/MEAN) even for n = 0 and then needs its output. */
static void expect_all(int i, size_t n, size_t k, const double *x, const double *t,
                       const int32_t *lab, const nnm_loss_opts *o, nnm_status want, const char *why)
{
    for (int what = 0; what < 3; ++what) {
        if (!has(i, what)) continue;
        for (int f32 = 0; f32 < 2; ++f32) {
            guard out;
            guard_fill(&out);
            nnm_status s = call(i, what, f32, n, k, x, t, lab, o, &out);
            ck_assert_msg(s == want, "%s %s %s (%s): status %d, want %d", L[i].name,
                          what == 0 ? "loss" : what == 1 ? "gradient" : "hessian",
                          f32 ? "f32" : "f64", why, (int)s, (int)want);
            if (want != NNM_OK) assert_guard_intact(&out);
        }
    }
}

START_TEST(options_each_invalid_one_is_einval)
{
    int i = _i;
    nnm_loss_opts o;
    const double w[K] = {1, 1, 1, 1};
    /* unknown reductions */
    static const int bad_red[] = {3, -1, 1000};
    for (size_t r = 0; r < 3; ++r) {
        memset(&o, 0, sizeof o);
        o.reduction = (nnm_reduction)bad_red[r];
        expect_all(i, N, K, x_ok, t_ok, lab_ok, &o, NNM_EINVAL, "unknown reduction");
    }
    /* an option the loss does not use must be zero */
    memset(&o, 0, sizeof o);
    o.class_weight = w;
    expect_all(i, N, K, x_ok, t_ok, lab_ok, &o, L[i].cw ? NNM_OK : NNM_EINVAL, "class_weight");
    memset(&o, 0, sizeof o);
    o.pos_weight = w;
    expect_all(i, N, K, x_ok, t_ok, lab_ok, &o, L[i].pw ? NNM_OK : NNM_EINVAL, "pos_weight");
    memset(&o, 0, sizeof o);
    o.delta = 2.0;
    expect_all(i, N, K, x_ok, t_ok, lab_ok, &o, L[i].delta ? NNM_OK : NNM_EINVAL, "delta");
    memset(&o, 0, sizeof o);
    o.label_smoothing = 0.1;
    expect_all(i, N, K, x_ok, t_ok, lab_ok, &o, L[i].smoothing ? NNM_OK : NNM_EINVAL, "smoothing");
    memset(&o, 0, sizeof o);
    o.use_ignore_index = 1;
    o.ignore_index = 2;
    expect_all(i, N, K, x_ok, t_ok, lab_ok, &o, L[i].ignore ? NNM_OK : NNM_EINVAL, "ignore");
    /* ignore_index set while use_ignore_index == 0 (a PyTorch-style -100 left inactive) */
    memset(&o, 0, sizeof o);
    o.ignore_index = -100;
    expect_all(i, N, K, x_ok, t_ok, lab_ok, &o, NNM_EINVAL, "ignore_index without use");
    /* out-of-range values of used options */
    static const double bad_smoothing[] = {-0.1, 1.1, NAN, INFINITY};
    for (size_t b = 0; L[i].smoothing && b < 4; ++b) {
        memset(&o, 0, sizeof o);
        o.label_smoothing = bad_smoothing[b];
        expect_all(i, N, K, x_ok, t_ok, lab_ok, &o, NNM_EINVAL, "smoothing outside [0,1]");
    }
    static const double bad_delta[] = {-1.0, -0.0 - 1e-300, NAN, -INFINITY};
    for (size_t b = 0; L[i].delta && b < 4; ++b) {
        memset(&o, 0, sizeof o);
        o.delta = bad_delta[b];
        expect_all(i, N, K, x_ok, t_ok, lab_ok, &o, NNM_EINVAL, "delta < 0 or NaN");
    }
    /* EINVAL (options) beats ESIZE (k = 0) and EDOM (bad labels / targets) */
    memset(&o, 0, sizeof o);
    o.reduction = (nnm_reduction)7;
    int32_t bad_lab[N] = {-1, K, INT32_MIN};
    double bad_t[N * K];
    for (int j = 0; j < N * K; ++j) bad_t[j] = NAN;
    expect_all(i, N, 0, x_ok, bad_t, bad_lab, &o, NNM_EINVAL, "EINVAL > ESIZE > EDOM");
}
END_TEST

START_TEST(pointers_and_sizes)
{
    int i = _i;
    int lab_form = i == CE_LABELS || i == NLL;
    /* NULL with n > 0 */
    expect_all(i, N, K, NULL, t_ok, lab_ok, NULL, NNM_EINVAL, "NULL input");
    expect_all(i, N, K, x_ok, NULL, lab_form ? NULL : lab_ok, NULL, NNM_EINVAL, "NULL target");
    /* NULL before size */
    expect_all(i, N, 0, NULL, t_ok, lab_ok, NULL, NNM_EINVAL, "NULL beats k = 0");
    /* the output */
    for (int what = 0; what < 3; ++what) {
        if (!has(i, what)) continue;
        for (int f32 = 0; f32 < 2; ++f32) {
            ck_assert_int_eq(call(i, what, f32, N, K, x_ok, t_ok, lab_ok, NULL, NULL), NNM_EINVAL);
            /* n = 0: SUM and MEAN still write their 0, so a loss needs out; a gradient or a
             * Hessian writes nothing and accepts NULL everywhere */
            nnm_loss_opts o = NNM_LOSS_OPTS_INIT;
            ck_assert_int_eq(call(i, what, f32, 0, K, NULL, NULL, NULL, &o, NULL),
                             what == 0 ? NNM_EINVAL : NNM_OK);
            o.reduction = NNM_REDUCE_NONE;
            ck_assert_int_eq(call(i, what, f32, 0, K, NULL, NULL, NULL, &o, NULL), NNM_OK);
            /* SUM and MEAN over nothing are 0; NONE over nothing writes nothing */
            guard out;
            guard_fill(&out);
            ck_assert_int_eq(call(i, what, f32, 0, K, NULL, NULL, NULL, &o, &out), NNM_OK);
            assert_guard_intact(&out);
            for (int red = 0; what == 0 && red < 2; ++red) {
                o.reduction = (nnm_reduction)red;
                ck_assert_int_eq(call(i, 0, f32, 0, K, NULL, NULL, NULL, &o, &out), NNM_OK);
                ck_assert(f32 ? out.f[0] == 0.0f : out.d[0] == 0.0);
            }
        }
    }
    /* sizes: k = 0; n*k wraps or exceeds PTRDIFF_MAX bytes; k > INT32_MAX for label forms */
    expect_all(i, N, 0, x_ok, t_ok, lab_ok, NULL, NNM_ESIZE, "k = 0");
    expect_all(i, 0, 0, x_ok, t_ok, lab_ok, NULL, NNM_ESIZE, "k = 0, n = 0");
    expect_all(i, HALF_SIZE_MAX, 2, x_ok, t_ok, lab_ok, NULL, NNM_ESIZE, "n*k wraps");
    expect_all(i, 2, BIG_N_F32 / 2 + 1, x_ok, t_ok, lab_ok, NULL, NNM_ESIZE, "n*k bytes");
    expect_all(i, SIZE_MAX, SIZE_MAX, x_ok, t_ok, lab_ok, NULL, NNM_ESIZE, "SIZE_MAX^2");
    if (lab_form) {
        expect_all(i, 1, (size_t)INT32_MAX + 1, x_ok, NULL, lab_ok, NULL, NNM_ESIZE, "k > INT32_MAX");
        expect_all(i, 0, (size_t)INT32_MAX + 1, NULL, NULL, NULL, NULL, NNM_ESIZE, "k > INT32_MAX, n = 0");
    }
    /* ESIZE beats EDOM */
    int32_t bad_lab[N] = {-1, -1, -1};
    double bad_t[N * K];
    for (int j = 0; j < N * K; ++j) bad_t[j] = NAN;
    expect_all(i, N, 0, bad_t, bad_t, bad_lab, NULL, NNM_ESIZE, "ESIZE > EDOM");
}
END_TEST

START_TEST(data_domain_is_edom)
{
    int i = _i;
    int lab_form = i == CE_LABELS || i == NLL;
    if (lab_form) {
        static const int32_t bad[] = {INT32_MIN, -1, K, INT32_MAX, K + 1};
        for (size_t b = 0; b < 5; ++b) {
            int32_t lab[N] = {0, 1, bad[b]}; /* the bad label is the last one */
            expect_all(i, N, K, x_ok, NULL, lab, NULL, NNM_EDOM, "label out of range");
            /* ignored labels are accepted even outside [0,k) */
            nnm_loss_opts o = NNM_LOSS_OPTS_INIT;
            o.use_ignore_index = 1;
            o.ignore_index = bad[b];
            expect_all(i, N, K, x_ok, NULL, lab, &o, NNM_OK, "ignored label");
        }
    } else {
        /* one bad target (the last element) */
        static const double bad_unit[] = {NAN, -0.5, 1.5, INFINITY, -INFINITY, -1e-30};
        static const double bad_finite[] = {NAN, INFINITY, -INFINITY};
        double t[N * K];
        if (L[i].target_unit)
            for (size_t b = 0; b < 6; ++b) {
                memcpy(t, t_ok, sizeof t);
                t[N * K - 1] = bad_unit[b];
                expect_all(i, N, K, x_ok, t, NULL, NULL, NNM_EDOM, "target outside [0,1]");
            }
        if (L[i].target_finite)
            for (size_t b = 0; b < 3; ++b) {
                memcpy(t, t_ok, sizeof t);
                t[N * K - 1] = bad_finite[b];
                expect_all(i, N, K, x_ok, t, NULL, NULL, NNM_EDOM, "target not finite");
            }
        if (L[i].input_unit)
            for (size_t b = 0; b < 6; ++b) {
                double x[N * K];
                memcpy(x, x_ok, sizeof x);
                x[N * K - 1] = bad_unit[b];
                expect_all(i, N, K, x, t_ok, NULL, NULL, NNM_EDOM, "probability outside [0,1]");
            }
        /* a column of class weight 0 is neither read nor checked */
        if (L[i].cw && (L[i].target_unit || L[i].input_unit)) {
            const double w[K] = {1, 1, 1, 0};
            nnm_loss_opts o = NNM_LOSS_OPTS_INIT;
            o.class_weight = w;
            double x[N * K];
            memcpy(t, t_ok, sizeof t);
            memcpy(x, x_ok, sizeof x);
            t[N * K - 1] = NAN;
            x[N * K - 1] = 7.0;
            expect_all(i, N, K, x, t, NULL, &o, NNM_OK, "zero-weight column not checked");
        }
    }
    /* NaN in the input (logits, outputs) is data, not an error */
    if (!L[i].input_unit) {
        double x[N * K];
        memcpy(x, x_ok, sizeof x);
        x[0] = NAN;
        expect_all(i, N, K, x, t_ok, lab_ok, NULL, NNM_OK, "NaN input is not EDOM");
    }
    /* weights: negative, NaN, +inf are EDOM; all k are checked, also for n = 0 */
    static const double bad_w[] = {-1.0, -1e-300, NAN, INFINITY};
    for (size_t b = 0; b < 4; ++b) {
        double w[K] = {1, 1, 1, 1};
        w[K - 1] = bad_w[b];
        nnm_loss_opts o = NNM_LOSS_OPTS_INIT;
        if (L[i].cw) {
            o.class_weight = w;
            expect_all(i, N, K, x_ok, t_ok, lab_ok, &o, NNM_EDOM, "bad class weight");
            expect_all(i, 0, K, x_ok, t_ok, lab_ok, &o, NNM_EDOM, "bad class weight, n = 0");
        }
        if (L[i].pw) {
            o.class_weight = NULL;
            o.pos_weight = w;
            expect_all(i, N, K, x_ok, t_ok, lab_ok, &o, NNM_EDOM, "bad pos weight");
        }
    }
}
END_TEST

/* Gradients: d_input == input is allowed (same bits); d_input overlapping the target, the labels
 * or a weight array, or partially overlapping the input, is EINVAL with nothing written. */
START_TEST(gradient_aliasing)
{
    int i = _i;
    int lab_form = i == CE_LABELS || i == NLL;
    double g1[N * K], g2[N * K];
    nnm_loss_opts o = NNM_LOSS_OPTS_INIT;
    o.reduction = NNM_REDUCE_MEAN;
    memcpy(g2, x_ok, sizeof g2);
    if (lab_form) {
        ck_assert_int_eq(L[i].lab64[1](N, K, x_ok, lab_ok, &o, g1), NNM_OK);
        ck_assert_int_eq(L[i].lab64[1](N, K, g2, lab_ok, &o, g2), NNM_OK);
    } else {
        ck_assert_int_eq(L[i].f64[1](N, K, x_ok, t_ok, &o, g1), NNM_OK);
        ck_assert_int_eq(L[i].f64[1](N, K, g2, t_ok, &o, g2), NNM_OK);
    }
    ck_assert_msg(memcmp(g1, g2, sizeof g1) == 0, "%s: in-place gradient differs", L[i].name);

    double buf[N * K + 1];
    memcpy(buf, x_ok, sizeof x_ok);
    buf[N * K] = 0.5;
    double snap[N * K + 1];
    memcpy(snap, buf, sizeof buf);
    nnm_status s = lab_form ? L[i].lab64[1](N, K, buf, lab_ok, &o, buf + 1)
                            : L[i].f64[1](N, K, buf, t_ok, &o, buf + 1);
    ck_assert_msg(s == NNM_EINVAL, "%s: partial overlap with the input: %d", L[i].name, (int)s);
    ck_assert(memcmp(buf, snap, sizeof buf) == 0);
    if (!lab_form) {
        double tt[N * K + 1];
        memcpy(tt, t_ok, sizeof t_ok);
        tt[N * K] = 0.5;
        double tsnap[N * K + 1];
        memcpy(tsnap, tt, sizeof tt);
        ck_assert_int_eq(L[i].f64[1](N, K, x_ok, tt, &o, tt), NNM_EINVAL);
        ck_assert_int_eq(L[i].f64[1](N, K, x_ok, tt, &o, tt + 1), NNM_EINVAL);
        ck_assert(memcmp(tt, tsnap, sizeof tt) == 0);
    } else {
        /* the gradient array over the labels */
        union {
            double d[N * K];
            int32_t l[2 * N * K];
        } u;
        memset(&u, 0, sizeof u);
        ck_assert_int_eq(L[i].lab64[1](N, K, x_ok, u.l, &o, u.d), NNM_EINVAL);
    }
    if (L[i].cw) {
        double w[N * K];
        for (int j = 0; j < N * K; ++j) w[j] = 1.0;
        o.class_weight = w;
        s = lab_form ? L[i].lab64[1](N, K, x_ok, lab_ok, &o, w)
                     : L[i].f64[1](N, K, x_ok, t_ok, &o, w);
        ck_assert_msg(s == NNM_EINVAL, "%s: gradient over the class weights: %d", L[i].name, (int)s);
        for (int j = 0; j < N * K; ++j) ck_assert(w[j] == 1.0);
    }
}
END_TEST

/* ---- regression tests of the fuzzers' findings ---------------------------------------------- */

/* l2's SUM / MEAN skip the target scan when the vector total is finite (a non-finite target
 * makes it +inf or NaN): every position of a bad target, in the vector body and in the tail, must
 * still give EDOM with the output untouched, and an infinite y with finite targets is data. */
START_TEST(l2_fused_target_check_is_edom)
{
    enum { M = 203 };
    static double y[M], t[M];
    static float yf[M], tf[M];
    static const double bad[] = {NAN, INFINITY, -INFINITY};
    for (size_t i = 0; i < M; ++i) y[i] = yf[i] = (float)i * 0.25f, t[i] = tf[i] = 1.0f;
    for (int r = 0; r < 2; ++r) {
        nnm_loss_opts o = NNM_LOSS_OPTS_INIT;
        o.reduction = r ? NNM_REDUCE_SUM : NNM_REDUCE_MEAN;
        for (size_t pos = 0; pos < M; pos += 17)
            for (size_t b = 0; b < 3; ++b) {
                t[pos] = bad[b], tf[pos] = (float)bad[b];
                double out = 42.0;
                float outf = 42.0f;
                ck_assert_int_eq(nnm_loss_l2_f64(M, 1, y, t, &o, &out), NNM_EDOM);
                ck_assert_int_eq(nnm_loss_l2_f32(M, 1, yf, tf, &o, &outf), NNM_EDOM);
                ck_assert(out == 42.0 && outf == 42.0f);
                t[pos] = tf[pos] = 1.0f;
            }
        y[100] = INFINITY, yf[100] = INFINITY;
        double out;
        float outf;
        ck_assert_int_eq(nnm_loss_l2_f64(M, 1, y, t, &o, &out), NNM_OK);
        ck_assert_int_eq(nnm_loss_l2_f32(M, 1, yf, tf, &o, &outf), NNM_OK);
        ck_assert(out == INFINITY && outf == INFINITY);
        y[100] = yf[100] = 25.0f;
    }
}
END_TEST

/* reliab8-1: a label-form MEAN over valid weights whose sum overflows was NaN. */
START_TEST(mean_with_weights_near_dbl_max_is_finite)
{
    const double a[4] = {0, 0, 0, 0}, lp[4] = {-1, -1, -1, -1};
    const int32_t labels[2] = {0, 0};
    const double w[2] = {DBL_MAX, 1.0};
    nnm_loss_opts o = NNM_LOSS_OPTS_INIT;
    o.reduction = NNM_REDUCE_MEAN;
    o.class_weight = w;
    double out;
    ck_assert_int_eq(nnm_loss_ce_logits_labels_f64(2, 2, a, labels, &o, &out), NNM_OK);
    nnm_assert_rel_f64(out, log(2.0), 8);
    ck_assert_int_eq(nnm_loss_nll_labels_f64(2, 2, lp, labels, &o, &out), NNM_OK);
    nnm_assert_rel_f64(out, 1.0, 4);
}
END_TEST

/* reliab8-8: the weights were scaled by the largest class weight even when that class is never
 * a label, pushing the used weights into the subnormal range (0.6 % error). */
START_TEST(mean_with_huge_unused_class_weight_is_accurate)
{
    const double a[4] = {0, 0, 0, 0};
    const int32_t labels[2] = {0, 0};
    const double w[2] = {0x1.6583p-1001, DBL_MAX}; /* class 1 is unused */
    nnm_loss_opts o = NNM_LOSS_OPTS_INIT;
    o.reduction = NNM_REDUCE_MEAN;
    o.class_weight = w;
    double out, g[4];
    ck_assert_int_eq(nnm_loss_ce_logits_labels_f64(2, 2, a, labels, &o, &out), NNM_OK);
    nnm_assert_rel_f64(out, log(2.0), 8); /* 4 eps per sample + 2 eps reduction, with margin */
    /* its gradient: (softmax - onehot) / 2 per row, the MEAN of two equal rows */
    ck_assert_int_eq(nnm_grad_loss_ce_logits_labels_f64(2, 2, a, labels, &o, g), NNM_OK);
    nnm_assert_rel_f64(g[0], -0.25, 8);
    nnm_assert_rel_f64(g[1], 0.25, 8);
}
END_TEST

/* reliab8-10 (low): dense ce_logits whose class weights sum past DBL_MAX gave inf * 0 = NaN on
 * a saturated row; the exact loss is +inf there. */
START_TEST(ce_logits_huge_weights_saturated_row_is_not_nan)
{
    const double a[2] = {0x1p465, 0.0}, t[2] = {1.0, 1.0}, cw[2] = {DBL_MAX, DBL_MAX};
    nnm_loss_opts o = NNM_LOSS_OPTS_INIT;
    o.class_weight = cw;
    double out;
    ck_assert_int_eq(nnm_loss_ce_logits_f64(1, 2, a, t, &o, &out), NNM_OK);
    ck_assert_msg(!isnan(out), "finite logits and valid weights gave NaN");
    ck_assert(out == INFINITY);
}
END_TEST

/* reliab8-9 (low): the bce_logits Hessian was inf * 0 = NaN where sigma' underflows and the
 * weight factor overflows; the exact value is 0. */
START_TEST(bce_logits_hessian_huge_weights_is_not_nan)
{
    const double a[1] = {-1e300}, t[1] = {0.5}, cw[1] = {1e200}, pw[1] = {1e200};
    nnm_loss_opts o = NNM_LOSS_OPTS_INIT;
    o.class_weight = cw;
    o.pos_weight = pw;
    double h[1];
    ck_assert_int_eq(nnm_hess_loss_bce_logits_opts_f64(1, 1, a, t, &o, h), NNM_OK);
    ck_assert_msg(h[0] == 0.0, "h = %g, exact 0", h[0]);
}
END_TEST

static Suite *errors_loss_suite(void)
{
    Suite *s = suite_create("errors_loss");
    TCase *tc = tcase_create("matrix");
    tcase_add_loop_test(tc, options_each_invalid_one_is_einval, 0, N_LOSSES);
    tcase_add_loop_test(tc, pointers_and_sizes, 0, N_LOSSES);
    tcase_add_loop_test(tc, data_domain_is_edom, 0, N_LOSSES);
    tcase_add_loop_test(tc, gradient_aliasing, 0, N_LOSSES);
    suite_add_tcase(s, tc);
    TCase *reg = tcase_create("fuzz_findings");
    tcase_add_test(reg, l2_fused_target_check_is_edom);
    tcase_add_test(reg, mean_with_weights_near_dbl_max_is_finite);
    tcase_add_test(reg, mean_with_huge_unused_class_weight_is_accurate);
    tcase_add_test(reg, ce_logits_huge_weights_saturated_row_is_not_nan);
    tcase_add_test(reg, bce_logits_hessian_huge_weights_is_not_nan);
    suite_add_tcase(s, reg);
    return s;
}

int main(void)
{
    return nnm_run_suite(errors_loss_suite());
}
