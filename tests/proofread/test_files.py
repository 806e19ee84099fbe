"""Reading files to proofread, and the `proofread` command: encodings, .docx with footnotes, bad input."""
import json
import unicodedata
import zipfile

import pytest

from baocao_desktop.checks.proofread import ProofreadInputError, proofread_file, read_file
from tests.conftest import run_cli

from .conftest import make_docx

TEXT = ("BÁO CÁO\nĐảng ủy ban hành Nghị quyết số 03-QĐ/ĐU ngày 01/9/2025 về phân công.\n"
        "Diện tích lúa mùa đạt 549/650 ha, bằng 84,5% kế hoạch; rau 86/132 ha, bằng 66% kế hoạch.")


def to_cp1258(text: str) -> bytes:
    """Windows-1258: precomposed base vowels (â, ê, ơ, ư…) plus combining tone marks."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = b""
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", parts[0] + "".join(m for m in parts[1:] if m not in tones))
            out += (base + "".join(m for m in parts[1:] if m in tones)).encode("cp1258")
    return out


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1258"])
def test_text_encodings_give_the_same_findings(tmp_path, encoding):
    path = tmp_path / f"bc_{encoding}.txt"
    path.write_bytes(to_cp1258(TEXT) if encoding == "cp1258" else TEXT.encode(encoding))
    findings = proofread_file(path)
    assert [(f.line, f.code) for f in findings] == [(2, "symbol.mismatch"), (3, "percent.ratio")]
    assert read_file(path).encoding in (encoding, "utf-16" if encoding == "utf-16" else encoding)


def test_docx_body_paragraphs_and_footnotes(tmp_path):
    path = make_docx(tmp_path / "bc.docx",
                     ["BÁO CÁO", "Trong tuần tổ chức 02 hội nghị.", "Rau đạt 86/132 ha, bằng 66% kế hoạch."],
                     footnotes=["Hội nghị giao ban; Nghị quyết số 03-QĐ/ĐU ngày 01/9/2025."])
    source = read_file(path)
    assert source.location == "paragraph" and source.paragraphs[1] == "Trong tuần tổ chức 02 hội nghị."
    assert source.footnotes == ["Hội nghị giao ban; Nghị quyết số 03-QĐ/ĐU ngày 01/9/2025."]
    findings = proofread_file(path)
    ratio = next(f for f in findings if f.code == "percent.ratio")
    symbol = next(f for f in findings if f.code == "symbol.mismatch")
    body = source.paragraphs[2]
    assert ratio.to_json()["location"] == {"paragraph": 2, "start": body.index("66%"), "end": body.index("66%") + 3}
    assert symbol.to_json()["location"]["footnote"] == 1 and "paragraph" not in symbol.to_json()["location"]


@pytest.mark.parametrize("name, content, message", [
    ("rong.txt", b"", "rỗng"),
    ("trang.txt", b"  \n \n", "không có chữ"),
    ("doi_ten.docx", bytes(range(256)) * 20, "không phải tệp Word"),
    ("nen.docx", None, "không phải tài liệu Word"),
    ("hong.docx", b"PK\x03\x04" + b"\x00" * 300, "bị hỏng"),
    ("cu.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "Word cũ"),
    ("nhi_phan.txt", b"\x00\x01\x02\x03binary\x00\xff" * 50, "nhị phân"),
    ("tron.txt", "Dòng một là Unicode: Lùng Phình\n".encode("utf-8") + to_cp1258("Dòng hai là TCVN: Tả Van Chư\n"),
     "trộn nhiều bảng mã"),
    ("utf16_hong.txt", b"\xff\xfe" + "Chào".encode("utf-16-le") + b"\x00\xd8", "bảng mã"),
])
def test_bad_input_exits_2_with_a_vietnamese_message(tmp_path, name, content, message):
    path = tmp_path / name
    if content is None:
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("readme.txt", "không phải Word")
    else:
        path.write_bytes(content)
    with pytest.raises(ProofreadInputError) as exc:
        read_file(path)
    assert message in str(exc.value)
    code, out, err = run_cli("proofread", str(path))
    assert code == 2 and out == "" and message in err and "Traceback" not in err


def test_huge_and_missing_files(tmp_path):
    path = tmp_path / "lon.txt"
    with path.open("wb") as fh:
        fh.truncate(21 * 1024 * 1024)
    code, _, err = run_cli("proofread", str(path))
    assert code == 2 and "quá lớn" in err
    code, _, err = run_cli("proofread", str(tmp_path / "khong_co.txt"))
    assert code == 2 and "Không tìm thấy" in err


def test_cli_text_and_json(tmp_path):
    path = tmp_path / "bc.txt"
    path.write_text(TEXT, encoding="utf-8")
    code, out, err = run_cli("proofread", str(path))
    assert code == 0 and err == ""
    lines = out.strip().split("\n")
    assert lines[0].startswith("dòng 2: [Lỗi] Nghị quyết số 03-QĐ/ĐU")
    assert lines[1].startswith("dòng 3: [Lỗi] “86/132 … 66%”")
    code, out, _ = run_cli("proofread", str(path), "--json")
    data = json.loads(out)
    assert code == 0 and [f["category"] for f in data["findings"]] == ["doc_symbol", "ratio_percent"]
    line3 = TEXT.split("\n")[2]
    assert data["findings"][1]["location"] == {"line": 3, "start": line3.index("66%"), "end": line3.index("66%") + 3}
    clean = tmp_path / "sach.txt"
    clean.write_text("Trồng rừng đạt 10,5/56 ha, bằng 18,75% kế hoạch.", encoding="utf-8")
    assert run_cli("proofread", str(clean)) == (0, "Không phát hiện lỗi.\n", "")


def test_cli_needs_no_database_without_unit(tmp_path, monkeypatch):
    path = tmp_path / "bc.txt"
    path.write_text(TEXT, encoding="utf-8")
    db = tmp_path / "khong_tao.sqlite3"
    code, _, _ = run_cli("proofread", str(path), "--db", str(db))
    assert code == 0 and not db.exists()


def test_cli_unit_context_sharpens_the_checks(tmp_path):
    db = tmp_path / "bc.sqlite3"
    assert run_cli("demo", "--db", str(db))[0] == 0
    path = tmp_path / "bc.txt"
    path.write_text("Thường trực Đảng ủy phường gồm 03 đồng chí.\nTại xã Lùng Phìn có 20 thôn.", encoding="utf-8")
    code, out, _ = run_cli("proofread", str(path), "--unit", "--db", str(db), "--json")
    found = json.loads(out)["findings"]
    assert code == 0 and [(f["code"], f["severity"]) for f in found] == [("unit.level", "error"),
                                                                        ("unit.misspelt", "warning")]
    # without the unit, the same text is not known to be a commune's
    code, out, _ = run_cli("proofread", str(path), "--json")
    assert json.loads(out)["findings"] == []
    empty = tmp_path / "empty.sqlite3"
    code, _, err = run_cli("proofread", str(path), "--unit", "--db", str(empty))
    assert code == 2 and "Chưa thiết lập đơn vị" in err


def test_docx_header_table_gives_the_date_and_the_unit(tmp_path):
    import docx
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "ĐẢNG ỦY XÃ LÙNG PHÌNH"
    table.cell(1, 0).text = "Số 118-BC/ĐU"
    table.cell(1, 1).text = "Lùng Phình, ngày 15 tháng 6 năm 2026"
    document.add_paragraph("BÁO CÁO")
    document.add_paragraph("Thực hiện Kế hoạch số 20-KH/ĐU, ngày 20/6/2026 của Ban Thường vụ Đảng ủy.")
    document.add_paragraph("Trên địa bàn phường không xảy ra vụ việc phức tạp.")
    path = tmp_path / "bang.docx"
    document.save(str(path))
    found = {f.code: f for f in proofread_file(path)}
    assert found["date.document"].paragraph == 1 and "15/6/2026" in found["date.document"].message
    assert found["unit.level"].paragraph == 2  # "xã" read from the header table
