#!/usr/bin/env bash
# Every C and C++ file git tracks is formatted as .clang-format says; any difference fails and
# is shown. Fix with: git ls-files '*.c' '*.cpp' '*.h' | xargs clang-format -i
# Usage: clang_format_test.sh <repo-root>
set -euo pipefail
cd "$1"
command -v clang-format >/dev/null || { echo "FAIL: clang-format not installed" >&2; exit 1; }
mapfile -t files < <(git ls-files '*.c' '*.cpp' '*.h')
[ ${#files[@]} -gt 0 ] || { echo "FAIL: no C/C++ files found under $1 (not a git checkout?)" >&2; exit 1; }
bad=()
for f in "${files[@]}"; do
  clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if [ ${#bad[@]} -gt 0 ]; then
  for f in "${bad[@]}"; do diff -u "$f" <(clang-format "$f") | head -20 || true; done
  echo "FAIL: ${#bad[@]} of ${#files[@]} files differ from .clang-format: ${bad[*]}" >&2
  exit 1
fi
echo "clang-format: ${#files[@]} files, all formatted"
