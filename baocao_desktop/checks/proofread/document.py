"""The text being proofread: paragraphs in document order, each read once, with its location."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...domain.orthography import CAPITALS
from ...domain.richtext import normalize
from ..findings import Finding
from .context import Facts
from .reader import Scan, scan, starts_with_superscript

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”)]?\s+(?=[\"“(]?[A-Z0-9" + CAPITALS + r"])")


@dataclass
class Para:
    order: int  # position in the document
    text: str  # NFC
    location: dict  # Finding fields: line / paragraph / footnote / section
    scope: str = ""  # numbering scope: a report section, or "" for a whole file
    is_footnote: bool = False
    raw: str = ""  # as read, before NFC
    _scan: Scan | None = None
    _sentences: list[tuple[int, int]] | None = None

    @property
    def scan(self) -> Scan:
        if self._scan is None:
            self._scan = scan(self.text)
        return self._scan

    @property
    def sentences(self) -> list[tuple[int, int]]:
        """(start, end) of each sentence."""
        if self._sentences is None:
            spans, start = [], 0
            for m in _SENTENCE_END.finditer(self.text):
                spans.append((start, m.start()))
                start = m.end()
            if start < len(self.text):
                spans.append((start, len(self.text)))
            self._sentences = spans
        return self._sentences

    def sentence_of(self, pos: int) -> tuple[int, int]:
        for s, e in self.sentences:
            if s <= pos < e:
                return s, e
        return 0, len(self.text)

    @property
    def footnote_like(self) -> bool:
        """A footnote, or a footnote body a converter left in the text ("² Hướng dẫn …")."""
        return self.is_footnote or starts_with_superscript(self.text)

    def where(self) -> str:
        """Where this paragraph is, for messages: "dòng 12", "đoạn 3", "mục II.1, chú thích 1"."""
        loc = self.location
        prefix = f"mục {loc['section']}, " if loc.get("section") else ""
        if "footnote" in loc:
            return f"{prefix}chú thích {loc['footnote']}"
        if "line" in loc:
            return f"{prefix}dòng {loc['line']}"
        if "paragraph" in loc:
            return f"{prefix}đoạn {loc['paragraph'] + 1}"
        return prefix.rstrip(", ")


@dataclass
class Document:
    paras: list[Para]
    facts: Facts = None  # type: ignore[assignment]
    cache: dict = field(default_factory=dict)

    def body(self):
        return [p for p in self.paras if p.text.strip()]

    def finding(self, para: Para, code: str, category: str, severity: str, message: str,
                start: int | None = None, end: int | None = None, values: dict | None = None) -> Finding:
        loc = para.location
        return Finding(code, category, severity, message, section=loc.get("section", ""), field=loc.get("field", ""),
                       values=values or {}, line=loc.get("line"), paragraph=loc.get("paragraph"),
                       footnote=loc.get("footnote"), start=start, end=end)


def build(body: list[str], footnotes: list[str] | None, location: str, section: str = "",
          scope: str = "", first_footnote: int = 1, start_order: int = 0) -> list[Para]:
    """Paragraphs of one text. `location`: "line" (1-based) or "paragraph" (0-based)."""
    paras = []
    for i, text in enumerate(body):
        loc = {"line": i + 1} if location == "line" else {"paragraph": i}
        if section:
            loc["section"] = section
        raw = (text or "").replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
        paras.append(Para(start_order + len(paras), normalize(raw), loc, scope, raw=raw))
    for k, text in enumerate(footnotes or []):
        loc = {"footnote": first_footnote + k}
        if section:
            loc["section"] = section
        raw = (text or "").replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
        paras.append(Para(start_order + len(paras), normalize(raw), loc, scope, is_footnote=True, raw=raw))
    return paras
