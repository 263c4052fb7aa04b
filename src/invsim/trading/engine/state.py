"""Order vocabulary and the one order-status transition table.

Every change of an order's status goes through `transition`, so a status can
only move along an edge of `TRANSITIONS`; terminal statuses have no edges.
"""

from __future__ import annotations

from enum import StrEnum

from invsim.core.errors import Conflict


class Side(StrEnum):
    """Which way an order trades."""

    BUY = "buy"
    SELL = "sell"


class OrderType(StrEnum):
    """How an order's price is chosen."""

    MARKET = "market"
    LIMIT = "limit"
    STOP = "stop"
    STOP_LIMIT = "stop_limit"
    TRAILING_STOP = "trailing_stop"


class TimeInForce(StrEnum):
    """How long an order stays working."""

    DAY = "day"
    GTC = "gtc"
    IOC = "ioc"
    FOK = "fok"
    OPG = "opg"
    CLS = "cls"


class OrderStatus(StrEnum):
    """Where an order is in its life."""

    NEW = "new"
    ACCEPTED = "accepted"
    PARTIALLY_FILLED = "partially_filled"
    FILLED = "filled"
    CANCELED = "canceled"
    EXPIRED = "expired"
    REJECTED = "rejected"
    REPLACED = "replaced"
    HELD = "held"  # a bracket's exit leg waiting for its entry to fill


_S = OrderStatus

# ACCEPTED -> REJECTED exists because a working order can still be refused when
# it comes to trade (an ioc meeting a stale price, a triggered stop that no
# longer has buying power). A partially filled order cannot be replaced: the
# client cancels it and places a new one, so fills never move between orders.
TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    _S.NEW: frozenset({_S.ACCEPTED, _S.REJECTED, _S.HELD}),
    _S.HELD: frozenset({_S.ACCEPTED, _S.CANCELED}),
    _S.ACCEPTED: frozenset(
        {_S.PARTIALLY_FILLED, _S.FILLED, _S.CANCELED, _S.EXPIRED, _S.REJECTED, _S.REPLACED}
    ),
    _S.PARTIALLY_FILLED: frozenset({_S.PARTIALLY_FILLED, _S.FILLED, _S.CANCELED, _S.EXPIRED}),
    _S.FILLED: frozenset(),
    _S.CANCELED: frozenset(),
    _S.EXPIRED: frozenset(),
    _S.REJECTED: frozenset(),
    _S.REPLACED: frozenset(),
}

OPEN_STATUSES: frozenset[OrderStatus] = frozenset({_S.NEW, _S.ACCEPTED, _S.PARTIALLY_FILLED})
TERMINAL_STATUSES: frozenset[OrderStatus] = frozenset(
    s for s, nxt in TRANSITIONS.items() if not nxt
)


class InvalidTransition(Conflict):
    """The order cannot move from its current status to the requested one."""

    code = "invalid_order_transition"

    def __init__(self, current: OrderStatus, target: OrderStatus) -> None:
        super().__init__(
            f"an order that is {current.value} cannot become {target.value}",
            details={"from": current.value, "to": target.value},
        )
        self.current = current
        self.target = target


def can_transition(current: OrderStatus, target: OrderStatus) -> bool:
    """Say whether `current -> target` is an edge of the transition table."""
    return target in TRANSITIONS[current]


def transition(current: OrderStatus, target: OrderStatus) -> OrderStatus:
    """Return `target` if the table allows the move, else raise InvalidTransition."""
    if not can_transition(current, target):
        raise InvalidTransition(current, target)
    return target


def is_open(status: OrderStatus) -> bool:
    """Say whether an order in this status can still trade or be canceled."""
    return status in OPEN_STATUSES


def is_terminal(status: OrderStatus) -> bool:
    """Say whether no further status change is possible."""
    return status in TERMINAL_STATUSES
