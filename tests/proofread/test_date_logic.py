import datetime as dt

from baocao_desktop.checks.proofread import ProofreadContext

from .conftest import check, codes

CAT = "date_logic"
HEAD = "Lùng Phình, ngày 24 tháng 5 năm 2026\nBÁO CÁO\n"


def test_an_impossible_date_is_an_error():
    (f,) = check("Hội nghị ngày 31/6/2026.", category=CAT)
    assert f.severity == "error" and "31/06/2026" in f.message


def test_a_document_dated_after_the_report():
    (f,) = check(HEAD + "Thực hiện Kế hoạch số 12-KH/ĐU, ngày 30/5/2026 của Ban Thường vụ Đảng ủy.", category=CAT)
    assert f.severity == "error" and "sau ngày báo cáo (24/5/2026)" in f.message
    assert check(HEAD + "Thực hiện Kế hoạch số 12-KH/ĐU, ngày 20/5/2026 của Ban Thường vụ Đảng ủy.", category=CAT) == []


def test_a_plan_dated_before_what_it_implements():
    text = ("Kế hoạch số 74-KH/ĐU, ngày 10/4/2025 của Ban Thường vụ Đảng ủy về thực hiện Nghị quyết số 05-NQ/TU, "
            "ngày 12/02/2026 của Ban Thường vụ Tỉnh ủy về nâng cao năng lực cán bộ.")
    (f,) = check(text, category=CAT)
    assert f.severity == "error" and "05-NQ/TU ngày 12/02/2026" in f.message and "10/4/2025" in f.message
    right = text.replace("10/4/2025", "10/4/2026")
    assert check(right, category=CAT) == []


def test_numbers_out_of_date_order_only_when_a_restart_cannot_explain_it():
    restart = ("Quyết định số 1245-QĐ/TU, ngày 23/6/2025; Quyết định số 1292-QĐ/TU, ngày 25/6/2025; "
               "Quyết định số 133-QĐ/TU, ngày 25/7/2025.")  # a new Tỉnh ủy numbers from 1 again
    assert check(restart, category=CAT) == []
    wrong = ("Kế hoạch số 05-KH/ĐU, ngày 10/7/2025; Kế hoạch số 30-KH/ĐU, ngày 15/8/2025; "
             "Kế hoạch số 10-KH/ĐU, ngày 20/9/2025; Kế hoạch số 20-KH/ĐU, ngày 05/01/2026; "
             "Kế hoạch số 40-KH/ĐU, ngày 10/4/2026.")
    (f,) = check(wrong, category=CAT)
    assert "Kế hoạch số 30-KH/ĐU" in f.message and f.severity == "warning"
    assert "số 30 lớn hơn số 10" in f.message


def test_issued_in_the_week_but_dated_outside_it():
    text = ("BÁO CÁO\nKHÁI QUÁT TÌNH HÌNH TỪ NGÀY 01 ĐẾN 07/6/2026\n"
            "Trong tuần ban hành Văn bản số 160 ngày 28/5/2026 về chuyển đổi số. "
            "Trong tuần ban hành Văn bản số 717/UBND-HCC ngày 01/6/2026 về thủ tục hành chính.")
    (f,) = check(text, category=CAT)
    assert f.code == "date.outside_period" and "28/5/2026" in f.message


def test_own_documents_before_the_unit_existed_with_context():
    ctx = ProofreadContext(unit_name="Đảng ủy xã Lùng Phình", level="xã", founded_on=dt.date(2025, 7, 1))
    text = "Quy chế số 01-QC/ĐU, ngày 20/6/2025 của Ban Chấp hành Đảng bộ xã; Kế hoạch số 12-KH/TU, ngày 20/6/2025."
    (f,) = check(text, ctx, category=CAT)
    assert "01-QC/ĐU" in f.message and "trước khi đơn vị được thành lập" in f.message


def test_a_central_committee_term_from_another_era():
    text = "BÁO CÁO\nTUẦN TỪ NGÀY 01 ĐẾN 07/6/2026\nNghị quyết hội nghị lần thứ 2 BCH Trung ương Đảng khoá IV."
    assert codes(check(text, category=CAT)) == ["date.old_term"]
    ok = "BÁO CÁO\nNăm 2026\nNghị quyết Trung ương 5 khóa VIII về văn hóa; Nghị quyết số 18-NQ/TW khóa XII."
    assert check(ok, category=CAT) == []


def test_same_day_basis_is_only_a_hint():
    text = ("Lùng Phình, ngày 11 tháng 9 năm 2025\nThực hiện Kế hoạch số 04-KH/UBKTTU, ngày 11/9/2025 của UBKT "
            "Tỉnh ủy, Ban Thường vụ báo cáo như sau:")
    (f,) = check(text, category=CAT)
    assert f.severity == "info"


def test_a_named_period_that_starts_before_the_unit_existed():
    import datetime as dt
    from baocao_desktop.checks.proofread import ProofreadContext
    text = ("ĐẢNG ỦY XÃ LÙNG PHÌNH\nLùng Phình, ngày 15 tháng 9 năm 2025\nBÁO CÁO\n"
            "kết quả lãnh đạo 9 tháng đầu năm 2025\nTrong kỳ, Đảng ủy đã lãnh đạo.")
    new_unit = ProofreadContext(founded_on=dt.date(2025, 7, 1))
    (f,) = [f for f in check(text, new_unit, category="date_logic")]
    assert (f.code, f.line, f.severity) == ("date.period_before_founded", 4, "warning")
    assert "01/01/2025" in f.message and "01/7/2025" in f.message
    assert check(text.replace("9 tháng đầu năm", "quý III năm"), new_unit, category="date_logic") == []
    assert check(text, ProofreadContext(founded_on=dt.date(2020, 1, 1)), category="date_logic") == []
