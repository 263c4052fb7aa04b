"""The pure matching engine: decide whether one order trades against one market snapshot.

`evaluate` takes plain values and returns a `MatchResult`; it never touches a
database, the clock or the network, so the same inputs always give the same
answer and any worker may run it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from invsim.core.money import money, price, quantity
from invsim.trading import rejections
from invsim.trading.costs import fill_commission, slippage_price
from invsim.trading.rules import TradingRules
from invsim.trading.sizing import FillSize, lot_step, size_fill, wanted_qty
from invsim.trading.snapshot import MarketSnapshot
from invsim.trading.spec import OrderSpec
from invsim.trading.state import OrderType, Side, TimeInForce
from invsim.trading.triggers import Trigger, check_trigger, has_stop

VOLUME_CAP_PARTIAL = "volume_cap_partial"


class Action(StrEnum):
    """What the service must do with the order after an evaluation."""

    FILL = "fill"
    WAIT = "wait"
    CANCEL = "cancel"
    REJECT = "reject"


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


class Reason(StrEnum):
    """Why an order waits or is canceled instead of filling."""

    STALE_PRICE = rejections.STALE_PRICE
    MARKET_CLOSED = rejections.MARKET_CLOSED
    STOP_NOT_TRIGGERED = "stop_not_triggered"
    LIMIT_NOT_REACHED = "limit_not_reached"
    NO_VOLUME = "no_volume"
    AWAITING_OPEN = "awaiting_open"
    AWAITING_CLOSE = "awaiting_close"
    AUCTION_PRICE_UNKNOWN = "auction_price_unknown"
    IOC_NOT_FILLED = "ioc_not_filled"
    FOK_CANNOT_FILL = "fok_cannot_fill"
    AUCTION_LIMIT_NOT_REACHED = "auction_limit_not_reached"
    NO_AUCTION_SESSION = "no_auction_session"
    NOTIONAL_TOO_SMALL = "notional_too_small"


@dataclass(frozen=True, slots=True)
class Fill:
    """One execution: what traded, at what price, from which source, when and by which rule."""

    side: Side
    qty: Decimal
    price: Decimal
    gross: Decimal
    commission: Decimal
    rule: FillRule
    price_source: str
    at: datetime
    volume_capped: bool = False

    @property
    def net_cash(self) -> Decimal:
        """Return the cash this fill moves: negative for a buy, positive for a sell."""
        if self.side is Side.BUY:
            return -(self.gross + self.commission)
        return self.gross - self.commission

    @property
    def applied_rules(self) -> tuple[str, ...]:
        """Return the price rule, plus `volume_cap_partial` when the cap cut the fill."""
        return (self.rule, VOLUME_CAP_PARTIAL) if self.volume_capped else (self.rule,)


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The outcome of one evaluation, and the stop state the service must persist.

    `rule` is the FillRule for a fill, the Reason for a wait or cancel, and the
    rejection code for a reject. `complete` says the fill finished the order;
    `cancel_remainder` says the rest of a partially filled order must be canceled.
    """

    action: Action
    rule: str
    stop_triggered: bool
    stop_price: Decimal | None
    water_mark: Decimal | None
    fill: Fill | None = None
    complete: bool = False
    cancel_remainder: bool = False


@dataclass(frozen=True, slots=True)
class _Priced:
    """A candidate execution price with where it came from."""

    price: Decimal
    source: str
    rule: FillRule


_IMMEDIATE = frozenset({TimeInForce.IOC, TimeInForce.FOK})
_AUCTION = frozenset({TimeInForce.OPG, TimeInForce.CLS})


