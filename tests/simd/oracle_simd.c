/*
 * White-box MPFR sweep of every vector kernel on every ISA this machine can run (issue 7), and on
 * the 8-lane emulation of tests/simd/emu (the AVX-512 code paths, checked on any machine): each
 * kernel is called through its dispatch table slot (src/core/simd/dispatch.h), independently of
 * NNMATH_ISA and of whether a module already routes its public function through it, and must hold
 * the bound of the scalar reference it stands in for:
 *   elementwise f32 <= 1 ULP, f64 <= 2 ULP (where the exact result is normal), exact special
 *   values (+-0, +-inf, NaN, the limits of the policy) and every tail length;
 *   softmax and log-softmax entries within 4 eps relative, logsumexp within 2 eps (plus the
 *   documented absolute term where it cancels); loss totals within 6 eps (4 per sample + 2 for
 *   the reduction); the softmax VJP within its documented absolute bound.
 * Run time: the elementwise point sets are ~60k (f64) and ~70k (f32) points per function and
 * path, the rows ~100k entries per dtype and path plus the float-lane extra rows (~1.05M entries,
 * one row of 2^20), the losses ~1.3M terms per dtype and path, each checked against a 256-bit
 * MPFR value: ~30 s per path in a Release build. Prints the
 * measured maxima (they go into bench/README.md). Exits non-zero when a bound fails.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mpfr.h>

#include "core/cpu.h"
#include "core/simd/dispatch.h"
#include "core/simd/kernels.h"
#include "nnm_test.h"
#include "oracle.h"

#include "simd_harness.h"

/* ---- elementwise references ---------------------------------------------------------------- */

static int ref_sigmoid(mpfr_t y, const mpfr_t x, void *ctx)
{
    (void)ctx;
    mpfr_t t;
    mpfr_init2(t, NNM_ORACLE_PREC);
    mpfr_neg(t, x, MPFR_RNDN);
    mpfr_exp(t, t, MPFR_RNDN);
    mpfr_add_ui(t, t, 1, MPFR_RNDN);
    mpfr_ui_div(y, 1, t, MPFR_RNDN);
    mpfr_clear(t);
    return 0;
}

static int ref_tanh(mpfr_t y, const mpfr_t x, void *ctx)
{
    (void)ctx;
    return mpfr_tanh(y, x, MPFR_RNDN);
}

/* softplus(x) = log1p(e^-|x|) + max(x, 0), log_sigmoid(x) = -softplus(-x) */
static int ref_softplus_(mpfr_t y, const mpfr_t x)
{
    mpfr_t t;
    mpfr_init2(t, NNM_ORACLE_PREC);
    mpfr_abs(t, x, MPFR_RNDN);
    mpfr_neg(t, t, MPFR_RNDN);
    mpfr_exp(t, t, MPFR_RNDN);
    mpfr_log1p(t, t, MPFR_RNDN);
    if (mpfr_sgn(x) > 0) mpfr_add(t, t, x, MPFR_RNDN);
    mpfr_set(y, t, MPFR_RNDN);
    mpfr_clear(t);
    return 0;
}

static int ref_softplus(mpfr_t y, const mpfr_t x, void *ctx)
{
    (void)ctx;
    return ref_softplus_(y, x);
}

static int ref_log_sigmoid(mpfr_t y, const mpfr_t x, void *ctx)
{
    (void)ctx;
    mpfr_t nx;
    mpfr_init2(nx, NNM_ORACLE_PREC);
    mpfr_neg(nx, x, MPFR_RNDN);
    ref_softplus_(y, nx);
    mpfr_neg(y, y, MPFR_RNDN);
    mpfr_clear(nx);
    return 0;
}

typedef struct unary_ctx {
    nnm__unary_f32_fn f32;
    nnm__unary_f64_fn f64;
} unary_ctx;

static int apply_f32(size_t n, const float *x, float *y, void *ctx)
{
    ((unary_ctx *)ctx)->f32(n, x, y);
    return 0;
}

static int apply_f64(size_t n, const double *x, double *y, void *ctx)
{
    ((unary_ctx *)ctx)->f64(n, x, y);
    return 0;
}

/* Every binade of the format (subnormals included), a dense uniform band where the functions
 * bend, and the neighbourhoods of the thresholds where the kernels switch or clamp. */
static void points_f64(nnm_points *p)
{
    nnm_points_add_binades(p, -1074, 1023, 24, 11);
    nnm_points_add_uniform(p, -40.0, 40.0, 6000, 12);
    nnm_points_add_uniform(p, -760.0, 760.0, 4000, 13);
    const double around[] = {0.0, 0.3465, 0.6931471805599453, 37.0, 708.0, -708.0, 709.0, -709.0,
                             745.0, -745.0, 746.0, -746.0, 744.4, -744.4};
    for (size_t i = 0; i < sizeof around / sizeof around[0]; ++i)
        nnm_points_add_around(p, around[i], 40);
}

static void points_f32(nnm_points *p32)
{
    nnm_points p = {0};
    nnm_points_add_binades(&p, -149, 127, 100, 21);
    nnm_points_add_uniform(&p, -20.0, 20.0, 20000, 22);
    nnm_points_add_uniform(&p, -130.0, 130.0, 6000, 23);
    const double around[] = {0.0, 0.17328, 9.0, 20.0, -20.0, 87.33, -87.33, 88.72, -88.72, 103.97,
                             -103.97, 120.0, -120.0};
    for (size_t i = 0; i < sizeof around / sizeof around[0]; ++i)
        nnm_points_add_around(&p, around[i], 40);
    nnm_points_to_f32(&p, p32);
    nnm_points_free(&p);
}

/* Exact values the policy fixes, and every tail length against the full-vector result. */
static void check_specials_f32(const char *name, nnm__unary_f32_fn f, const float *in,
                               const float *want, size_t m)
{
    float y[16];
    f(m, in, y);
    for (size_t i = 0; i < m; ++i) {
        int ok = isnan(want[i]) ? isnan(y[i]) : nnm_ulp_distance_f32(y[i], want[i]) == 0 &&
                                                    signbit(y[i]) == signbit(want[i]);
        if (!ok) {
            printf("  %s(%g) = %g, want %g\n", name, (double)in[i], (double)y[i], (double)want[i]);
            fail(name);
        }
    }
}

static void check_specials_f64(const char *name, nnm__unary_f64_fn f, const double *in,
                               const double *want, size_t m)
{
    double y[16];
    f(m, in, y);
    for (size_t i = 0; i < m; ++i) {
        int ok = isnan(want[i]) ? isnan(y[i]) : nnm_ulp_distance_f64(y[i], want[i]) == 0 &&
                                                    signbit(y[i]) == signbit(want[i]);
        if (!ok) {
            printf("  %s(%g) = %g, want %g\n", name, in[i], y[i], want[i]);
            fail(name);
        }
    }
}

static void check_tails_f32(const char *name, nnm__unary_f32_fn f)
{
    float x[40], full[40], part[40];
    uint64_t s = 99;
    for (size_t i = 0; i < 40; ++i) x[i] = (float)nnm_rand_uniform(&s, -30.0, 30.0);
    f(40, x, full);
    for (size_t n = 0; n <= 33; ++n) {
        nnm_canary_fill(part, sizeof part);
        f(n, x, part);
        if (n > 0 && memcmp(part, full, n * sizeof(float)) != 0) fail(name);
        if (!nnm_canary_intact(part + n, (40 - n) * sizeof(float))) fail(name);
    }
    memcpy(part, x, sizeof x); /* in place */
    f(40, part, part);
    if (memcmp(part, full, sizeof full) != 0) fail(name);
}

