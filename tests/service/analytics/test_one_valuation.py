"""One valuation rule: the account summary, the bulk equities, the leaderboards' set-based
path, the snapshot job and the history value the same portfolio alike, also when a price is
missing (the portfolio's own last fill, current generation) and after a reset."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from invsim.analytics import service as analytics
from invsim.analytics.models import EquitySnapshot
from invsim.analytics.snapshots import record_snapshots
from invsim.challenges import sources as board
from invsim.extensions import db
from invsim.portfolios import service as portfolios
from invsim.portfolios.models import Portfolio
from invsim.trading import service as trading
from tests.service.analytics.support import D, at, new_user, open_portfolio, reset, trade


def every_path(owner, portfolio) -> dict[str, Decimal]:
    """Value the portfolio now through each path that computes its equity."""
    pid = portfolio.id
    summary = trading.account_summary(portfolios.get_portfolio(owner_id=owner.id,
                                                                portfolio_id=pid))
    scope = Portfolio.id == pid
    held = board.held_symbols(scope)
    figures = {
        "summary": summary.equity,
        "bulk": trading.equities([pid])[pid],
        "leaderboard": board.equities(scope, board.prices_now(held), None, held)[pid],
    }
    db.end_read()
    report = record_snapshots()
    assert report.unpriced == 0
    figures["snapshot"] = db.session.scalar(
        select(EquitySnapshot.equity).where(EquitySnapshot.portfolio_id == pid,
                                            EquitySnapshot.at == report.intraday_at))
    history = analytics.portfolio_history(owner_id=owner.id, portfolio_id=pid, period="1D")
    figures["history"] = history.arrays.equity[-1]
    db.end_read()
    return figures


def test_every_path_agrees_with_a_missing_price_and_after_a_reset(ctx, clock, fixed):
    owner = new_user()
    clock.set(at("2025-03-03", "14:00"))
    fixed.price("AAPL", "100")
    fixed.price("MSFT", "200")
    portfolio = open_portfolio(owner)
    trade(owner, portfolio, "buy", "10", "AAPL")
    trade(owner, portfolio, "buy", "5", "MSFT")
    fixed.price("MSFT", "210")
    trade(owner, portfolio, "buy", "5", "MSFT")  # average entry 205, last fill 210
    fixed.price("AAPL", "110")
    fixed.withdraw("MSFT")
    clock.set(at("2025-03-03", "14:31"))
    # cash 10,000 − 1,000 − 1,000 − 1,050 = 6,950; AAPL 10 × 110; MSFT 10 × 210 (last fill)
    expected = D("6950") + D("1100") + D("2100")
    found = every_path(owner, portfolio)
    assert set(found.values()) == {expected}, str(found)

    fixed.restore("MSFT")
    fixed.price("MSFT", "220")
    reset(owner, portfolio)
    trade(owner, portfolio, "buy", "2", "MSFT")  # the new generation's last MSFT fill: 220
    fixed.price("MSFT", "230")
    trade(owner, portfolio, "buy", "1", "MSFT")
    fixed.withdraw("MSFT")
    fixed.price("AAPL", "120")
    trade(owner, portfolio, "buy", "1", "AAPL")
    fixed.price("AAPL", "125")
    clock.set(at("2025-03-03", "15:01"))
    # cash 10,000 − 440 − 230 − 120 = 9,210; MSFT 3 × 230 (not the old generation's 210)
    expected = D("9210") + D("690") + D("125")
    found = every_path(owner, portfolio)
    assert set(found.values()) == {expected}, str(found)
