"""Shared fixtures and helpers of the trading and portfolio tests (service and API).

Time is frozen with `core.clock.set_clock` at an instant inside a session of the
default (always open) calendar; the simulated market is deterministic, so tests
read the current quote through the trading price adapter and compute expected
amounts from it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from invsim.core.clock import set_clock
from invsim.extensions import db
from invsim.portfolios import service as portfolios
from invsim.portfolios.models import CashEntry, Portfolio
from invsim.portfolios.rules import PortfolioRules
from invsim.trading import activities as _activities
from invsim.trading import marks as prices
from invsim.trading import service as trading
from invsim.trading.engine.state import OrderType, Side, TimeInForce
from invsim.trading.ledger import verify_ledger
from invsim.trading.models import Fill, Order
from invsim.trading.order_input import OrderRequest
from tests import factories
from tests.factories import Clock

D = Decimal
T0 = datetime(2025, 3, 4, 15, 0, 30, tzinfo=UTC)  # a Tuesday: mid-session on every calendar




@pytest.fixture()
def clock(app: Any) -> Iterator[Clock]:
    """Freeze time at T0 for the test (the conftest restores the real clock)."""
    frozen = Clock(T0)
    set_clock(lambda: frozen.now)
    yield frozen
    set_clock(None)


@pytest.fixture()
def appctx(app: Any, clock: Clock) -> Iterator[Any]:
    """Run the test inside an app context with the clock frozen."""
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture()
def owner(appctx: Any) -> Any:
    """A registered user."""
    return new_user()


def new_user() -> Any:
    """Register a fresh user."""
    return factories.new_user("trader")


def make_portfolio(owner: Any, starting_cash: Decimal = D(100_000), **rules: Any) -> Portfolio:
    """Open a portfolio with the given rules."""
    return portfolios.create_portfolio(owner=owner, name="Test", starting_cash=starting_cash,
                                       rules=PortfolioRules(**rules))


def request(symbol: str = "AAPL", side: str = "buy", type: str = "market", tif: str = "day",
            **terms: Any) -> OrderRequest:
    """Build an order request."""
    return OrderRequest(symbol=symbol, side=Side(side), type=OrderType(type),
                        time_in_force=TimeInForce(tif), **terms)


def place(owner: Any, portfolio: Portfolio, symbol: str = "AAPL", side: str = "buy",
          type: str = "market", tif: str = "day", **terms: Any) -> Order:
    """Place an order and return it."""
    placed = trading.place_order(owner_id=owner.id, portfolio_id=portfolio.id,
                                 request=request(symbol, side, type, tif, **terms))
    return placed.order


def quote(symbol: str = "AAPL") -> prices.Mark:
    """Return the current mark of a symbol through the trading price adapter."""
    return prices.mark(symbol)


def reload(portfolio: Portfolio) -> Portfolio:
    """Return the portfolio freshly read."""
    db.session.expire_all()
    found = db.session.get(Portfolio, portfolio.id)
    assert found is not None
    return found


def order(order_id: int) -> Order:
    """Return an order freshly read."""
    db.session.expire_all()
    found = db.session.get(Order, order_id)
    assert found is not None
    return found


def count(model: Any) -> int:
    """Count the rows of a table."""
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def row_counts() -> tuple[int, int, int]:
    """Count orders, fills and cash entries (to prove a refused request wrote nothing)."""
    db.session.expire_all()
    return count(Order), count(Fill), count(CashEntry)


def assert_ledger_ok() -> None:
    """Rebuild every portfolio from its facts and require no difference."""
    report = verify_ledger()
    assert report.ok, "\n".join(str(d) for d in report.differences)


def entries_total(portfolio: Portfolio) -> Decimal:
    """Sum every cash entry of the portfolio."""
    db.session.expire_all()
    return sum(db.session.scalars(select(CashEntry.amount).where(
        CashEntry.portfolio_id == portfolio.id)), D(0))


def sign_in(client: Any, clock: Clock) -> dict[str, str]:
    """Register a user through the API under the real clock (tokens are checked against it)."""
    from tests.factories import signed_in

    set_clock(None)
    try:
        return signed_in(client)
    finally:
        set_clock(lambda: clock.now)


def too_large_for_one_bar(symbol: str = "AAPL", bars: int = 3) -> Decimal:
    """Return a quantity about `bars` times what the volume cap lets one bar take now."""
    snap = prices.snapshot(symbol)
    assert snap.bar is not None and snap.minute_volume is not None
    depth = max(snap.bar.volume, snap.minute_volume) * D("0.10")
    return (depth * bars).to_integral_value()


def snapshot(symbol: str = "AAPL") -> Any:
    """Return the engine's snapshot of a symbol at the frozen instant."""
    return prices.snapshot(symbol)


