"""Word import proposes the figures its sentences state (issue 15.5); accepted ones are stored as typed and
checked as typed ones; rejected ones are not stored."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest

from baocao_desktop.services.docx_import import import_docx_report, preview_import, propose_figures
from tests.conftest import run_cli

docx = pytest.importorskip("docx")

WEEK = "2026-06-01"


def write_report(path, agriculture: str, budget: str = "") -> None:
    document = docx.Document()
    for text in ("I. KẾT QUẢ", "1. Nông nghiệp"):
        document.add_paragraph().add_run(text).bold = True
    document.add_paragraph(agriculture)
    if budget:
        document.add_paragraph().add_run("2. Ngân sách").bold = True
        document.add_paragraph(budget)
    document.save(str(path))


def test_proposals_listed_then_only_the_accepted_stored(mini, tmp_path):
    path = tmp_path / "bc.docx"
    write_report(path, "Diện tích lúa mùa thực hiện đạt 549/650 ha, bằng 84,5% kế hoạch.",
                 "Trong tuần, thu ngân sách trên địa bàn đạt 13 triệu đồng; lũy kế từ đầu năm đạt 1.561 triệu đồng.")
    proposals = {p.key: p for p in propose_figures(mini, path, "mini_tuan")}
    assert {k: p.value for k, p in proposals.items()} == {
        ("lua", "actual"): Decimal(549), ("lua", "plan"): Decimal(650),
        ("thu_ns", "actual"): Decimal(13), ("thu_ns", "cumulative"): Decimal(1561)}
    assert proposals[("lua", "actual")].section == "I.1"
    preview = preview_import(mini.templates(), path)
    assert {p.key for p in preview.figures(mini.template("mini_tuan"))} == set(proposals)

    result = import_docx_report(mini, path, "mini_tuan", WEEK, figures=[("lua", "actual"), ("lua", "plan")])
    report = mini.report(result.report_id)
    assert report.values["lua"] == {"actual": Decimal(549), "plan": Decimal(650)}
    assert "thu_ns" not in report.values  # rejected: not stored
    assert sorted(result.figures_set) == [("lua", "actual"), ("lua", "plan")]
    assert "2 số liệu lấy từ câu văn" in result.summary()
    assert [r for r in mini.revisions(report.id) if r.get("field") == "lua.actual" or "lua.actual" in str(r)]


def test_accepted_figures_are_checked_like_typed_ones(mini, tmp_path):
    path = tmp_path / "bc.docx"
    # 6.000 ha is outside the template's plausible range [0, 5000]
    write_report(path, "Diện tích lúa mùa thực hiện đạt 6.000/6.500 ha, bằng 92,3% kế hoạch.")
    result = import_docx_report(mini, path, "mini_tuan", WEEK, figures="all")
    findings = mini.check(result.report_id, proofread=False)
    typed = mini.create_report("mini_tuan", "2026-06-08")
    mini.set_value(typed.id, "lua", "actual", "6.000")
    mini.set_value(typed.id, "lua", "plan", "6.500")
    as_typed = mini.check(typed.id, proofread=False)
    about_rice = [f.code for f in findings if f.field.startswith("lua.")]
    assert about_rice  # the range check found the imported 6.000 ha
    assert sorted(about_rice) == sorted(f.code for f in as_typed if f.field.startswith("lua."))

def test_cli_figures_prints_json_and_imports_nothing(mini, tmp_path):
    path = tmp_path / "bc.docx"
    write_report(path, "Diện tích lúa mùa thực hiện đạt 549/650 ha, bằng 84,5% kế hoạch.")
    db = str(mini.path)
    mini.close()
    _, before, _ = run_cli("report", "list", "--db", db, "--json")
    code, out, err = run_cli("report", "import-docx", str(path), "--template", "mini_tuan", "--period", WEEK,
                             "--db", db, "--figures")
    assert code == 0, err
    data = json.loads(out)
    assert {(f["indicator"], f["field"], f["value"]) for f in data["figures"]} == {("lua", "actual", "549"),
                                                                                  ("lua", "plan", "650")}
    assert data["fill"] == {"indicators": {"lua": {"actual": "549", "plan": "650"}}}
    _, after, _ = run_cli("report", "list", "--db", db, "--json")
    assert json.loads(after) == json.loads(before)  # --figures only prints
    code, out, err = run_cli("report", "import-docx", str(path), "--template", "mini_tuan", "--period", WEEK,
                             "--db", db, "--json", "--accept-figures", "lua.plan")
    assert code == 0, err
    imported = json.loads(out)
    assert imported["figures_set"] == ["lua.plan"]
    _, shown, _ = run_cli("report", "show", imported["id"], "--db", db, "--json")
    assert json.loads(shown)["indicators"]["lua"].get("plan") in ("650", 650)
    assert json.loads(shown)["indicators"]["lua"].get("actual") in (None, "")
    code, _, err = run_cli("report", "import-docx", str(path), "--template", "mini_tuan", "--period", "2026-06-08",
                           "--db", db, "--accept-figures", "lua")
    assert code == 2 and "MÃ_CHỈ_TIÊU.TRƯỜNG" in err
