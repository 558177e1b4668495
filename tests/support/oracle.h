/*
 * MPFR oracle (test-only): exact reference values, the error of a computed result in ULPs of the
 * exact value, input sweeps (every binade, uniform ranges, neighbourhoods of thresholds) and a
 * report of the measured maximum per function.
 */
#ifndef NNM_ORACLE_H
#define NNM_ORACLE_H

#include <stddef.h>
#include <stdint.h>
#include <mpfr.h>

/* Working precision of the references: 256 bits leaves > 190 guard bits for double results. */
#define NNM_ORACLE_PREC 256

/* ULP error |got - exact| / ulp(exact) with ulp taken in the result format (53 or 24 bits, the
 * subnormal ulp below the normal range). Equal infinities and NaN vs NaN give 0; a NaN or an
 * infinity against a finite exact value gives +inf. */
double nnm_oracle_ulp_err_f64(double got, const mpfr_t exact);
double nnm_oracle_ulp_err_f32(float got, const mpfr_t exact);

/* |got - exact| / (|exact| eps): relative error in multiples of the format's eps. */
double nnm_oracle_rel_err_f64(double got, const mpfr_t exact);
double nnm_oracle_rel_err_f32(float got, const mpfr_t exact);

/* 1 when the exact value, rounded to the format, is a normal number (the range where the ULP
 * bounds are promised). */
int nnm_oracle_is_normal_f64(const mpfr_t exact);
int nnm_oracle_is_normal_f32(const mpfr_t exact);

/* A growable list of sample inputs (doubles; f32 sweeps round them to float). */
typedef struct nnm_points {
    double *x;
    size_t n, cap;
} nnm_points;

void nnm_points_free(nnm_points *p);
void nnm_points_add(nnm_points *p, double x);
/* per_binade random values in each binade [2^e, 2^(e+1)) with e_min <= e <= e_max, both signs;
 * e_min = -1074 reaches the subnormals (for them the binade is [2^e, 2^(e+1)) of subnormals). */
void nnm_points_add_binades(nnm_points *p, int e_min, int e_max, size_t per_binade, uint64_t seed);
void nnm_points_add_uniform(nnm_points *p, double lo, double hi, size_t count, uint64_t seed);
/* x itself and the `steps` doubles on each side of it (nextafter), e.g. around exp's overflow
 * threshold. */
void nnm_points_add_around(nnm_points *p, double x, int steps);
/* The same set rounded to float (duplicates kept; non-finite results dropped). */
void nnm_points_to_f32(const nnm_points *p, nnm_points *out);

/* One unary function under test against its exact reference. */
typedef int (*nnm_mpfr_fn)(mpfr_t y, const mpfr_t x, void *ctx); /* y = f(x), correctly rounded */
typedef int (*nnm_apply_f64)(size_t n, const double *x, double *y, void *ctx); /* 0 on success */
typedef int (*nnm_apply_f32)(size_t n, const float *x, float *y, void *ctx);

typedef struct nnm_oracle_report {
    const char *name;
    double max_ulp;   /* over inputs whose exact result is normal */
    double worst_x;   /* where max_ulp was seen */
    size_t checked;   /* inputs with a normal exact result */
    size_t others;    /* inputs whose exact result is 0, subnormal or beyond the range */
    double others_max_abs_ulp; /* their error in subnormal-ulps (absolute), for the record */
    int call_failed;  /* the function under test returned an error */
} nnm_oracle_report;

/* Evaluate impl on all points (in batches through the public array API) and compare with ref. */
nnm_oracle_report nnm_oracle_sweep_f64(const char *name, nnm_mpfr_fn ref, nnm_apply_f64 impl,
                                       void *ctx, const nnm_points *pts);
nnm_oracle_report nnm_oracle_sweep_f32(const char *name, nnm_mpfr_fn ref, nnm_apply_f32 impl,
                                       void *ctx, const nnm_points *pts_f32);

/* Print "name: max X ulp at x = ... (N points)" and return 1 when max_ulp <= bound (else 0). */
int nnm_oracle_print(const nnm_oracle_report *r, double bound);

#endif /* NNM_ORACLE_H */
