"""The options `invsim backtest run` (and the sweep) share, and turning them into checked inputs.

`strategy_options`, `data_options` and `broker_options` are click decorators;
`run_inputs_from_options(make_app, options)` / `build_run_inputs(...)` check
every input, load the bars and return `RunInputs`, raising `InputError` (one
line on standard error, exit code 2) on the first problem; `OneLineCommand`
makes click's own usage errors that one line too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click

from invsim.backtest import ENGINE_VERSION

# The engine, numpy and TA-Lib are imported inside the functions: `invsim --help`,
# `invsim worker` and `invsim serve` must not pay for them.
if TYPE_CHECKING:
    from invsim.backtest.bars import Panel
    from invsim.backtest.broker import BrokerConfig
    from invsim.backtest.strategy import Strategy

AppFactory = Callable[..., Any]  # builds the Flask app from settings overrides (the click obj)
F = TypeVar("F", bound=Callable[..., Any])
MAX_CASH = Decimal("1e12")
MAX_SLIPPAGE_BPS = Decimal(1000)
DEFAULT_VOLUME_CAP = "0.10"  # the live default, trading.engine.rules.DEFAULT_MAX_VOLUME_SHARE


class InputError(click.ClickException):
    """Bad input: one line on standard error, exit code 2."""

    exit_code = 2

    def show(self, file: IO[Any] | None = None) -> None:
        """Print the one line."""
        click.echo(f"Error: {self.format_message()}", err=True)


class OneLineCommand(click.Command):
    """A command whose usage errors (bad option values, missing options) are one line too."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Parse as click does; a usage error becomes an InputError."""
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as error:
            raise InputError(error.format_message().replace("\n", " ")) from None


@dataclass(frozen=True)
class RunInputs:
    """Everything a backtest needs, checked: what `run` (and the sweep) starts from."""

    strategy: type[Strategy]
    params: dict[str, str]  # as given with --param (the engine resolves and checks them)
    panel: Panel
    broker: BrokerConfig
    benchmark: str | None
    provenance: dict[str, Any] = field(default_factory=dict)


# --- reusable options ------------------------------------------------------------------------

def strategy_options(command: F) -> F:
    """Add --strategy and --param."""
    command = click.option(
        "--param", "params", multiple=True, metavar="NAME=VALUE",
        help="A strategy parameter (repeatable), e.g. --param fast=10.")(command)
    return click.option(
        "--strategy", required=True, metavar="NAME|FILE.py:CLASS",
        help="A built-in strategy (see `invsim backtest strategies`) or your own class.")(command)


def data_options(command: F) -> F:
    """Add --symbols, --start, --end, --bars, --source and --interval."""
    for decorator in reversed((
        click.option("--symbols", "symbols", multiple=True, metavar="SYM[,SYM...]",
                     help="Symbols (repeatable or comma-separated); with --bars, one per file."),
        click.option("--start", default=None, metavar="YYYY-MM-DD", help="First day (UTC)."),
        click.option("--end", default=None, metavar="YYYY-MM-DD",
                     help="Last day, included (UTC; default today)."),
        click.option("--bars", "bars", multiple=True, metavar="FILE.csv",
                     help="Read bars from a CSV file (repeatable) instead of the market."),
        click.option("--source", type=click.Choice(["simulated", "alphavantage"]), default=None,
                     help="Market history to read (default simulated; not with --bars)."),
        click.option("--interval", default="1d", show_default=True,
                     type=click.Choice(["1m", "5m", "15m", "1h", "1d", "1w"]),
                     help="Bar interval of market history."),
    )):
        command = decorator(command)
    return command


def broker_options(command: F) -> F:
    """Add the account's options: cash, commission, slippage, shorting, share and volume rules."""
    for decorator in reversed((
        click.option("--cash", default="10000", show_default=True, help="Starting cash."),
        click.option("--commission", default="0", show_default=True,
                     help="Commission as a fraction of traded value (0.002 = 0.2 %)."),
        click.option("--slippage-bps", default="0", show_default=True,
                     help="Adverse slippage in basis points."),
        click.option("--allow-short", is_flag=True, help="A margin account that may sell short."),
        click.option("--whole-shares", is_flag=True, help="Trade whole shares only."),
        click.option("--volume-cap", default=DEFAULT_VOLUME_CAP, show_default=True,
                     help="Largest share of a bar's volume one order takes, or 'none'."),
        click.option("--benchmark", default=None, metavar="SYM",
                     help="The buy-and-hold benchmark: one of the symbols (default the first)."),
    )):
        command = decorator(command)
    return command


