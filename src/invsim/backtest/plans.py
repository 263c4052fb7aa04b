"""A backtest request checked against the strategy: what the job will run, or a clear 422.

`make_plan` is the one place that turns a request body into a `Plan`: the
strategy class, resolved parameters, the account, the benchmark and, for sweeps
and walk-forward, the parsed parameter space. The service calls it before
writing anything; the job calls it again on the stored request (same answer).
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from types import ModuleType
from typing import Any

from invsim.backtest.broker import BrokerConfig
from invsim.backtest.params import Param, ParamError, resolve
from invsim.backtest.schemas import BacktestIn, CommissionIn, SweepIn, WalkForwardIn
from invsim.backtest.strategies import BUILTINS
from invsim.backtest.strategy import Strategy
from invsim.core.errors import ValidationFailed
from invsim.trading.engine.costs import CommissionKind, CommissionModel
from invsim.trading.engine.rules import AccountType, TradingRules

MAX_YEARS = 30
HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything a job needs to run a saved request (and nothing it must look up again)."""

    kind: str  # run | sweep | walk_forward
    strategy: type[Strategy]
    params: dict[str, Any]
    symbols: list[str]
    start: datetime
    end: datetime
    source: str
    broker: BrokerConfig
    benchmark: str
    sweep: SweepIn | None
    space: dict[str, list[Any]] | None
    walk_forward: WalkForwardIn | None


def make_plan(body: BacktestIn, *, provider: str, margin_interest_rate: Decimal,
              today: date, max_symbols: int) -> Plan:
    """Check a request against the built-in strategies and limits; a 422 on the first fault."""
    strategy = _strategy(body.strategy)
    _check_symbols(body.symbols, max_symbols)
    start, end = _range(body.start, body.end, today)
    source = body.source or provider
    if source != provider:
        raise ValidationFailed(f"This server's market data is {provider}; source {source} "
                               "is not available here.", code="source_unavailable",
                               details={"available": [provider]})
    params = _params(strategy, body.params, body.symbols)
    benchmark = body.benchmark or body.symbols[0]
    if benchmark not in body.symbols:
        raise ValidationFailed("The benchmark must be one of the run's symbols.",
                               code="invalid_benchmark", details={"symbols": body.symbols})
    space = _space(strategy, body.sweep, params, body.symbols) if body.sweep else None
    if body.walk_forward and space is None:
        raise ValidationFailed("walk_forward needs a sweep block: its space is what each "
                               "window optimises.", code="invalid_walk_forward")
    if body.walk_forward:
        walkforward_module()  # refused here, not in the job, where it is not installed
    kind = "walk_forward" if body.walk_forward else "sweep" if space else "run"
    return Plan(kind=kind, strategy=strategy, params=params, symbols=list(body.symbols),
                start=start, end=end, source=source,
                broker=broker_config(body, margin_interest_rate), benchmark=benchmark,
                sweep=body.sweep, space=space, walk_forward=body.walk_forward)


def broker_config(body: BacktestIn, margin_interest_rate: Decimal) -> BrokerConfig:
    """Build the simulated account: cash, commission, slippage, and margin when shorting."""
    rules = TradingRules(
        commission=commission_model(body.commission), slippage_bps=body.slippage_bps,
        account_type=AccountType.MARGIN if body.allow_short else AccountType.CASH,
        allow_short=body.allow_short)
    # A margin account pays interest on borrowed cash, as a live margin portfolio does.
    rate = margin_interest_rate if body.allow_short else Decimal(0)
    return BrokerConfig(cash=body.cash, rules=rules, margin_interest_rate=rate)


def commission_model(raw: CommissionIn | Decimal | None) -> CommissionModel:
    """Turn the request's commission into the trading engine's model."""
    if raw is None:
        return CommissionModel.none()
    if isinstance(raw, Decimal):
        # A bare number is a fraction of the traded value, as backtesting.py and the CLI
        # take it (0.002 = 0.2 %); the engine's percent model counts in percent.
        if not 0 <= raw <= Decimal("0.1"):
            raise ValidationFailed("commission as a number is a fraction of traded value "
                                   "between 0 and 0.1.", code="invalid_commission")
        return CommissionModel.percent(raw * HUNDRED)
    kind = CommissionKind(raw.kind)
    return CommissionModel(kind=kind, amount=raw.amount, rate=raw.rate, minimum=raw.minimum)


