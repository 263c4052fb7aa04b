"""The snapshot job's use-case: intraday samples while the market is open, and session closes.

Set-based: one read of every active portfolio's cash and positions, one quote
request for every symbol held, one bulk upsert. A portfolio that traded after
the snapshot's instant is rebuilt at that instant from its ledger instead, so
every snapshot is the book *as of its `at`*. Idempotent: intraday samples are
stamped with the start of their interval and closes with the session's close,
and an existing (portfolio, kind, at) is kept, so a second run — or a second
worker at the same time — writes nothing new.

Closes are valued at the session's daily closing prices (the market's daily
bars); the last `CLOSE_LOOKBACK_SESSIONS` sessions are checked on every run,
so a close the job missed (down for a day) is filled in when it runs again.
Older gaps are rebuilt when read (`analytics.series`) and can be stored with
`rebuild_close_snapshots`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy.orm import Session as DbSession

from invsim.analytics import sources, store
from invsim.analytics.history import (
    EquityPoint,
    Flow,
    Holdings,
    PriceBook,
    flows_between,
    market_values,
)
from invsim.analytics.series import rebuild_closes
from invsim.analytics.sessions import Session, current, daily_observations
from invsim.core.clock import utcnow
from invsim.extensions import db

CLOSE_LOOKBACK_SESSIONS = 5
LOOKBACK = timedelta(days=14)
# Intraday samples are kept as long as the longest intraday history a request may ask for.
INTRADAY_RETENTION = timedelta(days=32)
INTRADAY, CLOSE = "intraday", "close"

PriceSource = Callable[[set[str]], Mapping[str, Decimal]]


@dataclass(frozen=True, slots=True)
class SnapshotReport:
    """What one run wrote: intraday samples at `intraday_at`, closes per session instant."""

    intraday_at: datetime | None
    intraday: int
    closes: dict[datetime, int]
    unpriced: int  # portfolios skipped because a holding had no price at all


def interval_start(now: datetime, seconds: int, session: Session) -> datetime:
    """Return the start of the snapshot interval containing `now` (not before the open)."""
    epoch = int(now.timestamp())
    start = datetime.fromtimestamp(epoch - epoch % seconds, now.tzinfo)
    return max(start, session.open_at)


def record_snapshots(now: datetime | None = None) -> SnapshotReport:
    """Write this interval's intraday snapshots and any missing recent closes (one transaction)."""
    now = now or utcnow()
    recent = sources.sessions((now - LOOKBACK).date(), now.date())
    with db.transaction() as session:
        books = sources.books()
        intraday_at, intraday, unpriced = _record_intraday(session, current(recent, now), now,
                                                           books)
        closes: dict[datetime, int] = {}
        closed = [s for s in recent if s.close_at <= now][-CLOSE_LOOKBACK_SESSIONS:]
        daily = DailyCloses((now - 2 * LOOKBACK).date(), now.date())
        for index, day in enumerate(closed):
            previous = closed[index - 1].close_at if index else None
            written, skipped = _write_closes(session, day, books, previous, daily)
            closes[day.close_at] = written
            unpriced += skipped
        store.prune(session, INTRADAY, now - INTRADAY_RETENTION)
    return SnapshotReport(intraday_at, intraday, closes, unpriced)


def _record_intraday(session: DbSession, open_session: Session | None, now: datetime,
                     books: Sequence[sources.Book]) -> tuple[datetime | None, int, int]:
    """Write the current interval's samples of the portfolios that lack one."""
    if open_session is None:
        return None, 0, 0
    seconds = current_app.config["INVSIM_SETTINGS"].snapshot_interval_seconds
    at = interval_start(now, seconds, open_session)
    done = set(store.taken_at(session, INTRADAY, at))
    wanted = [b for b in books if b.portfolio_id not in done]
    written, unpriced = _write(session, INTRADAY, at, wanted, sources.last_prices, None)
    return at, written, unpriced


class DailyCloses:
    """The daily closes of a span of sessions, read once per symbol for a whole run."""

    def __init__(self, first: date, last: date) -> None:
        self.first, self.last = first, last
        self.book = PriceBook()

    def on(self, day: date) -> PriceSource:
        """Return a price source giving each symbol's close on `day`."""
        def prices(symbols: set[str]) -> Mapping[str, Decimal]:
            missing = symbols - set(self.book.closes)
            if missing:
                found = sources.closes_of(missing, self.first, self.last)
                self.book.closes.update(PriceBook.of(found).closes)
            priced = {s: self.book.price_on(s, day) for s in symbols}
            return {s: p for s, p in priced.items() if p is not None}

        return prices


