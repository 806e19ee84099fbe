import datetime as dt
from decimal import Decimal

import pytest

from baocao_desktop.domain.numbers import NumberFormatError
from baocao_desktop.services.errors import ServiceError
from baocao_desktop.services.workspace import Workspace


def codes(findings):
    return [f.code for f in findings]


def test_create_weekly_report_only_for_monday_to_sunday(mini):
    report = mini.create_report("mini_tuan", "2026-06-01")
    assert (report.period.start, report.period.end) == (dt.date(2026, 6, 1), dt.date(2026, 6, 7))
    assert report.report_date == dt.date(2026, 6, 8)  # due the Monday after
    assert report.place == "Lùng Phình" and report.status == "draft"
    assert report.recipients == ["- Ban Thường vụ Tỉnh ủy (b/c),", "- Lưu Văn phòng."]
    with pytest.raises(ServiceError, match="thứ Hai đến Chủ nhật"):
        mini.create_report("mini_tuan", "2026-06-03")
    with pytest.raises(ServiceError, match="Đã có báo cáo tuần thử"):
        mini.create_report("mini_tuan", "01/6/2026")


def test_values_are_exact_and_bad_numbers_refused(mini):
    report = mini.create_report("mini_tuan", "2026-06-01")
    assert mini.set_value(report.id, "lua", "actual", "64,5") == Decimal("64.5")
    stored = mini.store.conn.execute("SELECT value FROM indicator_values WHERE indicator_code='lua'").fetchone()[0]
    assert stored == "64.5"
    with pytest.raises(NumberFormatError, match="“12a”"):
        mini.set_value(report.id, "lua", "actual", "12a")
    assert mini.report(report.id).value("lua", "actual") == Decimal("64.5")
    with pytest.raises(ServiceError, match="không có trường"):
        mini.set_value(report.id, "lua", "cumulative", "5")
    mini.set_value(report.id, "lua", "actual", "")
    assert mini.report(report.id).value("lua", "actual") is None


def test_revision_log_records_who_when_old_new_and_coalesces_typing(mini):
    report = mini.create_report("mini_tuan", "2026-06-01")
    mini.set_section_text(report.id, "I.1", "Lúa")
    mini.set_section_text(report.id, "I.1", "Lúa mùa")
    mini.set_section_text(report.id, "I.1", "Lúa mùa đạt")
    mini.set_value(report.id, "lua", "actual", "549")
    rows = [r for r in mini.revisions(report.id) if r["entity"] in ("section", "value")]
    assert [(r["entity_key"], r["old"], r["new"], r["author"]) for r in rows] == [
        ("I.1", None, "Lúa mùa đạt", "tester"), ("lua.actual", None, "549")+("tester",)]
    assert all(r["at"].endswith("+00:00") for r in rows)


def test_every_edit_is_on_disk_without_save(mini, tmp_path):
    report = mini.create_report("mini_tuan", "2026-06-01")
    mini.set_section_text(report.id, "I.1", "Đang viết dở câu")
    other = Workspace(mini.path, author="other")  # a second connection sees it at once
    assert other.report(report.id).texts["I.1"] == "Đang viết dở câu"
    other.close()


