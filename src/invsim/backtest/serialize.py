"""A run's result as compact, JSON-safe data for the `backtest_runs` row.

Curves are kept at one point per UTC day (the last value of the day); money
stays a decimal string; non-finite floats become null (PostgreSQL's JSON
refuses NaN). Trades and fills are capped so a row stays small; `truncated`
says when a list was cut.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from invsim.backtest.broker import FillRecord
from invsim.backtest.result import Result
from invsim.backtest.trades import Trade

MAX_TRADES = 2000
MAX_FILLS = 5000


def plain(value: Any) -> Any:
    """Turn decimals, dates, enums, tuples and dataclasses into JSON-safe values."""
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return plain(asdict(value))
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v) for v in value]
    return str(value)


def summary_json(result: Result) -> dict[str, Any]:
    """Return the run's headline figures (the engine's summary, JSON-safe)."""
    summary: dict[str, Any] = plain(result.summary())
    return summary


def result_json(result: Result) -> dict[str, Any]:
    """Return the curves (daily), trades, fills with their rules, and the metrics."""
    days = _last_of_each_day(result.times)
    return {
        "dates": [result.times[i].date().isoformat() for i in days],
        "equity": [str(result.equity[i]) for i in days],
        "drawdown": [_rounded(result.drawdown[i], 6) for i in days],
        "benchmark_symbol": result.benchmark_symbol,
        "benchmark": [_rounded(result.benchmark_equity[i], 2) for i in days],
        "trades": [trade_json(t) for t in result.trades[:MAX_TRADES]],
        "fills": [fill_json(f) for f in result.fills[:MAX_FILLS]],
        "truncated": {"trades": len(result.trades) > MAX_TRADES,
                      "fills": len(result.fills) > MAX_FILLS},
        "metrics": plain(result.metrics),
        "params": plain(result.params),
    }


def trade_json(trade: Trade) -> dict[str, Any]:
    """Return one round trip."""
    return {
        "symbol": trade.symbol, "direction": trade.direction, "qty": str(trade.qty),
        "entry_at": trade.entry_at.isoformat(), "entry_price": str(trade.entry_price),
        "exit_at": trade.exit_at.isoformat() if trade.exit_at else None,
        "exit_price": str(trade.exit_price) if trade.exit_price is not None else None,
        "pnl": str(trade.pnl), "commission": str(trade.commission),
        "return_pct": _rounded(trade.return_pct, 6), "bars_held": trade.bars_held,
        "open": trade.open,
    }


def fill_json(fill: FillRecord) -> dict[str, Any]:
    """Return one execution with the rules that priced it."""
    return {
        "order_id": fill.order_id, "symbol": fill.symbol, "side": plain(fill.side),
        "qty": str(fill.qty), "price": str(fill.price), "gross": str(fill.gross),
        "commission": str(fill.commission), "rules": list(fill.rules),
        "price_source": fill.price_source, "at": fill.at.isoformat(), "tag": fill.tag,
        "liquidation": fill.liquidation,
    }


def _last_of_each_day(times: Sequence[datetime]) -> list[int]:
    """Return the index of the last step of each UTC day."""
    keep: list[int] = []
    for i, at in enumerate(times):
        if keep and times[keep[-1]].date() == at.date():
            keep[-1] = i
        else:
            keep.append(i)
    return keep


def _rounded(value: float, places: int) -> float | None:
    """Round a float for storage; None for NaN or infinity."""
    return round(value, places) if math.isfinite(value) else None
