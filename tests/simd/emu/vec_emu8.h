/*
 * Test-only: the kernels' vector vocabulary (see src/core/simd/vec_avx2.h) emulated in plain C
 * with 8 double lanes and bit masks, the shape of vec_avx512.h. Instantiating kernels.inc with it
 * runs the 8-lane code paths (tails of up to 7 elements, lane masks as bits, 8-lane reductions)
 * on any machine, including this one, which has no AVX-512: what it cannot check is only the
 * one-line intrinsic mapping in vec_avx512.h. x86 semantics are kept where the kernels rely on
 * them: min/max return the second operand when either is NaN; fma is fused (C99 fma).
 */
#ifndef NNM_TEST_VEC_EMU8_H
#define NNM_TEST_VEC_EMU8_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#define VW 8
typedef struct vd {
    double v[VW];
} vd;
typedef unsigned vm;

#define NNM__EMU_MAP(expr)              \
    vd r_;                              \
    for (int i = 0; i < VW; ++i) {      \
        r_.v[i] = (expr);               \
    }                                   \
    return r_

static inline vd vd_set1(double a) { NNM__EMU_MAP(a); }
static inline vd vd_zero(void) { NNM__EMU_MAP(0.0); }
static inline vd vd_load(const double *p) { NNM__EMU_MAP(p[i]); }
static inline void vd_store(double *p, vd a) { memcpy(p, a.v, sizeof a.v); }
static inline vd vd_loadf(const float *p) { NNM__EMU_MAP((double)p[i]); }
static inline void vd_storef(float *p, vd a)
{
    for (int i = 0; i < VW; ++i) p[i] = (float)a.v[i];
}
static inline vd vd_add(vd a, vd b) { NNM__EMU_MAP(a.v[i] + b.v[i]); }
static inline vd vd_sub(vd a, vd b) { NNM__EMU_MAP(a.v[i] - b.v[i]); }
static inline vd vd_mul(vd a, vd b) { NNM__EMU_MAP(a.v[i] * b.v[i]); }
static inline vd vd_div(vd a, vd b) { NNM__EMU_MAP(a.v[i] / b.v[i]); }
static inline vd vd_fma(vd a, vd b, vd c) { NNM__EMU_MAP(fma(a.v[i], b.v[i], c.v[i])); }
static inline vd vd_fms(vd a, vd b, vd c) { NNM__EMU_MAP(fma(a.v[i], b.v[i], -c.v[i])); }
static inline vd vd_fnma(vd a, vd b, vd c) { NNM__EMU_MAP(fma(-a.v[i], b.v[i], c.v[i])); }
static inline vd vd_max(vd a, vd b) { NNM__EMU_MAP(a.v[i] > b.v[i] ? a.v[i] : b.v[i]); }
static inline vd vd_min(vd a, vd b) { NNM__EMU_MAP(a.v[i] < b.v[i] ? a.v[i] : b.v[i]); }

static inline uint64_t nnm__emu_bits(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}
static inline double nnm__emu_double(uint64_t u)
{
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}
static inline vd vd_and(vd a, vd b) { NNM__EMU_MAP(nnm__emu_double(nnm__emu_bits(a.v[i]) & nnm__emu_bits(b.v[i]))); }
static inline vd vd_or(vd a, vd b) { NNM__EMU_MAP(nnm__emu_double(nnm__emu_bits(a.v[i]) | nnm__emu_bits(b.v[i]))); }
static inline vd vd_xor(vd a, vd b) { NNM__EMU_MAP(nnm__emu_double(nnm__emu_bits(a.v[i]) ^ nnm__emu_bits(b.v[i]))); }
static inline vd vd_andnot(vd a, vd b) { NNM__EMU_MAP(nnm__emu_double(~nnm__emu_bits(a.v[i]) & nnm__emu_bits(b.v[i]))); }
static inline vd vd_round(vd a) { NNM__EMU_MAP(nearbyint(a.v[i])); }
static inline vd vd_pow2_from_shifted(vd t) { NNM__EMU_MAP(nnm__emu_double((nnm__emu_bits(t.v[i]) + 1023u) << 52)); }
static inline vd vd_exponent_shifted(vd x) { NNM__EMU_MAP(nnm__emu_double((nnm__emu_bits(x.v[i]) >> 52) | 0x4330000000000000u)); }

