"""Reset: archive the history in the closing generation, start over with the starting cash."""

import pytest
from sqlalchemy import select

from invsim.core.errors import Forbidden
from invsim.core.money import money
from invsim.extensions import db
from invsim.portfolios import history
from invsim.portfolios.models import CashEntry, PortfolioReset
from invsim.portfolios.service import open_positions
from invsim.trading import lifecycle
from invsim.trading import service as trading
from invsim.trading.summary import account_summary
from tests.service.trading.support import (
    T0,
    D,
    activity_total,
    assert_ledger_ok,
    entries_total,
    make_portfolio,
    order,
    place,
    quote,
    reload,
)


def test_reset_starts_over_with_the_starting_cash_and_keeps_the_old_facts(owner, clock):
    portfolio = make_portfolio(owner, D(50_000))
    place(owner, portfolio, qty=D(10))
    resting = place(owner, portfolio, type="limit", qty=D(1), limit_price=D(1), tif="gtc")
    before = account_summary(reload(portfolio))
    clock.advance(minutes=1)
    lifecycle.reset_portfolio(owner_id=owner.id, portfolio_id=portfolio.id)
    portfolio = reload(portfolio)
    assert (portfolio.generation, portfolio.cash) == (1, D(50_000))
    assert open_positions(portfolio) == []
    assert (order(resting.id).status, order(resting.id).reason) == ("canceled", "portfolio_reset")
    [reset_entry] = db.session.scalars(select(CashEntry).where(CashEntry.kind == "reset")).all()
    assert (reset_entry.generation, reset_entry.amount) == (0, D(50_000) - before.cash)
    [record] = db.session.scalars(select(PortfolioReset)).all()
    assert (record.generation, record.cash_before) == (0, before.cash)
    assert record.equity_before == money(before.cash + D(10) * quote().last)
    assert portfolio.cash == portfolio.starting_cash + entries_total(portfolio)
    assert activity_total(portfolio) == 0
    assert trading.list_orders(portfolio=portfolio, status="all") == []
    summary = account_summary(portfolio)
    assert (summary.equity, summary.total_pl, summary.day_pl) == (D(50_000), 0, 0)
    assert_ledger_ok()


def test_trading_after_a_reset_uses_the_new_generation_only(owner, clock):
    portfolio = make_portfolio(owner)
    place(owner, portfolio, qty=D(10))
    lifecycle.reset_portfolio(owner_id=owner.id, portfolio_id=portfolio.id)
    from invsim.core.errors import OrderRejected

    with pytest.raises(OrderRejected):  # the old 10 shares are archived, not held
        place(owner, portfolio, side="sell", qty=D(10))
    place(owner, portfolio, qty=D(3))
    assert {p.symbol: p.qty for p in open_positions(reload(portfolio))} == {"AAPL": D(3)}
    assert_ledger_ok()


def test_reset_is_refused_where_the_rules_forbid_it(owner):
    portfolio = make_portfolio(owner, allow_reset=False)
    with pytest.raises(Forbidden) as caught:
        lifecycle.reset_portfolio(owner_id=owner.id, portfolio_id=portfolio.id)
    assert caught.value.code == "reset_not_allowed"


def test_history_reports_resets_as_flows_and_holdings_as_they_were(owner, clock):
    portfolio = make_portfolio(owner)
    place(owner, portfolio, qty=D(10))
    after_buy = clock.advance(seconds=1)
    clock.advance(minutes=5)
    equity = account_summary(reload(portfolio)).equity
    lifecycle.reset_portfolio(owner_id=owner.id, portfolio_id=portfolio.id)
    [flow] = history.cash_flows(portfolio.id, T0, clock.advance(seconds=1))
    assert (flow.kind, flow.amount, flow.generation) == ("reset", D(100_000) - equity, 0)
    then = history.holdings_at(portfolio.id, after_buy)
    assert (then.generation, then.quantities) == (0, {"AAPL": D(10)})
    now = history.holdings_at(portfolio.id, clock.now)
    assert (now.generation, now.cash, now.quantities) == (1, D(100_000), {})
    [fill] = history.fills_between(portfolio.id, T0, clock.now)
    assert (fill.symbol, fill.qty, fill.generation) == ("AAPL", D(10), 0)
    assert portfolio.id in history.portfolio_ids_active()
