"""Stylized facts of daily price series, for checking the simulated market against real ones.

Each function takes plain numpy arrays of daily closes or volumes. Run as a module to print
the table of docs/market-simulation.md for the simulated market:

    PYTHONPATH=src .venv/bin/python -m tests.stylized [seed]
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]

# A spread of US large caps across sectors, with a few pairs from the same sector.
SYMBOLS = (
    "AAPL",
    "MSFT",
    "NVDA",
    "JPM",
    "BAC",
    "XOM",
    "CVX",
    "KO",
    "PEP",
    "PG",
    "JNJ",
    "PFE",
    "NEE",
    "DUK",
    "CAT",
    "HD",
    "TSLA",
    "IBM",
)
MARKET = "SPY"
FIVE_YEARS_OF_SESSIONS = 1250


def log_returns(closes: Floats) -> Floats:
    """Return daily log returns."""
    return np.diff(np.log(closes))


def autocorrelation(x: Floats, lag: int = 1) -> float:
    """Return the sample autocorrelation of `x` at `lag`."""
    centred = x - x.mean()
    return float((centred[:-lag] * centred[lag:]).sum() / (centred * centred).sum())


def ljung_box_p(x: Floats, lags: int = 10) -> float:
    """Return the Ljung–Box p-value for no autocorrelation in `x` up to `lags`."""
    n = len(x)
    q = n * (n + 2) * sum(autocorrelation(x, k) ** 2 / (n - k) for k in range(1, lags + 1))
    return _chi2_survival(q, lags)


def garch_alpha(returns: Floats) -> float:
    """Estimate α of a GARCH(1,1) by Gaussian quasi-maximum likelihood (variance targeting).

    ω is set so the unconditional variance is the sample variance; α and β are found on a
    grid, refined twice around the best point (numpy only, deterministic).
    """
    x = returns - returns.mean()
    best = (0.0, 0.0)
    centre, width = (0.10, 0.85), (0.10, 0.14)
    for _ in range(3):
        alphas = np.linspace(max(centre[0] - width[0], 0.0), centre[0] + width[0], 25)
        betas = np.linspace(max(centre[1] - width[1], 0.0), min(centre[1] + width[1], 0.999), 25)
        a, b = (grid.ravel() for grid in np.meshgrid(alphas, betas))
        keep = a + b < 0.999
        a, b = a[keep], b[keep]
        nll = _garch_nll(x, a, b)
        index = int(np.argmin(nll))
        best = (float(a[index]), float(b[index]))
        centre, width = best, (width[0] / 5, width[1] / 5)
    return best[0]


def leverage(returns: Floats) -> float:
    """Return corr(r_t, |r_(t+1)|): negative when falls raise the next day's volatility."""
    return float(np.corrcoef(returns[:-1], np.abs(returns[1:]))[0, 1])


def weekly_excess_kurtosis(closes: Floats) -> float:
    """Return the excess kurtosis of 5-session log returns."""
    weekly = np.diff(np.log(closes[::5]))
    z = (weekly - weekly.mean()) / weekly.std()
    return float((z**4).mean() - 3.0)


def rolling_volatility_ratio(returns: Floats, window: int = 63) -> float:
    """Return the largest over the smallest rolling `window`-session volatility."""
    squares = np.concatenate([[0.0], np.cumsum(returns**2)])
    sums = np.concatenate([[0.0], np.cumsum(returns)])
    n = window
    mean = (sums[n:] - sums[:-n]) / n
    variance = (squares[n:] - squares[:-n]) / n - mean**2
    return float(math.sqrt(variance.max() / variance.min()))


def residual_correlations(
    returns: dict[str, Floats], market: Floats, sectors: dict[str, str]
) -> tuple[list[float], list[float]]:
    """Return residual correlations (market removed by regression) within and across sectors."""
    residual = {
        s: r - np.cov(r, market)[0, 1] / market.var(ddof=1) * market for s, r in returns.items()
    }
    within, across = [], []
    names = sorted(residual)
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            value = float(np.corrcoef(residual[first], residual[second])[0, 1])
            (within if sectors[first] == sectors[second] else across).append(value)
    return within, across


@dataclass(frozen=True)
class Facts:
    """The stylized facts of one symbol's daily series."""

    abs_acf: float
    ljung_box_p: float
    garch_alpha: float
    leverage: float
    volume_acf: float
    weekly_kurtosis: float
    volatility_ratio: float


def facts_of(closes: Floats, volumes: Floats) -> Facts:
    """Compute every per-symbol fact of a daily series."""
    r = log_returns(closes)
    return Facts(
        abs_acf=autocorrelation(np.abs(r)),
        ljung_box_p=ljung_box_p(r * r),
        garch_alpha=garch_alpha(r),
        leverage=leverage(r),
        volume_acf=autocorrelation(np.log(volumes)),
        weekly_kurtosis=weekly_excess_kurtosis(closes),
        volatility_ratio=rolling_volatility_ratio(r),
    )


def median_of(facts: Sequence[Facts], name: str) -> float:
    """Return the median of one fact over several symbols."""
    return float(np.median([getattr(f, name) for f in facts]))


def _garch_nll(x: Floats, alpha: Floats, beta: Floats) -> Floats:
    """Return the Gaussian negative log-likelihood of GARCH(1,1) for many (α, β) at once."""
    variance = x.var()
    omega = variance * (1.0 - alpha - beta)
    h = np.full_like(alpha, variance)
    total = np.zeros_like(alpha)
    for value in (x * x).tolist():
        total += np.log(h) + value / h
        h = omega + alpha * value + beta * h
    result: Floats = 0.5 * total
    return result


def _chi2_survival(q: float, dof: int) -> float:
    """Return P(χ²(dof) > q) for an even `dof` (a finite sum, exact)."""
    assert dof % 2 == 0
    half = q / 2.0
    term, total = 1.0, 1.0
    for k in range(1, dof // 2):
        term *= half / k
        total += term
    return math.exp(-half) * total


def main() -> None:
    """Print the facts of the simulated market (NYSE calendar, five years to 2026-11-20)."""
    from datetime import UTC, datetime, timedelta

    from invsim.core.clock import set_clock
    from invsim.market.providers.simulated import SimulatedProvider

    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 20240101
    end = datetime(2026, 11, 20, 22, tzinfo=UTC)
    set_clock(lambda: end)
    provider = SimulatedProvider(seed=seed, calendar="nyse")
    bars = provider.daily_bars([*SYMBOLS, MARKET], end - timedelta(days=5 * 365 + 2), end,
                               adjusted=True)
    closes = {s: np.array([float(b.close) for b in series]) for s, series in bars.items()}
    volumes = {s: np.array([float(b.volume) for b in series]) for s, series in bars.items()}
    facts = [facts_of(closes[s], volumes[s]) for s in SYMBOLS]
    sectors = {s: provider.instrument(s).sector for s in SYMBOLS}
    returns = {s: log_returns(closes[s]) for s in SYMBOLS}
    within, across = residual_correlations(returns, log_returns(closes[MARKET]), sectors)
    print(f"seed {seed}, {len(closes[MARKET])} sessions, {len(SYMBOLS)} symbols")
    for name in Facts.__dataclass_fields__:
        values = [getattr(f, name) for f in facts]
        print(
            f"{name:18} median {np.median(values):7.3f}  range {min(values):7.3f} .. {max(values):7.3f}"
        )
    print(
        f"{'within sector':18} median {np.median(within):7.3f}  range {min(within):7.3f} .. {max(within):7.3f}"
    )
    print(f"{'across sectors':18} mean   {np.mean(across):7.3f}")


if __name__ == "__main__":
    main()
