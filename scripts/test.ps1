# Windows: installs the test environment and runs every test. LibreOffice must be installed for the
# render tests (https://www.libreoffice.org; soffice.exe is looked up in its usual folder).
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
if (-not (Test-Path .venv\Scripts\python.exe)) { py -3 -m venv .venv }
.venv\Scripts\python -m pip install -q --upgrade pip
.venv\Scripts\python -m pip install -q -e ".[test]"
$env:QT_QPA_PLATFORM = "offscreen"
$lo = "C:\Program Files\LibreOffice\program"
if (Test-Path $lo) { $env:PATH = "$lo;$env:PATH" }
.venv\Scripts\python -m pytest -q @args
exit $LASTEXITCODE
