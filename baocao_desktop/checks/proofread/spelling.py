"""spelling: syllables Vietnamese cannot write ("nghành", "chuơng trình", "kết qủa", "huớng dẫn"), with
the nearest possible spelling (domain/orthography.py knows the rules); and, with the general word list
(domain/words.py), words outside the dictionary: a syllable no listed word writes ("đén", "thực nhiện tốt") and a
two-syllable slip that is no word while one slip away is ("nông thông" → "nông thôn", "nổ lực" → "nỗ lực").

Only words meant as Vietnamese are read: a tone mark or one of ă â đ ê ô ơ ư, or a short lower-case word that
only breaks the k/c, gh/g, ngh/ng rule ("kao"); words with f, j, w, z are foreign. A capitalised word inside a sentence is a proper name (Krông Pắc, Đắk Lắk) and is left alone,
as are the unit's own names; an all-capital word without a tone mark is an abbreviation (VPĐU).
"""
from __future__ import annotations

import functools
import re
import unicodedata

from ...domain.orthography import TONES, has_vietnamese_marks, is_possible, suggestion
from ...domain.words import is_known_key, is_listed_key, is_word, slips, syllable_key, word_key
from .util import check_whole

CATEGORY = "spelling"
_FOREIGN = set("fjwz")
_VOWEL_LETTERS = set("aeiouy")  # bases: ă â → a, ê → e, ô ơ → o, ư → u
_OPENERS = ".!?:;…•-–—(\"“'‘[>+*"


def _letter(ch: str) -> bool:
    return ch.isalpha() or unicodedata.category(ch) == "Mn"


_LETTER_RUN = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f])+")  # letters and combining marks (NFD text)


def words(text: str):
    """(start, end, word) of each run of letters; a lower→upper change splits ("banThường")."""
    for m in _LETTER_RUN.finditer(text):
        run = m.group()
        if run.isalpha() and (run.islower() or run.isupper() or run[1:].islower()):
            yield m.start(), m.end(), run
            continue
        base, n, i = m.start(), len(run), 0
        while i < n:  # letters other than a-z (¹ ² are "alphanumeric"), marks, or a case change inside
            if not _letter(run[i]):
                i += 1
                continue
            j = i + 1
            while j < n and _letter(run[j]) and not (run[j].isupper() and run[j - 1].islower()):
                j += 1
            yield base + i, base + j, run[i:j]
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


def cross(doc):
    """Words outside the dictionary: whether a two-syllable slip is meant depends on how often the whole text
    writes it and the word it may stand for, so each paragraph's candidates (kept while its text and the
    unit's names are unchanged) are judged here against the whole text's counts."""
    own_names = _own_names(doc)
    names_key = frozenset(own_names)
    out = []
    for para in doc.paras:
        for found in doc.remember(("spelling.outside", para.text, names_key),
                                  lambda: tuple(_outside_candidates(para.text, own_names))):
            kind, start, end, word, better, pair = found
            if pair is not None and not _pair_meant(doc, *pair):
                continue
            message = (f"“{word}” không có trong từ điển tiếng Việt. Có phải “{better}”?" if kind == "spelling.unknown"
                       else f"“{word}” không phải một từ tiếng Việt. Có phải “{better}”?")
            out.append(doc.finding(para, kind, CATEGORY, "warning", message, start, end,
                                   values={"word": word, "suggestion": better}))
    return out


def _own_names(doc) -> set[str]:
    return {part.lower() for name in doc.facts.names for part in name.split()}


def local(doc, para):
    own_names = _own_names(doc)
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


