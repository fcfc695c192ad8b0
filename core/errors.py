"""Application errors. The API maps each to the one documented error format (api/errors.py)."""

from typing import Any


class ApplicationError(Exception):
    code = "error"
    http_status = 400

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None, extra: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        self.extra = extra or {}


class ValidationFailed(ApplicationError):
    code = "validation_error"
    http_status = 400


class NotFound(ApplicationError):
    code = "not_found"
    http_status = 404


class PermissionDenied(ApplicationError):
    code = "permission_denied"
    http_status = 403


class TransitionNotAllowed(ApplicationError):
    code = "transition_not_allowed"
    http_status = 409


class Conflict(ApplicationError):
    code = "conflict"
    http_status = 409
