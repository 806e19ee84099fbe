#!/usr/bin/env bash
# Opens BaoCao Desktop on the per-user database (created on first start). Windows: scripts\run.bat
# Extra arguments go to the app: --db PATH opens another database, --demo loads the demo unit first.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c "import baocao_desktop, PySide6" 2>/dev/null; then
  [ -x .venv/bin/python ] || "$PY" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e .
fi
exec .venv/bin/python -m baocao_desktop "$@"