# -- words outside the dictionary ---------------------------------------------------------------------------
# Closed-class words (prepositions, conjunctions, auxiliaries, pronouns): the commonest syllables of any text.
# A slip of one of them is rarely another word ("để trình" is no slip of "đệ trình"), so a pair with one of
# them is only taken when the text itself writes the mended word elsewhere.
FUNCTION_WORDS = frozenset("""
và với của cho các những mọi được bị do để thì mà là có không chưa đã đang sẽ vẫn còn cũng đều rất
này đó kia ấy nào gì ai đâu sao về từ tự tới đến trong ngoài trên dưới ra vào lên xuống lại qua theo
tại như nhưng hoặc hay nếu vì nên khi thuộc cả cùng mới một hai ba bằng ở nữa rồi hơn nhất
trước sau giữa bên ngay luôn chỉ vừa
""".split())


def _outside_candidates(text: str, own_names: set[str]):
    """What the paragraph alone says about words outside the dictionary, as (code, start, end, word,
    suggestion, pair): a syllable no listed word writes, with the one slip that makes a word with a neighbour
    ("đén" → "đến"; pair None: a finding as it stands); two syllables that are no word while one slip of them
    is ("nổ lực" → "nỗ lực"), each part free of any other listed word (pair = what `_pair_meant` must judge
    against the whole text)."""
    run = _run_of(text)
    plain = [_plain(word, text, start, end, own_names) for start, end, word in run.toks]
    known = [p and is_known_key(k) for p, k in zip(plain, run.keys)]
    for i, (start, end, word) in enumerate(run.toks):
        if not plain[i]:
            continue
        if not known[i]:
            better = _mend_syllable(run, i)
            if better:
                yield "spelling.unknown", start, end, word, better, None
            continue
        if i + 1 < len(run.toks) and known[i + 1] and run.next_spaced[i]:
            mended = _mend_pair(run, i)
            if mended:
                (x, y), evidence_free = mended
                e2 = run.toks[i + 1][1]
                a, b = run.low[i], run.low[i + 1]
                yield "spelling.word", start, e2, text[start:e2], f"{x} {y}", (word_key((a, b)), word_key((x, y)),
                                                                              evidence_free)


def _pair_meant(doc, written: str, meant: str, evidence_free: bool) -> bool:
    """A two-syllable slip is said unless the text writes it more than once (then it is meant); it needs
    either a syllable no word stands on (`evidence_free`) or the word it stands for written elsewhere."""
    if _pair_counts(doc).get(written, 0) > 1:
        return False
    return evidence_free or _pair_counts(doc, "word_pairs").get(meant, 0) > 0


class _Run:
    """A paragraph's words: lower case, their keys in the word list, and which follow each other with one
    space between (one phrase)."""

    def __init__(self, text: str):
        self.text = text
        self.toks = list(words(text))
        self.low = [w.lower() for _s, _e, w in self.toks]
        self.keys = [syllable_key(w) for w in self.low]
        self.next_spaced = [_spaced(text, self.toks[k][1], self.toks[k + 1][0]) for k in range(len(self.toks) - 1)]

    def linked(self, i: int, j: int) -> bool:
        """Tokens i..j exist and follow each other with one space between."""
        return 0 <= i and j < len(self.toks) and all(self.next_spaced[i:j])

    def listed(self, i: int, j: int) -> bool:
        return is_listed_key(" ".join(self.keys[i:j + 1]))

    @functools.cached_property
    def pairs(self) -> dict[str, int]:
        """How often each two-syllable sequence is written here (keys of domain.words)."""
        out: dict[str, int] = {}
        for k, spaced in enumerate(self.next_spaced):
            if spaced:
                key = self.keys[k] + " " + self.keys[k + 1]
                out[key] = out.get(key, 0) + 1
        return out

    @functools.cached_property
    def word_pairs(self) -> dict[str, int]:
        """How often each listed two-syllable word is written here as a word: not when a neighbour makes
        a word with one of its syllables ("số đối tượng" does not write "số đối")."""
        out: dict[str, int] = {}
        n = len(self.toks)
        for k, spaced in enumerate(self.next_spaced):
            if spaced and self.listed(k, k + 1) and not (self.linked(k + 1, k + 2) and self.listed(k + 1, k + 2)) \
                    and not (self.linked(k - 1, k) and self.listed(k - 1, k)) and k + 1 < n:
                key = self.keys[k] + " " + self.keys[k + 1]
                out[key] = out.get(key, 0) + 1
        return out

    @functools.cached_property
    def in_words(self) -> list[bool]:
        """Per token: it is part of a listed word of two to four syllables here."""
        n = len(self.toks)
        taken = [False] * n
        for a in range(n - 1):
            for b in range(a + 1, min(a + 4, n)):
                if not self.next_spaced[b - 1]:
                    break
                if self.listed(a, b):
                    taken[a:b + 1] = [True] * (b + 1 - a)
        return taken


