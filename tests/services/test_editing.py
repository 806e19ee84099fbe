"""EditSession: one open report's editing state and rules, tested without Qt."""
from decimal import Decimal

import pytest

from baocao_desktop.domain.sentences import MissingValues
from baocao_desktop.services.editing import (ERROR_NOT_JUSTIFIABLE, INFO_NOT_JUSTIFIABLE, LOCKED_NO_JUSTIFY,
                                             EditSession)
from baocao_desktop.services.errors import ServiceError
from baocao_desktop.services.signoff import SignOffBlocked, blocked_summary, blocking_findings

LUA = "lua_mua_dien_tich"  # II.1.1.a: actual and plan, with a percentage
TRICH = "trich_luc_ban_do"  # II.1.2.b: cumulative
BAD = ("Số “12a” không hợp lệ: viết theo kiểu Việt Nam, dấu chấm ngăn cách hàng nghìn, dấu phẩy trước phần "
       "thập phân (ví dụ 1.009 hoặc 84,5).")
PERCENT_SLIP = "Diện tích lúa mùa thực hiện đạt 590/650 ha, bằng 92,8% kế hoạch."


@pytest.fixture
def empty_report(workspace):
    workspace.save_unit(name="Đảng ủy xã Thử Nghiệm", place_name="Thử Nghiệm")
    return workspace.create_report("bc_tuan", "2026-06-01")


def weekly(workspace) -> list[str]:
    return [r.id for r in sorted((r for r in workspace.list_reports() if r.template_code == "bc_tuan"),
                                 key=lambda r: r.period.start)]


def test_typed_figures_stay_pending_until_flushed(workspace, empty_report):
    session = EditSession(workspace, empty_report.id)
    assert session.edit_figure(LUA, "actual", "549") == {}
    session.edit_figure(LUA, "plan", "650")
    assert session.has_pending_changes()
    assert session.field_text(LUA, "actual") == "549"
    assert workspace.report(empty_report.id).values.get(LUA) is None  # nothing stored yet
    # computed from what is typed, before any save
    assert session.percent(LUA) == Decimal("84.5")
    assert session.sentence(LUA) == "Diện tích lúa mùa thực hiện đạt 549/650 ha, bằng 84,5% kế hoạch"
    done = session.flush()
    assert done.saved and sorted(done.values) == [(LUA, "actual"), (LUA, "plan")]
    assert not session.has_pending_changes()
    assert workspace.report(empty_report.id).values[LUA] == {"actual": Decimal(549), "plan": Decimal(650)}
    # "11.488" is Vietnamese for 11488: stored as a number, shown formatted again
    session.edit_figure(LUA, "actual", "11.488")
    session.flush()
    assert session.stored(LUA, "actual") == Decimal(11488)
    assert session.field_text(LUA, "actual") == "11.488"


def test_a_refused_figure_keeps_its_text_and_message_and_blocks_signing(workspace, empty_report):
    workspace.set_value(empty_report.id, LUA, "actual", "500")
    session = EditSession(workspace, empty_report.id)
    session.edit_figure(LUA, "actual", "12a")
    assert session.percent(LUA) is None
    done = session.flush()
    assert not done.saved and done.values == []
    assert session.invalid == {(LUA, "actual"): BAD}
    assert session.field_text(LUA, "actual") == "12a"  # kept as typed
    assert workspace.report(empty_report.id).values[LUA]["actual"] == Decimal(500)
    where = "Diện tích lúa mùa – Thực hiện"
    assert session.invalid_messages("II.1.1.a") == [(where, BAD)]
    assert session.invalid_messages("I.1") == [("(mục khác) " + where, BAD)]
    unsaved = session.unsaved_input()
    assert [(f.code, f.severity, f.message, f.section, f.field) for f in unsaved] == [
        ("input.invalid", "error", f"{where}: {BAD} (số chưa được lưu)", "II.1.1.a", f"{LUA}.actual")]
    session.check_figures()
    assert session.blocking()[0] == unsaved[0]
    # a sentence is refused while a figure is invalid
    assert session.sentences([LUA]) == ([], ["“Diện tích lúa mùa”: có số không hợp lệ, hãy sửa trước."])
    # corrected: saved, the message and the block gone
    session.edit_figure(LUA, "actual", "549")
    assert session.flush().values == [(LUA, "actual")]
    assert session.invalid == {} and session.unsaved_input() == []


