"""The demo's monthly reports of the Đảng ủy, January–June 2026 (issue 17 point 6): quarter II and the 6-month
report are the sums of their months, and March carries one deliberate slip (khám, chữa bệnh typed 1.720 for
1.270, its lũy kế right) that the 6-month report's sum-of-months check names."""
import datetime as dt
from decimal import Decimal

import pytest

MARCH = "tháng 3/2026"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from baocao_desktop.services.demo import load_demo
    from baocao_desktop.services.workspace import Workspace
    ws = Workspace(tmp_path_factory.mktemp("demo") / "baocao.sqlite3", author="tester")
    load_demo(ws)
    yield ws
    ws.close()


def _report(ws, code, start):
    return next(r for r in ws.list_reports() if r.template_code == code and r.period.start == start)


def _problems(ws, report_id):
    """Errors and warnings of the figures' checks (the proofreader aside: it is tested on its own)."""
    return [f for f in ws.check(report_id, proofread=False) if f.severity in ("error", "warning")]


def test_six_months_of_the_dang_uy(demo):
    months = sorted((r for r in demo.list_reports() if r.template_code == "bc_dang_uy_thang"),
                    key=lambda r: r.period.start)
    assert [r.period.label() for r in months] == [f"Tháng {n}/2026" for n in range(1, 7)]
    # each month's lũy kế is the previous month's plus its own: every month but March checks clean
    for report in months:
        problems = _problems(demo, report.id)
        if report.period.start.month == 3:
            [slip] = problems
            assert (slip.severity, slip.field) == ("error", "kham_chua_benh.cumulative")
            assert "(2.490 + 1.720 = 4.210): chênh 450" in slip.message
        else:
            assert not problems, (report.period.label(), [f.message for f in problems])


def test_the_six_month_report_names_the_wrong_month(demo):
    half = _report(demo, "bc_dang_uy_6_thang", dt.date(2026, 1, 1))
    [finding] = [f for f in _problems(demo, half.id)]
    assert finding.code.startswith("sum_of_months") and finding.field == "kham_chua_benh.actual"
    assert finding.severity == "warning"
    assert MARCH in finding.message and "(7.480)" in finding.message and "chênh 450" in finding.message
    assert finding.values["months"][MARCH] == "1.720"
    # the other figures of the half year are the sums of the months
    values = demo.report(half.id).values
    assert values["thu_ngan_sach_tren_dia_ban"]["actual"] == Decimal(1613)
    assert values["chi_ngan_sach"]["actual"] == Decimal(87417)


def test_quarter_two_is_its_months_and_is_clean(demo):
    for code in ("bc_dang_uy_quy", "bc_ubnd_quy"):
        quarter = _report(demo, code, dt.date(2026, 4, 1))
        assert not _problems(demo, quarter.id), code
    quarter = demo.report(_report(demo, "bc_dang_uy_quy", dt.date(2026, 4, 1)).id)
    april_to_june = [demo.report(_report(demo, "bc_dang_uy_thang", dt.date(2026, n, 1)).id) for n in (4, 5, 6)]
    for code in ("kham_chua_benh", "thu_ngan_sach_tren_dia_ban", "ket_nap_dang_vien", "trong_rung_dien_tich"):
        assert quarter.values[code]["actual"] == sum(m.values[code]["actual"] for m in april_to_june), code
        assert quarter.values[code]["cumulative"] == april_to_june[-1].values[code]["cumulative"], code
