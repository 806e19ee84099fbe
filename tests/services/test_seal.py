"""The seal of a signed report (issue 19 point 7): an Ed25519 signature by the unit's key over the canonical
signed content; a change made in the database after Ký, even with the content hash recomputed, is found
when the report opens, exports, prints or is sent."""
import pytest

from baocao_desktop.exchange import keys
from baocao_desktop.exchange.content import content_from_report, signed_content
from baocao_desktop.services import exchange as ex
from baocao_desktop.services.errors import ServiceError
from baocao_desktop.services.signoff import INTEGRITY_CODE
from tests.conftest import run_cli


@pytest.fixture
def signed(demo_workspace):
    ws = demo_workspace
    report = [r for r in ws.list_reports() if r.template_code == "bc_tuan"][-1]
    warning_free = not any(f.severity == "warning" and not f.justification for f in ws.check(report.id))
    if warning_free:  # a giải trình to tamper with: keep a warning with a reason
        ws.set_section_text(report.id, "IV", "")
    warning = next(f for f in ws.check(report.id) if f.severity == "warning" and not f.justification)
    ws.justify(report.id, warning.key, "Số liệu tuần này chưa đủ, sẽ bổ sung ở báo cáo tháng.")
    ws.sign(report.id)
    return ws, ws.report(report.id)


def sql(ws, statement, *params):
    with ws.store.transaction():
        ws.store.conn.execute(statement, params)


def recompute_old_hash(ws, report_id):
    """What issue 19 did: change the database, then recompute the SHA-256 seal so that it matches again."""
    report = ws.report(report_id)
    sql(ws, "UPDATE reports SET content_hash = ? WHERE id = ?", report.content_digest(), report_id)


def test_signing_stores_a_signature_by_the_unit_key_over_the_canonical_content(signed):
    ws, report = signed
    assert report.signature and report.signature_key == ex.own_key(ws).fingerprint
    content = signed_content(content_from_report(report, {k: {"reason": r} for k, r in
                                                          ws.justifications(report.id).items()}))
    assert content == ws.signed_content_of(report)
    assert keys.verify(ex.own_key(ws).public_key, keys.PURPOSE_REPORT, content, report.signature)
    # the canonical content names what it vouches for, the giải trình and the signer among it
    text = content.decode("utf-8")
    assert "Số liệu tuần này chưa đủ" in text and report.signer.name in text and report.unit_id in text
    assert ws.verify_signed(report.id)
    assert not [f for f in ws.check(report.id) if f.code == INTEGRITY_CODE]


TAMPERS = {
    "text": ("UPDATE section_texts SET markup = 'Nội dung sửa lén' WHERE report_id = ? AND markup != ''", ()),
    "figure": ("UPDATE indicator_values SET value = '999' WHERE report_id = ? AND field = 'actual'", ()),
    "signer": ("UPDATE reports SET signer_name = 'Người khác' WHERE id = ?", ()),
    "justification": ("UPDATE justifications SET reason = 'Lý do khác' WHERE report_id = ?", ()),
}


@pytest.mark.parametrize("what", list(TAMPERS))
def test_a_change_in_the_database_with_the_old_hash_recomputed_exports_nothing(signed, what, tmp_path):
    ws, report = signed
    statement, _ = TAMPERS[what]
    sql(ws, statement, report.id)
    recompute_old_hash(ws, report.id)
    assert ws.report(report.id).content_hash == ws.report(report.id).content_digest()  # the old seal is fooled
    out = tmp_path / "bc.docx"
    with pytest.raises(ServiceError) as refused:
        ws.export_docx(report.id, out)
    assert "Không xuất, không in" in str(refused.value) and "chữ ký số không khớp nội dung" in str(refused.value)
    assert not out.exists()
    integrity = [f for f in ws.check(report.id) if f.code == INTEGRITY_CODE]  # what the editor shows on open
    assert integrity and "đã bị thay đổi ngoài chương trình" in integrity[0].message
    with pytest.raises(ServiceError, match="chữ ký số không khớp"):
        ex.export_bundle(ws, tmp_path, [report.id])
    code, _out, err = run_cli("--db", str(ws.path), "export", report.id, "--docx", str(out))
    assert code == 2 and "chữ ký số không khớp nội dung" in err and "Traceback" not in err
    assert not out.exists()


def test_a_forged_signature_column_does_not_help(signed, tmp_path):
    ws, report = signed
    other = keys.generate_key_pair()
    sql(ws, "UPDATE indicator_values SET value = '1' WHERE report_id = ? AND field = 'actual'", report.id)
    recompute_old_hash(ws, report.id)
    forged = keys.sign(other.private_key, keys.PURPOSE_REPORT, ws.signed_content_of(ws.report(report.id)))
    sql(ws, "UPDATE reports SET signature = ? WHERE id = ?", forged, report.id)
    assert not ws.verify_signed(report.id)


def test_a_report_signed_the_old_way_still_exports_but_is_signed_again_before_sending(signed, tmp_path):
    ws, report = signed
    sql(ws, "UPDATE reports SET signature = NULL, signature_key = NULL WHERE id = ?", report.id)
    assert ws.signed_the_old_way(ws.report(report.id))
    assert ws.export_docx(report.id, tmp_path / "cu.docx").exists()  # its hash still matches
    with pytest.raises(ServiceError, match="ký theo cách cũ.*ký lại"):
        ex.export_bundle(ws, tmp_path, [report.id])
    # changed after signing the old way: the hash check finds it, as before
    sql(ws, "UPDATE section_texts SET markup = 'sửa' WHERE report_id = ? AND markup != ''", report.id)
    with pytest.raises(ServiceError, match="mã kiểm tra nội dung không khớp"):
        ws.export_docx(report.id, tmp_path / "cu2.docx")
    # re-signing gives it a seal
    ws.unlock(report.id, "ký lại bằng chữ ký số")
    ws.sign(report.id)
    again = ws.report(report.id)
    assert again.signature and ws.verify_signed(report.id)
    assert ex.export_bundle(ws, tmp_path, [report.id]).path.exists()


def test_unlock_removes_the_seal(signed):
    ws, report = signed
    ws.unlock(report.id, "sửa lại số liệu")
    row = ws.report(report.id)
    assert row.signature is None and row.signature_key is None and row.content_hash is None
