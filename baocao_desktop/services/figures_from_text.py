"""Figures from text: the indicator values an imported report states in its sentences (issue 15.5).

A Word report carries its figures in sentences ("Diện tích lúa mùa thực hiện đạt 549/650 ha, bằng 84,5%
kế hoạch"), not in fields. This module reads them back as proposals the clerk accepts or rejects; an
accepted value is stored like a typed one and checked like one. Two readings, most exact first:

- the indicator's own sentence pattern (the template's `sentence`, else domain.sentences' default), so every
  sentence the app itself generates is read back to the same values;
- free text: a clause (between ";" or sentence ends) that names the indicator (its label or a synonym of the
  indicator dictionary, resources/indicators.yaml, compared without case and diacritics) and then states a
  figure in the indicator's unit: "a/b" is the done and the plan, a figure after "lũy kế" the cumulative,
  one after "kế hoạch" the plan. Figures are found by the proofreader's reader (checks.proofread.reader.scan),
  which knows dates, document symbols and codes are not figures, and parsed by domain.numbers.

An indicator is looked for in the sections that list it (and their sub-sections) first; elsewhere only its
exact sentence pattern counts, and only a pattern that names the indicator.

A DOCX the app wrote carries every figure of its report in a custom XML part (document.figures_part), also
those the document does not print; `with_exported` adds them to the list, marked as the export's. The
printed text wins where it states a value the part does not (the clerk edited the document in Word): the
difference is said with the figure. Qt-free.
"""
from __future__ import annotations

import re
import string
from dataclasses import dataclass, replace
from decimal import Decimal

from ..checks.proofread.reader import scan
from ..domain import richtext
from ..domain.model import FIELD_LABELS
from ..domain.numbers import NumberFormatError, format_number, parse_number, percent, to_storage
from ..domain.orthography import CAPITAL
from ..domain.sentences import default_pattern
from ..templates.dictionary import load_dictionary
from ..templates.model import Indicator, Template
from ..templates.numbering import normalize_title

_NUMBER = r"[0-9]+(?:[.,][0-9]+)*"
_FIELDS = ("actual", "plan", "cumulative", "previous", "percent")
# how much of a label's words a clause must name before its figure
MIN_LABEL_SHARE = 0.8
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"“(]?" + CAPITAL + r")")
_CUMULATIVE_BEFORE = re.compile(r"lũy kế|luỹ kế|tổng cộng từ đầu năm|từ đầu năm", re.IGNORECASE)
_PLAN_BEFORE = re.compile(r"(?:kế hoạch|chỉ tiêu)(?:\s+(?:giao|năm|được giao|là|đề ra))?\s*:?\s*$", re.IGNORECASE)
_OF_PLAN_AFTER = re.compile(r"^\s*(?:so với\s+)?(?:kế hoạch|KH|chỉ tiêu)", re.IGNORECASE)


@dataclass(frozen=True)
class FigureProposal:
    """A value the text states for one field of one indicator."""
    indicator: str  # code
    field: str  # actual | plan | cumulative | previous
    value: Decimal
    label: str  # the indicator's label (for the list the clerk sees)
    unit: str
    section: str  # where the sentence is (section path)
    quote: str  # the sentence or clause that states it
    derived: bool = False  # computed from the stated figures (the plan of "đạt 100% kế hoạch")
    approximate: bool = False  # "khoảng 2 tấn"
    # "text": read from a sentence; "export": only in the figures the app's own export carries
    # (document.figures_part); "both": the sentence states what the export carries
    origin: str = "text"
    exported: Decimal | None = None  # the export carries another value: the sentence's wins (edited in Word)

    @property
    def key(self) -> tuple[str, str]:
        return self.indicator, self.field

    def description(self) -> str:
        """One Vietnamese line: "Diện tích lúa mùa – Thực hiện: 549 ha"."""
        note = " (suy ra)" if self.derived else " (số ước)" if self.approximate else ""
        unit = f" {self.unit}" if self.unit and self.unit != "%" else self.unit
        if self.origin == "export":
            note += " (lưu kèm tệp)"
        if self.exported is not None:
            note += f" (khác số lưu kèm tệp: {format_number(self.exported)}{unit}; lấy theo câu văn)"
        return f"{self.label} – {FIELD_LABELS[self.field]}: {format_number(self.value)}{unit}{note}"

    def to_json(self) -> dict:
        return {"indicator": self.indicator, "field": self.field, "value": format_number(self.value),
                "value_exact": to_storage(self.value), "label": self.label, "unit": self.unit,
                "section": self.section, "quote": self.quote, "derived": self.derived,
                "approximate": self.approximate, "origin": self.origin,
                "exported": None if self.exported is None else to_storage(self.exported)}


