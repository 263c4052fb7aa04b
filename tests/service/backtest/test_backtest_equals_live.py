"""Backtest = live: the same orders on the same bars fill identically on both paths.

The bars are the first 30 sessions of the recorded IBM daily series. The
backtest engine runs a scripted strategy over them. The live side is a real
app (both database backends) on the NYSE calendar with a real-provider market,
whose quote cache and stored one-minute bars the test fills the way the
provider's fetcher would: for each session it stores the session's bar, then
publishes quotes along the bar's path (open, then the extreme nearer the open,
the other extreme, the close; on the way every level of the live book — limit
and stop prices, a trailing stop where it stands — that the path passes
through, as a continuously traded price does), running the live matching job
(`match_open_orders`) after each quote. The strategy's orders are placed
through the trading service after each session's close, exactly when the
backtest decides them. Both paths get the same portfolio rules (commission,
slippage, a small volume cap so an order fills in parts over two sessions).

What is compared: every fill's session, side, quantity, price, rule and
volume-cap flag, the final cash and positions. No part of the engine is mocked:
the live side uses the placement checks, the matching job, the fill writer and
the ledger.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from invsim.backtest.bars import OHLCV, BarSeries, align
from invsim.backtest.broker import BrokerConfig
from invsim.backtest.engine import RunSpec, run
from invsim.backtest.intrabar import path
from invsim.backtest.strategy import Strategy
from invsim.core.clock import calendar_for, set_clock
from invsim.core.kvstore import MemoryStore
from invsim.core.money import CENT
from invsim.extensions import db, stores
from invsim.market.bar_store import upsert_bars
from invsim.market.cache import CachedQuote
from invsim.market.providers import alphavantage_parse as av
from invsim.market.providers.base import Bar, Quote
from invsim.market.quote_store import quote_cache
from invsim.portfolios import service as portfolios
from invsim.portfolios.models import Portfolio, Position
from invsim.portfolios.rules import CommissionRule, PortfolioRules
from invsim.trading import service as trading
from invsim.trading.engine.state import OrderType, Side, TimeInForce
from invsim.trading.ledger import verify_ledger
from invsim.trading.matching import match_open_orders
from invsim.trading.models import Fill, Order
from invsim.trading.order_input import OrderRequest
from invsim.trading.order_rows import OPEN_VALUES
from tests import factories

D = Decimal
SYMBOL = "IBM"
SESSIONS = 30
CASH = D(100_000)
FIXTURE = (Path(__file__).resolve().parents[2] / "fixtures" / "marketdata"
           / "alphavantage_daily_IBM.csv")
NYSE = calendar_for("nyse")
# commission $1 an order, 5 bps slippage, whole shares, at most 0.0004 % of a session's
# volume (IBM trades 1-5 million shares a day: 4-20 shares a session, so the 40-share
# buy below fills over several sessions)
RULES = PortfolioRules(commission=CommissionRule(kind="per_trade", amount=D(1)),
                       slippage_bps=D(5), fractional=False, max_volume_share=D("0.000004"))


# --- the bars -----------------------------------------------------------------------------

def ibm_bars() -> BarSeries:
    """The first 30 recorded IBM sessions, each starting at its NYSE open."""
    bars = av.parse_series_csv(av.decode(FIXTURE.read_bytes()), symbol=SYMBOL, interval="1d")
    chosen = []
    for bar in bars[:SESSIONS]:
        opened = NYSE.session_open(bar.start.date())
        assert opened is not None
        chosen.append(OHLCV(opened, bar.open, bar.high, bar.low, bar.close, D(bar.volume)))
    return BarSeries(SYMBOL, tuple(chosen))


# --- the strategy's orders ------------------------------------------------------------------

@dataclass(frozen=True)
class Planned:
    """One order decided on the close of `step`."""

    step: int
    side: str
    type: str
    qty: int
    limit_price: Decimal | None = None
    stop_price: Decimal | None = None
    trail_percent: Decimal | None = None
    tif: str = "gtc"


def _inside(bar: OHLCV, share: str) -> Decimal:
    """A price `share` of the way from the bar's low to its high (to the cent)."""
    return (bar.low + (bar.high - bar.low) * D(share)).quantize(CENT)


