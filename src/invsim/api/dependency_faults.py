"""Faults of the services the app depends on (database, Redis), answered as a fast 503.

A request that cannot reach PostgreSQL or Redis, or waits past the configured
timeouts, is not the client's fault nor a bug: it gets 503
`service_unavailable` with `Retry-After`, in the one error shape, and a log
line naming the dependency, instead of a 500 or a hang.
"""

from __future__ import annotations

import redis.exceptions
from sqlalchemy import exc as sql

RETRY_AFTER_SECONDS = 5

_REDIS_FAULTS = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


def faulty_dependency(error: BaseException) -> str | None:
    """Name the dependency an exception says is unreachable ("database", "cache"), or None."""
    if isinstance(error, sql.TimeoutError):  # no pooled connection came free in time
        return "database"
    if isinstance(error, (sql.OperationalError, sql.InterfaceError)):
        return "database"
    if isinstance(error, sql.DBAPIError) and error.connection_invalidated:
        return "database"
    if isinstance(error, _REDIS_FAULTS):
        return "cache"
    cause = error.__cause__ or error.__context__
    return faulty_dependency(cause) if cause is not None and cause is not error else None
