/* The symmetric eigen-solver against LAPACK dsyev: eigenvalues of random symmetric matrices
 * (d = 1..200 with uniform, graded, clustered, scaled and random-entry spectra) within
 * 10 d eps |H|_2, eigenvectors orthonormal to 10 d eps with residuals within 10 d eps |H|_2, both
 * methods (Jacobi and Householder + QL) driven directly at every size, the termination paths
 * (sweep and iteration limits) and the allocation failure path.
 *
 * LAPACK (liblapack-dev) is a test-only dependency linked by tests/CMakeLists.txt; dsyev_ is
 * declared here (Fortran calling convention: every argument by reference, the hidden lengths
 * of the two character arguments last). */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nnmath/nnmath.h>

#include "hessian/eigen_kernels.h"
#include "nnm_check.h"

void dsyev_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda,
            double *w, double *work, const int *lwork, int *info, size_t jobz_len,
            size_t uplo_len);

/* The allocation-failure tests ask for ~2^59 bytes; under AddressSanitizer malloc must then
 * return NULL (as glibc does) instead of aborting the test. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}

/* ---- reference and matrix generators ----------------------------------------------------- */

/* Eigenvalues (ascending) and, if vec, eigenvectors (columns of the column-major result, i.e.
 * rows of our row-major V^T) by LAPACK. H is symmetric, so row- vs column-major is the same. */
static void lapack_eig(int n, const double *H, double *w, double *Zcm, int vec)
{
    double *a = malloc((size_t)n * (size_t)n * sizeof *a);
    ck_assert_ptr_nonnull(a);
    memcpy(a, H, (size_t)n * (size_t)n * sizeof *a);
    int lwork = -1, info = 0;
    double query = 0.0;
    char jobz = vec ? 'V' : 'N', uplo = 'L';
    dsyev_(&jobz, &uplo, &n, a, &n, w, &query, &lwork, &info, 1, 1);
    ck_assert_int_eq(info, 0);
    lwork = (int)query;
    double *work = malloc((size_t)lwork * sizeof *work);
    ck_assert_ptr_nonnull(work);
    dsyev_(&jobz, &uplo, &n, a, &n, w, work, &lwork, &info, 1, 1);
    ck_assert_int_eq(info, 0);
    if (Zcm != NULL) memcpy(Zcm, a, (size_t)n * (size_t)n * sizeof *a);
    free(work);
    free(a);
}

/* A <- (I - 2 u u^T) A (I - 2 u u^T) for a random unit u: a random orthogonal similarity. */
static void reflect(size_t n, double *A, uint64_t *rng, double *u, double *p)
{
    double nn = 0.0;
    for (size_t i = 0; i < n; ++i) {
        u[i] = nnm_rand_uniform(rng, -1.0, 1.0);
        nn += u[i] * u[i];
    }
    nn = sqrt(nn);
    if (nn == 0.0) return;
    for (size_t i = 0; i < n; ++i) u[i] /= nn;
    /* B = H A H = A - 2 u (A u)^T - 2 (A u) u^T + 4 (u^T A u) u u^T */
    double uau = 0.0;
    for (size_t i = 0; i < n; ++i) {
        double acc = 0.0;
        for (size_t j = 0; j < n; ++j) acc += A[i * n + j] * u[j];
        p[i] = acc;
        uau += u[i] * acc;
    }
    for (size_t i = 0; i < n; ++i)
        for (size_t j = 0; j < n; ++j)
            A[i * n + j] += -2.0 * u[i] * p[j] - 2.0 * p[i] * u[j] + 4.0 * uau * u[i] * u[j];
    for (size_t i = 0; i < n; ++i)
        for (size_t j = i + 1; j < n; ++j) {
            double s = 0.5 * (A[i * n + j] + A[j * n + i]);
            A[i * n + j] = s;
            A[j * n + i] = s;
        }
}

enum spectrum { SPEC_UNIFORM, SPEC_GRADED, SPEC_CLUSTERED, SPEC_ENTRIES, SPEC_SCALED, SPEC_COUNT };

/* A symmetric n x n test matrix of the given kind. */
static void make_matrix(size_t n, enum spectrum kind, uint64_t *rng, double *A)
{
    double *u = malloc(2 * n * sizeof *u);
    ck_assert_ptr_nonnull(u);
    memset(A, 0, n * n * sizeof *A);
    switch (kind) {
    case SPEC_UNIFORM: /* eigenvalues uniform in [-1, 1] */
        for (size_t i = 0; i < n; ++i) A[i * n + i] = nnm_rand_uniform(rng, -1.0, 1.0);
        break;
    case SPEC_GRADED: /* |lambda| from 1 down to 1e-14, mixed signs */
        for (size_t i = 0; i < n; ++i) {
            double mag = pow(10.0, -14.0 * (double)i / (double)(n > 1 ? n - 1 : 1));
            A[i * n + i] = (i % 3 == 1) ? -mag : mag;
        }
        break;
    case SPEC_CLUSTERED: /* two tight clusters around 1 and -1, and a multiple eigenvalue 0.5 */
        for (size_t i = 0; i < n; ++i) {
            double c = (i % 3 == 0) ? 1.0 : (i % 3 == 1) ? -1.0 : 0.5;
            A[i * n + i] = c + (i % 3 == 2 ? 0.0 : 1e-12 * (double)i);
        }
        break;
    case SPEC_ENTRIES: /* random entries: the spectrum of a Wigner matrix */
    case SPEC_SCALED:
        for (size_t i = 0; i < n; ++i)
            for (size_t j = i; j < n; ++j) {
                double v = nnm_rand_uniform(rng, -1.0, 1.0);
                A[i * n + j] = v;
                A[j * n + i] = v;
            }
        break;
    default:
        break;
    }
    if (kind != SPEC_ENTRIES && kind != SPEC_SCALED)
        for (int r = 0; r < 3; ++r) reflect(n, A, rng, u, u + n);
    if (kind == SPEC_SCALED) {
        /* D A D with D_i = 2^(e_i), e_i in [-40, 40]: entries spanning 1e-24..1e24, and an
         * overall factor 2^900 so that a solver without scaling would overflow */
        for (size_t i = 0; i < n; ++i) u[i] = ldexp(1.0, (int)(nnm_rand_u64(rng) % 81) - 40);
        for (size_t i = 0; i < n; ++i)
            for (size_t j = 0; j < n; ++j) A[i * n + j] = ldexp(A[i * n + j] * u[i] * u[j], 900);
    }
    free(u);
}