static void check_tails_f64(const char *name, nnm__unary_f64_fn f)
{
    double x[40], full[40], part[40];
    uint64_t s = 98;
    for (size_t i = 0; i < 40; ++i) x[i] = nnm_rand_uniform(&s, -30.0, 30.0);
    f(40, x, full);
    for (size_t n = 0; n <= 33; ++n) {
        nnm_canary_fill(part, sizeof part);
        f(n, x, part);
        if (n > 0 && memcmp(part, full, n * sizeof(double)) != 0) fail(name);
        if (!nnm_canary_intact(part + n, (40 - n) * sizeof(double))) fail(name);
    }
    memcpy(part, x, sizeof x);
    f(40, part, part);
    if (memcmp(part, full, sizeof full) != 0) fail(name);
}

static void elementwise(nnm__isa isa, const nnm_points *p64, const nnm_points *p32)
{
    char name[64];
    unary_ctx c = {0};
    nnm_oracle_report r;

    c.f32 = K_(sigmoid_f32, isa);
    snprintf(name, sizeof name, "sigmoid_f32 [%s]", path_name(isa));
    r = nnm_oracle_sweep_f32(name, ref_sigmoid, apply_f32, &c, p32);
    if (!nnm_oracle_print(&r, 1.0)) ++failures;
    {
        const float in[] = {0.0f, -0.0f, INFINITY, -INFINITY, NAN, 200.0f, -200.0f, 1e-45f};
        const float want[] = {0.5f, 0.5f, 1.0f, 0.0f, NAN, 1.0f, 0.0f, 0.5f};
        check_specials_f32(name, c.f32, in, want, 8);
        check_tails_f32(name, c.f32);
    }

    c.f32 = K_(tanh_f32, isa);
    snprintf(name, sizeof name, "tanh_f32 [%s]", path_name(isa));
    r = nnm_oracle_sweep_f32(name, ref_tanh, apply_f32, &c, p32);
    if (!nnm_oracle_print(&r, 1.0)) ++failures;
    {
        const float in[] = {0.0f, -0.0f, INFINITY, -INFINITY, NAN, 1e-45f, -1e-45f, 1e30f};
        const float want[] = {0.0f, -0.0f, 1.0f, -1.0f, NAN, 1e-45f, -1e-45f, 1.0f};
        check_specials_f32(name, c.f32, in, want, 8);
        check_tails_f32(name, c.f32);
    }

    static const float sp_in[] = {0.0f, -0.0f, INFINITY, -INFINITY, NAN, 1e-45f, -200.0f, 100.0f};
    c.f32 = K_(softplus_f32, isa);
    snprintf(name, sizeof name, "softplus_f32 [%s]", path_name(isa));
    r = nnm_oracle_sweep_f32(name, ref_softplus, apply_f32, &c, p32);
    if (!nnm_oracle_print(&r, 1.0)) ++failures;
    {
        const float want[] = {0.69314718f, 0.69314718f, INFINITY, 0.0f, NAN, 0.69314718f, 0.0f, 100.0f};
        check_specials_f32(name, c.f32, sp_in, want, 8);
        check_tails_f32(name, c.f32);
    }
    c.f32 = K_(log_sigmoid_f32, isa);
    snprintf(name, sizeof name, "log_sigmoid_f32 [%s]", path_name(isa));
    r = nnm_oracle_sweep_f32(name, ref_log_sigmoid, apply_f32, &c, p32);
    if (!nnm_oracle_print(&r, 1.0)) ++failures;
    {
        /* log_sigmoid(100) = -e^-100 (1 - ...) = -3.7e-44 is still a (subnormal) float */
        const float want[] = {-0.69314718f, -0.69314718f, -0.0f, -INFINITY, NAN, -0.69314718f, -200.0f,
                              (float)-exp(-100.0)};
        check_specials_f32(name, c.f32, sp_in, want, 8);
        check_tails_f32(name, c.f32);
    }
    static const double sp64[] = {0.0, -0.0, INFINITY, -INFINITY, NAN, 4.9e-324, -800.0, 800.0};
    c.f64 = K_(softplus_f64, isa);
    snprintf(name, sizeof name, "softplus_f64 [%s]", path_name(isa));
    r = nnm_oracle_sweep_f64(name, ref_softplus, apply_f64, &c, p64);
    if (!nnm_oracle_print(&r, 2.0)) ++failures;
    {
        const double want[] = {0.69314718055994529, 0.69314718055994529, INFINITY, 0.0, NAN,
                               0.69314718055994529, 0.0, 800.0};
        check_specials_f64(name, c.f64, sp64, want, 8);
        check_tails_f64(name, c.f64);
    }
    c.f64 = K_(log_sigmoid_f64, isa);
    snprintf(name, sizeof name, "log_sigmoid_f64 [%s]", path_name(isa));
    r = nnm_oracle_sweep_f64(name, ref_log_sigmoid, apply_f64, &c, p64);
    if (!nnm_oracle_print(&r, 2.0)) ++failures;
    {
        const double want[] = {-0.69314718055994529, -0.69314718055994529, -0.0, -INFINITY, NAN,
                               -0.69314718055994529, -800.0, -0.0};
        check_specials_f64(name, c.f64, sp64, want, 8);
        check_tails_f64(name, c.f64);
    }

    c.f64 = K_(sigmoid_f64, isa);
    snprintf(name, sizeof name, "sigmoid_f64 [%s]", path_name(isa));
    r = nnm_oracle_sweep_f64(name, ref_sigmoid, apply_f64, &c, p64);
    if (!nnm_oracle_print(&r, 2.0)) ++failures;
    {
        const double in[] = {0.0, -0.0, INFINITY, -INFINITY, NAN, 800.0, -800.0, 4.9e-324};
        const double want[] = {0.5, 0.5, 1.0, 0.0, NAN, 1.0, 0.0, 0.5};
        check_specials_f64(name, c.f64, in, want, 8);
        check_tails_f64(name, c.f64);
    }
}

/* ---- rows of the softmax family -------------------------------------------------------------- */

typedef struct row_max {
    double softmax, log_softmax, lse;
} row_max;

/* Exact values at 256 bits, relative to the row max m (as the kernels are, so that an exact 0 stays
 * 0): S = sum_j e^{beta (a_j - m)}, log_softmax_j = beta (a_j - m) - log S, softmax_j = its exp,
 * lse = beta m + log S (beta a_j is exact there: 106 bits). Each output's relative error is
 * taken over the outputs whose exact value is a normal number. */
