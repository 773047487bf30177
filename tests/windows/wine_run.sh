#!/usr/bin/env bash
# Runs one Windows test program under Wine: wine_run.sh [--gtest] <program.exe> [args...]
# Passes only if the program exits 0 and, with --gtest, gtest printed its PASSED line and no
# FAILED line (a second signal besides the exit code).
set -euo pipefail
source "$(dirname "$0")/wine_env.sh"
gtest=false
if [ "${1:-}" = "--gtest" ]; then gtest=true; shift; fi
ensure_wine_prefix
out=$(mktemp)
trap 'rm -f "$out"' EXIT
set +e
wine "$@" </dev/null >"$out" 2>&1
rc=$?
set -e
cat "$out"
if [ $rc -ne 0 ]; then
  echo "FAIL: $(basename "$1") exited with $rc under Wine"
  exit 1
fi
if $gtest; then
  if ! grep -qE '^\[  PASSED  \] [0-9]+ test' "$out" || grep -q '^\[  FAILED  \]' "$out"; then
    echo "FAIL: $(basename "$1") exited 0 but gtest did not report success"
    exit 1
  fi
  echo "windows: $(grep -E '^\[  PASSED  \]' "$out")"
fi
