"""Reading orders: one by id or client_order_id, listings with Alpaca's filters, the history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Literal

from sqlalchemy import select

from invsim.core.errors import NotFound, ValidationFailed
from invsim.extensions import db
from invsim.portfolios.models import Portfolio, Position
from invsim.trading.amend import order_not_found, owned_order
from invsim.trading.models import Order, OrderEvent
from invsim.trading.order_rows import OPEN_VALUES, group_members

StatusFilter = Literal["open", "closed", "all"]
# A held exit leg is not working yet, but it is not done either: it lists as open.
LISTED_OPEN = (*OPEN_VALUES, "held")
MAX_LIMIT = 500


def get_order(*, owner_id: int, order_id: int) -> Order:
    """Return the user's order (another user's is a 404)."""
    return owned_order(owner_id, order_id)


def get_order_by_client_order_id(*, portfolio: Portfolio, client_order_id: str) -> Order:
    """Return the portfolio's order with this client_order_id, or a 404."""
    order = db.session.scalar(select(Order).where(Order.portfolio_id == portfolio.id,
                                                  Order.client_order_id == client_order_id))
    if order is None:
        raise NotFound("Order not found.", code="order_not_found",
                       details={"client_order_id": client_order_id})
    return order


def list_orders(
    *,
    portfolio: Portfolio,
    status: StatusFilter = "open",
    after: datetime | None = None,
    until: datetime | None = None,
    limit: int = 50,
    symbols: Sequence[str] | None = None,
    direction: Literal["asc", "desc"] = "desc",
    side: Literal["buy", "sell"] | None = None,
) -> list[Order]:
    """Return the portfolio's orders of the current generation, filtered as Alpaca filters them.

    `after`/`until` bound the submission time (exclusive/inclusive); `status` is
    open, closed (every terminal status) or all.
    """
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationFailed(f"limit must be 1 to {MAX_LIMIT}.", code="invalid_limit")
    query = select(Order).where(Order.portfolio_id == portfolio.id,
                                Order.generation == portfolio.generation)
    if status == "open":
        query = query.where(Order.status.in_(LISTED_OPEN))
    elif status == "closed":
        query = query.where(Order.status.not_in(LISTED_OPEN))
    if after is not None:
        query = query.where(Order.created_at > after)
    if until is not None:
        query = query.where(Order.created_at <= until)
    if side is not None:
        query = query.where(Order.side == side)
    if symbols:
        query = query.where(Order.symbol.in_([s.strip().upper() for s in symbols]))
    order_by = (Order.created_at.desc(), Order.id.desc()) if direction == "desc" else (
        Order.created_at.asc(), Order.id.asc())
    return list(db.session.scalars(query.order_by(*order_by).limit(limit)))


def group_of(order: Order) -> list[Order]:
    """The members of a bracket/OCO/OTO order's group, first order first ([] for simple)."""
    return [] if order.order_class == "simple" else group_members(order)


def order_history(*, owner_id: int, order_id: int) -> list[OrderEvent]:
    """Return every status change of the user's order, oldest first."""
    order = owned_order(owner_id, order_id)
    if order is None:
        raise order_not_found(order_id)
    return list(db.session.scalars(select(OrderEvent).where(OrderEvent.order_id == order.id)
                                   .order_by(OrderEvent.id)))


def symbols_in_use() -> list[str]:
    """Return the symbols of open orders and held positions of live portfolios, sorted.

    The market-data refresh job spends its request budget on these first.
    """
    open_orders = select(Order.symbol).where(Order.status.in_(OPEN_VALUES)).distinct()
    held = (select(Position.symbol).join(Portfolio, Portfolio.id == Position.portfolio_id)
            .where(Position.generation == Portfolio.generation, Position.qty != 0,
                   Portfolio.archived_at.is_(None)).distinct())
    symbols = set(db.session.scalars(open_orders)) | set(db.session.scalars(held))
    return sorted(symbols)
