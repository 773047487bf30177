#!/usr/bin/env bash
# The rrasm source's Kerberos path for real: provisions a throw-away Samba AD DC (with its KDC)
# under a temporary directory, listening on 127.0.0.1 only with moved ports, creates a user, gets
# a ticket with MIT kinit into a private ccache (private krb5.conf through KRB5_CONFIG), and runs
# rrasm_smbd_smoke with `kerberos: true` against the DC's srvsvc pipe: the bind must be sealed (6)
# and SPNEGO (9, as MS-RRASM requires), and the KDC and DC logs must show that Kerberos ran inside
# it (cifs/ and host/ tickets, [SMB2,krb5], no NTLMSSP, no forwarded TGT). Then: no ticket and an
# expiring ticket must fail naming the cause; a keytab ticket (kinit -kt) works; and the exporter
# itself (--poll-once, a `kerberos: true` router) authenticates by Kerberos and then finds no
# \PIPE\ROUTER on a DC, or without a ticket names the missing ticket.
# Nothing in /etc is read or written; the DC never outlives the test (samba's own maximum
# runtime, `timeout`, and a cleanup trap that ends it by pid). Recipe and the reasons for the
# nss_wrapper environment: shared/research/kerberos-lab.md.
# Usage: rrasm_kerberos_smoke.sh <rrasm_smbd_smoke-binary> <rras_exporter-binary>
set -euo pipefail
smoke=$1 exporter=$2
start=$SECONDS
nss_wrapper=/usr/lib/x86_64-linux-gnu/libnss_wrapper.so
for tool in samba samba-tool kinit klist; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool not installed (scripts/install-deps.sh)" >&2; exit 1; }
done
[ -e "$nss_wrapper" ] || { echo "FAIL: $nss_wrapper missing (Debian package libnss-wrapper)" >&2; exit 1; }
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP: the Samba AD DC needs root here"; exit 77
fi

tmp=$(mktemp -d /tmp/rrasm_krb.XXXXXX)
dc=$tmp/dc
realm=RRASKRB.TEST domain=RRASKRB host=dc1 fqdn=dc1.rraskrb.test
samba_pid=
source "$(dirname "$0")/samba_var_log.sh"
remember_samba_var_log

stop_pid() {  # pid: SIGTERM, then wait up to 3 s, then SIGKILL
  local pid=$1
  kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.05; done
  kill -9 "$pid" 2>/dev/null || true
}
cleanup() {
  [ -n "$samba_pid" ] && stop_pid "$samba_pid"
  # smbd starts samba-dcerpcd for srvsvc on demand; it outlives the master by a minute.
  [ -f "$dc/run/samba-dcerpcd.pid" ] && stop_pid "$(cat "$dc/run/samba-dcerpcd.pid")"
  for pid in $(pgrep -f -- "$dc/etc/smb.conf" || true); do stop_pid "$pid"; done
  restore_samba_var_log
  rm -rf "$tmp"
}
trap cleanup EXIT

# Four free ports (KDC, kpasswd, SMB, the rpc task's one dynamic port), none below 1024.
read -r kdc_port kpasswd_port smb_port rpc_port < <(/usr/bin/python3 -c '
import socket
socks = [socket.socket() for _ in range(4)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])')

t=$SECONDS
: > "$tmp/empty.conf"  # so samba-tool does not copy /etc/samba/smb.conf
samba-tool domain provision -s "$tmp/empty.conf" --use-rfc2307 --realm=$realm --domain=$domain \
  --server-role=dc --host-name=$host --dns-backend=NONE --adminpass="Adm1n-$RANDOM-Pass!" \
  --targetdir="$dc" \
  --option="interfaces=127.0.0.1" --option="bind interfaces only=yes" --option="disable netbios=yes" \
  --option="pid directory=$dc/run" --option="ncalrpc dir=$dc/run/ncalrpc" \
  --option="winbindd socket directory=$dc/run/winbindd" \
  --option="ntp signd socket directory=$dc/run/ntp_signd" \
  --option="log file=$dc/log/log.%m" --option="log level=1 auth_audit:5 kerberos:3" \
  --option="server services=s3fs, rpc, kdc, winbindd" --option="dcerpc endpoint servers=lsarpc" \
  --option="prefork children=1" \
  --option="krb5 port=$kdc_port" --option="kpasswd port=$kpasswd_port" --option="smb ports=$smb_port" \
  --option="rpc server dynamic port range=$rpc_port-$rpc_port" \
  > "$tmp/provision.out" 2>&1 || { echo "FAIL: provision" >&2; tail -20 "$tmp/provision.out" >&2; exit 1; }