def fill_data(proposals) -> dict:
    """Proposals as `report fill` data ({"indicators": {code: {field: value}}}), to accept them later."""
    out: dict = {}
    for p in proposals:
        out.setdefault(p.indicator, {})[p.field] = format_number(p.value)
    return {"indicators": out}


# == the generated sentence, read back =================================================================
def _pattern_regex(indicator: Indicator) -> re.Pattern:
    pattern = indicator.sentence or default_pattern(indicator)
    parts, seen = [], set()
    for literal, name, _spec, _conv in string.Formatter().parse(pattern):
        parts += [re.escape(word) for word in literal.split()]
        if not name:
            continue
        if name in ("label", "unit"):
            parts += [re.escape(word) for word in getattr(indicator, name).split()]
        elif name in seen:
            parts.append(f"(?P={name})")
        else:
            seen.add(name)
            parts.append(f"(?P<{name}>{_NUMBER})")
    # any space optional: the generator drops spaces before punctuation and empty parts leave none
    return re.compile(r"(?<!\w)" + r"\s*".join(parts), re.IGNORECASE)


def _specific(indicator: Indicator) -> bool:
    """A sentence pattern that says which indicator it is wherever it stands: it names the label, or has
    three words besides the figures and the unit ("xã có {actual} {unit}" is read only in its own section)."""
    pattern = indicator.sentence or default_pattern(indicator)
    literal = " ".join(text for text, _name, _spec, _conv in string.Formatter().parse(pattern))
    return "{label}" in pattern or len(literal.split()) >= 3


def _read_pattern(indicator: Indicator, text: str) -> tuple[dict[str, Decimal], re.Match] | None:
    match = _pattern_regex(indicator).search(text)
    if match is None:
        return None
    values = {}
    for name, raw in match.groupdict().items():
        try:
            value = parse_number(raw)
        except NumberFormatError:
            return None
        if value is not None:
            values[name] = value
    return values, match


# == free text ==========================================================================================
def _words(text: str) -> set[str]:
    return set(normalize_title(text).split())


def _names(indicator: Indicator) -> list[set[str]]:
    """The word sets an indicator is named by: its label and the dictionary's label and synonyms."""
    names = [indicator.label]
    entry = load_dictionary().get(indicator.code)
    if entry is not None:
        names += [entry.label, *entry.synonyms]
    return [w for w in (_words(n) for n in dict.fromkeys(names)) if w]


def _pieces(text: str) -> list[list[str]]:
    """Each sentence's pieces: split at ";", ", " (a decimal comma has no space after it), "và" and "trong
    đó"; a piece without a figure is joined to the next one ("trong đó lao động có bằng cấp, chứng chỉ đạt
    32,0%"), one at the end of the sentence is dropped."""
    out = []
    for sentence in _SENTENCE_END.split(text):
        pieces, pending = [], ""
        for part in re.split(r";\s*|,\s+|\s+(?:và|trong đó)\s+", sentence):
            if re.search(r"[0-9]", part):
                pieces.append(f"{pending}, {part}" if pending else part)
                pending = ""
            else:
                pending = part  # only the piece just before: a list of items is no name
        out.append(pieces)
    return out


def _naming_share(indicator: Indicator, words: set[str]) -> tuple[float, int]:
    """How much of the indicator's best name the words contain: (share, words matched)."""
    return max(((len(name & words) / len(name), len(name & words)) for name in _names(indicator)), default=(0.0, 0))


def _same_unit(indicator: Indicator, figure) -> bool:
    if indicator.kind == "percent" or indicator.unit == "%":
        return figure.kind == "percent"
    if figure.kind == "percent":
        return False
    unit = normalize_title(indicator.unit)
    return bool(unit) and normalize_title(figure.unit).startswith(unit)


def _read_piece(indicator: Indicator, piece: str) -> dict[str, tuple[Decimal, bool]]:
    """{field: (value, approximate)} a piece about the indicator states (empty: none)."""
    out: dict[str, tuple[Decimal, bool]] = {}
    allowed = {"actual": indicator.actual, "plan": indicator.plan, "cumulative": indicator.cumulative,
               "percent": indicator.plan}

    def put(name: str, value: Decimal, approx: bool) -> None:
        if allowed.get(name) and name not in out:
            out[name] = (value, approx)

    for figure in scan(piece).figures:
        if figure.in_range:
            continue
        before = piece[max(0, figure.start - 40):figure.start]
        if figure.kind == "percent" and not _same_unit(indicator, figure):
            if _OF_PLAN_AFTER.match(piece[figure.end:]):
                put("percent", figure.value, figure.approx)
            continue
        if not _same_unit(indicator, figure) or figure.scale != 1:
            continue
        cumulative = bool(_CUMULATIVE_BEFORE.search(before)) or not indicator.actual
        done = "cumulative" if cumulative and indicator.cumulative else "actual"
        if figure.kind == "fraction":
            put(done, figure.value, figure.approx)
            if figure.den is not None:
                put("plan", figure.den, figure.approx)
        elif _PLAN_BEFORE.search(before):
            put("plan", figure.value, figure.approx)
        else:
            put(done, figure.value, figure.approx)
    return out


