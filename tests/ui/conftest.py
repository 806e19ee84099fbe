"""GUI test fixtures.

`services_announce_changes` (autouse) stands in for the services' change announcements while they are
not on this branch: after every committed write transaction it announces every kind of change, as the
services will (more precisely) once they announce after their commits. Windows then refresh from the
change bus (ui/changes.py) in tests exactly as in the app. Remove it when every writing service
announces its own changes (issue 13 point 4).
"""
from __future__ import annotations

from contextlib import contextmanager

import pytest

from baocao_desktop.services import events


@pytest.fixture(autouse=True)
def services_announce_changes(monkeypatch):
    from baocao_desktop.store.db import Store
    original = Store.transaction.__wrapped__ if hasattr(Store.transaction, "__wrapped__") else None
    if original is None:  # pragma: no cover (Store.transaction is a contextmanager function)
        yield
        return

    @contextmanager
    def transaction(self):
        outermost = not self.conn.in_transaction
        with contextmanager(original)(self) as db:
            yield db
        if outermost:
            for kind in events.KINDS:
                events.announce(kind)
    monkeypatch.setattr(Store, "transaction", transaction)
    yield


@pytest.fixture
def changes_arrived(qtbot):
    """`changes_arrived()` waits until announced changes have reached the windows (the bridge merges a
    burst, then emits on the UI thread)."""
    from baocao_desktop.ui.changes import changes
    bridge = changes()

    def wait() -> None:
        qtbot.waitUntil(lambda: not bridge._pending and not bridge._timer.isActive(), timeout=5000)
    return wait
