"""Round trip (issue 15.7): every demo report exported to Word, in the Party and the State format, and
imported into a fresh report of the same template gives back its header items, section texts, footnotes,
tables and every figure — also those the document does not print ("Lũy kế kỳ trước", plans a sentence
gives only as a %), which the DOCX carries in its figures part (document/figures_part.py).

The figures the document prints are still read from its sentences (and agree with the part); a document
edited in Word gives back the printed value, the difference said.
"""
from __future__ import annotations

import html
import zipfile

import yaml
import pytest

from baocao_desktop.document.figures_part import NAMESPACE
from baocao_desktop.domain import richtext
from baocao_desktop.domain.numbers import format_number
from baocao_desktop.domain.sentences import MissingValues, default_pattern, generate_sentence
from baocao_desktop.resources import resource_path
from baocao_desktop.services.demo import load_demo
from baocao_desktop.services.docx_import import import_docx_report, preview_import
from baocao_desktop.services.workspace import Workspace

FORMATS = ("party", "state")
DEMO_REPORTS = range(len(yaml.safe_load(resource_path("demo", "lung_phinh.yaml").read_text(encoding="utf-8"))
                         ["reports"]))


@pytest.fixture(scope="module")
def trips(tmp_path_factory):
    """(format, variant) → (source workspace, target workspace, [(original, imported, docx text)]).
    variant "texts": the demo as it is; "generated": the sections that list indicators hold the generated
    sentences as their text (what the editor writes into an empty text), so the document says their figures
    with them."""
    from docx import Document
    out, opened = {}, []
    for fmt in FORMATS:
        for variant in ("texts", "generated"):
            base = tmp_path_factory.mktemp(f"{fmt}-{variant}")
            data = yaml.safe_load(resource_path("demo", "lung_phinh.yaml").read_text(encoding="utf-8"))
            data["unit"]["format"] = fmt
            (base / "demo.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
            data["reports"] = []  # the same unit, signers and facts; no report
            (base / "empty.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
            source, target = Workspace(base / "a.sqlite3", author="t"), Workspace(base / "b.sqlite3", author="t")
            opened += [source, target]
            ids = load_demo(source, base / "demo.yaml")
            load_demo(target, base / "empty.yaml")
            pairs = []
            for report_id in ids:
                report = source.report(report_id)
                template = source.template(report.template_code, report.template_version)
                if variant == "generated":
                    paths = [section.path for section in template.walk() if section.indicators]
                    for path, sentences in source.generated_texts(report_id, paths).items():
                        source.set_section_text(report_id, path, sentences)
                    report = source.report(report_id)
                path = source.export_docx(report_id, base / f"{report_id}.docx")
                document = Document(str(path))
                printed = "\n".join(p.text for p in document.paragraphs)
                result = import_docx_report(target, path, report.template_code, report.period.start,
                                            report.period.end, figures="all")
                pairs.append((report, target.report(result.report_id), printed, result))
            out[(fmt, variant)] = (source, target, pairs)
    yield out
    for ws in opened:
        ws.close()


def _pair(trips, fmt, variant, index):
    source, target, pairs = trips[(fmt, variant)]
    return source, target, pairs[index]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("index", DEMO_REPORTS)
def test_header_items_come_back(trips, fmt, index):
    source, target, (original, imported, _, _) = _pair(trips, fmt, "texts", index)
    a, b = source.report_header(original), target.report_header(imported)
    for name in ("number", "date", "place", "subject", "basis", "closing", "recipients", "signer"):
        assert getattr(b, name) == getattr(a, name), name
    chosen = {s.id: s.name for s in source.signers()}, {s.id: s.name for s in target.signers()}
    assert chosen[1].get(b.signer_id) == chosen[0].get(a.signer_id)  # the same person of the unit


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("index", DEMO_REPORTS)
def test_sections_footnotes_and_tables_come_back(trips, fmt, index):
    _, _, (original, imported, _, _) = _pair(trips, fmt, "texts", index)
    assert {p: t for p, t in imported.texts.items() if not richtext.is_empty(t)} == \
        {p: t for p, t in original.texts.items() if not richtext.is_empty(t)}
    notes = lambda report: [x for t in report.texts.values() for p in richtext.parse(t) for x in p  # noqa: E731
                            if isinstance(x, richtext.Footnote)]
    assert notes(imported) == notes(original)
    assert imported.tables == original.tables
    assert imported.table_rows == original.table_rows  # this report's row names (from the unit profile)


def _stated_fields(template, report, printed: str) -> dict:
    """The figures the document prints in the indicator's own sentence: (code, field) → value."""
    out = {}
    text = " ".join(printed.split()).lower()
    for code, values in report.values.items():
        ind = template.indicator(code)
        try:
            sentence = generate_sentence(ind, values, values.get("previous"))
        except MissingValues:
            continue
        if sentence.lower() in text:
            pattern = ind.sentence or default_pattern(ind)
            out.update({(code, name): value for name, value in values.items() if "{" + name + "}" in pattern})
    return out


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("variant", ("texts", "generated"))
@pytest.mark.parametrize("index", DEMO_REPORTS)
def test_every_figure_comes_back_equal(trips, fmt, variant, index):
    source, _, (original, imported, printed, result) = _pair(trips, fmt, variant, index)
    template = source.template(original.template_code, original.template_version)
    before = {(c, f): v for c, fields in original.values.items() for f, v in fields.items()}
    after = {(c, f): v for c, fields in imported.values.items() for f, v in fields.items()}
    assert after == before  # identity: lũy kế kỳ trước and the plans the document does not print too
    origin = {p.key: p.origin for p in result.figures}
    # what the document prints is read from its sentences and agrees with the part
    stated = _stated_fields(template, original, printed)
    assert stated, "the document states some figures in their sentences"
    assert {k: origin.get(k) for k in stated} == {k: "both" for k in stated}
    assert not [p for p in result.figures if p.exported is not None]  # no sentence says otherwise
    if variant == "generated":  # every figure a sentence prints is read from it, the rest comes from the part
        printed_fields = {(c, name) for c, fields in original.values.items() for name in fields
                          if "{" + name + "}" in (template.indicator(c).sentence or default_pattern(template.indicator(c)))
                          and not _no_sentence(template, original, c)}
        assert {k for k in printed_fields if origin.get(k) not in ("text", "both")} == set()


def _no_sentence(template, report, code) -> bool:
    """The indicator's sentence cannot be written (a figure it needs is empty): nothing printed."""
    values = report.values.get(code, {})
    try:
        generate_sentence(template.indicator(code), values, values.get("previous"))
    except MissingValues:
        return True
    return False


@pytest.mark.parametrize("fmt", FORMATS)
def test_figures_the_document_does_not_print_come_from_the_part(trips, fmt):
    """Lũy kế kỳ trước and the plans of bc_giam_sat (its sentences print only the %) come back, marked."""
    exported = {}
    for original, _, _, result in trips[(fmt, "texts")][2]:
        for p in result.figures:
            if p.origin == "export":
                exported.setdefault(original.template_code, set()).add(p.key)
                assert original.values[p.indicator][p.field] == p.value
                assert "(lưu kèm tệp)" in p.description()
    assert any(field == "previous" for keys in exported.values() for _, field in keys)
    assert len([k for k in exported.get("bc_giam_sat", ()) if k[1] == "plan"]) >= 9


# == a document edited in Word, and parts that cannot be used ============================================
@pytest.fixture
def fresh(tmp_path):
    """A new workspace of the demo unit (Party format) without any report, to import into."""
    data = yaml.safe_load(resource_path("demo", "lung_phinh.yaml").read_text(encoding="utf-8"))
    data["unit"]["format"], data["reports"] = "party", []
    (tmp_path / "empty.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    workspace = Workspace(tmp_path / "fresh.sqlite3", author="t")
    load_demo(workspace, tmp_path / "empty.yaml")
    yield workspace
    workspace.close()


def _members(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _write(members: dict[str, bytes], path):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _part_name(members: dict[str, bytes]) -> str:
    return next(n for n, data in members.items() if n.startswith("customXml/item") and NAMESPACE.encode() in data)


def _import(workspace, path, report):
    return import_docx_report(workspace, path, report.template_code, report.period.start, report.period.end,
                              figures="all")


def _values(report) -> dict:
    return {(c, f): v for c, fields in report.values.items() for f, v in fields.items()}


@pytest.mark.parametrize("with_percent", (False, True), ids=("plain", "percent left as it was"))
def test_a_figure_edited_in_word_comes_back_as_printed_with_the_difference_said(trips, fresh, tmp_path,
                                                                                with_percent):
    """The clerk changes a printed figure in Word (in a sentence that also prints the % of plan, the % is
    left as it was): the printed figure is imported, the export's value said beside it."""
    source, _, (original, _, _, result) = _pair(trips, "party", "texts", 0)
    members = _members(source.export_docx(original.id, tmp_path / "exported.docx"))
    body = members["word/document.xml"].decode()
    chosen = next(p for p in result.figures if p.origin == "both" and p.field == "actual"
                  and ("%" in p.quote) == with_percent and p.value > 10
                  and p.quote.count(format_number(p.value)) == 1 and body.count(html.escape(p.quote, False)) == 1)
    printed = chosen.value * 2 + 7  # far enough that a printed % of plan no longer agrees
    edited = chosen.quote.replace(format_number(chosen.value), format_number(printed))
    members["word/document.xml"] = body.replace(html.escape(chosen.quote, False), html.escape(edited, False)).encode()
    imported = _import(fresh, _write(members, tmp_path / "edited in Word.docx"), original)

    after, before = _values(fresh.report(imported.report_id)), _values(original)
    assert after[chosen.key] == printed  # the printed text wins
    assert {k: v for k, v in after.items() if k != chosen.key} == {k: v for k, v in before.items() if k != chosen.key}
    proposal = next(p for p in imported.figures if p.key == chosen.key)
    assert (proposal.origin, proposal.exported) == ("text", chosen.value)
    assert f"khác số lưu kèm tệp: {format_number(chosen.value)}" in proposal.description()
    said = [n for n in imported.notes if "ghi khác số lưu kèm tệp" in n]
    assert len(said) == 1 and chosen.label in said[0] and "lấy theo câu văn" in said[0]
    assert said[0] in imported.summary()


def _carried_part(trips, tmp_path):
    source, _, (original, _, _, result) = _pair(trips, "party", "texts", 0)
    members = _members(source.export_docx(original.id, tmp_path / "exported.docx"))
    return original, result, members, _part_name(members)


HEAD = f'<bc:figures xmlns:bc="{NAMESPACE}" template="bc_tuan" version="1" start="2026-06-01" end="2026-06-07">'
BAD_PARTS = {
    "malformed": (lambda xml: xml[:len(xml) // 2], "bị hỏng"),
    "huge": (lambda xml: xml.replace(b"<bc:indicator", b"<!--" + b"x" * (2 * 1024 * 1024) + b"--><bc:indicator", 1),
             "quá lớn"),
    "entities": (lambda xml: b'<?xml version="1.0"?><!DOCTYPE bc:figures [<!ENTITY a "99999">]>' + HEAD.encode()
                 + b'<bc:indicator code="cay_an_qua_dien_tich" actual="&a;"/></bc:figures>', "khai báo DTD"),
    "other template": (lambda xml: xml.replace(b'template="bc_tuan"', b'template="bc_giam_sat"'),
                       "là của mẫu “bc_giam_sat”"),
    "not a number": (lambda xml: xml.replace(b'actual="581"', b'actual="1e999"'), "số liệu không hợp lệ"),
    "two parts": (None, "nhiều hơn một phần"),
}


@pytest.mark.parametrize("case", BAD_PARTS)
def test_a_part_that_cannot_be_used_is_ignored_with_a_note(trips, fresh, tmp_path, case):
    original, result, members, name = _carried_part(trips, tmp_path)
    change, reason = BAD_PARTS[case]
    if change is None:  # a second item of ours, as a copy would give
        members["customXml/item9.xml"] = members[name]
        rels = members["word/_rels/document.xml.rels"].decode()
        members["word/_rels/document.xml.rels"] = rels.replace("</Relationships>", (
            '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'customXml" Target="../customXml/item9.xml"/></Relationships>')).encode()
    else:
        members[name] = change(members[name])
    imported = _import(fresh, _write(members, tmp_path / f"{case}.docx"), original)

    assert any(reason in note and "bỏ qua" in note for note in imported.notes), imported.notes
    assert not [p for p in imported.figures if p.origin != "text"]  # only what the sentences state
    from_text = {p.key: p.value for p in result.figures if p.origin == "both"}
    assert _values(fresh.report(imported.report_id)) == from_text
    report = fresh.report(imported.report_id)
    assert {p: t for p, t in report.texts.items() if not richtext.is_empty(t)} == \
        {p: t for p, t in original.texts.items() if not richtext.is_empty(t)}


def test_a_carried_figure_the_indicator_refuses_is_said_and_the_rest_imported(trips, fresh, tmp_path):
    """A part made by hand with a value the indicator's rule refuses (a fraction of a count): not stored,
    said; the import goes on."""
    import re
    original, result, members, name = _carried_part(trips, tmp_path)
    count = next(p for p in result.figures if p.origin == "export" and p.value == int(p.value) and p.value > 0
                 and fresh.template(original.template_code).indicator(p.indicator).kind == "count")
    element = re.compile(rf'(<bc:indicator code="{count.indicator}"[^>]* {count.field}=")[0-9]+(")'.encode())
    members[name], changed = element.subn(rb"\g<1>2.5\g<2>", members[name])
    assert changed == 1
    imported = _import(fresh, _write(members, tmp_path / "hand made.docx"), original)
    assert [n for n in imported.notes if n.startswith("Không lấy số lưu kèm") and count.label in n]
    after = _values(fresh.report(imported.report_id))
    assert count.key not in after
    assert after == {k: v for k, v in _values(original).items() if k != count.key}


def test_a_part_of_another_version_of_the_template_is_used_for_the_indicators_it_shares(trips, fresh, tmp_path):
    original, result, members, name = _carried_part(trips, tmp_path)
    members[name] = members[name].replace(b'version="1"', b'version="7"', 1).replace(
        b"</bc:figures>", b'<bc:indicator code="bo_chi_tieu_cu" actual="5"/></bc:figures>')
    imported = _import(fresh, _write(members, tmp_path / "v7.docx"), original)
    assert _values(fresh.report(imported.report_id)) == _values(original)
    assert [n for n in imported.notes if "phiên bản 7" in n]
    assert [n for n in imported.notes if n.startswith("1 số liệu lưu kèm không thuộc chỉ tiêu nào")]


def test_the_part_is_word_compatible_and_holds_only_what_the_report_is_and_its_figures(trips, tmp_path):
    from docx import Document
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    source, _, (original, _, _, _) = _pair(trips, "party", "texts", 0)
    path = source.export_docx(original.id, tmp_path / "exported.docx")
    members = _members(path)
    name = _part_name(members)
    types = members["[Content_Types].xml"].decode()
    assert '<Default Extension="xml" ContentType="application/xml"/>' in types  # the item, as Word writes it
    number = name.removeprefix("customXml/item").removesuffix(".xml")
    assert (f'<Override PartName="/customXml/itemProps{number}.xml" ContentType="application/'
            f'vnd.openxmlformats-officedocument.customXmlProperties+xml"/>') in types
    assert f'Target="itemProps{number}.xml"' in members[f"customXml/_rels/item{number}.xml.rels"].decode()
    assert f'ds:schemaRef ds:uri="{NAMESPACE}"' in members[f"customXml/itemProps{number}.xml"].decode()
    document = Document(str(path))  # python-docx opens it and finds the item related from the document
    items = [r.target_part for r in document.part.rels.values() if r.reltype == RT.CUSTOM_XML]
    assert any(NAMESPACE.encode() in item.blob for item in items)
    part = members[name].decode()
    # no unit, signer, author (the workspaces' author is "t") or report id
    assert source.require_unit().name not in part and "Lù Văn Chính" not in part and original.id not in part
    assert '"t"' not in part
    assert 'template="bc_tuan"' in part and 'start="2026-06-01"' in part


def test_the_import_dialog_preview_lists_the_carried_figures_and_preselects_the_template(trips, tmp_path):
    source, target, (original, _, _, _) = _pair(trips, "party", "texts", 2)
    path = source.export_docx(original.id, tmp_path / "exported.docx")
    preview = preview_import(target.templates(), path)
    assert preview.template_code == original.template_code
    template = target.template(original.template_code)
    listed = {p.key: p.value for p in preview.figures(template)}
    assert listed == _values(original)
    assert any("Tệp do BaoCao xuất" in note for note in preview.notes(template))
    other = next(t for t in target.templates() if t.code != original.template_code)
    assert not [p for p in preview.figures(other) if p.origin != "text"]
    assert any("bỏ qua" in note for note in preview.notes(other))
