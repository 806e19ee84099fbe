"""The DOCX job shared by the report export and the summary export: every failure said in Vietnamese."""
from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from baocao_desktop.services.errors import ServiceError  # noqa: E402
from baocao_desktop.ui.docx_job import DocxWriteJob  # noqa: E402


def test_failure_messages(tmp_path):
    job = DocxWriteJob(None, tmp_path / "Báo cáo.docx", what="báo cáo tổng hợp")
    target = tmp_path / "Báo cáo.docx"
    assert job.failure_message(PermissionError(13, "denied")) == (
        f"Không ghi được tệp “{target}”: tệp đang mở trong Word hoặc thư mục không cho ghi. "
        "Hãy đóng tệp trong Word hoặc chọn thư mục khác.")
    assert job.failure_message(OSError(28, "No space left on device")) == (
        f"Không ghi được tệp “{target}”: No space left on device.")
    assert job.failure_message(ServiceError("Thiếu mẫu.")) == "Thiếu mẫu."
    bug = job.failure_message(RuntimeError("boom"))
    assert bug.startswith("Xuất báo cáo tổng hợp gặp lỗi chương trình:\n") and "RuntimeError: boom" in bug


def test_run_reports_a_missing_folder_through_the_signal(qtbot, demo_workspace, tmp_path):
    report = demo_workspace.list_reports()[0]
    model = demo_workspace.document_model(report.id)
    job = DocxWriteJob(model, tmp_path / "không có" / "Báo cáo.docx")
    failed, finished = [], []
    job.signals.failed.connect(failed.append)
    job.signals.finished.connect(finished.append)
    job.run()
    assert finished == [] and len(failed) == 1 and "không có" in failed[0]
    job = DocxWriteJob(model, tmp_path / "Báo cáo.docx")
    job.signals.finished.connect(finished.append)
    job.run()
    assert finished == [str(tmp_path / "Báo cáo.docx")] and (tmp_path / "Báo cáo.docx").stat().st_size > 10_000
