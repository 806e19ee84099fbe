"""Template packs (export/import as one data-only file) and the template CLI: import, export,
from-outline. Every hostile or broken pack is refused with a Vietnamese message and imports nothing."""
import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from baocao_desktop.templates.packs import (MAX_PACK_BYTES, PackError, read_pack, unknown_fields,
                                            validate_template_text)
from tests.conftest import run_cli

OUTLINES = Path(__file__).parent / "outlines"
SHIPPED = Path(__file__).resolve().parents[2] / "resources" / "templates"

GOOD = """code: thu_nghiem
version: 1
name: Mẫu thử nghiệm
period: month
title: BÁO CÁO
summary: "Kết quả tháng"
indicators:
  - {code: ho_ngheo, label: Số hộ nghèo, unit: hộ, kind: count}
  - {code: ho_can_ngheo, label: Số hộ cận nghèo, unit: hộ, kind: count}
  - {code: tong_ho, label: Tổng số hộ, unit: hộ, kind: count}
sections:
  - number: "I."
    title: KẾT QUẢ
    guidance: "Nêu số hộ nghèo."
    indicators: [ho_ngheo, ho_can_ngheo, tong_ho]
  - {number: "II.", title: PHƯƠNG HƯỚNG}
checks:
  - {code: tong_ho_du, kind: expression, expr: "ho_ngheo.actual + ho_can_ngheo.actual <= tong_ho.actual",
     message: "Số hộ nghèo và cận nghèo vượt tổng số hộ"}
"""


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "packs.sqlite3")


def template_list(db):
    code, out, err = run_cli("template", "list", "--db", db, "--json")
    assert code == 0, err
    return json.loads(out)["templates"]


def make_pack(path, files: dict, manifest: dict | None = None, fix_sha=True, **zip_kw):
    """A pack zip written by hand: `files` maps member name → text or bytes."""
    entries = []
    for name, content in files.items():
        if not name.startswith("templates/"):
            continue
        text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
        code, _, version = Path(name).stem.rpartition("_v")
        entries.append({"code": code, "version": int(version) if version.isdigit() else 1,
                        "name": "Mẫu thử nghiệm", "file": name,
                        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest() if fix_sha else "0" * 64})
    data = {"format": "baocao-template-pack", "format_version": 1, "created_at": "2026-06-01T08:00:00+00:00",
            "app": "test", "templates": entries}
    data.update(manifest or {})
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, **zip_kw) as archive:
        archive.writestr("manifest.json", json.dumps(data, ensure_ascii=False))
        for name, content in files.items():
            archive.writestr(name, content.encode("utf-8") if isinstance(content, str) else content)
    return path


# == round trips ==================================================================================
def test_export_import_round_trip_between_two_offices(tmp_path):
    province, commune = str(tmp_path / "tinh.sqlite3"), str(tmp_path / "xa.sqlite3")
    run_cli("unit", "set", "--name", "Văn phòng Tỉnh ủy Lào Cai", "--level", "tỉnh", "--db", province)
    run_cli("unit", "set", "--name", "Đảng ủy xã Lùng Phình", "--db", commune)
    assert run_cli("unit", "key", "export", str(tmp_path / "tinh.baocaokey"), "--db", province)[0] == 0
    assert run_cli("unit", "register", str(tmp_path / "tinh.baocaokey"), "--upper", "--db", commune)[0] == 0
    yaml_path = tmp_path / "thu.yaml"
    yaml_path.write_text(GOOD, encoding="utf-8")
    code, out, err = run_cli("template", "import", str(yaml_path), "--db", province, "--json")
    assert code == 0, err
    assert json.loads(out)["imported"] == [{"code": "thu_nghiem", "version": 1, "status": "installed"}]
    pack = tmp_path / "thu_nghiem.mau.zip"
    code, out, err = run_cli("template", "export", "thu_nghiem", str(pack), "--sign", "--db", province)
    assert code == 0, err
    assert "Đã xuất mẫu thu_nghiem v1" in out and "Đã ký bằng khóa của Văn phòng Tỉnh ủy Lào Cai" in out
    with zipfile.ZipFile(pack) as archive:
        assert sorted(archive.namelist()) == ["manifest.json", "signature.json", "templates/thu_nghiem_v1.yaml"]
        manifest = json.loads(archive.read("manifest.json"))
        assert archive.read("templates/thu_nghiem_v1.yaml").decode("utf-8") == GOOD
    assert manifest["format"] == "baocao-template-pack" and manifest["format_version"] == 1
    assert manifest["templates"] == [{"code": "thu_nghiem", "version": 1, "name": "Mẫu thử nghiệm",
                                      "sha256": hashlib.sha256(GOOD.encode()).hexdigest(),
                                      "file": "templates/thu_nghiem_v1.yaml"}]
    assert manifest["signed_by"]["name"] == "Văn phòng Tỉnh ủy Lào Cai"
    code, out, err = run_cli("template", "import", str(pack), "--db", commune)
    assert code == 0, err
    assert "thu_nghiem\tv1\tđã cài mới" in out
    assert "Gói mẫu của cấp trên (Văn phòng Tỉnh ủy Lào Cai), chữ ký số hợp lệ" in out
    assert "thu_nghiem" in [t["code"] for t in template_list(commune)]
    # the same pack twice changes nothing
    code, out, _ = run_cli("template", "import", str(pack), "--db", commune, "--json")
    assert json.loads(out)["imported"][0]["status"] == "unchanged"


