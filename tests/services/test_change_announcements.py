"""Services announce what changed (services/events.py) once their transaction commits, and nothing when it
rolls back: open windows refresh from these announcements instead of being refreshed by hand."""
import datetime as dt

import pytest

from baocao_desktop.services import events
from baocao_desktop.services.errors import ServiceError
from baocao_desktop.templates.model import parse_template
from tests.services.conftest import MINI_TEMPLATE


@pytest.fixture
def heard():
    changes: list[events.Change] = []
    unsubscribe = events.subscribe(changes.append)
    yield changes
    unsubscribe()


@pytest.fixture
def report(mini):
    return mini.create_report("mini_tuan", dt.date(2026, 1, 5))


def kinds(changes):
    return [(c.kind, set(c.ids)) for c in changes]


def test_creating_and_editing_a_report_announce_it(mini, heard):
    created = mini.create_report("mini_tuan", dt.date(2026, 1, 5))
    assert kinds(heard) == [(events.REPORTS, {created.id})]
    heard.clear()
    mini.set_value(created.id, "lua", "actual", "1.200")
    mini.set_section_text(created.id, "II", "Tiếp tục chỉ đạo.")
    mini.set_header(created.id, number="12-BC/ĐU")
    assert kinds(heard) == [(events.REPORTS, {created.id})] * 3
    heard.clear()
    mini.set_value(created.id, "lua", "actual", "1.200")  # unchanged: nothing to announce
    assert heard == []
    mini.delete_report(created.id)
    assert kinds(heard) == [(events.REPORTS, {created.id})]


def test_status_and_justification_announce_the_report(demo_workspace, heard):
    ws = demo_workspace
    report = [r for r in ws.list_reports() if r.template_code == "bc_tuan"][-1]
    ws.set_section_text(report.id, "IV", "")  # a required section left empty → warning
    warning = next(f for f in ws.check(report.id) if f.code == "required.empty")
    heard.clear()
    ws.justify(report.id, warning.key, "Sẽ bổ sung phương hướng ở báo cáo tháng.")
    assert kinds(heard) == [(events.REPORTS, {report.id})]
    heard.clear()
    ws.submit_for_signature(report.id)
    assert kinds(heard) == [(events.REPORTS, {report.id})]


def test_fill_announces_the_report_once(report, mini, heard):
    mini.fill_report(report.id, {"indicators": {"lua": {"actual": "1.000", "plan": "2.000"}},
                                 "sections": {"II": {"text": "Phương hướng tuần tới."}}})
    assert kinds(heard) == [(events.REPORTS, {report.id})]


def test_a_refused_fill_announces_nothing(report, mini, heard):
    with pytest.raises(ServiceError):
        mini.fill_report(report.id, {"indicators": {"lua": {"actual": "không phải số"}}})
    assert heard == []


def test_nothing_is_announced_when_the_transaction_rolls_back(report, mini, heard):
    with pytest.raises(RuntimeError):
        with mini.store.transaction():
            mini.set_value(report.id, "lua", "actual", "7")
            assert heard == []  # not before the commit
            raise RuntimeError("an error after the edit")
    assert heard == []
    assert mini.report(report.id).value("lua", "actual") is None
    with mini.store.transaction():
        mini.set_value(report.id, "lua", "actual", "7")
        mini.set_value(report.id, "lua", "plan", "9")
    assert kinds(heard) == [(events.REPORTS, {report.id})]  # said once, after the commit


def test_unit_signers_and_profile_announce_the_unit(mini, heard):
    unit = mini.own_unit()
    mini.save_unit(name="Đảng ủy xã Lùng Phình", symbol="ĐU")
    mini.set_signers([{"on_behalf": "T/M BAN THƯỜNG VỤ", "title": "BÍ THƯ", "name": "Giàng A Lử"}])
    fact = mini.add_profile_fact("dan_so", "Dân số", "5.000", "người", "2026-01-01")
    mini.delete_profile_fact(fact.id)
    assert kinds(heard) == [(events.UNIT, {unit.id})] * 4


def test_a_refused_setup_saves_and_announces_nothing(mini, heard):
    with pytest.raises(ServiceError):
        mini.save_setup({"name": "Tên mới"}, [{"name": "Giàng A Lử"}],
                        [{"code": "dan_so", "label": "Dân số", "value": "", "unit": "người", "as_of": "2026-01-01"}])
    assert heard == []
    assert mini.own_unit().name == "Đảng ủy xã Lùng Phình"


def test_installing_a_template_announces_templates(workspace, heard):
    template = parse_template(MINI_TEMPLATE.replace("version: 1", "version: 7"), origin="mini")
    workspace.install_template(template)
    assert kinds(heard) == [(events.TEMPLATES, {"mini_tuan"})]
    heard.clear()
    workspace.install_template(template)  # already installed: nothing changed
    assert heard == []


def test_listeners_can_be_removed(mini):
    changes = []
    unsubscribe = events.subscribe(changes.append)
    unsubscribe()
    mini.save_unit(name="Đảng ủy xã Lùng Phình")
    assert changes == []


def test_starting_from_the_previous_period_announces_the_new_report_once(report, mini, heard):
    from baocao_desktop.services.report_migration import create_from_previous
    mini.set_section_text(report.id, "II", "Phương hướng tuần trước.")
    heard.clear()
    new = create_from_previous(mini, "mini_tuan", dt.date(2026, 1, 12))
    assert kinds(heard) == [(events.REPORTS, {new.id})]
    heard.clear()
    with pytest.raises(ServiceError):  # no earlier report: rolled back, nothing announced
        create_from_previous(mini, "mini_tuan", dt.date(2025, 12, 1))
    assert heard == []


def test_a_word_import_announces_the_new_report_once(mini, heard, tmp_path):
    docx = pytest.importorskip("docx")
    from baocao_desktop.services.docx_import import import_docx
    document = docx.Document()
    document.add_paragraph("I. KẾT QUẢ")
    document.add_paragraph("1. Nông nghiệp")
    document.add_paragraph("Gieo cấy xong lúa mùa.")
    document.add_paragraph("II. PHƯƠNG HƯỚNG")
    document.add_paragraph("Tiếp tục chỉ đạo thu hoạch.")
    document.save(tmp_path / "bao_cao.docx")
    report_id = import_docx(mini, tmp_path / "bao_cao.docx", "mini_tuan", dt.date(2026, 1, 5))
    assert kinds(heard) == [(events.REPORTS, {report_id})]
    heard.clear()
    with pytest.raises(ServiceError):  # the same period again: refused, nothing announced
        import_docx(mini, tmp_path / "bao_cao.docx", "mini_tuan", dt.date(2026, 1, 5))
    assert heard == []
