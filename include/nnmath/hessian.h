/**
 * @file hessian.h
 * @brief Second derivatives: activation f'', loss Hessians and Hessian-vector products,
 * finite-difference Hessians, symmetric eigenvalues, definiteness, quadratic forms and
 * stationary-point classification. The linear algebra is double.
 */
#ifndef NNMATH_HESSIAN_H
#define NNMATH_HESSIAN_H

#include <stddef.h>
#include <nnmath/export.h>
#include <nnmath/status.h>
#include <nnmath/activation.h>
#include <nnmath/loss.h>
#include <nnmath/gradient.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Definiteness of a symmetric matrix (with a tolerance for zero eigenvalues). */
typedef enum nnm_definiteness {
    NNM_POSITIVE_DEFINITE = 0,
    NNM_POSITIVE_SEMIDEFINITE = 1,
    NNM_NEGATIVE_DEFINITE = 2,
    NNM_NEGATIVE_SEMIDEFINITE = 3,
    NNM_INDEFINITE = 4
} nnm_definiteness;

/** @brief What kind of point x is for f, from grad f(x) and the Hessian at x. */
typedef enum nnm_stationary {
    NNM_NOT_STATIONARY = 0,
    NNM_LOCAL_MINIMUM = 1,
    NNM_LOCAL_MAXIMUM = 2,
    NNM_SADDLE_POINT = 3,
    NNM_DEGENERATE = 4
} nnm_stationary;

/* NNM-HESSIAN-ACT-API: second derivatives of the activations follow. */

/**
 * @brief Elementwise second derivative of an activation, d2ydx2[i] = f''(x[i])
 * (docs/derivatives.md).
 *
 * sigmoid -sigma'(x) tanh(x/2) (= sigma(1-sigma)(1-2sigma) without its cancellation at 0);
 * tanh -2 tanh(x) tanh'(x); softplus sigma'(x); log_sigmoid -sigma'(x); elu/selu alpha e^x,
 * lambda alpha e^x for x < 0, 0 for x > 0; silu sigma'(x)(2 - x tanh(x/2)); gelu phi(x)(2 - x^2);
 * gelu_tanh sigma'(z)(2z' + x z'' - x z'^2 tanh(z/2)); mish 4w(1+w)/q^2 (2 + x(q - 2nw)/(q(1+w)))
 * (w = e^x, n = w(w+2), q = n+2); 0 for identity, step, relu and leaky_relu.
 *
 * Accuracy against MPFR wherever the exact result is a normal number: f32 <= 1 ULP, f64 <= 2 ULP
 * (measured max: f32 0.500, f64 0.503 ULP on the scalar path, f64 0.70 ULP on the AVX2 / AVX-512
 * kernels), including next to every zero: sigma'' and tanh'' at 0
 * (odd: f''(+0) = -0), silu'' at +-2.39936, gelu'' at +-sqrt2 (2 - x^2 formed exactly),
 * gelu_tanh'' at +-1.41850, mish'' at -2.25638 and 1.49057 (Taylor expansions around the exact
 * roots; the vector kernels hand the lanes near a root to the same expansions). The scalar f64
 * path computes in x87 extended precision; where long double is plain double and no vector kernel
 * runs, the f64 bound does not hold (docs/derivatives.md).
 *
 * Kinks: f'' is 0 at the kink of relu, leaky_relu, elu and selu (the least-magnitude choice
 * between 0 on the right and alpha e^0 on the left) and everywhere for step. f''(+-inf) = 0;
 * NaN -> NaN for every kind. d2ydx2 == x is allowed.
 *
 * @return NNM_OK (also for n = 0, NULL pointers allowed then); NNM_EINVAL if act is invalid
 *         (nnm_act rules), x or d2ydx2 is NULL while n > 0, or d2ydx2 partially overlaps x;
 *         NNM_ESIZE if n elements exceed PTRDIFF_MAX bytes.
 */
