"""Random streams and day numbers of the simulated market: stable across processes and runs."""

from __future__ import annotations

import hashlib
import math
from datetime import date

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

SLOTS_PER_YEAR = 366  # every calendar day of a year owns one slot of that year's streams
MARKET_KEY = "^MARKET"
FACTOR_KEY = "^FACTOR"
_EPOCH = date(1970, 1, 1)


def stream(seed: int, *parts: object) -> np.random.Generator:
    """Return the random stream for (seed, *parts); stable across processes and runs."""
    key = "|".join(str(part) for part in (seed, *parts)).encode()
    entropy = int.from_bytes(hashlib.blake2b(key, digest_size=16).digest(), "big")
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy)))


def standard_t(rng: np.random.Generator, dof: float, size: int) -> FloatArray:
    """Draw Student-t shocks scaled to unit variance (fat tails, same volatility)."""
    result: FloatArray = rng.standard_t(dof, size) * math.sqrt((dof - 2.0) / dof)
    return result


def day_number(on: date) -> int:
    """Return days since 1970-01-01."""
    return (on - _EPOCH).days


def to_date(number: int) -> date:
    """Return the date `number` days after 1970-01-01."""
    return date.fromordinal(_EPOCH.toordinal() + int(number))
