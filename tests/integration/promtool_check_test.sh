#!/usr/bin/env bash
# promtool lint of rras_exporter's exposition on config/demo.yml.
#
# Usage: promtool_check_test.sh <exporter-binary> <repo-root>
#
# 1. --poll-once: stdout must be non-empty, the exit code 0 or 1 (1 is expected: demo-denied fails
#    on purpose), and `promtool check metrics` must exit 0 and print nothing.
# 2. Live /metrics: the exporter serves on a free 127.0.0.1 port; once /-/ready is 200, /metrics is
#    fetched with python3 (stdlib) twice: with `Accept-Encoding: gzip` (the response must say
#    Content-Encoding: gzip and decode with the gzip module, CRC and length included) and without.
#    Both bodies must pass `promtool check metrics` with no output.
# Needs python3 and promtool (from PATH). Exit 0 on success, 1 on failure.
set -u -o pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 <exporter-binary> <repo-root>" >&2
  exit 2
fi
exporter=$1
repo_root=$2
config="$repo_root/config/demo.yml"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
log() {
  echo "[promtool_check_test] $*"
}

[ -x "$exporter" ] || fail "exporter binary $exporter is missing or not executable"
[ -f "$config" ] || fail "config $config not found"
command -v promtool >/dev/null || fail "promtool not found in PATH"
command -v python3 >/dev/null || fail "python3 not found in PATH"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rras_promtool_test.XXXXXX") || fail "mktemp failed"
exporter_pid=
fetch_pid=

