"""Change notification in the interface: the bridge from the services' change bus to the UI thread.

Services announce what changed (`services.events`: REPORTS, UNIT, TEMPLATES, INBOX), from any thread.
`changes()` is the application's ChangeBridge: it listens to the bus and emits `changed(Changes)` on
the UI thread, a burst merged into one (the editor saves every second, an import announces per file),
so open windows refresh from it (main window's list, inbox, aggregation), never by hand.
"""
from __future__ import annotations

import threading
from typing import Iterable

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal

from ..services import events

COALESCE_MS = 40  # announcements closer than this become one refresh


class Changes:
    """What changed during one burst: kind → the ids named (None: anything of that kind)."""

    def __init__(self, kinds: dict[str, set[str] | None]):
        self.kinds = dict(kinds)

    @classmethod
    def of(cls, items: Iterable[events.Change]) -> "Changes":
        merged: dict[str, set[str] | None] = {}
        for change in items:
            cls._merge(merged, change)
        return cls(merged)

    @staticmethod
    def _merge(merged: dict, change: events.Change) -> None:
        if change.kind in merged and merged[change.kind] is None:
            return
        if not change.ids:
            merged[change.kind] = None
        else:
            merged.setdefault(change.kind, set()).update(change.ids)

    def touches(self, kind: str, item_id: str | None = None) -> bool:
        if kind not in self.kinds:
            return False
        ids = self.kinds[kind]
        return item_id is None or ids is None or item_id in ids

    def touches_any(self, *kinds: str) -> bool:
        return any(kind in self.kinds for kind in kinds)

    def __repr__(self) -> str:
        return f"Changes({self.kinds!r})"


class ChangeBridge(QObject):
    """Subscribed to the bus while it lives; `changed` is emitted on the thread this object lives on."""

    changed = Signal(object)  # Changes
    _arrived = Signal()

    def __init__(self, parent: QObject | None = None, bus: events.ChangeBus | None = None,
                 delay_ms: int = COALESCE_MS):
        super().__init__(parent)
        self._lock = threading.Lock()
        self._pending: dict[str, set[str] | None] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._flush)
        self._arrived.connect(self._schedule, Qt.ConnectionType.QueuedConnection)
        unsubscribe = self._unsubscribe = (bus or events.bus).subscribe(self._on_change)
        self.destroyed.connect(lambda *_: unsubscribe())

    def _on_change(self, change: events.Change) -> None:
        """Any thread: remember the change; the first of a burst wakes the UI thread (a queued signal)."""
        with self._lock:
            first = not self._pending
            Changes._merge(self._pending, change)
        if first:
            self._arrived.emit()

    def _schedule(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def _flush(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, {}
        if pending:
            self.changed.emit(Changes(pending))

    def flush(self) -> None:
        """Emit what is pending now (tests, and a window about to read anyway)."""
        self._timer.stop()
        self._flush()

    def close(self) -> None:
        self._unsubscribe()


_bridge: ChangeBridge | None = None


def changes() -> ChangeBridge:
    """The application's bridge (created on first use, on the UI thread; owned by the application)."""
    global _bridge
    from shiboken6 import isValid
    app = QCoreApplication.instance()
    if _bridge is None or not isValid(_bridge) or _bridge.parent() is not app:
        if _bridge is not None and isValid(_bridge):
            _bridge.close()
        _bridge = ChangeBridge(app)
    return _bridge
