"""Findings underlined in the narrative: where each finding about the text sits in a section's document.

What the user sees: the wavy underlines in the text (proofreading findings, and figure findings about a
number in the text), their messages on hover, and the exact words selected when a finding is clicked.
"""
from __future__ import annotations

from PySide6.QtGui import QTextCursor, QTextDocument

from ...checks.findings import Finding
from ...domain import richtext
from .narrative_edit import TextMark
from .rich_document import document_paragraphs, footnote_ranges, plain_paragraphs, text_range, text_spans


def place_marks(doc: QTextDocument, findings: list[Finding]) -> list[TextMark]:
    """A TextMark per finding whose paragraph range (or footnote) is in `doc`."""
    spans = text_spans(doc, {f.paragraph for f in findings if f.footnote is None})
    notes = footnote_ranges(doc)
    marks = []
    for finding in findings:
        if finding.footnote is not None:  # a fault inside a footnote: its marker in the text
            where = notes[finding.footnote - 1][:2] if 0 < finding.footnote <= len(notes) else None
        else:
            where = text_range(spans.get(finding.paragraph, []), finding.start, finding.end)
        if where is None:
            continue
        cursor = QTextCursor(doc)
        cursor.setPosition(where[0])
        cursor.setPosition(where[1], QTextCursor.MoveMode.KeepAnchor)
        marks.append(TextMark(cursor, finding.severity, finding.message, finding.key))
    return marks


class FindingMarks:
    """The marks of every open section document, for the session's proofreading and figure findings."""

    def __init__(self, session, docs: dict[str, QTextDocument]):
        self.session = session
        self.docs = docs  # section path → its document (owned by the narrative panel)
        self.proof: dict[str, list[TextMark]] = {}  # path → its proofreading findings' ranges in its document
        self.figures: dict[str, list[TextMark]] = {}  # the same for figure findings about the text

    def rebuild_proofreading(self) -> None:
        self.proof = {}
        for path in list(self.docs):
            self.build_proofreading(path)

    def build_proofreading(self, path: str) -> None:
        """Place the proofreading findings of one section in its document, if the document still holds the
        text they were found in (a QTextCursor then follows every later edit)."""
        doc = self.docs.get(path)
        found = [f for f in self.session.proof_findings if f.section == path
                 and (f.paragraph is not None or f.footnote is not None)]
        if doc is None or not found:
            self.proof.pop(path, None)
            return
        if plain_paragraphs(document_paragraphs(doc)) != plain_paragraphs(
                richtext.parse(self.session.proof_texts.get(path))):
            self.proof.pop(path, None)  # edited since: wait for the next result
            return
        self.proof[path] = place_marks(doc, found)

    def build_figures(self, paths=None) -> None:
        """Figure findings about a number in the narrative (e.g. the text says 730, the field 731): checked
        right after saving, so the open documents hold exactly the text they were found in."""
        if paths is None:
            self.figures = {}
        for path in (paths if paths is not None else list(self.docs)):
            doc = self.docs[path]
            found = [f for f in self.session.figure_findings if f.section == path and f.paragraph is not None
                     and f.start is not None and f.end is not None]
            if found:
                self.figures[path] = place_marks(doc, found)
            else:
                self.figures.pop(path, None)

    def shown(self, path: str) -> list[TextMark]:
        """A section's marks to underline; kept warnings (giải trình) are no longer marked."""
        kept = {f.key for f in self.session.findings if f.justification}
        return [m for m in self.proof.get(path, []) + self.figures.get(path, []) if m.key not in kept]

    def of_finding(self, finding: Finding) -> TextMark | None:
        return next((m for m in self.proof.get(finding.section, []) + self.figures.get(finding.section, [])
                     if m.key == finding.key and m.cursor.hasSelection()), None)
