from .conftest import check, codes

CAT = "doc_symbol"


def test_type_word_and_symbol_disagree():
    (f,) = check("Đảng ủy ban hành Nghị quyết số 03-QĐ/ĐU ngày 01/9/2025 về phân công.", category=CAT)
    assert f.severity == "error" and "“NQ”" in f.message and "“QĐ”" in f.message


def test_matching_types_are_fine():
    text = ("Quy định số 343-QĐ/TW; Quyết định số 1245-QĐ/TU; Chương trình hành động số 13-CTr/TU; "
            "Thông báo số 55/TB-UBND; Nghị quyết số 19/2025/NQ-HĐND; Văn bản số 717/UBND-HCC; "
            "Công văn số 899-CV/TU; Kết luận 123-KL/TW; Đề án số 01-ĐA/TU.")
    assert check(text, category=CAT) == []


def test_issuer_and_suffix_disagree_and_no_district_after_july_2025():
    (f,) = check("Kế hoạch số 30-KH/HU, ngày 25/9/2025 của Ban Thường vụ Đảng ủy về học tập nghị quyết.",
                 category=CAT)
    assert f.severity == "warning" and "/HU" in f.message and "không còn cấp huyện" in f.message
    assert check("Phương án số 05-PA/HU ngày 23/6/2025 của Huyện ủy Bắc Hà.", category=CAT) == []


def test_one_symbol_two_documents():
    text = """Quyết định số 1245-QĐ/TU, ngày 23/6/2025 của Ban Chấp hành Đảng bộ tỉnh thành lập Đảng bộ xã.
Thực hiện Quyết định 1245-QĐ/TU, ngày 23/6/2025 của Ban Thường vụ Tỉnh ủy về chỉ định Ban Chấp hành.
Quyết định số 1292-QĐ/TU, ngày 25/6/2025; sau đó Quyết định số 1292-QĐ/TU, ngày 26/6/2025."""
    found = check(text, category=CAT)
    assert codes(found) == ["symbol.two_documents", "symbol.two_documents"]
    assert found[0].severity == "warning" and found[0].line == 2
    assert found[1].severity == "error" and "25/6/2025" in found[1].message


def test_state_cong_van_symbol_cited_as_a_report():
    (f,) = check("Báo cáo số 254/UBND-KT, ngày 11/8/2025; Báo cáo số 375/UBND-KT, ngày 27/8/2025.", category=CAT)
    assert f.code == "symbol.cv_as_other" and "254/UBND-KT, 375/UBND-KT" in f.message


def test_malformed_symbols_are_a_hint():
    found = check("Nghị quyết 09 -NQ/TW; Hướng dẫn số 42 – HD/BTCTW; Nghị định 150/2025/NĐ- CP.", category=CAT)
    assert [f.severity for f in found] == ["info"] * 3


def test_one_number_is_one_document_per_issuer():
    two_bodies = ("Quyết định số 05-QĐ/ĐU ngày 03/3/2026 của Đảng ủy xã Lùng Phình về thành lập tổ công tác.\n"
                  "Xã bạn có Quyết định số 05-QĐ/ĐU ngày 10/4/2026 của Đảng ủy xã Lùng Thẩn về kiện toàn ban chỉ đạo.")
    assert check(two_bodies, category=CAT) == []  # each Đảng ủy numbers its own papers
    same_body = ("Ban hành Quyết định số 05-QĐ/ĐU ngày 03/3/2026 của Đảng ủy xã về thành lập tổ công tác.\n"
                 "Ban hành Quyết định số 05-QĐ/ĐU về kiện toàn Ban Chỉ đạo chuyển đổi số.")
    (f,) = check(same_body, category=CAT)
    assert f.code == "symbol.two_documents" and f.line == 2 and "về thành lập tổ" in f.message
    cited_twice = ("Thực hiện Quyết định số 05-QĐ/ĐU ngày 03/3/2026 về việc chỉ định Ban Chấp hành Đảng bộ.\n"
                   "Theo Quyết định số 05-QĐ/ĐU về chỉ định BCH Đảng bộ xã, Đảng ủy đã họp.")
    assert check(cited_twice, category=CAT) == []
