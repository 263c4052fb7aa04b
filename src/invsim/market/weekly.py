"""Weekly bars built from daily bars: one bar per ISO week, starting at its first session."""

from __future__ import annotations

from itertools import groupby

from invsim.market.providers.base import Bar


def weekly_bars(daily: list[Bar]) -> list[Bar]:
    """Aggregate daily bars (oldest first) into weekly bars."""
    weeks = groupby(daily, key=lambda bar: bar.start.isocalendar()[:2])
    return [_merge(list(days)) for _, days in weeks]


def _merge(days: list[Bar]) -> Bar:
    """Combine one week's daily bars."""
    first, last = days[0], days[-1]
    return Bar(symbol=first.symbol, interval="1w", start=first.start, open=first.open,
               high=max(bar.high for bar in days), low=min(bar.low for bar in days),
               close=last.close, volume=sum(bar.volume for bar in days))
