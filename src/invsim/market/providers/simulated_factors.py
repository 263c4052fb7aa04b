"""The common factors of the simulated market over a whole timeline: market, sectors, industries.

A timeline is every session of a calendar from a fixed epoch (1 January of a year) to the
end of a horizon year. Each factor is a function of (seed, its name, the timeline) only,
and a longer horizon leaves the earlier sessions unchanged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np

from invsim.market.providers.simulated_events import crash_of, expected_crash_loss, regime
from invsim.market.providers.simulated_garch import ar1, egarch_multiplier, mean_abs_t
from invsim.market.providers.simulated_params import MarketModel
from invsim.market.providers.simulated_streams import (
    FACTOR_KEY,
    MARKET_KEY,
    SLOTS_PER_YEAR,
    FloatArray,
    IntArray,
    day_number,
    standard_t,
    stream,
)


@dataclass(frozen=True, slots=True)
class Timeline:
    """The sessions from the epoch to the end of the horizon year, with their stream slots."""

    days: IntArray  # session day numbers
    years: tuple[int, ...]
    bounds: tuple[tuple[int, int], ...]  # [first, last) session index of each year
    slots: tuple[IntArray, ...]  # each year's sessions as slots of that year's streams
    flat: IntArray  # each session's slot in a (years × 366) block drawn year after year
    periods: int  # sessions in a plain year (scales annual figures)

    @property
    def horizon(self) -> int:
        """Return the last year covered."""
        return self.years[-1]

    def __len__(self) -> int:
        """Count the sessions."""
        return len(self.days)


def make_timeline(years: dict[int, IntArray], periods: int) -> Timeline:
    """Join per-year session days (consecutive years, ascending) into a timeline."""
    ordered = sorted(years)
    bounds, slots, first = [], [], 0
    for year in ordered:
        days = years[year]
        bounds.append((first, first + len(days)))
        slots.append(days - day_number(date(year, 1, 1)))
        first += len(days)
    flat = [slot + SLOTS_PER_YEAR * i for i, slot in enumerate(slots)]
    return Timeline(
        days=np.concatenate([years[year] for year in ordered]),
        years=tuple(ordered),
        bounds=tuple(bounds),
        slots=tuple(slots),
        flat=np.concatenate(flat),
        periods=periods,
    )


@dataclass(frozen=True, slots=True)
class MarketPath:
    """The market factor on every session of a timeline."""

    returns: FloatArray  # log return of the market factor
    variance: FloatArray  # its conditional variance of the session
    common: FloatArray  # (1 - κ) + κ · variance / E[variance]: what other variances follow
    horizon: int


@dataclass(frozen=True, slots=True)
class FactorPaths:
    """Sector or industry factors on every session: unit annual variance before loading."""

    returns: FloatArray  # (sessions, factors)
    variance: FloatArray  # (sessions, factors)


def market_path(seed: int, timeline: Timeline, market: MarketModel) -> MarketPath:
    """Generate the market factor: EGARCH on a slow regime, with crashes and jumps."""
    dt = 1.0 / timeline.periods
    count = len(timeline)
    shock, jump_u, jump_z, regime_z = (np.empty(count) for _ in range(4))
    crashes = []
    for year, (first, last), slots in zip(
        timeline.years, timeline.bounds, timeline.slots, strict=True
    ):
        rng = stream(seed, MARKET_KEY, year)
        shock[first:last] = standard_t(rng, market.tail_dof, SLOTS_PER_YEAR)[slots]
        normals = rng.standard_normal((2, SLOTS_PER_YEAR))
        jump_u[first:last] = rng.random(SLOTS_PER_YEAR)[slots]
        jump_z[first:last], regime_z[first:last] = normals[0][slots], normals[1][slots]
        found = crash_of(rng.random(6), day_number(date(year, 1, 1)), timeline.days, market)
        if found is not None:
            crashes.append(found)
    laid = regime(crashes, count, market)
    jumps = (jump_u < market.jumps_per_year * dt) * (market.jump_mean + market.jump_stdev * jump_z)
    jumps -= market.jumps_per_year * dt * market.jump_mean  # the jumps have no mean
    # Relative to its mean: the slow regime and the EGARCH average 1, the crashes a bit more.
    base = _slow_regime(regime_z, market) * laid.volatility**2
    mean = _diffusion_variance(market) * dt
    variance = _market_egarch(
        shock, jumps, base * (mean / _crash_excess(market, timeline.periods)), market
    )
    # What crashes take on average is added back, so the factor itself has no drift.
    drift = laid.drift + expected_crash_loss(market) * dt
    returns = np.sqrt(variance) * shock + jumps + drift
    kappa = market.common_volatility
    return MarketPath(returns, variance, (1.0 - kappa) + kappa * variance / mean, timeline.horizon)


def factor_paths(
    seed: int, names: list[str], timeline: Timeline, market: MarketModel, common: FloatArray
) -> FactorPaths:
    """Generate unit-variance EGARCH factors (sectors, industries) that follow the market."""
    count, years = len(timeline), len(timeline.years)
    shocks = np.empty((count, len(names)))
    for column, name in enumerate(names):
        # One stream per factor, drawn year after year: a longer horizon only appends.
        rng = stream(seed, FACTOR_KEY, name, timeline.years[0])
        shocks[:, column] = standard_t(rng, market.tail_dof, years * SLOTS_PER_YEAR)[timeline.flat]
    g = market.factor_garch
    ones = np.ones(len(names))
    reaction = egarch_multiplier(
        shocks, g.alpha * ones, g.gamma * ones, g.beta * ones, mean_abs_t(market.tail_dof)
    )
    variance = reaction * (common / timeline.periods)[:, None]
    return FactorPaths(np.sqrt(variance) * shocks, variance)


def _market_egarch(
    shock: FloatArray, jumps: FloatArray, level: FloatArray, market: MarketModel
) -> FloatArray:
    """Return the market's EGARCH variance around `level`, a jump counting as a shock.

    A jump day is a surprise like any other: its size in units of the day's volatility
    feeds the recursion, so volatility stays high after a crash day.
    """
    g = market.garch
    mean_abs = mean_abs_t(market.tail_dof)
    correction = 0.5 * (g.alpha**2 * (1.0 - mean_abs**2) + g.gamma**2) / (1.0 - g.beta**2)
    variance = np.empty_like(shock)
    x = 0.0
    for t, (z, jump, base) in enumerate(
        zip(shock.tolist(), jumps.tolist(), level.tolist(), strict=True)
    ):
        h = base * math.exp(x - correction)
        variance[t] = h
        surprise = z + jump / math.sqrt(h)
        x = g.beta * x + g.alpha * (abs(surprise) - mean_abs) + g.gamma * surprise
    return variance


def _slow_regime(noise: FloatArray, market: MarketModel) -> FloatArray:
    """Return the slow variance multiplier exp(2x - 2s²), x a stationary AR(1) of stdev s."""
    phi = 0.5 ** (1.0 / market.regime_half_life)
    scale = market.regime_stdev
    steps = noise * scale * math.sqrt(1.0 - phi * phi)
    steps[0] = noise[0] * scale  # start from the stationary distribution
    level = ar1(steps[:, None], phi)[:, 0]
    result: FloatArray = np.exp(2.0 * level - 2.0 * scale * scale)
    return result


def _diffusion_variance(market: MarketModel) -> float:
    """Return the market's annual variance without its jumps."""
    jumps = market.jumps_per_year * (market.jump_mean**2 + market.jump_stdev**2)
    return market.volatility**2 - jumps


def _crash_excess(market: MarketModel, periods: int) -> float:
    """Return the mean of the crashes' variance multiplier over time (a little above 1).

    Per crash, Σ over sessions of ((1 + b e^(-t/τ))² - 1) = 2 b τ + b² τ / 2.
    """
    boost = market.crash_volatility - 1.0
    length = 0.5 * sum(market.crash_sessions) + 0.5 * sum(market.recovery_sessions) / 3.0
    excess = market.crashes_per_year * (2.0 * boost * length + 0.5 * boost * boost * length)
    return 1.0 + excess / periods
