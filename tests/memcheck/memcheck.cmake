# `ctest -T memcheck` with valgrind on the unit suites (issue 8), without include(CTest):
#   ctest --test-dir <build> -T memcheck          (CK_FORK=no makes it faster: no fork per test)
# ctest reads the memory checker from DartConfiguration.tcl in the build tree, which only the CTest
# module (a dashboard client we do not use) would write, so it is configured here. The unit suites
# are the only tests checked: the oracle sweeps are minutes of pure arithmetic under valgrind
# (their loops are the same kernels the unit suites call) and the package tests run cmake.
# A memcheck defect is reported by ctest as "Defects: N" and in the MemoryChecker.<N>.log files;
# .ci/reliability.sh fails on any of them.
find_program(NNMATH_VALGRIND valgrind)
if(NOT NNMATH_VALGRIND)
  set(NNMATH_VALGRIND valgrind)   # resolved at ctest time; memcheck says so if it is missing
endif()

# Every error counts, leaks too (definite, indirect and possible: the library frees all it
# allocates, and Check frees its runner). Still-reachable blocks are not errors: a forked Check
# child exits without freeing the suite, by design. --track-origins names where an uninitialised
# value came from (the typical bug: a kernel reading past what a caller initialised).
set(NNMATH_VALGRIND_OPTIONS
    "--leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible --track-origins=yes --num-callers=40")
set(NNMATH_VALGRIND_SUPPRESSIONS ${CMAKE_CURRENT_LIST_DIR}/valgrind.supp)

if(NOT DEFINED BUILD_TESTING)   # include(CTest) writes its own DartConfiguration.tcl
  configure_file(${CMAKE_CURRENT_LIST_DIR}/DartConfiguration.tcl.in
                 ${PROJECT_BINARY_DIR}/DartConfiguration.tcl @ONLY)
endif()

# CTestCustom.cmake (read by ctest from the build tree): memcheck ignores every test that is not
# a unit suite, and runs each suite once (the static variant: the shared one runs the same
# objects, so checking both doubles the time and finds nothing more).
# The examples' tests are not unit suites either (they were memchecked by mistake: example.mlp,
# a training run, reached its 120 s timeout under valgrind).
get_property(nnmath_all_tests DIRECTORY ${PROJECT_SOURCE_DIR}/tests PROPERTY TESTS)
if(NNMATH_BUILD_EXAMPLES)
  get_property(nnmath_example_tests DIRECTORY ${PROJECT_SOURCE_DIR}/examples PROPERTY TESTS)
  list(APPEND nnmath_all_tests ${nnmath_example_tests})
endif()
set(nnmath_memcheck_ignore "")
foreach(t IN LISTS nnmath_all_tests)
  if(NOT t MATCHES "^unit\\..*\\.static$")
    list(APPEND nnmath_memcheck_ignore ${t})
  endif()
endforeach()
configure_file(${CMAKE_CURRENT_LIST_DIR}/CTestCustom.cmake.in ${PROJECT_BINARY_DIR}/CTestCustom.cmake
               @ONLY)
