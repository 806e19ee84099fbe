"""domain.untrusted: each refusal of a file from outside, with its Vietnamese message and code; files
that are fine pass."""
import io
import os
import pickle
import sqlite3
import zipfile

import pytest

from baocao_desktop.domain import untrusted
from baocao_desktop.domain.errors import UserError
from baocao_desktop.domain.untrusted import Expected, UntrustedFileError, ZipLimits

DOCX = Expected("tệp Word", "nhập", 1024 * 1024, "Hãy kiểm tra lại tệp.")
TEXT = Expected("tệp văn bản", "soát lỗi", 1024 * 1024)
BUNDLE = Expected("tệp gửi báo cáo BaoCao", "nhận báo cáo", 1024 * 1024, "Hãy xin đơn vị gửi lại.", named=False)


def refused(call, *args):
    with pytest.raises(UntrustedFileError) as info:
        call(*args)
    assert isinstance(info.value, UserError)
    return info.value.code, str(info.value)


def word_file(path, members=None):
    import docx
    document = docx.Document()
    document.add_paragraph("Trong tuần tổ chức 02 hội nghị.")
    document.save(str(path))
    if members:
        with zipfile.ZipFile(path, "a") as archive:
            for name, data in members.items():
                archive.writestr(name, data)
    return path


# == the file itself ================================================================================
def test_missing_folder_empty_too_large_are_refused(tmp_path):
    assert refused(untrusted.check_path, tmp_path / "khong_co.docx", DOCX) == (
        "missing", f"Không tìm thấy tệp “{tmp_path / 'khong_co.docx'}”.")
    assert refused(untrusted.check_path, tmp_path, DOCX) == (
        "not_a_file", f"“{tmp_path}” là một thư mục, không phải tệp Word.")
    empty = tmp_path / "rong.docx"
    empty.write_bytes(b"")
    assert refused(untrusted.check_path, empty, DOCX) == (
        "empty", "Tệp “rong.docx” rỗng (0 byte): không có gì để nhập. Có thể tệp chép bị lỗi; hãy chọn đúng tệp.")
    big = tmp_path / "lon.docx"
    with big.open("wb") as handle:
        handle.truncate(3 * 1024 * 1024 // 2)
    assert refused(untrusted.check_path, big, DOCX) == (
        "too_large", "Tệp “lon.docx” quá lớn (1,5 MB) để nhập: tối đa 1 MB. Hãy kiểm tra lại tệp.")
    # one byte over the limit must not read as "1 MB … tối đa 1 MB": the size is rounded up
    with big.open("wb") as handle:
        handle.truncate(1024 * 1024 + 1)
    assert refused(untrusted.check_path, big, DOCX)[1].startswith("Tệp “lon.docx” quá lớn (1,1 MB) để nhập: tối đa 1 MB.")


def test_unnamed_messages_leave_the_name_to_the_caller(tmp_path):
    empty = tmp_path / "00001.baocao"
    empty.write_bytes(b"")
    assert refused(untrusted.check_path, empty, BUNDLE) == (
        "empty", "Tệp rỗng (0 byte): không có gì để nhận báo cáo. Có thể tệp chép bị lỗi; hãy chọn đúng tệp.")


class PackLikeError(UntrustedFileError):
    """A caller's own type, as PackError or ProofreadInputError."""


def test_the_callers_error_type_is_raised(tmp_path):
    with pytest.raises(PackLikeError) as info:
        untrusted.check_path(tmp_path / "x", Expected("gói mẫu", "nhập mẫu", 10, error=PackLikeError))
    assert info.value.code == "missing"
    copy = pickle.loads(pickle.dumps(info.value))  # raised in a worker process, re-raised in the caller
    assert (type(copy), copy.code, str(copy)) == (PackLikeError, "missing", str(info.value))


@pytest.mark.parametrize("head, kind", [
    (b"PK\x03\x04rest", "zip"), (b"PK\x05\x06" + b"\0" * 18, "zip"), (untrusted.OLE_MAGIC, "ole"),
    (b"{\\rtf1\\ansi", "rtf"), (b"%PDF-1.7", "pdf"), (b"SQLite format 3\x00", "sqlite"), (b"Xin chao", "other"),
])
def test_sniff_by_content(head, kind):
    assert untrusted.sniff(head) == kind


# == Word and text documents ========================================================================
@pytest.mark.parametrize("name, content, code, message", [
    ("cu.doc", untrusted.OLE_MAGIC + b"\0" * 600, "wrong_type",
     "Tệp “cu.doc” là tệp Word cũ (.doc) hoặc tệp Word có đặt mật khẩu: mở bằng Word, lưu lại dạng .docx (không mật "
     "khẩu) rồi soát lỗi lại."),
    ("bc.rtf", b"{\\rtf1\\ansi xin chao}", "wrong_type",
     "Tệp “bc.rtf” là tệp RTF: mở bằng Word và lưu lại dạng .docx hoặc .txt."),
    ("bc.pdf", b"%PDF-1.4\n" + b"x" * 100, "wrong_type",
     "Tệp “bc.pdf” là tệp PDF, không phải tệp Word: chương trình chỉ soát lỗi được tệp .docx hoặc .txt."),
    ("doi_ten.docx", bytes(range(256)) * 4, "wrong_type",
     "Tệp “doi_ten.docx” không phải tệp Word (.docx) dù có đuôi .docx (có thể là tệp khác bị đổi tên, hoặc tệp bị "
     "hỏng). Mở bằng Word và lưu lại dạng .docx."),
    ("hong.docx", b"PK\x03\x04" + b"\0" * 300, "corrupt", "Tệp “hong.docx” bị hỏng (không mở được như tệp .docx)."),
])
def test_documents_of_other_formats_are_refused(tmp_path, name, content, code, message):
    path = tmp_path / name
    path.write_bytes(content)
    assert refused(untrusted.read_document, path, TEXT) == (code, message)


def test_a_zip_that_is_not_word(tmp_path):
    path = tmp_path / "anh.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("photo.jpg", b"\xff\xd8")
    assert refused(untrusted.read_document, path, TEXT) == (
        "wrong_type", "Tệp “anh.docx” là tệp nén (zip) nhưng không phải tài liệu Word (.docx): không có phần nội "
                      "dung “word/document.xml”.")


def test_a_word_file_and_a_text_file_pass(tmp_path):
    path = word_file(tmp_path / "bc.docx")
    kind, data = untrusted.read_document(path, DOCX)
    assert kind == "docx" and data == path.read_bytes()
    document = untrusted.open_docx(path, DOCX)
    assert [p.text for p in document.paragraphs] == ["Trong tuần tổ chức 02 hội nghị."]
    text = tmp_path / "bc.txt"
    text.write_text("Báo cáo tuần", encoding="utf-8")
    assert untrusted.read_document(text, TEXT) == ("text", "Báo cáo tuần".encode())


def test_a_word_file_with_a_malformed_part_is_refused_as_damaged(tmp_path):
    path = tmp_path / "hong.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", b"<w:document")
    code, message = refused(untrusted.open_docx, path, DOCX)
    assert code == "corrupt" and message.startswith("Tệp “hong.docx” là .docx bị hỏng, không đọc được.")
    assert "Error" not in message  # the technical cause goes to the log, not to the user


