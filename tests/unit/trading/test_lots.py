"""FIFO tax lots: realized P&L to the cent for longs, shorts and fills that cross zero."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from invsim.trading.engine.lots import (
    ClosedLot,
    Lot,
    apply_fill,
    average_entry_price,
    cost_basis,
    net_qty,
    unrealized_pnl,
)
from invsim.trading.engine.state import Side

BUY, SELL = Side.BUY, Side.SELL


def _run(fills):
    """Apply (side, qty, price) fills in order; return the lots and each fill's realized P&L."""
    lots: tuple[Lot, ...] = ()
    realized = []
    for number, (side, qty, price) in enumerate(fills, start=1):
        lots, pnl, _ = apply_fill(lots, side, D(qty), D(price), f"f{number}")
        realized.append(pnl)
    return lots, realized


def test_buy_opens_a_long_lot():
    lots, pnl, closed = apply_fill((), BUY, D(10), D("100.00"), "f1")
    assert lots == (Lot("f1", D(10), D("100.00")),)
    assert (pnl, closed) == (D("0.00"), ())


def test_sell_closes_the_oldest_lot_first():
    lots, realized = _run([(BUY, 10, "100.00"), (BUY, 10, "110.00"), (SELL, 15, "120.00")])
    assert realized[-1] == D("250.00")  # 10 x 20 + 5 x 10
    assert lots == (Lot("f2", D(5), D("110.00")),)


def test_buy_sell_buy_sell_realizes_fifo_pnl_to_the_cent():
    lots, realized = _run(
        [(BUY, 10, "100.00"), (SELL, 4, "103.25"), (BUY, 6, "98.10"), (SELL, 9, "101.07")]
    )
    # f2: 4 x 3.25 = 13.00; f4 closes 6 @ 100.00 (+6.42) then 3 @ 98.10 (+8.91)
    assert realized == [D("0.00"), D("13.00"), D("0.00"), D("15.33")]
    assert lots == (Lot("f3", D(3), D("98.10")),)


def test_losing_round_trip_realizes_a_negative_pnl():
    _, realized = _run([(BUY, 7, "52.30"), (SELL, 7, "49.95")])
    assert realized[-1] == D("-16.45")


def test_sell_beyond_the_long_position_opens_a_short_with_the_remainder():
    lots, pnl, closed = apply_fill((Lot("f1", D(10), D("100.00")),), SELL, D(15), D("105.00"), "f2")
    assert pnl == D("50.00")
    assert lots == (Lot("f2", D(-5), D("105.00")),)
    assert closed == (ClosedLot("f1", "f2", D(10), D("100.00"), D("105.00"), D("50.00")),)


def test_buy_beyond_the_short_position_opens_a_long_with_the_remainder():
    lots, realized = _run([(SELL, 5, "40.00"), (BUY, 8, "38.50")])
    assert realized[-1] == D("7.50")  # short 5 covered 1.50 lower
    assert lots == (Lot("f2", D(3), D("38.50")),)


def test_covering_a_short_above_its_entry_loses_money():
    _, realized = _run([(SELL, 10, "50.00"), (BUY, 4, "55.00")])
    assert realized[-1] == D("-20.00")


def test_long_to_short_cross_then_cover_realizes_both_legs():
    lots, realized = _run([(BUY, 10, "100.00"), (SELL, 15, "105.00"), (BUY, 5, "95.00")])
    assert realized == [D("0.00"), D("50.00"), D("50.00")]
    assert lots == ()


def test_fractional_lots_round_realized_pnl_half_even_to_the_cent():
    _, realized = _run([(BUY, "0.333333", "123.4567"), (SELL, "0.333333", "130.0001")])
    assert realized[-1] == D("2.18")  # 0.333333 x 6.5434 = 2.18113...


def test_average_entry_price_weights_open_lots_by_quantity():
    lots = (Lot("f1", D(10), D("100.00")), Lot("f2", D(30), D("104.00")))
    assert average_entry_price(lots) == D("103.0000")


def test_average_entry_price_of_a_short_is_positive():
    lots = (Lot("f1", D(-4), D("20.00")), Lot("f2", D(-6), D("25.00")))
    assert average_entry_price(lots) == D("23.0000")


def test_flat_position_has_no_average_entry_price():
    assert average_entry_price(()) is None


def test_unrealized_pnl_of_a_short_gains_when_the_price_falls():
    assert unrealized_pnl((Lot("f1", D(-10), D("50.00")),), D("47.50")) == D("25.00")


def test_fill_quantity_must_be_positive():
    with pytest.raises(ValueError):
        apply_fill((), BUY, D(0), D("1.00"), "f1")


def _check_books(fills, mark):
    """Assert the ledger identities for a fill sequence; return the residual P&L difference."""
    lots, realized = _run(fills)
    position = sum((D(q) if s is BUY else -D(q) for s, q, _ in fills), D(0))
    net_cost = sum((D(q) * D(p) if s is BUY else -D(q) * D(p) for s, q, p in fills), D(0))
    assert net_qty(lots) == position
    assert all(lot.qty > 0 for lot in lots) or all(lot.qty < 0 for lot in lots)
    # realized P&L is what the closed shares cost less what they brought in
    assert abs(sum(realized) - (cost_basis(lots) - net_cost)) <= D("0.005") * len(fills)
    return sum(realized) + unrealized_pnl(lots, mark) - (position * mark - net_cost)


fill_steps = st.tuples(
    st.sampled_from([BUY, SELL]),
    st.integers(min_value=1, max_value=500),
    st.decimals(min_value=D("0.50"), max_value=D("900.00"), places=2),
)


@settings(max_examples=300, deadline=None)
@given(
    fills=st.lists(fill_steps, min_size=1, max_size=30),
    mark=st.decimals(D("0.50"), D("900.00"), places=2),
)
def test_whole_share_fills_keep_lots_equal_to_position_and_pnl_exact(fills, mark):
    assert _check_books(fills, mark) == D(0)


fractional_steps = st.tuples(
    st.sampled_from([BUY, SELL]),
    st.decimals(min_value=D("0.000001"), max_value=D(500), places=6),
    st.decimals(min_value=D("0.5000"), max_value=D("900.0000"), places=4),
)


@settings(max_examples=300, deadline=None)
@given(
    fills=st.lists(fractional_steps, min_size=1, max_size=30),
    mark=st.decimals(D("0.50"), D("900.00"), places=2),
)
def test_fractional_fills_keep_pnl_identity_within_half_a_cent_per_rounding(fills, mark):
    residual = _check_books(fills, mark)
    assert abs(residual) <= D("0.005") * (len(fills) + 1)
