"""Totals of the free tables in a section's text (issue 15.2): a table written in the text, pasted from Word or
imported (one the template does not define) is checked like a template table: a total row ("Tổng", "Tổng cộng",
"Tổng số", "Cộng" as its whole label) must equal the sum of the rows above it (back to the previous total row),
and a total column (its header is such a label) the sum of the other figures of its row. Columns of rates
("%", "tỷ lệ", "bình quân") are not summed. The numbers are read by domain.numbers, the rule is rules.total_mismatch;
one warning per table, pointing at the table's paragraph."""
from __future__ import annotations

import re

from ..domain import richtext
from ..domain.numbers import number_or_none
from ..domain.richtext import Table, is_total_label, table_of
from .findings import Finding
from .rules import total_mismatch

_RATE = re.compile(r"%|tỷ lệ|tỉ lệ|bình quân|trung bình|so với|so sánh", re.IGNORECASE)


def text_table_findings(report) -> list[Finding]:
    out: list[Finding] = []
    # cheap: most texts hold no table, and most reports none (sorting every report's paths cost more)
    for path in sorted(path for path, markup in report.texts.items() if richtext.holds_table(markup)):
        for index, paragraph in enumerate(richtext.parse(report.texts[path])):
            table = table_of(paragraph)
            if table is None:
                continue
            problems = table_problems(table)
            if problems:
                out.append(Finding(
                    "text_table.total", "total_parts", "warning",
                    f"Bảng trong nội dung (đoạn {index + 1}): " + " ".join(problems)
                    + " Sửa số cho khớp, hoặc ghi giải trình.",
                    path, "", {"problems": len(problems)}, paragraph=index))
    return out


def table_problems(table: Table) -> list[str]:
    """What does not add up in one free table, one Vietnamese sentence each."""
    texts = table.cell_texts()
    if not texts:
        return []
    head = texts[0] if table.header else None
    body = texts[1:] if table.header else texts
    columns = len(texts[0])
    rates = {c for c in range(columns) if head is not None and _RATE.search(head[c])}
    numbers = [[number_or_none(cell) for cell in row] for row in body]
    problems: list[str] = []
    start = 0
    for r, row in enumerate(body):
        if not is_total_label(row[0]):
            continue
        for c in range(1, columns):
            if c in rates or (body[r][c].strip().endswith("%")):
                continue
            wrong = total_mismatch(numbers[r][c], [numbers[k][c] for k in range(start, r)])
            if wrong:
                name = head[c] if head is not None and head[c] else f"cột {c + 1}"
                problems.append(f"Dòng “{row[0]}”, {_quoted(name)}: {wrong}")
        start = r + 1
    if head is not None:
        for t in range(1, columns):
            if not is_total_label(head[t]):
                continue
            for r, row in enumerate(body):
                parts = [numbers[r][c] for c in range(1, columns) if c != t and c not in rates
                         and not is_total_label(head[c])]
                wrong = total_mismatch(numbers[r][t], parts)
                if wrong:
                    problems.append(f"Cột “{head[t]}”, dòng {_quoted(row[0] or f'thứ {r + 1}')}: {wrong}")
    return problems


def _quoted(name: str) -> str:
    return name if name.startswith(("cột ", "dòng ")) else f"“{name}”"
