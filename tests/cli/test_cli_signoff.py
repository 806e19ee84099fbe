"""`report status` (the editor's sign-off rules on the command line) and `unit signer add|list|remove`."""
import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from baocao_desktop.services.signoff import ERROR_NOT_JUSTIFIABLE
from baocao_desktop.services.workspace import Workspace
from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parents[2]
IV_EMPTY = "Mục “IV. PHƯƠNG HƯỚNG, NHIỆM VỤ TUẦN TỚI” chưa có nội dung"
I1_EMPTY = "Mục “1. Công tác lãnh đạo, chỉ đạo, điều hành"
REASON = "Tuần này Thường trực chưa họp, sẽ bổ sung ở báo cáo tháng."


@contextlib.contextmanager
def opened(db):
    ws = Workspace(db, author="tester")
    try:
        yield ws
    finally:
        ws.close()


@pytest.fixture
def week1(tmp_path):
    """The demo's first weekly report (clean: no finding) and its database."""
    db = str(tmp_path / "cli.sqlite3")
    assert run_cli("demo", "--db", db)[0] == 0
    with opened(db) as ws:
        report = [r for r in ws.list_reports() if r.template_code == "bc_tuan"][-1]
        assert ws.check(report.id) == []
    return db, report.id


def status_of(db, report_id) -> str:
    with opened(db) as ws:
        return ws.report(report_id, with_content=False).status


def two_warnings_and_an_error(db, report_id) -> None:
    with opened(db) as ws:
        ws.set_section_text(report_id, "IV", "")  # required sections left empty → warnings
        ws.set_section_text(report_id, "I.1", "")
        ws.set_value(report_id, "thu_ngan_sach_tren_dia_ban", "cumulative", "9.999")  # → an error
        assert sorted((f.severity, f.code) for f in ws.check(report_id)) == [
            ("error", "cumulative.mismatch"), ("warning", "required.empty"), ("warning", "required.empty")]


def fix_the_error(db, report_id) -> None:
    with opened(db) as ws:
        ws.set_value(report_id, "thu_ngan_sach_tren_dia_ban", "cumulative", "1.574")


# == report status ===============================================================================
def test_blocked_step_exits_2_with_the_summary_and_each_blocking_finding(week1):
    db, report_id = week1
    two_warnings_and_an_error(db, report_id)
    code, out, err = run_cli("report", "status", report_id[:8], "--to", "signed", "--db", db)
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert lines[0] == "baocao: Chưa thể ký: còn 1 lỗi phải sửa và 2 cảnh báo chưa có giải trình."
    assert lines[1] == "Lỗi phải sửa (1):"
    assert lines[2].startswith("  - Lũy kế thu ngân sách nhà nước trên địa bàn (9.999 triệu đồng) khác")
    assert lines[2].endswith("(mục II.1.2.đ)")  # where, since the message does not name the section
    assert lines[3] == "Cảnh báo cần giải trình (2):"
    assert lines[4].startswith(f"  - {I1_EMPTY}") and lines[5].startswith(f"  - {IV_EMPTY}")
    assert "--justify-all" in lines[6] and "Lỗi thì phải sửa" in lines[6]
    assert status_of(db, report_id) == "draft"

    # Trình ký has the same rule; --json puts the findings on stdout as `check --json` does (DESIGN §11)
    code, out, err = run_cli("report", "status", report_id, "--to", "for_signature", "--json", "--db", db)
    assert code == 2
    assert err.startswith("baocao: Chưa thể trình ký: còn 1 lỗi phải sửa và 2 cảnh báo chưa có giải trình.")
    findings = json.loads(out)["findings"]
    assert [(f["severity"], f["code"], f["location"].get("section")) for f in findings] == [
        ("error", "cumulative.mismatch", "II.1.2.đ"), ("warning", "required.empty", "I.1"),
        ("warning", "required.empty", "IV")]
    assert findings[0]["location"]["field"] == "thu_ngan_sach_tren_dia_ban.cumulative"
    assert status_of(db, report_id) == "draft"


def test_justify_all_never_covers_an_error_and_then_writes_nothing(week1):
    db, report_id = week1
    two_warnings_and_an_error(db, report_id)
    code, out, err = run_cli("report", "status", report_id, "--to", "signed", "--justify-all", REASON, "--db", db)
    assert code == 2
    assert err.startswith("baocao: Chưa thể ký: còn 1 lỗi phải sửa và 2 cảnh báo chưa có giải trình.")
    assert err.rstrip().endswith(f"{ERROR_NOT_JUSTIFIABLE} Chưa ghi giải trình nào.")
    with opened(db) as ws:
        assert ws.justifications(report_id) == {}
        assert ws.report(report_id, with_content=False).status == "draft"