static void check_row(size_t k, double beta, const double *a, const double *sm, const double *ls,
                      double lse, int is_f32, row_max *mx)
{
    mpfr_t acc, t, L, e, M;
    mpfr_inits2(NNM_ORACLE_PREC, acc, t, L, e, M, (mpfr_ptr)0);
    size_t top = 0;
    for (size_t j = 1; j < k; ++j) top = a[j] > a[top] ? j : top;
    const double m = a[top];
    /* log S = log1p(S - 1): 1 + 1e-66 would keep only 11 digits of the 1e-66 at 256 bits */
    mpfr_set_zero(acc, 1);
    for (size_t j = 0; j < k; ++j) {
        if (isinf(a[j]) || j == top) continue; /* -inf: masked (rows here have a finite max) */
        mpfr_set_d(t, a[j], MPFR_RNDN);
        mpfr_sub_d(t, t, m, MPFR_RNDN);
        mpfr_mul_d(t, t, beta, MPFR_RNDN);
        mpfr_exp(t, t, MPFR_RNDN);
        mpfr_add(acc, acc, t, MPFR_RNDN);
    }
    mpfr_log1p(L, acc, MPFR_RNDN);
    for (size_t j = 0; j < k; ++j) {
        if (isinf(a[j])) {
            if (sm[j] != 0.0 || !(isinf(ls[j]) && ls[j] < 0)) {
                printf("  masked entry not 0 / -inf\n");
                fail("row masking");
            }
            continue;
        }
        mpfr_set_d(t, a[j], MPFR_RNDN);
        mpfr_sub_d(t, t, m, MPFR_RNDN);
        mpfr_mul_d(t, t, beta, MPFR_RNDN);
        mpfr_sub(t, t, L, MPFR_RNDN); /* exact log-softmax */
        mpfr_exp(e, t, MPFR_RNDN);    /* exact softmax */
        if (is_f32 ? nnm_oracle_is_normal_f32(e) : nnm_oracle_is_normal_f64(e)) {
            double r = is_f32 ? nnm_oracle_rel_err_f32((float)sm[j], e) : nnm_oracle_rel_err_f64(sm[j], e);
            if (r > mx->softmax) mx->softmax = r;
        }
        if (is_f32 ? nnm_oracle_is_normal_f32(t) : nnm_oracle_is_normal_f64(t)) {
            double r = is_f32 ? nnm_oracle_rel_err_f32((float)ls[j], t) : nnm_oracle_rel_err_f64(ls[j], t);
            if (r > mx->log_softmax) mx->log_softmax = r;
            if (r > 4)
                printf("  log_softmax: k=%zu beta=%g j=%zu a=%.17g got %.17g want %.17g\n", k, beta,
                       j, a[j], ls[j], mpfr_get_d(t, MPFR_RNDN));
        }
    }
    mpfr_set_d(M, m, MPFR_RNDN);
    mpfr_mul_d(M, M, beta, MPFR_RNDN);
    mpfr_add(L, L, M, MPFR_RNDN);
    if (is_f32 ? nnm_oracle_is_normal_f32(L) : nnm_oracle_is_normal_f64(L)) {
        double r = is_f32 ? nnm_oracle_rel_err_f32((float)lse, L) : nnm_oracle_rel_err_f64(lse, L);
        if (r > mx->lse) mx->lse = r;
    }
    mpfr_clears(acc, t, L, e, M, (mpfr_ptr)0);
}

/* Row generators: moderate and huge logits, a dominant entry (p ~ 1 - 1e-22: log-softmax of it
 * must keep -1e-22), ties of the max, masked -inf entries, a dominant entry on a coarse grid,
 * tiny and large beta. */
static void make_row(int kind, size_t k, uint64_t *s, double *a)
{
    for (size_t j = 0; j < k; ++j) {
        switch (kind) {
        case 0: a[j] = nnm_rand_uniform(s, -5.0, 5.0); break;
        case 1: a[j] = nnm_rand_uniform(s, -1e4, 1e4); break;
        case 2: a[j] = j == k / 2 ? 60.0 : nnm_rand_uniform(s, -1.0, 1.0); break;
        case 3: a[j] = (j % 3 == 0) ? 2.5 : nnm_rand_uniform(s, -3.0, 2.0); break;
        case 4: a[j] = (j % 4 == 1) ? -INFINITY : nnm_rand_uniform(s, -8.0, 8.0); break;
        case 5: a[j] = nnm_rand_uniform(s, 1e8, 1e8 + 3.0); break;
        /* one entry on top of a coarse float grid (ulp(3e4) = 2^-9) and the rest 6..12 below: L is
         * of the order of that ulp, where log_softmax_unit_vf's C = m + L splits either way */
        default: a[j] = j == k / 3 ? 3e4 : 3e4 - nnm_rand_uniform(s, 6.0, 12.0); break;
        }
    }
    if (kind == 4) a[0] = 0.0; /* keep the max finite */
}

static void rows(nnm__isa isa)
{
    static const size_t ks[] = {1, 2, 3, 5, 8, 10, 17, 33, 100, 1000, 4099};
    static const double betas[] = {1.0, 100.0, 0.01};
    const size_t kmax = 4099;
    double *a = malloc(kmax * sizeof(double)), *sm = malloc(kmax * sizeof(double)),
           *ls = malloc(kmax * sizeof(double));
    float *af = malloc(kmax * sizeof(float)), *smf = malloc(kmax * sizeof(float)),
          *lsf = malloc(kmax * sizeof(float));
    if (!a || !sm || !ls || !af || !smf || !lsf) abort();
    row_max m64 = {0, 0, 0}, m32 = {0, 0, 0};
    uint64_t s = 7;
    for (size_t ik = 0; ik < sizeof ks / sizeof ks[0]; ++ik) {
        for (int kind = 0; kind < 7; ++kind) {
            for (size_t ib = 0; ib < 3; ++ib) {
                size_t k = ks[ik];
                double beta = betas[ib], lse;
                float lsef;
                make_row(kind, k, &s, a);
                K_(softmax_f64, isa)(1, k, beta, a, sm);
                K_(log_softmax_f64, isa)(1, k, beta, a, ls);
                K_(logsumexp_f64, isa)(1, k, beta, a, &lse);
                check_row(k, beta, a, sm, ls, lse, 0, &m64);
                for (size_t j = 0; j < k; ++j) af[j] = (float)a[j];
                K_(softmax_f32, isa)(1, k, beta, af, smf);
                K_(log_softmax_f32, isa)(1, k, beta, af, lsf);
                K_(logsumexp_f32, isa)(1, k, beta, af, &lsef);
                for (size_t j = 0; j < k; ++j) {
                    a[j] = (double)af[j];
                    sm[j] = (double)smf[j];
                    ls[j] = (double)lsf[j];
                }
                check_row(k, beta, a, sm, ls, (double)lsef, 1, &m32);
            }
        }
    }
    /* lse ~ 0 by cancellation: (-ln2, -ln2) (exact lse 2.3e-17) and (-1/2, log(1 - e^-1/2)):
     * the absolute term 2^-8 eps (|beta m| + log k) of the documented bound must hold */
    {
        const double rows_c[2][2] = {{-0.6931471805599453, -0.6931471805599453},
                                     {-0.5, -0.93275212956718601}};
        for (int r = 0; r < 2; ++r) {
            double lse;
            float lsef, af2[2] = {(float)rows_c[r][0], (float)rows_c[r][1]};
            K_(logsumexp_f64, isa)(1, 2, 1.0, rows_c[r], &lse);
            K_(logsumexp_f32, isa)(1, 2, 1.0, af2, &lsef);
            double da2[2] = {af2[0], af2[1]};
            for (int d = 0; d < 2; ++d) {
                const double *a2 = d ? da2 : rows_c[r];
                mpfr_t acc, t;
                mpfr_inits2(NNM_ORACLE_PREC, acc, t, (mpfr_ptr)0);
                mpfr_set_zero(acc, 1);
                for (int j = 0; j < 2; ++j) {
                    mpfr_set_d(t, a2[j], MPFR_RNDN);
                    mpfr_exp(t, t, MPFR_RNDN);
                    mpfr_add(acc, acc, t, MPFR_RNDN);
                }
                mpfr_log(acc, acc, MPFR_RNDN);
                double got = d ? (double)lsef : lse, ex = mpfr_get_d(acc, MPFR_RNDN);
                double allow = 2 * (d ? FLT_EPSILON : DBL_EPSILON) * fabs(ex) +
                               0x1p-8 * DBL_EPSILON * (fabs(a2[0] > a2[1] ? a2[0] : a2[1]) + log(2.0));
                mpfr_sub_d(t, acc, got, MPFR_RNDN);
                if (fabs(mpfr_get_d(t, MPFR_RNDN)) > allow) {
                    printf("  lse cancellation row %d (%s): got %.17g exact %.17g\n", r, d ? "f32" : "f64", got, ex);
                    fail("logsumexp near 0");
                }
                mpfr_clears(acc, t, (mpfr_ptr)0);
            }
        }
    }
    const char *nm = path_name(isa);
    printf("softmax_f64 [%s]      max %6.3f eps (bound 4)\n", nm, m64.softmax);
    printf("log_softmax_f64 [%s]  max %6.3f eps (bound 4)\n", nm, m64.log_softmax);
    printf("logsumexp_f64 [%s]    max %6.3f eps (bound 2)\n", nm, m64.lse);
    printf("softmax_f32 [%s]      max %6.3f eps (bound 4)\n", nm, m32.softmax);
    printf("log_softmax_f32 [%s]  max %6.3f eps (bound 4)\n", nm, m32.log_softmax);
    printf("logsumexp_f32 [%s]    max %6.3f eps (bound 2)\n", nm, m32.lse);
    if (m64.softmax > 4 || m64.log_softmax > 4 || m64.lse > 2) fail("f64 rows");
    if (m32.softmax > 4 || m32.log_softmax > 4 || m32.lse > 2) fail("f32 rows");
    free(a), free(sm), free(ls), free(af), free(smf), free(lsf);
}

