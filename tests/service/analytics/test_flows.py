"""Deposits and resets are external flows: they never count as gains or losses."""

from __future__ import annotations

from invsim.analytics import service
from invsim.portfolios import service as portfolios
from invsim.portfolios.rules import PortfolioRules
from tests.service.analytics.support import D, at, deposit, new_user, open_portfolio, reset, trade


def test_a_deposit_is_not_a_gain(ctx, clock):
    owner = new_user()
    portfolio = open_portfolio(owner)
    clock.set(at("2025-03-04", "12:00"))
    deposit(portfolio, "5000")
    clock.set(at("2025-03-05", "09:00"))
    points = service.daily_equity(owner_id=owner.id, portfolio_id=portfolio.id)
    assert [str(p.equity) for p in points] == ["10000.00", "10000.00", "15000.00", "15000.00"]
    found = service.portfolio_returns(owner_id=owner.id, portfolio_id=portfolio.id)
    assert (found.twr, found.simple_return, found.profit_loss) == (0.0, 0.0, D("0.00"))
    assert abs(found.mwr) < 1e-12


def test_a_deposit_does_not_move_twr_against_a_twin_without_it(ctx, clock, fixed):
    owner = new_user()
    fixed.price("AAPL", "100")
    with_deposit, without = open_portfolio(owner), open_portfolio(owner)
    clock.set(at("2025-03-03", "10:05"))
    for portfolio in (with_deposit, without):
        trade(owner, portfolio, "buy", "10")
    fixed.close("AAPL", "2025-03-03", "100")
    clock.set(at("2025-03-04", "12:00"))
    deposit(with_deposit, "5000")
    fixed.close("AAPL", "2025-03-04", "110")
    clock.set(at("2025-03-05", "00:30"))
    twr = [service.portfolio_returns(owner_id=owner.id, portfolio_id=p.id).twr
           for p in (with_deposit, without)]
    assert abs(twr[0] - 0.01) < 1e-12 and abs(twr[1] - 0.01) < 1e-12


def test_a_reset_is_a_flow_and_does_not_move_twr(ctx, clock, fixed):
    owner = new_user()
    fixed.price("AAPL", "100")
    portfolio = open_portfolio(owner)
    clock.set(at("2025-03-03", "10:05"))
    trade(owner, portfolio, "buy", "10")
    fixed.close("AAPL", "2025-03-03", "110")  # +1 % on 10,000.00
    clock.set(at("2025-03-04", "12:00"))
    reset(owner, portfolio)  # at 110: equity before 10,100.00, back to 10,000.00
    fixed.close("AAPL", "2025-03-04", "120")  # no longer held
    clock.set(at("2025-03-05", "09:00"))
    points = service.daily_equity(owner_id=owner.id, portfolio_id=portfolio.id)
    assert [str(p.equity) for p in points] == ["10000.00", "10100.00", "10000.00", "10000.00"]
    assert [str(p.net_cash_flow) for p in points][2] == "-100.00"
    found = service.portfolio_returns(owner_id=owner.id, portfolio_id=portfolio.id)
    assert abs(found.twr - 0.01) < 1e-12
    assert found.profit_loss == D("100.00")


def test_a_challenge_portfolio_opened_yesterday_has_a_curve_from_its_first_day(ctx, clock, fixed):
    owner = new_user()
    fixed.price("MSFT", "400")
    clock.set(at("2025-03-04", "15:00"))
    portfolio = portfolios.create_portfolio(owner=owner, name="Cup", starting_cash=D(50_000),
                                            kind="challenge", challenge_id=7,
                                            rules=PortfolioRules(max_volume_share=None))
    trade(owner, portfolio, "buy", "10", "MSFT")
    fixed.close("MSFT", "2025-03-04", "404")
    fixed.price("MSFT", "396")
    clock.set(at("2025-03-05", "10:00"))
    history = service.portfolio_history(owner_id=owner.id, portfolio_id=portfolio.id,
                                        period="1W", timeframe="1D")
    assert [str(e) for e in history.arrays.equity] == ["50000.00", "50040.00", "49960.00"]
    assert [str(p) for p in history.arrays.profit_loss_pct] == ["0.000000", "0.000800",
                                                               "-0.000800"]