static double max_abs(size_t n, const double *v)
{
    double m = 0.0;
    for (size_t i = 0; i < n; ++i) m = fmax(m, fabs(v[i]));
    return m;
}

/* max_ij |(V^T V - I)_ij| in units of eps, for V with eigenvectors as columns (row-major). */
static double orthonormality_eps(size_t n, const double *V)
{
    double worst = 0.0;
    for (size_t a = 0; a < n; ++a)
        for (size_t b = a; b < n; ++b) {
            double acc = 0.0;
            for (size_t i = 0; i < n; ++i) acc += V[i * n + a] * V[i * n + b];
            worst = fmax(worst, fabs(acc - (a == b ? 1.0 : 0.0)));
        }
    return worst / DBL_EPSILON;
}

/* max_j |H v_j - lambda_j v_j|_inf / |H|_2 in units of eps. */
static double residual_eps(size_t n, const double *H, const double *lambda, const double *V,
                           double hnorm)
{
    double worst = 0.0;
    for (size_t j = 0; j < n; ++j)
        for (size_t i = 0; i < n; ++i) {
            double acc = 0.0;
            for (size_t k = 0; k < n; ++k) acc += H[i * n + k] * V[k * n + j];
            worst = fmax(worst, fabs(acc - lambda[j] * V[i * n + j]));
        }
    return hnorm > 0 ? worst / (hnorm * DBL_EPSILON) : worst;
}

/* Compare one matrix against dsyev: eigenvalues, orthonormality, residual. Returns the worst
 * eigenvalue error in units of eps |H|_2 (for the message). */
/* worst ratios seen (printed by NNM_EIG_VERBOSE builds of this test, for the report) */
static double worst_val, worst_orth, worst_res;

static void check_against_lapack(size_t n, const double *H, int vectors, const char *what)
{
    double *ref = malloc(n * sizeof *ref), *eig = malloc(n * sizeof *eig);
    double *V = vectors ? malloc(n * n * sizeof *V) : NULL;
    ck_assert(ref && eig && (!vectors || V));
    lapack_eig((int)n, H, ref, NULL, 0);
    double hnorm = max_abs(n, ref);
    if (vectors)
        ck_assert_int_eq(nnm_hess_eig_sym_f64(n, H, eig, V), NNM_OK);
    else
        ck_assert_int_eq(nnm_hess_eigvals_sym_f64(n, H, eig), NNM_OK);
    double bound = 10.0 * (double)n; /* in units of eps |H|_2 */
    for (size_t i = 0; i < n; ++i) {
        ck_assert_msg(i == 0 || eig[i - 1] <= eig[i], "%s d=%zu: not ascending at %zu", what, n, i);
        double err = fabs(eig[i] - ref[i]) / (hnorm * DBL_EPSILON);
        ck_assert_msg(err <= bound, "%s d=%zu: |lambda_%zu - dsyev| = %.3g eps |H| > %g", what, n,
                      i, err, bound);
        worst_val = fmax(worst_val, err / (double)n);
    }
    if (vectors) {
        double orth = orthonormality_eps(n, V);
        ck_assert_msg(orth <= bound, "%s d=%zu: |V^T V - I| = %.3g eps > %g", what, n, orth,
                      bound);
        double res = residual_eps(n, H, eig, V, hnorm);
        ck_assert_msg(res <= bound, "%s d=%zu: residual %.3g eps |H| > %g", what, n, res, bound);
        worst_orth = fmax(worst_orth, orth / (double)n);
        worst_res = fmax(worst_res, res / (double)n);
    }
    free(V);
    free(eig);
    free(ref);
}

/* ---- the comparison sweeps --------------------------------------------------------------- */

/* Every d from 1 to 40 with every spectrum kind, then larger sizes with one kind each and
 * d = 200 with all five (bounded: ~0.3 s in Release, well under the timeout with ASan). */
START_TEST(eigenvalues_match_dsyev_for_every_spectrum)
{
    uint64_t rng = 0x5eed0001u;
    for (size_t n = 1; n <= 40; ++n)
        for (int kind = 0; kind < SPEC_COUNT; ++kind) {
            double *H = malloc(n * n * sizeof *H);
            ck_assert_ptr_nonnull(H);
            make_matrix(n, (enum spectrum)kind, &rng, H);
            check_against_lapack(n, H, (int)((n + (size_t)kind) % 2), "sweep");
            free(H);
        }
    static const size_t big[] = {48, 64, 65, 100, 128, 150, 200, 200, 200, 200, 200};
    for (size_t b = 0; b < sizeof big / sizeof big[0]; ++b) {
        size_t n = big[b];
        double *H = malloc(n * n * sizeof *H);
        ck_assert_ptr_nonnull(H);
        make_matrix(n, (enum spectrum)((b + 3) % SPEC_COUNT), &rng, H);
        check_against_lapack(n, H, 1, "large");
        free(H);
    }
#ifdef NNM_EIG_VERBOSE
    printf("worst / d: eigenvalue %.3g eps |H|, orthonormality %.3g eps, residual %.3g eps |H|\n",
           worst_val, worst_orth, worst_res);
#endif
}
END_TEST

/* Both methods at sizes where the dispatcher would not pick them: Jacobi up to 48, the
 * tridiagonal QL from 1 up. */
