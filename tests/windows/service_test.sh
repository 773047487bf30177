#!/usr/bin/env bash
# The exporter as a Windows service under Wine's Service Control Manager, scraped from Linux:
#   sc create / sc start -> RUNNING, /metrics from Linux shows the mprapi router (mock DLL) and a
#   simulated one -> PARAMCHANGE reloads the configuration (a router appears) -> --service.configure
#   sets delayed start and restart on failure -> sc stop -> STOPPED -> sc delete.
# Then console mode: started by hand, serving until Ctrl+C (SIGINT to wine), exit 0.
# Usage: service_test.sh <rras_exporter.exe> <mprapi_mock.dll> <service_control.exe>
set -euo pipefail
source "$(dirname "$0")/wine_env.sh"
exe=$1 mock=$2 control=$3
ensure_wine_prefix
# Wine stops its services once no program of the prefix runs: a persistent server keeps the SCM up
# for the test; the cleanup ends it with everything it runs.
wineserver -k 2>/dev/null || true  # a server of this private prefix left from an earlier run
wineserver -w 2>/dev/null || true
wineserver -p </dev/null >/dev/null 2>&1
work=$(mktemp -d)
name="rras_exporter_test_$$"
cleanup() {
  wine sc stop "$name" </dev/null >/dev/null 2>&1 || true
  wine sc delete "$name" </dev/null >/dev/null 2>&1 || true
  [ -n "${console_pid:-}" ] && kill -9 "$console_pid" 2>/dev/null || true
  rm -rf "$work"
  wineserver -k 2>/dev/null || true
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*"
  echo "--- sc query: $(wine sc query "$name" </dev/null 2>/dev/null | tr -d '\r' | grep -E 'STATE|EXIT_CODE' | tr -s ' ')"
  echo "--- /metrics: $(curl -s --max-time 5 "http://127.0.0.1:$port/metrics" 2>/dev/null | grep -E '^rras_(up|exporter_config)' | tr '\n' ' ')"
  exit 1
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
w() { wine "$@" </dev/null 2>/dev/null | tr -d '\r'; }  # Wine's programs print CRLF

# wait_for <url> <substring>: up to 30 s.
wait_for() {
  for _ in $(seq 1 150); do
    # Not `curl | grep -q`: grep exits at the first match and, under pipefail, curl's SIGPIPE
    # would turn a match into a failure.
    if grep -qF "$2" <<<"$(curl -sf "$1" 2>/dev/null)"; then return 0; fi
    sleep 0.2
  done
  return 1
}

port=$(free_port)
config="$work/rras_exporter.yml"
write_config() {
  { echo "global: {poll_interval: 1s}"
    echo "routers:"
    echo "  - {name: local, source: mprapi, mprapi_dll_path: '$(windows_path "$mock")'}"
    echo "  - {name: sim, source: simulator, simulator: {connections: 3}}"
    [ "${1:-}" = "with-added" ] && echo "  - {name: added, source: simulator, simulator: {connections: 2}}"
    true
  } >"$config"
}
write_config

bin="\"$(windows_path "$exe")\" --config.file=\"$(windows_path "$config")\" --web.listen-address=127.0.0.1:$port"
w sc create "$name" binpath= "$bin" start= demand displayname= "rras_exporter test" >/dev/null \
  || fail "sc create"
w sc start "$name" >/dev/null || fail "sc start"
wait_for "http://127.0.0.1:$port/metrics" 'rras_up{router="local"} 1' || fail "the service did not serve /metrics"
grep -q RUNNING <<<"$(w sc query "$name")" || fail "sc query does not show RUNNING"
body=$(curl -sf "http://127.0.0.1:$port/metrics")
grep -qF 'rras_up{router="sim"} 1' <<<"$body" || fail "simulated router not up"
[ "$(grep -c '^rras_connection_info{.*router="local"' <<<"$body")" = 5 ] || fail "expected 5 mprapi connections"
grep -qF $'user="J\xc3\xbcrgen2"' <<<"$body" || fail "UTF-8 user name missing"
echo "ok: service RUNNING and scraped from Linux"

write_config with-added
w "$control" paramchange "$name" || fail "PARAMCHANGE"
wait_for "http://127.0.0.1:$port/metrics" 'rras_up{router="added"} 1' || fail "PARAMCHANGE did not reload"
echo "ok: PARAMCHANGE reloaded the configuration"

configured=$(wine "$exe" "--service.configure=$name" </dev/null 2>&1 | tr -d '\r') || fail "--service.configure: $configured"
shown=$(w "$control" show "$name") || fail "cannot query the service"
# Each setting is either set as asked or, where this SCM lacks it (Wine 8 answers ERROR_INVALID_LEVEL
# for delayed start and cannot report failure actions), unsupported and reported by the exporter.
grep -qE "actions=(1:60000,1:60000,1:60000 reset=86400|unsupported)" <<<"$shown" || fail "failure actions: $shown"
grep -q "delayed=1" <<<"$shown" || grep -q "does not support delayed automatic start" <<<"$configured" \
  || fail "delayed start neither set nor reported: $shown / $configured"
echo "ok: --service.configure ($shown; $(echo $configured))"

w sc stop "$name" >/dev/null || fail "sc stop"
for _ in $(seq 1 50); do grep -q STOPPED <<<"$(w sc query "$name")" && break; sleep 0.2; done
grep -q STOPPED <<<"$(w sc query "$name")" || fail "service did not stop"
curl -sf "http://127.0.0.1:$port/metrics" >/dev/null && fail "still serving after stop"
w sc delete "$name" >/dev/null || fail "sc delete"
grep -q RUNNING <<<"$(w sc query "$name")" && fail "service still exists"
echo "ok: stopped and deleted"

# Console mode: started by hand it serves and logs to the console (stderr), not the Event Log.
# (Ctrl+C cannot be sent here: a Wine program without a Unix console gets no CTRL_C_EVENT from
# SIGINT, so the console is stopped by killing it; the stop path is the service's, tested above.)
port=$(free_port)
wine "$exe" "--config.file=$(windows_path "$config")" "--web.listen-address=127.0.0.1:$port" \
  </dev/null >"$work/console.log" 2>&1 &
console_pid=$!
if ! wait_for "http://127.0.0.1:$port/metrics" 'rras_up{router="added"} 1'; then
  cat "$work/console.log"; curl -s "http://127.0.0.1:$port/metrics" | grep '^rras_up' || true
  fail "console mode did not serve"
fi
grep -q 'msg="rras_exporter started"' "$work/console.log" || fail "console mode did not log to the console"
echo "ok: console mode served and logged to the console"
echo PASS