def test_every_shipped_template_exports_and_imports_unchanged(workspace, tmp_path):
    from baocao_desktop.services.template_packs import export_pack, import_pack
    codes = [t.code for t in workspace.templates()]
    assert len(codes) >= 1
    for file in SHIPPED.glob("*.yaml"):
        assert unknown_fields(__import__("yaml").safe_load(file.read_text(encoding="utf-8"))) == [], file.name
    workspace.save_unit(name="Văn phòng Tỉnh ủy Lào Cai", level="tỉnh")
    pack = export_pack(workspace, codes, tmp_path / "all.mau.zip", sign=True)  # signed by this unit itself
    assert sorted(t.code for t in read_pack(pack).templates) == sorted(codes)
    result = import_pack(workspace, pack)
    assert {status for _, _, status in result} == {"unchanged"} and result.signer_role == "self"


def test_new_version_never_changes_a_version_pinned_by_a_report(workspace, tmp_path):
    from baocao_desktop.services.template_packs import import_pack, preview_pack
    ws = workspace
    first = tmp_path / "v1.yaml"
    first.write_text(GOOD, encoding="utf-8")
    import_pack(ws, first)
    ws.save_unit(name="Đảng ủy xã Lùng Phình", place_name="Lùng Phình")
    report = ws.create_report("thu_nghiem", "2026-06-01", "2026-06-30")
    ws.set_value(report.id, "ho_ngheo", "actual", "12")
    changed = GOOD.replace("Nêu số hộ nghèo.", "Nêu số hộ nghèo và nguyên nhân.")
    first.write_text(changed, encoding="utf-8")
    with pytest.raises(PackError, match="đã có báo cáo dùng"):
        preview_pack(ws, first)
    with pytest.raises(PackError, match="đã có báo cáo dùng"):
        import_pack(ws, first)
    assert ws.template("thu_nghiem", 1).source == GOOD
    second = tmp_path / "v2.yaml"
    second.write_text(changed.replace("version: 1", "version: 2", 1), encoding="utf-8")
    assert preview_pack(ws, second) == [("thu_nghiem", 2, "installed")]
    assert import_pack(ws, second) == [("thu_nghiem", 2, "installed")]
    assert ws.template("thu_nghiem").version == 2
    assert ws.template("thu_nghiem", 1).source == GOOD
    kept = ws.report(report.id)
    assert kept.template_version == 1 and str(kept.value("ho_ngheo", "actual")) == "12"


def test_an_unpinned_version_is_updated_in_place(workspace, tmp_path):
    from baocao_desktop.services.template_packs import import_pack
    path = tmp_path / "thu.yaml"
    path.write_text(GOOD, encoding="utf-8")
    import_pack(workspace, path)
    path.write_text(GOOD.replace("Nêu số hộ nghèo.", "Nêu số hộ nghèo, cận nghèo."), encoding="utf-8")
    assert import_pack(workspace, path) == [("thu_nghiem", 1, "updated")]
    assert workspace.template("thu_nghiem").section("I").guidance == "Nêu số hộ nghèo, cận nghèo."


def test_a_bad_template_after_a_good_one_imports_nothing(workspace, tmp_path):
    from baocao_desktop.services.template_packs import import_pack
    bad = GOOD.replace("thu_nghiem", "thu_hai").replace("ho_ngheo.actual +", "open(ho_ngheo.actual) +")
    pack = make_pack(tmp_path / "p.mau.zip", {"templates/thu_nghiem_v1.yaml": GOOD,
                                              "templates/thu_hai_v1.yaml": bad})
    before = [t.code for t in workspace.templates()]
    with pytest.raises(PackError) as err:
        import_pack(workspace, pack)
    assert "open" in str(err.value) and "Chưa nhập mẫu nào" in str(err.value)
    assert [t.code for t in workspace.templates()] == before


