#!/usr/bin/env bash
# Reliability checks of libnnmath (issue 8), called by .ci/run after its gcc and ASan builds:
#   1. static analysis: clang-tidy (.clang-tidy) and cppcheck (cppcheck-suppressions.txt), clean
#   2. ThreadSanitizer: every function family from several threads at once (tests/tsan)
#   3. valgrind: `ctest -T memcheck` on the unit suites, zero defects (tests/memcheck)
#   4. libFuzzer: each target of tests/fuzz for NNMATH_FUZZ_SECONDS (default 15) from its seeds
# Bounded: about 5 minutes on 2 cores. Run from anywhere; build trees go to build-rel-*/.
#
# Needs these Debian packages (installed by .ci/run, not here):
#   clang libclang-rt-dev clang-tidy cppcheck valgrind
#   plus the build's own: cmake make gcc pkg-config check libsubunit-dev libmpfr-dev libgmp-dev
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=$(nproc)
[ "$jobs" -gt 2 ] || jobs=2
fuzz_seconds=${NNMATH_FUZZ_SECONDS:-15}
# A fixed seed and a run count make the CI fuzzing reproducible (bounded by count and by time);
# open-ended exploration is done locally, where a finding does not block a merge at random.
fuzz_runs=${NNMATH_FUZZ_RUNS:-100000}
start_all=$SECONDS
stage() { echo "== reliability: $* (t=$((SECONDS - start_all))s) =="; }

for tool in clang clang-tidy cppcheck valgrind cmake; do
  command -v "$tool" >/dev/null || { echo "reliability: $tool is not installed" >&2; exit 1; }
done

# ---- configure the instrumented trees (their compile commands drive the static analysis) ----
stage "configure"
rm -rf build-rel-fuzz build-rel-tsan build-rel-memcheck
CC=clang cmake -S . -B build-rel-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNNMATH_WERROR=ON \
  -DNNMATH_BUILD_FUZZ=ON -DNNMATH_BUILD_TESTS=OFF -DNNMATH_BUILD_EXAMPLES=OFF \
  -DNNMATH_BUILD_SHARED=OFF -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
CC=clang cmake -S . -B build-rel-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNNMATH_WERROR=ON \
  -DNNMATH_TSAN=ON -DNNMATH_BUILD_TESTS=OFF -DNNMATH_BUILD_EXAMPLES=OFF \
  -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null

# ---- 1. static analysis ---------------------------------------------------------------------
stage "clang-tidy $(clang-tidy --version | sed -n 's/.*version \([0-9.]*\).*/\1/p' | head -1)"
# The library and the fuzz targets from the fuzz tree's commands, the TSan test from its own.
{
  find src -name '*.c' | sort | sed 's|$| build-rel-fuzz|'
  find tests/fuzz -name '*.c' | sort | sed 's|$| build-rel-fuzz|'
  find tests/tsan -name '*.c' | sort | sed 's|$| build-rel-tsan|'
} > build-rel-fuzz/tidy-files.txt
tidy_log=build-rel-fuzz/clang-tidy.log
: > "$tidy_log"
if ! xargs -P "$jobs" -L 1 sh -c 'clang-tidy --quiet -p "$1" "$0" >>"'"$tidy_log"'" 2>&1' \
     < build-rel-fuzz/tidy-files.txt; then
  cat "$tidy_log"
  echo "reliability: clang-tidy found problems" >&2
  exit 1
fi
echo "clang-tidy: $(wc -l < build-rel-fuzz/tidy-files.txt) files clean"

stage "cppcheck $(cppcheck --version | sed 's/Cppcheck //')"
# The library only, as compiled (with the build's include paths and definitions); findings in
# tests are not cppcheck's business (Check's macros confuse it).
mkdir -p build-rel-fuzz/cppcheck
cppcheck --project=build-rel-fuzz/compile_commands.json --file-filter="src/*" --std=c11 \
  --enable=warning,style,performance,portability --inline-suppr \
  --suppressions-list=cppcheck-suppressions.txt --error-exitcode=1 --quiet \
  -j "$jobs" --cppcheck-build-dir=build-rel-fuzz/cppcheck 2>&1
echo "cppcheck: clean"

# ---- 2. ThreadSanitizer ---------------------------------------------------------------------
stage "ThreadSanitizer"
cmake --build build-rel-tsan -j"$jobs" >/dev/null
ctest --test-dir build-rel-tsan -L tsan --output-on-failure

