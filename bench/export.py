"""DOCX export speed against python-docx writing the same paragraphs and tables plainly, in the same run.

    .venv/bin/python bench/export.py                 # the largest demo report, 11 alternating runs each
    .venv/bin/python bench/export.py --runs 15 --profile
    .venv/bin/python bench/export.py --format state
    .venv/bin/python bench/export.py --report seed   # seed 002 stretched to 600 paragraphs, 1 table

The report (default `--report demo`) is the largest report of the demo (resources/demo, loaded into a
temporary database): its DocumentModel exactly as the app exports it, with all its tables (the
one-year review: 80 headings, 116 body paragraphs, 8 tables). `--report seed` is the earlier
synthetic report: seed 002's paragraphs repeated to 600 blocks, 40 footnotes, one table.

(a) baseline: python-docx, `Document()`, `add_paragraph(text)` for each heading, body paragraph and
    footnote text, `add_table(rows, cols)` and `cell.text = …` row by row for each table, one `save`;
(b) BaoCao: `write_docx(model, path)` as the app calls it (format file read, styles, header and
    signature tables, data tables with fixed column widths, real footnotes, page numbers, draft mark,
    temporary file, fsync, rename).
Runs alternate a, b, a, b… Wall time and the process's CPU time are both measured (the machine is
shared: CPU time is what the code costs). Goal: median(b)/median(a) ≤ 1.5 and median(b) ≤ 1 s.
"""
from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import pstats
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from baocao_desktop.document.docx_writer import write_docx  # noqa: E402
from baocao_desktop.document.model import Body, DocumentModel, Heading, Signer, TableBlock  # noqa: E402
from baocao_desktop.domain.richtext import Footnote, Run  # noqa: E402

SEED = ROOT / "tests" / "fixtures" / "seeds" / "002_23fbb3a3a871c589.txt"
PARAGRAPHS = 600
FOOTNOTES = 40
HEADING = (
    (1, re.compile(r"^(?P<num>[IVX]+\.)\s+(?P<rest>.{3,200})$")),
    (3, re.compile(r"^(?P<num>\d+\.\d+\.)\s+(?P<rest>.{3,200})$")),
    (2, re.compile(r"^(?P<num>\d+\.)\s+(?P<rest>.{3,200})$")),
    (4, re.compile(r"^(?P<num>[a-zđ]\))\s+(?P<rest>.{3,200})$")),
)
SUPERSCRIPTS = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
SYNTHETIC = ("Trong năm, Ban Thường vụ Đảng ủy xã đã tập trung lãnh đạo, chỉ đạo thực hiện toàn diện các nhiệm vụ "
             "chính trị; tổ chức 12 hội nghị quán triệt, học tập các nghị quyết, chỉ thị của cấp trên với 1.248 lượt "
             "cán bộ, đảng viên tham gia, đạt 96,5%; kiện toàn bộ máy, sắp xếp 37 tổ chức đảng trực thuộc.")


def seed_lines() -> list[str]:
    if SEED.exists():
        lines = [SUPERSCRIPTS.sub("", line).strip() for line in SEED.read_text(encoding="utf-8").splitlines()]
        lines = [line for line in lines if len(line) > 1 and line != "*"]
        if len(lines) > 50:
            return lines
    return [f"{n}. {SYNTHETIC}" if n % 12 == 0 else SYNTHETIC for n in range(1, 301)]