stop_exporter() {
  if [ -n "$exporter_pid" ] && kill -0 "$exporter_pid" 2>/dev/null; then
    kill -TERM "$exporter_pid" 2>/dev/null
    for _ in $(seq 50); do
      kill -0 "$exporter_pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$exporter_pid" 2>/dev/null; then
      echo "[promtool_check_test] exporter did not stop after SIGTERM, killing it" >&2
      kill -KILL "$exporter_pid" 2>/dev/null
    fi
    wait "$exporter_pid" 2>/dev/null
  fi
  exporter_pid=
}
# shellcheck disable=SC2317  # invoked through the EXIT trap
cleanup() {
  if [ -n "$fetch_pid" ]; then
    kill -TERM "$fetch_pid" 2>/dev/null
    wait "$fetch_pid" 2>/dev/null
  fi
  stop_exporter
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# promtool check metrics < $1; $2 describes the input. A non-zero exit or any output is a failure:
# it is reported and counted, and the remaining checks still run.
lint_failures=0
lint() {
  local input=$1 what=$2 rc
  timeout 30 promtool check metrics <"$input" >"$tmp/promtool.out" 2>&1
  rc=$?
  if [ $rc -ne 0 ] || [ -s "$tmp/promtool.out" ]; then
    echo "promtool check metrics on $what: exit code $rc, output:" >&2
    sed 's/^/  /' "$tmp/promtool.out" >&2
    # Show the offending line when promtool names one ("... in line N: ...").
    local line
    line=$(grep -o 'line [0-9]\+' "$tmp/promtool.out" | head -n1 | grep -o '[0-9]\+')
    if [ -n "$line" ]; then
      echo "line $line of $what:" >&2
      sed -n "${line}p" "$input" | cut -c1-300 | sed 's/^/  /' >&2
    fi
    echo "FAIL: promtool check metrics reported problems in $what" >&2
    lint_failures=$((lint_failures + 1))
    return 1
  fi
  log "promtool check metrics: $what OK ($(wc -l <"$input") lines)"
}

# --- 1. --poll-once ----------------------------------------------------------------------------
log "running $exporter --poll-once on $config"
timeout 30 "$exporter" --config.file="$config" --poll-once --log.level=error \
  >"$tmp/poll_once.prom" 2>"$tmp/poll_once.err"
rc=$?
if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
  sed 's/^/  /' "$tmp/poll_once.err" >&2
  fail "--poll-once exited with code $rc (expected 0 or 1)"
fi
[ -s "$tmp/poll_once.prom" ] || fail "--poll-once printed nothing on stdout (exit code $rc)"
log "--poll-once exit code $rc (1 is expected: demo-denied fails on purpose)"
lint "$tmp/poll_once.prom" "--poll-once output"

# --- 2. live /metrics, gzip and plain ---------------------------------------------------------
port=$(python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()') \
  || fail "could not pick a free port"
base="http://127.0.0.1:$port"
log "starting exporter on $base"
"$exporter" --config.file="$config" --web.listen-address="127.0.0.1:$port" --log.level=warn \
  </dev/null >"$tmp/exporter.log" 2>&1 &
exporter_pid=$!

# Waits for /-/ready, then writes the gzip-decoded and plain /metrics bodies to the two files.
# Run in the background and `wait`ed for, so that a signal to this script is handled at once.
timeout 60 python3 - "$base" "$tmp/live_gzip.prom" "$tmp/live_plain.prom" "$exporter_pid" <<'PY' &
import gzip, os, sys, time, urllib.error, urllib.request

base, gzip_out, plain_out, pid = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False

deadline = time.monotonic() + 20
last = None
while True:
    if not alive(pid):
        sys.exit(f"exporter (pid {pid}) exited while waiting for {base}/-/ready")
    try:
        with urllib.request.urlopen(base + "/-/ready", timeout=1) as r:
            if r.status == 200:
                break
            last = f"HTTP {r.status}"
    except urllib.error.HTTPError as e:
        last = f"HTTP {e.code}"
    except (urllib.error.URLError, OSError) as e:
        last = str(e)
    if time.monotonic() > deadline:
        sys.exit(f"timed out waiting for {base}/-/ready (last: {last})")
    time.sleep(0.2)

req = urllib.request.Request(base + "/metrics", headers={"Accept-Encoding": "gzip"})
with urllib.request.urlopen(req, timeout=10) as r:
    encoding = r.headers.get("Content-Encoding")
    raw = r.read()
if encoding != "gzip":
    sys.exit(f"/metrics with Accept-Encoding: gzip answered Content-Encoding: {encoding!r}, "
             f"expected 'gzip' (first bytes: {raw[:40]!r})")
try:
    body = gzip.decompress(raw)  # checks the CRC-32 and length trailer too
except Exception as e:  # noqa: BLE001 - any decode error is the failure being reported
    sys.exit(f"gzip body of /metrics ({len(raw)} bytes) does not decode: {type(e).__name__}: {e}")
if not body.strip():
    sys.exit("gzip body of /metrics decodes to nothing")
if b"\nrras_up{" not in b"\n" + body:
    sys.exit("decoded gzip body of /metrics has no rras_up series")
with open(gzip_out, "wb") as f:
    f.write(body)
print(f"[promtool_check_test] /metrics gzip: {len(raw)} bytes compressed, {len(body)} decoded")

req = urllib.request.Request(base + "/metrics", headers={"Accept-Encoding": "identity"})
with urllib.request.urlopen(req, timeout=10) as r:
    encoding = r.headers.get("Content-Encoding")
    body = r.read()
if encoding not in (None, "identity"):
    sys.exit(f"/metrics with Accept-Encoding: identity answered Content-Encoding: {encoding!r}")
if not body.strip():
    sys.exit("plain /metrics body is empty")
with open(plain_out, "wb") as f:
    f.write(body)
print(f"[promtool_check_test] /metrics plain: {len(body)} bytes")
PY
fetch_pid=$!
wait "$fetch_pid"
rc=$?
fetch_pid=
stop_exporter
if [ $rc -ne 0 ]; then
  echo "exporter output:" >&2
  tail -n 20 "$tmp/exporter.log" | sed 's/^/  /' >&2
  fail "fetching live /metrics failed (see above)"
fi
lint "$tmp/live_gzip.prom" "live /metrics (gzip-decoded)"
lint "$tmp/live_plain.prom" "live /metrics (plain)"

if [ "$lint_failures" -ne 0 ]; then
  fail "promtool check metrics failed on $lint_failures of 3 inputs (see above)"
fi
log "PASS"
exit 0