def _free_text(indicators: list[Indicator], text: str):
    """(indicator, piece) for each piece of the text that names one of `indicators` (the best named; a
    piece naming none continues the sentence's last one)."""
    for sentence in _pieces(text):
        current = None
        for piece in sentence:
            words = _words(piece)
            scored = [(_naming_share(ind, words), i) for i, ind in enumerate(indicators)]
            best = max(scored, default=None)
            if best is not None and best[0][0] >= MIN_LABEL_SHARE:
                current = indicators[best[1]]
            if current is not None:
                yield current, piece


# == the whole report ===================================================================================
def _paragraph_texts(markup: str | None) -> list[str]:
    """The plain text of each paragraph and of each footnote paragraph."""
    out = []
    for paragraph in richtext.parse(markup):
        out.append("".join(x.text for x in paragraph if isinstance(x, richtext.Run)))
        for note in (x for x in paragraph if isinstance(x, richtext.Footnote)):
            out += ["".join(r.text for r in p) for p in note.paragraphs]
    return [t for t in out if t.strip()]


def extract_figures(template: Template, texts: dict[str, str], own_sentences: bool = False) -> list[FigureProposal]:
    """The values the texts (section path → richtext markup) state for the template's indicators, in the
    template's order; at most one per field, the exact sentence pattern before free text.
    `own_sentences`: the texts are the app's own export of this template (it carries a figures part), so an
    indicator's own sentence is surely its own even when its printed % no longer agrees (edited by hand)."""
    paragraphs = {path: _paragraph_texts(markup) for path, markup in texts.items()}
    homes: dict[str, list[str]] = {}
    for section in template.walk():
        for code in section.indicators:
            homes.setdefault(code, []).append(section.path)
    stated: dict[str, dict[str, tuple]] = {}  # code → field → (value, approximate, section, quote)
    # the exact sentences: in the indicator's own sections first, the longest first (one pattern can be the
    # beginning of another: "… hồ sơ đang giải quyết" and "… hồ sơ đang giải quyết đã quá hạn")
    found = []
    for order, indicator in enumerate(template.indicators):
        home = homes.get(indicator.code, [])
        anywhere = _specific(indicator)
        for path, texts_of in paragraphs.items():
            if not anywhere and not _under(path, home):
                continue
            for index, text in enumerate(texts_of):
                read = _read_pattern(indicator, text)
                if read is not None:
                    found.append((not _under(path, home), -len(read[1].group()), order, path, index, indicator, read))
    figures: dict[tuple[str, int], set[int]] = {}  # where the figures already read are
    exact: set[str] = set()  # indicators read by their own sentence pattern
    read: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for _, _, _, path, index, indicator, (values, match) in sorted(found, key=lambda x: x[:3]):
        spans = {match.start(name) for name in match.groupdict() if match.group(name) is not None}
        # two sentences may share words ("… 02 cuộc giám sát đối với 20 tổ chức đảng"), never a figure
        if indicator.code in stated or spans & figures.setdefault((path, index), set()):
            continue
        figures[(path, index)] |= spans
        read.setdefault((path, index), []).append(match.span())
        stated[indicator.code] = {name: (value, False, path, match.group()) for name, value in values.items()}
        exact.add(indicator.code)
    for (path, index), spans in read.items():  # those sentences are read: free text must not read them again
        text, merged = paragraphs[path][index], []
        for start, end in sorted(spans):
            if merged and start < merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        for start, end in reversed(merged):
            text = text[:start] + ";" + text[end:]
        paragraphs[path][index] = text
    for path, texts_of in paragraphs.items():  # free text, about the indicators of the section it is in
        local = [ind for ind in template.indicators if _under(path, homes.get(ind.code, []))]
        for text in texts_of:
            for indicator, piece in _free_text(local, text):
                for name, (value, approx) in _read_piece(indicator, piece).items():
                    stated.setdefault(indicator.code, {}).setdefault(name, (value, approx, path, piece))
    out: list[FigureProposal] = []
    for indicator in template.indicators:
        out += _proposals(indicator, stated.get(indicator.code, {}), own_sentences and indicator.code in exact)
    return out


def _under(path: str, homes: list[str]) -> bool:
    return any(path == h or path.startswith(h + ".") for h in homes)


