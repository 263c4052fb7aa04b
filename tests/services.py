"""Reach real PostgreSQL and Redis for tests; skip when absent unless CI requires them."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

PG_ADMIN_URL = os.environ.get("INVSIM_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_BASE_URL = os.environ.get("INVSIM_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


def worker_index() -> int:
    """The pytest-xdist worker number (gw0 -> 0), 0 when not run under xdist."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return int(worker.removeprefix("gw") or 0)


def worker_redis_url(base_url: str, index: int) -> str:
    """The base URL's database number plus the worker index: one database per worker.

    Workers flush their database and count keys in it; sharing one made a test see
    another worker's keys (or none, after another worker's flush).
    """
    stem, _, database = base_url.rpartition("/")
    if not stem.startswith("redis") or not database.isdigit():
        stem, database = base_url.rstrip("/"), "0"
    return f"{stem}/{int(database) + index}"


REDIS_TEST_URL = worker_redis_url(REDIS_BASE_URL, worker_index())
# Keys a test writes itself start with this, so two workers never collide on a name.
REDIS_KEY_PREFIX = f"test:gw{worker_index()}:"


def services_required() -> bool:
    """CI sets INVSIM_REQUIRE_SERVICES=1 so a missing service fails instead of skipping."""
    return os.environ.get("INVSIM_REQUIRE_SERVICES") == "1"


def unavailable(what: str, reason: object) -> None:
    """Skip, or fail when services are mandatory."""
    message = f"{what} unreachable: {reason}"
    if services_required():
        pytest.fail(message + " (INVSIM_REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(message)


def postgres_reachable() -> str | None:
    """Return None when PostgreSQL answers, else the reason."""
    import psycopg

    try:
        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3) as connection:
            connection.execute("SELECT 1")
        return None
    except Exception as error:
        return str(error).strip().splitlines()[0] if str(error) else type(error).__name__


@contextmanager
def temporary_postgres_database() -> Iterator[str]:
    """Create a database of our own for this test run and drop it afterwards."""
    import psycopg

    name = f"invsim_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def redis_reachable() -> str | None:
    """Return None when Redis answers, else the reason."""
    import redis

    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=2).ping()
        return None
    except Exception as error:
        return str(error)
