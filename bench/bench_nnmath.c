/*
 * bench_nnmath: the hot functions of issue 7, single-threaded, against the peers.
 *
 * For every row (function, dtype, shape) each contender runs the same call on the same data:
 *   nnmath[scalar|avx2|avx512]  the public function with the dispatch forced to one ISA path
 *                               (nnm__cpu_force_isa; the paths this machine cannot run are skipped)
 *   libm                        a plain scalar loop over libm (expf/exp, log1pf, tanhf, ...): what a
 *                               user writes by hand
 *   memcpy                      the memory floor: a copy of the input bytes
 *   onednn / xnnpack / libtorch the peers, when CMake found them (bench/CMakeLists.txt): oneDNN
 *                               eltwise and softmax primitives (losses composed of primitives and a
 *                               loop), XNNPACK sigmoid and softmax operators (f32), libtorch's ATen
 *                               ops (f32 and f64, one thread; bench_torch.cpp)
 * and the median over round-robin repetitions of the thread's CPU time per element is printed
 * (see now_ns and measure), with the ratio of each contender
 * to the fastest peer (oneDNN, XNNPACK, libm) and to the memory floor, as a Markdown table.
 *
 * usage: bench_nnmath [substring ...]   run only rows whose name contains one of the substrings
 *        NNM_BENCH_QUICK=1                fewer repetitions (a smoke run)
 * oneDNN uses OpenMP: the program re-executes itself once with OMP_NUM_THREADS=1 so that every
 * contender is single-threaded (libgomp reads the variable when it is loaded).
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <nnmath/nnmath.h>

#include "core/cpu.h"

#ifdef NNM_BENCH_HAVE_DNNL
#include <oneapi/dnnl/dnnl.h>
#endif
#ifdef NNM_BENCH_HAVE_XNNPACK
#include <xnnpack.h>
#endif

/* ---- the cases ------------------------------------------------------------------------------- */

typedef enum op {
    OP_SIGMOID,
    OP_TANH,
    OP_SOFTMAX,
    OP_LOG_SOFTMAX,
    OP_CE_MEAN,     /* CE from logits with labels, MEAN */
    OP_BCE_MEAN,    /* BCE with logits, MEAN (k = 1) */
    OP_MSE_MEAN,    /* l2, MEAN (k = 1) */
    OP_SOFTMAX_VJP  /* softmax backward */
} op;

static const char *const op_names[] = {"sigmoid", "tanh", "softmax", "log_softmax", "ce_logits_labels_mean",
                                       "bce_logits_mean", "mse_mean", "softmax_vjp"};

typedef struct bcase {
    op o;
    int f64;
    size_t n, k; /* rows x columns (k = 1 for elementwise) */
    void *x, *y, *t, *dy, *p; /* input, output, target, upstream gradient, softmax of x */
    int32_t *labels;
    double sink;
} bcase;

static size_t count(const bcase *c) { return c->n * c->k; }
static size_t esize(const bcase *c) { return c->f64 ? sizeof(double) : sizeof(float); }

static uint64_t rng = 0x9e3779b97f4a7c15u;
static double urand(double lo, double hi)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return lo + (hi - lo) * (double)(rng >> 11) * 0x1p-53;
}

static void *xalloc(size_t bytes)
{
    void *p = NULL;
    if (posix_memalign(&p, 64, bytes ? bytes : 64) != 0) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    return p;
}

static void set(const bcase *c, void *buf, size_t i, double v)
{
    if (c->f64) ((double *)buf)[i] = v;
    else ((float *)buf)[i] = (float)v;
}

static void setup(bcase *c)
{
    size_t m = count(c), b = m * esize(c);
    c->x = xalloc(b), c->y = xalloc(b), c->t = xalloc(b), c->dy = xalloc(b), c->p = xalloc(b);
    c->labels = xalloc(c->n * sizeof(int32_t));
    double range = c->o == OP_SIGMOID || c->o == OP_TANH || c->o == OP_BCE_MEAN ? 8.0 : 5.0;
    for (size_t i = 0; i < m; ++i) {
        set(c, c->x, i, urand(-range, range));
        set(c, c->t, i, c->o == OP_MSE_MEAN ? urand(-range, range) : urand(0.0, 1.0));
        set(c, c->dy, i, urand(-1.0, 1.0));
    }
    for (size_t i = 0; i < c->n; ++i) c->labels[i] = (int32_t)(urand(0.0, (double)c->k - 0.5));
    if (c->f64) nnm_act_softmax_f64(c->n, c->k, 1.0, c->x, c->p);
    else nnm_act_softmax_f32(c->n, c->k, 1.0, c->x, c->p);
    memset(c->y, 0, b);
}

