"""Historical bars for a backtest: one symbol's series, and several aligned on one calendar."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from invsim.core.money import ZERO

FloatArray = npt.NDArray[np.float64]


class BarsError(ValueError):
    """Bars that cannot be backtested (the message says why, in one line)."""


@dataclass(frozen=True, slots=True)
class OHLCV:
    """One bar: its start instant (aware UTC), prices and volume."""

    at: datetime
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: Decimal


@dataclass(frozen=True)
class BarSeries:
    """One symbol's bars in ascending time, checked once here so the engine can trust them."""

    symbol: str
    bars: tuple[OHLCV, ...]
    closes: FloatArray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Refuse empty, unsorted, naive-time or impossible bars; cache the closes as floats."""
        _check_series(self.symbol, self.bars)
        object.__setattr__(self, "closes", np.array([float(b.close) for b in self.bars]))

    def __len__(self) -> int:
        """Return the number of bars."""
        return len(self.bars)


@dataclass(frozen=True)
class Panel:
    """Several symbols on one calendar: the sorted union of their bar times.

    `index[symbol][t]` is the position of that symbol's bar at calendar step t,
    or -1 where the symbol has no bar (not listed yet, a holiday of its own):
    on such a step its orders wait and it is valued at its last close.
    """

    series: Mapping[str, BarSeries]
    times: tuple[datetime, ...]
    index: Mapping[str, npt.NDArray[np.int64]]

    @property
    def symbols(self) -> list[str]:
        """Return the symbols in the order they were given."""
        return list(self.series)

    def bar(self, symbol: str, step: int) -> OHLCV | None:
        """Return a symbol's bar at a calendar step, or None where it has none."""
        position = int(self.index[symbol][step])
        return None if position < 0 else self.series[symbol].bars[position]

    def close_on_or_before(self, symbol: str, step: int) -> Decimal | None:
        """Return a symbol's last close at or before a step (None before its first bar)."""
        positions = self.index[symbol][: step + 1]
        known = positions[positions >= 0]
        return None if known.size == 0 else self.series[symbol].bars[int(known[-1])].close

    def closes(self, symbol: str) -> FloatArray:
        """Return a symbol's closes on the calendar, carried forward (NaN before its first bar)."""
        return self.field(symbol, "close")

    def field(self, symbol: str, name: str) -> FloatArray:
        """Return one field (open, high, low, close, volume) on the calendar, carried forward."""
        series = self.series[symbol]
        own = series.closes if name == "close" else np.array(
            [float(getattr(bar, name)) for bar in series.bars])
        positions = self.index[symbol]
        carried = np.maximum.accumulate(np.where(positions >= 0, positions, -1))
        values = np.full(len(self.times), np.nan)
        known = carried >= 0
        values[known] = own[carried[known]]
        return values


def align(series: Sequence[BarSeries]) -> Panel:
    """Put several series on the union of their bar times."""
    if not series:
        raise BarsError("give at least one symbol")
    names = [s.symbol for s in series]
    if len(set(names)) != len(names):
        raise BarsError("a symbol is given twice")
    times = tuple(sorted({bar.at for s in series for bar in s.bars}))
    where = {t: i for i, t in enumerate(times)}
    index: dict[str, npt.NDArray[np.int64]] = {}
    for s in series:
        positions = np.full(len(times), -1, dtype=np.int64)
        positions[[where[bar.at] for bar in s.bars]] = np.arange(len(s.bars))
        index[s.symbol] = positions
    return Panel({s.symbol: s for s in series}, times, index)


def clip(panel: Panel, start: datetime | None, end: datetime | None) -> Panel:
    """Keep the calendar steps within [start, end]; refuse a range that keeps nothing."""
    kept = [s for s in panel.series.values()
            if any(_inside(b.at, start, end) for b in s.bars)]
    missing = [s for s in panel.series if s not in {k.symbol for k in kept}]
    if missing:
        raise BarsError(f"no bars for {', '.join(missing)} in the requested range")
    return align([BarSeries(s.symbol, tuple(b for b in s.bars if _inside(b.at, start, end)))
                  for s in kept])


def _inside(at: datetime, start: datetime | None, end: datetime | None) -> bool:
    """Say whether an instant falls within an optional closed range."""
    return (start is None or at >= start) and (end is None or at <= end)


def _check_series(symbol: str, bars: Sequence[OHLCV]) -> None:
    """Raise BarsError naming the first problem of a series."""
    if not bars:
        raise BarsError(f"{symbol}: no bars")
    previous: datetime | None = None
    for bar in bars:
        if bar.at.tzinfo is None:
            raise BarsError(f"{symbol}: bar times must be timezone-aware (UTC)")
        if previous is not None and bar.at <= previous:
            raise BarsError(f"{symbol}: dates are not strictly increasing at {bar.at:%Y-%m-%d}")
        _check_prices(symbol, bar)
        previous = bar.at


def _check_prices(symbol: str, bar: OHLCV) -> None:
    """Refuse NaN, non-positive or inconsistent prices and negative volume."""
    values = (bar.open, bar.high, bar.low, bar.close, bar.volume)
    if any(not v.is_finite() for v in values):
        raise BarsError(f"{symbol}: a price or volume is NaN or infinite on {bar.at:%Y-%m-%d}")
    if min(values[:4]) <= ZERO or bar.volume < ZERO:
        raise BarsError(f"{symbol}: prices must be positive and volume not negative "
                        f"on {bar.at:%Y-%m-%d}")
    if not bar.low <= min(bar.open, bar.close) <= max(bar.open, bar.close) <= bar.high:
        raise BarsError(f"{symbol}: open and close must lie between low and high "
                        f"on {bar.at:%Y-%m-%d}")