@pytest.mark.parametrize("data, text, encoding", [
    ("Lùng Phình".encode("utf-8"), "Lùng Phình", "utf-8"),
    ("Lùng Phình".encode("utf-8-sig"), "Lùng Phình", "utf-8-sig"),
    ("Lùng Phình".encode("utf-16"), "Lùng Phình", "utf-16"),
    ("Lùng Phình".encode("utf-16-le"), "Lùng Phình", "utf-16-le"),
    ("Lùng Đông Ưu".encode("cp1258"), "Lùng Đông Ưu", "cp1258"),
])
def test_text_in_the_encodings_offices_use_decodes(data, text, encoding):
    assert untrusted.decode_text(data, "bc.txt") == (text, encoding)


@pytest.mark.parametrize("data, message", [
    (b"\x00\x01\x02\x03binary\x00\xff" * 50,
     "Tệp “bc.txt” là tệp nhị phân, không phải văn bản (.txt). Hãy chọn tệp .txt hoặc .docx."),
    ("Dòng một\n".encode("utf-8") + "Đông Ưu\n".encode("cp1258"),
     "Tệp “bc.txt” trộn nhiều bảng mã: dòng 1 là Unicode (UTF-8), dòng 2 thì không. Mở tệp bằng Word hoặc Notepad, "
     "chuyển toàn bộ sang Unicode (dùng công cụ chuyển mã của Unikey nếu cần) và lưu với bảng mã UTF-8."),
    (b"\xff\xfe" + "Chào".encode("utf-16-le") + b"\x00\xd8",
     "Tệp “bc.txt” khai báo bảng mã UTF-16-LE nhưng có đoạn không đúng bảng mã đó (byte thứ 8): có thể tệp bị hỏng "
     "hoặc trộn bảng mã. Hãy lưu lại tệp với bảng mã UTF-8."),
    (bytes(range(1, 32)) * 10 + b"\xff",
     "Tệp “bc.txt” là tệp nhị phân, không phải văn bản (.txt)."),
])
def test_text_that_is_binary_or_mixed_is_refused(data, message):
    assert refused(untrusted.decode_text, data, "bc.txt") == ("encoding", message)