NNM_API nnm_status nnm_hess_act_f32(nnm_act act, size_t n, const float *x, float *d2ydx2);
/** @copydoc nnm_hess_act_f32 */
NNM_API nnm_status nnm_hess_act_f64(nnm_act act, size_t n, const double *x, double *d2ydx2);

/* NNM-HESSIAN-API: loss Hessians, numeric Hessians, eigenvalues, definiteness, quadratic
   forms and stationary points follow. */

/* ---- closed-form Hessians of the losses w.r.t. their input ------------------------------- */

/**
 * @brief Hessian of the cross-entropy of one sample w.r.t. its logits,
 * H = beta^2 (sum_k t_k) (diag(p) - p p^T) with p = softmax(beta a), full k x k.
 *
 * The loss is l = -sum_k t_k log softmax(beta a)_k (nnm_loss_ce_logits for beta = 1; soft
 * targets need not sum to 1, and the factor sum_k t_k is why a Hessian built from p alone is
 * wrong for them). With label smoothing pass the smoothed targets; with class weights w the
 * Hessian is that of the targets w_k t_k, i.e. this one times (sum_k w_k t_k) / (sum_k t_k).
 * H is symmetric positive semi-definite with H 1 = 0. Accuracy: every entry within 16 eps
 * relative (f64, a bound from the operation count; 3.3 eps measured against MPFR): 1 - p_j is
 * formed without cancellation, so the diagonal stays accurate when p_j -> 1; f32: computed in double and rounded once (<= 1 ULP). Rows with a NaN give NaN;
 * -inf logits have p = 0 (their rows and columns are 0); a row with c entries at +inf uses the
 * policy limit p = 1/c on them and 0 elsewhere.
 *
 * @param k     number of classes (> 0)
 * @param beta  inverse temperature, finite and > 0
 * @param a     k logits
 * @param t     k targets in [0, 1]
 * @param H     k x k output, row-major; must not overlap a or t
 * @return NNM_OK; NNM_EINVAL if a, t or H is NULL or beta is not finite and > 0; NNM_ESIZE if
 *         k == 0 or k*k overflows; NNM_EDOM if a target is outside [0, 1] or NaN. Nothing is
 *         written on error.
 */
NNM_API nnm_status nnm_hess_loss_ce_logits_f64(size_t k, double beta, const double *a,
                                               const double *t, double *NNM_RESTRICT H);
/** @brief nnm_hess_loss_ce_logits_f64 for float data (double inside; beta is double).
 *  @return as nnm_hess_loss_ce_logits_f64. */
NNM_API nnm_status nnm_hess_loss_ce_logits_f32(size_t k, double beta, const float *a,
                                               const float *t, float *NNM_RESTRICT H);

/**
 * @brief Hessian-vector products of the cross-entropy from logits over n rows, without forming
 * H: (Hv)_n = beta^2 (p_n * v_n - p_n (p_n . v_n)), p_n = softmax(beta a_n), O(k) per row.
 *
 * This is the Hessian for targets that sum to 1 per row (one-hot, labels, normalised soft
 * targets); for a row whose targets sum to S multiply by S. v_j - p.v is formed as
 * (v_j - v_m) - sum_{i != m} p_i (v_i - v_m) (m = argmax, exact products, compensated sum), so it
 * does not cancel when p_m -> 1: |(Hv)_j - exact| <= 24 k eps beta^2 p_j sum_i p_i |v_j - v_i|
 * (f64, tested against MPFR); f32 is computed in double and rounded once. Finite v entries
 * near DBL_MAX do not overflow the differences (a row with max |v_j| >= 2^960 is read at an
 * exact scale 2^-64): an entry is inf only when its value exceeds DBL_MAX. NaN in a or v gives
 * NaN in its row; infinite v entries propagate as in IEEE arithmetic (0 * inf = NaN where p_j = 0); logit rows follow the softmax policy as in
 * nnm_hess_loss_ce_logits_f64. Hv == v is allowed; any other overlap is not.
 *
 * @return NNM_OK; NNM_EINVAL if a, v or Hv is NULL while n > 0, or beta is not finite and > 0;
 *         NNM_ESIZE if k == 0 or n*k overflows. Nothing is written on error.
 */
