"""Order rows: their engine view, status changes with timestamps and events, and queries.

`set_status` is the only place an order's status is written; it goes through
`state.transition`, stamps the matching `*_at` column and appends an OrderEvent.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Select, bindparam, func, select

from invsim.core.money import ZERO
from invsim.extensions import db
from invsim.portfolios.models import Portfolio
from invsim.trading.engine.spec import OrderSpec
from invsim.trading.engine.state import (
    OPEN_STATUSES,
    OrderStatus,
    OrderType,
    Side,
    TimeInForce,
    transition,
)
from invsim.trading.models import CLIENT_SOURCES, Fill, Order, OrderEvent

OPEN_VALUES = tuple(s.value for s in OPEN_STATUSES)

_STAMPS = {
    OrderStatus.ACCEPTED: "submitted_at",
    OrderStatus.FILLED: "filled_at",
    OrderStatus.CANCELED: "canceled_at",
    OrderStatus.EXPIRED: "expired_at",
    OrderStatus.REPLACED: "replaced_at",
    OrderStatus.REJECTED: "failed_at",
}


def spec_of(order: Order, filled_qty_this_bar: Decimal = ZERO) -> OrderSpec:
    """Return the engine's view of an order row."""
    return OrderSpec(
        side=Side(order.side), type=OrderType(order.type),
        time_in_force=TimeInForce(order.time_in_force), created_at=order.created_at,
        qty=order.qty, notional=order.notional, limit_price=order.limit_price,
        stop_price=order.stop_price, trail_percent=order.trail_percent,
        trail_price=order.trail_price, filled_qty=order.filled_qty,
        filled_notional=order.filled_notional, filled_qty_this_bar=filled_qty_this_bar,
        water_mark=order.hwm, stop_triggered=order.stop_triggered,
    )


def record_new(order: Order, at: datetime) -> None:
    """Add a new order and its first event (status `new`); the use-case's flush inserts them."""
    order.status = OrderStatus.NEW.value
    order.created_at = order.updated_at = at
    session = db.session()
    session.add(order)
    session.add(OrderEvent(order=order, status=order.status, at=at))


def set_status(order: Order, target: OrderStatus, at: datetime, reason: str | None = None) -> None:
    """Move an order to `target` through the transition table, stamped and logged."""
    order.status = transition(OrderStatus(order.status), target).value
    order.updated_at = at
    stamp = _STAMPS.get(target)
    if stamp is not None:
        setattr(order, stamp, at)
    if reason is not None:
        order.reason = reason
    db.session.add(OrderEvent(order=order, status=target.value, reason=reason, at=at))
    # A new row has no column defaults until it is flushed: None is a simple order too.
    if order.order_class not in (None, "simple"):
        _follow_group(order, target, at)


# Bracket, OCO and OTO groups: what a member's status change does to the others.
# A bracket's or OTO's exit legs are held until the entry fills, then work; an entry
# that ends unfilled cancels them. Exits are one-cancels-other: the first fill of one
# cancels the rest, and cancelling (or expiry of) one cancels its peers, so a group
# acts as one order. An OCO's two orders are both exits, working from the start.
_ENDED = frozenset({OrderStatus.CANCELED, OrderStatus.EXPIRED, OrderStatus.REJECTED})
_TRADED = frozenset({OrderStatus.PARTIALLY_FILLED, OrderStatus.FILLED})
_LIVE = frozenset({*OPEN_VALUES, OrderStatus.HELD.value})


def group_members(order: Order) -> list[Order]:
    """Every order of the order's group (itself included), first order first."""
    head = order.parent_id or order.id
    return list(db.session.scalars(select(Order).where(
        (Order.id == head) | (Order.parent_id == head)).order_by(Order.id)))


