"""Stale and closed markets, ioc/fok, and the opening and closing auctions."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal as D

import pytest

from invsim.trading.engine.matcher import Action, FillRule, Reason, evaluate
from invsim.trading.engine.rules import TradingRules
from invsim.trading.engine.state import OrderType, Side, TimeInForce

from .builders import CLOSE, OPEN, bar, market, moved, order

RULES = TradingRules()
LIMIT, TRAILING = OrderType.LIMIT, OrderType.TRAILING_STOP
IOC, FOK, OPG, CLS, GTC = (
    TimeInForce.IOC,
    TimeInForce.FOK,
    TimeInForce.OPG,
    TimeInForce.CLS,
    TimeInForce.GTC,
)


@pytest.mark.parametrize("tif", [TimeInForce.DAY, GTC])
def test_stale_price_makes_a_resting_order_wait(tif):
    result = evaluate(order(tif=tif), market(stale=True), RULES)
    assert (result.action, result.rule, result.fill) == (Action.WAIT, Reason.STALE_PRICE, None)


@pytest.mark.parametrize("tif", [IOC, FOK])
def test_stale_price_rejects_an_immediate_order(tif):
    result = evaluate(order(tif=tif), market(stale=True), RULES)
    assert (result.action, result.rule) == (Action.REJECT, "stale_price")


def test_stale_price_does_not_move_a_trailing_mark():
    spec = order(Side.SELL, TRAILING, trail_percent=D(5), water_mark=D("90.00"))
    result = evaluate(spec, market(stale=True), RULES)
    assert result.water_mark == D("90.00")


def test_resting_order_waits_outside_the_session():
    result = evaluate(order(), market(as_of=CLOSE + timedelta(minutes=1)), RULES)
    assert (result.action, result.rule) == (Action.WAIT, Reason.MARKET_CLOSED)


def test_immediate_order_is_rejected_outside_the_session():
    result = evaluate(order(tif=IOC), market(as_of=OPEN - timedelta(minutes=1)), RULES)
    assert (result.action, result.rule) == (Action.REJECT, "market_closed")


def test_market_without_a_session_trades_at_any_time():
    result = evaluate(order(), market(session=None, as_of=CLOSE + timedelta(hours=5)), RULES)
    assert result.action is Action.FILL


def test_ioc_fills_what_the_volume_cap_allows_and_cancels_the_rest():
    result = evaluate(order(tif=IOC), market(bar=bar(volume=D(60))), RULES)
    assert result.action is Action.FILL
    assert result.fill is not None
    assert result.fill.qty == D("6.000000")
    assert result.cancel_remainder and not result.complete


def test_ioc_that_fills_completely_cancels_nothing():
    result = evaluate(order(tif=IOC), market(), RULES)
    assert result.complete and not result.cancel_remainder


def test_ioc_limit_that_cannot_trade_now_is_canceled():
    result = evaluate(order(Side.BUY, LIMIT, IOC, limit_price=D("99.00")), market(), RULES)
    assert (result.action, result.rule) == (Action.CANCEL, Reason.IOC_NOT_FILLED)


def test_fok_fills_when_the_whole_order_can_trade():
    result = evaluate(order(tif=FOK), market(), RULES)
    assert result.action is Action.FILL and result.complete


def test_fok_is_canceled_whole_when_the_volume_cap_would_split_it():
    result = evaluate(order(tif=FOK), market(bar=bar(volume=D(60))), RULES)
    assert (result.action, result.rule, result.fill) == (
        Action.CANCEL,
        Reason.FOK_CANNOT_FILL,
        None,
    )


def test_fok_limit_that_cannot_trade_now_is_canceled():
    result = evaluate(order(Side.SELL, LIMIT, FOK, limit_price=D("101.00")), market(), RULES)
    assert (result.action, result.rule) == (Action.CANCEL, Reason.FOK_CANNOT_FILL)


def _opening(**fields):
    """Return a snapshot just after the open with the official opening price known."""
    fields.setdefault("as_of", OPEN + timedelta(seconds=5))
    fields.setdefault("opening_price", D("100.50"))
    return market(**fields)


def test_opg_order_waits_for_the_open():
    early = order(tif=OPG, created_at=OPEN - timedelta(hours=2))
    result = evaluate(early, market(as_of=OPEN - timedelta(minutes=1)), RULES)
    assert (result.action, result.rule) == (Action.WAIT, Reason.AWAITING_OPEN)


def test_opg_order_fills_whole_at_the_official_opening_price():
    early = order(tif=OPG, created_at=OPEN - timedelta(hours=2))
    result = evaluate(early, _opening(bar=bar(volume=D(10))), RULES)
    assert (result.action, result.rule) == (Action.FILL, FillRule.OPG_AT_OPEN)
    assert result.fill is not None
    assert (result.fill.qty, result.fill.price, result.fill.price_source) == (
        D("10.000000"),
        D("100.5000"),
        "opening_price",
    )
    assert result.complete


def test_opg_fills_at_the_opening_price_even_if_the_quote_is_stale():
    early = order(tif=OPG, created_at=OPEN - timedelta(hours=2))
    assert evaluate(early, _opening(stale=True), RULES).action is Action.FILL


def test_opg_placed_after_the_open_waits_for_the_next_open():
    late = order(tif=OPG, created_at=OPEN + timedelta(hours=1))
    result = evaluate(late, _opening(as_of=OPEN + timedelta(hours=2)), RULES)
    assert (result.action, result.rule) == (Action.WAIT, Reason.AWAITING_OPEN)


def test_opg_waits_until_the_opening_price_is_known():
    early = order(tif=OPG, created_at=OPEN - timedelta(hours=2))
    result = evaluate(early, _opening(opening_price=None), RULES)
    assert (result.action, result.rule) == (Action.WAIT, Reason.AUCTION_PRICE_UNKNOWN)


def test_opg_limit_the_open_does_not_reach_is_canceled():
    early = order(
        Side.BUY, LIMIT, OPG, limit_price=D("100.00"), created_at=OPEN - timedelta(hours=2)
    )
    result = evaluate(early, _opening(), RULES)
    assert (result.action, result.rule) == (Action.CANCEL, Reason.AUCTION_LIMIT_NOT_REACHED)


def test_opg_limit_fills_at_the_open_when_the_open_is_better():
    early = order(
        Side.BUY, LIMIT, OPG, limit_price=D("101.00"), created_at=OPEN - timedelta(hours=2)
    )
    result = evaluate(early, _opening(), RULES)
    assert result.fill is not None
    assert result.fill.price == D("100.5000")


def test_cls_order_waits_for_the_close():
    result = evaluate(order(tif=CLS), market(), RULES)
    assert (result.action, result.rule) == (Action.WAIT, Reason.AWAITING_CLOSE)


def test_cls_order_fills_at_the_official_closing_price():
    after_close = market(as_of=CLOSE + timedelta(minutes=1), closing_price=D("99.25"), stale=True)
    result = evaluate(order(Side.SELL, tif=CLS), after_close, RULES)
    assert (result.action, result.rule) == (Action.FILL, FillRule.CLS_AT_CLOSE)
    assert result.fill is not None
    assert result.fill.price == D("99.2500")


def test_auction_order_without_a_session_is_canceled():
    result = evaluate(order(tif=OPG), moved(market(), session=None), RULES)
    assert (result.action, result.rule) == (Action.CANCEL, Reason.NO_AUCTION_SESSION)
