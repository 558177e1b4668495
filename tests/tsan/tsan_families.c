/*
 * ThreadSanitizer test: every function family of libnnmath called from NTHREADS threads at once.
 *
 * The threads wait on a barrier before their first library call, so the calls that initialise
 * the CPU-dispatch cache race on purpose (the only global state the library may have, API.md).
 * ThreadSanitizer reports any data race inside the library (and fails the run); besides, every
 * thread records each status and each output value, and all of them must be bit-identical to the
 * same sequence computed afterwards by the main thread alone: a call that depended on another
 * thread's data, or a cache initialised halfway, would show up as a different bit pattern.
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nnmath/nnmath.h>

#define NTHREADS 4
#define ROUNDS 3          /* each thread runs all families this often, so calls overlap a lot */
#define MAX_RESULTS 65536 /* values recorded per run of all families */

/* What one run of all families produced: the bits of every status and output value, in order
 * (bits, so that NaN payloads and signed zeros count too). */
typedef struct results {
    uint64_t v[MAX_RESULTS];
    size_t count;
    int overflow;
} results;

static void put(results *r, double x)
{
    if (r->count < MAX_RESULTS)
        memcpy(&r->v[r->count++], &x, sizeof x);
    else
        r->overflow = 1;
}

static void put_status(results *r, nnm_status s)
{
    put(r, (double)s);
}

static void put_f64(results *r, const double *x, size_t n)
{
    for (size_t i = 0; i < n; ++i) put(r, x[i]);
}

/* Inputs shared read-only by all threads (the library may read the same input concurrently):
 * values across the interesting ranges (saturation, zero, subnormal, the exp thresholds). */
#define N_EW ((size_t)300) /* elementwise length: several vector blocks plus a tail */
#define K ((size_t)7)       /* classes */
#define NR ((size_t)5)      /* rows */
static double in_x[N_EW];
static float in_xf[N_EW];
static double in_a[NR * K], in_t[NR * K], in_dy[NR * K];
static float in_af[NR * K], in_tf[NR * K], in_dyf[NR * K];
static int32_t in_labels[NR] = {0, 3, 6, 2, 5};
static const double in_cw[K] = {1.0, 0.5, 2.0, 0.0, 1.5, 1.0, 0.25};

/* Filled by main before the threads start (no library call there). */
static void make_inputs(void)
{
    for (size_t i = 0; i < N_EW; ++i) {
        in_x[i] = (i % 2 ? -1.0 : 1.0) * exp((double)(i % 60) - 30.0) * (1.0 + (double)i / 1000.0);
        in_xf[i] = (float)in_x[i];
    }
    in_x[0] = 0.0;
    in_x[1] = -0.0;
    in_x[2] = 1e-310;
    in_x[3] = 800.0;
    in_x[4] = -800.0;
    for (size_t i = 0; i < NR * K; ++i) {
        in_a[i] = sin(1.7 * (double)i) * 6.0;
        in_t[i] = 0.5 + 0.5 * cos(0.9 * (double)i);
        in_dy[i] = cos(2.3 * (double)i);
        in_af[i] = (float)in_a[i];
        in_tf[i] = (float)in_t[i];
        in_dyf[i] = (float)in_dy[i];
    }
}

static void put_f32(results *r, const float *x, size_t n)
{
    for (size_t i = 0; i < n; ++i) put(r, (double)x[i]);
}

/* ---- the families ----------------------------------------------------------------------- */

static void family_core(results *r)
{
    put(r, (double)strlen(nnm_status_str(NNM_EDOM)));
    put(r, (double)nnm_version_number());
    put(r, (double)strlen(nnm_version_string()));
}

/* Elementwise activations: the very first library call of every thread is a dispatched kernel. */
static void family_elementwise(results *r)
{
    double *yl = malloc(N_EW * sizeof *yl);
    float *yf = malloc(N_EW * sizeof *yf);
    if (yl == NULL || yf == NULL) abort();
    put_status(r, nnm_act_sigmoid_f32(N_EW, in_xf, yf));
    put_f32(r, yf, N_EW);
    for (int kind = 0; kind <= NNM_ACT_MISH; ++kind) {
        nnm_act act = nnm_act_default((nnm_act_kind)kind);
        put_status(r, nnm_act_apply_f64(act, N_EW, in_x, yl));
        put_f64(r, yl, N_EW);
        put_status(r, nnm_act_apply_f32(act, N_EW, in_xf, yf));
        put_f32(r, yf, N_EW);
    }
    put_status(r, nnm_act_tanh_f64(N_EW, in_x, yl));
    put_f64(r, yl, N_EW);
    put_status(r, nnm_act_softplus_f32(N_EW, in_xf, yf));
    put_f32(r, yf, N_EW);
    free(yl);
    free(yf);
}

