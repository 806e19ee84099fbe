"""Tình hình nộp báo cáo: the upper level's grid of units × weeks on a real workspace that received
real transfer files (on time, late, with an error, with a giải trình, missing)."""
from __future__ import annotations

import csv
import datetime as dt
import shutil

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtPrintSupport import QPrintPreviewDialog  # noqa: E402

from baocao_desktop.services import exchange as ex  # noqa: E402
from baocao_desktop.services.exchange import send as sending  # noqa: E402
from baocao_desktop.services.workspace import Workspace  # noqa: E402
from baocao_desktop.ui.inbox_window import CELL_COLORS, InboxWindow, fold, open_inbox  # noqa: E402
from baocao_desktop.ui.main_window import MainWindow  # noqa: E402
from tests.exchange.conftest import WEEK1, WEEK2, WEEK3, Commune, blank_db, week_values  # noqa: E402,F401

TODAY = dt.date(2026, 6, 23)  # week 25 (15/6–21/6) was due on Monday 22/6
KEPT_REASON = "Tuần này chưa có phương hướng, sẽ bổ sung trong báo cáo tháng."


def send_on(commune: Commune, out, report_ids, when: str):
    """Write the transfer file as if on `when` (UTC ISO): the manifest's created_at decides on time/late."""
    original = sending.now_iso
    sending.now_iso = lambda: when
    try:
        return commune.send(out, report_ids).path
    finally:
        sending.now_iso = original


def monday_after(week: dt.date, days_late: int = 0) -> str:
    day = week + dt.timedelta(days=7 + days_late)
    return f"{day.isoformat()}T02:00:00.000+00:00"


@pytest.fixture(scope="module")
def province(tmp_path_factory, blank_db):
    """An upper level with four communes over weeks 23–25 of 2026:
    An Bình sends every week on time; Bản Phố sends week 23 a day late, week 24 with an error (a draft
    whose cumulative does not add up) and nothing for week 25; Cốc Ly is registered and sends nothing;
    Dền Sáng keeps a warning with a giải trình in week 23 and sends week 25 a day late."""
    root = tmp_path_factory.mktemp("inbox-province")
    stick = root / "USB"
    stick.mkdir()
    communes = {}
    for n, (name, place) in enumerate((("Đảng ủy xã An Bình", "An Bình"), ("Đảng ủy xã Bản Phố", "Bản Phố"),
                                       ("Đảng ủy xã Cốc Ly", "Cốc Ly"), ("Đảng ủy xã Dền Sáng", "Dền Sáng"))):
        (root / f"xa{n}").mkdir()
        communes[place] = Commune(root / f"xa{n}" / "baocao.sqlite3", name, place, blank=blank_db)
    a, b, c, d = communes.values()
    files = []
    for week in (WEEK1, WEEK2, WEEK3):
        files.append(send_on(a, stick / f"a-{week}.baocao", [a.weekly(week)], monday_after(week)))
    files.append(send_on(b, stick / "b1.baocao", [b.weekly(WEEK1)], monday_after(WEEK1, 1)))
    bad = b.weekly(WEEK2, week_values(kham_cum="999", kham_prev="500"), sign=False)
    files.append(send_on(b, stick / "b2.baocao", [bad], monday_after(WEEK2)))
    kept = d.weekly(WEEK1, sign=False)
    d.ws.set_section_text(kept, "IV", "")
    warning = next(f for f in d.ws.check(kept) if f.code == "required.empty")
    d.ws.justify(kept, warning.key, KEPT_REASON)
    d.ws.sign(kept)
    files.append(send_on(d, stick / "d1.baocao", [kept], monday_after(WEEK1)))
    files.append(send_on(d, stick / "d2.baocao", [d.weekly(WEEK2)], monday_after(WEEK2)))
    files.append(send_on(d, stick / "d3.baocao", [d.weekly(WEEK3)], monday_after(WEEK3, 1)))
    keys = [x.key_file(root / f"{n}.baocaokey") for n, x in enumerate(communes.values())]
    upper_path = root / "tinh.sqlite3"
    shutil.copyfile(blank_db, upper_path)
    upper = Workspace(upper_path, author="van-thu-tinh")
    upper.save_unit(name="Văn phòng Tỉnh ủy Lào Cai", level="tỉnh", upper_body="Đảng bộ tỉnh Lào Cai",
                    place_name="Lào Cai", symbol="VPTU")
    for key in keys:
        ex.register_unit(upper, key)
    result = ex.import_bundles(upper, files)
    assert result.counts()["new"] == 8, result.summary_text()
    for commune in communes.values():
        commune.ws.close()
    yield upper
    upper.close()


