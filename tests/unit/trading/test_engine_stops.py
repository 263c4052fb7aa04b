"""Stops fire on the last trade; stop-limits become limits; trailing stops follow the price."""

from __future__ import annotations

from decimal import Decimal as D

from invsim.trading.engine.matcher import Action, FillRule, Reason, evaluate
from invsim.trading.engine.rules import TradingRules
from invsim.trading.engine.state import OrderType, Side
from invsim.trading.engine.triggers import initial_trailing_stop

from .builders import bar, market, order

RULES = TradingRules()
STOP, STOP_LIMIT, TRAILING = OrderType.STOP, OrderType.STOP_LIMIT, OrderType.TRAILING_STOP


def test_stop_buy_waits_while_last_is_below_the_stop():
    result = evaluate(order(Side.BUY, STOP, stop_price=D("105.00")), market(), RULES)
    assert (result.action, result.rule) == (Action.WAIT, Reason.STOP_NOT_TRIGGERED)
    assert result.stop_triggered is False


def test_stop_buy_becomes_market_when_last_reaches_the_stop():
    rising = market("104.99", "105.01", "105.00")
    result = evaluate(order(Side.BUY, STOP, stop_price=D("105.00")), rising, RULES)
    assert (result.action, result.rule) == (Action.FILL, FillRule.STOP_TRIGGERED)
    assert result.stop_triggered is True
    assert result.fill is not None
    assert result.fill.price == D("105.0100")


def test_stop_sell_becomes_market_when_last_falls_to_the_stop():
    falling = market("94.99", "95.01", "94.90")
    result = evaluate(order(Side.SELL, STOP, stop_price=D("95.00")), falling, RULES)
    assert result.rule == FillRule.STOP_TRIGGERED
    assert result.fill is not None
    assert result.fill.price == D("94.9900")


def test_stop_sell_waits_while_last_is_above_the_stop():
    result = evaluate(order(Side.SELL, STOP, stop_price=D("95.00")), market(), RULES)
    assert result.action is Action.WAIT


def test_triggered_stop_keeps_trading_as_market_after_the_price_moves_back():
    fired = order(
        Side.BUY,
        STOP,
        stop_price=D("105.00"),
        stop_triggered=True,
        filled_qty=D(5),
        filled_notional=D("525.05"),
    )
    result = evaluate(fired, market(), RULES)  # last is back at 100
    assert result.action is Action.FILL
    assert result.fill is not None
    assert result.fill.qty == D("5.000000")


def test_stop_limit_waits_with_its_trigger_recorded_when_the_ask_is_above_the_limit():
    spiking = market("106.99", "107.01", "107.00")
    spec = order(Side.BUY, STOP_LIMIT, stop_price=D("105.00"), limit_price=D("106.00"))
    result = evaluate(spec, spiking, RULES)
    assert (result.action, result.rule) == (Action.WAIT, Reason.LIMIT_NOT_REACHED)
    assert result.stop_triggered is True


def test_triggered_stop_limit_fills_as_a_limit_once_the_ask_comes_back():
    spec = order(
        Side.BUY, STOP_LIMIT, stop_price=D("105.00"), limit_price=D("106.00"), stop_triggered=True
    )
    result = evaluate(spec, market("105.49", "105.51", "105.50"), RULES)
    assert result.rule == FillRule.STOP_LIMIT_TRIGGERED
    assert result.fill is not None
    assert result.fill.price == D("105.5100")


def test_stop_limit_does_not_fill_before_its_stop_fires():
    spec = order(Side.SELL, STOP_LIMIT, stop_price=D("95.00"), limit_price=D("94.00"))
    assert evaluate(spec, market(), RULES).rule == Reason.STOP_NOT_TRIGGERED


def test_trailing_sell_starts_its_mark_at_the_last_price():
    spec = order(Side.SELL, TRAILING, trail_percent=D(5))
    result = evaluate(spec, market(), RULES)
    assert (result.action, result.water_mark, result.stop_price) == (
        Action.WAIT,
        D("100.00"),
        D("95.0000"),
    )


