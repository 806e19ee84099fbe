@echo off
rem Opens BaoCao Desktop on the per-user database (%LOCALAPPDATA%\BaoCao). Needs Python 3.11+ (py launcher).
cd /d "%~dp0\.."
if not exist .venv\Scripts\python.exe (
  py -3 -m venv .venv || exit /b 1
  .venv\Scripts\python -m pip install -q --upgrade pip
  .venv\Scripts\python -m pip install -q -e . || exit /b 1
)
.venv\Scripts\python -m baocao_desktop %*
