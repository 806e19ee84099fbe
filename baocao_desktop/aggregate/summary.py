"""Aggregation → the upper level's own summary report (a DocumentModel for document.docx_writer).

Layout: an opening paragraph saying which units are included and which are missing; then the
template's sections in order, each with its heading, a table per group of (at most four) indicators
with one row per unit and the total rows (Tổng hợp; Kế hoạch and % kế hoạch when there is a plan),
the template's own tables summed across units, an optional plan-vs-actual chart of the section's
totals, and the units' narratives side by side ("Xã A: …", "Xã B: …").
"""
from __future__ import annotations

import datetime as dt

from ..document.model import Body, DocumentModel, Heading, TableBlock
from ..document.model import Signer as DocSigner
from ..domain import richtext
from ..domain.dates import format_date, format_day_month
from ..domain.numbers import format_number
from ..templates.model import added_row_order
from .combine import IndicatorTotal
from .model import Aggregation

COLUMNS_PER_TABLE = 4
TOTAL_LABEL = "Tổng hợp"
PLAN_LABEL = "Kế hoạch"
PERCENT_LABEL = "Tỷ lệ so với kế hoạch (%)"


def period_phrase(agg: Aggregation) -> str:
    start, end = agg.period.start, agg.period.end
    first = format_day_month(start) if start.year == end.year else format_date(start)
    return f"từ ngày {first} đến ngày {format_date(end)}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def _column_header(ind: IndicatorTotal) -> str:
    head = f"{ind.label} ({ind.unit})" if ind.unit else ind.label
    if ind.main_field == "cumulative":
        head += ", lũy kế"
    return head


def indicator_tables(agg: Aggregation, indicators: list[IndicatorTotal]) -> list[TableBlock]:
    """One table per group of indicators: a row per unit, then the total rows."""
    blocks = []
    for i in range(0, len(indicators), COLUMNS_PER_TABLE):
        group = indicators[i:i + COLUMNS_PER_TABLE]
        header = ("Đơn vị",) + tuple(_column_header(ind) for ind in group)
        rows = []
        for unit in agg.units:
            cells = []
            for ind in group:
                value = ind.fields[ind.main_field].values.get(unit.id) if ind.main_field in ind.fields else None
                cells.append(format_number(value) if value is not None else "–")
            rows.append((unit.short_name,) + tuple(cells))
        totals = []
        total_row = []
        for ind in group:
            if ind.total is None:
                total_row.append("–")
            else:
                total_row.append(format_number(ind.total) + (" (bình quân)" if ind.rule == "mean" else ""))
        totals.append(len(rows))
        rows.append((TOTAL_LABEL,) + tuple(total_row))
        if any(ind.percent is not None for ind in group):
            plan_row, percent_row = [], []
            for ind in group:
                plan_row.append(format_number(ind.percent_plan_total) if ind.percent is not None else "–")
                percent_row.append(format_number(ind.percent, ind.decimals) if ind.percent is not None else "–")
            totals += [len(rows), len(rows) + 1]
            rows += [(PLAN_LABEL,) + tuple(plan_row), (PERCENT_LABEL,) + tuple(percent_row)]
        blocks.append(TableBlock("", header, tuple(rows), tuple(totals)))
    return blocks


def summed_table(agg: Aggregation, table) -> TableBlock | None:
    cells = agg.tables.get(table.code, {})
    if not any(v is not None for row in cells.values() for v in row.values()):
        return None
    header = ("Nội dung",) + tuple(f"{c.label} ({c.unit})" if c.unit else c.label for c in table.columns)
    title = f"{table.title} (tổng hợp {len(agg.units)} đơn vị)"
    if table.rows_vary:
        # Each unit names these rows itself (its old communes, its villages): cells are summed by row code,
        # so a row says its place in the template, not one unit's name; rows units added are listed too, so
        # the parts still add up to the total.
        added = sorted((r for r in cells if table.row(r) is None), key=added_row_order)
        table = table.for_report({code: f"Dòng thêm thứ {i}" for i, code in enumerate(added, 1)})
        title = (f"{table.title} (tổng hợp {len(agg.units)} đơn vị; tên dòng khác nhau theo đơn vị, "
                 f"cộng theo thứ tự dòng của mẫu)")
    rows = tuple((r.label,) + tuple(format_number(cells.get(r.code, {}).get(c.code)) for c in table.columns)
                 for r in table.rows)
    totals = tuple(i for i, r in enumerate(table.rows) if r.code == table.total_row)
    return TableBlock(title, header, rows, totals)