def test_lũy_kế_follows_the_week_figure_until_typed_by_hand(workspace, empty_report):
    session = EditSession(workspace, empty_report.id)
    assert session.edit_figure(TRICH, "previous", "24") == {}  # no week figure yet: nothing to add
    assert session.edit_figure(TRICH, "actual", "2") == {(TRICH, "cumulative"): "26"}
    assert session.field_text(TRICH, "cumulative") == "26"
    # a changed previous lũy kế moves the automatic lũy kế too
    assert session.edit_figure(TRICH, "previous", "1.000") == {(TRICH, "cumulative"): "1.002"}
    session.edit_figure(TRICH, "plan", "2.000")
    assert session.percent(TRICH) == Decimal("50.1")  # on the lũy kế
    # typed by hand: never overwritten again
    session.edit_figure(TRICH, "cumulative", "1.025")
    assert session.edit_figure(TRICH, "actual", "3") == {}
    session.flush()
    assert workspace.report(empty_report.id).values[TRICH] == {
        "previous": Decimal(1000), "actual": Decimal(3), "cumulative": Decimal(1025), "plan": Decimal(2000)}


def test_the_previous_lũy_kế_comes_from_last_week(demo_workspace):
    week1, week2 = weekly(demo_workspace)
    session = EditSession(demo_workspace, week2)
    assert session.previous_of(TRICH) == Decimal(24) == demo_workspace.report(week1).values[TRICH]["cumulative"]
    assert session.edit_figure(TRICH, "actual", "5") == {(TRICH, "cumulative"): "29"}


def test_a_sentence_says_what_is_missing(workspace, empty_report):
    session = EditSession(workspace, empty_report.id)
    with pytest.raises(MissingValues):
        session.sentence(LUA)
    sentences, problems = session.sentences([LUA])
    assert sentences == [] and len(problems) == 1 and "Diện tích lúa mùa" in problems[0]


def test_section_states_follow_what_is_saved(workspace, empty_report):
    session = EditSession(workspace, empty_report.id)
    assert session.section_state("I.1") == "required"
    assert session.section_state("II.1.1.d") == "empty"
    assert session.section_state("I") == "required"
    session.text_edited("I.1")
    session.flush(lambda path: {"I.1": "Nội dung"}.get(path))
    assert workspace.report(empty_report.id).texts["I.1"] == "Nội dung"
    assert session.section_state("I.1") == "filled"
    assert session.section_state("I") == "partial"  # I.2 is required and still empty
    session.edit_figure(LUA, "actual", "549")
    session.flush()
    # figures and no text print nowhere: not done yet
    assert session.section_state("II.1.1.a") == "partial"
    session.text_edited("II.1.1.a")
    session.flush(lambda path: "Đã gieo cấy 549 ha lúa mùa.")
    assert session.section_state("II.1.1.a") == "filled"


def test_header_and_cells_are_saved_by_flush(workspace, empty_report):
    import datetime as dt
    session = EditSession(workspace, empty_report.id)
    session.edit_header(" 112 ", dt.date(2026, 6, 8))
    assert session.has_pending_text()
    assert session.flush().saved
    report = workspace.report(empty_report.id)
    assert (report.number, report.report_date) == ("112", dt.date(2026, 6, 8))
    assert not session.has_pending_changes()


