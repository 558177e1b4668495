/*
 * The numerically delicate scalar pieces, written once and used by every module (activation, loss,
 * gradient, hessian). All take and return double; float entry points convert, which keeps f32
 * results within 1 ULP (double carries 29 spare bits).
 */
#ifndef NNMATH_CORE_SCALAR_H
#define NNMATH_CORE_SCALAR_H

#include <math.h>

/* sigma(x) = 1 / (1 + e^-x) without overflow or early flush to 0.
 * For x >= -709 e^-x <= e^709 < DBL_MAX, and 1/(1+e^-x) has error <= 1.5 ulp (exp <= 1 ulp, damped
 * by e/(1+e) <= 1/2 through the sum, plus two roundings). Below -709, 1 + e^-x would overflow
 * while sigma(x) = e^x (1 - e^x + ...) is still representable (a subnormal): e^x is then exact to
 * the last bit of any double. */
static inline double nnm__sigmoid(double x)
{
    if (x < -709.0) return exp(x);
    return 1.0 / (1.0 + exp(-x));
}

/* softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^-|x|): e^-|x| <= 1 never overflows and log1p
 * keeps the relative accuracy of the small term when x << 0 (where softplus(x) ~ e^x). No
 * threshold shortcut: for x > 37 the log1p term is below ulp(x)/2 and rounds away by itself. */
static inline double nnm__softplus(double x)
{
    return fmax(x, 0.0) + log1p(exp(-fabs(x)));
}

/* log sigma(x) = -softplus(-x). */
static inline double nnm__log_sigmoid(double x)
{
    return -nnm__softplus(-x);
}

#endif /* NNMATH_CORE_SCALAR_H */