# --- inputs ----------------------------------------------------------------------------------

def run_inputs_from_options(make_app: AppFactory, options: Mapping[str, Any],
                            *, check_params: bool = True) -> RunInputs:
    """Build RunInputs from the keyword arguments the option decorators produce."""
    return build_run_inputs(
        make_app, strategy=options["strategy"], params=options.get("params", ()),
        symbols=options["symbols"], start=options["start"], end=options["end"],
        bars=options["bars"], source=options["source"], interval=options["interval"],
        cash=options["cash"], commission=options["commission"],
        slippage_bps=options["slippage_bps"], allow_short=options["allow_short"],
        whole_shares=options["whole_shares"], volume_cap=options["volume_cap"],
        benchmark=options["benchmark"], check_params=check_params)


def build_run_inputs(make_app: AppFactory, *, strategy: str, params: Sequence[str],
                     symbols: Sequence[str], start: str | None, end: str | None,
                     bars: Sequence[str], source: str | None, interval: str, cash: str,
                     commission: str, slippage_bps: str, allow_short: bool,
                     whole_shares: bool, volume_cap: str, benchmark: str | None,
                     check_params: bool = True) -> RunInputs:
    """Check every input, then load the bars; raise InputError (one line) on the first problem.

    Everything that needs no data is checked before any is read. With
    `check_params` the parameters are resolved against the strategy's
    declaration and its `check` (a sweep passes False and checks each point).
    """
    strategy_cls = _strategy(strategy)
    raw = _raw_params(params)
    broker = _broker(cash, commission, slippage_bps, allow_short, whole_shares, volume_cap)
    names = _symbol_list(symbols)
    if bars and source is not None:
        raise InputError("--bars and --source are exclusive: the bars come from the file")
    if bars and names and len(names) != len(bars):
        raise InputError(f"{len(bars)} --bars files but {len(names)} --symbols: "
                         "give one symbol per file, or none to use the file names")
    if not bars and not names:
        raise InputError("give --symbols (or --bars FILE.csv)")
    chosen = _planned_symbols(names, bars)
    if check_params:
        _check_params(strategy_cls, raw, chosen)
    if benchmark is not None and benchmark.strip().upper() not in chosen:
        raise InputError(f"the benchmark {benchmark} must be one of the run's symbols "
                         f"({', '.join(chosen)})")
    if bars:
        panel, origin = _csv_panel(bars, names, start, end)
    else:
        panel, origin = _market_panel(make_app, names, start, end, source or "simulated",
                                      interval)
    provenance = {"engine_version": ENGINE_VERSION, "strategy": strategy_name(strategy_cls,
                                                                                strategy),
                  "symbols": panel.symbols, "start": panel.times[0], "end": panel.times[-1],
                  "interval": None if bars else interval, **origin}
    return RunInputs(strategy_cls, raw, panel, broker,
                     benchmark.strip().upper() if benchmark else None, provenance)


def strategy_name(strategy: type[Strategy], reference: str) -> str:
    """Return how provenance names a strategy: the built-in name, or file.py:Class."""
    from invsim.backtest.userstrategy import display_name, is_file_reference

    return reference if is_file_reference(reference) else display_name(strategy)


def _strategy(reference: str) -> type[Strategy]:
    """Return a built-in strategy by name, or load the user's class from a file."""
    from invsim.backtest.strategies import BUILTINS
    from invsim.backtest.userstrategy import UserStrategyError, is_file_reference, load_strategy

    if is_file_reference(reference):
        try:
            return load_strategy(reference)
        except UserStrategyError as error:
            raise InputError(str(error)) from None
    found = BUILTINS.get(reference.strip())
    if found is None:
        raise InputError(f"unknown strategy {reference} (built-in: {', '.join(BUILTINS)}; "
                         "or path/to/file.py:ClassName)")
    return found


def _raw_params(given: Sequence[str]) -> dict[str, str]:
    """Split NAME=VALUE pairs; refuse a pair without '=' or a name given twice."""
    raw: dict[str, str] = {}
    for pair in given:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise InputError(f"--param {pair}: write NAME=VALUE, e.g. --param fast=10")
        if name in raw:
            raise InputError(f"--param {name} is given twice")
        raw[name] = value.strip()
    return raw


def _check_params(strategy: type[Strategy], raw: Mapping[str, str], symbols: list[str]) -> None:
    """Resolve and check the parameters as the engine will (before any data is read)."""
    from invsim.backtest.params import ParamError, resolve

    try:
        strategy.check(resolve(strategy.params, raw), symbols)
    except ParamError as error:
        raise InputError(str(error)) from None


