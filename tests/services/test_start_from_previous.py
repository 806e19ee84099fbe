"""Start a report from last period's (issue 3, point 6): text and structure copied, figures cleared or kept."""
from decimal import Decimal

import pytest

from baocao_desktop.services import report_migration as rm
from baocao_desktop.services.errors import ServiceError

from template_v2_fixture import install_v2


@pytest.fixture
def week1(mini):
    report = mini.create_report("mini_tuan", "2026-06-01", number="112")
    mini.set_header(report.id, basis="Kế hoạch số 62-KH/TU, ngày 01/4/2026 của Tỉnh ủy",
                    recipients=["- Ban Thường vụ Tỉnh ủy (b/c),", "- Các chi bộ,", "- Lưu Văn phòng."])
    mini.set_section_text(report.id, "I.1", "Gieo cấy **lúa mùa** đúng khung thời vụ.[^Theo số liệu của Phòng Kinh tế]")
    mini.set_section_text(report.id, "II", "Tập trung phòng chống thiên tai.")
    mini.set_value(report.id, "lua", "actual", "549")
    mini.set_value(report.id, "lua", "plan", "650")
    mini.set_value(report.id, "thu_ns", "actual", "13")
    mini.set_value(report.id, "thu_ns", "cumulative", "1.561")
    return mini.report(report.id)


def test_text_and_structure_copied_figures_cleared(mini, week1):
    new = rm.create_from_previous(mini, "mini_tuan", "2026-06-08", number="115", figures=rm.FIGURES_CLEAR)
    assert (new.period.start.isoformat(), new.period.end.isoformat()) == ("2026-06-08", "2026-06-14")
    assert new.status == "draft" and new.number == "115"
    assert new.texts["I.1"] == week1.texts["I.1"] and new.texts["II"] == "Tập trung phòng chống thiên tai."
    assert new.basis == week1.basis and new.recipients == week1.recipients
    # figures of the period are empty; the annual plan carries over as for any new report
    assert new.value("lua", "actual") is None and new.value("thu_ns", "actual") is None
    assert new.value("thu_ns", "cumulative") is None and new.value("thu_ns", "previous") is None
    assert new.value("lua", "plan") == Decimal(650)
    assert rm.comparison_figures(mini, new.id) == {}
    source, figures = rm.started_from(mini, new.id)
    assert source.id == week1.id and figures == "clear"
    assert mini.report(week1.id).texts == week1.texts  # the previous report is not touched


def test_figures_kept_as_previous_period_for_comparison(mini, week1):
    new = rm.create_from_previous(mini, "mini_tuan", "2026-06-08", figures=rm.FIGURES_PREVIOUS)
    assert new.value("lua", "actual") is None  # never a stale figure in this period's fields
    assert new.value("thu_ns", "previous") == Decimal(1561)  # "lũy kế kỳ trước" of the model
    shown = mini.report_json(new.id)
    assert shown["indicators"]["thu_ns"]["previous"] == "1.561"
    kept = rm.comparison_figures(mini, new.id)
    assert kept["values"]["lua"] == {"actual": Decimal(549), "plan": Decimal(650)}
    assert kept["label"] == week1.period.label()
    # the cumulative check runs against last week: 1.561 + 20 = 1.581
    mini.set_value(new.id, "thu_ns", "actual", "20")
    mini.set_value(new.id, "thu_ns", "cumulative", "1.600")
    assert any("1.581" in f.message for f in mini.check(new.id, proofread=False))


def test_without_a_previous_report_nothing_is_created(mini):
    with pytest.raises(ServiceError, match="Chưa có báo cáo kỳ trước"):
        rm.create_from_previous(mini, "mini_tuan", "2026-06-08")
    assert mini.list_reports() == []


def test_previous_report_on_an_older_template_version_is_mapped_by_code(mini, week1):
    install_v2(mini)
    new = rm.create_from_previous(mini, "mini_tuan", "2026-06-08")
    assert new.template_version == 2
    assert new.texts["II.2"] == week1.texts["I.1"]  # lúa section, wherever v2 puts it
    assert "Tập trung phòng chống thiên tai." in new.texts["_unplaced"]
    assert mini.report(week1.id).template_version == 1


def test_previous_report_is_found_for_the_dialog(mini, week1):
    assert rm.find_previous(mini, "mini_tuan", "2026-06-15").id == week1.id
    assert rm.find_previous(mini, "mini_tuan", "2026-06-01") is None