/* The policy rows, and several rows in one call with y == a. */
static void special_rows(nnm__isa isa)
{
    const double r_nan[4] = {1.0, NAN, 2.0, 3.0}, r_inf[4] = {INFINITY, 1.0, INFINITY, -INFINITY},
                 r_ninf[4] = {-INFINITY, -INFINITY, -INFINITY, -INFINITY};
    double y[4], l[4], lse;
    K_(softmax_f64, isa)(1, 4, 1.0, r_nan, y);
    K_(logsumexp_f64, isa)(1, 4, 1.0, r_nan, &lse);
    for (int j = 0; j < 4; ++j)
        if (!isnan(y[j])) fail("softmax NaN row");
    if (!isnan(lse)) fail("lse NaN row");
    K_(softmax_f64, isa)(1, 4, 1.0, r_inf, y);
    K_(log_softmax_f64, isa)(1, 4, 1.0, r_inf, l);
    K_(logsumexp_f64, isa)(1, 4, 1.0, r_inf, &lse);
    if (y[0] != 0.5 || y[1] != 0.0 || y[2] != 0.5 || y[3] != 0.0) fail("softmax +inf row");
    if (l[0] != -log(2.0) || l[2] != -log(2.0) || !(isinf(l[1]) && l[1] < 0)) fail("log_softmax +inf row");
    if (!(isinf(lse) && lse > 0)) fail("lse +inf row");
    K_(softmax_f64, isa)(1, 4, 1.0, r_ninf, y);
    K_(log_softmax_f64, isa)(1, 4, 1.0, r_ninf, l);
    K_(logsumexp_f64, isa)(1, 4, 1.0, r_ninf, &lse);
    for (int j = 0; j < 4; ++j)
        if (y[j] != 0.0 || !(isinf(l[j]) && l[j] < 0)) fail("all -inf row");
    if (!(isinf(lse) && lse < 0)) fail("lse all -inf row");

    /* logit differences beyond the range: (1e308, -1e308), and beta a overflowing */
    {
        const double b[2] = {1e308, -1e308}, c2[2] = {2.0, 1.0};
        K_(log_softmax_f64, isa)(1, 2, 1.0, b, l);
        K_(softmax_f64, isa)(1, 2, 1.0, b, y);
        if (!(l[0] == 0.0 && l[1] == -INFINITY && y[0] == 1.0 && y[1] == 0.0)) fail("rows beyond the range");
        K_(log_softmax_f64, isa)(1, 2, 1e308, c2, l);
        K_(softmax_f64, isa)(1, 2, 1e308, c2, y);
        if (!(l[0] == 0.0 && l[1] == -1e308 && y[0] == 1.0 && y[1] == 0.0)) fail("huge beta");
    }
    /* 3 rows of 13, in place, against row-by-row out of place */
    double a[39], b[39], want[39];
    float af[39], bf[39], wantf[39];
    uint64_t s = 5;
    for (int i = 0; i < 39; ++i) {
        a[i] = nnm_rand_uniform(&s, -4.0, 4.0);
        af[i] = (float)a[i];
    }
    for (int mode = 0; mode < 2; ++mode) {
        nnm__rows_f64_fn f = mode ? K_(log_softmax_f64, isa) : K_(softmax_f64, isa);
        nnm__rows_f32_fn g = mode ? K_(log_softmax_f32, isa) : K_(softmax_f32, isa);
        for (int r = 0; r < 3; ++r) {
            f(1, 13, 1.5, a + 13 * r, want + 13 * r);
            g(1, 13, 1.5, af + 13 * r, wantf + 13 * r);
        }
        memcpy(b, a, sizeof a);
        memcpy(bf, af, sizeof af);
        f(3, 13, 1.5, b, b);
        g(3, 13, 1.5, bf, bf);
        if (memcmp(b, want, sizeof b) != 0 || memcmp(bf, wantf, sizeof bf) != 0) fail("rows in place");
    }
}

/* The float-lane softmax (issue 7, second round): the policy rows in float, beta outside the
 * float-lane range (2^-60 .. 2^60: the double-lane row runs), a row of k = 2^20 (the documented
 * 4 eps must hold for the double-lane sum up to there), rows whose z = beta (a - m) falls in
 * (-104.5, -87) in the vector body and in the tail (the scalar fix-up of subnormal e_j), and every
 * tail length against the padded full-vector result. */
