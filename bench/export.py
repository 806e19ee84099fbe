"""DOCX export speed against python-docx writing the same paragraphs plainly, in the same run.

    .venv/bin/python bench/export.py                 # 9 alternating runs of each after a warm-up
    .venv/bin/python bench/export.py --runs 15 --profile
    .venv/bin/python bench/export.py --format state

The report is the size of seed 002 (shared/seeds/002…, a one-year review: about 600 paragraphs
and 40 footnotes): the seed's paragraphs, headings recognised by their numbering ("I.", "1.",
"1.1.", "a)"), repeated until there are 600 blocks, with 40 footnotes spread over the body
paragraphs, a data table, the header, the closing and the signature block. Without the seed file a
synthetic text of the same size is used.

(a) baseline: python-docx, `Document()`, `add_paragraph(text)` for each heading, body paragraph and
    footnote text, one `save` to a file;
(b) BaoCao: `write_docx(model, path)` as the app calls it (format file read, styles, header and
    signature tables, real footnotes, page numbers, temporary file, fsync, rename).
Runs alternate a, b, a, b… Goal: median(b)/median(a) ≤ 1.5 and median(b) ≤ 1 s.
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


def plain_texts(model: DocumentModel) -> list[str]:
    """The same paragraphs as plain strings: headings, body paragraphs, footnote texts."""
    texts = []
    for block in model.blocks:
        if isinstance(block, Heading):
            texts.append(f"{block.number} {block.title}")
        elif isinstance(block, Body):
            texts.append("".join(item.text for item in block.content if isinstance(item, Run)))
            for item in block.content:
                if isinstance(item, Footnote):
                    texts.extend("".join(r.text for r in p) for p in item.paragraphs)
    return texts


def baseline(texts: list[str], path: Path) -> None:
    import docx
    document = docx.Document()
    for text in texts:
        document.add_paragraph(text)
    document.save(str(path))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--format", default="party")
    parser.add_argument("--profile", action="store_true", help="profile one export and list the top functions")
    args = parser.parse_args(argv)

    model = bench_model(args.format)
    texts = plain_texts(model)
    bodies = sum(isinstance(b, Body) for b in model.blocks)
    headings = sum(isinstance(b, Heading) for b in model.blocks)
    notes = sum(isinstance(i, Footnote) for b in model.blocks if isinstance(b, Body) for i in b.content)
    chars = sum(len(t) for t in texts)
    print(f"report: {headings} headings + {bodies} body paragraphs = {headings + bodies} paragraphs, "
          f"{notes} footnotes, 1 table, {chars:,} characters ({args.format} format)")

    with tempfile.TemporaryDirectory(prefix="bench-export-") as folder:
        out_a, out_b = Path(folder) / "plain.docx", Path(folder) / "baocao.docx"
        baseline(texts, out_a)  # warm-up: imports, caches
        write_docx(model, out_b)
        times_a, times_b = [], []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            baseline(texts, out_a)
            t1 = time.perf_counter()
            write_docx(model, out_b)
            t2 = time.perf_counter()
            times_a.append(t1 - t0)
            times_b.append(t2 - t1)
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
    print(row("(a) python-docx, add_paragraph(text), save", times_a, size_a))
    print(row("(b) BaoCao write_docx (full official format)", times_b, size_b))
    ratio = statistics.median(times_b) / statistics.median(times_a)
    pairs = statistics.median(b / a for a, b in zip(times_a, times_b))
    ok = ratio <= 1.5 and statistics.median(times_b) <= 1.0
    print(f"ratio median(b)/median(a) = {ratio:.2f}   (per-pair median {pairs:.2f})   "
          f"goal ≤ 1.5 and ≤ 1 s: {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
