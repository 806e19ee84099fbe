"""Aggregation across units (sum / mean / none, recomputed percentages), who is in and who is missing,
narratives side by side, and the summary report as DOCX."""
import datetime as dt
import json
import shutil
from decimal import Decimal

import docx
import pytest

from baocao_desktop.aggregate import combine
from baocao_desktop.aggregate.summary import build_summary_document
from baocao_desktop.document.model import Body, Heading, TableBlock
from baocao_desktop.services import exchange as ex
from baocao_desktop.services.aggregation import aggregate, export_summary_docx, parse_period_arg, summary_document
from baocao_desktop.services.demo import load_demo
from baocao_desktop.services.errors import ServiceError
from baocao_desktop.services.workspace import Workspace
from baocao_desktop.templates.model import parse_template
from tests.conftest import run_cli
from tests.exchange.conftest import WEEK1, WEEK2, Commune, week_values


@pytest.fixture(scope="module")
def sent_files(tmp_path_factory, blank_db):
    """Built once for the module: An Bình, Bản Phố and the demo's Lùng Phình send week 1; Cốc Ly only
    registers. Also An Bình's corrected re-send. Returns the key files and transfer files."""
    root = tmp_path_factory.mktemp("province")
    stick = root / "USB"
    stick.mkdir()
    made = []
    for n, (name, place) in enumerate((("Đảng ủy xã An Bình", "An Bình"), ("Đảng ủy xã Bản Phố", "Bản Phố"),
                                       ("Đảng ủy xã Cốc Ly", "Cốc Ly"))):
        (root / f"xa{n}").mkdir()
        made.append(Commune(root / f"xa{n}" / "baocao.sqlite3", name, place, blank=blank_db))
    a, b, c = made
    demo_path = root / "demo.sqlite3"
    shutil.copyfile(blank_db, demo_path)
    demo_ws = Workspace(demo_path, author="lung-phinh")
    try:
        load_demo(demo_ws)
        week1 = next(r for r in demo_ws.list_reports() if r.template_code == "bc_tuan" and r.period.start == WEEK1)
        demo_ws.sign(week1.id)
        keys = [x.key_file(root / f"{n}.baocaokey") for n, x in enumerate(made)]
        keys.append(ex.export_public_key(demo_ws, root / "lung_phinh.baocaokey"))
        a_report = a.weekly(WEEK1, text="Xã An Bình gieo cấy xong lúa mùa.")
        b.weekly(WEEK1, week_values(lua="200", lua_plan="250", gia_suc="3.000", gia_suc_plan="3.000", ty_le="90"),
                 text="Xã Bản Phố chăm sóc lúa.\nDiệt chuột trên đồng ruộng.")
        files = [a.send(stick).path, b.send(stick).path,
                 ex.export_bundle(demo_ws, stick / "lung-phinh.baocao", [week1.id]).path]
        a.ws.unlock(a_report, "Sửa diện tích lúa")
        a.ws.set_value(a_report, "lua_mua_dien_tich", "actual", "310")
        a.ws.sign(a_report)
        correction = a.send(stick / "sua.baocao").path
        return {"keys": keys, "files": files, "correction": correction, "a_unit": a.unit_id}
    finally:
        demo_ws.close()
        for commune in made:
            commune.ws.close()


@pytest.fixture
def province(sent_files, upper):
    for key in sent_files["keys"]:
        ex.register_unit(upper, key)
    result = ex.import_bundles(upper, sent_files["files"])
    assert result.counts()["new"] == 3, result.summary_text()
    return sent_files


