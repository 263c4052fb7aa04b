"""The account summary and position views at current prices (what the API shows).

Every figure is computed here, once, from the cached balances and current
quotes; the front end formats, it never recomputes P&L. Percentages are
fractions (0.0123 is 1.23 %), as in Alpaca's API.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from invsim.core.clock import utcnow
from invsim.core.money import ZERO, money, price, rate
from invsim.extensions import db
from invsim.portfolios import service
from invsim.portfolios.models import CashEntry, Portfolio, Position
from invsim.trading import marks as prices
from invsim.trading.account import AccountState, account_state, valuation_prices
from invsim.trading.engine.day_change import TradeToday, day_change, qty_at_open
from invsim.trading.marks import Mark
from invsim.trading.models import Fill


@dataclass(frozen=True, slots=True)
class AccountSummary:
    """A portfolio and its account figures at current prices."""

    id: int
    name: str
    kind: str
    challenge_id: int | None
    currency: str
    account_type: str
    starting_cash: Decimal
    cash: Decimal
    buying_power: Decimal
    equity: Decimal
    last_equity: Decimal
    long_market_value: Decimal
    short_market_value: Decimal
    maintenance_margin: Decimal
    day_pl: Decimal
    day_pl_pct: Decimal
    total_pl: Decimal
    total_pl_pct: Decimal
    open_orders: int
    positions: int
    generation: int
    rules: dict[str, Any]
    created_at: datetime
    archived_at: datetime | None


@dataclass(frozen=True, slots=True)
class PositionView:
    """One open position valued at the current price (signed amounts: shorts are negative)."""

    symbol: str
    qty: Decimal
    side: str
    avg_entry_price: Decimal
    current_price: Decimal
    lastday_price: Decimal
    market_value: Decimal
    cost_basis: Decimal
    unrealized_pl: Decimal
    unrealized_plpc: Decimal
    unrealized_intraday_pl: Decimal
    change_today: Decimal
    realized_pl: Decimal
    price_stale: bool


# Cash entries that are not P&L of the day: trades' gross (in the symbols' day change) and deposits.
_NOT_PL = ("trade", "liquidation", "deposit")


def _ratio(part: Decimal, whole: Decimal) -> Decimal:
    """Return part / whole as a fraction with six decimals (0 when whole is 0)."""
    return rate(part / whole) if whole else rate(ZERO)


def account_summary(portfolio: Portfolio, *, now: datetime | None = None) -> AccountSummary:
    """Return the account figures of a portfolio at current prices (a consistent read)."""
    now = now or utcnow()
    portfolio = service.share_lock(portfolio.id)
    stored = service.rules_of(portfolio)
    state = account_state(portfolio, stored.trading_rules())
    since = _day_start(portfolio, now)
    _, last_equity = _last_equity(portfolio, state, since)
    deposits = _deposits(portfolio, None)
    held = {p.symbol: p.qty for p in state.positions}
    changes = day_changes(portfolio, held, state.prices, state.marks, since)
    day_pl = money(sum(changes.values(), ZERO) + _other_cash(portfolio, since))
    invested = portfolio.starting_cash + deposits
    total_pl = money(state.equity - invested)
    return AccountSummary(
        id=portfolio.id, name=portfolio.name, kind=portfolio.kind,
        challenge_id=portfolio.challenge_id, currency=portfolio.currency,
        account_type=portfolio.account_type, starting_cash=portfolio.starting_cash,
        cash=state.cash, buying_power=state.buying_power, equity=state.equity,
        last_equity=last_equity, long_market_value=state.long_value,
        short_market_value=state.short_value, maintenance_margin=state.maintenance,
        day_pl=day_pl, day_pl_pct=_ratio(day_pl, last_equity), total_pl=total_pl,
        total_pl_pct=_ratio(total_pl, invested), open_orders=len(state.open_orders),
        positions=len(state.positions), generation=portfolio.generation, rules=portfolio.rules,
        created_at=portfolio.created_at, archived_at=portfolio.archived_at,
    )


def _day_start(portfolio: Portfolio, now: datetime) -> datetime:
    """Return when "today" began for P&L: the current session's open, or the last reset."""
    session = prices.current_session(now)
    start = session.open_at if session is not None else now
    return max(start, portfolio.generation_started_at)


