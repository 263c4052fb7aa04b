"""The volume cap splits large orders over bars; notional orders convert to shares at the fill."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from invsim.trading.engine.costs import CommissionModel
from invsim.trading.engine.matcher import VOLUME_CAP_PARTIAL, Action, Reason, evaluate
from invsim.trading.engine.rules import TradingRules
from invsim.trading.engine.state import Side

from .builders import bar, market, order

RULES = TradingRules()


def test_order_takes_at_most_ten_percent_of_the_bar_volume():
    result = evaluate(order(qty=D(10)), market(bar=bar(volume=D(50))), RULES)
    assert result.fill is not None
    assert (result.fill.qty, result.fill.volume_capped, result.complete) == (
        D("5.000000"),
        True,
        False,
    )
    assert result.fill.applied_rules == ("market_at_ask", VOLUME_CAP_PARTIAL)


def test_order_that_used_up_its_share_of_the_bar_waits_for_more_volume():
    spent = order(qty=D(10), filled_qty=D(5), filled_notional=D("500.05"), filled_qty_this_bar=D(5))
    result = evaluate(spent, market(bar=bar(volume=D(50))), RULES)
    assert (result.action, result.rule) == (Action.WAIT, Reason.NO_VOLUME)


def test_order_takes_more_as_the_bar_volume_grows():
    spent = order(qty=D(10), filled_qty=D(5), filled_notional=D("500.05"), filled_qty_this_bar=D(5))
    result = evaluate(spent, market(bar=bar(volume=D(80))), RULES)
    assert result.fill is not None
    assert result.fill.qty == D("3.000000")


def test_partial_fills_over_several_bars_add_up_to_the_order():
    spec = order(qty=D(25))
    fills = []
    while True:
        result = evaluate(spec, market(bar=bar(volume=D(100))), RULES)
        assert result.fill is not None
        fills.append(result.fill.qty)
        if result.complete:
            break
        spec = order(
            qty=D(25),
            filled_qty=spec.filled_qty + result.fill.qty,
            filled_notional=spec.filled_notional + result.fill.gross,
        )  # a new bar: nothing filled in it yet
    assert fills == [D(10), D(10), D(5)]


def test_whole_share_portfolio_floors_the_cap_to_whole_shares():
    rules = TradingRules(fractional=False)
    result = evaluate(order(qty=D(10)), market(bar=bar(volume=D(59))), rules)
    assert result.fill is not None
    assert result.fill.qty == D("5.000000")


def test_fractional_portfolio_takes_a_fractional_share_of_the_cap():
    result = evaluate(order(qty=D(10)), market(bar=bar(volume=D(59))), RULES)
    assert result.fill is not None
    assert result.fill.qty == D("5.900000")


def test_without_a_bar_no_volume_cap_applies():
    result = evaluate(order(qty=D(1_000_000)), market(bar=None), RULES)
    assert result.complete


def test_cap_can_be_switched_off():
    result = evaluate(
        order(qty=D(10)), market(bar=bar(volume=D(1))), TradingRules(max_volume_share=None)
    )
    assert result.complete


def test_zero_volume_bar_makes_the_order_wait():
    result = evaluate(order(), market(bar=bar(volume=D(0))), RULES)
    assert (result.action, result.rule) == (Action.WAIT, Reason.NO_VOLUME)


def test_notional_buy_converts_to_fractional_shares_at_the_fill_price():
    result = evaluate(order(notional=D("1000.00")), market(), RULES)
    assert result.fill is not None
    assert (result.fill.qty, result.fill.gross) == (D("9.999000"), D("1000.00"))
    assert result.complete


def test_notional_buy_never_spends_more_than_its_notional():
    result = evaluate(order(notional=D("10.00")), market("2.99", "3.0001", "3.00"), RULES)
    assert result.fill is not None
    assert result.fill.qty == D("3.333222")
    assert result.fill.gross <= D("10.00")


def test_notional_buy_in_a_whole_share_portfolio_floors_to_whole_shares():
    result = evaluate(
        order(notional=D("1000.00")),
        market("299.99", "300.00", "300.00"),
        TradingRules(fractional=False),
    )
    assert result.fill is not None
    assert (result.fill.qty, result.fill.gross, result.complete) == (
        D("3.000000"),
        D("900.00"),
        True,
    )


def test_notional_too_small_for_one_whole_share_is_canceled():
    result = evaluate(order(notional=D("50.00")), market(), TradingRules(fractional=False))
    assert (result.action, result.rule) == (Action.CANCEL, Reason.NOTIONAL_TOO_SMALL)


def test_notional_order_resumes_with_its_remaining_cash_after_a_capped_fill():
    first = evaluate(order(notional=D("1000.00")), market(bar=bar(volume=D(50))), RULES)
    assert first.fill is not None
    assert first.fill.qty == D("5.000000")
    rest = order(notional=D("1000.00"), filled_qty=first.fill.qty, filled_notional=first.fill.gross)
    second = evaluate(rest, market(), RULES)
    assert second.fill is not None
    assert first.fill.gross + second.fill.gross <= D("1000.00")
    assert second.complete


def test_notional_sell_converts_at_the_bid():
    result = evaluate(order(Side.SELL, notional=D("500.00")), market(), RULES)
    assert result.fill is not None
    assert result.fill.qty == D("5.000500")  # 500 / 99.99 floored to 1e-6


def test_per_trade_commission_is_charged_on_the_first_partial_fill_only():
    rules = TradingRules(commission=CommissionModel.per_trade(D("5.00")))
    first = evaluate(order(qty=D(10)), market(bar=bar(volume=D(50))), rules)
    assert first.fill is not None
    rest = order(qty=D(10), filled_qty=first.fill.qty, filled_notional=first.fill.gross)
    second = evaluate(rest, market(), rules)
    assert second.fill is not None
    assert (first.fill.commission, second.fill.commission) == (D("5.00"), D("0.00"))


def test_a_thin_forming_bar_does_not_split_an_order_small_against_a_typical_minute():
    # 200 shares against a bar 5 s old (500 traded) in a session trading 36,000 a minute.
    thin = market(bar=bar(volume=D(500)), minute_volume=D(36_000))
    result = evaluate(order(qty=D(200)), thin, RULES)
    assert result.fill is not None
    assert (result.fill.qty, result.fill.volume_capped, result.complete) == (D(200), False, True)


def test_the_cap_is_a_share_of_the_bar_or_of_a_typical_minute_whichever_is_larger():
    capped = evaluate(order(qty=D(10_000)), market(bar=bar(volume=D(500)),
                                                  minute_volume=D(36_000)), RULES)
    assert capped.fill is not None
    assert (capped.fill.qty, capped.fill.volume_capped) == (D("3600.000000"), True)
    busy = evaluate(order(qty=D(10_000)), market(bar=bar(volume=D(50_000)),
                                                minute_volume=D(36_000)), RULES)
    assert busy.fill is not None and busy.fill.qty == D("5000.000000")
    spent = order(qty=D(10_000), filled_qty=D(3600), filled_notional=D("360036"),
                  filled_qty_this_bar=D(3600))
    waiting = evaluate(spent, market(bar=bar(volume=D(600)), minute_volume=D(36_000)), RULES)
    assert (waiting.action, waiting.rule) == (Action.WAIT, Reason.NO_VOLUME)


def test_a_negative_minute_volume_is_refused():
    with pytest.raises(ValueError):
        market(minute_volume=D(-1))
