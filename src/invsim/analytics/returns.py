"""Return figures: flow-adjusted daily returns, TWR, annualisation and XIRR.

Pure numpy. Series arrive as float64 arrays (convert Decimal amounts once, at
the boundary, with `as_float_array`); results are plain floats expressed as
fractions (0.05 means 5 %), or None when the figure is not defined.
See docs/analytics.md for the conventions and worked examples.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

TRADING_DAYS_PER_YEAR = 252
# XIRR counts calendar days on a 365-day year, exactly like Excel's XIRR.
DAYS_PER_YEAR = 365

# Candidate values of ln(1 + rate over the span) that bracket an IRR when
# Newton's method fails; ±40 reaches growth or loss by a factor of e^40 (2e17).
_LOG_RATE_GRID = (-40.0, -20.0, -10.0, -5.0, -2.0, -1.0, -0.5, 0.0, 0.5, 1, 2, 5, 10, 20, 40)
_MAX_LOG_RATE = 700.0  # e^700 is about the largest growth a float holds


def as_float_array(values: Iterable[Decimal | float | int]) -> FloatArray:
    """Convert exact amounts to a float64 array at the analytics boundary."""
    return np.fromiter(map(float, values), dtype=np.float64)  # map: no generator frame


def simple_return(start_value: float, end_value: float, net_flows: float = 0.0) -> float | None:
    """Return the gain on the money put in: (end − start − net_flows) / (start + net_flows).

    It ignores when the money came and went (TWR and MWR account for that);
    None when nothing is left invested (start + net_flows ≤ 0).
    """
    invested = start_value + net_flows
    if not invested > 0:
        return None
    result = (end_value - invested) / invested
    return result if math.isfinite(result) else None


def growth_factors(equity: FloatArray, flows: FloatArray | None = None) -> FloatArray:
    """Return each period's wealth multiplier (E_t − F_t) / E_{t−1}.

    F_t is booked at the end of day t: it is inside E_t but earned nothing that
    day. A period that starts without capital (E_{t−1} ≤ 0) has none (NaN).
    """
    external = np.zeros_like(equity) if flows is None else flows
    previous = equity[:-1]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        raw = (equity[1:] - external[1:]) / previous
    # Short positions can push equity below zero; a chain-linked return cannot
    # go below −100 %, so the loss of everything is recorded as a factor of 0.
    floored: FloatArray = np.where(previous > 0, np.maximum(raw, 0.0), np.nan)
    return floored


def daily_returns(equity: FloatArray, flows: FloatArray | None = None) -> FloatArray:
    """Return each period's flow-adjusted return (E_t − F_t) / E_{t−1} − 1; NaN: no capital."""
    return growth_factors(equity, flows) - 1.0


def growth_index(returns: FloatArray) -> FloatArray:
    """Return the wealth of one unit invested at the start: [1, Π(1 + r)...]."""
    growth = np.empty(returns.size + 1, dtype=np.float64)
    growth[0] = 1.0
    np.cumprod(1.0 + returns, out=growth[1:])
    return growth


def cumulative_returns(returns: FloatArray) -> FloatArray:
    """Return the compounded return to date after each period."""
    return growth_index(returns)[1:] - 1.0


def compound(returns: FloatArray) -> float | None:
    """Chain-link period returns into one total return; None without periods."""
    if returns.size == 0:
        return None
    return float(np.prod(1.0 + returns)) - 1.0


def time_weighted_return(equity: FloatArray, flows: FloatArray | None = None) -> float | None:
    """Return the TWR of an equity series whose external flows do not move it."""
    # Multiplying the factors themselves keeps the precision that 1 + r loses
    # when r is close to −1.
    factors = growth_factors(equity, flows)
    factors = factors[~np.isnan(factors)]
    return float(np.prod(factors)) - 1.0 if factors.size else None


def annualize(total_return: float, years: float) -> float | None:
    """Turn a total return earned over `years` into a compound annual rate."""
    growth = 1.0 + total_return
    if years <= 0 or not math.isfinite(growth) or growth < 0:
        return None
    if growth == 0:
        return -1.0
    try:
        return math.exp(math.log(growth) / years) - 1.0
    except OverflowError:
        return None


def annual_return(
    returns: FloatArray, periods_per_year: float = TRADING_DAYS_PER_YEAR
) -> float | None:
    """Return the compound annual growth rate of period returns (252 a year by default)."""
    total = compound(returns)
    if total is None:
        return None
    return annualize(total, returns.size / periods_per_year)


def xirr(dates: Sequence[date], amounts: Sequence[float]) -> float | None:
    """Solve Σ a_i (1 + x)^−(d_i − d_0)/365 = 0 for the annual rate x, like Excel.

    Investor's view: money paid in is negative, money taken out (and the final
    value) positive. None when no rate solves it (one-signed or single flows).
    """
    solved = _irr_over_span(dates, amounts)
    if solved is None:
        return None
    rate, span_days = solved
    return annualize(rate, span_days / DAYS_PER_YEAR)


