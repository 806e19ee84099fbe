from .conftest import check, codes

CAT = "duplicate_text"


def test_words_typed_twice():
    text = ("Quy định của Trung ương về về tổ chức Đảng. Xã tổ chức tổ chức 19 hội nghị. "
            "Tai nạn an toàn giao giao thông. Không chồng chéo, chồng chéo trong bối cảnh mới. "
            "Việc bảo đảm bảo an ninh.")
    found = check(text, category=CAT)
    assert [f.message.split(":")[0] for f in found] == ["“về về”", "“tổ chức tổ chức”", "“giao giao”",
                                                        "“chồng chéo, chồng chéo”", "“bảo đảm bảo”"]


def test_doubled_syllables_that_are_two_words_are_not_flagged():
    text = ("Cán bộ trực tiếp tiếp nhận hồ sơ; triển khai khai thác dữ liệu; chuẩn bị báo cáo, tờ trình trình kỳ họp; "
            "dần dần nâng cao; lưu trữ song song; thực hiện tự phê bình, phê bình; Ban Xây dựng Đảng Đảng ủy; "
            "ngày ngày luyện tập; xin ý kiến kiến nghị của cử tri; các tổ chức tổ chức hoạt động.")
    assert check(text, category=CAT) == []


def test_a_sentence_pasted_twice():
    sentence = ("Trung ương và tỉnh đã tổ chức vận hành thử nghiệm, giúp các địa phương làm quen với quy trình, "
                "phương thức hoạt động mới.")
    found = check(f"{sentence}\nĐoạn khác.\nNguyên nhân: {sentence}", category=CAT)
    assert codes(found) == ["duplicate.sentence"] and found[0].line == 3 and "dòng 1" in found[0].message
    assert check("Công tác được duy trì.\nCông tác được duy trì.", category=CAT) == []  # too short to matter


def test_a_doubled_counting_word_before_its_number_or_after_trong_is_a_slip():
    found = check("Trong tháng tháng 5, xã họp. Vào ngày ngày 15/3/2026 xã họp. Đầu năm năm 2026 xã họp.", category=CAT)
    assert [f.message.split(":")[0] for f in found] == ["“tháng tháng”", "“ngày ngày”", "“năm năm”"]
    assert check("Ngày ngày luyện tập; tháng tháng thi đua; năm năm đều đặn.", category=CAT) == []


def test_an_enumeration_repeats_a_phrase_to_narrow_it():
    assert check("Củng cố cấp xã, cấp xã mới thành lập; xây trường chuẩn, trường chuẩn mức độ 2; "
                 "học tập tự phê bình, phê bình.", category=CAT) == []
    (f,) = check("Bảo đảm không chồng chéo, chồng chéo trong bối cảnh mới.", category=CAT)
    assert f.values["phrase"] == "chồng chéo"


def test_a_doubled_syllable_that_only_finishes_the_word_before_is_a_slip():
    found = check("Đạt kết quả quả cao trong sản xuất. Thực hiện hiện nay còn chậm. Cán bộ trực tiếp tiếp nhận hồ sơ.",
                  category=CAT)
    assert [f.values["phrase"] for f in found] == ["quả"]


def test_a_doubled_syllable_inside_a_phrase_the_text_writes_elsewhere_is_a_slip():
    text = ("Đẩy mạnh cải cách hành chính.\nTiếp tục cải cách hành hành chính, chuyển đổi số.\n"
            "Giữ vững trật tự an toàn xã xã hội trên địa bàn.\nHồ sơ trả lại do không đủ đủ điều kiện.")
    found = check(text, category=CAT)
    assert [(f.line, f.values["phrase"]) for f in found] == [(2, "hành"), (3, "xã"), (4, "đủ")]


def test_a_doubled_word_that_heads_a_listed_word_starts_a_new_phrase():
    # "Đảng bộ" + "Bộ Tư pháp" in a capitals header; in running text the doubled syllable stays a slip
    assert check("ĐẢNG BỘ BỘ TƯ PHÁP", category=CAT) == []
    (f,) = check("Xã chú trọng phát triển triển kinh tế hộ gia đình.", category=CAT)
    assert f.values["phrase"] == "triển"
