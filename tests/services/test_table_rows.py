"""Table rows a report has as its own (issue 14.5): named after the unit profile valid on the report date,
renamed, added up to the template's limit, an empty row left out; stored with the report, carried by
`report show --json` / `report fill` and by the transfer-file content, covered by the seal; checks and the
document use the report's rows, matched by code."""
import json

import docx
import pytest

from baocao_desktop.exchange.content import content_from_report, digest, report_from_content
from baocao_desktop.services.errors import ServiceError
from baocao_desktop.templates.model import parse_template

TEMPLATE = """
code: bang_xa_cu
version: 1
name: Báo cáo thử theo xã cũ
period: week
recipients: ["- Ban Thường vụ Tỉnh ủy (b/c),", "- Lưu Văn phòng."]
sections:
  - {number: "I.", title: Cán bộ thôi việc, tables: [xa_cu, loai]}
tables:
  - code: xa_cu
    title: Cán bộ thôi việc theo xã cũ
    rows:
      - {code: xa_cu_1, label: Xã (cũ) thứ nhất}
      - {code: xa_cu_2, label: Xã (cũ) thứ hai}
      - {code: xa_cu_3, label: Xã (cũ) thứ ba}
      - {code: xa_cu_4, label: Xã (cũ) thứ tư}
      - {code: tong, label: Tổng số}
    columns:
      - {code: so_nguoi, label: Số người, unit: người}
    total_row: tong
    row_labels: profile:xa_cu
    rows_editable: true
    max_rows: 5
  - code: loai
    title: Theo loại
    rows:
      - {code: nghi_huu, label: Nghỉ hưu}
      - {code: tong, label: Tổng số}
    columns:
      - {code: so_nguoi, label: Số người, unit: người}
    total_row: tong
"""
OLD = ["Xã Lùng Phình (cũ)", "Xã Tả Van Chư (cũ)", "Xã Lùng Thẩn (cũ)"]


@pytest.fixture
def ws(mini):
    mini.install_template(parse_template(TEMPLATE, origin="thử"))
    mini.add_profile_fact("xa_cu", "Số xã (cũ) hợp nhất", "3", "xã", "2025-07-01", names=OLD)
    return mini


def rows_of(ws, report_id, code="xa_cu"):
    return [(r.code, r.label) for r in ws.report_table(ws.report(report_id), code).rows]


def test_a_new_report_names_the_rows_after_the_profile_valid_on_its_date(ws):
    # the profile changes on 01/01/2026: a report dated before keeps the three old communes
    ws.add_profile_fact("xa_cu", "Số xã (cũ) hợp nhất", "2", "xã", "2026-01-01", names=["Xã A", "Xã B"])
    before = ws.create_report("bang_xa_cu", "2025-12-01", report_date="2025-12-08")
    after = ws.create_report("bang_xa_cu", "2026-06-01", report_date="2026-06-08")
    assert rows_of(ws, before.id) == [("xa_cu_1", OLD[0]), ("xa_cu_2", OLD[1]), ("xa_cu_3", OLD[2]),
                                      ("tong", "Tổng số")]  # merged from three: three rows, no empty fourth
    assert rows_of(ws, after.id) == [("xa_cu_1", "Xã A"), ("xa_cu_2", "Xã B"), ("tong", "Tổng số")]
    # a table with fixed rows is left as the template has it
    assert rows_of(ws, after.id, "loai") == [("nghi_huu", "Nghỉ hưu"), ("tong", "Tổng số")]


def test_without_names_in_the_profile_the_template_labels_stay_and_the_clerk_types_them(mini):
    mini.install_template(parse_template(TEMPLATE, origin="thử"))
    report = mini.create_report("bang_xa_cu", "2026-06-01")
    assert [r.label for r in mini.report_table(mini.report(report.id), "xa_cu").rows][:2] == [
        "Xã (cũ) thứ nhất", "Xã (cũ) thứ hai"]
    mini.set_row_label(report.id, "xa_cu", "xa_cu_1", "  Xã  Bản Phố (cũ) ")
    assert rows_of(mini, report.id)[0] == ("xa_cu_1", "Xã Bản Phố (cũ)")
    mini.set_row_label(report.id, "xa_cu", "xa_cu_1", "")  # empty: the template's label again
    assert rows_of(mini, report.id)[0] == ("xa_cu_1", "Xã (cũ) thứ nhất")
    assert mini.report(report.id).table_rows == {}


