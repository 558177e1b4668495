/*
 * Fuzz target: the symmetric eigen-solver, definiteness, stationary-point classification and the
 * quadratic form on fuzzed matrices (f64 and f32), plus the finite-difference Hessians and
 * nnm_hess_classify_point on a fuzzed quadratic function.
 *
 * Matrices: d mostly 0..10, sometimes up to 12 (the QL path is d > 4), or gigantic with a tiny
 * buffer (the call must fail with NNM_ESIZE, or NNM_ENOMEM when only the scratch is impossible,
 * before it reads H); entries of any IEEE value, scaled by a power of two from the subnormals to near
 * DBL_MAX, symmetric or perturbed (within and beyond the documented d eps max|H| test).
 *
 * Invariants (include/nnmath/hessian.h):
 *  - the documented status (EINVAL > ESIZE > ENOMEM > EDOM; ENOCONV only as documented) and no
 *    write on failure;
 *  - eigenvalues ascending, |lambda| <= d max|H|, sum lambda = trace and sum lambda^2 = |H|_F^2
 *    to 10 d eps |H|_F per eigenvalue; eig_sym: the same eigenvalues, V^T V = I to 10 d eps,
 *    |H v - lambda v| <= 10 d eps |H|_F, and each column's largest component positive;
 *  - definiteness and classification agree with the signs of the eigenvalues and the documented
 *    default tolerances (except within a factor 2 of a threshold);
 *  - x^T H x agrees with an extended-precision sum within eps |value| + d^2 2^-62 sum |x H x|;
 *  - finite-difference Hessians are exactly symmetric and close to the quadratic's matrix.
 */
#include "fuzz_common.h"

/* Let a gigantic scratch request come back as NULL (the library must then say NNM_ENOMEM) instead
 * of ASan aborting on it. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}

typedef struct hcase {
    size_t d;
    int giant;     /* d is gigantic: H is a 4-element buffer that must never be read */
    int f32;
    double *H;     /* d*d (4 when giant) */
    double *g;     /* d gradient */
    double *x;     /* d vector */
    double tol;
    int nonfinite; /* some entry of H is NaN or inf */
} hcase;

static const hcase *current;

static void describe_case(void)
{
    const hcase *c = current;
    fprintf(stderr, "d %zu giant %d f32 %d tol %a\n", c->d, c->giant, c->f32, c->tol);
    for (size_t i = 0; !c->giant && i < c->d && i < 12; ++i) {
        for (size_t j = 0; j < c->d && j < 12; ++j) fprintf(stderr, " %a", c->H[i * c->d + j]);
        fprintf(stderr, " | g %a x %a\n", c->g[i], c->x[i]);
    }
}

static double max_abs(const double *v, size_t count)
{
    double m = 0.0;
    for (size_t i = 0; i < count; ++i)
        if (fabs(v[i]) > m) m = fabs(v[i]);
    return m;
}

/* The eigen status the documentation gives for a finite-size call; -1 when the symmetry test is
 * too close to its threshold to tell (rounding of d eps max|H| may go either way). */
static int expected_eig_status(const hcase *c, double eps)
{
    size_t d = c->d;
    if (c->nonfinite) return NNM_EDOM;
    double m = max_abs(c->H, d * d), lim = (double)d * eps * m;
    int unsure = 0;
    for (size_t i = 0; i < d; ++i)
        for (size_t j = i + 1; j < d; ++j) {
            double diff = fabs(c->H[i * d + j] - c->H[j * d + i]);
            if (diff > 2 * lim) return NNM_EDOM;
            if (diff > lim / 2) unsure = 1;
        }
    return unsure ? -1 : NNM_OK;
}

/* Round the case's data to float when fuzzing the f32 entry points (the checks then see exactly
 * the library's input). */
static void to_f32_data(hcase *c)
{
    if (!c->f32 || c->giant) return;
    for (size_t i = 0; i < c->d * c->d; ++i) c->H[i] = (double)(float)c->H[i];
    for (size_t i = 0; i < c->d; ++i) {
        c->g[i] = (double)(float)c->g[i];
        c->x[i] = (double)(float)c->x[i];
    }
}