static void f32_rows_extra(nnm__isa isa)
{
    nnm__rows_f32_fn sm = K_(softmax_f32, isa);
    const char *nm = path_name(isa);
    {
        const float r_nan[5] = {1.0f, NAN, 2.0f, 3.0f, 0.0f};
        const float r_inf[5] = {INFINITY, 1.0f, INFINITY, -INFINITY, 0.0f};
        const float r_ninf[5] = {-INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY};
        float y[5];
        sm(1, 5, 1.0, r_nan, y);
        for (int j = 0; j < 5; ++j)
            if (!isnan(y[j])) fail("softmax_f32 NaN row");
        sm(1, 5, 1.0, r_inf, y);
        if (y[0] != 0.5f || y[1] != 0.0f || y[2] != 0.5f || y[3] != 0.0f || y[4] != 0.0f)
            fail("softmax_f32 +inf row");
        sm(1, 5, 1.0, r_ninf, y);
        for (int j = 0; j < 5; ++j)
            if (y[j] != 0.0f || signbit(y[j])) fail("softmax_f32 all -inf row");
    }
    row_max mx = {0, 0, 0};
    const size_t kbig = (size_t)1 << 20;
    float *af = malloc(kbig * sizeof(float)), *yf = malloc(kbig * sizeof(float)),
          *lf = malloc(kbig * sizeof(float));
    double *a = malloc(kbig * sizeof(double)), *y = malloc(kbig * sizeof(double)),
           *l = malloc(kbig * sizeof(double));
    if (!af || !yf || !lf || !a || !y || !l) abort();
    uint64_t s = 11;
    /* beta beyond the float-lane range, both sides; a row spanning z in [-110, 0] in steps that
     * hit (-104.5, -87) in every lane position (k = 45: vector body and tail); k = 2^20 */
    struct {
        size_t k;
        double beta, lo, hi;
    } cases[] = {{37, 1e30, -1e-29, 0.0}, {37, 1e-30, -1e30, 1e30}, {45, 1.0, -110.0, 0.0},
                 {45, 0.5, -220.0, 0.0}, {77, 3.0, -36.0, 0.0}, {kbig, 1.0, -12.0, 12.0}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; ++c) {
        size_t k = cases[c].k;
        for (size_t j = 0; j < k; ++j) af[j] = (float)nnm_rand_uniform(&s, cases[c].lo, cases[c].hi);
        af[k / 3] = (float)cases[c].hi;
        sm(1, k, cases[c].beta, af, yf);
        K_(log_softmax_f32, isa)(1, k, cases[c].beta, af, lf);
        float lse;
        K_(logsumexp_f32, isa)(1, k, cases[c].beta, af, &lse);
        for (size_t j = 0; j < k; ++j) a[j] = af[j], y[j] = yf[j], l[j] = lf[j];
        check_row(k, cases[c].beta, a, y, l, (double)lse, 1, &mx);
    }
    printf("softmax_f32 [%s] (extra rows)  max %6.3f eps (bound 4); log_softmax %6.3f; lse %6.3f\n", nm,
           mx.softmax, mx.log_softmax, mx.lse);
    if (mx.softmax > 4 || mx.log_softmax > 4 || mx.lse > 2) fail("f32 extra rows");
    /* every length 0..40 (tails of every size, the 2-vector body) against one padded computation:
     * the entries of a prefix row differ (its sum differs), so compare with a fresh call per k and
     * check the canary beyond k and the in-place call */
    for (size_t k = 1; k <= 40; ++k) {
        float in[48], out[48], inpl[48];
        for (size_t j = 0; j < k; ++j) in[j] = (float)nnm_rand_uniform(&s, -95.0, 0.0);
        nnm_canary_fill(out, sizeof out);
        sm(1, k, 1.0, in, out);
        if (!nnm_canary_intact(out + k, (48 - k) * sizeof(float))) fail("softmax_f32 tail overrun");
        memcpy(inpl, in, k * sizeof(float));
        sm(1, k, 1.0, inpl, inpl);
        if (memcmp(inpl, out, k * sizeof(float)) != 0) fail("softmax_f32 in place");
        float ls[48], lse;
        K_(log_softmax_f32, isa)(1, k, 1.0, in, ls);
        K_(logsumexp_f32, isa)(1, k, 1.0, in, &lse);
        for (size_t j = 0; j < k; ++j) a[j] = in[j], y[j] = out[j], l[j] = ls[j];
        row_max m1 = {0, 0, 0};
        check_row(k, 1.0, a, y, l, (double)lse, 1, &m1);
        if (m1.softmax > 4 || m1.log_softmax > 4 || m1.lse > 2) fail("f32 rows, tails");
    }
    free(af), free(yf), free(lf), free(a), free(y), free(l);
}

/* ---- loss totals ------------------------------------------------------------------------------
 * Each kernel's total (SUM) and its MEAN through the dispatch entry against the exact MPFR total:
 * per-sample losses within 4 eps plus 2 eps of reduction, as the loss module documents (6 eps). */

typedef struct loss_max {
    double l2, bce, ce;
} loss_max;

static double rel_total(double got, mpfr_t exact, int is_f32)
{
    /* An exact total below the normal range (a = 1e4 with t = 1 gives log1p(e^-1e4), 1e-4343 in
     * MPFR's range) has no relative bound; the result must then be as tiny. */
    if (!(is_f32 ? nnm_oracle_is_normal_f32(exact) : nnm_oracle_is_normal_f64(exact)))
        return fabs(got) <= (is_f32 ? (double)FLT_MIN : DBL_MIN) ? 0.0 : INFINITY;
    return is_f32 ? nnm_oracle_rel_err_f32((float)got, exact) : nnm_oracle_rel_err_f64(got, exact);
}

/* exact sum_i 1/2 (y_i - t_i)^2 */
static void exact_l2(size_t m, const double *y, const double *t, mpfr_t out)
{
    mpfr_t d;
    mpfr_init2(d, NNM_ORACLE_PREC);
    mpfr_set_zero(out, 1);
    for (size_t i = 0; i < m; ++i) {
        mpfr_set_d(d, y[i], MPFR_RNDN);
        mpfr_sub_d(d, d, t[i], MPFR_RNDN);
        mpfr_sqr(d, d, MPFR_RNDN);
        mpfr_div_2ui(d, d, 1, MPFR_RNDN);
        mpfr_add(out, out, d, MPFR_RNDN);
    }
    mpfr_clear(d);
}

/* exact sum_i t softplus(-a) + (1 - t) softplus(a) */
static void exact_bce(size_t m, const double *a, const double *t, mpfr_t out)
{
    mpfr_t x, sp, term;
    mpfr_inits2(NNM_ORACLE_PREC, x, sp, term, (mpfr_ptr)0);
    mpfr_set_zero(out, 1);
    for (size_t i = 0; i < m; ++i) {
        /* softplus(v) = max(v,0) + log1p(e^-|v|) */
        mpfr_set_d(x, -fabs(a[i]), MPFR_RNDN);
        mpfr_exp(sp, x, MPFR_RNDN);
        mpfr_log1p(sp, sp, MPFR_RNDN);
        mpfr_set_d(x, fabs(a[i]), MPFR_RNDN);
        mpfr_mul_d(x, x, a[i] >= 0 ? 1.0 - t[i] : t[i], MPFR_RNDN); /* 1 - t exact for the t used */
        mpfr_add(term, sp, x, MPFR_RNDN);
        mpfr_add(out, out, term, MPFR_RNDN);
    }
    mpfr_clears(x, sp, term, (mpfr_ptr)0);
}

