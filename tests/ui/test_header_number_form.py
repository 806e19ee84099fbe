"""Số follows the unit's numbering (issue 18 point 2): a Số like "abc" typed in the editor is kept as typed,
marked with the reason beside it and not saved; `report fill` and set_header refuse it."""
from __future__ import annotations

import json

import pytest

pytest.importorskip("pytestqt")


from baocao_desktop.services.errors import ServiceError  # noqa: E402
from baocao_desktop.ui.editor.window import ReportEditor  # noqa: E402
from tests.conftest import run_cli  # noqa: E402
from tests.ui.keys import type_text  # noqa: E402


@pytest.fixture
def week(workspace):
    workspace.save_unit(name="Đảng ủy xã Thử Nghiệm", place_name="Thử Nghiệm", symbol="ĐU", format="party")
    return workspace.create_report("bc_tuan", "2026-06-01", number="108")


def test_set_header_refuses_a_number_in_another_form(workspace, week):
    with pytest.raises(ServiceError) as info:
        workspace.set_header(week.id, number="abc")
    assert "“abc”" in str(info.value) and "108-BC/ĐU" in str(info.value)
    assert workspace.report(week.id).number == "108"
    assert workspace.set_header(week.id, number="109-BC/ĐU").number == "109-BC/ĐU"
    assert workspace.set_header(week.id, number="110").number == "110"
    assert workspace.number_problem("bc_tuan", "110/BC-UBND")  # the State form in a Party unit


def test_the_editor_keeps_marks_and_does_not_save_a_bad_number(qtbot, workspace, week, close_before_database):
    editor = ReportEditor(workspace, week.id)
    close_before_database(editor)
    editor.resize(1366, 768)
    editor.show()
    page = editor.header_page
    editor.show_header_page() if hasattr(editor, "show_header_page") else editor.pages.setCurrentWidget(page)
    page.number_edit.setFocus()
    page.number_edit.selectAll()
    type_text(page.number_edit, "abc")
    assert page.number_edit.property("invalid") is True
    assert page.number_message.isVisible() and "“abc”" in page.number_message.text()
    assert editor.header_strip.number_edit.text() == "abc"  # both fields show what was typed
    assert editor.header_strip.number_edit.property("invalid") is True
    editor.flush()
    assert workspace.report(week.id).number == "108"
    page.number_edit.selectAll()
    type_text(page.number_edit, "112")
    assert page.number_edit.property("invalid") is False and not page.number_message.isVisible()
    editor.flush()
    assert workspace.report(week.id).number == "112"


def test_report_fill_refuses_a_bad_number_and_a_backwards_period(tmp_path):
    db = str(tmp_path / "cli.sqlite3")
    run_cli("demo", "--db", db)
    week = json.loads(run_cli("report", "list", "--db", db, "--json")[1])["reports"][1]["id"]
    before = json.loads(run_cli("report", "show", week, "--db", db, "--json")[1])
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"header": {"number": "abc"}}), encoding="utf-8")
    code, _, err = run_cli("report", "fill", week, "--from", str(bad), "--db", db)
    assert code == 2 and "“abc”" in err
    assert json.loads(run_cli("report", "show", week, "--db", db, "--json")[1]) == before
    code, _, err = run_cli("report", "new", "--template", "bc_chuyen_de", "--period", "2026-06-30..2026-06-01",
                           "--db", db)
    assert code == 2 and "phải sau ngày bắt đầu" in err


def test_report_new_refuses_a_bad_number(tmp_path):
    db = str(tmp_path / "cli.sqlite3")
    run_cli("demo", "--db", db)
    listed = len(json.loads(run_cli("report", "list", "--db", db, "--json")[1])["reports"])
    code, _, err = run_cli("report", "new", "--template", "bc_tuan", "--period", "22/6/2026", "--number", "abc",
                           "--db", db)
    assert code == 2 and "“abc”" in err
    assert len(json.loads(run_cli("report", "list", "--db", db, "--json")[1])["reports"]) == listed
    code, _, err = run_cli("report", "new", "--template", "bc_tuan", "--period", "22/6/2026", "--number", "120",
                           "--db", db)
    assert code == 0, err


def test_the_new_report_dialog_refuses_a_bad_number(qtbot, workspace, week):
    import datetime as dt

    from baocao_desktop.ui.new_report_dialog import NewReportDialog
    dialog = NewReportDialog(workspace, None, today=dt.date(2026, 6, 17))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.number_edit.setText("abc")
    dialog.accept()
    assert dialog.isVisible() and dialog.report is None
    assert "“abc”" in dialog.error_label.text()
    assert len(workspace.list_reports()) == 1
