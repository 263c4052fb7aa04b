"""Margin accounts: buying power at 2x, maintenance liquidation largest first, daily interest."""

from dataclasses import replace
from datetime import date
from decimal import ROUND_DOWN

import pytest
from sqlalchemy import select

from invsim.core.errors import OrderRejected
from invsim.core.money import money
from invsim.extensions import db
from invsim.portfolios.models import CashEntry
from invsim.portfolios.service import open_positions
from invsim.trading import marks as prices
from invsim.trading.margin_jobs import charge_margin_interest, check_margin
from invsim.trading.models import Fill
from invsim.trading.summary import account_summary
from tests.service.trading.support import (
    D,
    assert_ledger_ok,
    make_portfolio,
    order,
    place,
    quote,
    reload,
)


def crash(monkeypatch, symbol, factor):
    """Make the adapter quote `symbol` at `factor` times its simulated price."""
    real = prices._mark

    def marked(q):
        mark = real(q)
        if mark.symbol != symbol:
            return mark
        return replace(mark, bid=mark.bid * factor, ask=mark.ask * factor,
                       last=mark.last * factor)

    monkeypatch.setattr(prices, "_mark", marked)


def shares_worth(amount, symbol="AAPL"):
    """Return the whole shares of `symbol` that `amount` buys at the ask now."""
    return (amount / quote(symbol).ask).to_integral_value(rounding=ROUND_DOWN)


def test_margin_account_buys_up_to_twice_its_equity_and_borrows_the_cash(owner):
    portfolio = make_portfolio(owner, D(10_000), account_type="margin")
    qty = shares_worth(D(15_000))
    filled = place(owner, portfolio, qty=qty)
    assert filled.status == "filled"
    summary = account_summary(reload(portfolio))
    assert summary.cash == D(10_000) - qty * quote().ask < 0
    assert summary.buying_power == money(2 * summary.equity - summary.long_market_value)
    with pytest.raises(OrderRejected) as caught:
        place(owner, portfolio, qty=shares_worth(D(6_000)))
    assert caught.value.code == "insufficient_buying_power"
    assert_ledger_ok()


def test_cash_account_cannot_borrow(owner):
    with pytest.raises(OrderRejected):
        place(owner, make_portfolio(owner, D(10_000)), qty=D(60))


def test_margin_call_liquidates_the_largest_position_first_with_ledger_entries(owner,
                                                                              monkeypatch):
    portfolio = make_portfolio(owner, D(10_000), account_type="margin")
    qty = shares_worth(D(17_200))
    place(owner, portfolio, qty=qty)
    place(owner, portfolio, symbol="KO", qty=D(2))
    resting = place(owner, portfolio, symbol="KO", type="limit", qty=D(1), limit_price=D(1),
                    tif="gtc")
    assert check_margin().margin_calls == 0
    crash(monkeypatch, "AAPL", D("0.5"))
    report = check_margin()
    assert (report.margin_calls, report.liquidations) == (1, 1)
    held = {p.symbol: p.qty for p in open_positions(reload(portfolio))}
    assert held == {"KO": D(2)}
    [liquidation] = db.session.scalars(select(Fill).where(Fill.liquidation.is_(True))).all()
    assert (liquidation.symbol, liquidation.side, liquidation.qty) == ("AAPL", "sell", qty)
    assert liquidation.price == quote().bid
    kinds = db.session.scalars(select(CashEntry.kind).where(CashEntry.fill_id == liquidation.id))
    assert list(kinds) == ["liquidation"]
    assert (order(resting.id).status, order(resting.id).reason) == ("canceled", "margin_call")
    summary = account_summary(reload(portfolio))
    assert summary.equity >= summary.maintenance_margin
    assert check_margin().margin_calls == 0
    assert_ledger_ok()


def test_margin_interest_is_charged_once_a_day_on_borrowed_cash(owner):
    portfolio = make_portfolio(owner, D(10_000), account_type="margin")
    place(owner, portfolio, qty=D(60))
    cash_account = make_portfolio(owner)
    place(owner, cash_account, qty=D(1))
    borrowed = -reload(portfolio).cash
    assert charge_margin_interest(date(2025, 3, 4)) == 1
    assert charge_margin_interest(date(2025, 3, 4)) == 0
    [entry] = db.session.scalars(select(CashEntry).where(CashEntry.kind == "interest")).all()
    assert entry.portfolio_id == portfolio.id
    assert entry.amount == money(-borrowed * D("0.08") / 360)
    assert charge_margin_interest(date(2025, 3, 5)) == 1
    assert_ledger_ok()


def test_short_position_counts_toward_buying_power_and_maintenance(owner):
    portfolio = make_portfolio(owner, D(10_000), account_type="margin", allow_short=True)
    place(owner, portfolio, side="sell", qty=D(30))
    summary = account_summary(reload(portfolio))
    assert summary.short_market_value == money(D(30) * quote().last)
    assert summary.maintenance_margin == money(summary.short_market_value * D("0.30"))
    assert summary.buying_power == money(2 * summary.equity - summary.short_market_value)
    assert_ledger_ok()
