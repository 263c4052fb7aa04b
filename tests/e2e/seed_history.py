"""Seed a portfolio with two years of history into the database `invsim run` will serve.

Run as a script before the server starts (same VAR_DIR): it migrates, registers
a user, and, with the clock set two years back, opens a portfolio and buys
two simulated stocks; a deposit half-way makes the flows count. Every later
close is rebuilt from the ledger and the simulated market's daily bars, so the
analytics page has rolling windows, a year of monthly returns and drawdowns.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from invsim.app import create_app
from invsim.config import load_settings
from invsim.core.clock import set_clock
from invsim.extensions import db
from invsim.migrations.runner import upgrade
from invsim.portfolios import service as portfolios
from invsim.portfolios.rules import PortfolioRules
from invsim.trading import service as trading
from invsim.trading.engine.state import OrderType, Side, TimeInForce
from invsim.trading.order_input import OrderRequest
from invsim.users.service import register_user


def _buy(owner_id: int, portfolio_id: int, symbol: str, qty: str) -> None:
    """Buy at market; the simulated market fills at once."""
    placed = trading.place_order(owner_id=owner_id, portfolio_id=portfolio_id, request=OrderRequest(
        symbol=symbol, side=Side.BUY, type=OrderType.MARKET, time_in_force=TimeInForce.DAY,
        qty=Decimal(qty)))
    assert placed.order.status == "filled", placed.order.reason


def seed(email: str, password: str) -> None:
    """Create the user and the backdated portfolio."""
    settings = load_settings()
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.effective_database_url, settings=settings)
    app = create_app(settings)
    with app.app_context():
        user = register_user(email=email, username=email.split("@")[0], password=password,
                             display_name="Quinn")
        now = datetime.now(UTC)
        set_clock(lambda: now - timedelta(days=730))
        portfolio = portfolios.create_portfolio(owner=user, name="Long history",
                                                starting_cash=Decimal("100000"),
                                                rules=PortfolioRules(max_volume_share=None))
        _buy(user.id, portfolio.id, "MSFT", "120")
        _buy(user.id, portfolio.id, "NVDA", "200")
        set_clock(lambda: now - timedelta(days=300))
        with db.transaction():
            locked = portfolios.lock_portfolio(portfolio.id)
            portfolios.post_cash_entry(portfolio=locked, kind="deposit", amount=Decimal("20000"),
                                       memo="top-up")
        set_clock(None)


if __name__ == "__main__":
    seed(sys.argv[1], sys.argv[2])
