"""A sweep's rows ranked by one metric, its heatmap over two parameters, and its JSON.

Pure: no database, no network, no clock.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from invsim.backtest.sweep_metrics import METRICS
from invsim.backtest.sweep_space import SweepError, combinations_in


def check_metric(metric: str) -> None:
    """Refuse a metric the sweep cannot rank by."""
    if metric not in METRICS:
        raise SweepError(f"metric must be one of {', '.join(METRICS)}")


def metric_value(summary: Mapping[str, Any], metric: str) -> float | None:
    """Return a summary's metric as a float (higher = better for every metric), or None."""
    value = summary.get(metric)
    if value is None:
        return None
    number = float(Decimal(value)) if isinstance(value, str) else float(value)
    return number if math.isfinite(number) else None


def sort_key(value: Any) -> tuple[int, float]:
    """Sort best first; an undefined figure (None, NaN) ranks last."""
    if isinstance(value, str):
        value = float(Decimal(value))
    if value is None or not math.isfinite(float(value)):
        return (1, 0.0)
    return (0, -float(value))


def rank(rows: list[dict[str, Any]], metric: str) -> list[dict[str, Any]]:
    """Order rows best first: engine runs ahead of screened ones, ties kept in search order."""
    ordered = sorted(rows, key=lambda row: (not row["exact"],
                                            *sort_key(row["summary"].get(metric))))
    return [{**row, "rank": position} for position, row in enumerate(ordered, start=1)]


@dataclass
class SweepResult:
    """A finished sweep: rows best first (`rank` 1 = best), what was skipped and why."""

    metric: str
    mode: str
    space: dict[str, Sequence[Any]]
    rows: list[dict[str, Any]]
    combinations: int
    skipped: dict[str, int]
    screened: bool = False
    typed: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)

    @property
    def best(self) -> dict[str, Any]:
        """Return the best row (an engine run, always)."""
        return self.rows[0]

    @property
    def best_params(self) -> dict[str, Any]:
        """Return the best row's parameters with their types (ints, Decimals) for a new run."""
        return dict(self.typed.get(params_key(self.best["params"]), self.best["params"]))

    @property
    def skipped_count(self) -> int:
        """Return how many combinations the strategy refused."""
        return sum(self.skipped.values())

    def heatmap(self, x: str, y: str) -> dict[str, Any]:
        """Return the metric over two parameters, the others held at the best's values.

        `values[j][i]` is the metric at x = x[i], y = y[j] (None: refused, not run or
        undefined); `exact[j][i]` says whether that cell is an engine run.
        """
        for name in (x, y):
            if name not in self.space:
                raise SweepError(f"{name} is not a swept parameter "
                                 f"(swept: {', '.join(self.space)})")
        if x == y:
            raise SweepError("a heatmap needs two different parameters")
        fixed = {k: v for k, v in self.best["params"].items() if k not in (x, y)}
        cells: dict[tuple[Any, Any], dict[str, Any]] = {}
        for row in self.rows:
            params = row["params"]
            if all(params.get(k) == v for k, v in fixed.items()):
                cells[(params[x], params[y])] = row
        xs = _axis(self.rows, x)
        ys = _axis(self.rows, y)
        values = [[_cell(cells.get((xv, yv)), self.metric) for xv in xs] for yv in ys]
        exact = [[bool(cells.get((xv, yv), {}).get("exact")) for xv in xs] for yv in ys]
        return {"x_param": x, "y_param": y, "metric": self.metric, "fixed": fixed,
                "x": xs, "y": ys, "values": values, "exact": exact}

    def as_dict(self) -> dict[str, Any]:
        """Return the sweep as JSON-ready data (with a heatmap of the first two swept axes)."""
        varied = [name for name, values in self.space.items() if len(values) > 1]
        return {
            "metric": self.metric, "mode": self.mode,
            "space": {k: plain(list(v)) for k, v in self.space.items()},
            "combinations": self.combinations, "grid_size": combinations_in(self.space),
            "evaluated": len(self.rows),
            "exact_runs": sum(1 for row in self.rows if row["exact"]),
            "skipped": self.skipped_count, "skipped_reasons": dict(self.skipped),
            "screened": self.screened, "best": self.best, "rows": self.rows,
            "heatmap": self.heatmap(varied[0], varied[1]) if len(varied) >= 2 else None,
        }


def _axis(rows: Sequence[Mapping[str, Any]], name: str) -> list[Any]:
    """Return the distinct values a parameter took, ascending where they compare."""
    seen: list[Any] = []
    for row in rows:
        value = row["params"][name]
        if value not in seen:
            seen.append(value)
    try:
        return sorted(seen, key=_axis_key)
    except TypeError:
        return seen


def _axis_key(value: Any) -> Any:
    """Sort numbers written as text (Decimals) by value."""
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            raise TypeError("not a number") from None
    return value


def _cell(row: Mapping[str, Any] | None, metric: str) -> float | None:
    """Return a heatmap cell's figure (None where no row)."""
    return None if row is None else metric_value(row["summary"], metric)


def plain(value: Any) -> Any:
    """Return JSON-ready parameters (Decimals as text, weights as text maps)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def params_key(params: Mapping[str, Any]) -> str:
    """Return a stable key of plain parameters."""
    return repr(sorted(params.items()))


def typed_by_plain(given: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Map each row's plain parameters back to the typed ones."""
    return {params_key(plain(p)): p for p in given}
