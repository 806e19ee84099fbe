"""Errors of the use cases. `UserError` (domain/errors.py) is the one type for what the user can fix."""
from ..domain.errors import UserError


class ServiceError(UserError):
    """A use case refused; the message is Vietnamese and says what to do."""


class DuplicateReport(ServiceError):
    """A report of that kind and period exists already; `report_id` is it, for a button that opens it."""

    def __init__(self, message: str, report_id: str):
        super().__init__(message)
        self.report_id = report_id
