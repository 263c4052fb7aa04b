"""Changing working orders: cancel one, cancel all, replace; and closing a position.

Each is one use-case in one transaction with the portfolio locked, so a cancel
can never race a fill: whichever takes the lock second sees the other's result.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from decimal import ROUND_DOWN, Decimal

from sqlalchemy import select

from invsim.core.clock import utcnow
from invsim.core.errors import NotFound, ValidationFailed
from invsim.core.money import HUNDRED, ZERO
from invsim.extensions import db
from invsim.portfolios import service as portfolios
from invsim.portfolios.models import Portfolio
from invsim.trading.engine import rejections
from invsim.trading.engine.sizing import lot_step
from invsim.trading.engine.state import OrderStatus, OrderType, Side, TimeInForce
from invsim.trading.models import Order
from invsim.trading.order_input import (
    OrderRequest,
    ReplaceRequest,
    check_client_order_id,
    check_terms,
    normalise_symbol,
    replaced_terms,
)
from invsim.trading.order_rows import is_open, open_orders, set_status
from invsim.trading.placement import Placement, instrument, market_for, place_locked


def order_not_found(order_id: int) -> NotFound:
    """Build the 404 for an order that does not exist for this user."""
    return NotFound("Order not found.", code="order_not_found", details={"order_id": order_id})


def owned_order(owner_id: int, order_id: int) -> Order:
    """Return the user's order; another user's is a 404."""
    order = db.session.scalar(
        select(Order).join(Portfolio, Portfolio.id == Order.portfolio_id)
        .where(Order.id == order_id, Portfolio.user_id == owner_id)
    )
    if order is None:
        raise order_not_found(order_id)
    return order


def _lock_order(owner_id: int, order_id: int) -> tuple[Portfolio, Order]:
    """Lock the order's portfolio, then re-read the order inside the lock."""
    portfolio_id = owned_order(owner_id, order_id).portfolio_id
    portfolio = portfolios.lock_portfolio(portfolio_id)
    order = db.session.scalar(select(Order).where(Order.id == order_id)
                              .execution_options(populate_existing=True))
    assert order is not None
    return portfolio, order


def cancel_order(*, owner_id: int, order_id: int, reason: str = "canceled_by_user") -> Order:
    """Cancel a working order (409 `invalid_order_transition` once it is done)."""
    with db.transaction():
        _, order = _lock_order(owner_id, order_id)
        set_status(order, OrderStatus.CANCELED, utcnow(), reason)
    return order


def cancel_open_orders(portfolio: Portfolio, reason: str) -> list[Order]:
    """Cancel every open order of a locked portfolio (flush only)."""
    now = utcnow()
    orders = open_orders(portfolio)
    for order in orders:
        if is_open(order):  # cancelling a group's order cancels its peers too
            set_status(order, OrderStatus.CANCELED, now, reason)
    return orders


def cancel_all(*, owner_id: int, portfolio_id: int) -> list[Order]:
    """Cancel every open order of the user's portfolio; return the canceled orders."""
    with db.transaction():
        portfolio = portfolios.lock_owned(owner_id=owner_id, portfolio_id=portfolio_id)
        return cancel_open_orders(portfolio, "canceled_by_user")


def request_of(order: Order) -> OrderRequest:
    """Return the request an order was placed with."""
    return OrderRequest(
        symbol=order.symbol, side=Side(order.side), type=OrderType(order.type),
        time_in_force=TimeInForce(order.time_in_force), qty=order.qty, notional=order.notional,
        limit_price=order.limit_price,
        stop_price=None if order.type == OrderType.TRAILING_STOP.value else order.stop_price,
        trail_percent=order.trail_percent, trail_price=order.trail_price,
        client_order_id=order.client_order_id,
    )


def replace_order(*, owner_id: int, order_id: int, changes: ReplaceRequest) -> Order:
    """Replace a working order: the old one becomes `replaced`, a new one takes its place.

    As at Alpaca, only an order that has not started filling can be replaced; the
    new order is checked like any new order with the old one's reservation released.
    """
    check_client_order_id(changes.client_order_id)
    if all(getattr(changes, f) is None for f in ("qty", "limit_price", "stop_price",
                                                 "trail_percent", "trail_price",
                                                 "time_in_force")):
        raise ValidationFailed("Give at least one field to change.", code="invalid_order")
    original = owned_order(owner_id, order_id)
    if original.order_class != "simple":
        raise ValidationFailed("An order of a bracket, oco or oto group cannot be replaced; "
                               "cancel the group and place a new one.", code="invalid_order")
    terms = replace(replaced_terms(request_of(original), changes),
                    client_order_id=changes.client_order_id or uuid.uuid4().hex)
    check_terms(terms, utcnow())
    facts = instrument(terms.symbol)
    market = market_for(facts.symbol)
    with db.transaction():
        portfolio, order = _lock_order(owner_id, order_id)
        set_status(order, OrderStatus.REPLACED, utcnow(), "replaced")
        db.session.flush()
        placed = place_locked(portfolio, terms, facts, market, terms.client_order_id or "",
                              source=order.source, replaces=order,
                              fresh_id=changes.client_order_id is None)
        if not placed.created:
            raise rejections.reject(rejections.DUPLICATE_CLIENT_ORDER_ID,
                                      client_order_id=terms.client_order_id)
    return placed.order


def close_qty(held: Decimal, qty: Decimal | None, percentage: Decimal | None,
              fractional: bool) -> Decimal:
    """Return how many shares to close: all, `qty`, or `percentage` of the position."""
    size = abs(held)
    if qty is not None and percentage is not None:
        raise ValidationFailed("Give qty or percentage, not both.", code="invalid_order")
    if qty is not None:
        if qty <= ZERO or qty > size:
            raise ValidationFailed(f"qty must be above 0 and at most {size}.", code="invalid_order",
                                   details={"fields": {"qty": ["exceeds the position"]}})
        return qty
    if percentage is not None:
        if not ZERO < percentage <= HUNDRED:
            raise ValidationFailed("percentage must be above 0 and at most 100.",
                                   code="invalid_order")
        step = lot_step(fractional or size != size.to_integral_value())
        part = (size * percentage / HUNDRED).quantize(step, rounding=ROUND_DOWN)
        if part <= ZERO:
            raise ValidationFailed("That percentage is less than one tradable share.",
                                   code="invalid_order")
        return part
    return size


def close_position(
    *, owner_id: int, portfolio_id: int, symbol: str, qty: Decimal | None = None,
    percentage: Decimal | None = None,
) -> Placement:
    """Close all or part of a position with a market day order (sell a long, buy back a short)."""
    symbol = normalise_symbol(symbol)
    facts = instrument(symbol)
    market = market_for(facts.symbol)
    with db.transaction():
        portfolio = portfolios.lock_owned(owner_id=owner_id, portfolio_id=portfolio_id)
        position = portfolios.position_of(portfolio, symbol)
        if position is None or position.qty == ZERO:
            raise NotFound("There is no open position in this symbol.", code="position_not_found",
                           details={"symbol": symbol})
        fractional = portfolios.rules_of(portfolio).fractional and facts.fractionable
        size = close_qty(position.qty, qty, percentage, fractional)
        side = Side.SELL if position.qty > ZERO else Side.BUY
        request = OrderRequest(symbol=symbol, side=side, type=OrderType.MARKET,
                               time_in_force=TimeInForce.DAY, qty=size,
                               client_order_id=uuid.uuid4().hex)
        return place_locked(portfolio, request, facts, market, request.client_order_id or "",
                            source="close_position", fresh_id=True)
