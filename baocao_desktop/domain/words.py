"""A general Vietnamese word list: which syllable sequences are words, and the words one slip away.

The lists are `resources/words/vi_words.txt` (31,000 words of one to several syllables; see the README beside
it for its source and licence) and `vi_words_office.txt` beside it (terms of commune office work the general
list lacks: "cấp tỉnh", "tiếp dân", "hạ tầng số"). Syllables are compared by their letters and tone, not by where the tone mark
sits ("hoá" = "hòa") nor by i/y after a consonant ("lý" = "lí").

What a slip is (`slips`): the mistakes typing and regional pronunciation make in one syllable — another tone
(phần/phấn, nổ/nỗ), n/ng/nh and c/t at the end (thông/thôn, hàng/hành, các/cát), s/x, tr/ch, d/gi/r, l/n at the start
(xuất/suất, dộng/động), and the marks of a, o, u, e (ă â, ô ơ, ư, ê).
"""
from __future__ import annotations

import functools
import unicodedata

from ..resources import resource_path
from .orthography import ONSETS, TONES, is_possible, split_tone

WORD_LISTS = (("words", "vi_words.txt"), ("words", "vi_words_office.txt"))
_TONE_MARKS = tuple(TONES)
_TONE_SET = frozenset(TONES)
_VOWEL_MARKS = {"a": "aăâ", "ă": "aăâ", "â": "aăâ", "o": "oôơ", "ô": "oôơ", "ơ": "oôơ", "u": "uư", "ư": "uư",
                "e": "eê", "ê": "eê"}
_ONSET_SLIPS = {"s": ("x",), "x": ("s",), "tr": ("ch",), "ch": ("tr",), "d": ("gi", "r", "v", "đ"), "gi": ("d", "r"),
                "r": ("d", "gi"), "l": ("n",), "n": ("l",), "v": ("d",), "đ": ("d",)}
_CODA_SLIPS = {"ng": ("n", "nh"), "n": ("ng",), "c": ("t",), "t": ("c",), "nh": ("n", "ng"), "ch": ("t",)}


@functools.lru_cache(maxsize=None)
def syllable_key(syllable: str) -> str:
    """One spelling per syllable: letters without the tone mark, then the tone ("hoá", "hòa" → "hoa\u0301")."""
    decomposed = unicodedata.normalize("NFD", syllable)
    tone = "".join(ch for ch in decomposed if ch in _TONE_SET)
    bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_SET))
    if len(bare) > 1 and bare.endswith("y") and bare[-2] not in "aeiouyâăêôơư" and not bare.startswith("qu"):
        bare = bare[:-1] + "i"  # lý / lí, kỹ / kĩ, mỹ / mĩ
    return bare + tone


def word_key(syllables) -> str:
    return " ".join(map(syllable_key, syllables))


@functools.lru_cache(maxsize=1)
def _lexicon() -> tuple[frozenset[str], frozenset[str]]:
    """(keys of every listed word, keys of every syllable written in a listed word)."""
    words, syllables = set(), set()
    for where in WORD_LISTS:
        text = unicodedata.normalize("NFC", resource_path(*where).read_text(encoding="utf-8")).lower()
        for line in text.splitlines():
            keys = list(map(syllable_key, line.split()))
            if keys:
                words.add(" ".join(keys))
                syllables.update(keys)
    return frozenset(words), frozenset(syllables)


def is_word(*syllables: str) -> bool:
    """The syllables, in this order, are one listed word ("nông", "thôn" → True)."""
    return word_key(s.lower() for s in syllables) in _lexicon()[0]


def is_listed_key(key: str) -> bool:
    """`key` (syllable keys joined by one space, see `word_key`) is a listed word."""
    return key in _lexicon()[0]


def is_known_syllable(syllable: str) -> bool:
    """The syllable is written in at least one listed word."""
    return syllable_key(syllable.lower()) in _lexicon()[1]


def is_known_key(key: str) -> bool:
    """`is_known_syllable` for a syllable's key (`syllable_key` of its lower case)."""
    return key in _lexicon()[1]


def _toned(bare: str, tone: str) -> str | None:
    """`bare` with `tone` placed where Vietnamese puts it, or None when no placement is possible."""
    for index in range(len(bare)):
        if bare[index] not in "aăâeêioôơuưy":
            continue
        spelled = unicodedata.normalize("NFC", bare[:index] + unicodedata.normalize("NFD", bare[index]) + tone
                                        + bare[index + 1:])
        if is_possible(spelled):
            return spelled
    return None if tone else (bare if is_possible(bare) else None)


@functools.lru_cache(maxsize=65536)
def slips(syllable: str) -> tuple[str, ...]:
    """The possible syllables one typing or pronunciation slip away from `syllable` (lower case)."""
    bare, _at, tone = split_tone(syllable)
    bases: set[tuple[str, str]] = set()
    for other in ("",) + _TONE_MARKS:
        if other != tone:
            bases.add((bare, other))
    onset = next((o for o in ONSETS if o and bare.startswith(o) and len(bare) > len(o)), "")
    for slip in _ONSET_SLIPS.get(onset, ()):
        bases.add((slip + bare[len(onset):], tone))
    for coda, swaps in _CODA_SLIPS.items():
        if bare.endswith(coda) and len(bare) > len(coda) + len(onset):
            bases.update((bare[:-len(coda)] + s, tone) for s in swaps)
            break
    for i, ch in enumerate(bare):
        if i >= len(onset) and ch in _VOWEL_MARKS:
            bases.update((bare[:i] + v + bare[i + 1:], tone) for v in _VOWEL_MARKS[ch] if v != ch)
    out = set()
    for b, t in bases:
        spelled = _toned(b, t)
        if spelled and syllable_key(spelled) != syllable_key(syllable):
            out.add(spelled)
    return tuple(sorted(out))