static void run_method(size_t n, const double *H, int jacobi, double *lambda, double *Zt)
{
    double *A = malloc(n * n * sizeof *A), *off = malloc(3 * n * sizeof *off);
    ck_assert(A && off);
    memcpy(A, H, n * n * sizeof *A);
    if (jacobi) {
        ck_assert_int_eq(nnm__eig_jacobi(n, A, Zt, NNM__EIG_JACOBI_MAX_SWEEPS), NNM_OK);
        for (size_t i = 0; i < n; ++i) lambda[i] = A[i * n + i];
    } else {
        nnm__eig_tridiagonalise(n, A, lambda, off, off + n, off + 2 * n);
        nnm__eig_form_qt(n, A, off + n, Zt, off + 2 * n);
        ck_assert_int_eq(nnm__eig_tridiag_ql(n, lambda, off, Zt, NNM__EIG_QL_ITER_PER_EIG),
                         NNM_OK);
    }
    nnm__eig_sort(n, lambda, Zt);
    free(off);
    free(A);
}

START_TEST(jacobi_and_ql_each_match_dsyev_at_every_size)
{
    uint64_t rng = 0x5eed0002u;
    for (int jacobi = 0; jacobi <= 1; ++jacobi)
        for (size_t n = 1; n <= 48; n += (n < 20 ? 1 : 7)) {
            double *H = malloc(n * n * sizeof *H), *ref = malloc(n * sizeof *ref);
            double *lambda = malloc(n * sizeof *lambda), *Zt = malloc(n * n * sizeof *Zt);
            double *V = malloc(n * n * sizeof *V);
            ck_assert(H && ref && lambda && Zt && V);
            /* the kernels expect the caller's scaling max|A| in [1/2, 1): the generators give
             * entries of order 1 except the scaled kind, which is skipped here */
            make_matrix(n, (enum spectrum)((n + (size_t)jacobi) % SPEC_SCALED), &rng, H);
            run_method(n, H, jacobi, lambda, Zt);
            lapack_eig((int)n, H, ref, NULL, 0);
            double hnorm = max_abs(n, ref), bound = 10.0 * (double)n;
            for (size_t i = 0; i < n; ++i) {
                double err = fabs(lambda[i] - ref[i]) / (hnorm * DBL_EPSILON);
                ck_assert_msg(err <= bound, "%s d=%zu: lambda_%zu off by %.3g eps |H|",
                              jacobi ? "jacobi" : "ql", n, i, err);
            }
            for (size_t i = 0; i < n; ++i)
                for (size_t j = 0; j < n; ++j) V[i * n + j] = Zt[j * n + i];
            ck_assert_msg(orthonormality_eps(n, V) <= bound, "%s d=%zu: not orthonormal",
                          jacobi ? "jacobi" : "ql", n);
            ck_assert_msg(residual_eps(n, H, lambda, V, hnorm) <= bound, "%s d=%zu: residual",
                          jacobi ? "jacobi" : "ql", n);
            free(V);
            free(Zt);
            free(lambda);
            free(ref);
            free(H);
        }
}
END_TEST

/* Jacobi's selling point: for a graded positive definite matrix H = D A D (A well conditioned)
 * the tiny eigenvalues keep a RELATIVE accuracy, which an O(eps |H|) absolute bound would lose
 * completely (here |H| ~ 1 and lambda_min ~ 1e-20). lambda(D A D) are not lambda(A) D^2, so the
 * check is the determinant identity prod lambda = det(D)^2 det(A): a relative error of a few eps
 * per eigenvalue moves log prod lambda by that much, an absolute error of eps |H| on 1e-20 by
 * ~1e4. Checked on the Jacobi kernel at d = 6 and through the public API at d = 4 (the sizes
 * the dispatcher gives to Jacobi). */
static void graded(size_t n, int reverse, double *H, double *log_det)
{
    /* A = I + 0.1 (ones - I): eigenvalues 1 + 0.1 (n - 1) and 0.9 (n - 1 times);
     * D_i = 10^(-2i) (1 .. 1e-10), or the reverse order (tiny entries top left: the ordering
     * on which the tridiagonal QL path loses the small eigenvalues entirely) */
    *log_det = log(1.0 + 0.1 * (double)(n - 1)) + (double)(n - 1) * log(0.9);
    for (size_t i = 0; i < n; ++i) {
        double ei = (double)(reverse ? n - 1 - i : i);
        *log_det += 2.0 * log(pow(10.0, -2.0 * ei));
        for (size_t j = 0; j < n; ++j) {
            double ej = (double)(reverse ? n - 1 - j : j);
            H[i * n + j] = pow(10.0, -2.0 * ei) * (i == j ? 1.0 : 0.1) * pow(10.0, -2.0 * ej);
        }
    }
}

static void check_log_det(size_t n, const double *eig, double log_det)
{
    double log_prod = 0.0;
    for (size_t i = 0; i < n; ++i) {
        ck_assert(eig[i] > 0.0);
        log_prod += log(eig[i]);
    }
    ck_assert_msg(fabs(log_prod - log_det) <= 16.0 * (double)n * DBL_EPSILON * fabs(log_det),
                  "d=%zu: log prod lambda = %.17g, log det = %.17g", n, log_prod, log_det);
}

START_TEST(jacobi_keeps_relative_accuracy_of_tiny_eigenvalues_of_graded_matrices)
{
    for (int reverse = 0; reverse <= 1; ++reverse) {
        double H[36], eig[6], log_det;
        graded(6, reverse, H, &log_det);
        ck_assert_int_eq(nnm__eig_jacobi(6, H, NULL, NNM__EIG_JACOBI_MAX_SWEEPS), NNM_OK);
        for (size_t i = 0; i < 6; ++i) eig[i] = H[i * 6 + i];
        check_log_det(6, eig, log_det);

        graded(4, reverse, H, &log_det);
        ck_assert_int_eq(nnm_hess_eigvals_sym_f64(4, H, eig), NNM_OK);
        check_log_det(4, eig, log_det);
        ck_assert(eig[0] < 1e-11 && eig[0] > 1e-13);
    }
}
END_TEST