static void family_softmax(results *r)
{
    double y[NR * K], lse[NR], da[NR * K], J[K * K];
    float yf[NR * K], lsef[NR], daf[NR * K];
    put_status(r, nnm_act_softmax_f64(NR, K, 1.0, in_a, y));
    put_f64(r, y, NR * K);
    put_status(r, nnm_grad_softmax_vjp_f64(NR, K, 1.0, y, in_dy, da));
    put_f64(r, da, NR * K);
    put_status(r, nnm_grad_softmax_jacobian_f64(K, 1.0, y, J));
    put_f64(r, J, K * K);
    put_status(r, nnm_act_log_softmax_f64(NR, K, 2.0, in_a, y));
    put_f64(r, y, NR * K);
    put_status(r, nnm_grad_log_softmax_vjp_f64(NR, K, 2.0, y, in_dy, da));
    put_f64(r, da, NR * K);
    put_status(r, nnm_act_logsumexp_f64(NR, K, 1.0, in_a, lse));
    put_f64(r, lse, NR);
    put_status(r, nnm_act_softmax_f32(NR, K, 1.0, in_af, yf));
    put_f32(r, yf, NR * K);
    put_status(r, nnm_grad_softmax_vjp_f32(NR, K, 1.0, yf, in_dyf, daf));
    put_f32(r, daf, NR * K);
    put_status(r, nnm_act_log_softmax_f32(NR, K, 1.0, in_af, yf));
    put_f32(r, yf, NR * K);
    put_status(r, nnm_act_logsumexp_f32(NR, K, 1.0, in_af, lsef));
    put_f32(r, lsef, NR);
}

static void family_affine(results *r)
{
    /* h: NR x K, W: 3 x K, a: NR x 3 */
    double a[NR * 3], dW[3 * K], db[3], dh[NR * K];
    float af[NR * 3], dWf[3 * K], dbf[3], dhf[NR * K];
    const double b[3] = {0.5, -1.0, 2.0};
    const float bf[3] = {0.5f, -1.0f, 2.0f};
    put_status(r, nnm_act_affine_f64(NR, K, 3, in_a, in_t, b, a));
    put_f64(r, a, NR * 3);
    put_status(r, nnm_grad_affine_f64(NR, K, 3, in_a, in_t, in_dy, dW, db, dh));
    put_f64(r, dW, 3 * K);
    put_f64(r, db, 3);
    put_f64(r, dh, NR * K);
    put_status(r, nnm_act_affine_f32(NR, K, 3, in_af, in_tf, bf, af));
    put_f32(r, af, NR * 3);
    put_status(r, nnm_grad_affine_f32(NR, K, 3, in_af, in_tf, in_dyf, dWf, dbf, dhf));
    put_f32(r, dWf, 3 * K);
    put_f32(r, dbf, 3);
    put_f32(r, dhf, NR * K);
    double x[4] = {1, 2, 3, 4}, g[4] = {0.5, -0.5, 1, 2};
    put_status(r, nnm_grad_step_f64(4, 0.1, g, x));
    put_f64(r, x, 4);
}

typedef nnm_status (*dense_f64)(size_t, size_t, const double *, const double *,
                                const nnm_loss_opts *, double *);
typedef nnm_status (*dense_f32)(size_t, size_t, const float *, const float *,
                                const nnm_loss_opts *, float *);

