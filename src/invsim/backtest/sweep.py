"""Parameter sweeps: grid or random search over a strategy's parameters, ranked by one metric.

Every combination is validated the way a single run is (`params.resolve`, then
the strategy's `check`); a combination the strategy refuses (fast ≥ slow, say)
is skipped and counted, not an error. The figures of a row are exactly those of
`engine.run` for its parameters: a row marked `exact` *is* an engine run. Above
`SCREEN_ABOVE` combinations a strategy with a vectorised screen (see
sweep_screen.py) is first ranked cheaply with numpy, and only the best
`confirm` candidates are re-run by the engine; the winner is always chosen among
the engine's runs. Pure: no database, no network, no clock.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import product
from typing import Any, Protocol, TypeVar

from invsim.backtest.bars import Panel
from invsim.backtest.broker import BrokerConfig
from invsim.backtest.engine import RunSpec, run
from invsim.backtest.params import ParamError, resolve
from invsim.backtest.strategy import Strategy
from invsim.backtest.sweep_metrics import METRICS, MODES
from invsim.backtest.sweep_screen import Screen, screen_for

MAX_COMBINATIONS = 2000
SCREEN_ABOVE = 200  # above this many valid combinations a vectorised screen is used if there is one
CONFIRM_TOP = 50  # screened candidates re-run exactly by the engine
CHUNK_SIZE = 25  # combinations per unit of work handed to an executor

T = TypeVar("T")
R = TypeVar("R")
Progress = Callable[[int, int], None]


class SweepError(ValueError):
    """A sweep that cannot run (the message says why in one line)."""


class Executor(Protocol):
    """What a sweep needs of an executor: `concurrent.futures.Executor.map`'s shape."""

    def map(self, fn: Callable[[T], R], *iterables: Iterable[T]) -> Iterator[R]:
        """Apply `fn` to each item, yielding the results in order."""
        ...


# --- the space of combinations ---------------------------------------------------------------

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


# --- validation ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Candidates:
    """The combinations that passed validation, and how many did not (by reason)."""

    given: list[dict[str, Any]]  # as swept (the row's `params`)
    resolved: list[dict[str, Any]]  # with defaults filled in (what the engine runs)
    skipped: dict[str, int]


def validate(strategy: type[Strategy], combos: Sequence[Mapping[str, Any]],
             symbols: list[str]) -> Candidates:
    """Resolve and check every combination; count the refused ones by reason."""
    names = set(combos[0]) if combos else set()
    unknown = sorted(names - set(strategy.params))
    if unknown:
        known = ", ".join(sorted(strategy.params)) or "none"
        raise SweepError(f"unknown parameter {unknown[0]} (known: {known})")
    given: list[dict[str, Any]] = []
    resolved: list[dict[str, Any]] = []
    skipped: dict[str, int] = {}
    for combo in combos:
        try:
            params = resolve(strategy.params, combo)
            strategy.check(params, symbols)
        except ParamError as refused:
            skipped[str(refused)] = skipped.get(str(refused), 0) + 1
            continue
        given.append({name: params[name] for name in combo})
        resolved.append(params)
    return Candidates(given, resolved, skipped)


# --- running ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Chunk:
    """One unit of work: some combinations of one sweep (picklable for a process pool)."""

    strategy: type[Strategy]
    broker: BrokerConfig
    panel: Panel
    benchmark: str | None
    params: tuple[dict[str, Any], ...]


def run_chunk(chunk: Chunk) -> list[dict[str, Any]]:
    """Run each combination of a chunk with the engine; return their summaries in order."""
    return [run(RunSpec(chunk.strategy, params, chunk.broker, chunk.benchmark),
                chunk.panel).summary()
            for params in chunk.params]


def run_exact(strategy: type[Strategy], params: Sequence[dict[str, Any]], panel: Panel,
              broker: BrokerConfig, *, benchmark: str | None = None,
              executor: Executor | None = None, progress: Progress | None = None,
              chunk_size: int = CHUNK_SIZE) -> list[dict[str, Any]]:
    """Run every parameter set with the engine, in chunks on the executor; summaries in order."""
    chunks = [Chunk(strategy, broker, panel, benchmark, tuple(params[i:i + chunk_size]))
              for i in range(0, len(params), chunk_size)]
    mapper = executor.map if executor is not None else map
    summaries: list[dict[str, Any]] = []
    for done in mapper(run_chunk, chunks):
        summaries.extend(done)
        if progress is not None:
            progress(len(summaries), len(params))
    return summaries


