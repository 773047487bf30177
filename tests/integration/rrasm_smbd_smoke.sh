#!/usr/bin/env bash
# Starts Debian's smbd on 127.0.0.1 (SMB3 only, encryption and signing required, a throw-away
# tdbsam user) in a temporary directory, runs rrasm_smbd_smoke against its srvsvc pipe, and
# stops it. smbd never outlives the test: `timeout` bounds it and a trap kills it.
# Usage: rrasm_smbd_smoke.sh <rrasm_smbd_smoke-binary>
set -euo pipefail
smoke=$1
command -v smbd >/dev/null || { echo "FAIL: smbd not installed (Debian package samba)" >&2; exit 1; }
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP: smbd needs root here (its tdbsam user maps to a Unix account)"; exit 77
fi
source "$(dirname "$0")/samba_var_log.sh"
remember_samba_var_log
tmp=$(mktemp -d /tmp/rrasm_smbd.XXXXXX)
smbd_pid=
cleanup() {
  [ -n "$smbd_pid" ] && kill "$smbd_pid" 2>/dev/null || true
  # samba-dcerpcd and rpcd_* helpers started on demand belong to this config: end them by pid.
  for pid in $(pgrep -f -- "$tmp/smb.conf" || true); do kill "$pid" 2>/dev/null || true; done
  restore_samba_var_log
  rm -rf "$tmp"
}
trap cleanup EXIT
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$tmp"/{lock,state,cache,private,run,ncalrpc,share}
cat > "$tmp/smb.conf" <<CONF
[global]
  netbios name = RRASSMOKE
  workgroup = RRASLAB
  server role = standalone server
  interfaces = 127.0.0.1
  bind interfaces only = yes
  smb ports = $port
  disable netbios = yes
  server min protocol = SMB3
  server smb encrypt = required
  server signing = mandatory
  passdb backend = tdbsam:$tmp/private/passdb.tdb
  lock directory = $tmp/lock
  state directory = $tmp/state
  cache directory = $tmp/cache
  private dir = $tmp/private
  pid directory = $tmp/run
  ncalrpc dir = $tmp/ncalrpc
  log file = $tmp/log.%m
  log level = 1
  map to guest = never
  restrict anonymous = 2
  load printers = no
  printcap name = /dev/null
[share]
  path = $tmp/share
CONF
password="Smoke-$RANDOM-Pass!"
printf '%s\n' "$password" > "$tmp/password"
printf '%s\n%s\n' "$password" "$password" | smbpasswd -c "$tmp/smb.conf" -s -a root >/dev/null
timeout 90 smbd -s "$tmp/smb.conf" -F --no-process-group --debug-stdout > "$tmp/smbd.out" 2>&1 &
smbd_pid=$!
for _ in $(seq 1 100); do
  (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break
  sleep 0.1
done
if ! "$smoke" --threads "${RRASM_SMOKE_THREADS:-8}" --rounds "${RRASM_SMOKE_ROUNDS:-25}" "$port" RRASSMOKE root "$tmp/password"; then
  echo "--- smbd log" >&2; tail -n 30 "$tmp"/log.* "$tmp/smbd.out" >&2 || true
  exit 1
fi
