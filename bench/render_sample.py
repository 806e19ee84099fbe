"""Render a realistic Party-format report: DOCX → PDF (LibreOffice) → PNG pages (pdftoppm).

    python bench/render_sample.py OUT_DIR [--seed FILE] [--dpi 60]

Builds a DocumentModel from a few sections of a real weekly report (shared/seeds/001…, whose
footnotes were flattened as "[footnoteRef:N] [N: …]"), writes sample.docx, sample.pdf and
sample-N.png into OUT_DIR and prints the paths and timings. Look at the PNGs next to a real report.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from baocao_desktop.document.docx_writer import write_docx  # noqa: E402
from baocao_desktop.document.model import Body, DocumentModel, Heading, Signer  # noqa: E402
from baocao_desktop.domain.richtext import Run, escape, parse  # noqa: E402

DEFAULT_SEED = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "seeds" / "001_514e65d1ab79b700.txt"
# Line ranges (1-based, inclusive) of the seed used for the sample: section I (footnotes 1, 2),
# II.1 (headings down to a), b)...), 4.2 (footnote 3, several paragraphs).
SEED_RANGES = ((5, 31), (65, 65), (72, 77))
FALLBACK = """I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO CỦA ĐẢNG ỦY
1. Công tác lãnh đạo, chỉ đạo, điều hành
Trong tuần Thường trực Đảng ủy xã đã tập trung lãnh đạo, chỉ đạo toàn diện các nhiệm vụ chính trị \
của địa phương [footnoteRef:1] [1: Trong tuần tổ chức 02 hội nghị.
Tại hội nghị giao ban đã cho ý kiến đối với 04 nội dung trọng tâm.]
II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ TRONG TUẦN
1. Về phát triển kinh tế
1.1. Sản xuất nông, lâm nghiệp và phòng chống thiên tai
a) Sản xuất nông nghiệp: Diện tích lúa mùa thực hiện đạt 549/650 ha, bằng 84,5% kế hoạch."""

ROMAN = re.compile(r"^(?P<num>[IVX]+\.)\s+(?P<rest>.+)$")
LEVEL3 = re.compile(r"^(?P<num>\d+\.\d+\.)\s+(?P<rest>.+)$")
LEVEL2 = re.compile(r"^(?P<num>\d+\.)\s+(?P<rest>.+)$")
LEVEL4 = re.compile(r"^(?P<num>[a-zđ]\))\s+(?P<rest>.+)$")
FOOTNOTE = re.compile(r"\s*\[footnoteRef:(\d+)\]\s*\[\1:(.*?)\]\s*(?=\n|$)", re.S)


def seed_text(seed: Path | None) -> str:
    if seed is None or not seed.exists():
        return FALLBACK
    lines = seed.read_text(encoding="utf-8").split("\n")
    picked: list[str] = []
    for start, end in SEED_RANGES:
        picked.extend(lines[start - 1:end])
    return "\n".join(picked)


def to_markup(text: str) -> str:
    """Escape the text for richtext markup and turn the flattened footnotes into [^…]."""
    out, pos = [], 0
    for match in FOOTNOTE.finditer(text):
        out.append(escape(text[pos:match.start()]))
        note = "\n".join(line.strip() for line in match.group(2).strip().split("\n") if line.strip())
        out.append("[^" + escape(note) + "]")
        pos = match.end()
    out.append(escape(text[pos:]))
    return "".join(out)


LABEL = re.compile(r"^(?P<label>[^:]{1,120}):[\s\u00a0]+(?P<tail>\S.*)$", re.S)


def blocks_from(text: str):
    """Seed lines → headings and body paragraphs ("a) Label: text" → italic label + text)."""
    blocks = []
    for paragraph in parse(to_markup(text)):
        plain = "".join(getattr(item, "text", "") for item in paragraph).strip()
        has_note = any(not hasattr(item, "text") for item in paragraph)
        if not plain and not has_note:
            continue
        for level, pattern in ((1, ROMAN), (3, LEVEL3), (2, LEVEL2), (4, LEVEL4)):
            match = pattern.match(plain)
            if not match:
                continue
            number, rest = match.group("num"), match.group("rest").strip()
            labelled = LABEL.match(rest)
            if labelled is None and not has_note:
                blocks.append(Heading(level, number, rest))
            elif labelled is None or not isinstance(paragraph[0], Run):
                blocks.append(Body(paragraph))
            else:
                # "a) Label: text": italic label (bold italic for 1.1.), then the rest of the runs
                first = paragraph[0]
                head = first.text.lstrip()
                cut = head.index(labelled.group("label")) + len(labelled.group("label")) + 1
                label = Run(head[:cut], bold=level == 3, italic=True)
                rest_run = Run(head[cut:], first.bold, first.italic, first.underline)
                blocks.append(Body((label, rest_run) + tuple(paragraph[1:])))
            break
        else:
            blocks.append(Body(paragraph))
    return tuple(blocks)


def sample_model(seed: Path | None = DEFAULT_SEED) -> DocumentModel:
    return DocumentModel(
        format_code="party",
        upper_body="Đảng bộ tỉnh Lào Cai",
        issuer="Đảng ủy xã Lùng Phình",
        issuer_symbol="ĐU",
        doc_type="BC",
        number="12",
        place="Lùng Phình",
        date=dt.date(2026, 6, 8),
        title="Báo cáo",
        summary="Khái quát tình hình từ ngày 01 đến 07/6/2026",
        blocks=blocks_from(seed_text(seed)),
        closing=("Trên đây là Báo cáo khái quát kết quả lãnh đạo chỉ đạo thực hiện nhiệm vụ từ ngày 01/6 "
                 "đến ngày 07/6/2026 của Thường trực Đảng ủy xã Lùng Phình./."),
        signer=Signer("T/M Ban Thường vụ", "Bí thư", "Nguyễn Văn Thành"),
        recipients=("- Ban Thường vụ Tỉnh ủy (b/c),", "- Văn phòng Tỉnh ủy,",
                    "- Thường trực Đảng ủy, HĐND, UBND xã,", "- Lưu Văn phòng Đảng ủy."),
    )


def soffice_pdf(docx: Path, out_dir: Path, timeout: float = 120) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise RuntimeError("soffice (LibreOffice) không có trong PATH")
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(out_dir), str(docx)],
            check=True, timeout=timeout, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    pdf = out_dir / (docx.stem + ".pdf")
    if not pdf.exists():
        raise RuntimeError(f"LibreOffice did not write {pdf}")
    return pdf


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=Path, default=DEFAULT_SEED)
    parser.add_argument("--dpi", type=int, default=60)
    args = parser.parse_args(argv)
    out: Path = args.out_dir
    out.mkdir(parents=True, exist_ok=True)
    model = sample_model(args.seed)
    t0 = time.perf_counter()
    docx = write_docx(model, out / "sample.docx")
    t1 = time.perf_counter()
    pdf = soffice_pdf(docx, out)
    t2 = time.perf_counter()
    for old in out.glob("sample-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", str(args.dpi), str(pdf), str(out / "sample")], check=True)
    pngs = sorted(out.glob("sample-*.png"))
    print(f"docx  {docx}  ({(t1 - t0) * 1000:.0f} ms)")
    print(f"pdf   {pdf}  ({(t2 - t1):.1f} s)")
    for png in pngs:
        print(f"png   {png}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    raise SystemExit(main())
