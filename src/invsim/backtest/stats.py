"""Trade statistics of a backtest: counts, win rate, profit factor, exposure, SQN.

Conventions follow backtesting.py where it defines the figure (SQN uses the
sample standard deviation of trade P&L; returns are per trade, on entry value).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from invsim.backtest.trades import Trade


@dataclass(frozen=True, slots=True)
class TradeStats:
    """Figures over the closed trades (and the share of bars with a position)."""

    trades: int
    win_rate: float | None
    profit_factor: float | None
    exposure_time: float
    average_trade: float | None  # mean return per trade (fraction)
    best_trade: float | None
    worst_trade: float | None
    average_bars_held: float | None
    average_days_held: float | None
    sqn: float | None


def trade_stats(trades: Sequence[Trade], bars_in_market: int, bars: int) -> TradeStats:
    """Compute the statistics of a list of trades."""
    pnl = [float(t.pnl) for t in trades]
    returns = [t.return_pct for t in trades]
    wins = sum(p > 0 for p in pnl)
    gains, losses = sum(p for p in pnl if p > 0), -sum(p for p in pnl if p < 0)
    days = [(t.exit_at - t.entry_at).total_seconds() / 86400 for t in trades
            if t.exit_at is not None]
    return TradeStats(
        trades=len(trades),
        win_rate=wins / len(trades) if trades else None,
        profit_factor=gains / losses if losses else None,
        exposure_time=bars_in_market / bars if bars else 0.0,
        average_trade=_mean(returns),
        best_trade=max(returns) if returns else None,
        worst_trade=min(returns) if returns else None,
        average_bars_held=_mean([float(t.bars_held) for t in trades]),
        average_days_held=_mean(days),
        sqn=_sqn(pnl),
    )


def _mean(values: Sequence[float]) -> float | None:
    """Return the mean, or None for no values."""
    return sum(values) / len(values) if values else None


def _sqn(pnl: Sequence[float]) -> float | None:
    """Return Van Tharp's system quality number: √n × mean / sample std of trade P&L."""
    if len(pnl) < 2:
        return None
    mean = sum(pnl) / len(pnl)
    std = math.sqrt(sum((p - mean) ** 2 for p in pnl) / (len(pnl) - 1))
    return math.sqrt(len(pnl)) * mean / std if std else None
