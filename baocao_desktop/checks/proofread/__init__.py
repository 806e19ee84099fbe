"""Proofreading of narrative text (DESIGN §7): figures, dates, names, numbering, in any report's text.

    proofread_text(paragraphs, context)          a list of paragraphs (a .txt file: one per line)
    proofread_report(template, report, context)  every section's narrative of a report
    proofread_file(path, context)                a .txt or .docx file (see files.py)

Each category is a module with `check(doc) -> list[Finding]`, split in two: `local(doc, para)`, what one
paragraph gives on its own (a function of its text and the context: remembered per text), and `cross(doc)`,
the comparisons across paragraphs, made over small facts each paragraph yields once (`Para.fact`). They share
one reading of the text (reader.scan per paragraph). `IncrementalProofreader` keeps all that between runs on
one report, so that after an edit only the changed paragraphs are read again. A `local` reads only its
paragraph and `doc.facts` (counts over the whole text go through `doc.count_phrase`, which records them);
anything else belongs in `cross`; a module without `local` is run whole on every run.
Precision first: "error" only when the text contradicts itself with certainty, "warning" when a person must
judge, "info" for form.
"""
from __future__ import annotations

from dataclasses import fields, replace

from ..findings import SEVERITIES, Finding, position_key
from . import (claim_vs_figure, date_logic, doc_symbol, duplicate_text, magnitude_unit, numbering,
               placeholder_left, ratio_percent, repeated_figure_conflict, spelling, total_parts,
               unicode_format, unit_or_place_name)
from .context import INFER_HEAD, INFER_TAIL, ProofreadContext, infer, self_references
from .document import Document, Group, PhraseIndex, build, relocate
from .files import ProofreadInputError, SourceText, read_file

CHECKS = {
    "ratio_percent": ratio_percent, "total_parts": total_parts,
    "repeated_figure_conflict": repeated_figure_conflict, "magnitude_unit": magnitude_unit,
    "date_logic": date_logic, "doc_symbol": doc_symbol, "duplicate_text": duplicate_text,
    "unit_or_place_name": unit_or_place_name, "numbering": numbering, "unicode_format": unicode_format,
    "claim_vs_figure": claim_vs_figure, "placeholder_left": placeholder_left, "spelling": spelling,
}
CATEGORIES = tuple(CHECKS)

__all__ = ["CATEGORIES", "IncrementalProofreader", "ProofreadContext", "ProofreadInputError", "SourceText",
           "proofread_file", "proofread_report", "proofread_text", "read_file"]


def proofread_text(paragraphs: list[str], context: ProofreadContext | None = None, *,
                   location: str = "paragraph", footnotes: list[str] | None = None,
                   categories=None, preamble: list[str] | None = None) -> list[Finding]:
    """Proofread paragraphs in document order. `location` says how a paragraph index is reported:
    "paragraph" (0-based, a .docx body paragraph) or "line" (1-based, a .txt line). Footnotes are
    checked too and located by their number (1-based). `preamble`: text read only to learn about the
    document (a .docx header table with the unit's name and the date line), not checked."""
    paras = build(list(paragraphs), footnotes, location)
    return _run(paras, context, categories, preamble)[0]


def proofread_report(template, report, context: ProofreadContext | None = None, categories=None,
                     proofreader: "IncrementalProofreader | None" = None) -> list[Finding]:
    """Every section's narrative (text and footnotes), as one document so that a figure in one section is
    compared with the same figure in another. Findings carry `section` (the section path), `paragraph`
    (0-based in that section's narrative) or `footnote` (1-based within the section), and offsets in the
    plain text of that paragraph or footnote.

    `proofreader`: the one the caller keeps between runs on the same report (the editor's live checks); what
    did not change is not read again. The findings are the same as a fresh run's."""
    return (proofreader or IncrementalProofreader()).proofread_report(template, report, context, categories)


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


