"""The space a sweep searches: parsing "5:50:5" and lists, the grid, a seeded random sample.

Pure: no database, no network, no clock.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from itertools import product
from typing import Any

MAX_COMBINATIONS = 2000


class SweepError(ValueError):
    """A sweep that cannot run (the message says why in one line)."""


def parse_space(raw: Mapping[str, str | Sequence[Any]]) -> dict[str, list[Any]]:
    """Read a space: "5:50:5" is 5, 10, …, 50 (inclusive), "a,b,c" a list, a list as given."""
    space: dict[str, list[Any]] = {}
    for name, spec in raw.items():
        if isinstance(spec, str):
            values = _parse_values(name, spec.strip())
        elif isinstance(spec, Sequence):
            values = list(spec)
        else:
            values = [spec]
        if not values:
            raise SweepError(f"{name}: give at least one value")
        if len(set(map(repr, values))) != len(values):
            raise SweepError(f"{name}: a value is given twice")
        space[name] = values
    if not space:
        raise SweepError("give at least one parameter to sweep")
    return space


def _parse_values(name: str, spec: str) -> list[Any]:
    """Read one parameter's values from text: a start:stop:step range or a comma list."""
    if ":" in spec:
        return _parse_range(name, spec)
    return [part.strip() for part in spec.split(",") if part.strip()]


def _parse_range(name: str, spec: str) -> list[Any]:
    """Expand start:stop[:step] (step 1 by default), stop included when on a step."""
    parts = spec.split(":")
    if len(parts) not in (2, 3):
        raise SweepError(f"{name}: a range is start:stop:step, e.g. 5:50:5")
    try:
        start, stop, step = (Decimal(p.strip()) for p in (*parts, "1")[:3])
    except InvalidOperation:
        raise SweepError(f"{name}: a range is start:stop:step of numbers, e.g. 5:50:5") from None
    if not all(v.is_finite() for v in (start, stop, step)) or step <= 0:
        raise SweepError(f"{name}: a range needs finite numbers and a step above 0")
    if stop < start:
        raise SweepError(f"{name}: the range ends before it starts")
    count = int((stop - start) / step) + 1
    if count > MAX_COMBINATIONS:
        raise SweepError(f"{name}: {count} values, more than the limit of {MAX_COMBINATIONS}")
    values = [start + i * step for i in range(count)]
    if all(v == v.to_integral_value() for v in values):
        return [int(v) for v in values]
    return [v.normalize() for v in values]


def combinations_in(space: Mapping[str, Sequence[Any]]) -> int:
    """Return how many combinations a grid over the space has."""
    return math.prod(len(values) for values in space.values())


def grid(space: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    """Return every combination, the last parameter varying fastest; refuse too many."""
    total = combinations_in(space)
    if total > MAX_COMBINATIONS:
        raise SweepError(f"{total} combinations is more than the limit of {MAX_COMBINATIONS}; "
                         "narrow the ranges or use a random search")
    names = list(space)
    return [dict(zip(names, values, strict=True)) for values in product(*space.values())]


def random_sample(space: Mapping[str, Sequence[Any]], samples: int,
                  seed: int) -> list[dict[str, Any]]:
    """Draw `samples` distinct combinations uniformly from the grid (all if it has fewer).

    Deterministic for a seed on every machine (Python's `random`, not the OS).
    """
    if samples < 1:
        raise SweepError("a random search needs at least 1 sample")
    if samples > MAX_COMBINATIONS:
        raise SweepError(f"{samples} samples is more than the limit of {MAX_COMBINATIONS}")
    total = combinations_in(space)
    picked = sorted(random.Random(seed).sample(range(total), min(samples, total)))
    return [_combination_at(space, index) for index in picked]


def _combination_at(space: Mapping[str, Sequence[Any]], index: int) -> dict[str, Any]:
    """Return the grid's combination number `index` (same order as `grid`)."""
    chosen: dict[str, Any] = {}
    for name in reversed(list(space)):
        values = space[name]
        index, position = divmod(index, len(values))
        chosen[name] = values[position]
    return {name: chosen[name] for name in space}