def test_add_rename_and_remove_follow_the_rules(ws):
    report = ws.create_report("bang_xa_cu", "2026-06-01", number="5")
    # the fourth template row comes back first (its code keeps its place across units), then new codes
    assert ws.add_table_row(report.id, "xa_cu", "Xã Thứ Tư") == "xa_cu_4"
    assert ws.add_table_row(report.id, "xa_cu") == "them_1"
    assert rows_of(ws, report.id)[-2:] == [("them_1", "Dòng thêm 5"), ("tong", "Tổng số")]
    with pytest.raises(ServiceError, match="tối đa 5 dòng"):
        ws.add_table_row(report.id, "xa_cu")
    ws.set_row_label(report.id, "xa_cu", "them_1", "Thôn Sín Chải")
    with pytest.raises(ServiceError, match="dòng tổng"):
        ws.set_row_label(report.id, "xa_cu", "tong", "Cộng")
    with pytest.raises(ServiceError, match="Dòng thêm cần có tên"):
        ws.set_row_label(report.id, "xa_cu", "them_1", "  ")
    with pytest.raises(ServiceError, match="các dòng cố định"):
        ws.set_row_label(report.id, "loai", "nghi_huu", "Khác")
    # figures in an added row are stored by its code; a row with figures is not left out
    ws.set_cell(report.id, "xa_cu", "them_1", "so_nguoi", "2")
    with pytest.raises(ServiceError, match="Dòng “Thôn Sín Chải” còn số liệu"):
        ws.remove_table_row(report.id, "xa_cu", "them_1")
    with pytest.raises(ServiceError, match="không bỏ được"):
        ws.remove_table_row(report.id, "xa_cu", "tong")
    ws.set_cell(report.id, "xa_cu", "them_1", "so_nguoi", "")
    ws.remove_table_row(report.id, "xa_cu", "them_1")
    ws.remove_table_row(report.id, "xa_cu", "xa_cu_4")
    assert [c for c, _ in rows_of(ws, report.id)] == ["xa_cu_1", "xa_cu_2", "xa_cu_3", "tong"]
    # a cell of a row this report does not have is refused
    with pytest.raises(ServiceError, match="trong báo cáo này"):
        ws.set_cell(report.id, "xa_cu", "xa_cu_4", "so_nguoi", "1")
    ws.sign(report.id)
    with pytest.raises(ServiceError, match="khóa"):
        ws.add_table_row(report.id, "xa_cu")


def test_checks_and_the_document_use_the_report_rows(ws, tmp_path):
    report = ws.create_report("bang_xa_cu", "2026-06-01", number="5")
    ws.add_table_row(report.id, "xa_cu", "Xã Tả Củ Tỷ (cũ)")  # xa_cu_4 again
    for row, value in (("xa_cu_1", "6"), ("xa_cu_2", "5"), ("xa_cu_3", "8"), ("xa_cu_4", "2"), ("tong", "19")):
        ws.set_cell(report.id, "xa_cu", row, "so_nguoi", value)
    errors = [f for f in ws.check(report.id, proofread=False) if f.field == "xa_cu.tong.so_nguoi"]
    assert errors and "21" in errors[0].message  # the total is checked against the four rows this report has
    ws.set_cell(report.id, "xa_cu", "tong", "so_nguoi", "21")
    assert not [f for f in ws.check(report.id, proofread=False) if f.field.startswith("xa_cu.")]
    out = ws.export_docx(report.id, tmp_path / "xa_cu.docx")
    table = next(t for t in docx.Document(str(out)).tables if t.rows[0].cells[0].text == "Nội dung")
    labels = [row.cells[0].text for row in table.rows]
    assert labels == ["Nội dung", *OLD, "Xã Tả Củ Tỷ (cũ)", "Tổng số"]
    assert "Xã (cũ) thứ nhất" not in labels and [row.cells[1].text for row in table.rows][-1] == "21"


def test_report_show_and_fill_carry_the_rows(ws):
    report = ws.create_report("bang_xa_cu", "2026-06-01")
    shown = ws.report_json(report.id)["tables"]["xa_cu"]
    assert shown["labels"] == {"xa_cu_1": OLD[0], "xa_cu_2": OLD[1], "xa_cu_3": OLD[2], "tong": "Tổng số"}
    assert list(shown["rows"]) == ["xa_cu_1", "xa_cu_2", "xa_cu_3", "tong"]
    # what show printed fills back unchanged
    ws.fill_report(report.id, json.loads(json.dumps(ws.report_json(report.id), ensure_ascii=False)))
    ws.fill_report(report.id, {"tables": {"xa_cu": {
        "labels": {"xa_cu_2": "Xã Tả Văn Chư (cũ)", "them_1": "Thôn mới", "xa_cu_3": None},
        "rows": {"them_1": {"so_nguoi": "3"}}}}})
    assert rows_of(ws, report.id) == [("xa_cu_1", OLD[0]), ("xa_cu_2", "Xã Tả Văn Chư (cũ)"),
                                      ("them_1", "Thôn mới"), ("tong", "Tổng số")]
    assert ws.report(report.id).cell("xa_cu", "them_1", "so_nguoi") == 3
    # bad input: nothing written, every problem said
    before = ws.report(report.id).table_rows
    with pytest.raises(ServiceError) as caught:
        ws.fill_report(report.id, {"tables": {"xa_cu": {"labels": {"them_1": None, "tong": "Cộng", "Bad Code": "x"}},
                                              "loai": {"labels": {"nghi_huu": "Khác"}}}})
    message = str(caught.value)
    assert "chưa ghi gì" in message and "còn số liệu" in message and "dòng tổng" in message
    assert "mã dòng “Bad Code” không hợp lệ" in message and "các dòng cố định" in message
    assert ws.report(report.id).table_rows == before


