"""Tổng hợp số liệu for a quarter where some communes sent only their months (issue 17 point 7): the quarter
is offered, the communes' figures are the sums of their months, and the window says where they came from."""
from __future__ import annotations

import shutil

import pytest

pytest.importorskip("pytestqt")

from baocao_desktop.services.workspace import Workspace  # noqa: E402
from baocao_desktop.ui.aggregation_window import AggregationWindow  # noqa: E402
from tests.exchange.conftest import Commune, blank_db  # noqa: E402,F401
from tests.exchange.test_aggregate_periods import Q2, send_quarter_round  # noqa: E402


@pytest.fixture
def province(tmp_path, blank_db, monkeypatch):
    monkeypatch.setenv("BAOCAO_SOFFICE", str(tmp_path / "no-soffice"))  # DOCX copies only: fast
    monkeypatch.setenv("BAOCAO_WORD", str(tmp_path / "no-word"))
    made = []

    def make(name, place):
        folder = tmp_path / f"xa{len(made)}"
        folder.mkdir()
        made.append(Commune(folder / "baocao.sqlite3", name, place, blank=blank_db))
        return made[-1]
    shutil.copyfile(blank_db, tmp_path / "tinh.sqlite3")
    upper = Workspace(tmp_path / "tinh.sqlite3", author="van-thu-tinh")
    upper.save_unit(name="Văn phòng Tỉnh ủy Lào Cai", level="tỉnh", upper_body="Đảng bộ tỉnh Lào Cai",
                    place_name="Lào Cai", symbol="VPTU")
    stick = tmp_path / "USB"
    stick.mkdir()
    send_quarter_round(make, upper, stick, tmp_path)
    for commune in made:
        commune.ws.close()
    yield upper
    upper.close()


def test_a_quarter_from_months_in_the_window(qtbot, province):
    win = AggregationWindow(province)
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: not win.computing, timeout=15000)
    win.template_combo.setCurrentIndex(win.template_combo.findData("bc_dang_uy_quy"))
    qtbot.waitUntil(lambda: not win.computing, timeout=15000)
    assert win.period_combo.currentText() == ("Quý II/2026 — 1 đơn vị đã gửi, 2 đơn vị chỉ gửi báo cáo tháng")
    assert win.period_combo.currentData().start == Q2[0]
    assert win.summary_label.text() == (
        "Báo cáo quý của Đảng ủy xã — Quý II/2026: 3/4 đơn vị đã gửi. Chưa gửi: Xã Du Già. "
        "Xã Bản Phố: tổng hợp từ báo cáo tháng 4, 5, 6/2026; Xã Cốc Ly: tổng hợp từ báo cáo tháng 4, 6/2026; "
        "thiếu báo cáo tháng 5/2026 (số cộng theo tháng của đơn vị này để trống).")
    assert win.select_indicator("thu_ngan_sach_tren_dia_ban")
    model = win.unit_model
    rows = [[model.data(model.index(r, c)) for c in range(model.columnCount())] for r in range(model.rowCount())]
    by_name = {row[0]: row for row in rows}
    assert by_name["Xã Bản Phố (từ báo cáo tháng)"][1] == "370"  # April + May + June
    assert by_name["Xã Cốc Ly (từ báo cáo tháng)"][1] == "–"  # May missing: not guessed
    assert by_name["Tổng hợp"][1] == "970"
    # the monthly kind itself is still aggregated month by month
    win.template_combo.setCurrentIndex(win.template_combo.findData("bc_dang_uy_thang"))
    qtbot.waitUntil(lambda: not win.computing, timeout=15000)
    assert win.period_combo.currentText() == "Tháng 6/2026 — 2 đơn vị đã gửi"
