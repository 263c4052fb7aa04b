"""What `invsim backtest` prints and writes: a readable table, the JSON summary, the full result."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from invsim.backtest import ENGINE_VERSION
from invsim.backtest.params import Param
from invsim.backtest.result import Result
from invsim.backtest.strategy import Strategy
from invsim.backtest.trades import Trade

_PERCENT = ("total_return", "annualized_return", "volatility", "max_drawdown",
            "benchmark_return", "win_rate", "exposure_time", "average_trade", "best_trade",
            "worst_trade", "alpha")
_ROWS = (("final_equity", "final equity"), ("total_return", "total return"),
         ("annualized_return", "annualized return"), ("volatility", "volatility"),
         ("sharpe", "Sharpe"), ("sortino", "Sortino"), ("max_drawdown", "max drawdown"),
         ("calmar", "Calmar"), ("beta", "beta"), ("alpha", "alpha"),
         ("benchmark_return", "benchmark return"), ("trades", "trades"),
         ("open_trades", "open at the end"), ("win_rate", "win rate"),
         ("profit_factor", "profit factor"), ("exposure_time", "exposure time"),
         ("average_trade", "average trade"), ("best_trade", "best trade"),
         ("worst_trade", "worst trade"), ("average_days_held", "average days held"),
         ("sqn", "SQN"), ("commission", "commission"), ("margin_interest", "margin interest"),
         ("fills", "fills"))


def plain(value: Any) -> Any:
    """Make a value JSON-ready: Decimals and instants as strings, NaN and infinities as None."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def plain_dict(value: Mapping[str, Any]) -> dict[str, Any]:
    """Make a mapping JSON-ready (see `plain`)."""
    return {str(k): plain(v) for k, v in value.items()}


def summary_json(result: Result, provenance: Mapping[str, Any],
                 trades: bool = False) -> dict[str, Any]:
    """Return the run's summary (plus where it came from, and the trades if asked)."""
    data = plain_dict(result.summary())
    data["provenance"] = plain(provenance)
    if trades:
        data["trade_list"] = [trade_json(t) for t in result.trades]
    return data


def full_json(result: Result, provenance: Mapping[str, Any]) -> dict[str, Any]:
    """Return everything a run produced, for `--out` (curves, trades, fills, orders)."""
    return {
        "engine_version": ENGINE_VERSION,
        "provenance": plain(provenance),
        "summary": plain(result.summary()),
        "curves": {
            "times": [t.isoformat() for t in result.times],
            "equity": [str(v) for v in result.equity],
            "drawdown": plain(list(result.drawdown)),
            "benchmark": result.benchmark_symbol,
            "benchmark_equity": plain(list(result.benchmark_equity)),
        },
        "trades": [trade_json(t) for t in result.trades],
        "fills": [plain({"order_id": f.order_id, "symbol": f.symbol, "side": str(f.side),
                         "qty": f.qty, "price": f.price, "gross": f.gross,
                         "commission": f.commission, "rules": list(f.rules),
                         "price_source": f.price_source, "at": f.at, "tag": f.tag,
                         "liquidation": f.liquidation}) for f in result.fills],
        "orders": [plain({"id": o.id, "symbol": o.symbol, "side": str(o.request.side),
                          "type": str(o.request.type), "status": str(o.status),
                          "reason": o.reason, "placed_at": o.placed_at, "tag": o.request.tag})
                   for o in result.orders],
    }


def trade_json(trade: Trade) -> dict[str, Any]:
    """Return one trade as JSON-ready data."""
    return plain_dict({"symbol": trade.symbol, "direction": trade.direction, "qty": trade.qty,
                       "entry_at": trade.entry_at, "entry_price": trade.entry_price,
                       "exit_at": trade.exit_at, "exit_price": trade.exit_price,
                       "pnl": trade.pnl, "return": trade.return_pct,
                       "commission": trade.commission, "bars_held": trade.bars_held,
                       "open": trade.open})


def summary_table(result: Result, provenance: Mapping[str, Any]) -> str:
    """Return the summary as aligned `label  value` lines under a one-line heading."""
    summary = result.summary()
    heading = (f"{provenance['strategy']} on {', '.join(provenance['symbols'])}: "
               f"{summary['start'][:10]} to {summary['end'][:10]}, {summary['bars']} bars "
               f"({provenance['source']})")
    width = max(len(label) for _, label in _ROWS)
    lines = [heading] + [f"  {label:<{width}}  {_shown(key, summary.get(key))}"
                         for key, label in _ROWS]
    return "\n".join(lines)


def trades_table(trades: Sequence[Trade]) -> str:
    """Return the trades, one a line."""
    if not trades:
        return "no trades"
    header = (f"{'symbol':<8} {'side':<5} {'qty':>12} {'entry':<10} {'price':>11} "
              f"{'exit':<10} {'price':>11} {'P&L':>12} {'return':>8} {'comm.':>9}")
    rows = [header]
    for t in trades:
        exit_day = "open" if t.open or t.exit_at is None else f"{t.exit_at:%Y-%m-%d}"
        rows.append(f"{t.symbol:<8} {t.direction:<5} {_num(t.qty):>12} "
                    f"{t.entry_at:%Y-%m-%d} {_num(t.entry_price):>11} {exit_day:<10} "
                    f"{_num(t.exit_price):>11} {_num(t.pnl):>12} "
                    f"{t.return_pct * 100:>7.2f}% {_num(t.commission):>9}")
    return "\n".join(rows)


def strategies_table(strategies: Mapping[str, type[Strategy]]) -> str:
    """Return each strategy with its summary and parameters."""
    blocks = []
    for name, strategy in strategies.items():
        lines = [f"{name}: {strategy.summary}"]
        lines += [f"  {param}: {_param_line(spec)}" for param, spec in strategy.params.items()]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def strategies_json(strategies: Mapping[str, type[Strategy]]) -> list[dict[str, Any]]:
    """Return each strategy and its parameters as plain data."""
    return [{"name": name, "summary": s.summary,
             "params": {p: spec.describe() for p, spec in s.params.items()}}
            for name, s in strategies.items()]


def _param_line(spec: Param) -> str:
    """Describe one parameter: type, default, range or choices, help."""
    described = spec.describe()
    parts = [described["type"], f"default {_text(described['default'])}"]
    if described["minimum"] is not None or described["maximum"] is not None:
        parts.append(f"{_text(described['minimum'])}..{_text(described['maximum'])}")
    if described["choices"]:
        parts.append("one of " + "|".join(described["choices"]))
    return ", ".join(parts) + (f": {spec.help}" if spec.help else "")


def _text(value: Any) -> str:
    """Show a parameter value (None as a dash)."""
    if value is None:
        return "-"
    if isinstance(value, dict):
        return ",".join(f"{k}:{v}" for k, v in value.items())
    return str(value)


def _shown(key: str, value: Any) -> str:
    """Format one summary figure."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "-"
    if key in _PERCENT:
        return f"{float(value) * 100:.2f} %"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _num(value: Decimal | None) -> str:
    """Show a Decimal without trailing zeros (a dash for None)."""
    if value is None:
        return "-"
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
