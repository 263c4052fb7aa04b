"""Stand-in for bt-cli's `backtest.cli_inputs` until that branch is merged (then delete this file).

The sweep command takes bt-cli's options and loaders when `cli_inputs` exists;
without it, this minimal subset lets `invsim backtest sweep` run on CSV files:
built-in strategies, --param, --symbols, --bars, --cash, --commission,
--slippage-bps, --allow-short, --benchmark. Same option names, same meaning.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


class InputError(click.ClickException):
    """Bad input: one line on standard error, exit code 2."""

    exit_code = 2

    def show(self, file: IO[Any] | None = None) -> None:
        """Print the one line."""
        click.echo(f"Error: {self.format_message()}", err=True)


class OneLineCommand(click.Command):
    """A command whose usage errors are one line too."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Parse as click does; a usage error becomes an InputError."""
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as error:
            raise InputError(error.format_message().replace("\n", " ")) from None


@dataclass(frozen=True)
class Inputs:
    """What the sweep starts from."""

    strategy: Any
    params: dict[str, str]
    panel: Any
    broker: Any
    benchmark: str | None


def strategy_options(command: F) -> F:
    """Add --strategy and --param."""
    command = click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
                           help="A fixed strategy parameter (repeatable).")(command)
    return click.option("--strategy", required=True, metavar="NAME",
                        help="A built-in strategy.")(command)


def data_options(command: F) -> F:
    """Add --symbols and --bars."""
    command = click.option("--bars", "bars", multiple=True, metavar="FILE.csv",
                           help="Read bars from a CSV file (repeatable).")(command)
    return click.option("--symbols", "symbols", multiple=True, metavar="SYM[,SYM...]",
                        help="Symbols, one per --bars file.")(command)


def broker_options(command: F) -> F:
    """Add --cash, --commission, --slippage-bps, --allow-short and --benchmark."""
    for decorator in reversed((
        click.option("--cash", default="10000", show_default=True, help="Starting cash."),
        click.option("--commission", default="0", show_default=True,
                     help="Commission as a fraction of traded value (0.002 = 0.2 %)."),
        click.option("--slippage-bps", default="0", show_default=True,
                     help="Adverse slippage in basis points."),
        click.option("--allow-short", is_flag=True, help="A margin account that may sell short."),
        click.option("--benchmark", default=None, metavar="SYM", help="The benchmark symbol."),
    )):
        command = decorator(command)
    return command


def load_inputs(make_app: Any, options: Mapping[str, Any]) -> Inputs:
    """Check the options and read the CSV bars."""
    from invsim.backtest.bars import BarsError, align
    from invsim.backtest.broker import BrokerConfig
    from invsim.backtest.strategies import BUILTINS
    from invsim.trading.engine.costs import CommissionModel
    from invsim.trading.engine.rules import AccountType, TradingRules

    strategy = BUILTINS.get(options["strategy"])
    if strategy is None:
        raise InputError(f"unknown strategy {options['strategy']} "
                         f"(built-in: {', '.join(BUILTINS)})")
    params = _params(options["params"])
    files: Sequence[str] = options["bars"]
    names = [p.strip().upper() for s in options["symbols"] for p in s.split(",") if p.strip()]
    if not files:
        raise InputError("give --bars FILE.csv (market data comes with bt-cli's loader)")
    if names and len(names) != len(files):
        raise InputError(f"{len(files)} --bars files but {len(names)} --symbols")
    fee = _decimal(options["commission"], "--commission")
    rules = TradingRules(
        commission=CommissionModel.percent(fee * 100) if fee else CommissionModel.none(),
        slippage_bps=_decimal(options["slippage_bps"], "--slippage-bps"),
        account_type=AccountType.MARGIN if options["allow_short"] else AccountType.CASH,
        allow_short=options["allow_short"])
    try:
        panel = align([read_csv(path, names[i] if names else Path(path).stem.upper())
                       for i, path in enumerate(files)])
    except BarsError as error:
        raise InputError(str(error)) from None
    benchmark = options["benchmark"].strip().upper() if options["benchmark"] else None
    if benchmark is not None and benchmark not in panel.symbols:
        raise InputError(f"the benchmark {benchmark} must be one of the symbols")
    return Inputs(strategy, params, panel,
                  BrokerConfig(cash=_decimal(options["cash"], "--cash"), rules=rules), benchmark)


def _params(given: Sequence[str]) -> dict[str, str]:
    """Split NAME=VALUE pairs."""
    found: dict[str, str] = {}
    for pair in given:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise InputError(f"--param {pair}: write NAME=VALUE, e.g. --param fast=10")
        found[name.strip()] = value.strip()
    return found


def _decimal(text: str, option: str) -> Decimal:
    """Parse an option's number."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise InputError(f"{option} {text[:40]}: not a number") from None
    if not value.is_finite() or value < 0:
        raise InputError(f"{option} must be a finite number ≥ 0")
    return value


def read_csv(path: str, symbol: str) -> Any:
    """Read Date,Open,High,Low,Close,Volume rows (a date is that day 00:00 UTC)."""
    from invsim.backtest.bars import OHLCV, BarSeries, BarsError

    file = Path(path)
    if not file.is_file():
        raise BarsError(f"{file.name}: no such file")
    rows = list(csv.DictReader(file.read_text(encoding="utf-8-sig").splitlines()))
    bars = []
    for line, row in enumerate(rows, start=2):
        cells = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        try:
            at = datetime.fromisoformat(cells["date"])
            values = [Decimal(cells[c]) for c in ("open", "high", "low", "close", "volume")]
        except (KeyError, ValueError, InvalidOperation):
            raise BarsError(f"{file.name} line {line}: needs Date,Open,High,Low,Close,Volume"
                            ) from None
        at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
        bars.append(OHLCV(at, *values))
    return BarSeries(symbol, tuple(bars))