@functools.lru_cache(maxsize=4096)
def _run_of(text: str) -> _Run:
    """A paragraph's reading, kept while the text is unchanged (the editor proofreads again after each edit)."""
    return _Run(text)


def _plain(word, text, start, end, own_names) -> bool:
    """A lower-case Vietnamese syllable of running text (no name, abbreviation, foreign or joined word)."""
    return (word.islower() and is_possible(word) and word not in own_names and not _FOREIGN & set(word)
            and not _joined(text, start, end))


def _spaced(text, end, start) -> bool:
    return text[end:start] in (" ", "\u00a0")


def _pair_counts(doc, attr: str = "pairs"):
    """How often each two-syllable sequence (`pairs`), or each listed word as a word (`word_pairs`), is
    written in the whole text (keys of domain.words)."""
    counts = doc.cache.get(("syllable", attr))
    if counts is None:
        counts = {}
        for para in doc.paras:
            for key, times in getattr(_run_of(para.text), attr).items():
                counts[key] = counts.get(key, 0) + times
        doc.cache[("syllable", attr)] = counts
    return counts


def _mend_pair(run, i):
    """The one slip that makes tokens i, i+1 a listed word, as ((x, y), evidence_free), or None; evidence_free:
    the slip made a syllable no word stands on ("ý kiên"), away from a name."""
    a, b = run.low[i], run.low[i + 1]
    if run.in_words[i] or run.in_words[i + 1]:
        return None  # a word here, or each part of another word
    mended = [(x, b) for x in slips(a) if is_word(x, b)] + [(a, y) for y in slips(b) if is_word(a, y)]
    if len(mended) != 1:
        return None  # no slip, or several: nothing says which word was meant
    x, y = mended[0]
    original = a if x != a else b
    if original in FUNCTION_WORDS:
        return None  # a function word starts or ends free phrases ("ngay sau" beside "ngày sau"): meant as written
    bound = not is_word(original) and not (FUNCTION_WORDS & {a, b})
    # a title word beside a name ("tỉnh Hà Nam", "UBND tỉnh giao") is part of the name unless the text writes
    # the mended word elsewhere ("ban chấp hàng" where "Ban Chấp hành" is written too)
    toks = run.toks
    beside_name = (run.linked(i + 1, i + 2) and toks[i + 2][2][:1].isupper()) or (
        run.linked(i - 1, i) and toks[i - 1][2][:1].isupper())
    return (x, y), bound and not beside_name


def _mend_syllable(run, i) -> str | None:
    """The one slip of an unknown syllable (or the syllable less one letter of its onset: "nhiện" → "hiện")
    that makes a listed word with a neighbour ("thực nhiện" → "hiện"), or None."""
    word, low = run.low[i], run.low
    tries = set(slips(word)) | {word[:k] + word[k + 1:] for k in range(min(2, len(word) - 1))
                                if is_possible(word[:k] + word[k + 1:])}
    candidates = {x for x in tries
                  if (run.linked(i - 1, i) and is_word(low[i - 1], x))
                  or (run.linked(i, i + 1) and is_word(x, low[i + 1]))}
    return candidates.pop() if len(candidates) == 1 else None