static void family_losses(results *r)
{
    static const dense_f64 loss64[] = {nnm_loss_l2_f64, nnm_loss_l1_f64, nnm_loss_huber_f64,
                                       nnm_loss_bce_f64, nnm_loss_bce_logits_f64, nnm_loss_ce_f64,
                                       nnm_loss_ce_logits_f64, nnm_loss_kl_div_f64};
    static const dense_f64 grad64[] = {nnm_grad_loss_l2_f64, nnm_grad_loss_l1_f64,
                                       nnm_grad_loss_huber_f64, nnm_grad_loss_bce_f64,
                                       nnm_grad_loss_bce_logits_f64, nnm_grad_loss_ce_f64,
                                       nnm_grad_loss_ce_logits_f64, nnm_grad_loss_kl_div_f64};
    static const dense_f32 loss32[] = {nnm_loss_l2_f32, nnm_loss_l1_f32, nnm_loss_huber_f32,
                                       nnm_loss_bce_f32, nnm_loss_bce_logits_f32, nnm_loss_ce_f32,
                                       nnm_loss_ce_logits_f32, nnm_loss_kl_div_f32};
    static const dense_f32 grad32[] = {nnm_grad_loss_l2_f32, nnm_grad_loss_l1_f32,
                                       nnm_grad_loss_huber_f32, nnm_grad_loss_bce_f32,
                                       nnm_grad_loss_bce_logits_f32, nnm_grad_loss_ce_f32,
                                       nnm_grad_loss_ce_logits_f32, nnm_grad_loss_kl_div_f32};
    /* probabilities for bce / ce: the targets are in [0,1] already */
    const double *prob = in_t;
    const float *probf = in_tf;
    double out[NR], g[NR * K];
    float outf[NR], gf[NR * K];
    for (int red = 0; red < 3; ++red) {
        nnm_loss_opts o = NNM_LOSS_OPTS_INIT;
        o.reduction = (nnm_reduction)red;
        size_t nout = red == NNM_REDUCE_NONE ? NR : 1;
        for (size_t l = 0; l < sizeof loss64 / sizeof loss64[0]; ++l) {
            const double *in = (l == 3 || l == 5) ? prob : in_a;
            const float *inf_ = (l == 3 || l == 5) ? probf : in_af;
            put_status(r, loss64[l](NR, K, in, in_t, &o, out));
            put_f64(r, out, nout);
            put_status(r, grad64[l](NR, K, in, in_t, &o, g));
            put_f64(r, g, NR * K);
            put_status(r, loss32[l](NR, K, inf_, in_tf, &o, outf));
            put_f32(r, outf, nout);
            put_status(r, grad32[l](NR, K, inf_, in_tf, &o, gf));
            put_f32(r, gf, NR * K);
        }
        nnm_loss_opts ol = o;
        ol.class_weight = in_cw;
        ol.label_smoothing = 0.1;
        ol.use_ignore_index = 1;
        ol.ignore_index = 2;
        put_status(r, nnm_loss_ce_logits_labels_f64(NR, K, in_a, in_labels, &ol, out));
        put_f64(r, out, nout);
        put_status(r, nnm_grad_loss_ce_logits_labels_f64(NR, K, in_a, in_labels, &ol, g));
        put_f64(r, g, NR * K);
        put_status(r, nnm_loss_ce_logits_labels_f32(NR, K, in_af, in_labels, &ol, outf));
        put_f32(r, outf, nout);
        ol.label_smoothing = 0.0;
        put_status(r, nnm_loss_nll_labels_f64(NR, K, in_a, in_labels, &ol, out));
        put_f64(r, out, nout);
        put_status(r, nnm_grad_loss_nll_labels_f32(NR, K, in_af, in_labels, &ol, gf));
        put_f32(r, gf, NR * K);
    }
}

static void family_derivatives(results *r)
{
    double *d = malloc(N_EW * sizeof *d), *e = malloc(N_EW * sizeof *e);
    float *df = malloc(N_EW * sizeof *df);
    if (d == NULL || e == NULL || df == NULL) abort();
    for (int kind = 0; kind <= NNM_ACT_MISH; ++kind) {
        nnm_act act = nnm_act_default((nnm_act_kind)kind);
        put_status(r, nnm_grad_act_f64(act, N_EW, in_x, d));
        put_f64(r, d, N_EW);
        put_status(r, nnm_grad_act_vjp_f32(act, N_EW, in_xf, in_xf, df));
        put_f32(r, df, N_EW);
        put_status(r, nnm_act_apply_f64(act, N_EW, in_x, e)); /* y, then the VJP from y */
        put_status(r, nnm_grad_act_vjp_from_y_f64(act, N_EW, e, in_x, d));
        put_f64(r, d, N_EW);
        put_status(r, nnm_hess_act_f64(act, N_EW, in_x, d));
        put_f64(r, d, N_EW);
        put_status(r, nnm_hess_act_f32(act, N_EW, in_xf, df));
        put_f32(r, df, N_EW);
    }
    free(d);
    free(e);
    free(df);
}

/* f(x) = sum_i (i+1) x_i^2 + x_0 x_1 (a pure function: safe from any thread) */
static double user_f(size_t dim, const double *x, void *ctx)
{
    (void)ctx;
    double s = x[0] * x[1];
    for (size_t i = 0; i < dim; ++i) s += (double)(i + 1) * x[i] * x[i];
    return s;
}

static void user_g(size_t dim, const double *x, double *g, void *ctx)
{
    (void)ctx;
    for (size_t i = 0; i < dim; ++i) g[i] = 2.0 * (double)(i + 1) * x[i];
    g[0] += x[1];
    g[1] += x[0];
}