static float *to_float(const double *v, size_t count)
{
    float *f = fz_alloc(count, sizeof(float));
    for (size_t i = 0; i < count; ++i) f[i] = (float)v[i];
    return f;
}

/* |H|_F without overflow: max |H| times the norm of H / max|H|. */
static double frobenius(const double *H, size_t count)
{
    double m = max_abs(H, count), s = 0.0;
    if (m == 0.0 || !isfinite(m)) return m;
    for (size_t i = 0; i < count; ++i) s += (H[i] / m) * (H[i] / m);
    return m * sqrt(s);
}

/* Eigenvalue invariants of a successful call; lam[] ascending, in double. */
static void check_eigenvalues(const hcase *c, const double *lam, double eps)
{
    size_t d = c->d;
    double m = max_abs(c->H, d * d);
    for (size_t i = 0; i + 1 < d; ++i) FZ_CHECK(lam[i] <= lam[i + 1]);
    if (m == 0.0) {
        for (size_t i = 0; i < d; ++i) FZ_CHECK(lam[i] == 0.0);
        return;
    }
    /* the checks below square H / m: keep clear of overflow and of underflow in the dtype
     * (an f32 eigenvalue is rounded to float; a subnormal one carries half a subnormal step) */
    double top = c->f32 ? (double)FLT_MAX : DBL_MAX, low = c->f32 ? (double)FLT_MIN : DBL_MIN;
    if (!(m < top / 64 && m > low * 0x1p20)) return;
    for (size_t i = 0; i < d; ++i) FZ_CHECK(isfinite(lam[i]));
    double nf = frobenius(c->H, d * d);
    double tol = 10.0 * (double)d * eps * nf + 4 * low;
    double tr = 0.0, sl = 0.0, sq = 0.0, sqh = 0.0;
    for (size_t i = 0; i < d; ++i) {
        FZ_CHECK(fabs(lam[i]) <= (double)d * m * (1 + 16 * (double)d * eps));
        tr += c->H[i * d + i] / m;
        sl += lam[i] / m;
        sq += (lam[i] / m) * (lam[i] / m);
    }
    for (size_t i = 0; i < d; ++i)
        for (size_t j = 0; j < d; ++j) {
            /* the solver uses the symmetric part (H + H^T) / 2 */
            double s = (c->H[i * d + j] / m + c->H[j * d + i] / m) / 2;
            sqh += s * s;
        }
    /* sum of d eigenvalue errors, each <= tol, plus the rounding of these sums */
    FZ_CHECK(fabs(sl - tr) <= (double)d * tol / m + 4 * (double)d * DBL_EPSILON * (nf / m));
    /* sum lambda^2 = |sym(H)|_F^2: each error e_i changes lambda_i^2 by 2 |lambda_i| e_i + e_i^2 */
    FZ_CHECK(fabs(sq - sqh) <= (double)d * (2 * (nf / m) + tol / m) * (tol / m) +
                                   4 * (double)d * DBL_EPSILON * sqh);
}

/* Expected definiteness from eigenvalues and tolerance; -1 when an eigenvalue is within a factor
 * 2 of the tolerance (the library's own eigenvalues may round to the other side). */
static int expected_definiteness(const double *lam, size_t d, double tol)
{
    int pos = 0, neg = 0, zero = 0;
    for (size_t i = 0; i < d; ++i) {
        double a = fabs(lam[i]);
        if (a > tol / 2 && a <= 2 * tol && tol > 0) return -1;
        if (lam[i] > tol)
            ++pos;
        else if (lam[i] < -tol)
            ++neg;
        else
            ++zero;
    }
    if (pos == (int)d) return NNM_POSITIVE_DEFINITE;
    if (neg == (int)d) return NNM_NEGATIVE_DEFINITE;
    if (neg == 0) return NNM_POSITIVE_SEMIDEFINITE;
    if (pos == 0) return NNM_NEGATIVE_SEMIDEFINITE;
    return NNM_INDEFINITE;
}

