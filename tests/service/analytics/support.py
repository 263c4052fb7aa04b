"""Analytics test support: a frozen clock, a market whose prices the test sets, and a ledger.

The fixed market replaces the market service's quotes and daily bars for the
symbols a test prices (everything else stays simulated), so fills, closes and
live values are round numbers a hand calculation can check to the cent. Orders
go through the real trading service; deposits and resets through the
portfolios service.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from invsim.core.clock import set_clock
from invsim.core.kvstore import MemoryStore
from invsim.extensions import db, stores
from invsim.market import service as market
from invsim.market.bars import BarsPage
from invsim.market.providers.base import Bar
from invsim.market.quotes import QuoteView
from invsim.portfolios import service as portfolios
from invsim.portfolios.rules import PortfolioRules
from invsim.trading import lifecycle
from invsim.trading import service as trading
from invsim.trading.engine.state import OrderType, Side, TimeInForce
from invsim.trading.order_input import OrderRequest
from tests import factories
from tests.factories import Clock

D = Decimal


def at(day: str, clock_time: str = "12:00") -> datetime:
    """Return an aware UTC instant, e.g. at("2025-03-04", "10:00")."""
    return datetime.fromisoformat(f"{day}T{clock_time}:00+00:00")




@dataclass
class FixedMarket:
    """Prices a test chose: the last price now, and daily closes by date."""

    clock: Clock
    last: dict[str, Decimal] = field(default_factory=dict)
    closes: dict[str, dict[date, Decimal]] = field(default_factory=dict)
    missing: set[str] = field(default_factory=set)

    def withdraw(self, symbol: str) -> None:
        """Make the symbol unpriced: no quote and no daily bar can be had (an outage)."""
        self.missing.add(symbol)

    def restore(self, symbol: str) -> None:
        """Price the symbol again."""
        self.missing.discard(symbol)

    def price(self, symbol: str, last: str | Decimal) -> None:
        """Set the current price of a symbol."""
        self.last[symbol] = D(last)

    def close(self, symbol: str, day: str, price: str | Decimal) -> None:
        """Set a symbol's daily close (and make it the current price)."""
        self.closes.setdefault(symbol, {})[date.fromisoformat(day)] = D(price)
        self.last[symbol] = D(price)

    def quote(self, symbol: str) -> QuoteView:
        """Return a quote at the chosen price (bid = ask = last)."""
        p = self.last[symbol]
        return QuoteView(symbol=symbol, bid=p, ask=p, last=p, prev_close=p, day_open=p,
                         day_high=p, day_low=p, volume=10_000_000, as_of=self.clock.now,
                         source="test", stale=False, age_seconds=0)

    def bars(self, symbol: str, start: datetime, end: datetime) -> list[Bar]:
        """Return the chosen daily bars starting in [start, end]."""
        days = sorted(d for d in self.closes.get(symbol, {})
                      if start <= datetime.combine(d, datetime.min.time(), UTC) <= end)
        return [Bar(symbol, "1d", datetime.combine(d, datetime.min.time(), UTC),
                    self.closes[symbol][d], self.closes[symbol][d], self.closes[symbol][d],
                    self.closes[symbol][d], 1_000_000) for d in days]


@pytest.fixture()
def clock(app: Any) -> Iterator[Clock]:
    """Freeze time (the conftest restores the real clock)."""
    frozen = Clock(at("2025-03-03", "10:00"))
    set_clock(lambda: frozen.now)
    yield frozen
    set_clock(None)


