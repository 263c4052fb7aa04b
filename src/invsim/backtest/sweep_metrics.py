"""The figures a sweep may rank by, and its search modes (a leaf module: the CLI reads it
at start without importing the engine)."""

from __future__ import annotations

METRICS = ("sharpe", "total_return", "sortino", "calmar", "max_drawdown", "final_equity")
MODES = ("grid", "random")
