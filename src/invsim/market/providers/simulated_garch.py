"""The recursions of the simulated market: EGARCH log variance and AR(1) levels.

Both run along the session axis (axis 0) of (sessions, series) arrays, one loop step per
session with every series updated at once. A step only reads earlier sessions, so the
values of a prefix never depend on how long the arrays are, nor on which other series share
the batch: that is what keeps the market deterministic whatever is asked first.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from invsim.market.providers.simulated_params import Egarch

FloatArray = npt.NDArray[np.float64]


def ar1(noise: FloatArray, persistence: float | FloatArray) -> FloatArray:
    """Return x_t = φ x_(t-1) + noise_t from x_(-1) = 0, along axis 0 (φ may vary by series)."""
    result = np.empty_like(noise)
    level = np.zeros(noise.shape[1:], dtype=np.float64)
    for t in range(len(noise)):
        level = persistence * level + noise[t]
        result[t] = level
    return result


def egarch_multiplier(
    shocks: FloatArray, alpha: FloatArray, gamma: FloatArray, beta: FloatArray, mean_abs: float
) -> FloatArray:
    """Return each session's EGARCH variance relative to its long-run level (mean about 1).

    With z the unit-variance shocks, the log variance x follows
    x_(t+1) = β x_t + α (|z_t| - E|z|) + γ z_t   (γ < 0: a fall raises volatility),
    so x_t depends only on shocks before t. The result is exp(x_t - Var(x)/2), which averages
    1 when x is close to normal (a sum of many small independent terms).
    """
    news = alpha * (np.abs(shocks) - mean_abs) + gamma * shocks
    level = ar1(news, beta)
    lagged = np.concatenate([np.zeros_like(level[:1]), level[:-1]])
    variance = (alpha**2 * (1.0 - mean_abs**2) + gamma**2) / (1.0 - beta**2)
    result: FloatArray = np.exp(lagged - 0.5 * variance)
    return result


def params(models: list[Egarch]) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Return α, γ, β of several series as arrays."""
    return (
        np.array([m.alpha for m in models]),
        np.array([m.gamma for m in models]),
        np.array([m.beta for m in models]),
    )


def mean_abs_t(dof: float) -> float:
    """Return E|z| of a Student-t(ν) draw scaled to unit variance (√(2/π) as ν → ∞)."""
    if math.isinf(dof):
        return math.sqrt(2.0 / math.pi)
    raw = (
        2.0
        * math.sqrt(dof)
        * math.exp(math.lgamma((dof + 1.0) / 2.0) - math.lgamma(dof / 2.0))
        / (math.sqrt(math.pi) * (dof - 1.0))
    )
    return raw * math.sqrt((dof - 2.0) / dof)


MEAN_ABS_NORMAL = math.sqrt(2.0 / math.pi)