def test_findings_counts_and_the_blocking_list(demo_workspace):
    _, week2 = weekly(demo_workspace)
    session = EditSession(demo_workspace, week2)
    session.check_figures()
    assert session.findings == [] and session.blocking() == []
    session.edit_figure(TRICH, "cumulative", "30")
    session.flush()
    session.check_figures()
    mismatch = next(f for f in session.findings if f.code == "cumulative.mismatch")
    assert mismatch.field == f"{TRICH}.cumulative" and "24 + 2 = 26" in mismatch.message
    assert session.findings_by_field()[f"{TRICH}.cumulative"] == mismatch
    assert session.finding_counts()[0] >= 1
    assert mismatch in session.blocking()
    assert session.justify_block_reason(mismatch) == ERROR_NOT_JUSTIFIABLE
    with pytest.raises(ServiceError, match="^" + ERROR_NOT_JUSTIFIABLE + "$"):  # the service says the same
        session.justify(mismatch, "Số đúng")
    # the same rule and wording as the service's refusal
    with pytest.raises(SignOffBlocked) as info:
        demo_workspace.sign(week2)
    assert info.value.findings == blocking_findings(session.findings)
    assert str(info.value).startswith(blocked_summary("ký", session.blocking()) + ". Đầu tiên: [Lỗi] ")


def test_the_blocking_rule_and_its_wording(demo_workspace):
    _, week2 = weekly(demo_workspace)
    demo_workspace.set_section_text(week2, "IV", "")  # a required section left empty → a warning
    session = EditSession(demo_workspace, week2)
    session.check_figures()
    warning = next(f for f in session.findings if f.code == "required.empty")
    assert session.blocking() == [warning]
    assert blocked_summary("trình ký", session.blocking()) == "Chưa thể trình ký: còn 1 cảnh báo chưa có giải trình"
    assert session.justify_block_reason(warning) == ""
    assert session.justify_block_reason(None) == "Chọn một cảnh báo trong danh sách."
    session.justify(warning, "Sẽ bổ sung ở báo cáo tháng.")
    session.check_figures()
    kept = next(f for f in session.findings if f.code == "required.empty")
    assert kept.justification == "Sẽ bổ sung ở báo cáo tháng."
    assert session.blocking() == [] and session.finding_counts() == (0, 0)
    session.edit_figure(LUA, "plan", "x")
    session.flush()
    both = session.blocking()
    assert [f.code for f in both] == ["input.invalid"]
    assert blocked_summary("ký", both) == "Chưa thể ký: còn 1 lỗi phải sửa"
    demo_workspace.submit_for_signature(week2)
    demo_workspace.sign(week2)
    session.reload_status()
    assert session.locked and session.justify_block_reason(warning) == LOCKED_NO_JUSTIFY


def test_an_information_finding_needs_no_reason(demo_workspace):
    from baocao_desktop.checks.findings import Finding
    _, week2 = weekly(demo_workspace)
    session = EditSession(demo_workspace, week2)
    hint = Finding("x", "y", "info", "Gợi ý", "", "")
    assert session.justify_block_reason(hint) == INFO_NOT_JUSTIFIABLE
    assert blocking_findings([hint]) == []


