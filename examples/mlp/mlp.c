/*
 * mlp: a one-hidden-layer perceptron trained on handwritten digits with libnnmath alone.
 *
 *   a1 = W1 x + b1          nnm_act_affine_f64          (64 pixels -> H hidden units)
 *   h  = f(a1)              nnm_act_apply_f64           (tanh by default; --act)
 *   a2 = W2 h + b2          nnm_act_affine_f64          (H -> 10 class logits)
 *   L  = mean CE(softmax(a2), label)   nnm_loss_ce_logits_labels_f64
 *
 * and back again: dL/da2 = (softmax(a2) - onehot)/B (nnm_grad_loss_ce_logits_labels_f64),
 * dW2, db2, dL/dh (nnm_grad_affine_f64), dL/da1 = f'(a1) dL/dh (nnm_grad_act_vjp_f64), dW1, db1
 * (nnm_grad_affine_f64), then one SGD step per parameter array (nnm_grad_step_f64).
 *
 * Data: examples/data/digits.txt (1797 UCI digits, see examples/data/README.md). A seeded shuffle
 * holds out 20 % of the images; training uses mini-batches drawn in a seeded order, so a run is
 * reproducible bit for bit. Every epoch prints the training loss and accuracy (as the epoch saw
 * them, batch by batch) and the held-out accuracy.
 *
 *   mlp [--data FILE] [--seed N] [--epochs N] [--hidden N] [--batch N] [--lr X] [--act NAME]
 *       [--min-accuracy X] [--quick]
 *
 * With --min-accuracy the exit status is 1 when the final held-out accuracy is below X (ctest
 * uses it). --quick trains 3 epochs: a smoke run.
 */
#include <nnmath/nnmath.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/example.h"

#ifndef NNM_EXAMPLES_DATA_DIR
#define NNM_EXAMPLES_DATA_DIR "examples/data"
#endif

enum { PIXELS = 64, CLASSES = 10 };

typedef struct dataset {
    size_t n;
    double *x;       /* n x 64, pixel counts scaled from 0..16 to [0, 1] */
    int32_t *label;  /* n labels in 0..9 */
} dataset;

typedef struct mlp {
    size_t hidden;
    nnm_act act;
    double *w1, *b1;  /* hidden x 64, hidden */
    double *w2, *b2;  /* 10 x hidden, 10 */
} mlp;

/* Scratch for one forward/backward pass over up to `cap` samples. */
typedef struct workspace {
    size_t cap;
    double *a1, *h, *a2, *da2, *dh;
    double *dw1, *db1, *dw2, *db2;
} workspace;

static int base17(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'g')
        return c - 'a' + 10;
    return -1;
}

/* Reads the format of examples/data/README.md; stops with the line number on a malformed line. */
static dataset load_digits(const char *path)
{
    FILE *fp = fopen(path, "r");
    if (fp == NULL) {
        fprintf(stderr, "cannot open %s (pass --data examples/data/digits.txt)\n", path);
        exit(EXIT_FAILURE);
    }
    dataset ds = {0, NULL, NULL};
    size_t cap = 0;
    char line[256];
    size_t lineno = 0;
    while (fgets(line, sizeof line, fp) != NULL) {
        ++lineno;
        if (line[0] == '#' || line[0] == '\n')
            continue;
        int ok = line[0] >= '0' && line[0] <= '9' && line[1] == ' ' && strlen(line) >= 2 + PIXELS;
        if (ok && ds.n == cap) {
            cap = cap ? 2 * cap : 2048;
            double *x = realloc(ds.x, cap * PIXELS * sizeof *x);
            int32_t *l = realloc(ds.label, cap * sizeof *l);
            if (x == NULL || l == NULL) {
                fprintf(stderr, "out of memory reading %s\n", path);
                exit(EXIT_FAILURE);
            }
            ds.x = x;
            ds.label = l;
        }
        for (size_t j = 0; ok && j < PIXELS; ++j) {
            int v = base17(line[2 + j]);
            ok = v >= 0;
            if (ok)
                ds.x[ds.n * PIXELS + j] = v / 16.0;
        }
        if (!ok) {
            fprintf(stderr, "%s:%zu: not 'label pixels' (see examples/data/README.md)\n", path,
                    lineno);
            exit(EXIT_FAILURE);
        }
        ds.label[ds.n++] = line[0] - '0';
    }
    fclose(fp);
    if (ds.n == 0) {
        fprintf(stderr, "%s: no images\n", path);
        exit(EXIT_FAILURE);
    }
    return ds;
}

