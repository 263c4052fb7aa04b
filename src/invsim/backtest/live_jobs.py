"""The scheduled job of live strategies (a row of `invsim.jobs.JOBS`): thin, idempotent."""

from __future__ import annotations

from invsim.backtest.live import LiveReport
from invsim.backtest.live import run_live_strategies as _run


def run_live_strategies() -> LiveReport:
    """Let every active live strategy decide on the latest complete daily bar."""
    return _run()