def _run(paras, context, categories, preamble=None, phrases: PhraseIndex | None = None,
         kept: dict | None = None, groups: list[Group] | None = None) -> tuple[list[Finding], dict]:
    """Findings, and the cross-paragraph results worth keeping for the next run. `groups`: the paragraphs as
    kept between runs (default: one group)."""
    doc = Document(paras, phrases=phrases or PhraseIndex(), kept=kept or {}, groups=groups)
    if preamble:
        doc.facts = infer(list(preamble) + [p.text for p in paras if not p.is_footnote], context)
    else:
        references = [[ref for _para, ref in doc.gather("self_references", _self_references)]]
        doc.facts = infer(_ends(paras), context, references)
    if preamble:
        doc.facts.report_date_para = None  # the date line is in the preamble, not among the paragraphs
    modules = [module for name, module in CHECKS.items() if not categories or name in categories]
    context_key = tuple(getattr(doc.facts, f.name) for f in fields(doc.facts)) + (doc.year, tuple(categories or ()))
    if doc.kept.get("context") == context_key:
        context_key = doc.kept["context"]  # the same object: remembered findings are checked with `is`
    doc.kept_now["context"] = context_key
    # each paragraph's own findings (kept per group, then per paragraph), then the comparisons across paragraphs
    findings: list[Finding] = []
    for group in doc.groups:
        entry = group.cache.get("findings")
        if entry is None or entry[0] is not context_key or entry[1] and not _same_counts(doc, entry[1]):
            found, asked = [], []
            for para in group.paras:
                found += _local(doc, para, modules, context_key)
                asked += para.memo["findings"][1]
            entry = group.cache["findings"] = (context_key, tuple(asked), found)
        findings += entry[2]
    for module in modules:
        # a check not split (no `local`) reads the whole text every run: correct, only not incremental
        findings += module.cross(doc) if hasattr(module, "local") else module.check(doc)
    seen, unique = set(), []
    for f in findings:
        key = (f.code, f.section, f.line, f.paragraph, f.footnote, f.start)
        if key in seen:
            continue
        seen.add(key)
        unique.append(f)
    return sorted(unique, key=position_key), doc.kept_now


def _ends(paras) -> list[str]:
    """The body paragraphs' texts `infer` reads (given the self-references): the first 30 and the last 12."""
    head: list[int] = []
    for k, para in enumerate(paras):
        if not para.is_footnote:
            head.append(k)
            if len(head) == INFER_HEAD:
                break
    tail = []
    for k in range(len(paras) - 1, -1, -1):
        if not paras[k].is_footnote:
            tail.append(k)
            if len(tail) == INFER_TAIL:
                break
    if len(head) < INFER_HEAD or len(tail) < INFER_TAIL or tail[-1] <= head[-1]:
        return [p.text for p in paras if not p.is_footnote]  # a short text: all of it
    return [paras[k].text for k in head + tail[::-1]]


def _same_counts(doc, asked) -> bool:
    """The phrase counts some findings were decided on are still the text's."""
    return all(doc.phrases.count(pattern, doc.paras) == total for pattern, total in asked)


def _self_references(para):
    return () if para.is_footnote else self_references(para.text)


def _local(doc, para, modules, context_key) -> list[Finding]:
    """The checks' findings on one paragraph alone: remembered with its text, the context and the phrase counts
    they read, moved when the paragraph moved."""
    entry = para.memo.get("findings")
    if entry is not None and entry[0] is context_key and (not entry[1] or _same_counts(doc, entry[1])):
        if not entry[3] or entry[2] == para.location:
            return entry[3]
        moved = relocate(entry[3], para.location)
        para.memo["findings"] = (context_key, entry[1], para.location, moved)
        return moved
    doc.asked = []
    try:
        found = [f for module in modules if hasattr(module, "local") for f in module.local(doc, para)]
    finally:
        asked, doc.asked = doc.asked, None
    para.memo["findings"] = (context_key, tuple(asked), para.location, found)
    return found


