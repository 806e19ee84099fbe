"""`export … --pdf OUT` (LibreOffice) and `report import-docx FILE --template CODE --period …`."""
import json
import stat
import sys
import textwrap
from pathlib import Path

import pytest

from baocao_desktop.document import pdf
from tests.conftest import run_cli

docx = pytest.importorskip("docx")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("cli") / "cli.sqlite3")
    code, _, err = run_cli("demo", "--db", db)
    assert code == 0, err
    return db


def weekly(db) -> str:
    _, out, _ = run_cli("report", "list", "--db", db, "--json")
    return next(r["id"] for r in json.loads(out)["reports"] if r["template"] == "bc_tuan")


def test_export_pdf_without_libreoffice_exits_2_and_keeps_the_docx(demo_db, tmp_path, monkeypatch):
    monkeypatch.setenv(pdf.SOFFICE_ENV, str(tmp_path / "không có soffice"))
    out_docx, out_pdf = tmp_path / "tuần.docx", tmp_path / "tuần.pdf"
    code, out, err = run_cli("export", weekly(demo_db), "--db", demo_db, "--docx", str(out_docx), "--pdf", str(out_pdf))
    assert code == 2
    assert "Chưa cài LibreOffice" in err and str(out_docx) in err
    assert out_docx.read_bytes()[:2] == b"PK" and not out_pdf.exists()
    assert f"Đã xuất {out_docx}" in out


@pytest.mark.skipif(sys.platform == "win32", reason="fake soffice is a POSIX script")
def test_export_pdf_through_libreoffice(demo_db, tmp_path, monkeypatch):
    program = tmp_path / "soffice"
    program.write_text(f"#!{sys.executable}\n" + textwrap.dedent("""
        import sys, pathlib
        args = sys.argv[1:]
        source = pathlib.Path(args[-1])
        assert source.read_bytes()[:2] == b"PK"
        outdir = pathlib.Path(args[args.index("--outdir") + 1])
        (outdir / (source.stem + ".pdf")).write_bytes(b"%PDF-1.4 converted")
    """), encoding="utf-8")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv(pdf.SOFFICE_ENV, str(program))
    out_docx, out_pdf = tmp_path / "tuần.docx", tmp_path / "tuần.pdf"
    code, out, err = run_cli("export", weekly(demo_db), "--db", demo_db, "--docx", str(out_docx), "--pdf", str(out_pdf),
                             "--json")
    assert code == 0, err
    assert json.loads(out) == {"docx": str(out_docx), "pdf": str(out_pdf), "draft": True, "open_errors": 0,
                               "open_warnings": 0}
    assert out_pdf.read_bytes() == b"%PDF-1.4 converted"


def test_import_docx_creates_a_report(demo_db, tmp_path):
    document = docx.Document()
    document.add_heading("I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO CỦA ĐẢNG ỦY", level=1)
    document.add_heading("1. Công tác lãnh đạo, chỉ đạo, điều hành", level=2)
    document.add_paragraph("Thường trực Đảng ủy chỉ đạo tổ chức Lễ hội Cúng rừng.")
    document.add_heading("V. CÔNG TÁC KHÁC", level=1)
    document.add_paragraph("Đón đoàn công tác của tỉnh.")
    path = tmp_path / "tuần cũ.docx"
    document.save(path)
    code, out, err = run_cli("report", "import-docx", str(path), "--template", "bc_tuan", "--period", "2026-07-06",
                             "--db", demo_db, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["sections"] == ["I", "I.1"] and data["unplaced_paragraphs"] == 2
    code, out, _ = run_cli("report", "show", data["id"], "--db", demo_db, "--json")
    shown = json.loads(out)
    assert shown["period"]["start"] == "2026-07-06"
    assert shown["sections"]["I.1"]["text"] == "Thường trực Đảng ủy chỉ đạo tổ chức Lễ hội Cúng rừng."
    assert shown["sections"]["_unplaced"]["text"] == "**V. CÔNG TÁC KHÁC**\nĐón đoàn công tác của tỉnh."


def test_import_docx_bad_file_exits_2(demo_db, tmp_path):
    path = tmp_path / "ảnh.docx"
    path.write_bytes(bytes(range(256)) * 8)
    _, before, _ = run_cli("report", "list", "--db", demo_db, "--json")
    code, out, err = run_cli("report", "import-docx", str(path), "--template", "bc_tuan", "--period", "2026-07-13",
                             "--db", demo_db)
    assert code == 2 and "không phải tệp Word" in err
    _, after, _ = run_cli("report", "list", "--db", demo_db, "--json")
    assert json.loads(after) == json.loads(before)  # nothing created


def test_import_docx_of_an_exported_report_lists_and_stores_every_figure(demo_db, tmp_path):
    """Issue 15.7: `--figures` lists what the file's figures part carries (origin "export", notes); the
    import then stores every figure of the exported report."""
    report_id = weekly(demo_db)
    exported = tmp_path / "tuần xuất.docx"
    assert run_cli("export", report_id, "--db", demo_db, "--docx", str(exported))[0] == 0
    code, out, err = run_cli("report", "import-docx", str(exported), "--template", "bc_tuan", "--figures",
                             "--period", "2027-06-07", "--db", demo_db)
    assert code == 0, err
    listed = json.loads(out)
    assert any(f["origin"] == "export" for f in listed["figures"])
    assert listed["notes"] and listed["notes"][0].startswith("Tệp do BaoCao xuất")
    code, out, err = run_cli("report", "import-docx", str(exported), "--template", "bc_tuan", "--period",
                             "2027-06-07", "--accept-figures", "all", "--db", demo_db, "--json")
    assert code == 0, err
    imported = json.loads(out)
    assert imported["notes"] == listed["notes"]
    from baocao_desktop.services.workspace import Workspace
    workspace = Workspace(demo_db, author="t")
    try:  # what the reports store (`report show` adds a Lũy kế kỳ trước derived from the earlier report)
        assert workspace.report(imported["id"]).values == workspace.report(report_id).values
    finally:
        workspace.close()
