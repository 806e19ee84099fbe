"""Issue 19 point 2, per sender: at the upper level each commune's version of a template is kept for that
commune's reports, even when two communes send the same code and version with different content; each
report opens, checks, prints and aggregates with its own sender's version, and none of them becomes the
upper level's current template or gets signed. Schema 8 keeps received versions by content; a database of
schema 7 upgrades with its reports still pinning their versions."""
import sqlite3

from baocao_desktop.services import exchange as ex
from baocao_desktop.services import template_editing as te
from baocao_desktop.services.aggregation import aggregate
from baocao_desktop.services.editing import EditSession
from baocao_desktop.services.template_packs import export_pack
from baocao_desktop.services.workspace import Workspace
from baocao_desktop.templates.model import parse_template
from baocao_desktop.templates.packs import read_pack
from tests.exchange.conftest import WEEK1, WEEK2, week_values


def own_version_2(commune, label: str) -> str:
    """The commune's own version 2 of the weekly template: its own name and its own title of section I."""
    source = commune.ws.template("bc_tuan").source
    title = next(s for s in commune.ws.template("bc_tuan").walk()).title
    v2 = (source.replace("version: 1\n", "version: 2\n", 1)
          .replace("name: Báo cáo tuần\n", f"name: Báo cáo tuần ({label})\n", 1)
          .replace(f"title: {title}\n", f"title: {title} ({label})\n", 1))
    assert v2.count(label) == 2
    commune.ws.install_template(parse_template(v2, origin=f"bc_tuan v2 {label}"), origin="local")
    return v2


def received_versions(ws) -> list[tuple]:
    return ws.store.conn.execute("SELECT code, version, origin, origin_unit_id FROM templates "
                                 "WHERE origin = 'received' ORDER BY installed_at").fetchall()


def test_two_communes_with_different_contents_of_one_version_each_keep_theirs(two_communes, upper, stick,
                                                                                tmp_path):
    a, b = two_communes
    own_version_2(a, "bản của Bản Phố")
    own_version_2(b, "bản của Lùng Phình")
    first = [a.weekly(WEEK1), b.weekly(WEEK1)]
    second = [a.weekly(WEEK2), b.weekly(WEEK2, values=week_values(lua="200", kham_cum="600", kham_prev="500"))]

    result = ex.import_bundles(upper, [a.send(stick).path, b.send(stick).path])

    counts = result.counts()
    assert counts["new"] == 4 and counts["files_refused"] == 0, result.plan.to_json()
    assert not [r for r in result.plan.reports if r.action == "rejected"]
    assert {r.template_name for r in result.plan.reports} == {"Báo cáo tuần (bản của Bản Phố)",
                                                              "Báo cáo tuần (bản của Lùng Phình)"}
    # one received version per content, recorded with the commune that brought it
    assert sorted(received_versions(upper)) == sorted([("bc_tuan", 2, "received", a.unit_id),
                                                       ("bc_tuan", 2, "received", b.unit_id)])
    for report_id, label in ((first[0], "Bản Phố"), (second[0], "Bản Phố"),
                             (first[1], "Lùng Phình"), (second[1], "Lùng Phình")):
        report = upper.report(report_id)
        template = upper.report_template(report)
        assert (template.version, template.name) == (2, f"Báo cáo tuần (bản của {label})")
        other = "Lùng Phình" if label == "Bản Phố" else "Bản Phố"
        headings = " ".join(s.title for s in template.walk())
        assert f"(bản của {label})" in headings and f"(bản của {other})" not in headings
        # opened in the editor and checked with the sender's version
        session = EditSession(upper, report_id)
        assert session.template.name == template.name
        assert not [f for f in upper.check(report_id, proofread=False) if "mẫu" in f.message.lower()
                    and "không có" in f.message.lower()]
        model = upper.document_model(report_id)
        assert model is not None
    # aggregated: both communes' figures, each read from its own report
    agg = aggregate(upper, "bc_tuan", WEEK2)
    assert {e.id for e in agg.units} == {a.unit_id, b.unit_id}
    rice = next(i for i in agg.indicators if i.code == "lua_mua_dien_tich")
    assert rice.fields["actual"].total == 500  # 300 + 200
    # none of them is the upper level's: not current, not listed, not signed
    assert upper.template("bc_tuan").version == 1
    assert [(r.code, r.version) for r in te.template_rows(upper) if r.code == "bc_tuan"] == [("bc_tuan", 1)]
    assert upper.create_report("bc_tuan", WEEK1).template_version == 1
    pack = read_pack(export_pack(upper, ["bc_tuan"], tmp_path / "tuan.mau.zip", sign=True))
    assert [(t.code, t.version, t.name) for t in pack.templates] == [("bc_tuan", 1, "Báo cáo tuần")]


