"""Errors of the use cases. `UserError` (domain/errors.py) is the one type for what the user can fix."""
from ..domain.errors import UserError


class ServiceError(UserError):
    """A use case refused; the message is Vietnamese and says what to do."""