/* Rows idx[0..n) of src, gathered into a new contiguous dataset. */
static dataset subset(const dataset *src, size_t n, const size_t *idx)
{
    dataset ds = {n, ex_alloc(n * PIXELS, sizeof(double)), ex_alloc(n, sizeof(int32_t))};
    for (size_t i = 0; i < n; ++i) {
        memcpy(ds.x + i * PIXELS, src->x + idx[i] * PIXELS, PIXELS * sizeof(double));
        ds.label[i] = src->label[idx[i]];
    }
    return ds;
}

static void dataset_free(dataset *ds)
{
    free(ds->x);
    free(ds->label);
}

/* Glorot-uniform weights, U(-r, r) with r = sqrt(6 / (fan_in + fan_out)): keeps the variance of
 * the pre-activations near 1 at the start, where tanh and sigmoid are not saturated. ReLU-like
 * units get He's r = sqrt(6 / fan_in) instead (they pass only half of their input on). */
static void init_weights(ex_rng *rng, nnm_act act, size_t fan_out, size_t fan_in, double *w)
{
    int relu_like = act.kind == NNM_ACT_RELU || act.kind == NNM_ACT_LEAKY_RELU ||
                    act.kind == NNM_ACT_ELU || act.kind == NNM_ACT_SELU ||
                    act.kind == NNM_ACT_SILU || act.kind == NNM_ACT_GELU ||
                    act.kind == NNM_ACT_GELU_TANH || act.kind == NNM_ACT_MISH;
    double r = relu_like ? sqrt(6.0 / (double)fan_in) : sqrt(6.0 / (double)(fan_in + fan_out));
    for (size_t i = 0; i < fan_out * fan_in; ++i)
        w[i] = r * (2.0 * ex_rng_uniform(rng) - 1.0);
}

static mlp mlp_new(size_t hidden, nnm_act act, ex_rng *rng)
{
    mlp m = {hidden, act, ex_alloc(hidden * PIXELS, sizeof(double)),
             ex_alloc(hidden, sizeof(double)), ex_alloc(CLASSES * hidden, sizeof(double)),
             ex_alloc(CLASSES, sizeof(double))};
    init_weights(rng, act, hidden, PIXELS, m.w1);
    /* the output layer feeds softmax, which is not ReLU-like whatever the hidden units are */
    init_weights(rng, nnm_act_default(NNM_ACT_TANH), CLASSES, hidden, m.w2);
    return m;
}

static void mlp_free(mlp *m)
{
    free(m->w1);
    free(m->b1);
    free(m->w2);
    free(m->b2);
}

static workspace workspace_new(size_t cap, size_t hidden)
{
    workspace w = {cap,
                   ex_alloc(cap * hidden, sizeof(double)),
                   ex_alloc(cap * hidden, sizeof(double)),
                   ex_alloc(cap * CLASSES, sizeof(double)),
                   ex_alloc(cap * CLASSES, sizeof(double)),
                   ex_alloc(cap * hidden, sizeof(double)),
                   ex_alloc(hidden * PIXELS, sizeof(double)),
                   ex_alloc(hidden, sizeof(double)),
                   ex_alloc(CLASSES * hidden, sizeof(double)),
                   ex_alloc(CLASSES, sizeof(double))};
    return w;
}

static void workspace_free(workspace *w)
{
    free(w->a1);
    free(w->h);
    free(w->a2);
    free(w->da2);
    free(w->dh);
    free(w->dw1);
    free(w->db1);
    free(w->dw2);
    free(w->db2);
}

/* Logits of n <= w->cap samples into w->a2 (keeping a1 and h for the backward pass). */
static void forward(const mlp *m, workspace *w, size_t n, const double *x)
{
    EX_TRY(nnm_act_affine_f64(n, PIXELS, m->hidden, x, m->w1, m->b1, w->a1));
    EX_TRY(nnm_act_apply_f64(m->act, n * m->hidden, w->a1, w->h));
    EX_TRY(nnm_act_affine_f64(n, m->hidden, CLASSES, w->h, m->w2, m->b2, w->a2));
}

static int32_t argmax_row(const double *row)
{
    int32_t best = 0;
    for (int32_t k = 1; k < CLASSES; ++k)
        if (row[k] > row[best])
            best = k;
    return best;
}

/* One SGD step on the mean cross-entropy of a mini-batch; returns that mean loss and adds the
 * batch's correct predictions (by the weights before the step) to *correct. */
