# Warning flags and sanitizers shared by the library, tests and examples.
# CI builds with NNMATH_WERROR=ON (gcc and clang): warnings are errors there.
set(NNMATH_WARNINGS -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Wstrict-prototypes
                    -Wmissing-prototypes -Wno-unused-function)
if(NOT CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
  set(NNMATH_WARNINGS "")
endif()
if(NNMATH_WERROR AND NNMATH_WARNINGS)
  list(APPEND NNMATH_WARNINGS -Werror)
endif()

# nnmath_target_defaults(<target>): warnings (and sanitizers when asked) for a project target.
# -ffp-contract=off: the error-free transformations (TwoSum, fma splits) in the numerics must not
# be rewritten into fused operations by the compiler, or their error terms are lost.
function(nnmath_target_defaults target)
  target_compile_options(${target} PRIVATE ${NNMATH_WARNINGS})
  if(CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -ffp-contract=off)
  endif()
  if(NNMATH_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-sanitize-recover=all
                                             -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()
