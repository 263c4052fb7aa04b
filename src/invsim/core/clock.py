"""Time in invsim: timezone-aware UTC only, a clock tests can move, and market calendars."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Protocol

import numpy as np
import numpy.typing as npt

_now: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def utcnow() -> datetime:
    """Return the current instant as an aware UTC datetime."""
    return _now()


def set_clock(now: Callable[[], datetime] | None) -> None:
    """Replace the clock (tests, simulations); None restores the real one."""
    global _now
    _now = now if now is not None else (lambda: datetime.now(UTC))


def ensure_utc(value: datetime) -> datetime:
    """Convert an aware datetime to UTC; a naive one is taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


# --- Market calendars -------------------------------------------------------------------------

DAY = timedelta(days=1)
# The NYSE schedule is built once for this span; dates outside it raise ValueError.
_NYSE_FIRST_YEAR = 2000
_NYSE_YEARS_AHEAD = 3


class MarketCalendar(Protocol):
    """When a market trades: sessions (trading days) and their open/close instants in UTC."""

    name: str

    def is_open(self, at: datetime) -> bool:
        """Tell whether the market is trading at `at`."""
        ...

    def next_open(self, at: datetime) -> datetime:
        """Return the first session open strictly after `at`."""
        ...

    def next_close(self, at: datetime) -> datetime:
        """Return the first session close strictly after `at`."""
        ...

    def session_open(self, on: date) -> datetime | None:
        """Return when the session on `on` opens, or None if `on` is not a trading day."""
        ...

    def session_close(self, on: date) -> datetime | None:
        """Return when the session on `on` closes, or None if `on` is not a trading day."""
        ...

    def sessions(self, start: date, end: date) -> list[date]:
        """List the trading days from `start` to `end`, both included."""
        ...


def _midnight(on: date) -> datetime:
    """Return 00:00 UTC at the start of `on`."""
    return datetime(on.year, on.month, on.day, tzinfo=UTC)


class AlwaysOpenCalendar:
    """The embedded default: every day is a session from 00:00 to 24:00 UTC."""

    name = "always_open"

    def is_open(self, at: datetime) -> bool:
        """Tell whether the market is trading at `at` (always)."""
        return True

    def next_open(self, at: datetime) -> datetime:
        """Return the next UTC midnight strictly after `at`."""
        return _midnight(ensure_utc(at).date() + DAY)

    def next_close(self, at: datetime) -> datetime:
        """Return the next UTC midnight strictly after `at`."""
        return _midnight(ensure_utc(at).date() + DAY)

    def session_open(self, on: date) -> datetime | None:
        """Return 00:00 UTC of `on`."""
        return _midnight(on)

    def session_close(self, on: date) -> datetime | None:
        """Return 00:00 UTC of the day after `on`."""
        return _midnight(on + DAY)

    def sessions(self, start: date, end: date) -> list[date]:
        """List every day from `start` to `end`, both included."""
        return [start + DAY * offset for offset in range((end - start).days + 1)]


@dataclass(frozen=True)
class _Schedule:
    """Session dates and their open/close instants as sorted epoch-second arrays."""

    days: npt.NDArray[np.int64]  # days since 1970-01-01
    opens: npt.NDArray[np.int64]
    closes: npt.NDArray[np.int64]


@functools.cache
def _xnys_schedule() -> _Schedule:
    """Build the NYSE schedule once per process (exchange_calendars is slow to construct)."""
    import exchange_calendars  # deferred: importing it costs a quarter of a second

    # The wall clock, not only utcnow(): a test clock set in the past must not shorten the range.
    last_year = max(datetime.now(UTC).year, utcnow().year) + _NYSE_YEARS_AHEAD
    calendar = exchange_calendars.get_calendar(
        "XNYS", start=f"{_NYSE_FIRST_YEAR}-01-01", end=f"{last_year}-12-31"
    )
    frame = calendar.schedule
    days = frame.index.values.astype("datetime64[D]").astype(np.int64)
    opens = frame["open"].values.astype("datetime64[s]").astype(np.int64)
    closes = frame["close"].values.astype("datetime64[s]").astype(np.int64)
    return _Schedule(days=days, opens=opens, closes=closes)


_EPOCH_DATE = date(1970, 1, 1)


def _day_number(on: date) -> int:
    """Return days since 1970-01-01."""
    return (on - _EPOCH_DATE).days


def _from_epoch(seconds: int) -> datetime:
    """Return the aware UTC datetime for epoch seconds."""
    return datetime.fromtimestamp(int(seconds), tz=UTC)


class NyseCalendar:
    """The New York Stock Exchange ("XNYS"): hours, holidays and early closes."""

    name = "nyse"

    def is_open(self, at: datetime) -> bool:
        """Tell whether the NYSE is trading at `at` (open included, close excluded)."""
        schedule = _xnys_schedule()
        moment = ensure_utc(at).timestamp()
        index = int(np.searchsorted(schedule.opens, moment, side="right")) - 1
        return index >= 0 and bool(moment < schedule.closes[index])

    def next_open(self, at: datetime) -> datetime:
        """Return the first session open strictly after `at`."""
        return self._next(_xnys_schedule().opens, at)

    def next_close(self, at: datetime) -> datetime:
        """Return the first session close strictly after `at`."""
        return self._next(_xnys_schedule().closes, at)

    def session_open(self, on: date) -> datetime | None:
        """Return when the session on `on` opens, or None on a non-trading day."""
        index = self._session_index(on)
        return None if index is None else _from_epoch(int(_xnys_schedule().opens[index]))

    def session_close(self, on: date) -> datetime | None:
        """Return when the session on `on` closes, or None on a non-trading day."""
        index = self._session_index(on)
        return None if index is None else _from_epoch(int(_xnys_schedule().closes[index]))

    def sessions(self, start: date, end: date) -> list[date]:
        """List the NYSE trading days from `start` to `end`, both included."""
        days = _xnys_schedule().days
        first = int(np.searchsorted(days, _day_number(start), side="left"))
        last = int(np.searchsorted(days, _day_number(end), side="right"))
        return [_EPOCH_DATE + DAY * int(number) for number in days[first:last]]

    @staticmethod
    def _next(instants: npt.NDArray[np.int64], at: datetime) -> datetime:
        """Return the first of `instants` strictly after `at`."""
        index = int(np.searchsorted(instants, ensure_utc(at).timestamp(), side="right"))
        if index >= len(instants):
            raise ValueError(f"{at.isoformat()} is beyond the NYSE calendar's range")
        return _from_epoch(int(instants[index]))

    @staticmethod
    def _session_index(on: date) -> int | None:
        """Return the schedule row of `on`, or None if it is not a session."""
        days = _xnys_schedule().days
        number = _day_number(on)
        index = int(np.searchsorted(days, number, side="left"))
        return index if index < len(days) and days[index] == number else None


_CALENDARS: dict[str, Callable[[], MarketCalendar]] = {
    AlwaysOpenCalendar.name: AlwaysOpenCalendar,
    NyseCalendar.name: NyseCalendar,
}


def calendar_for(name: str) -> MarketCalendar:
    """Return the market calendar called `name` ("always_open" or "nyse")."""
    try:
        return _CALENDARS[name]()
    except KeyError:
        raise ValueError(
            f"unknown market calendar {name!r}; use one of {sorted(_CALENDARS)}"
        ) from None
