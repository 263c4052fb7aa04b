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

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from invsim.backtest.bars import Panel
from invsim.backtest.broker import BrokerConfig
from invsim.backtest.engine import RunSpec, run
from invsim.backtest.params import ParamError, resolve
from invsim.backtest.strategy import Strategy
from invsim.backtest.sweep_metrics import METRICS, MODES
from invsim.backtest.sweep_result import (
    SweepResult,
    check_metric,
    metric_value,
    plain,
    rank,
    sort_key,
    typed_by_plain,
)
from invsim.backtest.sweep_screen import Screen, screen_for
from invsim.backtest.sweep_space import (
    MAX_COMBINATIONS,
    SweepError,
    combinations_in,
    grid,
    parse_space,
    random_sample,
)

# The sweep's whole interface, importable from here (the space and the result live
# in sweep_space.py and sweep_result.py).
__all__ = [
    "CHUNK_SIZE", "CONFIRM_TOP", "MAX_COMBINATIONS", "METRICS", "SCREEN_ABOVE", "Candidates",
    "Chunk", "Executor", "Progress", "SweepError", "SweepResult", "check_metric",
    "combinations_in", "grid", "metric_value", "parse_space", "random_sample", "run_chunk",
    "run_exact", "run_sweep", "validate",
]

SCREEN_ABOVE = 200  # above this many valid combinations a vectorised screen is used if there is one
CONFIRM_TOP = 50  # screened candidates re-run exactly by the engine
CHUNK_SIZE = 25  # combinations per unit of work handed to an executor

T = TypeVar("T")
R = TypeVar("R")
Progress = Callable[[int, int], None]


class Executor(Protocol):
    """What a sweep needs of an executor: `concurrent.futures.Executor.map`'s shape."""

    def map(self, fn: Callable[[T], R], *iterables: Iterable[T]) -> Iterator[R]:
        """Apply `fn` to each item, yielding the results in order."""
        ...


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
        rows = [{"params": plain(p), "summary": s, "exact": True}
                for p, s in zip(candidates.given, summaries, strict=True)]
    return SweepResult(metric=metric, mode=mode, space=dict(space), rows=rank(rows, metric),
                       combinations=len(combos), skipped=candidates.skipped,
                       screened=use_screen, typed=typed_by_plain(candidates.given))


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
    order = sorted(range(len(figures)), key=lambda i: sort_key(figures[i].get(metric)))
    top = order[:max(1, confirm)]
    exact = run_exact(strategy, [candidates.resolved[i] for i in top], panel, broker,
                      benchmark=benchmark, executor=executor, progress=progress,
                      chunk_size=chunk_size)
    by_index = dict(zip(top, exact, strict=True))
    rows = []
    for i, given in enumerate(candidates.given):
        if i in by_index:
            rows.append({"params": plain(given), "summary": by_index[i], "exact": True})
        else:
            rows.append({"params": plain(given), "summary": figures[i], "exact": False})
    return rows
