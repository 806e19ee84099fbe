"""Round trip (issue 15.7): every demo report exported to Word, in the Party and the State format, and
imported into a fresh report of the same template gives back its header items, section texts, footnotes,
tables and the figures the document states.

What a document cannot give back is not asserted as equal, and is said here: a figure the report holds but
the document does not print (a section with its own text prints that text, not the generated sentences;
"Lũy kế kỳ trước" is printed only by a sentence that names it) — those must then be absent, never wrong.
"""
from __future__ import annotations

import yaml
import pytest

from baocao_desktop.domain import richtext
from baocao_desktop.domain.sentences import MissingValues, default_pattern, generate_sentence
from baocao_desktop.resources import resource_path
from baocao_desktop.services.demo import load_demo
from baocao_desktop.services.docx_import import import_docx_report
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
                pairs.append((report, target.report(result.report_id), printed))
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
    source, target, (original, imported, _) = _pair(trips, fmt, "texts", index)
    a, b = source.report_header(original), target.report_header(imported)
    for name in ("number", "date", "place", "subject", "basis", "closing", "recipients", "signer"):
        assert getattr(b, name) == getattr(a, name), name
    chosen = {s.id: s.name for s in source.signers()}, {s.id: s.name for s in target.signers()}
    assert chosen[1].get(b.signer_id) == chosen[0].get(a.signer_id)  # the same person of the unit


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("index", DEMO_REPORTS)
def test_sections_footnotes_and_tables_come_back(trips, fmt, index):
    _, _, (original, imported, _) = _pair(trips, fmt, "texts", index)
    assert {p: t for p, t in imported.texts.items() if not richtext.is_empty(t)} == \
        {p: t for p, t in original.texts.items() if not richtext.is_empty(t)}
    notes = lambda report: [x for t in report.texts.values() for p in richtext.parse(t) for x in p  # noqa: E731
                            if isinstance(x, richtext.Footnote)]
    assert notes(imported) == notes(original)
    assert imported.tables == original.tables


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
def test_figures_come_back_and_none_is_wrong(trips, fmt, variant, index):
    source, _, (original, imported, printed) = _pair(trips, fmt, variant, index)
    template = source.template(original.template_code, original.template_version)
    before = {(c, f): v for c, fields in original.values.items() for f, v in fields.items()}
    after = {(c, f): v for c, fields in imported.values.items() for f, v in fields.items()}
    wrong = {k: (before.get(k), v) for k, v in after.items() if before.get(k) != v}
    assert not wrong  # a figure that comes back is the figure the report had
    stated = _stated_fields(template, original, printed)
    assert stated, "the document states some figures in their sentences"
    assert {k: after.get(k) for k in stated} == stated
    if variant == "generated":  # every figure the document prints comes back
        printed_fields = {(c, name) for c, fields in original.values.items() for name in fields
                          if "{" + name + "}" in (template.indicator(c).sentence or default_pattern(template.indicator(c)))}
        missing = {k for k in printed_fields if k not in after}
        unprintable = {k for k in missing if _no_sentence(template, original, k[0])}
        assert missing == unprintable


def _no_sentence(template, report, code) -> bool:
    """The indicator's sentence cannot be written (a figure it needs is empty): nothing printed."""
    values = report.values.get(code, {})
    try:
        generate_sentence(template.indicator(code), values, values.get("previous"))
    except MissingValues:
        return True
    return False
