"""The incremental proofreader (kept per open report) gives, after every edit, exactly the findings of a fresh
run on the same text: edits of each seed report (a paragraph inserted, deleted, a figure changed, a document
number changed, a paragraph duplicated, a word typed twice, the date line changed) are applied one after the
other and each result is compared with a new proofreader's."""
import datetime as dt
import re
from types import SimpleNamespace

import pytest

from baocao_desktop.checks.proofread import IncrementalProofreader, ProofreadContext, proofread_report
from baocao_desktop.checks.proofread import document as proofread_document
from baocao_desktop.domain import richtext
from tests.conftest import SEEDS

SECTION_SIZE = 25  # paragraphs per section of the report built from a seed
CONTEXTS = {
    "none": None,
    "unit": ProofreadContext(unit_name="Đảng ủy xã Lùng Phình", level="xã", founded_on=dt.date(2025, 7, 1),
                             old_units=("Lùng Phình", "Tả Van Chư", "Lùng Thẩn"), villages=("Tả Chải", "Sín Chải")),
}


class Report:
    """A report with one section per SECTION_SIZE lines of a seed, the last paragraph of each section with a
    footnote."""

    def __init__(self, lines: list[str]):
        self.sections = [lines[k:k + SECTION_SIZE] for k in range(0, len(lines), SECTION_SIZE)]
        self.report_date = dt.date(2026, 6, 8)
        self.period = SimpleNamespace(start=dt.date(2026, 6, 1), end=dt.date(2026, 6, 7))
        self.status = "draft"
        self.texts = self.markup()

    def markup(self) -> dict[str, str]:
        """The sections' narratives as the report stores them."""
        out = {}
        for k, paragraphs in enumerate(self.sections):
            body = [richtext.escape(p) for p in paragraphs]
            if body:
                body[-1] += f"[^Theo Báo cáo số {k + 1}-BC/ĐU ngày 05/6/2026 của Đảng ủy xã.]"
            out[str(k + 1)] = "\n".join(body)
        return out


class Template:
    def __init__(self, report: Report):
        self.report = report

    def walk(self):
        return [SimpleNamespace(path=str(k + 1), heading=f"{k + 1}. Mục {k + 1}")
                for k in range(len(self.report.sections))]


def _figure_changed(report):
    for paragraphs in report.sections:
        for i, p in enumerate(paragraphs):
            m = re.search(r"\b([0-9]{2,3})\b(?!/)", p)
            if m:
                paragraphs[i] = p[:m.start()] + str(int(m.group()) + 7) + p[m.end():]
                return


def _symbol_changed(report):
    for paragraphs in reversed(report.sections):
        for i, p in enumerate(paragraphs):
            m = re.search(r"\b([0-9]{1,4})(-[A-ZĐ]{1,4}/)", p)
            if m:
                paragraphs[i] = p[:m.start(1)] + str(int(m.group(1)) + 1) + p[m.end(1):]
                return


def _first_line_changed(report):
    report.sections[0][0] = report.sections[0][0] + " Lùng Phình, ngày 09 tháng 6 năm 2026"


EDITS = [
    ("insert", lambda r: r.sections[1].insert(3, "Trong tuần, tiếp nhận 12 đơn, trong đó: 05 đơn khiếu nại, "
                                                 "04 đơn tố cáo, 02 đơn kiến nghị; đạt 85% (11/13 đơn).")),
    ("delete", lambda r: r.sections[2].pop(4)),
    ("figure", _figure_changed),
    ("document number", _symbol_changed),
    ("duplicate", lambda r: r.sections[-1].append(r.sections[0][min(5, len(r.sections[0]) - 1)])),
    ("word twice", lambda r: r.sections[1].insert(0, "Đảng ủy xã đã tổ chức tổ chức hội nghị trong tháng tháng 6.")),
    ("word twice undone", lambda r: r.sections[1].pop(0)),
    ("first line", _first_line_changed),
    ("section emptied", lambda r: r.sections[3].clear()),
    ("moved", lambda r: r.sections[0].insert(1, r.sections[-1].pop(0))),
]


@pytest.mark.parametrize("context", CONTEXTS, ids=list(CONTEXTS))
@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_every_edit_gives_the_findings_of_a_fresh_run(seed, context):
    context = CONTEXTS[context]
    report = Report(seed.read_text(encoding="utf-8").split("\n"))
    template = Template(report)
    proofreader = IncrementalProofreader()
    first = proofreader.proofread_report(template, report, context)
    assert first == proofread_report(template, report, context)
    assert first, "a seed report has findings"
    seen_changes = 0
    previous = first
    for name, edit in EDITS:
        edit(report)
        report.texts = report.markup()
        again = proofreader.proofread_report(template, report, context)
        fresh = proofread_report(template, report, context)
        assert again == fresh, name
        seen_changes += again != previous
        previous = again
    assert seen_changes >= 5  # the edits do change the findings


def test_after_one_edit_only_the_edited_paragraph_is_read_again(monkeypatch):
    report = Report((SEEDS / "001_514e65d1ab79b700.txt").read_text(encoding="utf-8").split("\n"))
    template = Template(report)
    proofreader = IncrementalProofreader()
    proofreader.proofread_report(template, report)
    read = []
    original = proofread_document.scan
    monkeypatch.setattr(proofread_document, "scan", lambda text: read.append(text) or original(text))
    proofreader.proofread_report(template, report)
    assert read == []
    report.sections[2][1] += " Tỷ lệ đạt 60% (3/6 thôn)."
    report.texts = report.markup()
    found = proofreader.proofread_report(template, report)
    assert read == [report.sections[2][1]]
    assert [f.code for f in found if f.section == "3" and f.paragraph == 1].count("percent.ratio") == 1


def test_a_phrase_written_elsewhere_changes_a_paragraph_that_did_not_change():
    """A doubled syllable between two words ("tiếp nhận nhận xét") is excused, unless the text writes the
    phrase elsewhere with the syllable once ("tiếp nhận xét"): an edit elsewhere changes the verdict on a
    paragraph that was not edited, as a fresh run gives it."""
    report = Report(["Đồng chí đã tiếp nhận nhận xét của đoàn.", "Nội dung khác."])
    template = Template(report)
    proofreader = IncrementalProofreader()
    doubled = []
    for extra in ("", "Đã tiếp nhận xét duyệt hồ sơ.", ""):
        report.sections[0][1] = "Nội dung khác. " + extra
        report.texts = report.markup()
        found = proofreader.proofread_report(template, report)
        assert found == proofread_report(template, report)
        doubled.append([f.start for f in found if f.code == "duplicate.word" and f.paragraph == 0])
    assert doubled[0] == doubled[2] == [] and doubled[1]
