#include "oracle.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "nnm_test.h"

/* ulp of the exact value in a format with `bits` of precision and minimum normal exponent
 * `emin` (MPFR convention: x = m 2^e with 1/2 <= |m| < 1). */
static double ulp_err(double got, const mpfr_t exact, int bits, int emin)
{
    if (mpfr_nan_p(exact) || isnan(got)) return (mpfr_nan_p(exact) && isnan(got)) ? 0.0 : HUGE_VAL;
    if (mpfr_inf_p(exact) || isinf(got)) {
        if (mpfr_inf_p(exact) && isinf(got) && (mpfr_sgn(exact) > 0) == (got > 0)) return 0.0;
        return HUGE_VAL;
    }
    mpfr_t diff;
    mpfr_init2(diff, NNM_ORACLE_PREC);
    mpfr_set_d(diff, got, MPFR_RNDN);
    mpfr_sub(diff, diff, exact, MPFR_RNDN);
    mpfr_abs(diff, diff, MPFR_RNDN);
    long e = mpfr_zero_p(exact) ? emin : mpfr_get_exp(exact);
    if (e < emin) e = emin;
    mpfr_mul_2si(diff, diff, bits - e, MPFR_RNDN); /* divide by ulp = 2^(e - bits) */
    double r = mpfr_get_d(diff, MPFR_RNDU);
    mpfr_clear(diff);
    return r;
}

double nnm_oracle_ulp_err_f64(double got, const mpfr_t exact)
{
    return ulp_err(got, exact, DBL_MANT_DIG, DBL_MIN_EXP);
}

double nnm_oracle_ulp_err_f32(float got, const mpfr_t exact)
{
    return ulp_err((double)got, exact, FLT_MANT_DIG, FLT_MIN_EXP);
}

static double rel_err(double got, const mpfr_t exact, double eps)
{
    if (mpfr_nan_p(exact) || isnan(got)) return (mpfr_nan_p(exact) && isnan(got)) ? 0.0 : HUGE_VAL;
    if (mpfr_inf_p(exact) || isinf(got) || mpfr_zero_p(exact)) {
        mpfr_t g;
        mpfr_init2(g, 64);
        mpfr_set_d(g, got, MPFR_RNDN);
        int same = mpfr_equal_p(g, exact);
        mpfr_clear(g);
        return same ? 0.0 : HUGE_VAL;
    }
    mpfr_t diff;
    mpfr_init2(diff, NNM_ORACLE_PREC);
    mpfr_set_d(diff, got, MPFR_RNDN);
    mpfr_sub(diff, diff, exact, MPFR_RNDN);
    mpfr_div(diff, diff, exact, MPFR_RNDN);
    double r = fabs(mpfr_get_d(diff, MPFR_RNDU)) / eps;
    mpfr_clear(diff);
    return r;
}

double nnm_oracle_rel_err_f64(double got, const mpfr_t exact)
{
    return rel_err(got, exact, DBL_EPSILON);
}

double nnm_oracle_rel_err_f32(float got, const mpfr_t exact)
{
    return rel_err((double)got, exact, (double)FLT_EPSILON);
}

static int is_normal(const mpfr_t exact, double min_normal, double max_finite)
{
    if (!mpfr_number_p(exact) || mpfr_zero_p(exact)) return 0;
    mpfr_t a;
    mpfr_init2(a, NNM_ORACLE_PREC);
    mpfr_abs(a, exact, MPFR_RNDN);
    int ok = mpfr_cmp_d(a, min_normal) >= 0 && mpfr_cmp_d(a, max_finite) <= 0;
    mpfr_clear(a);
    return ok;
}

int nnm_oracle_is_normal_f64(const mpfr_t exact)
{
    return is_normal(exact, DBL_MIN, DBL_MAX);
}

int nnm_oracle_is_normal_f32(const mpfr_t exact)
{
    return is_normal(exact, (double)FLT_MIN, (double)FLT_MAX);
}

void nnm_points_free(nnm_points *p)
{
    free(p->x);
    p->x = NULL;
    p->n = p->cap = 0;
}

void nnm_points_add(nnm_points *p, double x)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 1024;
        double *nx = realloc(p->x, cap * sizeof *nx);
        if (!nx) {
            fprintf(stderr, "oracle: out of memory\n");
            exit(EXIT_FAILURE);
        }
        p->x = nx;
        p->cap = cap;
    }
    p->x[p->n++] = x;
}

