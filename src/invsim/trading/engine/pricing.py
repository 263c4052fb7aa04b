"""Where a fill's price comes from: the quote, the bar's open on a gap, never past a limit."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from invsim.trading.engine.costs import slippage_price
from invsim.trading.engine.rules import TradingRules
from invsim.trading.engine.snapshot import MarketSnapshot
from invsim.trading.engine.spec import OrderSpec
from invsim.trading.engine.state import OrderType, Side


class FillRule(StrEnum):
    """How a fill's price was chosen; stored on every fill."""

    MARKET_AT_ASK = "market_at_ask"
    MARKET_AT_BID = "market_at_bid"
    LIMIT_AT_ASK = "limit_at_ask"
    LIMIT_AT_BID = "limit_at_bid"
    LIMIT_GAP_OPEN = "limit_gap_open"
    STOP_TRIGGERED = "stop_triggered"
    STOP_LIMIT_TRIGGERED = "stop_limit_triggered"
    TRAILING_STOP_TRIGGERED = "trailing_stop_triggered"
    OPG_AT_OPEN = "opg_at_open"
    CLS_AT_CLOSE = "cls_at_close"


@dataclass(frozen=True, slots=True)
class Priced:
    """A candidate execution price with where it came from."""

    price: Decimal
    source: str
    rule: FillRule


def crosses(side: Side, quote: Decimal, limit: Decimal) -> bool:
    """Say whether a quote is at or better than the limit (buy: at or below; sell: at or above)."""
    return quote <= limit if side is Side.BUY else quote >= limit


def no_worse_than(side: Side, candidate: Decimal, limit: Decimal) -> Decimal:
    """Clamp an execution price so a limit order never trades worse than its limit."""
    return min(candidate, limit) if side is Side.BUY else max(candidate, limit)


def continuous_price(
    order: OrderSpec, market: MarketSnapshot, rules: TradingRules
) -> Priced | None:
    """Price an order that is live in continuous trading; None if its limit is not reached."""
    if order.type in (OrderType.LIMIT, OrderType.STOP_LIMIT):
        return _limit_price(order, market, rules)
    buying = order.side is Side.BUY
    quote, source = (market.ask, "ask") if buying else (market.bid, "bid")
    executed = slippage_price(order.side, quote, rules.slippage_bps)
    return Priced(executed, source, _market_rule(order.type, buying))


def _market_rule(order_type: OrderType, buying: bool) -> FillRule:
    """Name the rule for an order that executes at the quote like a market order."""
    if order_type is OrderType.STOP:
        return FillRule.STOP_TRIGGERED
    if order_type is OrderType.TRAILING_STOP:
        return FillRule.TRAILING_STOP_TRIGGERED
    return FillRule.MARKET_AT_ASK if buying else FillRule.MARKET_AT_BID


def _limit_price(order: OrderSpec, market: MarketSnapshot, rules: TradingRules) -> Priced | None:
    """Price a limit (or fired stop-limit): gap fills at the open, else the quote if it crosses."""
    limit = order.limit_price
    assert limit is not None  # OrderSpec guarantees a limit for these types
    bps = rules.slippage_bps
    if _gapped_through(order, market, limit):
        assert market.bar is not None
        opened = slippage_price(order.side, market.bar.open, bps)
        return Priced(no_worse_than(order.side, opened, limit), "bar_open", FillRule.LIMIT_GAP_OPEN)
    buying = order.side is Side.BUY
    quote, source = (market.ask, "ask") if buying else (market.bid, "bid")
    if not crosses(order.side, quote, limit):
        return None
    rule = FillRule.LIMIT_AT_ASK if buying else FillRule.LIMIT_AT_BID
    if order.type is OrderType.STOP_LIMIT:
        rule = FillRule.STOP_LIMIT_TRIGGERED
    executed = no_worse_than(order.side, slippage_price(order.side, quote, bps), limit)
    return Priced(executed, source, rule)


def _gapped_through(order: OrderSpec, market: MarketSnapshot, limit: Decimal) -> bool:
    """Say whether a limit resting since before this bar was jumped by the bar's open.

    Only an order that existed before the bar started took part in its open, and
    only its first fill of the bar may use that one opening price.
    """
    bar = market.bar
    if order.type is not OrderType.LIMIT or bar is None:
        return False
    if order.created_at >= bar.start or order.filled_qty_this_bar > 0:
        return False
    return bar.open < limit if order.side is Side.BUY else bar.open > limit
