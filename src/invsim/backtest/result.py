"""What a backtest produces: curves, trades, fills, orders, metrics and a JSON-ready summary."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import numpy as np

from invsim.analytics.metrics import Metrics, compute_metrics
from invsim.backtest.bars import Panel
from invsim.backtest.broker import Broker, FillRecord
from invsim.backtest.orders import WorkingOrder
from invsim.backtest.stats import TradeStats, trade_stats
from invsim.backtest.trades import Trade
from invsim.core.money import ZERO, money


@dataclass(frozen=True)
class Result:
    """One run's outcome. Money is Decimal; statistics are floats (None: not defined)."""

    times: tuple[datetime, ...]
    equity: tuple[Decimal, ...]
    drawdown: tuple[float, ...]
    benchmark_symbol: str
    benchmark_equity: tuple[float, ...]
    trades: tuple[Trade, ...]
    fills: tuple[FillRecord, ...]
    orders: tuple[WorkingOrder, ...]
    metrics: Metrics
    stats: TradeStats
    commission: Decimal
    interest: Decimal
    params: Mapping[str, Any]

    @property
    def final_equity(self) -> Decimal:
        """Return the equity at the last close."""
        return self.equity[-1]

    @property
    def closed_trades(self) -> list[Trade]:
        """Return the trades that were closed before the end."""
        return [t for t in self.trades if not t.open]

    def summary(self) -> dict[str, Any]:
        """Return the headline figures as JSON-ready data."""
        m = self.metrics
        start = self.equity[0] if self.equity else ZERO
        return {
            "start": self.times[0].isoformat(), "end": self.times[-1].isoformat(),
            "bars": len(self.times),
            "final_equity": str(self.final_equity),
            "total_return": _ratio(self.final_equity, start),
            "annualized_return": m.twr_annualized, "volatility": m.volatility,
            "sharpe": m.sharpe, "sortino": m.sortino, "max_drawdown": m.max_drawdown,
            "calmar": m.calmar, "beta": m.beta, "alpha": m.alpha,
            "benchmark": self.benchmark_symbol, "benchmark_return": m.benchmark_return,
            "commission": str(self.commission), "margin_interest": str(self.interest),
            "fills": len(self.fills), "open_trades": sum(t.open for t in self.trades),
            **asdict(self.stats),
        }


def build_result(panel: Panel, broker: Broker, equity: Sequence[Decimal], in_market: int,
                 benchmark: str, params: Mapping[str, Any]) -> Result:
    """Assemble the result of a finished loop."""
    times = panel.times
    closes = panel.closes(benchmark)
    benchmark_curve = _buy_and_hold(closes, float(broker.config.cash))
    # one float copy of the curve for the metrics and the drawdown (the money stays Decimal
    # in the result; the metrics compute in floats either way, the figures are the same)
    values = np.fromiter(map(float, equity), dtype=np.float64, count=len(equity))
    dates = list(map(datetime.date, times))
    days, levels = _daily(dates, values.tolist())
    bench_days, bench_levels = _daily(dates, benchmark_curve)
    metrics = compute_metrics(days, levels, benchmark_dates=bench_days,
                              benchmark_levels=bench_levels)
    closed = list(broker.trades.closed)
    last = {s: broker.marks[s] for s in broker.positions if broker.positions[s] != 0}
    still_open = broker.trades.open_trades(last, times[-1], len(times) - 1)
    return Result(
        times=times, equity=tuple(equity), drawdown=tuple(_drawdown(values)),
        benchmark_symbol=benchmark, benchmark_equity=tuple(benchmark_curve),
        trades=tuple(closed + still_open), fills=tuple(broker.fills),
        orders=tuple(broker.orders), metrics=metrics,
        stats=trade_stats(closed, in_market, len(times)),
        commission=money(sum((f.commission for f in broker.fills), ZERO)),
        interest=broker.interest, params=dict(params),
    )


def _buy_and_hold(closes: np.ndarray, cash: float) -> list[float]:
    """Return the value of `cash` put into the benchmark at its first close."""
    first = closes[~np.isnan(closes)][0]
    curve = np.where(np.isnan(closes), first, closes) * (cash / first)
    return list(curve.tolist())


def _daily(dates: Sequence[date], values: Sequence[Decimal | float]
           ) -> tuple[list[date], list[Decimal | float]]:
    """Keep the last value of each UTC day (intraday runs are measured daily)."""
    if len(set(dates)) == len(dates):  # daily bars: one value a day already
        return list(dates), list(values)
    by_day: dict[date, Decimal | float] = {}
    for day, value in zip(dates, values, strict=True):
        by_day[day] = value
    return list(by_day), list(by_day.values())


def _drawdown(values: np.ndarray) -> list[float]:
    """Return each step's fall from the running peak of equity (≤ 0)."""
    peaks = np.maximum.accumulate(values)
    with np.errstate(divide="ignore", invalid="ignore"):
        falls = np.where(peaks > 0, values / peaks - 1.0, 0.0)
    return list(falls.tolist())


def _ratio(end: Decimal, start: Decimal) -> float | None:
    """Return end / start − 1, or None from zero."""
    return float(end / start - 1) if start else None