/* ---- regressions: entries whose squares underflow, rank deficiency (bugs reliab8-2..4) ------- */

/* Symmetric H from its upper-triangle entries. */
typedef struct sym_entry {
    int i, j;
    double v;
} sym_entry;

static void fill_sym(size_t n, double *H, const sym_entry *e, size_t count)
{
    memset(H, 0, n * n * sizeof *H);
    for (size_t t = 0; t < count; ++t) {
        H[(size_t)e[t].i * n + (size_t)e[t].j] = e[t].v;
        H[(size_t)e[t].j * n + (size_t)e[t].i] = e[t].v;
    }
}

/* |sum lambda - trace H| <= 10 d^2 eps |H|_2 (the sum of the per-eigenvalue bounds): a check
 * that needs no reference solver. */
static void check_trace(size_t n, const double *H, const double *eig)
{
    double tr = 0.0, sum = 0.0, lmax = 0.0;
    for (size_t i = 0; i < n; ++i) {
        tr += H[i * n + i];
        sum += eig[i];
        lmax = fmax(lmax, fabs(eig[i]));
    }
    ck_assert_msg(fabs(sum - tr) <= 10.0 * (double)(n * n) * DBL_EPSILON * lmax,
                  "d=%zu: sum lambda %.17g, trace %.17g", n, sum, tr);
}

/* reliab8-2: a subnormal diagonal entry next to entries of 2^20 left two eigenvector columns with
 * norm 1 + 8.7e-13 (bound 10 d eps = 1.1e-14): the QL chase met off-diagonals of a few 2^-1074
 * and formed rotations from them. */
