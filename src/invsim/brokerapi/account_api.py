"""Alpaca's Trading API v2, the rest: calendar, activities, portfolio history, watchlists."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Response, request

from invsim.analytics import service as analytics
from invsim.brokerapi import wire
from invsim.brokerapi.auth import caller
from invsim.brokerapi.blueprint import bp
from invsim.brokerapi.ids import Kind, decode
from invsim.brokerapi.requests import (
    ActivitiesQuery,
    CalendarQuery,
    HistoryQuery,
    SymbolBody,
    WatchlistBody,
    parse,
)
from invsim.brokerapi.trading_api import ok
from invsim.core import money as m
from invsim.core.clock import utcnow
from invsim.core.errors import NotFound, ValidationFailed
from invsim.market import service as market
from invsim.trading import service as trading
from invsim.trading.service import Activity

NEW_YORK = ZoneInfo("America/New_York")

# invsim's activity kinds as Alpaca's activity types
ACTIVITY_TYPES = {"fill": "FILL", "liquidation": "FILL", "deposit": "CSD", "interest": "INT",
                  "commission": "FEE", "reset": "JNLC", "trade": "TRANS", "dividend": "DIV",
                  "dividend_charge": "DIV"}
# Alpaca's history timeframes onto the ones invsim samples
HISTORY_TIMEFRAMES = {"1Min": "5Min", "5Min": "5Min", "15Min": "5Min", "1H": "1H", "1D": "1D"}
HISTORY_PERIODS = {"1D": "1D", "7D": "1W", "1W": "1W", "1M": "1M", "3M": "3M", "6M": "6M",
                   "1A": "1Y", "12M": "1Y", "1Y": "1Y", "YTD": "YTD", "ALL": "ALL"}


@bp.get("/v2/calendar")
def get_calendar() -> Response:
    """Trading days with their open and close in New York time (Alpaca's calendar)."""
    query = parse(CalendarQuery, request.args.to_dict())
    today = utcnow().date()
    start = query.start or today
    end = query.end or start + timedelta(days=30)
    if end < start:
        raise ValidationFailed("end must not be before start", code="invalid_range")
    sessions = market.trading_sessions(start, end)
    return ok([wire.calendar_day(s, lambda at: at.astimezone(NEW_YORK)) for s in sessions])


# --- activities ----------------------------------------------------------------------------

def _stamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y%m%d%H%M%S") + f"{at.microsecond // 1000:03d}"


def activity_json(activity: Activity, orders: dict[int, Any]) -> dict[str, Any]:
    """One activity as Alpaca's trade (FILL) or non-trade activity."""
    ident = f"{_stamp(activity.occurred_at)}::{trading.cursor_after(activity)}"
    kind = ACTIVITY_TYPES.get(activity.activity_type, "MISC")
    base = {"id": ident, "account_id": wire.account_id(caller().portfolio.id),
            "activity_type": kind}
    if kind == "FILL" and activity.order_id is not None:
        order = orders.get(activity.order_id)
        cum = order.filled_qty if order is not None else activity.qty
        leaves = (order.qty - order.filled_qty) if order is not None and order.qty else m.ZERO
        return {**base, "transaction_time": wire.iso(activity.occurred_at),
                "type": "fill" if leaves == 0 else "partial_fill",
                "price": wire.number(activity.price), "qty": wire.number(activity.qty),
                "side": activity.side, "symbol": activity.symbol,
                "leaves_qty": wire.number(leaves), "cum_qty": wire.number(cum),
                "order_id": wire.order_id(activity.order_id),
                "order_status": order.status if order is not None else "filled"}
    return {**base, "date": activity.occurred_at.date().isoformat(),
            "net_amount": wire.money(activity.net_amount),
            "description": activity.description or activity.activity_type,
            "status": "executed", "symbol": activity.symbol,
            "qty": wire.number(activity.qty), "per_share_amount": None}


def _wanted_types(query: ActivitiesQuery, path_type: str | None) -> set[str] | None:
    named = path_type or query.activity_type or query.activity_types
    if not named:
        if query.category == "trade_activity":
            return {"FILL"}
        return None
    return {t.strip().upper() for t in named.split(",") if t.strip()}


def _page_token(query: ActivitiesQuery) -> str | None:
    if not query.page_token:
        return None
    _, _, cursor = query.page_token.partition("::")
    return cursor or query.page_token


def _activities(path_type: str | None) -> Response:
    query = parse(ActivitiesQuery, request.args.to_dict())
    wanted = _wanted_types(query, path_type)
    portfolio = caller().portfolio
    page = trading.list_activities(portfolio, cursor=_page_token(query),
                                   limit=query.page_size)
    items = [a for a in page.items
             if wanted is None or ACTIVITY_TYPES.get(a.activity_type, "MISC") in wanted]
    if query.after is not None:
        items = [a for a in items if a.occurred_at > query.after]
    if query.until is not None:
        items = [a for a in items if a.occurred_at <= query.until]
    if query.date is not None:
        day = query.date.date() if isinstance(query.date, datetime) else query.date
        items = [a for a in items if a.occurred_at.date() == day]
    order_ids = {a.order_id for a in items if a.order_id is not None}
    orders = {o.id: o for o in trading.list_orders(portfolio=portfolio, status="all",
                                                   limit=500)
              if o.id in order_ids}
    found = [activity_json(a, orders) for a in items]
    if query.direction == "asc":
        found.reverse()
    return ok(found)


@bp.get("/v2/account/activities")
def list_activities() -> Response:
    """Fills and cash movements, newest first, a page at a time (`page_token` = last id)."""
    return _activities(None)


@bp.get("/v2/account/activities/<activity_type>")
def list_activities_of_type(activity_type: str) -> Response:
    """The activities of one type (FILL, CSD, INT, FEE, ...)."""
    return _activities(activity_type)


# --- portfolio history ---------------------------------------------------------------------

def _history_window(query: HistoryQuery) -> tuple[str | None, str | None, datetime | None,
                                                  datetime | None]:
    period = HISTORY_PERIODS.get((query.period or "").upper()) if query.period else None
    if query.period and period is None:
        raise ValidationFailed(f"period {query.period!r} is not one of "
                               f"{', '.join(HISTORY_PERIODS)}", code="invalid_period")
    timeframe = HISTORY_TIMEFRAMES.get(query.timeframe or "") if query.timeframe else None
    if query.timeframe and timeframe is None:
        raise ValidationFailed(f"timeframe {query.timeframe!r} is not one of "
                               f"{', '.join(HISTORY_TIMEFRAMES)}", code="invalid_timeframe")
    end = query.end
    if query.date_end is not None and end is None:
        end = datetime.combine(query.date_end, time(23, 59, 59), tzinfo=UTC)
    start = query.start
    if start is None and end is not None and period is None:
        period = "1M"
    if start is not None or end is not None:
        period = None if start is not None else period
    return period, timeframe, start, end


@bp.get("/v2/account/portfolio/history")
def portfolio_history() -> Response:
    """The equity curve in Alpaca's shape (numbers, as Alpaca sends them here)."""
    query = parse(HistoryQuery, request.args.to_dict())
    period, timeframe, start, end = _history_window(query)
    if period is None and start is None and end is None:
        period = "1M"
    history = analytics.portfolio_history(
        owner_id=caller().owner_id, portfolio_id=caller().portfolio.id, period=period,
        timeframe=timeframe, start=start, end=end)
    arrays = history.arrays
    return ok({
        "timestamp": arrays.timestamp,
        "equity": [float(v) for v in arrays.equity],
        "profit_loss": [float(v) for v in arrays.profit_loss],
        "profit_loss_pct": [None if v is None else float(v) for v in arrays.profit_loss_pct],
        "base_value": None if arrays.base_value is None else float(arrays.base_value),
        "base_value_asof": history.start.date().isoformat(),
        "timeframe": history.timeframe,
        "cashflow": {},
    })


# --- watchlists ----------------------------------------------------------------------------

def _watchlist_json(row: Any) -> dict[str, Any]:
    symbols = [item.symbol for item in row.items]
    instruments = {i.symbol: i for i in market.list_instruments()}
    return wire.watchlist(row, caller().portfolio.id, instruments, symbols)


def _own_watchlist(text: str) -> Any:
    number = decode(Kind.WATCHLIST, text)
    if number is None:
        raise NotFound("watchlist not found", code="watchlist_not_found")
    return market.get_watchlist(user_id=caller().owner_id, watchlist_id=number)


def _by_name(name: str) -> Any:
    for row in market.list_watchlists(user_id=caller().owner_id):
        if row.name == name:
            return row
    raise NotFound("watchlist not found", code="watchlist_not_found")


@bp.get("/v2/watchlists")
def list_watchlists() -> Response:
    """The key owner's watchlists (invsim keeps watchlists per user, shared by portfolios)."""
    return ok([_watchlist_json(w) for w in market.list_watchlists(user_id=caller().owner_id)])


@bp.post("/v2/watchlists")
def create_watchlist() -> Response:
    """Create a watchlist with a name and symbols."""
    body = parse(WatchlistBody, request.get_json(silent=True) or {})
    if not body.name:
        raise ValidationFailed("name is required", code="validation_error")
    row = market.create_watchlist(user_id=caller().owner_id, name=body.name,
                                  symbols=body.symbols)
    return ok(_watchlist_json(row))


@bp.get("/v2/watchlists/<watchlist_id>")
def get_watchlist(watchlist_id: str) -> Response:
    """One watchlist by id."""
    return ok(_watchlist_json(_own_watchlist(watchlist_id)))


@bp.get("/v2/watchlists:by_name")
def get_watchlist_by_name() -> Response:
    """One watchlist by name."""
    return ok(_watchlist_json(_by_name(request.args.get("name", ""))))


def _update(row: Any, body: WatchlistBody) -> Any:
    if body.name and body.name != row.name:
        row = market.rename_watchlist(user_id=caller().owner_id, watchlist_id=row.id,
                                      name=body.name)
    if body.symbols is not None:
        wanted = [trading.normalise_symbol(s) for s in body.symbols]
        for symbol in [i.symbol for i in row.items if i.symbol not in wanted]:
            row = market.remove_symbol(user_id=caller().owner_id, watchlist_id=row.id,
                                       symbol=symbol)
        present = {i.symbol for i in row.items}
        for symbol in [s for s in wanted if s not in present]:
            row = market.add_symbol(user_id=caller().owner_id, watchlist_id=row.id,
                                    symbol=symbol)
    return row


@bp.put("/v2/watchlists/<watchlist_id>")
def update_watchlist(watchlist_id: str) -> Response:
    """Rename a watchlist and/or replace its symbols."""
    body = parse(WatchlistBody, request.get_json(silent=True) or {})
    return ok(_watchlist_json(_update(_own_watchlist(watchlist_id), body)))


@bp.post("/v2/watchlists/<watchlist_id>")
def add_to_watchlist(watchlist_id: str) -> Response:
    """Add one symbol."""
    body = parse(SymbolBody, request.get_json(silent=True) or {})
    row = _own_watchlist(watchlist_id)
    return ok(_watchlist_json(market.add_symbol(user_id=caller().owner_id,
                                                watchlist_id=row.id, symbol=body.symbol)))


@bp.delete("/v2/watchlists/<watchlist_id>/<symbol>")
def remove_from_watchlist(watchlist_id: str, symbol: str) -> Response:
    """Remove one symbol."""
    row = _own_watchlist(watchlist_id)
    return ok(_watchlist_json(market.remove_symbol(user_id=caller().owner_id,
                                                   watchlist_id=row.id, symbol=symbol)))


@bp.delete("/v2/watchlists/<watchlist_id>")
def delete_watchlist(watchlist_id: str) -> Response:
    """Delete a watchlist: 204."""
    row = _own_watchlist(watchlist_id)
    market.delete_watchlist(user_id=caller().owner_id, watchlist_id=row.id)
    return Response(status=204)


