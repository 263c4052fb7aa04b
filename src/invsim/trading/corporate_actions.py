"""Corporate actions applied to the book: dividends paid or charged, splits of positions and orders.

Each stage of an action is applied once, in one transaction that also writes its
`CorporateActionRun` row (unique per action and stage: a second run, or a second worker
at the same time, finds it or fails on it and changes nothing):

* a dividend's **ex** stage (from the ex-date's session open) records each portfolio's
  entitlement: the shares it held at that open (its position now, less what it traded
  since) times the amount, negative for a short;
* its **pay** stage (on the pay date) posts each entitlement as a cash entry, `dividend`
  (a holder is credited) or `dividend_charge` (a short is charged), in the generation the
  entitlement was recorded in (a portfolio reset since then forfeits it);
* a split's **ex** stage multiplies every position and lot by the ratio (dividing each
  lot's price: the cost basis is unchanged), records a `SplitAdjustment` the ledger check
  replays, and adjusts open orders: the quantity still to fill, limit and stop prices,
  trailing amounts and the trailing stops' water marks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import structlog
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from invsim.core.clock import utcnow
from invsim.core.money import ZERO, money
from invsim.extensions import db
from invsim.market import service as market
from invsim.portfolios import service as portfolios
from invsim.portfolios.models import Portfolio, Position, TaxLot
from invsim.trading.corporate_models import (
    CorporateActionRun,
    DividendEntitlement,
    SplitAdjustment,
)
from invsim.trading.engine import lots as fifo
from invsim.trading.engine import splits
from invsim.trading.models import Fill, Order
from invsim.trading.order_rows import OPEN_VALUES
from invsim.trading.queries import symbols_in_use

log = structlog.get_logger("invsim.trading.corporate_actions")

LOOKBACK = timedelta(days=70)  # ex-dates this far back are still looked at (pay dates follow)
ADJUSTED_STATUSES = (*OPEN_VALUES, "held")


def apply_corporate_actions() -> int:
    """Apply every due stage of the actions of symbols in use; return how many were applied."""
    now = utcnow()
    today = now.date()
    with db.read() as session:
        unpaid = set(session.scalars(select(DividendEntitlement.symbol).where(
            DividendEntitlement.cash_entry_id.is_(None)).distinct()))
        symbols = sorted(set(symbols_in_use()) | unpaid)
    applied = 0
    for symbol in symbols:
        for action in market.corporate_actions(symbol, today - LOOKBACK, today):
            for stage in due_stages(action, now):
                applied += _apply_once(action, stage)
    return applied


def due_stages(action: market.CorporateAction, now: datetime) -> list[str]:
    """Return the stages of `action` due at `now`, in the order they must be applied."""
    if now < ex_open(action.ex_date):
        return []
    if action.kind == "dividend" and now.date() >= action.pay_date:
        return ["ex", "pay"]
    return ["ex"]


def ex_open(ex_date: date) -> datetime:
    """Return when the ex-date's session opens (midnight UTC if the calendar has none)."""
    sessions = market.trading_sessions(ex_date, ex_date)
    return sessions[0].open if sessions else datetime.combine(ex_date, time(), tzinfo=UTC)


def _apply_once(action: market.CorporateAction, stage: str) -> int:
    """Apply one stage of `action` unless it was applied; return 1 if this call applied it."""
    with db.read() as session:
        done = session.scalar(select(CorporateActionRun.id).where(
            CorporateActionRun.action_key == action.key, CorporateActionRun.stage == stage))
    if done is not None:
        return 0
    try:
        with db.transaction() as session:
            run = CorporateActionRun(action_key=action.key, stage=stage, symbol=action.symbol,
                                     portfolios=0)
            session.add(run)
            session.flush()  # a concurrent run of the same stage fails here, before any change
            if action.kind == "split":
                run.portfolios = _split(action)
            elif stage == "ex":
                run.portfolios = _record_entitlements(action)
            else:
                run.portfolios = _pay(action)
    except IntegrityError:
        return 0  # another worker applied it first
    log.info("corporate_action_applied", action=action.key, stage=stage)
    return 1


def _positions(symbol: str) -> list[Position]:
    """Return the current-generation position rows in `symbol` of live portfolios."""
    return list(db.session.scalars(
        select(Position).join(Portfolio, Portfolio.id == Position.portfolio_id)
        .where(Position.symbol == symbol, Position.generation == Portfolio.generation,
               Portfolio.archived_at.is_(None))
        .order_by(Position.portfolio_id)))


def _traded_since(position: Position, since: datetime) -> Decimal:
    """Return the signed shares `position` traded from `since` on."""
    traded = ZERO
    for side, qty in db.session.execute(
            select(Fill.side, Fill.qty).where(
                Fill.portfolio_id == position.portfolio_id,
                Fill.generation == position.generation, Fill.symbol == position.symbol,
                Fill.created_at >= since)):
        traded += qty if side == "buy" else -qty
    return traded


def _record_entitlements(action: market.CorporateAction) -> int:
    """Record what each holder is owed (and each short owes) for a dividend."""
    assert action.amount is not None
    opened = ex_open(action.ex_date)
    count = 0
    for position in _positions(action.symbol):
        portfolios.lock_portfolio(position.portfolio_id)
        db.session.refresh(position)  # as of the lock: no fill can move it now
        held = position.qty - _traded_since(position, opened)
        if held == ZERO:
            continue
        db.session.add(DividendEntitlement(
            portfolio_id=position.portfolio_id, generation=position.generation,
            symbol=action.symbol, ex_date=action.ex_date, pay_date=action.pay_date,
            per_share=action.amount, qty=held, amount=money(held * action.amount)))
        count += 1
    return count


