"""The text being proofread: paragraphs in document order, each read once, with its location.

What a paragraph's text gives wherever it stands (its reading, sentences, the facts the checks extract from it,
its own findings) lives in `Para.memo`, a dict an incremental proofreader hands to the paragraph with the same
text in the next run: after one edit only the changed paragraph is read again."""
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
    # what this text gives wherever it stands (shared by the paragraphs of equal raw text and kind, across runs):
    # never holds a location or another paragraph
    memo: dict = field(default_factory=dict)
    _where: str | None = field(default=None, repr=False, compare=False)
    _place: tuple | None = field(default=None, repr=False, compare=False)

    @property
    def scan(self) -> Scan:
        found = self.memo.get("scan")
        if found is None:
            found = self.memo["scan"] = scan(self.text)
        return found

    @property
    def sentences(self) -> list[tuple[int, int]]:
        """(start, end) of each sentence."""
        found = self.memo.get("sentences")
        if found is None:
            spans, start = [], 0
            for m in _SENTENCE_END.finditer(self.text):
                spans.append((start, m.start()))
                start = m.end()
            if start < len(self.text):
                spans.append((start, len(self.text)))
            found = self.memo["sentences"] = spans
        return found

    def fact(self, name: str, extract):
        """`extract(self)` remembered for this text: what a check reads from the paragraph alone (a list; it
        must not depend on the location, the context or other paragraphs)."""
        try:
            return self.memo[name]
        except KeyError:
            found = self.memo[name] = extract(self)
            return found

    def sentence_of(self, pos: int) -> tuple[int, int]:
        for s, e in self.sentences:
            if s <= pos < e:
                return s, e
        return 0, len(self.text)

    @property
    def footnote_like(self) -> bool:
        """A footnote, or a footnote body a converter left in the text ("² Hướng dẫn …")."""
        return self.is_footnote or starts_with_superscript(self.text)

    @property
    def place(self) -> tuple:
        """The location as a key."""
        if self._place is None:
            self._place = tuple(sorted(self.location.items()))
        return self._place

    def where(self) -> str:
        """Where this paragraph is, for messages: "dòng 12", "đoạn 3", "mục II.1, chú thích 1"."""
        if self._where is None:
            self._where = self._where_text()
        return self._where

    def _where_text(self) -> str:
        loc = self.location
        prefix = f"mục {loc['section']}, " if loc.get("section") else ""
        if "footnote" in loc:
            return f"{prefix}chú thích {loc['footnote']}"
        if "line" in loc:
            return f"{prefix}dòng {loc['line']}"
        if "paragraph" in loc:
            return f"{prefix}đoạn {loc['paragraph'] + 1}"
        return prefix.rstrip(", ")


class PhraseIndex:
    """How often a phrase (a regular expression over lower-case text, never across a paragraph end) occurs in
    the whole text, kept up to date from the paragraphs that changed rather than counted again."""

    def __init__(self):
        self.totals: dict[str, int] = {}
        self.asked: set[str] = set()

    def count(self, pattern: str, paras) -> int:
        self.asked.add(pattern)
        total = self.totals.get(pattern)
        if total is None:
            total = self.totals[pattern] = sum(phrase_count(p.memo, p.text, pattern) for p in paras)
        return total

    def update(self, removed, added) -> None:
        """Paragraphs gone and come since the last run ((memo, text) pairs, once per copy); phrases not asked
        for in the last run are forgotten."""
        totals = {}
        for pattern in self.asked:
            total = self.totals.get(pattern)
            if total is None:
                continue
            for memo, text in removed:
                total -= phrase_count(memo, text, pattern)
            for memo, text in added:
                total += phrase_count(memo, text, pattern)
            totals[pattern] = total
        self.totals, self.asked = totals, set()


def phrase_count(memo: dict, text: str, pattern: str) -> int:
    counts = memo.get("phrases")
    if counts is None:
        counts = memo["phrases"] = {}
    found = counts.get(pattern)
    if found is None:
        lower = memo.get("lower")
        if lower is None:
            lower = memo["lower"] = text.lower()
        found = counts[pattern] = len(re.findall(pattern, lower))
    return found


class Group:
    """Paragraphs kept together between runs (one section's narrative, or a whole text): what the checks
    gather from them (`Document.gather`) and their own findings are kept with them while they are unchanged."""
    __slots__ = ("paras", "cache")

    def __init__(self, paras: list[Para]):
        self.paras = paras
        self.cache: dict = {}

    def gather(self, name: str, extract) -> list[tuple[Para, object]]:
        """`Document.gather` over this group."""
        found = self.cache.get(name)
        if found is None:
            found = self.cache[name] = [(p, item) for p in self.paras for item in p.fact(name, extract)]
        return found


