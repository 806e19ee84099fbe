"""The DOCX task shared by the report export and the summary export: what the user can fix is said in
Vietnamese; a bug is logged and said as "Lỗi chương trình" (by the runner)."""
from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from baocao_desktop.domain.errors import UserError  # noqa: E402
from baocao_desktop.services import logs  # noqa: E402
from baocao_desktop.services.errors import ServiceError  # noqa: E402
from baocao_desktop.ui.docx_job import docx_work, write_failure  # noqa: E402
from baocao_desktop.ui.tasks import run_task  # noqa: E402


def test_failure_messages(tmp_path):
    target = tmp_path / "Báo cáo.docx"
    assert str(write_failure(PermissionError(13, "denied"), target, "báo cáo tổng hợp")) == (
        f"Không ghi được tệp “{target}”: tệp đang mở trong Word hoặc thư mục không cho ghi. "
        "Hãy đóng tệp trong Word hoặc chọn thư mục khác.")
    assert str(write_failure(OSError(28, "No space left on device"), target)) == (
        f"Không ghi được tệp “{target}”: ổ đĩa đã đầy.")
    assert str(write_failure(ServiceError("Thiếu mẫu."), target)) == "Thiếu mẫu."
    missing = ModuleNotFoundError("No module named 'docx'", name="docx")
    assert str(write_failure(missing, target, "báo cáo tổng hợp")) == (
        "Thiếu thư viện “docx” để xuất báo cáo tổng hợp. Hãy cài lại chương trình.")
    assert write_failure(RuntimeError("boom"), target) is None  # a bug: the runner logs it


def test_run_reports_a_missing_folder_through_the_runner(qtbot, demo_workspace, tmp_path):
    report = demo_workspace.list_reports()[0]
    model = demo_workspace.document_model(report.id)
    with pytest.raises(UserError) as raised:
        docx_work(model, tmp_path / "không có" / "Báo cáo.docx")(None)
    assert "không có" in str(raised.value)
    finished, failed = [], []
    run_task(docx_work(model, tmp_path / "Báo cáo.docx"), on_success=finished.append, on_failure=failed.append)
    qtbot.waitUntil(lambda: bool(finished or failed), timeout=60000)
    assert failed == [] and finished == [str(tmp_path / "Báo cáo.docx")]
    assert (tmp_path / "Báo cáo.docx").stat().st_size > 10_000


def test_a_bug_while_writing_is_logged_not_shown(qtbot, demo_workspace, tmp_path, monkeypatch):
    import baocao_desktop.document.docx_writer as docx_writer

    def broken(model, out):
        raise RuntimeError("boom")
    monkeypatch.setattr(docx_writer, "write_docx", broken)
    log = logs.setup_logging(tmp_path / "logs" / "baocao.log")
    try:
        failed = []
        run_task(docx_work(None, tmp_path / "a.docx", "báo cáo tổng hợp"), on_failure=failed.append)
        qtbot.waitUntil(lambda: bool(failed), timeout=10000)
    finally:
        logs.stop_logging()
    failure = failed[0]
    assert failure.bug and failure.message.startswith("Lỗi chương trình") and "boom" not in failure.text
    assert str(log) in failure.hint and "RuntimeError: boom" in log.read_text(encoding="utf-8")