def test_sums_recomputed_percent_and_rates_not_added(province, upper):
    agg = aggregate(upper, "bc_tuan", "2026-06-03")  # any day of the week picks the week
    assert agg.period.start == WEEK1 and agg.period.end == dt.date(2026, 6, 7)
    assert [u.short_name for u in agg.units] == ["Xã An Bình", "Xã Bản Phố", "Xã Lùng Phình"]
    assert [u.short_name for u in agg.missing] == ["Xã Cốc Ly"]
    lua = agg.indicator("lua_mua_dien_tich")
    assert lua.rule == "sum"
    assert lua.fields["actual"].total == Decimal(300 + 200 + 549) and lua.fields["plan"].total == Decimal(1300)
    assert lua.percent == Decimal("80.7")  # 100 × 1049 / 1300, not the mean of 75 / 80 / 84,5
    assert lua.percent_values == {agg.units[0].id: Decimal("75.0"), agg.units[1].id: Decimal("80.0"),
                                  agg.units[2].id: Decimal("84.5")}
    kham = agg.indicator("kham_chua_benh")
    assert kham.main_field == "cumulative" and kham.total == Decimal(500 + 500 + 6530)
    rate = agg.indicator("ty_le_kham_thai_4_lan")
    assert rate.rule == "none" and rate.total is None and rate.fields["actual"].count == 3
    # an indicator only the demo reports: counted with its single unit, the others listed as missing
    ngo = agg.indicator("ngo_dien_tich")
    assert ngo.fields["actual"].count == 1 and len(ngo.missing_units) == 2


def test_json_and_text(province, upper):
    agg = aggregate(upper, "bc_tuan", WEEK1)
    data = json.loads(json.dumps(agg.to_json()))
    assert data["period"]["label"] == "Tuần 23 (01/6–07/6/2026)"
    lua = next(i for i in data["indicators"] if i["code"] == "lua_mua_dien_tich")
    assert lua["fields"]["actual"]["total"] == "1.049" and lua["percent"]["total"] == "80,7"
    assert data["missing_units"][0]["name"] == "Đảng ủy xã Cốc Ly"
    texts = data["narratives"]["II.1.1.a"]["units"]
    assert [t["text"] for t in texts][:2] == ["Xã An Bình gieo cấy xong lúa mùa.",
                                              "Xã Bản Phố chăm sóc lúa.\nDiệt chuột trên đồng ruộng."]
    text = agg.text()
    assert "Diện tích lúa mùa: 1.049 ha, bằng 80,7% kế hoạch (3/3 đơn vị)" in text
    assert "chưa gửi: Xã Cốc Ly" in text


def test_the_summary_document(province, upper):
    agg = aggregate(upper, "bc_tuan", WEEK1)
    model = summary_document(upper, agg, date=dt.date(2026, 6, 9))
    assert model.issuer == "Văn phòng Tỉnh ủy Lào Cai" and model.signer.name == "Trần Văn Bình"
    assert model.summary == "Tổng hợp báo cáo tuần từ ngày 01/6 đến ngày 07/6/2026"
    intro = "".join(r.text for r in model.blocks[0].content)
    assert "3/4 đơn vị" in intro and "Chưa nhận báo cáo của 1 đơn vị: Xã Cốc Ly" in intro
    tables = [b for b in model.blocks if isinstance(b, TableBlock)]
    lua = next(t for t in tables if t.header[1] == "Diện tích lúa mùa (ha)")
    assert [r[0] for r in lua.rows] == ["Xã An Bình", "Xã Bản Phố", "Xã Lùng Phình", "Tổng hợp", "Kế hoạch",
                                        "Tỷ lệ so với kế hoạch (%)"]
    assert lua.rows[3][1] == "1.049" and lua.rows[4][1] == "1.300" and lua.rows[5][1] == "80,7"
    assert lua.total_rows == (3, 4, 5)
    assert all(len(t.header) <= 1 + 4 for t in tables)
    headings = [b.title for b in model.blocks if isinstance(b, Heading)]
    assert "Sản xuất nông nghiệp" in " ".join(headings)
    narratives = [b for b in model.blocks if isinstance(b, Body) and b.content[0].bold]
    first = narratives[0].content
    assert first[0].text == "Xã An Bình: " and first[1].text == "Xã An Bình gieo cấy xong lúa mùa."
    rate_table = next(t for t in tables if any("Tỷ lệ phụ nữ có thai" in h for h in t.header))
    column = next(i for i, h in enumerate(rate_table.header) if "Tỷ lệ phụ nữ có thai" in h)
    assert rate_table.rows[3][column] == "–"  # rates are not added up


