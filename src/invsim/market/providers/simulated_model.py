"""The daily model of the simulated market: one OHLCV row per symbol and session.

Volatility has memory (GARCH), so a session's price depends on every session before it.
The model therefore generates each symbol's whole history in one vectorised pass, from a
fixed epoch (1 January of the first history year) to the end of a horizon year, and caches
it. Random draws come from streams keyed by (seed, name, year) in which every calendar day
owns a fixed slot, and every recursion only looks back: a longer horizon, another batch of
symbols or another order of requests leaves every computed price exactly as it was.

Log prices are anchored at the anchor session, where the close equals the listing's
base price.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from invsim.core.clock import MarketCalendar
from invsim.market.providers.base import CorporateAction
from invsim.market.providers.simulated_actions import ActionPath, action_path
from invsim.market.providers.simulated_cache import LruCache
from invsim.market.providers.simulated_events import earnings_days, event_sessions
from invsim.market.providers.simulated_factors import (
    FactorPaths,
    MarketPath,
    Timeline,
    factor_paths,
    make_timeline,
    market_path,
)
from invsim.market.providers.simulated_garch import MEAN_ABS_NORMAL, ar1, egarch_multiplier
from invsim.market.providers.simulated_params import MarketModel, SymbolModel
from invsim.market.providers.simulated_streams import (
    MARKET_KEY,
    FloatArray,
    IntArray,
    day_number,
    stream,
    to_date,
)

__all__ = [
    "MARKET_KEY",
    "DailyArrays",
    "DailyModel",
    "FloatArray",
    "IntArray",
    "day_number",
    "select_sessions",
    "stream",
    "to_date",
]

_CHUNK = 64  # symbols generated together
_REFERENCE_YEAR = 2019  # a plain year: 252 NYSE sessions, 365 calendar days
_MEAN_ABS_SHOCK = 0.75  # E|z| of a unit-variance shock with the model's fat tails


@dataclass(frozen=True, slots=True)
class DailyArrays:
    """Daily OHLCV for several symbols: one row per symbol, one column per session."""

    days: IntArray  # session dates as day numbers
    open: FloatArray
    high: FloatArray
    low: FloatArray
    close: FloatArray
    volume: IntArray
    prev_close: FloatArray
    sigma: FloatArray  # the session's conditional volatility of log returns (per session)


@dataclass(frozen=True, slots=True)
class SymbolPath:
    """One symbol's whole timeline: log closes and the shape of each session's bar."""

    log_close: FloatArray
    earnings: FloatArray  # the session's earnings move (0 on other days)
    sigma: FloatArray  # the session's conditional volatility
    gap_z: FloatArray  # draws that shape each bar (open, high, low) around its return
    high_u: FloatArray
    low_u: FloatArray
    volume: IntArray
    horizon: int
    anchor_level: float  # log close before the first session (the epoch's previous close)
    actions: ActionPath  # dividends and splits: the factors between model and traded prices


class DailyModel:
    """Generate daily bars for any symbols and dates, deterministically from a seed."""

    def __init__(
        self,
        *,
        seed: int,
        calendar: MarketCalendar,
        market: MarketModel,
        anchor_on: date,
        epoch_year: int = 2015,
        cache_size: int = 2048,
    ) -> None:
        if anchor_on.year < epoch_year:
            raise ValueError("the anchor session must not lie before the epoch")
        self.seed = seed
        self.calendar = calendar
        self.market = market
        self.anchor_on = anchor_on
        self.epoch_year = epoch_year
        self.periods_per_year = len(
            calendar.sessions(date(_REFERENCE_YEAR, 1, 1), date(_REFERENCE_YEAR, 12, 31))
        )
        # A market that never closes has no overnight gap.
        self.overnight_share = market.overnight_share if self.periods_per_year < 365 else 0.0
        self._paths: LruCache[str, SymbolPath] = LruCache(cache_size)
        self._sessions: LruCache[int, IntArray] = LruCache(256)
        self._factors: dict[str, tuple[int, FloatArray, FloatArray]] = {}
        self._timeline: Timeline | None = None
        self._market: MarketPath | None = None
        self._horizon = anchor_on.year

    @property
    def epoch(self) -> date:
        """Return the first day of the generated history."""
        return date(self.epoch_year, 1, 1)

    def history(
        self, models: Sequence[SymbolModel], start: date, end: date, *, through: int | None = None
    ) -> DailyArrays:
        """Return daily OHLCV of `models` for the sessions from `start` to `end`.

        `through` asks for the history to be generated up to the end of that year at
        least (the provider passes the current year, so the horizon moves once a year).
        """
        self._horizon = max(self._horizon, end.year, through or 0)
        timeline = self.timeline()
        paths = self._symbol_paths(models)
        first = int(np.searchsorted(timeline.days, day_number(max(start, self.epoch))))
        last = int(np.searchsorted(timeline.days, day_number(end), side="right"))
        return _arrays(timeline.days[first:last], paths, (first, last), self.overnight_share)

    def corporate_actions(
        self, model: SymbolModel, *, through: int | None = None
    ) -> tuple[CorporateAction, ...]:
        """Return every dividend and split of `model` decided over the generated timeline."""
        self._horizon = max(self._horizon, through or 0)
        return self._symbol_paths([model])[0].actions.actions

    def sessions_of(self, year: int) -> IntArray:
        """Return the sessions of `year` as day numbers."""
        cached = self._sessions.get(year)
        if cached is not None:
            return cached
        days = self.calendar.sessions(date(year, 1, 1), date(year, 12, 31))
        return self._sessions.put(year, np.array([day_number(d) for d in days], dtype=np.int64))

    def timeline(self) -> Timeline:
        """Return the sessions from the epoch to the end of the current horizon year."""
        current = self._timeline
        if current is None or current.horizon < self._horizon:
            years = range(self.epoch_year, self._horizon + 1)
            current = make_timeline({y: self.sessions_of(y) for y in years}, self.periods_per_year)
            self._timeline = current
        return current

    def market_path(self) -> MarketPath:
        """Return the market factor over the timeline."""
        timeline = self.timeline()
        current = self._market
        if current is None or current.horizon < timeline.horizon:
            current = self._market = market_path(self.seed, timeline, self.market)
        return current

    def factors(self, names: Sequence[str]) -> FactorPaths:
        """Return sector/industry factors by name (columns in the order of `names`)."""
        timeline = self.timeline()
        missing = [
            name
            for name in dict.fromkeys(names)
            if (found := self._factors.get(name)) is None or found[0] < timeline.horizon
        ]
        if missing:
            fresh = factor_paths(
                self.seed, missing, timeline, self.market, self.market_path().common
            )
            for column, name in enumerate(missing):
                values = (fresh.returns[:, column], fresh.variance[:, column])
                self._factors[name] = (timeline.horizon, *values)
        return FactorPaths(
            returns=np.stack([self._factors[name][1] for name in names], axis=1),
            variance=np.stack([self._factors[name][2] for name in names], axis=1),
        )

    def _symbol_paths(self, models: Sequence[SymbolModel]) -> list[SymbolPath]:
        """Return the paths of `models`, generating the missing ones together."""
        horizon = self.timeline().horizon
        found: dict[str, SymbolPath | None] = {m.symbol: self._paths.get(m.symbol) for m in models}
        missing = [m for m in models if (path := found[m.symbol]) is None or path.horizon < horizon]
        # In chunks: every symbol's path is computed on its own, and small batches keep the
        # working arrays in memory that is reused rather than freshly mapped (page faults
        # cost more than the arithmetic).
        for first in range(0, len(missing), _CHUNK):
            chunk = missing[first : first + _CHUNK]
            for model, fresh in zip(chunk, self._generate(chunk), strict=True):
                found[model.symbol] = self._paths.put(model.symbol, fresh)
        return [path for m in models if (path := found[m.symbol]) is not None]

    @functools.cached_property
    def _anchor_index(self) -> int:
        """Return the timeline index of the anchor session (the first on or after anchor_on)."""
        index = int(np.searchsorted(self.timeline().days, day_number(self.anchor_on)))
        if index >= len(self.timeline()):
            raise ValueError("the calendar has no session after the anchor date")
        return index

    def _generate(self, models: Sequence[SymbolModel]) -> list[SymbolPath]:
        """Generate the whole timeline of `models` in one vectorised pass."""
        timeline = self.timeline()
        coef = _Coefficients.of(models, self.periods_per_year)
        draws = _draws(self.seed, models, timeline, self.market)
        market = self.market_path()
        sectors = self.factors([m.sector for m in models])
        industries = self.factors([m.industry for m in models])
        reaction = egarch_multiplier(
            draws.shock, coef.alpha, coef.gamma, coef.beta, MEAN_ABS_NORMAL
        )
        own_variance = coef.idio_variance * market.common[:, None] * reaction
        own = np.sqrt(own_variance) * draws.shock
        earnings, news = draws.earnings, draws.news
        returns = (
            coef.drift
            + coef.beta_m * market.returns[:, None]
            + coef.sector * sectors.returns
            + coef.industry * industries.returns
            + own
            + news
            + earnings
        )
        variance = (
            coef.beta_m**2 * market.variance[:, None]
            + coef.sector**2 * sectors.variance
            + coef.industry**2 * industries.variance
            + own_variance
        )
        volume = _volume(coef, returns, draws.level_z, earnings != 0.0, self.market).T.copy()
        cumulative = np.cumsum(returns, axis=0)
        start = np.log(coef.base_price) - cumulative[self._anchor_index]
        # One transposition each, so that every symbol's row below is a contiguous view.
        log_close = (start + cumulative).T.copy()
        sigma, moves = np.sqrt(variance).T.copy(), earnings.T.copy()
        gap_z, high_u, low_u = draws.shaping
        return [
            SymbolPath(
                log_close=log_close[i],
                earnings=moves[i],
                sigma=sigma[i],
                gap_z=gap_z[i],
                high_u=high_u[i],
                low_u=low_u[i],
                volume=volume[i],
                horizon=timeline.horizon,
                anchor_level=float(start[i]),
                actions=action_path(
                    self.seed, models[i], timeline.days, log_close[i], self._anchor_index
                ),
            )
            for i in range(len(models))
        ]


# --- Draws and coefficients -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Draws:
    """Every random number a batch of symbols needs, as (sessions, symbols) arrays."""

    shock: FloatArray
    level_z: FloatArray  # innovations of the volume level
    earnings: FloatArray  # the earnings move on each report session, else 0
    news: FloatArray  # the news jumps of each session, else 0
    shaping: tuple[FloatArray, FloatArray, FloatArray]  # (symbols, sessions): gap_z, high_u, low_u


# Each symbol has two streams, drawn year after year from the epoch (a longer horizon only
# appends), one block per year laid out session by session: normals [shock per session,
# 4 earnings sizes, 4 news sizes]; uniforms [high, low, gap, volume level per session,
# 4 news days, 4 news chances], after one leading uniform that places the company in the
# earnings season. The gap and volume-level innovations need unit variance, not normality,
# so they are uniforms (cheaper to draw).
_TAIL = 8  # the per-year numbers after the per-session ones
_SESSION_UNIFORMS = 4
_NEWS_CANDIDATES = 4
_UNIT_UNIFORM = math.sqrt(3.0)  # (2u - 1)·√3 has mean 0 and variance 1


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where each session's and each year's numbers sit in a symbol's two streams."""

    normals: int  # how many normals the timeline needs
    uniforms: int
    shock: IntArray  # (sessions,) positions in the normals
    normal_tail: IntArray  # (years, 8)
    session_uniforms: IntArray  # (4, sessions) positions in the uniforms
    uniform_tail: IntArray  # (years, 8)


