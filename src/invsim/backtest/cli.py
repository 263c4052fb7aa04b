"""`invsim backtest ...`: run a built-in or your own strategy over history from the command line.

    invsim backtest strategies
    invsim backtest run --strategy sma_cross --param fast=10 --param slow=20 \\
        --symbols AAPL --start 2020-01-01 --end 2024-12-31 --cash 10000 --commission 0.002 --json

Bad input (unknown strategy or parameter, a parameter out of range, an empty or
reversed range, a symbol without bars, a malformed CSV...) prints one line on
standard error and exits with 2, having written nothing.

Reuse by other commands (the sweep), re-exported here from `cli_inputs`:
`strategy_options`, `data_options` and `broker_options` are click decorators
adding this command's options; `run_inputs_from_options(make_app, options)`
turns the options a command received (its keyword arguments) into `RunInputs`
(strategy class, raw parameters, aligned panel, broker config, benchmark,
provenance), raising `InputError` (one line, exit 2) on bad input;
`OneLineCommand` is the command class that turns click's usage errors into that
one line. Register a command on `backtest` (the group) with `cls=OneLineCommand`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from invsim.backtest.cli_inputs import (
    AppFactory,
    InputError,
    OneLineCommand,
    RunInputs,
    broker_options,
    build_run_inputs,
    data_options,
    run_inputs_from_options,
    strategy_options,
)
from invsim.backtest.cli_sweep import add_sweep_command

__all__ = [
    "InputError", "OneLineCommand", "RunInputs", "backtest", "broker_options",
    "build_run_inputs", "data_options", "run_inputs_from_options", "strategy_options",
]


@click.group("backtest")
def backtest() -> None:
    """Backtest strategies over the simulated market, Alpha Vantage or a CSV file."""


# --- commands --------------------------------------------------------------------------------

@backtest.command("strategies", cls=OneLineCommand)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def strategies_command(as_json: bool) -> None:
    """List the built-in strategies and their parameters."""
    from invsim.backtest.cli_output import strategies_json, strategies_table
    from invsim.backtest.strategies import BUILTINS

    if as_json:
        click.echo(json.dumps(strategies_json(BUILTINS), indent=2))
    else:
        click.echo(strategies_table(BUILTINS))


@backtest.command("run", cls=OneLineCommand)
@strategy_options
@data_options
@broker_options
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--trades", "show_trades", is_flag=True, help="Also list the trades.")
@click.option("--out", default=None, metavar="FILE.json",
              help="Write the whole result (curves, trades, fills, orders) as JSON.")
@click.pass_obj
def run_command(make_app: AppFactory, /, as_json: bool, show_trades: bool, out: str | None,
                **options: Any) -> None:
    """Run one backtest and print its summary."""
    from invsim.backtest.bars import BarsError
    from invsim.backtest.cli_output import full_json, summary_json, summary_table, trades_table
    from invsim.backtest.engine import RunSpec, run
    from invsim.backtest.params import ParamError

    target = _out_path(out)
    inputs = run_inputs_from_options(make_app, options)
    try:
        result = run(RunSpec(inputs.strategy, inputs.params, inputs.broker, inputs.benchmark),
                     inputs.panel)
    except (ParamError, BarsError) as error:
        raise InputError(str(error)) from None
    provenance = {**inputs.provenance, "params": result.params}
    if target is not None:
        target.write_text(json.dumps(full_json(result, provenance), indent=1) + "\n")
    if as_json:
        click.echo(json.dumps(summary_json(result, provenance, show_trades)))
        return
    click.echo(summary_table(result, provenance))
    if show_trades:
        click.echo("")
        click.echo(trades_table(result.trades))


def _out_path(out: str | None) -> Path | None:
    """Check that --out can be written (its folder exists) before anything runs."""
    if out is None:
        return None
    path = Path(out).expanduser()
    if path.is_dir() or not path.parent.is_dir():
        raise InputError(f"--out {out}: not a file in an existing folder")
    return path


add_sweep_command(backtest)  # `invsim backtest sweep` (backtest/cli_sweep.py)
