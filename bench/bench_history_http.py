"""`GET /portfolios/{id}/history?period=1Y&timeframe=1D` (one year of daily points) over HTTP.

Run: .venv/bin/python bench/bench_history_http.py   (prints one line; target p99 < 50 ms)

Builds an embedded app (SQLite file, simulated market) in a temporary directory,
signs a user in, opens a portfolio a year ago and trades it every few weeks
through the trading service, stores its session closes
(`rebuild_close_snapshots`, as the snapshot job leaves them), then times
REQUESTS authenticated requests through Flask's test client: routing, auth,
query validation, the service (stored closes, flows, the live point at current
quotes) and JSON serialisation. The same request without stored closes (every
close rebuilt from the ledger and daily bars) is timed too, for information.
INVSIM_BENCH_DATABASE_URL runs it on another database (e.g. PostgreSQL).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

REQUESTS = 400
COLD_REQUESTS = 10
TARGET_MS = 50.0
SYMBOLS = ("AAPL", "MSFT", "NVDA", "SPY", "XOM", "JPM")


def build(tmp: str) -> Any:
    """Create and migrate the app's database and return the app."""
    from invsim.app import create_app
    from invsim.migrations.runner import upgrade

    url = os.environ.get("INVSIM_BENCH_DATABASE_URL") or f"sqlite:///{Path(tmp) / 'bench.db'}"
    upgrade(url)
    return create_app(var_dir=tmp, database_url=url, scheduler_enabled=False,
                      rate_limits_enabled=False, log_level="WARNING",
                      argon2_time_cost=1, argon2_memory_kib=1024,
                      secret_key="bench-secret-key-0123456789-abcdefghij")


def year_of_trading(user_id: int) -> int:
    """Open a portfolio a year ago and trade it every three weeks; return its id."""
    from invsim.core.clock import set_clock, utcnow
    from invsim.portfolios import service as portfolios
    from invsim.portfolios.rules import PortfolioRules
    from invsim.trading.engine.state import OrderType, Side, TimeInForce
    from invsim.trading.order_input import OrderRequest
    from invsim.trading.service import place_order

    now = utcnow()
    start = now - timedelta(days=366)
    set_clock(lambda: start)
    portfolio = portfolios.create_portfolio(owner=user_id, name="Year", starting_cash=Decimal(
        100_000), rules=PortfolioRules(max_volume_share=None))
    for step in range(17):
        when = start + timedelta(days=21 * step, hours=1)
        set_clock(lambda when=when: when)
        side = Side.SELL if step % 4 == 3 else Side.BUY
        symbol = SYMBOLS[(step if side is Side.BUY else step - 3) % len(SYMBOLS)]
        place_order(owner_id=user_id, portfolio_id=portfolio.id, request=OrderRequest(
            symbol=symbol, side=side, type=OrderType.MARKET, time_in_force=TimeInForce.DAY,
            qty=Decimal(10)))
    set_clock(None)
    return portfolio.id


def sign_in(client: Any) -> dict[str, str]:
    """Register a user through the API and return its Authorization header."""
    response = client.post("/api/v1/auth/register", json={
        "email": "bench@example.com", "username": "bench", "password": "correct-horse-battery-42"})
    assert response.status_code == 201, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['access_token']}"}


def timed(client: Any, url: str, headers: dict[str, str], count: int) -> list[float]:
    """Return the duration of `count` requests in milliseconds."""
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.get_json()
    return samples


def main() -> None:
    """Prepare a year of history and print one line with p50 and p99."""
    from invsim.analytics.models import EquitySnapshot
    from invsim.analytics.snapshots import rebuild_close_snapshots
    from invsim.extensions import db

    with tempfile.TemporaryDirectory() as tmp:
        app = build(tmp)
        with app.app_context():
            client = app.test_client()
            headers = sign_in(client)
            user_id = client.get("/api/v1/me", headers=headers).get_json()["id"]
            pid = year_of_trading(user_id)
            url = f"/api/v1/portfolios/{pid}/history?period=1Y&timeframe=1D"
            cold = timed(client, url, headers, COLD_REQUESTS)
            stored = rebuild_close_snapshots(owner_id=user_id, portfolio_id=pid)
            points = len(client.get(url, headers=headers).get_json()["equity"])
            timed(client, url, headers, 20)  # warm-up
            samples = timed(client, url, headers, REQUESTS)
            with db.transaction() as session:
                session.query(EquitySnapshot).delete()
    cuts = statistics.quantiles(samples, n=100)
    verdict = "ok" if cuts[98] < TARGET_MS else "SLOW"
    print(f"bench_history_http: 1Y of daily points ({points} points, {stored} stored closes), "
          f"{REQUESTS} requests via the test client: p50 {cuts[49]:.1f} ms, p99 {cuts[98]:.1f} ms "
          f"(target p99 < {TARGET_MS:.0f} ms, {verdict}); without stored closes (rebuilt from "
          f"the ledger) median {statistics.median(cold):.0f} ms")


if __name__ == "__main__":
    main()