static void teardown(bcase *c)
{
    free(c->x), free(c->y), free(c->t), free(c->dy), free(c->p), free(c->labels);
}

/* ---- contenders ---------------------------------------------------------------------------- */

static void run_nnmath(bcase *c)
{
    nnm_loss_opts o = NNM_LOSS_OPTS_INIT;
    o.reduction = NNM_REDUCE_MEAN;
    nnm_status st = NNM_OK;
    if (c->f64) {
        double out = 0, *x = c->x, *y = c->y;
        switch (c->o) {
        case OP_SIGMOID: st = nnm_act_sigmoid_f64(c->n, x, y); break;
        case OP_TANH: st = nnm_act_tanh_f64(c->n, x, y); break;
        case OP_SOFTMAX: st = nnm_act_softmax_f64(c->n, c->k, 1.0, x, y); break;
        case OP_LOG_SOFTMAX: st = nnm_act_log_softmax_f64(c->n, c->k, 1.0, x, y); break;
        case OP_CE_MEAN: st = nnm_loss_ce_logits_labels_f64(c->n, c->k, x, c->labels, &o, &out); break;
        case OP_BCE_MEAN: st = nnm_loss_bce_logits_f64(c->n, 1, x, c->t, &o, &out); break;
        case OP_MSE_MEAN: st = nnm_loss_l2_f64(c->n, 1, x, c->t, &o, &out); break;
        case OP_SOFTMAX_VJP: st = nnm_grad_softmax_vjp_f64(c->n, c->k, 1.0, c->p, c->dy, y); break;
        }
        c->sink += out + y[0];
    } else {
        float out = 0, *x = c->x, *y = c->y;
        switch (c->o) {
        case OP_SIGMOID: st = nnm_act_sigmoid_f32(c->n, x, y); break;
        case OP_TANH: st = nnm_act_tanh_f32(c->n, x, y); break;
        case OP_SOFTMAX: st = nnm_act_softmax_f32(c->n, c->k, 1.0, x, y); break;
        case OP_LOG_SOFTMAX: st = nnm_act_log_softmax_f32(c->n, c->k, 1.0, x, y); break;
        case OP_CE_MEAN: st = nnm_loss_ce_logits_labels_f32(c->n, c->k, x, c->labels, &o, &out); break;
        case OP_BCE_MEAN: st = nnm_loss_bce_logits_f32(c->n, 1, x, c->t, &o, &out); break;
        case OP_MSE_MEAN: st = nnm_loss_l2_f32(c->n, 1, x, c->t, &o, &out); break;
        case OP_SOFTMAX_VJP: st = nnm_grad_softmax_vjp_f32(c->n, c->k, 1.0, c->p, c->dy, y); break;
        }
        c->sink += (double)out + (double)y[0];
    }
    if (st != NNM_OK) {
        fprintf(stderr, "nnmath call failed: %s\n", nnm_status_str(st));
        exit(2);
    }
}

static void run_memcpy(bcase *c)
{
    memcpy(c->y, c->x, count(c) * esize(c));
    c->sink += c->f64 ? ((double *)c->y)[0] : (double)((float *)c->y)[0];
}

/* The plain loops a user would write: max-subtracted softmax, log-sum-exp CE, the softplus form of
 * BCE with logits. One source per dtype through a macro (F = the libm suffix). */