def test_the_same_version_sent_by_many_communes_is_stored_once(two_communes, upper, stick):
    a, b = two_communes
    source = own_version_2(a, "bản chung")
    b.ws.install_template(parse_template(source, origin="bc_tuan v2"), origin="local")
    made = [a.weekly(WEEK1), b.weekly(WEEK1)]
    ex.import_bundles(upper, [a.send(stick).path, b.send(stick).path])
    assert received_versions(upper) == [("bc_tuan", 2, "received", a.unit_id)]
    assert {upper.report_template(upper.report(r)).name for r in made} == {"Báo cáo tuần (bản chung)"}


def test_a_communes_version_differing_from_the_upper_levels_own_is_kept_for_its_reports(two_communes, upper,
                                                                                         stick):
    a, _ = two_communes
    report_id = a.weekly(WEEK1)  # with the shipped bc_tuan v1
    path = a.send(stick).path
    # the upper level's own version 1 differs (edited here before any report used it)
    edited = parse_template(upper.template("bc_tuan").source.replace("name: Báo cáo tuần\n",
                                                                      "name: Báo cáo tuần (tỉnh)\n"), origin="x")
    upper.store.conn.execute("UPDATE templates SET name = ?, source = ?, sha256 = ? WHERE code = 'bc_tuan' "
                             "AND version = 1", (edited.name, edited.source, edited.sha256))
    upper._templates.clear()

    result = ex.import_bundles(upper, [path])

    entry = result.plan.reports[0]
    assert entry.action == "new", entry.reason
    assert upper.report_template(upper.report(report_id)).name == "Báo cáo tuần"  # the commune's version
    assert upper.template("bc_tuan").name == "Báo cáo tuần (tỉnh)"  # the upper level's own stays current
    assert received_versions(upper) == [("bc_tuan", 1, "received", a.unit_id)]


def test_a_schema_7_upper_level_database_with_received_templates_upgrades(two_communes, upper, stick, tmp_path):
    a, b = two_communes
    own_version_2(a, "bản của Bản Phố")
    made = [a.weekly(WEEK1), b.weekly(WEEK1)]
    ex.import_bundles(upper, [a.send(stick).path, b.send(stick).path])
    path = tmp_path / "tinh" / "baocao.sqlite3"
    before = upper.store.conn.execute("SELECT id, code, version, sha256, origin, origin_unit_id FROM templates "
                                      "ORDER BY id").fetchall()
    upper.close()
    # the templates table as schema 7 had it: UNIQUE (code, version) inline
    conn = sqlite3.connect(path)
    conn.executescript("""
        PRAGMA foreign_keys = OFF;
        BEGIN;
        CREATE TABLE templates_7 (id TEXT PRIMARY KEY, code TEXT NOT NULL, version INTEGER NOT NULL,
            name TEXT NOT NULL, period TEXT NOT NULL, source TEXT NOT NULL, sha256 TEXT NOT NULL,
            installed_at TEXT NOT NULL, updated_at TEXT NOT NULL, origin TEXT NOT NULL DEFAULT '',
            origin_unit_id TEXT, UNIQUE (code, version));
        INSERT INTO templates_7 SELECT id, code, version, name, period, source, sha256, installed_at, updated_at,
            origin, origin_unit_id FROM templates;
        DROP TABLE templates;
        ALTER TABLE templates_7 RENAME TO templates;
        DROP INDEX received_bundles_by_unit;
        PRAGMA user_version = 7;
        COMMIT;""")
    conn.close()

    again = Workspace(path, author="tinh")
    try:
        assert again.store.schema_version >= 8
        assert again.store.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert again.store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        after = again.store.conn.execute("SELECT id, code, version, sha256, origin, origin_unit_id FROM templates "
                                         "ORDER BY id").fetchall()
        assert after == before  # every version kept, with its id: the reports still pin theirs
        assert again.report_template(again.report(made[0])).name == "Báo cáo tuần (bản của Bản Phố)"
        assert again.report_template(again.report(made[1])).name == "Báo cáo tuần"
        assert again.template("bc_tuan").version == 1
        # now a second commune's different version 2 is kept too
        own_version_2(b, "bản của Lùng Phình")
        later = b.weekly(WEEK2)
        result = ex.import_bundles(again, [b.send(stick, [later]).path])
        assert result.counts()["new"] == 1, result.plan.to_json()
        assert again.report_template(again.report(later)).name == "Báo cáo tuần (bản của Lùng Phình)"
        assert again.report_template(again.report(made[0])).name == "Báo cáo tuần (bản của Bản Phố)"
    finally:
        again.close()
