"""Issue 19 point 2 in the template manager: a .yaml (even a signed template unzipped) is a "mẫu tự tạo",
marked so in the list, and installs under a code of its own when its code is a shipped one."""
from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from baocao_desktop.ui import template_manager as manager_module  # noqa: E402
from baocao_desktop.ui.template_manager import HEADERS, TemplateManagerDialog  # noqa: E402


def test_a_yaml_shows_as_self_made_under_its_own_code(qtbot, workspace, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(manager_module, "show_info", lambda *a, **k: shown.append(("info", a[1:])))
    monkeypatch.setattr(manager_module, "show_error", lambda *a, **k: shown.append(("error", a[1:])))
    monkeypatch.setattr(manager_module, "ask_yes_no", lambda *a, **k: shown.append(("ask", a[1:])) or True)
    path = tmp_path / "bc_tuan_v2.yaml"
    path.write_text(workspace.template("bc_tuan").source.replace("version: 1\n", "version: 2\n", 1), encoding="utf-8")
    manager = TemplateManagerDialog(workspace)
    qtbot.addWidget(manager)

    assert list(manager.import_pack(path)) == [("bc_tuan_tu_tao", 2, "installed")], shown

    question = shown[0][1][1]
    assert "bc_tuan_tu_tao" in question and "mẫu tự tạo" in question  # said before importing
    assert "mã riêng “bc_tuan_tu_tao”" in shown[-1][1][1]  # and after
    column = HEADERS.index("Nguồn")
    marks = {manager.table.item(r, 1).text(): manager.table.item(r, column).text()
             for r in range(manager.table.rowCount())}
    assert marks["bc_tuan_tu_tao"] == "mẫu tự tạo"
    assert marks["bc_tuan"] == "mẫu có sẵn"
    assert manager.selected_codes() == ["bc_tuan_tu_tao"]
