"""Shared fixtures: an app per database backend (SQLite and PostgreSQL), clean tables per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete

from invsim.app import create_app
from invsim.config import Settings, load_settings
from invsim.core.clock import set_clock
from invsim.crypto.fields import cipher
from invsim.crypto.setup import init_cipher
from invsim.extensions import db, limiter, stores
from invsim.migrations.runner import upgrade
from invsim.models import Base
from invsim.users.auth import authn
from invsim.users.passwords import hasher
from tests.services import (
    REDIS_TEST_URL,
    postgres_reachable,
    redis_reachable,
    temporary_postgres_database,
    unavailable,
)

# Reference data loaded by migrations survives the per-test cleanup.
PRESERVED_TABLES = {"alembic_version", "instruments"}

TEST_SETTINGS: dict[str, Any] = {
    "argon2_time_cost": 1,
    "argon2_memory_kib": 1024,
    "rate_limits_enabled": False,
    "scheduler_enabled": False,
    "log_level": "WARNING",
    "secret_key": "test-secret-key-that-is-long-enough-0123456789",
    "blind_index_key": "test-blind-index-key-that-is-long-enough-0123",
}


@pytest.fixture(scope="session", autouse=True)
def _shared_keyring(tmp_path_factory: pytest.TempPathFactory) -> None:
    """One local keyring for every test app: apps with other settings share the databases."""
    TEST_SETTINGS["local_keyring"] = tmp_path_factory.mktemp("keys") / "keyring.json"

BACKENDS = ["sqlite", "postgresql"]


def make_settings(tmp: Path, database_url: str, **overrides: Any) -> Settings:
    """Settings for a test app: cheap hashing, no scheduler, a private var dir."""
    return load_settings(var_dir=tmp, database_url=database_url, **{**TEST_SETTINGS, **overrides})


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated SQLite database file for the whole run."""
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A migrated PostgreSQL database created for this run and dropped after it."""
    reason = postgres_reachable()
    if reason:
        unavailable("PostgreSQL", reason)
    with temporary_postgres_database() as url:
        upgrade(url)
        yield url


@pytest.fixture(scope="session")
def redis_url() -> str:
    """This xdist worker's own Redis database (flushed at the start; see worker_redis_url)."""
    reason = redis_reachable()
    if reason:
        unavailable("Redis", reason)
    import redis

    redis.Redis.from_url(REDIS_TEST_URL).flushdb()
    return REDIS_TEST_URL


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest) -> str:
    """Each database backend in turn."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(name))


def activate(app: Any) -> Any:
    """Point the process-wide extensions (engine, store, auth) at this app's settings.

    Several test apps live in one process; each test makes sure the singletons
    serve the app it uses.
    """
    settings: Settings = app.config["INVSIM_SETTINGS"]
    if db.engine is None or str(db.engine.url.render_as_string(hide_password=False)) != \
            settings.effective_database_url:
        db.bind(settings.effective_database_url)
    if getattr(stores.kv, "url", "") != settings.redis_url:
        stores.init_app(settings)
    authn.init_app(app, settings)
    hasher.configure(time_cost=settings.argon2_time_cost, memory_kib=settings.argon2_memory_kib,
                     concurrency=settings.password_hash_concurrency,
                     wait_seconds=settings.password_hash_wait_seconds)
    if cipher.bound_to is not settings:
        init_cipher(settings)
    # The limiter is process-wide too: an app built with limits on must not leave them on.
    limiter.enabled = bool(app.config["RATELIMIT_ENABLED"])
    return app


@pytest.fixture(scope="session")
def _session_app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Any:
    return create_app(make_settings(tmp_path_factory.mktemp("var"), database_url))


@pytest.fixture()
def app(_session_app: Any) -> Any:
    """An app bound to the current backend (SQLite, then PostgreSQL)."""
    return activate(_session_app)


@pytest.fixture()
def make_app(database_url: str, tmp_path: Path) -> Any:
    """Build an extra app with different settings on the current backend."""

    def build(**overrides: Any) -> Any:
        return activate(create_app(make_settings(tmp_path, database_url, **overrides)))

    return build


@pytest.fixture(autouse=True)
def _clean_database(request: pytest.FixtureRequest) -> Iterator[None]:
    """Delete every row a test wrote (tests commit for real: concurrency needs it)."""
    yield
    set_clock(None)
    if "database_url" not in request.fixturenames:
        return
    if db.engine is None:
        return
    db.session.remove()
    with db.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name not in PRESERVED_TABLES:
                connection.execute(delete(table))


@pytest.fixture()
def client(app: Any) -> Any:
    """A test client of the app."""
    with app.app_context():
        yield app.test_client()