NNM_API nnm_status nnm_hess_loss_ce_logits_hvp_f64(size_t n, size_t k, double beta,
                                                   const double *a, const double *v, double *Hv);
/** @brief nnm_hess_loss_ce_logits_hvp_f64 for float data (double inside; beta is double).
 *  @return as nnm_hess_loss_ce_logits_hvp_f64. */
NNM_API nnm_status nnm_hess_loss_ce_logits_hvp_f32(size_t n, size_t k, double beta,
                                                   const float *a, const float *v, float *Hv);

/**
 * @brief Diagonal Hessian of binary cross-entropy from logits, h = sigma(a)(1 - sigma(a)) per
 * element (n x k; the Hessian w.r.t. the logits is diagonal).
 *
 * Unweighted per-element form, identical to nnm_hess_loss_bce_logits_opts_f64 with opts = NULL;
 * without pos_weight it does not depend on t, which is validated all the same (the loss's
 * domain). sigma'(a) = e^-|a| / (1 + e^-|a|)^2 without cancellation: <= 1 ULP (f64 and f32) for
 * every a, including |a| > 37 where sigma rounds to 1 and sigma (1 - sigma) would give 0.
 * h(+-inf) = 0, NaN -> NaN. h_diag == a is allowed.
 *
 * @return NNM_OK; NNM_EINVAL if a, t or h_diag is NULL while n > 0; NNM_ESIZE if k == 0 or n*k
 *         overflows; NNM_EDOM if a target is outside [0, 1] or NaN. Nothing is written on error.
 */
NNM_API nnm_status nnm_hess_loss_bce_logits_f64(size_t n, size_t k, const double *a,
                                                const double *t, double *h_diag);
/** @brief nnm_hess_loss_bce_logits_f64 for float data. @return as the f64 function. */
NNM_API nnm_status nnm_hess_loss_bce_logits_f32(size_t n, size_t k, const float *a,
                                                const float *t, float *h_diag);

/*
 * The diagonal loss Hessians below take the arguments of their loss and gradient, with the
 * n x k diagonal h in place of the output: h[n][j] = d^2 L / d input[n][j]^2 of exactly the
 * scalar nnm_grad_loss_<name> differentiates (SUM: sum_n l_n; MEAN: that / n; NONE: sum_n out[n]).
 * These losses are separable, so the Hessian w.r.t. the whole input is this diagonal. Options,
 * statuses and data checks are those of the loss (options a loss does not use must be zero);
 * for _f32 the options, weights included, are double. A column of class weight 0 gets h = 0 and
 * its data is not read. h == input is allowed; h must not overlap the target otherwise.
 */

/**
 * @brief bce_logits with options: h = w_j (q_j t + 1 - t) sigma'(a), q = pos_weight, w =
 * class_weight, divided by n for MEAN.
 *
 * From the per-element loss q t softplus(-a) + (1 - t) softplus(a), whose second derivative is
 * (q t + 1 - t) sigma'(a) because softplus'' = sigma' is even. Accuracy <= 4 eps relative.
 *
 * @return NNM_OK; NNM_EINVAL (NULL a, t or h while n > 0, an unknown reduction, a non-zero option
 *         the loss does not use); NNM_ESIZE (k == 0, n*k overflow); NNM_EDOM (target outside
 *         [0, 1] or NaN, weight < 0, NaN or inf).
 */
NNM_API nnm_status nnm_hess_loss_bce_logits_opts_f64(size_t n, size_t k, const double *a,
                                                     const double *t, const nnm_loss_opts *opts,
                                                     double *h);
/** @brief bce_logits with options for float data (the options are double).
 *  @return as nnm_hess_loss_bce_logits_opts_f64. */
NNM_API nnm_status nnm_hess_loss_bce_logits_opts_f32(size_t n, size_t k, const float *a,
                                                     const float *t, const nnm_loss_opts *opts,
                                                     float *h);

