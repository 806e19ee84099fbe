"""Migration dialog: the preview table, confirmation, and the refusals (issue 3, point 3)."""
from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget  # noqa: E402

from baocao_desktop.templates.model import parse_template  # noqa: E402
from baocao_desktop.ui import migrate_dialog  # noqa: E402
from baocao_desktop.ui.migrate_dialog import MigrateDialog, open_migrate_dialog  # noqa: E402

V1 = """
code: thu_nghiem
version: 1
name: Báo cáo thử
period: week
indicators:
  - {code: lua, label: Diện tích lúa mùa, unit: ha, kind: area}
  - {code: ngo, label: Diện tích ngô, unit: ha, kind: area}
sections:
  - {number: "I.", title: Nông nghiệp, indicators: [lua, ngo]}
  - {number: "II.", title: Phương hướng}
"""
V2 = """
code: thu_nghiem
version: 2
name: Báo cáo thử
period: week
indicators:
  - {code: lua, label: Diện tích lúa mùa, unit: ha, kind: area}
sections:
  - {number: "I.", title: Tình hình chung}
  - {number: "II.", title: Trồng trọt, indicators: [lua]}
"""


@pytest.fixture
def report_v1(workspace):
    ws = workspace
    ws.save_unit(name="Đảng ủy xã Lùng Phình", place_name="Lùng Phình", symbol="ĐU")
    ws.install_template(parse_template(V1))
    report = ws.create_report("thu_nghiem", "2026-06-01")
    ws.set_section_text(report.id, "I", "Gieo cấy lúa mùa đúng thời vụ.")
    ws.set_section_text(report.id, "II", "Chuẩn bị vụ đông.")
    ws.set_value(report.id, "lua", "actual", "1.549,5")
    ws.set_value(report.id, "ngo", "actual", "86")
    ws.install_template(parse_template(V2))
    return ws, report.id


class FakeWindow(QWidget):
    """What open_migrate_dialog needs of the main window: a parent widget with `workspace`."""

    def __init__(self, workspace):
        super().__init__()
        self.workspace = workspace


def rows(dialog):
    return [[dialog.table.item(r, c).text() for c in range(dialog.table.columnCount())]
            for r in range(dialog.table.rowCount())]


def test_preview_lists_every_piece_unplaced_first_and_applies(qtbot, report_v1):
    ws, report_id = report_v1
    dialog = MigrateDialog(ws, report_id)
    qtbot.addWidget(dialog)
    dialog.show()
    shown = rows(dialog)
    assert shown[0] == ["Đoạn văn: “Chuẩn bị vụ đông.”", "", "Mục II: Phương hướng", "Nội dung chưa xếp mục",
                        "Không có chỗ"]
    assert ["Diện tích ngô (thực hiện)", "86 ha", "Mục I: Nông nghiệp", "Nội dung chưa xếp mục",
            "Không có chỗ"] in shown
    # by indicator code: the text of "Nông nghiệp" goes to II. Trồng trọt, not to I. by position
    assert ["Đoạn văn: “Gieo cấy lúa mùa đúng thời vụ.”", "", "Mục I: Nông nghiệp", "Mục II: Trồng trọt",
            "Chuyển mục"] in shown
    assert ["Diện tích lúa mùa (thực hiện)", "1.549,5 ha", "Mục I: Nông nghiệp", "Mục II: Trồng trọt",
            "Chuyển mục"] in shown
    figure = dialog.table.item(next(i for i, r in enumerate(shown) if r[1] == "1.549,5 ha"), 1)
    assert figure.textAlignment() & Qt.AlignmentFlag.AlignRight
    assert "2 không có chỗ trong mẫu mới" in dialog.summary_label.text()
    dialog.changes_only.setChecked(True)
    assert len(dialog.visible_rows()) == 4  # nothing is kept as is here
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.text() == "Chuyển sang phiên bản 2"
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    report = ws.report(report_id)
    assert report.template_version == 2
    assert report.texts["II"] == "Gieo cấy lúa mùa đúng thời vụ."
    assert "Chuẩn bị vụ đông." in report.texts["_unplaced"] and "Diện tích ngô (thực hiện): 86 ha" in report.texts["_unplaced"]


def test_signed_report_is_refused_with_a_vietnamese_message(qtbot, report_v1, monkeypatch):
    ws, report_id = report_v1
    report = ws.report(report_id)
    ws._set_status(report, "signed", {"content_hash": report.content_digest()})
    messages = []
    monkeypatch.setattr(migrate_dialog, "show_error", lambda parent, title, text, info="": messages.append(text + info))
    monkeypatch.setattr(MigrateDialog, "exec", lambda self: pytest.fail("no preview for a locked report"))
    assert open_migrate_dialog(FakeWindow(ws), report_id) is False
    assert "Đã ký" in messages[0] and "mở khóa" in messages[0]
    assert ws.report(report_id).template_version == 1
    # the dialog itself also refuses: the button is off
    dialog = MigrateDialog(ws, report_id)
    qtbot.addWidget(dialog)
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def test_up_to_date_report_says_so(qtbot, report_v1, monkeypatch):
    ws, _ = report_v1
    other = ws.create_report("thu_nghiem", "2026-06-08")
    messages = []
    monkeypatch.setattr(migrate_dialog, "show_info", lambda parent, title, text: messages.append(text))
    assert open_migrate_dialog(FakeWindow(ws), other.id) is False
    assert messages == ["Báo cáo đã dùng phiên bản mới nhất của mẫu “Báo cáo thử” (phiên bản 2): không cần chuyển."]


def test_open_migrate_dialog_applies_on_confirmation(qtbot, report_v1, monkeypatch):
    ws, report_id = report_v1

    def confirm(self):
        self.accept()
        return QDialog.DialogCode.Accepted
    monkeypatch.setattr(MigrateDialog, "exec", confirm)
    assert open_migrate_dialog(FakeWindow(ws), report_id) is True
    assert ws.report(report_id).template_version == 2


def test_main_window_menu_moves_the_report_open_in_the_editor(qtbot, report_v1, monkeypatch, tmp_path):
    from PySide6.QtCore import QSettings

    from baocao_desktop.ui.main_window import MainWindow
    ws, report_id = report_v1

    def confirm(self):
        self.accept()
        return QDialog.DialogCode.Accepted
    monkeypatch.setattr(MigrateDialog, "exec", confirm)
    window = MainWindow(ws, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.open_report(report_id)
    assert window.act_migrate.isEnabled()
    window.act_migrate.trigger()
    assert ws.report(report_id).template_version == 2
    # the editor is reopened on the moved report, and the list shows it
    assert window.stack.currentIndex() == window.PAGE_EDITOR and window.editor_report_id == report_id
    assert "phiên bản mẫu mới" in window.statusBar().currentMessage()
    template_menu = window.menuBar().actions()[1].menu()
    assert window.act_migrate in template_menu.actions()
