"""Proofreading of narrative text (DESIGN §7): figures, dates, names, numbering, in any report's text.

    proofread_text(paragraphs, context)          a list of paragraphs (a .txt file: one per line)
    proofread_report(template, report, context)  every section's narrative of a report
    proofread_file(path, context)                a .txt or .docx file (see files.py)

Each category is a module with `check(doc) -> list[Finding]`; they share one reading of the text
(reader.scan per paragraph). Precision first: "error" only when the text contradicts itself with certainty,
"warning" when a person must judge, "info" for form.
"""
from __future__ import annotations

from dataclasses import replace

from ..findings import SEVERITIES, Finding, position_key
from . import (claim_vs_figure, date_logic, doc_symbol, duplicate_text, magnitude_unit, numbering,
               placeholder_left, ratio_percent, repeated_figure_conflict, spelling, total_parts,
               unicode_format, unit_or_place_name)
from .context import ProofreadContext, infer
from .document import Document, build
from .files import ProofreadInputError, SourceText, read_file

CHECKS = {
    "ratio_percent": ratio_percent, "total_parts": total_parts,
    "repeated_figure_conflict": repeated_figure_conflict, "magnitude_unit": magnitude_unit,
    "date_logic": date_logic, "doc_symbol": doc_symbol, "duplicate_text": duplicate_text,
    "unit_or_place_name": unit_or_place_name, "numbering": numbering, "unicode_format": unicode_format,
    "claim_vs_figure": claim_vs_figure, "placeholder_left": placeholder_left, "spelling": spelling,
}
CATEGORIES = tuple(CHECKS)

__all__ = ["CATEGORIES", "ProofreadContext", "ProofreadInputError", "SourceText", "proofread_file",
           "proofread_report", "proofread_text", "read_file"]


def proofread_text(paragraphs: list[str], context: ProofreadContext | None = None, *,
                   location: str = "paragraph", footnotes: list[str] | None = None,
                   categories=None, preamble: list[str] | None = None) -> list[Finding]:
    """Proofread paragraphs in document order. `location` says how a paragraph index is reported:
    "paragraph" (0-based, a .docx body paragraph) or "line" (1-based, a .txt line). Footnotes are
    checked too and located by their number (1-based). `preamble`: text read only to learn about the
    document (a .docx header table with the unit's name and the date line), not checked."""
    paras = build(list(paragraphs), footnotes, location)
    return _run(paras, context, categories, preamble)


def proofread_report(template, report, context: ProofreadContext | None = None, categories=None,
                     scans: dict | None = None) -> list[Finding]:
    """Every section's narrative (text and footnotes), as one document so that a figure in one section is
    compared with the same figure in another. Findings carry `section` (the section path), `paragraph`
    (0-based in that section's narrative) or `footnote` (1-based within the section), and offsets in the
    plain text of that paragraph or footnote.

    `scans`: a dict the caller keeps between runs on the same report (the editor's live checks), paragraph
    text → its reading; unchanged paragraphs are not read again, and the dict is left holding only the
    current paragraphs. The comparisons across paragraphs always run on the whole text."""
    from ...domain import richtext
    from .context import with_report
    paras = []
    for section in template.walk():
        markup = report.texts.get(section.path)
        if not markup:
            continue
        body, notes = [], []
        for paragraph in richtext.parse(markup):
            text = []
            for item in paragraph:
                if isinstance(item, richtext.Run):
                    text.append(item.text)
                elif isinstance(item, richtext.Footnote):  # a free table (richtext.Table) is not proofread
                    notes.append(item.plain_text())
            body.append("".join(text))
        paras += build(body, notes, "paragraph", section=section.path, scope=section.path, start_order=len(paras))
    headings = _headings(template, context, categories)
    if scans is None:
        return _run(paras, with_report(context, report), categories) + headings
    for para in paras:
        para._scan = scans.get(para.text)  # a Scan is never changed after reading: safe to share
    findings = _run(paras, with_report(context, report), categories)
    scans.clear()
    scans.update((para.text, para._scan) for para in paras if para._scan is not None)
    return findings + headings


# What a heading line can get wrong on its own: a word typed twice ("KẾT QUẢ KẾT QUẢ"), a misspelt syllable
HEADING_CATEGORIES = ("duplicate_text", "spelling")


def _headings(template, context, categories) -> list[Finding]:
    """Section headings (number and title) proofread for slips within the line; located by `section` and
    `field` "title"."""
    from .document import Para
    paras = [Para(k, section.heading, {"section": section.path, "field": "title"})
             for k, section in enumerate(template.walk()) if section.heading.strip()]
    doc = Document(paras)
    doc.facts = infer([], context)
    out = []
    for name in HEADING_CATEGORIES:
        if not categories or name in categories:
            out += CHECKS[name].check(doc)
    # a heading comes from the template: the report cannot mend it, so it must not hold back signing (info), and
    # the message says where to mend it
    return [replace(f, severity="info", message=f"{f.message} (Tiêu đề mục lấy từ mẫu báo cáo: sửa trong mẫu.)")
            for f in out]


def proofread_file(path, context: ProofreadContext | None = None, categories=None) -> list[Finding]:
    """A .txt (location `line`) or .docx (location `paragraph`, footnotes by number) file.
    Raises ProofreadInputError with a Vietnamese message for input it cannot read."""
    source = read_file(path)
    return proofread_text(source.paragraphs, context, location=source.location, footnotes=source.footnotes,
                          categories=categories, preamble=source.table_text)


def _run(paras, context, categories, preamble=None) -> list[Finding]:
    doc = Document(paras)
    doc.facts = infer(list(preamble or []) + [p.text for p in paras if not p.is_footnote], context)
    if preamble:
        doc.facts.report_date_para = None  # the date line is in the preamble, not among the paragraphs
    findings: list[Finding] = []
    for name, module in CHECKS.items():
        if categories and name not in categories:
            continue
        findings += module.check(doc)
    seen, unique = set(), []
    for f in findings:
        key = (f.code, f.section, f.line, f.paragraph, f.footnote, f.start)
        if key in seen:
            continue
        seen.add(key)
        unique.append(f)
    return sorted(unique, key=position_key)


def count_by_category(findings) -> dict:
    out: dict[str, dict[str, int]] = {}
    for f in findings:
        out.setdefault(f.category, {s: 0 for s in SEVERITIES})[f.severity] += 1
    return out
