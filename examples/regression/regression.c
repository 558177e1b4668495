/*
 * regression: multivariate regression with identity outputs and the l2-loss (the notes' row
 * "Regression: K output neurons with identity activation functions, y(a_k) = a_k").
 *
 * The network learns x -> (sin x, cos x) on [-pi, pi] from 256 noisy samples (Gaussian noise,
 * sigma = 0.05): one tanh hidden layer, two identity outputs, the half-sum-squared-error
 *
 *   L = 1/2 sum_n ||y_n - t_n||^2        nnm_loss_l2_f64 (MEAN: divided by the batch size)
 *
 * whose gradient w.r.t. the outputs is y - t (nnm_grad_loss_l2_f64); the identity's derivative is
 * 1, so dL/da = dL/dy (nnm_grad_act_vjp_f64 with NNM_ACT_IDENTITY shows it). It then reports the
 * root-mean-square error against the noise-free curves on a grid the network never saw.
 *
 *   regression [--seed N] [--epochs N] [--max-rmse X]
 *
 * With --max-rmse the exit status is 1 when the final grid RMSE exceeds X (ctest uses it).
 */
#include <nnmath/nnmath.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/example.h"

enum { HIDDEN = 32, OUTPUTS = 2, TRAIN = 256, GRID = 201, BATCH = 16 };

static const double pi = 3.14159265358979323846;

typedef struct net {
    double w1[HIDDEN], b1[HIDDEN];              /* 1 input -> HIDDEN */
    double w2[OUTPUTS * HIDDEN], b2[OUTPUTS];   /* HIDDEN -> 2 outputs */
} net;

typedef struct pass {
    double a1[BATCH * HIDDEN], h[BATCH * HIDDEN], a2[BATCH * OUTPUTS], y[BATCH * OUTPUTS];
    double dy[BATCH * OUTPUTS], dh[BATCH * HIDDEN];
    double dw1[HIDDEN], db1[HIDDEN], dw2[OUTPUTS * HIDDEN], db2[OUTPUTS];
} pass;

static const nnm_act tanh_act = {NNM_ACT_TANH, 0.0};
static const nnm_act identity_act = {NNM_ACT_IDENTITY, 0.0};

/* Outputs y of n <= BATCH inputs x (the network's 1-D input is scaled to [-1, 1]). */
static void forward(const net *m, pass *p, size_t n, const double *x)
{
    EX_TRY(nnm_act_affine_f64(n, 1, HIDDEN, x, m->w1, m->b1, p->a1));
    EX_TRY(nnm_act_apply_f64(tanh_act, n * HIDDEN, p->a1, p->h));
    EX_TRY(nnm_act_affine_f64(n, HIDDEN, OUTPUTS, p->h, m->w2, m->b2, p->a2));
    EX_TRY(nnm_act_identity_f64(n * OUTPUTS, p->a2, p->y));
}

static double train_step(net *m, pass *p, size_t n, const double *x, const double *t, double lr)
{
    nnm_loss_opts mean = NNM_LOSS_OPTS_INIT;
    mean.reduction = NNM_REDUCE_MEAN;
    double loss = 0.0;

    forward(m, p, n, x);
    EX_TRY(nnm_loss_l2_f64(n, OUTPUTS, p->y, t, &mean, &loss));
    EX_TRY(nnm_grad_loss_l2_f64(n, OUTPUTS, p->y, t, &mean, p->dy));
    /* dL/da2 = identity'(a2) * dL/dy = dL/dy, in place */
    EX_TRY(nnm_grad_act_vjp_f64(identity_act, n * OUTPUTS, p->a2, p->dy, p->dy));
    EX_TRY(nnm_grad_affine_f64(n, HIDDEN, OUTPUTS, p->h, m->w2, p->dy, p->dw2, p->db2, p->dh));
    EX_TRY(nnm_grad_act_vjp_f64(tanh_act, n * HIDDEN, p->a1, p->dh, p->dh));
    EX_TRY(nnm_grad_affine_f64(n, 1, HIDDEN, x, m->w1, p->dh, p->dw1, p->db1, NULL));

    EX_TRY(nnm_grad_step_f64(HIDDEN, lr, p->dw1, m->w1));
    EX_TRY(nnm_grad_step_f64(HIDDEN, lr, p->db1, m->b1));
    EX_TRY(nnm_grad_step_f64(OUTPUTS * HIDDEN, lr, p->dw2, m->w2));
    EX_TRY(nnm_grad_step_f64(OUTPUTS, lr, p->db2, m->b2));
    return loss;
}

/* RMS error per output component of the network against the noise-free (sin, cos) on a grid. */
static double grid_rmse(const net *m, pass *p)
{
    double sse = 0.0;
    for (size_t start = 0; start < GRID; start += BATCH) {
        size_t n = GRID - start < BATCH ? GRID - start : BATCH;
        double x[BATCH];
        for (size_t i = 0; i < n; ++i)
            x[i] = -1.0 + 2.0 * (double)(start + i) / (GRID - 1);
        forward(m, p, n, x);
        for (size_t i = 0; i < n; ++i) {
            double u = pi * x[i];
            double e0 = p->y[i * OUTPUTS] - sin(u), e1 = p->y[i * OUTPUTS + 1] - cos(u);
            sse += e0 * e0 + e1 * e1;
        }
    }
    return sqrt(sse / (GRID * OUTPUTS));
}

