"""A real HTTP server of the test app, a portfolio and an API key, for the Alpaca SDKs.

The SDKs speak HTTP with `requests`, so they need a socket: the app is served by
werkzeug in a thread of the test process, on the test's database backend, with
the clock frozen inside a session (see tests/service/trading/support.py).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from werkzeug.serving import make_server

from invsim.extensions import db
from tests.factories import Clock
from tests.service.trading.support import clock, nyse, sign_in  # noqa: F401


@dataclass
class Bot:
    """What a bot author has after the dashboard: a base URL, a key and its secret."""

    base_url: str
    key_id: str
    secret: str
    portfolio_id: int
    headers: dict[str, str]  # the owner's JWT header, for the web endpoints

    @property
    def alpaca_url(self) -> str:
        """The base URL the SDKs are given (they append /v2/...)."""
        return f"{self.base_url}/alpaca"

    @property
    def key_headers(self) -> dict[str, str]:
        """Alpaca's authentication headers."""
        return {"APCA-API-KEY-ID": self.key_id, "APCA-API-SECRET-KEY": self.secret}


@pytest.fixture()
def server(app: Any, clock: Any) -> Iterator[str]:  # noqa: F811 - the clock fixture
    """Serve the app over HTTP on a free loopback port for the test."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        thread.join(5)
        with app.app_context():
            db.session.remove()


def open_bot(client: Any, base_url: str, frozen: Clock, *, starting_cash: str = "100000",
             rules: dict[str, Any] | None = None, name: str = "bot") -> Bot:
    """Register a user, open a portfolio and create a key through the web endpoints."""
    headers = sign_in(client, frozen)
    body: dict[str, Any] = {"name": "Bots", "starting_cash": starting_cash}
    if rules:
        body["rules"] = rules
    created = client.post("/api/v1/portfolios", json=body, headers=headers)
    assert created.status_code == 201, created.get_json()
    portfolio_id = created.get_json()["id"]
    issued = client.post(f"/api/v1/portfolios/{portfolio_id}/api-keys", json={"name": name},
                         headers=headers)
    assert issued.status_code == 201, issued.get_json()
    key = issued.get_json()
    return Bot(base_url, key["key_id"], key["secret"], portfolio_id, headers)


@pytest.fixture()
def bot(client: Any, server: str, clock: Clock) -> Bot:  # noqa: F811
    """A margin portfolio that may short, with a key."""
    return open_bot(client, server, clock, rules={"account_type": "margin", "allow_short": True})
