"""What a client asks for: an order request, a replacement, and the checks of their terms.

These are plain values so every caller (HTTP views, challenges, jobs, tests)
goes through the same validation; a request with bad terms is a 422 and writes
nothing.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from invsim.core import money as m
from invsim.core.errors import ValidationFailed
from invsim.trading.engine.spec import OrderSpec
from invsim.trading.engine.state import OrderType, Side, TimeInForce

CLIENT_ORDER_ID_MAX = 48
SYMBOL_PATTERN = re.compile(r"^[A-Z][A-Z0-9.\-]{0,11}$")
CLIENT_ORDER_ID_PATTERN = re.compile(r"^[\x21-\x7e]{1,48}$")  # printable ASCII, no spaces

_MAX_PLACES = {"qty": m.QUANTITY_SCALE, "notional": m.MONEY_SCALE, "limit_price": 6,
               "stop_price": 6, "trail_price": 6, "trail_percent": 4}
_PRICES = ("limit_price", "stop_price", "trail_price")
_MAXIMA = {"qty": m.MAX_QUANTITY, "notional": m.MAX_MONEY, "limit_price": m.MAX_PRICE,
           "stop_price": m.MAX_PRICE, "trail_price": m.MAX_PRICE, "trail_percent": m.HUNDRED}


@dataclass(frozen=True, slots=True)
class OrderRequest:
    """A new order as the client asked for it (prices and sizes already exact decimals)."""

    symbol: str
    side: Side
    type: OrderType
    time_in_force: TimeInForce
    qty: Decimal | None = None
    notional: Decimal | None = None
    limit_price: Decimal | None = None
    stop_price: Decimal | None = None
    trail_percent: Decimal | None = None
    trail_price: Decimal | None = None
    client_order_id: str | None = None

    def fingerprint(self) -> str:
        """Return a digest of the order's terms (not its client_order_id) to detect re-use."""
        terms = [self.symbol, self.side.value, self.type.value, self.time_in_force.value]
        amounts = (self.qty, self.notional, self.limit_price, self.stop_price,
                   self.trail_percent, self.trail_price)
        terms += ["" if a is None else m.format_decimal(a) for a in amounts]
        return hashlib.sha256("|".join(terms).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class ReplaceRequest:
    """What a replace may change: size, prices, time in force, and the new client_order_id."""

    qty: Decimal | None = None
    limit_price: Decimal | None = None
    stop_price: Decimal | None = None
    trail_percent: Decimal | None = None
    trail_price: Decimal | None = None
    time_in_force: TimeInForce | None = None
    client_order_id: str | None = None


def invalid(field: str, message: str) -> ValidationFailed:
    """Build the 422 for one bad field of an order."""
    return ValidationFailed(f"{field} {message}.", code="invalid_order",
                            details={"fields": {field: [message]}})


def normalise_symbol(symbol: str) -> str:
    """Return the symbol in upper case, or raise a 422 if it cannot be one."""
    text = symbol.strip().upper()
    if not SYMBOL_PATTERN.match(text):
        raise invalid("symbol", "must be 1 to 12 letters, digits, dots or dashes")
    return text


def check_client_order_id(value: str | None) -> None:
    """Refuse a client_order_id longer than 48 characters or with spaces or control characters."""
    if value is not None and not CLIENT_ORDER_ID_PATTERN.match(value):
        raise invalid("client_order_id", "must be 1 to 48 printable characters without spaces")


def _check_amounts(request: OrderRequest) -> None:
    """Refuse amounts that are not positive, finite, plain and exact enough."""
    for field, places in _MAX_PLACES.items():
        value = getattr(request, field)
        if value is None:
            continue
        if not value.is_finite() or value <= 0:
            raise invalid(field, "must be a positive number")
        if field in _PRICES and value >= 1:
            places = 4  # the price tick: 0.0001 from one dollar up, 0.000001 below
        if m.decimal_places(value.normalize()) > places:
            raise invalid(field, f"has more than {places} decimal places")
        if value > _MAXIMA[field]:
            raise invalid(field, f"must not exceed {_MAXIMA[field]}")


def check_terms(request: OrderRequest, now: datetime) -> OrderSpec:
    """Validate the request's terms and return the engine's spec of it (422 when inconsistent)."""
    check_client_order_id(request.client_order_id)
    _check_amounts(request)
    if request.qty is not None and request.notional is not None:
        raise invalid("notional", "cannot be given together with qty")
    if request.notional is not None and request.type is not OrderType.MARKET:
        raise invalid("notional", "is only accepted on market orders")
    if request.limit_price is not None and request.type not in (
            OrderType.LIMIT, OrderType.STOP_LIMIT):
        raise invalid("limit_price", f"is not accepted on a {request.type.value} order")
    if request.stop_price is not None and request.type not in (
            OrderType.STOP, OrderType.STOP_LIMIT):
        raise invalid("stop_price", f"is not accepted on a {request.type.value} order")
    try:
        return OrderSpec(
            side=request.side, type=request.type, time_in_force=request.time_in_force,
            created_at=now, qty=request.qty, notional=request.notional,
            limit_price=request.limit_price, stop_price=request.stop_price,
            trail_percent=request.trail_percent, trail_price=request.trail_price,
        )
    except ValueError as error:
        raise ValidationFailed(f"{error}.", code="invalid_order",
                               details={"problem": str(error)}) from None


def replaced_terms(original: OrderRequest, changes: ReplaceRequest) -> OrderRequest:
    """Return the original request with the replacement's changes applied."""
    updates = {name: getattr(changes, name)
               for name in ("qty", "limit_price", "stop_price", "trail_percent", "trail_price",
                            "time_in_force")
               if getattr(changes, name) is not None}
    return replace(original, client_order_id=changes.client_order_id, **updates)

