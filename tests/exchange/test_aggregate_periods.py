"""The upper level with the calendar report kinds (issue 17 point 7): the inbox and the aggregation of every
monthly, quarterly, 6-month, 9-month and annual template (Party and State), and a quarter summed from the
months of a commune that sent only months, said in the summary."""
import datetime as dt
import json
from decimal import Decimal

import pytest

from baocao_desktop.aggregate.from_months import values_from_months
from baocao_desktop.domain.dates import Period, calendar_period
from baocao_desktop.services import exchange as ex
from baocao_desktop.services.aggregation import aggregate, export_summary_docx, summary_document
from baocao_desktop.services.inbox import inbox
from baocao_desktop.templates.model import due_date
from tests.conftest import run_cli
from tests.exchange.conftest import register

CALENDAR_TEMPLATES = [f"bc_{side}_{kind}" for side in ("dang_uy", "ubnd")
                      for kind in ("thang", "quy", "6_thang", "9_thang", "nam")]
Q2 = (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
TODAY = dt.date(2026, 7, 20)


def write(commune, code: str, start: dt.date, end: dt.date, figures: dict, sign: bool = True) -> str:
    """A report of `code` for start..end with its required sections written and `figures` (code → field →
    text), signed."""
    ws = commune.ws
    template = ws.template(code)
    due = due_date(template, Period(template.period, start, end))  # dated on its due day: no date warning
    report = ws.create_report(code, start, end, number=f"{start.month}", report_date=due or end)
    sections = {s.path: {"text": f"Tình hình xã {commune.place} ổn định."} for s in template.walk() if s.required}
    ws.fill_report(report.id, {"indicators": figures, "sections": sections})
    if sign:
        ws.sign(report.id)
    return report.id


def month(n: int) -> tuple[dt.date, dt.date]:
    period = calendar_period("month", dt.date(2026, n, 1))
    return period.start, period.end


def receive(upper, communes, stick, tmp_path) -> None:
    files = []
    for commune in communes:
        register(upper, commune, tmp_path)
        files.append(commune.send(stick / f"{commune.place}.baocao").path)
    result = ex.import_bundles(upper, files)
    assert not result.counts().get("refused"), result.summary_text()


def test_every_calendar_kind_reaches_the_inbox_and_adds_up(make_commune, upper, stick, tmp_path):
    a = make_commune("Đảng ủy xã An Bình", "An Bình")
    b = make_commune("Đảng ủy xã Bản Phố", "Bản Phố")
    periods = {}
    for code in CALENDAR_TEMPLATES:
        kind = a.ws.template(code).period
        period = calendar_period(kind, dt.date(2026, 6, 1))
        periods[code] = period
        has_cumulative = a.ws.template(code).indicator("thu_ngan_sach_tren_dia_ban").cumulative
        for commune, value in ((a, "120"), (b, "80")):
            # the communes collected nothing before June this year: a report's lũy kế is its own figure (typed,
            # as a clerk does; a report from 1 January with its lũy kế left empty is asked for it)
            figure = {"actual": value} | ({"cumulative": value} if has_cumulative else {})
            write(commune, code, period.start, period.end, {"thu_ngan_sach_tren_dia_ban": figure})
    receive(upper, (a, b), stick, tmp_path)
    box = inbox(upper, today=TODAY)
    for code, period in periods.items():
        cells = [c for c in box.cells if c.template_code == code and c.period == period]
        assert sorted(c.unit_name for c in cells if c.received) == ["Đảng ủy xã An Bình", "Đảng ủy xã Bản Phố"], code
        agg = aggregate(upper, code, period.start, period.end)
        assert agg.period == period and len(agg.units) == 2 and not agg.missing, code
        assert agg.indicator("thu_ngan_sach_tren_dia_ban").fields["actual"].total == Decimal(200), code
        assert not any(u.months for u in agg.units), code
        # "late" by the template's own due rule (ngày 25, days after the end, 15/11), as the commune sees it
        assert {c.due for c in cells} == {due_date(upper.template(code), period)}, code
    assert {c.due for c in box.cells if c.template_code == "bc_dang_uy_thang"} == {dt.date(2026, 6, 25)}


@pytest.fixture
def quarter_round(make_commune, upper, stick, tmp_path):
    return send_quarter_round(make_commune, upper, stick, tmp_path)


def send_quarter_round(make_commune, upper, stick, tmp_path) -> dict:
    """An Bình sends its quarterly report for quarter II; Bản Phố only its months April, May, June; Cốc Ly its
    April and June (no May); Du Già is registered and sends nothing. Returns the unit ids by letter."""
    a = make_commune("Đảng ủy xã An Bình", "An Bình")
    b = make_commune("Đảng ủy xã Bản Phố", "Bản Phố")
    c = make_commune("Đảng ủy xã Cốc Ly", "Cốc Ly")
    d = make_commune("Đảng ủy xã Du Già", "Du Già")
    write(a, "bc_dang_uy_quy", *Q2, {
        "thu_ngan_sach_tren_dia_ban": {"actual": "600", "cumulative": "1.500"},
        "kham_chua_benh": {"actual": "3.000", "cumulative": "6.000"},
        "tong_dan_gia_suc": {"actual": "9.000", "plan": "10.000"},
    })
    cumulative = {"thu": 1000, "kham": 4000}
    for n, thu, kham, gia_suc in ((4, 100, 1200, 8100), (5, 150, 1300, 8200), (6, 120, 1250, 8300)):
        cumulative["thu"] += thu
        cumulative["kham"] += kham
        write(b, "bc_dang_uy_thang", *month(n), {
            "thu_ngan_sach_tren_dia_ban": {"actual": str(thu), "cumulative": str(cumulative["thu"])},
            "kham_chua_benh": {"actual": str(kham), "cumulative": f"{cumulative['kham']:,}".replace(",", ".")},
            "tong_dan_gia_suc": {"actual": f"{gia_suc:,}".replace(",", "."), "plan": "9.000"},
            "lao_dong_viec_lam_moi": {"actual": "10", "plan": "100", "cumulative": str(30 + 10 * (n - 3))},
        })
    for n, thu, cum in ((4, 50, "450"), (6, 70, "520")):
        write(c, "bc_dang_uy_thang", *month(n), {"thu_ngan_sach_tren_dia_ban": {"actual": str(thu), "cumulative": cum}})
    register(upper, d, tmp_path)
    receive(upper, (a, b, c), stick, tmp_path)
    return {"a": a.unit_id, "b": b.unit_id, "c": c.unit_id, "d": d.unit_id}


def test_a_quarter_from_quarterly_reports_and_from_months(quarter_round, upper, tmp_path):
    ids = quarter_round
    agg = aggregate(upper, "bc_dang_uy_quy", *Q2)
    assert [u.short_name for u in agg.units] == ["Xã An Bình", "Xã Bản Phố", "Xã Cốc Ly"]
    assert [u.short_name for u in agg.missing] == ["Xã Du Già"]
    by_id = {u.id: u for u in agg.units}
    assert by_id[ids["a"]].months is None and by_id[ids["a"]].report_id
    assert by_id[ids["b"]].months.used == ("tháng 4/2026", "tháng 5/2026", "tháng 6/2026")
    assert by_id[ids["b"]].months.lacking == () and len(by_id[ids["b"]].months.report_ids) == 3
    assert by_id[ids["c"]].months.lacking == ("tháng 5/2026",)

    thu = agg.indicator("thu_ngan_sach_tren_dia_ban")
    # Bản Phố's quarter is the sum of its months; Cốc Ly's is not guessed (May missing)
    assert thu.fields["actual"].values == {ids["a"]: Decimal(600), ids["b"]: Decimal(370)}
    assert thu.fields["actual"].total == Decimal(970)
    # lũy kế: the last month's (Cốc Ly's June is there)
    assert thu.fields["cumulative"].values == {ids["a"]: Decimal(1500), ids["b"]: Decimal(1370),
                                               ids["c"]: Decimal(520)}
    kham = agg.indicator("kham_chua_benh")
    assert kham.fields["actual"].values[ids["b"]] == Decimal(3750)
    assert kham.fields["cumulative"].values[ids["b"]] == Decimal(7750)
    # a stock is not added up over the months, and not guessed either; its plan is the year's
    gia_suc = agg.indicator("tong_dan_gia_suc")
    assert ids["b"] not in gia_suc.fields["actual"].values
    assert gia_suc.fields["plan"].values[ids["b"]] == Decimal(9000)
    assert ids["b"] in gia_suc.missing_units

    notes = agg.month_notes()
    assert notes == ["Xã Bản Phố: tổng hợp từ báo cáo tháng 4, 5, 6/2026",
                     "Xã Cốc Ly: tổng hợp từ báo cáo tháng 4, 6/2026; thiếu báo cáo tháng 5/2026 "
                     "(số cộng theo tháng của đơn vị này để trống)"]
    data = json.loads(json.dumps(agg.to_json()))
    b_json = next(u for u in data["units"] if u["id"] == ids["b"])
    assert b_json["from_months"]["months"] == ["tháng 4/2026", "tháng 5/2026", "tháng 6/2026"]
    assert "Xã Bản Phố: tổng hợp từ báo cáo tháng 4, 5, 6/2026" in agg.text()

    model = summary_document(upper, agg, date=dt.date(2026, 7, 20))
    texts = ["".join(r.text for r in b.content) for b in model.blocks if hasattr(b, "content")]
    assert "3/4 đơn vị" in texts[0] and "Chưa nhận báo cáo của 1 đơn vị: Xã Du Già" in texts[0]
    assert "Xã Bản Phố: tổng hợp từ báo cáo tháng 4, 5, 6/2026." in texts
    assert any(t.startswith("Xã Cốc Ly: tổng hợp từ báo cáo tháng 4, 6/2026; thiếu báo cáo tháng 5/2026")
               for t in texts)
    # the DOCX says it too, and its table has Bản Phố's sum
    import docx
    document = docx.Document(str(export_summary_docx(upper, agg, tmp_path / "tong-hop-quy-II.docx", charts=False)))
    assert "Xã Bản Phố: tổng hợp từ báo cáo tháng 4, 5, 6/2026." in [p.text for p in document.paragraphs]
    label = "Thu ngân sách nhà nước trên địa bàn (triệu đồng), lũy kế"
    [rows] = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables
              if label in [c.text for c in t.rows[0].cells]]
    column = rows[0].index(label)
    assert {r[0]: r[column] for r in rows[1:4]} == {"Xã An Bình": "1.500", "Xã Bản Phố": "1.370", "Xã Cốc Ly": "520"}


