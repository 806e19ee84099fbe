r"""Which lines of a document are headings: one recognizer for outlines and imported reports.

Used by templates.outline (a template from an outline) and services.docx_import (a Word report into a
template's sections). Input: the document's lines (text, and bold / a Heading style when known).

How a line is judged (nothing is tuned to one document):
- Markdown is read first: `#` headings and `**…**` are emphasis, `\*` `\.` escapes are plain characters,
  a `-----` rule is dropped (under a line of text it makes that line a heading, as in Markdown);
- a heading wrapped over two lines (text copied from a PDF) is joined: a numbered or capital line
  without final punctuation followed by an unnumbered line that continues it (lower case, or capitals
  after capitals);
- every numbered line gets a marker *type* (roman + ".", arabic + ")", a letter + ")", "1.1." depth 2,
  a dash...). Levels follow the order in which types are first met: a type already open is a sibling
  there, a new type is a child of the current heading. Only a few orders are fixed: Phần > Chương >
  (Mục, A., I., unnumbered capitals) > (1., 1.1., a), 1)) > bullets, and 1. > 1.1. > 1.1.1.;
- a numbered line is a heading or a list item inside the text. The decision weighs the marker type,
  the length of the title, capitals, bold or a Heading style, the final punctuation (";" and "," end
  list items), whether it continues the sequence of its open siblings (a "1." while "3." is open
  restarts a list), a line ending with ":" just before it, and whether the next line of the same type
  continues it. Bold counts for a line and, when missing, against it only where the writer bolds
  other lines of the same type (plain a)–d) under a bold "2." are still headings);
- a title is kept whole whatever its punctuation (";" inside a long official title); text after a
  colon on a short heading line is the run-in text of that heading.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .numbering import Marker, follows, is_caps, is_first, parse_marker, word_count

# how much a marker type says "heading" before the rest of the line is weighed
_BASE_SCORE = {"part": 4.0, "chapter": 4.0, "muc": 3.0, "roman": 3.0, "upper": 2.5, "heading": 6.0,
               "caps": 1.0, "num.": 1.5, "num/": 1.5, "multi": 2.0, "alpha)": 1.0, "alpha.": 0.8,
               "num)": 0.5, "paren": -0.5, "bullet": 0.0}

HEADING_THRESHOLD = 1.5


# == lines =========================================================================================
@dataclass
class Line:
    text: str
    bold: bool | None = None  # None: unknown (plain text)
    heading_level: int | None = None  # Heading 1..9 style or outline level (.docx)
    auto_number: bool = False  # the number came from Word's list numbering
    span: int = 1  # source lines it stands for (a heading wrapped over two lines, joined: 2)


# == Markdown ======================================================================================
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(?P<text>.*?)(?:\s+#+)?\s*$")
_MD_RULE = re.compile(r"^\s{0,3}(?P<char>[-*_=])(?:\s*(?P=char)){2,}\s*$")
_MD_STRONG = re.compile(r"\*\*(?=\S)(?P<a>.+?)(?<=\S)\*\*|__(?=[^\s_])(?P<b>.+?)(?<=[^\s_])__")
_MD_EMPHASIS = re.compile(r"(?<![*\w\\])\*(?=[^\s*])(?P<text>[^*]+?)(?<=[^\s*\\])\*(?![*\w])")
_MD_ESCAPE = re.compile(r"\\(?P<char>[\\`*_{}\[\]()#+\-.!|>~<])")
_MD_QUOTE = re.compile(r"^\s*(?:>\s?)+")
_MD_LIST = re.compile(r"^\s*(?:[-*+]|\d{1,2}\\?\.)\s+")


def looks_like_markdown(texts: list[str]) -> bool:
    """Text from a chat tool or a web page: `#` headings, `**strong**`, or several `\\*` escapes."""
    marks = sum(1 for text in texts if _MD_HEADING.match(text) or _MD_STRONG.search(text))
    escapes = sum(1 for text in texts if _MD_ESCAPE.search(text))
    return marks >= 2 or escapes >= 3


def read_markdown(lines: list[Line]) -> list[Line]:
    """Markdown marks → the formatting they stand for: a `#` heading or a line led by `**…**` is bold,
    `*…*` and the marks around strong text are dropped, `\\*` `\\.` `\\-` are plain characters, a rule
    (`-----`, `***`) is dropped, and under a line of text (`Title` / `-----`) makes it bold. A
    list bullet in front of a numbered heading (`- **a) …**`) is dropped. Other text is returned as is;
    in a Markdown text, a line without marks is known to be plain (bold False)."""
    if not looks_like_markdown([line.text for line in lines]):
        return lines
    out: list[Line] = []
    for line in lines:
        text = line.text
        rule = _MD_RULE.match(text)
        if rule:
            if rule.group("char") in "-=" and out and out[-1].text.strip() and parse_marker(out[-1].text) is None:
                out[-1].bold = True  # a setext heading: the line above is the heading
            out.append(Line("", line.bold, line.heading_level, line.auto_number, line.span))
            continue
        heading = _MD_HEADING.match(text)
        strong = heading is not None
        if heading:
            text = heading.group("text")
        text = _MD_QUOTE.sub("", text)
        lead = _MD_LIST.match(text)
        first = _MD_STRONG.search(text)
        if first and (first.start() == 0 or (lead and first.start() == lead.end())
                      or (parse_marker(text) and first.start() <= len(text) - len(parse_marker(text).rest))):
            strong = True  # "**1. Title**", "- **a) Title:** text", "1. **Title**"
        text = _MD_STRONG.sub(lambda m: m.group("a") or m.group("b"), text)
        text = _MD_EMPHASIS.sub(lambda m: m.group("text"), text)
        text = _MD_ESCAPE.sub(lambda m: m.group("char"), text).strip()
        marker = parse_marker(text)
        if marker is not None and marker.family == "bullet":
            inner = parse_marker(marker.rest)
            if inner is not None and inner.family != "bullet":
                text = marker.rest  # "- a) Title": the list bullet of the Markdown, not of the outline
        bold = True if strong else (line.bold if line.bold else False)
        out.append(Line(text, bold, line.heading_level, line.auto_number, line.span))
    return out


# == wrapped lines =================================================================================
_WRAP_MIN = 55  # characters: a line cut by the page width is long; a shorter line is complete
_WRAP_END = re.compile(r"[.:;,!?…)\]”\"]$")


def join_wrapped(lines: list[Line]) -> list[Line]:
    """A heading wrapped over two lines (text copied from a PDF, a line break in Word) → one line."""
    out: list[Line] = []
    for line in lines:
        if out and _continues(out[-1], line):
            prev = out[-1]
            out[-1] = Line(f"{prev.text} {line.text}", prev.bold, prev.heading_level, prev.auto_number,
                           prev.span + line.span)
        else:
            out.append(line)
    return out


def _continues(prev: Line, line: Line) -> bool:
    """Does `line` continue the numbered or capital line `prev` cut short by the page width?"""
    text = line.text.strip()
    if not text or parse_marker(text) is not None or prev.heading_level != line.heading_level:
        return False
    if prev.bold is not None and line.bold is not None and prev.bold != line.bold:
        return False
    marker = parse_marker(prev.text)
    head = marker.rest if marker is not None else prev.text
    if len(prev.text) < _WRAP_MIN or not head or _WRAP_END.search(head) or _PLACEHOLDER.search(head):
        return False
    if marker is None and not is_caps(head):
        return False
    if text[0].islower():
        return not is_caps(head)
    return is_caps(head) and is_caps(text) and word_count(text) <= 15


_INSTRUCTION_START = re.compile(
    r"^(?:nêu|nêu rõ|đánh giá|làm rõ|phân tích|báo cáo|thống kê|tổng hợp|cung cấp|cho biết|trình bày|"
    r"kiểm điểm|liệt kê|mô tả|tập trung|chú ý|lưu ý|yêu cầu|đề nghị|đề xuất|kèm theo|ghi rõ|ví dụ|"
    r"chỉ rõ|xác định|so sánh|dự báo)\b", re.IGNORECASE)
_CONNECTOR = re.compile(r"^(?:trong đó|cụ thể|cụ thể là|như sau|cụ thể như sau|bao gồm|gồm|gồm có|ví dụ|"
                        r"chẳng hạn|tức là|kết quả như sau)\s*:?$", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"…|\.{3,}|_{3,}")
_SENTENCE_BREAK = re.compile(r"[.?!]\s+[A-ZĐÀ-Ỹ]")


def _split_inline(rest: str) -> tuple[str, str]:
    """ "Công tác tuyên truyền: nêu rõ số hội nghị" → ("Công tác tuyên truyền", "Nêu rõ số hội nghị")."""
    rest = rest.strip()
    colon = rest.find(":")
    if 0 < colon < len(rest) - 1:
        head, tail = rest[:colon].strip(), rest[colon + 1:].strip()
        if head and word_count(head) <= 15 and word_count(tail) >= 2 and not re.search(r"\d$", head):
            return head, tail
    m = re.match(r"^(?P<head>.*\S)\s*\((?P<note>[^()]{3,})\)\s*[.:]?$", rest)
    if m and word_count(m.group("note")) >= 3 and word_count(m.group("head")) >= 1:
        return m.group("head").strip(), m.group("note").strip()
    return rest, ""  # a long title stays whole, whatever its punctuation


def title_and_run_in(rest: str) -> tuple[str, str]:
    """The text after a heading's number → (its title, the run-in text after it on the same line)."""
    head, tail = _split_inline(rest)
    return _clean_title(head), tail


