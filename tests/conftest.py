import os
import sys
import tempfile
from pathlib import Path

import pytest

# GUI tests drive real widgets without a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Never the user's own data folder (default database, bug log): a test that forgets --db, or a parser slip,
# must not open or upgrade the real ~/.local/share/BaoCao/baocao.sqlite3. Child processes inherit it.
os.environ["BAOCAO_DATA_DIR"] = tempfile.mkdtemp(prefix="baocao-tests-data-")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "fixtures" / "seeds"  # copies of ../shared/seeds, so a clone anywhere has them


def pytest_configure(config):
    config.addinivalue_line("markers", "render: converts documents with LibreOffice (slow)")


@pytest.fixture
def workspace(tmp_path):
    from baocao_desktop.services.workspace import Workspace
    ws = Workspace(tmp_path / "baocao.sqlite3", author="tester")
    yield ws
    ws.close()


@pytest.fixture
def demo_workspace(workspace):
    from baocao_desktop.services.demo import load_demo
    load_demo(workspace)
    return workspace


def run_cli(*args: str):
    """Run the CLI in-process; returns (exit code, stdout, stderr)."""
    import contextlib
    import io
    from baocao_desktop.cli import main
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = exc.code
    return code, out.getvalue(), err.getvalue()
