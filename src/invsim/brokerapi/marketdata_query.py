"""What a bot asks the Market Data API v2 for: Alpaca's query parameters, checked.

Alpaca's names and forms are accepted as the SDKs send them (`timeframe=1Min`,
`start=2025-03-04T14:30:00Z` or `2025-03-04`, `limit`, `sort`, ...). Anything
invsim cannot answer is a 422 in Alpaca's shape, before any price is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from invsim.core.clock import utcnow
from invsim.core.errors import ValidationFailed

Interval = Literal["1m", "5m", "15m", "1h", "1d", "1w"]
Sort = Literal["asc", "desc"]

DEFAULT_LIMIT = 1000
MAX_LIMIT = 10_000
MAX_SYMBOLS = 100
SUPPORTED = "1Min, 5Min, 15Min, 1Hour, 1Day, 1Week"
# Alpaca's units and their short forms (alpaca-py writes Min/Hour/Day/Week).
_UNITS = {"min": "Min", "t": "Min", "hour": "Hour", "h": "Hour", "day": "Day", "d": "Day",
          "week": "Week", "w": "Week", "month": "Month", "m": "Month"}
_INTERVALS: dict[tuple[int, str], Interval] = {
    (1, "Min"): "1m", (5, "Min"): "5m", (15, "Min"): "15m", (60, "Min"): "1h",
    (1, "Hour"): "1h", (1, "Day"): "1d", (1, "Week"): "1w",
}
_TIMEFRAME = re.compile(r"^(\d{1,3})([A-Za-z]+)$")
_SYMBOL = re.compile(r"^[A-Z0-9][A-Z0-9.\-]{0,11}$")
FEEDS = frozenset({"iex", "sip", "otc", "delayed_sip", "boats", "overnight"})
ADJUSTMENTS = frozenset({"raw", "split", "dividend", "spin-off", "all"})
DAY = timedelta(days=1)
_TICK = timedelta(microseconds=1)
# Instants a request may name (date arithmetic on the range never overflows inside them).
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
# When `start` is omitted: a span ending at `end` (the same spans as /api/v1/market/bars).
DEFAULT_SPAN: dict[Interval, timedelta] = {
    "1m": DAY, "5m": 5 * DAY, "15m": 10 * DAY, "1h": 30 * DAY, "1d": 366 * DAY,
    "1w": 5 * 366 * DAY,
}


@dataclass(frozen=True, slots=True)
class BarsQuery:
    """A bars request: the interval, the resolved range and how to page it."""

    interval: Interval
    start: datetime
    end: datetime
    limit: int
    sort: Sort
    page_token: str | None

    @property
    def empty(self) -> bool:
        """True when the range lies wholly in the future (no bar can start in it)."""
        return self.start > self.end


def invalid(message: str, code: str = "invalid_query") -> ValidationFailed:
    """The 422 of a bad query parameter."""
    return ValidationFailed(message, code=code)


def parse_timeframe(text: str | None) -> Interval:
    """Alpaca's `timeframe` (1Min, 5T, 1Hour, 1D, 1Week, ...) as a market interval."""
    if not text:
        raise invalid("timeframe is required", "invalid_timeframe")
    found = _TIMEFRAME.match(text.strip())
    unit = _UNITS.get(found.group(2).lower()) if found else None
    if found is None or unit is None:
        raise invalid(f"invalid timeframe {text[:16]!r}: use one of {SUPPORTED}",
                      "invalid_timeframe")
    interval = _INTERVALS.get((int(found.group(1)), unit))
    if interval is None:
        raise invalid(f"timeframe {text[:16]} is not supported: use one of {SUPPORTED}",
                      "unsupported_timeframe")
    return interval


