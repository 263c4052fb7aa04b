"""Portfolio use-cases and the ledger helpers the trading service writes through.

Use-cases (`create_portfolio`, `rename_portfolio`) own their transaction.
Helpers (`lock_portfolio`, `post_cash_entry`, `apply_fill_to_position`) only
flush: the calling use-case commits once. Resetting and archiving, which also
cancel orders, are trading's use-cases (`trading.lifecycle`), as is the account
summary at current prices (`trading.summary`): both need the order book, and
the arrows run trading -> portfolios, never back.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.orm import Session

from invsim.core.errors import NotFound, ValidationFailed
from invsim.core.money import ZERO, money
from invsim.extensions import db
from invsim.portfolios.history import (  # re-exported: the read API analytics uses
    CashFlow,
    FillFact,
    HoldingsAt,
    cash_flows,
    fills_between,
    holdings_at,
    portfolio_ids_active,
)
from invsim.portfolios.models import CASH_ENTRY_KINDS, CashEntry, Portfolio, Position, TaxLot
from invsim.portfolios.rules import (
    CommissionRule,
    PortfolioRules,
    StrategyRule,
    TradingWindow,
    for_instrument,
    load_rules,
)
from invsim.portfolios.valuation import (
    LAST_FILL,
    Valuation,
    last_fill_prices,
    last_fill_prices_of,
)
from invsim.portfolios.valuation import prices_for as valuation_prices
from invsim.portfolios.valuation import value as value_holdings
from invsim.trading.engine import lots as fifo
from invsim.trading.engine import rejections
from invsim.trading.engine.state import Side
from invsim.trading.models import Fill

MIN_STARTING_CASH = Decimal(1_000)
MAX_STARTING_CASH = Decimal(10_000_000)
DEFAULT_STARTING_CASH = Decimal(100_000)
MAX_PORTFOLIOS_PER_USER = 50
NEW_LOT = "new"  # the key of the lot a fill opens, before the fill has an id
_LOTS: Table = TaxLot.__table__  # type: ignore[assignment]


def _owner_id(owner: Any) -> int:
    """Accept a user object or a user id."""
    return int(owner if isinstance(owner, int) else owner.id)


def _check_starting_cash(amount: Decimal) -> Decimal:
    """Refuse starting cash outside 1,000 to 10,000,000 or finer than a cent."""
    if not MIN_STARTING_CASH <= amount <= MAX_STARTING_CASH or money(amount) != amount:
        raise ValidationFailed(
            "Starting cash must be between 1,000.00 and 10,000,000.00.",
            details={"fields": {"starting_cash": ["must be between 1000 and 10000000"]}},
        )
    return amount


def new_portfolio(
    *,
    owner: Any,
    name: str,
    starting_cash: Decimal = DEFAULT_STARTING_CASH,
    rules: PortfolioRules | None = None,
    kind: str = "personal",
    challenge_id: int | None = None,
) -> Portfolio:
    """Add a portfolio to the current transaction and flush it (the caller commits)."""
    if kind not in ("personal", "challenge"):
        raise ValidationFailed("kind must be personal or challenge.")
    rules = rules or PortfolioRules()
    portfolio = Portfolio(
        user_id=_owner_id(owner), name=name.strip(), kind=kind, challenge_id=challenge_id,
        starting_cash=_check_starting_cash(starting_cash), cash=starting_cash,
        account_type=rules.account_type, rules=rules.stored(), generation=0,
    )
    session = db.session()
    session.add(portfolio)
    session.flush()
    return portfolio


def create_portfolio(
    *,
    owner: Any,
    name: str,
    starting_cash: Decimal = DEFAULT_STARTING_CASH,
    rules: PortfolioRules | None = None,
    kind: str = "personal",
    challenge_id: int | None = None,
) -> Portfolio:
    """Open a portfolio funded with `starting_cash` (challenges pass kind and challenge_id)."""
    with db.transaction() as session:
        count = len(list_portfolios(owner_id=_owner_id(owner), session=session))
        if count >= MAX_PORTFOLIOS_PER_USER:
            raise ValidationFailed(f"You can keep at most {MAX_PORTFOLIOS_PER_USER} portfolios.",
                                   code="too_many_portfolios")
        return new_portfolio(owner=owner, name=name, starting_cash=starting_cash, rules=rules,
                             kind=kind, challenge_id=challenge_id)


def get_portfolio(*, owner_id: int, portfolio_id: int, include_archived: bool = False) -> Portfolio:
    """Return the user's portfolio; another user's (or an archived one) is a 404."""
    portfolio = db.session.get(Portfolio, portfolio_id)
    if portfolio is None or portfolio.user_id != owner_id or (
        portfolio.archived_at is not None and not include_archived
    ):
        raise portfolio_not_found(portfolio_id)
    return portfolio


def portfolio_not_found(portfolio_id: int) -> NotFound:
    """Build the 404 for a portfolio that does not exist for this user."""
    return NotFound("Portfolio not found.", code="portfolio_not_found",
                    details={"portfolio_id": portfolio_id})


def list_portfolios(
    *, owner_id: int, include_archived: bool = False, session: Session | None = None
) -> list[Portfolio]:
    """Return the user's portfolios, oldest first."""
    query = select(Portfolio).where(Portfolio.user_id == owner_id).order_by(Portfolio.id)
    if not include_archived:
        query = query.where(Portfolio.archived_at.is_(None))
    return list((session or db.session()).scalars(query))


