#!/usr/bin/env bash
# clang-tidy over every source file with the checked-in .clang-tidy; any finding fails.
# Usage: clang_tidy_test.sh <build-dir-with-compile_commands.json> <repo-root>
set -euo pipefail
build=$1
root=$2
command -v clang-tidy >/dev/null || { echo "FAIL: clang-tidy not installed" >&2; exit 1; }
cd "$root"
# The sources this build compiles (Windows-only files are checked by the Windows build's -Werror).
files=$(python3 -c 'import json,os,sys
root=os.path.realpath(sys.argv[2]) + "/src/"
print("\n".join(sorted({os.path.relpath(e["file"], sys.argv[2]) for e in json.load(open(sys.argv[1] + "/compile_commands.json"))
                        if os.path.realpath(e["file"]).startswith(root)})))' "$build" "$root")
out=$(echo "$files" | xargs -P2 -n4 clang-tidy -p "$build" --quiet 2>/dev/null || true)
if grep -q "warning:\|error:" <<<"$out"; then
  grep -A3 "warning:\|error:" <<<"$out"
  echo "FAIL: clang-tidy reported $(grep -c 'warning:\|error:' <<<"$out") finding(s)" >&2
  exit 1
fi
echo "clang-tidy: $(echo "$files" | wc -l) files, no findings"