# ---- 3. valgrind memcheck of the unit suites ------------------------------------------------
stage "valgrind $(valgrind --version)"
# Reuse the gcc build of .ci/run when it is there (tests on, so tests/memcheck configured
# ctest -T memcheck in it); else build one.
memcheck_dir=build
if [ ! -f build/DartConfiguration.tcl ]; then
  memcheck_dir=build-rel-memcheck
  CC=gcc cmake -S . -B "$memcheck_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNNMATH_WERROR=ON \
    -DNNMATH_BUILD_EXAMPLES=OFF >/dev/null
  cmake --build "$memcheck_dir" -j"$jobs" >/dev/null
fi
# CK_FORK=no: each suite runs in one process (no fork per test), faster under valgrind.
# Only memory errors decide here ("Defects" in ctest's summary; leaks included). The suites'
# own verdicts come from the native and ASan runs of .ci/run: valgrind computes x87 long double
# in double precision (a documented valgrind limitation), so the accuracy assertions of the
# functions that evaluate in long double do not hold under it; those failures are listed, not
# fatal.
memcheck_log=$memcheck_dir/memcheck.log
CK_FORK=no ctest --test-dir "$memcheck_dir" -T memcheck -j"$jobs" --output-on-failure \
  > "$memcheck_log" 2>&1 || true
grep -E "MemCheck|Defects|tests passed" "$memcheck_log" || true
if grep -q "Defects:" "$memcheck_log"; then
  cat "$memcheck_dir"/Testing/Temporary/MemoryChecker.*.log
  echo "reliability: valgrind found memory errors" >&2
  exit 1
fi
# A crash under valgrind is fatal (with CK_FORK=no it ends the suite: ctest's "***Exception",
# or Check's ":E:" errors when forking), whatever its cause.
if grep -E '\*\*\*Exception|:E:|Child aborted' "$memcheck_log"; then
  echo "reliability: a unit suite crashed under valgrind" >&2
  exit 1
fi
if grep -q ':F:' "$memcheck_log"; then
  echo "valgrind: accuracy assertions that need 80-bit long double failed under emulation" \
       "(expected; they pass natively):"
  grep -E ':F:' "$memcheck_log" | sort -u | head -20
fi
if ! grep -q "MemCheck" "$memcheck_log"; then
  cat "$memcheck_log"
  echo "reliability: ctest -T memcheck ran no suite" >&2
  exit 1
fi
echo "valgrind: 0 defects in $(grep -c "MemCheck *#" "$memcheck_log") unit suites"

# ---- 4. libFuzzer ---------------------------------------------------------------------------
stage "libFuzzer, ${fuzz_seconds} s per target"
cmake --build build-rel-fuzz -j"$jobs" >/dev/null
# One target: fuzz from the seeds for a bounded time; non-zero on any finding.
run_fuzzer() {
  local fuzzer=$1 family work seeds log
  family=$(basename "$fuzzer"); family=${family#fuzz_}
  log=build-rel-fuzz/fuzz-$family.log
  # New inputs go to a scratch copy: the checked-in corpus stays small and reviewed.
  work=build-rel-fuzz/corpus-$family
  rm -rf "$work" && mkdir -p "$work"
  seeds=tests/fuzz/corpus/$family
  [ -d "$seeds" ] || seeds=""
  if ! nice "$fuzzer" -seed=1 -runs="$fuzz_runs" -max_total_time="$fuzz_seconds" -timeout=10 -rss_limit_mb=2048 \
       -print_final_stats=1 -artifact_prefix="build-rel-fuzz/crash-$family-" \
       "$work" $seeds > "$log" 2>&1; then
    tail -40 "$log"
    echo "reliability: fuzz_$family failed (reproducer: build-rel-fuzz/crash-$family-*)" >&2
    return 1
  fi
  echo "fuzz_$family: $(awk '/stat::number_of_executed_units/ {print $2}' "$log") executions" \
       "in ${fuzz_seconds} s, no finding"
}
fuzz_fail=0
pids=()
for fuzzer in build-rel-fuzz/tests/fuzz/fuzz_*; do
  [ -x "$fuzzer" ] || continue
  run_fuzzer "$fuzzer" &
  pids+=($!)
  if [ "${#pids[@]}" -ge "$jobs" ]; then     # at most one fuzzer per core
    wait "${pids[0]}" || fuzz_fail=1
    pids=("${pids[@]:1}")
  fi
done
for pid in "${pids[@]}"; do wait "$pid" || fuzz_fail=1; done
[ "$fuzz_fail" = 0 ] || exit 1

stage "all reliability checks passed"
