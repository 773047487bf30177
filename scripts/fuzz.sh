#!/usr/bin/env bash
# Runs every libFuzzer target of the asan build for a bounded time from its seed corpus in
# tests/fuzz/corpus/<name>/ and prints executions and coverage. Fails on any crash, leak, sanitizer
# report or timeout; the input that caused it is kept in build/asan/fuzz/artifacts/ (add it to the
# seed corpus and fix the bug: it then stays a regression test).
# Usage: scripts/fuzz.sh [seconds per target, default $FUZZ_SECONDS or 30]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-${FUZZ_SECONDS:-30}}
bin=build/asan/fuzz
mkdir -p "$bin/artifacts"
ran=0
for seeds in tests/fuzz/corpus/*/; do
  name=$(basename "$seeds")
  fuzzer="$bin/${name}_fuzzer"
  if [ ! -x "$fuzzer" ]; then
    echo "fuzz: $name skipped: no $fuzzer (not in this build, e.g. RRAS_WITH_RRASM=OFF)"
    continue
  fi
  # New inputs go to a scratch corpus in the build tree; the checked-in seeds stay as they are.
  work="$bin/corpus/$name"
  mkdir -p "$work"
  log="$bin/$name.log"
  if ! "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$bin/artifacts/${name}-" "$work" "$seeds" >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "fuzz: $name FAILED; reproducer in $bin/artifacts/" >&2
    exit 1
  fi
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
  final=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1 | grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9]+[a-zA-Z]*' || true)
  echo "fuzz: $name: ${execs} executions in ${seconds} s, ${final}, 0 crashes"
  ran=$((ran + 1))
done
[ "$ran" -gt 0 ] || { echo "fuzz: no corpus found" >&2; exit 1; }
