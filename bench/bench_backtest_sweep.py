"""Time a sweep of 1,000 SMA-crossover (fast, slow) pairs on 10 years of one symbol's daily bars.

The bars are the simulated market's (seed 1, AAPL, 2015–2024, NYSE sessions).
Timed side by side in one run:
- the sweep as `invsim backtest sweep` runs it: the vectorised screen ranks all
  1,000 pairs, the engine re-runs the best 50 (in 2 processes); the winner and
  every reported figure are the engine's;
- the same sweep with every pair run by the engine (2 processes), to show the
  screen picked the same winner;
- vectorbt on the same closes and opens (signals on the close, filled at the next
  open), when it is installed in /work/venv-vbt (a separate venv: it pulls numba).

Run: PYTHONPATH=src .venv/bin/python bench/bench_backtest_sweep.py [--no-exhaustive]
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import numpy as np

from invsim.backtest.bars import OHLCV, BarSeries, Panel, align
from invsim.backtest.broker import BrokerConfig
from invsim.backtest.strategies import BUILTINS
from invsim.backtest.sweep import CONFIRM_TOP, SweepResult, run_sweep
from invsim.core.clock import calendar_for
from invsim.market.providers.simulated import SimulatedProvider

TARGET_SECONDS = 5.0
FAST = list(range(5, 55))  # 50 values
SLOW = list(range(60, 260, 10))  # 20 values: every pair has fast < slow
VBT_PYTHON = Path("/work/venv-vbt/bin/python")

VBT_SCRIPT = r"""
import json, sys, time
import numpy as np, pandas as pd
import vectorbt as vbt
data = np.load(sys.argv[1])
index = pd.to_datetime(data["days"])
close = pd.Series(data["close"], index=index)
opens = pd.Series(data["open"], index=index)
pairs = [(int(f), int(s)) for f in data["fast"] for s in data["slow"]]

def run():
    # vectorbt's own idiom: one MA column per pair, crosses column by column
    fast = vbt.MA.run(close, [f for f, _ in pairs], short_name="fast")
    slow = vbt.MA.run(close, [s for _, s in pairs], short_name="slow")
    entries = fast.ma_crossed_above(slow).vbt.fshift(1)  # decided on the close,
    exits = fast.ma_crossed_below(slow).vbt.fshift(1)  # traded at the next open
    pf = vbt.Portfolio.from_signals(close, entries.fillna(False).astype(bool),
                                    exits.fillna(False).astype(bool), price=opens,
                                    init_cash=10000, freq="1D")
    return pf.sharpe_ratio()

run()  # numba compiles on the first call: time the second
began, cpu = time.perf_counter(), time.process_time()
sharpe = run()
seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
best = pairs[int(np.nanargmax(sharpe.to_numpy()))]
print(json.dumps({"seconds": seconds, "cpu": cpu, "best": list(best),
                  "version": vbt.__version__}))
"""


def simulated_panel() -> Panel:
    """Return 10 years of the simulated market's AAPL daily bars as a backtest panel."""
    provider = SimulatedProvider(seed=1, calendar=calendar_for("nyse"))
    bars = provider.daily_bars(["AAPL"], datetime(2015, 1, 1, tzinfo=UTC),
                               datetime(2024, 12, 31, tzinfo=UTC))["AAPL"]
    return align([BarSeries("AAPL", tuple(
        OHLCV(b.start, b.open, b.high, b.low, b.close, Decimal(b.volume)) for b in bars))])


def cpu_seconds() -> float:
    """Return the CPU time of this process and its finished children (the pool's workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed_sweep(panel: Panel, screen: bool | None) -> tuple[float, float, SweepResult]:
    """Run the 1,000-pair sweep in 2 processes; return wall and CPU seconds and the result."""
    began, cpu = time.perf_counter(), cpu_seconds()
    with ProcessPoolExecutor(2) as pool:
        result = run_sweep(BUILTINS["sma_cross"], {"fast": FAST, "slow": SLOW}, panel,
                           BrokerConfig(cash=Decimal("10000")), executor=pool, screen=screen)
    return time.perf_counter() - began, cpu_seconds() - cpu, result


def vectorbt(panel: Panel) -> str:
    """Time vectorbt's sweep of the same pairs in its own venv, or say why not."""
    if not VBT_PYTHON.exists():
        return "vectorbt=not installed"
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "bars.npz"
        np.savez(data, close=panel.closes("AAPL"), open=panel.field("AAPL", "open"),
                 days=np.array([t.date().isoformat() for t in panel.times]),
                 fast=np.array(FAST), slow=np.array(SLOW))
        script = Path(folder) / "vbt.py"
        script.write_text(VBT_SCRIPT)
        done = subprocess.run([str(VBT_PYTHON), str(script), str(data)], capture_output=True,
                              text=True, timeout=600, check=False)
    if done.returncode != 0:
        return f"vectorbt=failed ({done.stderr.strip().splitlines()[-1][:80]})"
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return (f"vectorbt {found['version']}={found['seconds']:.2f} s cpu={found['cpu']:.2f} "
            f"(1 process; best fast={found['best'][0]} slow={found['best'][1]})")


def main() -> None:
    """Print one line: the sweep's time, how it splits, and the side-by-side figures."""
    panel = simulated_panel()
    load = os.getloadavg()[0]
    seconds, cpu, screened = timed_sweep(panel, screen=None)
    best = screened.best["params"]
    parts = [f"backtest_sweep pairs={len(FAST) * len(SLOW)} bars={len(panel.times)} "
             f"seconds={seconds:.2f} cpu={cpu:.2f} (vectorised screen + engine re-runs of the "
             f"top {CONFIRM_TOP}, 2 processes; best fast={best['fast']} slow={best['slow']} "
             f"sharpe={screened.best['summary']['sharpe']:.3f})"]
    if "--no-exhaustive" not in sys.argv:
        every_seconds, every_cpu, every = timed_sweep(panel, screen=False)
        same = every.best["summary"] == screened.best["summary"]
        parts.append(f"engine on all pairs={every_seconds:.2f} s cpu={every_cpu:.2f} "
                     f"same best={'yes' if same else 'NO'}")
    parts.append(vectorbt(panel))
    parts.append(f"load average {load:.1f} on {os.cpu_count()} cores; "
                 f"target < {TARGET_SECONDS:.0f} s")
    print("; ".join(parts))


if __name__ == "__main__":
    main()
