"""proofread_report: the narrative of every section of a report, located by section path."""
from baocao_desktop.checks.proofread import ProofreadContext, proofread_report


def _report(ws, texts: dict):
    report = ws.create_report("bc_tuan", "2026-06-15", report_date="2026-06-22")
    ws.fill_report(report.id, {"sections": {path: {"text": text} for path, text in texts.items()}})
    report = ws.report(report.id)
    return ws.template(report.template_code, report.template_version), report


def test_findings_carry_the_section_paragraph_and_footnote(demo_workspace):
    ws = demo_workspace
    template, report = _report(ws, {
        "I.1": "Trong tuần tổ chức 02 hội nghị.\nĐảng ủy ban hành Nghị quyết số 03-QĐ/ĐU ngày 01/9/2025.",
        "II.1.1.a": "Diện tích lúa đạt 549/650 ha, bằng 84,5% kế hoạch[^Rau đạt 86/132 ha, bằng 66% kế hoạch.].",
    })
    findings = proofread_report(template, report, ProofreadContext.from_unit(ws.own_unit()))
    symbol = next(f for f in findings if f.code == "symbol.mismatch")
    ratio = next(f for f in findings if f.code == "percent.ratio")
    assert symbol.to_json()["location"]["section"] == "I.1" and symbol.paragraph == 1
    assert ratio.section == "II.1.1.a" and ratio.footnote == 1 and ratio.paragraph is None
    assert not any(f.code == "percent.ratio" and f.footnote is None for f in findings)  # 84,5% is right


def test_the_report_period_and_unit_come_from_the_report(demo_workspace):
    ws = demo_workspace
    template, report = _report(ws, {
        "I.2": "Trong tuần ban hành Kế hoạch số 12-KH/ĐU ngày 12/6/2026 về chuyển đổi số.",
        "II.3.3": "Thường trực Đảng ủy phường chỉ đạo công an.",
    })
    findings = proofread_report(template, report, ProofreadContext.from_unit(ws.own_unit()))
    by_code = {f.code: f for f in findings}
    assert by_code["date.outside_period"].section == "I.2" and "15/6/2026–21/6/2026" in by_code["date.outside_period"].message
    assert by_code["unit.level"].severity == "error" and by_code["unit.level"].section == "II.3.3"


def test_one_figure_two_values_across_sections(demo_workspace):
    ws = demo_workspace
    template, report = _report(ws, {
        "I.1": "Tổng số đảng viên là 730 đồng chí.",
        "II.5.2.b": "Tổng số đảng viên: 731 đồng chí.",
    })
    (f,) = [f for f in proofread_report(template, report) if f.category == "repeated_figure_conflict"]
    assert f.section == "II.5.2.b" and "730 và 731" in f.message and "mục I.1, đoạn 1" in f.message


def test_demo_reports_proofread_quietly(demo_workspace):
    ws = demo_workspace
    unit = ws.own_unit()
    for summary in ws.list_reports():
        report = ws.report(summary.id)
        template = ws.template(report.template_code, report.template_version)
        findings = proofread_report(template, report, ProofreadContext.from_unit(unit))
        assert [f for f in findings if f.severity == "error"] == []


def test_section_headings_are_proofread_and_the_shipped_ones_are_clean(demo_workspace):
    import types
    ws = demo_workspace
    template, report = _report(ws, {"I.1": "Trong tuần tổ chức 02 hội nghị."})
    assert not [f for f in proofread_report(template, report) if f.field == "title"]  # shipped headings
    section = types.SimpleNamespace(path="I", heading="I. KẾT QUẢ KẾT QUẢ THỰC HIỆN NHIỆM VỤ", walk=None)
    section.walk = lambda: iter([section])
    fake = types.SimpleNamespace(walk=lambda: iter([section]))
    (f,) = proofread_report(fake, report)
    assert (f.code, f.section, f.field, f.severity) == ("duplicate.word", "I", "title", "info")
    assert "KẾT QUẢ" in f.message and "sửa trong mẫu" in f.message
