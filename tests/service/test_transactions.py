"""`db.transaction()` is the one transaction boundary: it begins the use-case's transaction
(on SQLite with the write lock), ends a read transaction left open before it, and refuses to
open inside another one; `db.read()` / `db.end_read()` end reads without writing."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import select, text

from invsim.app import create_app
from invsim.extensions import TransactionAlreadyOpen, db
from invsim.users.models import User
from tests.conftest import activate, make_settings


def test_a_use_case_inside_another_is_refused_and_nothing_is_written(app):
    with pytest.raises(TransactionAlreadyOpen):
        with db.transaction() as session:
            session.execute(text("SELECT 1"))
            with db.transaction():
                pass
    assert not db.session().in_transaction()


def test_a_read_left_open_is_ended_when_the_use_case_begins(app):
    db.session.scalar(select(User.id).limit(1))  # autobegins a read transaction
    assert db.session().in_transaction()
    with db.transaction() as session:
        assert session.in_transaction()
    assert not db.session().in_transaction()


def test_unsaved_changes_outside_a_use_case_are_refused(app):
    db.session.add(User(email="x@example.com", username="xuser", password_hash="h"))
    with pytest.raises(TransactionAlreadyOpen):
        db.end_read()
    with pytest.raises(TransactionAlreadyOpen):
        with db.transaction():
            pass
    db.session.rollback()


def test_read_ends_its_transaction_and_keeps_what_it_loaded(app):
    with db.read() as session:
        count = session.scalar(select(text("1")))
    assert count == 1 and not db.session().in_transaction()


def _sqlite_path() -> str:
    assert db.engine is not None
    return str(db.engine.url.database)


@pytest.fixture()
def sqlite_app(sqlite_url, tmp_path):
    """The app on SQLite whatever the backend parameter (the write lock at BEGIN is SQLite's)."""
    return activate(create_app(make_settings(tmp_path, sqlite_url)))


def test_on_sqlite_a_read_takes_no_write_lock_and_a_use_case_takes_it_at_once(sqlite_app):
    other = sqlite3.connect(_sqlite_path(), timeout=0.05, isolation_level=None)
    try:
        db.session.scalar(select(User.id).limit(1))  # a request's token check, say
        other.execute("BEGIN IMMEDIATE")  # another writer is not held off by that read
        other.execute("ROLLBACK")
        db.end_read()
        with db.transaction():  # before any statement of the use-case, the lock is held
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
    finally:
        other.close()
