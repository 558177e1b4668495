/*
 * Symmetric eigen-solver kernels (internal). Everything works on a scratch copy of the matrix in
 * full row-major storage that the caller has already checked (finite, symmetric) and scaled by a
 * power of two so that max|A| lies in [1/2, 1): the rotations and reflections below then never
 * overflow, and the scaling itself is exact.
 *
 * Two methods, chosen by size (see nnm__eig_use_jacobi and docs/hessian.md):
 *  - cyclic Jacobi for small d: every rotation is applied to the full matrix, so the result is
 *    backward stable with error O(eps |A|) entry by entry, which gives small eigenvalues of graded
 *    or scaled-diagonally-dominant matrices a high *relative* accuracy (Demmel and Veselic 1992) -
 *    the eigenvalues that decide definiteness. Its O(sweeps d^3) cost with a small constant and no
 *    set-up beats a tridiagonal reduction for small d.
 *  - Householder tridiagonalisation followed by implicit QL with Wilkinson shifts for larger d:
 *    about 4/3 d^3 flops for the reduction (plus 4/3 d^3 to form Q and ~3 d^3 for the rotations
 *    when vectors are wanted) against ~ 8 sweeps * 4 d^3 for Jacobi; its eigenvalues are accurate
 *    to O(eps |A|_2) in absolute terms, which is what the default tolerances need.
 * Eigenvectors are kept as the ROWS of a work matrix (Zt = Z^T): every rotation and every
 * reflection then combines contiguous rows, which the compiler vectorises; the caller transposes
 * once at the end.
 */
#ifndef NNMATH_HESSIAN_EIGEN_KERNELS_H
#define NNMATH_HESSIAN_EIGEN_KERNELS_H

#include <float.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "nnmath/status.h"

/* Jacobi up to this size, tridiagonal QL above. Measured (CPU time, gcc -O3, SSE2, the kernels
 * alone on random matrices): d = 4: Jacobi 0.82 us, QL 0.81 us, LAPACK dsyev 1.2 us; d = 6:
 * 2.4 / 1.5 / 2.1 us; d = 10: 10.5 / 4.0 / 4.9 us. A Jacobi rotation is a latency-bound chain of
 * two square roots and two divisions, and a random matrix needs ~7 sweeps of d(d-1)/2 of them,
 * so beyond d = 4 Jacobi loses to the reduction + QL and soon to LAPACK. Up to d = 4 it costs
 * nothing extra, and those are the Hessians users classify by hand (the notes' 2x2 example among
 * them): they get Jacobi's relative accuracy, and exact answers for exact cases such as
 * [[2,1],[1,2]] -> {1, 3}. */
#define NNM__EIG_JACOBI_MAX_D 4

/* Cyclic Jacobi converges quadratically: a random dense matrix needs 6-10 sweeps for d <= 64, and
 * the count grows like log d. 60 sweeps are far beyond any observed need; reaching them means the
 * input defeats the method and NNM_ENOCONV is reported instead of looping. */
#define NNM__EIG_JACOBI_MAX_SWEEPS 60

/* Implicit QL takes 1-2 shifted iterations per eigenvalue on average (cubic convergence with the
 * Wilkinson shift); LAPACK's dsteqr allows 30 per eigenvalue in total, as we do. */
#define NNM__EIG_QL_ITER_PER_EIG 30

static inline int nnm__eig_use_jacobi(size_t n)
{
    return n <= NNM__EIG_JACOBI_MAX_D;
}

/* Zt = I (n x n). */
static inline void nnm__eig_identity(size_t n, double *Zt)
{
    memset(Zt, 0, n * n * sizeof *Zt);
    for (size_t i = 0; i < n; ++i) Zt[i * n + i] = 1.0;
}

/* Rows p and q of M (length len, contiguous) replaced by c*row_p - s*row_q and s*row_p + c*row_q:
 * the plane rotation shared by Jacobi (matrix rows and eigenvector rows) and QL (eigenvector
 * rows). */
static inline void nnm__eig_rotate_rows(size_t len, double *restrict rp, double *restrict rq,
                                        double c, double s)
{
    for (size_t r = 0; r < len; ++r) {
        double x = rp[r], y = rq[r];
        rp[r] = c * x - s * y;
        rq[r] = s * x + c * y;
    }
}