def portfolios_of_challenge(
    challenge_id: int, *, include_archived: bool = False
) -> list[Portfolio]:
    """Return the portfolios a challenge created (kind `challenge`), oldest first."""
    query = select(Portfolio).where(Portfolio.challenge_id == challenge_id,
                                    Portfolio.kind == "challenge").order_by(Portfolio.id)
    if not include_archived:
        query = query.where(Portfolio.archived_at.is_(None))
    return list(db.session.scalars(query))


def rename_portfolio(*, owner_id: int, portfolio_id: int, name: str) -> Portfolio:
    """Give a portfolio a new name."""
    with db.transaction():
        portfolio = lock_owned(owner_id=owner_id, portfolio_id=portfolio_id)
        portfolio.name = name.strip()
    return portfolio


# The order path's reads, built once: building a select and its cache key costs more CPU
# than the database spends answering it (the values bind at execution).
_LOCK = (select(Portfolio).where(Portfolio.id == bindparam("portfolio_id")).with_for_update()
         .execution_options(populate_existing=True))
_POSITION_ROWS = (select(Position)
                  .where(Position.portfolio_id == bindparam("portfolio_id"),
                         Position.generation == bindparam("generation"))
                  .order_by(Position.symbol))
_OPEN_LOTS = (select(TaxLot.id, TaxLot.qty, TaxLot.price)
              .where(TaxLot.portfolio_id == bindparam("portfolio_id"),
                     TaxLot.generation == bindparam("generation"),
                     TaxLot.symbol == bindparam("symbol"))
              .order_by(TaxLot.id))


def lock_portfolio(portfolio_id: int) -> Portfolio:
    """Lock the portfolio row for this transaction and return it freshly read.

    PostgreSQL: SELECT ... FOR UPDATE. SQLite: every transaction already began
    with BEGIN IMMEDIATE, which holds the database's write lock. Call it first in
    a use-case: objects read before the lock are expired so nothing stale is used.
    """
    session = db.session()
    if not (session.new or session.dirty or session.deleted):
        session.expire_all()
    portfolio = session.scalar(_LOCK, {"portfolio_id": portfolio_id})
    if portfolio is None:
        raise portfolio_not_found(portfolio_id)
    return portfolio


