#!/usr/bin/env bash
# The one command for the Windows installer: build it, then smoke-test it under wine.
#   bash installer/build_and_test.sh      (≈ 2 min build + ≈ 5 min wine test on a 2-core machine)
set -euo pipefail
cd "$(dirname "$0")/.."
bash installer/build_windows.sh
bash installer/wine_smoke.sh build/windows/BaoCao-Setup.exe