def _pay(action: market.CorporateAction) -> int:
    """Post every entitlement of a dividend as a cash entry on its pay date."""
    count = 0
    for entitlement in db.session.scalars(
            select(DividendEntitlement).where(
                DividendEntitlement.symbol == action.symbol,
                DividendEntitlement.ex_date == action.ex_date,
                DividendEntitlement.cash_entry_id.is_(None))
            .order_by(DividendEntitlement.portfolio_id)):
        portfolio = portfolios.lock_portfolio(entitlement.portfolio_id)
        if portfolio.generation != entitlement.generation or entitlement.amount == ZERO:
            continue  # reset since the ex-date: the entitlement went with the old generation
        long = entitlement.qty > ZERO
        entry = portfolios.post_cash_entry(
            portfolio=portfolio, kind="dividend" if long else "dividend_charge",
            amount=entitlement.amount,
            memo=(f"{'Dividend' if long else 'Dividend charge (short)'} {action.symbol} "
                  f"{entitlement.per_share} x {abs(entitlement.qty)} "
                  f"(ex {action.ex_date.isoformat()})"),
            idempotency_key=f"dividend:{action.symbol}:{action.ex_date.isoformat()}")
        db.session.flush()
        entitlement.cash_entry_id = entry.id
        count += 1
    return count


def _split(action: market.CorporateAction) -> int:
    """Multiply positions and lots by the split ratio and adjust the symbol's open orders."""
    assert action.ratio is not None
    ratio = action.ratio
    touched: set[int] = set()
    for position in _positions(action.symbol):
        if position.qty == ZERO:
            continue
        portfolio = portfolios.lock_portfolio(position.portfolio_id)
        db.session.refresh(position)
        last_fill = db.session.scalar(select(func.max(Fill.id)).where(
            Fill.portfolio_id == portfolio.id)) or 0
        held = position.qty
        _split_position(position, ratio)
        db.session.add(SplitAdjustment(
            portfolio_id=portfolio.id, generation=position.generation, symbol=action.symbol,
            ex_date=action.ex_date, ratio=ratio, after_fill_id=last_fill,
            shares_added=position.qty - held))
        touched.add(portfolio.id)
    for order in _open_orders(action.symbol):
        touched.add(order.portfolio_id)
        _split_order(order, ratio)
    return len(touched)


def _split_position(position: Position, ratio: Decimal) -> None:
    """Split one position's lots and refresh its cached figures (the cost is unchanged)."""
    rows = list(db.session.scalars(select(TaxLot).where(
        TaxLot.portfolio_id == position.portfolio_id, TaxLot.generation == position.generation,
        TaxLot.symbol == position.symbol).order_by(TaxLot.id)))
    lots = []
    for row in rows:
        row.qty = splits.split_qty(row.qty, ratio)
        row.price = splits.split_lot_price(row.price, ratio)
        lots.append(fifo.Lot(str(row.id), row.qty, row.price))
    position.qty = fifo.net_qty(lots)
    position.cost_basis = money(fifo.cost_basis(lots))
    position.avg_entry_price = fifo.average_entry_price(lots)


def _open_orders(symbol: str) -> Iterable[Order]:
    """Return the symbol's orders still waiting to fill (held bracket legs included)."""
    return db.session.scalars(select(Order).where(
        Order.symbol == symbol, Order.status.in_(ADJUSTED_STATUSES)).order_by(Order.id))


def _split_order(order: Order, ratio: Decimal) -> None:
    """Adjust one open order: more shares still to fill at proportionally lower prices."""
    buy = order.side == "buy"
    if order.qty is not None:
        order.qty = splits.split_remaining(order.qty, order.filled_qty, ratio)
    if order.limit_price is not None:
        order.limit_price = splits.split_order_price(order.limit_price, ratio, round_down=buy)
    if order.stop_price is not None:
        order.stop_price = splits.split_order_price(order.stop_price, ratio, round_down=not buy)
    if order.trail_price is not None:
        order.trail_price = splits.split_order_price(order.trail_price, ratio, round_down=True)
    if order.hwm is not None:
        order.hwm = splits.split_order_price(order.hwm, ratio, round_down=not buy)
    if order.reference_price is not None:
        order.reference_price = splits.split_order_price(order.reference_price, ratio,
                                                         round_down=True)
    order.updated_at = utcnow()


@dataclass(frozen=True, slots=True)
class SplitFact:
    """A split applied to one position: when, and how many new shares per old share."""

    at: datetime
    generation: int
    symbol: str
    ratio: Decimal


def splits_of(portfolio_id: int) -> list[SplitFact]:
    """Return the splits applied to a portfolio's positions, oldest first."""
    return [SplitFact(row.created_at, row.generation, row.symbol, row.ratio)
            for row in db.session.scalars(select(SplitAdjustment).where(
                SplitAdjustment.portfolio_id == portfolio_id).order_by(SplitAdjustment.id))]


def entitlements(portfolio_id: int) -> list[DividendEntitlement]:
    """Return a portfolio's dividend entitlements, newest ex-date first."""
    return list(db.session.scalars(select(DividendEntitlement).where(
        DividendEntitlement.portfolio_id == portfolio_id)
        .order_by(DividendEntitlement.ex_date.desc(), DividendEntitlement.id.desc())))