def test_cumulative_starts_from_last_week(mini):
    week1 = mini.create_report("mini_tuan", "2026-06-01")
    mini.set_value(week1.id, "thu_ns", "actual", "13")
    mini.set_value(week1.id, "thu_ns", "cumulative", "1.561")
    mini.set_value(week1.id, "lua", "plan", "650")
    week2 = mini.create_report("mini_tuan", "2026-06-08")
    assert mini.report(week2.id).value("lua", "plan") == Decimal(650)  # annual plan carried over
    assert mini.check_context(mini.report(week2.id)).previous_cumulative["thu_ns"] == Decimal("1561")
    mini.set_value(week2.id, "thu_ns", "actual", "25")
    mini.set_value(week2.id, "thu_ns", "cumulative", "1.590")
    finding = next(f for f in mini.check(week2.id) if f.code == "cumulative.mismatch")
    assert finding.severity == "error"
    assert finding.message == (
        "Lũy kế thu ngân sách trên địa bàn (1.590 triệu đồng) khác lũy kế tuần 23 (01/6–07/6/2026) cộng "
        "trong kỳ (1.561 + 25 = 1.586): chênh 4. Sửa lũy kế thành 1.586 hoặc kiểm tra lại số trong kỳ.")
    assert finding.to_json()["location"] == {"section": "I.2", "field": "thu_ns.cumulative"}
    assert finding.values["expected"] == "1.586"
    mini.set_value(week2.id, "thu_ns", "cumulative", "1.586")
    assert "cumulative.mismatch" not in codes(mini.check(week2.id))


def test_first_report_without_previous_asks_for_it(mini):
    week1 = mini.create_report("mini_tuan", "2026-06-01")
    mini.set_value(week1.id, "thu_ns", "actual", "13")
    mini.set_value(week1.id, "thu_ns", "cumulative", "1.561")
    assert "cumulative.no_previous" in codes(mini.check(week1.id))
    mini.set_value(week1.id, "thu_ns", "previous", "1.548")
    assert not {"cumulative.no_previous", "cumulative.mismatch"} & set(codes(mini.check(week1.id)))
    mini.set_value(week1.id, "thu_ns", "previous", "1.500")
    assert "cumulative.mismatch" in codes(mini.check(week1.id))


def test_cumulative_only_indicator_must_not_decrease(mini):
    week1 = mini.create_report("mini_tuan", "2026-06-01")
    mini.set_value(week1.id, "thu_nsdp", "cumulative", "109.013")
    week2 = mini.create_report("mini_tuan", "2026-06-08")
    mini.set_value(week2.id, "thu_nsdp", "cumulative", "100.000")
    finding = next(f for f in mini.check(week2.id) if f.code == "cumulative.decreased")
    assert "100.000" in finding.message and "109.013" in finding.message


def test_required_sections_range_and_dates(mini):
    report = mini.create_report("mini_tuan", "2026-06-01")
    found = mini.check(report.id)
    assert {f.section for f in found if f.code == "required.empty"} == {"I.1", "II"}
    assert all(f.severity == "warning" for f in found if f.code == "required.empty")
    mini.set_value(report.id, "lua", "actual", "54.900")
    mini.set_section_text(report.id, "II", "Tiếp tục chỉ đạo.")
    mini.set_header(report.id, report_date="05/6/2026")
    found = mini.check(report.id)
    assert "required.empty" not in codes(found)
    rng = next(f for f in found if f.code == "range.implausible")
    assert "54.900 ha" in rng.message and rng.field == "lua.actual"
    date = next(f for f in found if f.code == "date.before_period_end")
    assert date.severity == "error" and "05/6/2026" in date.message and "07/6/2026" in date.message


def test_fill_is_all_or_nothing(mini):
    report = mini.create_report("mini_tuan", "2026-06-01")
    with pytest.raises(ServiceError) as info:
        mini.fill_report(report.id, {"indicators": {"lua": {"actual": "549", "plan": "6x0"}},
                                     "sections": {"I.1": {"text": "Có nội dung"}}})
    assert "“6x0”" in str(info.value)
    assert mini.report(report.id).values == {} and mini.report(report.id).texts == {}
    data = mini.report_json(report.id)
    data["indicators"]["lua"].update(actual="549", plan="650")
    data["sections"]["I.1"]["text"] = "Lúa **mùa**[^chi tiết]"
    mini.fill_report(report.id, data)
    again = mini.report_json(report.id)
    assert again["indicators"]["lua"] == {"label": "Diện tích lúa mùa", "unit": "ha", "actual": "549", "plan": "650"}
    assert again["sections"]["I.1"] == {"title": "1. Nông nghiệp", "text": "Lúa **mùa**[^chi tiết]"}


