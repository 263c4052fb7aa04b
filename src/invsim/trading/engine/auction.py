"""Opening and closing auctions: opg/cls orders fill whole at the official auction price."""

from __future__ import annotations

from decimal import Decimal

from invsim.core.money import price
from invsim.trading.engine.outcome import Action, MatchResult, Reason, make_fill, no_fill, unchanged
from invsim.trading.engine.pricing import FillRule, Priced, crosses
from invsim.trading.engine.rules import TradingRules
from invsim.trading.engine.sizing import FillSize, lot_step, wanted_qty
from invsim.trading.engine.snapshot import MarketSnapshot
from invsim.trading.engine.spec import OrderSpec
from invsim.trading.engine.state import TimeInForce


def evaluate_auction(order: OrderSpec, market: MarketSnapshot, rules: TradingRules) -> MatchResult:
    """Fill an opg/cls order at the official auction price once that price exists."""
    kept = unchanged(order)
    if market.session is None:
        return no_fill(Action.CANCEL, Reason.NO_AUCTION_SESSION, kept)
    opening = order.time_in_force is TimeInForce.OPG
    auction_at = market.session.open_at if opening else market.session.close_at
    if market.as_of < auction_at or order.created_at >= auction_at:
        # Before the auction, or placed after it: the order waits for the next one.
        return no_fill(
            Action.WAIT, Reason.AWAITING_OPEN if opening else Reason.AWAITING_CLOSE, kept
        )
    auction_price = market.opening_price if opening else market.closing_price
    if auction_price is None:
        return no_fill(Action.WAIT, Reason.AUCTION_PRICE_UNKNOWN, kept)
    if order.limit_price is not None and not crosses(order.side, auction_price, order.limit_price):
        return no_fill(Action.CANCEL, Reason.AUCTION_LIMIT_NOT_REACHED, kept)
    return _fill_auction(order, market, rules, auction_price, opening)


def _fill_auction(
    order: OrderSpec,
    market: MarketSnapshot,
    rules: TradingRules,
    auction_price: Decimal,
    opening: bool,
) -> MatchResult:
    """Fill the whole remaining order at the auction price (an auction crosses at one price)."""
    rule = FillRule.OPG_AT_OPEN if opening else FillRule.CLS_AT_CLOSE
    priced = Priced(price(auction_price), "opening_price" if opening else "closing_price", rule)
    wanted = wanted_qty(order, priced.price, lot_step(rules.fractional))
    kept = unchanged(order)
    if wanted <= 0:
        return no_fill(Action.CANCEL, Reason.NOTIONAL_TOO_SMALL, kept)
    size = FillSize(qty=wanted, wanted=wanted, volume_capped=False)
    fill = make_fill(order, rules, priced, size, market.as_of)
    return MatchResult(
        Action.FILL, rule, False, order.stop_price, order.water_mark, fill=fill, complete=True
    )
