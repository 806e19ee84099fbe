"""One error type for what the user can fix (DESIGN §4).

Every layer raises a `UserError` (or a subclass) when the input, a file or a request is wrong in a way
the user can put right; its message is Vietnamese and says what to do, `hint` optionally adds the next
step. The interface shows these messages as they are. Any other exception is a bug: logged with its
traceback and shown as "Lỗi chương trình". It lives in `domain/` because every layer may raise it.
"""
from __future__ import annotations


class UserError(Exception):
    """A refusal the user can fix; `str(error)` is the Vietnamese message, `hint` the next step."""

    hint: str = ""

    def __init__(self, message: str = "", *args, hint: str = ""):
        super().__init__(message, *args)
        if hint:
            self.hint = hint

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""

    def with_hint(self) -> str:
        """The message and the hint, as one paragraph for a dialog or stderr."""
        message = str(self)
        return f"{message}\n{self.hint}" if self.hint else message
