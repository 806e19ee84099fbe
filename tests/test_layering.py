"""DESIGN §4: nothing outside ui/ imports PySide6. Import every such module with PySide6 blocked."""
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "baocao_desktop"

BLOCKER = r"""
import sys, importlib, importlib.abc, pkgutil
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith("PySide6.") or name == "shiboken6":
            raise ImportError("PySide6 is blocked outside ui/: " + name)
sys.meta_path.insert(0, Block())
import baocao_desktop
failed = []
count = 0
for info in pkgutil.walk_packages(baocao_desktop.__path__, "baocao_desktop."):
    if info.name.startswith("baocao_desktop.ui"):
        continue
    try:
        importlib.import_module(info.name)
        count += 1
    except ImportError as exc:
        failed.append(f"{info.name}: {exc}")
print(count)
if failed:
    print("\n".join(failed))
    sys.exit(1)
"""


def non_ui_modules():
    return [p for p in PACKAGE.rglob("*.py") if "ui" not in p.relative_to(PACKAGE).parts]


def test_no_module_outside_ui_needs_pyside6():
    result = subprocess.run([sys.executable, "-c", BLOCKER], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    # every module outside ui/ was really imported (the walk did not silently skip them)
    assert int(result.stdout.split()[0]) >= len([p for p in non_ui_modules() if p.name != "__init__.py"])


def test_blocker_really_blocks():
    code = BLOCKER.replace("import baocao_desktop\n", "import PySide6.QtCore\nimport baocao_desktop\n", 1)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode != 0 and "blocked" in result.stderr