@pytest.fixture
def window(qtbot, province):
    win = InboxWindow(province, today=TODAY)
    qtbot.addWidget(win)
    return win


def grid(win) -> dict:
    """(short unit name, column) → cell label."""
    model = win.model
    return {(model.headerData(r, Qt.Orientation.Vertical), c): model.data(model.index(r, c))
            for r in range(model.rowCount()) for c in range(model.columnCount())}


def rows(win) -> list[str]:
    return [win.model.headerData(r, Qt.Orientation.Vertical) for r in range(win.model.rowCount())]


def index_of(win, unit: str, column: int):
    return win.model.index(rows(win).index(unit), column)


def test_counts_cells_and_legend(window):
    assert window.template_code() == "bc_tuan"
    assert window.template_combo.currentText() == "Báo cáo tuần (8 đã nhận)"
    # the range runs to today: weeks 23–25 and the current week 26, not due yet
    assert window.start_edit.date().toString("dd/MM/yyyy") == "01/06/2026"
    assert window.model.columnCount() == 4
    assert window.model.headerData(0, Qt.Orientation.Horizontal) == "Tuần 23: 01/6–07/6\nhạn 08/6"
    assert window.counts_label.text() == ("Tuần 25 (15/6–21/6/2026), hạn nộp 22/6/2026: "
                                          "2/4 đơn vị đã nộp, 1 muộn, 2 chưa nộp.")
    assert window.overview_label.text() == ("Cả 4 kỳ đã chọn: đã nhận 8/16 báo cáo (đúng hạn 6, muộn 2), chưa nộp 4, "
                                            "chưa đến hạn 4; 1 báo cáo có lỗi, 1 có giải trình.")
    assert rows(window) == ["Xã An Bình", "Xã Bản Phố", "Xã Cốc Ly", "Xã Dền Sáng"]
    cells = grid(window)
    assert [cells[("Xã An Bình", c)] for c in range(4)] == ["Đúng hạn", "Đúng hạn", "Đúng hạn", "Chưa đến hạn"]
    assert [cells[("Xã Bản Phố", c)] for c in range(3)] == ["Muộn 1 ngày", "Đúng hạn · Có lỗi", "Chưa nộp"]
    assert [cells[("Xã Cốc Ly", c)] for c in range(3)] == ["Chưa nộp"] * 3
    assert [cells[("Xã Dền Sáng", c)] for c in range(3)] == ["Đúng hạn · Có giải trình", "Đúng hạn", "Muộn 1 ngày"]
    # colours follow the legend; the error wins over "on time"
    model = window.model
    background = model.data(index_of(window, "Xã Bản Phố", 1), Qt.ItemDataRole.BackgroundRole).color().name()
    assert background == CELL_COLORS["errors"][0]
    assert model.data(index_of(window, "Xã Cốc Ly", 0), Qt.ItemDataRole.BackgroundRole).color().name() == \
        CELL_COLORS["missing"][0]
    tip = model.data(index_of(window, "Xã Bản Phố", 0), Qt.ItemDataRole.ToolTipRole)
    assert "Hạn nộp: 08/6/2026" in tip and "Gửi ngày 09/6/2026 (muộn 1 ngày)" in tip
    assert [label.text() for label in window.legend_labels] == [
        "Đúng hạn", "Muộn n ngày", "Chưa nộp", "Có lỗi", "Có giải trình", "Chưa đến hạn"]