def run_sweep(strategy: type[Strategy], space: Mapping[str, Sequence[Any]], panel: Panel,
              broker: BrokerConfig, *, metric: str = "sharpe", mode: str = "grid",
              samples: int | None = None, seed: int = 0, executor: Executor | None = None,
              benchmark: str | None = None, screen: bool | None = None,
              confirm: int = CONFIRM_TOP, progress: Progress | None = None,
              chunk_size: int = CHUNK_SIZE) -> SweepResult:
    """Search the space and rank the combinations by `metric` of their summaries.

    `screen`: None = screen vectorised when the strategy has a screen and there
    are more than SCREEN_ABOVE valid combinations; False = run every combination
    with the engine; True = screen whenever the strategy has a screen.
    `chunk_size` combinations make one unit of work on the executor.
    """
    check_metric(metric)
    combos = _combinations(space, mode, samples, seed)
    candidates = validate(strategy, combos, panel.symbols)
    if not candidates.given:
        reasons = "; ".join(candidates.skipped) or "the space is empty"
        raise SweepError(f"no valid combination to run: {reasons}")
    screener = screen_for(strategy) if screen is not False else None
    use_screen = screener is not None and (screen is True
                                           or len(candidates.given) > SCREEN_ABOVE)
    if use_screen and screener is not None:
        rows = _screened_rows(screener, strategy, candidates, panel, broker, metric,
                              benchmark=benchmark, executor=executor, confirm=confirm,
                              progress=progress, chunk_size=chunk_size)
    else:
        summaries = run_exact(strategy, candidates.resolved, panel, broker,
                              benchmark=benchmark, executor=executor, progress=progress,
                              chunk_size=chunk_size)
        rows = [{"params": _plain(p), "summary": s, "exact": True}
                for p, s in zip(candidates.given, summaries, strict=True)]
    return SweepResult(metric=metric, mode=mode, space=dict(space), rows=rank(rows, metric),
                       combinations=len(combos), skipped=candidates.skipped,
                       screened=use_screen, typed=_typed_by_plain(candidates.given))


def _combinations(space: Mapping[str, Sequence[Any]], mode: str, samples: int | None,
                  seed: int) -> list[dict[str, Any]]:
    """Return the combinations a grid or a random search runs."""
    if mode == "grid":
        return grid(space)
    if mode == "random":
        if samples is None:
            raise SweepError("a random search needs a number of samples")
        return random_sample(space, samples, seed)
    raise SweepError(f"mode must be one of {', '.join(MODES)}")


def _screened_rows(screener: Screen, strategy: type[Strategy], candidates: Candidates,
                   panel: Panel, broker: BrokerConfig, metric: str, *,
                   benchmark: str | None, executor: Executor | None, confirm: int,
                   progress: Progress | None, chunk_size: int) -> list[dict[str, Any]]:
    """Rank every candidate with the vectorised screen, then re-run the best with the engine."""
    figures = screener(panel, broker, candidates.resolved, metric)
    order = sorted(range(len(figures)), key=lambda i: _sort_key(figures[i].get(metric)))
    top = order[:max(1, confirm)]
    exact = run_exact(strategy, [candidates.resolved[i] for i in top], panel, broker,
                      benchmark=benchmark, executor=executor, progress=progress,
                      chunk_size=chunk_size)
    by_index = dict(zip(top, exact, strict=True))
    rows = []
    for i, given in enumerate(candidates.given):
        if i in by_index:
            rows.append({"params": _plain(given), "summary": by_index[i], "exact": True})
        else:
            rows.append({"params": _plain(given), "summary": figures[i], "exact": False})
    return rows


# --- ranking and the result ---------------------------------------------------------------------

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


def _sort_key(value: Any) -> tuple[int, float]:
    """Sort best first; an undefined figure (None, NaN) ranks last."""
    if isinstance(value, str):
        value = float(Decimal(value))
    if value is None or not math.isfinite(float(value)):
        return (1, 0.0)
    return (0, -float(value))


def rank(rows: list[dict[str, Any]], metric: str) -> list[dict[str, Any]]:
    """Order rows best first: engine runs ahead of screened ones, ties kept in search order."""
    ordered = sorted(rows, key=lambda row: (not row["exact"],
                                            *_sort_key(row["summary"].get(metric))))
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
        return dict(self.typed.get(_key(self.best["params"]), self.best["params"]))

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
            "space": {k: _plain(list(v)) for k, v in self.space.items()},
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


def _plain(value: Any) -> Any:
    """Return JSON-ready parameters (Decimals as text, weights as text maps)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _key(params: Mapping[str, Any]) -> str:
    """Return a stable key of plain parameters."""
    return repr(sorted(params.items()))


def _typed_by_plain(given: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Map each row's plain parameters back to the typed ones."""
    return {_key(_plain(p)): p for p in given}
