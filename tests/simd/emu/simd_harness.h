/*
 * The common harness of the white-box sweeps (tests/simd/oracle_simd*.c): the kernels run per
 * path, i.e. the ISAs this machine runs (through the dispatch tables) and the 8-lane emulation of
 * tests/simd/emu (the AVX-512 code paths on any machine, instantiated by kernels_emu8.c), and
 * every failed check is printed and counted. Included once by each sweep program.
 */
#ifndef NNM_SIMD_HARNESS_H
#define NNM_SIMD_HARNESS_H

#include <stdio.h>

#include "core/cpu.h"
#include "core/simd/dispatch.h"
#include "core/simd/kernels.h"

#define PATH_EMU8 3
NNM__SIMD_KERNEL_PROTOTYPES(emu8)
NNM__SIMD_MORE_PROTOTYPES(emu8)
NNM__SIMD_ACT3_PROTOTYPES(emu8)
NNM__SIMD_DERIV_PROTOTYPES(emu8)
NNM__SIMD_LOSS_PROTOTYPES(emu8)
NNM__SIMD_OPTS_PROTOTYPES(emu8)
NNM__SIMD_BCEW_PROTOTYPES(emu8)
NNM__SIMD_PROB_PROTOTYPES(emu8)
NNM__SIMD_PROBW_PROTOTYPES(emu8)
/* kernel `name` on path p: the emulated instantiation, or the dispatch table's slot */
#define K_(name, p) ((int)(p) == PATH_EMU8 ? nnm__##name##_emu8 : nnm__simd_table_##name[p])

static int failures = 0;

static inline const char *path_name(nnm__isa isa)
{
    return (int)isa == PATH_EMU8 ? "emu8" : nnm__isa_name(isa);
}

static inline void fail(const char *what)
{
    printf("FAIL: %s\n", what);
    ++failures;
}

#endif /* NNM_SIMD_HARNESS_H */
