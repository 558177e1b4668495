/*
 * Runtime CPU detection and the dispatch of vector kernels (internal).
 *
 * The instruction set
 * -------------------
 * nnm__cpu_isa() returns the instruction set every dispatched kernel uses: the best one that the
 * CPU and the operating system support AND that this build compiled kernels for, unless the
 * environment variable NNMATH_ISA=scalar|avx2|avx512 asks for another. NNMATH_ISA is read once;
 * a value that is unknown, or names an ISA that is not available, falls back to the best available
 * one (never an error, never a message: a library does not print). AVX-512 counts only when the OS
 * saves the opmask and ZMM state (XCR0 bits 5-7, read with XGETBV after checking OSXSAVE); AVX2
 * only when it saves the YMM state (XCR0 bits 1-2). On non-x86 targets (AArch64, ...), without the
 * GCC/Clang builtins, or with NNMATH_ENABLE_SIMD=OFF the answer is always NNM__ISA_SCALAR.
 *
 * The answer is computed on the first call and cached in one atomic int (relaxed loads and
 * stores: every thread that races on the first call computes the same value, so no lock and no
 * ordering are needed). That cache is the library's only global mutable state.
 *
 * The dispatch pattern
 * --------------------
 * Each vector kernel family has a table of function pointers indexed by nnm__isa, with NULL where
 * no vector kernel exists (always for NNM__ISA_SCALAR; an AVX-512 slot reuses the AVX2 kernel
 * when there is no dedicated one). A dispatch entry (src/core/simd/dispatch.h) looks the pointer
 * up per call from the cached ISA and tells the caller whether a vector kernel did the work:
 *
 *     int nnm__simd_sigmoid_f32(size_t n, const float *x, float *y);  // 1: done, 0: not handled
 *
 * so a module's public function stays "validate, then run a kernel" and keeps its scalar
 * reference as the portable path, with a one-line change:
 *
 *     NNM_RETURN_IF(n > 0 && (x == NULL || y == NULL), NNM_EINVAL);
 *     if (!nnm__simd_sigmoid_f32(n, x, y)) sigmoid_kernel_f32(n, x, y);
 *     return NNM_OK;
 *
 * A dispatch entry may also decline inputs its vector kernel does not cover (an option such as
 * class weights, a non-finite row handled by the reference); it declines before writing anything.
 * With NNMATH_ENABLE_SIMD=OFF the tables hold only NULL and every entry returns 0.
 */
#ifndef NNMATH_CORE_CPU_H
#define NNMATH_CORE_CPU_H

typedef enum nnm__isa {
    NNM__ISA_SCALAR = 0,
    NNM__ISA_AVX2 = 1,   /* AVX2 + FMA, 256-bit */
    NNM__ISA_AVX512 = 2, /* AVX-512 F, DQ, VL, BW, 512-bit */
    NNM__ISA_COUNT = 3
} nnm__isa;

/* The ISA the dispatched kernels use (cached after the first call; see above). */
nnm__isa nnm__cpu_isa(void);

/* The best ISA that the CPU, the OS and this build support, ignoring NNMATH_ISA (not cached). */
nnm__isa nnm__cpu_best_isa(void);

/* 1 when kernels for isa can run here (scalar always can). */
int nnm__cpu_isa_available(nnm__isa isa);

/* "scalar", "avx2", "avx512" ("?" for anything else). */
const char *nnm__isa_name(nnm__isa isa);

/* Benchmarks and white-box tests only (the library never calls it): make every later dispatch use
 * isa, or the best available ISA when isa is not available. Returns the ISA now in force. The same
 * atomic store as the first-call initialisation, so it is thread-safe, but it changes the path of
 * calls already running in other threads — do not call it while other threads use the library. */
nnm__isa nnm__cpu_force_isa(nnm__isa isa);

#endif /* NNMATH_CORE_CPU_H */
