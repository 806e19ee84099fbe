"""Moving a report to a new template version (issue 3, point 3): by code, never by position; nothing lost."""
from decimal import Decimal

import pytest

from baocao_desktop.services import report_migration as rm
from baocao_desktop.services.errors import ServiceError
from baocao_desktop.services.workspace import UNPLACED_PATH

from template_v2_fixture import install_v2


@pytest.fixture
def filled(mini):
    """A v1 report with text in every section, figures, then v2 installed."""
    report = mini.create_report("mini_tuan", "2026-06-01")
    mini.set_section_text(report.id, "I", "Tuần qua tình hình ổn định.")
    mini.set_section_text(report.id, "I.1", "Gieo cấy lúa mùa đúng khung thời vụ.")
    mini.set_section_text(report.id, "I.2", "Thu ngân sách đạt khá.")
    mini.set_section_text(report.id, "II", "Tập trung phòng chống thiên tai.")
    mini.set_value(report.id, "lua", "actual", "549")
    mini.set_value(report.id, "lua", "plan", "650")
    mini.set_value(report.id, "thu_ns", "actual", "13")
    mini.set_value(report.id, "thu_ns", "cumulative", "1.561")
    mini.set_value(report.id, "thu_nsdp", "cumulative", "109.013")
    install_v2(mini)
    return mini, report.id


def test_preview_matches_sections_by_code_and_title_not_position(filled):
    ws, report_id = filled
    plan = rm.migration_plan(ws, report_id)
    assert (plan.from_version, plan.to_version) == (1, 2)
    texts = {i.key: i for i in plan.items if i.kind == "text"}
    # new II.1 is "Ngân sách": by position lúa would land there; by indicator code it goes to II.2
    assert (texts["I.1"].new_key, texts["I.1"].status) == ("II.2", rm.MOVED)
    assert texts["I.1"].target == "Mục II.2: Nông nghiệp, lâm nghiệp"
    assert texts["I.1"].source == "Mục I.1: Nông nghiệp"
    assert texts["I.2"].new_key == "II.1"
    assert texts["I"].new_key == "II"  # same title chain, renumbered
    assert texts["II"].status == rm.UNPLACED  # "PHƯƠNG HƯỚNG" has no counterpart
    assert plan.texts["II.2"] == "Gieo cấy lúa mùa đúng khung thời vụ."
    assert plan.texts["II.1"] == "Thu ngân sách đạt khá."
    values = {i.key: i for i in plan.items if i.kind == "value"}
    assert values["lua.actual"].status == rm.MOVED and values["lua.actual"].preview == "549 ha"
    assert values["lua.actual"].target == "Mục II.2: Nông nghiệp, lâm nghiệp"
    assert values["thu_ns.cumulative"].status == rm.KEPT and values["thu_ns.cumulative"].renumbered
    assert values["thu_ns.cumulative"].status_label == "Giữ nguyên mục (mục được đánh số lại)"
    assert values["thu_nsdp.cumulative"].status == rm.UNPLACED
    assert plan.summary() == (
        "4 nội dung giữ nguyên mục (4 chỉ đổi số thứ tự mục); 3 chuyển sang mục khác; 2 không có chỗ trong mẫu "
        "mới (đưa vào “Nội dung chưa xếp mục”, không mất).")


