"""The returns CSV: one row per observation of a window, the figures a spreadsheet rebuilds.

Pure. Amounts are exact (to the cent, as the ledger has them); returns are
the float statistics of `analytics.returns`, written with 12 significant
digits (more than a float of a daily return carries in practice), so a
spreadsheet reproduces the TWR, the volatility and the drawdowns exactly as
the API computes them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from invsim.analytics.drawdown import drawdown_series
from invsim.analytics.metrics import ReturnSeries
from invsim.core.money import ZERO, format_money

COLUMNS = ("date", "equity", "net_cash_flow", "return", "cumulative_return", "drawdown",
           "benchmark_close", "benchmark_return")


@dataclass(frozen=True, slots=True)
class ExportRow:
    """One observation: its amounts and the returns ending on it (None on the base row)."""

    day: date
    equity: Decimal
    net_cash_flow: Decimal
    period_return: float | None
    cumulative_return: float
    drawdown: float
    benchmark_close: Decimal | None
    benchmark_return: float | None


def _number(value: float | None) -> str:
    """Write a float statistic with 12 significant digits; empty when undefined."""
    return "" if value is None else f"{value:.12g}"


def returns_csv(rows: Sequence[ExportRow]) -> str:
    """Return the rows as CSV text, header first, oldest first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([
            row.day.isoformat(), format_money(row.equity), format_money(row.net_cash_flow),
            _number(row.period_return), _number(row.cumulative_return), _number(row.drawdown),
            "" if row.benchmark_close is None else str(row.benchmark_close),
            _number(row.benchmark_return),
        ])
    return buffer.getvalue()


def export_rows(
    days: Sequence[date],
    equity: Sequence[Decimal],
    flows: Sequence[Decimal],
    series: ReturnSeries,
    closes: dict[date, Decimal],
) -> list[ExportRow]:
    """Pair each observation `series` measured with its returns and the benchmark's close.

    Observations the series left out (before the first funded point, after a
    total loss) are left out here too; the base row's flow is 0 (it is inside
    the opening equity) and its returns are undefined or 0.
    """
    position = {day: i for i, day in enumerate(series.days)}
    depths = drawdown_series(series.growth)
    rows: list[ExportRow] = []
    previous: Decimal | None = None
    for day, amount, flow in zip(days, equity, flows, strict=True):
        i = position.get(day)
        if i is None:
            continue
        close = closes.get(day)
        rows.append(ExportRow(
            day=day, equity=amount, net_cash_flow=flow if i else ZERO,
            period_return=float(series.returns[i - 1]) if i else None,
            cumulative_return=float(series.growth[i]) - 1.0, drawdown=float(depths[i]),
            benchmark_close=close,
            benchmark_return=float(close / previous - 1) if close and previous else None))
        previous = close or previous
    return rows