/*
 * Cyclic Jacobi on the symmetric n x n matrix A (full storage, overwritten: its diagonal ends up
 * holding the unsorted eigenvalues). If Zt is not NULL it receives the eigenvectors as rows.
 * Returns NNM_OK, or NNM_ENOCONV after max_sweeps sweeps that still rotated.
 *
 * A pair (p, q) is rotated unless |a_pq| <= eps sqrt(|a_pp|) sqrt(|a_qq|): the relative test
 * that preserves the relative accuracy of small diagonal entries (Demmel and Veselic). With
 * zero diagonal entries that test asks for a_pq == 0, so an absolute floor 2^-900 max|A| also
 * ends the rotations: below it a rotation could only work on numbers near the underflow
 * threshold (the floor is a termination guard; in practice the relative test stops first, in
 * the same number of sweeps, also for exactly singular matrices).
 */
static inline nnm_status nnm__eig_jacobi(size_t n, double *A, double *Zt, int max_sweeps)
{
    const double eps = DBL_EPSILON;
    if (Zt != NULL) nnm__eig_identity(n, Zt);
    double amax = 0.0;
    for (size_t i = 0; i < n * n; ++i) amax = fmax(amax, fabs(A[i]));
    const double floor_abs = 0x1p-900 * amax;

    for (int sweep = 0; sweep < max_sweeps; ++sweep) {
        int rotated = 0;
        for (size_t p = 0; p + 1 < n; ++p) {
            double *rp = A + p * n;
            for (size_t q = p + 1; q < n; ++q) {
                double *rq = A + q * n;
                double apq = rp[q], app = rp[p], aqq = rq[q];
                /* the relative test squared (no square roots on the hot path); if app aqq
                 * underflows the pair is rotated, which is merely one rotation too many */
                if (fabs(apq) <= floor_abs || apq * apq <= eps * eps * fabs(app * aqq)) continue;
                rotated = 1;
                /* Rutishauser's angle: t = tan(phi) is the smaller root of t^2 + 2 theta t - 1 = 0,
                 * so |phi| <= pi/4 and the rotation converges. For |theta| > 1e150, theta^2 would
                 * overflow and t = 1/(2 theta) is exact to working precision. */
                double theta = (aqq - app) / (2.0 * apq);
                double t = fabs(theta) > 1e150
                               ? 0.5 / theta
                               : copysign(1.0, theta) / (fabs(theta) + sqrt(1.0 + theta * theta));
                double c = 1.0 / sqrt(1.0 + t * t), s = t * c;
                /* rows p and q of A' = J^T A J, then the 2x2 block in the form that keeps the
                 * diagonal accurate (t a_pq moves exactly between the two diagonal entries),
                 * then the columns by symmetry */
                nnm__eig_rotate_rows(n, rp, rq, c, s);
                rp[p] = app - t * apq;
                rq[q] = aqq + t * apq;
                rp[q] = 0.0;
                rq[p] = 0.0;
                for (size_t r = 0; r < n; ++r) {
                    A[r * n + p] = rp[r];
                    A[r * n + q] = rq[r];
                }
                if (Zt != NULL) nnm__eig_rotate_rows(n, Zt + p * n, Zt + q * n, c, s);
            }
        }
        if (!rotated) return NNM_OK;
    }
    return NNM_ENOCONV;
}

/* Power-of-two factor that brings a vector with max|x_i| = xmax (> 0) into the range where sums of
 * squares are safe: 1 when xmax is in [2^-400, 2^400], so that the largest square is a normal
 * number and the squares that underflow belong to entries below 2^-111 xmax (their total weight
 * in the sum is below 2^-222, far under the rounding of the sum); otherwise 2^600 or 2^-600.
 * Multiplying by it is exact for every finite x_i whose product stays normal: scaling up, even a
 * subnormal x_i (>= 2^-1074) lands at >= 2^-474; scaling down, only entries more than 2^822
 * below xmax may round, by an absolute 2^-1075 next to xmax 2^-600 > 2^-200. */
static inline double nnm__eig_safe_scale(double xmax)
{
    if (xmax < 0x1p-400) return 0x1p600;
    if (xmax > 0x1p400) return 0x1p-600;
    return 1.0;
}

