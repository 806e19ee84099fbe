"""Narrative text: the one storage form of a section's rich text and its parser.

Stored as a light markup so that the CLI, JSON and tests can read and write it:
  paragraphs separated by a newline; **bold**, *italic*, __underline__;
  a footnote is [^text of the footnote] (a newline inside it separates footnote paragraphs);
  a backslash escapes * _ [ ] and itself.
The editor (ui/), the exporter (document/) and the checks all go through `parse`/`serialize`.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

SPECIAL = "*_[]\\"
_PLAIN = re.compile(r"[^*_\[\]\\\n]*")  # a run of characters that are never markup
_CONTENT = re.compile(r"[^\s*_\[\]^\\]")  # any character that is text, not markup or space


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False

    def same_format(self, other: "Run") -> bool:
        return (self.bold, self.italic, self.underline) == (other.bold, other.italic, other.underline)


@dataclass(frozen=True)
class Footnote:
    paragraphs: tuple[tuple[Run, ...], ...] = field(default_factory=tuple)

    def plain_text(self) -> str:
        return "\n".join("".join(r.text for r in p) for p in self.paragraphs)


Inline = Run | Footnote
Paragraph = tuple[Inline, ...]


def normalize(text: str) -> str:
    """NFC, and Windows/Mac line ends to \n (Unikey and pasted PDF text can be NFD)."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def escape(text: str) -> str:
    return "".join("\\" + ch if ch in SPECIAL else ch for ch in text)


def parse(markup: str | None) -> list[Paragraph]:
    """Markup → paragraphs of runs and footnotes. Never fails: unbalanced markers simply end."""
    if not markup:
        return []
    text = normalize(markup)
    paragraphs: list[Paragraph] = []
    pos = 0
    body, pos = _parse_runs(text, pos, in_footnote=False)
    paragraphs.extend(body)
    return [p for p in paragraphs]


def _parse_runs(text: str, pos: int, in_footnote: bool):
    """Parse until end of text (or the closing ']' of a footnote). Returns (paragraphs, pos)."""
    paragraphs: list[Paragraph] = []
    current: list[Inline] = []
    buf: list[str] = []
    bold = italic = underline = False

    def flush():
        if buf:
            _append_run(current, Run("".join(buf), bold, italic, underline))
            buf.clear()

    n = len(text)
    while pos < n:
        # plain text up to the next marker is taken in one step (the scan runs in C)
        match = _PLAIN.match(text, pos)
        if match.end() > pos:
            buf.append(match.group())
            pos = match.end()
            continue
        ch = text[pos]
        if ch == "\\" and pos + 1 < n:
            buf.append(text[pos + 1])
            pos += 2
            continue
        if ch == "*" and text.startswith("**", pos):
            flush()
            bold = not bold
            pos += 2
            continue
        if ch == "*":
            flush()
            italic = not italic
            pos += 1
            continue
        if ch == "_" and text.startswith("__", pos):
            flush()
            underline = not underline
            pos += 2
            continue
        if ch == "[" and text.startswith("[^", pos) and not in_footnote:
            flush()
            note_paragraphs, pos = _parse_runs(text, pos + 2, in_footnote=True)
            current.append(Footnote(tuple(note_paragraphs)))
            continue
        if ch == "]" and in_footnote:
            flush()
            paragraphs.append(tuple(current))
            return _trim_paragraphs(paragraphs), pos + 1
        if ch == "\n":
            flush()
            paragraphs.append(tuple(current))
            current = []
            pos += 1
            continue
        buf.append(ch)
        pos += 1
    flush()
    paragraphs.append(tuple(current))
    if in_footnote:
        return _trim_paragraphs(paragraphs), pos
    # a trailing newline does not make an empty last paragraph
    if paragraphs and paragraphs[-1] == () and len(paragraphs) > 1:
        paragraphs.pop()
    if paragraphs == [()]:
        return [], pos
    return paragraphs, pos


def _trim_paragraphs(paragraphs: list[Paragraph]) -> list[Paragraph]:
    return [tuple(r for r in p if isinstance(r, Run)) for p in paragraphs if p]


def _append_run(current: list[Inline], run: Run) -> None:
    if current and isinstance(current[-1], Run) and current[-1].same_format(run):
        prev = current[-1]
        current[-1] = Run(prev.text + run.text, prev.bold, prev.italic, prev.underline)
    else:
        current.append(run)


def _serialize_runs(runs) -> str:
    """Emit a marker only where the format changes: every marker is a toggle, and at most one
    "*" and one "**" meet at a change, so 1, 2 or 3 stars always read back unambiguously."""
    out: list[str] = []
    state = (False, False, False)  # bold, italic, underline

    def switch_to(target) -> None:
        nonlocal state
        marks = ""
        if state[0] != target[0]:
            marks += "**"
        if state[1] != target[1]:
            marks += "*"
        if state[2] != target[2]:
            marks += "__"
        out.append(marks)
        state = target

    for run in runs:
        if isinstance(run, Footnote):
            out.append("[^" + "\n".join(_serialize_runs(p) for p in run.paragraphs) + "]")
            continue
        if not run.text:
            continue
        switch_to((run.bold, run.italic, run.underline))
        out.append(escape(run.text))
    switch_to((False, False, False))
    return "".join(out)


def serialize(paragraphs: list[Paragraph]) -> str:
    """Paragraphs → markup; adjacent runs of the same format are merged."""
    merged: list[Paragraph] = []
    for paragraph in paragraphs:
        items: list[Inline] = []
        for item in paragraph:
            if isinstance(item, Run):
                if item.text:
                    _append_run(items, Run(normalize(item.text), item.bold, item.italic, item.underline))
            else:
                items.append(Footnote(tuple(tuple(r for r in p if isinstance(r, Run) and r.text)
                                            for p in item.paragraphs)))
        merged.append(tuple(items))
    return "\n".join(_serialize_runs(p) for p in merged)


def plain_text(markup: str | None, with_footnotes: bool = False) -> str:
    """Text without formatting; footnotes dropped, or appended in brackets."""
    lines = []
    for paragraph in parse(markup):
        parts = []
        for item in paragraph:
            if isinstance(item, Run):
                parts.append(item.text)
            elif with_footnotes:
                parts.append(" (" + item.plain_text().replace("\n", " ") + ")")
        lines.append("".join(parts))
    return "\n".join(lines)


def footnotes(markup: str | None) -> list[Footnote]:
    return [item for p in parse(markup) for item in p if isinstance(item, Footnote)]


def is_empty(markup: str | None) -> bool:
    """No text at all, footnotes included (cheap: no parse; checks call it for every section)."""
    return not markup or _CONTENT.search(markup) is None