def _symbol_list(given: Sequence[str]) -> list[str]:
    """Split comma lists, upper-case, keep the first of duplicates."""
    return list(dict.fromkeys(part.strip().upper() for item in given
                              for part in item.split(",") if part.strip()))


def _planned_symbols(names: list[str], bars: Sequence[str]) -> list[str]:
    """Return the symbols the run will have (from --symbols or the CSV file names)."""
    from invsim.backtest.csvbars import symbol_from_path

    return names or [symbol_from_path(path) for path in bars]


def _decimal(text: str, option: str) -> Decimal:
    """Parse an option's exact decimal."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise InputError(f"{option} {text[:40]}: not a number") from None
    if not value.is_finite():
        raise InputError(f"{option} must be a finite number")
    return value


def _broker(cash: str, commission: str, slippage_bps: str, allow_short: bool,
            whole_shares: bool, volume_cap: str) -> BrokerConfig:
    """Build the account from the options (a commission fraction becomes a percent model)."""
    from invsim.backtest.broker import BrokerConfig
    from invsim.trading.engine.costs import CommissionModel
    from invsim.trading.engine.rules import AccountType, TradingRules

    amount = _decimal(cash, "--cash")
    if not Decimal(0) < amount <= MAX_CASH:
        raise InputError(f"--cash must be above 0 and at most {MAX_CASH:,.0f}")
    fee = _decimal(commission, "--commission")
    if not Decimal(0) <= fee < Decimal(1):
        raise InputError("--commission is a fraction of traded value from 0 to below 1 "
                         "(0.002 = 0.2 %)")
    slippage = _decimal(slippage_bps, "--slippage-bps")
    if not Decimal(0) <= slippage <= MAX_SLIPPAGE_BPS:
        raise InputError(f"--slippage-bps must be from 0 to {MAX_SLIPPAGE_BPS}")
    cap: Decimal | None = None
    if volume_cap.strip().lower() != "none":
        cap = _decimal(volume_cap, "--volume-cap")
        if not Decimal(0) < cap <= Decimal(1):
            raise InputError("--volume-cap is a share of a bar's volume above 0 and at most 1, "
                             "or none")
    rules = TradingRules(
        commission=CommissionModel.percent(fee * 100) if fee else CommissionModel.none(),
        slippage_bps=slippage, max_volume_share=cap, fractional=not whole_shares,
        account_type=AccountType.MARGIN if allow_short else AccountType.CASH,
        allow_short=allow_short)
    return BrokerConfig(cash=amount, rules=rules)


def _csv_panel(files: Sequence[str], names: list[str], start: str | None,
               end: str | None) -> tuple[Panel, dict[str, Any]]:
    """Read the CSV files, align and clip them to the range."""
    from invsim.backtest.bars import BarsError, align, clip
    from invsim.backtest.csvbars import read_csv
    from invsim.backtest.data import resolve_range

    try:
        series = [read_csv(path, names[i] if names else None) for i, path in enumerate(files)]
        panel = align(series)
        if start is not None or end is not None:
            first, last = resolve_range(start, end)
            panel = clip(panel, first if start is not None else None,
                         last if end is not None else None)
    except BarsError as error:
        raise InputError(str(error)) from None
    origin = {"source": "csv", "files": [
        {"name": Path(path).name, "sha256": hashlib.sha256(Path(path).read_bytes()).hexdigest()}
        for path in files]}
    return panel, origin


def _market_panel(make_app: AppFactory, names: list[str], start: str | None, end: str | None,
                  source: str, interval: str) -> tuple[Panel, dict[str, Any]]:
    """Load the panel from the market inside an app configured for `source`."""
    from sqlalchemy.exc import SQLAlchemyError

    from invsim.backtest.bars import BarsError
    from invsim.backtest.data import load_panel, resolve_range

    try:
        resolve_range(start, end, interval)  # a bad range fails before the app is built
    except BarsError as error:
        raise InputError(str(error)) from None
    app = make_app(market_data_provider=source)
    with app.app_context():
        try:
            panel = load_panel(names, start, end, source, interval)
        except BarsError as error:
            raise InputError(str(error)) from None
        except SQLAlchemyError as error:
            first = str(error).splitlines()[0][:160]
            raise click.ClickException(
                f"the market database is not ready (run `invsim db upgrade`): {first}") from None
        settings = app.config["INVSIM_SETTINGS"]
    origin: dict[str, Any] = {"source": source}
    if source == "simulated":
        origin |= {"market_seed": settings.market_seed, "calendar": settings.market_calendar}
    return panel, origin