@pytest.fixture()
def fixed(clock: Clock, monkeypatch: pytest.MonkeyPatch) -> FixedMarket:
    """Route quotes and daily bars of the priced symbols to the test's prices."""
    chosen = FixedMarket(clock)
    real_quotes, real_bars = market.get_quotes, market.get_bars

    def get_quotes(symbols: list[str], **kwargs: Any) -> dict[str, QuoteView]:
        mine = {s: chosen.quote(s) for s in symbols if s in chosen.last and s not in chosen.missing}
        rest = [s for s in symbols if s not in chosen.last]
        return {**mine, **(real_quotes(rest, **kwargs) if rest else {})}

    def get_bars(symbol: str, interval: str, start: datetime | None = None,
                 end: datetime | None = None, *args: Any, **kwargs: Any) -> BarsPage:
        if symbol in chosen.missing:
            return BarsPage(symbol, interval, [], None)
        if interval == "1d" and symbol in chosen.closes and start and end:
            return BarsPage(symbol, "1d", chosen.bars(symbol, start, end), None)
        return real_bars(symbol, interval, start, end, *args, **kwargs)

    monkeypatch.setattr(market, "get_quotes", get_quotes)
    monkeypatch.setattr(market, "get_bars", get_bars)
    return chosen


@pytest.fixture()
def ctx(app: Any, clock: Clock) -> Iterator[Any]:
    """Run the test inside an app context with the clock frozen and a private store."""
    previous = stores.kv
    stores.kv = MemoryStore()
    with app.app_context():
        yield app
        db.session.remove()
    stores.kv = previous


def new_user() -> Any:
    """Register a fresh user."""
    return factories.new_user("analyst")


def open_portfolio(owner: Any, cash: str = "10000", **rules: Any) -> Any:
    """Open a portfolio without commission, slippage or volume cap (whole, round fills)."""
    rules = {"max_volume_share": None, **rules}
    return portfolios.create_portfolio(owner=owner, name="Analytics", starting_cash=D(cash),
                                       rules=PortfolioRules(**rules))


def trade(owner: Any, portfolio: Any, side: str, qty: str, symbol: str = "AAPL") -> Any:
    """Place a market order that fills at once at the current price."""
    placed = trading.place_order(
        owner_id=owner.id, portfolio_id=portfolio.id,
        request=OrderRequest(symbol=symbol, side=Side(side), type=OrderType.MARKET,
                             time_in_force=TimeInForce.DAY, qty=D(qty)))
    assert placed.order.status == "filled", (placed.order.status, placed.order.reason)
    return placed.order


def deposit(portfolio: Any, amount: str) -> None:
    """Post a deposit through the portfolios service (one transaction)."""
    with db.transaction():
        locked = portfolios.lock_portfolio(portfolio.id)
        portfolios.post_cash_entry(portfolio=locked, kind="deposit", amount=D(amount),
                                   memo="test deposit")


def reset(owner: Any, portfolio: Any) -> None:
    """Reset the portfolio through the portfolios service."""
    lifecycle.reset_portfolio(owner_id=owner.id, portfolio_id=portfolio.id)


def after(when: datetime, **delta: float) -> datetime:
    """Return `when` moved by a timedelta's keywords."""
    return when + timedelta(**delta)


def scenario(clock: Clock, fixed: FixedMarket, owner: Any = None) -> tuple[Any, Any]:
    """Open 10,000.00, buy 10 AAPL @ 100, deposit 5,000.00, sell 4 @ 110; now 03-06 09:00.

    Closes: 03-03 105, 03-04 98, 03-05 112; live price 115. Equity by hand:
    03-03 9,000 + 1,050 = 10,050; 03-04 14,000 + 980 = 14,980 (deposit 5,000);
    03-05 14,440 + 672 = 15,112; live 14,440 + 690 = 15,130.
    """
    owner = owner or new_user()
    clock.set(at("2025-03-03", "10:00"))
    fixed.price("AAPL", "100")
    portfolio = open_portfolio(owner)
    clock.set(at("2025-03-03", "10:05"))
    trade(owner, portfolio, "buy", "10")
    fixed.close("AAPL", "2025-03-03", "105")
    clock.set(at("2025-03-04", "12:00"))
    deposit(portfolio, "5000")
    fixed.close("AAPL", "2025-03-04", "98")
    clock.set(at("2025-03-05", "12:00"))
    fixed.price("AAPL", "110")
    trade(owner, portfolio, "sell", "4")
    fixed.close("AAPL", "2025-03-05", "112")
    fixed.price("AAPL", "115")
    clock.set(at("2025-03-06", "09:00"))
    return owner, portfolio
