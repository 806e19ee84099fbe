"""Dự thảo → Trình ký → Đã ký → Đã gửi: checks gate it, warnings need reasons, signed content is locked."""
import json

import pytest

from baocao_desktop.services.errors import ServiceError
from baocao_desktop.services.signoff import SignOffBlocked
from tests.conftest import run_cli


@pytest.fixture
def week1(demo_workspace):
    return demo_workspace, [r for r in demo_workspace.list_reports() if r.template_code == "bc_tuan"][-1]


def test_errors_block_finalising(week1):
    ws, report = week1
    ws.set_value(report.id, "thu_ngan_sach_tren_dia_ban", "cumulative", "9.999")
    with pytest.raises(SignOffBlocked) as info:
        ws.sign(report.id)
    assert "1 lỗi phải sửa" in str(info.value)
    assert info.value.findings[0].code == "cumulative.mismatch"
    assert ws.report(report.id).status == "draft"


def test_warnings_need_a_written_reason(week1):
    ws, report = week1
    ws.set_section_text(report.id, "IV", "")  # a required section left empty → warning
    with pytest.raises(SignOffBlocked, match="1 cảnh báo chưa có giải trình"):
        ws.submit_for_signature(report.id)
    warning = next(f for f in ws.check(report.id) if f.code == "required.empty")
    with pytest.raises(ServiceError):
        ws.justify(report.id, "khong-co|x|y|None|None|None", "lý do")
    ws.justify(report.id, warning.key, "Tuần này Thường trực chưa xây dựng phương hướng, sẽ bổ sung ở báo cáo tháng.")
    kept = next(f for f in ws.check(report.id) if f.code == "required.empty")
    assert kept.justification.startswith("Tuần này Thường trực")
    assert kept.to_json()["justification"] == kept.justification
    ws.submit_for_signature(report.id)
    assert ws.report(report.id).status == "for_signature"
    ws.sign(report.id)
    assert ws.report(report.id).status == "signed"


def test_signed_content_is_locked_unlock_needs_a_reason_and_is_logged(week1):
    ws, report = week1
    ws.sign(report.id)
    signed = ws.report(report.id)
    assert signed.status == "signed" and signed.content_hash == signed.content_digest()
    with pytest.raises(ServiceError, match="bị khóa"):
        ws.set_value(report.id, "lua_mua_dien_tich", "actual", "550")
    with pytest.raises(ServiceError, match="bị khóa"):
        ws.set_section_text(report.id, "IV", "sửa sau khi ký")
    with pytest.raises(ServiceError, match="lý do"):
        ws.unlock(report.id, "")
    ws.unlock(report.id, "Sửa số trích lục theo ý kiến Bí thư")
    assert ws.report(report.id).status == "draft"
    status_log = [r for r in ws.revisions(report.id) if r["entity"] == "status"]
    assert [(r["old"], r["new"]) for r in status_log] == [
        ("Dự thảo", "Đã ký"), ("Đã ký", "Dự thảo — mở khóa: Sửa số trích lục theo ý kiến Bí thư")]
    ws.set_value(report.id, "lua_mua_dien_tich", "actual", "550")


def test_tampering_with_a_signed_report_in_the_database_is_detected(week1):
    ws, report = week1
    ws.sign(report.id)
    assert ws.verify_signed(report.id)
    ws.store.conn.execute("UPDATE indicator_values SET value = '600' WHERE report_id = ? "
                          "AND indicator_code = 'lua_mua_dien_tich' AND field = 'actual'", (report.id,))
    assert not ws.verify_signed(report.id)
    [finding] = [f for f in ws.check(report.id) if f.code == "integrity.changed_after_signing"]
    assert finding.severity == "error" and "thay đổi ngoài chương trình" in finding.message
    with pytest.raises(ServiceError, match="thay đổi ngoài chương trình"):
        ws.mark_sent(report.id)


def test_sent_after_signed_and_transitions_are_checked(week1):
    ws, report = week1
    with pytest.raises(ServiceError, match="Không thể đánh dấu đã gửi"):
        ws.mark_sent(report.id)
    ws.sign(report.id)
    ws.mark_sent(report.id)
    assert ws.report(report.id).status == "sent"
    with pytest.raises(ServiceError, match="Không thể ký"):
        ws.sign(report.id)


def test_check_json_shape_follows_design(week1, tmp_path):
    ws, report = week1
    ws.set_value(report.id, "thu_ngan_sach_tren_dia_ban", "cumulative", "9.999")
    code, out, err = run_cli("check", report.id, "--db", str(ws.path), "--json")
    assert code == 0, err
    [finding] = [f for f in json.loads(out)["findings"] if f["severity"] == "error"]
    assert set(finding) == {"code", "category", "severity", "message", "location", "values"}
    assert finding["category"] == "cumulative"
    assert finding["location"] == {"section": "II.1.2.đ", "field": "thu_ngan_sach_tren_dia_ban.cumulative"}
    assert finding["values"]["cumulative"] == "9.999"
