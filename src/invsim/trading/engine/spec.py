"""OrderSpec: everything the pure engine needs to know about one working order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from invsim.core.money import HUNDRED, ZERO
from invsim.trading.engine.state import OrderType, Side, TimeInForce

_IMMEDIATE_OR_AUCTION = frozenset(
    {TimeInForce.IOC, TimeInForce.FOK, TimeInForce.OPG, TimeInForce.CLS}
)
_PRICED_BY_LIMIT = frozenset({OrderType.LIMIT, OrderType.STOP_LIMIT})
_PRICED_BY_STOP = frozenset({OrderType.STOP, OrderType.STOP_LIMIT})


@dataclass(frozen=True, slots=True)
class OrderSpec:
    """One order as the engine sees it: terms plus the progress the service persisted.

    Exactly one of `qty` and `notional` is set (notional: market orders only).
    `filled_notional` is the gross value of earlier fills; `filled_qty_this_bar`
    is the quantity filled since the current bar started (the service sums fills
    with `filled_at >= market.bar.start`). `water_mark` is a trailing stop's
    high-water mark (sell) or low-water mark (buy), and its `stop_price` is the
    stop last computed from that mark (None before the first evaluation).
    `stop_triggered` records that a stop, stop-limit or trailing stop has fired
    and now trades as a market or limit order.
    """

    side: Side
    type: OrderType
    time_in_force: TimeInForce
    created_at: datetime
    qty: Decimal | None = None
    notional: Decimal | None = None
    limit_price: Decimal | None = None
    stop_price: Decimal | None = None
    trail_percent: Decimal | None = None
    trail_price: Decimal | None = None
    filled_qty: Decimal = ZERO
    filled_notional: Decimal = ZERO
    filled_qty_this_bar: Decimal = ZERO
    water_mark: Decimal | None = None
    stop_triggered: bool = False

    def __post_init__(self) -> None:
        """Refuse a combination of terms no order type defines."""
        problem = spec_problem(self)
        if problem is not None:
            raise ValueError(problem)

    @property
    def remaining_qty(self) -> Decimal | None:
        """Return the shares still to trade, or None for a notional order."""
        return None if self.qty is None else self.qty - self.filled_qty

    @property
    def remaining_notional(self) -> Decimal | None:
        """Return the cash value still to trade, or None for a qty order."""
        return None if self.notional is None else self.notional - self.filled_notional


def spec_problem(spec: OrderSpec) -> str | None:
    """Return why the order's terms are inconsistent, or None if they are fine."""
    for check in (_size_problem, _price_problem, _tif_problem, _progress_problem):
        problem = check(spec)
        if problem is not None:
            return problem
    return None


def _size_problem(spec: OrderSpec) -> str | None:
    """Check that exactly one positive size is given."""
    if (spec.qty is None) == (spec.notional is None):
        return "give exactly one of qty and notional"
    size = spec.qty if spec.qty is not None else spec.notional
    if size is None or size <= ZERO:
        return "qty or notional must be positive"
    if spec.notional is not None and spec.type is not OrderType.MARKET:
        return "notional orders must be market orders"
    return None


def _price_problem(spec: OrderSpec) -> str | None:
    """Check that each order type carries exactly the prices it uses."""
    if (spec.type in _PRICED_BY_LIMIT) != _positive(spec.limit_price):
        return "limit_price is required (and positive) exactly for limit and stop_limit orders"
    if spec.type is OrderType.TRAILING_STOP:
        return _trail_problem(spec)
    if (spec.type in _PRICED_BY_STOP) != _positive(spec.stop_price):
        return "stop_price is required (and positive) exactly for stop and stop_limit orders"
    if spec.trail_percent is not None or spec.trail_price is not None:
        return "trail_percent and trail_price apply to trailing_stop orders only"
    return None


def _trail_problem(spec: OrderSpec) -> str | None:
    """Check that a trailing stop has exactly one sensible trail."""
    if (spec.trail_percent is None) == (spec.trail_price is None):
        return "give exactly one of trail_percent and trail_price"
    if spec.trail_percent is not None and not ZERO < spec.trail_percent < HUNDRED:
        return "trail_percent must be between 0 and 100"
    if spec.trail_price is not None and spec.trail_price <= ZERO:
        return "trail_price must be positive"
    if spec.water_mark is not None and spec.water_mark <= ZERO:
        return "water_mark must be positive"
    return None


def _tif_problem(spec: OrderSpec) -> str | None:
    """Check that immediate and auction time-in-force go with market or limit only."""
    if spec.time_in_force in _IMMEDIATE_OR_AUCTION and spec.type not in (
        OrderType.MARKET,
        OrderType.LIMIT,
    ):
        return f"time_in_force {spec.time_in_force.value} needs a market or limit order"
    if spec.created_at.tzinfo is None:
        return "created_at must be timezone-aware"
    return None


def _progress_problem(spec: OrderSpec) -> str | None:
    """Check that the recorded progress fits inside the order."""
    if min(spec.filled_qty, spec.filled_notional, spec.filled_qty_this_bar) < ZERO:
        return "filled amounts cannot be negative"
    if spec.qty is not None and spec.filled_qty > spec.qty:
        return "filled_qty exceeds qty"
    return None


def _positive(value: Decimal | None) -> bool:
    """Say whether an optional amount is present and above zero."""
    return value is not None and value > ZERO