/**
 * @brief l2 (half-SSE): h = 1 (1/n for MEAN), the identity Hessian of 1/2 sum (y - t)^2.
 *
 * Exact. NaN in y gives NaN; y = +-inf gives 1 (the second derivative exists everywhere).
 *
 * @return NNM_OK; NNM_EINVAL (NULL y, t or h while n > 0, bad or unused options); NNM_ESIZE;
 *         NNM_EDOM if a target is NaN or inf.
 */
NNM_API nnm_status nnm_hess_loss_l2_f64(size_t n, size_t k, const double *y, const double *t,
                                        const nnm_loss_opts *opts, double *h);
/** @brief l2 for float data (the options are double). @return as nnm_hess_loss_l2_f64. */
NNM_API nnm_status nnm_hess_loss_l2_f32(size_t n, size_t k, const float *y, const float *t,
                                        const nnm_loss_opts *opts, float *h);

/**
 * @brief Huber: h = 1 where |y - t| < delta (quadratic branch), 0 where |y - t| > delta (linear
 * branch), 1/n times that for MEAN.
 *
 * At the kink |y - t| = delta the loss has a continuous first but a jumping second derivative
 * (1 inside, 0 outside); the policy's least-magnitude rule gives 0 there. opts->delta = 0 means
 * 1.0; delta = +inf makes Huber the l2 loss (h = 1). Exact. NaN in y gives NaN.
 *
 * @return NNM_OK; NNM_EINVAL (NULL pointers while n > 0, delta < 0 or NaN, bad or unused
 *         options); NNM_ESIZE; NNM_EDOM if a target is NaN or inf.
 */
NNM_API nnm_status nnm_hess_loss_huber_f64(size_t n, size_t k, const double *y, const double *t,
                                           const nnm_loss_opts *opts, double *h);
/** @brief Huber for float data (the options are double). @return as nnm_hess_loss_huber_f64. */
NNM_API nnm_status nnm_hess_loss_huber_f32(size_t n, size_t k, const float *y, const float *t,
                                           const nnm_loss_opts *opts, float *h);

/**
 * @brief BCE on probabilities: h = w_j (t / y^2 + (1 - t) / (1 - y)^2), 1/n times that for MEAN.
 *
 * A term whose coefficient (t or 1 - t) is 0 is absent (0 log 0 = 0), so y = 0 with t = 0 gives
 * the finite (1 - t) term and never 0 * inf; y = 0 with t > 0 (or y = 1 with t < 1) gives +inf
 * honestly. Accuracy <= 6 eps relative (f64), f32 rounded once from double.
 *
 * @return NNM_OK; NNM_EINVAL (NULL pointers while n > 0, bad or unused options); NNM_ESIZE;
 *         NNM_EDOM if a probability or target is outside [0, 1] or NaN, or a weight is bad.
 */
NNM_API nnm_status nnm_hess_loss_bce_f64(size_t n, size_t k, const double *y, const double *t,
                                         const nnm_loss_opts *opts, double *h);
/** @brief BCE on probabilities for float data (the options are double).
 *  @return as nnm_hess_loss_bce_f64. */
NNM_API nnm_status nnm_hess_loss_bce_f32(size_t n, size_t k, const float *y, const float *t,
                                         const nnm_loss_opts *opts, float *h);

/**
 * @brief CE on probabilities (MCE): h = w_j t'_j / y_j^2, 1/n times that for MEAN, with
 * t' = (1 - eps) t + eps/k under label smoothing eps.
 *
 * The Hessian of l = -sum_j w_j t'_j log y_j with every y_j an independent input (no simplex
 * constraint). t' = 0 gives 0 (y is then not read); y = 0 with t' > 0 gives +inf. Accuracy
 * <= 4 eps relative (f64), f32 rounded once from double.
 *
 * @return NNM_OK; NNM_EINVAL (NULL pointers while n > 0, smoothing outside [0, 1], bad or unused
 *         options); NNM_ESIZE; NNM_EDOM (probability or target outside [0, 1] or NaN, bad
 *         weight).
 */