void nnm_points_add_binades(nnm_points *p, int e_min, int e_max, size_t per_binade, uint64_t seed)
{
    uint64_t s = seed;
    for (int e = e_min; e <= e_max; ++e) {
        double lo = ldexp(1.0, e);
        for (size_t i = 0; i < per_binade; ++i) {
            /* a random mantissa in [1, 2): lo * m spans the binade (exact: both are doubles and
             * the product only shifts the exponent, also in the subnormal range where the low
             * bits are dropped) */
            double m = 1.0 + (double)(nnm_rand_u64(&s) >> 12) * 0x1p-52;
            double x = lo * m;
            nnm_points_add(p, x);
            nnm_points_add(p, -x);
        }
    }
}

void nnm_points_add_uniform(nnm_points *p, double lo, double hi, size_t count, uint64_t seed)
{
    uint64_t s = seed;
    for (size_t i = 0; i < count; ++i) nnm_points_add(p, nnm_rand_uniform(&s, lo, hi));
}

void nnm_points_add_around(nnm_points *p, double x, int steps)
{
    nnm_points_add(p, x);
    double up = x, down = x;
    for (int i = 0; i < steps; ++i) {
        up = nextafter(up, HUGE_VAL);
        down = nextafter(down, -HUGE_VAL);
        nnm_points_add(p, up);
        nnm_points_add(p, down);
    }
}

void nnm_points_to_f32(const nnm_points *p, nnm_points *out)
{
    for (size_t i = 0; i < p->n; ++i) {
        float f = (float)p->x[i];
        if (isfinite(f)) nnm_points_add(out, (double)f);
    }
}

enum { BATCH = 4096 };

static void record(nnm_oracle_report *r, double x, double err, int normal)
{
    if (normal) {
        r->checked++;
        if (err > r->max_ulp || isnan(err)) {
            r->max_ulp = isnan(err) ? HUGE_VAL : err;
            r->worst_x = x;
        }
    } else {
        r->others++;
        if (err > r->others_max_abs_ulp) r->others_max_abs_ulp = err;
    }
}

nnm_oracle_report nnm_oracle_sweep_f64(const char *name, nnm_mpfr_fn ref, nnm_apply_f64 impl,
                                       void *ctx, const nnm_points *pts)
{
    nnm_oracle_report r = {name, 0.0, 0.0, 0, 0, 0.0, 0};
    double y[BATCH];
    mpfr_t mx, my;
    mpfr_inits2(NNM_ORACLE_PREC, mx, my, (mpfr_ptr)0);
    for (size_t off = 0; off < pts->n; off += BATCH) {
        size_t m = pts->n - off < BATCH ? pts->n - off : BATCH;
        if (impl(m, pts->x + off, y, ctx) != 0) {
            r.call_failed = 1;
            break;
        }
        for (size_t i = 0; i < m; ++i) {
            mpfr_set_d(mx, pts->x[off + i], MPFR_RNDN);
            ref(my, mx, ctx);
            record(&r, pts->x[off + i], nnm_oracle_ulp_err_f64(y[i], my),
                   nnm_oracle_is_normal_f64(my));
        }
    }
    mpfr_clears(mx, my, (mpfr_ptr)0);
    return r;
}

nnm_oracle_report nnm_oracle_sweep_f32(const char *name, nnm_mpfr_fn ref, nnm_apply_f32 impl,
                                       void *ctx, const nnm_points *pts)
{
    nnm_oracle_report r = {name, 0.0, 0.0, 0, 0, 0.0, 0};
    float x[BATCH], y[BATCH];
    mpfr_t mx, my;
    mpfr_inits2(NNM_ORACLE_PREC, mx, my, (mpfr_ptr)0);
    for (size_t off = 0; off < pts->n; off += BATCH) {
        size_t m = pts->n - off < BATCH ? pts->n - off : BATCH;
        for (size_t i = 0; i < m; ++i) x[i] = (float)pts->x[off + i];
        if (impl(m, x, y, ctx) != 0) {
            r.call_failed = 1;
            break;
        }
        for (size_t i = 0; i < m; ++i) {
            mpfr_set_flt(mx, x[i], MPFR_RNDN);
            ref(my, mx, ctx);
            record(&r, (double)x[i], nnm_oracle_ulp_err_f32(y[i], my),
                   nnm_oracle_is_normal_f32(my));
        }
    }
    mpfr_clears(mx, my, (mpfr_ptr)0);
    return r;
}

int nnm_oracle_print(const nnm_oracle_report *r, double bound)
{
    int ok = !r->call_failed && r->max_ulp <= bound;
    printf("%-28s max %8.3f ulp (bound %g) at x = %-24.17g over %zu points; %zu non-normal results"
           " (max %.3g subnormal ulp)%s\n",
           r->name, r->max_ulp, bound, r->worst_x, r->checked, r->others, r->others_max_abs_ulp,
           r->call_failed ? "  CALL FAILED" : (ok ? "" : "  FAIL"));
    return ok;
}
