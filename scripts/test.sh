#!/usr/bin/env bash
# The whole test suite: installs what it needs, builds the release preset and runs every ctest
# label (unit, integration, lint, rules, soak, reference), then cross-builds the Windows exe, its tests and the MSI
# and runs them under Wine (label windows), then the sanitizer builds (asan: ASan + UBSan unit and
# integration tests and the fuzzers; tsan: poller and HTTP tests). Prints the time each stage took.
set -euo pipefail
cd "$(dirname "$0")/.."

stage() {
  local name=$1; shift
  local start=$SECONDS
  echo "=== ${name}"
  "$@"
  echo "=== ${name}: $((SECONDS - start)) s"
}

stage "install dependencies" scripts/install-deps.sh
# Before the release configure: its reference DIMSVC router (ctest label reference) is built with
# the cross tools this installs (widl, mingw-w64, Wine).
stage "windows dependencies (mingw-w64, widl, Wine, wixl; yaml-cpp/prometheus-cpp/googletest from Debian sources)" \
  scripts/windows-deps.sh
stage "configure (release)" cmake --preset release
stage "build (release)" cmake --build --preset release
stage "test (release: unit, integration, lint, rules, soak)" ctest --preset release -LE reference
stage "test (reference DIMSVC: widl + Wine's rpcrt4 serve the rrasm source)" ctest --preset release -L reference
# Linux: the .deb (CPack) installed with dpkg -i, its files checked, the unit verified.
if [ "$(uname -s)" = Linux ]; then
  stage "package (.deb, dpkg -i, installed files, systemd-analyze)" packaging/linux/check-deb.sh build/release
fi
stage "configure (windows)" cmake --preset windows
stage "build (windows: exe, tests, mock mprapi.dll, MSI)" cmake --build --preset windows
stage "test (windows, under Wine)" ctest --preset windows

# Hardening (issue 7): sanitizers at -O1 with only the binaries they need, bounded fuzzing.
stage "configure (asan)" cmake --preset asan
stage "build (asan + ubsan, fuzzers)" cmake --build --preset asan
stage "test (asan + ubsan: unit, integration)" ctest --preset asan
stage "fuzz (${FUZZ_SECONDS:-30} s per target)" scripts/fuzz.sh
stage "configure (tsan)" cmake --preset tsan
stage "build (tsan: unit tests)" cmake --build --preset tsan
stage "test (tsan: poller, HTTP, probes)" ctest --preset tsan
