"""The readable copy sent with the transfer file (issue 14.6): beside the `.baocao` on the stick, each sent
report as a Word file, and as a PDF when LibreOffice or Word is on this machine, named as an office names
its files ("112-BC-ĐU Khái quát tình hình từ ngày 01-6 đến ngày 07-6-2026 - Đảng ủy xã Lùng Phình.docx"),
so that an office without BaoCao can open what it received.

The copies lie in the same folder as the `.baocao`, not in a sub-folder: whoever opens the stick at the
level above sees the documents at once, each name saying which report it is. The receive side reads only
`.baocao` files (files.find_bundles), so the copies are passed over there without a word.

Everything slow (DOCX, PDF) is made in a local folder before anything is written on the stick (so a
Cancel there changes nothing); `place_copies` then copies the finished files, after the `.baocao` has been
written and verified. A copy that cannot be made or written is a note in the result, never a failure of
the send: the `.baocao` is what the level above imports.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ...domain.dates import Period
from ...domain.errors import UserError
from .files import file_date, safe_file_name, write_atomically
from .progress import Cancelled, ProgressFn, check_cancel, report_progress
from ...domain.error_text import os_error_reason

DOCX, PDF = ".docx", ".pdf"
NAME_LIMIT = 120  # characters of a name before ".docx": the stick's path stays far below Windows' 260
_FORBIDDEN = re.compile(r'[<>:"|?*\x00-\x1f]')  # what Windows refuses in a name; "/" and "\" become "-"
_DATE_IN_TEXT = re.compile(r"\d{1,2}\s*/\s*\d{1,2}|\bnăm\s+\d{4}\b|\b(19|20)\d{2}\b")
NO_CONVERTER = ("Máy này chưa có LibreOffice hay Microsoft Word nên chỉ kèm bản Word (.docx) để đọc, chưa có bản "
                "PDF. Cài LibreOffice (miễn phí) nếu cần kèm cả bản PDF.")


@dataclass
class LocalCopy:
    """One report's readable files, made in a local folder, to be placed beside the `.baocao`."""
    report_id: str
    stem: str  # the name as the office names it, without suffix (made unique on the stick by place_copies)
    files: list[Path] = field(default_factory=list)  # the local .docx, then the .pdf when one was made


@dataclass
class ReadableCopies:
    """What was written beside the `.baocao`, and what the user should know (Vietnamese, each said once)."""
    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def count(self, suffix: str) -> int:
        return sum(p.suffix.lower() == suffix for p in self.files)

    def text(self) -> str:
        """"Kèm bản để đọc: 2 tệp Word, 2 tệp PDF." and the notes; '' when nothing was asked for."""
        made = [f"{n} tệp {label}" for n, label in ((self.count(DOCX), "Word"), (self.count(PDF), "PDF")) if n]
        lines = [f"Kèm bản để đọc (mở được khi không có BaoCao): {', '.join(made)}."] if made else []
        return "\n".join(lines + self.notes)

    def to_json(self) -> dict:
        return {"files": [str(p) for p in self.files], "notes": self.notes}


def _name_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "")
    text = _FORBIDDEN.sub("", text.replace("/", "-").replace("\\", "-"))
    return " ".join(text.split())