class IncrementalProofreader:
    """Proofreads one report again and again (the editor keeps one per open report). Each section's paragraphs
    are kept by its markup, with what the checks gathered from them and their own findings; each paragraph's
    reading, facts and own findings by its text. A run after one edit reads only the changed paragraph and
    redoes the comparisons across paragraphs over the kept facts. One run at a time."""

    def __init__(self):
        self._memos: dict[tuple[str, bool], list] = {}  # (raw text, is footnote) → [memo, paragraphs using it]
        self._sections: dict[str, tuple[str, Group]] = {}  # section path → (markup, its paragraphs)
        self._phrases = PhraseIndex()
        self._kept: dict = {}
        self._headings: tuple | None = None  # (what they were read from, findings)

    def proofread_report(self, template, report, context: ProofreadContext | None = None,
                         categories=None) -> list[Finding]:
        """See `proofread_report`."""
        from .context import with_report
        try:
            groups, added, removed = self._groups(template, report)
            paras = [para for group in groups for para in group.paras]
            self._phrases.update([(p.memo, p.text) for p in removed], [(p.memo, p.text) for p in added])
            findings, self._kept = _run(paras, with_report(context, report), categories, phrases=self._phrases,
                                        kept=self._kept, groups=groups)
        except BaseException:
            self.__init__()  # a run cut short leaves nothing half-updated behind
            raise
        return findings + self._heading_findings(template, context, categories)

    def _groups(self, template, report):
        """The sections' paragraph groups, unchanged ones kept; and the paragraphs added and removed."""
        memos = self._memos

        def memo_of(raw: str, is_footnote: bool) -> dict:
            entry = memos.get((raw, is_footnote))
            if entry is None:
                entry = memos[(raw, is_footnote)] = [{}, 0]
            entry[1] += 1
            return entry[0]

        groups, sections, added, removed = [], {}, [], []
        order = 0
        for section in template.walk():
            markup = report.texts.get(section.path)
            if not markup:
                continue
            known = self._sections.get(section.path)
            if known is not None and known[0] == markup:
                group = known[1]
                if group.paras and group.paras[0].order != order:
                    for k, para in enumerate(group.paras):
                        para.order = order + k
            else:
                body, notes = _section_text(markup)
                group = Group(build(body, notes, "paragraph", section=section.path, scope=section.path,
                                    start_order=order, memos=memo_of))
                added += group.paras
            sections[section.path] = (markup, group)
            groups.append(group)
            order += len(group.paras)
        for path, (markup, group) in self._sections.items():
            if sections.get(path, (None, None))[1] is not group:
                removed += group.paras
        for para in removed:  # after the new groups took theirs: a paragraph moved keeps its memo
            key = (para.raw, para.is_footnote)
            entry = memos[key]
            entry[1] -= 1
            if entry[1] <= 0:
                del memos[key]
        self._sections = sections
        return groups, added, removed

    def _heading_findings(self, template, context, categories) -> list[Finding]:
        key = (context, tuple(categories or ()))
        if self._headings is not None and self._headings[0] is template and self._headings[1] == key:
            return self._headings[2]  # a template is never changed once read
        self._headings = (template, key, _headings(template, context, categories))
        return self._headings[2]


def _section_text(markup: str) -> tuple[list[str], list[str]]:
    """A section's narrative as plain paragraphs and footnotes (a free table is not proofread)."""
    from ...domain import richtext
    body, notes = [], []
    for paragraph in richtext.parse(markup):
        text = []
        for item in paragraph:
            if isinstance(item, richtext.Run):
                text.append(item.text)
            elif isinstance(item, richtext.Footnote):
                notes.append(item.plain_text())
        body.append("".join(text))
    return body, notes


def count_by_category(findings) -> dict:
    out: dict[str, dict[str, int]] = {}
    for f in findings:
        out.setdefault(f.category, {s: 0 for s in SEVERITIES})[f.severity] += 1
    return out