static void fuzz_matrix_family(hcase *c)
{
    size_t d = c->d, dd = c->giant ? 4 : d * d;
    const double eps = c->f32 ? (double)FLT_EPSILON : DBL_EPSILON;
    int want = NNM_OK;
    if (d == 0)
        want = NNM_ESIZE;
    else if (c->giant)
        want = d > (size_t)PTRDIFF_MAX / (c->f32 ? sizeof(float) : sizeof(double)) / d
                   ? NNM_ESIZE
                   : NNM_ENOMEM;
    else
        want = expected_eig_status(c, eps);
    size_t ne = c->giant ? 4 : (d ? d : 1);

    /* ---- eigenvalues ---- */
    double *lam = fz_alloc_out(ne, sizeof(double));
    void *lam_snap = fz_snapshot(lam, ne * sizeof(double));
    nnm_status s;
    if (c->f32) {
        float *Hf = to_float(c->H, dd), *lf = fz_alloc_out(ne, sizeof(float));
        void *snap = fz_snapshot(lf, ne * sizeof(float));
        s = nnm_hess_eigvals_sym_f32(d, Hf, lf);
        if (s != NNM_OK) FZ_CHECK(fz_same(lf, snap, ne * sizeof(float)));
        else
            for (size_t i = 0; i < d; ++i) lam[i] = (double)lf[i];
        free(Hf);
        free(lf);
        free(snap);
    } else {
        s = nnm_hess_eigvals_sym_f64(d, c->H, lam);
        if (s != NNM_OK) FZ_CHECK(fz_same(lam, lam_snap, ne * sizeof(double)));
    }
    FZ_CHECK(fz_status_known(s));
    /* f32 data whose d*d floats fit but whose d*d double scratch would not: the library sizes
     * its double copy with nnm__count and says NNM_ESIZE; NNM_ENOMEM would be as right. */
    if (c->f32 && c->giant && want == NNM_ENOMEM && d > (size_t)PTRDIFF_MAX / sizeof(double) / d)
        want = s == NNM_ESIZE ? NNM_ESIZE : NNM_ENOMEM;
    if (want >= 0) FZ_CHECK(s == (nnm_status)want || (want == NNM_OK && s == NNM_ENOCONV));
    else FZ_CHECK(s == NNM_OK || s == NNM_EDOM || s == NNM_ENOCONV);
    nnm_status eig_status = s;
    if (s == NNM_OK) check_eigenvalues(c, lam, eps);

    /* ---- eigenvectors (f64; f32 checks status agreement and the eigenvalues) ---- */
    size_t nv = c->giant ? 4 : (dd ? dd : 1);
    double *lam2 = fz_alloc_out(ne, sizeof(double)), *V = fz_alloc_out(nv, sizeof(double));
    void *v_snap = fz_snapshot(V, nv * sizeof(double));
    if (c->f32) {
        float *Hf = to_float(c->H, dd), *lf = fz_alloc_out(ne, sizeof(float));
        float *Vf = fz_alloc_out(nv, sizeof(float));
        void *snap = fz_snapshot(Vf, nv * sizeof(float));
        s = nnm_hess_eig_sym_f32(d, Hf, lf, Vf);
        if (s != NNM_OK) FZ_CHECK(fz_same(Vf, snap, nv * sizeof(float)));
        for (size_t i = 0; s == NNM_OK && i < d; ++i) lam2[i] = (double)lf[i];
        free(Hf);
        free(lf);
        free(Vf);
        free(snap);
    } else {
        s = nnm_hess_eig_sym_f64(d, c->H, lam2, V);
        if (s != NNM_OK) {
            FZ_CHECK(fz_same(V, v_snap, nv * sizeof(double)));
            FZ_CHECK(fz_same(lam2, lam_snap, ne * sizeof(double)));
        }
    }
    FZ_CHECK(s == eig_status || s == NNM_ENOCONV || eig_status == NNM_ENOCONV);
    double m = c->giant ? 0.0 : max_abs(c->H, dd);
    double top = c->f32 ? (double)FLT_MAX : DBL_MAX, low = c->f32 ? (double)FLT_MIN : DBL_MIN;
    int moderate = !c->giant && m < top / 64 && m > low * 0x1p20;
    if (s == NNM_OK && eig_status == NNM_OK && moderate) {
        double nf = frobenius(c->H, dd), tol = 10.0 * (double)d * eps * nf;
        for (size_t i = 0; i < d; ++i) FZ_CHECK(fabs(lam2[i] - lam[i]) <= 2 * tol + 4 * low);
        if (!c->f32) {
            for (size_t j = 0; j < d; ++j) {
                /* residual |H v - lambda v|, on the symmetric part of H, scaled by 1/m */
                double r2 = 0.0;
                for (size_t i = 0; i < d; ++i) {
                    double acc = 0.0;
                    for (size_t l = 0; l < d; ++l)
                        acc += (c->H[i * d + l] / m + c->H[l * d + i] / m) / 2 * V[l * d + j];
                    acc -= lam2[j] / m * V[i * d + j];
                    r2 += acc * acc;
                }
                FZ_CHECK(sqrt(r2) <= (tol + 4 * (double)d * DBL_EPSILON * nf) / m);
                /* orthonormal columns (reliab8-4 was: null-space vectors of a rank-deficient
                 * QL-path matrix were not) */
                for (size_t k = j; k < d; ++k) {
                    double dot = 0.0;
                    for (size_t i = 0; i < d; ++i) dot += V[i * d + j] * V[i * d + k];
                    FZ_CHECK(fabs(dot - (j == k ? 1.0 : 0.0)) <= 10.0 * (double)d * eps + 4 * (double)d * DBL_EPSILON);
                }
                /* sign convention: the first largest-magnitude component is positive */
                size_t big = 0;
                for (size_t i = 1; i < d; ++i)
                    if (fabs(V[i * d + j]) > fabs(V[big * d + j])) big = i;
                FZ_CHECK(V[big * d + j] > 0.0);
            }
        }
    }

    /* The eigenvalues the decisions below are made from: the library solves f32 data in double
     * (from the exact float values), so the f64 solver on the same values is the reference; the
     * rounded f32 eigenvalues could have overflowed to inf. ref_ok: such a reference exists. */
    double *lref = fz_alloc(ne, sizeof(double));
    int ref_ok = eig_status == NNM_OK;
    if (ref_ok && c->f32) ref_ok = nnm_hess_eigvals_sym_f64(d, c->H, lref) == NNM_OK;
    else if (ref_ok) memcpy(lref, lam, d * sizeof(double));

    /* ---- definiteness ---- */
    nnm_definiteness def = (nnm_definiteness)99;
    if (c->f32) {
        float *Hf = to_float(c->H, dd);
        s = nnm_hess_definiteness_f32(d, Hf, c->tol, &def);
        free(Hf);
    } else {
        s = nnm_hess_definiteness_f64(d, c->H, c->tol, &def);
    }
    if (!isfinite(c->tol)) {
        FZ_CHECK(s == NNM_EINVAL);
    } else {
        FZ_CHECK(s == eig_status || s == NNM_ENOCONV || eig_status == NNM_ENOCONV);
    }
    if (s != NNM_OK) FZ_CHECK((int)def == 99);
    if (s == NNM_OK && ref_ok) {
        double ml = 0.0;
        for (size_t i = 0; i < d; ++i) ml = fmax(ml, fabs(lref[i]));
        double t = c->tol > 0 ? c->tol : (double)d * eps * ml;
        int w = expected_definiteness(lref, d, t);
        if (w >= 0) FZ_CHECK((int)def == w);
    }

    /* A gigantic d whose arrays fit in PTRDIFF_MAX bytes (only the solver's scratch is
     * impossible) is a valid size for the functions below, which may then read grad, x and H:
     * this harness cannot provide such arrays, so it stops here. */
    if (c->giant && d != 0 &&
        d <= (size_t)PTRDIFF_MAX / (c->f32 ? sizeof(float) : sizeof(double)) / d)
        goto done;

    /* ---- classification from (grad, H) ---- */
    nnm_stationary st = (nnm_stationary)99;
    if (c->f32) {
        float *Hf = to_float(c->H, dd), *gf = to_float(c->g, c->giant ? 4 : d);
        s = nnm_hess_classify_f32(d, gf, Hf, c->tol, &st);
        free(Hf);
        free(gf);
    } else {
        s = nnm_hess_classify_f64(d, c->g, c->H, c->tol, &st);
    }
    FZ_CHECK(fz_status_known(s));
    if (s != NNM_OK) FZ_CHECK((int)st == 99);
    int g_finite = 1;
    for (size_t i = 0; !c->giant && i < d; ++i) g_finite &= isfinite(c->g[i]);
    if (!isfinite(c->tol)) FZ_CHECK(s == NNM_EINVAL);
    else if (d == 0 || c->giant) FZ_CHECK(s == (nnm_status)want);
    else if (!g_finite) FZ_CHECK(s == NNM_EDOM);
    else FZ_CHECK(s == eig_status || s == NNM_ENOCONV || eig_status == NNM_ENOCONV);
    if (s == NNM_OK && ref_ok) {
        double ml = 0.0, gn = 0.0, gm = max_abs(c->g, d);
        for (size_t i = 0; i < d; ++i) ml = fmax(ml, fabs(lref[i]));
        for (size_t i = 0; gm > 0 && i < d; ++i) gn += (c->g[i] / gm) * (c->g[i] / gm);
        gn = gm * sqrt(gn);
        double tg = c->tol > 0 ? c->tol : sqrt(eps) * fmax(1.0, ml);
        double tl = c->tol > 0 ? c->tol : (double)d * eps * ml;
        if (gn > 2 * tg) {
            FZ_CHECK(st == NNM_NOT_STATIONARY);
        } else if (gn <= tg / 2) {
            int w = expected_definiteness(lref, d, tl);
            if (w == NNM_POSITIVE_DEFINITE) FZ_CHECK(st == NNM_LOCAL_MINIMUM);
            if (w == NNM_NEGATIVE_DEFINITE) FZ_CHECK(st == NNM_LOCAL_MAXIMUM);
            if (w == NNM_INDEFINITE) FZ_CHECK(st == NNM_SADDLE_POINT);
            if (w == NNM_POSITIVE_SEMIDEFINITE || w == NNM_NEGATIVE_SEMIDEFINITE)
                FZ_CHECK(st == NNM_DEGENERATE);
        }
    }

    /* ---- quadratic form ---- */
    double q = -1.0;
    if (c->f32) {
        float *Hf = to_float(c->H, dd), *xf = to_float(c->x, c->giant ? 4 : d), qf = -1.0f;
        s = nnm_hess_quadform_f32(d, Hf, xf, &qf);
        if (s != NNM_OK) FZ_CHECK(qf == -1.0f);
        q = (double)qf;
        free(Hf);
        free(xf);
    } else {
        s = nnm_hess_quadform_f64(d, c->H, c->x, &q);
        if (s != NNM_OK) FZ_CHECK(q == -1.0);
    }
    if (d == 0 || c->giant) {
        FZ_CHECK(s == NNM_ESIZE);
    } else {
        FZ_CHECK(s == NNM_OK);
        long double ref = 0.0L, mag = 0.0L;
        int finite = 1;
        for (size_t i = 0; i < d; ++i)
            for (size_t j = 0; j < d; ++j) {
                long double p = (long double)c->x[i] * c->H[i * d + j] * c->x[j];
                ref += p;
                mag += fabsl(p);
                finite &= isfinite(c->H[i * d + j]) && isfinite(c->x[i]);
                /* an overflowing H_ij x_j with both x non-zero: the form is beyond the range
                 * (reliab8-5 was: NaN next to x_i = 0) */
                finite &= isfinite(c->H[i * d + j] * c->x[j]) || c->x[i] == 0.0 || c->x[j] == 0.0;
            }
        /* within the range where the products neither overflow nor lose exactness */
        long double qtop = c->f32 ? (long double)FLT_MAX / 4 : (long double)DBL_MAX / 4;
        if (finite && mag < qtop && (mag == 0 || mag > 1e-250L)) {
            long double err = fabsl((long double)q - ref);
            long double bound = (long double)eps * fabsl(ref) +
                                (long double)(d * d) * mag * 0x1p-62L +
                                (c->f32 ? (long double)FLT_TRUE_MIN : 0.0L);
            if (c->f32) bound += (long double)DBL_EPSILON * fabsl(ref);
            FZ_CHECK(err <= bound);
        }
    }
done:
    free(lref);
    free(lam);
    free(lam_snap);
    free(lam2);
    free(V);
    free(v_snap);
}