def readable_stem(number: str, summary: str, kind: str, period: Period, issuer: str) -> str:
    """"<Số ký hiệu> <trích yếu, else the report kind> <period> - <unit>": "/" written "-", what Windows
    refuses left out, Vietnamese letters kept, at most NAME_LIMIT characters (the trích yếu is cut, never
    the number or the unit). The period is left out when the trích yếu already gives dates."""
    number = _name_text(re.sub(r"^\s*Số\s*:?\s*", "", number or "", flags=re.IGNORECASE))
    middle = _name_text(summary) or _name_text(kind) or "Báo cáo"
    dates = "" if _DATE_IN_TEXT.search(middle) else f" {file_date(period.start)} đến {file_date(period.end)}"
    tail = f" - {_name_text(issuer)}" if _name_text(issuer) else ""
    room = NAME_LIMIT - len(tail) - len(dates) - (len(number) + 1 if number else 0)
    if len(middle) > room:
        cut = middle[:max(room - 1, 10)]
        middle = (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,.;-") + "…"
    stem = " ".join(p for p in (number, middle + dates) if p) + tail
    return safe_file_name(stem, limit=NAME_LIMIT + 10)


def pdf_converter() -> tuple[str, Callable[[Path, Path], Path]] | None:
    """(name, convert(docx, pdf)) of the PDF maker on this machine: LibreOffice, else Microsoft Word
    (office PCs often have only Word); None when there is neither."""
    from ...document import pdf, windows_office
    soffice = pdf.find_soffice() or windows_office.libreoffice_from_registry()
    if soffice is not None:
        return "LibreOffice", lambda docx, out: pdf.docx_to_pdf(docx, out, soffice=soffice)
    if windows_office.find_word() is not None:
        return "Word", windows_office.word_to_pdf
    return None


def _failure_text(exc: BaseException, what: str) -> str:
    """A UserError says its own reason; anything else is a bug: logged, and said as such."""
    if isinstance(exc, UserError):
        return str(exc)
    from ..logs import log_bug
    path = log_bug(exc, what)
    return f"lỗi chương trình (đã ghi vào nhật ký {path})"


def make_local_copies(ws, report_ids: list[str], folder: Path, progress: ProgressFn | None = None, cancel=None,
                      step: int = 0, total: int = 0, converter=None) -> tuple[list[LocalCopy], list[str]]:
    """Each report's DOCX (and PDF with `converter`, from pdf_converter()) in the local `folder`, as the
    report was signed (ws.document_model refuses a report whose content no longer matches its seal).
    Returns the copies and the notes; only Cancel raises (Cancelled), anything else becomes a note."""
    from ...document.docx_writer import write_docx
    from ...document.formats import load_format
    from ...document.layout import number_line
    copies: list[LocalCopy] = []
    notes: list[str] = []
    for i, report_id in enumerate(report_ids):
        check_cancel(cancel)
        label = report_id[:8]
        try:
            report = ws.report(report_id, with_content=False)
            kind = ws.report_template(report).name
            label = f"{kind} {report.period.label()}"
            report_progress(progress, "readable", step, total, message=f"Tạo bản Word: {label}")
            model = ws.document_model(report_id)
            stem = readable_stem(number_line(model, load_format(model.format_code)) if model.number else "",
                                 model.summary, kind, report.period, model.issuer)
            copy = LocalCopy(report_id, stem)
            copy.files.append(write_docx(model, folder / f"{i:03d}{DOCX}"))
        except Cancelled:
            raise
        except Exception as exc:  # noqa: BLE001 (the .baocao goes anyway; the user hears why this copy is missing)
            notes.append(f"Không tạo được bản Word của “{label}”: {_failure_text(exc, 'bản Word kèm tệp gửi')}")
            step += 2 if converter else 1
            continue
        step += 1
        if converter is not None:
            check_cancel(cancel)
            name, convert = converter
            report_progress(progress, "readable", step, total, message=f"Tạo bản PDF bằng {name}: {label}")
            try:
                copy.files.append(convert(copy.files[0], folder / f"{i:03d}{PDF}"))
            except Cancelled:
                raise
            except Exception as exc:  # noqa: BLE001 (a converter that crashes or hangs costs only the PDF)
                notes.append(f"Không tạo được bản PDF của “{label}” bằng {name}: "
                             f"{_failure_text(exc, 'bản PDF kèm tệp gửi')}")
            step += 1
        copies.append(copy)
    return copies, notes


def _taken_names(folder: Path) -> set[str]:
    try:
        return {unicodedata.normalize("NFC", p.name).casefold() for p in folder.iterdir()}
    except OSError:
        return set()


def free_stem(stem: str, taken: set[str]) -> str:
    """`stem`, or "stem (2)", "stem (3)"…: free for both the .docx and the .pdf, whatever the letter case
    (Windows and USB sticks do not tell "A.docx" from "a.docx")."""
    candidate, n = stem, 2
    while any(f"{candidate}{suffix}".casefold() in taken for suffix in (DOCX, PDF)):
        candidate, n = f"{stem} ({n})", n + 1
    return candidate


def place_copies(copies: list[LocalCopy], folder: Path, where: str) -> ReadableCopies:
    """Copy the finished files beside the `.baocao` in `folder` (each written atomically under a name
    free there). A file that cannot be written (stick full, pulled out) stops the copying with a note;
    the `.baocao`, written and verified before, stays."""
    placed = ReadableCopies()
    taken = _taken_names(folder)
    for copy in copies:
        stem = free_stem(copy.stem, taken)
        for local in copy.files:
            final = folder / f"{stem}{local.suffix}"
            try:
                write_atomically(local, final)
            except OSError as exc:
                left = sum(len(c.files) for c in copies) - len(placed.files)
                placed.notes.append(
                    f"Không ghi được bản để đọc “{final.name}” {where} ({os_error_reason(exc)}); {left} tệp Word/PDF "
                    f"chưa được ghi. Tệp .baocao đã ghi và kiểm tra xong, vẫn gửi được; nếu cần bản để đọc, hãy "
                    f"xóa bớt tệp trên USB rồi xuất riêng từng báo cáo (Xuất Word/PDF).")
                return placed
            placed.files.append(final)
            taken.add(final.name.casefold())
    return placed
