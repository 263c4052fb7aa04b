"""Per-position FIFO performance through real orders, and the allocation of equity."""

from __future__ import annotations

import pytest

from invsim.analytics import service
from invsim.core.errors import NotFound
from invsim.portfolios import service as portfolios
from invsim.trading import summary
from tests.service.analytics.support import D, at, new_user, open_portfolio, trade


def test_buy_sell_buy_sell_example_of_the_docs_is_reproduced_to_the_cent(ctx, clock, fixed):
    owner = new_user()
    portfolio = open_portfolio(owner)
    for day, side, qty, price in [("2025-03-03", "buy", "10", "100"),
                                  ("2025-03-04", "sell", "4", "110"),
                                  ("2025-03-05", "buy", "6", "90"),
                                  ("2025-03-06", "sell", "8", "120")]:
        clock.set(at(day, "12:00"))
        fixed.price("AAPL", price)
        trade(owner, portfolio, side, qty)
    fixed.price("AAPL", "115")
    clock.set(at("2025-03-07", "12:00"))
    found = service.position_report(owner_id=owner.id, portfolio_id=portfolio.id, symbol="aapl")
    assert (found.realized_pl, found.unrealized_pl) == (D("220.00"), D("100.00"))
    assert (found.qty, found.cost_basis, found.avg_entry_price) == (D(4), D("360.00"), D(90))
    assert found.total_pl == D("320.00") and found.cost_opened == D("1540.00")
    assert found.return_on_cost == D("0.207792")  # 320 / (1,000 + 540)
    assert found.holding_days == D("2.00")  # the 4 shares left were bought on 03-05
    assert found.closed_holding_days == D("2.00")  # (4×1 + 6×3 + 2×1) / 12 days
    cached = portfolios.position_of(portfolios.lock_portfolio(portfolio.id), "AAPL")
    assert cached.realized_pl == found.realized_pl  # the ledger's own FIFO agrees


def test_position_never_traded_is_not_found(ctx, clock):
    owner = new_user()
    portfolio = open_portfolio(owner)
    with pytest.raises(NotFound) as raised:
        service.position_report(owner_id=owner.id, portfolio_id=portfolio.id, symbol="MSFT")
    assert raised.value.code == "position_not_found"


def test_allocation_of_longs_shorts_and_cash_sums_to_equity(ctx, clock, fixed):
    owner = new_user()
    portfolio = open_portfolio(owner, "100000", account_type="margin", allow_short=True)
    for symbol, price, side, qty in [("AAPL", "100", "buy", "10"), ("SPY", "500", "buy", "5"),
                                     ("TSLA", "200", "sell", "3")]:
        fixed.price(symbol, price)
        trade(owner, portfolio, side, qty, symbol)
    found = service.portfolio_allocation(owner_id=owner.id, portfolio_id=portfolio.id)
    assert (found.cash, found.long_market_value, found.short_market_value, found.equity) == (
        D("97100.00"), D("3500.00"), D("600.00"), D("100000.00"))
    assert sum((s.value for s in found.by_symbol), found.cash) == found.equity
    assert sum((s.value for s in found.by_sector), found.cash) == found.equity
    assert {s.key: s.value for s in found.by_symbol} == {
        "SPY": D("2500.00"), "AAPL": D("1000.00"), "TSLA": D("-600.00")}
    assert {s.key: s.weight for s in found.by_side} == {"long": D("0.035"), "short": D("-0.006")}
    assert {s.key for s in found.by_asset_class} == {"us_equity", "etf"}
    assert found.cash_weight == D("0.971")
    assert summary.account_summary(portfolios.lock_portfolio(portfolio.id)).equity == found.equity
