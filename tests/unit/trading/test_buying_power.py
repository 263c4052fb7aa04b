"""Cash accounts: open buys reserve their worst-case cost plus commission."""

from __future__ import annotations

from decimal import Decimal as D

from invsim.trading.engine.buying_power import cash_buying_power, reservation
from invsim.trading.engine.costs import CommissionModel
from invsim.trading.engine.rules import TradingRules
from invsim.trading.engine.state import OrderType, Side

from .builders import order

ASK = D("100.00")
FEE = TradingRules(commission=CommissionModel.per_trade(D("1.00")))


def test_limit_buy_reserves_quantity_times_limit_plus_commission():
    assert reservation(order(type=OrderType.LIMIT, limit_price=D("50.00")), ASK, FEE) == D("501.00")


def test_market_buy_reserves_the_ask_plus_a_five_percent_buffer_plus_commission():
    assert reservation(order(), ASK, FEE) == D("1051.00")


def test_market_buy_buffer_is_configurable():
    rules = TradingRules(market_buy_buffer=D("0.10"))
    assert reservation(order(), ASK, rules) == D("1100.00")


def test_stop_buy_reserves_at_the_higher_of_stop_and_ask():
    spec = order(type=OrderType.STOP, stop_price=D("110.00"))
    assert reservation(spec, ASK, TradingRules()) == D("1155.00")


def test_stop_limit_buy_reserves_at_its_limit():
    spec = order(type=OrderType.STOP_LIMIT, stop_price=D("110.00"), limit_price=D("111.00"))
    assert reservation(spec, ASK, TradingRules()) == D("1110.00")


def test_notional_buy_reserves_its_notional_plus_estimated_commission():
    rules = TradingRules(commission=CommissionModel.per_share(D("0.01"), minimum=D("1.00")))
    assert reservation(order(notional=D("1000.00")), ASK, rules) == D("1001.00")


def test_partially_filled_buy_reserves_only_what_remains():
    spec = order(
        type=OrderType.LIMIT, limit_price=D("50.00"), filled_qty=D(4), filled_notional=D("200.00")
    )
    assert reservation(spec, ASK, FEE) == D(
        "300.00"
    )  # the per-trade fee was paid by the first fill


def test_sell_reserves_no_cash():
    assert (
        reservation(order(Side.SELL), ASK, FEE)
        == D("0.00")
        == reservation(order(Side.SELL), ASK, FEE)
    )


def test_cash_buying_power_is_cash_less_open_reservations():
    assert cash_buying_power(D("10000.00"), [D("501.00"), D("1051.00")]) == D("8448.00")


def test_cash_buying_power_is_never_negative():
    assert cash_buying_power(D("100.00"), [D("501.00")]) == D("0.00")
