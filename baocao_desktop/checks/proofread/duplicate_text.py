"""duplicate_text: a word or phrase typed twice ("về về", "thực hiện thực hiện", "chồng chéo, chồng chéo",
"bảo đảm bảo"), a sentence pasted twice."""
from __future__ import annotations

import re

from ...domain.words import is_word
from .util import check_whole, quote

CATEGORY = "duplicate_text"
# Nouns of time doubled mean "every" ("ngày ngày", "tháng tháng thi đua", "năm năm"): a rule of the grammar;
# other words doubled on purpose ("dần dần", "người người", "nhà nhà") are in the word list.
TIME_NOUNS = frozenset({"ngày", "đêm", "tuần", "tháng", "quý", "năm", "giờ", "buổi", "sáng", "chiều", "tối", "mùa"})
FUNCTION_WORDS = {"về", "của", "và", "các", "những", "được", "cho", "với", "trong", "có", "là", "đã", "sẽ", "để", "thì",
                  "mà", "này", "theo", "tại", "đến", "trên", "dưới", "bị", "do", "nên", "vì", "khi", "một", "đang"}
_OVERLAP = re.compile(r"\b(bảo đảm bảo|đảm bảo đảm)\b", re.IGNORECASE)
MIN_SENTENCE_WORDS = 12


def check(doc):
    return check_whole(doc, local, cross)


def local(doc, para):
    out = _repeats(doc, para)
    for m in _OVERLAP.finditer(para.text):
        out.append(doc.finding(
            para, "duplicate.overlap", CATEGORY, "warning",
            f"“{m.group()}”: hai từ “bảo đảm” và “đảm bảo” dính vào nhau; giữ một.", m.start(), m.end()))
    return out


def _sentence_keys(para):
    """(start, end, key) of each sentence long enough to count as pasted twice."""
    out = []
    for s, e in para.sentences:
        key = _normal(para.text[s:e])
        if len(key.split()) >= MIN_SENTENCE_WORDS:
            out.append((s, e, key))
    return out


def cross(doc):
    out = []
    seen: dict[str, object] = {}  # sentence → the paragraph that first has it
    for group in doc.groups:
        items = group.gather("sentences_long", _sentence_keys)
        if not items:
            continue
        keys, firsts = group.cache.get("sentence_firsts") or group.cache.setdefault("sentence_firsts", _firsts(items))
        # a group's findings depend on its text and on which earlier paragraph first has each of its sentences
        before = list(map(seen.get, keys))
        kept = group.cache.get("duplicates")
        if kept is None or kept[0] != before:  # (the same paragraphs: compared by identity first)
            kept = group.cache["duplicates"] = (before, _duplicates(doc, items, before))
        out += kept[1]
        if not seen.keys() >= firsts.keys():  # (walks this group's keys only)
            seen.update((key, para) for key, para in firsts.items() if key not in seen)
    return out


def _firsts(items):
    """The sentence keys of a group's items, and the paragraph that first has each."""
    keys = [key for _para, (_s, _e, key) in items]
    firsts: dict = {}
    for para, (_s, _e, key) in items:
        firsts.setdefault(key, para)
    return keys, firsts


def _duplicates(doc, items, before):
    """The duplicate sentences of a group's `items`; `before`: the paragraph of an earlier group that first has
    each item's sentence, or None."""
    out = []
    seen = {}
    for (para, (s, e, key)), earlier in zip(items, before):
        first_para = earlier if earlier is not None else seen.get(key)
        if first_para is not None:
            if first_para is para:
                where = "ngay trong đoạn này"
            else:
                where = f"ở {first_para.where()}" if first_para.where() else "ở trên"
            out.append(doc.finding(
                para, "duplicate.sentence", CATEGORY, "warning",
                f"Câu “{quote(para.text[s:e])}” lặp lại nguyên văn câu {where}: xóa bớt hoặc viết lại.",
                s, e))
        else:
            seen[key] = para
    return out


def _known(doc, a, b, times: int = 2) -> bool:
    """(a, b) is a word: one of the word list, or written at least `times` times in this text (the doubled place
    counts once)."""
    if is_word(a, b):
        return True
    return doc.count_phrase(rf"(?<!\w){re.escape(a)} {re.escape(b)}(?!\w)") >= times


def _written_once(doc, a, w, b) -> bool:
    """"a w b" with the doubled syllable once is written elsewhere in the text."""
    return doc.count_phrase(rf"(?<!\w){re.escape(a)} {re.escape(w)} {re.escape(b)}(?!\w)") > 0


def _normal(sentence: str) -> str:
    sentence = re.sub(r"^\W*(?:[^\W\d_]+\s){0,5}[^\W\d_]+\s*\*?:\s*", "", sentence)  # a run-in label "Nguyên nhân:"
    s = re.sub(r"[^\w\s]", " ", sentence.lower())
    return " ".join(s.split())


_REPEAT = re.compile(r"(?<![^\W\d_])((?:[^\W\d_]+)(?:[ \u00a0]+[^\W\d_]+){0,2})([ \u00a0]+|[ \u00a0]*,[ \u00a0]+)\1(?![^\W\d_])",
                     re.IGNORECASE)
_WORDS = re.compile(r"[^\W\d_]+")