def test_trailing_sell_raises_its_mark_and_stop_as_the_price_rises():
    spec = order(Side.SELL, TRAILING, trail_percent=D(5), water_mark=D("100.00"))
    result = evaluate(spec, market("109.99", "110.01", "110.00"), RULES)
    assert (result.water_mark, result.stop_price) == (D("110.00"), D("104.5000"))
    assert result.action is Action.WAIT


def test_trailing_sell_keeps_its_mark_when_the_price_dips_less_than_the_trail():
    spec = order(Side.SELL, TRAILING, trail_percent=D(5), water_mark=D("110.00"))
    result = evaluate(spec, market("105.99", "106.01", "106.00"), RULES)
    assert (result.action, result.water_mark, result.stop_price) == (
        Action.WAIT,
        D("110.00"),
        D("104.5000"),
    )


def test_trailing_sell_fires_when_the_price_falls_through_its_stop():
    spec = order(Side.SELL, TRAILING, trail_percent=D(5), water_mark=D("110.00"))
    result = evaluate(spec, market("103.99", "104.01", "104.00"), RULES)
    assert (result.action, result.rule) == (Action.FILL, FillRule.TRAILING_STOP_TRIGGERED)
    assert result.stop_triggered is True
    assert result.fill is not None
    assert result.fill.price == D("103.9900")


def test_trailing_sell_with_a_price_trail_keeps_a_fixed_distance():
    spec = order(Side.SELL, TRAILING, trail_price=D("2.50"), water_mark=D("100.00"))
    result = evaluate(spec, market("101.99", "102.01", "102.00"), RULES)
    assert (result.water_mark, result.stop_price) == (D("102.00"), D("99.5000"))


def test_trailing_buy_lowers_its_mark_as_the_price_falls():
    spec = order(Side.BUY, TRAILING, trail_percent=D(5), water_mark=D("100.00"))
    result = evaluate(spec, market("89.99", "90.01", "90.00"), RULES)
    assert (result.action, result.water_mark, result.stop_price) == (
        Action.WAIT,
        D("90.00"),
        D("94.5000"),
    )


def test_trailing_buy_fires_when_the_price_rises_through_its_stop():
    spec = order(Side.BUY, TRAILING, trail_percent=D(5), water_mark=D("90.00"))
    result = evaluate(spec, market("94.49", "94.51", "94.50"), RULES)
    assert result.rule == FillRule.TRAILING_STOP_TRIGGERED
    assert result.fill is not None
    assert result.fill.price == D("94.5100")


def test_fired_trailing_stop_no_longer_moves_its_mark():
    spec = order(
        Side.SELL,
        TRAILING,
        trail_percent=D(5),
        water_mark=D("110.00"),
        stop_price=D("104.5000"),
        stop_triggered=True,
        filled_qty=D(5),
        filled_notional=D("519.95"),
    )
    result = evaluate(spec, market("119.99", "120.01", "120.00"), RULES)
    assert (result.water_mark, result.stop_price) == (D("110.00"), D("104.5000"))
    assert result.action is Action.FILL


def test_trailing_stop_partially_filled_under_the_volume_cap_stays_triggered():
    thin = market("103.99", "104.01", "104.00", bar=bar(volume=D(40)))
    spec = order(Side.SELL, TRAILING, trail_percent=D(5), water_mark=D("110.00"))
    result = evaluate(spec, thin, RULES)
    assert result.fill is not None
    assert (result.fill.qty, result.stop_triggered, result.complete) == (D("4.000000"), True, False)


def test_initial_trailing_stop_places_the_stop_one_trail_from_the_last_price():
    start = initial_trailing_stop(Side.BUY, D("50.00"), None, D("1.25"))
    assert (start.water_mark, start.stop_price, start.triggered) == (
        D("50.00"),
        D("51.2500"),
        False,
    )
