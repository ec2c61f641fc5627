#!/usr/bin/env bash
# Sanitizer stage (docs/contributing.md): the whole C++ test suite built and run with
# AddressSanitizer + UndefinedBehaviorSanitizer combined (-O1 -g), through the
# `ci-sanitize` preset (build/sanitize).
#
#   scripts/sanitize.sh [PRESET]     PRESET: ci-sanitize (default), asan or ubsan
#
# Any sanitizer report aborts the test that triggered it (halt_on_error,
# -fno-sanitize-recover=all), so ctest fails and so does this script.
#
# The tests install_tree, find_package_example and add_subdirectory_example
# build the example projects against the sanitized static library. Those
# nested CMake builds do not inherit our cache variables, so the test presets
# export CXXFLAGS and LDFLAGS with the same -fsanitize flags (CMake takes its
# initial CMAKE_CXX_FLAGS / CMAKE_EXE_LINKER_FLAGS from them) and the examples
# link the sanitizer runtimes. Nothing is excluded.
set -euo pipefail
cd "$(dirname "$0")/.."

preset=${1:-ci-sanitize}
case $preset in
  ci-sanitize | asan | ubsan) ;;
  *)
    echo "usage: scripts/sanitize.sh [ci-sanitize|asan|ubsan]" >&2
    exit 2
    ;;
esac

started=$SECONDS
scripts/ensure-system-packages.sh build-essential cmake ninja-build ccache libeigen3-dev \
  libboost-date-time-dev libtomlplusplus-dev pkg-config coinor-libclp-dev libgtest-dev libgmock-dev libasan8 libubsan1
echo "=== sanitize ($preset): configure"
cmake --preset "$preset" >/dev/null
echo "=== sanitize ($preset): build"
cmake --build --preset "$preset" -j "${JOBS:-2}"
built=$SECONDS
echo "=== sanitize ($preset): build $((built - started)) s"
rc=0
ctest --preset "$preset" -j "${JOBS:-2}" || rc=$?
echo "=== sanitize ($preset): tests $((SECONDS - built)) s, $((SECONDS - started)) s in all"
exit "$rc"
