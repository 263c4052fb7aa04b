"""Properties of every fill: never past a limit, never more than wanted or than the cap allows."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from invsim.core.money import money
from invsim.trading.engine.matcher import evaluate
from invsim.trading.engine.rules import TradingRules
from invsim.trading.engine.state import OrderType, Side

from .builders import BEFORE_BAR, bar, market, order

prices = st.decimals(min_value=D("1.00"), max_value=D("500.00"), places=2)
sides = st.sampled_from([Side.BUY, Side.SELL])
slippage = st.decimals(min_value=D(0), max_value=D(50), places=0)


@settings(max_examples=300, deadline=None)
@given(
    side=sides,
    limit=prices,
    mid=prices,
    spread=st.decimals("0.01", "0.50", places=2),
    opened=prices,
    bps=slippage,
)
def test_limit_order_never_fills_worse_than_its_limit(side, limit, mid, spread, opened, bps):
    low, high = min(opened, mid) - D("0.01"), max(opened, mid) + D("0.01")
    snapshot = market(
        str(mid - spread),
        str(mid + spread),
        str(mid),
        bar=bar(open=opened, low=low, high=high, close=mid),
    )
    spec = order(side, OrderType.LIMIT, limit_price=limit, created_at=BEFORE_BAR)
    fill = evaluate(spec, snapshot, TradingRules(slippage_bps=bps)).fill
    if fill is not None:
        assert fill.price <= limit if side is Side.BUY else fill.price >= limit


@settings(max_examples=300, deadline=None)
@given(
    qty=st.decimals(D("0.000001"), D(5000), places=6),
    filled=st.decimals(D(0), D(1), places=2),
    volume=st.decimals(D(0), D(100_000), places=0),
    taken=st.decimals(D(0), D(500), places=0),
    fractional=st.booleans(),
)
def test_fill_never_exceeds_what_remains_nor_the_volume_cap(qty, filled, volume, taken, fractional):
    filled_qty = (qty * filled).quantize(D("0.000001"))
    spec = order(qty=qty, filled_qty=filled_qty, filled_qty_this_bar=min(taken, filled_qty))
    result = evaluate(spec, market(bar=bar(volume=volume)), TradingRules(fractional=fractional))
    if result.fill is not None:
        assert result.fill.qty <= qty - filled_qty
        assert result.fill.qty + spec.filled_qty_this_bar <= volume * D("0.10")
        assert result.complete == (result.fill.qty == qty - filled_qty)


@settings(max_examples=300, deadline=None)
@given(notional=st.decimals(D("1.00"), D(100_000), places=2), ask=prices, fractional=st.booleans())
def test_notional_fill_never_spends_more_than_the_notional(notional, ask, fractional):
    snapshot = market(str(ask), str(ask), str(ask), bar=None)
    result = evaluate(order(notional=notional), snapshot, TradingRules(fractional=fractional))
    if result.fill is not None:
        assert result.fill.gross == money(result.fill.qty * result.fill.price)
        assert result.fill.gross <= notional
