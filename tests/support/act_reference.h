/*
 * Test-only reference for the elementwise activations, shared by the derivative suites
 * (tests/unit/test_gradient_activation.c, tests/unit/test_hessian_activation.c): the forward
 * functions in MPFR with the textbook formulas of the notes, independent of the library's
 * evaluation forms, for difference quotients of f' and f'' that carry no rounding noise.
 *
 * Header-only (static inline): the support library is built without the nnmath include path,
 * and these helpers need nnm_act; each suite that includes this header compiles its own copy.
 */
#ifndef NNM_ACT_REFERENCE_H
#define NNM_ACT_REFERENCE_H

#include <nnmath/nnmath.h>
#include <mpfr.h>

/* Working precision of the reference: 256 bits, so that a first or second difference with
 * h ~ 2^-40 max(1, |x|) carries at most ~2^-174 relative rounding error. */
#define NNM_REF_ACT_PREC 256

static inline nnm_act nnm_ref_act(nnm_act_kind kind, double alpha)
{
    nnm_act a;
    a.kind = kind;
    a.alpha = alpha;
    return a;
}

/* The activations that are smooth everywhere (f' and f'' exist at every x). */
#define NNM_REF_N_SMOOTH 8
static const nnm_act_kind nnm_ref_smooth_kinds[NNM_REF_N_SMOOTH] = {
    NNM_ACT_SIGMOID, NNM_ACT_TANH, NNM_ACT_SOFTPLUS,  NNM_ACT_LOG_SIGMOID,
    NNM_ACT_SILU,    NNM_ACT_GELU, NNM_ACT_GELU_TANH, NNM_ACT_MISH};

/* y = f(x) for the descriptor act, every operation rounded to y's precision (callers use
 * NNM_REF_ACT_PREC): the SELU constants are their decimal definitions, gelu_tanh uses the
 * decimal 0.044715, and step(0) = 1 as in the library. */
static inline void nnm_ref_act_mp(mpfr_t y, nnm_act act, const mpfr_t x)
{
    mpfr_t t, u;
    mpfr_inits2(NNM_REF_ACT_PREC, t, u, (mpfr_ptr)0);
    switch (act.kind) {
    case NNM_ACT_SIGMOID: /* 1/(1 + e^-x) */
    case NNM_ACT_SILU:    /* x/(1 + e^-x) */
        mpfr_neg(t, x, MPFR_RNDN);
        mpfr_exp(t, t, MPFR_RNDN);
        mpfr_add_ui(t, t, 1, MPFR_RNDN);
        if (act.kind == NNM_ACT_SIGMOID) mpfr_ui_div(y, 1, t, MPFR_RNDN);
        else mpfr_div(y, x, t, MPFR_RNDN);
        break;
    case NNM_ACT_TANH: mpfr_tanh(y, x, MPFR_RNDN); break;
    case NNM_ACT_SOFTPLUS: /* log(1 + e^x) */
    case NNM_ACT_MISH:     /* x tanh(log(1 + e^x)) */
        mpfr_exp(t, x, MPFR_RNDN);
        mpfr_log1p(t, t, MPFR_RNDN);
        if (act.kind == NNM_ACT_SOFTPLUS) {
            mpfr_set(y, t, MPFR_RNDN);
        } else {
            mpfr_tanh(t, t, MPFR_RNDN);
            mpfr_mul(y, x, t, MPFR_RNDN);
        }
        break;
    case NNM_ACT_LOG_SIGMOID: /* -log(1 + e^-x) */
        mpfr_neg(t, x, MPFR_RNDN);
        mpfr_exp(t, t, MPFR_RNDN);
        mpfr_log1p(t, t, MPFR_RNDN);
        mpfr_neg(y, t, MPFR_RNDN);
        break;
    case NNM_ACT_GELU: /* x (1 + erf(x/sqrt2))/2 */
        mpfr_sqrt_ui(t, 2, MPFR_RNDN);
        mpfr_div(t, x, t, MPFR_RNDN);
        mpfr_erf(t, t, MPFR_RNDN);
        mpfr_add_ui(t, t, 1, MPFR_RNDN);
        mpfr_mul(y, x, t, MPFR_RNDN);
        mpfr_div_2ui(y, y, 1, MPFR_RNDN);
        break;
    case NNM_ACT_GELU_TANH: /* x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))/2 */
        mpfr_const_pi(t, MPFR_RNDN);
        mpfr_ui_div(t, 2, t, MPFR_RNDN);
        mpfr_sqrt(t, t, MPFR_RNDN);
        mpfr_set_str(u, "0.044715", 10, MPFR_RNDN);
        mpfr_mul(u, u, x, MPFR_RNDN);
        mpfr_mul(u, u, x, MPFR_RNDN);
        mpfr_add_ui(u, u, 1, MPFR_RNDN);
        mpfr_mul(u, u, x, MPFR_RNDN);
        mpfr_mul(u, u, t, MPFR_RNDN);
        mpfr_tanh(u, u, MPFR_RNDN);
        mpfr_add_ui(u, u, 1, MPFR_RNDN);
        mpfr_mul(y, x, u, MPFR_RNDN);
        mpfr_div_2ui(y, y, 1, MPFR_RNDN);
        break;
    case NNM_ACT_ELU: /* x, or alpha (e^x - 1) */
    case NNM_ACT_SELU:
        if (mpfr_sgn(x) > 0) {
            if (act.kind == NNM_ACT_ELU) {
                mpfr_set(y, x, MPFR_RNDN);
            } else {
                mpfr_set_str(t, "1.0507009873554804934193349852946", 10, MPFR_RNDN);
                mpfr_mul(y, x, t, MPFR_RNDN);
            }
        } else {
            mpfr_expm1(u, x, MPFR_RNDN);
            if (act.kind == NNM_ACT_ELU) mpfr_set_d(t, act.alpha, MPFR_RNDN);
            else mpfr_set_str(t, "1.7580993408473768599402175208123", 10, MPFR_RNDN);
            mpfr_mul(y, u, t, MPFR_RNDN);
        }
        break;
    case NNM_ACT_IDENTITY: mpfr_set(y, x, MPFR_RNDN); break;
    case NNM_ACT_STEP: mpfr_set_ui(y, mpfr_sgn(x) >= 0 ? 1u : 0u, MPFR_RNDN); break;
    case NNM_ACT_RELU:
    case NNM_ACT_LEAKY_RELU:
        if (mpfr_sgn(x) > 0) mpfr_set(y, x, MPFR_RNDN);
        else mpfr_mul_d(y, x, act.kind == NNM_ACT_RELU ? 0.0 : act.alpha, MPFR_RNDN);
        break;
    }
    mpfr_clears(t, u, (mpfr_ptr)0);
}

#endif /* NNM_ACT_REFERENCE_H */