/* exact sum_n log1p(sum_{j != top} e^{a_j - m}) + (m - a_label) */
static void exact_ce(size_t n, size_t k, const double *a, const int32_t *lab, mpfr_t out)
{
    mpfr_t acc, t;
    mpfr_inits2(NNM_ORACLE_PREC, acc, t, (mpfr_ptr)0);
    mpfr_set_zero(out, 1);
    for (size_t i = 0; i < n; ++i) {
        const double *r = a + i * k;
        size_t top = 0;
        for (size_t j = 1; j < k; ++j) top = r[j] > r[top] ? j : top;
        mpfr_set_zero(acc, 1);
        for (size_t j = 0; j < k; ++j) {
            if (j == top) continue;
            mpfr_set_d(t, r[j], MPFR_RNDN);
            mpfr_sub_d(t, t, r[top], MPFR_RNDN);
            mpfr_exp(t, t, MPFR_RNDN);
            mpfr_add(acc, acc, t, MPFR_RNDN);
        }
        mpfr_log1p(acc, acc, MPFR_RNDN);
        mpfr_set_d(t, r[top], MPFR_RNDN);
        mpfr_sub_d(t, t, r[(size_t)lab[i]], MPFR_RNDN);
        mpfr_add(acc, acc, t, MPFR_RNDN);
        mpfr_add(out, out, acc, MPFR_RNDN);
    }
    mpfr_clears(acc, t, (mpfr_ptr)0);
}

static void losses(nnm__isa isa)
{
    static const size_t ns[] = {1, 3, 7, 64, 1001, 20000};
    static const size_t ks[] = {1, 3, 10};
    const size_t cap = 20000 * 10;
    double *x = malloc(cap * sizeof(double)), *t = malloc(cap * sizeof(double));
    float *xf = malloc(cap * sizeof(float)), *tf = malloc(cap * sizeof(float));
    int32_t *lab = malloc(20000 * sizeof(int32_t));
    if (!x || !t || !xf || !tf || !lab) abort();
    loss_max m64 = {0, 0, 0}, m32 = {0, 0, 0};
    nnm_loss_opts mean = NNM_LOSS_OPTS_INIT;
    mean.reduction = NNM_REDUCE_MEAN;
    mpfr_t ex, exm;
    mpfr_inits2(NNM_ORACLE_PREC, ex, exm, (mpfr_ptr)0);
    uint64_t s = 17;
    const int entries = (int)isa != PATH_EMU8; /* the dispatch entries exist per real ISA only */
    if (entries) nnm__cpu_force_isa(isa); /* the dispatch entries below run this path */
    for (size_t in = 0; in < sizeof ns / sizeof ns[0]; ++in) {
        for (size_t ik = 0; ik < sizeof ks / sizeof ks[0]; ++ik) {
            for (int scale = 0; scale < 3; ++scale) {
                size_t n = ns[in], k = ks[ik], m = n * k;
                double mag = scale == 0 ? 3.0 : scale == 1 ? 40.0 : 1e4;
                for (size_t i = 0; i < m; ++i) {
                    xf[i] = (float)nnm_rand_uniform(&s, -mag, mag);
                    double u = nnm_rand_uniform(&s, 0.0, 1.0);
                    /* targets: some exactly 0 or 1 (their terms vanish), else in (0,1); floats
                     * whose 1 - t is exact in double */
                    tf[i] = u < 0.1 ? 0.0f : u > 0.9 ? 1.0f : (float)u;
                    x[i] = xf[i], t[i] = tf[i];
                }
                for (size_t i = 0; i < n; ++i) lab[i] = (int32_t)(nnm_rand_u64(&s) % k);
                double hi, lo, h32, l32, dm = 0.0;
                float fm = 0.0f;
                /* l2 (targets: reuse x shifted) */
                for (size_t i = 0; i < m; ++i) t[i] = (double)(tf[i] = (float)(xf[i] * 0.75f + 1.0f));
                exact_l2(m, x, t, ex);
                K_(l2_total_f64, isa)(m, x, t, &hi, &lo);
                K_(l2_total_f32, isa)(m, xf, tf, &h32, &l32);
                if (rel_total(hi + lo, ex, 0) > m64.l2) m64.l2 = rel_total(hi + lo, ex, 0);
                if (rel_total(h32 + l32, ex, 1) > m32.l2) m32.l2 = rel_total(h32 + l32, ex, 1);
                mpfr_div_ui(exm, ex, (unsigned long)n, MPFR_RNDN);
                if (entries) {
                    if (!nnm__simd_loss_l2_f64(n, k, x, t, &mean, &dm) ||
                        !nnm__simd_loss_l2_f32(n, k, xf, tf, &mean, &fm))
                        fail("l2 entry declined a plain MEAN");
                    if (rel_total(dm, exm, 0) > m64.l2) m64.l2 = rel_total(dm, exm, 0);
                    if (rel_total((double)fm, exm, 1) > m32.l2) m32.l2 = rel_total((double)fm, exm, 1);
                }
                /* bce with logits */
                for (size_t i = 0; i < m; ++i) {
                    double u = nnm_rand_uniform(&s, 0.0, 1.0);
                    tf[i] = u < 0.1 ? 0.0f : u > 0.9 ? 1.0f : (float)u;
                    t[i] = tf[i];
                }
                exact_bce(m, x, t, ex);
                K_(bce_logits_total_f64, isa)(m, x, t, &hi, &lo);
                K_(bce_logits_total_f32, isa)(m, xf, tf, &h32, &l32);
                if (rel_total(hi + lo, ex, 0) > m64.bce) m64.bce = rel_total(hi + lo, ex, 0);
                if (rel_total(h32 + l32, ex, 1) > m32.bce) m32.bce = rel_total(h32 + l32, ex, 1);
                mpfr_div_ui(exm, ex, (unsigned long)n, MPFR_RNDN);
                if (entries) {
                    if (!nnm__simd_loss_bce_logits_f64(n, k, x, t, &mean, &dm) ||
                        !nnm__simd_loss_bce_logits_f32(n, k, xf, tf, &mean, &fm))
                        fail("bce entry declined a plain MEAN");
                    if (rel_total(dm, exm, 0) > m64.bce) m64.bce = rel_total(dm, exm, 0);
                    if (rel_total((double)fm, exm, 1) > m32.bce) m32.bce = rel_total((double)fm, exm, 1);
                }
                /* ce with labels */
                exact_ce(n, k, x, lab, ex);
                K_(ce_labels_total_f64, isa)(n, k, x, lab, &hi, &lo);
                K_(ce_labels_total_f32, isa)(n, k, xf, lab, &h32, &l32);
                if (mpfr_zero_p(ex)) { /* k = 1: every loss is exactly 0 */
                    if (hi != 0.0 || h32 != 0.0) fail("ce with k = 1 is not 0");
                    continue;
                }
                if (rel_total(hi + lo, ex, 0) > m64.ce) m64.ce = rel_total(hi + lo, ex, 0);
                if (rel_total(h32 + l32, ex, 1) > m32.ce) m32.ce = rel_total(h32 + l32, ex, 1);
                mpfr_div_ui(exm, ex, (unsigned long)n, MPFR_RNDN);
                if (entries && k < NNM__MIN_K_CE_LOSS) { /* short rows: the reference's */
                    if (nnm__simd_loss_ce_logits_labels_f64(n, k, x, lab, &mean, &dm) ||
                        nnm__simd_loss_ce_logits_labels_f32(n, k, xf, lab, &mean, &fm))
                        fail("ce entry took a row shorter than NNM__MIN_K_CE_LOSS");
                } else if (entries) {
                    if (!nnm__simd_loss_ce_logits_labels_f64(n, k, x, lab, &mean, &dm) ||
                        !nnm__simd_loss_ce_logits_labels_f32(n, k, xf, lab, &mean, &fm))
                        fail("ce entry declined a plain MEAN");
                    if (rel_total(dm, exm, 0) > m64.ce) m64.ce = rel_total(dm, exm, 0);
                    if (rel_total((double)fm, exm, 1) > m32.ce) m32.ce = rel_total((double)fm, exm, 1);
                }
            }
        }
    }
    /* policy values and the options the kernels leave to the reference */
    {
        const double a[6] = {1.0, INFINITY, INFINITY, -INFINITY, -INFINITY, -INFINITY};
        const int32_t l1[2] = {1, 0}, l2[2] = {0, 0};
        double hi, lo;
        K_(ce_labels_total_f64, isa)(1, 3, a, l1, &hi, &lo);
        if (hi != log(2.0)) fail("ce +inf label");
        K_(ce_labels_total_f64, isa)(2, 3, a, l2, &hi, &lo);
        if (!(isinf(hi) && hi > 0)) fail("ce finite label in a +inf row / -inf row");
        const double am[3] = {-INFINITY, 0.0, 0.0};
        K_(ce_labels_total_f64, isa)(1, 3, am, l2, &hi, &lo);
        if (!(isinf(hi) && hi > 0)) fail("ce label at a masked -inf logit");
        const double an[3] = {1.0, NAN, 2.0};
        K_(ce_labels_total_f64, isa)(1, 3, an, l2, &hi, &lo);
        if (!isnan(hi)) fail("ce NaN row");
        const double bi[2] = {INFINITY, -INFINITY}, bt[2] = {1.0, 0.0};
        K_(bce_logits_total_f64, isa)(2, bi, bt, &hi, &lo);
        if (hi != 0.0) fail("bce at +-inf with matching targets");
        const double bt2[2] = {0.5, 0.0};
        K_(bce_logits_total_f64, isa)(2, bi, bt2, &hi, &lo);
        if (!(isinf(hi) && hi > 0)) fail("bce at +inf with t < 1");
        const double cw[3] = {1, 1, 1};
        nnm_loss_opts w = NNM_LOSS_OPTS_INIT, none = NNM_LOSS_OPTS_INIT;
        w.class_weight = cw;
        none.reduction = NNM_REDUCE_NONE;
        double out = 12345.0;
        if (entries && (nnm__simd_loss_ce_logits_labels_f64(1, 3, a, l1, &w, &out) ||
            nnm__simd_loss_l2_f64(2, 1, bi, bt, &none, &out) || nnm__simd_loss_l2_f64(0, 1, NULL, NULL, NULL, &out) ||
            out != 12345.0))
            fail("loss entries must decline options they do not cover, writing nothing");
    }
    nnm__cpu_force_isa(nnm__cpu_best_isa());
    const char *nm = path_name(isa);
    printf("l2 total f64 [%s]            max %6.3f eps (bound 6)\n", nm, m64.l2);
    printf("bce_logits total f64 [%s]    max %6.3f eps (bound 6)\n", nm, m64.bce);
    printf("ce_logits_labels total f64 [%s] max %6.3f eps (bound 6)\n", nm, m64.ce);
    printf("l2 total f32 [%s]            max %6.3f eps (bound 6)\n", nm, m32.l2);
    printf("bce_logits total f32 [%s]    max %6.3f eps (bound 6)\n", nm, m32.bce);
    printf("ce_logits_labels total f32 [%s] max %6.3f eps (bound 6)\n", nm, m32.ce);
    if (m64.l2 > 6 || m64.bce > 6 || m64.ce > 6) fail("f64 loss totals");
    if (m32.l2 > 6 || m32.bce > 6 || m32.ce > 6) fail("f32 loss totals");
    mpfr_clears(ex, exm, (mpfr_ptr)0);
    free(x), free(t), free(xf), free(tf), free(lab);
}