NNM_API nnm_status nnm_hess_loss_ce_f64(size_t n, size_t k, const double *y, const double *t,
                                        const nnm_loss_opts *opts, double *h);
/** @brief CE on probabilities for float data (the options are double).
 *  @return as nnm_hess_loss_ce_f64. */
NNM_API nnm_status nnm_hess_loss_ce_f32(size_t n, size_t k, const float *y, const float *t,
                                        const nnm_loss_opts *opts, float *h);

/* ---- finite-difference Hessians of a user function (double only) ------------------------ */

/**
 * @brief H[i][j] ~ d^2 f / dx_i dx_j at x by central second differences of f, symmetric by
 * construction.
 *
 * Step h_i = 2^-13 ~ eps^(1/4) (eps = DBL_EPSILON) times the power of two of the binade of
 * max(1, |x_i|), so h ~ 1.2e-4 for |x_i| < 2 and relative beyond; the steps actually taken,
 * (x_i + h) - x_i and x_i - (x_i - h), are used, so the formulas are exact for every quadratic
 * f up to the rounding of the f values (exact H for dyadic x and small integer coefficients). Expected error: |H_ij - exact| ~ sqrt(eps) (|f| / s^2 + |f''''| s^2) with
 * s = max(1, |x_i|, |x_j|), i.e. about 1e-8 relative for smooth f of moderate size (truncation
 * O(h^2), rounding O(eps |f| / h^2), balanced by the step). Diagonal: the three-point second
 * difference; off-diagonal: the four-point mixed difference, computed once and stored in both
 * H[i][j] and H[j][i]. 2 d^2 + 1 evaluations of f, each on a scratch copy of x (x is never
 * modified). Values of f that are NaN or inf flow into H.
 *
 * @param f  the function (called with the ctx given here)
 * @param d  dimension (> 0)
 * @param x  the point, d finite values
 * @param H  d x d output, row-major; must not overlap x
 * @return NNM_OK; NNM_EINVAL if f, x or H is NULL; NNM_ESIZE if d == 0 or d*d overflows;
 *         NNM_ENOMEM if the d-double scratch cannot be allocated; NNM_EDOM if an x_i is NaN or
 *         inf. Nothing is written to H on error.
 */
NNM_API nnm_status nnm_hess_numeric(nnm_fn f, void *ctx, size_t d, const double *x,
                                    double *NNM_RESTRICT H);

/**
 * @brief H ~ the Jacobian of the gradient g at x by central differences, symmetrised:
 * H = (J + J^T) / 2 with J[i][j] = (g_j(x + h_i e_i) - g_j(x - h_i e_i)) / (2 h_i).
 *
 * Step h_i = 2^-17 ~ eps^(1/3) times the power of two of the binade of max(1, |x_i|) (7.6e-6
 * for |x_i| < 2); the steps actually taken are used, so the result is exact for every linear g
 * up to the rounding of the g values. Expected error ~ eps^(2/3) (|g| / s + |g'''| s^2),
 * s = max(1, |x_i|): about 1e-11 relative for smooth g - three orders of magnitude better than
 * nnm_hess_numeric, at 2d gradient calls. Symmetrising halves the part of the error that is
 * antisymmetric. NaN or inf gradient values flow into H.
 *
 * @return NNM_OK; NNM_EINVAL if g, x or H is NULL; NNM_ESIZE if d == 0 or d*d overflows;
 *         NNM_ENOMEM if the 3d-double scratch cannot be allocated; NNM_EDOM if an x_i is NaN or
 *         inf. Nothing is written to H on error. H must not overlap x.
 */
NNM_API nnm_status nnm_hess_numeric_from_grad(nnm_grad_fn g, void *ctx, size_t d,
                                              const double *x, double *NNM_RESTRICT H);

/* ---- quadratic form ---------------------------------------------------------------------- */

