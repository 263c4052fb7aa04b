"""Builders for the pure trading values, with sensible defaults tests override by keyword."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from invsim.trading.engine.snapshot import Bar, MarketSnapshot
from invsim.trading.engine.spec import OrderSpec
from invsim.trading.engine.state import OrderType, Side, TimeInForce
from invsim.trading.engine.tif import Session

D = Decimal
OPEN = datetime(2026, 3, 2, 14, 30, tzinfo=UTC)  # a Monday, 09:30 New York
CLOSE = datetime(2026, 3, 2, 21, 0, tzinfo=UTC)
SESSION = Session(OPEN, CLOSE)
BAR_START = OPEN + timedelta(hours=1)
NOW = BAR_START + timedelta(seconds=30)
BEFORE_BAR = BAR_START - timedelta(minutes=5)


def order(
    side: Side = Side.BUY,
    type: OrderType = OrderType.MARKET,
    tif: TimeInForce = TimeInForce.DAY,
    **terms: Any,
) -> OrderSpec:
    """Build an order for 10 shares created during the current bar unless told otherwise."""
    terms.setdefault("created_at", NOW - timedelta(seconds=10))
    if "notional" not in terms:
        terms.setdefault("qty", D(10))
    return OrderSpec(side=side, type=type, time_in_force=tif, **terms)


def bar(**fields: Any) -> Bar:
    """Build a bar around 100 with plenty of volume."""
    values: dict[str, Any] = {
        "start": BAR_START,
        "open": D("100.00"),
        "high": D("101.00"),
        "low": D("99.00"),
        "close": D("100.00"),
        "volume": D(100_000),
    }
    values.update(fields)
    return Bar(**values)


def market(
    bid: str = "99.99", ask: str = "100.01", last: str = "100.00", **fields: Any
) -> MarketSnapshot:
    """Build a fresh in-session snapshot with a liquid bar."""
    fields.setdefault("as_of", NOW)
    fields.setdefault("bar", bar())
    fields.setdefault("session", SESSION)
    return MarketSnapshot(bid=D(bid), ask=D(ask), last=D(last), **fields)


def moved(snapshot: MarketSnapshot, **fields: Any) -> MarketSnapshot:
    """Return a copy of a snapshot with some fields changed."""
    return replace(snapshot, **fields)