static void family_numeric(results *r)
{
    double x[4] = {0.5, -1.0, 2.0, 0.25}, g[4], H[16], err = 0.0;
    put_status(r, nnm_grad_numeric(user_f, NULL, 4, x, g));
    put_f64(r, g, 4);
    put_status(r, nnm_grad_check(user_f, user_g, NULL, 4, x, &err));
    put(r, err);
    put_status(r, nnm_hess_numeric(user_f, NULL, 4, x, H));
    put_f64(r, H, 16);
    put_status(r, nnm_hess_numeric_from_grad(user_g, NULL, 4, x, H));
    put_f64(r, H, 16);
    double x0[4] = {1.0, 1.0, 1.0, 1.0};
    nnm_gd_opts o = {0.05, 0.5, 1e-10, 2000, NULL};
    nnm_gd_result res;
    put_status(r, nnm_grad_descent(user_f, user_g, NULL, 4, x0, &o, &res));
    put_f64(r, x0, 4);
    put(r, (double)res.iterations);
    nnm_stationary st;
    double zero[4] = {0, 0, 0, 0};
    put_status(r, nnm_hess_classify_point(user_f, user_g, NULL, 4, zero, 0.0, &st));
    put(r, (double)st);
}

static void family_hessian(results *r)
{
    /* a symmetric 9 x 9 matrix (the QL path) and a 3 x 3 one (Jacobi) */
    double H[81], lam[9], V[81], Hce[K * K], hv[NR * K], hd[NR * K], q;
    for (int i = 0; i < 9; ++i)
        for (int j = 0; j <= i; ++j) H[i * 9 + j] = H[j * 9 + i] = cos(i + 2.0 * j) + (i == j ? 3 : 0);
    put_status(r, nnm_hess_eigvals_sym_f64(9, H, lam));
    put_f64(r, lam, 9);
    put_status(r, nnm_hess_eig_sym_f64(9, H, lam, V));
    put_f64(r, V, 81);
    put_status(r, nnm_hess_eig_sym_f64(3, H, lam, V));
    put_f64(r, V, 9);
    nnm_definiteness def;
    put_status(r, nnm_hess_definiteness_f64(9, H, 0.0, &def));
    put(r, (double)def);
    nnm_stationary st;
    put_status(r, nnm_hess_classify_f64(9, in_dy, H, 0.0, &st));
    put(r, (double)st);
    put_status(r, nnm_hess_quadform_f64(9, H, in_a, &q));
    put(r, q);
    put_status(r, nnm_hess_loss_ce_logits_f64(K, 1.0, in_a, in_t, Hce));
    put_f64(r, Hce, K * K);
    put_status(r, nnm_hess_loss_ce_logits_hvp_f64(NR, K, 1.0, in_a, in_dy, hv));
    put_f64(r, hv, NR * K);
    put_status(r, nnm_hess_loss_bce_logits_f64(NR, K, in_a, in_t, hd));
    put_f64(r, hd, NR * K);
    put_status(r, nnm_hess_loss_huber_f64(NR, K, in_a, in_t, NULL, hd));
    put_f64(r, hd, NR * K);
    float Hf[81], lamf[9];
    for (int i = 0; i < 81; ++i) Hf[i] = (float)H[i];
    put_status(r, nnm_hess_eigvals_sym_f32(9, Hf, lamf));
    put_f32(r, lamf, 9);
}

static void run_all(results *r)
{
    r->count = 0;
    family_elementwise(r); /* first: the racing first call initialises the dispatch cache */
    family_core(r);
    family_softmax(r);
    family_affine(r);
    family_losses(r);
    family_derivatives(r);
    family_numeric(r);
    family_hessian(r);
}

/* ---- threads ------------------------------------------------------------------------------ */

static pthread_barrier_t start_line;
static results per_thread[NTHREADS];

static void *worker(void *arg)
{
    results *r = arg;
    pthread_barrier_wait(&start_line); /* all threads make their first call together */
    for (int round = 0; round < ROUNDS; ++round) run_all(r);
    return NULL;
}

int main(void)
{
    pthread_t threads[NTHREADS];
    make_inputs();
    if (pthread_barrier_init(&start_line, NULL, NTHREADS) != 0) return 2;
    for (int t = 0; t < NTHREADS; ++t)
        if (pthread_create(&threads[t], NULL, worker, &per_thread[t]) != 0) return 2;
    for (int t = 0; t < NTHREADS; ++t) pthread_join(threads[t], NULL);
    pthread_barrier_destroy(&start_line);

    static results reference;
    run_all(&reference);
    if (reference.overflow) {
        fprintf(stderr, "tsan_families: MAX_RESULTS is too small\n");
        return 2;
    }
    int failed = 0;
    for (int t = 0; t < NTHREADS; ++t) {
        const results *r = &per_thread[t];
        if (r->count != reference.count ||
            memcmp(r->v, reference.v, reference.count * sizeof reference.v[0]) != 0) {
            size_t i = 0;
            while (i < reference.count && i < r->count && r->v[i] == reference.v[i]) ++i;
            fprintf(stderr, "tsan_families: thread %d differs from the serial run at value %zu\n",
                    t, i);
            failed = 1;
        }
    }
    printf("tsan_families: %d threads x %d rounds, %zu values each, %s\n", NTHREADS, ROUNDS,
           reference.count, failed ? "MISMATCH" : "identical to the serial run");
    return failed;
}
