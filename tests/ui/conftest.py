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


@pytest.fixture
def close_before_database(workspace):
    """`close_before_database(widget)` registers a window or editor to be closed (and flushed) while the
    test's database is still open, and destroyed here on the GUI thread (its timers would otherwise run
    on a closed database, or a later garbage collection free it from another thread)."""
    import gc

    import shiboken6
    widgets: list = []
    yield widgets.append
    while widgets:
        widget = widgets.pop()
        if shiboken6.isValid(widget):
            widget.close()
            shiboken6.delete(widget)
    gc.collect()