def test_months_outside_the_quarter_or_of_the_other_format_do_not_count(quarter_round, upper):
    # the State template's quarter is not made from the Party months
    agg = aggregate(upper, "bc_ubnd_quy", *Q2)
    assert not agg.units
    # quarter I: nobody sent anything for it
    agg = aggregate(upper, "bc_dang_uy_quy", dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert not agg.units
    # the half-year of Bản Phố from its months lacks January–March: said, the sums left empty
    agg = aggregate(upper, "bc_dang_uy_6_thang", dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    b = agg.unit(quarter_round["b"])
    assert b.months.lacking == ("tháng 1/2026", "tháng 2/2026", "tháng 3/2026")
    assert quarter_round["b"] not in agg.indicator("thu_ngan_sach_tren_dia_ban").fields["actual"].values


def test_values_from_months_rules(upper):
    template = upper.template("bc_dang_uy_quy")
    months = [{"thu_ngan_sach_tren_dia_ban": {"actual": Decimal(1), "cumulative": Decimal(5)},
               "vu_viec_trat_tu": {"actual": Decimal(2)}},
              {"thu_ngan_sach_tren_dia_ban": {"actual": Decimal(2), "cumulative": Decimal(7)}},
              {"thu_ngan_sach_tren_dia_ban": {"actual": Decimal(3), "cumulative": Decimal(10)},
               "vu_viec_trat_tu": {"actual": Decimal(1)}}]
    got = values_from_months(template, months)
    assert got["thu_ngan_sach_tren_dia_ban"] == {"actual": Decimal(6), "cumulative": Decimal(10)}
    assert "vu_viec_trat_tu" not in got  # a count the template does not say adds up by month: left empty
    got = values_from_months(template, months[:2] + [None])
    assert "thu_ngan_sach_tren_dia_ban" not in got  # neither a sum nor the quarter's lũy kế without June


def test_the_command_line_takes_a_calendar_period(quarter_round, upper):
    code, out, err = run_cli("aggregate", "--template", "bc_dang_uy_quy", "--period", "2026-Q2", "--json",
                             "--db", str(upper.path))
    assert code == 0, err
    data = json.loads(out)
    assert data["period"]["label"] == "Quý II/2026"
    notes = [u["from_months"]["note"] for u in data["units"] if u["from_months"]]
    assert notes[0] == "tổng hợp từ báo cáo tháng 4, 5, 6/2026"
    code, out, err = run_cli("aggregate", "--template", "bc_dang_uy_quy", "--period", "2026-Q2", "--db", str(upper.path))
    assert code == 0 and "Xã Bản Phố: tổng hợp từ báo cáo tháng 4, 5, 6/2026" in out
    code, _, err = run_cli("aggregate", "--template", "bc_dang_uy_quy", "--period", "2026-Q5", "--db", str(upper.path))
    assert code == 2 and "không hợp lệ" in err