# == zip limits =====================================================================================
def zip_bytes(members: dict, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


LIMITS = ZipLimits(max_members=3, max_member_bytes=200 * 1024, max_total_bytes=300 * 1024, max_ratio=50,
                   ratio_from_bytes=1024)
PACK = Expected("gói mẫu", "nhập mẫu", 1024 * 1024, "Không nhập mẫu nào.")


@pytest.mark.parametrize("members, message", [
    ({f"m{i}.yaml": "x" for i in range(4)}, "có 4 tệp bên trong, quá số tệp cho phép (3)."),
    ({"../../evil.yaml": "x"}, "có tệp “../../evil.yaml” với đường dẫn không được phép (ra ngoài tệp nén)."),
    ({"/etc/evil.yaml": "x"}, "có tệp “/etc/evil.yaml” với đường dẫn không được phép (ra ngoài tệp nén)."),
    ({"a/./b.yaml": "x"}, "có tệp “a/./b.yaml” với đường dẫn không được phép (ra ngoài tệp nén)."),
    ({"C:/evil.yaml": "x"}, "có tệp “C:/evil.yaml” với đường dẫn không được phép (ra ngoài tệp nén)."),
    ({"big.yaml": b"ab" * 150 * 1024}, "có tệp “big.yaml” quá lớn khi giải nén (300 KB, tối đa 200 KB)."),
    ({"bomb.yaml": b"\0" * 150 * 1024}, "có tệp “bomb.yaml” có tỷ lệ nén bất thường (nghi là “bom” giải nén)."),
    ({"a.yaml": os.urandom(160 * 1024), "b.yaml": os.urandom(160 * 1024)},
     "có nội dung giải nén quá lớn."),
])
def test_a_zip_over_its_limits_is_refused(tmp_path, members, message):
    data = zip_bytes(members)
    code, text = refused(untrusted.open_zip, data, tmp_path / "goi.mau.zip", PACK, LIMITS)
    assert (code, text) == ("zip_limits", f"Tệp “goi.mau.zip” {message} Không nhập mẫu nào.")


def test_duplicate_and_encrypted_members_are_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.yaml", "1")
        with pytest.warns(UserWarning):
            archive.writestr("a.yaml", "2")
    assert refused(untrusted.open_zip, buffer.getvalue(), tmp_path / "g.zip", PACK, LIMITS)[1] == (
        "Tệp “g.zip” có hai tệp bên trong trùng tên. Không nhập mẫu nào.")
    data = bytearray(zip_bytes({"a.yaml": "1"}))
    data[6] |= 0x1  # the local header's flag bits: encrypted
    central = data.rindex(b"PK\x01\x02")
    data[central + 8] |= 0x1
    assert refused(untrusted.open_zip, bytes(data), tmp_path / "g.zip", PACK, LIMITS)[1] == (
        "Tệp “g.zip” có tệp bên trong được mã hóa (đặt mật khẩu). Không nhập mẫu nào.")


def test_a_zip_within_its_limits_opens(tmp_path):
    data = zip_bytes({"manifest.json": "{}", "templates/a_v1.yaml": "code: a\n" * 100})
    with untrusted.open_zip(data, tmp_path / "g.zip", PACK, LIMITS) as archive:
        assert archive.read("manifest.json") == b"{}"
    assert refused(untrusted.open_zip, b"PK\x03\x04" + b"\0" * 40, tmp_path / "g.zip", PACK, LIMITS) == (
        "corrupt", "Tệp “g.zip” bị hỏng hoặc bị cắt cụt (không mở được như tệp nén zip).")


# == SQLite =========================================================================================
def sqlite_file(path):
    conn = sqlite3.connect(str(path))
    conn.execute("CREATE TABLE t (x)")
    conn.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * 20)
    conn.commit()
    conn.close()
    return path


