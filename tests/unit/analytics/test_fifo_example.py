"""The docs' FIFO example, checked with a tiny FIFO helper that lives only in this test.

The real lots code belongs to trading/; this only proves the arithmetic that
docs/analytics.md prints: buy 10 @ 100, sell 4 @ 110, buy 6 @ 90, sell 8 @ 120.
"""

from collections import deque
from decimal import Decimal

D = Decimal


def _fifo(trades):
    """Return (realised P&L, open lots) of (side, qty, price) trades, oldest lot sold first."""
    lots, realised = deque(), D(0)
    for side, qty, price in trades:
        if side == "buy":
            lots.append([qty, price])
            continue
        while qty:
            lot = lots[0]
            taken = min(qty, lot[0])
            realised += taken * (price - lot[1])
            lot[0] -= taken
            qty -= taken
            if not lot[0]:
                lots.popleft()
    return realised, [tuple(lot) for lot in lots]


TRADES = [
    ("buy", D(10), D("100")),
    ("sell", D(4), D("110")),
    ("buy", D(6), D("90")),
    ("sell", D(8), D("120")),
]


def test_fifo_realised_pnl_of_docs_example():
    realised, _ = _fifo(TRADES)
    assert realised == D("220.00")  # 4 × 10 + 6 × 20 + 2 × 30


def test_fifo_leaves_the_newest_lot_open():
    _, lots = _fifo(TRADES)
    assert lots == [(D(4), D("90"))]


def test_unrealised_pnl_of_the_open_lot_at_115():
    _, lots = _fifo(TRADES)
    assert sum(qty * (D("115") - cost) for qty, cost in lots) == D("100.00")


def test_fifo_differs_from_average_cost():
    """Average cost would realise 4 × 10 + 8 × (120 − 95) = 240.00 — not what the ledger reports."""
    realised, _ = _fifo(TRADES)
    assert realised != D(4) * 10 + D(8) * (D(120) - D(95))
