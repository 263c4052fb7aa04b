"""Price history: OHLCV bars of any interval, oldest first, in pages with an opaque token.

Simulated bars are computed on demand (no database). Real-provider bars are stored with an
upsert when fetched within the budget, and read back from the database.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from invsim.core.clock import ensure_utc, utcnow
from invsim.core.errors import ServiceUnavailable, ValidationFailed
from invsim.market.bar_store import read_bars
from invsim.market.corporate_actions import adjusted_bars
from invsim.market.fetch import fetcher
from invsim.market.instruments import require_known
from invsim.market.provider import get_provider, is_simulated
from invsim.market.providers.base import INTERVALS, Bar, Interval
from invsim.market.symbols import normalise_symbol
from invsim.market.weekly import weekly_bars

DEFAULT_LIMIT = 1000
MAX_LIMIT = 5000
DAY = timedelta(days=1)
STEP: dict[str, timedelta] = {
    "1m": timedelta(minutes=1), "5m": timedelta(minutes=5), "15m": timedelta(minutes=15),
    "1h": timedelta(hours=1), "1d": DAY, "1w": 7 * DAY,
}
# A request spans at most this much time (paginated within it); longer is a 422.
MAX_RANGE: dict[str, timedelta] = {
    "1m": 7 * DAY, "5m": 45 * DAY, "15m": 45 * DAY, "1h": 90 * DAY,
    "1d": 366 * 30 * DAY, "1w": 366 * 30 * DAY,
}
DEFAULT_RANGE: dict[str, timedelta] = {
    "1m": DAY, "5m": 5 * DAY, "15m": 10 * DAY, "1h": 30 * DAY, "1d": 366 * DAY,
    "1w": 5 * 366 * DAY,
}
_TICK = timedelta(microseconds=1)

BarSource = Callable[[str, Interval, datetime, datetime], list[Bar]]


@dataclass(frozen=True, slots=True)
class BarsPage:
    """One page of bars, oldest first; `next_page_token` is None on the last page."""

    symbol: str
    interval: Interval
    bars: list[Bar]
    next_page_token: str | None


@dataclass(frozen=True, slots=True)
class _Range:
    """Where a page starts and where the whole request ends."""

    cursor: datetime
    end: datetime


def get_bars(symbol: str, interval: str, start: datetime | None = None,
             end: datetime | None = None, limit: int = DEFAULT_LIMIT,
             page_token: str | None = None, adjusted: bool = False) -> BarsPage:
    """Return up to `limit` bars of `symbol` starting in [start, end], oldest first.

    Bars are as traded (unadjusted) unless `adjusted`: then back-adjusted for the
    dividends and splits gone ex by today (`corporate_actions.adjusted_bars`).
    """
    normalised = normalise_symbol(symbol)
    checked = check_interval(interval)
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationFailed(f"The limit is 1 to {MAX_LIMIT}.", code="invalid_limit",
                               details={"maximum": MAX_LIMIT})
    require_known([normalised])
    span = (_decode_token(page_token, normalised, checked) if page_token
            else _request_range(checked, start, end))
    bars = _collect(bar_source(), normalised, checked, span, limit)
    token = _encode_token(normalised, checked, bars[limit].start, span.end) \
        if len(bars) > limit else None
    page = bars[:limit]
    if adjusted:
        page = adjusted_bars(normalised, page, bar_source())
    return BarsPage(symbol=normalised, interval=checked, bars=page, next_page_token=token)


def latest_bar(symbol: str, interval: str = "1m") -> Bar | None:
    """Return the bar in progress, or the last completed one, of `symbol` (None if none)."""
    normalised, checked = normalise_symbol(symbol), check_interval(interval)
    require_known([normalised])
    now, source = utcnow(), (get_provider().bars if is_simulated() else read_bars)
    for lookback in (2 * STEP[checked], 4 * DAY, 16 * DAY, 40 * DAY):
        bars = [bar for bar in source(normalised, checked, now - lookback, now)
                if bar.start <= now]
        if bars:
            return bars[-1]
    return None


def check_interval(interval: str) -> Interval:
    """Return `interval` if it is one of 1m, 5m, 15m, 1h, 1d, 1w; else a 422."""
    for known in INTERVALS:
        if interval == known:
            return known
    raise ValidationFailed(f"The interval is one of {', '.join(INTERVALS)}.",
                           code="invalid_interval", details={"intervals": list(INTERVALS)})


def bar_source() -> BarSource:
    """Return where bars come from: the simulated provider, or the stored real bars."""
    return get_provider().bars if is_simulated() else _real_bars


def _request_range(interval: Interval, start: datetime | None,
                   end: datetime | None) -> _Range:
    """Validate the requested range; the end never lies in the future."""
    now = utcnow()
    end = ensure_utc(end) if end else now
    start = ensure_utc(start) if start else min(end, now) - DEFAULT_RANGE[interval]
    if start > end:
        raise ValidationFailed("start must not be after end.", code="invalid_range",
                               details={"start": start.isoformat(), "end": end.isoformat()})
    end = min(end, now)
    if end - start > MAX_RANGE[interval]:
        raise ValidationFailed(
            f"A request for {interval} bars spans at most {MAX_RANGE[interval].days} days; "
            "ask for several ranges.", code="range_too_large",
            details={"max_days": MAX_RANGE[interval].days})
    return _Range(cursor=start, end=end)


def _collect(source: BarSource, symbol: str, interval: Interval, span: _Range,
             limit: int) -> list[Bar]:
    """Read windows from the cursor until `limit + 1` bars or the end of the range."""
    window = STEP[interval] * (limit + 1) * 2
    bars: list[Bar] = []
    cursor = span.cursor
    while cursor <= span.end and len(bars) <= limit:
        upper = min(span.end, cursor + window)
        bars += [bar for bar in source(symbol, interval, cursor, upper)
                 if cursor <= bar.start <= upper]
        cursor = upper + _TICK
    return bars


def _real_bars(symbol: str, interval: Interval, start: datetime, end: datetime) -> list[Bar]:
    """Read stored real bars, fetching the missing recent ones within the budget first."""
    fetch = fetcher()
    stored: Interval = "1d" if interval == "1w" else interval
    fetch.ensure_bars(symbol, stored)
    if interval == "1w":
        return [bar for bar in weekly_bars(read_bars(symbol, "1d", start - 7 * DAY, end))
                if bar.start >= start]
    bars = read_bars(symbol, interval, start, end)
    if not bars and fetch.not_entitled(stored):
        raise ServiceUnavailable(
            f"The market-data plan does not include {interval} bars.",
            code="interval_unavailable", details={"interval": interval})
    return bars


def _encode_token(symbol: str, interval: Interval, cursor: datetime, end: datetime) -> str:
    """Pack where the next page starts into an opaque, URL-safe token."""
    payload = {"s": symbol, "i": interval, "c": cursor.timestamp(), "e": end.timestamp()}
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_token(token: str, symbol: str, interval: Interval) -> _Range:
    """Unpack a page token issued for this symbol and interval; anything else is a 422."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        payload = json.loads(raw)
        cursor = datetime.fromtimestamp(float(payload["c"]), UTC)
        end = datetime.fromtimestamp(float(payload["e"]), UTC)
        matches = payload["s"] == symbol and payload["i"] == interval
    except (binascii.Error, ValueError, KeyError, TypeError, OverflowError, OSError):
        matches = False
    if not matches or cursor > end or end > utcnow():
        raise ValidationFailed("The page token is not valid for this request.",
                               code="invalid_page_token")
    return _Range(cursor=cursor, end=end)
