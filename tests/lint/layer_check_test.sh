#!/usr/bin/env bash
# The layer check (cmake/check_layers.cmake) passes on the tree as it is and fails, naming the file
# and both layers, when an include runs upward: planted in a copy of src/ (router/ including poller/).
set -euo pipefail
source_dir=$1 layers=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$source_dir/src" "$tmp/src"
check() { cmake -DSRC="$tmp/src" "-DLAYERS=$layers" -DSTAMP="$tmp/stamp" -P "$source_dir/cmake/check_layers.cmake"; }

check >/dev/null || { echo "FAIL: the check rejects the tree as it is"; exit 1; }
sed -i '1a #include "poller/poller.h"' "$tmp/src/router/enumerator.cpp"
if out=$(check 2>&1); then
  echo "FAIL: an include from router/ up to poller/ passed the check"; exit 1
fi
grep -q 'src/router/enumerator.cpp: includes "poller/poller.h": layer router may not include layer poller' <<<"$out" \
  || { echo "FAIL: the message does not name the file and layers:"; echo "$out"; exit 1; }
echo "PASS: the layer check accepts the tree and rejects an upward include"