START_TEST(eigenvectors_stay_orthonormal_with_a_subnormal_entry)
{
    const double a = -0x1.4p+4, b = -0x1.fdeb851eb851fp+3, c = -0x1.7e43c8800759cp+0,
                 e = -0x1.8243fep+20, s = 0x0.07ec1c1000004p-1022;
    const double H[25] = {a, b, c, e, 0, b, s, 0, 0, 0, c, 0, 0, 0, 0,
                          e, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    check_against_lapack(5, H, 1, "reliab8-2");
    double eig[5], V[25];
    ck_assert_int_eq(nnm_hess_eig_sym_f64(5, H, eig, V), NNM_OK);
    check_trace(5, H, eig);
}
END_TEST

/* reliab8-3: H = [[a, b, 0], [b, 0, e], [0, e, 0]] (+) 0 with e = 2^-1052-ish subnormal: the
 * largest eigenvalue came out 1.4e-6 too small (the chase rotated subnormal numbers). Its
 * eigenvalues are those of [[a, b], [b, 0]] to within e^2 / |b| (far below any rounding) and
 * zeros to within |e|: closed forms lambda_+ = (a + sqrt(a^2 + 4 b^2)) / 2, lambda_- =
 * -b^2 / lambda_+ (no cancellation). */
START_TEST(eigenvalues_stay_accurate_with_a_subnormal_off_diagonal)
{
    const double a = 0x1.f91c4p-6, b = -0x1.bb6cp+0, e = 0x1.caeap-1057;
    const double H[25] = {a, b, 0, 0, 0, b, 0, e, 0, 0, 0, e, 0, 0, 0,
                          0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    double eig[5];
    ck_assert_int_eq(nnm_hess_eigvals_sym_f64(5, H, eig), NNM_OK);
    double lp = 0.5 * (a + sqrt(a * a + 4.0 * b * b)), lm = -b * b / lp;
    const double want[5] = {lm, 0, 0, 0, lp};
    for (int i = 0; i < 5; ++i)
        ck_assert_msg(fabs(eig[i] - want[i]) <= 4.0 * DBL_EPSILON * lp,
                      "lambda_%d = %.17g, want %.17g", i, eig[i], want[i]);
    check_against_lapack(5, H, 1, "reliab8-3");
}
END_TEST

/* reliab8-3 addendum: an arrow of normal entries t = 2^-638 (t^2 underflows) around b: the
 * Householder norms were built from underflowing squares, the reflectors were not orthogonal and
 * the eigenvalues summed to trace + 8e-6 relative, with a spurious eigenvalue 1.7e-16. Exact
 * eigenvalues: b, +-u and zeros, each to within ~t^2 / u ~ 1e-275. */
START_TEST(eigenvalues_stay_accurate_with_entries_whose_squares_underflow)
{
    const double t = 0x1.8181818181818p-638, b = -0x1.474973c84120cp+0,
                 u = 0x1.0181818181818p-109;
    double H[64] = {0};
    for (int j = 1; j < 7; ++j) H[j] = H[j * 8] = t;
    H[7] = H[56] = u;
    H[9] = b;
    double eig[8];
    ck_assert_int_eq(nnm_hess_eigvals_sym_f64(8, H, eig), NNM_OK);
    check_trace(8, H, eig);
    const double want[8] = {b, -u, 0, 0, 0, 0, 0, u};
    for (int i = 0; i < 8; ++i)
        ck_assert_msg(fabs(eig[i] - want[i]) <= 80.0 * DBL_EPSILON * fabs(b),
                      "lambda_%d = %.17g, want %.17g", i, eig[i], want[i]);
    check_against_lapack(8, H, 1, "reliab8-3b");
}
END_TEST

/* reliab8-4: a rank-4 36 x 36 matrix with O(1) entries (32-fold zero eigenvalue). The reduction
 * leaves off-diagonals of rounding noise, 1e-16, 1e-32, ..., 1e-160, whose squares underflow: a
 * column of V had |v|^2 = 1 - 9.6e-4 (bound 10 d eps = 8e-15). Scale-invariant, so also checked
 * at 2^-600 and 2^600. */
START_TEST(eigenvectors_stay_orthonormal_for_a_rank_deficient_matrix)
{
    static const sym_entry nz[] = {
        {0, 0, -0x1.89ba5e353f7cfp-7}, {0, 2, -0x1.9fe36ap+0},      {0, 3, -0x1.81ap-3},
        {0, 11, -0x1.505f3f3f3f3ebp-6}, {0, 33, 0x1.14p+0},         {1, 1, -0x1.d8p-1},
        {1, 2, -0x1.d8p-1},             {1, 3, -0x1.d8p-1},          {1, 4, -0x1.d8p-1}};
    const size_t n = 36;
    double *H = malloc(n * n * sizeof *H);
    ck_assert_ptr_nonnull(H);
    fill_sym(n, H, nz, sizeof nz / sizeof nz[0]);
    for (size_t j = 4; j < n; ++j)
        if (j != 10 && j != 11 && j != 33) H[j] = H[j * n] = -0x1.d8p-1;
    for (int s = 0; s < 3; ++s) {
        const int shift[3] = {0, -600, 600};
        if (s > 0)
            for (size_t i = 0; i < n * n; ++i) H[i] = ldexp(H[i], shift[s] - shift[s - 1]);
        check_against_lapack(n, H, 1, "reliab8-4");
    }
    free(H);
}
END_TEST

/* The kernels themselves at the two places the bugs were. */
START_TEST(givens_rotation_is_orthogonal_for_any_magnitude)
{
    /* f and g from a few 2^-1074 up to 2^1020 (the QL chase sees such pairs on matrices with
     * underflowing entries): c^2 + s^2 = 1 to 2 eps, r = hypot(f, g) to 1 ulp where r is normal,
     * and (c, s) rotates (g, f) onto (r, 0). The unscaled quotients f / r, g / r missed the
     * first by up to 0.1 for subnormal f, g. */
    uint64_t rng = 0x61be5u;
    for (int k = 0; k < 20000; ++k) {
        int ef = (int)(nnm_rand_u64(&rng) % 2095) - 1074;
        int eg = k % 4 == 0 ? ef + (int)(nnm_rand_u64(&rng) % 7) - 3
                            : (int)(nnm_rand_u64(&rng) % 2095) - 1074;
        if (eg > 1020) eg = 1020;
        if (ef > 1020) ef = 1020;
        double f = ldexp(nnm_rand_uniform(&rng, -1.0, 1.0), ef);
        double g = ldexp(nnm_rand_uniform(&rng, -1.0, 1.0), eg);
        if (f == 0.0 && g == 0.0) continue;
        double c = 2.0, s = 2.0;
        double r = nnm__eig_givens(f, g, &c, &s);
        ck_assert_msg(fabs(c * c + s * s - 1.0) <= 2.0 * DBL_EPSILON, "f=%a g=%a: c=%a s=%a",
                      f, g, c, s);
        double h = hypot(f, g);
        if (h >= DBL_MIN) nnm_assert_ulp_f64(r, h, 1);
        ck_assert(r > 0.0);
        /* the rotation maps (g, f) to (r, 0) up to a few eps r (a backward error of that size
         * on the entry it is built from), plus the rounding of a subnormal r (2^-1075). The
         * check runs on f, g, r times 2^600 when they are tiny (exact for f and g), so that its
         * own products do not round among the subnormals. */
        double up = fmax(fabs(f), fabs(g)) < 0x1p-400 ? 0x1p600 : 1.0;
        double F = f * up, G = g * up, R = r * up;
        double slack = 2.0 * DBL_EPSILON * R + 0x1p-1074 * up * 0.5;
        ck_assert_msg(fabs(c * F - s * G) <= slack, "f=%a g=%a", f, g);
        ck_assert_msg(fabs(c * G + s * F - R) <= slack, "f=%a g=%a", f, g);
    }
    double c = 2.0, s = 2.0;
    ck_assert(nnm__eig_givens(0.0, 0.0, &c, &s) == 0.0);
}
END_TEST

START_TEST(ql_deflates_negligible_off_diagonals_next_to_zero_diagonals)
{
    /* the tridiagonal of the reliab8-2 matrix after an exact reduction: zero diagonal entries
     * joined by off-diagonals of a few 2^-1074. The relative deflation test alone cannot split
     * there, and the iteration stalled on the subnormal grid until it ran out of its 30 d
     * iterations. Eigenvalues: diag[0] and off[0] make a 2x2 block, the rest are within
     * |diag[2]| + 2 max|off[1..2]| < 2^-1040 of 0. */
    double dg[5] = {-0x1.4p-17, 0.0, 0x0.0000003f60e06p-1022, 0.0, 0.0};
    double of[5] = {0x1.8243fe0054e24p-1, -0x0.000000000029dp-1022, 0x0.000000000003ep-1022, 0.0,
                    0.0};
    double Zt[25];
    nnm__eig_identity(5, Zt);
    ck_assert_int_eq(nnm__eig_tridiag_ql(5, dg, of, Zt, NNM__EIG_QL_ITER_PER_EIG), NNM_OK);
    nnm__eig_sort(5, dg, Zt);
    double a = -0x1.4p-17, b = 0x1.8243fe0054e24p-1;
    double lp = 0.5 * (a + sqrt(a * a + 4.0 * b * b)), lm = -b * b / lp;
    nnm_assert_ulp_f64(dg[0], lm, 4);
    nnm_assert_ulp_f64(dg[4], lp, 4);
    for (int i = 1; i < 4; ++i) ck_assert(fabs(dg[i]) <= 0x1p-1040);
    double V[25];
    for (size_t i = 0; i < 5; ++i)
        for (size_t j = 0; j < 5; ++j) V[i * 5 + j] = Zt[j * 5 + i];
    ck_assert(orthonormality_eps(5, V) <= 2.0);
}
END_TEST

/* Randomized: matrices whose entries spread over many binades, the inputs on which the fuzzer
 * found the bugs above. Four families: graded D W D (D_i = 2^-e_i, e_i up to 600, so entries
 * reach 2^-1200 and underflow), O(1) diagonals (a third of them 0) with off-diagonals from
 * 2^-200 down to the subnormals, rank-deficient Gram matrices G G^T (rank 1-3, null spaces of
 * dimension up to 35, half of them also graded), and entries with independent exponents from
 * 2^0 to 2^-1074 with zeros in between. Every d from 2 to 12 and then 16, 23, 36, four matrices
 * per family and size (224 solves, ~0.1 s in Release), each against dsyev with the documented
 * bounds, eigenvectors on every other one. */
enum binade_family { BIN_GRADED, BIN_TINY_OFF, BIN_RANK_DEFICIENT, BIN_SPREAD, BIN_COUNT };

static void make_binade_matrix(size_t n, enum binade_family fam, uint64_t *rng, double *H)
{
    int *e = malloc(n * sizeof *e);
    double *G = malloc(3 * n * sizeof *G);
    ck_assert(e && G);
    memset(H, 0, n * n * sizeof *H);
    for (size_t i = 0; i < n; ++i) e[i] = (int)(nnm_rand_u64(rng) % 601);
    switch (fam) {
    case BIN_GRADED:
        for (size_t i = 0; i < n; ++i)
            for (size_t j = i; j < n; ++j)
                H[i * n + j] = H[j * n + i] =
                    ldexp(nnm_rand_uniform(rng, -1.0, 1.0), -(e[i] + e[j]));
        break;
    case BIN_TINY_OFF:
        for (size_t i = 0; i < n; ++i) {
            H[i * n + i] = i % 3 == 1 ? 0.0 : nnm_rand_uniform(rng, -1.0, 1.0);
            for (size_t j = i + 1; j < n; ++j) {
                if (nnm_rand_u64(rng) % 2) continue;
                int k = 200 + (int)(nnm_rand_u64(rng) % 875);
                H[i * n + j] = H[j * n + i] = ldexp(nnm_rand_uniform(rng, -1.0, 1.0), -k);
            }
        }
        break;
    case BIN_RANK_DEFICIENT: {
        size_t r = 1 + (size_t)(nnm_rand_u64(rng) % 3);
        int graded = (int)(nnm_rand_u64(rng) % 2);
        for (size_t i = 0; i < n; ++i)
            for (size_t k = 0; k < r; ++k)
                G[i * 3 + k] = ldexp(nnm_rand_uniform(rng, -1.0, 1.0), graded ? -e[i] / 2 : 0);
        for (size_t i = 0; i < n; ++i)
            for (size_t j = i; j < n; ++j) {
                double acc = 0.0;
                for (size_t k = 0; k < r; ++k) acc += G[i * 3 + k] * G[j * 3 + k];
                H[i * n + j] = H[j * n + i] = acc;
            }
        break;
    }
    case BIN_SPREAD:
        for (size_t i = 0; i < n; ++i)
            for (size_t j = i; j < n; ++j) {
                if (nnm_rand_u64(rng) % 10 < 3) continue;
                int k = (int)(nnm_rand_u64(rng) % 1075);
                H[i * n + j] = H[j * n + i] = ldexp(nnm_rand_uniform(rng, -1.0, 1.0), -k);
            }
        break;
    default:
        break;
    }
    free(G);
    free(e);
}

START_TEST(matrices_with_entries_over_many_binades_meet_the_bounds)
{
    static const size_t sizes[] = {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 16, 23, 36};
    uint64_t rng = 0xb1adeu;
    int vec = 0;
    worst_val = worst_orth = worst_res = 0.0;
    for (int fam = 0; fam < BIN_COUNT; ++fam)
        for (size_t t = 0; t < sizeof sizes / sizeof sizes[0]; ++t)
            for (int rep = 0; rep < 4; ++rep) {
                size_t n = sizes[t];
                double *H = malloc(n * n * sizeof *H), *eig = malloc(n * sizeof *eig);
                ck_assert(H && eig);
                make_binade_matrix(n, (enum binade_family)fam, &rng, H);
                check_against_lapack(n, H, vec ^= 1, "binades");
                ck_assert_int_eq(nnm_hess_eigvals_sym_f64(n, H, eig), NNM_OK);
                check_trace(n, H, eig);
                free(eig);
                free(H);
            }
#ifdef NNM_EIG_VERBOSE
    printf("binades, worst / d: eigenvalue %.3g eps |H|, orthonormality %.3g eps, residual "
           "%.3g eps |H|\n",
           worst_val, worst_orth, worst_res);
#endif
}
END_TEST

/* ---- edge cases ---------------------------------------------------------------------------- */

START_TEST(diagonal_and_one_by_one_matrices_are_exact)
{
    double one = -3.25, e1 = 0.0, v1 = 0.0;
    ck_assert_int_eq(nnm_hess_eig_sym_f64(1, &one, &e1, &v1), NNM_OK);
    nnm_assert_ulp_f64(e1, -3.25, 0);
    nnm_assert_ulp_f64(v1, 1.0, 0);

    /* 600 orders of magnitude apart; -1e-290 stays a normal number after the internal scaling
     * by 2^-34, so even it is exact (an entry below 2^-1022 max|H| would not be: it is far
     * below the eps |H| accuracy bound and the scaling may round it) */
    const double D[9] = {5, 0, 0, 0, -1e-290, 0, 0, 0, 1e10};
    double eig[3], V[9];
    ck_assert_int_eq(nnm_hess_eig_sym_f64(3, D, eig, V), NNM_OK);
    nnm_assert_ulp_f64(eig[0], -1e-290, 0);
    nnm_assert_ulp_f64(eig[1], 5.0, 0);
    nnm_assert_ulp_f64(eig[2], 1e10, 0);
    /* V is the permutation that sorts the diagonal */
    const double P[9] = {0, 1, 0, 1, 0, 0, 0, 0, 1};
    for (int i = 0; i < 9; ++i) nnm_assert_ulp_f64(V[i], P[i], 0);
}
END_TEST

START_TEST(zero_matrix_and_extreme_scales)
{
    double Z[4] = {0, 0, 0, -0.0}, eig[2], V[4];
    ck_assert_int_eq(nnm_hess_eig_sym_f64(2, Z, eig, V), NNM_OK);
    ck_assert(eig[0] == 0.0 && eig[1] == 0.0);
    ck_assert(V[0] == 1.0 && V[1] == 0.0 && V[2] == 0.0 && V[3] == 1.0);

    /* [[2,1],[1,2]] times 2^1000 and 2^-1070 (subnormal entries): eigenvalues scale exactly */
    const int shifts[] = {1000, -1070, 0};
    for (int s = 0; s < 3; ++s) {
        double H[4] = {ldexp(2.0, shifts[s]), ldexp(1.0, shifts[s]), ldexp(1.0, shifts[s]),
                       ldexp(2.0, shifts[s])};
        ck_assert_int_eq(nnm_hess_eigvals_sym_f64(2, H, eig), NNM_OK);
        nnm_assert_ulp_f64(eig[0], ldexp(1.0, shifts[s]), 1);
        nnm_assert_ulp_f64(eig[1], ldexp(3.0, shifts[s]), 1);
    }
    /* an eigenvalue beyond DBL_MAX comes out as +inf, not NaN */
    double big[4] = {DBL_MAX, DBL_MAX, DBL_MAX, DBL_MAX};
    ck_assert_int_eq(nnm_hess_eigvals_sym_f64(2, big, eig), NNM_OK);
    ck_assert(eig[0] == 0.0 || fabs(eig[0]) < DBL_MAX * DBL_EPSILON * 4);
    ck_assert(isinf(eig[1]) && eig[1] > 0);
}
END_TEST

START_TEST(float_entry_points_round_the_double_solution)
{
    const float H[9] = {4, 1, 0.5f, 1, 3, 0.25f, 0.5f, 0.25f, 2};
    double Hd[9], ref[3];
    for (int i = 0; i < 9; ++i) Hd[i] = (double)H[i];
    lapack_eig(3, Hd, ref, NULL, 0);
    float eig[3], V[9];
    ck_assert_int_eq(nnm_hess_eig_sym_f32(3, H, eig, V), NNM_OK);
    for (int i = 0; i < 3; ++i) nnm_assert_ulp_f32(eig[i], (float)ref[i], 1);
    float ev[3];
    ck_assert_int_eq(nnm_hess_eigvals_sym_f32(3, H, ev), NNM_OK);
    for (int i = 0; i < 3; ++i) nnm_assert_ulp_f32(ev[i], eig[i], 0);
    /* columns orthonormal to float precision */
    for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b) {
            double acc = 0.0;
            for (int i = 0; i < 3; ++i) acc += (double)V[i * 3 + a] * (double)V[i * 3 + b];
            ck_assert(fabs(acc - (a == b)) <= 30.0 * FLT_EPSILON);
        }
    /* float data is symmetric to float precision: a float-rounding asymmetry is accepted */
    float Hs[4] = {1.0f, 0.1f, nextafterf(0.1f, 1.0f), 2.0f};
    ck_assert_int_eq(nnm_hess_eigvals_sym_f32(2, Hs, ev), NNM_OK);
}
END_TEST

START_TEST(symmetry_tolerance_is_d_eps_max_abs)
{
    /* |H_01 - H_10| = 2 ulp(1) = 4.4e-16 <= 2 eps * max|H| = 2 * 2.2e-16 * 2: accepted */
    double eig[2];
    double ok[4] = {2.0, 1.0, nextafter(nextafter(1.0, 2.0), 2.0), 2.0};
    ck_assert_int_eq(nnm_hess_eigvals_sym_f64(2, ok, eig), NNM_OK);
    /* 1e-12 apart: rejected, nothing written */
    double bad[4] = {2.0, 1.0, 1.0 + 1e-12, 2.0};
    nnm_canary_fill(eig, sizeof eig);
    ck_assert_int_eq(nnm_hess_eigvals_sym_f64(2, bad, eig), NNM_EDOM);
    nnm_assert_untouched(eig, sizeof eig);
}
END_TEST

/* ---- termination and failure paths ----------------------------------------------------------- */

START_TEST(sweep_and_iteration_limits_give_enoconv)
{
    /* one Jacobi sweep cannot diagonalise a dense 5x5 matrix; a QL budget of 0 iterations
     * cannot deflate a tridiagonal with non-zero off-diagonals */
    uint64_t rng = 7;
    double H[25], A[25], Zt[25], diag[5], off[5], tau[5], p[5];
    make_matrix(5, SPEC_ENTRIES, &rng, H);
    memcpy(A, H, sizeof A);
    ck_assert_int_eq(nnm__eig_jacobi(5, A, Zt, 1), NNM_ENOCONV);
    memcpy(A, H, sizeof A);
    ck_assert_int_eq(nnm__eig_jacobi(5, A, NULL, NNM__EIG_JACOBI_MAX_SWEEPS), NNM_OK);
    memcpy(A, H, sizeof A);
    nnm__eig_tridiagonalise(5, A, diag, off, tau, p);
    ck_assert_int_eq(nnm__eig_tridiag_ql(5, diag, off, NULL, 0), NNM_ENOCONV);
    /* already diagonal: no iteration is needed, a budget of 0 suffices */
    double dg[3] = {3, 1, 2}, z[3] = {0, 0, 0};
    ck_assert_int_eq(nnm__eig_tridiag_ql(3, dg, z, NULL, 0), NNM_OK);
}
END_TEST

START_TEST(bad_input_is_rejected_and_outputs_untouched)
{
    double H[4] = {1, 2, 2, 1}, eig[2], V[4];
    float Hf[4] = {1, 2, 2, 1}, eigf[2], Vf[4];
    nnm_canary_fill(eig, sizeof eig);
    nnm_canary_fill(V, sizeof V);
    nnm_canary_fill(eigf, sizeof eigf);
    nnm_canary_fill(Vf, sizeof Vf);

    ck_assert_int_eq(nnm_hess_eigvals_sym_f64(2, NULL, eig), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_eigvals_sym_f64(2, H, NULL), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_eig_sym_f64(2, H, eig, NULL), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_eig_sym_f64(2, H, NULL, V), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_eig_sym_f64(0, NULL, eig, V), NNM_EINVAL); /* EINVAL > ESIZE */
    ck_assert_int_eq(nnm_hess_eigvals_sym_f32(2, NULL, eigf), NNM_EINVAL);
    ck_assert_int_eq(nnm_hess_eig_sym_f32(2, Hf, eigf, NULL), NNM_EINVAL);

    ck_assert_int_eq(nnm_hess_eigvals_sym_f64(0, H, eig), NNM_ESIZE);
    ck_assert_int_eq(nnm_hess_eig_sym_f64(0, H, eig, V), NNM_ESIZE);
    ck_assert_int_eq(nnm_hess_eigvals_sym_f32(0, Hf, eigf), NNM_ESIZE);
    ck_assert_int_eq(nnm_hess_eig_sym_f32(0, Hf, eigf, Vf), NNM_ESIZE);
    /* d*d overflows size_t; d^2 doubles beyond PTRDIFF_MAX */
    ck_assert_int_eq(nnm_hess_eigvals_sym_f64((size_t)1 << 33, H, eig), NNM_ESIZE);
    ck_assert_int_eq(nnm_hess_eig_sym_f64((size_t)1 << 31, H, eig, V), NNM_ESIZE);
    ck_assert_int_eq(nnm_hess_eigvals_sym_f32((size_t)1 << 31, Hf, eigf), NNM_ESIZE);

    /* scratch of 2^56 doubles cannot be allocated: NNM_ENOMEM before H is read */
    ck_assert_int_eq(nnm_hess_eigvals_sym_f64((size_t)1 << 28, H, eig), NNM_ENOMEM);
    ck_assert_int_eq(nnm_hess_eig_sym_f64((size_t)1 << 28, H, eig, V), NNM_ENOMEM);
    ck_assert_int_eq(nnm_hess_eig_sym_f32((size_t)1 << 28, Hf, eigf, Vf), NNM_ENOMEM);

    const double nonfinite[3] = {NAN, INFINITY, -INFINITY};
    for (int k = 0; k < 3; ++k)
        for (int pos = 0; pos < 4; ++pos) {
            double Hb[4] = {1, 2, 2, 1};
            float Hbf[4] = {1, 2, 2, 1};
            Hb[pos] = nonfinite[k];
            Hbf[pos] = (float)nonfinite[k];
            ck_assert_int_eq(nnm_hess_eigvals_sym_f64(2, Hb, eig), NNM_EDOM);
            ck_assert_int_eq(nnm_hess_eig_sym_f64(2, Hb, eig, V), NNM_EDOM);
            ck_assert_int_eq(nnm_hess_eigvals_sym_f32(2, Hbf, eigf), NNM_EDOM);
            ck_assert_int_eq(nnm_hess_eig_sym_f32(2, Hbf, eigf, Vf), NNM_EDOM);
        }
    double asym[4] = {1, 2, 2.5, 1};
    float asymf[4] = {1, 2, 2.001f, 1};
    ck_assert_int_eq(nnm_hess_eig_sym_f64(2, asym, eig, V), NNM_EDOM);
    ck_assert_int_eq(nnm_hess_eig_sym_f32(2, asymf, eigf, Vf), NNM_EDOM);

    nnm_assert_untouched(eig, sizeof eig);
    nnm_assert_untouched(V, sizeof V);
    nnm_assert_untouched(eigf, sizeof eigf);
    nnm_assert_untouched(Vf, sizeof Vf);
}
END_TEST

static Suite *eigen_suite(void)
{
    Suite *s = suite_create("eigen");
    TCase *tc = tcase_create("eigen");
    /* the LAPACK sweep takes ~1 s in Release and ~15 s in an ASan Debug build */
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, eigenvalues_match_dsyev_for_every_spectrum);
    tcase_add_test(tc, jacobi_and_ql_each_match_dsyev_at_every_size);
    tcase_add_test(tc, jacobi_keeps_relative_accuracy_of_tiny_eigenvalues_of_graded_matrices);
    tcase_add_test(tc, eigenvectors_stay_orthonormal_with_a_subnormal_entry);
    tcase_add_test(tc, eigenvalues_stay_accurate_with_a_subnormal_off_diagonal);
    tcase_add_test(tc, eigenvalues_stay_accurate_with_entries_whose_squares_underflow);
    tcase_add_test(tc, eigenvectors_stay_orthonormal_for_a_rank_deficient_matrix);
    tcase_add_test(tc, givens_rotation_is_orthogonal_for_any_magnitude);
    tcase_add_test(tc, ql_deflates_negligible_off_diagonals_next_to_zero_diagonals);
    tcase_add_test(tc, matrices_with_entries_over_many_binades_meet_the_bounds);
    tcase_add_test(tc, diagonal_and_one_by_one_matrices_are_exact);
    tcase_add_test(tc, zero_matrix_and_extreme_scales);
    tcase_add_test(tc, float_entry_points_round_the_double_solution);
    tcase_add_test(tc, symmetry_tolerance_is_d_eps_max_abs);
    tcase_add_test(tc, sweep_and_iteration_limits_give_enoconv);
    tcase_add_test(tc, bad_input_is_rejected_and_outputs_untouched);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return nnm_run_suite(eigen_suite());
}