/**
 * @brief value = x^T H x = sum_ij x_i H_ij x_j, compensated.
 *
 * Every product x_i H_ij x_j is formed with its rounding errors (TwoProduct by fma) and the sum
 * is accumulated with TwoSum, so the result is as accurate as if computed in twice the working
 * precision and then rounded: for finite data
 * |value - exact| <= eps |exact| + (2 d^2 eps)^2 sum_ij |x_i H_ij x_j| + 2^-1074
 * (Ogita-Rump-Oishi Dot2; the last term is the rounding of a result among the subnormals). In
 * particular its sign can be trusted whenever |exact| is larger than the second term, which a
 * plain loop (error ~ d^2 eps sum|...|) cannot promise. The bound holds over the whole double
 * range: the terms are computed on data scaled by exact powers of two, so no intermediate
 * product overflows or underflows unless the term itself is negligible, and the result is +-inf
 * only when the form itself rounds beyond DBL_MAX (forms that cancel between terms beyond
 * DBL_MAX are still exact). H need not be symmetric (the form sees only its symmetric part).
 * A term with x_i = 0 or x_j = 0 is exactly 0 and H_ij is not read (as a zero weight elsewhere in
 * the library: an inf or NaN there does not matter). Otherwise NaN/inf in H or x propagate by
 * IEEE rules (the plain sum is returned once it is not finite; 0 * inf inside a term is NaN).
 *
 * @param d      dimension (> 0)
 * @param H      d x d, row-major
 * @param x      d values
 * @param value  the result
 * @return NNM_OK; NNM_EINVAL if H, x or value is NULL; NNM_ESIZE if d == 0 or d*d overflows.
 */
NNM_API nnm_status nnm_hess_quadform_f64(size_t d, const double *H, const double *x,
                                         double *value);
/**
 * @brief x^T H x for float data, computed in double as nnm_hess_quadform_f64 and rounded once to
 * float (error <= 1/2 ulp(float) + the f64 bound, relative to the exact form of the float data).
 *
 * @return as nnm_hess_quadform_f64.
 */
NNM_API nnm_status nnm_hess_quadform_f32(size_t d, const float *H, const float *x, float *value);

/* ---- symmetric eigenvalues and eigenvectors ---------------------------------------------- */

/**
 * @brief Eigenvalues of the symmetric d x d matrix H, ascending: eig[0] <= ... <= eig[d-1].
 *
 * Solver of our own (docs/hessian.md): cyclic Jacobi for d <= 4 (high relative accuracy for the
 * small eigenvalues of graded matrices; exact for exact 2x2 cases such as [[2,1],[1,2]]),
 * Householder tridiagonalisation + implicit QL with Wilkinson shifts above.
 * Accuracy: |eig_i - lambda_i| <= 10 d eps |H|_2 (tested against LAPACK dsyev for d = 1..200,
 * graded and clustered spectra, and matrices whose entries spread over all binades down to the
 * subnormals: graded, rank-deficient, tiny off-diagonals). H is scaled by a power of two
 * internally, so entries from subnormal up to DBL_MAX are handled (an eigenvalue beyond DBL_MAX
 * comes out as +-inf); reflections and rotations are built from scaled norms, so entries whose
 * squares underflow cost no accuracy, and off-diagonals of the tridiagonal form below
 * 2^-511 max|T| count as zero (an effect below 2^-510 |H|_2). The symmetric part (H + H^T)/2 is
 * used; H = 0 gives all zeros. Always terminates. Scratch: d^2 + 4d doubles, allocated once.
 *
 * Status order: NNM_EINVAL, NNM_ESIZE, then NNM_ENOMEM (the scratch is allocated before the
 * data is read), then NNM_EDOM. On every error nothing is written to eig.
 *
 * @return NNM_OK; NNM_EINVAL if H or eig is NULL; NNM_ESIZE if d == 0 or d*d overflows;
 *         NNM_ENOMEM if the scratch cannot be allocated; NNM_EDOM if an entry is NaN or inf or
 *         |H_ij - H_ji| > d eps max|H| for some i, j; NNM_ENOCONV if the sweep or iteration
 *         limit is reached (60 Jacobi sweeps, 30 d QL iterations; never observed in tests).
 */
