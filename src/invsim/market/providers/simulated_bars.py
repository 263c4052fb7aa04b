"""Turn the simulator's float arrays into Decimal prices and `Bar` values, and weekly bars.

This is the one boundary where the simulated market's floats become exact prices. It
rounds like `core.money.price` (4 decimals, 6 below one dollar, half-even), vectorised.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from itertools import repeat

import numpy as np

from invsim.core.money import PRICE_TICK, SUBDOLLAR_PRICE_TICK, decimal_places, price
from invsim.market.providers.base import Bar, Interval
from invsim.market.providers.simulated_model import FloatArray, IntArray

_SCALE = decimal_places(PRICE_TICK)
_SUBDOLLAR_SCALE = decimal_places(SUBDOLLAR_PRICE_TICK)


# Within this distance of half a tick, the float product may round differently from the
# exact decimal value, so those few values are rounded by money.price itself.
_NEAR_HALF = 1e-6


def to_prices(values: FloatArray) -> list[Decimal]:
    """Round floats to price ticks exactly as money.price does, vectorised, as Decimals."""
    flat = np.asarray(values, dtype=np.float64).ravel()
    big = np.abs(flat) >= 1.0
    scaled = flat * np.where(big, 10.0**_SCALE, 10.0**_SUBDOLLAR_SCALE)
    units = np.rint(scaled).astype(np.int64)
    near_half = np.abs(np.abs(scaled - np.floor(scaled)) - 0.5) < _NEAR_HALF
    # An integer number of ticks times the tick is exact and keeps the tick's exponent.
    if bool(big.all()) and not near_half.any():
        return list(map(operator.mul, map(Decimal, units.tolist()), repeat(PRICE_TICK)))
    ticks = [PRICE_TICK if b else SUBDOLLAR_PRICE_TICK for b in big.tolist()]
    result = list(map(operator.mul, map(Decimal, units.tolist()), ticks))
    for index in np.flatnonzero(near_half).tolist():
        result[index] = price(Decimal(float(flat[index])))
    return result


def to_price(value: float) -> Decimal:
    """Round one float to its price tick (the scalar twin of `to_prices`)."""
    return to_prices(np.array([value]))[0]


def bid_ask(last: float, spread_bps: float) -> tuple[Decimal, Decimal]:
    """Quote a bid below and an ask above `last`, on whole ticks, `spread_bps` apart or more."""
    half = last * spread_bps / 2.0 / 10_000.0
    step = 100 if last >= 1.0 else 10_000  # cents, or 1/100 cent below a dollar
    bid = Decimal(math.floor((last - half) * step)) / step
    ask = Decimal(math.ceil((last + half) * step)) / step
    return price(max(bid, Decimal(0))), price(ask)


def instants(seconds: IntArray) -> list[datetime]:
    """Turn epoch seconds into aware UTC datetimes."""
    return [datetime.fromtimestamp(value, tz=UTC) for value in seconds.tolist()]


def make_bars(
    symbol: str,
    interval: Interval,
    starts: Sequence[datetime],
    ohlc: Sequence[FloatArray],
    volume: IntArray,
) -> list[Bar]:
    """Build bars from parallel arrays of open, high, low, close and volume."""
    opens, highs, lows, closes = (to_prices(column) for column in ohlc)
    return list(
        map(
            Bar,
            repeat(symbol),
            repeat(interval),
            starts,
            opens,
            highs,
            lows,
            closes,
            volume.tolist(),
        )
    )


def week_groups(days: IntArray) -> IntArray:
    """Return the index of the first session of each Monday-to-Sunday week in `days`."""
    weeks = (days + 3) // 7  # 1970-01-01 was a Thursday: shift so weeks start on Monday
    result: IntArray = np.flatnonzero(np.concatenate([[True], np.diff(weeks) != 0]))
    return result


def weekly(
    days: IntArray, ohlc: Sequence[FloatArray], volume: IntArray
) -> tuple[IntArray, list[FloatArray], IntArray]:
    """Aggregate one symbol's daily rows into weeks; return first-session indexes and values."""
    firsts = week_groups(days)
    lasts = np.concatenate([firsts[1:] - 1, [len(days) - 1]])
    opens, highs, lows, closes = ohlc
    values = [
        opens[firsts],
        np.maximum.reduceat(highs, firsts),
        np.minimum.reduceat(lows, firsts),
        closes[lasts],
    ]
    return firsts, values, np.add.reduceat(volume, firsts)