#define NNM__EMU_MASK(cond)              \
    vm m_ = 0;                           \
    for (int i = 0; i < VW; ++i)         \
        if (cond) m_ |= 1u << i;         \
    return m_

static inline vm vm_lt(vd a, vd b) { NNM__EMU_MASK(a.v[i] < b.v[i]); }
static inline vm vm_le(vd a, vd b) { NNM__EMU_MASK(a.v[i] <= b.v[i]); }
static inline vm vm_gt(vd a, vd b) { NNM__EMU_MASK(a.v[i] > b.v[i]); }
static inline vm vm_ge(vd a, vd b) { NNM__EMU_MASK(a.v[i] >= b.v[i]); }
static inline vm vm_eq(vd a, vd b) { NNM__EMU_MASK(a.v[i] == b.v[i]); }
static inline vm vm_neq(vd a, vd b) { NNM__EMU_MASK(!(a.v[i] == b.v[i])); }
static inline vm vm_unord(vd a, vd b) { NNM__EMU_MASK(isnan(a.v[i]) || isnan(b.v[i])); }
static inline vm vm_or(vm a, vm b) { return a | b; }
static inline vm vm_and(vm a, vm b) { return a & b; }
static inline vm vm_none(void) { return 0; }
static inline int vm_any(vm m) { return m != 0; }
static inline vd vd_blend(vm m, vd a, vd b) { NNM__EMU_MAP((m >> i) & 1u ? b.v[i] : a.v[i]); }
static inline vd vd_keep(vm m, vd a) { NNM__EMU_MAP((m >> i) & 1u ? a.v[i] : 0.0); }

/* ---- float lanes: 16 floats, as vec_avx512.h (VFW = 2 VW, so the float kernels' double halves
 * are the emulated 8-lane vd). Float arithmetic in C is IEEE single here (FLT_EVAL_METHOD 0 on
 * x86-64; the tests build with -ffp-contract=off); fma is fused (nnm__emu_fmaf). -------------------------------- */
#define VFW 16
typedef struct vf {
    float v[VFW];
} vf;
typedef unsigned vmf;

#define NNM__EMUF_MAP(expr)             \
    vf r_;                              \
    for (int i = 0; i < VFW; ++i) {     \
        r_.v[i] = (expr);               \
    }                                   \
    return r_

static inline uint32_t nnm__emu_bitsf(float x)
{
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}
static inline float nnm__emu_float(uint32_t u)
{
    float x;
    memcpy(&x, &u, sizeof x);
    return x;
}
/* fmaf(a, b, c) correctly rounded without a libm call (the emulation's cost is dominated by
 * them otherwise): a b is exact in double (48 bits); a b + c is rounded to double with round to
 * odd (the TwoSum remainder tells whether it was inexact, and an inexact result with an even last
 * bit moves one ulp towards the remainder), and rounding that to float is then the correctly
 * rounded float (Boldo & Melquiond: round-to-odd with 53 >= 24 + 2 bits makes the second rounding
 * innocuous, subnormal floats included). Infinite or NaN sums need no adjustment. */
