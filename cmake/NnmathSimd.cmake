# Vector kernels (src/core/simd/), included from src/CMakeLists.txt after nnmath_objects exists.
#
# src/core/simd/*.c (the dispatch tables) is always compiled, without vector flags. The kernels in
# src/core/simd/avx2/*.c get -mavx2 -mfma and those in src/core/simd/avx512/*.c get -mavx512f
# -mavx512dq -mavx512vl -mavx512bw, per source file, only when NNMATH_ENABLE_SIMD is ON, the target
# is x86-64 and the compiler accepts the flags and the intrinsics. Nothing else in the library is
# built with vector flags, so the library still runs on any x86-64: cpu.c picks the path at run
# time. NNM_HAVE_AVX2 / NNM_HAVE_AVX512 tell cpu.c and the tables which kernels exist.
#
# Outputs for the tests: NNMATH_SIMD_ISAS, the ISAs compiled in (always starting with "scalar"),
# and NNMATH_RUNTIME_ISAS, those of them this build machine can run (probed with try_run; when
# cross-compiling only "scalar"), so that ctest runs each oracle program once per runnable path.

include(CheckCSourceCompiles)

set(NNMATH_SIMD_ISAS scalar)
set(nnmath_simd_dir ${CMAKE_CURRENT_SOURCE_DIR}/core/simd)
file(GLOB nnmath_simd_dispatch CONFIGURE_DEPENDS ${nnmath_simd_dir}/*.c)
target_sources(nnmath_objects PRIVATE ${nnmath_simd_dispatch})

set(nnmath_simd_x86 OFF)
if(NNMATH_ENABLE_SIMD AND CMAKE_SIZEOF_VOID_P EQUAL 8
   AND CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64|x64)$"
   AND CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
  set(nnmath_simd_x86 ON)
endif()

# nnmath_simd_isa(<name> <flags> <test source>): compile src/core/simd/<name>/*.c with <flags>.
function(nnmath_simd_isa name flags source)
  string(TOUPPER ${name} upper)
  set(CMAKE_REQUIRED_FLAGS "${flags}")
  set(CMAKE_REQUIRED_QUIET ON)
  check_c_source_compiles("${source}" NNMATH_CC_HAS_${upper})
  if(NOT NNMATH_CC_HAS_${upper})
    return()
  endif()
  file(GLOB kernels CONFIGURE_DEPENDS ${nnmath_simd_dir}/${name}/*.c)
  if(NOT kernels)
    return()
  endif()
  separate_arguments(flag_list UNIX_COMMAND "${flags}")
  set_source_files_properties(${kernels} PROPERTIES COMPILE_OPTIONS "${flag_list}")
  target_sources(nnmath_objects PRIVATE ${kernels})
  target_compile_definitions(nnmath_objects PRIVATE NNM_HAVE_${upper}=1)
  set(NNMATH_SIMD_ISAS ${NNMATH_SIMD_ISAS} ${name} PARENT_SCOPE)
endfunction()

if(nnmath_simd_x86)
  nnmath_simd_isa(avx2 "-mavx2 -mfma" "
    #include <immintrin.h>
    int main(void) {
      __m256d a = _mm256_set1_pd(1.0);
      a = _mm256_fmadd_pd(a, a, a);
      __m256i i = _mm256_add_epi64(_mm256_castpd_si256(a), _mm256_set1_epi64x(1));
      return _mm256_movemask_pd(_mm256_castsi256_pd(i)) == 99;
    }")
  nnmath_simd_isa(avx512 "-mavx512f -mavx512dq -mavx512vl -mavx512bw" "
    #include <immintrin.h>
    int main(void) {
      __m512d a = _mm512_set1_pd(1.0);
      a = _mm512_fmadd_pd(a, a, a);
      __mmask8 m = _mm512_cmp_pd_mask(a, a, _CMP_EQ_OQ);
      return (int)m == 99;
    }")
endif()
set(NNMATH_SIMD_ISAS ${NNMATH_SIMD_ISAS} CACHE INTERNAL "ISAs with compiled kernels")

# Which of them this machine runs: the same detection code as the library (cpu.c), built by a
# probe that prints the best ISA's name.
set(nnmath_runtime_isas scalar)
list(LENGTH NNMATH_SIMD_ISAS nnmath_simd_isa_count)
if(nnmath_simd_isa_count GREATER 1 AND NOT CMAKE_CROSSCOMPILING)
  set(defs "")
  foreach(isa IN LISTS NNMATH_SIMD_ISAS)
    if(NOT isa STREQUAL "scalar")
      string(TOUPPER ${isa} upper)
      list(APPEND defs -DNNM_HAVE_${upper}=1)
    endif()
  endforeach()
  try_run(nnmath_probe_run nnmath_probe_compiled
          ${CMAKE_CURRENT_BINARY_DIR}/isa_probe
          ${PROJECT_SOURCE_DIR}/cmake/nnmath_isa_probe.c
          COMPILE_DEFINITIONS ${defs} -I${CMAKE_CURRENT_SOURCE_DIR}
          RUN_OUTPUT_VARIABLE nnmath_probe_out)
  if(nnmath_probe_compiled AND nnmath_probe_run EQUAL 0)
    string(STRIP "${nnmath_probe_out}" nnmath_probe_out)
    foreach(isa IN LISTS NNMATH_SIMD_ISAS)
      if(NOT isa STREQUAL "scalar")
        list(APPEND nnmath_runtime_isas ${isa})
      endif()
      if(isa STREQUAL nnmath_probe_out)
        break()
      endif()
    endforeach()
    if(NOT nnmath_probe_out IN_LIST NNMATH_SIMD_ISAS)
      set(nnmath_runtime_isas scalar)
    endif()
  endif()
endif()
set(NNMATH_RUNTIME_ISAS ${nnmath_runtime_isas} CACHE INTERNAL "ISAs this build machine can run")
message(STATUS "nnmath: vector kernels compiled for: ${NNMATH_SIMD_ISAS}; runnable here: ${NNMATH_RUNTIME_ISAS}")
