"""What changed: services announce it, open windows refresh from it (as Anki's OpChanges).

A service that changes stored data calls `Workspace.announce(kind, *ids)` inside its transaction: the change
is said once the outermost transaction commits (`Store.after_commit`), never when it rolls back. Windows
subscribe once (the GUI forwards announcements to the UI thread) instead of being refreshed by hand.
Kinds: REPORTS (ids = report ids), UNIT (the own unit, its signers and profile facts), TEMPLATES,
INBOX (reports, units or keys received from below). Inside `batched()` announcements of one thread
are merged and sent once at the end, so an import of 5,000 files sends one change, not 5,000.
"""
from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

REPORTS = "reports"
UNIT = "unit"
TEMPLATES = "templates"
INBOX = "inbox"
KINDS = (REPORTS, UNIT, TEMPLATES, INBOX)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Change:
    """One kind of data changed; `ids` names what (empty: anything of that kind may have changed)."""
    kind: str
    ids: frozenset[str] = frozenset()

    def touches(self, kind: str, item_id: str | None = None) -> bool:
        if self.kind != kind:
            return False
        return item_id is None or not self.ids or item_id in self.ids


Listener = Callable[[Change], None]


class ChangeBus:
    """Process-wide: any thread may announce; listeners run on the announcing thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: list[Listener] = []
        self._local = threading.local()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Add a listener; returns the function that removes it."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)
        return unsubscribe

    def announce(self, kind: str, ids: Iterable[str] = ()) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown change kind {kind!r}")
        pending = getattr(self._local, "pending", None)
        if pending is not None:
            pending.setdefault(kind, set())
            if pending[kind] is not None:
                ids = frozenset(ids)
                if ids:
                    pending[kind] |= ids
                else:
                    pending[kind] = None  # "anything of this kind" absorbs the ids
            return
        self._send(Change(kind, frozenset(ids)))

    @contextmanager
    def batched(self) -> Iterator[None]:
        """Merge this thread's announcements and send them once when the block ends (even on error)."""
        outer = getattr(self._local, "pending", None)
        if outer is not None:  # nested: the outermost batch sends
            yield
            return
        self._local.pending = {}
        try:
            yield
        finally:
            pending, self._local.pending = self._local.pending, None
            for kind in KINDS:
                if kind in pending:
                    self._send(Change(kind, frozenset(pending[kind] or ())))

    def _send(self, change: Change) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(change)
            except Exception:  # a broken window must not undo a committed change
                log.exception("change listener failed for %s", change)


bus = ChangeBus()
announce = bus.announce
batched = bus.batched
subscribe = bus.subscribe