def test_a_failure_while_installing_rolls_everything_back(workspace, tmp_path, monkeypatch):
    from baocao_desktop.services import template_packs
    second = GOOD.replace("thu_nghiem", "thu_hai")
    pack = make_pack(tmp_path / "p.mau.zip", {"templates/thu_nghiem_v1.yaml": GOOD,
                                              "templates/thu_hai_v1.yaml": second})
    real = type(workspace).install_template
    calls = []

    def failing(self, template, **kwargs):
        calls.append(template.code)
        if len(calls) == 2:
            raise OSError("đĩa đầy")
        return real(self, template, **kwargs)
    monkeypatch.setattr(type(workspace), "install_template", failing)
    with pytest.raises(OSError):
        template_packs.import_pack(workspace, pack, require_signature=False)  # the installing is under test
    monkeypatch.setattr(type(workspace), "install_template", real)
    codes = [t.code for t in workspace.templates()]
    assert "thu_nghiem" not in codes and "thu_hai" not in codes
    count = workspace.store.conn.execute("SELECT COUNT(*) FROM templates WHERE code = 'thu_nghiem'").fetchone()[0]
    assert count == 0


# == hostile and broken packs: refused in Vietnamese, nothing imported =============================
def _billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        lines.append(f"{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    return GOOD + "\n".join(lines) + "\n"


def _zip_bomb(path):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", "{}")
        archive.writestr("templates/bom_v1.yaml", b"\0" * (30 * 1024 * 1024))
    return path


HOSTILE = {
    "broken_yaml": (lambda p: make_pack(p, {"templates/thu_nghiem_v1.yaml": GOOD.replace(
        "title: BÁO CÁO", "title: [BÁO CÁO")}), "sai cú pháp YAML"),
    "open_call": (lambda p: make_pack(p, {"templates/thu_nghiem_v1.yaml": GOOD.replace(
        "ho_ngheo.actual + ho_can_ngheo.actual", "open(tong_ho.actual)")}), "hàm “open” không được phép"),
    "open_file_name": (lambda p: make_pack(p, {"templates/thu_nghiem_v1.yaml": GOOD.replace(
        "ho_ngheo.actual + ho_can_ngheo.actual", "open('/etc/passwd')")}), "không được phép"),
    "attribute_access": (lambda p: make_pack(p, {"templates/thu_nghiem_v1.yaml": GOOD.replace(
        "ho_ngheo.actual + ho_can_ngheo.actual", "ho_ngheo.actual.__class__")}), "không có trường"),
    "dunder_on_call": (lambda p: make_pack(p, {"templates/thu_nghiem_v1.yaml": GOOD.replace(
        "ho_ngheo.actual + ho_can_ngheo.actual", "abs(1).__class__")}), "không được phép"),
    "unknown_top_field": (lambda p: make_pack(p, {"templates/thu_nghiem_v1.yaml": GOOD + "script: rm -rf /\n"}),
                          "trường không được phép: script"),
    "unknown_section_field": (lambda p: make_pack(p, {"templates/thu_nghiem_v1.yaml": GOOD.replace(
        "{number: \"II.\", title: PHƯƠNG HƯỚNG}", "{number: \"II.\", title: PHƯƠNG HƯỚNG, onload: x}")}),
        "sections[1].onload"),
    "unknown_check_kind": (lambda p: make_pack(p, {"templates/thu_nghiem_v1.yaml": GOOD.replace(
        "kind: expression", "kind: python")}), "loại kiểm tra “python” không có"),
    "unknown_check_field": (lambda p: make_pack(p, {"templates/thu_nghiem_v1.yaml": GOOD.replace(
        "kind: expression,", "kind: expression, run: x,")}), "trường không có: run"),
    "truncated_zip": (lambda p: p.write_bytes(
        make_pack(p, {"templates/thu_nghiem_v1.yaml": GOOD}).read_bytes()[:300]) and p, "bị cắt cụt"),
    "non_utf8": (lambda p: make_pack(p, {"templates/thu_nghiem_v1.yaml": GOOD.encode("utf-16")}),
                 "không phải văn bản UTF-8"),
    "yaml_alias_bomb": (lambda p: make_pack(p, {"templates/thu_nghiem_v1.yaml": _billion_laughs()}),
                        "neo/bí danh YAML"),
    "yaml_python_tag": (lambda p: make_pack(p, {"templates/thu_nghiem_v1.yaml": GOOD.replace(
        "title: BÁO CÁO", "title: !!python/object/apply:os.system ['echo hi']")}), "thẻ YAML"),
    "duplicate_key": (lambda p: make_pack(p, {"templates/thu_nghiem_v1.yaml": GOOD + "name: Mẫu khác\n"}),
                      "viết hai lần"),
    "shared_code_wrong_unit": (lambda p: make_pack(p, {"templates/thu_nghiem_v1.yaml": GOOD.replace(
        "tong_ho", "thu_ngan_sach_tren_dia_ban")}), "từ điển chỉ tiêu ghi “triệu đồng”"),
    "oversize": (lambda p: p.write_bytes(b"PK\x03\x04" + b"\0" * (MAX_PACK_BYTES + 10)) and p, "quá lớn"),
    "zip_bomb": (_zip_bomb, "quá lớn khi giải nén"),
    "path_traversal": (lambda p: make_pack(p, {"templates/thu_nghiem_v1.yaml": GOOD,
                                               "../../evil.yaml": GOOD}), "không được phép"),
    "unlisted_member": (lambda p: make_pack(p, {"templates/thu_nghiem_v1.yaml": GOOD, "templates/khac_v1.yaml": GOOD},
                                            manifest={"templates": [{
                                                "code": "thu_nghiem", "version": 1, "name": "Mẫu thử nghiệm",
                                                "file": "templates/thu_nghiem_v1.yaml",
                                                "sha256": hashlib.sha256(GOOD.encode()).hexdigest()}]}),
                        "không được liệt kê"),
    "tampered_sha": (lambda p: make_pack(p, {"templates/thu_nghiem_v1.yaml": GOOD}, fix_sha=False),
                     "không khớp mã băm"),
    "manifest_unknown_field": (lambda p: make_pack(p, {"templates/thu_nghiem_v1.yaml": GOOD},
                                                   manifest={"autorun": "x"}), "trường không được phép: autorun"),
    "newer_format": (lambda p: make_pack(p, {"templates/thu_nghiem_v1.yaml": GOOD}, manifest={"format_version": 9}),
                     "phiên bản BaoCao mới hơn"),
    "too_many_templates": (lambda p: make_pack(p, {f"templates/m{i}_v1.yaml": "x" for i in range(205)}),
                           "quá số mẫu cho phép"),
    "not_a_zip_named_zip": (lambda p: p.write_bytes(b"hello, not a zip") and p, "không phải gói mẫu"),
    "missing_manifest": (lambda p: zipfile.ZipFile(p, "w").writestr("templates/thu_nghiem_v1.yaml", GOOD) or p,
                         "thiếu tệp mô tả"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_or_broken_pack_is_refused_and_nothing_is_imported(db, tmp_path, case):
    build, message = HOSTILE[case]
    path = tmp_path / "goi.mau.zip"
    build(path)
    before = template_list(db)
    code, out, err = run_cli("template", "import", str(path), "--db", db)
    assert code == 2, (out, err)
    assert message in err, err
    assert err.startswith("baocao: ") and out == ""
    assert template_list(db) == before


def test_a_single_yaml_with_a_bad_expression_is_refused(db, tmp_path):
    path = tmp_path / "mau.yaml"
    path.write_text(GOOD.replace("ho_ngheo.actual + ho_can_ngheo.actual", "__import__('os')"), encoding="utf-8")
    before = template_list(db)
    code, _, err = run_cli("template", "import", str(path), "--db", db)
    assert code == 2 and ("không hợp lệ" in err or "không được phép" in err), err
    assert template_list(db) == before


def test_strict_validation_reports_where_the_unknown_field_is():
    with pytest.raises(PackError, match=r"indicators\[1\]\.formula"):
        validate_template_text(GOOD.replace("label: Số hộ cận nghèo,", "label: Số hộ cận nghèo, formula: x,"))


def test_missing_files_and_unknown_codes_exit_2(db, tmp_path):
    code, _, err = run_cli("template", "import", str(tmp_path / "khong_co.mau.zip"), "--db", db)
    assert code == 2 and "Không tìm thấy tệp" in err
    code, _, err = run_cli("template", "export", "khong_co", str(tmp_path / "x.mau.zip"), "--db", db)
    assert code == 2 and "Không có mẫu báo cáo “khong_co”" in err
    assert not (tmp_path / "x.mau.zip").exists()


# == from-outline CLI =============================================================================
def test_from_outline_json_tree(tmp_path):
    code, out, err = run_cli("template", "from-outline", str(OUTLINES / "three_levels.txt"), "--json")
    assert code == 0, err
    data = json.loads(out)

    def shape(items):
        return [[s["number"], s["title"], shape(s["children"])] for s in items]
    assert shape(data["sections"])[1] == ["B.", "PHƯƠNG HƯỚNG, MỤC TIÊU, NHIỆM VỤ NHIỆM KỲ 2025 - 2030", [
        ["I.", "MỤC TIÊU TỔNG QUÁT", []], ["II.", "CÁC CHỈ TIÊU CHỦ YẾU", []], ["III.", "NHIỆM VỤ, GIẢI PHÁP", []]]]
    first = data["sections"][0]["children"][0]["children"][0]
    assert first["number"] == "1." and first["title"] == "Về phát triển kinh tế"
    assert first["guidance"].startswith("Tốc độ tăng trưởng bình quân")
    assert [i["label"] for i in first["indicators"]] == ["Tốc độ tăng trưởng bình quân", "Thu nhập bình quân đầu người"]
    assert data["name"] == "Báo cáo chính trị của Ban Chấp hành Đảng bộ xã nhiệm kỳ 2025 - 2030"


def test_from_outline_out_then_import(db, tmp_path):
    out_file = tmp_path / "mau" / "giam_ngheo.yaml"
    code, out, err = run_cli("template", "from-outline", str(OUTLINES / "top_level_arabic.txt"), "--out",
                             str(out_file), "--code", "giam_ngheo", "--name", "Báo cáo giảm nghèo")
    assert code == 0, err
    assert "Đã ghi mẫu “Báo cáo giảm nghèo” (giam_ngheo): 9 mục" in out
    code, _, err = run_cli("template", "import", str(out_file), "--db", db)
    assert code == 0, err
    listed = {t["code"]: t for t in template_list(db)}
    assert {"code": "giam_ngheo", "version": 1, "name": "Báo cáo giảm nghèo", "period": "custom", "origin": "local",
            "origin_label": "mẫu tự tạo", "self_made": True}.items() <= listed["giam_ngheo"].items()
    assert not listed["bc_tuan"]["self_made"] and listed["bc_tuan"]["origin"] == "shipped"
    # a report can be started from it
    run_cli("unit", "set", "--name", "Đảng ủy xã Lùng Phình", "--db", db)
    code, out, err = run_cli("report", "new", "--template", "giam_ngheo", "--period", "2026-01-01..2026-06-30",
                             "--db", db, "--json")
    assert code == 0, err


def test_from_outline_prints_yaml_without_out_or_json(tmp_path):
    code, out, err = run_cli("template", "from-outline", str(OUTLINES / "state_style.txt"), "--code", "cchc")
    assert code == 0, err
    assert "code: cchc\n" in out and "period: custom\n" in out
    from baocao_desktop.templates.model import parse_template
    assert parse_template(out).section("Phần II.1").title == "Mục tiêu"


@pytest.mark.parametrize("name, content, message", [
    ("khong_co.txt", None, "Không tìm thấy tệp"),
    ("rong.txt", b"", "rỗng"),
    ("doi_ten.docx", bytes(range(256)) * 8, "không phải tệp Word"),
    ("van_ban.txt", "Hôm nay trời đẹp. Không có đề mục nào cả.".encode(), "không phải đề cương"),
    ("nhi_phan.txt", bytes(range(256)) * 8, "nhị phân"),
])
def test_from_outline_bad_input_exits_2(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    code, out, err = run_cli("template", "from-outline", str(path))
    assert code == 2 and out == ""
    assert message in err, err


def test_from_outline_rejects_a_bad_code(tmp_path):
    code, _, err = run_cli("template", "from-outline", str(OUTLINES / "party_style.txt"), "--code", "Mã Sai")
    assert code == 2 and "chữ thường không dấu" in err


def test_from_outline_needs_no_database(tmp_path, monkeypatch):
    """It only reads a file: no database is created or opened."""
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "appdata"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "appdata"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    code, _, err = run_cli("template", "from-outline", str(OUTLINES / "party_style.txt"), "--json")
    assert code == 0, err
    assert not (tmp_path / "appdata").exists() and not (tmp_path / "home").exists()