def share_lock(portfolio_id: int) -> Portfolio:
    """Re-read a portfolio under a share lock for a consistent read of its balances.

    PostgreSQL `FOR SHARE` waits for a trade in progress to commit and holds the
    next one off until this transaction ends, so cash, positions and orders read
    afterwards belong together. SQLite transactions are serialized already.
    """
    portfolio = db.session.scalar(
        select(Portfolio).where(Portfolio.id == portfolio_id).with_for_update(read=True)
        .execution_options(populate_existing=True))
    if portfolio is None:
        raise portfolio_not_found(portfolio_id)
    return portfolio


def lock_owned(*, owner_id: int, portfolio_id: int) -> Portfolio:
    """Lock a portfolio the user owns and has not archived; otherwise 404."""
    portfolio = lock_portfolio(portfolio_id)
    if portfolio.user_id != owner_id or portfolio.archived_at is not None:
        raise portfolio_not_found(portfolio_id)
    return portfolio


def rules_of(portfolio: Portfolio) -> PortfolioRules:
    """Return the portfolio's trading rules."""
    return load_rules(portfolio.rules)


def post_cash_entry(
    *,
    portfolio: Portfolio,
    kind: str,
    amount: Decimal,
    fill_id: int | None = None,
    fill: Fill | None = None,
    memo: str = "",
    idempotency_key: str | None = None,
) -> CashEntry:
    """Append a cash entry and move the cached cash with it (flush only).

    A cash account never goes below zero: this is the last line behind the
    buying-power checks (and the database's CHECK constraint behind this).
    """
    if kind not in CASH_ENTRY_KINDS:
        raise ValueError(f"unknown cash entry kind {kind!r}")
    amount = money(amount)
    new_cash = portfolio.cash + amount
    if portfolio.account_type == "cash" and new_cash < ZERO:
        raise rejections.reject(rejections.INSUFFICIENT_BUYING_POWER,
                                        cash=str(portfolio.cash), needed=str(-amount))
    entry = CashEntry(portfolio_id=portfolio.id, generation=portfolio.generation, kind=kind,
                      amount=amount, memo=memo[:200], idempotency_key=idempotency_key)
    if fill is not None:
        entry.fill = fill  # the fill may not be flushed yet; the relationship sets fill_id
    else:
        entry.fill_id = fill_id
    portfolio.cash = new_cash
    db.session.add(entry)
    return entry


def position_of(portfolio: Portfolio, symbol: str) -> Position | None:
    """Return the current generation's position row in `symbol` (None if never traded)."""
    return db.session.scalar(
        select(Position).where(Position.portfolio_id == portfolio.id,
                               Position.generation == portfolio.generation,
                               Position.symbol == symbol)
    )


def open_positions(portfolio: Portfolio) -> list[Position]:
    """Return the current generation's non-flat positions, by symbol."""
    return [p for p in position_rows(portfolio) if p.qty != ZERO]


def position_rows(portfolio: Portfolio) -> list[Position]:
    """Return every position row of the current generation, flat ones included, by symbol."""
    return list(db.session.scalars(_POSITION_ROWS, {"portfolio_id": portfolio.id,
                                                    "generation": portfolio.generation}))


def open_lots(portfolio: Portfolio, symbol: str) -> list[fifo.Lot]:
    """Return the open FIFO lots of one position, oldest first (keyed `lot:<row id>`)."""
    rows = db.session.execute(_OPEN_LOTS, {"portfolio_id": portfolio.id,
                                           "generation": portfolio.generation, "symbol": symbol})
    return [fifo.Lot(f"lot:{row_id}", qty, lot_price) for row_id, qty, lot_price in rows]


