"""Portfolios: opening with rules, ownership, renaming, archiving and the account summary."""

import pytest
from pydantic import ValidationError

from invsim.core.errors import NotFound, ValidationFailed
from invsim.core.money import money
from invsim.portfolios import service
from invsim.portfolios.rules import PortfolioRules
from invsim.trading import lifecycle
from invsim.trading import service as trading
from invsim.trading.summary import account_summary, positions_view
from tests.service.trading.support import (
    D,
    assert_ledger_ok,
    make_portfolio,
    new_user,
    order,
    place,
    quote,
    reload,
)


def test_new_portfolio_has_default_rules_and_its_starting_cash(owner):
    portfolio = service.create_portfolio(owner=owner, name="  Main  ")
    assert (portfolio.name, portfolio.starting_cash, portfolio.cash) == (
        "Main", D(100_000), D(100_000))
    rules = service.rules_of(portfolio)
    assert (rules.account_type, rules.fractional, rules.allow_short) == ("cash", True, False)
    assert rules.max_volume_share == D("0.10") and rules.allow_reset


@pytest.mark.parametrize("amount", [D("999.99"), D("10000000.01"), D("1500.001")])
def test_starting_cash_outside_the_range_is_refused(owner, amount):
    with pytest.raises(ValidationFailed):
        service.create_portfolio(owner=owner, name="x", starting_cash=amount)


@pytest.mark.parametrize("rules", [
    {"allow_short": True},
    {"slippage_bps": "-1"},
    {"max_volume_share": "1.5"},
    {"max_position_pct": "0"},
    {"commission": {"kind": "percent", "rate": "50"}},
    {"trading_window": {"start": "16:00", "end": "09:30"}},
    {"trading_window": {"start": "09:30", "end": "16:00", "timezone": "Mars/Olympus"}},
    {"allowed_order_types": ["iceberg"]},
    {"unknown_knob": True},
])
def test_inconsistent_rules_are_refused(rules):
    with pytest.raises(ValidationError):
        PortfolioRules.model_validate(rules)


def test_another_users_portfolio_is_not_found(owner):
    portfolio = make_portfolio(owner)
    with pytest.raises(NotFound):
        service.get_portfolio(owner_id=new_user().id, portfolio_id=portfolio.id)


def test_rename_changes_only_the_name(owner):
    portfolio = make_portfolio(owner)
    renamed = service.rename_portfolio(owner_id=owner.id, portfolio_id=portfolio.id, name="Bold")
    assert (renamed.name, renamed.cash) == ("Bold", D(100_000))


def test_archive_cancels_open_orders_and_hides_the_portfolio(owner):
    portfolio = make_portfolio(owner)
    resting = place(owner, portfolio, type="limit", qty=D(1), limit_price=D(1), tif="gtc")
    lifecycle.archive_portfolio(owner_id=owner.id, portfolio_id=portfolio.id)
    assert (order(resting.id).status, order(resting.id).reason) == (
        "canceled", "portfolio_archived")
    assert service.list_portfolios(owner_id=owner.id) == []
    with pytest.raises(NotFound):
        service.get_portfolio(owner_id=owner.id, portfolio_id=portfolio.id)
    assert service.get_portfolio(owner_id=owner.id, portfolio_id=portfolio.id,
                                 include_archived=True).archived_at is not None


def test_account_summary_values_positions_at_the_last_price(owner):
    portfolio = make_portfolio(owner)
    bought = place(owner, portfolio, qty=D(10))
    place(owner, portfolio, type="limit", qty=D(5), limit_price=D(200), tif="gtc")
    summary = account_summary(reload(portfolio))
    last = quote().last
    assert summary.long_market_value == money(D(10) * last)
    assert summary.equity == summary.cash + summary.long_market_value
    assert summary.buying_power == summary.cash - D(1000)
    assert summary.total_pl == money(summary.equity - D(100_000))
    assert summary.day_pl == summary.total_pl  # opened today: the whole P&L is today's
    [view] = positions_view(reload(portfolio))
    assert view.cost_basis == money(D(10) * bought.filled_avg_price)
    assert view.unrealized_pl == money(view.market_value - view.cost_basis)
    assert (summary.open_orders, summary.positions) == (1, 1)


def test_day_pl_starts_from_the_previous_close_for_positions_held_overnight(owner, clock):
    portfolio = make_portfolio(owner)
    place(owner, portfolio, qty=D(10))
    clock.advance(days=1)
    summary = account_summary(reload(portfolio))
    mark = quote()
    assert summary.last_equity == summary.cash + money(D(10) * mark.prev_close)
    assert summary.day_pl == money(D(10) * mark.last) - money(D(10) * mark.prev_close)


def test_list_portfolios_lists_only_the_users_own(owner):
    mine = [make_portfolio(owner), make_portfolio(owner)]
    make_portfolio(new_user())
    assert [p.id for p in service.list_portfolios(owner_id=owner.id)] == [p.id for p in mine]
    assert trading.list_orders(portfolio=mine[0]) == []
    assert_ledger_ok()


def test_challenge_portfolios_are_listed_and_valued_in_one_pass(owner):
    from invsim.trading.summary import equities

    rules = PortfolioRules(allowed_order_types=["market", "limit"], max_trades_per_day=5)
    entrant = service.create_portfolio(owner=owner, name="Cup", starting_cash=D(10_000),
                                       rules=rules, kind="challenge", challenge_id=7)
    make_portfolio(owner)
    place(owner, entrant, qty=D(3))
    assert [p.id for p in service.portfolios_of_challenge(7)] == [entrant.id]
    assert equities([entrant.id]) == {entrant.id: account_summary(reload(entrant)).equity}