def test_justify_all_keeps_every_open_warning_with_the_same_reason_then_signs(week1):
    db, report_id = week1
    two_warnings_and_an_error(db, report_id)
    fix_the_error(db, report_id)
    code, out, err = run_cli("report", "status", report_id, "--to", "signed", "--justify-all", f"  {REASON} ",
                             "--json", "--db", db)
    assert code == 0, err
    data = json.loads(out)
    assert (data["id"], data["previous_status"], data["status"], data["changed"]) == (
        report_id, "draft", "signed", True)
    assert [(f["location"]["section"], f["justification"]) for f in data["justified"]] == [
        ("I.1", REASON), ("IV", REASON)]
    with opened(db) as ws:
        report = ws.report(report_id)
        assert report.status == "signed" and report.content_hash == report.content_digest()
        kept = [f for f in ws.check(report_id) if f.severity == "warning"]
        assert [(f.section, f.justification) for f in kept] == [("I.1", REASON), ("IV", REASON)]
        logged = [r for r in ws.revisions(report_id) if r["entity"] == "justification"]
        assert [r["new"] for r in logged] == [REASON, REASON]


def test_justify_all_text_output_and_an_empty_reason(week1):
    db, report_id = week1
    with opened(db) as ws:
        ws.set_section_text(report_id, "IV", "")
    code, _, err = run_cli("report", "status", report_id, "--to", "for_signature", "--justify-all", "  ",
                           "--db", db)
    assert code == 2 and "Giải trình không được để trống" in err
    code, out, err = run_cli("report", "status", report_id, "--to", "for_signature", "--justify-all", REASON,
                             "--db", db)
    assert code == 0, err
    assert out.splitlines() == ["Đã ghi giải trình cho 1 cảnh báo.",
                                f"Báo cáo {report_id[:8]}: “Dự thảo” → “Trình ký”."]
    assert status_of(db, report_id) == "for_signature"


def test_every_step_of_the_sign_off_bar_and_the_refused_ones(week1):
    db, report_id = week1

    def status(to, *more):
        return run_cli("report", "status", report_id[:6], "--to", to, *more, "--db", db)

    assert status("sent") == (2, "", f"baocao: Không thể chuyển báo cáo {report_id[:8]} từ “Dự thảo” sang "
                                     "“Đã gửi”: chỉ báo cáo “Đã ký” mới đánh dấu đã gửi được; ký trước: "
                                     "--to signed.\n")
    code, out, _ = status("draft")
    assert code == 0 and out == f"Báo cáo {report_id[:8]} đã ở trạng thái “Dự thảo”: không có gì thay đổi.\n"
    assert status("for_signature")[:2] == (0, f"Báo cáo {report_id[:8]}: “Dự thảo” → “Trình ký”.\n")
    assert status("draft")[:2] == (0, f"Báo cáo {report_id[:8]}: “Trình ký” → “Dự thảo”.\n")
    code, out, _ = status("signed")
    assert code == 0 and out.splitlines() == [f"Báo cáo {report_id[:8]}: “Dự thảo” → “Đã ký”.",
                                              "Nội dung đã khóa; muốn sửa phải mở khóa và ghi lý do."]
    code, _, err = status("for_signature")
    assert code == 2 and "từ “Đã ký” sang “Trình ký”" in err and "--to draft --reason" in err
    assert status("sent")[0] == 0
    code, _, err = status("signed")
    assert code == 2 and "từ “Đã gửi” sang “Đã ký”" in err
    # unlocking needs a reason: the service's message (the one the editor shows), and what to type
    code, _, err = status("draft")
    assert code == 2
    assert err == ("baocao: Hãy ghi rõ lý do mở khóa báo cáo đã ký (ít nhất vài chữ).\n"
                   "Dòng lệnh: thêm --reason \"lý do mở khóa\".\n")
    code, _, err = status("draft", "--reason", "abc")
    assert code == 2 and "ít nhất vài chữ" in err and "ghi --reason rõ hơn" in err
    assert status_of(db, report_id) == "sent"
    code, out, err = status("draft", "--reason", "Sửa số liệu lúa mùa theo ý kiến Bí thư", "--json")
    assert code == 0, err
    assert json.loads(out) == {"id": report_id, "previous_status": "sent", "status": "draft", "changed": True,
                               "justified": []}
    with opened(db) as ws:
        report = ws.report(report_id, with_content=False)
        assert report.status == "draft" and report.content_hash is None
        log = [(r["old"], r["new"]) for r in ws.revisions(report_id) if r["entity"] == "status"]
    assert log == [("Dự thảo", "Trình ký"), ("Trình ký", "Dự thảo"), ("Dự thảo", "Đã ký"), ("Đã ký", "Đã gửi"),
                   ("Đã gửi", "Dự thảo — mở khóa: Sửa số liệu lúa mùa theo ý kiến Bí thư")]


