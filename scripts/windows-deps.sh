#!/usr/bin/env bash
# Builds what the Windows cross build needs, from Debian only: the mingw-w64 toolchain, Wine,
# wixl and mingw zlib are Debian packages; yaml-cpp, prometheus-cpp (core), the header-only
# cpp-httplib, OpenSSL (TLS) and libxcrypt (bcrypt for basic auth) come from Debian *source*
# packages (apt-get source, with Debian's patches applied), googletest from /usr/src/googletest.
# Everything lands in build/windows-deps/sysroot, which the `windows` CMake preset searches. A
# no-op when that sysroot is complete; the stamp's version changes when the set of libraries does.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
deps=$root/build/windows-deps
sysroot=$deps/sysroot
stamp=$sysroot/.complete-v2

packages=(mingw-w64 gcc-mingw-w64-x86-64-posix g++-mingw-w64-x86-64-posix binutils-mingw-w64-x86-64
          libz-mingw-w64-dev wine wine64 wixl msitools dpkg-dev googletest cmake curl
          libgnutls30   # Wine's bcrypt.dll (HMAC for hashed user names) needs GnuTLS; only recommended
          mingw-w64-tools   # x86_64-w64-mingw32-widl: the reference DIMSVC router (tests/reference_dimsvc)
          autoconf automake libtool  # libxcrypt's source package ships no configure script
          openssl)          # the Wine TLS tests' certificates and s_client probes
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
if [ ${#missing[@]} -gt 0 ]; then
  echo "windows-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
  "${as_root[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ -f "$stamp" ]; then
  echo "windows-deps: $sysroot is complete"
  exit 0
fi
rm -rf "$sysroot"  # an older stamp: rebuild everything into a clean sysroot

# Source packages through a private apt state: the machine's own Debian mirror and key, with
# deb-src added, without touching /etc/apt.
apt_dir=$deps/apt
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$deps/src"
uri=$(grep -rhoE '^(URIs:|deb) *\S+debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null \
      | awk '{print $2}' | grep -v security | head -1 || true)
uri=${uri:-http://deb.debian.org/debian}
signed_by=""  # Debian's archive keyring when present, else apt's trusted.gpg.d
[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] && signed_by="[signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
echo "deb-src $signed_by$uri bookworm main" > "$apt_dir/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
          -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o APT::Sandbox::User=root)
apt-get "${apt_opts[@]}" update -qq
cd "$deps/src"
for pkg in yaml-cpp prometheus-cpp cpp-httplib openssl libxcrypt; do
  if ! ls -d "$pkg"-*/ >/dev/null 2>&1; then
    apt-get "${apt_opts[@]}" source -qq "$pkg" >/dev/null  # dpkg-source -x applies Debian's patches
  fi
done

cmake_cross=(-G "Unix Makefiles" -DCMAKE_TOOLCHAIN_FILE="$root/cmake/mingw-w64-x86_64.cmake"
             -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$sysroot" -DBUILD_SHARED_LIBS=OFF)
build() {  # build <name> <source-dir> [cmake options...]
  local name=$1 src=$2; shift 2
  echo "windows-deps: building $name"
  cmake -S "$src" -B "$deps/build/$name" "${cmake_cross[@]}" "$@" >/dev/null
  cmake --build "$deps/build/$name" -j2 >/dev/null
  cmake --install "$deps/build/$name" >/dev/null
}
build yaml-cpp "$(ls -d "$deps"/src/yaml-cpp-*/ | head -1)" -DYAML_CPP_BUILD_TESTS=OFF -DYAML_CPP_BUILD_TOOLS=OFF \
  -DYAML_CPP_BUILD_CONTRIB=OFF
build prometheus-cpp "$(ls -d "$deps"/src/prometheus-cpp-*/ | head -1)" -DENABLE_PULL=OFF -DENABLE_PUSH=OFF \
  -DENABLE_COMPRESSION=OFF -DENABLE_TESTING=OFF -DUSE_THIRDPARTY_LIBRARIES=OFF -DGENERATE_PKGCONFIG=OFF
build googletest /usr/src/googletest -DBUILD_GMOCK=ON -DINSTALL_GTEST=ON -Dgtest_disable_pthreads=OFF
mkdir -p "$sysroot/include"
cp "$(ls -d "$deps"/src/cpp-httplib-*/ | head -1)/httplib.h" "$sysroot/include/httplib.h"

# OpenSSL, static, libraries only. Left out: what a TLS server with PEM files never uses (engines,
# the legacy provider, DTLS, SRP, CT, TS, loadable modules) and ciphers no TLS suite of
# OpenSSL 3 uses (IDEA, MDC2, RC5, Camellia, SEED, SM2/3/4, Whirlpool, ARIA, Blowfish, CAST).
# No openssl.cnf is read at start (no-autoload-config): no file outside the exporter's control
# changes its TLS settings. Security level 2, as Debian's own build. OPENSSLDIR is given to make:
# Configure, running on Linux, would put a Windows path under the prefix; this is upstream's mingw
# default, writable by administrators only.
SECONDS=0
echo "windows-deps: building openssl"
rm -rf "$deps/build/openssl" && mkdir -p "$deps/build/openssl"
(
  cd "$deps/build/openssl"
  "$(ls -d "$deps"/src/openssl-*/ | head -1)/Configure" mingw64 --cross-compile-prefix=x86_64-w64-mingw32- \
    --prefix="$sysroot" --libdir=lib \
    no-shared no-tests no-module no-legacy no-engine no-dso no-ui-console no-comp no-ssl3 no-srp no-ct no-ts \
    no-dtls no-srtp no-sctp no-nextprotoneg no-autoload-config no-idea no-mdc2 no-rc5 no-camellia no-seed \
    no-sm2 no-sm3 no-sm4 no-whirlpool no-aria no-bf no-cast -DOPENSSL_TLS_SECURITY_LEVEL=2 >configure.log
  make -j2 build_libs OPENSSLDIR="C:/Program Files/Common Files/SSL" >build.log 2>&1 || { tail -30 build.log; exit 1; }
  make install_dev >install.log 2>&1 || { tail -30 install.log; exit 1; }
)
echo "windows-deps: openssl took ${SECONDS}s"

# libxcrypt with its own build system (autoreconf, as Debian's rules do), static, bcrypt only: its
# $2b$ (bcrypt), $2a$ (bcrypt_a) and $2y$ (bcrypt_y, what htpasswd -B writes) variants, each a
# hash of its own in libxcrypt's configure.
SECONDS=0
echo "windows-deps: building libxcrypt"
xcrypt_src=$(ls -d "$deps"/src/libxcrypt-*/ | head -1)
[ -x "$xcrypt_src/configure" ] || (cd "$xcrypt_src" && autoreconf -fi >/dev/null 2>&1)
rm -rf "$deps/build/libxcrypt" && mkdir -p "$deps/build/libxcrypt"
(
  cd "$deps/build/libxcrypt"
  "$xcrypt_src/configure" --host=x86_64-w64-mingw32 --prefix="$sysroot" --enable-hashes=bcrypt,bcrypt_a,bcrypt_y \
    --enable-obsolete-api=no --disable-failure-tokens --disable-shared --enable-static --disable-werror \
    --disable-dependency-tracking -C >configure.log 2>&1 || { tail -30 configure.log; exit 1; }
  make -j2 libcrypt.la >build.log 2>&1 || { tail -30 build.log; exit 1; }
  make install-libLTLIBRARIES install-nodist_includeHEADERS >install.log 2>&1 || { tail -30 install.log; exit 1; }
)
echo "windows-deps: libxcrypt took ${SECONDS}s"
touch "$stamp"
echo "windows-deps: done ($sysroot)"
