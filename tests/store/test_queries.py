"""The store's query modules and its after-commit hook, without the services on top."""
import datetime as dt

import pytest

from baocao_desktop.store import profile, reports, signers, templates, units, values
from baocao_desktop.store.db import Store


@pytest.fixture
def store(tmp_path):
    opened = Store(tmp_path / "baocao.sqlite3")
    yield opened
    opened.close()


def test_after_commit_runs_once_the_outermost_transaction_commits(store):
    ran = []
    store.after_commit(lambda: ran.append("outside"))
    assert ran == ["outside"]  # no transaction: at once
    with store.transaction():
        with store.transaction():
            store.after_commit(lambda: ran.append("a"), key="a")
            store.after_commit(lambda: ran.append("a again"), key="a")  # same key: dropped
        store.after_commit(lambda: ran.append("b"))
        assert ran == ["outside"]
    assert ran == ["outside", "a", "b"]


def test_after_commit_is_forgotten_on_rollback(store):
    ran = []
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.after_commit(lambda: ran.append("never"))
            raise RuntimeError
    with store.transaction():
        pass
    assert ran == []


def test_units_signers_profile_and_values_round_trip(store):
    with store.transaction():
        unit_id = units.insert_own_unit(store, {"name": "Đảng ủy xã Lùng Phình", "founded_on": "2025-07-01"})
        first = signers.insert(store, unit_id, {"name": "Giàng A Lử", "position": 1})
        signers.insert(store, unit_id, {"name": "Vàng Thị Mai", "position": 0})
        profile.insert(store, unit_id, {"code": "dan_so", "label": "Dân số", "value": "5000", "unit": "người",
                                        "as_of": "2026-01-01"})
    own = units.own_unit(store)
    assert (own.id, own.name, own.founded_on) == (unit_id, "Đảng ủy xã Lùng Phình", dt.date(2025, 7, 1))
    assert [s.name for s in signers.live(store, unit_id)] == ["Vàng Thị Mai", "Giàng A Lử"]
    with store.transaction():
        signers.remove(store, first)
    assert [s.name for s in signers.live(store, unit_id)] == ["Vàng Thị Mai"]
    assert [(f.code, str(f.value)) for f in profile.facts(store, unit_id)] == [("dan_so", "5000")]
    assert units.names(store, others_only=True) == {}
    assert reports.ids(store) == []
    assert values.of_reports(store, []) == []


def test_a_received_template_is_installed_once_under_its_own_id_when_free(store):
    row = {"id": "tpl-1", "code": "bc_tuan", "version": 2, "name": "Báo cáo tuần", "period": "week",
           "source": "code: bc_tuan", "sha256": "abc"}
    with store.transaction():
        assert templates.ensure(store, row, "unit-a") == "tpl-1"
        assert templates.ensure(store, row, "unit-a") == "tpl-1"  # installed: found, not added again
        other = templates.ensure(store, {**row, "version": 3}, "unit-a")  # the id is taken: a new one
    assert other != "tpl-1"
    assert templates.find(store, "bc_tuan", 2) == ("tpl-1", "abc", "Báo cáo tuần", "received")
    assert templates.find(store, "bc_tuan", 3).id == other
    # a unit's versions are kept for its reports only: never this database's current template
    assert templates.latest_version(store, "bc_tuan") is None and templates.highest_version(store, "bc_tuan") == 3
    assert templates.version_counts(store) == {} and templates.latest_versions(store) == []
    assert templates.latest_names(store) == {"bc_tuan": ("Báo cáo tuần", "week")}  # the inbox still names it


def test_profile_facts_until_a_day_and_foreign_units(store):
    with store.transaction():
        units.add_foreign_unit(store, "xa-a", {"name": "Xã A", "level": "xã", "founded_on": "2025-07-01"})
        for value, as_of in (("5000", "2025-01-01"), ("5100", "2026-01-01")):
            profile.insert(store, "xa-a", {"code": "dan_so", "label": "Dân số", "value": value, "unit": "người",
                                           "as_of": as_of})
        units.update_unit(store, "xa-a", {"name": "Xã A mới"})
    assert [str(f.value) for f in profile.facts(store, "xa-a")] == ["5000", "5100"]
    assert [str(f.value) for f in profile.facts(store, "xa-a", until=dt.date(2025, 12, 31))] == ["5000"]
    assert {c: str(f.value) for c, f in profile.valid_on(store, "xa-a", dt.date(2026, 1, 1)).items()} == \
        {"dan_so": "5100"}
    assert profile.valid_on(store, "xa-a", dt.date(2024, 12, 31)) == {}
    assert units.unit_fields(store, "xa-a") == (False, {"name": "Xã A mới", "level": "xã", "upper_body": "",
                                                         "place_name": "", "symbol": "", "format": "party",
                                                         "founded_on": "2025-07-01"})  # the schema's defaults
    assert units.unit(store, "xa-a").founded_on == dt.date(2025, 7, 1)
    assert units.names(store, others_only=True) == {"xa-a": "Xã A mới"}