/*
 * Householder reduction of the symmetric n x n matrix A (full storage, overwritten) to the
 * tridiagonal T = Q^T A Q: diag[0..n) and off[0..n-1) (off[i] couples i and i+1; off[n-1] = 0).
 * Reflector k is H_k = I - tau_k v v^T with v = (1, A[k][k+2..n)) stored in row k of A.
 * tau needs n entries, p is scratch of n entries.
 *
 * Step k annihilates row k beyond its superdiagonal: with x = A[k][k+1..n), beta = -sign(x_0)|x|
 * (the sign that avoids cancellation in v_0 = x_0 - beta), v = x / v_0 and tau = (beta - x_0)/beta.
 * H_k is orthogonal exactly when tau = 2 / |v|^2, i.e. when beta^2 = |x|^2 to working accuracy:
 * |x| must not be formed from squares that underflow. They do for entries below 2^-511 (a column
 * of rounding noise after a few steps on a rank-deficient matrix, a subnormal input entry), and a
 * norm built from subnormal squares is wrong in its leading digits, leaving a reflector that is
 * not orthogonal (eigenvalues off by 1e-6, eigenvectors by 1e-3). So x is first multiplied by a
 * power of two (nnm__eig_safe_scale, exact) whenever max|x_i| is outside [2^-400, 2^400]; v and
 * tau are invariant under that scaling and only beta is scaled back. A row whose part beyond the
 * superdiagonal is exactly zero needs no reflector (tau = 0).
 *
 * The trailing block B = A[k+1..n)^2 becomes H B H = B - v w^T - w v^T with p = tau B v,
 * w = p - (tau/2)(v.p) v; both triangles are updated (contiguous rows vectorise; the symmetric
 * half-update would save flops but not time at these sizes).
 */
static inline void nnm__eig_tridiagonalise(size_t n, double *A, double *diag, double *off,
                                           double *tau, double *p)
{
    for (size_t k = 0; k + 2 < n; ++k) {
        double *row = A + k * n;
        size_t m = n - k - 1; /* size of the trailing block */
        double *x = row + k + 1;
        double tmax = 0.0;
        for (size_t i = 1; i < m; ++i) tmax = fmax(tmax, fabs(x[i]));
        diag[k] = row[k];
        if (tmax == 0.0) {
            tau[k] = 0.0;
            off[k] = x[0];
            continue;
        }
        double sc = nnm__eig_safe_scale(fmax(tmax, fabs(x[0])));
        if (sc != 1.0)
            for (size_t i = 0; i < m; ++i) x[i] *= sc;
        double x0 = x[0], tail = 0.0;
        for (size_t i = 1; i < m; ++i) tail += x[i] * x[i];
        double beta = -copysign(sqrt(x0 * x0 + tail), x0);
        double v0 = x0 - beta; /* |v0| = |x0| + |x| >= |x|: no cancellation, no underflow */
        tau[k] = (beta - x0) / beta;
        /* the one rounding of the scaling back, and only when the result is subnormal: an
         * absolute 2^-1075 on an entry of T */
        off[k] = sc == 1.0 ? beta : beta / sc;
        double *v = x; /* v[0] = 1, v[1..m) stored in place of x */
        v[0] = 1.0;
        for (size_t i = 1; i < m; ++i) v[i] /= v0;

        double *B = A + (k + 1) * n + (k + 1);
        /* p = tau B v, accumulated as sum_i v_i B[i][:] (B is symmetric): an axpy over
         * contiguous rows vectorises, where a dot product per row would be a serial reduction */
        for (size_t j = 0; j < m; ++j) p[j] = 0.0;
        for (size_t i = 0; i < m; ++i) {
            const double *bi = B + i * n;
            double vi = v[i];
            for (size_t j = 0; j < m; ++j) p[j] += vi * bi[j];
        }
        double vp = 0.0;
        for (size_t i = 0; i < m; ++i) {
            p[i] *= tau[k];
            vp += v[i] * p[i];
        }
        double half = 0.5 * tau[k] * vp;
        for (size_t i = 0; i < m; ++i) p[i] -= half * v[i]; /* p is now w */
        for (size_t i = 0; i < m; ++i) {
            double *bi = B + i * n;
            double vi = v[i], wi = p[i];
            for (size_t j = 0; j < m; ++j) bi[j] -= vi * p[j] + wi * v[j];
        }
    }
    if (n >= 2) {
        diag[n - 2] = A[(n - 2) * n + (n - 2)];
        off[n - 2] = A[(n - 2) * n + (n - 1)];
    }
    diag[n - 1] = A[(n - 1) * n + (n - 1)];
    off[n - 1] = 0.0;
}