def _proposals(indicator: Indicator, stated: dict, exact: bool = False) -> list[FigureProposal]:
    """`exact`: read by the indicator's own sentence pattern in the app's own export, so surely its figures
    even when the printed percentage no longer agrees with them (a figure edited in Word, the % left as it
    was): the figures are what the report stores, the percentage is computed again from them."""
    if not stated:
        return []
    fields = {name: v for name, v in stated.items() if name in ("actual", "plan", "cumulative", "previous")}
    derived: set[str] = set()
    stated_percent = stated.get("percent")
    base = fields.get(indicator.percent_base)
    if indicator.plan and "plan" not in fields and stated_percent and base and stated_percent[0] == 100:
        fields["plan"] = base  # "đạt 100% kế hoạch": the plan is what was done
        derived.add("plan")
    if stated_percent and "plan" in fields and base and "plan" not in derived:
        computed = percent(base[0], fields["plan"][0], indicator.percent_decimals)
        if computed is not None and abs(computed - stated_percent[0]) > 1 and not exact:
            return []  # the percentage contradicts the figures: the clause is not this indicator's
    return [FigureProposal(indicator.code, name, value, indicator.label, indicator.unit, section, quote,
                           derived=name in derived, approximate=approx)
            for name in ("actual", "plan", "cumulative", "previous") if name in fields
            for value, approx, section, quote in (fields[name],)]



# == the figures the app's own export carries ============================================================
EXPORTED_QUOTE = "số liệu lưu kèm tệp do BaoCao xuất"
MAX_DIFFERENCES_SAID = 5


def with_exported(template: Template, proposals: list[FigureProposal], part) -> tuple[list[FigureProposal], list[str]]:
    """The proposals with the figures a document.figures_part.FiguresPart carries: a figure the text does
    not state is added (origin "export"), one it states the same is marked "both", one it states otherwise
    keeps the text's value and says the export's (`exported`). Returns (proposals in the template's order,
    Vietnamese notes for the list). A part of another template is ignored (said in the notes)."""
    from ..domain.dates import format_date
    if part.template_code != template.code:
        return proposals, [f"Số liệu lưu kèm tệp (do BaoCao xuất) là của mẫu “{part.template_code}”, không phải "
                           f"mẫu “{template.name}” đang chọn, nên bị bỏ qua; số liệu chỉ lấy từ câu văn."]
    stated = {p.key: p for p in proposals}
    homes: dict[str, str] = {}
    for section in template.walk():
        for code in section.indicators:
            homes.setdefault(code, section.path)
    out, differ, used = [], [], 0
    for indicator in template.indicators:
        carried = part.values.get(indicator.code, {})
        allowed = {"actual": indicator.actual, "plan": indicator.plan, "cumulative": indicator.cumulative,
                   "previous": indicator.cumulative}
        for name in ("actual", "plan", "cumulative", "previous"):
            text, value = stated.get((indicator.code, name)), carried.get(name) if allowed[name] else None
            used += value is not None
            if text is None:
                if value is not None:
                    out.append(FigureProposal(indicator.code, name, value, indicator.label, indicator.unit,
                                              homes.get(indicator.code, ""), EXPORTED_QUOTE, origin="export"))
            elif value is None:
                out.append(text)
            elif value == text.value:
                out.append(replace(text, origin="both"))
            else:
                out.append(replace(text, exported=value))
                differ.append(out[-1])
    notes = [f"Tệp do BaoCao xuất (mẫu “{template.name}”, kỳ {format_date(part.period_start)} – "
             f"{format_date(part.period_end)}) có kèm {part.count()} số liệu, cả những số văn bản không in: số "
             f"nào câu văn không nêu được đề xuất với ghi chú “lưu kèm tệp”."]
    if part.template_version != template.version:
        notes.append(f"Số liệu lưu kèm theo phiên bản {part.template_version} của mẫu, đang dùng phiên bản "
                     f"{template.version}: chỉ lấy số của các chỉ tiêu phiên bản này có.")
    if part.count() > used:
        notes.append(f"{part.count() - used} số liệu lưu kèm không thuộc chỉ tiêu nào của mẫu nên bị bỏ qua.")
    if differ:
        said = "; ".join(p.description() for p in differ[:MAX_DIFFERENCES_SAID])
        more = f" và {len(differ) - MAX_DIFFERENCES_SAID} số khác" if len(differ) > MAX_DIFFERENCES_SAID else ""
        notes.append(f"{len(differ)} số liệu câu văn ghi khác số lưu kèm tệp (văn bản đã được sửa, có thể trong "
                     f"Word): lấy theo câu văn — {said}{more}.")
    listed = {p.key for p in out}
    out += [p for p in proposals if p.key not in listed]  # a field the indicator does not have: as before
    return out, notes