def test_a_sqlite_file_passes(tmp_path):
    path = sqlite_file(tmp_path / "a.baocao")
    assert untrusted.check_sqlite(path, BUNDLE) == path.stat().st_size


def test_a_file_that_is_not_sqlite_is_refused(tmp_path):
    path = tmp_path / "a.baocao"
    path.write_text("Đây là ghi chú, không phải tệp gửi." * 10, encoding="utf-8")
    assert refused(untrusted.check_sqlite, path, BUNDLE) == (
        "wrong_type", "Tệp không phải tệp gửi báo cáo BaoCao (không phải định dạng SQLite).")
    path.write_bytes(b"abc")
    assert refused(untrusted.check_sqlite, path, BUNDLE)[0] == "wrong_type"


def test_a_cut_or_damaged_sqlite_file_is_refused(tmp_path):
    data = sqlite_file(tmp_path / "a.baocao").read_bytes()
    cut = tmp_path / "cut.baocao"
    cut.write_bytes(data[:4096])
    size = f"{len(data):,}".replace(",", ".")
    assert refused(untrusted.check_sqlite, cut, BUNDLE) == (
        "truncated", f"Tệp bị cắt cụt: chỉ có 4.096 byte, phải có {size} byte (chép chưa hết hoặc USB bị rút ra giữa "
                     f"chừng). Hãy chép lại tệp.")
    cut.write_bytes(data[:50])
    assert refused(untrusted.check_sqlite, cut, BUNDLE) == (
        "truncated", "Tệp bị cắt cụt (chép chưa hết hoặc USB bị rút ra giữa chừng). Hãy chép lại tệp.")
    bad_page = bytearray(data)
    bad_page[16:18] = (1000).to_bytes(2, "big")
    cut.write_bytes(bytes(bad_page))
    assert refused(untrusted.check_sqlite, cut, BUNDLE) == (
        "corrupt", "Tệp bị hỏng (phần đầu tệp không hợp lệ). Hãy xin đơn vị gửi lại.")
    cut.write_bytes(data + b"\0" * 10)
    assert refused(untrusted.check_sqlite, cut, BUNDLE) == (
        "corrupt", "Tệp bị hỏng (độ dài không khớp với phần đầu tệp). Hãy xin đơn vị gửi lại.")


# == the four callers ===============================================================================
def test_every_caller_raises_its_own_type_which_is_an_untrusted_file_error(tmp_path):
    from baocao_desktop.checks.proofread import ProofreadInputError, read_file
    from baocao_desktop.exchange.bundle import BundleError, read_bundle
    from baocao_desktop.services.docx_import import read_docx
    from baocao_desktop.services.errors import ServiceError
    from baocao_desktop.templates.outline import OutlineError, outline_from_file
    from baocao_desktop.templates.packs import PackError, read_pack
    missing = tmp_path / "khong_co"
    for call, kind in [(read_file, ProofreadInputError), (read_docx, ServiceError), (read_bundle, BundleError),
                       (read_pack, PackError), (outline_from_file, OutlineError)]:
        with pytest.raises(kind) as info:
            call(missing)
        assert isinstance(info.value, UntrustedFileError)
        assert str(info.value) == f"Không tìm thấy tệp “{missing}”."
    with pytest.raises(BundleError) as info:
        read_bundle(missing)
    assert info.value.code == "unreadable" and info.value.message == str(info.value)


def test_xml_parts_never_expand_entities():
    laughs = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "hahahahahahahahahaha">'
              + b"".join(b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&%s;" % bytes([97 + i])) * 10)
                         for i in range(8))
              + b']><w>&i;</w>')
    from lxml import etree
    with pytest.raises(etree.XMLSyntaxError):  # refused (as "not readable"), never 10^8 laughs in memory
        untrusted.parse_xml(laughs)
    one = untrusted.parse_xml(b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "haha">]><w>&a;</w>')
    assert "haha" not in "".join(one.itertext())  # an entity stays a reference
    with pytest.raises(Exception):
        untrusted.parse_xml(b"<w><unclosed></w>")