def period_irr(dates: Sequence[date], amounts: Sequence[float]) -> float | None:
    """Return the IRR over the whole span of the flows, not annualised."""
    solved = _irr_over_span(dates, amounts)
    return solved[0] if solved is not None else None


def money_weighted_return(
    dates: Sequence[date], equity: FloatArray, flows: FloatArray | None = None
) -> float | None:
    """Return the money-weighted return over the series (period IRR, not annualised).

    Cash flows: opening equity paid in on the first date, each later flow F_t
    paid in (a withdrawal is paid out), the final equity paid out on the last
    date. flows[0] is already inside the opening equity. A portfolio that paid
    nothing back to the investor lost everything: −1.0.
    """
    if equity.size < 2:
        return None
    external = np.zeros_like(equity) if flows is None else flows
    cash = -external.copy()
    cash[0] = -equity[0]
    cash[-1] += equity[-1]
    if np.any(cash < 0) and not np.any(cash > 0):
        return -1.0
    return period_irr(dates, cash.tolist())


def _irr_over_span(dates: Sequence[date], amounts: Sequence[float]) -> tuple[float, int] | None:
    """Solve for the rate earned over the whole span; return it with the span in days."""
    cash = np.asarray(amounts, dtype=np.float64)
    if cash.size < 2 or not (np.any(cash > 0) and np.any(cash < 0)):
        return None
    # whole days since the first date, through the ordinals (exact integers, no timedeltas)
    ordinals = np.fromiter(map(date.toordinal, dates), dtype=np.int64, count=len(dates))
    days = (ordinals - ordinals.min()).astype(np.float64)
    span = int(days.max())
    if span <= 0:
        return None
    # Time is measured in spans (0 to 1), not years, so that a few days of
    # history do not force the solver through astronomically large annual rates.
    rate = _solve_irr(days / span, cash)
    return (rate, span) if rate is not None else None


def _solve_irr(times: FloatArray, cash: FloatArray) -> float | None:
    """Find the span rate y where the NPV vanishes: Newton first, bisection as fallback."""
    # Solving for u = ln(1 + y) removes the y > −1 boundary and keeps the
    # precision of rates close to a total loss.
    log_rate = _newton(times, cash)
    if log_rate is None:
        log_rate = _bisect(times, cash)
    if log_rate is None or log_rate > _MAX_LOG_RATE:
        return None  # no rate, or growth too large for a float
    return math.expm1(log_rate)


def _npv(log_rate: float, times: FloatArray, cash: FloatArray) -> float:
    """Return the net present value of the flows discounted at e^(−u·t)."""
    return float(np.sum(cash * np.exp(-times * log_rate)))


def _is_root(log_rate: float, times: FloatArray, cash: FloatArray) -> bool:
    """Tell whether the NPV is zero up to rounding of its discounted terms."""
    scale = float(np.sum(np.abs(cash) * np.exp(-times * log_rate)))
    return abs(_npv(log_rate, times, cash)) <= 1e-9 * scale


def _newton(times: FloatArray, cash: FloatArray) -> float | None:
    """Run Newton's method from 10 % over the span; None when it stalls or diverges."""
    log_rate = math.log1p(0.1)
    # _npv and its slope d(NPV)/du = Σ −t·cash·e^(−u·t), sharing one discount per step
    back, weighted = -times, -times * cash
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(100):
            discount = np.exp(back * log_rate)
            value, slope = float(np.sum(cash * discount)), float(np.sum(weighted * discount))
            if not (math.isfinite(value) and math.isfinite(slope)) or slope == 0:
                return None
            step = value / slope
            log_rate -= step
            if abs(step) <= 1e-13 * max(1.0, abs(log_rate)):
                return log_rate if _is_root(log_rate, times, cash) else None
    return None


def _bisect(times: FloatArray, cash: FloatArray) -> float | None:
    """Bracket a sign change on a grid of log rates, then halve it to convergence."""
    with np.errstate(over="ignore", invalid="ignore"):
        values = [(u, _npv(u, times, cash)) for u in _LOG_RATE_GRID]
    finite = [(u, value) for u, value in values if math.isfinite(value)]
    for (low, f_low), (high, f_high) in itertools.pairwise(finite):
        if f_low == 0:
            return low
        if f_low * f_high < 0:
            return _halve(times, cash, low, high)
    return None


def _halve(times: FloatArray, cash: FloatArray, low: float, high: float) -> float:
    """Halve a bracketing interval [low, high] until the root is pinned down."""
    f_low = _npv(low, times, cash)
    while high - low > 1e-14 * max(1.0, abs(low)):
        middle = (low + high) / 2.0
        f_middle = _npv(middle, times, cash)
        if f_middle == 0 or middle in (low, high):
            return middle
        if (f_middle < 0) == (f_low < 0):
            low, f_low = middle, f_middle
        else:
            high = middle
    return (low + high) / 2.0