/* BCE with logits of one element with t = 0 is softplus(a): a ULP sweep of the kernel's
 * log1p(e^-|a|) + a+ over every binade (the totals above see few single elements). */
static nnm__isa sweep_isa;

static int apply_bce1_f64(size_t n, const double *x, double *y, void *ctx)
{
    (void)ctx;
    const double zero = 0.0;
    for (size_t i = 0; i < n; ++i) {
        double hi, lo;
        K_(bce_logits_total_f64, sweep_isa)(1, x + i, &zero, &hi, &lo);
        y[i] = hi + lo;
    }
    return 0;
}

static int apply_bce1_f32(size_t n, const float *x, float *y, void *ctx)
{
    (void)ctx;
    const float zero = 0.0f;
    for (size_t i = 0; i < n; ++i) {
        double hi, lo;
        K_(bce_logits_total_f32, sweep_isa)(1, x + i, &zero, &hi, &lo);
        y[i] = (float)(hi + lo);
    }
    return 0;
}

static void softplus_sweep(nnm__isa isa, const nnm_points *p64, const nnm_points *p32)
{
    char name[64];
    nnm_oracle_report r;
    sweep_isa = isa;
    snprintf(name, sizeof name, "bce_logits(a, 0) f64 [%s]", path_name(isa));
    r = nnm_oracle_sweep_f64(name, ref_softplus, apply_bce1_f64, NULL, p64);
    if (!nnm_oracle_print(&r, 2.0)) ++failures;
    snprintf(name, sizeof name, "bce_logits(a, 0) f32 [%s]", path_name(isa));
    r = nnm_oracle_sweep_f32(name, ref_softplus, apply_bce1_f32, NULL, p32);
    if (!nnm_oracle_print(&r, 1.0)) ++failures;
}

/* ---- softmax VJP ------------------------------------------------------------------------------
 * Against the exact da_j = beta y_j (dy_j - sum_k y_k dy_k) (MPFR), with the gradient module's
 * documented bound: |error| <= 3 eps beta y_j (|dy_j| + sum_k y_k |dy_k|), for the dominant entry
 * (y_j > 1/2) 3 eps beta y_j sum_{k != j} y_k (|dy_j| + |dy_k|); float results may add their own
 * rounding (half an ulp of the exact value). Printed: the largest error / bound. */
