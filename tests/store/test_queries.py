"""The store's query modules and its after-commit hook, without the services on top."""
import datetime as dt

import pytest

from baocao_desktop.store import profile, reports, signers, units, values
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