def test_proofreading_about_older_text_is_dropped(demo_workspace):
    _, week2 = weekly(demo_workspace)
    demo_workspace.set_section_text(week2, "II.1.1.a", PERCENT_SLIP)
    session = EditSession(demo_workspace, week2)
    session.check_figures()
    assert session.proofreading_stale
    run = session.proofreading_run()
    findings = run.job.run()
    assert [f.code for f in findings] == ["percent.ratio"]
    session.text_edited("II.1.1.a")  # typed while the job ran
    assert not session.proofreading_done(run, findings)
    assert session.findings == [] and session.proofreading_stale
    # the next job reads the current text and its result is kept
    session.flush(lambda path: PERCENT_SLIP.replace("92,8%", "90,8%"))
    run = session.proofreading_run()
    assert session.proofreading_done(run, run.job.run())
    assert session.findings == [] and not session.proofreading_stale
    # a slip again: kept and merged with the figures' findings
    session.text_edited("II.1.1.a")
    session.flush(lambda path: PERCENT_SLIP)
    run = session.proofreading_run()
    assert session.proofreading_done(run, run.job.run())
    assert [f.code for f in session.findings] == ["percent.ratio"]
    assert session.proof_texts["II.1.1.a"] == PERCENT_SLIP
    # a failing proofreader is not retried on the same text, and says so
    session.text_edited("II.1.1.a")
    run = session.proofreading_run()
    notice = session.proofreading_failed(run, "Tệp từ điển hỏng.")
    assert notice.startswith("Không soát được lỗi nội dung: Tệp từ điển hỏng. Các kiểm tra") \
        and not session.proofreading_stale
    # a bug: no reason of its own, the log that holds the traceback instead
    notice = session.proofreading_failed(run, "", "/du lieu/logs/baocao.log")
    assert notice.startswith("Không soát được lỗi nội dung. Các kiểm tra số liệu vẫn chạy;")
    assert notice.endswith("Chi tiết lỗi đã được ghi vào tệp nhật ký: /du lieu/logs/baocao.log.")


# == generated sentences go into the text (issue 14.4) ==========================================
def follow(session, path):
    """What the editor does after a figure edit: the text follows the figures, saved like typed text."""
    shown = session.report.texts.get(path, "")
    text = session.text_after_figures(path, shown)
    if text is not None:
        session.text_edited(path)
        session.flush(lambda p: text if p == path else None)
    else:
        session.flush()
    return session.report.texts.get(path, "")


def test_sentence_is_written_into_an_empty_text_and_follows_the_figures(workspace, empty_report):
    session = EditSession(workspace, empty_report.id)
    session.edit_figure(LUA, "actual", "549")
    assert follow(session, "II.1.1.a") == ""  # no plan yet: no sentence to write
    session.edit_figure(LUA, "plan", "650")
    text = follow(session, "II.1.1.a")
    assert text == "Diện tích lúa mùa thực hiện đạt 549/650 ha, bằng 84,5% kế hoạch."
    assert workspace.report(empty_report.id).texts["II.1.1.a"] == text  # stored like typed text
    # unedited: a figure change rewrites it
    session.edit_figure(LUA, "actual", "590")
    assert follow(session, "II.1.1.a") == "Diện tích lúa mùa thực hiện đạt 590/650 ha, bằng 90,8% kế hoạch."
    # a half-typed figure does not rewrite it before it reads as a number
    session.edit_figure(LUA, "actual", "59a")
    assert session.text_after_figures("II.1.1.a", session.report.texts["II.1.1.a"]) is None


def test_the_clerks_own_text_is_never_overwritten(workspace, empty_report):
    session = EditSession(workspace, empty_report.id)
    session.edit_figure(LUA, "actual", "549")
    session.edit_figure(LUA, "plan", "650")
    generated = follow(session, "II.1.1.a")
    edited = generated.replace("kế hoạch.", "kế hoạch, tăng so với cùng kỳ.")
    session.text_edited("II.1.1.a")
    session.flush(lambda path: edited)
    session.edit_figure(LUA, "actual", "600")
    assert session.text_after_figures("II.1.1.a", edited) is None
    assert follow(session, "II.1.1.a") == edited
    # a session opened later knows it too: the rule reads the text, not a flag
    later = EditSession(workspace, empty_report.id)
    later.edit_figure(LUA, "actual", "610")
    assert later.text_after_figures("II.1.1.a", edited) is None


def test_a_text_still_generated_when_reopened_keeps_following(workspace, empty_report):
    session = EditSession(workspace, empty_report.id)
    session.edit_figure(LUA, "actual", "549")
    session.edit_figure(LUA, "plan", "650")
    follow(session, "II.1.1.a")
    later = EditSession(workspace, empty_report.id)
    later.edit_figure(LUA, "plan", "600")
    assert follow(later, "II.1.1.a") == "Diện tích lúa mùa thực hiện đạt 549/600 ha, bằng 91,5% kế hoạch."