int main(int argc, char **argv)
{
    unsigned long seed = 1, epochs = 500;
    double max_rmse = -1.0, lr = 0.05;
    for (int i = 1; i < argc; ++i) {
        const char *o = argv[i];
        if (strcmp(o, "--seed") == 0)
            seed = ex_parse_count(o, ex_option_value(argc, argv, &i), 0, 0xFFFFFFFFul);
        else if (strcmp(o, "--epochs") == 0)
            epochs = ex_parse_count(o, ex_option_value(argc, argv, &i), 1, 1000000);
        else if (strcmp(o, "--max-rmse") == 0)
            max_rmse = ex_parse_real(o, ex_option_value(argc, argv, &i), 0.0, 1e9);
        else {
            fprintf(stderr, "usage: %s [--seed N] [--epochs N] [--max-rmse X]\n", argv[0]);
            return 2;
        }
    }

    ex_rng rng = {(uint64_t)seed};
    static double x[TRAIN], t[TRAIN * OUTPUTS];
    for (size_t i = 0; i < TRAIN; ++i) {
        x[i] = 2.0 * ex_rng_uniform(&rng) - 1.0;
        t[i * OUTPUTS] = sin(pi * x[i]) + 0.05 * ex_rng_normal(&rng);
        t[i * OUTPUTS + 1] = cos(pi * x[i]) + 0.05 * ex_rng_normal(&rng);
    }

    static net m;
    static pass p;
    /* Input weights in (-3, 3) and biases in (-1, 1) put the hidden units' tanh transitions at
     * different places and slopes across the input range [-1, 1] (Glorot's range for a single
     * input would leave every unit nearly linear there); the output layer is Glorot-uniform. */
    for (size_t j = 0; j < HIDDEN; ++j) {
        m.w1[j] = 3.0 * (2.0 * ex_rng_uniform(&rng) - 1.0);
        m.b1[j] = 2.0 * ex_rng_uniform(&rng) - 1.0;
    }
    double r = sqrt(6.0 / (HIDDEN + OUTPUTS));
    for (size_t j = 0; j < OUTPUTS * HIDDEN; ++j)
        m.w2[j] = r * (2.0 * ex_rng_uniform(&rng) - 1.0);

    printf("regression: x -> (sin pi x, cos pi x), %d noisy samples (sigma 0.05)\n", TRAIN);
    printf("network: 1 -> %d tanh -> 2 identity, l2-loss (half-SSE); batch %d, lr %g, seed %lu\n",
           HIDDEN, BATCH, lr, seed);

    size_t order[TRAIN];
    for (size_t i = 0; i < TRAIN; ++i)
        order[i] = i;
    double rmse = 0.0;
    for (unsigned long epoch = 1; epoch <= epochs; ++epoch) {
        ex_shuffle(&rng, TRAIN, order);
        double loss_sum = 0.0;
        for (size_t start = 0; start < TRAIN; start += BATCH) {
            double xb[BATCH], tb[BATCH * OUTPUTS];
            for (size_t i = 0; i < BATCH; ++i) {
                xb[i] = x[order[start + i]];
                memcpy(tb + i * OUTPUTS, t + order[start + i] * OUTPUTS, sizeof(double) * OUTPUTS);
            }
            loss_sum += BATCH * train_step(&m, &p, BATCH, xb, tb, lr);
        }
        rmse = grid_rmse(&m, &p);
        if (epoch == 1 || epoch % 50 == 0 || epoch == epochs)
            printf("epoch %4lu/%lu  mean half-SSE %.5f  grid RMSE %.4f\n", epoch, epochs,
                   loss_sum / TRAIN, rmse);
    }

    /* The noise alone gives a mean half-SSE of 1/2 * 2 * 0.05^2 = 0.0025 per sample: a training
     * loss near it means the curves are fitted and the noise is not. */
    printf("\n    x      sin     net      cos     net\n");
    for (int i = 0; i <= 8; ++i) {
        double xi = -1.0 + i / 4.0;
        forward(&m, &p, 1, &xi);
        printf("%6.3f  %6.3f  %6.3f   %6.3f  %6.3f\n", pi * xi, sin(pi * xi), p.y[0], cos(pi * xi),
               p.y[1]);
    }
    printf("\ngrid RMSE against the noise-free curves: %.4f (noise sigma 0.05)\n", rmse);
    if (max_rmse >= 0.0 && !(rmse <= max_rmse)) {
        printf("FAIL: RMSE %.4f is above the allowed %.4f\n", rmse, max_rmse);
        return EXIT_FAILURE;
    }
    return EXIT_SUCCESS;
}
