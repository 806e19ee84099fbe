"""Vietnamese orthography: is a written syllable possible, and if not, the nearest one that is.

A syllable is onset + rhyme (+ one tone mark). It is possible when its onset is one of Vietnamese's
(with the spelling rules c/k, g/gh, ng/ngh before e, ê, i), its rhyme is one of the language's rhymes,
a stop ending (p, t, c, ch) carries sắc or nặng, and the tone mark sits on the vowel that takes it
("quả", not "qủa"; "hướng", not "huớng"). Both tone placements of open oa/oe/uy ("hòa" and "hoà") are
accepted, as offices write both.

This knows the language, not a word list: "nghành", "chuơng", "kết qủa", "huớng" are impossible
syllables; a real word used wrongly is not its business.
"""
from __future__ import annotations

import functools
import unicodedata

TONES = {"\u0301": "sắc", "\u0300": "huyền", "\u0309": "hỏi", "\u0303": "ngã", "\u0323": "nặng"}
_STOP_TONES = ("\u0301", "\u0323")

ONSETS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "th", "tr", "qu",
          "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "")

# Rhymes without tone, as written after an onset that is not "qu" (which carries the u glide itself).
_RHYMES = """
a ac ach ai am an ang anh ao ap at au ay
ăc ăm ăn ăng ăp ăt
âc âm ân âng âp ât âu ây
e ec em en eng eo ep et
ê êch êm ên ênh êp êt êu
i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu
y yêm yên yêng yêt yêu
o oc oi om on ong op ot ooc oong
ô ôc ôi ôm ôn ông ôp ôt
ơ ơi ơm ơn ơp ơt
u ua uc ui um un ung up ut uôc uôi uôm uôn uông uôp uôt
ư ưa ưc ưi ưm ưn ưng ưt ưu ươc ươi ươm ươn ương ươp ươt ươu
oa oac oach oai oam oan oang oanh oao oap oat oay
oăc oăm oăn oăng oăt
oe oen oeo oet
uân uâng uât uây
uê uêch uênh
uy uya uych uyn uynh uyp uyt uyu uyên uyêt
uơ
""".split()
RHYMES = frozenset(_RHYMES)
# After "qu" the u glide is in the onset: qua, quân, quê, quy, quyết, quốc, quơ…
QU_RHYMES = frozenset("""
a ac ach ai am an ang anh ao ap at au ay ăc ăm ăn ăng ăp ăt âc ân âng ât âu ây
e em en eo ep et ê êch ên ênh êt êu i y ych ynh yt yu yên yêt yêu ôc ơ
""".split())
_FRONT = ("e", "ê", "i", "y")  # c→k, g→gh, ng→ngh before these
_STOPS = ("p", "t", "c", "ch")
_SHAPED = "ăâêôơư"
_VOWELS = "aăâeêioôơuưy"


@functools.lru_cache(maxsize=65536)
def split_tone(word: str) -> tuple[str, int, str]:
    """(the word without its tone mark, lower case, NFC; index of the letter that carried it or -1; the
    tone's combining mark or ""). Two tone marks in one syllable: index -2."""
    letters, tone_at, tone = [], -1, ""
    for ch in unicodedata.normalize("NFC", word.lower()):
        parts = unicodedata.normalize("NFD", ch)
        marks = [m for m in parts[1:] if m in TONES]
        if marks:
            if tone or len(marks) > 1:
                tone_at = -2
            else:
                tone_at, tone = len(letters), marks[0]
            parts = parts[0] + "".join(m for m in parts[1:] if m not in TONES)
        letters.append(unicodedata.normalize("NFC", parts))
    return "".join(letters), tone_at, tone


def _onset_ok(onset: str, rhyme: str) -> bool:
    first = rhyme[:1]
    if onset == "g" and first == "i":
        return not any(ch in _VOWELS for ch in rhyme[1:])  # gì, gìn; gia, giữa, giêng are gi + rhyme
    if onset in ("c", "ng", "g") and first in _FRONT:
        return False
    if onset in ("k", "ngh", "gh") and first not in _FRONT:
        return False
    if onset == "q":
        return False
    return True