static double train_step(mlp *m, workspace *w, size_t n, const double *x, const int32_t *label,
                         double lr, size_t *correct)
{
    nnm_loss_opts mean = NNM_LOSS_OPTS_INIT;
    mean.reduction = NNM_REDUCE_MEAN;
    double loss = 0.0;

    forward(m, w, n, x);
    EX_TRY(nnm_loss_ce_logits_labels_f64(n, CLASSES, w->a2, label, &mean, &loss));
    for (size_t i = 0; i < n; ++i)
        *correct += argmax_row(w->a2 + i * CLASSES) == label[i];

    /* backward: each gradient array is overwritten, so nothing needs zeroing between steps */
    EX_TRY(nnm_grad_loss_ce_logits_labels_f64(n, CLASSES, w->a2, label, &mean, w->da2));
    EX_TRY(nnm_grad_affine_f64(n, m->hidden, CLASSES, w->h, m->w2, w->da2, w->dw2, w->db2, w->dh));
    /* dL/da1 = f'(a1) * dL/dh, written over dL/dh (the VJP allows dx == dy) */
    EX_TRY(nnm_grad_act_vjp_f64(m->act, n * m->hidden, w->a1, w->dh, w->dh));
    EX_TRY(nnm_grad_affine_f64(n, PIXELS, m->hidden, x, m->w1, w->dh, w->dw1, w->db1, NULL));

    EX_TRY(nnm_grad_step_f64(m->hidden * PIXELS, lr, w->dw1, m->w1));
    EX_TRY(nnm_grad_step_f64(m->hidden, lr, w->db1, m->b1));
    EX_TRY(nnm_grad_step_f64(CLASSES * m->hidden, lr, w->dw2, m->w2));
    EX_TRY(nnm_grad_step_f64(CLASSES, lr, w->db2, m->b2));
    return loss;
}

/* Fraction of ds classified correctly; confusion[t][p] counts (optional). */
static double accuracy(const mlp *m, workspace *w, const dataset *ds,
                       size_t confusion[CLASSES][CLASSES])
{
    size_t correct = 0;
    for (size_t start = 0; start < ds->n; start += w->cap) {
        size_t n = ds->n - start < w->cap ? ds->n - start : w->cap;
        forward(m, w, n, ds->x + start * PIXELS);
        for (size_t i = 0; i < n; ++i) {
            int32_t p = argmax_row(w->a2 + i * CLASSES), t = ds->label[start + i];
            correct += p == t;
            if (confusion != NULL)
                ++confusion[t][p];
        }
    }
    return (double)correct / (double)ds->n;
}

static void usage(const char *prog)
{
    fprintf(stderr,
            "usage: %s [--data FILE] [--seed N] [--epochs N] [--hidden N] [--batch N] [--lr X]\n"
            "          [--act tanh|sigmoid|relu|leaky_relu|elu|selu|softplus|silu|gelu|mish|...]\n"
            "          [--min-accuracy X] [--quick]\n",
            prog);
    exit(2);
}

