"""Unbound extensions: created here, bound to an app in create_app.

Importing this module opens nothing; `init_app` does the wiring.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, scoped_session, sessionmaker
from sqlalchemy.pool import NullPool

from invsim.config import Settings
from invsim.core.kvstore import KeyValueStore, MemoryStore, create_store


def _configure_sqlite(engine: Engine) -> None:
    """Make SQLite transactions take the write lock at BEGIN.

    BEGIN IMMEDIATE serialises writers at the start of a use-case, which is what
    "lock the portfolio row" means on SQLite: two concurrent orders can never both
    read the same cash before either writes. WAL keeps readers unblocked.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str, *, pool_size: int = 10) -> Engine:
    """Create an engine for SQLite or PostgreSQL with the settings each needs."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        _configure_sqlite(engine)
        return engine
    if pool_size == 0:
        return create_engine(url, poolclass=NullPool)
    return create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)


class Database:
    """The engine and a thread-scoped session factory."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.session: scoped_session[Session] = scoped_session(sessionmaker())

    def init_app(self, app: Flask, settings: Settings) -> None:
        """Bind the engine and remove the session at the end of every request."""
        self.bind(settings.effective_database_url)
        app.teardown_appcontext(lambda _exc: self.session.remove())

    def bind(self, url: str, *, pool_size: int = 10) -> Engine:
        """Create (or replace) the engine and point the session factory at it."""
        if self.engine is not None:
            self.session.remove()
            self.engine.dispose()
        self.engine = make_engine(url, pool_size=pool_size)
        self.session.configure(bind=self.engine, expire_on_commit=False)
        return self.engine

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """Run one use-case in one transaction: commit on success, roll back on error."""
        session = self.session()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


class Stores:
    """Holds the key-value store (Redis or in-process) for this process."""

    def __init__(self) -> None:
        self.kv: KeyValueStore = MemoryStore()

    def init_app(self, settings: Settings) -> None:
        """Choose Redis when REDIS_URL is set."""
        self.kv = create_store(settings.redis_url)


def _client_address() -> str:
    """Rate-limit key for the caller's address (ProxyFix makes this the real client)."""
    return get_remote_address() or request.remote_addr or "unknown"


db = Database()
stores = Stores()
limiter = Limiter(key_func=_client_address, headers_enabled=True)
