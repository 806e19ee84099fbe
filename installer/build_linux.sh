#!/usr/bin/env bash
# Linux onedir build with PyInstaller from the checked-in spec → build/linux/dist/BaoCao/BaoCao
# Installs what it needs (a build venv with the app's dependencies and PyInstaller; idempotent),
# then checks the frozen app: `demo`, `report list --json`, `export --docx` and the GUI offscreen.
#   bash installer/build_linux.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/build/linux
VENV=$OUT/venv
mkdir -p "$OUT"
if [ ! -x "$VENV/bin/python" ]; then python3 -m venv "$VENV"; fi
"$VENV/bin/python" -m pip install -q --disable-pip-version-check "pyinstaller>=6.10" "$ROOT"
t0=$(date +%s)
"$VENV/bin/pyinstaller" --noconfirm --log-level WARN --distpath "$OUT/dist" --workpath "$OUT/work" installer/baocao.spec
echo "[build_linux] frozen in $(($(date +%s) - t0)) s: $OUT/dist/BaoCao ($(du -sh "$OUT/dist/BaoCao" | cut -f1))"

# -- check the frozen app -----------------------------------------------------------------------------
APP=$OUT/dist/BaoCao/BaoCao
CHECK=$(mktemp -d)
trap 'rm -rf "$CHECK"' EXIT
export QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME=$CHECK/config XDG_DATA_HOME=$CHECK/data
"$APP" demo --db "$CHECK/Dữ liệu.sqlite3"
ID=$("$APP" report list --json --db "$CHECK/Dữ liệu.sqlite3" | "$VENV/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["reports"][0]["id"])')
"$APP" check "$ID" --json --db "$CHECK/Dữ liệu.sqlite3" > "$CHECK/findings.json"
"$APP" export "$ID" --db "$CHECK/Dữ liệu.sqlite3" --docx "$CHECK/Báo cáo.docx"
"$VENV/bin/python" - "$CHECK/Báo cáo.docx" "$CHECK/findings.json" <<'PY'
import json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    assert z.testzip() is None and "BÁO CÁO" in z.read("word/document.xml").decode()
print("[build_linux] frozen export OK:", sys.argv[1], "findings:", len(json.load(open(sys.argv[2]))["findings"]))
PY
OUTPUT=$(BAOCAO_BENCH_EXIT_AFTER_SHOW=1 BAOCAO_BENCH_T0=$(date +%s.%N) timeout 120 "$APP" --db "$CHECK/Dữ liệu.sqlite3")
echo "$OUTPUT" | grep -q "BAOCAO_BENCH ready=" || { echo "frozen GUI did not show the main window: $OUTPUT" >&2; exit 1; }
echo "[build_linux] frozen GUI offscreen: $(echo "$OUTPUT" | tr '\n' ' ')"
