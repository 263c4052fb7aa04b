"""The market clock: open or closed now, and the next open and close."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from invsim.core.clock import utcnow
from invsim.market.provider import market_calendar


@dataclass(frozen=True, slots=True)
class ClockView:
    """Whether the market trades at `timestamp`, and when it next opens and closes."""

    is_open: bool
    timestamp: datetime
    next_open: datetime
    next_close: datetime
    calendar: str


def market_clock() -> ClockView:
    """Read the configured calendar at the current instant."""
    calendar, now = market_calendar(), utcnow()
    # bool(): NyseCalendar.is_open answers a numpy bool.
    return ClockView(is_open=bool(calendar.is_open(now)), timestamp=now,
                     next_open=calendar.next_open(now), next_close=calendar.next_close(now),
                     calendar=calendar.name)
