"""Progress and Cancel of the long exchange use cases (send, verify, import): what a use case reports
(`Progress`, given to the caller's `progress` function) and how it stops when the user presses Cancel."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..errors import ServiceError


@dataclass(frozen=True)
class Progress:
    stage: str  # export: snapshot | readable | write | readback;  import: copy | verify | plan | import | check
    done: int
    total: int
    file: str = ""
    message: str = ""  # Vietnamese, for a status line

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0


ProgressFn = Callable[[Progress], None]


class Cancelled(ServiceError):
    """The user pressed Cancel: nothing was changed."""


def is_cancelled(cancel) -> bool:
    """`cancel` is None, a threading.Event or a callable returning True once the user cancelled."""
    if cancel is None:
        return False
    if hasattr(cancel, "is_set"):
        return bool(cancel.is_set())
    return bool(cancel())


def check_cancel(cancel) -> None:
    if is_cancelled(cancel):
        raise Cancelled("Đã hủy theo yêu cầu; dữ liệu không thay đổi.")


def report_progress(progress: ProgressFn | None, *args, **kwargs) -> None:
    if progress is not None:
        progress(Progress(*args, **kwargs))
