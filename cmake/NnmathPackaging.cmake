# Installed documentation and example sources, and the CPack description of the packages.
# Included once at the end of the top-level CMakeLists.txt.
#
#   cmake --install <build> --prefix <prefix>     library, headers, CMake and pkg-config files,
#                                                 plus <prefix>/share/doc/nnmath/ (README, docs,
#                                                 plots, examples with their data and a CMake
#                                                 project that builds them against the install)
#   cd <build> && cpack -G TGZ                    nnmath-<version>-Linux.tar.gz
#   cd <build> && cpack -G DEB                    libnnmath_<version>_<arch>.deb
#
# CPack packages what `cmake --install` installs; the tests, benchmarks and build trees are not
# part of it.

# ---- documentation: share/doc/nnmath ---------------------------------------------------------
# CMAKE_INSTALL_DOCDIR is share/doc/${PROJECT_NAME} = share/doc/nnmath.
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}
        FILES_MATCHING PATTERN "*.md" PATTERN "*.svg"
        PATTERN "plots" EXCLUDE PATTERN "tools" EXCLUDE)

# The licence text goes where Debian expects it. The project's own terms come from a top-level
# LICENSE file when there is one; the digits data keeps the terms of its source (CC BY 4.0).
set(NNMATH_PACKAGE_LICENSE "" CACHE STRING
    "SPDX identifier of libnnmath's licence for the package metadata (empty: see LICENSE)")
set(nnmath_license_file "")
foreach(candidate LICENSE LICENSE.txt LICENSE.md COPYING)
  if(NOT nnmath_license_file AND EXISTS ${PROJECT_SOURCE_DIR}/${candidate})
    set(nnmath_license_file ${PROJECT_SOURCE_DIR}/${candidate})
  endif()
endforeach()
if(NNMATH_PACKAGE_LICENSE)
  set(nnmath_license_name "${NNMATH_PACKAGE_LICENSE}")
elseif(nnmath_license_file)
  set(nnmath_license_name "LicenseRef-nnmath (see the text below)")
else()
  set(nnmath_license_name "LicenseRef-unspecified (the source tree has no LICENSE file)")
endif()
set(nnmath_license_text "")
if(nnmath_license_file)
  file(READ ${nnmath_license_file} nnmath_license_text)
  # DEP-5 continuation lines: every line indented, empty lines written as " ."
  string(REGEX REPLACE "\n\n" "\n.\n" nnmath_license_text "${nnmath_license_text}")
  string(REGEX REPLACE "\n([^\n])" "\n \\1" nnmath_license_text "${nnmath_license_text}")
  set(nnmath_license_text "\n ${nnmath_license_text}")
endif()
# Debian's machine-readable copyright format (DEP-5).
file(WRITE ${PROJECT_BINARY_DIR}/copyright
"Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: libnnmath

Files: *
Copyright: libnnmath developers
License: ${nnmath_license_name}${nnmath_license_text}

Files: examples/data/digits.txt
Copyright: 1998 E. Alpaydin, C. Kaynak (Optical Recognition of Handwritten Digits,
 UCI Machine Learning Repository, https://doi.org/10.24432/C50P49)
License: CC-BY-4.0
 Creative Commons Attribution 4.0 International,
 https://creativecommons.org/licenses/by/4.0/legalcode. Taken from the copy in Debian's
 python3-sklearn (sklearn/datasets/data/digits.csv.gz); only the encoding was changed, see
 examples/data/README.md.
")
install(FILES ${PROJECT_BINARY_DIR}/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})

# ---- example sources: share/doc/nnmath/examples ----------------------------------------------
# Sources only (a user copies from them), with a standalone CMake project that builds them
# against the installed library, and the plot program of docs/img.
set(nnmath_examples_dest ${CMAKE_INSTALL_DOCDIR}/examples)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/examples/ DESTINATION ${nnmath_examples_dest}
        FILES_MATCHING PATTERN "*.c" PATTERN "*.h" PATTERN "*.md" PATTERN "*.txt"
                       PATTERN "*.sh"
        PATTERN "CMakeLists.txt" EXCLUDE PATTERN "installed" EXCLUDE)
install(FILES ${PROJECT_SOURCE_DIR}/examples/installed/CMakeLists.txt
        DESTINATION ${nnmath_examples_dest})
install(FILES ${PROJECT_SOURCE_DIR}/docs/plots/plots.c DESTINATION ${nnmath_examples_dest}/plots)

# ---- CPack -----------------------------------------------------------------------------------
set(CPACK_PACKAGE_NAME nnmath)
set(CPACK_PACKAGE_VENDOR "libnnmath developers")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION
"libnnmath is a C11 library of the mathematics that trains neural networks: loss functions,
activation functions, their gradients and their Hessians, for float and double. Elementwise
functions are within 1 ULP (f32) and 2 ULP (f64) of the correctly rounded result, proven against
an MPFR oracle; every function validates its arguments and returns a status instead of crashing;
hot kernels never allocate and there is no global state.

This package holds the shared and static libraries, the headers, the CMake package
(find_package(nnmath)) and pkg-config file, the documentation and the examples' sources.")
set(CPACK_PACKAGE_INSTALL_DIRECTORY nnmath)
set(CPACK_RESOURCE_FILE_README ${PROJECT_SOURCE_DIR}/README.md)
if(nnmath_license_file)
  set(CPACK_RESOURCE_FILE_LICENSE ${nnmath_license_file})
endif()
set(NNMATH_PACKAGE_MAINTAINER "libnnmath developers <nnmath@users.noreply.invalid>" CACHE STRING
    "Maintainer (name <email>) written into the .deb")
set(CPACK_PACKAGE_CONTACT "${NNMATH_PACKAGE_MAINTAINER}")
if(NOT CPACK_GENERATOR)
  set(CPACK_GENERATOR TGZ DEB)
endif()
set(CPACK_SOURCE_GENERATOR TGZ)
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build[^/]*/" "/_build[^/]*/" "CMakeUserPresets\\\\.json")
set(CPACK_STRIP_FILES ON)

# Debian: one package with the runtime library and the development files (the library is small
# and has no runtime data, so a -dev / runtime split would buy nothing yet).
set(CPACK_DEBIAN_PACKAGE_NAME libnnmath)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)   # libnnmath_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${NNMATH_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The runtime needs only libc6 (libm is part of it). dpkg-shlibdeps reads the minimum version
# from the symbols libnnmath.so actually uses; without it (no dpkg-dev) the dependency is libc6.
find_program(NNMATH_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(NNMATH_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "libc6")
endif()
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "cmake, pkg-config")

include(CPack)