# Sino-Vietnamese prefixes that make a new term of the phrase after them ("tự phê bình, phê bình", "tái cử, cử"):
# the two copies of an enumeration then name different things.
_PREFIXES = {"tự", "tái", "phi", "siêu", "bán", "đa", "liên", "tiền", "hậu", "phó", "tổng"}
# Words after which a phrase is over (a preposition, a conjunction, an adverb): the second copy is not narrowed
_ENDS_PHRASE = FUNCTION_WORDS | {"ở", "nhưng", "còn", "đó", "ra", "lại", "rồi", "hơn", "nữa",
                                 "rất", "cũng", "vẫn", "đều", "như", "từ", "bằng", "qua", "hoặc", "hay", "nhằm"}
# Words after which a noun is counted or dated: "trong tháng tháng 5" is a slip even though "tháng tháng" exists
# Verbs of office work that follow a noun ending in the same syllable ("tờ trình trình kỳ họp", "bàn giao giao
# cho thôn"): the second copy starts a verb phrase of its own
_OFFICE_VERBS = {"trình", "gửi", "giao", "nhận", "chuyển", "báo", "thu", "chi", "cấp", "xét", "duyệt", "ký", "nộp"}
_TAKES_ONE = {"trong", "vào", "của", "cuối", "đầu", "giữa", "từ", "đến", "tới", "sang", "hết", "suốt", "tại"}


def reduplicates(word: str) -> bool:
    """Vietnamese doubles `word` on purpose: a listed reduplicated word ("dần dần") or a noun of time."""
    return word in TIME_NOUNS or is_word(word, word)


def _word_before(text, pos):
    m = list(_WORDS.finditer(text, max(0, pos - 30), pos))
    return m[-1].group().lower() if m and text[m[-1].end():pos].strip() == "" else ""


def _word_after(text, pos):
    m = _WORDS.search(text, pos, pos + 30)
    return m.group().lower() if m and text[pos:m.start()].strip() == "" else ""


def _heads_word(text, end) -> bool:
    """The two words after `end` are one listed word ("… BỘ" + "TƯ PHÁP")."""
    m = re.match(r"[ \u00a0]+([^\W\d_]+)[ \u00a0]+([^\W\d_]+)", text[end:end + 40])
    return bool(m) and is_word(m.group(1).lower(), m.group(2).lower())


def _repeats(doc, para):
    out = []
    text = para.text
    pos = 0
    while True:
        m = _REPEAT.search(text, pos)
        if not m:
            break
        phrase, gap = m.group(1), m.group(2)
        second = text[m.end(2):m.end()]
        ws = phrase.split()
        size = len(ws)
        comma = "," in gap
        prev, nxt = _word_before(text, m.start()), _word_after(text, m.end())
        number_next = bool(re.match(r"[ \u00a0]*[0-9]", text[m.end():]))
        skip = False
        if comma:
            # an enumeration: the second item narrows the first ("cấp xã, cấp xã mới thành lập"; "trường chuẩn,
            # trường chuẩn mức độ 2"), or a prefix makes the first another term ("tự phê bình, phê bình")
            number_before = bool(re.search(r"[0-9][ \u00a0]*$", text[:m.start()]))  # "45 đơn, đơn …": a unit ends an item
            skip = (nxt and nxt not in _ENDS_PHRASE) or number_next or number_before or prev in _PREFIXES or (
                size == 1 and (len(ws[0]) == 1 or second[:1].isupper()))
        elif size == 1:
            w = ws[0].lower()
            if len(w) == 1 or second[:1].isupper() and not phrase.isupper():
                skip = True
            elif reduplicates(w):
                # "ngày ngày", "tháng tháng" (every day, month after month) — but never before a number or
                # after a word that takes one noun ("ngày ngày 15/3", "trong tháng tháng 5")
                skip = not (number_next or prev in _TAKES_ONE)
            elif (w not in FUNCTION_WORDS and prev and nxt and prev not in _ENDS_PHRASE | {"không", "chưa"}
                  and _known(doc, prev, w) and (w in _OFFICE_VERBS or _known(doc, w, nxt, 3)
                                                or (phrase.isupper() and _heads_word(text, m.end())))
                  and not _written_once(doc, prev, w, nxt)
                  and not is_word(_word_before(text, m.start() - len(prev) - 1), prev)):
                # "trực tiếp tiếp nhận", "triển khai khai thác": each copy belongs to a word of its own; a copy
                # that only finishes the word before ("kết quả quả cao") is still a slip, and so is one the text
                # writes elsewhere with the syllable once ("cải cách hành hành chính" beside "cách hành chính"), or
                # whose word before is already taken by the word before it ("an toàn xã xã hội"). In capitals, where a
                # name's capital letter cannot show, a copy before a listed word may start a name ("ĐẢNG BỘ BỘ
                # TƯ PHÁP": Đảng bộ Bộ Tư pháp)
                skip = True
        if size == 2 and not skip and not comma:
            if prev in ("các", "những", "mọi", "nhiều"):
                skip = True  # "các tổ chức tổ chức hoạt động": a noun, then the same word as a verb
        if not skip:
            out.append(doc.finding(
                para, "duplicate.word", CATEGORY, "warning",
                f"“{m.group()}”: “{phrase}” bị gõ hai lần; xóa một lần.", m.start(), m.end(), {"phrase": phrase}))
            pos = m.end()
        else:
            pos = m.start() + len(ws[0])
    return out
