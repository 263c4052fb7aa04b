"""Announce order status changes once they are committed, on the store's "orders" channel.

Every status change already writes an `OrderEvent` row (`order_rows.record_new` and
`set_status` are the only writers), and every execution a `Fill` row. So the one
choke point is the session: after each flush the new events, fills and positions
are noted as plain values in `session.info`; after the COMMIT they are published,
when the transaction ends otherwise (rollback,
close) they are dropped. A listener therefore never announces what did
not happen, and no use-case had to change. One-way: trading publishes, it never
learns who listens (the Alpaca stream in `brokerapi/streams.py` does).

A message is JSON: `{"portfolio_id", "order_id", "event", "at", "price", "qty",
"position_qty"}`; `event` is invsim's status (`new`, `accepted`, `partially_filled`,
`filled`, `canceled`, `expired`, `rejected`, `replaced`); price and qty are the
execution's (strings) on fills, else null; position_qty is the position after the
transaction in the order's symbol when the transaction changed it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import structlog
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from invsim.core import money as m
from invsim.extensions import db, stores
from invsim.portfolios.models import Position
from invsim.trading.models import Fill, OrderEvent

CHANNEL = "orders"
_PENDING = "invsim_order_announcements"
_FILL_STATUSES = frozenset({"partially_filled", "filled"})

log = structlog.get_logger("invsim.trading.events")


@dataclass
class _Pending:
    """What one transaction changed so far (plain values: nothing is loaded after commit)."""

    events: list[tuple[int, int, str, str, str]] = field(default_factory=list)
    fills: dict[int, list[tuple[Decimal, Decimal]]] = field(default_factory=dict)
    positions: dict[tuple[int, str], Decimal] = field(default_factory=dict)


def _pending(session: Session) -> _Pending:
    found: _Pending | None = session.info.get(_PENDING)
    if found is None:
        found = session.info[_PENDING] = _Pending()
    return found


def _note(session: Session, _context: Any) -> None:
    """After a flush: remember the new events and fills, and the positions' quantities."""
    pending = _pending(session)
    for obj in session.new:
        if isinstance(obj, OrderEvent):
            order = obj.order
            pending.events.append((order.portfolio_id, order.id, order.symbol, obj.status,
                                   obj.at.isoformat().replace("+00:00", "Z")))
        elif isinstance(obj, Fill):
            pending.fills.setdefault(obj.order_id, []).append((obj.price, obj.qty))
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, Position):
            pending.positions[(obj.portfolio_id, obj.symbol)] = obj.qty


def messages(pending: _Pending) -> list[str]:
    """The channel messages of a committed transaction: fills paired with their events."""
    fills = {order_id: list(rows) for order_id, rows in pending.fills.items()}
    out = []
    for portfolio_id, order_id, symbol, status, at in pending.events:
        price = qty = None
        if status in _FILL_STATUSES and fills.get(order_id):
            price, qty = fills[order_id].pop(0)
        position = pending.positions.get((portfolio_id, symbol))
        out.append(json.dumps({
            "portfolio_id": portfolio_id, "order_id": order_id, "event": status, "at": at,
            "price": _text(price), "qty": _text(qty),
            "position_qty": _text(position) if status in _FILL_STATUSES else None,
        }, separators=(",", ":")))
    return out


def _text(value: Decimal | None) -> str | None:
    return None if value is None else m.format_decimal(value)


def _publish(session: Session) -> None:
    """After the commit: publish what it made true (a store outage never fails the trade)."""
    pending = session.info.pop(_PENDING, None)
    if pending is None or not pending.events:
        return
    try:
        stores.kv.publish_many(CHANNEL, messages(pending))  # one round trip for all
    except Exception:
        log.exception("order_events_not_published", count=len(pending.events))


def _drop(session: Session, transaction: SessionTransaction) -> None:
    """When the transaction ends without a commit (rollback, close): nothing is announced.

    After a commit `_publish` has already taken the notes, so this finds none.
    """
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


def subscribe(timeout: float) -> Iterable[str | None]:
    """Listen to the channel (None after each idle `timeout`): the listeners' one entry point."""
    return stores.kv.subscribe([CHANNEL], timeout=timeout)


# The scoped session's factory: every session the use-cases use. Registered once, at import
# (trading.service imports this module, and every process that trades builds the app).
event.listen(db.session, "after_flush", _note)
event.listen(db.session, "after_commit", _publish)
event.listen(db.session, "after_transaction_end", _drop)