def evaluate(order: OrderSpec, market: MarketSnapshot, rules: TradingRules) -> MatchResult:
    """Decide whether `order` trades now against `market`, and how."""
    if order.time_in_force in _AUCTION:
        return _evaluate_auction(order, market, rules)
    unchanged = _unchanged(order)
    if market.stale:
        return _unavailable(order, Reason.STALE_PRICE, unchanged)
    if not market.in_session:
        return _unavailable(order, Reason.MARKET_CLOSED, unchanged)
    trigger = check_trigger(order, market.last)
    if has_stop(order) and not trigger.triggered:
        return _result(Action.WAIT, Reason.STOP_NOT_TRIGGERED, trigger)
    priced = _continuous_price(order, market, rules)
    if priced is None:
        return _not_filled(order, Reason.LIMIT_NOT_REACHED, trigger)
    return _fill_continuous(order, market, rules, trigger, priced)


def _fill_continuous(
    order: OrderSpec,
    market: MarketSnapshot,
    rules: TradingRules,
    trigger: Trigger,
    priced: _Priced,
) -> MatchResult:
    """Size a continuous-trading fill under the volume cap and time in force."""
    size = size_fill(order, priced.price, market.bar, rules.max_volume_share, rules.fractional)
    if size.wanted <= 0:
        return _result(Action.CANCEL, Reason.NOTIONAL_TOO_SMALL, trigger)
    if size.qty <= 0:
        return _not_filled(order, Reason.NO_VOLUME, trigger)
    if order.time_in_force is TimeInForce.FOK and size.volume_capped:
        return _result(Action.CANCEL, Reason.FOK_CANNOT_FILL, trigger)
    fill = _make_fill(order, rules, priced, size, market.as_of)
    return MatchResult(
        Action.FILL,
        priced.rule,
        trigger.triggered,
        trigger.stop_price,
        trigger.water_mark,
        fill=fill,
        complete=not size.volume_capped,
        cancel_remainder=order.time_in_force is TimeInForce.IOC and size.volume_capped,
    )


def _continuous_price(
    order: OrderSpec, market: MarketSnapshot, rules: TradingRules
) -> _Priced | None:
    """Price an order that is live in continuous trading; None if its limit is not reached."""
    if order.type in (OrderType.LIMIT, OrderType.STOP_LIMIT):
        return _limit_price(order, market, rules)
    buying = order.side is Side.BUY
    quote, source = (market.ask, "ask") if buying else (market.bid, "bid")
    executed = slippage_price(order.side, quote, rules.slippage_bps)
    return _Priced(executed, source, _market_rule(order.type, buying))


def _market_rule(order_type: OrderType, buying: bool) -> FillRule:
    """Name the rule for an order that executes at the quote like a market order."""
    if order_type is OrderType.STOP:
        return FillRule.STOP_TRIGGERED
    if order_type is OrderType.TRAILING_STOP:
        return FillRule.TRAILING_STOP_TRIGGERED
    return FillRule.MARKET_AT_ASK if buying else FillRule.MARKET_AT_BID


def _limit_price(order: OrderSpec, market: MarketSnapshot, rules: TradingRules) -> _Priced | None:
    """Price a limit (or fired stop-limit): gap fills at the open, else the quote if it crosses."""
    limit = order.limit_price
    assert limit is not None  # OrderSpec guarantees a limit for these types
    bps = rules.slippage_bps
    if _gapped_through(order, market, limit):
        assert market.bar is not None
        opened = slippage_price(order.side, market.bar.open, bps)
        return _Priced(
            _no_worse_than(order.side, opened, limit), "bar_open", FillRule.LIMIT_GAP_OPEN
        )
    buying = order.side is Side.BUY
    quote, source = (market.ask, "ask") if buying else (market.bid, "bid")
    if not _crosses(order.side, quote, limit):
        return None
    rule = FillRule.LIMIT_AT_ASK if buying else FillRule.LIMIT_AT_BID
    if order.type is OrderType.STOP_LIMIT:
        rule = FillRule.STOP_LIMIT_TRIGGERED
    executed = _no_worse_than(order.side, slippage_price(order.side, quote, bps), limit)
    return _Priced(executed, source, rule)


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


