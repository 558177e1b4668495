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

#endif /* NNM_TEST_VEC_EMU8_H */
