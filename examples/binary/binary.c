/*
 * binary: two-class classification with one sigmoid output and the binary cross-entropy (the
 * notes' row "Binary: 1 output neuron with logistic sigmoid, y(a) = sigma(a) = P(C1 | x)").
 *
 * Data: two interleaving half-moons in the plane (400 points, Gaussian noise sigma = 0.15; class 1
 * is the lower moon), which no straight line separates: one tanh hidden layer bends the boundary.
 *
 * The loss is BCE, L = -sum_n t ln y + (1 - t) ln(1 - y) with y = sigma(a). Training computes it
 * from the logit a (nnm_loss_bce_logits_f64, gradient sigma(a) - t from
 * nnm_grad_loss_bce_logits_f64): the same number, but finite for every finite a, where
 * ln(1 - sigma(a)) from a rounded sigma(a) would be ln 0 = -inf once sigma(a) rounds to 1
 * (a > 37 in double). At the end the example computes sigma(a) (nnm_act_sigmoid_f64) and the BCE
 * on those probabilities (nnm_loss_bce_f64) to show that both forms agree.
 *
 *   binary [--seed N] [--epochs N] [--min-accuracy X]
 *
 * With --min-accuracy the exit status is 1 when the held-out accuracy is below X (ctest uses it).
 */
#include <nnmath/nnmath.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/example.h"

enum { HIDDEN = 16, POINTS = 400, TRAIN = 300, BATCH = 20 };

static const double pi = 3.14159265358979323846;

typedef struct net {
    double w1[HIDDEN * 2], b1[HIDDEN];  /* 2 inputs -> HIDDEN */
    double w2[HIDDEN], b2[1];           /* HIDDEN -> 1 logit */
} net;

typedef struct pass {
    double a1[TRAIN * HIDDEN], h[TRAIN * HIDDEN], a2[TRAIN];
    double da2[TRAIN], dh[TRAIN * HIDDEN];
    double dw1[HIDDEN * 2], db1[HIDDEN], dw2[HIDDEN], db2[1];
} pass;

static const nnm_act tanh_act = {NNM_ACT_TANH, 0.0};

/* Logits a2 of n <= TRAIN points. */
static void forward(const net *m, pass *p, size_t n, const double *x)
{
    EX_TRY(nnm_act_affine_f64(n, 2, HIDDEN, x, m->w1, m->b1, p->a1));
    EX_TRY(nnm_act_apply_f64(tanh_act, n * HIDDEN, p->a1, p->h));
    EX_TRY(nnm_act_affine_f64(n, HIDDEN, 1, p->h, m->w2, m->b2, p->a2));
}

static double train_step(net *m, pass *p, size_t n, const double *x, const double *t, double lr)
{
    nnm_loss_opts mean = NNM_LOSS_OPTS_INIT;
    mean.reduction = NNM_REDUCE_MEAN;
    double loss = 0.0;

    forward(m, p, n, x);
    EX_TRY(nnm_loss_bce_logits_f64(n, 1, p->a2, t, &mean, &loss));
    EX_TRY(nnm_grad_loss_bce_logits_f64(n, 1, p->a2, t, &mean, p->da2));
    EX_TRY(nnm_grad_affine_f64(n, HIDDEN, 1, p->h, m->w2, p->da2, p->dw2, p->db2, p->dh));
    EX_TRY(nnm_grad_act_vjp_f64(tanh_act, n * HIDDEN, p->a1, p->dh, p->dh));
    EX_TRY(nnm_grad_affine_f64(n, 2, HIDDEN, x, m->w1, p->dh, p->dw1, p->db1, NULL));

    EX_TRY(nnm_grad_step_f64(HIDDEN * 2, lr, p->dw1, m->w1));
    EX_TRY(nnm_grad_step_f64(HIDDEN, lr, p->db1, m->b1));
    EX_TRY(nnm_grad_step_f64(HIDDEN, lr, p->dw2, m->w2));
    EX_TRY(nnm_grad_step_f64(1, lr, p->db2, m->b2));
    return loss;
}

/* Fraction of n points whose predicted class (a > 0, i.e. sigma(a) > 1/2) matches t. */
static double accuracy(const net *m, pass *p, size_t n, const double *x, const double *t)
{
    size_t correct = 0;
    forward(m, p, n, x);
    for (size_t i = 0; i < n; ++i)
        correct += (p->a2[i] > 0.0) == (t[i] > 0.5);
    return (double)correct / (double)n;
}

