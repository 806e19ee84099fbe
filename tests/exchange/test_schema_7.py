"""Schema 7 (where each template version came from): an upper level's database of schema 6 upgrades; the
versions only its communes' reports pin become `received` (never current), the shipped ones `shipped`."""
import sqlite3

from baocao_desktop.services import exchange as ex
from baocao_desktop.services import template_editing as te
from baocao_desktop.services.workspace import Workspace
from baocao_desktop.templates.model import parse_template
from tests.exchange.conftest import WEEK1


def test_a_schema_6_upper_level_database_upgrades_and_keeps_the_communes_versions_out_of_current(
        make_commune, upper, stick, tmp_path):
    commune = make_commune()
    ex.register_unit(upper, commune.key_file(tmp_path))
    ws = commune.ws
    v2 = ws.template("bc_tuan").source.replace("version: 1\n", "version: 2\n", 1)
    ws.install_template(parse_template(v2, origin="bc_tuan v2"), origin="local")
    ws.install_template(parse_template(v2.replace("code: bc_tuan\n", "code: bc_rieng\n", 1), origin="r"))
    made = [commune.weekly(WEEK1)]
    for code in ("bc_rieng",):
        report = ws.create_report(code, WEEK1, number="9")
        ws.fill_report(report.id, {"sections": {s.path: {"text": "Ổn định."}
                                                for s in ws.template(code).walk() if s.required}})
        ws.sign(report.id)
        made.append(report.id)
    ex.import_bundles(upper, [commune.send(stick).path])
    upper.install_template(parse_template(v2.replace("code: bc_tuan\n", "code: bc_tinh\n", 1), origin="t"),
                           origin="local")
    path = tmp_path / "tinh" / "baocao.sqlite3"
    upper.close()
    # the database as schema 6 left it: no origins recorded
    conn = sqlite3.connect(path)
    for index in ("templates_own_version", "templates_received_content", "received_bundles_by_unit"):  # schema 8
        conn.execute(f"DROP INDEX {index}")
    conn.execute("ALTER TABLE templates DROP COLUMN origin")
    conn.execute("ALTER TABLE templates DROP COLUMN origin_unit_id")
    conn.execute("PRAGMA user_version = 6")
    conn.commit()
    conn.close()

    again = Workspace(path, author="tinh")
    try:
        origins = dict(((c, v), (o, u)) for c, v, o, u in again.store.conn.execute(
            "SELECT code, version, origin, origin_unit_id FROM templates"))
        assert origins[("bc_tuan", 2)] == ("received", commune.unit_id)
        assert origins[("bc_rieng", 2)] == ("received", commune.unit_id)
        assert origins[("bc_tuan", 1)] == ("shipped", None)
        assert origins[("bc_tinh", 2)] == ("", None)  # the upper level's own: origin not recorded, still current
        assert again.template("bc_tuan").version == 1
        assert {t.code for t in again.templates()} >= {"bc_tuan", "bc_tinh"}
        assert "bc_rieng" not in {r.code for r in te.template_rows(again)}
        assert [again.report(r).template_version for r in made] == [2, 2]  # the reports keep their versions
    finally:
        again.close()
