"""The market clock: open or closed now, and the next open and close."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

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


@dataclass(frozen=True, slots=True)
class Session:
    """One trading day and its open and close (UTC; early closes included)."""

    day: date
    open: datetime
    close: datetime


MAX_SESSION_SPAN_DAYS = 3700


def trading_sessions(start: date, end: date) -> list[Session]:
    """List the sessions of the configured calendar from `start` to `end`, both included."""
    calendar = market_calendar()
    if (end - start).days > MAX_SESSION_SPAN_DAYS:
        end = date.fromordinal(start.toordinal() + MAX_SESSION_SPAN_DAYS)
    found: list[Session] = []
    for day in calendar.sessions(start, end):
        opens, closes = calendar.session_open(day), calendar.session_close(day)
        if opens is not None and closes is not None:
            found.append(Session(day, opens, closes))
    return found
