"""The daily model of the simulated market: one OHLCV row per symbol and session.

Random draws come from streams keyed by (seed, symbol, year) and (seed, market, year), so any
process computes the same prices without shared state. Every calendar day of a year owns a
fixed slot in those streams: a session's draws do not depend on which other days trade.

Log prices are chained outward from the anchor session, where the close equals the listing's
base price, always in the same order, so a day's price never depends on the range requested.
"""

from __future__ import annotations

import functools
import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from invsim.core.clock import MarketCalendar
from invsim.market.providers.simulated_cache import LruCache
from invsim.market.providers.simulated_params import MarketModel, SymbolModel

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

SLOTS_PER_YEAR = 366
MARKET_KEY = "^MARKET"
_EPOCH = date(1970, 1, 1)
_REFERENCE_YEAR = 2019  # a plain year: 252 NYSE sessions, 365 calendar days


def stream(seed: int, *parts: object) -> np.random.Generator:
    """Return the random stream for (seed, *parts); stable across processes and runs."""
    key = "|".join(str(part) for part in (seed, *parts)).encode()
    entropy = int.from_bytes(hashlib.blake2b(key, digest_size=16).digest(), "big")
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy)))


def day_number(on: date) -> int:
    """Return days since 1970-01-01."""
    return (on - _EPOCH).days


def to_date(number: int) -> date:
    """Return the date `number` days after 1970-01-01."""
    return date.fromordinal(_EPOCH.toordinal() + int(number))


@dataclass(frozen=True, slots=True)
class YearRow:
    """One symbol's session values for one year, relative to the previous year's last close."""

    log_return: FloatArray  # close-to-close
    gap: FloatArray  # log(open / previous close)
    up: FloatArray  # log(high) - max(log open, log close)
    down: FloatArray  # min(log open, log close) - log(low)
    volume: IntArray
    cumulative: FloatArray  # cumsum(log_return), in a fixed order

    @property
    def total(self) -> float:
        """Return the year's total log return."""
        return float(self.cumulative[-1]) if len(self.cumulative) else 0.0


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