def full_space(params: dict[str, Any], space: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """The swept values plus every other parameter at its resolved value, as a one-value axis."""
    return {**{name: [value] for name, value in params.items() if name not in space}, **space}


def sweep_module() -> ModuleType:
    """Return the sweep core (bt-sweep's `invsim.backtest.sweep`), or a 422 if it is absent."""
    try:
        return importlib.import_module("invsim.backtest.sweep")
    except ImportError:
        raise ValidationFailed("Parameter sweeps are not available on this server.",
                               code="sweep_unavailable") from None


def walkforward_module() -> ModuleType:
    """Return the walk-forward core, or a 422 if it is absent."""
    try:
        return importlib.import_module("invsim.backtest.walkforward")
    except ImportError:
        raise ValidationFailed("Walk-forward evaluation is not available on this server.",
                               code="sweep_unavailable") from None


def _strategy(name: str) -> type[Strategy]:
    """Return a built-in strategy by name, or a 422 listing them."""
    found = BUILTINS.get(name)
    if found is None:
        raise ValidationFailed(f"Unknown strategy {name!r}; the server runs built-in "
                               "strategies only.", code="unknown_strategy",
                               details={"strategies": sorted(BUILTINS)})
    return found


def _check_symbols(symbols: list[str], maximum: int) -> None:
    """Refuse more symbols than the server allows in one run."""
    if len(symbols) > maximum:
        raise ValidationFailed(f"A backtest takes at most {maximum} symbols.",
                               code="too_many_symbols", details={"limit": maximum})


def _range(start: date, end: date, today: date) -> tuple[datetime, datetime]:
    """Return the UTC instants covering [start, end]; refuse empty, reversed or future ranges."""
    if start >= end:
        raise ValidationFailed("start must be before end.", code="invalid_range",
                               details={"start": start.isoformat(), "end": end.isoformat()})
    if end > today:
        raise ValidationFailed("end must not be in the future.", code="invalid_range",
                               details={"end": end.isoformat(), "today": today.isoformat()})
    if (end - start).days > MAX_YEARS * 366:
        raise ValidationFailed(f"A backtest spans at most {MAX_YEARS} years.",
                               code="range_too_large", details={"max_years": MAX_YEARS})
    begin = datetime.combine(start, time.min, UTC)
    # inclusive end: every bar that starts on the end date
    finish = datetime.combine(end, time.min, UTC) + timedelta(days=1) - timedelta(microseconds=1)
    return begin, finish


def _params(strategy: type[Strategy], given: Mapping[str, Any],
            symbols: list[str]) -> dict[str, Any]:
    """Resolve and cross-check the parameters (unknown, wrong type, out of range → 422)."""
    try:
        params = resolve(strategy.params, given)
        strategy.check(params, symbols)
    except ParamError as error:
        raise ValidationFailed(str(error), code="invalid_parameter",
                               details={"strategy": strategy.name}) from None
    return params


def _space(strategy: type[Strategy], sweep: SweepIn, params: dict[str, Any],
           symbols: list[str]) -> dict[str, list[Any]]:
    """Parse the sweep's space, check every value, and refuse too many combinations."""
    core = sweep_module()
    unknown = sorted(set(sweep.space) - set(strategy.params))
    if unknown:
        raise ValidationFailed(f"unknown parameter {unknown[0]} in the sweep (known: "
                               f"{', '.join(sorted(strategy.params))})",
                               code="invalid_parameter", details={"strategy": strategy.name})
    try:
        space: dict[str, list[Any]] = {
            name: list(values) for name, values in core.parse_space(dict(sweep.space)).items()}
    except (ValueError, TypeError) as error:
        raise ValidationFailed(str(error), code="invalid_sweep") from None
    for name, values in space.items():
        _check_values(strategy.params[name], name, values)
    combinations = math.prod(len(v) for v in space.values())
    limit = int(core.MAX_COMBINATIONS)
    counted = min(combinations, sweep.samples) if sweep.mode == "random" and sweep.samples \
        else combinations
    if counted > limit:
        raise ValidationFailed(
            f"The sweep has {combinations} combinations; the limit is {limit}.",
            code="too_many_combinations", details={"limit": limit,
                                                   "combinations": combinations})
    _check_some_valid(core, strategy, full_space(params, space), sweep, symbols)
    return space


def _check_some_valid(core: ModuleType, strategy: type[Strategy], space: dict[str, list[Any]],
                      sweep: SweepIn, symbols: list[str]) -> None:
    """Refuse a sweep in which the strategy accepts no combination (fast ≥ slow everywhere)."""
    try:
        combos = core.grid(space) if sweep.mode == "grid" else core.random_sample(
            space, sweep.samples or 0, sweep.seed)
    except ValueError as error:
        raise ValidationFailed(str(error), code="invalid_sweep") from None
    candidates = core.validate(strategy, combos, symbols)
    if not candidates.given:
        reasons = "; ".join(candidates.skipped) or "the space is empty"
        raise ValidationFailed(f"no valid combination to run: {reasons}",
                               code="invalid_sweep")


def _check_values(param: Param, name: str, values: list[Any]) -> None:
    """Check each value of a swept parameter against its declaration."""
    if not values:
        raise ValidationFailed(f"the sweep gives {name} no values", code="invalid_sweep")
    for value in values:
        try:
            param.parse(name, value)
        except ParamError as error:
            raise ValidationFailed(str(error), code="invalid_parameter") from None