static inline float nnm__emu_fmaf(float a, float b, float c)
{
    double p = (double)a * (double)b, cd = (double)c, s = p + cd;
    if (!isfinite(s)) return (float)s;
    double bb = s - p, err = (p - (s - bb)) + (cd - bb);
    uint64_t u = nnm__emu_bits(s);
    if (err != 0.0 && (u & 1u) == 0) {
        /* |s| grows by one ulp when err has s's sign (or s is 0), else shrinks */
        if (s == 0.0) s = err > 0 ? 0x1p-1074 : -0x1p-1074;
        else s = nnm__emu_double((err > 0) == (s > 0) ? u + 1 : u - 1);
    }
    return (float)s;
}
static inline vf vf_set1(float a) { NNM__EMUF_MAP(a); }
static inline vf vf_zero(void) { NNM__EMUF_MAP(0.0f); }
static inline vf vf_load(const float *p) { NNM__EMUF_MAP(p[i]); }
static inline void vf_store(float *p, vf a) { memcpy(p, a.v, sizeof a.v); }
static inline vd vf_lo(vf a) { NNM__EMU_MAP((double)a.v[i]); }
static inline vd vf_hi(vf a) { NNM__EMU_MAP((double)a.v[VW + i]); }
static inline vf vf_pack(vd lo, vd hi) { NNM__EMUF_MAP(i < VW ? (float)lo.v[i] : (float)hi.v[i - VW]); }
static inline vf vf_add(vf a, vf b) { NNM__EMUF_MAP(a.v[i] + b.v[i]); }
static inline vf vf_sub(vf a, vf b) { NNM__EMUF_MAP(a.v[i] - b.v[i]); }
static inline vf vf_mul(vf a, vf b) { NNM__EMUF_MAP(a.v[i] * b.v[i]); }
static inline vf vf_div(vf a, vf b) { NNM__EMUF_MAP(a.v[i] / b.v[i]); }
static inline vf vf_fma(vf a, vf b, vf c) { NNM__EMUF_MAP(nnm__emu_fmaf(a.v[i], b.v[i], c.v[i])); }
static inline vf vf_fms(vf a, vf b, vf c) { NNM__EMUF_MAP(nnm__emu_fmaf(a.v[i], b.v[i], -c.v[i])); }
static inline vf vf_fnma(vf a, vf b, vf c) { NNM__EMUF_MAP(nnm__emu_fmaf(-a.v[i], b.v[i], c.v[i])); }
static inline vf vf_max(vf a, vf b) { NNM__EMUF_MAP(a.v[i] > b.v[i] ? a.v[i] : b.v[i]); }
static inline vf vf_min(vf a, vf b) { NNM__EMUF_MAP(a.v[i] < b.v[i] ? a.v[i] : b.v[i]); }
static inline vf vf_and(vf a, vf b) { NNM__EMUF_MAP(nnm__emu_float(nnm__emu_bitsf(a.v[i]) & nnm__emu_bitsf(b.v[i]))); }
static inline vf vf_xor(vf a, vf b) { NNM__EMUF_MAP(nnm__emu_float(nnm__emu_bitsf(a.v[i]) ^ nnm__emu_bitsf(b.v[i]))); }
static inline vf vf_or(vf a, vf b) { NNM__EMUF_MAP(nnm__emu_float(nnm__emu_bitsf(a.v[i]) | nnm__emu_bitsf(b.v[i]))); }
static inline vf vf_andnot(vf a, vf b) { NNM__EMUF_MAP(nnm__emu_float(~nnm__emu_bitsf(a.v[i]) & nnm__emu_bitsf(b.v[i]))); }
static inline vf vf_pow2_from_shifted(vf t) { NNM__EMUF_MAP(nnm__emu_float((nnm__emu_bitsf(t.v[i]) + 127u) << 23)); }

#define NNM__EMUF_MASK(cond)             \
    vmf m_ = 0;                          \
    for (int i = 0; i < VFW; ++i)        \
        if (cond) m_ |= 1u << i;         \
    return m_

static inline vmf vmf_lt(vf a, vf b) { NNM__EMUF_MASK(a.v[i] < b.v[i]); }
static inline vmf vmf_ge(vf a, vf b) { NNM__EMUF_MASK(a.v[i] >= b.v[i]); }
static inline vmf vmf_eq(vf a, vf b) { NNM__EMUF_MASK(a.v[i] == b.v[i]); }
static inline vmf vmf_unord(vf a, vf b) { NNM__EMUF_MASK(isnan(a.v[i]) || isnan(b.v[i])); }
static inline vmf vmf_or(vmf a, vmf b) { return a | b; }
static inline vmf vmf_and(vmf a, vmf b) { return a & b; }
static inline vmf vmf_none(void) { return 0; }
static inline int vmf_any(vmf m) { return m != 0; }
static inline unsigned vmf_bits(vmf m) { return m; }
static inline vf vf_blend(vmf m, vf a, vf b) { NNM__EMUF_MAP((m >> i) & 1u ? b.v[i] : a.v[i]); }
static inline vf vf_keep(vmf m, vf a) { NNM__EMUF_MAP((m >> i) & 1u ? a.v[i] : 0.0f); }

#endif /* NNM_TEST_VEC_EMU8_H */
