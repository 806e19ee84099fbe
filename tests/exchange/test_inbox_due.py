"""The upper level's inbox says "late" by the template's own due rule when it declares one (issue 17.5):
a Đảng ủy monthly report is due on the 25th of its month, not 5 days after it ends."""
import datetime as dt

from baocao_desktop.services import exchange as ex
from baocao_desktop.services.inbox import inbox
from tests.exchange.conftest import register
from tests.exchange.test_inbox import send_at


def _monthly(commune, place):
    ws = commune.ws
    template = ws.template("bc_dang_uy_thang")
    report = ws.create_report("bc_dang_uy_thang", "2026-06-01", "2026-06-30", number="7",
                              report_date="2026-06-24")
    sections = {s.path: {"text": f"Tình hình trên địa bàn xã {place} ổn định."}
                for s in template.walk() if s.required and not s.children}
    ws.fill_report(report.id, {"indicators": {"thu_ngan_sach_tren_dia_ban": {"actual": "52", "cumulative": "1.613"}},
                               "sections": sections})
    ws.sign(report.id)
    return report.id


def test_a_monthly_report_after_the_25th_is_late(make_commune, upper, stick, tmp_path, monkeypatch):
    early = make_commune("Đảng ủy xã An Bình", "An Bình")
    late = make_commune("Đảng ủy xã Bản Phố", "Bản Phố")
    for commune in (early, late):
        register(upper, commune, tmp_path)
    files = [send_at(early, stick / "a.baocao", monkeypatch, "2026-06-24T09:00:00.000+07:00",
                     [_monthly(early, "An Bình")]),
             send_at(late, stick / "b.baocao", monkeypatch, "2026-06-27T09:00:00.000+07:00",
                     [_monthly(late, "Bản Phố")])]
    ex.import_bundles(upper, files)
    cells = {c.unit_name: c for c in inbox(upper, today=dt.date(2026, 7, 10)).cells
             if c.template_code == "bc_dang_uy_thang"}
    assert {c.due for c in cells.values()} == {dt.date(2026, 6, 25)}  # not 05/7 (DUE_AFTER_DAYS)
    assert cells["Đảng ủy xã An Bình"].state == "on_time"
    assert cells["Đảng ủy xã Bản Phố"].state == "late" and cells["Đảng ủy xã Bản Phố"].days_late == 2