def test_apply_keeps_everything_and_logs_the_old_content(filled):
    ws, report_id = filled
    rm.apply_migration(ws, report_id)
    report = ws.report(report_id)
    assert report.template_version == 2 and report.status == "draft"
    assert report.texts["II.2"] == "Gieo cấy lúa mùa đúng khung thời vụ."
    assert report.texts["II.1"] == "Thu ngân sách đạt khá."
    assert report.texts["II"] == "Tuần qua tình hình ổn định."
    assert "I.1" not in report.texts and "I.2" not in report.texts
    assert report.values["lua"] == {"actual": Decimal(549), "plan": Decimal(650)}
    assert report.values["thu_ns"] == {"actual": Decimal(13), "cumulative": Decimal(1561)}
    assert "thu_nsdp" not in report.values
    unplaced = report.texts[UNPLACED_PATH]
    # nothing lost: the dropped section's text and the dropped figure are in the visible unplaced section
    assert "**II. PHƯƠNG HƯỚNG**" in unplaced and "Tập trung phòng chống thiên tai." in unplaced
    assert "Thu ngân sách địa phương (lũy kế): 109.013 triệu đồng" in unplaced
    shown = ws.report_json(report_id)
    assert shown["template_version"] == 2
    assert shown["indicators"]["lua"]["actual"] == "549"
    assert shown["sections"][UNPLACED_PATH]["title"] == "Nội dung chưa xếp mục"
    # old data retrievable: the content before the move, exactly
    history = rm.migration_history(ws, report_id)
    assert len(history) == 1
    assert (history[0]["from_version"], history[0]["to_version"], history[0]["author"]) == (1, 2, "tester")
    assert history[0]["texts"]["I.1"] == "Gieo cấy lúa mùa đúng khung thời vụ."
    assert history[0]["values"]["thu_nsdp"] == {"cumulative": Decimal(109013)}
    logged = [(r["entity"], r["entity_key"]) for r in ws.revisions(report_id)]
    assert (rm.MIGRATION_ENTITY, "template_version") in logged
    assert ("section", "I.1") in logged and ("value", "thu_nsdp.cumulative") in logged
    # the document shows the unplaced section, so the user sees what to move
    model = ws.document_model(report_id)
    assert any(getattr(b, "title", "") == "Nội dung chưa xếp mục" for b in model.blocks)


def test_old_version_and_other_reports_stay_untouched(filled):
    ws, report_id = filled
    other = ws.create_report("mini_tuan", "2026-06-08")  # made with v2 now
    assert other.template_version == 2
    rm.apply_migration(ws, report_id)
    assert ws.template("mini_tuan", 1).indicator("thu_nsdp") is not None


def test_signed_report_cannot_be_moved_without_unlocking(filled):
    ws, report_id = filled
    report = ws.report(report_id)
    ws._set_status(report, "signed", {"content_hash": report.content_digest()})
    with pytest.raises(ServiceError, match="mở khóa báo cáo"):
        rm.apply_migration(ws, report_id)
    assert ws.report(report_id).template_version == 1
    ws.unlock(report_id, "chuyển sang mẫu mới của tỉnh")
    rm.apply_migration(ws, report_id)
    assert ws.report(report_id).template_version == 2


def test_up_to_date_report_is_refused_with_a_message(mini):
    report = mini.create_report("mini_tuan", "2026-06-01")
    assert rm.migration_plan(mini, report.id).up_to_date
    with pytest.raises(ServiceError, match="phiên bản mới nhất"):
        rm.apply_migration(mini, report.id)


def test_new_intro_figures_are_filled_from_the_profile_when_moving(filled):
    ws, report_id = filled
    ws.add_profile_fact("dan_so", "Dân số", "15.486", "người", "2025-12-31")
    rm.apply_migration(ws, report_id)
    assert ws.report(report_id).value("dan_so", "actual") == Decimal(15486)


def test_section_code_wins_over_titles():
    from baocao_desktop.templates.model import parse_template
    old = parse_template("""
code: t
version: 1
name: T
period: custom
sections:
  - {number: "I.", title: Đặc điểm tình hình, code: dac_diem}
  - {number: "II.", title: Kết quả}
""")
    new = parse_template("""
code: t
version: 2
name: T
period: custom
sections:
  - {number: "I.", title: Kết quả}
  - {number: "II.", title: Khái quát đặc điểm của xã, code: dac_diem}
""")
    assert rm.match_sections(old, new) == {"I": "II", "II": "I"}


def test_moving_announces_the_report_once(filled):
    from baocao_desktop.services import events
    ws, report_id = filled
    heard = []
    unsubscribe = events.subscribe(heard.append)
    try:
        rm.apply_migration(ws, report_id)
        with pytest.raises(ServiceError):  # already moved: refused, nothing more announced
            rm.apply_migration(ws, report_id)
    finally:
        unsubscribe()
    assert [(c.kind, set(c.ids)) for c in heard] == [(events.REPORTS, {report_id})]