/* ---- finite-difference Hessians of a fuzzed quadratic f(x) = 1/2 x^T A x + b^T x ---------- */
typedef struct quad {
    size_t d;
    const double *A, *b;
} quad;

static double quad_f(size_t d, const double *x, void *ctx)
{
    const quad *q = ctx;
    double s = 0.0;
    for (size_t i = 0; i < d; ++i) {
        double r = q->b[i];
        for (size_t j = 0; j < d; ++j) r += 0.5 * q->A[i * d + j] * x[j];
        s += r * x[i];
    }
    return s;
}

static void quad_g(size_t d, const double *x, double *g, void *ctx)
{
    const quad *q = ctx;
    for (size_t i = 0; i < d; ++i) {
        double r = q->b[i];
        for (size_t j = 0; j < d; ++j) r += q->A[i * d + j] * x[j];
        g[i] = r;
    }
}

static void fuzz_numeric_family(fz_in *in)
{
    size_t d = fz_u8(in) % 6; /* 0..5: each call costs O(d^2) evaluations */
    size_t dd = d * d;
    double *A = fz_alloc(dd, sizeof(double)), *b = fz_alloc(d, sizeof(double));
    double *x = fz_alloc(d, sizeof(double));
    for (size_t i = 0; i < d; ++i)
        for (size_t j = i; j < d; ++j)
            A[i * d + j] = A[j * d + i] = (double)(int8_t)fz_u8(in) / 4.0;
    for (size_t i = 0; i < d; ++i) {
        b[i] = (double)(int8_t)fz_u8(in) / 4.0;
        x[i] = fz_u8(in) >= 250 ? fz_f64(in) : (double)(int16_t)fz_u16(in) / 64.0;
    }
    int x_finite = 1;
    for (size_t i = 0; i < d; ++i) x_finite &= isfinite(x[i]);
    quad q = {d, A, b};
    double *H = fz_alloc_out(dd ? dd : 1, sizeof(double));
    void *snap = fz_snapshot(H, (dd ? dd : 1) * sizeof(double));
    int from_grad = fz_u8(in) & 1;
    nnm_status s = from_grad ? nnm_hess_numeric_from_grad(quad_g, &q, d, x, H)
                             : nnm_hess_numeric(quad_f, &q, d, x, H);
    nnm_status want = d == 0 ? NNM_ESIZE : (x_finite ? NNM_OK : NNM_EDOM);
    FZ_CHECK(s == want);
    if (s != NNM_OK) {
        FZ_CHECK(fz_same(H, snap, (dd ? dd : 1) * sizeof(double)));
    } else if (max_abs(x, d) <= 0x1p40) {
        double am = max_abs(A, dd) + 1.0, xm = max_abs(x, d) + 1.0;
        for (size_t i = 0; i < d; ++i)
            for (size_t j = 0; j < d; ++j) {
                FZ_CHECK(fz_bits_eq64(H[i * d + j], H[j * d + i]));
                /* exact for quadratics up to the rounding of f (or g) values: eps |f| / h^2 with
                 * h ~ 2^-13 max(1, |x|) from f, eps |g| / h with h ~ 2^-17 max(1, |x|) from g */
                double scale = from_grad ? 0x1p17 * am * xm * (double)(d + 1)
                                         : 0x1p26 * am * xm * xm * (double)(d + 1) * (double)(d + 1);
                FZ_CHECK(fabs(H[i * d + j] - A[i * d + j]) <= 64 * DBL_EPSILON * scale);
            }
    }
    /* classify_point at the fuzzed point: a status from the documented set, out written only on OK */
    nnm_stationary st = (nnm_stationary)99;
    double tol = fz_u8(in) >= 240 ? fz_f64(in) : 0.0;
    s = nnm_hess_classify_point(from_grad ? NULL : quad_f, from_grad ? quad_g : NULL, &q, d, x, tol,
                                &st);
    if (!isfinite(tol)) FZ_CHECK(s == NNM_EINVAL);
    else if (d == 0) FZ_CHECK(s == NNM_ESIZE);
    else if (!x_finite) FZ_CHECK(s == NNM_EDOM);
    else FZ_CHECK(s == NNM_OK || s == NNM_EDOM || s == NNM_ENOCONV);
    if (s != NNM_OK) FZ_CHECK((int)st == 99);
    else FZ_CHECK(st <= NNM_DEGENERATE);
    free(A);
    free(b);
    free(x);
    free(H);
    free(snap);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in in = {data, size};
    hcase c;
    memset(&c, 0, sizeof c);
    current = &c;
    fz_describe = describe_case;

    uint8_t mode = fz_u8(&in);
    if (mode >= 224) {
        fz_describe = NULL;
        fuzz_numeric_family(&in);
        return 0;
    }
    c.f32 = mode & 1;
    uint8_t dm = fz_u8(&in);
    if (dm >= 250) {
        /* gigantic: d*d overflows PTRDIFF_MAX bytes (ESIZE), or only the scratch is impossible
         * (2^29: d*d doubles fit in PTRDIFF_MAX, their 2^62 bytes cannot be had: ENOMEM) */
        static const size_t giant[] = {(size_t)1 << 29, (size_t)1 << 30, (size_t)1 << 31,
                                       (size_t)1 << 32, (size_t)PTRDIFF_MAX, SIZE_MAX};
        c.d = giant[fz_u8(&in) % 6];
        c.giant = 1;
    } else if (dm >= 230) {
        c.d = 5 + fz_u8(&in) % 8; /* the QL path (d > 4); small to keep 10^7 runs affordable */
    } else {
        c.d = dm % 11;
    }
    size_t d = c.d, dd = c.giant ? 4 : d * d, nd = c.giant ? 4 : d;
    c.H = fz_alloc(dd, sizeof(double));
    memset(c.H, 0, dd * sizeof(double));
    c.g = fz_alloc(nd, sizeof(double));
    c.x = fz_alloc(nd, sizeof(double));
    int scale = (int)(fz_u16(&in) % 2100u) - 1075; /* 2^scale: subnormal to near overflow */
    if (fz_u8(&in) < 128) scale = 0;
    uint8_t sym = fz_u8(&in);
    for (size_t i = 0; i < (c.giant ? 2 : d); ++i)
        for (size_t j = i; j < (c.giant ? 2 : d); ++j) {
            double v = fz_f64(&in);
            if (isfinite(v) && fabs(v) > 0x1p60) v = ldexp(v, -ilogb(v)); /* the scale decides */
            v = ldexp(v, scale);
            if (c.giant) continue;
            c.H[i * d + j] = c.H[j * d + i] = v;
        }
    if (c.giant) memset(c.H, 0, dd * sizeof(double));
    if (sym >= 200 && d >= 2 && !c.giant) {
        /* perturb one off-diagonal pair: relative to d eps max|H| by 2^(-8..8) */
        size_t i = fz_u8(&in) % d, j = (i + 1 + fz_u8(&in) % (d - 1)) % d;
        double m = max_abs(c.H, dd);
        double eps = c.f32 ? (double)FLT_EPSILON : DBL_EPSILON;
        c.H[i * d + j] += ldexp((double)d * eps * m, (int)(fz_u8(&in) % 17) - 8);
    }
    for (size_t i = 0; i < nd; ++i) {
        uint8_t gm = fz_u8(&in);
        c.g[i] = gm < 128 ? 0.0 : ldexp(fz_f64(&in), (int)(gm % 64) - 70);
        c.x[i] = fz_f64(&in);
        if (isfinite(c.x[i]) && fabs(c.x[i]) > 0x1p100) c.x[i] = ldexp(c.x[i], -ilogb(c.x[i]));
    }
    uint8_t tm = fz_u8(&in);
    c.tol = tm < 200 ? 0.0 : (tm < 230 ? ldexp(1.0, -(int)(fz_u8(&in) % 60)) : fz_f64(&in));
    to_f32_data(&c);
    for (size_t i = 0; !c.giant && i < dd; ++i) c.nonfinite |= !isfinite(c.H[i]);
    fuzz_matrix_family(&c);
    free(c.H);
    free(c.g);
    free(c.x);
    return 0;
}
