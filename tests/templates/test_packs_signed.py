"""Templates sent down (issue 7 point 7): the upper level signs a pack with its Ed25519 key; a commune
imports it only if the signature verifies against the upper-level key it registered. Everything else is
refused with a Vietnamese reason and nothing is imported."""
import json
import zipfile

import pytest

from baocao_desktop.services import exchange as ex
from baocao_desktop.services.template_packs import export_pack, import_pack, preview_pack
from baocao_desktop.services.workspace import Workspace
from baocao_desktop.templates.packs import PackError
from tests.conftest import run_cli
from tests.templates.test_template_packs import GOOD


def office(path, name, level="xã"):
    ws = Workspace(path, author="van-thu")
    ws.save_unit(name=name, level=level, upper_body="Đảng bộ tỉnh Lào Cai")
    return ws


@pytest.fixture
def offices(tmp_path):
    """The province office with template thu_nghiem, and a commune that registered the province's key."""
    province = office(tmp_path / "tinh.sqlite3", "Văn phòng Tỉnh ủy Lào Cai", "tỉnh")
    commune = office(tmp_path / "xa.sqlite3", "Đảng ủy xã Lùng Phình")
    source = tmp_path / "thu.yaml"
    source.write_text(GOOD, encoding="utf-8")
    import_pack(province, source)
    ex.register_unit(commune, ex.export_public_key(province, tmp_path / "tinh.baocaokey"), role="upper")
    yield province, commune
    province.close()
    commune.close()


def codes(ws):
    return sorted(t.code for t in ws.templates())


def rewrite(pack, out, change):
    """Copy a pack member by member; change(name, bytes) -> bytes or None (drop the member)."""
    with zipfile.ZipFile(pack) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = change(info.filename, src.read(info.filename))
            if data is not None:
                dst.writestr(info.filename, data)
    return out


def test_a_pack_signed_by_the_registered_upper_level_is_imported(offices, tmp_path):
    province, commune = offices
    pack = export_pack(province, ["thu_nghiem"], tmp_path / "mau.mau.zip", sign=True)
    preview = preview_pack(commune, pack)
    assert "thu_nghiem" not in codes(commune)  # a preview writes nothing
    assert preview == [("thu_nghiem", 1, "installed")] and preview.message.startswith("Gói mẫu của cấp trên")
    result = import_pack(commune, pack)
    assert result == [("thu_nghiem", 1, "installed")]
    fingerprint = ex.upper_level_key(commune).fingerprint
    assert result.signer_role == "upper" and result.fingerprint == fingerprint
    assert result.message == (f"Gói mẫu của cấp trên (Văn phòng Tỉnh ủy Lào Cai), chữ ký số hợp lệ, mã khóa "
                              f"{fingerprint}. Đã nhập 1 mẫu: thu_nghiem phiên bản 1: đã cài mới.")
    assert commune.template("thu_nghiem").source == GOOD
    assert import_pack(commune, pack) == [("thu_nghiem", 1, "unchanged")]


def refused(commune, pack, *fragments):
    before = codes(commune)
    with pytest.raises(PackError) as err:
        import_pack(commune, pack)
    message = str(err.value)
    for fragment in fragments:
        assert fragment in message, message
    assert "Chưa nhập mẫu nào" in message
    assert codes(commune) == before
    return message


def test_an_unsigned_pack_is_refused(offices, tmp_path):
    province, commune = offices
    pack = export_pack(province, ["thu_nghiem"], tmp_path / "mau.mau.zip")
    refused(commune, pack, "không có chữ ký số của cấp trên (Văn phòng Tỉnh ủy Lào Cai)", "--sign")


def test_a_pack_signed_by_another_key_is_refused(offices, tmp_path):
    _, commune = offices
    stranger = office(tmp_path / "khac.sqlite3", "Văn phòng Tỉnh ủy Lào Cai", "tỉnh")  # same name, other key
    source = tmp_path / "thu.yaml"
    import_pack(stranger, source)
    pack = export_pack(stranger, ["thu_nghiem"], tmp_path / "gia.mau.zip", sign=True)
    stranger_fp = ex.own_key(stranger).fingerprint
    stranger.close()
    message = refused(commune, pack, f"khóa {stranger_fp}", "không phải khóa đã đăng ký của cấp trên")
    assert ex.upper_level_key(commune).fingerprint in message


