"""A portfolio's equity series: stored snapshots first, the ledger for whatever is missing.

The daily series has one point per trading session: the opening (starting
cash), every session close, and a live point while a session is in progress.
A close the snapshot job stored is read back; a close it missed (or that came
before the portfolio was ever snapshotted) is rebuilt from the ledger and the
daily closes, so a gap is filled in, never left out. Reading never writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from invsim.analytics import sources, store
from invsim.analytics.history import (
    EquityPoint,
    Flow,
    PriceBook,
    close_prices,
    market_values,
    rebuild_points,
)
from invsim.analytics.sessions import (
    CLOSE,
    INCEPTION,
    LIVE,
    Observation,
    daily_observations,
    inception_day,
)
from invsim.analytics.sources import PortfolioFacts
from invsim.core.money import ZERO, money

# Longer than any run of exchange holidays: a window this much earlier holds a close.
LOOKBACK = timedelta(days=10)
INTRADAY = "intraday"
_TICK = timedelta(microseconds=1)


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    """One point of an equity series; `net_cash_flow` arrived since the previous point."""

    day: date
    at: datetime
    kind: str
    cash: Decimal
    long_market_value: Decimal
    short_market_value: Decimal
    equity: Decimal
    net_cash_flow: Decimal


def opening_day(portfolio: PortfolioFacts) -> date:
    """Return the session the portfolio's opening is dated to (the close before it opened)."""
    opened = portfolio.opened_at
    return inception_day(opened, sources.sessions(opened.date() - LOOKBACK, opened.date()))


def daily_points(
    portfolio: PortfolioFacts, first: date, last: date, now: datetime
) -> list[SeriesPoint]:
    """Return the daily points measuring [first, last]: the base on or before `first` onwards."""
    opening = opening_day(portfolio)
    window = max(opening, first - LOOKBACK)
    if last < opening:
        return []
    plan = daily_observations(portfolio.opened_at, opening if opening >= window else None,
                              sources.sessions(window, min(last, now.date())), now)
    valued = _value(portfolio, plan, now)
    points = with_flows(plan, valued, _flows(portfolio, plan, now))
    base = max((i for i, p in enumerate(points) if p.day <= first), default=0)
    return [p for p in points[base:] if p.day <= last]


def _value(portfolio: PortfolioFacts, plan: Sequence[Observation],
           now: datetime) -> list[EquityPoint]:
    """Value every observation: opening cash, stored or rebuilt closes, the live book."""
    closes = [o for o in plan if o.kind == CLOSE]
    stored = {p.at: p for p in store.stored_points(
        portfolio.id, CLOSE, closes[0].at, closes[-1].at)} if closes else {}
    missing = [o for o in closes if o.at not in stored]
    rebuilt = {p.at: p for p in rebuild_closes(portfolio, missing, now)} if missing else {}
    valued = []
    for observation in plan:
        if observation.kind == INCEPTION:
            valued.append(opening_point(portfolio))
        elif observation.kind == LIVE:
            valued.append(live_point(portfolio, now))
        else:
            valued.append(stored.get(observation.at) or rebuilt[observation.at])
    return valued


def opening_point(portfolio: PortfolioFacts) -> EquityPoint:
    """Return the portfolio as it opened: all starting cash."""
    cash = portfolio.starting_cash
    return EquityPoint(portfolio.opened_at, 0, cash, ZERO, ZERO, cash, ZERO)


def live_point(portfolio: PortfolioFacts, now: datetime) -> EquityPoint:
    """Value the current book (cached cash and positions) at the latest prices.

    The positions come valued by portfolios' one rule (a symbol without a quote at
    its last fill), so the live point is the account summary's equity.
    """
    positions = sources.position_values(portfolio)
    prices = {p.symbol: p.current_price for p in positions}
    long_value, short_value = market_values({p.symbol: p.qty for p in positions}, prices)
    cash = portfolio.cash
    return EquityPoint(now, portfolio.generation, cash, long_value, short_value,
                       cash + long_value - short_value, ZERO)


def rebuild_closes(portfolio: PortfolioFacts, closes: Sequence[Observation],
                   now: datetime) -> list[EquityPoint]:
    """Rebuild the given session closes from the ledger and the daily closes."""
    ledger = sources.ledger(portfolio, now)
    days = [o.day for o in closes]
    book = PriceBook.of(sources.closes_of(ledger.symbols(), days[0] - LOOKBACK, days[-1]))
    prices = close_prices(book, days, ledger.symbols())
    return rebuild_points(ledger, [o.at for o in closes], prices)


def _flows(portfolio: PortfolioFacts, plan: Sequence[Observation], now: datetime) -> list[Flow]:
    """Read the external flows that can fall between the planned points."""
    if len(plan) < 2:
        return []
    return sources.external_flows(portfolio.id, plan[0].at, now + _TICK)


def with_flows(plan: Sequence[Observation], valued: Sequence[EquityPoint],
               flows: Sequence[Flow]) -> list[SeriesPoint]:
    """Attach to each point the flows since the previous one (the first point is the base)."""
    points, pending = [], 0
    for index, (observation, point) in enumerate(zip(plan, valued, strict=True)):
        flow = ZERO
        while pending < len(flows) and flows[pending].at <= observation.at:
            flow += flows[pending].amount if index else ZERO  # before the base: inside it
            pending += 1
        points.append(SeriesPoint(observation.day, observation.at, observation.kind, point.cash,
                                  point.long_market_value, point.short_market_value,
                                  point.equity, money(flow)))
    return points


def intraday_points(
    portfolio: PortfolioFacts, start: datetime, end: datetime, step: timedelta, now: datetime
) -> list[SeriesPoint]:
    """Return the base (last daily point at or before `start`) and samples up to `end`.

    Samples are the job's intraday snapshots, the session closes and the live
    point, thinned to the last one in each `step` bucket.
    """
    daily = daily_points(portfolio, (start - timedelta(days=1)).date(), end.date(), now)
    before = [p for p in daily if p.at <= start]
    if not before:
        before = daily[:1]
    if not before:
        return []
    base = before[-1]
    later = [p for p in daily if base.at < p.at <= end]
    samples = store.stored_points(portfolio.id, INTRADAY, base.at + _TICK, end)
    plan = [Observation(base.day, base.at, base.kind)]
    valued = [EquityPoint(base.at, 0, base.cash, base.long_market_value,
                          base.short_market_value, base.equity, ZERO)]
    merged = sorted([(p.at, Observation(p.day, p.at, p.kind), _plain(p)) for p in later]
                    + [(s.at, Observation(s.at.date(), s.at, INTRADAY), s) for s in samples],
                    key=lambda item: item[0])
    for _, observation, point in thin(merged, step):
        plan.append(observation)
        valued.append(point)
    return with_flows(plan, valued, _flows(portfolio, plan, now))


def _plain(point: SeriesPoint) -> EquityPoint:
    """Turn a series point back into a valued point."""
    return EquityPoint(point.at, 0, point.cash, point.long_market_value,
                       point.short_market_value, point.equity, ZERO)


def thin(
    items: Sequence[tuple[datetime, Observation, EquityPoint]], step: timedelta
) -> list[tuple[datetime, Observation, EquityPoint]]:
    """Keep the last item of each `step`-long bucket of time (items sorted by time)."""
    seconds = int(step.total_seconds())
    kept: dict[int, tuple[datetime, Observation, EquityPoint]] = {}
    for item in items:
        kept[int(item[0].timestamp()) // seconds] = item
    return [kept[key] for key in sorted(kept)]

