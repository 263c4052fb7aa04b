"""Intraday ticks of the simulated market, built lazily for one (symbol, session).

A session's ticks are a Brownian bridge from the day's open to its close, corrected so that
its maximum and minimum are exactly the day's high and low: the ticks agree with the daily
bar by construction. Tick k is at open + k * tick_seconds; the last tick is at the close.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from invsim.market.providers.simulated_model import MARKET_KEY, FloatArray, IntArray, stream
from invsim.market.providers.simulated_params import SymbolModel

MIN_TICKS = 4  # open, two interior ticks (for the high and the low), close
_MIN_SHRINK = 0.3  # a bridge side keeps at least this share of its amplitude
_OPEN_AUCTION_SHARE = 0.03  # of the day's volume, traded at the opening tick
_CLOSE_AUCTION_SHARE = 0.06  # ... and at the closing tick
# Intraday variance per unit of time, relative: a floor, a burst after the open that decays
# within the first hour or so, and a smaller rise into the close (US equities' U shape).
_VOL_BASE = 0.7
_VOL_OPEN = 3.0
_VOL_OPEN_DECAY = 0.05  # of the session
_VOL_CLOSE = 0.6
_VOL_CLOSE_DECAY = 0.05


@dataclass(frozen=True, slots=True)
class DayValues:
    """One session's daily bar as floats."""

    open: float
    high: float
    low: float
    close: float
    volume: int
    prev_close: float
    sigma: float  # the session's volatility of log returns (it clusters from day to day)


@dataclass(frozen=True, slots=True)
class TickPath:
    """Every tick of one session: prices and cumulative volume, index 0 = open."""

    opens_at: int  # epoch seconds
    closes_at: int
    tick_seconds: int
    prices: FloatArray
    cum_volume: IntArray

    @property
    def last_index(self) -> int:
        """Return the index of the closing tick."""
        return len(self.prices) - 1

    def index_at(self, moment: float) -> int:
        """Return the index of the last tick at or before `moment` (epoch seconds)."""
        if moment >= self.closes_at:
            return self.last_index
        index = math.floor((moment - self.opens_at) / self.tick_seconds)
        return max(0, min(index, self.last_index - 1))

    def time_of(self, index: int) -> int:
        """Return the epoch second of tick `index`."""
        return min(self.opens_at + index * self.tick_seconds, self.closes_at)


@dataclass(frozen=True, slots=True)
class IntradayArrays:
    """Intraday bars of one session as arrays."""

    starts: IntArray  # epoch seconds
    open: FloatArray
    high: FloatArray
    low: FloatArray
    close: FloatArray
    volume: IntArray


def tick_count(opens_at: int, closes_at: int, tick_seconds: int) -> int:
    """Return the number of tick intervals in a session (ticks = intervals + 1)."""
    return max(MIN_TICKS - 1, math.ceil((closes_at - opens_at) / tick_seconds))


def variance_clock(steps: int, u_shaped: bool) -> FloatArray:
    """Return the share of the session's variance accrued by each tick (0 at open, 1 at close).

    On an exchange with an open and a close, volatility is U-shaped like volume: highest
    just after the open, lowest around midday, rising into the close. A market that never
    closes accrues variance evenly.
    """
    if not u_shaped:
        return np.linspace(0.0, 1.0, steps + 1)
    t = (np.arange(steps) + 0.5) / steps
    weights = (
        _VOL_BASE
        + _VOL_OPEN * np.exp(-t / _VOL_OPEN_DECAY)
        + _VOL_CLOSE * np.exp(-(1.0 - t) / _VOL_CLOSE_DECAY)
    )
    clock = np.concatenate([[0.0], np.cumsum(weights)])
    result: FloatArray = clock / clock[-1]
    return result


def bridge(rng: np.random.Generator, clock: FloatArray) -> FloatArray:
    """Draw a standard Brownian bridge in business time `clock`: 0 at both ends."""
    steps = np.sqrt(np.diff(clock)) * rng.standard_normal(len(clock) - 1)
    walk = np.concatenate([[0.0], np.cumsum(steps)])
    result: FloatArray = walk - clock * walk[-1]
    return result


def market_bridge(seed: int, day: int, steps: int, u_shaped: bool = False) -> FloatArray:
    """Draw the market's intraday bridge for session `day` (shared by every symbol)."""
    return bridge(stream(seed, MARKET_KEY, "ticks", day), variance_clock(steps, u_shaped))


def build_ticks(
    seed: int,
    model: SymbolModel,
    day: int,
    values: DayValues,
    *,
    session: tuple[int, int, int],
    common: FloatArray,
    auctions: bool,
    scale: float,
) -> TickPath:
    """Build the ticks of `model` on session `day`; `session` is (opens_at, closes_at, tick).

    `scale` is the standard deviation of the session's intraday log move.
    """
    opens_at, closes_at, tick_seconds = session
    steps = len(common) - 1
    rng = stream(seed, model.symbol, "ticks", day)
    rho = model.market_correlation
    clock = variance_clock(steps, auctions)
    shape = rho * common + math.sqrt(1.0 - rho * rho) * bridge(rng, clock)
    prices = _price_path(shape, values, scale, clock)
    weights = _volume_weights(rng, steps, auctions)
    cum = np.rint(np.cumsum(weights) * (values.volume / weights.sum())).astype(np.int64)
    cum[-1] = values.volume
    return TickPath(opens_at, closes_at, tick_seconds, prices, np.maximum.accumulate(cum))