def _tone_places(onset: str, rhyme: str) -> set[int]:
    """Where in `rhyme` the tone mark may sit (indexes into the rhyme)."""
    vowels = [i for i, ch in enumerate(rhyme) if ch in _VOWELS]
    if not vowels:
        return set()
    cluster = rhyme[vowels[0]:vowels[-1] + 1]
    has_coda = vowels[-1] < len(rhyme) - 1
    shaped = [i for i in vowels if rhyme[i] in _SHAPED]
    if shaped:
        return {shaped[-1]}  # ươ, uô, iê, yê: on the second; â, ê, ô, ơ, ư, ă alone: on it
    if len(vowels) == 1:
        return {vowels[0]}
    if has_coda:
        return {vowels[-1]}  # hoàn, toán, quyết (shaped), khuỵnh
    if len(vowels) == 3:
        return {vowels[1]}  # ngoài, xoáy, khuỷu
    if cluster in ("oa", "oe", "uy"):
        return {vowels[0], vowels[1]}  # hòa / hoà, khỏe / khoẻ, thủy / thuỷ
    return {vowels[0]}  # mía, múa, mưa, hai, cào, đâu, mèo, cứu, gửi…


def _parses(bare: str):
    for onset in ONSETS:
        if bare.startswith(onset):
            rhyme = bare[len(onset):]
            if onset == "gi" and (not rhyme or rhyme[0] not in _VOWELS):
                continue
            yield onset, rhyme


@functools.lru_cache(maxsize=65536)
def is_possible(word: str) -> bool:
    """True when `word` (one syllable, any case, with or without tone mark) can be written in Vietnamese."""
    bare, tone_at, tone = split_tone(word)
    if tone_at == -2 or not bare:
        return False
    for onset, rhyme in _parses(bare):
        if onset == "qu":
            ok_rhyme = rhyme in QU_RHYMES
        elif onset == "gi":
            ok_rhyme = rhyme in RHYMES or ("i" + rhyme) in RHYMES
        else:
            ok_rhyme = rhyme in RHYMES
        if not ok_rhyme or not _onset_ok(onset, rhyme):
            continue
        if rhyme.endswith(_STOPS) and tone not in _STOP_TONES:
            continue
        if tone and (tone_at - len(onset)) not in _tone_places(onset, rhyme):
            continue
        return True
    return False


def _with_tone(bare: str, index: int, tone: str) -> str:
    """`bare` with `tone` on its letter `index` (after the letter's own marks: ê + sắc is ế)."""
    return unicodedata.normalize("NFC", bare[:index] + unicodedata.normalize("NFD", bare[index]) + tone
                                 + bare[index + 1:])


_REPAIRS = (("uơ", "ươ"), ("ưo", "ươ"), ("ngh", "ng"), ("ng", "ngh"), ("gh", "g"), ("g", "gh"), ("c", "k"),
            ("k", "c"), ("q", "qu"), ("uo", "uô"), ("ie", "iê"), ("ye", "yê"))


@functools.lru_cache(maxsize=8192)
def suggestion(word: str) -> str | None:
    """The nearest possible spelling of an impossible syllable (case of the first letter kept), or None."""
    bare, tone_at, tone = split_tone(word)
    if tone_at == -2:
        return None
    candidates = [bare]
    for wrong, right in _REPAIRS:
        if wrong in bare:
            candidates.append(bare.replace(wrong, right, 1))
    for candidate in candidates:
        places = []
        for onset, rhyme in _parses(candidate):
            places += [len(onset) + i for i in sorted(_tone_places(onset, rhyme))]
        for index in ([tone_at] if tone_at >= 0 else []) + places if tone else [None]:
            if index is not None and (index < 0 or index >= len(candidate)):
                continue
            spelled = candidate if index is None else _with_tone(candidate, index, tone)
            if spelled != unicodedata.normalize("NFC", word.lower()) and is_possible(spelled):
                if len(word) > 1 and word.isupper():
                    return spelled.upper()
                return spelled[0].upper() + spelled[1:] if word[:1].isupper() else spelled
    return None


def has_vietnamese_marks(word: str) -> bool:
    """A tone mark, or a letter only Vietnamese writes (ă â đ ê ô ơ ư): the word is meant as Vietnamese."""
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch in TONES or ch in "\u0306\u0302\u031b" or ch == "đ":
            return True
    return False


# Capital letters for regular expressions: `[A-ZĐÀ-Ỹ]` (a range) also takes almost every lower-case
# accented letter (à is U+00E0, inside À…Ỹ). This is the explicit set of upper-case Latin letters (Latin-1,
# Extended-A/B and Extended Additional, where Vietnamese lives), built from str.isupper().
CAPITALS = "".join(ch for ch in (*map(chr, range(0xC0, 0x250)), *map(chr, range(0x1E00, 0x1F00)))
                   if ch.isupper() and ch.isalpha())
CAPITAL = f"[A-Z{CAPITALS}]"
