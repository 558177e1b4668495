# Install the build into a temporary prefix, then build and run the programs a user would write:
# (a) find_package + nnmath::nnmath, (b) pkg-config, (c) pkg-config --static, (d) C++, and
# (e) add_subdirectory of the source tree. Arguments: BUILD_DIR SOURCE_DIR WORK_DIR C_COMPILER
# GENERATOR.
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGN}")
    message(FATAL_ERROR "failed (${rc}): ${cmd}\n${out}\n${err}")
  endif()
  set(run_out "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
file(GLOB pcfile ${prefix}/lib*/pkgconfig/nnmath.pc ${prefix}/lib/*/pkgconfig/nnmath.pc)
get_filename_component(pcdir "${pcfile}" DIRECTORY)
get_filename_component(libdir "${pcdir}" DIRECTORY)
set(src ${SOURCE_DIR}/tests/consumer)

# (a) find_package(nnmath 0.1 REQUIRED), nnmath::nnmath (shared) and nnmath::static
run(${CMAKE_COMMAND} -S ${src}/find_package -B ${WORK_DIR}/find_package -G ${GENERATOR}
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_C_COMPILER=${C_COMPILER})
run(${CMAKE_COMMAND} --build ${WORK_DIR}/find_package)
run(${WORK_DIR}/find_package/consumer)
message(STATUS "find_package: ${run_out}")
run(${WORK_DIR}/find_package/consumer_static)

# (b) cc consumer.c $(pkg-config --cflags --libs nnmath)
find_program(PKG_CONFIG NAMES pkg-config pkgconf REQUIRED)
set(ENV{PKG_CONFIG_PATH} ${pcdir})
run(${PKG_CONFIG} --cflags --libs nnmath)
string(STRIP "${run_out}" flags)
separate_arguments(flags UNIX_COMMAND "${flags}")
run(${C_COMPILER} -std=c11 -Wall -Werror ${src}/consumer.c ${flags} -o ${WORK_DIR}/pc_consumer)
set(ENV{LD_LIBRARY_PATH} ${libdir})
run(${WORK_DIR}/pc_consumer)
message(STATUS "pkg-config: ${run_out}")

# (c) static: pkg-config --static supplies Libs.private (-lm); -lnnmath is pinned to the archive
run(${PKG_CONFIG} --static --cflags --libs nnmath)
string(STRIP "${run_out}" flags)
string(REPLACE "-lnnmath" "-l:libnnmath.a" flags "${flags}")
separate_arguments(flags UNIX_COMMAND "${flags}")
run(${C_COMPILER} -std=c11 -Wall -Werror ${src}/consumer.c ${flags} -o ${WORK_DIR}/pc_static_consumer)
unset(ENV{LD_LIBRARY_PATH})
run(${WORK_DIR}/pc_static_consumer)
message(STATUS "pkg-config --static: ${run_out}")

# (d) a C++ translation unit including <nnmath/nnmath.h>
find_program(CXX NAMES c++ g++ clang++)
if(CXX)
  run(${PKG_CONFIG} --cflags --libs nnmath)
  string(STRIP "${run_out}" flags)
  separate_arguments(flags UNIX_COMMAND "${flags}")
  run(${CXX} -Wall -Wextra -Wpedantic -Werror ${src}/consumer.cpp ${flags} -o ${WORK_DIR}/cxx_consumer)
  set(ENV{LD_LIBRARY_PATH} ${libdir})
  run(${WORK_DIR}/cxx_consumer)
  message(STATUS "C++: ${run_out}")
else()
  message(FATAL_ERROR "no C++ compiler found for the C++ consumer test")
endif()

# (e) add_subdirectory(libnnmath)
run(${CMAKE_COMMAND} -S ${src}/subdirectory -B ${WORK_DIR}/subdirectory -G ${GENERATOR}
    -DNNMATH_SOURCE_DIR=${SOURCE_DIR} -DCMAKE_C_COMPILER=${C_COMPILER})
run(${CMAKE_COMMAND} --build ${WORK_DIR}/subdirectory)
run(${WORK_DIR}/subdirectory/consumer)
message(STATUS "add_subdirectory: ${run_out}")