def _other_cash(portfolio: Portfolio, since: datetime) -> Decimal:
    """Sum today's cash that is neither a trade's gross nor a deposit (fees, interest)."""
    return sum(db.session.scalars(select(CashEntry.amount).where(
        CashEntry.portfolio_id == portfolio.id, CashEntry.generation == portfolio.generation,
        CashEntry.created_at >= since, CashEntry.kind.not_in(_NOT_PL))), ZERO)


def day_changes(
    portfolio: Portfolio, held: Mapping[str, Decimal], prices_now: Mapping[str, Decimal],
    marks: Mapping[str, Mark], since: datetime,
) -> dict[str, Decimal]:
    """Return each symbol's P&L since the day's start (`engine.day_change`, the one definition).

    Both a position's day change and the account's day P&L are built from this:
    held since the previous close × (last − close) + today's trades from their fill
    price. Symbols closed today are included (their P&L is the account's too).
    """
    trades: dict[str, list[TradeToday]] = defaultdict(list)
    for symbol, side, qty, gross in db.session.execute(
        select(Fill.symbol, Fill.side, Fill.qty, Fill.gross).where(
            Fill.portfolio_id == portfolio.id, Fill.generation == portfolio.generation,
            Fill.created_at >= since).order_by(Fill.id)
    ):
        trades[symbol].append(TradeToday(side, qty, gross))
    symbols = set(held) | set(trades)
    before = {s: qty_at_open(held.get(s, ZERO), trades[s]) for s in symbols}
    opened = {s for s, q in before.items() if q != ZERO}
    known = dict(marks)
    known.update(prices.marks(opened - set(known)))
    closes = {s: known[s].prev_close for s in opened if s in known}
    closes.update(service.last_fill_prices(portfolio.id, portfolio.generation,
                                           opened - set(closes), at=since))
    return {s: day_change(qty_now=held.get(s, ZERO), price_now=prices_now.get(s, ZERO),
                          qty_before=before[s], price_before=closes.get(s, ZERO),
                          trades=trades[s])
            for s in symbols}


def _deposits(portfolio: Portfolio, since: datetime | None) -> Decimal:
    """Sum the current generation's deposits (since `since` when given)."""
    query = select(CashEntry.amount).where(CashEntry.portfolio_id == portfolio.id,
                                           CashEntry.generation == portfolio.generation,
                                           CashEntry.kind == "deposit")
    if since is not None:
        query = query.where(CashEntry.created_at >= since)
    return sum(db.session.scalars(query), ZERO)


def _last_equity(
    portfolio: Portfolio, state: AccountState, since: datetime
) -> tuple[Decimal, Decimal]:
    """Return today's deposits and the equity at the day's start (previous closing prices).

    Cash and quantities at the start are today's values with today's facts taken
    back out; positions are valued at the previous close.
    """
    cash = portfolio.cash
    deposits = ZERO
    for kind, amount in db.session.execute(
        select(CashEntry.kind, CashEntry.amount).where(
            CashEntry.portfolio_id == portfolio.id, CashEntry.generation == portfolio.generation,
            CashEntry.created_at >= since)
    ):
        cash -= amount
        deposits += amount if kind == "deposit" else ZERO
    quantities = _quantities_at_start(portfolio, state, since)
    marks = dict(state.marks)
    marks.update(prices.marks(set(quantities) - set(marks)))
    closes = {s: m.prev_close for s, m in marks.items() if s in quantities}
    fills = service.last_fill_prices(portfolio.id, portfolio.generation,
                                     set(quantities) - set(closes), at=since)
    return deposits, service.value_holdings(cash, quantities, closes, fills).equity


