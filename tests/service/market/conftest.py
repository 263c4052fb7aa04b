"""Market service fixtures: a private in-process store per test, a local Alpha Vantage."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from tests.isolation import private_memory_store  # noqa: F401  (autouse where imported)
from tests.service.market.fake_alphavantage import FakeAlphaVantage, serve_fake_alphavantage

_keys = itertools.count(1)


@pytest.fixture()
def ctx(app: Any) -> Iterator[Any]:
    """Run service code inside the app (both database backends)."""
    with app.app_context():
        yield app


@pytest.fixture()
def fake_av() -> Iterator[FakeAlphaVantage]:
    """A local Alpha Vantage answering with recorded responses."""
    with serve_fake_alphavantage() as fake:
        yield fake


@pytest.fixture()
def av_app(make_app: Any, fake_av: FakeAlphaVantage) -> Iterator[Any]:
    """An app on the Alpha Vantage provider (5 calls a minute, 25 a day) in an app context."""

    def build(**overrides: Any) -> Any:
        settings = {"market_data_provider": "alphavantage",
                    "alpha_vantage_api_key": f"test-key-{next(_keys)}",
                    "alpha_vantage_base_url": fake_av.url, **overrides}
        return make_app(**settings)

    app = build()
    with app.app_context():
        yield app


@pytest.fixture()
def start_hub() -> Iterator[Any]:
    """Start quote hubs that provably receive messages; stop them after the test."""
    from tests.service.market.streams import started_hub

    hubs: list[Any] = []

    def start(kv: Any) -> Any:
        hubs.append(started_hub(kv))
        return hubs[-1]

    yield start
    for hub in hubs:
        hub.stop()
