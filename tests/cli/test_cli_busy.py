"""The command line while another program holds the database's write lock: a Vietnamese sentence and exit
status 2, no traceback, nothing written."""
from __future__ import annotations

import json

from baocao_desktop.store import db as store_db
from tests.conftest import run_cli
from tests.write_lock import write_lock_held


def test_a_write_while_the_lock_stays_held_says_busy_without_a_traceback(tmp_path, monkeypatch):
    db = str(tmp_path / "cli.sqlite3")
    assert run_cli("demo", "--db", db)[0] == 0
    before = json.loads(run_cli("report", "list", "--db", db, "--json")[1])["reports"]
    monkeypatch.setattr(store_db, "WRITE_WAIT_SECONDS", 0.3)  # the wait is 5 s; the outcome is the same
    with write_lock_held(tmp_path / "cli.sqlite3"):
        code, out, err = run_cli("report", "new", "--template", "bc_tuan", "--period", "2026-07-06", "--db", db)
        assert code == 2
        assert "Dữ liệu đang bận (một chương trình khác đang ghi). Hãy thử lại sau ít phút." in err
        assert "Traceback" not in err and "OperationalError" not in err
        # reading goes on while another program writes
        assert run_cli("report", "list", "--db", db, "--json")[0] == 0
    after = json.loads(run_cli("report", "list", "--db", db, "--json")[1])["reports"]
    assert len(after) == len(before)
    assert run_cli("report", "new", "--template", "bc_tuan", "--period", "2026-07-06", "--db", db)[0] == 0
