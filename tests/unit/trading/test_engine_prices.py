"""Where market and limit orders fill: the quote, never past a limit, gaps at the open."""

from __future__ import annotations

from decimal import Decimal as D

from invsim.trading.engine.costs import CommissionModel
from invsim.trading.engine.matcher import Action, FillRule, Reason, evaluate
from invsim.trading.engine.rules import TradingRules
from invsim.trading.engine.state import OrderType, Side

from .builders import BEFORE_BAR, NOW, bar, market, order

RULES = TradingRules()
LIMIT = OrderType.LIMIT


def test_market_buy_fills_at_the_ask():
    result = evaluate(order(Side.BUY), market(), RULES)
    assert result.action is Action.FILL
    assert result.rule == FillRule.MARKET_AT_ASK
    assert result.fill is not None
    assert (result.fill.qty, result.fill.price) == (D("10.000000"), D("100.0100"))
    assert (result.fill.price_source, result.fill.at) == ("ask", NOW)
    assert result.complete and not result.cancel_remainder


def test_market_sell_fills_at_the_bid():
    result = evaluate(order(Side.SELL), market(), RULES)
    assert result.rule == FillRule.MARKET_AT_BID
    assert result.fill is not None
    assert (result.fill.price, result.fill.price_source) == (D("99.9900"), "bid")


def test_market_buy_pays_adverse_slippage():
    result = evaluate(order(Side.BUY), market(), TradingRules(slippage_bps=D(10)))
    assert result.fill is not None
    assert result.fill.price == D("100.1100")  # 100.01 * 1.001 = 100.11001


def test_market_sell_receives_less_with_slippage():
    result = evaluate(order(Side.SELL), market(), TradingRules(slippage_bps=D(10)))
    assert result.fill is not None
    assert result.fill.price == D("99.8900")  # 99.99 * 0.999 = 99.89001


def test_fill_records_gross_commission_and_net_cash():
    rules = TradingRules(commission=CommissionModel.per_trade(D("1.00")))
    fill = evaluate(order(Side.BUY), market(), rules).fill
    assert fill is not None
    assert (fill.gross, fill.commission, fill.net_cash) == (D("1000.10"), D("1.00"), D("-1001.10"))


def test_sell_fill_net_cash_is_proceeds_less_commission():
    rules = TradingRules(commission=CommissionModel.per_trade(D("1.00")))
    fill = evaluate(order(Side.SELL), market(), rules).fill
    assert fill is not None
    assert fill.net_cash == D("998.90")


def test_limit_buy_fills_at_the_ask_when_it_is_below_the_limit():
    result = evaluate(order(Side.BUY, LIMIT, limit_price=D("101.00")), market(), RULES)
    assert result.rule == FillRule.LIMIT_AT_ASK
    assert result.fill is not None
    assert result.fill.price == D("100.0100")


def test_limit_buy_fills_when_the_ask_equals_the_limit():
    result = evaluate(order(Side.BUY, LIMIT, limit_price=D("100.01")), market(), RULES)
    assert result.action is Action.FILL


def test_limit_buy_waits_while_the_ask_is_above_the_limit():
    result = evaluate(order(Side.BUY, LIMIT, limit_price=D("100.00")), market(), RULES)
    assert (result.action, result.rule, result.fill) == (
        Action.WAIT,
        Reason.LIMIT_NOT_REACHED,
        None,
    )


def test_limit_sell_fills_at_the_bid_when_it_is_above_the_limit():
    result = evaluate(order(Side.SELL, LIMIT, limit_price=D("99.00")), market(), RULES)
    assert result.rule == FillRule.LIMIT_AT_BID
    assert result.fill is not None
    assert result.fill.price == D("99.9900")


def test_limit_sell_waits_while_the_bid_is_below_the_limit():
    result = evaluate(order(Side.SELL, LIMIT, limit_price=D("100.00")), market(), RULES)
    assert result.action is Action.WAIT


def test_slippage_never_pushes_a_limit_buy_above_its_limit():
    rules = TradingRules(slippage_bps=D(10))
    result = evaluate(order(Side.BUY, LIMIT, limit_price=D("100.02")), market(), rules)
    assert result.fill is not None
    assert result.fill.price == D("100.02")


def test_slippage_never_pushes_a_limit_sell_below_its_limit():
    rules = TradingRules(slippage_bps=D(10))
    result = evaluate(order(Side.SELL, LIMIT, limit_price=D("99.98")), market(), rules)
    assert result.fill is not None
    assert result.fill.price == D("99.98")


def test_limit_buy_resting_before_the_bar_fills_at_an_open_that_gapped_below_it():
    gapped = market(
        "97.49", "97.51", "97.50", bar=bar(open=D("97.00"), low=D("96.50"), close=D("97.50"))
    )
    resting = order(Side.BUY, LIMIT, limit_price=D("99.00"), created_at=BEFORE_BAR)
    result = evaluate(resting, gapped, RULES)
    assert result.rule == FillRule.LIMIT_GAP_OPEN
    assert result.fill is not None
    assert (result.fill.price, result.fill.price_source) == (D("97.0000"), "bar_open")


def test_limit_sell_resting_before_the_bar_fills_at_an_open_that_gapped_above_it():
    gapped = market(
        "102.49", "102.51", "102.50", bar=bar(open=D("103.00"), high=D("103.50"), close=D("102.50"))
    )
    resting = order(Side.SELL, LIMIT, limit_price=D("101.00"), created_at=BEFORE_BAR)
    result = evaluate(resting, gapped, RULES)
    assert result.rule == FillRule.LIMIT_GAP_OPEN
    assert result.fill is not None
    assert result.fill.price == D("103.0000")


def test_gap_fill_uses_the_open_even_after_the_price_moved_back_above_the_limit():
    gapped = market(bar=bar(open=D("97.00"), low=D("96.50")))  # ask is back at 100.01
    resting = order(Side.BUY, LIMIT, limit_price=D("99.00"), created_at=BEFORE_BAR)
    result = evaluate(resting, gapped, RULES)
    assert result.fill is not None
    assert result.fill.price == D("97.0000")


def test_limit_placed_during_the_bar_does_not_get_the_earlier_open():
    gapped = market(bar=bar(open=D("97.00"), low=D("96.50")))
    placed_later = order(Side.BUY, LIMIT, limit_price=D("99.00"))
    assert evaluate(placed_later, gapped, RULES).action is Action.WAIT


def test_gap_rule_applies_only_to_the_first_fill_of_the_bar():
    gapped = market(
        "97.49", "97.51", "97.50", bar=bar(open=D("97.00"), low=D("96.50"), close=D("97.50"))
    )
    resting = order(
        Side.BUY,
        LIMIT,
        limit_price=D("99.00"),
        created_at=BEFORE_BAR,
        filled_qty=D(4),
        filled_notional=D("388.00"),
        filled_qty_this_bar=D(4),
    )
    result = evaluate(resting, gapped, RULES)
    assert result.rule == FillRule.LIMIT_AT_ASK
    assert result.fill is not None
    assert result.fill.price == D("97.5100")