def plan(series: BarSeries) -> list[Planned]:
    """Orders whose levels lie inside the next bars' ranges (chosen with hindsight, so
    each one trades: the point is to compare fills, not to make money)."""
    b = series.bars
    return [
        Planned(1, "buy", "market", 40),  # 40 > the volume cap: several sessions
        Planned(3, "buy", "limit", 10, limit_price=_inside(b[4], "0.3")),
        Planned(5, "sell", "stop", 10, stop_price=_inside(b[6], "0.4")),
        Planned(7, "sell", "limit", 10, limit_price=_inside(b[8], "0.8")),
        Planned(9, "buy", "stop", 5, stop_price=_inside(b[10], "0.7")),
        Planned(11, "sell", "stop_limit", 5, stop_price=_inside(b[12], "0.5"),
                limit_price=_inside(b[12], "0.45")),
        Planned(13, "buy", "limit", 5, limit_price=(b[14].open + D(1)).quantize(CENT)),  # gap
        Planned(15, "sell", "stop", 5, stop_price=(b[16].open + D(1)).quantize(CENT)),  # gap
        Planned(17, "buy", "limit", 5, limit_price=(b[18].low - D(5)).quantize(CENT)),  # waits
        Planned(18, "buy", "limit", 5, limit_price=(b[19].low - D(3)).quantize(CENT),
                tif="day"),  # expires unfilled after one session
        Planned(20, "sell", "market", 10),
        Planned(22, "buy", "limit", 5, limit_price=_inside(b[23], "0.5"), tif="day"),
        Planned(24, "sell", "market", 5, tif="day"),
        Planned(25, "sell", "trailing_stop", 10, trail_percent=D("0.5")),
        # (no ioc/fok: live they trade at placement or not at all, and placed after the
        # close they are refused (market closed); a backtest tries them at the next open)
    ]


def scripted(orders: list[Planned]) -> type[Strategy]:
    """The plan as a backtest strategy."""
    by_step: dict[int, list[Planned]] = {}
    for order in orders:
        by_step.setdefault(order.step, []).append(order)

    class Script(Strategy):
        name = "script"

        def next(self) -> None:
            for o in by_step.get(self.step, []):
                self.order(SYMBOL, Side(o.side), qty=D(o.qty), type=o.type,
                           limit_price=o.limit_price, stop_price=o.stop_price,
                           trail_percent=o.trail_percent, time_in_force=o.tif)

    return Script


# --- the live path ----------------------------------------------------------------------------

Compared = tuple[str, str, Decimal, Decimal, str, bool]


class Replay:
    """Feeds one symbol's bars to the live market and runs the matching job on each quote."""

    def __init__(self, series: BarSeries, orders: list[Planned]) -> None:
        self.series = series
        self.orders = orders
        self.now = series.bars[0].at
        set_clock(lambda: self.now)

    @staticmethod
    def book_levels() -> list[Decimal]:
        """The limit and stop prices of the live open orders now (a trailing stop's moves)."""
        db.session.expire_all()
        rows = db.session.execute(select(Order.limit_price, Order.stop_price)
                                  .where(Order.status.in_(OPEN_VALUES)))
        return sorted({p for row in rows for p in row if p is not None})

    def segment(self, start: Decimal, end: Decimal) -> list[Decimal]:
        """The prices a continuous trade from `start` to `end` passes: every level of the
        book strictly between them, in the direction of travel, then `end`."""
        low, high = min(start, end), max(start, end)
        passed = [p for p in self.book_levels() if low < p < high]
        return sorted(passed, reverse=end < start) + [end]

    def quote(self, bar: OHLCV, price: Decimal, at: datetime, prev_close: Decimal) -> None:
        """Publish one quote (a real provider's shape: bid = ask = last)."""
        q = Quote(symbol=SYMBOL, bid=price, ask=price, last=price, prev_close=prev_close,
                  day_open=bar.open, day_high=bar.high, day_low=bar.low,
                  volume=int(bar.volume), as_of=at, source="alphavantage")
        quote_cache().write([CachedQuote(q, at, at + timedelta(days=5))], 10 * 86_400)

    def session(self, step: int) -> None:
        """Trade one session: store its bar, walk its path quote by quote, then close."""
        bar = self.series.bars[step]
        closes = NYSE.session_close(bar.at.date())
        assert closes is not None
        prev_close = self.series.bars[step - 1].close if step else bar.open
        with db.transaction() as session:
            upsert_bars(session, [Bar(SYMBOL, "1m", bar.at, bar.open, bar.high, bar.low,
                                      bar.close, int(bar.volume))], source="replay")
        points = path(bar)
        second = 0
        for start, end in zip((None, *points), points, strict=False):
            for price in [end] if start is None else self.segment(start, end):
                self.now = bar.at + timedelta(seconds=second)
                self.quote(bar, price, self.now, prev_close)
                match_open_orders(self.now)
                second += 1
        self.now = closes  # the closing print: the market is closed from here on
        self.quote(bar, bar.close, closes, prev_close)
        match_open_orders(self.now)
        self.now = closes + timedelta(minutes=1)

    def place(self, owner: Any, portfolio: Portfolio, step: int) -> None:
        """Place the orders decided on this session's close through the trading service."""
        for o in (o for o in self.orders if o.step == step):
            request = OrderRequest(symbol=SYMBOL, side=Side(o.side), type=OrderType(o.type),
                                   time_in_force=TimeInForce(o.tif), qty=D(o.qty),
                                   limit_price=o.limit_price, stop_price=o.stop_price,
                                   trail_percent=o.trail_percent)
            trading.place_order(owner_id=owner.id, portfolio_id=portfolio.id, request=request)


