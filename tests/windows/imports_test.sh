#!/usr/bin/env bash
# The exe must run on a bare Windows Server: it may import only DLLs every Windows has (a mingw
# runtime or zlib1.dll import would work under Wine, which ships them, and fail on Windows).
# Usage: imports_test.sh <objdump> <program.exe>
set -euo pipefail
# USER32: OpenSSL asks it whether a desktop is there before showing a fatal error (present on
# Server Core too).
allowed='^(ADVAPI32|bcrypt|KERNEL32|msvcrt|WS2_32|CRYPT32|USER32)\.dll$'
imports=$("$1" -p "$2" | sed -n 's/^\s*DLL Name: //p')
bad=$(grep -viE "$allowed" <<<"$imports" || true)
if [ -n "$bad" ]; then
  echo "FAIL: $(basename "$2") imports $(echo $bad) (not part of Windows)"
  exit 1
fi
echo "PASS: $(basename "$2") imports only $(echo $imports)"
