/*
 * The vector vocabulary of the kernels (src/core/simd/kernels.inc) for AVX2 + FMA: 4 double lanes.
 * Included only by the files in src/core/simd/avx2/, which are compiled with -mavx2 -mfma.
 *
 * vd is a vector of VW doubles; vm a lane mask. Min and max follow x86 semantics (a NaN in either
 * operand returns the SECOND one), which the kernels use to let NaN inputs through clamps:
 * vd_max(c, x) is x when x is NaN.
 */
#ifndef NNMATH_SIMD_VEC_AVX2_H
#define NNMATH_SIMD_VEC_AVX2_H

#include <immintrin.h>
#include <stdint.h>

#define VW 4
typedef __m256d vd;
typedef __m256d vm;

static inline vd vd_set1(double a) { return _mm256_set1_pd(a); }
static inline vd vd_zero(void) { return _mm256_setzero_pd(); }
static inline vd vd_load(const double *p) { return _mm256_loadu_pd(p); }
static inline void vd_store(double *p, vd a) { _mm256_storeu_pd(p, a); }
/* VW floats widened to double (exact) and doubles rounded once to float (round to nearest). */
static inline vd vd_loadf(const float *p) { return _mm256_cvtps_pd(_mm_loadu_ps(p)); }
static inline void vd_storef(float *p, vd a) { _mm_storeu_ps(p, _mm256_cvtpd_ps(a)); }

