/*
 * The affine pre-activation of a layer, a_n = W h_n + b.
 *
 * f64: each a_nk = w_k . h_n + b_k is a compensated dot product (Ogita, Rump & Oishi's Dot2):
 * every product is split exactly into p + pe by fma, the p are added with TwoSum, and all the
 * rounding errors are summed on the side and added once. The result is as accurate as a dot
 * product evaluated in twice the precision and rounded: |a - exact| <= eps/2 |exact| +
 * gamma_{m}^2 sum |terms| with m = d_in + 1 terms, gamma_m = m (eps/2) / (1 - m eps/2), so
 * cancellation costs nothing until the condition number reaches ~1/eps.
 * f32: products of floats are exact in double (24 + 24 bits), so accumulating them in double
 * leaves only the double summation error d_in (eps_64/2) sum |terms| before the final rounding.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "nnmath/activation.h"
#include "internal.h"
#include "activation/kernels.h"

void nnm__act_affine_kernel_f64(size_t n, size_t d_in, size_t d_out, const double *h,
                                const double *W, const double *b, double *a)
{
    for (size_t r = 0; r < n; ++r, h += d_in, a += d_out) {
        const double *w = W;
        for (size_t o = 0; o < d_out; ++o, w += d_in) {
            double s = b ? b[o] : 0.0, c = 0.0;
            for (size_t i = 0; i < d_in; ++i) {
                double p = w[i] * h[i];
                double pe = fma(w[i], h[i], -p); /* w h = p + pe exactly (no underflow) */
                double t = s + p;
                double z = t - s;                /* TwoSum: s + p = t + ((s - (t - z)) + (p - z)) */
                c += ((s - (t - z)) + (p - z)) + pe;
                s = t;
            }
            /* Once s is inf or NaN the error terms are meaningless (inf - inf): IEEE result. */
            a[o] = isfinite(s) ? s + c : s;
        }
    }
}

void nnm__act_affine_kernel_f32(size_t n, size_t d_in, size_t d_out, const float *h,
                                const float *W, const float *b, float *a)
{
    for (size_t r = 0; r < n; ++r, h += d_in, a += d_out) {
        const float *w = W;
        for (size_t o = 0; o < d_out; ++o, w += d_in) {
            double s = b ? (double)b[o] : 0.0;
            for (size_t i = 0; i < d_in; ++i) s += (double)w[i] * (double)h[i];
            a[o] = (float)s;
        }
    }
}

/* 1 when the byte ranges [p, p+np) and [q, q+nq) share a byte (equality included: the output of
 * the affine map may not alias any input). */
static int nnm__overlaps(const void *p, size_t np, const void *q, size_t nq)
{
    if (p == NULL || q == NULL || np == 0 || nq == 0) return 0;
    uintptr_t a = (uintptr_t)p, b = (uintptr_t)q;
    return a < b + nq && b < a + np;
}

static nnm_status nnm__affine_check(size_t n, size_t d_in, size_t d_out, const void *h,
                                    const void *W, const void *b, const void *a, size_t elem)
{
    NNM_RETURN_IF(n > 0 && (h == NULL || W == NULL || a == NULL), NNM_EINVAL);
    NNM_RETURN_IF(d_in == 0 || d_out == 0, NNM_ESIZE);
    size_t nh, nw, na;
    NNM_TRY(nnm__count(n, d_in, elem, &nh));
    NNM_TRY(nnm__count(d_out, d_in, elem, &nw));
    NNM_TRY(nnm__count(n, d_out, elem, &na));
    if (n == 0) return NNM_OK;
    NNM_RETURN_IF(nnm__overlaps(a, na * elem, h, nh * elem) ||
                      nnm__overlaps(a, na * elem, W, nw * elem) ||
                      nnm__overlaps(a, na * elem, b, d_out * elem),
                  NNM_EINVAL);
    return NNM_OK;
}

nnm_status nnm_act_affine_f64(size_t n, size_t d_in, size_t d_out, const double *h,
                              const double *W, const double *b, double *NNM_RESTRICT a)
{
    NNM_TRY(nnm__affine_check(n, d_in, d_out, h, W, b, a, sizeof *a));
    nnm__act_affine_kernel_f64(n, d_in, d_out, h, W, b, a);
    return NNM_OK;
}

nnm_status nnm_act_affine_f32(size_t n, size_t d_in, size_t d_out, const float *h,
                              const float *W, const float *b, float *NNM_RESTRICT a)
{
    NNM_TRY(nnm__affine_check(n, d_in, d_out, h, W, b, a, sizeof *a));
    nnm__act_affine_kernel_f32(n, d_in, d_out, h, W, b, a);
    return NNM_OK;
}