def test_the_rows_travel_and_are_sealed(ws):
    report = ws.create_report("bang_xa_cu", "2026-06-01", number="5")
    ws.set_row_label(report.id, "xa_cu", "xa_cu_1", "Xã Lùng Phình")
    full = ws.report(report.id)
    content = content_from_report(full, {})
    assert content["table_rows"]["xa_cu"]["xa_cu_1"] == "Xã Lùng Phình"
    back = report_from_content(json.loads(json.dumps(content)))
    assert back.table_rows == full.table_rows and digest(content) == full.content_digest()
    # the seal covers the row names: another name is another content
    renamed = report_from_content(json.loads(json.dumps(content)))
    renamed.table_rows["xa_cu"]["xa_cu_1"] = "Xã khác"
    assert renamed.content_digest() != full.content_digest()
    # a report with the template's rows keeps the hash it had before rows were stored
    plain = report_from_content(json.loads(json.dumps(content)))
    plain.table_rows.clear()
    assert "table_rows" not in content_from_report(plain, {}) and plain.content_digest() != full.content_digest()
    ws.sign(report.id)
    assert ws.verify_signed(report.id)
    ws.add_profile_fact("xa_cu", "Số xã (cũ) hợp nhất", "2", "xã", "2026-01-01", names=["Xã A", "Xã B"])
    assert ws.verify_signed(report.id) and rows_of(ws, report.id)[0] == ("xa_cu_1", "Xã Lùng Phình")


def test_names_from_the_profile_again(ws):
    report = ws.create_report("bang_xa_cu", "2026-06-01", report_date="2026-06-08")
    ws.set_row_label(report.id, "xa_cu", "xa_cu_1", "Gõ tay")
    ws.add_profile_fact("xa_cu", "Số xã (cũ) hợp nhất", "4", "xã", "2026-06-01",
                        names=["Xã A", "Xã B", "Xã C", "Xã D"])
    ws.rows_from_profile(report.id, "xa_cu")
    assert [label for _, label in rows_of(ws, report.id)] == ["Xã A", "Xã B", "Xã C", "Xã D", "Tổng số"]
    with pytest.raises(ServiceError, match="các dòng cố định"):
        ws.rows_from_profile(report.id, "loai")


def test_the_command_line_adds_the_names_and_fills_the_rows(tmp_path):
    from tests.conftest import run_cli
    db = str(tmp_path / "cli.sqlite3")
    assert run_cli("demo", "--db", db)[0] == 0
    code, out, err = run_cli("unit", "fact", "xa_cu", "2", "--label", "Số xã (cũ)", "--as-of", "2026-06-01",
                             "--name", "Xã Một", "--name", "Xã Hai", "--db", db, "--json")
    assert code == 0, err
    facts = [f for f in json.loads(out)["profile"] if f["code"] == "xa_cu"]
    assert {"as_of": "2026-06-01", "names": ["Xã Một", "Xã Hai"]}.items() <= facts[-1].items()
    reports = json.loads(run_cli("report", "list", "--db", db, "--json")[1])["reports"]
    gs = next(r for r in reports if r["template"] == "bc_giam_sat")
    shown = json.loads(run_cli("report", "show", gs["id"], "--db", db, "--json")[1])
    # the demo commune was merged from three communes: three named rows, as on the report date (2025)
    assert list(shown["tables"]["thoi_viec_xa_cu"]["labels"].values()) == [
        "Xã Lùng Phình (cũ)", "Xã Tả Van Chư (cũ)", "Xã Lùng Thẩn (cũ)", "Tổng số"]


def test_what_changed_between_versions_names_the_rows(ws):
    from baocao_desktop.exchange.content import diff
    report = ws.create_report("bang_xa_cu", "2026-06-01", number="5")
    before = content_from_report(ws.report(report.id), {})
    ws.set_row_label(report.id, "xa_cu", "xa_cu_2", "Xã Tả Văn Chư (cũ)")
    ws.add_table_row(report.id, "xa_cu", "Thôn Na Hối")
    ws.set_cell(report.id, "xa_cu", "xa_cu_4", "so_nguoi", "2")
    after = content_from_report(ws.report(report.id), {})
    changes = {c.key: c for c in diff(before, after, ws.template("bang_xa_cu"))}
    assert (changes["xa_cu.xa_cu_2"].old, changes["xa_cu.xa_cu_2"].new) == (OLD[1], "Xã Tả Văn Chư (cũ)")
    assert (changes["xa_cu.xa_cu_4"].old, changes["xa_cu.xa_cu_4"].new) == (None, "Thôn Na Hối")
    assert changes["xa_cu.xa_cu_4.so_nguoi"].label == "Cán bộ thôi việc theo xã cũ: Thôn Na Hối, Số người"
