"""The pure matching engine: decide whether one order trades against one market snapshot.

`evaluate` takes plain values and returns a `MatchResult`; it never touches a
database, the clock or the network, so the same inputs always give the same
answer and any worker may run it.
"""

from __future__ import annotations

from invsim.trading.engine.auction import evaluate_auction
from invsim.trading.engine.outcome import (
    VOLUME_CAP_PARTIAL,
    Action,
    Fill,
    MatchResult,
    Reason,
    make_fill,
    no_fill,
    unchanged,
)
from invsim.trading.engine.pricing import FillRule, Priced, continuous_price
from invsim.trading.engine.rules import TradingRules
from invsim.trading.engine.sizing import size_fill
from invsim.trading.engine.snapshot import MarketSnapshot
from invsim.trading.engine.spec import OrderSpec
from invsim.trading.engine.state import TimeInForce
from invsim.trading.engine.triggers import Trigger, check_trigger, has_stop

# Result types live in outcome.py and pricing.py; they are re-exported so callers import
# the whole matching API from this one module.
__all__ = [
    "VOLUME_CAP_PARTIAL",
    "Action",
    "Fill",
    "FillRule",
    "MatchResult",
    "Reason",
    "evaluate",
]

_IMMEDIATE = frozenset({TimeInForce.IOC, TimeInForce.FOK})
_AUCTION = frozenset({TimeInForce.OPG, TimeInForce.CLS})


def evaluate(order: OrderSpec, market: MarketSnapshot, rules: TradingRules) -> MatchResult:
    """Decide whether `order` trades now against `market`, and how."""
    if order.time_in_force in _AUCTION:
        return evaluate_auction(order, market, rules)
    kept = unchanged(order)
    if market.stale:
        return _unavailable(order, Reason.STALE_PRICE, kept)
    if not market.in_session:
        return _unavailable(order, Reason.MARKET_CLOSED, kept)
    trigger = check_trigger(order, market.last)
    if has_stop(order) and not trigger.triggered:
        return no_fill(Action.WAIT, Reason.STOP_NOT_TRIGGERED, trigger)
    priced = continuous_price(order, market, rules)
    if priced is None:
        return _not_filled(order, Reason.LIMIT_NOT_REACHED, trigger)
    return _fill_continuous(order, market, rules, trigger, priced)


def _fill_continuous(
    order: OrderSpec,
    market: MarketSnapshot,
    rules: TradingRules,
    trigger: Trigger,
    priced: Priced,
) -> MatchResult:
    """Size a continuous-trading fill under the volume cap and time in force."""
    size = size_fill(
        order,
        priced.price,
        market.bar,
        rules.max_volume_share,
        rules.fractional,
        market.minute_volume,
    )
    if size.wanted <= 0:
        return no_fill(Action.CANCEL, Reason.NOTIONAL_TOO_SMALL, trigger)
    if size.qty <= 0:
        return _not_filled(order, Reason.NO_VOLUME, trigger)
    if order.time_in_force is TimeInForce.FOK and size.volume_capped:
        return no_fill(Action.CANCEL, Reason.FOK_CANNOT_FILL, trigger)
    fill = make_fill(order, rules, priced, size, market.as_of)
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


def _unavailable(order: OrderSpec, reason: Reason, trigger: Trigger) -> MatchResult:
    """Reject an immediate order on unusable prices; every other order waits."""
    if order.time_in_force in _IMMEDIATE:
        return no_fill(Action.REJECT, reason, trigger)
    return no_fill(Action.WAIT, reason, trigger)


def _not_filled(order: OrderSpec, reason: Reason, trigger: Trigger) -> MatchResult:
    """Cancel an immediate order that cannot trade now; every other order waits."""
    if order.time_in_force is TimeInForce.IOC:
        return no_fill(Action.CANCEL, Reason.IOC_NOT_FILLED, trigger)
    if order.time_in_force is TimeInForce.FOK:
        return no_fill(Action.CANCEL, Reason.FOK_CANNOT_FILL, trigger)
    return no_fill(Action.WAIT, reason, trigger)
