"""What a live strategy reads from the other domains: sessions, daily bars, the account.

Bars come from the market service through the backtest's loader (the simulated market,
or the stored real bars); the account's figures from the trading service, valued at
the current quotes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app

from invsim.backtest.bars import Panel
from invsim.backtest.data import load_panel
from invsim.backtest.live_decide import LiveAccount
from invsim.backtest.live_orders import Sizing
from invsim.backtest.orders import OrderRequest as StrategyOrder
from invsim.core.money import ZERO
from invsim.market import service as market
from invsim.portfolios import service as portfolios
from invsim.trading import service as trading
from invsim.trading.engine.state import OrderType, Side, TimeInForce

SESSION_LOOKBACK = timedelta(days=14)  # longer than any run of exchange closures


@dataclass(frozen=True, slots=True)
class CompleteBar:
    """The latest daily bar whose session has closed: when it started and ended."""

    start: datetime
    close: datetime


def latest_complete_bar(now: datetime) -> CompleteBar | None:
    """Return the latest session that has closed by `now` (its daily bar is complete)."""
    sessions = market.trading_sessions((now - SESSION_LOOKBACK).date(), now.date())
    closed = [s for s in sessions if s.close <= now]
    return CompleteBar(closed[-1].open, closed[-1].close) if closed else None


def daily_panel(symbols: list[str], start: datetime, end: datetime) -> Panel:
    """Return the symbols' whole daily bars starting in [start, end], aligned on the calendar.

    The backtest's own loader (`backtest.data`), on this app's market: the live
    strategy sees exactly the bars a backtest of the same range would.
    """
    source = current_app.config["INVSIM_SETTINGS"].market_data_provider
    return load_panel(symbols, start, end, source=source)


def account_of(portfolio: Any, own_prefix: str) -> LiveAccount:
    """Return the portfolio's cash, equity, positions and this strategy's open orders."""
    summary = trading.account_summary(portfolio)
    positions = {p.symbol: p.qty for p in portfolios.open_positions(portfolio)}
    orders = trading.list_orders(portfolio=portfolio, status="open", limit=500)
    own = tuple((o.id, _strategy_order(o)) for o in orders
                if o.client_order_id.startswith(own_prefix))
    return LiveAccount(summary.cash, summary.equity, positions, own)


def sizing_for(portfolio: Any, symbol: str, at: datetime) -> Sizing:
    """Read what sizing one order needs, fresh (earlier orders of the bar may have filled)."""
    summary = trading.account_summary(portfolio)
    position = portfolios.position_of(portfolio, symbol)
    quote = market.get_quote(symbol)
    rules = portfolios.rules_of(portfolio).trading_rules()
    return Sizing(equity=summary.equity, buying_power=summary.buying_power,
                  held=position.qty if position is not None else ZERO, bid=quote.bid,
                  ask=quote.ask, last=quote.last, rules=rules, at=at)


def _strategy_order(order: Any) -> StrategyOrder:
    """Describe a live open order in the strategy's terms (what `open_orders` shows)."""
    return StrategyOrder(symbol=order.symbol, side=Side(order.side), type=OrderType(order.type),
                         time_in_force=TimeInForce(order.time_in_force), qty=order.qty,
                         notional=order.notional, limit_price=order.limit_price,
                         stop_price=order.stop_price, tag="live")
