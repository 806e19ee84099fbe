"""What prints is what the editor shows (issue 14.4): the export prints each section's stored text and no
sentence of its own; `report fill` and a new report's prefilled figures put their sentences into the text
by the editor's rule; a section with figures and no text is a finding."""
import json

import docx

from baocao_desktop.checks.report_checks import FIGURES_ONLY
from baocao_desktop.document.model import Body
from baocao_desktop.domain import richtext
from baocao_desktop.domain.sentences import follow_figures
from tests.conftest import run_cli

LUA = "lua_mua_dien_tich"  # bc_tuan II.1.1.a: actual and plan, with a percentage
SECTION = "II.1.1.a"
SENTENCE = "Diện tích lúa mùa thực hiện đạt 549/650 ha, bằng 84,5% kế hoạch."


def new_report(workspace):
    workspace.save_unit(name="Đảng ủy xã Thử Nghiệm", place_name="Thử Nghiệm")
    return workspace.create_report("bc_tuan", "2026-06-01")


def body_texts(model) -> list[str]:
    return ["".join(getattr(r, "text", "") for r in b.content) for b in model.blocks if isinstance(b, Body)]


def stored_paragraphs(report) -> set[str]:
    return {"".join(getattr(r, "text", "") for r in p)
            for markup in report.texts.values() for p in richtext.parse(markup) if p}


def test_the_rule_keeps_the_clerks_text_and_follows_an_unedited_one():
    assert follow_figures("", "", "A: 1 người.") == "A: 1 người."
    assert follow_figures(None, "", "") is None
    assert follow_figures("A: 1 người.", "A: 1 người.", "A: 2 người.") == "A: 2 người."
    assert follow_figures("A: 1 người.\n", "A: 1 người.", "A: 2 người.") == "A: 2 người."
    assert follow_figures("A: 1 người. Tăng.", "A: 1 người.", "A: 2 người.") is None
    assert follow_figures("A: 1 người.", "A: 1 người.", "A: 1 người.") is None  # nothing changed
    # the clerk typed a text identical to nothing generated: it is theirs
    assert follow_figures("Không phát sinh.", "", "A: 2 người.") is None


def test_every_printed_paragraph_of_the_demo_is_in_its_stored_text(demo_workspace):
    for report in demo_workspace.list_reports():
        full = demo_workspace.report(report.id)
        printed = body_texts(demo_workspace.document_model(report.id))
        assert printed, report.template_code
        assert set(printed) <= stored_paragraphs(full), report.template_code
        assert not [f for f in demo_workspace.check(report.id, proofread=False) if f.code == FIGURES_ONLY]


def test_figures_without_text_print_no_sentence_and_are_a_finding(workspace, tmp_path):
    report = new_report(workspace)
    workspace.set_value(report.id, LUA, "actual", "549")
    workspace.set_value(report.id, LUA, "plan", "650")
    workspace.set_section_text(report.id, "I.1", "Lãnh đạo, chỉ đạo sản xuất vụ mùa.")
    path = workspace.export_docx(report.id, tmp_path / "r.docx")
    paragraphs = [p.text for p in docx.Document(str(path)).paragraphs]
    printed = "\n".join(paragraphs)
    assert "Lãnh đạo, chỉ đạo sản xuất vụ mùa." in printed
    assert "549/650" not in printed and "84,5%" not in printed  # never assembled at export
    found = [f for f in workspace.check(report.id, proofread=False) if f.code == FIGURES_ONLY]
    assert [(f.section, f.severity, f.field) for f in found] == [(SECTION, "warning", "")]
    assert "chỉ có số liệu, chưa có nội dung" in found[0].message