def test_docx_from_the_cli(province, upper, tmp_path):
    out = tmp_path / "Tổng hợp tuần 23.docx"
    code, text, err = run_cli("aggregate", "--template", "bc_tuan", "--period", "2026-06-01", "--docx", str(out),
                              "--no-charts", "--db", str(upper.path))
    assert code == 0, err
    assert "Diện tích lúa mùa: 1.049 ha" in text and str(out) in text
    document = docx.Document(str(out))
    paragraphs = [p.text for p in document.paragraphs]
    assert any(p.startswith("Xã Bản Phố: Xã Bản Phố chăm sóc lúa.") for p in paragraphs)
    assert "Diệt chuột trên đồng ruộng." in paragraphs
    grids = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    lua = next(g for g in grids if g[0][1:2] == ["Diện tích lúa mùa (ha)"])
    assert [row[0] for row in lua[1:]] == ["Xã An Bình", "Xã Bản Phố", "Xã Lùng Phình", "Tổng hợp", "Kế hoạch",
                                           "Tỷ lệ so với kế hoạch (%)"]
    code, text, _ = run_cli("aggregate", "--template", "bc_tuan", "--period", "2026-06-01", "--json",
                            "--db", str(upper.path))
    assert json.loads(text)["template"]["code"] == "bc_tuan"
    code, _, err = run_cli("aggregate", "--template", "bc_tuan", "--period", "31/2/2026", "--db", str(upper.path))
    assert code == 2 and "không hợp lệ" in err


def test_charts_in_the_summary(province, upper, tmp_path):
    agg = aggregate(upper, "bc_tuan", WEEK1)
    path = export_summary_docx(upper, agg, tmp_path / "bieu-do.docx", charts=True)
    assert len(docx.Document(str(path)).inline_shapes) >= 1


def test_corrected_version_is_what_gets_aggregated(province, upper):
    ex.import_bundles(upper, [province["correction"]])
    agg = aggregate(upper, "bc_tuan", WEEK1)
    assert agg.indicator("lua_mua_dien_tich").fields["actual"].total == Decimal(1059)
    assert agg.unit(province["a_unit"]).versions == 2


def test_nothing_received_for_a_period(province, upper):
    agg = aggregate(upper, "bc_tuan", WEEK2)
    assert agg.units == [] and len(agg.missing) == 4
    assert agg.indicator("lua_mua_dien_tich").total is None
    with pytest.raises(ServiceError, match="một tuần"):
        aggregate(upper, "bc_tuan", WEEK1, WEEK2 + dt.timedelta(days=6))


def test_rules_mean_and_outliers():
    assert combine.combine("sum", [Decimal("1.5"), Decimal(2), None]) == Decimal("3.5")
    assert combine.combine("mean", [Decimal(1), Decimal(2)]) == Decimal("1.5")
    assert combine.combine("none", [Decimal(1)]) is None and combine.combine("sum", []) is None
    names = {u: u.upper() for u in "abcde"}
    values = {"a": Decimal(100), "b": Decimal(120), "c": Decimal(90), "d": Decimal(1100), "e": Decimal(110)}
    flags = combine.find_outliers("Diện tích lúa", "actual", values, {"a": Decimal(10)}, names)
    assert {(f.unit_id, f.against) for f in flags} == {("d", "peers"), ("a", "previous")}
    assert "khác xa mức giữa" in next(f.message for f in flags if f.unit_id == "d")
    assert combine.short_unit_name("Đảng ủy xã Lùng Phình") == "Xã Lùng Phình"
    assert combine.short_unit_name("Ủy ban nhân dân phường Sa Pa") == "Phường Sa Pa"
    assert combine.short_unit_name("Xã A") == "Xã A"


