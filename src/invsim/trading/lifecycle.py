"""Resetting and archiving portfolios (both cancel the portfolio's open orders first).

Reset design: a portfolio's history is split into *generations*. Every fill,
cash entry, order, position and lot carries the generation it belongs to. A
reset, in one transaction with the portfolio locked:

1. cancels every open order (reason `portfolio_reset`);
2. records a `PortfolioReset` row with the closing generation's cash, long and
   short market value and equity at current prices (what analytics counts as
   the flow: starting cash − equity before);
3. posts a `reset` cash entry in the *closing* generation for
   `starting_cash − cash`, so that generation nets to zero and cash is back at
   the starting cash (open positions are archived with their generation, not
   sold: no fill is invented);
4. moves `generation` on by one and sets `generation_started_at`.

Nothing is deleted. Afterwards `cash = starting_cash + Σ all cash entries` still
holds, each closed generation's entries sum to zero, and the current positions,
orders and activity are those of the new generation only.
"""

from __future__ import annotations

from invsim.core.clock import utcnow
from invsim.core.errors import Forbidden
from invsim.core.money import money
from invsim.extensions import db
from invsim.portfolios import service
from invsim.portfolios.models import Portfolio, PortfolioReset
from invsim.trading.account import account_state
from invsim.trading.amend import cancel_open_orders


def reset_portfolio(*, owner_id: int, portfolio_id: int) -> Portfolio:
    """Archive the portfolio's history and start over with its starting cash."""
    with db.transaction() as session:
        portfolio = service.lock_owned(owner_id=owner_id, portfolio_id=portfolio_id)
        rules = service.rules_of(portfolio)
        if not rules.allow_reset:
            raise Forbidden("This portfolio's rules do not allow a reset.",
                            code="reset_not_allowed")
        cancel_open_orders(portfolio, "portfolio_reset")
        session.flush()
        state = account_state(portfolio, rules.trading_rules())
        session.add(PortfolioReset(
            portfolio_id=portfolio.id, generation=portfolio.generation, cash_before=state.cash,
            long_market_value=state.long_value, short_market_value=state.short_value,
            equity_before=state.equity, created_at=utcnow(),
        ))
        service.post_cash_entry(
            portfolio=portfolio, kind="reset",
            amount=money(portfolio.starting_cash - portfolio.cash),
            memo=f"reset: cash back to {portfolio.starting_cash:f} (equity was {state.equity:f})",
        )
        portfolio.generation += 1
        portfolio.generation_started_at = utcnow()
    return portfolio


def archive_portfolio(*, owner_id: int, portfolio_id: int) -> Portfolio:
    """Delete a portfolio for its owner: cancel its orders and archive it (nothing is erased)."""
    with db.transaction():
        portfolio = service.lock_owned(owner_id=owner_id, portfolio_id=portfolio_id)
        cancel_open_orders(portfolio, "portfolio_archived")
        portfolio.archived_at = utcnow()
    return portfolio