/*
 * Zt = Q^T from the reflectors left in A by nnm__eig_tridiagonalise. Q = H_0 H_1 ... H_{n-3} is
 * accumulated backwards, Q_k = H_k Q_{k+1}, so that each H_k meets a matrix that is the identity
 * outside rows and columns k+1..n: 4/3 n^3 flops instead of 2 n^3. The result Q is then
 * transposed in place (rows of Zt are the columns of Q, as the QL rotations want them).
 */
static inline void nnm__eig_form_qt(size_t n, const double *A, const double *tau, double *Zt,
                                    double *w)
{
    nnm__eig_identity(n, Zt);
    for (size_t kk = n >= 2 ? n - 2 : 0; kk-- > 0;) {
        if (tau[kk] == 0.0) continue;
        const double *v = A + kk * n + kk + 1; /* v[0] = 1 */
        size_t lo = kk + 1, m = n - lo;
        /* w^T = v^T Q[lo.., lo..]; Q[lo.., lo..] -= tau v w^T */
        for (size_t j = 0; j < m; ++j) w[j] = 0.0;
        for (size_t i = 0; i < m; ++i) {
            const double *qi = Zt + (lo + i) * n + lo;
            double vi = v[i];
            for (size_t j = 0; j < m; ++j) w[j] += vi * qi[j];
        }
        for (size_t i = 0; i < m; ++i) {
            double *qi = Zt + (lo + i) * n + lo;
            double f = tau[kk] * v[i];
            for (size_t j = 0; j < m; ++j) qi[j] -= f * w[j];
        }
    }
    for (size_t i = 0; i < n; ++i)
        for (size_t j = i + 1; j < n; ++j) {
            double tmp = Zt[i * n + j];
            Zt[i * n + j] = Zt[j * n + i];
            Zt[j * n + i] = tmp;
        }
}

/*
 * The Givens rotation of the QL chase: r = sqrt(f^2 + g^2), s = f / r, c = g / r (c^2 + s^2 = 1).
 * Returns r, or 0 when f = g = 0 (c and s are then not written).
 *
 * The rotation must be orthogonal to working accuracy whatever the size of f and g, or the
 * eigenvectors stop being orthonormal and the similarity stops preserving the eigenvalues. The
 * plain sqrt(f*f + g*g) is right while r is in [2^-400, 2^400] (the larger square is normal and
 * an underflowing smaller one is below 2^-222 of it). Outside, f and g are first multiplied by
 * the exact power of two of nnm__eig_safe_scale: without it r may land among the subnormals,
 * where it is rounded to an absolute 2^-1074 grid, and f / r, g / r are then wrong in their
 * leading digits (c^2 + s^2 - 1 reached 0.1 for f, g of a few 2^-1074). The scaled-back r is
 * rounded only when it is subnormal: an absolute 2^-1075 change of an entry of T.
 */
static inline double nnm__eig_givens(double f, double g, double *c, double *s)
{
    double r = sqrt(f * f + g * g);
    if (!(r >= 0x1p-400 && r <= 0x1p400)) {
        double big = fmax(fabs(f), fabs(g));
        if (big == 0.0) return 0.0;
        double sc = nnm__eig_safe_scale(big);
        double fs = f * sc, gs = g * sc, rs = sqrt(fs * fs + gs * gs);
        *s = fs / rs;
        *c = gs / rs;
        return rs / sc;
    }
    *s = f / r;
    *c = g / r;
    return r;
}

/* Below this fraction of max|T| an off-diagonal entry is treated as zero (see nnm__eig_tridiag_ql). */
#define NNM__EIG_OFF_FLOOR 0x1p-511

