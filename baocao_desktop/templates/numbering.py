"""The numbering at the start of a line of an outline or a report ("Phần thứ nhất", "I.", "A.", "1.",
"1.1.", "2.1/", "a)", "(1)", "-", "+"...) and the text helpers the heading recognizer
(templates.headings) and the outline reader share. A marker says what a line's numbering is, not
yet whether the line is a heading."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# == text helpers ===================================================================================
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_SPACES = re.compile(r"[ \t\u00a0\u2002\u2003\u2009\u200b\u202f\ufeff]+")


def fold(text: str) -> str:
    """Lower case without diacritics (đ → d), for matching words."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def normalize_title(text: str) -> str:
    """Lower case, no diacritics (đ → d), no punctuation, single spaces: for comparing titles and labels."""
    return " ".join(re.sub(r"[^\w\s]", " ", fold(text)).split())


def slugify(text: str, limit: int = 48) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", fold(text)).strip("_")
    if len(slug) > limit:
        cut = slug[:limit + 1]
        slug = cut[:cut.rfind("_")] if "_" in cut[8:] else slug[:limit]
    slug = slug.strip("_")
    if slug and not slug[0].isalpha():
        slug = "so_" + slug
    return slug


def clean_line(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = _BOOKMARK.sub("", text)
    text = _SPACES.sub(" ", text).strip()
    # footnote reference marks glued to a word ("ban hành¹¹")
    text = re.sub(rf"(?<=[^\s{SUPERSCRIPTS}])[{SUPERSCRIPTS}]+(?=[\s,.;:]|$)", "", text)
    return text


def is_caps(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < 6:
        return False
    upper = sum(1 for ch in letters if ch.isupper())
    return upper / len(letters) >= 0.9 and len(text.split()) >= 2


def word_count(text: str) -> int:
    return len(text.split())


def capitalize_first(text: str) -> str:
    return text[:1].upper() + text[1:]


# == markers =======================================================================================
BULLET_KINDS = {"dash", "plus", "star", "bullet"}
_ORDINALS = {"nhất": 1, "một": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7,
             "tám": 8, "chín": 9, "mười": 10}
VN_LOWER = "abcdđeghiklmnopqrstuvxy"
LATIN_LOWER = "abcdefghijklmnopqrstuvwxyz"
_ROMAN_RE = re.compile(r"^(?:XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}

_PART = re.compile(
    r"^(?P<word>(?i:phần|chương|mục))\s+(?P<num>(?i:thứ\s+(?:nhất|một|hai|ba|tư|bốn|năm|sáu|bảy|tám|chín|mười))"
    r"|[IVXL]{1,6}|\d{1,2}|[A-Z])(?=$|[\s.:\-–—)])\s*[.:\-–—)]?\s*(?P<rest>.*)$")
_ROMAN = re.compile(r"^(?P<num>[IVXL]{1,7})(?P<sep>\s?[.\-–—:)]|\.)(?=\s|$|[^\W\d_])\s*(?P<rest>.*)$")
_ROMAN_BARE = re.compile(r"^(?P<num>[IVXL]{1,7})\s+(?P<rest>\S.*)$")  # "IV NHIỆM VỤ ..." (caps title only)
_UPPER = re.compile(r"^(?P<num>[A-ZĐ])(?P<sep>[.)]|\s?[\-–—](?=\s))(?=\s|$|[^\W\d_])\s*(?P<rest>.*)$")
_MULTI = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){1,4})(?P<sep>[./]?)(?=\s|$|[^\W\d_])\s*(?P<rest>.*)$")
_ROMAN_MULTI = re.compile(r"^(?P<num>[IVXL]{1,6}(?:\.\d{1,2}){1,3})(?P<sep>\.?)(?=\s|$|[^\W\d_])\s*(?P<rest>.*)$")
_NUM = re.compile(r"^(?P<num>\d{1,2})(?P<sep>[.)/])(?=\s|$|[^\W\d_])\s*(?P<rest>.*)$")
_PAREN = re.compile(r"^\((?P<num>\d{1,2}|[a-zđ])\)\s*(?P<rest>.*)$")
_ALPHA = re.compile(r"^(?P<num>[a-zđ])(?P<sep>[).])(?=\s|$|[^\W\d_])\s*(?P<rest>.*)$")
_BULLET = re.compile(r"^(?P<num>[-–—•●▪◦∙·*+➢►✓\uf0a7\uf0b7\uf0d8\uf076\uf0fc])\s*(?P<rest>[^\s\d].*)$")

# Phần > Chương > (Mục, A., I., capitals, heading styles) > (1., 1.1., a), 1)) > bullets
_RANK = {"part": 0, "chapter": 1, "muc": 2, "upper": 2, "roman": 2, "caps": 2, "heading": 2,
         "num": 3, "alpha": 3, "paren": 3, "bullet": 4}


@dataclass
class Marker:
    family: str  # part, chapter, muc, roman, upper, num, multi, alpha, paren, bullet, caps, heading
    kind: str  # the type key levels are inferred from
    number: str  # as printed
    value: int  # position in its sequence (1 = first)
    rest: str  # the text after the marker
    depth: int = 1  # 1.1.1. → 3; heading style level
    prefix: tuple = ()  # 2.3.1. → (2, 3)
    letter: str = ""
    alias: str = ""  # a Heading-styled line: the type of its typed number, if any

    @property
    def rank(self) -> int:
        if self.family == "multi":
            return _RANK["num"]
        if self.kind in BULLET_KINDS:
            return _RANK["bullet"]
        return _RANK.get(self.family, 3)

    @property
    def score_key(self) -> str:
        if self.family in ("num", "alpha"):
            return self.kind
        if self.kind in BULLET_KINDS:
            return "bullet"
        return self.family


def _roman_value(text: str) -> int | None:
    if not text or not _ROMAN_RE.match(text):
        return None
    total, prev = 0, 0
    for ch in reversed(text):
        value = _ROMAN_VALUES[ch]
        total = total - value if value < prev else total + value
        prev = max(prev, value)
    return total


def _letter_value(letter: str) -> int:
    low = letter.lower()
    if low in VN_LOWER:
        return VN_LOWER.index(low) + 1
    return LATIN_LOWER.index(low) + 1 if low in LATIN_LOWER else 0


def _letterfollows(prev: str, cur: str) -> bool:
    prev, cur = prev.lower(), cur.lower()
    for seq in (VN_LOWER, LATIN_LOWER):
        if prev in seq and cur in seq and seq.index(cur) == seq.index(prev) + 1:
            return True
    return False


def parse_marker(text: str) -> Marker | None:
    """The numbering at the start of a line, if any (not yet deciding whether it is a heading)."""
    m = _PART.match(text)
    if m:
        word = m.group("word").lower()
        family = {"phần": "part", "chương": "chapter", "mục": "muc"}[word]
        raw = m.group("num")
        value = _ordinal_value(raw)
        if value:
            number = f"{m.group('word')} {raw}"
            return Marker(family, family, number, value, m.group("rest").strip())
    m = _MULTI.match(text)
    if m:
        parts = [int(p) for p in m.group("num").split(".")]
        number = m.group("num") + m.group("sep")
        rest = m.group("rest").strip()
        if not m.group("sep") and rest[:1].islower():
            return None  # "1.5 triệu đồng": a decimal number, not "1.5" as a heading
        return Marker("multi", f"multi{len(parts)}", number, parts[-1], rest, depth=len(parts),
                      prefix=tuple(parts[:-1]))
    m = _ROMAN_MULTI.match(text)
    if m and _roman_value(m.group("num").split(".")[0]):
        head, *tail = m.group("num").split(".")
        parts = [_roman_value(head)] + [int(p) for p in tail]
        return Marker("multi", f"rmulti{len(parts)}", m.group("num") + m.group("sep"), parts[-1],
                      m.group("rest").strip(), depth=len(parts), prefix=tuple(parts[:-1]))
    m = _NUM.match(text)
    if m:
        sep = m.group("sep")
        return Marker("num", f"num{sep}", m.group("num") + sep, int(m.group("num")), m.group("rest").strip())
    m = _ROMAN.match(text)
    if m:
        raw = m.group("num")
        value = _roman_value(raw)
        sep = m.group("sep").strip()
        if value and raw != "L":
            return Marker("roman", "roman", raw + sep, value, m.group("rest").strip())
    m = _ROMAN_BARE.match(text)
    if m and _roman_value(m.group("num")) and m.group("num") != "L" and is_caps(m.group("rest")):
        return Marker("roman", "roman", m.group("num"), _roman_value(m.group("num")), m.group("rest").strip())
    m = _UPPER.match(text)
    if m:
        letter = m.group("num")
        sep = m.group("sep").strip()
        return Marker("upper", "upper", letter + sep, _letter_value(letter), m.group("rest").strip(),
                      letter=letter)
    m = _PAREN.match(text)
    if m:
        raw = m.group("num")
        value = int(raw) if raw.isdigit() else _letter_value(raw)
        return Marker("paren", "paren_num" if raw.isdigit() else "paren_alpha", f"({raw})", value,
                      m.group("rest").strip(), letter="" if raw.isdigit() else raw)
    m = _ALPHA.match(text)
    if m:
        letter, sep = m.group("num"), m.group("sep")
        return Marker("alpha", f"alpha{sep}", letter + sep, _letter_value(letter), m.group("rest").strip(),
                      letter=letter)
    m = _BULLET.match(text)
    if m:
        char = m.group("num")
        kind = {"-": "dash", "–": "dash", "—": "dash", "+": "plus", "*": "star"}.get(char, "bullet")
        number = {"dash": "-", "plus": "+", "star": "*"}.get(kind, "-")
        return Marker("bullet", kind, number, 0, m.group("rest").strip())
    return None


def _ordinal_value(raw: str) -> int:
    low = raw.lower()
    if low.startswith("thứ"):
        return _ORDINALS.get(low.split()[-1], 0)
    if raw.isdigit():
        return int(raw)
    roman = _roman_value(raw)
    if roman:
        return roman
    return _letter_value(raw) if len(raw) == 1 else 0


def follows(marker: Marker, last: Marker | None) -> bool:
    if last is None:
        return False
    if marker.letter and last.letter:
        return _letterfollows(last.letter, marker.letter)
    return marker.value == last.value + 1


def is_first(marker: Marker) -> bool:
    return marker.value == 1