@dataclass
class Document:
    paras: list[Para]
    facts: Facts = None  # type: ignore[assignment]
    cache: dict = field(default_factory=dict)
    groups: list[Group] = None  # type: ignore[assignment]  # the paragraphs in groups (default: one)
    phrases: PhraseIndex = field(default_factory=PhraseIndex)
    # cross-paragraph results by what they were computed from: `kept` from the last run, `kept_now` this run's
    kept: dict = field(default_factory=dict)
    kept_now: dict = field(default_factory=dict)
    # while a paragraph's own findings are computed: the phrase counts they depended on
    asked: list | None = None

    def __post_init__(self):
        if self.groups is None:
            self.groups = [Group(self.paras)]

    def body(self):
        return [p for p in self.paras if p.text.strip()]

    def gather(self, name: str, extract) -> list[tuple[Para, object]]:
        """(paragraph, item) for each item of `para.fact(name, extract)` of every paragraph, in order: the
        index a cross-paragraph step works on, kept per group."""
        out = []
        for group in self.groups:
            found = group.gather(name, extract)
            if found:
                out += found
        return out

    def position(self, para: Para) -> int:
        """The index of a paragraph in `paras`."""
        k = para.order
        return k if k < len(self.paras) and self.paras[k] is para else self.paras.index(para)

    def count_phrase(self, pattern: str) -> int:
        """Matches of `pattern` in the lower-case text of the whole document (no match spans two paragraphs)."""
        total = self.phrases.count(pattern, self.paras)
        if self.asked is not None:
            self.asked.append((pattern, total))
        return total

    def remember(self, key, compute):
        """`compute()` for a cross-paragraph step, reused from the last run when `key` (what it reads) is the
        same."""
        found = self.kept_now.get(key)
        if found is None:
            found = self.kept.get(key)
            if found is None:
                found = compute()
            self.kept_now[key] = found
        return found

    @property
    def year(self) -> int | None:
        """The year the text is about: the report's date or period, else the latest date it writes."""
        if "year" not in self.cache:
            facts = self.facts
            if facts.report_date:
                year = facts.report_date.year
            elif facts.period_end:
                year = facts.period_end.year
            else:
                years = [y for _p, y in self.gather("latest_year", _latest_year)]
                year = max(years) if years else None
            self.cache["year"] = year
        return self.cache["year"]

    def finding(self, para: Para, code: str, category: str, severity: str, message: str,
                start: int | None = None, end: int | None = None, values: dict | None = None) -> Finding:
        loc = para.location
        return Finding(code, category, severity, message, section=loc.get("section", ""), field=loc.get("field", ""),
                       values=values or {}, line=loc.get("line"), paragraph=loc.get("paragraph"),
                       footnote=loc.get("footnote"), start=start, end=end)


def _latest_year(para) -> list[int]:
    years = [dr.date.year for dr in para.scan.dates if dr.date]
    return [max(years)] if years else []


def relocate(findings: list[Finding], location: dict) -> list[Finding]:
    """Findings of one paragraph moved to its new place."""
    from dataclasses import replace
    where = {"section": location.get("section", ""), "field": location.get("field", ""), "line": location.get("line"),
             "paragraph": location.get("paragraph"), "footnote": location.get("footnote")}
    return [replace(f, **where) for f in findings]


def build(body: list[str], footnotes: list[str] | None, location: str, section: str = "",
          scope: str = "", first_footnote: int = 1, start_order: int = 0, memos=None) -> list[Para]:
    """Paragraphs of one text. `location`: "line" (1-based) or "paragraph" (0-based). `memos(raw, is_footnote)`:
    the memo dict kept for that text (an incremental proofreader's), None for fresh ones."""
    paras = []
    for i, text in enumerate(body):
        loc = {"line": i + 1} if location == "line" else {"paragraph": i}
        if section:
            loc["section"] = section
        paras.append(_para(start_order + len(paras), text, loc, scope, False, memos))
    for k, text in enumerate(footnotes or []):
        loc = {"footnote": first_footnote + k}
        if section:
            loc["section"] = section
        paras.append(_para(start_order + len(paras), text, loc, scope, True, memos))
    return paras


def _para(order: int, text: str, loc: dict, scope: str, is_footnote: bool, memos) -> Para:
    raw = (text or "").replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    if memos is None:
        return Para(order, normalize(raw), loc, scope, is_footnote=is_footnote, raw=raw)
    memo = memos(raw, is_footnote)
    nfc = memo.get("text")
    if nfc is None:
        nfc = memo["text"] = normalize(raw)
    return Para(order, nfc, loc, scope, is_footnote=is_footnote, raw=raw, memo=memo)