def _layout(timeline: Timeline) -> _Layout:
    """Lay the timeline's years one after the other in the two streams."""
    sizes = np.array([last - first for first, last in timeline.bounds], dtype=np.int64)
    normal_start = np.concatenate([[0], np.cumsum(sizes + _TAIL)[:-1]])
    uniform_start = np.concatenate([[0], np.cumsum(_SESSION_UNIFORMS * sizes + _TAIL)[:-1]])
    within = np.concatenate([np.arange(size) for size in sizes.tolist()])
    year_of = np.repeat(np.arange(len(sizes)), sizes)
    tail = np.arange(_TAIL)
    kinds = np.arange(_SESSION_UNIFORMS)[:, None]
    return _Layout(
        normals=int((sizes + _TAIL).sum()),
        uniforms=int((_SESSION_UNIFORMS * sizes + _TAIL).sum()),
        shock=normal_start[year_of] + within,
        normal_tail=(normal_start + sizes)[:, None] + tail,
        session_uniforms=uniform_start[year_of] + kinds * sizes[year_of] + within,
        uniform_tail=(uniform_start + _SESSION_UNIFORMS * sizes)[:, None] + tail,
    )


def _draws(
    seed: int, models: Sequence[SymbolModel], timeline: Timeline, market: MarketModel
) -> _Draws:
    """Draw each symbol's numbers and lay them on the timeline's sessions."""
    width, count = len(models), len(timeline)
    layout = _layout(timeline)
    shock = np.empty((width, count))
    high_u, low_u, gap_z, level_u = (np.empty((width, count)) for _ in range(_SESSION_UNIFORMS))
    earnings = np.zeros((count, width))
    news = np.zeros((count, width))
    year_starts = np.array([day_number(date(y, 1, 1)) for y in timeline.years], dtype=np.int64)
    news_chance = market.news_jumps_per_year / _NEWS_CANDIDATES
    for column, model in enumerate(models):
        normals = stream(seed, model.symbol, "normal").standard_normal(layout.normals)
        uniform_rng = stream(seed, model.symbol, "uniform")
        phase = float(uniform_rng.random())
        uniforms = uniform_rng.random(layout.uniforms)
        shock[column] = normals[layout.shock]
        for target, positions in zip(
            (high_u, low_u, gap_z, level_u), layout.session_uniforms, strict=True
        ):
            target[column] = uniforms[positions]
        sizes = normals[layout.normal_tail]
        if model.earnings_stdev > 0.0:
            nominal = np.array(earnings_days(timeline.years[0], timeline.horizon, phase))
            index, kept = event_sessions(timeline.days, nominal)
            earnings[index, column] = model.earnings_stdev * sizes[:, :4].reshape(-1)[kept]
        if model.news_stdev > 0.0:
            chances = uniforms[layout.uniform_tail]
            when = (chances[:, :_NEWS_CANDIDATES] * 365).astype(np.int64) + year_starts[:, None]
            happens = chances[:, _NEWS_CANDIDATES:] < news_chance
            index, kept = event_sessions(timeline.days, when.reshape(-1))
            jumps = (model.news_stdev * sizes[:, 4:] * happens).reshape(-1)[kept]
            np.add.at(news[:, column], index, jumps)
    for unit in (gap_z, level_u):  # in place: (2u - 1)·√3
        unit *= 2.0 * _UNIT_UNIFORM
        unit -= _UNIT_UNIFORM
    for extreme in (high_u, low_u):  # 1 - u is in (0, 1]: its log is finite
        np.subtract(1.0, extreme, out=extreme)
    return _Draws(
        shock=np.ascontiguousarray(shock.T),
        level_z=np.ascontiguousarray(level_u.T),
        earnings=earnings,
        news=news,
        shaping=(gap_z, high_u, low_u),
    )


