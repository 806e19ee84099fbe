"""Tổng hợp số liệu: indicators combined across units, each unit's figures with outliers flagged, the
narratives of one section side by side, and the summary DOCX written off the UI thread."""
from __future__ import annotations

import shutil
from decimal import Decimal

import docx
import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402

from baocao_desktop.domain.numbers import format_number, parse_number  # noqa: E402
from baocao_desktop.services import exchange as ex  # noqa: E402
from baocao_desktop.services.workspace import Workspace  # noqa: E402
from baocao_desktop.ui.aggregation_window import OUTLIER_COLORS, AggregationWindow, open_aggregation  # noqa: E402
from baocao_desktop.ui.main_window import MainWindow  # noqa: E402
from tests.exchange.conftest import WEEK1, Commune, blank_db, week_values  # noqa: E402,F401

# (name, place, diện tích lúa, kế hoạch lúa, narrative of II.1.1.a); Cốc Ly only registers
SENDERS = (("Đảng ủy xã Bát Xát", "Bát Xát", "300", "400", "Xã Bát Xát gieo cấy xong lúa mùa."),
           ("Đảng ủy xã Bản Lầu", "Bản Lầu", "200", "250", "Xã Bản Lầu chăm sóc lúa.\nDiệt chuột trên đồng ruộng."),
           ("Đảng ủy xã Dền Sáng", "Dền Sáng", "3.000", "3.200", "Xã Dền Sáng thu hoạch sớm."),
           ("Đảng ủy xã Gia Phú", "Gia Phú", "250", "300", "Xã Gia Phú phòng trừ sâu bệnh."))


@pytest.fixture(scope="module")
def province(tmp_path_factory, blank_db):
    root = tmp_path_factory.mktemp("aggregation-province")
    stick = root / "USB"
    stick.mkdir()
    files, keys = [], []
    for n, (name, place, lua, plan, text) in enumerate(SENDERS + (("Đảng ủy xã Cốc Ly", "Cốc Ly", "", "", ""),)):
        (root / f"xa{n}").mkdir()
        commune = Commune(root / f"xa{n}" / "baocao.sqlite3", name, place, blank=blank_db)
        keys.append(commune.key_file(root / f"{n}.baocaokey"))
        if lua:
            report = commune.weekly(WEEK1, week_values(lua=lua, lua_plan=plan, ty_le="8" + str(n)), sign=False)
            commune.ws.set_section_text(report, "II.1.1.a", text)
            for finding in commune.ws.check(report):  # Dền Sáng's 3.000 ha is out of range: kept with a reason
                if finding.severity == "warning" and not finding.justification:
                    commune.ws.justify(report, finding.key, "Đã kiểm tra lại.")
            commune.ws.sign(report)
            files.append(commune.send(stick / f"{n}.baocao").path)
        commune.ws.close()
    path = root / "tinh.sqlite3"
    shutil.copyfile(blank_db, path)
    upper = Workspace(path, author="van-thu-tinh")
    upper.save_unit(name="Văn phòng Tỉnh ủy Lào Cai", level="tỉnh", upper_body="Đảng bộ tỉnh Lào Cai",
                    place_name="Lào Cai", symbol="VPTU")
    upper.set_signers([{"on_behalf": "T/L BAN THƯỜNG VỤ", "title": "CHÁNH VĂN PHÒNG", "name": "Trần Văn Bình"}])
    for key in keys:
        ex.register_unit(upper, key)
    result = ex.import_bundles(upper, files)
    assert result.counts()["new"] == 4, result.summary_text()
    yield upper
    upper.close()


@pytest.fixture
def window(qtbot, province):
    win = AggregationWindow(province)
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: not win.computing, timeout=15000)  # combined on the task runner
    return win