def test_a_signed_report_changed_outside_the_program_is_not_marked_sent(week1):
    db, report_id = week1
    assert run_cli("report", "status", report_id, "--to", "signed", "--db", db)[0] == 0
    with opened(db) as ws:
        ws.store.conn.execute("UPDATE indicator_values SET value = '600' WHERE report_id = ? "
                              "AND indicator_code = 'lua_mua_dien_tich' AND field = 'actual'", (report_id,))
    code, _, err = run_cli("report", "status", report_id, "--to", "sent", "--db", db)
    assert code == 2 and "thay đổi ngoài chương trình sau khi ký" in err
    assert status_of(db, report_id) == "signed"


@pytest.mark.parametrize("args, message", [
    (("--to", "sent", "--justify-all", REASON), "--justify-all chỉ dùng khi trình ký hoặc ký"),
    (("--to", "draft", "--justify-all", REASON), "--justify-all chỉ dùng khi trình ký hoặc ký"),
    (("--to", "signed", "--reason", "lý do nào đó"),
     "--reason là lý do mở khóa báo cáo đã ký, chỉ dùng với --to draft"),
    (("--to", "approved"), "lỗi tham số"),
    ((), "lỗi tham số"),
])
def test_options_that_do_not_fit_the_step_are_refused(week1, args, message):
    db, report_id = week1
    code, out, err = run_cli("report", "status", report_id, *args, "--db", db)
    assert code == 2 and message in err and out == ""
    assert status_of(db, report_id) == "draft"


def test_an_unknown_report_id_is_bad_input(week1):
    db, _ = week1
    code, _, err = run_cli("report", "status", "khong-co", "--to", "signed", "--db", db)
    assert code == 2 and "Không tìm thấy báo cáo có mã “khong-co”" in err


def test_report_status_as_a_subprocess(week1):
    """The installed way: `python -m baocao_desktop`, Vietnamese through a pipe, the exit codes."""
    db, report_id = week1
    with opened(db) as ws:
        ws.set_section_text(report_id, "IV", "")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "ascii"}  # a pipe that is not UTF-8

    def run(*args):
        return subprocess.run([sys.executable, "-m", "baocao_desktop", "report", "status", report_id[:8], *args,
                               "--db", db], capture_output=True, env=env, cwd=ROOT, timeout=120)
    blocked = run("--to", "signed")
    assert blocked.returncode == 2 and blocked.stdout == b""
    err = blocked.stderr.decode("utf-8")
    assert err.startswith("baocao: Chưa thể ký: còn 1 cảnh báo chưa có giải trình.\nCảnh báo cần giải trình (1):")
    assert IV_EMPTY in err
    signed = run("--to", "signed", "--justify-all", REASON)
    assert signed.returncode == 0, signed.stderr.decode("utf-8")
    assert signed.stdout.decode("utf-8").splitlines()[:2] == [
        "Đã ghi giải trình cho 1 cảnh báo.", f"Báo cáo {report_id[:8]}: “Dự thảo” → “Đã ký”."]
    with opened(db) as ws:
        assert ws.report(report_id, with_content=False).status == "signed"
        assert list(ws.justifications(report_id).values()) == [REASON]


def test_a_received_report_keeps_its_status(week1):
    db, report_id = week1
    with opened(db) as ws:  # as if it had come from another unit's bundle
        ws.store.conn.execute("INSERT INTO units (id, name, created_at, updated_at) "
                              "VALUES ('other-unit', 'Đảng ủy xã Khác', '2026-06-01', '2026-06-01')")
        ws.store.conn.execute("UPDATE reports SET unit_id = 'other-unit' WHERE id = ?", (report_id,))
    code, _, err = run_cli("report", "status", report_id, "--to", "signed", "--db", db)
    assert code == 2 and "do đơn vị khác gửi lên" in err


