"""Returns by calendar month and by calendar year: the table and heatmap a quant reads first.

Pure. A period return r_t spans (d_{t−1}, d_t] and belongs to the month of its
end date d_t (empyrical's `aggregate_returns` and quantstats' `monthly_returns`
group the same way); a month's return compounds its period returns. The first
and last months are partial when the series starts or ends inside them.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from invsim.analytics.returns import FloatArray


@dataclass(frozen=True, slots=True)
class PeriodReturn:
    """The compounded return of one calendar month (month 1–12) or year (month None)."""

    year: int
    month: int | None
    value: float
    periods: int  # returns compounded: fewer than the month's sessions when partial
    first_on: date  # end date of its first return
    last_on: date  # end date of its last return


def _grouped(
    ends: Sequence[date], returns: FloatArray, key: str
) -> list[PeriodReturn]:
    """Compound consecutive returns sharing a (year, month) or a year."""
    if len(ends) != returns.size:
        raise ValueError("one end date per return")
    found = []
    indexed = range(len(ends))

    def label(i: int) -> tuple[int, int | None]:
        """Return the group of return i."""
        return ends[i].year, (ends[i].month if key == "month" else None)

    for (year, month), members in itertools.groupby(indexed, key=label):
        at = list(members)
        # Multiplying the factors (not summing logs) is what empyrical does.
        value = float(np.prod(1.0 + returns[at[0] : at[-1] + 1])) - 1.0
        found.append(PeriodReturn(year, month, value, len(at), ends[at[0]], ends[at[-1]]))
    return found


def monthly_returns(ends: Sequence[date], returns: FloatArray) -> list[PeriodReturn]:
    """Return one compounded return per calendar month that has returns, oldest first."""
    return _grouped(ends, returns, "month")


def yearly_returns(ends: Sequence[date], returns: FloatArray) -> list[PeriodReturn]:
    """Return one compounded return per calendar year that has returns, oldest first."""
    return _grouped(ends, returns, "year")
