class ServiceError(Exception):
    """A use case refused; the message is Vietnamese and says what to do."""