def live_fills(series: BarSeries) -> list[Compared]:
    """Every fill the live path wrote, as (session date, side, qty, price, rule, capped)."""
    db.session.expire_all()
    rows = db.session.scalars(select(Fill).order_by(Fill.id))
    day = {bar.at.date(): bar.at.date().isoformat() for bar in series.bars}
    return [(day[f.priced_at.date()], f.side, f.qty, f.price, f.rule, f.volume_capped)
            for f in rows]


def backtest_fills(series: BarSeries, result: Any) -> list[Compared]:
    """Every backtest fill in the same shape."""
    return [(series.bars[f.step].at.date().isoformat(), str(f.side), f.qty, f.price,
             str(f.rules[0]), "volume_cap_partial" in f.rules) for f in result.fills]


@pytest.fixture()
def live_app(make_app: Any) -> Iterator[Any]:
    """An app on the NYSE calendar with a real-provider market fed by the test (no network:
    the provider's address is closed, and every quote is in the cache before it is read)."""
    previous = stores.kv
    app = make_app(market_calendar="nyse", market_data_provider="alphavantage",
                   alpha_vantage_api_key="replay-key",
                   alpha_vantage_base_url="http://127.0.0.1:9")
    stores.kv = MemoryStore()
    with app.app_context():
        yield app
        db.session.remove()
    stores.kv = previous
    set_clock(None)


def test_the_same_orders_on_the_same_bars_fill_the_same_live_and_in_the_backtest(
        live_app: Any) -> None:
    series = ibm_bars()
    orders = plan(series)

    result = run(RunSpec(scripted(orders), {}, BrokerConfig(CASH, RULES.trading_rules())),
                 align([series]))
    expected = backtest_fills(series, result)

    replay = Replay(series, orders)
    owner = factories.new_user("replayer")
    portfolio = portfolios.create_portfolio(owner=owner, name="Replay", starting_cash=CASH,
                                            rules=RULES)
    for step in range(len(series)):
        if step:
            replay.session(step)
        else:  # the first bar only sets the scene: its close is the first decision
            replay.now = NYSE.session_close(series.bars[0].at.date()) or replay.now
            replay.quote(series.bars[0], series.bars[0].close, replay.now, series.bars[0].open)
            replay.now += timedelta(minutes=1)
        replay.place(owner, portfolio, step)

    assert live_fills(series) == expected
    # every order type of the plan traded, with the rules the issue names
    rules = {rule for *_, rule, _ in expected}
    assert {"market_at_ask", "market_at_bid", "limit_at_ask", "limit_at_bid",
            "limit_gap_open", "stop_triggered", "stop_limit_triggered",
            "trailing_stop_triggered"} <= rules
    assert any(capped for *_, capped in expected)  # the volume cap split one order
    # the accounts agree to the cent
    db.session.expire_all()
    live = db.session.get(Portfolio, portfolio.id)
    assert live is not None
    held = {p.symbol: p.qty for p in db.session.scalars(
        select(Position).where(Position.portfolio_id == portfolio.id)) if p.qty}
    assert live.cash == backtest_cash(result)
    assert held == {s: q for s, q in _positions(result).items() if q}
    # the same orders ended the same way (filled, canceled, expired)
    statuses = [o.status for o in db.session.scalars(select(Order).order_by(Order.id))]
    assert statuses == [_live_status(o) for o in result.orders]
    assert "expired" in statuses
    assert verify_ledger().ok


def backtest_cash(result: Any) -> Decimal:
    """The backtest's cash at the end: starting cash plus every fill's net cash."""
    total = CASH
    for f in result.fills:
        total += -(f.gross + f.commission) if str(f.side) == "buy" else f.gross - f.commission
    return total


def _positions(result: Any) -> dict[str, Decimal]:
    """The backtest's positions at the end."""
    held: dict[str, Decimal] = {}
    for f in result.fills:
        held[f.symbol] = held.get(f.symbol, D(0)) + (f.qty if str(f.side) == "buy" else -f.qty)
    return held


def _live_status(order: Any) -> str:
    """Name a backtest order's end the way the live order table does."""
    return {"filled": "filled", "canceled": "canceled", "expired": "expired",
            "rejected": "rejected", "working": "accepted"}[str(order.status)]
