"""A database or Redis that is down or hangs: fast 503s in the one error shape, never a 500.

The faults are real: a port nothing listens on (refused), and a TCP server that
accepts connections and never answers (a hung PostgreSQL). /healthz never
touches a dependency; /readyz reports which one is down.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from invsim.app import create_app
from tests.conftest import activate, make_settings

LOGIN = {"login": "someone@example.com", "password": "correct horse battery staple"}


@pytest.fixture()
def silent_server() -> Iterator[int]:
    """A TCP server that accepts every connection and never sends a byte."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    listener.close()


def _app(tmp_path: Path, database_url: str, **overrides: Any) -> Any:
    """Build and bind an app on a given (broken) database URL."""
    return activate(create_app(make_settings(tmp_path, database_url, **overrides)))


def _assert_unavailable(response: Any, dependency: str) -> None:
    """Check a 503 in the one error shape naming the dependency, with Retry-After."""
    assert response.status_code == 503, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == "service_unavailable"
    assert error["details"]["dependency"] == dependency
    assert int(response.headers["Retry-After"]) > 0


def test_a_refused_database_answers_503_and_health_stays_up(tmp_path: Path) -> None:
    app = _app(tmp_path, "postgresql+psycopg://nobody@127.0.0.1:1/none",
               rate_limits_enabled=True)
    client = app.test_client()
    _assert_unavailable(client.post("/api/v1/auth/login", json=LOGIN), "database")
    assert client.get("/healthz").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.get_json()["error"]["details"]["checks"]["database"] is False


def test_a_hung_database_answers_503_within_the_connect_timeout(
    tmp_path: Path, silent_server: int
) -> None:
    url = f"postgresql+psycopg://nobody@127.0.0.1:{silent_server}/none"
    app = _app(tmp_path, url, db_connect_timeout_seconds=1)
    client = app.test_client()
    started = time.monotonic()
    _assert_unavailable(client.post("/api/v1/auth/login", json=LOGIN), "database")
    assert time.monotonic() - started < 5  # a hang used to last 60-90 s
    started = time.monotonic()
    assert client.get("/readyz").status_code == 503
    assert client.get("/healthz").status_code == 200
    assert time.monotonic() - started < 1.5  # the probe has its own sub-second deadline


def test_redis_down_with_rate_limits_on_is_never_a_500(tmp_path: Path, sqlite_url: str) -> None:
    app = _app(tmp_path, sqlite_url, redis_url="redis://127.0.0.1:1/0",
               rate_limits_enabled=True, rate_limit_login="3 per minute")
    client = app.test_client()
    started = time.monotonic()
    assert client.get("/healthz").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.get_json()["error"]["details"]["checks"] == {"database": True, "cache": False}
    statuses = [client.post("/api/v1/auth/login", json=LOGIN).status_code for _ in range(5)]
    assert 500 not in statuses
    # the login limit still holds, counted in this process while Redis is away
    assert statuses[-1] == 429, statuses
    assert time.monotonic() - started < 30


def test_connections_the_server_dropped_cost_at_most_one_503(
    tmp_path: Path, postgres_url: str
) -> None:
    """Without pre-ping, a pooled connection PostgreSQL closed fails once, then the pool renews."""
    import psycopg

    from tests.factories import signed_in
    from tests.services import PG_ADMIN_URL

    app = _app(tmp_path, postgres_url)
    client = app.test_client()  # each request in its own app context, as under gunicorn
    headers = signed_in(client)
    assert client.get("/api/v1/portfolios", headers=headers).status_code == 200
    name = postgres_url.rsplit("/", 1)[1]
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = %s AND pid <> pg_backend_pid()", (name,))
    answers = [client.get("/api/v1/portfolios", headers=headers) for _ in range(4)]
    failed = [a for a in answers if a.status_code != 200]
    assert len(failed) <= 1
    for answer in failed:
        _assert_unavailable(answer, "database")
    assert answers[-1].status_code == 200
