"""Issue 19 point 2: template authority. At the upper level a commune's template version is kept only for that
commune's reports: never current, never signed. At the commune, templates from above install only when signed
by the registered upper level; a local .yaml is a "mẫu tự tạo" and never takes a shipped or signed code."""
import json
import zipfile

import pytest

from baocao_desktop.services import exchange as ex
from baocao_desktop.services import template_editing as te
from baocao_desktop.services.errors import ServiceError
from baocao_desktop.services.template_packs import export_pack, import_pack, preview_pack
from baocao_desktop.templates.model import parse_template
from baocao_desktop.templates.packs import read_pack
from tests.conftest import run_cli
from tests.exchange.conftest import WEEK1


def commune_version_2(commune) -> None:
    """The commune makes its own version 2 of the weekly template (renamed) and reports with it."""
    source = commune.ws.template("bc_tuan").source
    v2 = source.replace("version: 1\n", "version: 2\n", 1).replace("name: Báo cáo tuần\n",
                                                                     "name: Báo cáo tuần (bản của xã)\n", 1)
    commune.ws.install_template(parse_template(v2, origin="bc_tuan v2"), origin="local")


def test_a_communes_template_version_never_becomes_the_upper_levels_current_one(two_communes, upper, stick,
                                                                                 tmp_path):
    a, _ = two_communes
    commune_version_2(a)
    assert a.ws.template("bc_tuan").version == 2
    report_id = a.weekly(WEEK1)

    ex.import_bundles(upper, [a.send(stick).path])

    received = upper.report(report_id)
    assert received.template_version == 2  # the commune's report keeps the version it was written with
    assert upper.template("bc_tuan", 2).name == "Báo cáo tuần (bản của xã)"
    assert upper.template("bc_tuan").version == 1  # the upper level's current template is its own
    assert [(r.code, r.version, r.name) for r in te.template_rows(upper) if r.code == "bc_tuan"] == \
        [("bc_tuan", 1, "Báo cáo tuần")]
    own = upper.create_report("bc_tuan", WEEK1)
    assert own.template_version == 1
    # `template export --sign` signs the upper level's version, never the commune's
    pack = read_pack(export_pack(upper, ["bc_tuan"], tmp_path / "tuan.mau.zip", sign=True))
    assert [(t.code, t.version, t.name) for t in pack.templates] == [("bc_tuan", 1, "Báo cáo tuần")]
    # a new version made at the upper level goes above the commune's number
    assert te.next_version(upper, "bc_tuan") == 3


def test_a_template_only_a_commune_has_is_never_signed_at_the_upper_level(make_commune, upper, stick, tmp_path):
    commune = make_commune()
    ex.register_unit(upper, commune.key_file(tmp_path))
    source = commune.ws.template("bc_tuan").source.replace("code: bc_tuan\n", "code: bc_rieng\n", 1)
    commune.ws.install_template(parse_template(source, origin="bc_rieng"), origin="local")
    ws = commune.ws
    report = ws.create_report("bc_rieng", WEEK1, number="3")
    ws.fill_report(report.id, {"sections": {s.path: {"text": "Ổn định."}
                                            for s in ws.template("bc_rieng").walk() if s.required}})
    ws.sign(report.id)
    ex.import_bundles(upper, [commune.send(stick).path])
    assert upper.report(report.id).template_code == "bc_rieng"
    assert "bc_rieng" not in {t.code for t in upper.templates()}
    assert "bc_rieng" in {t.code for t in upper.templates(received_too=True)}  # the inbox still offers it
    assert "bc_tuan" in {t.code for t in upper.templates(received_too=True)}
    with pytest.raises(ServiceError, match="bc_rieng"):
        export_pack(upper, ["bc_rieng"], tmp_path / "rieng.mau.zip", sign=True)
    assert not (tmp_path / "rieng.mau.zip").exists()


@pytest.fixture
def commune_under(make_commune, upper, tmp_path):
    """A commune that registered the upper level's key, and a pack of the upper level's bc_tuan v2, signed."""
    commune = make_commune()
    ex.register_unit(commune.ws, ex.export_public_key(upper, tmp_path / "tinh.baocaokey"), role="upper")
    source = upper.template("bc_tuan").source.replace("version: 1\n", "version: 2\n", 1)
    upper.install_template(parse_template(source, origin="bc_tuan v2"), origin="local")
    pack = export_pack(upper, ["bc_tuan"], tmp_path / "bc_tuan.mau.zip", sign=True)
    return commune, pack


def test_a_signed_template_unzipped_as_yaml_installs_as_a_self_made_template_with_its_own_code(
        commune_under, tmp_path):
    commune, pack = commune_under
    unzipped = tmp_path / "bc_tuan_v2.yaml"
    with zipfile.ZipFile(pack) as archive:
        unzipped.write_bytes(archive.read("templates/bc_tuan_v2.yaml"))

    preview = preview_pack(commune.ws, unzipped)
    assert preview == [("bc_tuan_tu_tao", 2, "installed")] and "bc_tuan_tu_tao" in preview.message
    result = import_pack(commune.ws, unzipped)

    assert result == [("bc_tuan_tu_tao", 2, "installed")]
    assert "mẫu tự tạo" in result.message and "mã riêng “bc_tuan_tu_tao”" in result.message
    assert commune.ws.template("bc_tuan").version == 1  # the shipped/signed code is untouched
    assert commune.ws.template("bc_tuan_tu_tao").source.startswith(
        commune.ws.template("bc_tuan").source.split("code:")[0])  # comments and layout kept
    rows = {r.code: r for r in te.template_rows(commune.ws)}
    assert rows["bc_tuan_tu_tao"].self_made and rows["bc_tuan_tu_tao"].origin_label == "mẫu tự tạo"
    assert not rows["bc_tuan"].self_made
    # the signed pack itself installs bc_tuan v2 as the upper level's
    signed = import_pack(commune.ws, pack)
    assert signed == [("bc_tuan", 2, "installed")] and signed.origin == "upper"
    rows = {r.code: r for r in te.template_rows(commune.ws)}
    assert rows["bc_tuan"].version == 2 and rows["bc_tuan"].origin == "upper" and not rows["bc_tuan"].self_made


def test_template_list_json_marks_self_made_templates(commune_under, tmp_path):
    commune, pack = commune_under
    unzipped = tmp_path / "bc_tuan_v2.yaml"
    with zipfile.ZipFile(pack) as archive:
        unzipped.write_bytes(archive.read("templates/bc_tuan_v2.yaml"))
    db = str(commune.tmp / "baocao.sqlite3")
    commune.ws.close()
    code, out, err = run_cli("template", "import", str(unzipped), "--db", db)
    assert code == 0, err
    assert "mẫu tự tạo" in out and "bc_tuan_tu_tao" in out
    code, out, err = run_cli("template", "list", "--db", db, "--json")
    listed = {t["code"]: t for t in json.loads(out)["templates"]}
    assert listed["bc_tuan_tu_tao"]["self_made"] and listed["bc_tuan_tu_tao"]["origin_label"] == "mẫu tự tạo"
    assert not listed["bc_tuan"]["self_made"]
    code, out, err = run_cli("template", "list", "--db", db)
    assert any(line.startswith("bc_tuan_tu_tao\t") and line.endswith("(mẫu tự tạo)") for line in out.splitlines())
