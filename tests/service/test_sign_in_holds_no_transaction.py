"""Signing in (and changing the password) holds no database transaction while argon2 runs.

The check costs ~0.1–0.2 s of CPU at production cost. A read transaction left open
across it kept a pooled connection "idle in transaction" for the whole hash; under a
burst of sign-ins (the load test's ramp) those sessions piled up in PostgreSQL. The
user is read, the read ends, then the password is checked.
"""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from invsim.extensions import db
from invsim.users import service
from invsim.users.passwords import hasher

PASSWORD = "correct-horse-battery-42"


def _idle_in_transaction_sessions() -> int:
    """Count other PostgreSQL sessions of this database that sit in an open transaction."""
    assert db.engine is not None
    url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as probe:
        row = probe.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'").fetchone()
    assert row is not None
    return int(row[0])


@pytest.fixture()
def seen_during_verify(app: Any, monkeypatch: pytest.MonkeyPatch) -> list[tuple[bool, int]]:
    """Record, at each password check, whether the session is in a transaction (and PG's view)."""
    seen: list[tuple[bool, int]] = []
    real_verify = hasher.verify
    on_postgres = db.engine is not None and db.engine.dialect.name == "postgresql"

    def watching_verify(stored_hash: str | None, password: str) -> bool:
        idle = _idle_in_transaction_sessions() if on_postgres else 0
        seen.append((db.session().in_transaction(), idle))
        return real_verify(stored_hash, password)

    monkeypatch.setattr(hasher, "verify", watching_verify)
    return seen


def test_login_checks_the_password_outside_any_transaction(client, seen_during_verify):
    service.register_user(email="signer@example.com", username="signer", password=PASSWORD)
    db.session.remove()
    seen_during_verify.clear()
    for login in ("signer", "signer@example.com"):
        response = client.post("/api/v1/auth/login", json={"login": login, "password": PASSWORD})
        assert response.status_code == 200, response.get_json()
    assert seen_during_verify == [(False, 0), (False, 0)]


def test_a_failed_login_also_checks_outside_any_transaction(client, seen_during_verify):
    for login in ("nobody", "nobody@example.com"):
        response = client.post("/api/v1/auth/login", json={"login": login, "password": PASSWORD})
        assert response.status_code == 401
        assert response.get_json()["error"]["code"] == "invalid_credentials"
    assert seen_during_verify == [(False, 0), (False, 0)]


def test_a_password_change_checks_and_hashes_outside_any_transaction(
        client, seen_during_verify, monkeypatch):
    service.register_user(email="changer@example.com", username="changer", password=PASSWORD)
    token = client.post("/api/v1/auth/login", json={"login": "changer", "password": PASSWORD}
                        ).get_json()["access_token"]
    seen_during_verify.clear()
    hashing: list[bool] = []
    real_hash = hasher.hash

    def watching_hash(password: str) -> str:
        hashing.append(db.session().in_transaction())
        return real_hash(password)

    monkeypatch.setattr(hasher, "hash", watching_hash)
    response = client.post("/api/v1/me/password", headers={"Authorization": f"Bearer {token}"},
                           json={"current_password": PASSWORD,
                                 "new_password": "another-horse-battery-43"})
    assert response.status_code == 200, response.get_json()
    assert seen_during_verify == [(False, 0)] and hashing == [False]