def bench_model(format_code: str = "party") -> DocumentModel:
    lines = seed_lines()
    blocks: list = []
    body_indices: list[int] = []
    while len(blocks) < PARAGRAPHS:
        for line in lines:
            if len(blocks) >= PARAGRAPHS:
                break
            for level, pattern in HEADING:
                match = pattern.match(line)
                if match and len(line) < 220:
                    blocks.append(Heading(level, match.group("num"), match.group("rest")))
                    break
            else:
                body_indices.append(len(blocks))
                blocks.append(Body((Run(line),)))
    step = max(1, len(body_indices) // FOOTNOTES)
    for n, index in enumerate(body_indices[::step][:FOOTNOTES]):
        text = blocks[index].content[0].text
        note = lines[(n * 7) % len(lines)][:300]
        cut = text.find(";") if 0 < text.find(";") < len(text) - 1 else len(text)
        blocks[index] = Body((Run(text[:cut]), Footnote(((Run(note),),)), Run(text[cut:])))
    table = TableBlock("Tổ chức đảng trước và sau sắp xếp", ("Nội dung", "Trước sắp xếp", "Sau sắp xếp"),
                       (("Đảng bộ cơ sở", "3", "3"), ("Chi bộ cơ sở", "8", "8"), ("Chi bộ trực thuộc", "44", "44"),
                        ("Tổng số", "55", "55")), (3,))
    blocks.insert(len(blocks) // 2, table)
    return DocumentModel(
        format_code=format_code, upper_body="Đảng bộ tỉnh Lai Châu", issuer="Đảng ủy xã Bình Lư", issuer_symbol="ĐU",
        doc_type="BC", number="430", place="Bình Lư", date=dt.date(2026, 5, 24), title="Báo cáo",
        summary="Sơ kết 01 năm vận hành bộ máy của hệ thống chính trị và chính quyền địa phương 2 cấp",
        blocks=tuple(blocks),
        closing="Trên đây là Báo cáo sơ kết 01 năm vận hành bộ máy của hệ thống chính trị và chính quyền địa "
                "phương 2 cấp trên địa bàn xã Bình Lư.",
        signer=Signer("T/M Ban Thường vụ", "Bí thư", "Nguyễn Tiến Thịnh"),
        recipients=("- Thường trực Tỉnh ủy,", "- Ban Tổ chức Tỉnh ủy,", "- Ban Thường vụ Đảng ủy xã,", "- Lưu."),
    )


def demo_model(format_code: str = "party") -> DocumentModel:
    """The largest demo report's DocumentModel (most characters and table cells), as the app builds it."""
    import dataclasses

    from baocao_desktop.services.demo import load_demo
    from baocao_desktop.services.workspace import Workspace

    with tempfile.TemporaryDirectory(prefix="bench-export-demo-") as folder:
        ws = Workspace(Path(folder) / "demo.sqlite3", author="bench")
        try:
            models = [ws.document_model(report_id) for report_id in load_demo(ws)]
        finally:
            ws.close()

    def size(model: DocumentModel) -> int:
        return (sum(len(t) for t in plain_texts(model))
                + sum(len(c) for b in model.blocks if isinstance(b, TableBlock) for row in b.rows for c in row))
    model = max(models, key=size)
    return dataclasses.replace(model, format_code=format_code)


def block_texts(block) -> list[str]:
    """A heading or a body paragraph as plain strings: its text, then its footnotes' texts."""
    if isinstance(block, Heading):
        return [f"{block.number} {block.title}"]
    if isinstance(block, Body):
        texts = ["".join(item.text for item in block.content if isinstance(item, Run))]
        for item in block.content:
            if isinstance(item, Footnote):
                texts.extend("".join(r.text for r in p) for p in item.paragraphs)
        return texts
    return []


def plain_texts(model: DocumentModel) -> list[str]:
    """The same paragraphs as plain strings: headings, body paragraphs, footnote texts."""
    return [text for block in model.blocks for text in block_texts(block)]


def plain_content(model: DocumentModel) -> list:
    """What the baseline writes, in order: texts (headings, body paragraphs, footnote texts) and tables
    (header row + rows of text)."""
    out: list = []
    for block in model.blocks:
        if isinstance(block, TableBlock):
            out.append([list(block.header)] + [list(row) for row in block.rows])
        else:
            out.extend(block_texts(block))
    return out


def baseline(content: list, path: Path) -> None:
    import docx
    document = docx.Document()
    for item in content:
        if isinstance(item, str):
            document.add_paragraph(item)
        else:
            table = document.add_table(rows=len(item), cols=len(item[0]))
            for row, values in zip(table.rows, item):
                for cell, value in zip(row.cells, values):
                    cell.text = value
    document.save(str(path))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--format", default="party")
    parser.add_argument("--report", choices=("demo", "seed"), default="demo",
                        help="the largest demo report (default) or seed 002 stretched to 600 paragraphs")
    parser.add_argument("--profile", action="store_true", help="profile one export and list the top functions")
    args = parser.parse_args(argv)

    model = demo_model(args.format) if args.report == "demo" else bench_model(args.format)
    texts = plain_texts(model)
    content = plain_content(model)
    tables = [b for b in model.blocks if isinstance(b, TableBlock)]
    bodies = sum(isinstance(b, Body) for b in model.blocks)
    headings = sum(isinstance(b, Heading) for b in model.blocks)
    notes = sum(isinstance(i, Footnote) for b in model.blocks if isinstance(b, Body) for i in b.content)
    chars = sum(len(t) for t in texts)
    cells = sum(len(t.header) * (1 + len(t.rows)) for t in tables)
    print(f"report ({args.report}): {headings} headings + {bodies} body paragraphs = {headings + bodies} paragraphs, "
          f"{notes} footnotes, {len(tables)} tables ({cells} cells), {chars:,} characters "
          f"({args.format} format, status {model.status or '-'})")

    with tempfile.TemporaryDirectory(prefix="bench-export-") as folder:
        out_a, out_b = Path(folder) / "plain.docx", Path(folder) / "baocao.docx"
        baseline(content, out_a)  # warm-up: imports, caches
        write_docx(model, out_b)
        times_a, times_b, cpu_a, cpu_b = [], [], [], []
        for _ in range(args.runs):
            t0, c0 = time.perf_counter(), time.process_time()
            baseline(content, out_a)
            t1, c1 = time.perf_counter(), time.process_time()
            write_docx(model, out_b)
            t2, c2 = time.perf_counter(), time.process_time()
            times_a.append(t1 - t0)
            times_b.append(t2 - t1)
            cpu_a.append(c1 - c0)
            cpu_b.append(c2 - c1)
        size_a, size_b = out_a.stat().st_size, out_b.stat().st_size
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            write_docx(model, out_b)
            profiler.disable()
            stream = io.StringIO()
            pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(30)
            print(stream.getvalue())

    def row(name, values, size):
        return (f"{name:<44} {statistics.median(values):7.3f}s {min(values):7.3f}s {max(values):7.3f}s"
                f"   {size / 1024:6.0f} KB")
    print(f"{'':<44} {'median':>8} {'min':>8} {'max':>8}   {'file':>9}")
    print(row("(a) python-docx, paragraphs + tables, save", times_a, size_a))
    print(row("(b) BaoCao write_docx (full official format)", times_b, size_b))
    print(row("(a) CPU time", cpu_a, size_a))
    print(row("(b) CPU time", cpu_b, size_b))
    ratio = statistics.median(times_b) / statistics.median(times_a)
    pair_ratios = sorted(b / a for a, b in zip(times_a, times_b))
    cpu_ratio = statistics.median(cpu_b) / statistics.median(cpu_a)
    ok = ratio <= 1.5 and statistics.median(times_b) <= 1.0
    print(f"ratio median(b)/median(a) = {ratio:.2f}   (per pair: median {statistics.median(pair_ratios):.2f}, "
          f"{pair_ratios[0]:.2f}–{pair_ratios[-1]:.2f})   CPU {cpu_ratio:.2f}   "
          f"goal ≤ 1.5 and ≤ 1 s: {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
