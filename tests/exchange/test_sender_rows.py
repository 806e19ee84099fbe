"""Issue 19 points 1 and 3 at the upper level: a commune's bad template or colliding id refuses that one file,
with a Vietnamese reason, and never touches the other files of the batch or another commune's rows."""
import hashlib

from baocao_desktop.services import exchange as ex
from baocao_desktop.templates.model import parse_template
from tests.exchange.conftest import WEEK1, db_state

NAN_RANGE = "    range: [0, 2000]\n"


def own_weekly_template(commune, code: str = "bc_tuan_xa") -> str:
    """A copy of the weekly template under the commune's own code; returns its YAML."""
    source = commune.ws.template("bc_tuan").source.replace("code: bc_tuan\n", f"code: {code}\n", 1)
    commune.ws.install_template(parse_template(source, origin=code))
    return source


def weekly_with(commune, code: str, start=WEEK1) -> str:
    ws = commune.ws
    template = ws.template(code)
    report = ws.create_report(code, start, number="7")
    ws.fill_report(report.id, {"sections": {s.path: {"text": "Tình hình ổn định."}
                                            for s in template.walk() if s.required}})
    ws.sign(report.id)
    return report.id


def test_a_nan_range_in_one_communes_template_refuses_only_that_file(two_communes, make_commune, upper, stick,
                                                                     tmp_path):
    a, b = two_communes
    c = make_commune("Đảng ủy xã Sín Chéng", "Sín Chéng")
    ex.register_unit(upper, c.key_file(tmp_path))
    ra = a.weekly(WEEK1)
    rb = b.weekly(WEEK1)
    source = own_weekly_template(c)
    weekly_with(c, "bc_tuan_xa")
    # the commune's database is changed behind the program: the template it sends has a NaN range
    bad = source.replace(NAN_RANGE, "    range: [.nan, 2000]\n", 1)
    assert bad != source
    c.ws.store.conn.execute("UPDATE templates SET source = ?, sha256 = ? WHERE code = 'bc_tuan_xa'",
                            (bad, hashlib.sha256(bad.encode()).hexdigest()))
    paths = [a.send(stick).path, c.send(stick).path, b.send(stick).path]

    result = ex.import_bundles(upper, paths)

    refused = [f for f in result.plan.files if not f.ok]
    assert [f.unit_id for f in refused] == [c.unit_id]
    assert refused[0].code == "bad_template"
    assert "bc_tuan_xa" in refused[0].message and "không dùng .nan" in refused[0].message
    received = {r.id for r in upper.list_reports(own_only=False)}
    assert {ra, rb} <= received  # the good communes' files are in
    assert not any(r.unit_id == c.unit_id for r in upper.list_reports(own_only=False))
    assert upper.store.conn.execute("SELECT 1 FROM templates WHERE code = 'bc_tuan_xa'").fetchone() is None
    assert "không dùng .nan" in result.summary_text()


def test_a_profile_fact_whose_id_collides_with_another_communes_fact_is_refused(two_communes, upper, stick):
    a, b = two_communes
    fact = a.ws.add_profile_fact("dan_so", "Dân số", "9.876", "người", "2026-01-01")
    a.weekly(WEEK1)
    ex.import_bundles(upper, [a.send(stick).path])
    stored = upper.store.conn.execute("SELECT unit_id, value, label FROM profile_facts WHERE id = ?",
                                      (fact.id,)).fetchone()
    assert stored == (a.unit_id, "9876", "Dân số")
    # commune B's file carries a fact under the same id, newer and with another value
    b.ws.add_profile_fact("dan_so", "Dân số xã", "1.234", "người", "2026-02-01")
    b.ws.store.conn.execute("UPDATE profile_facts SET id = ?, updated_at = '2099-01-01T00:00:00+00:00' "
                            "WHERE unit_id = ?", (fact.id, b.unit_id))
    rb = b.weekly(WEEK1)
    before = db_state(upper)

    result = ex.import_bundles(upper, [b.send(stick).path])

    file = result.plan.files[0]
    assert not file.ok and file.code == "id_collision"
    assert "dữ kiện hồ sơ" in file.message and "đơn vị khác" in file.message
    assert upper.store.conn.execute("SELECT unit_id, value, label FROM profile_facts WHERE id = ?",
                                    (fact.id,)).fetchone() == stored  # not moved, not changed
    assert rb not in {r.id for r in upper.list_reports(own_only=False)}
    assert db_state(upper) == before
    # the dry run says the same, and a batch with both keeps the first commune's fact
    assert ex.import_bundles(upper, [b.send(stick).path], dry_run=True).plan.files[0].code == "id_collision"


def test_a_colliding_fact_within_one_batch_refuses_the_second_file(two_communes, upper, stick):
    a, b = two_communes
    fact = a.ws.add_profile_fact("dan_so", "Dân số", "9.876", "người", "2026-01-01")
    b.ws.add_profile_fact("dan_so", "Dân số", "5.555", "người", "2026-01-01")
    b.ws.store.conn.execute("UPDATE profile_facts SET id = ? WHERE unit_id = ?", (fact.id, b.unit_id))
    a.weekly(WEEK1)
    b.weekly(WEEK1)
    paths = [a.send(stick).path, b.send(stick).path]
    dry = ex.import_bundles(upper, paths, dry_run=True)
    assert [f.code for f in dry.plan.files] == ["ok", "id_collision"]
    result = ex.import_bundles(upper, paths)
    assert [f.code for f in result.plan.files] == ["ok", "id_collision"]
    assert upper.store.conn.execute("SELECT unit_id, value FROM profile_facts WHERE id = ?",
                                    (fact.id,)).fetchone() == (a.unit_id, "9876")


def test_a_signer_or_a_file_id_that_collides_with_another_communes_is_refused(two_communes, upper, stick):
    a, b = two_communes
    a.weekly(WEEK1)
    ex.import_bundles(upper, [a.send(stick).path])
    signer_a = a.ws.signers()[0].id
    stored = upper.store.conn.execute("SELECT unit_id, name FROM signers WHERE id = ?", (signer_a,)).fetchone()
    assert stored == (a.unit_id, "Bí thư Bản Phố")
    report = b.weekly(WEEK1, sign=False)
    b.ws.store.conn.execute("PRAGMA foreign_keys = OFF")  # changed behind the program
    b.ws.store.conn.execute("UPDATE signers SET id = ? WHERE unit_id = ?", (signer_a, b.unit_id))
    b.ws.store.conn.execute("UPDATE reports SET signer_id = ?", (signer_a,))
    b.ws.sign(report)
    file = ex.import_bundles(upper, [b.send(stick).path]).plan.files[0]
    assert file.code == "id_collision" and "người ký" in file.message
    assert upper.store.conn.execute("SELECT unit_id, name FROM signers WHERE id = ?", (signer_a,)).fetchone() == stored
