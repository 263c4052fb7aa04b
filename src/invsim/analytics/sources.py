"""Everything analytics reads from other domains, through their public service functions.

Analytics owns no facts: portfolios and trading own the ledger, market owns
prices and the calendar. This module is the one adapter: it calls their public
functions and turns what they return into analytics' plain values, so the rest
of the domain (and its tests) never touches another domain's modules.

One deliberate exception, at the end: three set-based reads of the ledger tables
for the snapshot job, which no service function offers yet (see there).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select, union

from invsim.analytics.history import CashMove, Flow, Holdings, Ledger, Trade
from invsim.analytics.periods import midnight
from invsim.analytics.sessions import Session
from invsim.core.clock import MarketCalendar, calendar_for, utcnow
from invsim.core.errors import NotFound, ServiceUnavailable, ValidationFailed
from invsim.extensions import db
from invsim.market import service as market
from invsim.portfolios import service as portfolios

# Both models modules serve the bulk reads at the end of this module, and nothing else.
from invsim.portfolios.models import CashEntry, Portfolio, PortfolioReset, Position
from invsim.trading import service as trading
from invsim.trading.models import Fill

ACTIVITY_PAGE = 500
BARS_PAGE = 5000
FILL_ACTIVITIES = frozenset({"fill", "liquidation"})


@dataclass(frozen=True, slots=True)
class PortfolioFacts:
    """What analytics needs to know about a portfolio itself."""

    id: int
    opened_at: datetime
    starting_cash: Decimal
    cash: Decimal
    generation: int
    handle: Any  # the portfolios domain's object, passed back to its functions


@dataclass(frozen=True, slots=True)
class InstrumentFacts:
    """How an instrument is classified."""

    symbol: str
    sector: str
    asset_class: str


def owned_portfolio(owner_id: int, portfolio_id: int) -> PortfolioFacts:
    """Return the user's portfolio; another user's (or none) is a 404 `portfolio_not_found`."""
    found = portfolios.get_portfolio(owner_id=owner_id, portfolio_id=portfolio_id)
    return _facts(found)


def _facts(portfolio: Any) -> PortfolioFacts:
    """Copy the figures analytics reads off a portfolio."""
    return PortfolioFacts(id=portfolio.id, opened_at=portfolio.created_at,
                          starting_cash=portfolio.starting_cash, cash=portfolio.cash,
                          generation=portfolio.generation, handle=portfolio)


def position_values(portfolio: PortfolioFacts) -> list[Any]:
    """Return the portfolios domain's position views at current prices."""
    return list(trading.positions_view(portfolio.handle))


def active_portfolio_ids() -> list[int]:
    """Return the ids of every portfolio that is not archived."""
    return list(portfolios.portfolio_ids_active())


def holdings_at(portfolio_id: int, at: datetime) -> Holdings | None:
    """Return cash and quantities at `at`, rebuilt by the ledger (None before it opened)."""
    found = portfolios.holdings_at(portfolio_id, at)
    if found is None:
        return None
    return Holdings(found.at, found.generation, found.cash, dict(found.quantities))


def external_flows(portfolio_id: int, start: datetime, end: datetime) -> list[Flow]:
    """Return deposits and resets booked in [start, end), oldest first."""
    return [Flow(f.at, f.amount, f.kind)
            for f in portfolios.cash_flows(portfolio_id, start, end)]


def position_fills(portfolio_id: int, generation: int, symbol: str,
                   since: datetime, until: datetime) -> list[Any]:
    """Return the fills of one symbol in one generation with since <= at <= until, oldest first."""
    end = until + timedelta(microseconds=1)
    return [f for f in portfolios.fills_between(portfolio_id, since, end)
            if f.symbol == symbol and f.generation == generation]


