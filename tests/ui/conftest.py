"""GUI test fixtures. The services announce their own changes (services/events.py); windows refresh from
the change bus (ui/changes.py) in tests exactly as in the app."""
from __future__ import annotations

import pytest


@pytest.fixture
def changes_arrived(qtbot):
    """`changes_arrived()` waits until announced changes have reached the windows (the bridge merges a
    burst, then emits on the UI thread)."""
    from baocao_desktop.ui.changes import changes
    bridge = changes()

    def wait() -> None:
        qtbot.waitUntil(lambda: not bridge._pending and not bridge._timer.isActive(), timeout=5000)
    return wait
