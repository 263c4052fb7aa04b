"""OrderSpec refuses terms no order type defines."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal as D

import pytest

from invsim.trading.engine.snapshot import MarketSnapshot
from invsim.trading.engine.state import OrderType, Side, TimeInForce

from .builders import NOW, bar, order

MARKET, LIMIT, STOP, STOP_LIMIT, TRAILING = (
    OrderType.MARKET,
    OrderType.LIMIT,
    OrderType.STOP,
    OrderType.STOP_LIMIT,
    OrderType.TRAILING_STOP,
)


@pytest.mark.parametrize(
    ("type_", "tif", "terms", "problem"),
    [
        (
            MARKET,
            TimeInForce.DAY,
            {"qty": D(1), "notional": D(100)},
            "exactly one of qty and notional",
        ),
        (MARKET, TimeInForce.DAY, {"qty": D(0)}, "must be positive"),
        (
            LIMIT,
            TimeInForce.DAY,
            {"notional": D(100), "limit_price": D(1)},
            "notional orders must be market",
        ),
        (LIMIT, TimeInForce.DAY, {}, "limit_price is required"),
        (MARKET, TimeInForce.DAY, {"limit_price": D(1)}, "limit_price is required"),
        (STOP, TimeInForce.DAY, {}, "stop_price is required"),
        (STOP_LIMIT, TimeInForce.DAY, {"stop_price": D(1)}, "limit_price is required"),
        (TRAILING, TimeInForce.DAY, {}, "exactly one of trail_percent and trail_price"),
        (TRAILING, TimeInForce.DAY, {"trail_percent": D(100)}, "between 0 and 100"),
        (TRAILING, TimeInForce.DAY, {"trail_price": D(-1)}, "trail_price must be positive"),
        (MARKET, TimeInForce.DAY, {"trail_percent": D(1)}, "trailing_stop orders only"),
        (STOP, TimeInForce.IOC, {"stop_price": D(1)}, "needs a market or limit order"),
        (TRAILING, TimeInForce.OPG, {"trail_percent": D(1)}, "needs a market or limit order"),
        (MARKET, TimeInForce.DAY, {"created_at": datetime(2026, 3, 2, 15)}, "timezone-aware"),
        (MARKET, TimeInForce.DAY, {"filled_qty": D(11)}, "filled_qty exceeds qty"),
        (MARKET, TimeInForce.DAY, {"filled_notional": D(-1)}, "cannot be negative"),
    ],
)
def test_order_spec_refuses_inconsistent_terms(type_, tif, terms, problem):
    with pytest.raises(ValueError, match=problem):
        order(Side.BUY, type_, tif, **terms)


def test_order_spec_reports_what_remains():
    spec = order(qty=D(10), filled_qty=D(4))
    assert (spec.remaining_qty, spec.remaining_notional) == (D(6), None)
    notional = order(notional=D(100), filled_notional=D("40.00"))
    assert (notional.remaining_qty, notional.remaining_notional) == (None, D("60.00"))


def test_market_snapshot_refuses_a_non_positive_quote():
    with pytest.raises(ValueError):
        MarketSnapshot(bid=D(0), ask=D(1), last=D(1), as_of=NOW)


def test_bar_refuses_an_open_outside_its_range():
    with pytest.raises(ValueError):
        bar(open=D("120.00"))
