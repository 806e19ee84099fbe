"""spelling: syllables Vietnamese cannot write ("nghành", "chuơng trình", "kết qủa", "huớng dẫn"), with
the nearest possible spelling (domain/orthography.py knows the rules; there is no word list here).

Only words meant as Vietnamese are read: a tone mark or one of ă â đ ê ô ơ ư, or a short lower-case word that
only breaks the k/c, gh/g, ngh/ng rule ("kao"); words with f, j, w, z are foreign. A capitalised word inside a sentence is a proper name (Krông Pắc, Đắk Lắk) and is left alone,
as are the unit's own names; an all-capital word without a tone mark is an abbreviation (VPĐU).
"""
from __future__ import annotations

import unicodedata

from ...domain.orthography import TONES, has_vietnamese_marks, is_possible, suggestion
from .util import check_whole, no_cross

CATEGORY = "spelling"
_FOREIGN = set("fjwz")
_VOWEL_LETTERS = set("aeiouy")  # bases: ă â → a, ê → e, ô ơ → o, ư → u
_OPENERS = ".!?:;…•-–—(\"“'‘[>+*"


def _letter(ch: str) -> bool:
    return ch.isalpha() or unicodedata.category(ch) == "Mn"


def words(text: str):
    """(start, end, word) of each run of letters; a lower→upper change splits ("banThường")."""
    i, n = 0, len(text)
    while i < n:
        if not _letter(text[i]):
            i += 1
            continue
        j = i + 1
        while j < n and _letter(text[j]) and not (text[j].isupper() and text[j - 1].islower()):
            j += 1
        yield i, j, text[i:j]
        i = j


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return not before or before[-1] in _OPENERS or before[-1].isdigit()


def _joined(text: str, start: int, end: int) -> bool:
    """Part of H'Mông, Cư M'gar, Ê-đê: names written with an apostrophe or a hyphen inside."""
    return (start > 0 and text[start - 1] in "'’-") or (end < len(text) and text[end:end + 1] in ("'", "’")) or (
        end < len(text) - 1 and text[end] == "-" and _letter(text[end + 1]))


# The onset spellings that depend on the vowel after them: k/c, gh/g, ngh/ng. A word without marks that breaks
# only this rule and reads as Vietnamese once mended ("kao", "kon", "ngha") is a slip, not a foreign word.
_ONSET_SWAPS = (("ngh", "ng"), ("ng", "ngh"), ("gh", "g"), ("g", "gh"), ("k", "c"), ("c", "k"))


def _onset_slip(word: str) -> str | None:
    if len(word) > 4:
        return None  # longer unmarked words are mostly foreign (camera, online)
    for wrong, right in _ONSET_SWAPS:
        if word.startswith(wrong) and not word.startswith(right if len(right) > len(wrong) else "\0"):
            mended = right + word[len(wrong):]
            if is_possible(mended):
                return mended
    return None


def _is_candidate(word: str, text: str, start: int, end: int, own_names: set[str]) -> bool:
    lower = word.lower()
    if _FOREIGN & set(lower) or lower in own_names:
        return False
    if not has_vietnamese_marks(word):
        return word.islower() and not _joined(text, start, end) and _onset_slip(word) is not None
    decomposed = unicodedata.normalize("NFD", lower)
    if not _VOWEL_LETTERS & set(decomposed):
        return False  # no vowel at all: an abbreviation (HĐND, BCĐ)
    if _joined(text, start, end):
        return False
    if len(word) > 1 and word.isupper():
        return any(mark in TONES for mark in decomposed)  # abbreviations (VPĐU) carry no tone mark
    if word[0].isupper() and not _sentence_start(text, start):
        return False  # a proper name
    return True


def check(doc):
    return check_whole(doc, local, cross)


cross = no_cross


def local(doc, para):
    own_names = {part.lower() for name in doc.facts.names for part in name.split()}
    out = []
    text = para.text
    for start, end, word in words(text):
        if not _is_candidate(word, text, start, end, own_names) or is_possible(word):
            continue
        if word[0].isupper() and _sentence_start(text, start) and _next_is_capitalised(text, end):
            continue  # "Đắk Lắk là …": a name opening the sentence
        better = suggestion(word) or (_onset_slip(word) if word.islower() else None)
        hint = f" Có phải “{better}”?" if better else ""
        out.append(doc.finding(
            para, "spelling.syllable", CATEGORY, "warning",
            f"“{word}” không đúng chính tả tiếng Việt.{hint}", start, end,
            values={"word": word, **({"suggestion": better} if better else {})}))
    return out


def _next_is_capitalised(text: str, end: int) -> bool:
    rest = text[end:].lstrip(" ")
    return bool(rest) and rest[0].isupper()
