#!/usr/bin/env bash
# Builds the .deb with CPack, installs it with dpkg -i, checks the installed files (binary runs,
# unit verifies, example config validates), prints the unit's `systemd-analyze security` score,
# then purges the package again. Usage: packaging/linux/check-deb.sh <build-dir>
set -euo pipefail
build=$1
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
(cd "$build" && cpack -G DEB >/dev/null 2>&1) || (cd "$build" && cpack -G DEB)
deb=$(ls "$build"/rras-exporter_*_amd64.deb)
echo "package: $deb ($(stat -c %s "$deb") bytes)"
# dpkg refuses at once while another apt or dpkg holds its lock (unattended-upgrades on a fresh
# machine): wait for it, up to 10 minutes, instead of failing.
dpkg_waiting() {
  local waited=0 out
  while ! out=$("${as_root[@]}" dpkg "$@" 2>&1 >/dev/null); do
    if ! grep -qiE 'lock|locked' <<<"$out" || [ "$waited" -ge 600 ]; then
      echo "$out" >&2
      return 1
    fi
    [ "$waited" -gt 0 ] || echo "waiting for the dpkg lock (another apt or dpkg is running)..." >&2
    sleep 5
    waited=$((waited + 5))
  done
}
dpkg_waiting -i "$deb"
trap 'dpkg_waiting --purge rras-exporter' EXIT

unit=/usr/lib/systemd/system/rras_exporter.service
for f in /usr/bin/rras_exporter "$unit" /etc/rras_exporter/rras_exporter.yml \
         /usr/share/doc/rras-exporter/README.md /usr/share/doc/rras-exporter/LICENSE \
         /usr/share/doc/rras-exporter/docs/sources/rrasm.md; do
  [ -e "$f" ] || { echo "FAIL: $f is not installed" >&2; exit 1; }
done
dpkg-query -W -f='${Conffiles}\n' rras-exporter | grep -q /etc/rras_exporter/rras_exporter.yml ||
  { echo "FAIL: the example configuration is not a conffile" >&2; exit 1; }
/usr/bin/rras_exporter --version | head -1
# The example configuration is valid once its credential exists (as systemd would provide it).
creds=$(mktemp -d)
printf 'example\n' > "$creds/vpn-a.pass"
CREDENTIALS_DIRECTORY=$creds /usr/bin/rras_exporter --config.file=/etc/rras_exporter/rras_exporter.yml --config.check
rm -rf "$creds"
out=$(systemd-analyze verify "$unit" 2>&1) || { echo "$out" >&2; exit 1; }
[ -z "$out" ] || { echo "FAIL: systemd-analyze verify is not clean:" >&2; echo "$out" >&2; exit 1; }
echo "systemd-analyze verify $unit: clean"
systemd-analyze security --offline=true "$unit" 2>/dev/null | tail -1
echo "1 passed, 0 failed"