def ledger(portfolio: PortfolioFacts, until: datetime) -> Ledger:
    """Read every fill and cash movement of every generation, and the reset instants."""
    trades: list[Trade] = []
    moves: list[CashMove] = []
    for generation in range(portfolio.generation + 1):
        # The feed is newest first; oldest first keeps fills of one instant in their order,
        # so the last fill price (the valuation's fallback) is the latest fill's.
        for activity in reversed(list(_activities(portfolio, generation))):
            moves.append(CashMove(activity.occurred_at, activity.net_amount))
            if activity.activity_type in FILL_ACTIVITIES:
                signed = activity.qty if activity.side == "buy" else -activity.qty
                trades.append(Trade(activity.occurred_at, activity.symbol, signed,
                                    activity.price, generation))
    trades = _with_splits(sorted(trades, key=lambda t: t.at), trading.splits_of(portfolio.id))
    flows = external_flows(portfolio.id, portfolio.opened_at, until + timedelta(microseconds=1))
    resets = sorted(f.at for f in flows if f.kind == "reset")
    return Ledger(opened_at=portfolio.opened_at, starting_cash=portfolio.starting_cash,
                  trades=trades,
                  cash_moves=sorted(moves, key=lambda m: m.at), flows=flows, resets=resets)


def _with_splits(trades: list[Trade], splits: Iterable[Any]) -> list[Trade]:
    """Add each split as a trade of the new shares at 1/ratio the last price (no cash moves).

    A split multiplies a position without a fill; replaying fills alone would hold the old
    number of shares at the new price.
    """
    for split in splits:
        before = [t for t in trades if t.at <= split.at and t.symbol == split.symbol
                  and t.generation == split.generation]
        held = sum((t.qty for t in before), Decimal(0))
        if held == 0 or not before:
            continue
        added = Trade(split.at, split.symbol, held * (split.ratio - 1),
                      before[-1].price / split.ratio, split.generation)
        trades = sorted([*trades, added], key=lambda t: t.at)
    return trades


def _activities(portfolio: PortfolioFacts, generation: int) -> Iterable[Any]:
    """Yield every activity of one generation (the trading feed, page by page)."""
    cursor = None
    while True:
        page = trading.list_activities(portfolio.handle, cursor=cursor, limit=ACTIVITY_PAGE,
                                       generation=generation)
        yield from page.items
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def calendar() -> MarketCalendar:
    """Return the exchange calendar the market runs on."""
    return calendar_for(market.market_clock().calendar)


def sessions(start: date, end: date) -> list[Session]:
    """Return the trading sessions from `start` to `end` with their open and close instants."""
    cal = calendar()
    found = []
    for day in cal.sessions(start, end):
        opens, closes = cal.session_open(day), cal.session_close(day)
        if opens is not None and closes is not None:
            found.append(Session(day, opens, closes))
    return found


def daily_closes(symbol: str, start: date, end: date) -> list[tuple[date, Decimal]]:
    """Return (session date, close) of `symbol`'s daily bars from `start` to `end`."""
    first, last = midnight(start), min(midnight(end + timedelta(days=1)), utcnow())
    if first > last:
        return []
    closes: list[tuple[date, Decimal]] = []
    token = None
    while True:
        page = market.get_bars(symbol, "1d", first, last, limit=BARS_PAGE, page_token=token)
        closes += [(bar.start.date(), bar.close) for bar in page.bars]
        token = page.next_page_token
        if token is None:
            return closes


def closes_of(
    symbols: Iterable[str], start: date, end: date
) -> dict[str, list[tuple[date, Decimal]]]:
    """Return the daily closes of several symbols (a symbol without bars maps to [])."""
    found: dict[str, list[tuple[date, Decimal]]] = {}
    for symbol in sorted(set(symbols)):
        try:
            found[symbol] = daily_closes(symbol, start, end)
        except ServiceUnavailable:
            found[symbol] = []  # no bars to be had: the last fill price stands in
    return found


def last_prices(symbols: Iterable[str]) -> dict[str, Decimal]:
    """Return the last traded price of each symbol a quote can be had for."""
    wanted = sorted(set(symbols))
    if not wanted:
        return {}
    try:
        quotes = market.get_quotes(wanted)
    except ServiceUnavailable:
        return {}
    return {symbol: quote.last for symbol, quote in quotes.items()}