def _follow_group(order: Order, target: OrderStatus, at: datetime) -> None:
    entry_with_exits = order.parent_id is None and order.order_class in ("bracket", "oto")
    others = [o for o in group_members(order) if o.id != order.id and o.status in _LIVE]
    if entry_with_exits:
        if target is OrderStatus.FILLED:
            for leg in others:
                if leg.status == OrderStatus.HELD.value:
                    set_status(leg, OrderStatus.ACCEPTED, at, "entry_filled")
        elif target in _ENDED:
            for leg in others:
                if leg.status in _LIVE:
                    set_status(leg, OrderStatus.CANCELED, at, "entry_canceled")
        return
    if target in _TRADED or target in _ENDED:
        reason = "oco_peer_filled" if target in _TRADED else "oco_peer_canceled"
        for peer in others:
            if peer.parent_id is None and peer.order_class != "oco":
                continue  # an exit leg never cancels its bracket's (filled) entry
            if peer.status in _LIVE:  # a peer may have ended in this same cascade
                set_status(peer, OrderStatus.CANCELED, at, reason)


def is_open(order: Order) -> bool:
    """Say whether the order can still trade or be canceled."""
    return order.status in OPEN_VALUES


def open_orders_query(portfolio_id: int) -> Select[Order]:
    """Return the query for a portfolio's open orders, oldest first."""
    return (select(Order).where(Order.portfolio_id == portfolio_id,
                                Order.status.in_(OPEN_VALUES))
            .order_by(Order.id))


# Built once (the placement reads it on every order); the portfolio id binds at execution.
_OPEN_ORDERS = (select(Order).where(Order.portfolio_id == bindparam("portfolio_id"),
                                    Order.status.in_(OPEN_VALUES))
                .order_by(Order.id).execution_options(populate_existing=True))


def open_orders(portfolio: Portfolio, *, symbol: str | None = None) -> list[Order]:
    """Return the portfolio's open orders (fresh from the database), oldest first."""
    if symbol is None:
        return list(db.session.scalars(_OPEN_ORDERS, {"portfolio_id": portfolio.id}))
    query = open_orders_query(portfolio.id).execution_options(populate_existing=True)
    return list(db.session.scalars(query.where(Order.symbol == symbol)))


def find_by_client_order_id(portfolio_id: int, client_order_id: str) -> Order | None:
    """Return the portfolio's order with this client_order_id, if any."""
    return db.session.scalar(
        select(Order).where(Order.portfolio_id == portfolio_id,
                            Order.client_order_id == client_order_id)
        .execution_options(populate_existing=True)
    )


def filled_since(orders: Sequence[Order], start: datetime | None) -> dict[int, Decimal]:
    """Return, per order, the quantity filled at or after `start` (the volume cap's bar start)."""
    ids = [o.id for o in orders if o.fill_count > 0]
    if start is None or not ids:
        return {}
    rows = db.session.execute(
        select(Fill.order_id, func.sum(Fill.qty)).where(Fill.order_id.in_(ids),
                                                        Fill.priced_at >= start)
        .group_by(Fill.order_id)
    )
    # SUM() keeps the column type, so the scaled integers come back as exact Decimals.
    return {order_id: total or ZERO for order_id, total in rows}


def placed_since(portfolio: Portfolio, start: datetime) -> int:
    """Count the orders the user placed since `start` (replacements are not new orders)."""
    count = db.session.scalar(
        select(func.count(Order.id)).where(Order.portfolio_id == portfolio.id,
                                           Order.generation == portfolio.generation,
                                           Order.created_at >= start,
                                           Order.source.in_(CLIENT_SOURCES),
                                           Order.replaces_id.is_(None))
    )
    return int(count or 0)


def average_fill_price(order: Order) -> Decimal:
    """Return the order's exact volume-weighted fill price (before rounding to a tick)."""
    fills = db.session.execute(select(Fill.qty, Fill.price).where(Fill.order_id == order.id))
    total_qty = total_value = ZERO
    for qty, price in fills:
        total_qty += qty
        total_value += qty * price
    return total_value / total_qty if total_qty else ZERO
