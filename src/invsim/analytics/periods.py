"""Turn the API's period, timeframe, start and end into one checked window.

Rules (docs/analytics.md, "Periods in the API"): a named period ends at `end`
(default now) and starts as `period_bounds` says; `start` (with an optional
`end`) is a custom window and cannot be combined with a named period; `end` in
the future means now; `start` after `end` is a 422 `invalid_range`; a window
that ends before the portfolio existed is empty (not an error); a start before
it existed begins at its opening.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from invsim.analytics.metrics import CUSTOM, PERIODS, period_bounds
from invsim.core.errors import ValidationFailed

TIMEFRAMES: dict[str, timedelta] = {
    "5Min": timedelta(minutes=5), "1H": timedelta(hours=1), "1D": timedelta(days=1),
}
# The snapshot job keeps intraday samples a little longer than this (32 days).
MAX_SPAN: dict[str, timedelta] = {"5Min": timedelta(days=31), "1H": timedelta(days=31)}
DAILY = "1D"


@dataclass(frozen=True, slots=True)
class Window:
    """A checked request window: dates for daily series, instants for intraday ones."""

    period: str
    timeframe: str
    first: date  # the base date: returns are measured from its close
    last: date
    start: datetime
    end: datetime
    empty: bool  # the window ends before the portfolio existed


def _invalid(message: str, code: str, **details: object) -> ValidationFailed:
    """Build a 422 for a bad window."""
    return ValidationFailed(message, code=code, details=dict(details))


def check_timeframe(timeframe: str | None, period: str | None) -> str:
    """Return the timeframe, defaulting to 5Min for a 1D period, 1H for 1W, else 1D."""
    if timeframe is None:
        return {"1D": "5Min", "1W": "1H"}.get(period or "", DAILY)
    if timeframe not in TIMEFRAMES:
        raise _invalid(f"timeframe is one of {', '.join(TIMEFRAMES)}.", "invalid_timeframe",
                       timeframes=list(TIMEFRAMES))
    return timeframe


def check_period(period: str | None, start: datetime | None, timeframe: str) -> str:
    """Return the named period (or CUSTOM when `start` is given)."""
    if start is not None:
        if period not in (None, CUSTOM):
            raise _invalid("Give either a period or a start date, not both.", "invalid_period")
        return CUSTOM
    if period is None:
        return "1D" if timeframe != DAILY else "1M"
    if period not in PERIODS:
        raise _invalid(f"period is one of {', '.join(PERIODS)}, or give start and end.",
                       "invalid_period", periods=list(PERIODS))
    return period


def midnight(day: date) -> datetime:
    """Return 00:00 UTC of `day`."""
    return datetime.combine(day, time(0), tzinfo=UTC)


def resolve(
    *, period: str | None, timeframe: str | None, start: datetime | None,
    end: datetime | None, opening: date, now: datetime,
) -> Window:
    """Check the request and return its window (see the module's rules)."""
    frame = check_timeframe(timeframe, period)
    name = check_period(period, start, frame)
    until = min(end, now) if end is not None else now
    if start is not None and start > until:
        raise _invalid("start must not be after end.", "invalid_range",
                       start=start.isoformat(), end=until.isoformat())
    if until.date() < opening:
        return Window(name, frame, opening, opening, until, until, empty=True)
    first, last = period_bounds(name, until.date(), inception=opening,
                                start=start.date() if start else None, end=until.date())
    begin = start if start is not None and start.date() >= first else midnight(first + timedelta(1))
    if frame != DAILY and until - begin > MAX_SPAN[frame]:
        raise _invalid(f"A {frame} history spans at most {MAX_SPAN[frame].days} days.",
                       "range_too_large", max_days=MAX_SPAN[frame].days)
    return Window(name, frame, first, last, begin, until, empty=False)
