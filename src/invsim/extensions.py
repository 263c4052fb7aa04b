"""Unbound extensions: created here, bound to an app in create_app.

Importing this module opens nothing; `init_app` does the wiring.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, scoped_session, sessionmaker
from sqlalchemy.pool import NullPool

from invsim.config import Settings
from invsim.core.kvstore import KeyValueStore, MemoryStore, create_store

# Set while `Database.transaction` opens its transaction: the one place that takes the write lock.
_WRITING: ContextVar[bool] = ContextVar("invsim_writing", default=False)
_USE_CASE = "invsim_use_case"  # session.info flag: a use-case's transaction is open
POOL_RECYCLE_SECONDS = 1800  # renew pooled connections before common idle timeouts cut them


class TransactionAlreadyOpen(RuntimeError):
    """A use-case's transaction was opened inside another one (or over unsaved changes)."""


def _configure_sqlite(engine: Engine) -> None:
    """Make a use-case's SQLite transaction take the write lock at BEGIN; reads take none.

    BEGIN IMMEDIATE serialises writers at the start of a use-case, which is what
    "lock the portfolio row" means on SQLite: two concurrent orders can never both
    read the same cash before either writes. Reads outside a use-case (the token
    check, quotes, listings) begin a plain deferred transaction, so the write lock
    is not held through authentication or a quote fetch. WAL keeps readers unblocked.
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
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _WRITING.get() else "BEGIN")


@dataclass(frozen=True, slots=True)
class Timeouts:
    """How long the app waits for the database before it answers 503 instead."""

    connect_seconds: int = 5
    statement_ms: int = 30_000  # PostgreSQL's statement_timeout; 0 = none
    pool_seconds: int = 10  # waiting for a free pooled connection

    @classmethod
    def of(cls, settings: Settings) -> Timeouts:
        """Read the timeouts from the settings."""
        return cls(settings.db_connect_timeout_seconds, settings.db_statement_timeout_ms)


def make_engine(url: str, *, pool_size: int = 10, timeouts: Timeouts | None = None) -> Engine:
    """Create an engine for SQLite or PostgreSQL with the settings each needs."""
    timeouts = timeouts or Timeouts()
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        _configure_sqlite(engine)
        return engine
    connect_args: dict[str, Any] = {"connect_timeout": timeouts.connect_seconds}
    if timeouts.statement_ms:
        connect_args["options"] = f"-c statement_timeout={timeouts.statement_ms}"
    if pool_size == 0:
        return create_engine(url, poolclass=NullPool, connect_args=connect_args)
    # No pre-ping: it costs a round trip on every checkout (the order path checks out once or
    # twice per request). A connection the server dropped fails its first statement instead;
    # the dependency-fault handler answers that request 503 with Retry-After, and SQLAlchemy's
    # disconnect handling invalidates the whole pool, so the next request reconnects. LIFO
    # reuse keeps the warm connections busy and lets idle ones age out; recycling renews them
    # before a server or proxy idle timeout would cut them.
    return create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=False,
                         pool_use_lifo=True, pool_recycle=POOL_RECYCLE_SECONDS,
                         pool_timeout=timeouts.pool_seconds, connect_args=connect_args)


class Database:
    """The engine and a thread-scoped session factory."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.timeouts = Timeouts()
        self.session: scoped_session[Session] = scoped_session(sessionmaker())

    def init_app(self, app: Flask, settings: Settings) -> None:
        """Bind the engine and remove the session at the end of every request."""
        self.timeouts = Timeouts.of(settings)
        self.bind(settings.effective_database_url)
        app.teardown_appcontext(lambda _exc: self.session.remove())

    def bind(self, url: str, *, pool_size: int = 10) -> Engine:
        """Create (or replace) the engine and point the session factory at it."""
        if self.engine is not None:
            self.session.remove()
            self.engine.dispose()
        self.engine = make_engine(url, pool_size=pool_size, timeouts=self.timeouts)
        self.session.configure(bind=self.engine, expire_on_commit=False)
        return self.engine

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """Run one use-case in one transaction: commit on success, roll back on error.

        The transaction begins here (on SQLite with the write lock) and nowhere
        else: a read transaction the request opened before is ended first, and
        opening a use-case inside another, or over unsaved changes, is refused.
        """
        session = self.session()
        if session.info.get(_USE_CASE):
            raise TransactionAlreadyOpen("a use-case's transaction is already open")
        self.end_read()
        token = _WRITING.set(True)
        try:
            session.begin()
            session.info[_USE_CASE] = True
            session.connection()  # BEGIN now, at the start of the use-case
        finally:
            _WRITING.reset(token)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.info.pop(_USE_CASE, None)

    def end_read(self) -> None:
        """End the read-only transaction earlier reads opened (objects read stay loaded).

        Reads autobegin a transaction; a job or request that must not hold it (a
        snapshot held open, or on SQLite a read lock) ends it here. Refuses when
        the transaction holds unsaved changes: those belong in `transaction()`.
        """
        session = self.session()
        if not session.in_transaction():
            return
        if session.info.get(_USE_CASE):
            raise TransactionAlreadyOpen("end_read inside a use-case's transaction")
        if session.new or session.dirty or session.deleted:
            raise TransactionAlreadyOpen("unsaved changes outside a use-case's transaction")
        session.commit()  # nothing to write: commit keeps loaded objects, rollback expires them

    @contextmanager
    def read(self) -> Iterator[Session]:
        """Run reads that must not hold a transaction afterwards (see `end_read`)."""
        try:
            yield self.session()
        finally:
            self.end_read()


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
