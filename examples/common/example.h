/*
 * Small helpers shared by the examples (header-only, so each example stays one file to copy):
 * stop on a failed libnnmath call with its status, a seeded PRNG, and option parsing.
 */
#ifndef NNMATH_EXAMPLE_H
#define NNMATH_EXAMPLE_H

#include <nnmath/nnmath.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every libnnmath call returns a status; an example stops at the first one that is not NNM_OK
 * and says which call failed and why. */
#define EX_TRY(call)                                                                     \
    do {                                                                                 \
        nnm_status ex_status_ = (call);                                                  \
        if (ex_status_ != NNM_OK) {                                                      \
            fprintf(stderr, "%s:%d: %s failed: %s\n", __FILE__, __LINE__, #call,         \
                    nnm_status_str(ex_status_));                                         \
            exit(EXIT_FAILURE);                                                          \
        }                                                                                \
    } while (0)

/* malloc that never returns NULL (an example has nothing better to do than stop). */
static inline void *ex_alloc(size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size) {
        fprintf(stderr, "allocation of %zu x %zu bytes overflows\n", count, size);
        exit(EXIT_FAILURE);
    }
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (p == NULL) {
        fprintf(stderr, "out of memory (%zu x %zu bytes)\n", count, size);
        exit(EXIT_FAILURE);
    }
    return p;
}

/* SplitMix64: a tiny, well-mixed 64-bit generator; the same seed gives the same run everywhere. */
typedef struct ex_rng {
    uint64_t state;
} ex_rng;

static inline uint64_t ex_rng_next(ex_rng *r)
{
    uint64_t z = (r->state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* Uniform in [0, 1): the top 53 bits, so every value is an exact multiple of 2^-53. */
static inline double ex_rng_uniform(ex_rng *r)
{
    return (double)(ex_rng_next(r) >> 11) * 0x1.0p-53;
}

/* Standard normal by Box-Muller (1 - u keeps the logarithm's argument in (0, 1]). */
static inline double ex_rng_normal(ex_rng *r)
{
    const double two_pi = 6.283185307179586;
    double u = ex_rng_uniform(r), v = ex_rng_uniform(r);
    return sqrt(-2.0 * log(1.0 - u)) * cos(two_pi * v);
}

/* Uniform integer in [0, n) for n > 0 (the modulo bias is below 2^-40 for the n used here). */
static inline size_t ex_rng_below(ex_rng *r, size_t n)
{
    return (size_t)(ex_rng_next(r) % (uint64_t)n);
}

/* Fisher-Yates shuffle of idx[0..n). */
static inline void ex_shuffle(ex_rng *r, size_t n, size_t *idx)
{
    for (size_t i = n; i > 1; --i) {
        size_t j = ex_rng_below(r, i);
        size_t tmp = idx[i - 1];
        idx[i - 1] = idx[j];
        idx[j] = tmp;
    }
}

/* Option values: stop with a message on anything that is not a whole valid number. */
static inline unsigned long ex_parse_count(const char *opt, const char *s, unsigned long min,
                                           unsigned long max)
{
    char *end = NULL;
    unsigned long v = strtoul(s, &end, 10);
    if (*s == '\0' || *s == '-' || *end != '\0' || v < min || v > max) {
        fprintf(stderr, "%s: expected a whole number in [%lu, %lu], got '%s'\n", opt, min, max, s);
        exit(2);
    }
    return v;
}

static inline double ex_parse_real(const char *opt, const char *s, double min, double max)
{
    char *end = NULL;
    double v = strtod(s, &end);
    if (*s == '\0' || *end != '\0' || !(v >= min && v <= max)) {
        fprintf(stderr, "%s: expected a number in [%g, %g], got '%s'\n", opt, min, max, s);
        exit(2);
    }
    return v;
}

/* The value after option argv[*i], or a usage error. */
static inline const char *ex_option_value(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc) {
        fprintf(stderr, "%s needs a value\n", argv[*i]);
        exit(2);
    }
    return argv[++*i];
}

/* Hidden-layer activations an example may be asked for by name (step is left out: its
 * derivative is 0 everywhere, so nothing would train). */
typedef struct ex_act_name_entry {
    const char *name;
    nnm_act_kind kind;
} ex_act_name_entry;

static inline const ex_act_name_entry *ex_act_names(size_t *count)
{
    static const ex_act_name_entry table[] = {
        {"identity", NNM_ACT_IDENTITY},     {"sigmoid", NNM_ACT_SIGMOID},
        {"tanh", NNM_ACT_TANH},             {"relu", NNM_ACT_RELU},
        {"leaky_relu", NNM_ACT_LEAKY_RELU}, {"elu", NNM_ACT_ELU},
        {"selu", NNM_ACT_SELU},             {"softplus", NNM_ACT_SOFTPLUS},
        {"log_sigmoid", NNM_ACT_LOG_SIGMOID}, {"silu", NNM_ACT_SILU},
        {"gelu", NNM_ACT_GELU},             {"gelu_tanh", NNM_ACT_GELU_TANH},
        {"mish", NNM_ACT_MISH},
    };
    *count = sizeof table / sizeof table[0];
    return table;
}

/* 1 and the default descriptor of the named activation, or 0 for an unknown name. */
static inline int ex_act_from_name(const char *name, nnm_act *act)
{
    size_t count;
    const ex_act_name_entry *table = ex_act_names(&count);
    for (size_t i = 0; i < count; ++i) {
        if (strcmp(name, table[i].name) == 0) {
            *act = nnm_act_default(table[i].kind);
            return 1;
        }
    }
    return 0;
}

static inline const char *ex_act_name(nnm_act act)
{
    size_t count;
    const ex_act_name_entry *table = ex_act_names(&count);
    for (size_t i = 0; i < count; ++i)
        if (table[i].kind == act.kind)
            return table[i].name;
    return "?";
}

#endif /* NNMATH_EXAMPLE_H */
