"""Read-only history for analytics and challenges: flows, fills and holdings from the facts.

Every function returns plain frozen values (no ORM rows), computed from the
append-only facts, so callers can keep them after the session ends.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from invsim.core.money import ZERO
from invsim.extensions import db
from invsim.portfolios.models import CashEntry, Portfolio, PortfolioReset
from invsim.trading.corporate_models import SplitAdjustment
from invsim.trading.models import Fill


@dataclass(frozen=True, slots=True)
class CashFlow:
    """Money that entered (+) or left (−) a portfolio from outside its trading.

    `deposit`: the deposit's amount. `reset`: starting cash − equity before the
    reset (positive when the reset topped the portfolio back up). The opening
    `starting_cash` at `Portfolio.created_at` is not a flow here.
    """

    at: datetime
    kind: str
    amount: Decimal
    generation: int


@dataclass(frozen=True, slots=True)
class FillFact:
    """One execution, as analytics needs it."""

    id: int
    order_id: int
    at: datetime
    priced_at: datetime
    symbol: str
    side: str
    qty: Decimal
    price: Decimal
    gross: Decimal
    commission: Decimal
    realized_pl: Decimal
    generation: int


@dataclass(frozen=True, slots=True)
class HoldingsAt:
    """A portfolio's cash and signed quantities at one instant, rebuilt from the facts."""

    at: datetime
    generation: int
    cash: Decimal
    quantities: dict[str, Decimal]


def portfolio_ids_active() -> list[int]:
    """Return the ids of every portfolio that is not archived, ascending."""
    return list(db.session.scalars(
        select(Portfolio.id).where(Portfolio.archived_at.is_(None)).order_by(Portfolio.id)))


def cash_flows(portfolio_id: int, start: datetime, end: datetime) -> list[CashFlow]:
    """Return external flows (deposits and resets) with start <= at < end, oldest first."""
    portfolio = db.session.get(Portfolio, portfolio_id)
    if portfolio is None:
        return []
    deposits = [
        CashFlow(e.created_at, "deposit", e.amount, e.generation)
        for e in db.session.scalars(
            select(CashEntry).where(CashEntry.portfolio_id == portfolio_id,
                                    CashEntry.kind == "deposit", CashEntry.created_at >= start,
                                    CashEntry.created_at < end))
    ]
    resets = [
        CashFlow(r.created_at, "reset", portfolio.starting_cash - r.equity_before, r.generation)
        for r in db.session.scalars(
            select(PortfolioReset).where(PortfolioReset.portfolio_id == portfolio_id,
                                         PortfolioReset.created_at >= start,
                                         PortfolioReset.created_at < end))
    ]
    return sorted(deposits + resets, key=lambda f: (f.at, f.kind))


def fills_between(portfolio_id: int, start: datetime, end: datetime) -> list[FillFact]:
    """Return the portfolio's fills written with start <= at < end, oldest first."""
    rows = db.session.scalars(
        select(Fill).where(Fill.portfolio_id == portfolio_id, Fill.created_at >= start,
                           Fill.created_at < end).order_by(Fill.id))
    return [FillFact(f.id, f.order_id, f.created_at, f.priced_at, f.symbol, f.side, f.qty,
                     f.price, f.gross, f.commission, f.realized_pl, f.generation) for f in rows]


def holdings_at(portfolio_id: int, at: datetime) -> HoldingsAt | None:
    """Return cash and quantities as they were at `at` (None before the portfolio existed)."""
    portfolio = db.session.get(Portfolio, portfolio_id)
    if portfolio is None or portfolio.created_at > at:
        return None
    generation = _generation_at(portfolio, at)
    cash = portfolio.starting_cash + sum(db.session.scalars(
        select(CashEntry.amount).where(CashEntry.portfolio_id == portfolio_id,
                                       CashEntry.created_at <= at)), ZERO)
    quantities: dict[str, Decimal] = defaultdict(lambda: ZERO)
    # A split multiplies the shares held when it was applied (after the fill it follows).
    splits = list(db.session.execute(
        select(SplitAdjustment.after_fill_id, SplitAdjustment.symbol, SplitAdjustment.ratio)
        .where(SplitAdjustment.portfolio_id == portfolio_id,
               SplitAdjustment.generation == generation, SplitAdjustment.created_at <= at)
        .order_by(SplitAdjustment.id)))
    for fill_id, symbol, side, qty in db.session.execute(
        select(Fill.id, Fill.symbol, Fill.side, Fill.qty).where(
            Fill.portfolio_id == portfolio_id, Fill.generation == generation,
            Fill.created_at <= at).order_by(Fill.id)):
        while splits and splits[0][0] < fill_id:
            _, split_symbol, ratio = splits.pop(0)
            quantities[split_symbol] *= ratio
        quantities[symbol] += qty if side == "buy" else -qty
    for _, split_symbol, ratio in splits:
        quantities[split_symbol] *= ratio
    return HoldingsAt(at, generation, cash, {s: q for s, q in quantities.items() if q != ZERO})


def _generation_at(portfolio: Portfolio, at: datetime) -> int:
    """Return the generation that was current at `at` (resets before `at` moved it on)."""
    resets = db.session.scalar(
        select(PortfolioReset.generation).where(PortfolioReset.portfolio_id == portfolio.id,
                                                PortfolioReset.created_at <= at)
        .order_by(PortfolioReset.generation.desc()).limit(1))
    return 0 if resets is None else resets + 1