CUSTOM = """
code: gs_thu
version: 1
name: Báo cáo giám sát thử
period: custom
title: BÁO CÁO
summary: "Kết quả giám sát từ ngày {start} đến ngày {end}"
recipients: ["- Ban Thường vụ Tỉnh ủy (b/c),", "- Lưu Văn phòng."]
indicators:
  - {code: so_cuoc_giam_sat, label: Số cuộc giám sát, unit: cuộc, kind: count}
  - {code: diem_binh_quan, label: Điểm đánh giá, unit: điểm, kind: number}
tables:
  - code: to_chuc
    title: Tổ chức đảng
    rows: [{code: chi_bo, label: Chi bộ}, {code: dang_bo, label: Đảng bộ}, {code: tong, label: Tổng}]
    columns: [{code: truoc, label: Trước}, {code: sau, label: Sau}]
    total_row: tong
sections:
  - {number: "I.", title: KẾT QUẢ, indicators: [so_cuoc_giam_sat, diem_binh_quan], tables: [to_chuc]}
"""


def test_custom_periods_overlap_tables_are_summed_and_mean_rule(make_commune, upper, stick, tmp_path, monkeypatch):
    template = parse_template(CUSTOM, origin="gs_thu")
    sent = []
    for name, place, start, end, count, score, cells in (
            ("Đảng ủy xã An Bình", "An Bình", "2026-01-01", "2026-03-31", "4", "8", ("10", "8", "18")),
            ("Đảng ủy xã Bản Phố", "Bản Phố", "2026-01-05", "2026-03-30", "6", "9", ("5", "5", "10"))):
        commune = make_commune(name, place)
        commune.ws.install_template(template)
        report = commune.ws.create_report("gs_thu", start, end)
        commune.ws.fill_report(report.id, {
            "indicators": {"so_cuoc_giam_sat": {"actual": count}, "diem_binh_quan": {"actual": score}},
            "tables": {"to_chuc": {"rows": {"chi_bo": {"truoc": cells[0]}, "dang_bo": {"truoc": cells[1]},
                                            "tong": {"truoc": cells[2]}}}},
            "sections": {"I": {"text": f"Giám sát tại {place}."}}})
        commune.ws.set_header(report.id, number="21")  # a document signed has its Số (issue 14.2)
        commune.ws.sign(report.id)
        sent.append(commune.send(stick).path)
    ex.import_bundles(upper, sent, register_new=True)
    start, end = parse_period_arg("01/01/2026..31/3/2026")
    original = combine.rule_for
    monkeypatch.setattr(combine, "rule_for", lambda ind: "mean" if ind.code == "diem_binh_quan" else original(ind))
    agg = aggregate(upper, "gs_thu", start, end)
    assert len(agg.units) == 2
    assert agg.indicator("so_cuoc_giam_sat").total == Decimal(10)
    assert agg.indicator("diem_binh_quan").total == Decimal("8.5")
    assert agg.tables["to_chuc"]["tong"]["truoc"] == Decimal(28)
    model = build_summary_document(agg, upper.own_unit())
    table = next(b for b in model.blocks if isinstance(b, TableBlock) and b.title.startswith("Tổ chức đảng"))
    assert table.rows[2] == ("Tổng", "28", "") and table.total_rows == (2,)
    scores = next(b for b in model.blocks if isinstance(b, TableBlock) and "Điểm đánh giá (điểm)" in b.header)
    assert scores.rows[2][2] == "8,5 (bình quân)"


def test_percent_of_plan_is_recomputed_from_units_with_both_figures():
    from baocao_desktop.templates.model import Indicator
    ind = Indicator("lua_mua_dien_tich", "Diện tích lúa mùa", "ha", "area", plan=True)
    values = {"a": {"actual": Decimal(300), "plan": Decimal(400)}, "b": {"plan": Decimal(1000)},
              "c": {"actual": Decimal(100), "plan": Decimal(100)}}
    total = combine.combine_indicator(ind, "II", values, {}, {})
    assert total.fields["plan"].total == Decimal(1500) and total.fields["actual"].total == Decimal(400)
    assert (total.percent_base_total, total.percent_plan_total, total.percent) == (400, 500, Decimal("80.0"))
    assert total.missing_units == ["b"]
