"""Unplaced content is a finding (issue 15.6): text kept in "Nội dung chưa xếp mục" (an import from Word that
matched no section of the template) prints at the end of the document under that title. Until it is moved
into its sections or kept with a giải trình, it is a warning, and a warning without giải trình blocks
Trình ký and Ký (services/signoff.py). The finding points at the unplaced text itself."""
from __future__ import annotations

from ..domain import richtext
from ..domain.model import UNPLACED_PATH, UNPLACED_TITLE, Report
from .findings import Finding


def unplaced_findings(report: Report) -> list[Finding]:
    paragraphs = [p for p in richtext.parse(report.texts.get(UNPLACED_PATH)) if p]
    if not paragraphs:
        return []
    return [Finding(
        "unplaced.content", "unplaced", "warning",
        f"Còn {len(paragraphs)} đoạn trong mục “{UNPLACED_TITLE}” (nhập từ tệp Word, chưa khớp mục nào của "
        f"mẫu): chuyển từng đoạn vào đúng mục, hoặc ghi giải trình nếu giữ lại (khi đó các đoạn này in ở cuối "
        f"văn bản, dưới tiêu đề “{UNPLACED_TITLE}”).",
        UNPLACED_PATH, "", {"paragraphs": len(paragraphs)}, paragraph=0)]
