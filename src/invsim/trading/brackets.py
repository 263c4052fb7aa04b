"""Bracket, OCO and OTO orders: an order and its exits, placed in one transaction.

- **bracket**: an entry (market or limit) and two exits, a take-profit limit and a
  stop-loss stop (or stop-limit), on the other side for the entry's quantity. The
  exits are `held` until the entry fills, then work as one-cancels-other.
- **oto**: an entry and one exit (take-profit or stop-loss), held until the entry fills.
- **oco**: two exits of an existing position, working at once: a limit order (the
  take-profit) and a stop (the stop-loss); the first fill of one cancels the other.

What happens to the group when one order changes is `order_rows.set_status`'s rule
(the one place a status is written); this module only validates and places.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from decimal import Decimal

from sqlalchemy.exc import IntegrityError

from invsim.core.clock import utcnow
from invsim.core.errors import ValidationFailed
from invsim.extensions import db
from invsim.portfolios import service as portfolios
from invsim.portfolios.models import Portfolio
from invsim.trading.engine.state import OrderStatus, OrderType, Side, TimeInForce
from invsim.trading.marks import InstrumentFacts
from invsim.trading.models import Order
from invsim.trading.order_input import OrderRequest, check_terms, invalid
from invsim.trading.order_rows import group_members
from invsim.trading.placement import (
    GroupLink,
    Market,
    instrument,
    market_for,
    normalised,
    place_locked,
)

ORDER_CLASSES = ("bracket", "oco", "oto")
_GROUP_TIFS = (TimeInForce.DAY, TimeInForce.GTC)


@dataclass(frozen=True, slots=True)
class Exits:
    """The exit prices a client gives: a take-profit limit, a stop-loss stop (and limit)."""

    take_profit_limit: Decimal | None = None
    stop_loss_stop: Decimal | None = None
    stop_loss_limit: Decimal | None = None


@dataclass(frozen=True, slots=True)
class GroupPlacement:
    """The group's first order and every member, first order first."""

    order: Order
    members: list[Order]
    created: bool


def _exit(entry: OrderRequest, leg: str, exits: Exits, order_class: str) -> OrderRequest:
    """The request of one exit leg: the entry's size and time in force, on the other side
    (an OCO's first order is itself an exit: its peer is on the same side)."""
    side = entry.side if order_class == "oco" else (
        Side.SELL if entry.side is Side.BUY else Side.BUY)
    if leg == "take_profit":
        return OrderRequest(symbol=entry.symbol, side=side, type=OrderType.LIMIT,
                            time_in_force=entry.time_in_force, qty=entry.qty,
                            limit_price=exits.take_profit_limit)
    kind = OrderType.STOP if exits.stop_loss_limit is None else OrderType.STOP_LIMIT
    return OrderRequest(symbol=entry.symbol, side=side, type=kind,
                        time_in_force=entry.time_in_force, qty=entry.qty,
                        stop_price=exits.stop_loss_stop, limit_price=exits.stop_loss_limit)


def _check_group(order_class: str, entry: OrderRequest, exits: Exits) -> list[str]:
    """Validate the group's shape; return the legs to place after the first order."""
    if order_class not in ORDER_CLASSES:
        raise invalid("order_class", f"must be one of simple, {', '.join(ORDER_CLASSES)}")
    if entry.qty is None:
        raise invalid("qty", f"is required by a {order_class} order (notional is not)")
    if entry.time_in_force not in _GROUP_TIFS:
        raise invalid("time_in_force", f"of a {order_class} order must be day or gtc")
    profit, stop = exits.take_profit_limit is not None, exits.stop_loss_stop is not None
    if exits.stop_loss_limit is not None and not stop:
        raise invalid("stop_loss", "needs a stop_price")
    if order_class == "oto" and profit == stop:
        raise invalid("order_class", "oto takes exactly one of take_profit and stop_loss")
    if order_class in ("bracket", "oco") and not (profit and stop):
        raise invalid("order_class", f"{order_class} needs both take_profit and stop_loss")
    if order_class == "oco":
        if entry.type is not OrderType.LIMIT:
            raise invalid("type", "of an oco order must be limit (its take-profit)")
    elif entry.type not in (OrderType.MARKET, OrderType.LIMIT):
        raise invalid("type", f"of a {order_class} entry must be market or limit")
    if profit and stop:
        assert exits.take_profit_limit is not None and exits.stop_loss_stop is not None
        exit_sells = entry.side is Side.BUY if order_class != "oco" else entry.side is Side.SELL
        wrong = (exits.take_profit_limit <= exits.stop_loss_stop if exit_sells
                 else exits.take_profit_limit >= exits.stop_loss_stop)
        if wrong:
            raise invalid("take_profit", "must be on the profitable side of stop_loss")
    if order_class == "oco":
        return ["stop_loss"]
    return [leg for leg, given in (("take_profit", profit), ("stop_loss", stop)) if given]


def place_group(*, owner_id: int, portfolio_id: int, request: OrderRequest, order_class: str,
                exits: Exits, source: str = "user") -> GroupPlacement:
    """Place a bracket, OCO or OTO order: the first order and its legs, one transaction."""
    entry = normalised(request)
    if order_class == "oco" and entry.limit_price is None:
        entry = replace(entry, limit_price=exits.take_profit_limit)
    legs = _check_group(order_class, entry, exits)
    now = utcnow()
    check_terms(entry, now)
    leg_requests = {leg: _exit(entry, leg, exits, order_class) for leg in legs}
    for leg_request in leg_requests.values():
        check_terms(leg_request, now)
    facts = instrument(entry.symbol)
    market = market_for(facts.symbol)
    client_id = entry.client_order_id or uuid.uuid4().hex
    try:
        with db.transaction():
            portfolio = portfolios.lock_owned(owner_id=owner_id, portfolio_id=portfolio_id)
            placed = place_locked(portfolio, entry, facts, market, client_id, source=source,
                                  fresh_id=entry.client_order_id is None,
                                  group=GroupLink(order_class))
            if placed.created:
                _place_legs(portfolio, placed.order, leg_requests, facts, market, source)
            return GroupPlacement(placed.order, group_members(placed.order), placed.created)
    except IntegrityError:
        raise ValidationFailed("client_order_id was already used.",
                               code="duplicate_client_order_id") from None


def _place_legs(portfolio: Portfolio, first: Order, leg_requests: dict[str, OrderRequest],
                facts: InstrumentFacts, market: Market, source: str) -> None:
    """Place the legs: held until the entry fills, working at once for an OCO (flush only)."""
    working = first.order_class == "oco" or first.status == OrderStatus.FILLED.value
    if first.order_class == "oco" and first.status != OrderStatus.ACCEPTED.value:
        return  # the take-profit traded (or ended) at once: its peer would be canceled
    if first.order_class != "oco" and first.status not in (
            OrderStatus.ACCEPTED.value, OrderStatus.PARTIALLY_FILLED.value,
            OrderStatus.FILLED.value):
        return
    for leg, leg_request in leg_requests.items():
        place_locked(portfolio, leg_request, facts, market, uuid.uuid4().hex,
                     source=source, fresh_id=True,
                     group=GroupLink(first.order_class, parent=first, leg=leg,
                                     held=not working))