int main(int argc, char **argv)
{
    const char *data = NNM_EXAMPLES_DATA_DIR "/digits.txt";
    unsigned long seed = 1, epochs = 20, hidden = 64, batch = 32;
    double lr = 0.2, min_accuracy = -1.0;
    nnm_act act = nnm_act_default(NNM_ACT_TANH);

    for (int i = 1; i < argc; ++i) {
        const char *o = argv[i];
        if (strcmp(o, "--data") == 0)
            data = ex_option_value(argc, argv, &i);
        else if (strcmp(o, "--seed") == 0)
            seed = ex_parse_count(o, ex_option_value(argc, argv, &i), 0, 0xFFFFFFFFul);
        else if (strcmp(o, "--epochs") == 0)
            epochs = ex_parse_count(o, ex_option_value(argc, argv, &i), 1, 100000);
        else if (strcmp(o, "--hidden") == 0)
            hidden = ex_parse_count(o, ex_option_value(argc, argv, &i), 1, 4096);
        else if (strcmp(o, "--batch") == 0)
            batch = ex_parse_count(o, ex_option_value(argc, argv, &i), 1, 4096);
        else if (strcmp(o, "--lr") == 0)
            lr = ex_parse_real(o, ex_option_value(argc, argv, &i), 1e-9, 100.0);
        else if (strcmp(o, "--min-accuracy") == 0)
            min_accuracy = ex_parse_real(o, ex_option_value(argc, argv, &i), 0.0, 1.0);
        else if (strcmp(o, "--quick") == 0)
            epochs = 3;
        else if (strcmp(o, "--act") == 0) {
            const char *name = ex_option_value(argc, argv, &i);
            if (!ex_act_from_name(name, &act)) {
                fprintf(stderr, "--act: unknown activation '%s'\n", name);
                usage(argv[0]);
            }
        } else
            usage(argv[0]);
    }

    ex_rng rng = {(uint64_t)seed};
    dataset all = load_digits(data);

    /* Hold out 20 % of the images, chosen by the seeded shuffle. */
    size_t *idx = ex_alloc(all.n, sizeof *idx);
    for (size_t i = 0; i < all.n; ++i)
        idx[i] = i;
    ex_shuffle(&rng, all.n, idx);
    size_t n_test = all.n / 5, n_train = all.n - n_test;
    dataset test = subset(&all, n_test, idx);
    dataset train = subset(&all, n_train, idx + n_test);
    dataset_free(&all);

    printf("digits: %zu training and %zu held-out images of 8x8 pixels, 10 classes\n", train.n,
           test.n);
    printf("network: 64 -> %lu %s -> 10 softmax, cross-entropy loss; batch %lu, lr %g, "
           "seed %lu\n",
           hidden, ex_act_name(act), batch, lr, seed);

    mlp m = mlp_new(hidden, act, &rng);
    workspace w = workspace_new(batch, hidden);
    /* the evaluation pass reuses the workspace in chunks of `batch` samples */
    double *xb = ex_alloc(batch * PIXELS, sizeof(double));
    int32_t *lb = ex_alloc(batch, sizeof(int32_t));
    size_t *order = ex_alloc(train.n, sizeof *order);
    for (size_t i = 0; i < train.n; ++i)
        order[i] = i;

    double test_acc = 0.0;
    for (unsigned long epoch = 1; epoch <= epochs; ++epoch) {
        ex_shuffle(&rng, train.n, order);
        double loss_sum = 0.0;
        size_t correct = 0;
        for (size_t start = 0; start < train.n; start += batch) {
            size_t n = train.n - start < batch ? train.n - start : batch;
            for (size_t i = 0; i < n; ++i) {
                memcpy(xb + i * PIXELS, train.x + order[start + i] * PIXELS,
                       PIXELS * sizeof(double));
                lb[i] = train.label[order[start + i]];
            }
            loss_sum += (double)n * train_step(&m, &w, n, xb, lb, lr, &correct);
        }
        /* training loss and accuracy as the epoch saw them (each batch before its step): no
         * second pass over the training set */
        double train_acc = (double)correct / (double)train.n;
        test_acc = accuracy(&m, &w, &test, NULL);
        printf("epoch %3lu/%lu  loss %.4f  train %6.2f %%  held-out %6.2f %%\n", epoch, epochs,
               loss_sum / (double)train.n, 100.0 * train_acc, 100.0 * test_acc);
        fflush(stdout);
    }

    /* The confusion matrix shows which digits are mistaken for which. */
    size_t confusion[CLASSES][CLASSES];
    memset(confusion, 0, sizeof confusion);
    test_acc = accuracy(&m, &w, &test, confusion);
    printf("\nheld-out confusion matrix (row: true digit, column: predicted)\n     ");
    for (int p = 0; p < CLASSES; ++p)
        printf("%4d", p);
    printf("\n");
    for (int t = 0; t < CLASSES; ++t) {
        printf("  %d: ", t);
        for (int p = 0; p < CLASSES; ++p)
            printf("%4zu", confusion[t][p]);
        printf("\n");
    }

    /* The softmax of the logits is the network's P(class | image) (the notes' multiclass row). */
    double p[CLASSES];
    forward(&m, &w, 1, test.x);
    EX_TRY(nnm_act_softmax_f64(1, CLASSES, 1.0, w.a2, p));
    printf("\nfirst held-out image (a %d): P(digit) =", (int)test.label[0]);
    for (int k = 0; k < CLASSES; ++k)
        printf(" %.3f", p[k]);
    printf("\n\nheld-out accuracy %.2f %%\n", 100.0 * test_acc);

    int status = EXIT_SUCCESS;
    if (min_accuracy >= 0.0 && test_acc < min_accuracy) {
        printf("FAIL: held-out accuracy %.4f is below the required %.4f\n", test_acc,
               min_accuracy);
        status = EXIT_FAILURE;
    }
    free(xb);
    free(lb);
    free(order);
    free(idx);
    workspace_free(&w);
    mlp_free(&m);
    dataset_free(&train);
    dataset_free(&test);
    return status;
}
