"""Table rows named per report travel to the upper level (issue 14.5): the received report shows the
commune's real names; the aggregate sums rows by code, under the template's label, rows added by a unit
listed so that the parts still add up to the total."""
import datetime as dt
from decimal import Decimal

from baocao_desktop.aggregate.summary import summed_table
from baocao_desktop.services import exchange as ex
from baocao_desktop.services.aggregation import aggregate
from baocao_desktop.templates.model import parse_template
from tests.exchange.conftest import register
from tests.services.test_table_rows import TEMPLATE

WEEK = dt.date(2026, 6, 1)


def send_rows(commune, stick, names, cells, added=()):
    ws = commune.ws
    ws.install_template(parse_template(TEMPLATE, origin="thử"))
    ws.add_profile_fact("xa_cu", "Số xã (cũ) hợp nhất", str(len(names)), "xã", "2025-07-01", names=names)
    report = ws.create_report("bang_xa_cu", WEEK, number="7")
    for label in added:
        ws.add_table_row(report.id, "xa_cu", label)
    ws.fill_report(report.id, {"tables": {"xa_cu": {"rows": {r: {"so_nguoi": v} for r, v in cells.items()}}}})
    ws.sign(report.id)
    return commune.send(stick / f"{commune.place}.baocao").path


def test_the_upper_level_sees_the_names_and_sums_by_code(make_commune, upper, stick, tmp_path):
    a = make_commune("Đảng ủy xã Lùng Phình", "Lùng Phình")
    b = make_commune("Đảng ủy xã Bản Phố", "Bản Phố")
    for commune in (a, b):
        register(upper, commune, tmp_path)
    upper.install_template(parse_template(TEMPLATE, origin="thử"))
    files = [send_rows(a, stick, ["Xã Lùng Phình (cũ)", "Xã Tả Van Chư (cũ)", "Xã Lùng Thẩn (cũ)"],
                       {"xa_cu_1": "6", "xa_cu_2": "5", "xa_cu_3": "8", "tong": "19"}),
             send_rows(b, stick, ["Xã Bản Phố (cũ)", "Xã Bản Già (cũ)", "Xã Nậm Mòn (cũ)", "Xã Cốc Ly (cũ)"],
                       {"xa_cu_1": "1", "xa_cu_2": "2", "xa_cu_3": "3", "xa_cu_4": "4", "them_1": "5", "tong": "15"},
                       added=["Thôn Na Hối"])]
    result = ex.import_bundles(upper, files)
    assert result.counts()["new"] == 2, result.summary_text()
    received = {upper.unit_of(r).name: r for r in (upper.report(s.id) for s in upper.list_reports(own_only=False))
                if r.template_code == "bang_xa_cu"}
    lung_phinh = received["Đảng ủy xã Lùng Phình"]
    assert [r.label for r in upper.report_table(lung_phinh, "xa_cu").rows] == [
        "Xã Lùng Phình (cũ)", "Xã Tả Van Chư (cũ)", "Xã Lùng Thẩn (cũ)", "Tổng số"]
    assert upper.verify_signed(lung_phinh.id)
    ban_pho = received["Đảng ủy xã Bản Phố"]
    assert upper.report_table(ban_pho, "xa_cu").row("them_1").label == "Thôn Na Hối"
    assert not [f for f in upper.check(ban_pho.id, proofread=False) if f.field.startswith("xa_cu.")]

    agg = aggregate(upper, "bang_xa_cu", WEEK)
    sums = {row: cols["so_nguoi"] for row, cols in agg.tables["xa_cu"].items()}
    assert sums == {"xa_cu_1": Decimal(7), "xa_cu_2": Decimal(7), "xa_cu_3": Decimal(11), "xa_cu_4": Decimal(4),
                    "them_1": Decimal(5), "tong": Decimal(34)}
    block = summed_table(agg, upper.template("bang_xa_cu").table("xa_cu"))
    labels = [row[0] for row in block.rows]
    assert labels == ["Xã (cũ) thứ nhất", "Xã (cũ) thứ hai", "Xã (cũ) thứ ba", "Xã (cũ) thứ tư",
                      "Dòng thêm thứ 1", "Tổng số"]
    assert [row[1] for row in block.rows] == ["7", "7", "11", "4", "5", "34"]
    assert "tên dòng khác nhau theo đơn vị" in block.title
    assert "Xã Lùng Phình (cũ)" not in labels  # one unit's name is not the name of a sum