def _write_closes(session: DbSession, day: Session, books: Sequence[sources.Book],
                  previous_close: datetime | None, daily: DailyCloses) -> tuple[int, int]:
    """Write the closes of one session that are missing for portfolios open by then."""
    done = set(store.taken_at(session, CLOSE, day.close_at))
    wanted = [b for b in books if b.portfolio_id not in done and b.opened_at < day.close_at]
    if not wanted:
        return 0, 0
    return _write(session, CLOSE, day.close_at, wanted, daily.on(day.day), previous_close)


def books_at(at: datetime, books: Sequence[sources.Book]) -> dict[int, Holdings]:
    """Return each portfolio's book as of `at` (rebuilt from the ledger if it moved since)."""
    moved = sources.portfolios_with_facts_after(at)
    found: dict[int, Holdings] = {}
    for book in books:
        if book.opened_at > at:
            continue
        if book.portfolio_id not in moved:
            found[book.portfolio_id] = Holdings(at, book.generation, book.cash, book.quantities)
            continue
        rebuilt = sources.holdings_at(book.portfolio_id, at)
        if rebuilt is not None:
            found[book.portfolio_id] = rebuilt
    return found


def _flow_starts(kind: str, at: datetime, books: Sequence[sources.Book],
                 held: Mapping[int, Holdings], previous_close: datetime | None
                 ) -> dict[int, datetime]:
    """Return, per portfolio, the instant after which flows count for this snapshot.

    A close counts the flows since the previous session's close; an intraday
    sample those since the portfolio's previous intraday sample. Either way no
    earlier than the portfolio's opening.
    """
    opened = {b.portfolio_id: b.opened_at for b in books if b.portfolio_id in held}
    if kind == CLOSE:
        return {pid: max(previous_close, opening) if previous_close else opening
                for pid, opening in opened.items()}
    last = store.latest_before(INTRADAY, at, since=at - INTRADAY_RETENTION)
    return {pid: max(last.get(pid, opening), opening) for pid, opening in opened.items()}


def _point(holdings: Holdings, prices: Mapping[str, Decimal], flows: Sequence[Flow],
           since: datetime) -> EquityPoint:
    """Value one book and attach the flows booked in (since, at]."""
    long_value, short_value = market_values(holdings.quantities, prices)
    return EquityPoint(holdings.at, holdings.generation, holdings.cash, long_value, short_value,
                       holdings.cash + long_value - short_value,
                       flows_between(flows, since, holdings.at))


def _write(session: DbSession, kind: str, at: datetime, books: Sequence[sources.Book],
           prices_for: PriceSource, previous: datetime | None) -> tuple[int, int]:
    """Value every book at `at` and upsert the snapshots; return (written, unpriced)."""
    held = books_at(at, books)
    if not held:
        return 0, 0
    prices = prices_for({s for h in held.values() for s in h.quantities})
    since = _flow_starts(kind, at, books, held, previous)
    flows = sources.flows_since(min(since.values()), at)
    # Portfolios' one valuation rule: a symbol without a price is valued at the
    # portfolio's own last fill in it (skipped only if it has none at all).
    missing = {s for h in held.values() for s in h.quantities if s not in prices}
    fills = sources.last_fill_prices(((pid, h.generation) for pid, h in held.items()),
                                     missing, at) if missing else {}
    rows, unpriced = [], 0
    for pid, holdings in held.items():
        spare = fills.get(pid, {})
        if any(s not in prices and s not in spare for s in holdings.quantities):
            unpriced += 1
            continue
        used = {**spare, **prices} if spare else prices
        point = _point(holdings, used, flows.get(pid, []), since[pid])
        rows.append(store.row_of(pid, kind, point, "quotes" if kind == INTRADAY else "ledger"))
    return store.upsert(session, rows), unpriced


def rebuild_close_snapshots(*, owner_id: int, portfolio_id: int,
                            now: datetime | None = None) -> int:
    """Rebuild every session close of a portfolio from its ledger and store it (a repair)."""
    now = now or utcnow()
    portfolio = sources.owned_portfolio(owner_id, portfolio_id)
    plan = daily_observations(portfolio.opened_at, None,
                              sources.sessions(portfolio.opened_at.date(), now.date()), now)
    closes = [o for o in plan if o.kind == CLOSE]
    if not closes:
        return 0
    points = rebuild_closes(portfolio, closes, now)
    with db.transaction() as session:
        rows = [store.row_of(portfolio.id, CLOSE, point, "ledger") for point in points]
        return store.upsert(session, rows, replace=True)
