#!/usr/bin/env bash
# A test program that crashes under Wine must fail its ctest run, every time (with winedbg left
# enabled, Wine sometimes reports a crash as exit 0). Usage: crash_is_failure_test.sh <tests.exe>
set -uo pipefail
run="$(dirname "$0")/wine_run.sh"
for i in 1 2 3 4 5; do
  if bash "$run" --gtest "$1" --gtest_also_run_disabled_tests --gtest_filter='CrashProbe.*' >/dev/null 2>&1; then
    echo "FAIL: run $i of a crashing test passed"
    exit 1
  fi
done
echo "PASS: 5 of 5 crashing runs failed"