def parse_instant(name: str, text: str | None, *, end_of_day: bool = False) -> datetime | None:
    """An RFC 3339 instant or a date (the day's first instant, or its last for `end`).

    An instant without an offset is taken as UTC; a '+' a URL turned into a space is
    put back (`...T14:30:00 00:00`). Years outside 1970-2199 are refused, so the range
    arithmetic never overflows.
    """
    if text is None or not text.strip():
        return None
    raw = text.strip()
    try:
        instant = _read_instant(raw, end_of_day=end_of_day)
    except (ValueError, OverflowError):
        instant = None
    if instant is None or not EARLIEST <= instant < LATEST:
        raise invalid(f"invalid {name} {raw[:40]!r}: use RFC 3339 or YYYY-MM-DD "
                      f"({EARLIEST.year} to {LATEST.year - 1})", f"invalid_{name}")
    return instant


def _read_instant(raw: str, *, end_of_day: bool) -> datetime:
    if len(raw) == 10:
        day = datetime.combine(date.fromisoformat(raw), time(), tzinfo=UTC)
        return day + DAY - _TICK if end_of_day else day
    value = datetime.fromisoformat(re.sub(r" (\d\d:\d\d)$", r"+\1", raw))
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def parse_limit(text: str | None) -> int:
    """`limit`: 1 to 10000 data points per page (1000 when omitted)."""
    if text is None or not text.strip():
        return DEFAULT_LIMIT
    if not text.strip().isdigit() or not 1 <= int(text) <= MAX_LIMIT:
        raise invalid(f"invalid limit {text[:16]!r}: 1 to {MAX_LIMIT}", "invalid_limit")
    return int(text)


def parse_sort(text: str | None) -> Sort:
    """`sort`: asc (the default) or desc, by time within each symbol."""
    value = (text or "asc").strip().lower()
    if value == "asc":
        return "asc"
    if value == "desc":
        return "desc"
    raise invalid(f"invalid sort {text!r}: asc or desc", "invalid_sort")


def check_ignored(args: dict[str, str]) -> None:
    """Validate the parameters that change nothing here (one feed, no corporate actions)."""
    feed = args.get("feed")
    if feed and feed.strip().lower() not in FEEDS:
        raise invalid(f"invalid feed {feed[:16]!r}", "invalid_feed")
    adjustment = args.get("adjustment")
    if adjustment and not set(adjustment.strip().lower().split(",")) <= ADJUSTMENTS:
        raise invalid(f"invalid adjustment {adjustment[:32]!r}", "invalid_adjustment")
    currency = args.get("currency")
    if currency and currency.strip().upper() != "USD":
        raise invalid("only USD prices are available", "unsupported_currency")
    parse_instant("asof", args.get("asof"))


def parse_bars_query(args: dict[str, str]) -> BarsQuery:
    """Every parameter of a bars request, with the range resolved once (pages share it)."""
    check_ignored(args)
    interval = parse_timeframe(args.get("timeframe"))
    now = utcnow()
    asked_end = parse_instant("end", args.get("end"), end_of_day=True)
    end = asked_end or now
    start = parse_instant("start", args.get("start")) or min(end, now) - DEFAULT_SPAN[interval]
    if asked_end is not None and start > asked_end:
        raise invalid("end should not be before start", "invalid_range")
    token = (args.get("page_token") or "").strip() or None
    return BarsQuery(interval=interval, start=start, end=min(end, now),
                     limit=parse_limit(args.get("limit")), sort=parse_sort(args.get("sort")),
                     page_token=token)


def parse_symbol(text: str) -> str:
    """One symbol, upper-cased; anything but letters, digits, dot and dash is a 422."""
    symbol = text.strip().upper()
    if not _SYMBOL.match(symbol):
        raise invalid(f"invalid symbol {text[:16]!r}", "invalid_symbol")
    return symbol


def parse_symbols(text: str | None) -> list[str]:
    """`symbols=AAPL,MSFT`: sorted and deduplicated (Alpaca answers them by symbol)."""
    parts = [part for part in (text or "").split(",") if part.strip()]
    if not parts:
        raise invalid("symbols is required", "no_symbols")
    if len(parts) > MAX_SYMBOLS:
        raise invalid(f"at most {MAX_SYMBOLS} symbols per request", "too_many_symbols")
    return sorted({parse_symbol(part) for part in parts})