int main(int argc, char **argv)
{
    unsigned long seed = 1, epochs = 200;
    double min_accuracy = -1.0, lr = 0.2;
    for (int i = 1; i < argc; ++i) {
        const char *o = argv[i];
        if (strcmp(o, "--seed") == 0)
            seed = ex_parse_count(o, ex_option_value(argc, argv, &i), 0, 0xFFFFFFFFul);
        else if (strcmp(o, "--epochs") == 0)
            epochs = ex_parse_count(o, ex_option_value(argc, argv, &i), 1, 1000000);
        else if (strcmp(o, "--min-accuracy") == 0)
            min_accuracy = ex_parse_real(o, ex_option_value(argc, argv, &i), 0.0, 1.0);
        else {
            fprintf(stderr, "usage: %s [--seed N] [--epochs N] [--min-accuracy X]\n", argv[0]);
            return 2;
        }
    }

    /* Two moons: class 0 on the upper half circle, class 1 on the lower one shifted by (1, -1/2);
     * points alternate between the classes, so any TRAIN/held-out cut is balanced. */
    ex_rng rng = {(uint64_t)seed};
    static double x[POINTS * 2], t[POINTS];
    for (size_t i = 0; i < POINTS; ++i) {
        double u = pi * ex_rng_uniform(&rng);
        int cls = (int)(i % 2);
        double px = cls ? 1.0 - cos(u) : cos(u), py = cls ? 0.5 - sin(u) : sin(u);
        x[2 * i] = px + 0.15 * ex_rng_normal(&rng);
        x[2 * i + 1] = py + 0.15 * ex_rng_normal(&rng);
        t[i] = cls;
    }

    static net m;
    static pass p;
    double r1 = sqrt(6.0 / (2 + HIDDEN)), r2 = sqrt(6.0 / (HIDDEN + 1));
    for (size_t j = 0; j < HIDDEN * 2; ++j)
        m.w1[j] = r1 * (2.0 * ex_rng_uniform(&rng) - 1.0);
    for (size_t j = 0; j < HIDDEN; ++j)
        m.w2[j] = r2 * (2.0 * ex_rng_uniform(&rng) - 1.0);

    printf("binary: two moons, %d training and %d held-out points (noise sigma 0.15)\n", TRAIN,
           POINTS - TRAIN);
    printf("network: 2 -> %d tanh -> 1 sigmoid, binary cross-entropy; batch %d, lr %g, seed %lu\n",
           HIDDEN, BATCH, lr, seed);

    size_t order[TRAIN];
    for (size_t i = 0; i < TRAIN; ++i)
        order[i] = i;
    const double *x_test = x + 2 * TRAIN, *t_test = t + TRAIN;
    double test_acc = 0.0;
    for (unsigned long epoch = 1; epoch <= epochs; ++epoch) {
        ex_shuffle(&rng, TRAIN, order);
        double loss_sum = 0.0;
        for (size_t start = 0; start < TRAIN; start += BATCH) {
            double xb[BATCH * 2], tb[BATCH];
            for (size_t i = 0; i < BATCH; ++i) {
                memcpy(xb + 2 * i, x + 2 * order[start + i], 2 * sizeof(double));
                tb[i] = t[order[start + i]];
            }
            loss_sum += BATCH * train_step(&m, &p, BATCH, xb, tb, lr);
        }
        if (epoch == 1 || epoch % 20 == 0 || epoch == epochs) {
            double train_acc = accuracy(&m, &p, TRAIN, x, t);
            test_acc = accuracy(&m, &p, POINTS - TRAIN, x_test, t_test);
            printf("epoch %4lu/%lu  loss %.4f  train %6.2f %%  held-out %6.2f %%\n", epoch, epochs,
                   loss_sum / TRAIN, 100.0 * train_acc, 100.0 * test_acc);
        }
    }

    /* The same held-out loss from probabilities: y = sigma(a), then BCE on y. */
    nnm_loss_opts mean = NNM_LOSS_OPTS_INIT;
    mean.reduction = NNM_REDUCE_MEAN;
    static double y[POINTS - TRAIN];
    double from_logits = 0.0, from_probs = 0.0;
    forward(&m, &p, POINTS - TRAIN, x_test);
    EX_TRY(nnm_loss_bce_logits_f64(POINTS - TRAIN, 1, p.a2, t_test, &mean, &from_logits));
    EX_TRY(nnm_act_sigmoid_f64(POINTS - TRAIN, p.a2, y));
    EX_TRY(nnm_loss_bce_f64(POINTS - TRAIN, 1, y, t_test, &mean, &from_probs));
    printf("\nheld-out BCE from logits %.12f, from sigma(a) %.12f\n", from_logits, from_probs);
    printf("P(class 1) at (0, 1): ");
    double probe[2] = {0.0, 1.0}, prob = 0.0;
    forward(&m, &p, 1, probe);
    EX_TRY(nnm_act_sigmoid_f64(1, p.a2, &prob));
    printf("%.4f (upper moon: class 0)\n", prob);
    probe[0] = 1.0;
    probe[1] = -0.5;
    forward(&m, &p, 1, probe);
    EX_TRY(nnm_act_sigmoid_f64(1, p.a2, &prob));
    printf("P(class 1) at (1, -0.5): %.4f (lower moon: class 1)\n", prob);

    printf("\nheld-out accuracy %.2f %%\n", 100.0 * test_acc);
    if (min_accuracy >= 0.0 && test_acc < min_accuracy) {
        printf("FAIL: held-out accuracy %.4f is below the required %.4f\n", test_acc, min_accuracy);
        return EXIT_FAILURE;
    }
    return EXIT_SUCCESS;
}
