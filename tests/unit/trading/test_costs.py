"""Commission models (with minimums, charged per order) and adverse slippage."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from invsim.trading.engine.costs import (
    CommissionModel,
    commission,
    commission_for,
    fill_commission,
    slippage_price,
)
from invsim.trading.engine.state import Side


def test_no_commission_model_charges_nothing():
    assert commission(CommissionModel.none(), D(100), D("50.00")) == D("0.00")


def test_per_trade_commission_is_flat_whatever_the_size():
    model = CommissionModel.per_trade(D("4.95"))
    assert commission(model, D(1), D("10.00")) == D("4.95")
    assert commission(model, D(5000), D("10.00")) == D("4.95")


def test_per_share_commission_charges_rate_times_shares():
    model = CommissionModel.per_share(D("0.005"), minimum=D("1.00"))
    assert commission(model, D(1000), D("20.00")) == D("5.00")


def test_per_share_commission_charges_the_minimum_on_small_orders():
    model = CommissionModel.per_share(D("0.005"), minimum=D("1.00"))
    assert commission(model, D(10), D("20.00")) == D("1.00")


def test_percent_commission_takes_a_percentage_of_traded_value():
    model = CommissionModel.percent(D("0.1"), minimum=D("1.00"))
    assert commission(model, D(100), D("123.4567")) == D("12.35")  # 0.1 % of 12,345.67


def test_percent_commission_charges_the_minimum_on_small_orders():
    model = CommissionModel.percent(D("0.1"), minimum=D("2.50"))
    assert commission(model, D(3), D("10.00")) == D("2.50")


def test_commission_rounds_half_even_to_the_cent():
    model = CommissionModel.per_share(D("0.005"))
    assert commission(model, D(5), D("1")) == D("0.02")  # 0.025 -> 0.02
    assert commission(model, D(7), D("1")) == D("0.04")  # 0.035 -> 0.04


def test_commission_on_nothing_traded_is_zero_even_with_a_minimum():
    assert commission_for(CommissionModel.per_trade(D("5")), D(0), D(0)) == D("0.00")


def test_per_trade_fee_is_charged_once_across_partial_fills():
    model = CommissionModel.per_trade(D("4.95"))
    first = fill_commission(model, D(0), D(0), D(3), D("300.00"))
    second = fill_commission(model, D(3), D("300.00"), D(7), D("700.00"))
    assert (first, second) == (D("4.95"), D("0.00"))


def test_fill_commissions_add_up_to_the_order_total():
    model = CommissionModel.per_share(D("0.005"), minimum=D("1.00"))
    fills = [(D(150), D("1500.00")), (D(150), D("1500.00")), (D(100), D("1000.00"))]
    charged, qty, gross = D(0), D(0), D(0)
    for fill_qty, fill_gross in fills:
        charged += fill_commission(model, qty, gross, fill_qty, fill_gross)
        qty, gross = qty + fill_qty, gross + fill_gross
    assert charged == commission_for(model, D(400), D("4000.00")) == D("2.00")


@pytest.mark.parametrize(
    ("side", "quote", "expected"),
    [(Side.BUY, "100.00", "100.1000"), (Side.SELL, "100.00", "99.9000")],
)
def test_slippage_moves_price_against_the_trader(side, quote, expected):
    assert slippage_price(side, D(quote), D(10)) == D(expected)


def test_zero_slippage_only_rounds_the_quote_to_its_tick():
    assert slippage_price(Side.BUY, D("12.34567"), D(0)) == D("12.3457")


def test_slippage_keeps_six_decimals_below_one_dollar():
    assert slippage_price(Side.BUY, D("0.5"), D(3)) == D("0.500150")
