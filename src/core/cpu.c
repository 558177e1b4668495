/*
 * Runtime CPU detection (see cpu.h). Compiled without any vector flag: it only executes CPUID and
 * XGETBV, which every x86-64 CPU that reports OSXSAVE has.
 */
#include "core/cpu.h"

#include <stdlib.h>
#include <string.h>

#if !defined(__STDC_NO_ATOMICS__)
#include <stdatomic.h>
#define NNM__HAVE_ATOMICS 1
#else
#define NNM__HAVE_ATOMICS 0
#endif

#if (defined(__x86_64__) || defined(__amd64__)) && (defined(__GNUC__) || defined(__clang__))
#define NNM__X86_DETECT 1
#include <cpuid.h>
#else
#define NNM__X86_DETECT 0
#endif

/* Which kernels this build compiled (set by cmake/NnmathSimd.cmake). */
#ifndef NNM_HAVE_AVX2
#define NNM_HAVE_AVX2 0
#endif
#ifndef NNM_HAVE_AVX512
#define NNM_HAVE_AVX512 0
#endif

#if NNM__X86_DETECT
/* XCR0, the set of register states the OS saves on a context switch. Raw opcode-free inline asm:
 * the _xgetbv intrinsic would need -mxsave on this file. */
static unsigned long long nnm__xgetbv0(void)
{
    unsigned int eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((unsigned long long)edx << 32) | eax;
}

static nnm__isa nnm__detect_hardware(void)
{
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return NNM__ISA_SCALAR;
    const unsigned osxsave = (ecx >> 27) & 1u, avx = (ecx >> 28) & 1u, fma = (ecx >> 12) & 1u;
    /* XGETBV faults unless the OS enabled it (OSXSAVE), so test that first. */
    if (!osxsave || !avx || !fma) return NNM__ISA_SCALAR;
    const unsigned long long xcr0 = nnm__xgetbv0();
    if ((xcr0 & 0x6) != 0x6) return NNM__ISA_SCALAR; /* XMM and YMM state */
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return NNM__ISA_SCALAR;
    const unsigned avx2 = (ebx >> 5) & 1u;
    if (!avx2) return NNM__ISA_SCALAR;
    const unsigned f = (ebx >> 16) & 1u, dq = (ebx >> 17) & 1u, bw = (ebx >> 30) & 1u, vl = (ebx >> 31) & 1u;
    /* opmask (bit 5), upper halves of ZMM0-15 (bit 6), ZMM16-31 (bit 7) */
    if (f && dq && bw && vl && (xcr0 & 0xe0) == 0xe0) return NNM__ISA_AVX512;
    return NNM__ISA_AVX2;
}
#else
static nnm__isa nnm__detect_hardware(void)
{
    return NNM__ISA_SCALAR;
}
#endif

nnm__isa nnm__cpu_best_isa(void)
{
    nnm__isa hw = nnm__detect_hardware();
    /* cppcheck-suppress knownConditionTrueFalse ; always false only where detection is compiled out */
    if (hw == NNM__ISA_AVX512 && !NNM_HAVE_AVX512) hw = NNM__ISA_AVX2;
    /* cppcheck-suppress knownConditionTrueFalse ; likewise */
    if (hw == NNM__ISA_AVX2 && !NNM_HAVE_AVX2) hw = NNM__ISA_SCALAR;
    return hw;
}

int nnm__cpu_isa_available(nnm__isa isa)
{
    return (unsigned)isa <= (unsigned)nnm__cpu_best_isa();
}

const char *nnm__isa_name(nnm__isa isa)
{
    switch (isa) {
    case NNM__ISA_SCALAR: return "scalar";
    case NNM__ISA_AVX2: return "avx2";
    case NNM__ISA_AVX512: return "avx512";
    default: return "?";
    }
}

/* The ISA asked for by NNMATH_ISA, clamped to what is available. */
static nnm__isa nnm__resolve(void)
{
    const nnm__isa best = nnm__cpu_best_isa();
    const char *want = getenv("NNMATH_ISA");
    if (want == NULL) return best;
    for (int i = 0; i < (int)NNM__ISA_COUNT; ++i)
        if (strcmp(want, nnm__isa_name((nnm__isa)i)) == 0)
            return i <= (int)best ? (nnm__isa)i : best;
    return best;
}

#if NNM__HAVE_ATOMICS
/* -1: not yet computed. */
static atomic_int nnm__isa_cache = -1;

nnm__isa nnm__cpu_isa(void)
{
    int v = atomic_load_explicit(&nnm__isa_cache, memory_order_relaxed);
    if (v < 0) {
        v = (int)nnm__resolve();
        atomic_store_explicit(&nnm__isa_cache, v, memory_order_relaxed);
    }
    return (nnm__isa)v;
}

nnm__isa nnm__cpu_force_isa(nnm__isa isa)
{
    nnm__isa v = nnm__cpu_isa_available(isa) ? isa : nnm__cpu_best_isa();
    atomic_store_explicit(&nnm__isa_cache, (int)v, memory_order_relaxed);
    return v;
}
#else
/* Without C11 atomics there is no cache (no shared state to race on): resolve on every call. */
nnm__isa nnm__cpu_isa(void)
{
    return nnm__resolve();
}

nnm__isa nnm__cpu_force_isa(nnm__isa isa)
{
    (void)isa;
    return nnm__resolve();
}
#endif