def _clean_title(title: str) -> str:
    title = title.strip()
    if len(title) > 1 and title[0] in "“\"" and title[-1] in "”\"":
        title = title[1:-1]
    title = re.sub(r"\s*[:.;,]+$", "", title).strip()
    return title


# a blank to fill in ("……… ha", "đạt …%"), not an ellipsis glued to a word ("thắng cố…")
BLANK = re.compile(r"(?:^|(?<=[\s:(]))(?:…+|\.{3,}|_{3,})")
# a clause that starts by naming a quantity asks for it ("Diện tích gieo trồng: ... ha; sản lượng ...")
MEASURE_START = re.compile(r"^(?:tổng số|số lượng|t[ỷỉ] lệ|diện tích|sản lượng|năng suất|tổng đàn|tổng thu|"
                            r"tổng chi|thu ngân sách|chi ngân sách|tổng vốn|giá trị sản xuất|thu nhập bình quân|"
                            r"tốc độ tăng trưởng|dân số)\b", re.IGNORECASE)


# == the recognizer ================================================================================
@dataclass
class Heading:
    """A line judged a heading, with the headings under it and the text lines that follow it."""
    marker: Marker
    title: str
    tail: str  # run-in text after the title on the same line ("a) Trồng trọt: diện tích …")
    line: int  # index of its line in the recognizer's input
    span: int = 1  # lines it takes ("PHẦN THỨ NHẤT" with its title on the next line: 2)
    children: list["Heading"] = field(default_factory=list)
    body: list[str] = field(default_factory=list)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class _Open:
    kind: str
    marker: Marker
    heading: Heading
    last: Marker