/*
 * Implicit QL with Wilkinson shifts on the symmetric tridiagonal (diag, off) (off[i] couples i and
 * i+1, off[n-1] = 0). On return diag holds the unsorted eigenvalues; if Zt is not NULL its rows are
 * rotated along (start with Zt = Q^T to get the eigenvectors of A). Returns NNM_ENOCONV when the
 * total number of shifted iterations exceeds iter_per_eig * n.
 *
 * Deflation: off[m] is treated as zero once |off[m]| <= eps (|diag[m]| + |diag[m+1]|), the
 * standard test (setting it to zero perturbs T by at most eps times the local magnitude), OR once
 * |off[m]| <= 2^-511 max|T|. The relative test alone asks for an exact zero next to zero diagonal
 * entries (a rank-deficient matrix: its null space gives a run of zero diagonal entries with
 * off-diagonals of rounding noise, 1e-16, 1e-32, ..., 1e-160 after the reduction, or a subnormal
 * input entry), and the iteration then works on numbers near the underflow threshold, whose
 * 2^-1074 granularity can stall it (a d = 5 matrix with one subnormal entry used up its 150
 * iterations on off-diagonals of a few 2^-1074). Dropping entries below 2^-511 max|T| (LAPACK's
 * dsteqr has the same sqrt(underflow) floor for a unit-scaled block) moves every eigenvalue by at
 * most 2^-510 |T|_2, 2^458 times below the eps |T|_2 of the method, keeps the squares of the
 * remaining off-diagonals normal, and keeps the Wilkinson shift's quotient
 * (diag[l+1] - diag[l]) / (2 off[l]) below 2^511 in magnitude. Rotations are formed by
 * nnm__eig_givens, orthogonal for any f and g.
 */
static inline nnm_status nnm__eig_tridiag_ql(size_t n, double *diag, double *off, double *Zt,
                                             size_t iter_per_eig)
{
    const double eps = DBL_EPSILON;
    double tmax = 0.0;
    for (size_t i = 0; i < n; ++i) tmax = fmax(tmax, fmax(fabs(diag[i]), fabs(off[i])));
    const double floor_abs = NNM__EIG_OFF_FLOOR * tmax;
    size_t budget = iter_per_eig * n, used = 0;
    for (size_t l = 0; l < n; ++l) {
        for (;;) {
            size_t m = l;
            while (m + 1 < n) {
                double e = fabs(off[m]);
                if (e <= floor_abs || e <= eps * (fabs(diag[m]) + fabs(diag[m + 1]))) break;
                ++m;
            }
            if (m == l) break;
            if (used++ >= budget) return NNM_ENOCONV;
            /* Wilkinson shift: the eigenvalue of the leading 2x2 block closer to diag[l]; written
             * as diag[m] - diag[l] + off[l]/(g + sign(g) r) so that the shift is not formed by
             * cancellation (hypot: g can reach 2^511 when off[l] is tiny) */
            double g = (diag[l + 1] - diag[l]) / (2.0 * off[l]);
            double r = hypot(g, 1.0);
            g = diag[m] - diag[l] + off[l] / (g + copysign(r, g));
            double s = 1.0, c = 1.0, p = 0.0;
            int underflow = 0;
            /* chase the bulge from the bottom (m) up to l with Givens rotations */
            for (size_t i = m; i-- > l;) {
                double f = s * off[i], b = c * off[i];
                r = nnm__eig_givens(f, g, &c, &s);
                off[i + 1] = r;
                if (r == 0.0) {
                    /* f = g = 0 (exactly, since nnm__eig_givens scales): the bulge vanished and
                     * T splits at i + 1; finish as tqli does and deflate on the next pass */
                    diag[i + 1] -= p;
                    off[m] = 0.0;
                    underflow = 1;
                    break;
                }
                g = diag[i + 1] - p;
                r = (diag[i] - g) * s + 2.0 * c * b;
                p = s * r;
                diag[i + 1] = g + p;
                g = c * r - b;
                if (Zt != NULL) nnm__eig_rotate_rows(n, Zt + (i + 1) * n, Zt + i * n, c, -s);
            }
            if (underflow) continue;
            diag[l] -= p;
            off[l] = g;
            off[m] = 0.0;
        }
    }
    return NNM_OK;
}

/* Sort eig[0..n) ascending, carrying the rows of Zt (if not NULL) along. Selection sort: n - 1
 * row swaps at most, O(n^2) comparisons, negligible next to the O(n^3) solve. */
static inline void nnm__eig_sort(size_t n, double *eig, double *Zt)
{
    for (size_t i = 0; i + 1 < n; ++i) {
        size_t best = i;
        for (size_t j = i + 1; j < n; ++j)
            if (eig[j] < eig[best]) best = j;
        if (best == i) continue;
        double tmp = eig[i];
        eig[i] = eig[best];
        eig[best] = tmp;
        if (Zt != NULL)
            for (size_t r = 0; r < n; ++r) {
                double z = Zt[i * n + r];
                Zt[i * n + r] = Zt[best * n + r];
                Zt[best * n + r] = z;
            }
    }
}

#endif /* NNMATH_HESSIAN_EIGEN_KERNELS_H */
