"""`invsim backtest sweep`: grid or random search of a strategy's parameters, or a walk forward.

    invsim backtest sweep --strategy sma_cross --range fast=5:50:5 --range slow=20:200:10 \\
        --symbols AAPL [--bars FILE.csv] [--metric sharpe] [--random 200 --seed 1] \\
        [--walk-forward train=756,test=252] [--workers 2] [--json]

`--range NAME=SPEC` sweeps a parameter ("5:50:5" is 5, 10, …, 50; "a,b,c" a
list); `--param NAME=VALUE` fixes one. The data and account options are those
of `invsim backtest run` (bt-cli's `cli_inputs`). Bad input prints one line on
standard error and exits with 2. Thin: the work is sweep.py and walkforward.py.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping, Sequence
from contextlib import nullcontext
from typing import Any

import click

from invsim.backtest import cli_inputs
from invsim.backtest.sweep_metrics import METRICS

DEFAULT_TOP = 10


def add_sweep_command(group: click.Group) -> click.Command:
    """Add `sweep` to the `backtest` click group; return the command."""
    shared = _shared_options()

    @group.command("sweep", cls=shared.command_class)
    @shared.strategy_options
    @shared.data_options
    @shared.broker_options
    @click.option("--range", "ranges", multiple=True, metavar="NAME=SPEC",
                  help="A parameter to sweep (repeatable): start:stop:step or a,b,c.")
    @click.option("--metric", type=click.Choice(METRICS), default="sharpe", show_default=True,
                  help="What ranks the combinations (higher is better; max_drawdown: "
                       "the shallowest).")
    @click.option("--random", "samples", type=int, default=None, metavar="N",
                  help="Random search: N distinct combinations instead of the whole grid.")
    @click.option("--seed", type=int, default=0, show_default=True,
                  help="Seed of the random search.")
    @click.option("--walk-forward", "walk", default=None, metavar="train=N,test=M",
                  help="Walk forward: optimise on N bars, test on the next M, roll.")
    @click.option("--workers", type=int, default=None,
                  help="Local processes (default 2 for a built-in strategy, else 1).")
    @click.option("--top", type=int, default=DEFAULT_TOP, show_default=True,
                  help="Rows of the table to print.")
    @click.option("--json", "as_json", is_flag=True, help="Print the whole result as JSON.")
    @click.pass_obj
    def sweep_command(make_app: Any, /, ranges: tuple[str, ...], metric: str,
                      samples: int | None, seed: int, walk: str | None, workers: int | None,
                      top: int, as_json: bool, **options: Any) -> None:
        """Sweep a strategy's parameters (or walk forward) and print the best."""
        fail = shared.input_error
        request = _request(ranges, samples, walk, fail)
        inputs = shared.load(make_app, options)
        outcome = run_request(inputs.strategy, inputs.params, inputs.panel, inputs.broker,
                              inputs.benchmark, request, metric=metric, seed=seed,
                              workers=workers, fail=fail)
        if as_json:
            click.echo(json.dumps(outcome))
        else:
            click.echo(render(outcome, top))

    return sweep_command


# --- the request --------------------------------------------------------------------------------

def _request(ranges: Sequence[str], samples: int | None, walk: str | None,
             fail: Callable[[str], Exception]) -> dict[str, Any]:
    """Check the sweep's own options before any data is read."""
    from invsim.backtest.sweep import SweepError, parse_space

    if not ranges:
        raise fail("give at least one --range NAME=SPEC, e.g. --range fast=5:50:5")
    raw: dict[str, str] = {}
    for item in ranges:
        name, sep, spec = item.partition("=")
        if not sep or not name.strip() or not spec.strip():
            raise fail(f"--range {item}: write NAME=SPEC, e.g. --range fast=5:50:5")
        if name.strip() in raw:
            raise fail(f"--range {name.strip()} is given twice")
        raw[name.strip()] = spec.strip()
    try:
        space = parse_space(raw)
    except SweepError as error:
        raise fail(str(error)) from None
    return {"space": space, "mode": "grid" if samples is None else "random",
            "samples": samples, "walk_forward": _walk(walk, fail) if walk else None}


