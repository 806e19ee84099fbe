from .conftest import check, codes

CAT = "claim_vs_figure"


def test_exceeding_the_plan_at_65_percent_is_an_error():
    (f,) = check("Trồng rừng đạt 65% kế hoạch, vượt kế hoạch đề ra.", category=CAT)
    assert f.severity == "error" and "65%" in f.message


def test_consistent_claims_are_fine():
    text = ("Trồng mới 12/10 ha, đạt 120% kế hoạch, vượt kế hoạch; thủy sản đạt 68% kế hoạch, chưa đạt kế hoạch; "
            "tỷ lệ hộ có nhà tiêu hợp vệ sinh đạt 68% (vượt kế hoạch); phấn đấu hoàn thành kế hoạch, hiện đạt 90% kế hoạch; "
            "cơ bản hoàn thành kế hoạch, đạt 95% kế hoạch.")
    assert check(text, category=CAT) == []


def test_done_and_low_claims():
    found = check("Thu ngân sách đạt 80% kế hoạch, hoàn thành kế hoạch.\nChăn nuôi đạt 110% kế hoạch nhưng còn đạt thấp.",
                  category=CAT)
    assert codes(found) == ["claim.done_plan", "claim.low"]


def test_an_evaluation_naming_an_indicator_that_missed_its_plan():
    text = """- Nông nghiệp: ngô đạt 1.338 ha, sản lượng 5.859 tấn (100% KH); cây ăn quả 565,19 ha (65,1% KH); cây dược liệu 99 ha (57,9% KH).
- Thu ngân sách trên địa bàn 1.890 triệu đồng, bằng 273,5% kế hoạch.
- Thu ngân sách địa phương đạt 80% kế hoạch; chi ngân sách đạt 65% kế hoạch.
Nhiều chỉ tiêu hoàn thành và vượt kế hoạch, đặc biệt là sản xuất ngô, cây ăn quả, thu ngân sách. Một số chỉ tiêu còn đạt thấp như diện tích cây dược liệu."""
    (f,) = check(text, category=CAT)
    assert f.line == 4 and f.values["item"] == "cây ăn quả" and "65,1%" in f.message


def test_none_this_week_but_one_received_this_week():
    text = ("Trong tuần không phát sinh đơn thư khiếu nại, tố cáo, kiến nghị, phản ánh.\n"
            "d) Giải quyết đơn thư: Trong tuần, tiếp nhận 01 đơn thư; đang xem xét.")
    (f,) = check(text, category=CAT)
    assert f.code == "claim.none_but_some" and f.line == 2 and "dòng 1" in f.message


def test_none_but_some_needs_the_same_body_period_and_kind():
    text = ("Trong tuần chính quyền xã không tiếp nhận đơn thư khiếu nại.\n"
            "Trong tuần, Ủy ban Kiểm tra Đảng ủy tiếp nhận 01 đơn thư.\n"
            "Trong tuần không phát sinh hồ sơ đăng ký xe. Lũy kế tiếp nhận 02 hồ sơ chuyển mục đích.")
    assert check(text, category=CAT) == []


def test_a_claim_of_all_beside_a_figure_that_falls_short():
    (f,) = check("100% chi bộ tổ chức sinh hoạt nghiêm túc, có 35/37 chi bộ duy trì sinh hoạt định kỳ.",
                 category="claim_vs_figure")
    assert f.code == "claim.all_but_some" and "35/37" in f.message and "còn 2 chi bộ" in f.message
    assert check("Có 35/37 chi bộ tổ chức sinh hoạt đầy đủ; 100% chi bộ có nghị quyết (37/37 chi bộ).",
                 category="claim_vs_figure") == []