# == unit signer =================================================================================
def signers(db) -> list[dict]:
    code, out, err = run_cli("unit", "signer", "list", "--json", "--db", db)
    assert code == 0, err
    return json.loads(out)["signers"]


def test_signer_add_list_remove(week1):
    db, report_id = week1
    demo = signers(db)
    assert [(s["on_behalf"], s["title"], s["name"]) for s in demo] == [
        ("T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Lù Văn Chính"), ("T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Sùng Thị Mai")]
    code, out, _ = run_cli("unit", "signer", "list", "--db", db)
    assert out.splitlines() == [
        f"{demo[0]['id'][:8]}  Lù Văn Chính — T/M BAN THƯỜNG VỤ, BÍ THƯ  (ký mặc định cho báo cáo mới)",
        f"{demo[1]['id'][:8]}  Sùng Thị Mai — T/M BAN THƯỜNG VỤ, PHÓ BÍ THƯ"]

    code, out, err = run_cli("unit", "signer", "add", "--on-behalf", "KT. BÍ THƯ", "--title", " PHÓ BÍ THƯ ",
                             "--name", "Lò Văn Thử", "--db", db)
    assert code == 0, err
    now = signers(db)
    assert [s["id"] for s in now[:2]] == [s["id"] for s in demo]  # appended, the others untouched
    added = now[2]
    assert (added["on_behalf"], added["title"], added["name"]) == ("KT. BÍ THƯ", "PHÓ BÍ THƯ", "Lò Văn Thử")
    assert out == f"Đã thêm người ký {added['id'][:8]}: Lò Văn Thử — KT. BÍ THƯ, PHÓ BÍ THƯ.\n"
    # the same person twice is not added twice (a batch can run again)
    code, out, _ = run_cli("unit", "signer", "add", "--on-behalf", "KT. BÍ THƯ", "--title", "PHÓ BÍ THƯ",
                           "--name", "Lò Văn Thử", "--json", "--db", db)
    assert code == 0 and json.loads(out) == {"added": False, "signer": added}
    assert len(signers(db)) == 3
    # `unit show --json` lists them with their ids too
    assert json.loads(run_cli("unit", "show", "--json", "--db", db)[1])["signers"] == now

    code, out, err = run_cli("unit", "signer", "remove", added["id"][:6], "--db", db)
    assert code == 0, err
    assert out == f"Đã xóa người ký {added['id'][:8]}: Lò Văn Thử — KT. BÍ THƯ, PHÓ BÍ THƯ.\n"
    assert signers(db) == demo

    # the demo's reports name the first signer: removing it says which reports to change
    code, out, err = run_cli("unit", "signer", "remove", demo[0]["id"], "--json", "--db", db)
    assert code == 0, err
    data = json.loads(out)
    assert data["removed"] == demo[0] and report_id in data["reports_naming_it"]
    assert signers(db) == demo[1:]
    code, out, _ = run_cli("unit", "signer", "remove", demo[1]["id"][:8], "--db", db)
    assert code == 0 and "Lưu ý" not in out
    code, out, _ = run_cli("unit", "signer", "list", "--db", db)
    assert code == 0 and out.startswith("Chưa có người ký. Thêm: baocao unit signer add")


@pytest.mark.parametrize("args, message", [
    (("remove", "khong-co"), "Không có người ký mã “khong-co”"),
    (("remove", ""), "khớp với 2 người ký; hãy gõ thêm ký tự"),
    (("add", "--on-behalf", "T/M BAN THƯỜNG VỤ", "--title", "BÍ THƯ", "--name", "  "),
     "Họ tên người ký không được để trống"),
    (("add", "--on-behalf", "T/M BAN THƯỜNG VỤ", "--title", "BÍ THƯ"), "lỗi tham số"),
    (("frobnicate",), "lỗi tham số"),
])
def test_signer_bad_input_exits_2_and_changes_nothing(week1, args, message):
    db, _ = week1
    before = signers(db)
    code, out, err = run_cli("unit", "signer", *args, "--db", db)
    assert code == 2 and message in err
    assert signers(db) == before


def test_signers_need_a_unit(tmp_path):
    db = str(tmp_path / "empty.sqlite3")
    for args in (("list",), ("add", "--on-behalf", "T/M BAN THƯỜNG VỤ", "--title", "BÍ THƯ", "--name", "A")):
        code, _, err = run_cli("unit", "signer", *args, "--db", db)
        assert code == 2 and "Chưa thiết lập đơn vị" in err