class HeadingTree:
    """The headings of a list of lines: `roots` (a tree), `intro` (text before the first heading) and
    `by_line` (line index → Heading). The title of a heading may take the next line (see run)."""

    def __init__(self, lines: list[Line]):
        self.lines = lines
        self.markers = [parse_marker(line.text) for line in lines]
        self.stack: list[_Open] = []
        self.roots: list[Heading] = []
        self.by_line: dict[int, Heading] = {}
        self.intro: list[str] = []
        self.last_of_kind: dict[str, Marker] = {}  # last heading of each type anywhere
        self.last_item: Marker | None = None  # the last numbered line judged a list item
        self.last_bullet_item: str | None = None  # kind of the last bullet judged a list item
        self.prev_body: str | None = None  # the body line just before (None after a heading)
        self.uses_bold = any(line.bold for line in lines if line.bold is not None) and any(
            line.bold is False for line in lines)
        # the types the writer sets in bold: a plain line of such a type is likely text, not a heading
        self.bold_kinds = {marker.kind for marker, line in zip(self.markers, lines) if marker and line.bold}
        self.uses_styles = sum(1 for line in lines if line.heading_level) >= 2

    def run(self) -> "HeadingTree":
        i = 0
        while i < len(self.lines):
            line = self.lines[i]
            marker = self.markers[i]
            if line.heading_level:
                typed = marker
                marker = Marker("heading", f"heading{line.heading_level}", typed.number if typed else "",
                                typed.value if typed else 0, typed.rest if typed else line.text,
                                depth=line.heading_level, prefix=typed.prefix if typed else (),
                                letter=typed.letter if typed else "", alias=typed.kind if typed else "")
            if marker is None and self.stack and is_caps(line.text) and word_count(line.text) <= 15 \
                    and not re.search(r"[;,]$", line.text):
                marker = Marker("caps", "caps", "", 0, line.text)
            if marker is None or (marker.family == "bullet" and not marker.rest):
                self._body(line.text)
                i += 1
                continue
            consumed = 0
            rest = marker.rest
            if not rest and i + 1 < len(self.lines) and self.markers[i + 1] is None \
                    and word_count(self.lines[i + 1].text) <= 30:
                rest = self.lines[i + 1].text  # "PHẦN THỨ NHẤT" / "KẾT QUẢ ..." on the next line
                consumed = 1
            marker.rest = rest
            score = self._score(i, line, marker)
            if score >= HEADING_THRESHOLD:
                self._heading(marker, i, consumed)
                i += 1 + consumed
            else:
                if marker.family == "bullet":
                    self.last_bullet_item = marker.kind
                else:
                    self.last_item = marker
                self._body(line.text)
                i += 1
        self._trailing_notes()
        return self

    def _trailing_notes(self) -> None:
        """ "Ghi chú: gửi báo cáo trước ngày ..." after the last heading is about the whole outline."""
        if not self.roots:
            return
        lines = list(self.roots[-1].walk())[-1].body
        for index, text in enumerate(lines):
            if re.match(r"^(?i:ghi chú|lưu ý|chú ý|yêu cầu chung)\b", text):
                self.intro += lines[index:]
                del lines[index:]
                break

    # -- decisions ---------------------------------------------------------------------------------
    def _position(self, marker: Marker) -> int | None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index].kind == marker.kind or self.stack[index].marker.alias == marker.kind:
                return index
        return None

    def _score(self, i: int, line: Line, marker: Marker) -> float:
        head, tail = _split_inline(marker.rest)
        text = marker.rest
        score = _BASE_SCORE.get(marker.score_key, 1.0)
        if marker.family == "heading":
            return score
        words = word_count(head)
        strong = score >= 2.0  # Phần, I., A., 1.1.: long official titles are still headings
        if words == 0:
            score += 0.5
        elif words <= 12:
            score += 1.0
        elif words <= 20:
            score += 0.5
        elif words <= 30:
            score -= 0.5
        elif strong or not re.search(r"[.;,:!?…]$", text):
            # long official titles end without punctuation; sentences of the text end with one
            score -= 1.0 + (0.5 if words > 45 else 0.0)
        else:
            score -= 2.0 + (1.0 if words > 45 else 0.0)
        if tail and word_count(tail) > 40:
            score -= 1.0
        end = text.rstrip()[-1:] if text.strip() else ""
        if end in ";,":
            score -= 2.5
        elif end == "." and not tail:
            score -= 1.5 if _SENTENCE_BREAK.search(text) else 0.3
        elif end == "?":
            score -= 1.0
        if is_caps(head):
            score += 3.0
        elif head[:1].islower():
            score -= 1.0
        if line.heading_level:
            score += 6.0
        elif self.uses_styles:
            score -= 1.0
        if self.uses_bold and line.bold:
            score += 1.5
        elif self.uses_bold and line.bold is False and marker.kind in self.bold_kinds:
            score -= 1.5
        if re.match(r"^\d", head):
            score -= 1.0
        if marker.family == "bullet":
            score += self._bullet_score(head, tail, text)
        if marker.family == "caps":
            return score if self.prev_body is None or not self.prev_body.endswith(":") else score - 1.5
        score += self._sequence_score(i, marker)
        return score

    def _bullet_score(self, head: str, tail: str, text: str) -> float:
        score = 0.0
        if word_count(head) <= 12:
            score += 1.0
        if _INSTRUCTION_START.match(head) or _PLACEHOLDER.search(head if tail else text):
            score -= 5.0  # an instruction or a blank to fill in is guidance, not a heading
        if _CONNECTOR.match(head):
            score -= 5.0
        if tail and BLANK.search(tail) and (MEASURE_START.match(head) or re.match(r"(?i:số)\s", head)):
            score -= 5.0  # "- Số dịch vụ công trực tuyến: …… dịch vụ" is a field to fill in
        if tail and word_count(tail) > 25:
            score -= 2.0
        if tail and re.search(r"\d", tail) and not _PLACEHOLDER.search(tail):
            score -= 1.0  # "- Về trình độ: Thạc sĩ 8, Đại học 24": figures of a report, not a topic
        if re.search(r"\d", head):
            score -= 1.0
        if text.rstrip().endswith(".") and not tail:
            score -= 1.0
        return score

    def _sequence_score(self, i: int, marker: Marker) -> float:
        if marker.family == "bullet":
            score = 0.0 if self.prev_body is None or not self.prev_body.endswith(":") else -1.0
            if self.last_bullet_item == marker.kind:
                # the next item of a bulleted list already judged as text
                score -= 1.5 if re.search(r"[.;,:]$", marker.rest) else 0.5
            return score
        score = 0.0
        position = self._position(marker)
        if position is not None:
            last = self.stack[position].last
            if follows(marker, last):
                score += 1.5
            elif is_first(marker):
                score -= 3.0  # a list restarting inside the text
            elif marker.value == last.value:
                score -= 0.5
            else:
                score -= 1.0
            if marker.family == "multi" and position > 0:
                parent = self.stack[position - 1].marker
                if parent.family in ("num", "multi") and self._value_path(parent) != marker.prefix:
                    score -= 1.0
        else:
            previous = self.last_of_kind.get(marker.kind)
            if is_first(marker):
                score += 0.5
            elif previous is not None and follows(marker, previous):
                score += 0.5  # numbering continued across parents (I. 1. 2. II. 3. 4.)
            else:
                score -= 1.5
            if marker.family == "multi" and self.stack:
                parent = self.stack[-1].marker
                if parent.family in ("num", "multi") and self._value_path(parent) == marker.prefix:
                    score += 1.0
            if self.prev_body is not None and self.prev_body.rstrip().endswith(":"):
                score -= 1.5  # "... gồm:" followed by a list
        if self.last_item is not None and self.last_item.kind == marker.kind and \
                (follows(marker, self.last_item) or marker.value == self.last_item.value):
            score -= 2.0  # the next item of a list already judged as text
        following, gap = self._next_same_kind(i, marker)
        if following is not None and follows(following, marker):
            score += 0.5
            if gap and word_count(following.rest) <= 20 and not re.search(r"[.;,]$", following.rest):
                score += 0.5  # the next one is plainly a heading, with text between: a sibling
        elif following is not None and following.value == marker.value and position is not None:
            score -= 1.5  # "1. 2. 3." inside the text, and the real "3." comes later
        return score

    def _value_path(self, marker: Marker) -> tuple:
        return tuple(marker.prefix) + (marker.value,)

    def _next_same_kind(self, i: int, marker: Marker) -> tuple[Marker | None, bool]:
        """The next line numbered like this one (unless a higher level comes first), and whether
        other lines stand between them."""
        for j in range(i + 1, min(len(self.lines), i + 120)):
            other = self.markers[j]
            if other is None:
                continue
            if other.rank < marker.rank:
                return None, False
            if other.kind == marker.kind:
                return other, j > i + 1
        return None, False

    # -- building ----------------------------------------------------------------------------------
    def _heading(self, marker: Marker, index: int, consumed: int) -> None:
        position = self._position(marker)
        caps_level = next((k for k, entry in enumerate(self.stack) if is_caps(entry.heading.title)), None)
        if position is not None:
            del self.stack[position:]
        elif marker.family == "caps" and caps_level is not None:
            del self.stack[caps_level:]  # an unnumbered CAPITAL heading sits beside the capital headings
        else:
            while self.stack and self._weaker(self.stack[-1].marker, marker):
                self.stack.pop()
        title, tail = title_and_run_in(marker.rest)
        heading = Heading(marker, title, tail, index, span=1 + consumed)
        if self.stack:
            self.stack[-1].heading.children.append(heading)
        else:
            self.roots.append(heading)
        self.by_line[index] = heading
        self.stack.append(_Open(marker.kind, marker, heading, marker))
        self.last_of_kind[marker.kind] = marker
        self.last_item = None
        self.last_bullet_item = None
        self.prev_body = None

    @staticmethod
    def _weaker(open_marker: Marker, new: Marker) -> bool:
        """Is the open heading a lower level than the new type (so the new one closes it)?"""
        if open_marker.rank != new.rank:
            return open_marker.rank > new.rank
        arabic = ("num.", "num/", "multi")
        if open_marker.kind.startswith(arabic) and new.kind.startswith(arabic):
            return open_marker.depth > new.depth  # "1.1.1." then "1.1." or "2."
        if open_marker.family == new.family == "heading":
            return open_marker.depth > new.depth
        return False

    def _body(self, text: str) -> None:
        if self.stack:
            self.stack[-1].heading.body.append(text)
        else:
            self.intro.append(text)
        self.prev_body = text


