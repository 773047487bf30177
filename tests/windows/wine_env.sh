# Sourced by the Windows test scripts: one private Wine prefix per build tree, no debugger (a
# crashing program must exit non-zero, never be caught and reported as 0), no Mono/Gecko prompts.
export WINEPREFIX=${RRAS_WINEPREFIX:?RRAS_WINEPREFIX must name the Wine prefix}
export WINEDEBUG=-all
export WINEDLLOVERRIDES="winedbg.exe=d;mscoree=d;mshtml=d"
export WINEARCH=win64

# Creates the prefix once (concurrent callers wait). Wine's helper processes inherit stdio, so it is
# always redirected away from ctest's pipes, which would otherwise stay open after the test.
ensure_wine_prefix() {
  mkdir -p "$(dirname "$WINEPREFIX")"
  (
    flock 9
    if [ ! -f "$WINEPREFIX/system.reg" ]; then
      wine wineboot -i </dev/null >/dev/null 2>&1
      wineserver -w
    fi
  ) 9>"$WINEPREFIX.lock"
}

# The Windows path of a Linux file (Wine maps / to Z:).
windows_path() { winepath -w "$1" 2>/dev/null; }