def _evaluate_auction(order: OrderSpec, market: MarketSnapshot, rules: TradingRules) -> MatchResult:
    """Fill an opg/cls order at the official auction price once that price exists."""
    unchanged = _unchanged(order)
    if market.session is None:
        return _result(Action.CANCEL, Reason.NO_AUCTION_SESSION, unchanged)
    opening = order.time_in_force is TimeInForce.OPG
    auction_at = market.session.open_at if opening else market.session.close_at
    if market.as_of < auction_at or order.created_at >= auction_at:
        # Before the auction, or placed after it: the order waits for the next one.
        return _result(
            Action.WAIT, Reason.AWAITING_OPEN if opening else Reason.AWAITING_CLOSE, unchanged
        )
    auction_price = market.opening_price if opening else market.closing_price
    if auction_price is None:
        return _result(Action.WAIT, Reason.AUCTION_PRICE_UNKNOWN, unchanged)
    if order.limit_price is not None and not _crosses(order.side, auction_price, order.limit_price):
        return _result(Action.CANCEL, Reason.AUCTION_LIMIT_NOT_REACHED, unchanged)
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
    priced = _Priced(price(auction_price), "opening_price" if opening else "closing_price", rule)
    wanted = wanted_qty(order, priced.price, lot_step(rules.fractional))
    unchanged = _unchanged(order)
    if wanted <= 0:
        return _result(Action.CANCEL, Reason.NOTIONAL_TOO_SMALL, unchanged)
    size = FillSize(qty=wanted, wanted=wanted, volume_capped=False)
    fill = _make_fill(order, rules, priced, size, market.as_of)
    return MatchResult(
        Action.FILL, rule, False, order.stop_price, order.water_mark, fill=fill, complete=True
    )


def _make_fill(
    order: OrderSpec, rules: TradingRules, priced: _Priced, size: FillSize, at: datetime
) -> Fill:
    """Build the fill record, charging this fill's share of the order's commission."""
    gross = money(size.qty * priced.price)
    fee = fill_commission(
        rules.commission, order.filled_qty, order.filled_notional, size.qty, gross
    )
    return Fill(
        side=order.side,
        qty=quantity(size.qty),
        price=priced.price,
        gross=gross,
        commission=fee,
        rule=priced.rule,
        price_source=priced.source,
        at=at,
        volume_capped=size.volume_capped,
    )


def _crosses(side: Side, quote: Decimal, limit: Decimal) -> bool:
    """Say whether a quote is at or better than the limit (buy: at or below; sell: at or above)."""
    return quote <= limit if side is Side.BUY else quote >= limit


def _no_worse_than(side: Side, candidate: Decimal, limit: Decimal) -> Decimal:
    """Clamp an execution price so a limit order never trades worse than its limit."""
    return min(candidate, limit) if side is Side.BUY else max(candidate, limit)


def _unchanged(order: OrderSpec) -> Trigger:
    """Return the order's stop state as it was (no price was trusted this time)."""
    return Trigger(order.stop_triggered, order.stop_price, order.water_mark)


def _unavailable(order: OrderSpec, reason: Reason, trigger: Trigger) -> MatchResult:
    """Reject an immediate order on unusable prices; every other order waits."""
    if order.time_in_force in _IMMEDIATE:
        return _result(Action.REJECT, reason, trigger)
    return _result(Action.WAIT, reason, trigger)


def _not_filled(order: OrderSpec, reason: Reason, trigger: Trigger) -> MatchResult:
    """Cancel an immediate order that cannot trade now; every other order waits."""
    if order.time_in_force is TimeInForce.IOC:
        return _result(Action.CANCEL, Reason.IOC_NOT_FILLED, trigger)
    if order.time_in_force is TimeInForce.FOK:
        return _result(Action.CANCEL, Reason.FOK_CANNOT_FILL, trigger)
    return _result(Action.WAIT, reason, trigger)


def _result(action: Action, rule: str, trigger: Trigger) -> MatchResult:
    """Build a result without a fill, carrying the stop state forward."""
    return MatchResult(action, rule, trigger.triggered, trigger.stop_price, trigger.water_mark)
