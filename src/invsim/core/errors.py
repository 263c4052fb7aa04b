"""Typed domain errors: each carries the code, HTTP status and details of the one error shape."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A failure a client can act on; rendered as {"error": {code, message, details}}."""

    status = 400
    code = "bad_request"

    def __init__(
        self, message: str, *, code: str | None = None, details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details: dict[str, Any] = details or {}


class ValidationFailed(DomainError):
    """Input is well-formed JSON but breaks a rule."""

    status = 422
    code = "validation_error"


class Unauthorized(DomainError):
    """No valid credentials."""

    status = 401
    code = "unauthorized"


class Forbidden(DomainError):
    """Valid credentials, but not allowed."""

    status = 403
    code = "forbidden"


class NotFound(DomainError):
    """The object does not exist, or belongs to someone else."""

    status = 404
    code = "not_found"


class Conflict(DomainError):
    """The request clashes with the current state (duplicates, wrong status)."""

    status = 409
    code = "conflict"


class OrderRejected(DomainError):
    """A trading rule refused the order; `code` says which."""

    status = 422
    code = "order_rejected"


class RateLimited(DomainError):
    """Too many requests; `retry_after` seconds until the next attempt may pass."""

    status = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServiceUnavailable(DomainError):
    """A dependency (market data, database) cannot answer right now."""

    status = 503
    code = "service_unavailable"
