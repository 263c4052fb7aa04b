"""Migration 0006 encrypts the rows that existed before it, on SQLite and PostgreSQL."""

from datetime import UTC, datetime

from sqlalchemy import create_engine, text

from invsim.app import create_app
from invsim.migrations.runner import upgrade
from invsim.users.service import authenticate
from tests.conftest import activate, make_settings
from tests.factories import PASSWORD
from tests.services import temporary_postgres_database


def insert_plain_user(url, name):
    engine = create_engine(url)
    now = datetime.now(UTC)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO users (email, username, display_name, password_hash, token_version, "
            "is_active, created_at, updated_at) VALUES (:e, :u, :d, :h, 0, true, :t, :t)"),
            {"e": f"{name}@example.com", "u": name, "d": f"{name} Realname", "t": now,
             "h": _hash()})
    engine.dispose()


def _hash():
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=1, memory_cost=1024).hash(PASSWORD)


def check_migrates(url, tmp_path):
    upgrade(url, "0005")
    for name in ("old1", "old2", "old3"):
        insert_plain_user(url, name)
    settings = make_settings(tmp_path, url)
    upgrade(url, settings=settings)
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT email, display_name FROM users")).all()
    engine.dispose()
    assert len(rows) == 3 and all(e.startswith("enc.") and d.startswith("enc.") for e, d in rows)
    app = activate(create_app(settings))
    with app.app_context():
        user = authenticate(login="OLD2@example.com", password=PASSWORD)
        assert user.display_name == "old2 Realname"


def test_existing_rows_are_encrypted_on_sqlite(tmp_path):
    check_migrates(f"sqlite:///{tmp_path / 'old.sqlite3'}", tmp_path)


def test_existing_rows_are_encrypted_on_postgresql(tmp_path, postgres_url):
    with temporary_postgres_database() as url:
        check_migrates(url, tmp_path)
