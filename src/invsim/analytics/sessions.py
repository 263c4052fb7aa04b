"""Which instants a daily equity series observes: one point per trading session.

Pure. A daily series starts with the portfolio's opening (its starting cash),
dated to the last session that closed before it opened, so the first session's
gain is measured from the money put in. Then comes one point at each session
close, and — while a session is in progress — a live point at `now`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

INCEPTION, CLOSE, LIVE = "inception", "close", "live"


@dataclass(frozen=True, slots=True)
class Session:
    """One trading day and its open and close instants (UTC)."""

    day: date
    open_at: datetime
    close_at: datetime


@dataclass(frozen=True, slots=True)
class Observation:
    """An instant the series is valued at, and the session date it stands for."""

    day: date
    at: datetime
    kind: str


def inception_day(opened_at: datetime, sessions: Sequence[Session]) -> date:
    """Return the last session that closed at or before `opened_at` (the base date)."""
    closed = [s.day for s in sessions if s.close_at <= opened_at]
    if closed:
        return closed[-1]
    before = [s.day for s in sessions if s.day < opened_at.date()]
    return before[-1] if before else opened_at.date() - timedelta(days=1)


def daily_observations(
    opened_at: datetime, inception: date | None, sessions: Sequence[Session], now: datetime
) -> list[Observation]:
    """Plan the inception point (unless None), each close after it, and a live point.

    The live point stands for the session in progress at `now`, valued at `now`.
    """
    plan = [Observation(inception, opened_at, INCEPTION)] if inception is not None else []
    for session in sessions:
        if session.close_at <= opened_at or session.open_at > now:
            continue
        if session.close_at <= now:
            plan.append(Observation(session.day, session.close_at, CLOSE))
        elif now > opened_at:
            plan.append(Observation(session.day, now, LIVE))
    return plan


def current(sessions: Sequence[Session], now: datetime) -> Session | None:
    """Return the session in progress at `now`, if any."""
    return next((s for s in sessions if s.open_at <= now < s.close_at), None)
