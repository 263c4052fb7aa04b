"""Time in force: which trading session an order belongs to and when it expires.

Sessions come from the exchange calendar (exchange-calendars, via the service);
this module only compares instants, so it stays pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from invsim.trading.engine.state import TimeInForce

# Auction orders are matched with the official opening/closing price, which is
# known only after the auction; the grace keeps them alive until a matching
# run has had time to see that price.
AUCTION_GRACE = timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class Session:
    """One regular trading session, as aware UTC instants (early closes included)."""

    open_at: datetime
    close_at: datetime

    def __post_init__(self) -> None:
        """Refuse a session that closes before it opens."""
        if self.close_at <= self.open_at:
            raise ValueError("a session must close after it opens")

    def is_open_at(self, instant: datetime) -> bool:
        """Say whether continuous trading is running at `instant`."""
        return self.open_at <= instant < self.close_at


def order_session(
    created_at: datetime, time_in_force: TimeInForce, sessions: Sequence[Session]
) -> Session:
    """Pick the session an order placed at `created_at` trades in.

    `sessions` are the current and following sessions in time order. An opg
    order waits for the next opening auction; every other order belongs to the
    first session that has not closed yet (so orders placed after the close
    queue for the next day, as at real brokers).
    """
    for session in sessions:
        start = session.open_at if time_in_force is TimeInForce.OPG else session.close_at
        if created_at < start:
            return session
    raise ValueError("no session in the calendar window follows created_at")


def expires_at(
    created_at: datetime, time_in_force: TimeInForce, session: Session
) -> datetime | None:
    """Return the instant after which a still-open order expires; None means never.

    day: the session close. gtc: never. ioc/fok: at once (the engine cancels
    whatever its one evaluation did not fill). opg/cls: the grace after the
    opening/closing auction, by which the engine has filled or canceled them.
    """
    if time_in_force is TimeInForce.DAY:
        return session.close_at
    if time_in_force is TimeInForce.GTC:
        return None
    if time_in_force in (TimeInForce.IOC, TimeInForce.FOK):
        return created_at
    if time_in_force is TimeInForce.OPG:
        return session.open_at + AUCTION_GRACE
    return session.close_at + AUCTION_GRACE


def is_expired(expiry: datetime | None, now: datetime) -> bool:
    """Say whether an order with this expiry has expired at `now`."""
    return expiry is not None and now >= expiry
