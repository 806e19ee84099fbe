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