static double vjp_row_ratio(size_t k, double beta, const double *y, const double *dy,
                            const double *da, int is_f32)
{
    mpfr_t dot, t, ex;
    mpfr_inits2(NNM_ORACLE_PREC, dot, t, ex, (mpfr_ptr)0);
    mpfr_set_zero(dot, 1);
    double absdot = 0.0;
    size_t top = 0;
    for (size_t j = 0; j < k; ++j) {
        mpfr_set_d(t, y[j], MPFR_RNDN);
        mpfr_mul_d(t, t, dy[j], MPFR_RNDN);
        mpfr_add(dot, dot, t, MPFR_RNDN);
        absdot += y[j] * fabs(dy[j]);
        top = y[j] > y[top] ? j : top;
    }
    double worst = 0.0;
    for (size_t j = 0; j < k; ++j) {
        if (j == top && y[j] > 0.5) {
            /* the module defines the dominant entry by its bracket sum_{k != j} y_k (dy_j - dy_k)
             * (equal to dy_j - dot when sum y = 1; a rounded softmax row sums to 1 +- k eps) */
            mpfr_set_zero(t, 1);
            for (size_t q = 0; q < k; ++q) {
                if (q == j) continue;
                mpfr_set_d(ex, dy[j], MPFR_RNDN);
                mpfr_sub_d(ex, ex, dy[q], MPFR_RNDN);
                mpfr_mul_d(ex, ex, y[q], MPFR_RNDN);
                mpfr_add(t, t, ex, MPFR_RNDN);
            }
        } else {
            mpfr_set_d(t, dy[j], MPFR_RNDN);
            mpfr_sub(t, t, dot, MPFR_RNDN);
        }
        mpfr_mul_d(t, t, y[j], MPFR_RNDN);
        mpfr_mul_d(ex, t, beta, MPFR_RNDN);
        double e = mpfr_get_d(ex, MPFR_RNDN);
        double bound;
        if (j == top && y[j] > 0.5) {
            double r = 0.0;
            for (size_t q = 0; q < k; ++q)
                if (q != j) r += y[q] * (fabs(dy[j]) + fabs(dy[q]));
            bound = 3 * DBL_EPSILON * beta * y[j] * r;
        } else {
            bound = 3 * DBL_EPSILON * beta * y[j] * (fabs(dy[j]) + absdot);
        }
        if (is_f32) bound += 0.5 * (nextafterf((float)fabs(e), INFINITY) - (float)fabs(e));
        bound += 4 * 0x1p-1074; /* underflowed results */
        mpfr_sub_d(t, ex, da[j], MPFR_RNDN);
        double err = fabs(mpfr_get_d(t, MPFR_RNDN));
        if (err / bound > worst) worst = err / bound;
    }
    mpfr_clears(dot, t, ex, (mpfr_ptr)0);
    return worst;
}

static void vjp(nnm__isa isa)
{
    static const size_t ks[] = {1, 2, 3, 7, 10, 37, 1000};
    double a[1000], y[1000], dy[1000], da[1000];
    float yf[1000], dyf[1000], daf[1000];
    double w64 = 0.0, w32 = 0.0;
    uint64_t s = 31;
    for (size_t ik = 0; ik < sizeof ks / sizeof ks[0]; ++ik) {
        for (int kind = 0; kind < 4; ++kind) {
            size_t k = ks[ik];
            double beta = kind == 3 ? 2.5 : 1.0;
            for (size_t j = 0; j < k; ++j) {
                a[j] = nnm_rand_uniform(&s, -3.0, 3.0);
                dy[j] = kind == 2 ? 1.0 + nnm_rand_uniform(&s, -1e-6, 1e-6) : nnm_rand_uniform(&s, -2.0, 2.0);
            }
            if (kind == 1) a[k / 2] = 25.0; /* y_top ~ 1 - 1e-10: the bracket form */
            /* y: the softmax of a, rounded to each dtype (any y is valid input) */
            K_(softmax_f64, isa)(1, k, 1.0, a, y);
            for (size_t j = 0; j < k; ++j) yf[j] = (float)y[j], dyf[j] = (float)dy[j];
            K_(softmax_vjp_f64, isa)(1, k, beta, y, dy, da);
            double r = vjp_row_ratio(k, beta, y, dy, da, 0);
            w64 = r > w64 ? r : w64;
            K_(softmax_vjp_f32, isa)(1, k, beta, yf, dyf, daf);
            for (size_t j = 0; j < k; ++j) y[j] = yf[j], dy[j] = dyf[j], da[j] = daf[j];
            r = vjp_row_ratio(k, beta, y, dy, da, 1);
            w32 = r > w32 ? r : w32;
        }
    }
    /* several rows, in place (da == dy), and a NaN row */
    {
        double yy[30], g[30], want[30];
        for (int j = 0; j < 30; ++j) yy[j] = nnm_rand_uniform(&s, 0.0, 0.2), g[j] = nnm_rand_uniform(&s, -1, 1);
        yy[4] = NAN;
        for (int r = 0; r < 3; ++r) K_(softmax_vjp_f64, isa)(1, 10, 1.0, yy + 10 * r, g + 10 * r, want + 10 * r);
        K_(softmax_vjp_f64, isa)(3, 10, 1.0, yy, g, g);
        if (memcmp(g + 10, want + 10, 20 * sizeof(double)) != 0) fail("softmax_vjp in place");
        for (int j = 0; j < 10; ++j)
            if (!isnan(g[j])) fail("softmax_vjp NaN row");
    }
    printf("softmax_vjp_f64 [%s]     max error / bound %.3f (bound 1)\n", path_name(isa), w64);
    printf("softmax_vjp_f32 [%s]     max error / bound %.3f (bound 1)\n", path_name(isa), w32);
    if (w64 > 1.0 || w32 > 1.0) fail("softmax_vjp bound");
}

/* The domain scans (loss validation): every length up to 21, a bad value at every position. */
static void scans(nnm__isa isa)
{
    const double bad64[] = {INFINITY, -INFINITY, NAN, -0.5, 1.5, -1e-300};
    for (size_t m = 0; m <= 21; ++m) {
        double x[21];
        float xf[21];
        for (size_t i = 0; i < m; ++i) x[i] = (double)i / 21.0, xf[i] = (float)x[i];
        if (K_(all_finite_f64, isa)(m, x) != 1 || K_(all_unit_f64, isa)(m, x) != 1 ||
            K_(all_finite_f32, isa)(m, xf) != 1 || K_(all_unit_f32, isa)(m, xf) != 1)
            fail("domain scan rejects good data");
        for (size_t pos = 0; pos < m; ++pos) {
            for (size_t b = 0; b < sizeof bad64 / sizeof bad64[0]; ++b) {
                double keep = x[pos];
                float keepf = xf[pos];
                x[pos] = bad64[b], xf[pos] = (float)bad64[b];
                int finite = isfinite(bad64[b]), unit = bad64[b] >= 0.0 && bad64[b] <= 1.0;
                if (K_(all_finite_f64, isa)(m, x) != finite || K_(all_unit_f64, isa)(m, x) != unit)
                    fail("domain scan f64");
                int unitf = (double)xf[pos] >= 0.0 && (double)xf[pos] <= 1.0; /* -1e-300f is -0 */
                if (K_(all_finite_f32, isa)(m, xf) != finite || K_(all_unit_f32, isa)(m, xf) != unitf)
                    fail("domain scan f32");
                x[pos] = keep, xf[pos] = keepf;
            }
        }
    }
}

int main(void)
{
    nnm_points p64 = {0}, p32 = {0};
    points_f64(&p64);
    points_f32(&p32);
    int ran = 0;
    for (int i = 1; i <= PATH_EMU8; ++i) {
        nnm__isa isa = (nnm__isa)i;
        if (i != PATH_EMU8 && (!nnm__cpu_isa_available(isa) || K_(sigmoid_f32, isa) == NULL)) {
            printf("[%s] not available on this machine or not compiled: skipped\n", path_name(isa));
            continue;
        }
        /* an AVX-512 slot may hold the AVX2 kernel; it is then tested twice, which is harmless */
        elementwise(isa, &p64, &p32);
        rows(isa);
        special_rows(isa);
        f32_rows_extra(isa);
        losses(isa);
        softplus_sweep(isa, &p64, &p32);
        vjp(isa);
        scans(isa);
        ++ran;
    }
    nnm_points_free(&p64);
    nnm_points_free(&p32);
    printf("%d ISA path(s) checked, %d failure(s)\n", ran, failures);
    return failures ? 1 : 0;
}
