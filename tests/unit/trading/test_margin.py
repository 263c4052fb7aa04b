"""Margin accounts: equity with shorts, 2x buying power, maintenance, and liquidation order."""

from __future__ import annotations

from decimal import Decimal as D

from invsim.trading.engine.margin import (
    Exposure,
    Holding,
    Liquidation,
    equity,
    exposure,
    is_margin_call,
    liquidation_plan,
    maintenance_requirement,
    margin_buying_power,
)
from invsim.trading.engine.state import Side

PRICES = {"AAA": D("50.00"), "BBB": D("40.00"), "CCC": D("60.00"), "DDD": D("25.00")}
BOOK = [Holding("AAA", D(100)), Holding("BBB", D(200)), Holding("CCC", D(-50))]


def test_exposure_splits_long_and_short_market_value():
    assert exposure(BOOK, PRICES) == Exposure(D("13000.00"), D("3000.00"))


def test_equity_is_cash_plus_longs_minus_shorts():
    assert equity(D("-9000.00"), Exposure(D("13000.00"), D("3000.00"))) == D("1000.00")


def test_short_sale_proceeds_leave_equity_unchanged():
    before = equity(D("10000.00"), Exposure(D(0), D(0)))
    after = equity(D("13000.00"), exposure([Holding("CCC", D(-50))], PRICES))  # sold 50 @ 60
    assert before == after == D("10000.00")


def test_maintenance_is_a_quarter_of_longs_and_thirty_percent_of_shorts():
    assert maintenance_requirement(Exposure(D("10000.00"), D("5000.00"))) == D("4000.00")


def test_margin_buying_power_is_twice_equity_without_positions():
    assert margin_buying_power(D("10000.00"), Exposure(D(0), D(0))) == D("20000.00")


def test_margin_buying_power_subtracts_exposure_and_reservations():
    book = Exposure(D("10000.00"), D("5000.00"))
    assert margin_buying_power(D("15000.00"), book) == D("15000.00")
    assert margin_buying_power(D("15000.00"), book, reserved=D("2000.00")) == D("13000.00")


def test_margin_buying_power_is_never_negative():
    assert margin_buying_power(D("1000.00"), Exposure(D("13000.00"), D(0))) == D("0.00")


def test_margin_call_when_equity_falls_below_maintenance():
    book = Exposure(D("13000.00"), D("3000.00"))
    assert is_margin_call(D("1000.00"), book)
    assert not is_margin_call(D("4150.00"), book)


def test_liquidation_closes_largest_positions_first_until_maintenance_is_met():
    plan = liquidation_plan(BOOK, PRICES, D("1000.00"))
    assert plan == [
        Liquidation("BBB", Side.SELL, D(200), D("8000.00")),
        Liquidation("AAA", Side.SELL, D(100), D("5000.00")),
    ]


def test_liquidation_buys_back_a_short_when_it_is_the_largest():
    book = [Holding("CCC", D(-200)), Holding("AAA", D(10))]
    plan = liquidation_plan(book, PRICES, D("3000.00"))
    assert plan == [Liquidation("CCC", Side.BUY, D(200), D("12000.00"))]


def test_liquidation_plan_is_empty_when_maintenance_is_met():
    assert liquidation_plan(BOOK, PRICES, D("5000.00")) == []


def test_liquidation_closes_everything_when_equity_is_negative():
    plan = liquidation_plan(BOOK, PRICES, D("-10.00"))
    assert [step.symbol for step in plan] == ["BBB", "AAA", "CCC"]


def test_liquidation_breaks_ties_by_symbol():
    book = [Holding("DDD", D(200)), Holding("AAA", D(100))]  # both worth 5,000
    plan = liquidation_plan(book, PRICES, D("-1.00"))
    assert [step.symbol for step in plan] == ["AAA", "DDD"]