def test_fill_writes_the_sentence_into_an_empty_text_and_keeps_the_clerks(workspace):
    report = new_report(workspace)
    workspace.fill_report(report.id, {"indicators": {LUA: {"actual": "549", "plan": "650"}}})
    assert workspace.report(report.id).texts[SECTION] == SENTENCE
    # still the generated text: a new fill rewrites it
    workspace.fill_report(report.id, {"indicators": {LUA: {"actual": "590"}}})
    assert workspace.report(report.id).texts[SECTION] == \
        "Diện tích lúa mùa thực hiện đạt 590/650 ha, bằng 90,8% kế hoạch."
    # the clerk's text is kept, whether it came with the same fill or before
    workspace.fill_report(report.id, {"indicators": {LUA: {"actual": "600"}},
                                      "sections": {SECTION: {"text": "Gieo cấy xong 600 ha."}}})
    assert workspace.report(report.id).texts[SECTION] == "Gieo cấy xong 600 ha."
    workspace.fill_report(report.id, {"indicators": {LUA: {"actual": "610"}}})
    assert workspace.report(report.id).texts[SECTION] == "Gieo cấy xong 600 ha."
    assert not [f for f in workspace.check(report.id, proofread=False) if f.code == FIGURES_ONLY]


def test_fill_from_show_json_round_trip_follows_the_figures(workspace):
    """`report show --json` gives every section's text back (most of them ""): an unchanged text is no edit."""
    report = new_report(workspace)
    data = workspace.report_json(report.id)
    data["indicators"][LUA].update(actual="549", plan="650")
    workspace.fill_report(report.id, data)
    assert workspace.report(report.id).texts[SECTION] == SENTENCE
    data = workspace.report_json(report.id)
    data["indicators"][LUA]["actual"] = "590"
    workspace.fill_report(report.id, data)
    assert workspace.report(report.id).texts[SECTION] == \
        "Diện tích lúa mùa thực hiện đạt 590/650 ha, bằng 90,8% kế hoạch."
    # a text emptied by the fill is the clerk's choice: it stays empty, and says so
    data = workspace.report_json(report.id)
    data["sections"][SECTION]["text"] = ""
    workspace.fill_report(report.id, data)
    assert not workspace.report(report.id).texts.get(SECTION)
    assert [f.section for f in workspace.check(report.id, proofread=False) if f.code == FIGURES_ONLY] == [SECTION]


def test_a_new_reports_profile_figures_start_its_text_and_a_fresh_report_is_not_flooded(demo_workspace):
    ws = demo_workspace
    report = ws.create_report("bc_giam_sat", "2026-09-01", "2026-09-30")
    intro = ws.report(report.id).texts.get("I.1") or ""
    assert "15.486 người" in intro  # the prefilled population, written where the clerk sees it
    assert not [f for f in ws.check(report.id, proofread=False) if f.code == FIGURES_ONLY]
    # a weekly report starts with last period's plans only: no sentence, no finding
    week = ws.create_report("bc_tuan", "2026-06-15")
    assert not [f for f in ws.check(week.id, proofread=False) if f.code == FIGURES_ONLY]


def test_cli_fill_then_export_prints_the_sentence_that_is_in_the_text(tmp_path):
    db = str(tmp_path / "cli.sqlite3")
    assert run_cli("unit", "set", "--name", "Đảng ủy xã Thử Nghiệm", "--db", db)[0] == 0
    code, out, err = run_cli("report", "new", "--template", "bc_tuan", "--period", "2026-06-01", "--db", db,
                             "--json")
    assert code == 0, err
    report_id = json.loads(out)["id"]
    values = tmp_path / "values.json"
    values.write_text(json.dumps({"indicators": {LUA: {"actual": "549", "plan": "650"}}}), encoding="utf-8")
    code, _, err = run_cli("report", "fill", report_id, "--from", str(values), "--db", db)
    assert code == 0, err
    shown = json.loads(run_cli("report", "show", report_id, "--db", db, "--json")[1])
    assert shown["sections"][SECTION]["text"] == SENTENCE  # in the text, for `show` and the editor alike
    out_docx = tmp_path / "r.docx"
    code, _, err = run_cli("export", report_id, "--docx", str(out_docx), "--db", db)
    assert code == 0, err
    paragraphs = [p.text for p in docx.Document(str(out_docx)).paragraphs]
    assert paragraphs.count(SENTENCE) == 1