class DailyModel:
    """Generate daily bars for any symbols and dates, deterministically from a seed."""

    def __init__(
        self,
        *,
        seed: int,
        calendar: MarketCalendar,
        market: MarketModel,
        anchor_on: date,
        cache_size: int = 2048,
    ) -> None:
        self.seed = seed
        self.calendar = calendar
        self.market = market
        self.anchor_on = anchor_on
        self.periods_per_year = len(
            calendar.sessions(date(_REFERENCE_YEAR, 1, 1), date(_REFERENCE_YEAR, 12, 31))
        )
        # A market that never closes has no overnight gap.
        self.overnight_share = market.overnight_share if self.periods_per_year < 365 else 0.0
        self._rows: LruCache[tuple[str, int], YearRow] = LruCache(cache_size)
        self._levels: LruCache[tuple[str, int], float] = LruCache(cache_size * 4)
        self._sessions: LruCache[int, IntArray] = LruCache(256)
        self._market_years: LruCache[int, FloatArray] = LruCache(256)

    def history(self, models: Sequence[SymbolModel], start: date, end: date) -> DailyArrays:
        """Return daily OHLCV of `models` for the sessions from `start` to `end`."""
        anchor_year = self._anchor_year()
        # Generate every year between the range and the anchor together, before chaining.
        for year in range(min(start.year, anchor_year), max(end.year, anchor_year) + 1):
            self.year_rows(models, year)
        years = range(start.year, end.year + 1)
        rows = [self.year_rows(models, year) for year in years]
        previous = np.array([[self.year_end_level(m, year - 1) for m in models] for year in years])
        days = np.concatenate([self.sessions_of(year) for year in years])
        parts = [_levels(rows_y, previous[i]) for i, rows_y in enumerate(rows)]
        arrays = _join(days, parts, [np.stack([r.volume for r in rows_y]) for rows_y in rows])
        keep = (days >= day_number(start)) & (days <= day_number(end))
        return select_sessions(arrays, keep)

    def sessions_of(self, year: int) -> IntArray:
        """Return the sessions of `year` as day numbers."""
        cached = self._sessions.get(year)
        if cached is not None:
            return cached
        days = self.calendar.sessions(date(year, 1, 1), date(year, 12, 31))
        return self._sessions.put(year, np.array([day_number(d) for d in days], dtype=np.int64))

    def year_rows(self, models: Sequence[SymbolModel], year: int) -> list[YearRow]:
        """Return the year rows of `models`, generating the missing ones together."""
        found: dict[str, YearRow | None] = {
            m.symbol: self._rows.get((m.symbol, year)) for m in models
        }
        missing = [m for m in models if found[m.symbol] is None]
        if missing:
            for model, fresh in zip(missing, self._generate(missing, year), strict=True):
                found[model.symbol] = self._rows.put((model.symbol, year), fresh)
        return [row for m in models if (row := found[m.symbol]) is not None]

    def year_end_level(self, model: SymbolModel, year: int) -> float:
        """Return the log close of the last session of `year`, chained from the anchor."""
        cached = self._levels.get((model.symbol, year))
        if cached is not None:
            return cached
        anchor_year = self._anchor_year()
        if year == anchor_year - 1:
            anchor_row = self.year_rows([model], anchor_year)[0]
            level = math.log(model.base_price) - float(anchor_row.cumulative[self._anchor_index()])
        elif year >= anchor_year:
            level = self.year_end_level(model, year - 1) + self.year_rows([model], year)[0].total
        else:
            level = (
                self.year_end_level(model, year + 1) - self.year_rows([model], year + 1)[0].total
            )
        return self._levels.put((model.symbol, year), level)

    def _anchor_year(self) -> int:
        """Return the year of the anchor session."""
        return self._anchor[0]

    def _anchor_index(self) -> int:
        """Return the position of the anchor session within its year."""
        return self._anchor[1]

    @functools.cached_property
    def _anchor(self) -> tuple[int, int]:
        """Find the anchor session (the first on or after anchor_on): its year and position."""
        for year in (self.anchor_on.year, self.anchor_on.year + 1):
            days = self.sessions_of(year)
            index = int(np.searchsorted(days, day_number(self.anchor_on)))
            if index < len(days):
                return year, index
        raise ValueError("the calendar has no session after the anchor date")

    def _market_year(self, year: int) -> FloatArray:
        """Return the market factor's log return for every calendar slot of `year`."""
        cached = self._market_years.get(year)
        if cached is not None:
            return cached
        m, dt = self.market, 1.0 / self.periods_per_year
        rng = stream(self.seed, MARKET_KEY, year)
        shock = _standard_t(rng, m.tail_dof, SLOTS_PER_YEAR)
        jump_u, jump_z = rng.random(SLOTS_PER_YEAR), rng.standard_normal(SLOTS_PER_YEAR)
        diffusion = math.sqrt(
            m.volatility**2 - m.jumps_per_year * (m.jump_mean**2 + m.jump_stdev**2)
        )
        jumps = (jump_u < m.jumps_per_year * dt) * (m.jump_mean + m.jump_stdev * jump_z)
        # Remove the jumps' mean so the factor itself has no drift.
        factor = diffusion * math.sqrt(dt) * shock + jumps - m.jumps_per_year * dt * m.jump_mean
        return self._market_years.put(year, factor)

    def _generate(self, models: Sequence[SymbolModel], year: int) -> list[YearRow]:
        """Generate the year rows of `models` in one vectorised pass."""
        days = self.sessions_of(year)
        slots = days - day_number(date(year, 1, 1))
        draws = np.stack([_symbol_draws(self.seed, m.symbol, year, self.market) for m in models])
        draws = draws[:, :, slots]  # (symbols, kinds, sessions)
        coef = _Coefficients.of(models, self.market, self.periods_per_year)
        market = self._market_year(year)[slots]
        returns = _returns(coef, market, draws, self.market)
        gap, up, down = _shape(coef, returns, draws, self.overnight_share)
        volume = _volume(coef, returns, draws[:, 6], self.market)
        cumulative = np.cumsum(returns, axis=1)
        return [
            YearRow(returns[i], gap[i], up[i], down[i], volume[i], cumulative[i])
            for i in range(len(models))
        ]


# --- Vectorised pieces ----------------------------------------------------------------------

_DRAW_KINDS = 7  # shock, jump_u, jump_z, gap_z, high_u, low_u, volume_z


def _standard_t(rng: np.random.Generator, dof: float, size: int) -> FloatArray:
    """Draw Student-t shocks scaled to unit variance (fat tails, same volatility)."""
    return rng.standard_t(dof, size) * math.sqrt((dof - 2.0) / dof)


def _symbol_draws(seed: int, symbol: str, year: int, market: MarketModel) -> FloatArray:
    """Draw every random number one symbol needs for one year, in a fixed order."""
    rng = stream(seed, symbol, year)
    shock = _standard_t(rng, market.tail_dof, SLOTS_PER_YEAR)
    rest = [
        rng.random(SLOTS_PER_YEAR),
        rng.standard_normal(SLOTS_PER_YEAR),
        rng.standard_normal(SLOTS_PER_YEAR),
        1.0 - rng.random(SLOTS_PER_YEAR),  # in (0, 1]: its log is finite
        1.0 - rng.random(SLOTS_PER_YEAR),
        rng.standard_normal(SLOTS_PER_YEAR),
    ]
    return np.stack([shock, *rest])