def _walk(text: str, fail: Callable[[str], Exception]) -> dict[str, int]:
    """Parse train=N,test=M."""
    found: dict[str, int] = {}
    for part in text.split(","):
        name, sep, value = part.partition("=")
        if name.strip() not in ("train", "test") or not sep or not value.strip().isdigit():
            raise fail(f"--walk-forward {text}: write train=N,test=M (bars), "
                       "e.g. train=756,test=252")
        found[name.strip()] = int(value)
    if set(found) != {"train", "test"}:
        raise fail("--walk-forward needs both train=N and test=M")
    return found


def run_request(strategy: Any, fixed: Mapping[str, Any], panel: Any, broker: Any,
                benchmark: str | None, request: Mapping[str, Any], *, metric: str, seed: int,
                workers: int | None, fail: Callable[[str], Exception]) -> dict[str, Any]:
    """Run the sweep or walk forward the options describe; return JSON-ready data."""
    from invsim.backtest.bars import BarsError
    from invsim.backtest.fanout import local_executor
    from invsim.backtest.params import ParamError
    from invsim.backtest.strategies import BUILTINS
    from invsim.backtest.sweep import SweepError, run_sweep
    from invsim.backtest.walkforward import walk_forward

    space = dict(request["space"])
    for name, value in fixed.items():
        if name in space:
            raise fail(f"{name} is both a --param and a --range")
        space[name] = [value]
    builtin = BUILTINS.get(strategy.name) is strategy
    count = workers if workers is not None else (2 if builtin and (os.cpu_count() or 1) > 1
                                                  else 1)
    try:
        executor = local_executor(count)
        with executor if executor is not None else nullcontext():
            walk = request["walk_forward"]
            if walk is not None:
                found = walk_forward(strategy, space, panel, broker, metric=metric,
                                     train_bars=walk["train"], test_bars=walk["test"],
                                     executor=executor, mode=request["mode"],
                                     samples=request["samples"], seed=seed, benchmark=benchmark)
                return {"walk_forward": found.as_dict()}
            result = run_sweep(strategy, space, panel, broker, metric=metric,
                               mode=request["mode"], samples=request["samples"], seed=seed,
                               executor=executor, benchmark=benchmark)
            return {"sweep": result.as_dict()}
    except (SweepError, ParamError, BarsError) as error:
        raise fail(str(error)) from None


# --- the table ----------------------------------------------------------------------------------

def render(outcome: Mapping[str, Any], top: int) -> str:
    """Return the human-readable report of a sweep or a walk forward."""
    if "walk_forward" in outcome:
        return _walk_table(outcome["walk_forward"])
    return _sweep_table(outcome["sweep"], top)