@dataclass(frozen=True, slots=True)
class _Coefficients:
    """Per-session coefficients of several symbols as row vectors (one column per symbol)."""

    base_price: FloatArray
    drift: FloatArray  # log drift per session
    beta_m: FloatArray
    sector: FloatArray  # loadings on the unit-variance factors
    industry: FloatArray
    idio_variance: FloatArray  # long-run own diffusive variance per session
    alpha: FloatArray
    gamma: FloatArray
    beta: FloatArray
    sigma: FloatArray  # long-run total volatility per session
    avg_volume: FloatArray

    @classmethod
    def of(cls, models: Sequence[SymbolModel], periods: int) -> _Coefficients:
        """Scale annual figures to one session."""

        def row(values: list[float]) -> FloatArray:
            return np.array(values, dtype=np.float64)

        dt = 1.0 / periods
        return cls(
            base_price=row([m.base_price for m in models]),
            drift=row([(m.drift - 0.5 * m.volatility**2) * dt for m in models]),
            beta_m=row([m.beta for m in models]),
            sector=row([m.sector_loading for m in models]),
            industry=row([m.industry_loading for m in models]),
            idio_variance=row([m.idio_volatility**2 * dt for m in models]),
            alpha=row([m.garch.alpha for m in models]),
            gamma=row([m.garch.gamma for m in models]),
            beta=row([m.garch.beta for m in models]),
            sigma=row([m.volatility * math.sqrt(dt) for m in models]),
            avg_volume=row([m.avg_volume for m in models]),
        )


