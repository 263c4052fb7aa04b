"""Which trading session an instant belongs to, for the simulated market's calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from invsim.core.clock import MarketCalendar

_LOOKBACK = timedelta(days=14)  # longer than any run of NYSE closures


@dataclass(frozen=True, slots=True)
class Session:
    """A trading session: its date and open/close instants in epoch seconds."""

    day: date
    opens_at: int
    closes_at: int

    def contains(self, moment: float) -> bool:
        """Tell whether the session is trading at `moment` (epoch seconds)."""
        return self.opens_at <= moment < self.closes_at


class Sessions:
    """Look up sessions of a calendar by day or by instant."""

    def __init__(self, calendar: MarketCalendar) -> None:
        self.calendar = calendar

    def of(self, day: date) -> Session:
        """Return the session held on `day` (which must be a trading day)."""
        opens, closes = self.calendar.session_open(day), self.calendar.session_close(day)
        if opens is None or closes is None:
            raise ValueError(f"{day} is not a trading day")
        return Session(day, int(opens.timestamp()), int(closes.timestamp()))

    def open_of(self, day: date) -> datetime:
        """Return when the session on `day` opens."""
        opens = self.calendar.session_open(day)
        if opens is None:
            raise ValueError(f"{day} is not a trading day")
        return opens

    def at(self, moment: datetime) -> Session | None:
        """Return the latest session that opened at or before `moment`."""
        for day in reversed(self.calendar.sessions(moment.date() - _LOOKBACK, moment.date())):
            session = self.of(day)
            if session.opens_at <= moment.timestamp():
                return session
        return None

    def recent(self, as_of: datetime, count: int) -> list[Session]:
        """Return the last `count` sessions that opened by `as_of`, oldest first."""
        if count <= 0:
            return []
        span = timedelta(days=2 * count + 14)
        days = self.calendar.sessions(as_of.date() - span, as_of.date())
        opened = [s for s in map(self.of, days) if s.opens_at <= as_of.timestamp()]
        return opened[-count:]
