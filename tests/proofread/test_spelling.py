"""Spelling: impossible Vietnamese syllables, measured by injecting faults into the seeds' own correct
words (every kind of fault the rule is for), and never raised on correct text, names or abbreviations."""
import random
import re
import unicodedata

import pytest

from baocao_desktop.checks.proofread import ProofreadContext
from baocao_desktop.checks.proofread.spelling import words as text_words
from baocao_desktop.domain.orthography import TONES, is_possible, split_tone, suggestion
from tests.conftest import SEEDS

from .conftest import check

CAT = "spelling"
KNOWN_FAULTS = {"huớng", "họach", "chuơng", "nguời", "qủa", "nghành"}  # in the seeds, found by the rule


def seed_words() -> list[str]:
    words = set()
    for path in SEEDS.glob("*.txt"):
        text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
        words.update(w.lower() for _, _, w in text_words(text))
    return sorted(w for w in words if w not in KNOWN_FAULTS and any(ch in TONES for ch in unicodedata.normalize("NFD", w)))


def _retone(bare: str, index: int, tone: str) -> str:
    """`bare` (no tone mark) with `tone` on its letter `index`."""
    return unicodedata.normalize("NFC", bare[:index] + unicodedata.normalize("NFD", bare[index]) + tone
                                 + bare[index + 1:])


def injected(words: list[str]) -> dict[str, list[tuple[str, str]]]:
    """(faulty, original) per kind of fault, from correct words."""
    kinds = {"tone_place": [], "uo_horn": [], "ngh": [], "gh": [], "c_k": []}
    for word in words:
        bare, at, tone = split_tone(word)
        vowels = [i for i, ch in enumerate(bare) if unicodedata.normalize("NFD", ch)[0] in "aeiouy"]
        if tone and len(vowels) > 1 and not re.search(r"(oa|oe|uy)$", bare):  # both placements are right there
            for i in vowels:
                if i != at:
                    kinds["tone_place"].append((_retone(bare, i, tone), word))
        if "ươ" in bare and re.search(r"ươ[ncmtpiu]", bare):
            unhorned = bare.replace("ươ", "uơ", 1)
            kinds["uo_horn"].append((_retone(unhorned, at, tone) if tone else unhorned, word))
        if re.match(r"ng[aăâoôơuư]", bare):
            kinds["ngh"].append(("ngh" + word[2:], word))
        if re.match(r"ngh[eêi]", bare):
            kinds["ngh"].append(("ng" + word[3:], word))
        if re.match(r"g[aăâoôơuư]", bare):
            kinds["gh"].append(("gh" + word[1:], word))
        if re.match(r"k[eêiy]", bare):
            kinds["c_k"].append(("c" + word[1:], word))
        if re.match(r"c[aăâoôơuư]", bare) and not bare.startswith("ch"):
            kinds["c_k"].append(("k" + word[1:], word))
    return kinds


@pytest.fixture(scope="module")
def corpus():
    words = seed_words()
    assert len(words) > 800  # the seeds' vocabulary
    return words, injected(words)


def test_every_kind_of_injected_fault_is_found_with_the_right_suggestion(corpus):
    _, kinds = corpus
    for kind, pairs in kinds.items():
        assert len(pairs) >= 10, kind
        random.Random(7).shuffle(pairs)
        text = "\n".join(f"Nội dung {faulty} trong câu." for faulty, _ in pairs)
        found = check(text, category=CAT)
        by_line = {f.line: f for f in found}
        recall = sum(1 for n in range(1, len(pairs) + 1) if n in by_line) / len(pairs)
        right = sum(1 for n, (_, original) in enumerate(pairs, 1)
                    if n in by_line and by_line[n].values.get("suggestion") == original) / len(pairs)
        assert recall == 1.0, (kind, [p for n, p in enumerate(pairs, 1) if n not in by_line][:5])
        assert right >= 0.9, (kind, right)


def test_the_seeds_correct_words_are_all_possible(corpus):
    words, _ = corpus
    assert [w for w in words if not is_possible(w)] == []


def test_the_issue_examples_with_their_suggestions():
    found = check("Theo huớng dẫn, kết qủa của nghành và chuơng trình được báo cáo.", category=CAT)
    assert [(f.values["word"], f.values["suggestion"]) for f in found] == [
        ("huớng", "hướng"), ("qủa", "quả"), ("nghành", "ngành"), ("chuơng", "chương")]
    (f,) = check("KẾT QỦA THỰC HIỆN", category=CAT)  # headings too
    assert f.values["suggestion"] == "QUẢ" and "không đúng chính tả" in f.message


@pytest.mark.parametrize("text", [
    "Hòa bình, hoà giải, thủy lợi, thuỷ sản, khỏe mạnh, khoẻ mạnh, quyết định, giữ gìn, khuya, khuỷu tay.",
    "Các xã Krông Pắc, Đắk Mil và Ea H'leo; đồng bào H'Mông, Ê-đê.",  # proper names
    "VPĐU, HĐND, BCĐ, UBMTTQ, ĐVT, QĐ-UBND.",  # abbreviations
    "Ứng dụng Zalo, website, email, online, Facebook, wifi.",  # foreign words
    "Thuở ấy, quơ tay, huơ vòi; gà gáy, ghi chép, ghế, nghe, nghỉ, kỹ, kĩ, kí, ký.",
])
def test_correct_text_names_abbreviations_and_foreign_words_are_not_flagged(text):
    assert check(text, category=CAT) == []


def test_the_units_own_names_are_never_flagged():
    context = ProofreadContext(unit_name="Đảng ủy xã Đắk Ngo", villages=("Bon Bu Prăng",))
    assert check("Đắk Ngo có 5 bon. Bu Prăng ở phía bắc.", context, category=CAT) == []


def test_capital_letter_class_takes_capitals_only():
    """`[A-ZĐÀ-Ỹ]` took almost every lower-case accented letter (à is inside À…Ỹ) as a capital."""
    import re as re_module

    from baocao_desktop.checks.proofread.document import build
    from baocao_desktop.domain.orthography import CAPITAL
    assert all(re_module.fullmatch(CAPITAL, ch) for ch in "AĐÀẦỨỸƯƠÊÔĂÂÉ")
    assert not any(re_module.fullmatch(CAPITAL, ch) for ch in "aàầứỹươêôăâéđ")
    (para,) = build(["Xã đạt 5 hộ. ở thôn Tả Chải đạt 3 hộ. Ủy ban kiểm tra."], None, "line")
    assert [para.text[s:e] for s, e in para.sentences] == ["Xã đạt 5 hộ. ở thôn Tả Chải đạt 3 hộ.",
                                                          "Ủy ban kiểm tra."]


def test_a_short_word_without_marks_that_breaks_only_the_onset_rule():
    found = check("Năng suất kao, kon số lớn; ghi chép; camera, online, kit; tỉnh Kon Tum.", category="spelling")
    assert [(f.values["word"], f.values["suggestion"]) for f in found] == [("kao", "cao"), ("kon", "con")]
