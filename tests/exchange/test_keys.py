"""Keys: one Ed25519 pair per unit, a key file for the upper level, a fingerprint read over the phone,
and the registry of units (and of the level above) with their keys."""
import re

import pytest

from baocao_desktop.exchange import keys
from baocao_desktop.services import exchange as ex
from baocao_desktop.services.errors import ServiceError
from tests.conftest import run_cli

FINGERPRINT = re.compile(r"^[A-Z2-7]{4}(-[A-Z2-7]{4}){4}$")


def test_fingerprint_is_five_groups_of_four_base32_characters():
    a, b = keys.generate_key_pair(), keys.generate_key_pair()
    assert FINGERPRINT.match(a.fingerprint)
    assert a.fingerprint == keys.fingerprint(a.public_key)
    assert a.fingerprint != b.fingerprint
    assert keys.public_from_private(a.private_key) == a.public_key


def test_signatures_are_bound_to_their_purpose():
    pair = keys.generate_key_pair()
    sig = keys.sign(pair.private_key, keys.PURPOSE_BUNDLE, b"manifest")
    assert keys.verify(pair.public_key, keys.PURPOSE_BUNDLE, b"manifest", sig)
    assert not keys.verify(pair.public_key, keys.PURPOSE_BUNDLE, b"manifesT", sig)
    assert not keys.verify(pair.public_key, keys.PURPOSE_TEMPLATE_PACK, b"manifest", sig)
    assert not keys.verify(keys.generate_key_pair().public_key, keys.PURPOSE_BUNDLE, b"manifest", sig)
    assert not keys.verify(pair.public_key, keys.PURPOSE_BUNDLE, b"manifest", "không-phải-base64")


def test_own_key_is_made_once_on_first_need(make_commune):
    commune = make_commune()
    assert ex.own_key(commune.ws) is None
    first = ex.ensure_own_key(commune.ws)
    assert first.role == "self" and FINGERPRINT.match(first.fingerprint)
    assert ex.ensure_own_key(commune.ws) == first
    assert commune.ws.store.conn.execute("SELECT COUNT(*) FROM unit_keys").fetchone()[0] == 1


def test_key_file_round_trip_has_no_private_key(make_commune, tmp_path):
    commune = make_commune()
    path = commune.key_file(tmp_path)
    assert path.name.endswith(".baocaokey") and "Bản Phố" in path.name
    text = path.read_text(encoding="utf-8")
    private = commune.ws.store.conn.execute("SELECT private_key FROM unit_keys").fetchone()[0]
    assert private not in text
    key = keys.read_key_file(path)
    assert key.unit_id == commune.unit_id and key.name == "Đảng ủy xã Bản Phố"
    assert key.fingerprint == ex.own_key(commune.ws).fingerprint
    assert key.fingerprint in text  # printed for reading over the phone


@pytest.mark.parametrize("edit, message", [
    (lambda t: t.replace("name: Đảng ủy xã Bản Phố", "name: Đảng ủy xã Khác"), "đã bị sửa"),
    (lambda t: t.replace("fingerprint: ", "fingerprint: X"), "không khớp với khóa"),
    (lambda t: "xin chào", "không phải tệp khóa"),
    (lambda t: t.replace("format: baocao-public-key 1\n", ""), "không phải tệp khóa"),
])
def test_damaged_key_files_are_refused(make_commune, tmp_path, edit, message):
    path = make_commune().key_file(tmp_path)
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(keys.KeyFileError, match=message):
        keys.read_key_file(path)


def test_registry_registers_keeps_and_replaces_keys(make_commune, upper, tmp_path):
    commune = make_commune()
    path = commune.key_file(tmp_path)
    first = ex.register_unit(upper, path)
    assert first.outcome == "registered" and first.unit_name == "Đảng ủy xã Bản Phố"
    assert ex.register_unit(upper, path).outcome == "unchanged"
    unit_row = upper.store.conn.execute("SELECT is_self, name FROM units WHERE id = ?", (commune.unit_id,)).fetchone()
    assert unit_row == (0, "Đảng ủy xã Bản Phố")
    assert upper.own_unit().name == "Văn phòng Tỉnh ủy Lào Cai"
    # the commune reinstalls: a new key; refused until confirmed, then replaced with the old one kept
    commune.ws.store.conn.execute("UPDATE unit_keys SET revoked_at = 'x' WHERE role = 'self'")
    (tmp_path / "moi").mkdir()
    new_path = commune.key_file(tmp_path / "moi")
    with pytest.raises(ServiceError, match="đã đăng ký khóa khác") as info:
        ex.register_unit(upper, new_path)
    assert first.fingerprint in str(info.value) and isinstance(info.value, ex.KeyClash)
    assert info.value.registered_fingerprint == first.fingerprint and "--" not in str(info.value)
    replaced = ex.register_unit(upper, new_path, replace=True)
    assert replaced.outcome == "replaced" and replaced.previous_fingerprint == first.fingerprint
    assert [k.fingerprint for k in ex.registered_units(upper)] == [replaced.fingerprint]
    assert upper.store.conn.execute("SELECT COUNT(*) FROM unit_keys WHERE unit_id = ?",
                                    (commune.unit_id,)).fetchone()[0] == 2


def test_own_key_file_cannot_be_registered(make_commune, tmp_path):
    commune = make_commune()
    with pytest.raises(ServiceError, match="chính đơn vị"):
        ex.register_unit(commune.ws, commune.key_file(tmp_path))


def test_a_commune_keeps_its_upper_levels_key(make_commune, upper, tmp_path):
    commune = make_commune()
    upper_key = ex.export_public_key(upper, tmp_path)
    result = ex.register_unit(commune.ws, upper_key, role="upper")
    assert result.role == "upper" and ex.upper_level_key(commune.ws).unit_name == "Văn phòng Tỉnh ủy Lào Cai"
    other = make_commune("Văn phòng Tỉnh ủy Khác", "Khác")
    other_key = ex.export_public_key(other.ws, tmp_path / "khac.baocaokey")
    with pytest.raises(ServiceError, match="Đã đăng ký cấp trên"):
        ex.register_unit(commune.ws, other_key, role="upper")
    assert ex.register_unit(commune.ws, other_key, role="upper", replace=True).outcome == "replaced"
    assert ex.upper_level_key(commune.ws).unit_name == "Văn phòng Tỉnh ủy Khác"


def test_cli_key_export_show_register_registry(make_commune, upper, tmp_path):
    commune = make_commune()
    out = tmp_path / "khoa.baocaokey"
    code, text, err = run_cli("unit", "key", "export", str(out), "--db", str(commune.ws.path))
    assert code == 0, err
    fingerprint = ex.own_key(commune.ws).fingerprint
    assert fingerprint in text and out.exists()
    code, text, _ = run_cli("unit", "key", "show", "--db", str(commune.ws.path), "--json")
    assert '"fingerprint": "%s"' % fingerprint in text
    code, text, err = run_cli("unit", "register", str(out), "--db", str(upper.path))
    assert code == 0 and "Đã đăng ký đơn vị Đảng ủy xã Bản Phố" in text, err
    code, text, _ = run_cli("unit", "registry", "--db", str(upper.path))
    assert fingerprint in text and "Bản Phố" in text
    bad = tmp_path / "hong.baocaokey"
    bad.write_text("rác", encoding="utf-8")
    code, _, err = run_cli("unit", "register", str(bad), "--db", str(upper.path))
    assert code == 2 and "không phải tệp khóa" in err