def _number(value: Any) -> str:
    """Format a figure for a table (– where undefined)."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _sweep_table(data: Mapping[str, Any], top: int) -> str:
    """Return the best rows, what was skipped and the heatmap."""
    metric = data["metric"]
    lines = [f"{data['evaluated']} of {data['combinations']} combinations run "
             f"({data['exact_runs']} by the engine"
             + (", the rest estimated by the vectorised screen" if data["screened"] else "")
             + f"), {data['skipped']} skipped; ranked by {metric}"]
    for reason, count in data["skipped_reasons"].items():
        lines.append(f"  skipped {count}: {reason}")
    lines.append(f"{'rank':>4}  {metric:>12}  {'return':>8}  {'sharpe':>7}  {'max dd':>7}  "
                 f"{'trades':>6}  params")
    for row in data["rows"][:top]:
        s = row["summary"]
        params = " ".join(f"{k}={v}" for k, v in row["params"].items())
        mark = "" if row["exact"] else "  (estimate)"
        lines.append(f"{row['rank']:>4}  {_number(s.get(metric)):>12}  "
                     f"{_number(s.get('total_return')):>8}  {_number(s.get('sharpe')):>7}  "
                     f"{_number(s.get('max_drawdown')):>7}  {_number(s.get('trades')):>6}  "
                     f"{params}{mark}")
    heat = data.get("heatmap")
    if heat:
        lines.extend(["", _heat_table(heat)])
    return "\n".join(lines)


def _heat_table(heat: Mapping[str, Any]) -> str:
    """Return the heatmap as text: one line per y value, one column per x value."""
    fixed = " ".join(f"{k}={v}" for k, v in heat["fixed"].items())
    head = f"{heat['metric']} by {heat['x_param']} (columns) and {heat['y_param']} (rows)"
    lines = [head + (f", {fixed}" if fixed else "")]
    lines.append(f"{'':>8}" + "".join(f"{_number(x):>8}" for x in heat["x"]))
    for y, values in zip(heat["y"], heat["values"], strict=True):
        cells = "".join(f"{'·' if v is None else f'{v:.2f}':>8}" for v in values)
        lines.append(f"{_number(y):>8}{cells}")
    return "\n".join(lines)


def _walk_table(data: Mapping[str, Any]) -> str:
    """Return the walk-forward table: in and out of sample side by side, then the aggregate."""
    metric = data["metric"]
    lines = [f"walk forward: train {data['train_bars']} bars, test {data['test_bars']} bars, "
             f"by {metric}",
             f"{'win':>3}  {'test from':<10}  {'to':<10}  {'in sample':>10}  "
             f"{'out of sample':>13}  {'held':>4}  best params"]
    for row in data["windows"]:
        params = " ".join(f"{k}={v}" for k, v in row["best_params"].items())
        held = {True: "yes", False: "NO", None: "–"}[row["held"]]
        lines.append(f"{row['index']:>3}  {row['test']['start'][:10]:<10}  "
                     f"{row['test']['end'][:10]:<10}  {_number(row['in_sample_metric']):>10}  "
                     f"{_number(row['out_of_sample_metric']):>13}  {held:>4}  {params}")
    agg = data["aggregate"]
    out = agg["out_of_sample"]
    lines.append(f"mean {metric}: in sample {_number(agg['in_sample_mean'])}, out of sample "
                 f"{_number(agg['out_of_sample_mean'])}; {agg['windows_held']} of "
                 f"{agg['windows_judged']} windows held")
    lines.append(f"stitched out of sample: final equity {out['final_equity']}, total return "
                 f"{_number(out['total_return'])}, sharpe {_number(out['sharpe'])}, "
                 f"max drawdown {_number(out['max_drawdown'])}")
    if data["warning"]:
        lines.append(f"WARNING: {data['warning']}")
    return "\n".join(lines)


# --- the options shared with `invsim backtest run` ----------------------------------------------

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


class _Shared:
    """The option decorators, input loading and error type the sweep shares with `run`."""

    def __init__(self, command_class: type[click.Command], strategy_options: Decorator,
                 data_options: Decorator, broker_options: Decorator,
                 load: Callable[[Any, Mapping[str, Any]], Any],
                 input_error: Callable[[str], Exception]) -> None:
        self.command_class = command_class
        self.strategy_options = strategy_options
        self.data_options = data_options
        self.broker_options = broker_options
        self.load = load
        self.input_error = input_error


def _shared_options() -> _Shared:
    """Use `invsim backtest run`'s options and loaders (`backtest.cli_inputs`)."""

    def load(make_app: Any, options: Mapping[str, Any]) -> Any:
        return cli_inputs.run_inputs_from_options(make_app, options, check_params=False)

    return _Shared(cli_inputs.OneLineCommand, cli_inputs.strategy_options,
                   cli_inputs.data_options, cli_inputs.broker_options, load,
                   cli_inputs.InputError)