@dataclass(frozen=True, slots=True)
class _Coefficients:
    """Per-session coefficients of several symbols as column vectors."""

    drift: FloatArray  # log drift per session
    beta: FloatArray
    idio: FloatArray  # idiosyncratic diffusion per session
    jump_stdev: FloatArray
    jump_chance: float  # probability of an idiosyncratic jump in one session
    sigma: FloatArray  # total volatility per session
    avg_volume: FloatArray

    @classmethod
    def of(cls, models: Sequence[SymbolModel], market: MarketModel, periods: int) -> _Coefficients:
        """Scale annual figures to one session."""

        def column(values: list[float]) -> FloatArray:
            return np.array(values, dtype=np.float64)[:, None]

        dt = 1.0 / periods
        return cls(
            drift=column([(m.drift - 0.5 * m.volatility**2) * dt for m in models]),
            beta=column([m.beta for m in models]),
            idio=column([m.idio_volatility * math.sqrt(dt) for m in models]),
            jump_stdev=column([m.idio_jump_stdev for m in models]),
            jump_chance=market.idio_jumps_per_year * dt,
            sigma=column([m.volatility * math.sqrt(dt) for m in models]),
            avg_volume=column([m.avg_volume for m in models]),
        )


def _returns(
    coef: _Coefficients, market: FloatArray, draws: FloatArray, settings: MarketModel
) -> FloatArray:
    """Combine drift, market factor, fat-tailed idiosyncratic shock and jumps."""
    jumps = (draws[:, 1] < coef.jump_chance) * coef.jump_stdev * draws[:, 2]
    result: FloatArray = coef.drift + coef.beta * market + coef.idio * draws[:, 0] + jumps
    return result


def _shape(
    coef: _Coefficients, returns: FloatArray, draws: FloatArray, overnight: float
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Place the open inside the day's move and draw the high and low of a Brownian bridge."""
    # The open is a Brownian-bridge point at the overnight share of the day's variance.
    gap = overnight * returns + math.sqrt(overnight * (1 - overnight)) * coef.sigma * draws[:, 3]
    intraday_variance = (1.0 - overnight) * coef.sigma**2
    move = np.abs(returns - gap)
    # Exact inverse of P(max > m) = exp(-2 (m - a)(m - b) / v) for a bridge from a to b.
    up = 0.5 * (np.sqrt(move**2 - 2.0 * intraday_variance * np.log(draws[:, 4])) - move)
    down = 0.5 * (np.sqrt(move**2 - 2.0 * intraday_variance * np.log(draws[:, 5])) - move)
    return gap, up, down


def _volume(
    coef: _Coefficients, returns: FloatArray, volume_z: FloatArray, market: MarketModel
) -> IntArray:
    """Draw session volume: log-normal around the average, higher on large moves."""
    surprise = np.abs(returns - coef.drift) / coef.sigma
    noise = np.exp(market.volume_noise * volume_z - 0.5 * market.volume_noise**2)
    # 0.55 + 0.6·E|z| is about 1, so the mean stays near the average volume.
    activity = (1.0 - market.volume_move_weight * 0.75) + market.volume_move_weight * surprise
    shares = np.rint(coef.avg_volume * noise * activity)
    return np.maximum(shares, 1.0).astype(np.int64)


def _levels(rows: list[YearRow], previous: FloatArray) -> tuple[FloatArray, ...]:
    """Turn relative year rows into absolute open/high/low/close/previous close."""
    base = previous[:, None]
    close = base + np.stack([row.cumulative for row in rows])
    prev = np.concatenate([base, close[:, :-1]], axis=1)
    opened = prev + np.stack([row.gap for row in rows])
    high = np.maximum(opened, close) + np.stack([row.up for row in rows])
    low = np.minimum(opened, close) - np.stack([row.down for row in rows])
    return tuple(np.exp(values) for values in (opened, high, low, close, prev))


def _join(
    days: IntArray, parts: list[tuple[FloatArray, ...]], volumes: list[IntArray]
) -> DailyArrays:
    """Concatenate per-year pieces along the session axis."""
    opened, high, low, close, prev = (
        np.concatenate([part[k] for part in parts], axis=1) for k in range(5)
    )
    volume = np.concatenate(volumes, axis=1)
    return DailyArrays(days, opened, high, low, close, volume, prev)


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
    )