def apply_fill_to_position(
    *, portfolio: Portfolio, fill: Fill, position: Position | None = None,
    lots: Sequence[fifo.Lot] | None = None,
) -> Decimal:
    """Apply a fill to the position and its FIFO lots; return the realized P&L.

    Sets `fill.realized_pl`. Lots closed in full are deleted, a partly closed lot
    shrinks, and any remainder opens a new lot. Nothing is flushed here (the fill
    may still be pending): the use-case's flush writes it all. Pass `position`
    when the caller already holds the row, and `lots` when it read the position's
    open lots in this transaction before any fill of it, to save queries.
    """
    position = position or ensure_position(portfolio, fill.symbol)
    if lots is None:
        # A flat position has no open lots (they always sum to its quantity): skip the read.
        # Otherwise the read autoflushes, so lots this transaction wrote are seen.
        lots = open_lots(portfolio, fill.symbol) if position.qty != ZERO else []
    update = fifo.apply_fill(lots, Side(fill.side), fill.qty, fill.price, NEW_LOT)
    _store_lots(portfolio, fill, lots, update.lots)
    _refresh_position(position, update.lots, update.realized_pnl)
    fill.realized_pl = update.realized_pnl
    return update.realized_pnl


def _store_lots(
    portfolio: Portfolio, fill: Fill, before: Sequence[fifo.Lot], after: Sequence[fifo.Lot]
) -> None:
    """Write the lots after a fill: delete the closed, shrink the partly closed, add the new."""
    session = db.session()
    # Table-level statements on the session's connection: no autoflush of the pending fill
    # (it is written with everything else at the use-case's one flush), no ORM sync needed
    # (lots are only ever read as plain tuples).
    connection, lots = session.connection(), _LOTS.c
    kept = {lot.fill_id: lot for lot in after}
    closed = []
    for lot in before:
        row_id = int(lot.fill_id.removeprefix("lot:"))
        left = kept.pop(lot.fill_id, None)
        if left is None:
            closed.append(row_id)
        elif left.qty != lot.qty:
            connection.execute(update(_LOTS).where(lots.id == row_id)
                               .values(qty=left.qty))
    if closed:
        connection.execute(delete(_LOTS).where(lots.id.in_(closed)))
    for lot in kept.values():  # what is left was opened by this fill
        session.add(TaxLot(portfolio_id=portfolio.id, generation=portfolio.generation,
                           symbol=fill.symbol, fill=fill, qty=lot.qty, price=lot.price,
                           opened_at=fill.created_at))


def ensure_position(portfolio: Portfolio, symbol: str) -> Position:
    """Return the current generation's position row in `symbol`, adding an empty one if none."""
    return position_of(portfolio, symbol) or new_position(portfolio, symbol)


def new_position(portfolio: Portfolio, symbol: str) -> Position:
    """Add an empty position row for a symbol traded for the first time this generation.

    Only for a caller that knows no row exists (it read them all under the lock).
    """
    position = Position(portfolio_id=portfolio.id, generation=portfolio.generation,
                        symbol=symbol, qty=ZERO, cost_basis=ZERO, realized_pl=ZERO)
    db.session.add(position)
    return position


def _refresh_position(position: Position, lots: Sequence[fifo.Lot], realized: Decimal) -> None:
    """Recompute the cached position from its open lots and add the realized P&L."""
    position.qty = fifo.net_qty(lots)
    position.avg_entry_price = fifo.average_entry_price(lots)
    position.cost_basis = money(fifo.cost_basis(lots))
    position.realized_pl = position.realized_pl + realized


__all__ = [
    "LAST_FILL",
    "CashFlow",
    "CommissionRule",
    "FillFact",
    "HoldingsAt",
    "PortfolioRules",
    "StrategyRule",
    "TradingWindow",
    "Valuation",
    "apply_fill_to_position",
    "cash_flows",
    "create_portfolio",
    "ensure_position",
    "fills_between",
    "for_instrument",
    "get_portfolio",
    "holdings_at",
    "last_fill_prices",
    "last_fill_prices_of",
    "list_portfolios",
    "load_rules",
    "lock_owned",
    "lock_portfolio",
    "new_portfolio",
    "new_position",
    "open_lots",
    "open_positions",
    "portfolio_ids_active",
    "portfolios_of_challenge",
    "position_of",
    "position_rows",
    "post_cash_entry",
    "rename_portfolio",
    "rules_of",
    "share_lock",
    "valuation_prices",
    "value_holdings",
]
