#!/usr/bin/env bash
# One command that installs everything the tests need on a fresh Debian machine and runs them.
# Windows: scripts\test.ps1
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian libraries for Qt offscreen/xcb, fonts metric-compatible with Times New Roman,
# LibreOffice for render checks, Xvfb and poppler for screenshots and PDF inspection.
DEB_PACKAGES="libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 \
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 \
  libxcb-shape0 libxcb-xinerama0 libxcb-xfixes0 libxcb-xkb1 libnss3 libasound2 \
  fonts-liberation2 fonts-dejavu-core libreoffice-writer-nogui poppler-utils xvfb xauth"
missing=""
for p in $DEB_PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'

export QT_QPA_PLATFORM=offscreen
exec .venv/bin/python -m pytest -q "$@"