def test_filters(window):
    window.show_combo.setCurrentText("Chưa nộp")
    assert rows(window) == ["Xã Bản Phố", "Xã Cốc Ly"]
    # cells that do not match are dimmed, the others keep their colour
    dimmed = window.model.data(index_of(window, "Xã Bản Phố", 0), Qt.ItemDataRole.BackgroundRole).color().name()
    assert dimmed == "#ffffff"
    window.show_combo.setCurrentText("Nộp muộn")
    assert rows(window) == ["Xã Bản Phố", "Xã Dền Sáng"]
    window.show_combo.setCurrentText("Có lỗi")
    assert rows(window) == ["Xã Bản Phố"]
    window.show_combo.setCurrentText("Có giải trình")
    assert rows(window) == ["Xã Dền Sáng"]
    window.show_combo.setCurrentText("Tất cả đơn vị")
    window.search_edit.setText("ban pho")  # typed without accents
    assert rows(window) == ["Xã Bản Phố"]
    window.search_edit.setText("Cốc")
    assert rows(window) == ["Xã Cốc Ly"] and "1/4 đơn vị" in window.status_label.text()
    window.search_edit.setText("không có xã này")
    assert rows(window) == [] and window.status_label.text() == "Không có đơn vị nào khớp bộ lọc."
    window.search_edit.clear()
    # one week only
    window.start_edit.setDate(window.start_edit.date().addDays(7))  # 08/6
    window.end_edit.setDate(window.start_edit.date().addDays(6))
    assert window.model.columnCount() == 1
    assert window.counts_label.text() == ("Tuần 24 (08/6–14/6/2026), hạn nộp 15/6/2026: "
                                          "3/4 đơn vị đã nộp, 0 muộn, 1 chưa nộp.")
    # a reversed range is refused in words, nothing else changes
    window.end_edit.setDate(window.start_edit.date().addDays(-1))
    assert window.error_label.isVisibleTo(window) and "phải sau" in window.error_label.text()


def test_fold():
    assert fold("Đảng ủy xã Bản Phố") == "dang uy xa ban pho"


def test_the_printable_list_has_exactly_the_missing_units(window):
    text = window.missing_document().toPlainText()
    assert text.startswith("VĂN PHÒNG TỈNH ỦY LÀO CAI\nDANH SÁCH ĐƠN VỊ CHƯA NỘP BÁO CÁO\n")
    assert "Báo cáo tuần — từ Tuần 23 (01/6–07/6/2026) đến Tuần 26 (22/6–28/6/2026)" in text
    assert "(tính đến ngày 23/6/2026)" in text
    assert "Tuần 25 (15/6–21/6/2026) — hạn nộp 22/6/2026: 2 đơn vị chưa nộp" in text
    listed = [line for line in text.splitlines() if line.startswith("Đảng ủy")]
    assert listed == ["Đảng ủy xã Cốc Ly", "Đảng ủy xã Cốc Ly", "Đảng ủy xã Bản Phố", "Đảng ủy xã Cốc Ly"]
    assert "An Bình" not in text and "Dền Sáng" not in text
    dialog = window.print_missing(show=False)
    assert isinstance(dialog, QPrintPreviewDialog)
    assert dialog.windowTitle() == "Xem trước khi in — Danh sách đơn vị chưa nộp báo cáo"
    assert dialog._document.pageCount() >= 1
    dialog.deleteLater()


