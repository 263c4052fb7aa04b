"""Pre-trade checks return one rejection code from the one list, or None."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from invsim.core.errors import OrderRejected
from invsim.trading.engine import rejections
from invsim.trading.engine.checks import (
    check_buying_power,
    check_fractional,
    check_min_price,
    check_position_limit,
    check_sell_position,
    first_rejection,
    opening_qty,
)
from invsim.trading.engine.rules import AccountType, TradingRules
from invsim.trading.engine.state import Side

BUY, SELL = Side.BUY, Side.SELL


def test_fractional_quantity_is_rejected_in_a_whole_share_portfolio():
    assert check_fractional(D("1.5"), fractional=False) == rejections.FRACTIONAL_NOT_ALLOWED


def test_whole_quantity_passes_in_a_whole_share_portfolio():
    assert check_fractional(D("2.000000"), fractional=False) is None


def test_fractional_quantity_passes_when_allowed():
    assert check_fractional(D("0.25"), fractional=True) is None


def test_opening_a_position_below_the_minimum_price_is_rejected():
    assert check_min_price(D("0.99"), D("1.00"), opening=True) == rejections.BELOW_MIN_PRICE


def test_closing_a_position_below_the_minimum_price_is_allowed():
    assert check_min_price(D("0.99"), D("1.00"), opening=False) is None


def test_order_needing_more_than_buying_power_is_rejected():
    assert check_buying_power(D("1000.01"), D("1000.00")) == rejections.INSUFFICIENT_BUYING_POWER
    assert check_buying_power(D("1000.00"), D("1000.00")) is None


def test_selling_shares_held_passes():
    assert check_sell_position(SELL, D(8), D(10), D(0), shorting_allowed=False) is None


def test_selling_more_than_held_is_insufficient_position():
    assert check_sell_position(SELL, D(12), D(10), D(0), False) == rejections.INSUFFICIENT_POSITION


def test_shares_offered_by_open_sells_cannot_be_sold_twice():
    assert check_sell_position(SELL, D(6), D(10), D(5), False) == rejections.INSUFFICIENT_POSITION


def test_selling_with_nothing_held_is_a_forbidden_short_sale():
    assert (
        check_sell_position(SELL, D(1), D(0), D(0), False) == rejections.SHORT_SELLING_NOT_ALLOWED
    )


def test_selling_beyond_the_position_passes_when_shorting_is_allowed():
    assert check_sell_position(SELL, D(15), D(10), D(0), shorting_allowed=True) is None


def test_buy_never_needs_a_position():
    assert check_sell_position(BUY, D(15), D(0), D(0), False) is None


def test_shorting_needs_a_margin_account():
    assert not TradingRules(allow_short=True).shorting_allowed
    assert TradingRules(account_type=AccountType.MARGIN, allow_short=True).shorting_allowed


def test_position_above_its_share_of_equity_is_rejected():
    code = check_position_limit(BUY, D(25), D(0), D("100.00"), D("10000.00"), D(20))
    assert code == rejections.POSITION_LIMIT_EXCEEDED


def test_position_within_its_share_of_equity_passes():
    assert check_position_limit(BUY, D(20), D(0), D("100.00"), D("10000.00"), D(20)) is None


def test_reducing_an_oversized_position_passes():
    assert check_position_limit(SELL, D(5), D(50), D("100.00"), D("10000.00"), D(20)) is None


def test_crossing_into_an_oversized_short_is_rejected():
    code = check_position_limit(SELL, D(80), D(50), D("100.00"), D("10000.00"), D(20))
    assert code == rejections.POSITION_LIMIT_EXCEEDED  # ends short 30 = 3,000 > 2,000


def test_opening_anything_without_equity_exceeds_the_position_limit():
    code = check_position_limit(BUY, D(1), D(0), D("1.00"), D("0.00"), D(20))
    assert code == rejections.POSITION_LIMIT_EXCEEDED


def test_no_position_limit_configured_passes():
    assert check_position_limit(BUY, D(10**6), D(0), D("100.00"), D("1.00"), None) is None


@pytest.mark.parametrize(
    ("side", "qty", "position", "expected"),
    [
        (BUY, 5, 0, 5),
        (BUY, 8, -5, 3),
        (BUY, 3, -5, 0),
        (SELL, 3, 10, 0),
        (SELL, 4, 2, 2),
        (SELL, 4, -2, 4),
    ],
)
def test_opening_qty_is_the_part_that_opens_or_grows_a_position(side, qty, position, expected):
    assert opening_qty(side, D(qty), D(position)) == D(expected)


def test_first_rejection_returns_the_first_failing_check():
    assert first_rejection(None, "b", "c") == "b"
    assert first_rejection(None, None) is None


def test_every_rejection_code_has_a_message_and_a_422_error():
    for code in rejections.CODES:
        error = rejections.reject(code, symbol="AAA")
        assert isinstance(error, OrderRejected)
        assert (error.status, error.code, error.details) == (422, code, {"symbol": "AAA"})
        assert error.message
