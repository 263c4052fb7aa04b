"""Scheduled and random events of the simulated market: crash regimes and earnings days.

Both are deterministic from the seed. Crashes are drawn per calendar year from the market's
own stream, earnings days from the calendar: an event only ever affects sessions on or after
its own day, so extending the timeline never changes the past.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

from invsim.market.providers.simulated_params import MarketModel

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_EPOCH = date(1970, 1, 1)
# Companies report about two to six weeks after a quarter ends.
_EARNINGS_FIRST_DAY = 14
_EARNINGS_SPREAD_DAYS = 30


@dataclass(frozen=True, slots=True)
class Crash:
    """One crash-and-recovery episode, in sessions of the timeline."""

    onset: int  # index of the first falling session
    depth: float  # log fall of the market factor over the crash
    length: int  # sessions of falling
    recovery: int  # sessions of recovering
    regained: float  # share of the fall regained during the recovery


@dataclass(frozen=True, slots=True)
class Regime:
    """The crash regime's effect on every session: a drift and a volatility multiplier."""

    drift: FloatArray  # added to the market factor's log return
    volatility: FloatArray  # multiplies the market's long-run volatility


def crash_of(
    draws: FloatArray, year_start: int, days: IntArray, market: MarketModel
) -> Crash | None:
    """Turn one year's six uniform draws into that year's crash, if it has one.

    `year_start` is the day number of 1 January; `days` are the timeline's session days.
    """
    happens, when, depth, length, recovery, regained = draws.tolist()
    if happens >= market.crashes_per_year:
        return None
    onset = int(np.searchsorted(days, year_start + int(when * 365)))
    if onset >= len(days):
        return None
    return Crash(
        onset=onset,
        depth=_between(market.crash_depth, depth),
        length=round(_between(market.crash_sessions, length)),
        recovery=round(_between(market.recovery_sessions, recovery)),
        regained=_between(market.recovery_share, regained),
    )


def regime(crashes: list[Crash], sessions: int, market: MarketModel) -> Regime:
    """Lay the crashes on the timeline: falling drift, then recovering drift and calming."""
    drift = np.zeros(sessions)
    multiplier = np.ones(sessions)
    for crash in crashes:
        fall_end = min(crash.onset + crash.length, sessions)
        drift[crash.onset : fall_end] -= crash.depth / crash.length
        end = min(fall_end + crash.recovery, sessions)
        drift[fall_end:end] += crash.regained * crash.depth / crash.recovery
        # Volatility jumps at the onset and calms over the recovery (a third of it).
        after = np.arange(sessions - crash.onset, dtype=np.float64)
        boost = (market.crash_volatility - 1.0) * np.exp(
            -after / (crash.length + crash.recovery / 3)
        )
        multiplier[crash.onset :] = np.maximum(multiplier[crash.onset :], 1.0 + boost)
    return Regime(drift=drift, volatility=multiplier)


def expected_crash_loss(market: MarketModel) -> float:
    """Return the crash regime's expected log loss per year (the drift added back)."""
    depth = 0.5 * sum(market.crash_depth)
    kept = 1.0 - 0.5 * sum(market.recovery_share)
    return market.crashes_per_year * depth * kept


def earnings_days(first_year: int, last_year: int, phase: float) -> list[int]:
    """Return the nominal earnings days (day numbers) of a company, four a year.

    `phase` in [0, 1) places the company within the reporting season; the report falls on
    the first session on or after the nominal day.
    """
    offset = _EARNINGS_FIRST_DAY + int(phase * _EARNINGS_SPREAD_DAYS)
    return [
        (date(year, month, 1) + timedelta(days=offset) - _EPOCH).days
        for year in range(first_year, last_year + 1)
        for month in (1, 4, 7, 10)
    ]


def event_sessions(days: IntArray, nominal: IntArray) -> tuple[IntArray, IntArray]:
    """Return the session index of each nominal day (the first session on or after it).

    Also returns which nominal days fall within the timeline (the others are dropped).
    """
    index = np.searchsorted(days, nominal)
    kept: IntArray = np.flatnonzero(index < len(days))
    return index[kept], kept


def _between(bounds: tuple[float, float], u: float) -> float:
    """Map a uniform draw onto [low, high]."""
    low, high = bounds
    return low + (high - low) * u
