/*
 * Benchmark: nnm_hess_eigvals_sym_f64 / nnm_hess_eig_sym_f64 against LAPACK dsyev and dsyevd
 * (jobz = 'N' and 'V') for d = 4, 16, 64, 256 on random dense symmetric matrices.
 *
 * Each timing sample runs a batch of calls long enough (~20 ms) to dwarf the clock's resolution;
 * the samples of the three methods are interleaved and the median of 15 per method is reported
 * (robust against a core shared with other jobs). Times are the process's CPU time
 * (CLOCK_PROCESS_CPUTIME_ID): both sides are single-threaded (reference LAPACK), and on a loaded
 * machine wall time would mostly measure the scheduler. Every call
 * on both sides includes what a user pays: LAPACK gets a fresh copy of the matrix (it overwrites
 * its input) and a workspace queried once outside the timing; ours allocates its own scratch.
 * The ratio printed is t(LAPACK) / t(nnmath): above 1 means nnmath is faster.
 *
 * Usage: bench_eigen [samples]   (default 15)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nnmath/nnmath.h>

void dsyev_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda,
            double *w, double *work, const int *lwork, int *info, size_t jobz_len,
            size_t uplo_len);
void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda,
             double *w, double *work, const int *lwork, int *iwork, const int *liwork,
             int *info, size_t jobz_len, size_t uplo_len);

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15u;
static double uniform(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    z ^= z >> 31;
    return (double)(z >> 11) * 0x1p-53 * 2.0 - 1.0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

enum method { OURS, DSYEV, DSYEVD };

typedef struct problem {
    int n;
    int vectors;
    const double *H;
    double *a, *w, *V, *work;
    int *iwork;
    int lwork, liwork;
} problem;

static void run_once(problem *p, enum method m)
{
    size_t n = (size_t)p->n;
    char jobz = p->vectors ? 'V' : 'N', uplo = 'L';
    int info = 0;
    switch (m) {
    case OURS:
        if ((p->vectors ? nnm_hess_eig_sym_f64(n, p->H, p->w, p->V)
                        : nnm_hess_eigvals_sym_f64(n, p->H, p->w)) != NNM_OK) {
            fprintf(stderr, "nnmath failed\n");
            exit(1);
        }
        break;
    case DSYEV:
        memcpy(p->a, p->H, n * n * sizeof(double));
        dsyev_(&jobz, &uplo, &p->n, p->a, &p->n, p->w, p->work, &p->lwork, &info, 1, 1);
        break;
    case DSYEVD:
        memcpy(p->a, p->H, n * n * sizeof(double));
        dsyevd_(&jobz, &uplo, &p->n, p->a, &p->n, p->w, p->work, &p->lwork, p->iwork,
                &p->liwork, &info, 1, 1);
        break;
    }
    if (info != 0) {
        fprintf(stderr, "LAPACK info = %d\n", info);
        exit(1);
    }
}

/* Calls per timing sample so that one sample takes ~20 ms. */
static int calibrate(problem *p, enum method m)
{
    int batch = 1;
    for (;;) {
        double t0 = now();
        for (int r = 0; r < batch; ++r) run_once(p, m);
        if (now() - t0 > 0.02 || batch > (1 << 24)) return batch;
        batch *= 2;
    }
}

/* Median time of one call of each method, in seconds. The samples of the three methods are
 * interleaved, so that a load change on a shared machine affects all of them alike. */
static void time_methods(problem *p, int samples, double med[3])
{
    int batch[3];
    double *t = malloc(3 * (size_t)samples * sizeof *t);
    for (int m = 0; m < 3; ++m) batch[m] = calibrate(p, (enum method)m);
    for (int s = 0; s < samples; ++s)
        for (int m = 0; m < 3; ++m) {
            double t0 = now();
            for (int r = 0; r < batch[m]; ++r) run_once(p, (enum method)m);
            t[m * samples + s] = (now() - t0) / batch[m];
        }
    for (int m = 0; m < 3; ++m) {
        qsort(t + m * samples, (size_t)samples, sizeof *t, cmp_double);
        med[m] = t[m * samples + samples / 2];
    }
    free(t);
}

int main(int argc, char **argv)
{
    int samples = argc > 1 ? atoi(argv[1]) : 15;
    if (samples < 1) samples = 1;
    static const int sizes[] = {4, 16, 64, 256};
    printf("symmetric eigen-solver, median of %d samples, ratio = t(LAPACK) / t(nnmath)\n",
           samples);
    printf("%-5s %-8s %12s %12s %12s %9s %9s\n", "d", "job", "nnmath[us]", "dsyev[us]",
           "dsyevd[us]", "vs dsyev", "vs dsyevd");
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; ++si) {
        int n = sizes[si];
        size_t nn = (size_t)n * (size_t)n;
        double *H = malloc(nn * sizeof *H);
        for (int i = 0; i < n; ++i)
            for (int j = i; j < n; ++j) H[i * n + j] = H[j * n + i] = uniform();
        for (int vectors = 0; vectors <= 1; ++vectors) {
            problem p = {n, vectors, H, malloc(nn * sizeof(double)),
                         malloc((size_t)n * sizeof(double)), malloc(nn * sizeof(double)),
                         NULL, NULL, 0, 0};
            char jobz = vectors ? 'V' : 'N', uplo = 'L';
            int info = 0, q = -1, iq = 0;
            double wq = 0.0;
            /* one workspace large enough for both routines */
            dsyev_(&jobz, &uplo, &n, p.a, &n, p.w, &wq, &q, &info, 1, 1);
            int lw = (int)wq;
            q = -1;
            iq = -1;
            int iwq = 0;
            dsyevd_(&jobz, &uplo, &n, p.a, &n, p.w, &wq, &q, &iwq, &iq, &info, 1, 1);
            if ((int)wq > lw) lw = (int)wq;
            p.lwork = lw;
            p.liwork = iwq > 1 ? iwq : 1;
            p.work = malloc((size_t)lw * sizeof(double));
            p.iwork = malloc((size_t)p.liwork * sizeof(int));

            double med[3];
            time_methods(&p, samples, med);
            double t_ours = med[OURS], t_ev = med[DSYEV], t_evd = med[DSYEVD];
            printf("%-5d %-8s %12.3f %12.3f %12.3f %9.2f %9.2f\n", n,
                   vectors ? "eig+vec" : "eigvals", 1e6 * t_ours, 1e6 * t_ev, 1e6 * t_evd,
                   t_ev / t_ours, t_evd / t_ours);
            free(p.iwork);
            free(p.work);
            free(p.V);
            free(p.w);
            free(p.a);
        }
        free(H);
    }
    return 0;
}