def narrative_blocks(agg: Aggregation, path: str) -> list[Body]:
    """Each unit's text of one section, its name in bold before the first paragraph."""
    narrative = next((n for n in agg.narratives if n.path == path), None)
    if narrative is None:
        return []
    names = {u.id: u.short_name for u in agg.units}
    blocks = []
    for unit_id, markup in narrative.texts:
        paragraphs = [p for p in richtext.parse(markup) if p]
        if not paragraphs:
            continue
        name = (richtext.Run(f"{names.get(unit_id, unit_id)}: ", bold=True),)
        if richtext.table_of(paragraphs[0]) is not None:  # a table starts the text: the name above it
            blocks.append(Body(name))
            blocks.extend(Body(p) for p in paragraphs)
            continue
        blocks.append(Body(name + tuple(paragraphs[0])))
        blocks.extend(Body(p) for p in paragraphs[1:])
    return blocks


def _chart(section, indicators: list[IndicatorTotal]):
    from ..document.charts import ChartError, chart_block, indicator_chart
    usable = [i for i in indicators if i.percent is not None]
    if not usable:
        return None
    values = {i.code: {"plan": i.percent_plan_total, i.main_field: i.percent_base_total} for i in usable}

    class _Ind:  # what indicator_chart reads: code, label, unit, percent_base
        def __init__(self, total: IndicatorTotal):
            self.code, self.label, self.unit, self.percent_base = total.code, total.label, total.unit, total.main_field
    try:
        spec = indicator_chart("plan_vs_actual", f"{section.title}: thực hiện so với kế hoạch (tổng hợp)",
                               [_Ind(i) for i in usable], values, field=None)
        return chart_block(spec) if spec else None
    except ChartError:
        return None


def build_summary_document(agg: Aggregation, issuer, signer=None, date: dt.date | None = None, number: str = "",
                           charts: bool = False) -> DocumentModel:
    """`issuer`: the upper level's own unit (domain.model.Unit); `signer`: a domain.model.Signer or None."""
    template = agg.template
    by_section: dict[str, list[IndicatorTotal]] = {}
    for ind in agg.indicators:
        main = ind.fields.get(ind.main_field)
        if main and main.count:
            by_section.setdefault(ind.section, []).append(ind)
    texts = {n.path for n in agg.narratives if n.texts}
    tables = {code for code, rows in agg.tables.items() if rows}

    def has_content(section) -> bool:
        return any(s.path in by_section or s.path in texts or any(t in tables for t in s.tables)
                   for s in section.walk())

    name = _lower_first(template.name)
    blocks: list = []
    included = ", ".join(u.short_name for u in agg.units) or "chưa có đơn vị nào"
    intro = (f"Tổng hợp từ {name} {period_phrase(agg)} của {len(agg.units)}/{len(agg.units) + len(agg.missing)} "
             f"đơn vị: {included}.")
    if agg.missing:
        intro += f" Chưa nhận báo cáo của {len(agg.missing)} đơn vị: {', '.join(u.short_name for u in agg.missing)}."
    blocks.append(Body((richtext.Run(intro),)))
    # a unit that sent only its months: said, with any month it did not send
    blocks.extend(Body((richtext.Run(f"{note}."),)) for note in agg.month_notes())

    def add(section) -> None:
        if not has_content(section):
            return
        blocks.append(Heading(section.level, section.number, section.title))
        indicators = by_section.get(section.path, [])
        blocks.extend(indicator_tables(agg, indicators))
        for code in section.tables:
            table = template.table(code)
            block = summed_table(agg, table) if table else None
            if block is not None:
                blocks.append(block)
        if charts and indicators:
            chart = _chart(section, indicators)
            if chart is not None:
                blocks.append(chart)
        blocks.extend(narrative_blocks(agg, section.path))
        for child in section.children:
            add(child)

    for section in template.sections:
        add(section)
    return DocumentModel(
        format_code=issuer.format or "party",
        upper_body=issuer.upper_body,
        issuer=issuer.name,
        issuer_symbol=issuer.symbol,
        doc_type="BC",
        number=number,
        place=issuer.place_name,
        date=date,
        title="BÁO CÁO",
        summary=f"Tổng hợp {name} {period_phrase(agg)}",
        blocks=tuple(blocks),
        closing=f"Trên đây là báo cáo tổng hợp {name} {period_phrase(agg)} của {len(agg.units)} đơn vị./.",
        signer=DocSigner(signer.on_behalf, signer.title, signer.name) if signer else None,
        recipients=("- Lưu Văn phòng.",),
    )