def _quantities_at_start(
    portfolio: Portfolio, state: AccountState, since: datetime
) -> dict[str, Decimal]:
    """Return each symbol's quantity before today's fills."""
    quantities: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for position in state.positions:
        quantities[position.symbol] += position.qty
    for symbol, side, qty in db.session.execute(
        select(Fill.symbol, Fill.side, Fill.qty).where(
            Fill.portfolio_id == portfolio.id, Fill.generation == portfolio.generation,
            Fill.created_at >= since)
    ):
        quantities[symbol] -= qty if side == "buy" else -qty
    return {s: q for s, q in quantities.items() if q != ZERO}


def positions_view(
    portfolio: Portfolio, *, symbol: str | None = None, now: datetime | None = None,
) -> list[PositionView]:
    """Return the open positions (or the one in `symbol`) valued at current prices."""
    positions = service.open_positions(portfolio)
    if symbol is not None:
        positions = [p for p in positions if p.symbol == symbol]
    marks = prices.marks(p.symbol for p in positions)
    used = valuation_prices(portfolio, positions, marks)
    changes = day_changes(portfolio, {p.symbol: p.qty for p in positions}, used, marks,
                          _day_start(portfolio, now or utcnow()))
    return [_view(p, marks, used[p.symbol], changes[p.symbol]) for p in positions]


def _view(
    position: Position, marks: Mapping[str, Mark], current: Decimal, day_pl: Decimal,
) -> PositionView:
    """Value one position at `current` (its quote's last, or its last fill without a quote)."""
    avg = position.avg_entry_price or ZERO
    found = marks.get(position.symbol)
    lastday = found.prev_close if found is not None else current
    value = money(position.qty * current)
    unrealized = money(value - position.cost_basis)
    return PositionView(
        symbol=position.symbol, qty=position.qty,
        side="long" if position.qty > ZERO else "short", avg_entry_price=price(avg),
        current_price=current, lastday_price=lastday, market_value=value,
        cost_basis=position.cost_basis, unrealized_pl=unrealized,
        unrealized_plpc=_ratio(unrealized, abs(position.cost_basis)),
        unrealized_intraday_pl=day_pl,
        change_today=_ratio(current - lastday, lastday), realized_pl=position.realized_pl,
        price_stale=found is None or found.stale,
    )


def summaries(portfolios: Sequence[Portfolio]) -> list[AccountSummary]:
    """Return the account summary of each portfolio."""
    return [account_summary(p) for p in portfolios]


def equities(portfolio_ids: Sequence[int]) -> dict[int, Decimal]:
    """Return each portfolio's equity at current prices, in one pass (for standings).

    Valued by portfolios' one rule (a symbol without a quote at the portfolio's
    last fill in it).
    """
    ids = list(portfolio_ids)
    if not ids:
        return {}
    rows = db.session.execute(select(Portfolio.id, Portfolio.cash, Portfolio.generation)
                              .where(Portfolio.id.in_(ids)).order_by(Portfolio.id)
                              .with_for_update(read=True))  # consistent with the positions
    cash = {pid: (amount, generation) for pid, amount, generation in rows}
    held: dict[int, list[Position]] = defaultdict(list)
    for position in db.session.scalars(select(Position).where(
            Position.portfolio_id.in_(ids), Position.qty != ZERO)):
        if position.generation == cash[position.portfolio_id][1]:
            held[position.portfolio_id].append(position)
    marks = prices.marks({p.symbol for group in held.values() for p in group})
    quoted = {symbol: mark.last for symbol, mark in marks.items()}
    fills = service.last_fill_prices_of(
        {(pid, generation) for pid, (_, generation) in cash.items()},
        {p.symbol for group in held.values() for p in group if p.symbol not in quoted})
    return {pid: service.value_holdings(amount, {p.symbol: p.qty for p in held[pid]}, quoted,
                                        fills.get(pid, {})).equity
            for pid, (amount, _) in cash.items()}
