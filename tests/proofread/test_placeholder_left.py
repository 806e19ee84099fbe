from baocao_desktop.checks.proofread import ProofreadContext

from .conftest import check, codes

CAT = "placeholder_left"


def test_blank_number_and_date():
    found = check("Số       -BC/ĐU\nLùng Phình, ngày     tháng     năm 2026\nSố: /BC-UBND", category=CAT)
    assert codes(found) == ["placeholder.number", "placeholder.date", "placeholder.number"]


def test_filled_number_and_date_are_fine():
    assert check("Số 430-BC/ĐU\nBình Lư, ngày 24 tháng 5 năm 2026\nSố: 12/BC-UBND", category=CAT) == []


def test_this_plan_pasted_into_a_report():
    text = "BÁO CÁO\nTuyên truyền về Nghị quyết số 68-NQ/TW và Kế hoạch này của Ban Thường vụ Đảng ủy."
    (f,) = check(text, category=CAT)
    assert f.code == "placeholder.pasted_this" and "Kế hoạch này" in f.message
    # in a plan, "Kế hoạch này" is right; without knowing the kind, nothing is said
    assert check("KẾ HOẠCH\nTriển khai Kế hoạch này đến các chi bộ.", category=CAT) == []
    assert check("Triển khai Kế hoạch này đến các chi bộ.", category=CAT) == []
    assert codes(check("Triển khai Kế hoạch này.", ProofreadContext(doc_kind="báo cáo"), category=CAT)) == \
        ["placeholder.pasted_this"]


def test_leftover_blanks():
    found = check("Đồng chí ………… được phân công; xã [tên xã] có XXX hộ.", category=CAT)
    assert len(found) == 3
    assert check("Các hoạt động: văn hóa, thể thao... được duy trì.", category=CAT) == []


def test_a_blank_day_in_the_date_line_weighs_by_how_final_the_report_is():
    from baocao_desktop.checks.proofread import ProofreadContext
    text = "ĐẢNG ỦY XÃ LÙNG PHÌNH\nLùng Phình, ngày     tháng 9 năm 2026\nBÁO CÁO"
    severities = {final: [f.severity for f in check(text, ProofreadContext(final=final), category="placeholder_left")]
                  for final in (True, False, None)}
    assert severities == {True: ["error"], False: ["info"], None: ["warning"]}
    (draft,) = check("DỰ THẢO\n" + text, category="placeholder_left")
    assert draft.severity == "info"
    assert check("Lùng Phình, ngày 15 tháng 9 năm 2026", category="placeholder_left") == []
