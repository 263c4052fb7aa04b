"""A backtest's orders: what a strategy asks for, and a working order's state between bars."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from invsim.trading.engine.spec import OrderSpec
from invsim.trading.engine.state import OrderType, Side, TimeInForce


class OrderError(ValueError):
    """A strategy asked for an order no order type defines (a bug in the strategy)."""


class Status(StrEnum):
    """Where a backtest order is in its life (the live statuses a backtest can reach)."""

    WORKING = "working"
    FILLED = "filled"
    CANCELED = "canceled"
    EXPIRED = "expired"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class OrderRequest:
    """What a strategy asks for. Exactly one of qty, notional, equity_fraction, target_weight.

    `equity_fraction` and `target_weight` (market orders only) are sized when the
    order reaches the market, on the equity at that bar's open: a fraction of 1
    trades all of it, as a broker's "percent of equity" order; a target weight
    buys or sells the difference between the position's value and that share of
    equity (its side is then decided at the open). `liquidation` marks a margin
    call's close-out.
    """

    symbol: str
    side: Side
    type: OrderType = OrderType.MARKET
    time_in_force: TimeInForce = TimeInForce.GTC
    qty: Decimal | None = None
    notional: Decimal | None = None
    equity_fraction: Decimal | None = None
    target_weight: Decimal | None = None
    limit_price: Decimal | None = None
    stop_price: Decimal | None = None
    trail_percent: Decimal | None = None
    trail_price: Decimal | None = None
    tag: str = ""
    liquidation: bool = False


@dataclass(slots=True)
class WorkingOrder:
    """One order as the backtest tracks it: request, engine spec (None until sized), progress."""

    id: int
    request: OrderRequest
    placed_at: datetime
    placed_step: int
    spec: OrderSpec | None
    status: Status = Status.WORKING
    reason: str = ""
    first_step: int | None = None  # the first bar it could trade in (day orders expire after it)
    commission: Decimal = field(default=Decimal(0))

    @property
    def symbol(self) -> str:
        """Return the order's symbol."""
        return self.request.symbol

    @property
    def working(self) -> bool:
        """Say whether the order may still trade."""
        return self.status is Status.WORKING


def spec_for(request: OrderRequest, placed_at: datetime, notional: Decimal | None = None,
             qty: Decimal | None = None) -> OrderSpec:
    """Build the engine's OrderSpec for a request (sizes given explicitly override it)."""
    try:
        return OrderSpec(
            side=request.side, type=request.type, time_in_force=request.time_in_force,
            created_at=placed_at, qty=qty if qty is not None else request.qty,
            notional=notional if notional is not None else request.notional,
            limit_price=request.limit_price, stop_price=request.stop_price,
            trail_percent=request.trail_percent, trail_price=request.trail_price,
        )
    except ValueError as error:
        raise OrderError(f"{request.symbol}: {error}") from None


def check_request(request: OrderRequest, placed_at: datetime) -> None:
    """Refuse a request whose terms are inconsistent (raises OrderError)."""
    sizes = [request.qty, request.notional, request.equity_fraction, request.target_weight]
    if len(sizes) - sizes.count(None) != 1:
        raise OrderError("give exactly one of qty, notional, fraction and target weight")
    if not sized_at_open(request):
        spec_for(request, placed_at)
        return
    if request.type is not OrderType.MARKET:
        raise OrderError("fraction and target-weight orders must be market orders")
    fraction = request.equity_fraction
    if fraction is not None and not Decimal(0) < fraction <= Decimal(10):
        raise OrderError("fraction must be above 0 and at most 10")
    weight = request.target_weight
    if weight is not None and not Decimal(-10) <= weight <= Decimal(10):
        raise OrderError("target weight must be between -10 and 10")
    if request.time_in_force in (TimeInForce.OPG, TimeInForce.CLS):
        raise OrderError("fraction and target-weight orders trade in continuous trading")


def sized_at_open(request: OrderRequest) -> bool:
    """Say whether the order's size is decided when it reaches the market."""
    return request.equity_fraction is not None or request.target_weight is not None