def last_fill_prices(books: Iterable[tuple[int, int]], symbols: Iterable[str],
                     at: datetime) -> dict[int, dict[str, Decimal]]:
    """Return each (portfolio, generation)'s last fill price per symbol by `at`.

    The fallback of portfolios' one valuation rule, for the symbols without a price.
    """
    return portfolios.last_fill_prices_of(books, symbols, at)


def instrument(symbol: str) -> InstrumentFacts:
    """Return how `symbol` is classified; an unlisted symbol is a 404 `unknown_symbol`."""
    found = market.get_instrument(symbol)
    return InstrumentFacts(found.symbol, found.sector, found.asset_class)


def benchmark_instrument(symbol: str) -> InstrumentFacts:
    """Return the benchmark's instrument; a symbol that is not listed is a 422."""
    try:
        return instrument(symbol)
    except (NotFound, ValidationFailed):
        raise ValidationFailed(
            f"{symbol!r} is not a listed instrument; choose a symbol such as SPY.",
            code="unknown_benchmark", details={"benchmark": symbol}) from None


# --- Bulk reads for the snapshot job ------------------------------------------------------------
#
# Stand-ins for set-based read functions the portfolios domain does not offer yet
# (asked for: `portfolios.service.books()`, `flows_since(after)` and
# `portfolios_with_facts_after(at)`). The job must read 10,000 portfolios in a few
# queries; the per-portfolio functions above would take one round trip each. These
# are read-only SELECTs over the ledger tables, kept here, in one place, until the
# portfolios domain exports equivalents; nothing else in analytics touches them.


@dataclass(frozen=True, slots=True)
class Book:
    """A portfolio's cached cash and current-generation quantities."""

    portfolio_id: int
    opened_at: datetime
    generation: int
    cash: Decimal
    quantities: dict[str, Decimal]


def books() -> list[Book]:
    """Return every active portfolio's cached cash and open quantities (two queries)."""
    rows = db.session.execute(
        select(Portfolio.id, Portfolio.created_at, Portfolio.generation, Portfolio.cash)
        .where(Portfolio.archived_at.is_(None)).order_by(Portfolio.id)).all()
    held: dict[int, dict[str, Decimal]] = {}
    for pid, symbol, qty in db.session.execute(
        select(Position.portfolio_id, Position.symbol, Position.qty)
        .join(Portfolio, Portfolio.id == Position.portfolio_id)
        .where(Portfolio.archived_at.is_(None), Position.generation == Portfolio.generation,
               Position.qty != 0)):
        held.setdefault(pid, {})[symbol] = qty
    return [Book(pid, opened, generation, cash, held.get(pid, {}))
            for pid, opened, generation, cash in rows]


def flows_since(after: datetime, until: datetime) -> dict[int, list[Flow]]:
    """Return every portfolio's external flows in (after, until], as `cash_flows` defines them."""
    found: dict[int, list[Flow]] = {}
    for pid, at, amount in db.session.execute(
        select(CashEntry.portfolio_id, CashEntry.created_at, CashEntry.amount)
        .where(CashEntry.kind == "deposit", CashEntry.created_at > after,
               CashEntry.created_at <= until)):
        found.setdefault(pid, []).append(Flow(at, amount, "deposit"))
    for pid, at, start, before in db.session.execute(
        select(PortfolioReset.portfolio_id, PortfolioReset.created_at, Portfolio.starting_cash,
               PortfolioReset.equity_before)
        .join(Portfolio, Portfolio.id == PortfolioReset.portfolio_id)
        .where(PortfolioReset.created_at > after, PortfolioReset.created_at <= until)):
        found.setdefault(pid, []).append(Flow(at, start - before, "reset"))
    return {pid: sorted(flows, key=lambda f: (f.at, f.kind)) for pid, flows in found.items()}


def portfolios_with_facts_after(at: datetime) -> set[int]:
    """Return the portfolios with a fill, cash entry or reset written after `at`."""
    query = union(select(Fill.portfolio_id).where(Fill.created_at > at),
                  select(CashEntry.portfolio_id).where(CashEntry.created_at > at),
                  select(PortfolioReset.portfolio_id).where(PortfolioReset.created_at > at))
    return {int(pid) for (pid,) in db.session.execute(query)}