#define LIBM_LOOPS(T, F)                                                                     \
    static void libm_##T(bcase *c)                                                           \
    {                                                                                        \
        const T *x = c->x, *t = c->t, *dy = c->dy, *p = c->p;                                \
        T *y = c->y;                                                                         \
        size_t n = c->n, k = c->k;                                                           \
        T acc = 0;                                                                           \
        switch (c->o) {                                                                      \
        case OP_SIGMOID:                                                                     \
            for (size_t i = 0; i < n; ++i) y[i] = (T)1 / ((T)1 + exp##F(-x[i]));             \
            break;                                                                           \
        case OP_TANH:                                                                        \
            for (size_t i = 0; i < n; ++i) y[i] = tanh##F(x[i]);                             \
            break;                                                                           \
        case OP_SOFTMAX:                                                                     \
        case OP_LOG_SOFTMAX:                                                                 \
        case OP_CE_MEAN:                                                                     \
            for (size_t i = 0; i < n; ++i) {                                                 \
                const T *a = x + i * k;                                                      \
                T m = a[0], s = 0;                                                           \
                for (size_t j = 1; j < k; ++j) m = a[j] > m ? a[j] : m;                      \
                if (c->o == OP_SOFTMAX) {                                                    \
                    for (size_t j = 0; j < k; ++j) s += (y[i * k + j] = exp##F(a[j] - m));   \
                    for (size_t j = 0; j < k; ++j) y[i * k + j] /= s;                        \
                } else {                                                                     \
                    for (size_t j = 0; j < k; ++j) s += exp##F(a[j] - m);                    \
                    T lse = m + log##F(s);                                                   \
                    if (c->o == OP_CE_MEAN) acc += lse - a[c->labels[i]];                    \
                    else                                                                     \
                        for (size_t j = 0; j < k; ++j) y[i * k + j] = a[j] - lse;            \
                }                                                                            \
            }                                                                                \
            acc /= (T)n;                                                                     \
            break;                                                                           \
        case OP_BCE_MEAN:                                                                    \
            for (size_t i = 0; i < n; ++i)                                                   \
                acc += fmax##F(x[i], 0) - x[i] * t[i] + log1p##F(exp##F(-fabs##F(x[i])));    \
            acc /= (T)n;                                                                     \
            break;                                                                           \
        case OP_MSE_MEAN:                                                                    \
            for (size_t i = 0; i < n; ++i) acc += (x[i] - t[i]) * (x[i] - t[i]);             \
            acc /= (T)(2 * n);                                                               \
            break;                                                                           \
        case OP_SOFTMAX_VJP:                                                                 \
            for (size_t i = 0; i < n; ++i) {                                                 \
                T dot = 0;                                                                   \
                for (size_t j = 0; j < k; ++j) dot += p[i * k + j] * dy[i * k + j];          \
                for (size_t j = 0; j < k; ++j) y[i * k + j] = p[i * k + j] * (dy[i * k + j] - dot); \
            }                                                                                \
            break;                                                                           \
        }                                                                                    \
        c->sink += (double)acc + (double)y[0];                                               \
    }
LIBM_LOOPS(float, f)
LIBM_LOOPS(double, )

static void run_libm(bcase *c)
{
    if (c->f64) libm_double(c);
    else libm_float(c);
}

/* ---- oneDNN ---------------------------------------------------------------------------------- */
#ifdef NNM_BENCH_HAVE_DNNL
static dnnl_engine_t dn_engine;
static dnnl_stream_t dn_stream;

#define DN(call)                                                                    \
    do {                                                                            \
        if ((call) != dnnl_success) {                                               \
            fprintf(stderr, "oneDNN: %s failed\n", #call);                          \
            return 0;                                                               \
        }                                                                           \
    } while (0)

/* A prepared oneDNN computation: up to 3 primitives run in sequence, then a C tail. */
typedef struct dn_plan {
    int np;
    dnnl_primitive_t prim[3];
    int nargs[3];
    dnnl_exec_arg_t args[3][4];
    dnnl_memory_t mem[8];
    int nmem;
    void *tmp;
} dn_plan;

static dn_plan plan;

static dnnl_memory_t dn_mem(const dnnl_memory_desc_t *md, void *data)
{
    dnnl_memory_t m = NULL;
    if (dnnl_memory_create(&m, md, dn_engine, data) != dnnl_success) return NULL;
    plan.mem[plan.nmem++] = m;
    return m;
}

static int dn_add(const_dnnl_op_desc_t desc, const_dnnl_primitive_desc_t hint, int nargs,
                  const int *keys, dnnl_memory_t *mems)
{
    dnnl_primitive_desc_t pd;
    DN(dnnl_primitive_desc_create(&pd, desc, NULL, dn_engine, hint));
    DN(dnnl_primitive_create(&plan.prim[plan.np], pd));
    dnnl_primitive_desc_destroy(pd);
    for (int i = 0; i < nargs; ++i) plan.args[plan.np][i] = (dnnl_exec_arg_t){keys[i], mems[i]};
    plan.nargs[plan.np++] = nargs;
    return 1;
}

static int dn_prepare(bcase *c)
{
    memset(&plan, 0, sizeof plan);
    if (c->f64) return 0; /* oneDNN 2.6 has no f64 primitives on CPU */
    dnnl_data_type_t dt = dnnl_f32;
    dnnl_memory_desc_t md, md1;
    dnnl_dims_t dims = {(dnnl_dim_t)c->n, (dnnl_dim_t)c->k};
    DN(dnnl_memory_desc_init_by_tag(&md, 2, dims, dt, dnnl_ab));
    dnnl_dims_t one = {1, 1};
    DN(dnnl_memory_desc_init_by_tag(&md1, 2, one, dt, dnnl_ab));
    dnnl_memory_t mx = dn_mem(&md, c->x), my = dn_mem(&md, c->y);
    if (!mx || !my) return 0;
    switch (c->o) {
    case OP_SIGMOID:
    case OP_TANH: {
        dnnl_eltwise_desc_t d;
        DN(dnnl_eltwise_forward_desc_init(&d, dnnl_forward_inference,
                                          c->o == OP_SIGMOID ? dnnl_eltwise_logistic : dnnl_eltwise_tanh,
                                          &md, 0.f, 0.f));
        int keys[] = {DNNL_ARG_SRC, DNNL_ARG_DST};
        dnnl_memory_t m[] = {mx, my};
        return dn_add(&d, NULL, 2, keys, m);
    }
    case OP_SOFTMAX:
    case OP_LOG_SOFTMAX:
    case OP_CE_MEAN: {
        dnnl_softmax_v2_desc_t d;
        DN(dnnl_softmax_v2_forward_desc_init(&d, dnnl_forward_inference,
                                             c->o == OP_SOFTMAX ? dnnl_softmax_accurate : dnnl_softmax_log,
                                             &md, &md, 1));
        int keys[] = {DNNL_ARG_SRC, DNNL_ARG_DST};
        dnnl_memory_t m[] = {mx, my};
        return dn_add(&d, NULL, 2, keys, m); /* CE: the mean of -y[label] is the C tail */
    }
    case OP_BCE_MEAN: {
        /* softplus(-a) = log(1 + e^-a) (eltwise soft_relu with alpha = -1 is not in 2.6:
         * soft_relu(linear(-a))); the C tail adds a (1 - t) and takes the mean. */
        dnnl_eltwise_desc_t d1, d2;
        DN(dnnl_eltwise_forward_desc_init(&d1, dnnl_forward_inference, dnnl_eltwise_linear, &md, -1.f, 0.f));
        DN(dnnl_eltwise_forward_desc_init(&d2, dnnl_forward_inference, dnnl_eltwise_soft_relu, &md, 0.f, 0.f));
        int keys[] = {DNNL_ARG_SRC, DNNL_ARG_DST};
        dnnl_memory_t m1[] = {mx, my}, m2[] = {my, my};
        return dn_add(&d1, NULL, 2, keys, m1) && dn_add(&d2, NULL, 2, keys, m2);
    }
    case OP_MSE_MEAN: {
        /* (y - t) by a binary primitive, then the mean of squares by a reduction */
        dnnl_binary_desc_t b;
        DN(dnnl_binary_desc_init(&b, dnnl_binary_sub, &md, &md, &md));
        dnnl_memory_t mt = dn_mem(&md, c->t);
        int kb[] = {DNNL_ARG_SRC_0, DNNL_ARG_SRC_1, DNNL_ARG_DST};
        dnnl_memory_t m1[] = {mx, mt, my};
        if (!mt || !dn_add(&b, NULL, 3, kb, m1)) return 0;
        dnnl_reduction_desc_t r;
        DN(dnnl_reduction_desc_init(&r, dnnl_reduction_norm_lp_power_p_sum, &md, &md1, 2.f, 0.f));
        plan.tmp = xalloc(esize(c));
        dnnl_memory_t mo = dn_mem(&md1, plan.tmp);
        int kr[] = {DNNL_ARG_SRC, DNNL_ARG_DST};
        dnnl_memory_t m2[] = {my, mo};
        return mo && dn_add(&r, NULL, 2, kr, m2);
    }
    case OP_SOFTMAX_VJP: {
        dnnl_softmax_v2_desc_t fd, bd;
        DN(dnnl_softmax_v2_forward_desc_init(&fd, dnnl_forward_training, dnnl_softmax_accurate, &md, &md, 1));
        dnnl_primitive_desc_t hint;
        DN(dnnl_primitive_desc_create(&hint, &fd, NULL, dn_engine, NULL));
        DN(dnnl_softmax_v2_backward_desc_init(&bd, dnnl_softmax_accurate, &md, &md, &md, 1));
        dnnl_memory_t mp = dn_mem(&md, c->p), mdy = dn_mem(&md, c->dy);
        int keys[] = {DNNL_ARG_DST, DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_SRC};
        dnnl_memory_t m[] = {mp, mdy, my};
        int ok = mp && mdy && dn_add(&bd, hint, 3, keys, m);
        dnnl_primitive_desc_destroy(hint);
        return ok;
    }
    }
    return 0;
}

static void dn_release(void)
{
    for (int i = 0; i < plan.np; ++i) dnnl_primitive_destroy(plan.prim[i]);
    for (int i = 0; i < plan.nmem; ++i) dnnl_memory_destroy(plan.mem[i]);
    free(plan.tmp);
    memset(&plan, 0, sizeof plan);
}

#define DN_TAIL(T)                                                                          \
    static double dn_tail_##T(bcase *c)                                                     \
    {                                                                                       \
        const T *x = c->x, *y = c->y, *t = c->t;                                            \
        T acc = 0;                                                                          \
        if (c->o == OP_CE_MEAN) {                                                           \
            for (size_t i = 0; i < c->n; ++i) acc -= y[i * c->k + (size_t)c->labels[i]];    \
            acc /= (T)c->n;                                                                 \
        } else if (c->o == OP_BCE_MEAN) {                                                   \
            for (size_t i = 0; i < c->n; ++i) acc += y[i] + x[i] * (1 - t[i]);              \
            acc /= (T)c->n;                                                                 \
        } else if (c->o == OP_MSE_MEAN) {                                                   \
            acc = *(const T *)plan.tmp / (T)(2 * c->n);                                     \
        }                                                                                   \
        return (double)acc;                                                                 \
    }
DN_TAIL(float)
DN_TAIL(double)

static void run_dnnl(bcase *c)
{
    for (int i = 0; i < plan.np; ++i)
        dnnl_primitive_execute(plan.prim[i], dn_stream, plan.nargs[i], plan.args[i]);
    dnnl_stream_wait(dn_stream);
    c->sink += c->f64 ? dn_tail_double(c) : dn_tail_float(c);
}
#endif

/* ---- XNNPACK --------------------------------------------------------------------------------- */
#ifdef NNM_BENCH_HAVE_XNNPACK
static xnn_operator_t xop;

static int xnn_prepare(bcase *c)
{
    xop = NULL;
    if (c->f64) return 0;
    if (c->o == OP_SIGMOID) {
        if (xnn_create_sigmoid_nc_f32(1, 1, 1, 0, &xop) != xnn_status_success) return 0;
        return xnn_setup_sigmoid_nc_f32(xop, c->n, c->x, c->y, NULL) == xnn_status_success;
    }
    if (c->o == OP_SOFTMAX) {
        if (xnn_create_softmax_nc_f32(c->k, c->k, c->k, 0, &xop) != xnn_status_success) return 0;
        return xnn_setup_softmax_nc_f32(xop, c->n, c->x, c->y, NULL) == xnn_status_success;
    }
    return 0;
}

static void run_xnnpack(bcase *c)
{
    xnn_run_operator(xop, NULL);
    c->sink += (double)((float *)c->y)[0];
}
#endif

/* ---- libtorch (bench_torch.cpp) --------------------------------------------------------------- */
#ifdef NNM_BENCH_HAVE_TORCH
int nnm_bench_torch_prepare(int op, int f64, size_t n, size_t k, void *x, void *y, void *t,
                            void *dy, void *p, int32_t *labels);
double nnm_bench_torch_run(void);

static void run_torch(bcase *c)
{
    c->sink += nnm_bench_torch_run();
}
#endif

/* ---- timing ---------------------------------------------------------------------------------- */

/* The calling thread's CPU time: every contender runs single-threaded on this thread (oneDNN
 * with one OpenMP thread, XNNPACK without a thread pool), and CPU time does not count the
 * intervals when a busy machine schedules someone else (wall-clock medians drifted by 2x on the
 * shared 2-core machine these figures come from). */
static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int quick;

/* One contender of a row: how to run it, and its samples (ns per element). */
typedef struct contender {
    const char *name;
    void (*run)(bcase *);
    int isa;     /* the nnmath ISA path to force, or -1 */
    int is_peer; /* counts for "best peer" */
    size_t iters;
    double samples[9];
} contender;

static void force(int isa)
{
    if (isa >= 0) nnm__cpu_force_isa((nnm__isa)isa);
}

/* Calibrate: one warm-up call (page faults, caches, lazy initialisation), then as many calls per
 * sample as make it last >= 20 ms (at least one). */
static void calibrate(contender *c, bcase *b)
{
    force(c->isa);
    c->run(b);
    double t0 = now_ns();
    c->run(b);
    double one = now_ns() - t0;
    c->iters = one >= 2e7 ? 1 : (size_t)(2e7 / (one > 1.0 ? one : 1.0)) + 1;
}

/* Round-robin repetitions: every round times each contender once, so a change of machine load
 * during the row affects all contenders alike and the ratios measured in one run stay fair (the
 * machine this was written on is shared). The median of the rounds is reported. */
static int measure(contender *cs, int nc, bcase *b)
{
    int reps = quick ? 3 : 9;
    for (int r = 0; r < reps; ++r) {
        for (int i = 0; i < nc; ++i) {
            contender *c = &cs[i];
            force(c->isa);
            double t = now_ns();
            for (size_t it = 0; it < c->iters; ++it) c->run(b);
            c->samples[r] = (now_ns() - t) / (double)c->iters / (double)count(b);
        }
    }
    for (int i = 0; i < nc; ++i) qsort(cs[i].samples, (size_t)reps, sizeof(double), cmp_double);
    return reps / 2;
}

/* ---- the table ------------------------------------------------------------------------------- */

typedef struct row_spec {
    op o;
    int f64;
    int shape_kind; /* 0: elementwise N, 1: rows n x k */
} row_spec;

static const size_t elem_shapes[] = {4096, 65536, 1u << 20, 1u << 24};
static const size_t row_shapes[][2] = {{4096, 10}, {1024, 1000}, {64, 32000}, {1, 1u << 20}};

static const row_spec specs[] = {
    {OP_SIGMOID, 0, 0},     {OP_TANH, 0, 0},     {OP_SOFTMAX, 0, 1}, {OP_LOG_SOFTMAX, 0, 1},
    {OP_CE_MEAN, 0, 1},     {OP_BCE_MEAN, 0, 0}, {OP_MSE_MEAN, 0, 0}, {OP_SOFTMAX_VJP, 0, 1},
    {OP_SOFTMAX, 1, 1},     {OP_SIGMOID, 1, 0},  {OP_BCE_MEAN, 1, 0},
};

static int wanted(int argc, char **argv, const char *name)
{
    if (argc <= 1) return 1;
    for (int i = 1; i < argc; ++i)
        if (strstr(name, argv[i]) != NULL) return 1;
    return 0;
}

int main(int argc, char **argv)
{
    if (getenv("OMP_NUM_THREADS") == NULL) {
        setenv("OMP_NUM_THREADS", "1", 1);
        execv("/proc/self/exe", argv); /* on failure, carry on: oneDNN may then use 2 threads */
    }
    quick = getenv("NNM_BENCH_QUICK") != NULL;
#ifdef NNM_BENCH_HAVE_DNNL
    if (dnnl_engine_create(&dn_engine, dnnl_cpu, 0) != dnnl_success ||
        dnnl_stream_create(&dn_stream, dn_engine, dnnl_stream_default_flags) != dnnl_success) {
        fprintf(stderr, "oneDNN: no CPU engine\n");
        return 2;
    }
#endif
#ifdef NNM_BENCH_HAVE_XNNPACK
    if (xnn_initialize(NULL) != xnn_status_success) {
        fprintf(stderr, "XNNPACK: initialisation failed\n");
        return 2;
    }
#endif
    printf("# bench_nnmath: median ns/element, single thread; best ISA here: %s\n\n",
           nnm__isa_name(nnm__cpu_best_isa()));
    printf("| function | dtype | shape | contender | ns/elem | vs best peer | vs memcpy |\n");
    printf("|---|---|---|---|---:|---:|---:|\n");
    for (size_t s = 0; s < sizeof specs / sizeof specs[0]; ++s) {
        for (size_t sh = 0; sh < 4; ++sh) {
            bcase c = {specs[s].o, specs[s].f64, 0, 1, NULL, NULL, NULL, NULL, NULL, NULL, 0.0};
            char shape[32], name[96];
            if (specs[s].shape_kind == 0) {
                c.n = elem_shapes[sh];
                snprintf(shape, sizeof shape, "%zu", c.n);
            } else {
                c.n = row_shapes[sh][0], c.k = row_shapes[sh][1];
                snprintf(shape, sizeof shape, "%zux%zu", c.n, c.k);
            }
            snprintf(name, sizeof name, "%s %s %s", op_names[c.o], c.f64 ? "f64" : "f32", shape);
            if (!wanted(argc, argv, name)) continue;
            setup(&c);
            contender cs[10];
            int nc = 0;
            static char label[3][24];
            for (int isa = 0; isa < (int)NNM__ISA_COUNT; ++isa) {
                if (!nnm__cpu_isa_available((nnm__isa)isa)) continue;
                snprintf(label[isa], sizeof label[isa], "nnmath[%s]", nnm__isa_name((nnm__isa)isa));
                cs[nc++] = (contender){label[isa], run_nnmath, isa, 0, 0, {0}};
            }
            cs[nc++] = (contender){"libm loop", run_libm, -1, 1, 0, {0}};
#ifdef NNM_BENCH_HAVE_DNNL
            int have_dn = dn_prepare(&c);
            if (have_dn) cs[nc++] = (contender){"oneDNN", run_dnnl, -1, 1, 0, {0}};
#endif
#ifdef NNM_BENCH_HAVE_XNNPACK
            int have_xnn = xnn_prepare(&c);
            if (have_xnn) cs[nc++] = (contender){"XNNPACK", run_xnnpack, -1, 1, 0, {0}};
#endif
#ifdef NNM_BENCH_HAVE_TORCH
            if (nnm_bench_torch_prepare((int)c.o, c.f64, c.n, c.k, c.x, c.y, c.t, c.dy, c.p, c.labels))
                cs[nc++] = (contender){"libtorch", run_torch, -1, 1, 0, {0}};
#endif
            cs[nc++] = (contender){"memcpy (floor)", run_memcpy, -1, 0, 0, {0}};
            for (int i = 0; i < nc; ++i) calibrate(&cs[i], &c);
            int med = measure(cs, nc, &c);
            nnm__cpu_force_isa(nnm__cpu_best_isa());
#ifdef NNM_BENCH_HAVE_DNNL
            dn_release();
#endif
#ifdef NNM_BENCH_HAVE_XNNPACK
            if (xop) xnn_delete_operator(xop);
            xop = NULL;
#endif
            double floor_ns = cs[nc - 1].samples[med], best_peer = INFINITY;
            for (int i = 0; i < nc; ++i)
                if (cs[i].is_peer && cs[i].samples[med] < best_peer) best_peer = cs[i].samples[med];
            for (int i = 0; i < nc; ++i)
                printf("| %s | %s | %s | %s | %.4f | %.2f | %.2f |\n", op_names[c.o], c.f64 ? "f64" : "f32",
                       shape, cs[i].name, cs[i].samples[med], cs[i].samples[med] / best_peer,
                       cs[i].samples[med] / floor_ns);
            fflush(stdout);
            if (c.sink == 12345.678) printf(" "); /* keep the results observable */
            teardown(&c);
        }
    }
    return 0;
}