def _price_path(
    shape: FloatArray, values: DayValues, scale: float, clock: FloatArray
) -> FloatArray:
    """Lay a bridge on the open-to-close line and steer it through the day's high and low.

    The line advances in business time, like the bridge: faster when the market is busy.
    """
    lo, lc = math.log(values.open), math.log(values.close)
    count = len(shape)
    lh, ll = math.log(values.high), math.log(values.low)
    line = lo + (lc - lo) * clock
    above, below = np.maximum(shape, 0.0), np.minimum(shape, 0.0)
    # Shrink (never grow) each side of the bridge so it stays inside the day's range and the
    # correction below has little left to clip, but not below a floor: shrinking too much
    # would leave steep ramps to the high and low instead.
    floor = _MIN_SHRINK * scale
    up_scale = max(min(scale, _room(line, above, lh)), floor)
    down_scale = max(min(scale, _room(-line, -below, -ll)), floor)
    path = line + up_scale * above + down_scale * below
    rise, fall = lh - max(lo, lc), min(lo, lc) - ll
    peak, trough = _extremes(path, _margin(rise, scale, count), _margin(fall, scale, count))
    # Shift the path by a piecewise-linear correction that is zero at the open and close and
    # moves its own highest and lowest ticks onto the day's high and low: no spikes appear.
    knots = sorted(
        [
            (0, 0.0),
            (peak, lh - path[peak]),
            (trough, ll - path[trough]),
            (count - 1, 0.0),
        ]
    )
    path = path + np.interp(np.arange(count), [k for k, _ in knots], [c for _, c in knots])
    prices = np.exp(path)
    # Pin the extremes and ends to the daily bar's own floats so both agree exactly.
    prices[peak], prices[trough] = values.high, values.low
    prices[0], prices[-1] = values.open, values.close
    clipped: FloatArray = np.clip(prices, values.low, values.high)
    return clipped


def _room(base: FloatArray, bump: FloatArray, target: float) -> float:
    """Return the largest factor a with base + a * bump <= target wherever bump > 0."""
    inside = bump > 0
    if not inside.any():
        return math.inf
    return max(0.0, float(np.min((target - base[inside]) / bump[inside])))


def _margin(excursion: float, scale: float, count: int) -> int:
    """Return how many ticks from either end an extreme this far beyond the ends must be.

    A Brownian path needs time ~ (distance / volatility)² to travel a distance, so a high far
    above the open is not reached in the first few seconds.
    """
    share = min(0.25, 0.25 * (excursion / scale) ** 2) if scale > 0 else 0.0
    return max(1, min(int(share * (count - 1)), (count - 1) // 2 - 1))


def _extremes(path: FloatArray, peak_margin: int, trough_margin: int) -> tuple[int, int]:
    """Return the indexes of the highest and lowest tick within their margins (never equal)."""
    last = len(path) - 1
    peak = peak_margin + int(np.argmax(path[peak_margin : last - peak_margin + 1]))
    trough = trough_margin + int(np.argmin(path[trough_margin : last - trough_margin + 1]))
    if peak == trough:  # a flat stretch: any two distinct interior ticks will do
        trough = peak + 1 if peak + 1 < last else peak - 1
    return peak, trough


def _volume_weights(rng: np.random.Generator, steps: int, auctions: bool) -> FloatArray:
    """Weigh each tick's share of the day's volume: U-shaped over the day, noisy."""
    t = np.linspace(0.0, 1.0, steps + 1)
    # 0.6 + 2.4·|2t-1|^5 averages 1 over the day: busy open and close, quiet lunch.
    weights = (0.6 + 2.4 * np.abs(2.0 * t - 1.0) ** 5) * np.exp(
        0.5 * rng.standard_normal(steps + 1)
    )
    if auctions:
        total = weights.sum()
        weights[0] += _OPEN_AUCTION_SHARE * total
        weights[-1] += _CLOSE_AUCTION_SHARE * total
    result: FloatArray = weights
    return result


def aggregate(path: TickPath, interval_seconds: int, last_index: int) -> IntradayArrays:
    """Aggregate ticks 0..last_index into bars of `interval_seconds` aligned to the open."""
    duration = path.closes_at - path.opens_at
    count = max(1, math.ceil(duration / interval_seconds))
    ticks = np.arange(last_index + 1)
    offsets = np.minimum(ticks * path.tick_seconds, duration)
    # The closing tick (offset == duration) belongs to the last bar.
    bar_of = np.minimum(offsets // interval_seconds, count - 1)
    firsts = np.flatnonzero(np.concatenate([[True], np.diff(bar_of) != 0]))
    lasts = np.concatenate([firsts[1:] - 1, [last_index]])
    prices = path.prices[: last_index + 1]
    volume = np.diff(path.cum_volume[: last_index + 1], prepend=0)
    return IntradayArrays(
        starts=path.opens_at + bar_of[firsts] * interval_seconds,
        open=prices[firsts],
        high=np.maximum.reduceat(prices, firsts),
        low=np.minimum.reduceat(prices, firsts),
        close=prices[lasts],
        volume=np.add.reduceat(volume, firsts),
    )
