"""A dividend is income, not an external flow: total return includes it (and a short's charge)."""

from __future__ import annotations

from invsim.analytics import service
from invsim.extensions import db
from invsim.portfolios import service as portfolios
from tests.service.analytics.support import D, at, deposit, new_user, open_portfolio


def post(portfolio, kind: str, amount: str) -> None:
    """Post a dividend cash entry as the corporate-actions job does on a pay date."""
    with db.transaction():
        locked = portfolios.lock_portfolio(portfolio.id)
        portfolios.post_cash_entry(portfolio=locked, kind=kind, amount=D(amount),
                                   memo=f"test {kind}", idempotency_key=f"test:{kind}")


def test_a_dividend_credit_is_a_gain_and_a_deposit_is_not(ctx, clock):
    owner = new_user()
    paid, deposited = open_portfolio(owner), open_portfolio(owner)
    clock.set(at("2025-03-04", "12:00"))
    post(paid, "dividend", "150")  # 1.5 % of 10,000.00
    deposit(deposited, "150")
    clock.set(at("2025-03-05", "09:00"))
    found = service.portfolio_returns(owner_id=owner.id, portfolio_id=paid.id)
    assert abs(found.twr - 0.015) < 1e-12 and found.profit_loss == D("150.00")
    flows = service.daily_equity(owner_id=owner.id, portfolio_id=paid.id)
    assert all(point.net_cash_flow == 0 for point in flows)
    other = service.portfolio_returns(owner_id=owner.id, portfolio_id=deposited.id)
    assert (other.twr, other.profit_loss) == (0.0, D("0.00"))


def test_a_short_s_dividend_charge_is_a_loss(ctx, clock):
    owner = new_user()
    portfolio = open_portfolio(owner)
    clock.set(at("2025-03-04", "12:00"))
    post(portfolio, "dividend_charge", "-50")
    clock.set(at("2025-03-05", "09:00"))
    found = service.portfolio_returns(owner_id=owner.id, portfolio_id=portfolio.id)
    assert abs(found.twr + 0.005) < 1e-12 and found.profit_loss == D("-50.00")
