"""How many observations make a year: the annualisation factor of a dated series.

Pure. Annualising by 252 a series that has a point on every calendar day (the
simulated market's `always_open` calendar) understates its volatility by a
factor √(252/365) and misstates its annual growth, so every annualised figure
uses the frequency the dates actually follow. See docs/analytics.md,
"Annualisation".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np

TRADING_DAYS_PER_YEAR = 252  # an exchange calendar: weekdays less holidays
CALENDAR_DAYS_PER_YEAR = 365  # a market open every day (always_open, crypto)
WEEKS_PER_YEAR = 52
MONTHS_PER_YEAR = 12
QUARTERS_PER_YEAR = 4

_SATURDAY = 5
# Median gap between observations (in days) from which a series is weekly,
# monthly, quarterly or yearly; below the first it is daily.
_GAP_BOUNDS = ((300.0, 1), (80.0, QUARTERS_PER_YEAR), (25.0, MONTHS_PER_YEAR),
               (5.0, WEEKS_PER_YEAR))


def periods_per_year(dates: Sequence[date]) -> int:
    """Return the observations per year the dates follow: 252, 365, 52, 12, 4 or 1.

    The median gap between consecutive dates tells the spacing; a daily series
    with any point on a Saturday or Sunday follows a seven-day calendar (365),
    one without follows an exchange's trading days (252). Fewer than two dates,
    or a daily series too short to include a weekend, count as trading days.
    """
    if len(dates) < 2:
        return TRADING_DAYS_PER_YEAR
    ordinals = np.fromiter(map(date.toordinal, dates), dtype=np.int64, count=len(dates))
    typical = float(np.median(np.diff(ordinals)))
    for bound, periods in _GAP_BOUNDS:
        if typical >= bound:
            return periods
    # weekday from the ordinal: day 1 (0001-01-01) was a Monday (0), as date.weekday counts
    if bool(np.any((ordinals - 1) % 7 >= _SATURDAY)):
        return CALENDAR_DAYS_PER_YEAR
    return TRADING_DAYS_PER_YEAR


def calendar_periods_per_year(calendar_name: str) -> int:
    """Return the sessions per year of a market calendar by name (always_open: 365)."""
    return CALENDAR_DAYS_PER_YEAR if calendar_name == "always_open" else TRADING_DAYS_PER_YEAR