# Without it every daemon logs to /var/log/samba instead.
mkdir -p "$dc/log"
echo "provisioned $realm in $((SECONDS - t)) s"

cat > "$tmp/krb5.conf" <<CONF
[libdefaults]
  default_realm = $realm
  dns_lookup_realm = false
  dns_lookup_kdc = false
  rdns = false
  dns_canonicalize_hostname = false
[realms]
  $realm = {
    kdc = 127.0.0.1:$kdc_port
    kpasswd_server = 127.0.0.1:$kpasswd_port
  }
[domain_realm]
  .rraskrb.test = $realm
CONF
printf '127.0.0.1 %s %s\n' "$fqdn" "$host" > "$tmp/hosts"
cp /etc/passwd "$tmp/passwd"; cp /etc/group "$tmp/group"
export KRB5_CONFIG=$tmp/krb5.conf

t=$SECONDS
# smbd's libwbclient finds a relocated winbindd socket only through nss_wrapper's
# SELFTEST_WINBINDD_SOCKET_DIR; without it every SMB session setup is NT_STATUS_INTERNAL_ERROR.
LD_PRELOAD=$nss_wrapper NSS_WRAPPER_PASSWD=$tmp/passwd NSS_WRAPPER_GROUP=$tmp/group \
  SELFTEST_WINBINDD_SOCKET_DIR=$dc/run/winbindd \
  timeout 55 samba -s "$dc/etc/smb.conf" -F --no-process-group --maximum-runtime=50 \
  > "$tmp/samba.out" 2>&1 < /dev/null &
samba_pid=$!
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for _ in $(seq 1 200); do
  listening "$kdc_port" && listening "$smb_port" && [ -S "$dc/run/winbindd/pipe" ] && break
  kill -0 "$samba_pid" 2>/dev/null || { echo "FAIL: samba exited" >&2; tail -30 "$tmp/samba.out" >&2; exit 1; }
  sleep 0.05
done
listening "$kdc_port" && listening "$smb_port" || { echo "FAIL: the DC did not listen in 10 s" >&2; exit 1; }
echo "DC up in $((SECONDS - t)) s (KDC 127.0.0.1:$kdc_port, SMB 127.0.0.1:$smb_port)"

password="Us3r-$RANDOM-Pass!"
samba-tool user create rrasmon "$password" -s "$dc/etc/smb.conf" > "$tmp/user.out" 2>&1 ||
  { echo "FAIL: user create" >&2; cat "$tmp/user.out" >&2; exit 1; }
export KRB5CCNAME=FILE:$tmp/ccache
# Forwardable, so the no-delegation check below means something.
printf '%s\n' "$password" | kinit -f "rrasmon@$realm" > "$tmp/kinit.out" 2>&1 ||
  { echo "FAIL: kinit" >&2; cat "$tmp/kinit.out" >&2; exit 1; }
klist | sed -n 's/^Default principal: /ticket for /p'

dc_log_has() { grep -q -h -- "$1" "$dc"/log/log.*; }
show_dc_log() { echo "--- DC log" >&2; tail -n 40 "$dc"/log/log.* "$tmp/samba.out" >&2 || true; }
expect_in_dc_log() {  # pattern what
  dc_log_has "$1" || { echo "FAIL: $2 (no \"$1\" in the DC log)" >&2; show_dc_log; exit 1; }
  echo "DC log: $2"
}
# The client resolves the DC's name (its SPNs are cifs/ and host/dc1.rraskrb.test) through
# nss_wrapper's hosts file, as it would through DNS: the config says `server: dc1.rraskrb.test`.
client() { LD_PRELOAD=$nss_wrapper NSS_WRAPPER_HOSTS=$tmp/hosts "$smoke" --server "$fqdn" "$@"; }

