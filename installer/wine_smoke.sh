#!/usr/bin/env bash
# Smoke test of the built Windows installer under wine (see installer/wine_smoke.py for the steps).
# Installs wine and mingw-w64 itself (idempotent). Not part of the normal test command (minutes).
#
#   bash installer/wine_smoke.sh [build/windows/BaoCao-Setup.exe]
set -euo pipefail
cd "$(dirname "$0")/.."
DEB_PACKAGES="wine wine64 gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64"
missing=""
for p in $DEB_PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi
exec python3 installer/wine_smoke.py "$@"