def advance_until(clock: Clock, predicate: Any, symbol: str = "AAPL", *, seconds: int = 5,
                  limit: int = 20_000) -> Any:
    """Move the clock tick by tick until the symbol's snapshot satisfies `predicate`."""
    for _ in range(limit):
        clock.advance(seconds=seconds)
        snap = prices.snapshot(symbol)
        if predicate(snap):
            return snap
    raise AssertionError("the simulated price never got there")


def expected_limit_fill(order: Order, snap: Any) -> Decimal:
    """Return the price a resting limit sell fills at: the bar's open on a gap, else the bid."""
    assert order.limit_price is not None
    gapped = (snap.bar is not None and order.created_at < snap.bar.start
              and order.fill_count == 0 and snap.bar.open > order.limit_price)
    return snap.bar.open if gapped else snap.bid


def activity_total(portfolio: Portfolio) -> Decimal:
    """Sum the net amounts of every activity of the current generation."""
    return sum((a.net_amount for a in _activities.iter_activities(reload(portfolio))), D(0))


@pytest.fixture()
def stale_prices(monkeypatch: pytest.MonkeyPatch) -> None:
    """Mark every quote the price adapter hands out as stale."""
    from dataclasses import replace

    fresh = prices._mark
    monkeypatch.setattr(prices, "_mark", lambda q: replace(fresh(q), stale=True))


@pytest.fixture()
def nyse(make_app: Any, clock: Clock, appctx: Any) -> Iterator[Any]:
    """Switch the test to an app on the NYSE calendar (same database)."""
    app = make_app(market_calendar="nyse")
    with app.app_context():
        yield app


class Api:
    """A signed-in API client of one user."""

    def __init__(self, client: Any, clock: Clock) -> None:
        self.client = client
        self.headers = sign_in(client, clock)

    def get(self, url: str, **kw: Any) -> Any:
        return self.client.get(f"/api/v1{url}", headers=self.headers, **kw)

    def post(self, url: str, body: Any = None) -> Any:
        return self.client.post(f"/api/v1{url}", json=body, headers=self.headers)

    def patch(self, url: str, body: Any) -> Any:
        return self.client.patch(f"/api/v1{url}", json=body, headers=self.headers)

    def delete(self, url: str) -> Any:
        return self.client.delete(f"/api/v1{url}", headers=self.headers)

    def portfolio(self, **body: Any) -> dict[str, Any]:
        body.setdefault("name", "Main")
        response = self.post("/portfolios", body)
        assert response.status_code == 201, response.get_json()
        return dict(response.get_json())

    def order(self, portfolio_id: int, expect: int = 201, **body: Any) -> dict[str, Any]:
        body.setdefault("symbol", "AAPL")
        body.setdefault("side", "buy")
        body.setdefault("type", "market")
        response = self.post(f"/portfolios/{portfolio_id}/orders", body)
        assert response.status_code == expect, response.get_json()
        return dict(response.get_json())


@pytest.fixture()
def api(client: Any, clock: Clock) -> Api:
    """A signed-in user's API client, with the clock frozen at T0."""
    return Api(client, clock)
