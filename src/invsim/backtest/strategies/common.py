"""Parameters and calendar helpers the built-in strategies share."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

import numpy as np

from invsim.backtest.bars import FloatArray
from invsim.backtest.params import Param

FRACTION = Param("decimal", Decimal("1"), Decimal("0.01"), Decimal("1"),
                 "share of equity each entry uses (1 = all of it)")
PERIODS = ("monthly", "quarterly", "yearly")


def period_key(at: datetime, period: str) -> tuple[int, int]:
    """Return the calendar period (year, month/quarter/0) an instant falls in."""
    if period == "monthly":
        return (at.year, at.month)
    if period == "quarterly":
        return (at.year, (at.month - 1) // 3)
    return (at.year, 0)


def period_starts(times: Sequence[datetime], period: str) -> FloatArray:
    """Mark the first calendar step of each period (1.0), the rest 0.0."""
    marked = np.zeros(len(times))
    previous: tuple[int, int] | None = None
    for step, at in enumerate(times):
        key = period_key(at, period)
        if key != previous:
            marked[step], previous = 1.0, key
    return marked
