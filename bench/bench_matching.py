"""Evaluate 10,000 open orders of mixed types against one tick with the pure engine.

Run: .venv/bin/python bench/bench_matching.py   (prints one line; target < 1 s)
"""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from invsim.trading.engine.costs import CommissionModel
from invsim.trading.engine.matcher import evaluate
from invsim.trading.engine.rules import TradingRules
from invsim.trading.engine.snapshot import Bar, MarketSnapshot
from invsim.trading.engine.spec import OrderSpec
from invsim.trading.engine.state import OrderType, Side, TimeInForce
from invsim.trading.engine.tif import Session

ORDERS = 10_000
TARGET_SECONDS = 1.0
OPEN = datetime(2026, 3, 2, 14, 30, tzinfo=UTC)
NOW = OPEN + timedelta(hours=1, seconds=30)


def build_market() -> MarketSnapshot:
    """Return one fresh tick in session, with a bar that caps large orders."""
    bar = Bar(
        NOW - timedelta(seconds=30),
        Decimal("100.20"),
        Decimal("100.90"),
        Decimal("99.40"),
        Decimal("100.00"),
        Decimal(250_000),
    )
    session = Session(OPEN, OPEN + timedelta(hours=6, minutes=30))
    return MarketSnapshot(
        Decimal("99.99"), Decimal("100.01"), Decimal("100.00"), NOW, bar=bar, session=session
    )


def build_order(rng: random.Random) -> OrderSpec:
    """Return one random open order: market, limit, stop, stop-limit or trailing stop."""
    side = rng.choice((Side.BUY, Side.SELL))
    kind = rng.choice(list(OrderType))
    qty = Decimal(rng.randint(1, 40_000))
    offset = Decimal(rng.randint(-300, 300)) / 100
    terms: dict[str, object] = {}
    if kind in (OrderType.LIMIT, OrderType.STOP_LIMIT):
        terms["limit_price"] = Decimal("100.00") + offset
    if kind in (OrderType.STOP, OrderType.STOP_LIMIT):
        terms["stop_price"] = Decimal("100.00") - offset
    if kind is OrderType.TRAILING_STOP:
        terms["trail_percent"] = Decimal(rng.randint(1, 10))
        terms["water_mark"] = Decimal("100.00") + offset
    tif = rng.choice((TimeInForce.DAY, TimeInForce.GTC))
    created = NOW - timedelta(minutes=rng.randint(0, 600))
    return OrderSpec(side, kind, tif, created, qty=qty, **terms)  # type: ignore[arg-type]


def main() -> None:
    """Time one matching pass over the book and print the one-line result."""
    rng = random.Random(20260302)
    orders = [build_order(rng) for _ in range(ORDERS)]
    market = build_market()
    rules = TradingRules(
        commission=CommissionModel.per_share(Decimal("0.005"), Decimal("1.00")),
        slippage_bps=Decimal(5),
    )
    started = time.perf_counter()
    fills = sum(1 for spec in orders if evaluate(spec, market, rules).fill is not None)
    seconds = time.perf_counter() - started
    print(
        f"matching_pure orders={ORDERS} fills={fills} seconds={seconds:.3f} (target < {TARGET_SECONDS:g} s)"
    )


if __name__ == "__main__":
    main()
