"""Spelling against the general word list (domain/words.py): two-syllable slips that are no word while one
slip of them is ("nông thông" → "nông thôn"), syllables no listed word writes, and no alarm on correct text,
names, abbreviations or the unit's own names."""
import datetime as dt

from baocao_desktop.checks.proofread import ProofreadContext
from baocao_desktop.domain.words import is_known_syllable, is_word, slips, syllable_key
from tests.conftest import SEEDS

from .conftest import check

CAT = "spelling"
# A commune report writes its common words more than once: a slip of one is mended from the text itself.
REPORT = ("Xây dựng nông thôn mới là nhiệm vụ trọng tâm; các thôn phấn đấu đạt chuẩn nông thôn mới. "
          "Tỷ lệ hộ nghèo theo xác suất thống kê giảm; cán bộ nỗ lực vận động nhân dân.")


def words_found(text, context=None):
    return [(f.code, f.values.get("word"), f.values.get("suggestion")) for f in check(text, context, category=CAT)]


def test_the_word_list_reads_tone_placement_and_i_y_alike():
    assert is_word("nông", "thôn") and is_word("hòa", "bình") and is_word("hoà", "bình")
    assert syllable_key("lý") == syllable_key("lí") and syllable_key("thuỷ") == syllable_key("thủy")
    assert not is_word("nông", "thông") and is_known_syllable("thôn") and not is_known_syllable("đén")
    assert "thôn" in slips("thông") and "nỗ" in slips("nổ") and "suất" in slips("xuất")
    assert is_word("tiếp", "dân") and is_word("cấp", "tỉnh")  # office terms the general list lacks


def test_real_word_slips_are_found_with_the_word_meant():
    text = REPORT + "\nXã tập trung xây dựng nông thông mới, phần đấu đạt chuẩn; xác xuất hộ nghèo giảm nhờ sự nổ lực của cán bộ."
    found = words_found(text)
    assert ("spelling.word", "nông thông", "nông thôn") in found
    assert ("spelling.word", "phần đấu", "phấn đấu") in found
    assert ("spelling.word", "xác xuất", "xác suất") in found
    assert ("spelling.word", "nổ lực", "nỗ lực") in found
    (f,) = [f for f in check(text, category=CAT) if f.values["word"] == "nông thông"]
    assert f.message == "“nông thông” không phải một từ tiếng Việt. Có phải “nông thôn”?"
    assert (f.line, text.split("\n")[1][f.start:f.end]) == (2, "nông thông")


def test_a_slip_into_a_syllable_no_word_stands_on_needs_no_second_copy():
    assert words_found("Đồng chí cho ý kiên về dự thảo.") == [("spelling.word", "ý kiên", "ý kiến")]
    assert words_found("Xã đẩy mạnh cải cách hành chinh.") == [("spelling.word", "hành chinh", "hành chính")]


def test_a_syllable_outside_the_dictionary_is_mended_from_its_neighbour():
    assert words_found("Ủy ban thực nhiện tốt kế hoạch đề ra.") == [("spelling.unknown", "nhiện", "hiện")]


def test_correct_text_is_not_flagged():
    correct = [
        REPORT,
        "Phòng, chống đói, rét cho gia súc; ngô đông 120 ha; lao động làm việc ngoài tỉnh.",
        "Tỷ lệ khám thai từ 4 lần trở lên đạt 86,9%; chi bộ xếp loại từ khá trở lên.",
        "Phối hợp với Mặt trận cùng cấp; mô hình này đã có trên cả nước.",
        "Xây dựng hạ tầng số, 20 nhà bán hàng trực tuyến; đoạn đường nối cao tốc đi qua xã.",
        "Trực tiếp tiếp dân, đối thoại với Nhân dân; có thẻ bảo hiểm y tế; tờ trình để trình Hội đồng.",
        "Trong tuần từ ngày 01/6 đến 07/6; từ cấp tỉnh xuống cơ sở; tinh thần tự học.",
        "Xây dựng nông thôn mới nâng cao; vắc xin phòng bệnh; pa-nô, khẩu hiệu.",
        # a free phrase with a function word beside a word the text writes elsewhere ("ngày sau" / "ngay sau")
        "Họp ngay sau kỳ nghỉ Tết. Mười ngày sau, đoàn kiểm tra đến xã.",
    ]
    assert [w for text in correct for w in words_found(text)] == []


def test_the_seeds_raise_no_word_alarm_outside_their_reviewed_slips():
    reviewed = {"bố chí", "hiên tại", "hành chinh", "ý kiên", "phong trao", "sắp nhập", "chuyên giao", "đầy mạnh"}
    for path in sorted(SEEDS.glob("00[0-2]_*.txt")):
        text = path.read_text(encoding="utf-8").split("\n")
        got = {w for code, w, _s in words_found(text) if code in ("spelling.word", "spelling.unknown")}
        assert got <= reviewed, (path.name, got - reviewed)


def test_names_abbreviations_and_the_units_own_names_are_never_flagged():
    context = ProofreadContext(unit_name="Đảng ủy xã Nông Thông", level="xã", founded_on=dt.date(2025, 7, 1),
                               villages=("Phần Đấu",))
    text = (REPORT + "\nThôn Phần Đấu và xã Nông Thông; Ban chỉ đạo của UBND tỉnh giao chỉ tiêu; "
            "NÔNG THÔNG là tên cũ; xã nông thôn mới của tỉnh Lào Cai năm nay.")
    assert words_found(text, context) == []


def test_the_word_list_ships_with_its_licence():
    from baocao_desktop.domain.words import WORD_LISTS
    from baocao_desktop.resources import resource_path
    folder = resource_path(*WORD_LISTS[0]).parent
    assert "MIT" in (folder / "LICENSE-pyvi.txt").read_text(encoding="utf-8")
    assert all(resource_path(*where).stat().st_size > 0 for where in WORD_LISTS)


def test_a_word_only_counts_as_written_elsewhere_where_it_stands_as_a_word():
    # "số đối tượng" writes the syllables "số đối" but not the word: "số đội" stays correct
    text = "Thống kê số đối tượng được hỗ trợ.\nCác giải thể thao: số đội, vận động viên tham gia."
    assert words_found(text) == []
