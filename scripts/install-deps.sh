#!/usr/bin/env bash
# Installs the Debian 12 packages rras_exporter needs to build and test. A no-op when they are all
# present; otherwise one apt-get install (as root, or through sudo).
set -euo pipefail

packages=(
  build-essential cmake pkg-config git ca-certificates
  prometheus-cpp-dev libcpp-httplib-dev libbrotli-dev libyaml-cpp-dev zlib1g-dev libssl-dev
  googletest libgtest-dev libgmock-dev
  prometheus        # real Prometheus server and promtool for the integration tests
  python3 curl
  python3-yaml      # rule and dashboard tests read YAML
  clang-tidy clang-format   # static checks and the format gate (ctest label lint)
  # rrasm source (Linux): Samba's DCE/RPC client libraries, sd_notify, the .deb, and its tests
  samba-dev libtalloc-dev libtevent-dev libsystemd-dev
  python3-impacket  # the fake DIMSVC (system python)
  samba             # smbd for the sealed-transport smoke test
  systemd dpkg-dev file
  # performance (issue 6): ISA-L's fast deflate, and the benchmarks in bench/
  libisal-dev libbenchmark-dev golang-go golang-github-prometheus-client-golang-dev
  # rrasm Kerberos test: a throw-away Samba AD DC + KDC on 127.0.0.1, MIT kinit for its ccache
  samba-dsdb-modules samba-ad-provision samba-vfs-modules winbind libnss-wrapper krb5-user
  libcrypt-dev      # libxcrypt crypt_r: bcrypt basic auth (--web.config.file)
  openssl           # TLS test certificates and s_client in the web config test
  clang libclang-rt-14-dev   # sanitizer presets (asan, tsan) and libFuzzer
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
# The prometheus, samba and winbind packages start system services; the tests run their own
# servers. --no-install-recommends also keeps krb5-config from writing /etc/krb5.conf.
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
for service in prometheus smbd nmbd samba-ad-dc winbind; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$service" 2>/dev/null; then
    "${as_root[@]}" systemctl stop "$service" || true
  fi
done