NNM_API nnm_status nnm_hess_eigvals_sym_f64(size_t d, const double *H,
                                            double *NNM_RESTRICT eig);
/**
 * @brief Eigenvalues (ascending) and eigenvectors of the symmetric d x d matrix H:
 * H V = V diag(eig), V^T V = I.
 *
 * V is row-major d x d and its COLUMNS are the eigenvectors: V[i*d + j] is component i of the
 * eigenvector of eig[j]. Orthonormality |V^T V - I| <= 10 d eps and residual
 * |H v_j - eig_j v_j| <= 10 d eps |H|_2 (tested). Each eigenvector's largest-magnitude component
 * (the first one on a tie) is positive, so the result is reproducible. For a repeated eigenvalue
 * any orthonormal basis of its eigenspace may be returned. Eigenvalue accuracy, limits, scratch
 * (2 d^2 + 4d doubles) and status order as nnm_hess_eigvals_sym_f64; on every error nothing is
 * written to eig or V.
 *
 * @return as nnm_hess_eigvals_sym_f64 (NNM_EINVAL also when V is NULL).
 */
NNM_API nnm_status nnm_hess_eig_sym_f64(size_t d, const double *H, double *NNM_RESTRICT eig,
                                        double *NNM_RESTRICT V);
/**
 * @brief Eigenvalues of float data: solved in double from the exact float values, rounded once
 * to float. The symmetry test uses d FLT_EPSILON max|H|.
 * @return as nnm_hess_eigvals_sym_f64.
 */
NNM_API nnm_status nnm_hess_eigvals_sym_f32(size_t d, const float *H, float *NNM_RESTRICT eig);
/**
 * @brief Eigenvalues and eigenvectors of float data: solved in double, rounded once to float.
 * The symmetry test uses d FLT_EPSILON max|H|.
 * @return as nnm_hess_eig_sym_f64.
 */
NNM_API nnm_status nnm_hess_eig_sym_f32(size_t d, const float *H, float *NNM_RESTRICT eig,
                                        float *NNM_RESTRICT V);

/* ---- definiteness and stationary points -------------------------------------------------- */

/**
 * @brief Definiteness of the symmetric H from the signs of its eigenvalues, with eigenvalues
 * |lambda| <= tol counted as zero.
 *
 * tol <= 0 means the default tol = d eps max|lambda| (eps = DBL_EPSILON): the eigenvalues of a
 * singular matrix come out of any backward-stable solver as +-O(eps |H|) noise, so without it
 * the rank-1 matrix [[1,2,3],[2,4,6],[3,6,9]] would be called indefinite; with it, it is positive
 * semi-definite. Result: all lambda > tol: POSITIVE_DEFINITE; none < -tol: POSITIVE_SEMIDEFINITE
 * (also the zero matrix); all < -tol: NEGATIVE_DEFINITE; none > tol: NEGATIVE_SEMIDEFINITE;
 * otherwise INDEFINITE. Scratch, accuracy and status order as nnm_hess_eigvals_sym_f64.
 *
 * @param tol  an absolute threshold (> 0), or <= 0 for the default; must not be NaN or inf
 * @return NNM_OK; NNM_EINVAL if H or out is NULL or tol is NaN or inf; NNM_ESIZE; NNM_ENOMEM;
 *         NNM_EDOM (NaN/inf entry, non-symmetric beyond d eps max|H|); NNM_ENOCONV. *out is
 *         written only on NNM_OK.
 */
NNM_API nnm_status nnm_hess_definiteness_f64(size_t d, const double *H, double tol,
                                             nnm_definiteness *out);
/**
 * @brief Definiteness of float data (solved in double); the default tolerance and the symmetry
 * test use FLT_EPSILON, the rounding of the data. tol is double.
 * @return as nnm_hess_definiteness_f64.
 */
