/*
 * Gradients of the losses with respect to their input (docs/gradient.md, section 2).
 *
 * Every gradient accepts exactly the options, data and statuses of its forward loss: the option
 * validation, data checks, sample weights and MEAN denominators are the loss module's own
 * (core/loss_opts.h), and the exact per-element pieces (TwoSum, TwoProd, label smoothing split
 * exactly) come from core/loss_terms.h. Each gradient element is formed as an unevaluated sum
 * hi + lo, multiplied by its weight and divided by the MEAN denominator in that form, and rounded
 * once at the end: the error left is that of the elementary functions (sigmoid, exp) the element
 * needs, plus half an ulp.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "nnmath/gradient.h"

#include "core/loss_opts.h"
#include "core/loss_terms.h"
#include "core/scalar.h"
#include "core/softmax_row.h"
#include "internal.h"
#include "gradient/grad_util.inc"

/* x / b as hi + lo: the quotient's remainder is exact by fma, so the pair carries ~u^2. */
static inline nnm__dd gl_dd_div(nnm__dd x, double b)
{
    nnm__dd r = {x.hi / b, 0.0};
    if (!isfinite(r.hi) || !isfinite(x.hi) || r.hi == 0.0) return r;
    r.lo = (fma(-r.hi, b, x.hi) + x.lo) / b;
    return r;
}

/* x / (y.hi + y.lo) as hi + lo (y > 0 finite): relative error ~2 u^2 on top of x's and y's. */
static inline nnm__dd gl_dd_div_dd(nnm__dd x, nnm__dd y)
{
    nnm__dd r = {x.hi / y.hi, 0.0};
    if (!isfinite(r.hi) || !isfinite(x.hi) || r.hi == 0.0) return r;
    /* x - q y exactly in its leading part: x.hi - q y.hi by fma, then the small terms */
    r.lo = (fma(-r.hi, y.hi, x.hi) + x.lo - r.hi * y.lo) / y.hi;
    return r;
}

/* a - b of two hi + lo values, as hi + lo (finite inputs). */
static inline nnm__dd gl_dd_sub(nnm__dd a, nnm__dd b)
{
    nnm__dd s = nnm__two_sum(a.hi, -b.hi);
    if (isfinite(s.hi)) s.lo += a.lo - b.lo;
    return s;
}

/* How the reduction scales a gradient: d(SUM)/d(l_n terms) = 1; NONE is the gradient of
 * sum_n out[n], also 1; MEAN divides by D (> 0), and a MEAN over D = 0 has gradient 0. The
 * divisor is applied by division rather than by the rounded 1/D (nnm__loss_reduce_scale), so a
 * MEAN gradient rounds once, like the MEAN loss. */
typedef struct gl_scale {
    int zero;  /* MEAN over nothing: every gradient entry is 0 */
    double den; /* 1 (SUM, NONE) or D (MEAN) */
} gl_scale;

static gl_scale gl_scale_make(const nnm__loss_cfg *cfg, size_t n, const int32_t *labels)
{
    gl_scale sc = {0, 1.0};
    if (cfg->reduction != NNM_REDUCE_MEAN) return sc;
    double den = nnm__loss_denominator(cfg, n, labels);
    sc.zero = nnm__loss_reduce_scale(cfg, den) == 0.0;
    sc.den = den;
    return sc;
}

/* w g / den rounded once (g as hi + lo). NaN and infinities pass through. */
static inline double gl_finish(const gl_scale *sc, double w, nnm__dd g)
{
    if (sc->zero || w == 0.0) return 0.0;
    if (w != 1.0) g = nnm__dd_mul_d(g, w);
    if (sc->den != 1.0) g = gl_dd_div(g, sc->den);
    return isfinite(g.hi) ? g.hi + g.lo : g.hi;
}

/* The argument checks of a dense loss gradient, in status order: options (EINVAL), pointers
 * (EINVAL; the gradient array is needed only while n > 0), sizes (ESIZE), aliasing (EINVAL:
 * d may be the input exactly, but must not touch the target or a weight array: those are read
 * after d is written), weight arrays (EDOM). Data checks follow in each function. */
static nnm_status gl_check(nnm__loss_kind kind, const nnm_loss_opts *opts, size_t n, size_t k,
                           size_t elem, const void *input, const void *target, const void *d,
                           nnm__loss_cfg *cfg)
{
    size_t count = 0;
    NNM_TRY(nnm__loss_check_opts(kind, opts, cfg));
    NNM_RETURN_IF(n > 0 && (input == NULL || target == NULL || d == NULL), NNM_EINVAL);
    NNM_TRY(nnm__loss_check_size(cfg, n, k, elem));
    NNM_TRY(nnm__count(n, k, elem, &count));
    size_t bytes = count * elem;
    /* the target is n x k of the element type, or n int32 labels */
    size_t tbytes = nnm__loss_is_label_form(kind) ? n * sizeof(int32_t) : bytes;
    NNM_RETURN_IF(nnm__partial_overlap(d, bytes, input, bytes), NNM_EINVAL);
    NNM_RETURN_IF(nnm__any_overlap(d, bytes, target, tbytes), NNM_EINVAL);
    NNM_RETURN_IF(nnm__any_overlap(d, bytes, cfg->class_weight, k * sizeof(double)), NNM_EINVAL);
    NNM_RETURN_IF(nnm__any_overlap(d, bytes, cfg->pos_weight, k * sizeof(double)), NNM_EINVAL);
    return nnm__loss_check_weights(cfg, k);
}

#define NNM__T double
#define NNM__SFX(name) name##_f64
#include "gradient/loss.inc"
#undef NNM__T
#undef NNM__SFX

#define NNM__T float
#define NNM__SFX(name) name##_f32
#include "gradient/loss.inc"
#undef NNM__T
#undef NNM__SFX