def test_save_the_list_as_csv_for_excel_and_as_text(window, tmp_path):
    path = window.save_missing(tmp_path / "chua_nop.csv")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    table = list(csv.reader(data.decode("utf-8-sig").splitlines()))
    assert table[0][:2] == ["STT", "Đơn vị"]
    assert [(r[0], r[1], r[3], r[6], r[7]) for r in table[1:]] == [
        ("1", "Đảng ủy xã Cốc Ly", "Tuần 23 (01/6–07/6/2026)", "08/6/2026", "15"),
        ("2", "Đảng ủy xã Cốc Ly", "Tuần 24 (08/6–14/6/2026)", "15/6/2026", "8"),
        ("3", "Đảng ủy xã Bản Phố", "Tuần 25 (15/6–21/6/2026)", "22/6/2026", "1"),
        ("4", "Đảng ủy xã Cốc Ly", "Tuần 25 (15/6–21/6/2026)", "22/6/2026", "1")]
    text = window.save_missing(tmp_path / "chua_nop.txt").read_text(encoding="utf-8")
    assert text.startswith("DANH SÁCH ĐƠN VỊ CHƯA GỬI BÁO CÁO") and "An Bình" not in text


def test_save_to_an_unwritable_place_says_so(window, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("baocao_desktop.ui.inbox_window.show_error", lambda _p, title, text: shown.append(text))
    assert window.save_missing(tmp_path / "khong-co-thu-muc" / "x.csv") is None
    assert shown == [f"Không ghi được tệp “x.csv”: thư mục “{tmp_path / 'khong-co-thu-muc'}” không tồn tại "
                     "(ổ USB đã rút?). Hãy chọn nơi lưu khác."]


def test_double_click_shows_findings_and_justifications(window, qtbot):
    error_dialog = window.open_index(index_of(window, "Xã Bản Phố", 1), show=False)
    qtbot.addWidget(error_dialog)
    assert error_dialog.summary_label.text().startswith("1 lỗi")
    severities = [error_dialog.table.item(r, 0).text() for r in range(error_dialog.table.rowCount())]
    assert "Lỗi" in severities
    assert "trạng thái: Dự thảo" in error_dialog.facts_label.text()
    kept_dialog = window.open_index(index_of(window, "Xã Dền Sáng", 0), show=False)
    qtbot.addWidget(kept_dialog)
    found = [(kept_dialog.table.item(r, 0).text(), kept_dialog.table.item(r, 2).text())
             for r in range(kept_dialog.table.rowCount())]
    assert ("Cảnh báo (đã giải trình)", KEPT_REASON) in found
    assert "1 cảnh báo có giải trình" in kept_dialog.summary_label.text()
    preview = kept_dialog.preview(show=False)
    assert isinstance(preview, QPrintPreviewDialog) and "Xã Dền Sáng" in preview.windowTitle()
    preview.deleteLater()
    # a missing cell has nothing to open: the window says who has not sent what
    assert window.open_index(index_of(window, "Xã Cốc Ly", 2), show=False) is None
    assert window.status_label.text() == "Xã Cốc Ly chưa nộp Báo cáo tuần — Tuần 25 (15/6–21/6/2026), hạn 22/6/2026."


def test_menu_action_opens_one_window(qtbot, province, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    main = MainWindow(province, settings)
    qtbot.addWidget(main)
    main.act_inbox.trigger()
    first = main.inbox_window
    assert isinstance(first, InboxWindow) and first.isVisible() and not first.isModal()
    assert open_inbox(main) is first  # raised, not opened twice
    first.close()


def test_the_window_reads_again_when_reports_come_in(window, qtbot, monkeypatch, changes_arrived):
    """Change notification: INBOX (an import, a resolved conflict) reloads the shown window once per burst;
    the own unit's REPORTS do not; a hidden window does nothing."""
    import threading

    from baocao_desktop.services import events
    from baocao_desktop.ui.changes import changes
    window.show()
    changes().flush()
    reloads = []
    monkeypatch.setattr(window, "reload", lambda: reloads.append(1))
    worker = threading.Thread(target=lambda: [events.announce(events.INBOX, [f"r{n}"]) for n in range(30)])
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: reloads == [1], timeout=5000)
    events.announce(events.REPORTS, ["own"])
    changes_arrived()
    assert reloads == [1]
    window.hide()
    events.announce(events.INBOX)
    changes_arrived()
    assert reloads == [1]
