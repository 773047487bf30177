#!/usr/bin/env bash
# Installs the MSI under Wine (msiexec /i with LISTEN_ADDRESS, CONFIG_FILE and WEB_CONFIG_FILE), checks
# the files, the service (running, its command line), the Event Log source, that no firewall rule was
# asked for, and /metrics from Linux over TLS with basic auth; then removes it (msiexec /x) and checks
# everything is gone.
# Usage: msi_test.sh <rras_exporter.msi> <mprapi_mock.dll>
set -euo pipefail
source "$(dirname "$0")/wine_env.sh"
msi=$1 mock=$2
ensure_wine_prefix
wineserver -k 2>/dev/null || true
wineserver -w 2>/dev/null || true
wineserver -p </dev/null >/dev/null 2>&1  # Wine stops services once no program runs
work=$(mktemp -d)
cleanup() {
  wine msiexec /x "$(windows_path "$msi")" /qn </dev/null >/dev/null 2>&1 || true
  rm -rf "$work"
  wineserver -k 2>/dev/null || true
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; [ -n "${log:-}" ] && grep -iE "error|return value 3" <<<"$log" | head -20; exit 1; }
w() { wine "$@" </dev/null 2>/dev/null | tr -d '\r'; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$work/test.yml" <<YAML
routers:
  - {name: local, source: mprapi, mprapi_dll_path: '$(windows_path "$mock")'}
  - {name: sim, source: simulator, simulator: {connections: 4}}
YAML

# WEB_CONFIG_FILE: TLS with a self-signed certificate and one bcrypt user.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
  -keyout "$work/server.key" -out "$work/server.pem" 2>/dev/null || fail "openssl req"
# "$2y$" as htpasswd -B writes ("$2b$" from Python's crypt: the same algorithm and salt).
hash=$(python3 -W ignore -c 'import crypt; print("$2y$" + crypt.crypt("msi-Pa55", crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=32))[4:])')
printf 'tls_server_config: {cert_file: server.pem, key_file: server.key}\nbasic_auth_users: {prometheus: "%s"}\n' \
  "$hash" >"$work/web.yml"
scrape() { curl -s --cacert "$work/server.pem" --max-time 5 "$@" "https://127.0.0.1:$port/metrics"; }

start=$SECONDS
wine msiexec /i "$(windows_path "$msi")" /qn /l*v "$(windows_path "$work/install.log")" \
  "LISTEN_ADDRESS=127.0.0.1:$port" "CONFIG_FILE=$(windows_path "$work/test.yml")" \
  "WEB_CONFIG_FILE=$(windows_path "$work/web.yml")" </dev/null >/dev/null 2>&1 \
  || fail "msiexec /i"
echo "ok: installed in $((SECONDS - start)) s"

program_files=$WINEPREFIX/drive_c/Program\ Files/rras_exporter
[ -f "$program_files/rras_exporter.exe" ] || fail "rras_exporter.exe not installed"
[ -f "$program_files/LICENSE.txt" ] || fail "LICENSE.txt not installed"
[ -f "$WINEPREFIX/drive_c/ProgramData/rras_exporter/rras_exporter.yml" ] || fail "example configuration not installed"
grep -q RUNNING <<<"$(w sc query rras_exporter)" || fail "service not running after install"
image=$(w reg query 'HKLM\System\CurrentControlSet\Services\rras_exporter' /v ImagePath)
grep -qF -- "--web.listen-address=127.0.0.1:$port" <<<"$image" || fail "listen address not in the service command: $image"
grep -qF -- "--config.file=\"$(windows_path "$work/test.yml")\"" <<<"$image" || fail "config file not in the service command: $image"
grep -qF -- "--web.config.file=\"$(windows_path "$work/web.yml")\"" <<<"$image" || fail "web config not in the service command: $image"
grep -q "0x2" <<<"$(w reg query 'HKLM\System\CurrentControlSet\Services\rras_exporter' /v Start)" || fail "not automatic start"
source_key='HKLM\System\CurrentControlSet\Services\EventLog\Application\rras_exporter'
grep -qi 'rras_exporter.exe' <<<"$(w reg query "$source_key" /v EventMessageFile)" || fail "Event Log source not registered"
# Wine's msiexec writes the verbose log as UTF-16 or as plain text, depending on the run.
if [ "$(head -c 2 "$work/install.log" | od -An -tx1 | tr -d ' \n')" = "fffe" ]; then
  log=$(iconv -f utf-16 -t utf-8 "$work/install.log")
else
  log=$(cat "$work/install.log")
fi
grep -q "Action ended .*ConfigureService. Return value 1" <<<"$log" || fail "the service configuration action did not run"
grep -qE "Action start [0-9:]+: OpenFirewall|Doing action: OpenFirewall" <<<"$log" \
  && fail "a firewall rule was added without OPEN_FIREWALL=1"
for _ in $(seq 1 100); do
  body=$(scrape -f -u prometheus:msi-Pa55 2>/dev/null || true)
  grep -qF 'rras_up{router="local"} 1' <<<"$body" && grep -qF 'rras_up{router="sim"} 1' <<<"$body" && break
  sleep 0.2
done
grep -qF 'rras_up{router="sim"} 1' <<<"$body" && grep -qF 'rras_up{router="local"} 1' <<<"$body" || fail "the installed service does not serve: $(grep "^rras_up" <<<"$body")"
echo "ok: service running from the MSI, scraped on 127.0.0.1:$port over TLS with basic auth"
[ "$(scrape -o /dev/null -w '%{http_code}' -u prometheus:wrong)" = 401 ] || fail "a wrong password was not refused"
[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$port/metrics")" = 000 ] \
  || fail "plain HTTP answered on the TLS port"
echo "ok: WEB_CONFIG_FILE applied (wrong password 401, no plain HTTP)"

start=$SECONDS
wine msiexec /x "$(windows_path "$msi")" /qn </dev/null >/dev/null 2>&1 || fail "msiexec /x"
echo "ok: removed in $((SECONDS - start)) s"
grep -q "STATE" <<<"$(w sc query rras_exporter)" && fail "service still registered after uninstall"
[ -e "$program_files/rras_exporter.exe" ] && fail "exe left behind"
w reg query "$source_key" >/dev/null 2>&1 && [ -n "$(w reg query "$source_key")" ] && fail "Event Log source left behind"
scrape -f -u prometheus:msi-Pa55 >/dev/null 2>&1 && fail "still serving after uninstall"
echo "ok: service, files and Event Log source removed"
echo "PASS ($(stat -c %s "$msi") bytes MSI)"