def table(model) -> list[list[str]]:
    return [[model.data(model.index(r, c)) for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_period_and_who_sent(window):
    assert window.template_code() == "bc_tuan"
    assert window.period_combo.count() == 1
    assert window.period_combo.currentText() == "Tuần 23 (01/6–07/6/2026) — 4 đơn vị đã gửi"
    assert window.summary_label.text() == ("Báo cáo tuần — Tuần 23 (01/6–07/6/2026): 4/5 đơn vị đã gửi. "
                                           "Chưa gửi: Xã Cốc Ly.")


def test_totals_equal_the_sum_of_the_units_values(window):
    rows = {r[0]: r for r in table(window.indicator_model)}
    assert window.select_indicator("lua_mua_dien_tich")
    detail = table(window.unit_model)
    # units in Vietnamese alphabetical order, then the combined row
    assert [r[0] for r in detail] == ["Xã Bản Lầu", "Xã Bát Xát", "Xã Dền Sáng", "Xã Gia Phú", "Tổng hợp"]
    assert window.unit_model.headers() == ["Đơn vị", "Thực hiện", "Kế hoạch", "% KH"]
    values = [parse_number(r[1].lstrip("⚠ ")) for r in detail[:-1]]
    assert values == [Decimal(200), Decimal(300), Decimal(3000), Decimal(250)]
    total = format_number(sum(values))
    assert total == "3.750" and detail[-1][1] == total
    lua = rows["Diện tích lúa mùa"]
    assert lua[1:8] == ["ha", "Cộng", "3.750", "4.150", "90,4", "4/4", "⚠ 1"]
    # numbers are right-aligned
    alignment = window.indicator_model.data(window.indicator_model.index(0, 3), Qt.ItemDataRole.TextAlignmentRole)
    assert alignment & int(Qt.AlignmentFlag.AlignRight)
    # cumulative indicators combine their cumulative; rates are not added up
    assert rows["Khám, chữa bệnh tại Trạm Y tế xã (lũy kế)"][2:4] == ["Cộng", "2.000"]
    rate = next(r for name, r in rows.items() if name.startswith("Tỷ lệ phụ nữ có thai"))
    assert rate[2:4] == ["Không cộng", "–"]


def test_outlier_cells_are_flagged_with_the_reason(window):
    window.select_indicator("lua_mua_dien_tich")
    model = window.unit_model
    row = [model.data(model.index(r, 0)) for r in range(model.rowCount())].index("Xã Dền Sáng")
    index = model.index(row, 1)
    assert model.data(index) == "⚠ 3.000"
    assert model.data(index, Qt.ItemDataRole.BackgroundRole).color().name() == OUTLIER_COLORS[0]
    tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert "Xã Dền Sáng: Diện tích lúa mùa 3.000 khác xa mức giữa của các đơn vị khác (250)" in tip
    other = model.index(0, 1)
    assert model.data(other, Qt.ItemDataRole.ToolTipRole) is None
    assert "⚠ Xã Dền Sáng" in window.outlier_label.text()


def test_only_indicators_with_data_and_the_full_list(window):
    with_data = window.indicator_model.rowCount()
    assert with_data == 4
    window.only_with_data.setChecked(False)
    assert window.indicator_model.rowCount() > with_data
    empty = next(r for r in table(window.indicator_model) if r[0] == "Diện tích ngô")
    assert empty[3] == "–" and empty[6] == "0/4"


def test_narratives_side_by_side(window):
    window.tabs.setCurrentIndex(1)
    assert window.choose_section("II.1.1.a")
    assert window.section_combo.currentText().startswith("a) Sản xuất nông nghiệp (mục II.1.1.a) — 4 đơn vị")
    text = window.narrative_view.toPlainText()
    order = [text.index(name) for name in ("Xã Bản Lầu", "Xã Bát Xát", "Xã Dền Sáng", "Xã Gia Phú")]
    assert order == sorted(order)
    assert "Xã Bản Lầu chăm sóc lúa.\nDiệt chuột trên đồng ruộng." in text
    assert "Xã Gia Phú phòng trừ sâu bệnh." in text


def test_export_docx_off_the_ui_thread(window, qtbot, tmp_path):
    assert window.suggested_file_name() == "Tổng hợp báo cáo tuần tuần 23 (01-6–07-6).docx"
    out = tmp_path / "tong_hop.docx"
    with qtbot.waitSignal(window.export_finished, timeout=60000) as blocker:
        assert window.start_export(out)
    assert blocker.args == [str(out)]
    document = docx.Document(str(out))
    grids = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    lua = next(g for g in grids if g[0][1:2] == ["Diện tích lúa mùa (ha)"])
    assert [row[0] for row in lua[1:]][:5] == ["Xã Bát Xát", "Xã Bản Lầu", "Xã Dền Sáng", "Xã Gia Phú", "Tổng hợp"]
    assert lua[5][1] == "3.750"
    box = window.done_box
    assert box.isVisible() and box.informativeText() == str(out)
    assert sorted(b.text() for b in box.buttons()) == ["Mở thư mục", "Mở tệp", "Đóng"]
    assert box.defaultButton().text() == "Mở thư mục"
    box.close()
    assert window.export_button.isEnabled()


def test_export_to_an_unwritable_place_says_why(window, qtbot, tmp_path):
    out = tmp_path / "khong-co" / "x.docx"
    with qtbot.waitSignal(window.export_failed, timeout=60000) as blocker:
        window.start_export(out)
    assert blocker.args[0].startswith("Không ghi được “x.docx”: thư mục") and "không tồn tại" in blocker.args[0]
    assert window.done_box.icon() == QMessageBox.Icon.Critical
    window.done_box.close()


def test_a_template_without_reports(window):
    index = window.template_combo.findData("bc_giam_sat")
    window.template_combo.setCurrentIndex(index)
    assert window.period_combo.count() == 0
    assert window.summary_label.text() == "Chưa nhận báo cáo nào của loại này: chưa có gì để tổng hợp."
    assert window.indicator_model.rowCount() == 0 and not window.export_button.isEnabled()


def test_menu_action_opens_one_window(qtbot, province, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    main = MainWindow(province, settings)
    qtbot.addWidget(main)
    main.act_aggregate.trigger()
    first = main.aggregation_window
    assert isinstance(first, AggregationWindow) and first.isVisible() and not first.isModal()
    assert open_aggregation(main) is first
    first.close()


def test_the_window_reads_again_when_reports_come_in(window, qtbot, changes_arrived):
    """Change notification: INBOX reloads the shown window, keeping the kind and period chosen."""
    from baocao_desktop.services import events
    window.show()
    assert window.select_indicator("lua_mua_dien_tich")
    code, period = window.template_code(), window.period_combo.currentData()
    reloads = []
    original = window.reload
    window.reload = lambda: (reloads.append(1), original())
    events.announce(events.INBOX, ["r1"])
    changes_arrived()
    assert reloads == [1]
    assert window.template_code() == code and window.period_combo.currentData() == period
    events.announce(events.REPORTS, ["own"])
    changes_arrived()
    assert reloads == [1]