def test_without_a_registered_upper_level_key_nothing_is_imported(offices, tmp_path):
    province, _ = offices
    lone = office(tmp_path / "moi.sqlite3", "Đảng ủy xã Bản Phố")
    pack = export_pack(province, ["thu_nghiem"], tmp_path / "mau.mau.zip", sign=True)
    try:
        refused(lone, pack, "chưa đăng ký khóa của cấp trên", "unit register", ex.own_key(province).fingerprint)
    finally:
        lone.close()


def test_a_pack_changed_after_signing_is_refused(offices, tmp_path):
    province, commune = offices
    pack = export_pack(province, ["thu_nghiem"], tmp_path / "mau.mau.zip", sign=True)
    evil = GOOD.replace("Nêu số hộ nghèo.", "Nêu số hộ nghèo (đã sửa).")

    # the template changed and the manifest's hash fixed to match: the signature over the manifest fails
    def template_and_hash(name, data):
        if name == "templates/thu_nghiem_v1.yaml":
            return evil.encode("utf-8")
        if name == "manifest.json":
            manifest = json.loads(data)
            import hashlib
            manifest["templates"][0]["sha256"] = hashlib.sha256(evil.encode("utf-8")).hexdigest()
            return json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
        return data
    refused(commune, rewrite(pack, tmp_path / "a.mau.zip", template_and_hash), "chữ ký số của gói không hợp lệ")
    # only the template changed: its hash in the signed manifest no longer matches
    refused(commune, rewrite(pack, tmp_path / "b.mau.zip",
                             lambda n, d: evil.encode("utf-8") if n.startswith("templates/") else d),
            "không khớp mã băm")
    # the signature removed: the manifest still names its signer
    refused(commune, rewrite(pack, tmp_path / "c.mau.zip", lambda n, d: None if n == "signature.json" else d),
            "thiếu tệp chữ ký")
    # one byte of the signature flipped
    def flip(name, data):
        if name != "signature.json":
            return data
        sig = json.loads(data)
        raw = bytearray(__import__("base64").b64decode(sig["signature"]))
        raw[0] ^= 1
        sig["signature"] = __import__("base64").b64encode(bytes(raw)).decode()
        return json.dumps(sig).encode()
    refused(commune, rewrite(pack, tmp_path / "d.mau.zip", flip), "chữ ký số của gói không hợp lệ")
    # the signer's key swapped for another one's: fingerprint in the signed manifest no longer matches
    other = ex.ensure_own_key(commune).public_key
    refused(commune, rewrite(pack, tmp_path / "e.mau.zip", lambda n, d: d if n != "signature.json" else
                             json.dumps({**json.loads(d), "public_key": other}).encode()),
            "không khớp khóa đã ký")


def test_cli_exports_signed_and_refuses_unsigned(offices, tmp_path):
    province, commune = offices
    signed, unsigned = tmp_path / "ky.mau.zip", tmp_path / "khong.mau.zip"
    code, out, err = run_cli("template", "export", "thu_nghiem", str(unsigned), "--db", str(province.path))
    assert code == 0 and "Gói chưa ký" in out, err
    code, out, err = run_cli("template", "import", str(unsigned), "--db", str(commune.path))
    assert code == 2 and "không có chữ ký số" in err and "Chưa nhập mẫu nào" in err
    code, out, err = run_cli("template", "export", "thu_nghiem", str(signed), "--sign", "--json",
                             "--db", str(province.path))
    assert code == 0, err
    assert json.loads(out)["signed"] is True and json.loads(out)["fingerprint"] == ex.own_key(province).fingerprint
    code, out, err = run_cli("template", "import", str(signed), "--json", "--db", str(commune.path))
    assert code == 0, err
    data = json.loads(out)
    assert data["signer_role"] == "upper" and data["signed_by"] == "Văn phòng Tỉnh ủy Lào Cai"
    assert data["imported"] == [{"code": "thu_nghiem", "version": 1, "status": "installed"}]


def test_a_single_yaml_template_made_here_needs_no_signature(offices, tmp_path):
    _, commune = offices
    path = tmp_path / "tu_soan.yaml"
    path.write_text(GOOD.replace("thu_nghiem", "tu_soan"), encoding="utf-8")
    result = import_pack(commune, path)
    assert result == [("tu_soan", 1, "installed")] and result.message.startswith("Mẫu soạn tại đơn vị")