t=$SECONDS
client --kerberos "$smb_port" || { show_dc_log; exit 1; }
echo "Kerberos connect + call in $((SECONDS - t)) s"
# The binding is SPNEGO (9), as MS-RRASM requires; what ran inside it shows at the KDC and the DC:
# the SMB session needed a cifs/ ticket, the DCE/RPC bind (authservice "host") a host/ ticket.
expect_in_dc_log "TGS-REQ SUCCESS .* rrasmon@$realm cifs/$fqdn@$realm" "the KDC issued cifs/$fqdn (SMB session)"
expect_in_dc_log "TGS-REQ SUCCESS .* rrasmon@$realm host/$fqdn@$realm" "the KDC issued host/$fqdn (DCE/RPC bind)"
expect_in_dc_log "Successful AuthZ: \[SMB2,krb5\] user \[$domain\]" "SMB2 session authorised by Kerberos"
if dc_log_has NTLMSSP; then echo "FAIL: the DC saw NTLMSSP (a fallback from Kerberos)" >&2; exit 1; fi
# gensec_gssapi:delegation_by_kdc_policy=no: the user's TGT is never forwarded to the server.
if dc_log_has "TGS-REQ .* for krbtgt/.*forwarded"; then
  echo "FAIL: the client asked the KDC for a forwarded TGT (delegation)" >&2; exit 1
fi

# No ticket: KRB5CCNAME names a ccache that does not exist.
KRB5CCNAME=FILE:$tmp/no-such-ccache client --kerberos --expect-error "no Kerberos ticket" "$smb_port"
# A ticket with less than 5 minutes left, which Samba would not use (it would want to kinit).
printf '%s\n' "$password" | KRB5CCNAME=FILE:$tmp/ccache.short kinit -l 2m "rrasmon@$realm" > /dev/null
KRB5CCNAME=FILE:$tmp/ccache.short client --kerberos --expect-error "expires within 5 minutes" "$smb_port"
# A keytab, as a service would use it: kinit -kt into a ccache (Samba does not kinit from one).
samba-tool domain exportkeytab "$tmp/rrasmon.keytab" --principal="rrasmon@$realm" -s "$dc/etc/smb.conf" > /dev/null 2>&1
kinit -k -t "$tmp/rrasmon.keytab" -c "FILE:$tmp/ccache.keytab" "rrasmon@$realm"
KRB5CCNAME=FILE:$tmp/ccache.keytab client --kerberos "$smb_port" | grep "over the sealed"
# Routers poll on threads of their own: Kerberos binds at once through the shim's Samba lock.
KRB5CCNAME=FILE:$tmp/ccache.keytab client --kerberos --threads 4 --rounds 5 "$smb_port" | grep "at once: 0 failed"

cat > "$tmp/exporter.yml" <<YML
routers:
  - name: dc1
    source: rrasm
    server: $fqdn
    port: $smb_port
    kerberos: true
    timeout: 5s
YML
poll_once() {  # ccache: one poll, output in $tmp/poll.out; it exits non-zero (no DIMSVC on a DC)
  LD_PRELOAD=$nss_wrapper NSS_WRAPPER_HOSTS=$tmp/hosts KRB5CCNAME=$1 \
    timeout 20 "$exporter" --config.file="$tmp/exporter.yml" --poll-once > "$tmp/poll.out" 2>&1 || true
}
expect_in_poll() {  # pattern what
  grep -q -- "$1" "$tmp/poll.out" || { echo "FAIL: $2 (no \"$1\")" >&2; cat "$tmp/poll.out" >&2; exit 1; }
  echo "exporter: $2"
}
krb5_sessions() { cat "$dc"/log/log.* | grep -c "Successful AuthZ: \[SMB2,krb5\]" || true; }
sessions_before=$(krb5_sessions)
poll_once "$KRB5CCNAME"
grep -v -e "^#" -e "^[a-z_]*{" -e "^[a-z_]* [0-9]" "$tmp/poll.out" || true
expect_in_poll 'rras_up{router="dc1"} 0' "rras_up 0 with a ticket (a DC has no \\PIPE\\ROUTER)"
expect_in_poll "RPC_S_SERVER_UNAVAILABLE" "RPC_S_SERVER_UNAVAILABLE: no \\PIPE\\ROUTER"
[ "$(krb5_sessions)" -gt "$sessions_before" ] ||
  { echo "FAIL: the exporter's SMB session was not authorised by Kerberos" >&2; show_dc_log; exit 1; }
echo "DC log: the exporter's SMB session was authorised by Kerberos"
poll_once "FILE:$tmp/no-such-ccache"
expect_in_poll 'rras_up{router="dc1"} 0' "rras_up 0 without a ticket"
grep -v -e "^#" -e "^[a-z_]*{" -e "^[a-z_]* [0-9]" "$tmp/poll.out" || true
expect_in_poll "ERROR_NO_SUCH_LOGON_SESSION" "the poll error names the missing ticket"
expect_in_poll "no Kerberos ticket in the ticket cache FILE:$tmp/no-such-ccache" "the log names the ccache"
echo "whole test $((SECONDS - start)) s"