static inline vd vd_add(vd a, vd b) { return _mm256_add_pd(a, b); }
static inline vd vd_sub(vd a, vd b) { return _mm256_sub_pd(a, b); }
static inline vd vd_mul(vd a, vd b) { return _mm256_mul_pd(a, b); }
static inline vd vd_div(vd a, vd b) { return _mm256_div_pd(a, b); }
static inline vd vd_fma(vd a, vd b, vd c) { return _mm256_fmadd_pd(a, b, c); }   /* a*b + c */
static inline vd vd_fms(vd a, vd b, vd c) { return _mm256_fmsub_pd(a, b, c); }   /* a*b - c */
static inline vd vd_fnma(vd a, vd b, vd c) { return _mm256_fnmadd_pd(a, b, c); } /* c - a*b */
static inline vd vd_max(vd a, vd b) { return _mm256_max_pd(a, b); }
static inline vd vd_min(vd a, vd b) { return _mm256_min_pd(a, b); }
static inline vd vd_and(vd a, vd b) { return _mm256_and_pd(a, b); }
static inline vd vd_or(vd a, vd b) { return _mm256_or_pd(a, b); }
static inline vd vd_xor(vd a, vd b) { return _mm256_xor_pd(a, b); }
static inline vd vd_andnot(vd a, vd b) { return _mm256_andnot_pd(a, b); } /* ~a & b */
static inline vd vd_round(vd a) { return _mm256_round_pd(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }

/* 2^k from t = k + 0x1.8p52 (k an integer with -1022 <= k <= 1023 sitting in t's low mantissa
 * bits): adding the bias and shifting the low bits into the exponent field; the high bits of t
 * shift out. */
static inline vd vd_pow2_from_shifted(vd t)
{
    __m256i i = _mm256_add_epi64(_mm256_castpd_si256(t), _mm256_set1_epi64x(1023));
    return _mm256_castsi256_pd(_mm256_slli_epi64(i, 52));
}

/* The inverse direction: 2^52 + E for the biased exponent field E of x >= 0 (E in the low
 * mantissa bits of 2^52, exact): the exponent of a logarithm's argument. */
static inline vd vd_exponent_shifted(vd x)
{
    __m256i e = _mm256_srli_epi64(_mm256_castpd_si256(x), 52);
    return _mm256_castsi256_pd(_mm256_or_si256(e, _mm256_set1_epi64x(0x4330000000000000LL)));
}

static inline vm vm_lt(vd a, vd b) { return _mm256_cmp_pd(a, b, _CMP_LT_OQ); }
static inline vm vm_le(vd a, vd b) { return _mm256_cmp_pd(a, b, _CMP_LE_OQ); }
static inline vm vm_gt(vd a, vd b) { return _mm256_cmp_pd(a, b, _CMP_GT_OQ); }
static inline vm vm_ge(vd a, vd b) { return _mm256_cmp_pd(a, b, _CMP_GE_OQ); }
static inline vm vm_eq(vd a, vd b) { return _mm256_cmp_pd(a, b, _CMP_EQ_OQ); }
static inline vm vm_neq(vd a, vd b) { return _mm256_cmp_pd(a, b, _CMP_NEQ_UQ); }
static inline vm vm_unord(vd a, vd b) { return _mm256_cmp_pd(a, b, _CMP_UNORD_Q); }
static inline vm vm_or(vm a, vm b) { return _mm256_or_pd(a, b); }
static inline vm vm_and(vm a, vm b) { return _mm256_and_pd(a, b); }
static inline vm vm_none(void) { return _mm256_setzero_pd(); }
static inline int vm_any(vm m) { return _mm256_movemask_pd(m) != 0; }
/* m ? b : a, per lane */
static inline vd vd_blend(vm m, vd a, vd b) { return _mm256_blendv_pd(a, b, m); }
/* m ? a : 0 */
static inline vd vd_keep(vm m, vd a) { return _mm256_and_pd(m, a); }

/* ---- float lanes: vf is a vector of VFW = 2 VW floats, vmf its lane mask ------------------------
 * The f32 kernels that evaluate in float lanes use these; vf_lo / vf_hi widen the low / high VW
 * floats to double (exact) and vf_pack rounds two double vectors to one float vector (round to
 * nearest), for the parts those kernels keep in double. Same x86 min/max NaN semantics. */
#define VFW 8
typedef __m256 vf;
typedef __m256 vmf;

static inline vf vf_set1(float a) { return _mm256_set1_ps(a); }
static inline vf vf_zero(void) { return _mm256_setzero_ps(); }
static inline vf vf_load(const float *p) { return _mm256_loadu_ps(p); }
static inline void vf_store(float *p, vf a) { _mm256_storeu_ps(p, a); }
static inline vd vf_lo(vf a) { return _mm256_cvtps_pd(_mm256_castps256_ps128(a)); }
static inline vd vf_hi(vf a) { return _mm256_cvtps_pd(_mm256_extractf128_ps(a, 1)); }
static inline vf vf_pack(vd lo, vd hi) { return _mm256_set_m128(_mm256_cvtpd_ps(hi), _mm256_cvtpd_ps(lo)); }

static inline vf vf_add(vf a, vf b) { return _mm256_add_ps(a, b); }
static inline vf vf_sub(vf a, vf b) { return _mm256_sub_ps(a, b); }
static inline vf vf_mul(vf a, vf b) { return _mm256_mul_ps(a, b); }
static inline vf vf_div(vf a, vf b) { return _mm256_div_ps(a, b); }
static inline vf vf_fma(vf a, vf b, vf c) { return _mm256_fmadd_ps(a, b, c); }   /* a*b + c */
static inline vf vf_fms(vf a, vf b, vf c) { return _mm256_fmsub_ps(a, b, c); }   /* a*b - c */
static inline vf vf_fnma(vf a, vf b, vf c) { return _mm256_fnmadd_ps(a, b, c); } /* c - a*b */
static inline vf vf_max(vf a, vf b) { return _mm256_max_ps(a, b); }
static inline vf vf_min(vf a, vf b) { return _mm256_min_ps(a, b); }
static inline vf vf_and(vf a, vf b) { return _mm256_and_ps(a, b); }
static inline vf vf_xor(vf a, vf b) { return _mm256_xor_ps(a, b); }
static inline vf vf_or(vf a, vf b) { return _mm256_or_ps(a, b); }
static inline vf vf_andnot(vf a, vf b) { return _mm256_andnot_ps(a, b); } /* ~a & b */

/* 2^k from t = k + 0x1.8p23 (k an integer with -126 <= k <= 127 in t's low mantissa bits): the
 * float analogue of vd_pow2_from_shifted. */
static inline vf vf_pow2_from_shifted(vf t)
{
    __m256i i = _mm256_add_epi32(_mm256_castps_si256(t), _mm256_set1_epi32(127));
    return _mm256_castsi256_ps(_mm256_slli_epi32(i, 23));
}

static inline vmf vmf_lt(vf a, vf b) { return _mm256_cmp_ps(a, b, _CMP_LT_OQ); }
static inline vmf vmf_ge(vf a, vf b) { return _mm256_cmp_ps(a, b, _CMP_GE_OQ); }
static inline vmf vmf_eq(vf a, vf b) { return _mm256_cmp_ps(a, b, _CMP_EQ_OQ); }
static inline vmf vmf_unord(vf a, vf b) { return _mm256_cmp_ps(a, b, _CMP_UNORD_Q); }
static inline vmf vmf_or(vmf a, vmf b) { return _mm256_or_ps(a, b); }
static inline vmf vmf_and(vmf a, vmf b) { return _mm256_and_ps(a, b); }
static inline vmf vmf_none(void) { return _mm256_setzero_ps(); }
static inline int vmf_any(vmf m) { return _mm256_movemask_ps(m) != 0; }
/* bit i set when lane i is */
static inline unsigned vmf_bits(vmf m) { return (unsigned)_mm256_movemask_ps(m); }
/* m ? b : a, per lane */
static inline vf vf_blend(vmf m, vf a, vf b) { return _mm256_blendv_ps(a, b, m); }
/* m ? a : 0 */
static inline vf vf_keep(vmf m, vf a) { return _mm256_and_ps(m, a); }

#endif /* NNMATH_SIMD_VEC_AVX2_H */
