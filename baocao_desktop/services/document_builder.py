"""Report + template + unit → DocumentModel (what the official document says, before layout)."""
from __future__ import annotations

from ..document.model import Body, DocumentModel, Heading, TableBlock
from ..document.model import Signer as DocSigner
from ..document.figures_part import FiguresPart
from ..domain import richtext
from ..domain.model import UNPLACED_PATH, UNPLACED_TITLE, Report, Unit
from ..domain.numbers import format_number
from ..domain.sentences import has_reported_figures
from ..templates.model import Section, Table, Template
from .report_header import ReportHeader, fill_pattern, pattern_fields  # noqa: F401 (pattern_fields re-exported)


def table_block(table: Table, report: Report) -> TableBlock | None:
    """The table as printed, with the rows this report has (its own names, added rows, rows left out);
    None when none of its cells is filled."""
    table = table.for_report(report.table_rows.get(table.code))
    cells = report.tables.get(table.code, {})
    if not any(v is not None for row in cells.values() for v in row.values()):
        return None
    header = ("Nội dung",) + tuple(f"{c.label} ({c.unit})" if c.unit else c.label for c in table.columns)
    rows = tuple((r.label,) + tuple(format_number(cells.get(r.code, {}).get(c.code))
                                    for c in table.columns) for r in table.rows)
    totals = tuple(i for i, r in enumerate(table.rows) if r.code == table.total_row)
    return TableBlock(table.title, header, rows, totals)


def build_document(template: Template, report: Report, unit: Unit, header: ReportHeader,
                   history: list | None = None) -> DocumentModel:
    """`header`: the report's header items as they print (services.report_header.effective_header).
    The document prints each section's stored text as it is: no sentence is written here (a generated
    sentence prints only once the editor or `report fill` put it in the text; a section with figures and no
    text is a finding, checks.report_checks).
    `history`: [(period label, values)] of this unit's reports of this template, oldest first,
    this report last (for trend charts)."""
    blocks: list = []

    def has_content(section: Section) -> bool:
        return any(not richtext.is_empty(report.texts.get(s.path)) or
                   has_reported_figures(s.indicators, report.values) or
                   any(report.tables.get(t) for t in s.tables) for s in section.walk())

    def add(section: Section) -> None:
        if not has_content(section):
            return
        blocks.append(Heading(section.level, section.number, section.title))
        paragraphs = richtext.parse(report.texts.get(section.path))
        blocks.extend(Body(p) for p in paragraphs if p)
        for code in section.tables:
            block = table_block(template.table(code), report)
            if block is not None:
                blocks.append(block)
        if section.charts:
            from ..document.charts import chart_for_request
            for request in section.charts:
                chart = chart_for_request(request, template, report.values, (history or [])[-request.periods:])
                if chart is not None:
                    blocks.append(chart)
        for child in section.children:
            add(child)

    for section in template.sections:
        add(section)
    unplaced = [p for p in richtext.parse(report.texts.get(UNPLACED_PATH)) if p]
    if unplaced:
        blocks.append(Heading(1, "", UNPLACED_TITLE))
        blocks.extend(Body(p) for p in unplaced)
    return DocumentModel(
        format_code=template.format or unit.format or "party",  # a UBND template prints as State
        upper_body=unit.upper_body,
        issuer=unit.name,
        issuer_symbol=unit.symbol,
        doc_type=template.doc_type,
        number=header.number,
        place=header.place,
        date=header.date,
        title=template.title,
        summary=header.subject,
        basis=tuple(header.basis_paragraphs),
        blocks=tuple(blocks),
        closing=header.closing,
        signer=DocSigner(header.signer.on_behalf, header.signer.title, header.signer.name) if header.signer else None,
        recipients=header.recipients,
        status=report.status,
        figures=FiguresPart(report.template_code, report.template_version, report.period.start, report.period.end,
                            {code: dict(fields) for code, fields in report.values.items() if fields}),
    )
