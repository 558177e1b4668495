/*
 * The vector vocabulary of the kernels (src/core/simd/kernels.inc) for AVX-512 F/DQ/VL/BW: 8 double
 * lanes, opmask registers as lane masks. Included only by the files in src/core/simd/avx512/, compiled with
 * -mavx512f -mavx512dq -mavx512vl -mavx512bw. Same semantics as vec_avx2.h, lane for lane.
 */
#ifndef NNMATH_SIMD_VEC_AVX512_H
#define NNMATH_SIMD_VEC_AVX512_H

#include <immintrin.h>
#include <stdint.h>

#define VW 8
typedef __m512d vd;
typedef __mmask8 vm;

static inline vd vd_set1(double a) { return _mm512_set1_pd(a); }
static inline vd vd_zero(void) { return _mm512_setzero_pd(); }
static inline vd vd_load(const double *p) { return _mm512_loadu_pd(p); }
static inline void vd_store(double *p, vd a) { _mm512_storeu_pd(p, a); }
static inline vd vd_loadf(const float *p) { return _mm512_cvtps_pd(_mm256_loadu_ps(p)); }
static inline void vd_storef(float *p, vd a) { _mm256_storeu_ps(p, _mm512_cvtpd_ps(a)); }

static inline vd vd_add(vd a, vd b) { return _mm512_add_pd(a, b); }
static inline vd vd_sub(vd a, vd b) { return _mm512_sub_pd(a, b); }
static inline vd vd_mul(vd a, vd b) { return _mm512_mul_pd(a, b); }
static inline vd vd_div(vd a, vd b) { return _mm512_div_pd(a, b); }
static inline vd vd_fma(vd a, vd b, vd c) { return _mm512_fmadd_pd(a, b, c); }
static inline vd vd_fms(vd a, vd b, vd c) { return _mm512_fmsub_pd(a, b, c); }
static inline vd vd_fnma(vd a, vd b, vd c) { return _mm512_fnmadd_pd(a, b, c); }
static inline vd vd_max(vd a, vd b) { return _mm512_max_pd(a, b); }
static inline vd vd_min(vd a, vd b) { return _mm512_min_pd(a, b); }
static inline vd vd_and(vd a, vd b) { return _mm512_and_pd(a, b); }
static inline vd vd_or(vd a, vd b) { return _mm512_or_pd(a, b); }
static inline vd vd_xor(vd a, vd b) { return _mm512_xor_pd(a, b); }
static inline vd vd_andnot(vd a, vd b) { return _mm512_andnot_pd(a, b); }
static inline vd vd_round(vd a) { return _mm512_roundscale_pd(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }

static inline vd vd_pow2_from_shifted(vd t)
{
    __m512i i = _mm512_add_epi64(_mm512_castpd_si512(t), _mm512_set1_epi64(1023));
    return _mm512_castsi512_pd(_mm512_slli_epi64(i, 52));
}

static inline vd vd_exponent_shifted(vd x)
{
    __m512i e = _mm512_srli_epi64(_mm512_castpd_si512(x), 52);
    return _mm512_castsi512_pd(_mm512_or_si512(e, _mm512_set1_epi64(0x4330000000000000LL)));
}

static inline vm vm_lt(vd a, vd b) { return _mm512_cmp_pd_mask(a, b, _CMP_LT_OQ); }
static inline vm vm_le(vd a, vd b) { return _mm512_cmp_pd_mask(a, b, _CMP_LE_OQ); }
static inline vm vm_gt(vd a, vd b) { return _mm512_cmp_pd_mask(a, b, _CMP_GT_OQ); }
static inline vm vm_ge(vd a, vd b) { return _mm512_cmp_pd_mask(a, b, _CMP_GE_OQ); }
static inline vm vm_eq(vd a, vd b) { return _mm512_cmp_pd_mask(a, b, _CMP_EQ_OQ); }
static inline vm vm_neq(vd a, vd b) { return _mm512_cmp_pd_mask(a, b, _CMP_NEQ_UQ); }
static inline vm vm_unord(vd a, vd b) { return _mm512_cmp_pd_mask(a, b, _CMP_UNORD_Q); }
static inline vm vm_or(vm a, vm b) { return (vm)(a | b); }
static inline vm vm_and(vm a, vm b) { return (vm)(a & b); }
static inline vm vm_none(void) { return (vm)0; }
static inline int vm_any(vm m) { return m != 0; }
static inline vd vd_blend(vm m, vd a, vd b) { return _mm512_mask_blend_pd(m, a, b); }
static inline vd vd_keep(vm m, vd a) { return _mm512_maskz_mov_pd(m, a); }

/* ---- float lanes (see vec_avx2.h): 16 floats, 16-bit opmasks -------------------------------- */
#define VFW 16
typedef __m512 vf;
typedef __mmask16 vmf;

static inline vf vf_set1(float a) { return _mm512_set1_ps(a); }
static inline vf vf_zero(void) { return _mm512_setzero_ps(); }
static inline vf vf_load(const float *p) { return _mm512_loadu_ps(p); }
static inline void vf_store(float *p, vf a) { _mm512_storeu_ps(p, a); }
static inline vd vf_lo(vf a) { return _mm512_cvtps_pd(_mm512_castps512_ps256(a)); }
static inline vd vf_hi(vf a) { return _mm512_cvtps_pd(_mm512_extractf32x8_ps(a, 1)); }
static inline vf vf_pack(vd lo, vd hi)
{
    return _mm512_insertf32x8(_mm512_castps256_ps512(_mm512_cvtpd_ps(lo)), _mm512_cvtpd_ps(hi), 1);
}

static inline vf vf_add(vf a, vf b) { return _mm512_add_ps(a, b); }
static inline vf vf_sub(vf a, vf b) { return _mm512_sub_ps(a, b); }
static inline vf vf_mul(vf a, vf b) { return _mm512_mul_ps(a, b); }
static inline vf vf_div(vf a, vf b) { return _mm512_div_ps(a, b); }
static inline vf vf_fma(vf a, vf b, vf c) { return _mm512_fmadd_ps(a, b, c); }
static inline vf vf_fms(vf a, vf b, vf c) { return _mm512_fmsub_ps(a, b, c); }
static inline vf vf_fnma(vf a, vf b, vf c) { return _mm512_fnmadd_ps(a, b, c); }
static inline vf vf_max(vf a, vf b) { return _mm512_max_ps(a, b); }
static inline vf vf_min(vf a, vf b) { return _mm512_min_ps(a, b); }
static inline vf vf_and(vf a, vf b) { return _mm512_and_ps(a, b); }
static inline vf vf_xor(vf a, vf b) { return _mm512_xor_ps(a, b); }
static inline vf vf_or(vf a, vf b) { return _mm512_or_ps(a, b); }
static inline vf vf_andnot(vf a, vf b) { return _mm512_andnot_ps(a, b); }

static inline vf vf_pow2_from_shifted(vf t)
{
    __m512i i = _mm512_add_epi32(_mm512_castps_si512(t), _mm512_set1_epi32(127));
    return _mm512_castsi512_ps(_mm512_slli_epi32(i, 23));
}

static inline vmf vmf_lt(vf a, vf b) { return _mm512_cmp_ps_mask(a, b, _CMP_LT_OQ); }
static inline vmf vmf_ge(vf a, vf b) { return _mm512_cmp_ps_mask(a, b, _CMP_GE_OQ); }
static inline vmf vmf_eq(vf a, vf b) { return _mm512_cmp_ps_mask(a, b, _CMP_EQ_OQ); }
static inline vmf vmf_unord(vf a, vf b) { return _mm512_cmp_ps_mask(a, b, _CMP_UNORD_Q); }
static inline vmf vmf_or(vmf a, vmf b) { return (vmf)(a | b); }
static inline vmf vmf_and(vmf a, vmf b) { return (vmf)(a & b); }
static inline vmf vmf_none(void) { return (vmf)0; }
static inline int vmf_any(vmf m) { return m != 0; }
static inline unsigned vmf_bits(vmf m) { return (unsigned)m; }
static inline vf vf_blend(vmf m, vf a, vf b) { return _mm512_mask_blend_ps(m, a, b); }
static inline vf vf_keep(vmf m, vf a) { return _mm512_maskz_mov_ps(m, a); }

#endif /* NNMATH_SIMD_VEC_AVX512_H */