def test_profile_facts_are_dated(mini):
    mini.add_profile_fact("so_thon", "Số thôn", "35", "thôn", "2025-07-01")
    mini.add_profile_fact("so_thon", "Số thôn", "20", "thôn", "2026-05-15")
    assert mini.fact_as_of("so_thon", dt.date(2026, 1, 1)).value == 35
    assert mini.fact_as_of("so_thon", dt.date(2026, 6, 1)).value == 20
    assert mini.fact_as_of("so_thon", dt.date(2025, 1, 1)) is None
    with pytest.raises(NumberFormatError):
        mini.add_profile_fact("dan_so", "Dân số", "12.3.4", "người", "2026-01-01")


def test_sentence_and_document_model(mini):
    from baocao_desktop.domain.sentences import MissingValues, generate_sentence
    template = mini.template("mini_tuan")
    lua = template.indicator("lua")
    assert generate_sentence(lua, {"actual": Decimal(549), "plan": Decimal(650)}) == \
        "Diện tích lúa mùa thực hiện đạt 549/650 ha, bằng 84,5% kế hoạch"
    with pytest.raises(MissingValues, match="thiếu Kế hoạch"):
        generate_sentence(lua, {"actual": Decimal(549)})
    report = mini.create_report("mini_tuan", "2026-06-01", number="12")
    mini.set_value(report.id, "lua", "actual", "549")
    mini.set_value(report.id, "lua", "plan", "650")
    mini.set_section_text(report.id, "II", "Tiếp tục[^chi tiết] chỉ đạo.")
    model = mini.document_model(report.id)
    assert model.summary == "Khái quát tình hình từ ngày 01/6 đến ngày 07/6/2026"
    assert model.closing == "Trên đây là báo cáo của Đảng ủy xã Lùng Phình./."
    headings = [b for b in model.blocks if type(b).__name__ == "Heading"]
    assert [h.number for h in headings] == ["I.", "1.", "II."]  # empty "2." is left out
    body_texts = ["".join(getattr(r, "text", "") for r in b.content) for b in model.blocks
                  if type(b).__name__ == "Body"]
    # figures set one by one (as a script would) are not words: the export writes no sentence of its own
    # (issue 14.4); the section says it has only figures
    assert body_texts == ["Tiếp tục chỉ đạo."]
    assert any(f.code == "text.figures_only" and f.section == "I.1" for f in mini.check(report.id, proofread=False))
    assert model.signer.name == "Giàng A Lử" and model.number == "12"


def test_locked_report_refuses_edits(mini):
    report = mini.create_report("mini_tuan", "2026-06-01")
    mini.store.conn.execute("UPDATE reports SET status = 'signed' WHERE id = ?", (report.id,))
    with pytest.raises(ServiceError, match="Đã ký"):
        mini.set_section_text(report.id, "II", "sửa sau khi ký")


def test_unplaced_text_is_kept_shown_and_exported(mini):
    from baocao_desktop.services.workspace import UNPLACED_PATH
    report = mini.create_report("mini_tuan", "2026-06-01")
    mini.set_section_text(report.id, UNPLACED_PATH, "Đoạn không khớp mục nào[^ghi chú]")
    shown = mini.report_json(report.id)["sections"][UNPLACED_PATH]
    assert shown == {"title": "Nội dung chưa xếp mục", "text": "Đoạn không khớp mục nào[^ghi chú]"}
    blocks = mini.document_model(report.id).blocks
    assert type(blocks[-2]).__name__ == "Heading" and blocks[-2].title == "Nội dung chưa xếp mục"
    assert blocks[-1].content[0].text == "Đoạn không khớp mục nào"
    with pytest.raises(ServiceError):
        mini.set_section_text(report.id, "_khac", "x")