NNM_API nnm_status nnm_hess_definiteness_f32(size_t d, const float *H, double tol,
                                             nnm_definiteness *out);

/**
 * @brief Classify x from grad f(x) and the Hessian H at x: not stationary, local minimum, local
 * maximum, saddle point or degenerate.
 *
 * With tol <= 0 (the default): the gradient counts as zero when |grad|_2 <= sqrt(eps)
 * max(1, |H|_2), and an eigenvalue as zero when |lambda| <= d eps max|lambda|; with tol > 0 both
 * tests use the absolute tol. Then: gradient not zero: NNM_NOT_STATIONARY; an eigenvalue > 0 and
 * one < 0: NNM_SADDLE_POINT (whatever the zero ones); all > 0: NNM_LOCAL_MINIMUM; all < 0:
 * NNM_LOCAL_MAXIMUM; otherwise (a zero eigenvalue, semi-definite H, including H = 0)
 * NNM_DEGENERATE - higher-order terms decide there: "PSD at a stationary point => minimum" holds
 * only for a definite H (x^3 + y^2 at 0 has a PSD Hessian and is no minimum). H is validated
 * (and its eigenvalues computed) also when the point is not stationary.
 *
 * @param tol  absolute threshold (> 0) or <= 0 for the defaults; not NaN or inf
 * @return NNM_OK; NNM_EINVAL if grad, H or out is NULL or tol is NaN or inf; NNM_ESIZE;
 *         NNM_ENOMEM; NNM_EDOM if grad or H has a NaN/inf entry or H is not symmetric to
 *         d eps max|H|; NNM_ENOCONV. *out is written only on NNM_OK.
 */
NNM_API nnm_status nnm_hess_classify_f64(size_t d, const double *grad, const double *H,
                                         double tol, nnm_stationary *out);
/**
 * @brief nnm_hess_classify_f64 for float data (solved in double); the default tolerances use
 * FLT_EPSILON (sqrt(FLT_EPSILON) max(1, |H|) for the gradient). tol is double.
 * @return as nnm_hess_classify_f64.
 */
NNM_API nnm_status nnm_hess_classify_f32(size_t d, const float *grad, const float *H,
                                         double tol, nnm_stationary *out);

/**
 * @brief Classify the point x of the user function f directly: the gradient is g(x) (or central
 * differences of f when g is NULL) and the Hessian is nnm_hess_numeric_from_grad (when g is
 * given) or nnm_hess_numeric (from f).
 *
 * The Hessian is then only known to its finite-difference accuracy, so the default (tol <= 0)
 * zero tests are wider than for an exact H: the gradient is zero when |g|_2 <= sqrt(eps)
 * max(1, |H|_2); an eigenvalue is zero when |lambda| <= eps^(1/3) max(1, |H|_2) (Hessian from g,
 * whose error is ~eps^(2/3)) or eps^(1/4) max(1, |H|_2) (Hessian from f, error ~eps^(1/2)): the
 * square root of the expected error, so that a noise-level eigenvalue is never taken for a sign
 * (x^4 + y^4 at 0 has a numeric Hessian of ~1e-10 and is degenerate, not a minimum). With tol > 0
 * all tests use the absolute tol. Classification rules as nnm_hess_classify_f64.
 *
 * @param f  the function; may be NULL when g is given
 * @param g  its gradient, or NULL to difference f
 * @return NNM_OK; NNM_EINVAL if f and g are both NULL, x or out is NULL, or tol is NaN or inf;
 *         NNM_ESIZE if d == 0 or d*d overflows; NNM_ENOMEM; NNM_EDOM if x, the gradient or the
 *         Hessian at x has a NaN/inf entry; NNM_ENOCONV. *out is written only on NNM_OK.
 */
NNM_API nnm_status nnm_hess_classify_point(nnm_fn f, nnm_grad_fn g, void *ctx, size_t d,
                                           const double *x, double tol, nnm_stationary *out);

#ifdef __cplusplus
}
#endif

#endif /* NNMATH_HESSIAN_H */