# --- Vectorised pieces ----------------------------------------------------------------------


def _shape(
    returns: FloatArray, path: _Window, overnight: float
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Place the open inside the day's move and draw the high and low of a Brownian bridge.

    The open is a Brownian-bridge point at the overnight share of the day's variance; an
    earnings move happens overnight (companies report outside trading hours).
    """
    if overnight > 0.0:
        noise = math.sqrt(overnight * (1 - overnight)) * path.sigma * path.gap_z
        gap = overnight * (returns - path.earnings) + path.earnings + noise
    else:
        gap = np.zeros_like(returns)
    intraday_variance = (1.0 - overnight) * path.sigma**2
    move = np.abs(returns - gap)
    # Exact inverse of P(max > m) = exp(-2 (m - a)(m - b) / v) for a bridge from a to b.
    up = 0.5 * (np.sqrt(move**2 - 2.0 * intraday_variance * np.log(path.high_u)) - move)
    down = 0.5 * (np.sqrt(move**2 - 2.0 * intraday_variance * np.log(path.low_u)) - move)
    return gap, up, down


def _volume(
    coef: _Coefficients,
    returns: FloatArray,
    level_z: FloatArray,
    events: npt.NDArray[np.bool_],
    market: MarketModel,
) -> IntArray:
    """Draw session volume: a persistent log level, higher on large moves and event days."""
    phi, level_sd = market.volume_persistence, market.volume_level_noise
    steps = level_z * (level_sd * math.sqrt(1.0 - phi * phi))
    steps[0] = level_z[0] * level_sd  # start from the stationary distribution
    level = ar1(steps + events * market.earnings_volume, phi)
    surprise = np.abs(returns - coef.drift) / coef.sigma
    weight = market.volume_move_weight
    # (1 - 0.75 w) + w·|z| averages about 1, so the mean stays near the average volume.
    activity = (1.0 - weight * _MEAN_ABS_SHOCK) + weight * surprise
    shares = np.rint(coef.avg_volume * np.exp(level - 0.5 * level_sd**2) * activity)
    return np.maximum(shares, 1.0).astype(np.int64)


@dataclass(frozen=True, slots=True)
class _Window:
    """The stored per-session values of several symbols over a window, (symbols, sessions)."""

    earnings: FloatArray
    sigma: FloatArray
    gap_z: FloatArray
    high_u: FloatArray
    low_u: FloatArray


def _arrays(
    days: IntArray, paths: list[SymbolPath], window: tuple[int, int], overnight: float
) -> DailyArrays:
    """Turn the sessions [first, last) of symbol paths into absolute OHLC arrays."""
    first, last = window
    if not paths:
        empty = np.empty((0, len(days)))
        return DailyArrays(days, empty, empty, empty, empty, empty.astype(np.int64), empty, empty)
    close = np.stack([p.log_close[first:last] for p in paths])
    if first > 0:
        prev = np.stack([p.log_close[first - 1 : last - 1] for p in paths])
    else:
        starts = np.array([[p.anchor_level] for p in paths])
        prev = np.concatenate([starts, close[:, :-1]], axis=1)
    values = _Window(
        *(
            np.stack([getattr(p, name)[first:last] for p in paths])
            for name in ("earnings", "sigma", "gap_z", "high_u", "low_u")
        )
    )
    gap, up, down = _shape(close - prev, values, overnight)
    opened = prev + gap
    # The bar is shaped on the model (adjusted) path, then scaled to the traded price.
    factor = np.stack([p.actions.log_factor[first:last] for p in paths])
    if first > 0:
        prev_factor = np.stack([p.actions.log_factor[first - 1 : last - 1] for p in paths])
    else:
        prev_factor = np.concatenate([np.zeros((len(paths), 1)), factor[:, :-1]], axis=1)
    shares = np.stack([p.actions.shares[first:last] for p in paths])
    volume = np.rint(np.stack([p.volume[first:last] for p in paths]) * shares).astype(np.int64)
    return DailyArrays(
        days=days,
        open=np.exp(opened + factor),
        high=np.exp(np.maximum(opened, close) + up + factor),
        low=np.exp(np.minimum(opened, close) - down + factor),
        close=np.exp(close + factor),
        volume=volume,
        prev_close=np.exp(prev + prev_factor),
        sigma=values.sigma,
    )


def select_sessions(arrays: DailyArrays, keep: npt.NDArray[np.bool_]) -> DailyArrays:
    """Keep only the sessions flagged in `keep`."""
    return DailyArrays(
        days=arrays.days[keep],
        open=arrays.open[:, keep],
        high=arrays.high[:, keep],
        low=arrays.low[:, keep],
        close=arrays.close[:, keep],
        volume=arrays.volume[:, keep],
        prev_close=arrays.prev_close[:, keep],
        sigma=arrays.sigma[:, keep],
    )
