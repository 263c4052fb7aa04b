"""Read Alpha Vantage bodies: classify the HTTP-200 error notices, parse JSON and CSV answers.

Pure functions of text; no network. Tolerates what real captures show: a UTF-8 BOM, CRLF
or LF, re-indented JSON, numbers as strings with or without 4-decimal padding, `%` suffixes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from invsim.core.clock import calendar_for
from invsim.core.money import price
from invsim.market.providers.base import (
    Bar,
    CorporateAction,
    Interval,
    InvalidApiKey,
    InvalidCall,
    NotEntitled,
    ProviderError,
    QuotaExhausted,
    Quote,
    SymbolMatch,
    Throttled,
    UnknownSymbol,
)

SOURCE = "alphavantage"
EXCHANGE_TZ = ZoneInfo("America/New_York")  # Alpha Vantage's "US/Eastern"
SESSION_OPEN = time(9, 30)
SESSION_CLOSE = time(16, 0)
SYMBOL_FUNCTIONS = frozenset(
    {"GLOBAL_QUOTE", "TIME_SERIES_DAILY", "TIME_SERIES_DAILY_ADJUSTED", "TIME_SERIES_INTRADAY"}
)

# Notices are told apart only by their wording (see tests/fixtures/marketdata/SOURCES.md).
_THROTTLE_WORDS = (
    "per minute",
    "per second",
    "call frequency",
    "spreading out",
    "sparingly",
    "higher api call volume",
    "burst",
)
_PREMIUM_WORDS = ("premium endpoint", "premium feature", "premium-only", "premium only")
_QUOTA_WORDS = ("per day", "daily rate limit", "daily limit")
_DEMO_WORDS = ("demo api key", "**demo**")


class UnexpectedBody(ProviderError):
    """The body is neither a known answer nor a known notice."""


# --- Bodies and notices ---------------------------------------------------------------------


def decode(body: bytes) -> str:
    """Decode a body as UTF-8, dropping a byte-order mark."""
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnexpectedBody(f"body is not UTF-8: {exc}") from None


def looks_like_json(text: str) -> bool:
    """Tell whether a body is JSON (CSV requests still get JSON notices)."""
    return text.lstrip().startswith(("{", "["))


def load_json(text: str) -> dict[str, Any]:
    """Parse a JSON object body."""
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnexpectedBody(f"body is not JSON: {exc.msg}") from None
    if not isinstance(payload, dict):
        raise UnexpectedBody("body is not a JSON object")
    return payload


def next_utc_midnight(now: datetime) -> datetime:
    """Return the first UTC midnight after `now` (when the daily quota resets)."""
    return datetime.combine(now.astimezone(UTC).date() + timedelta(days=1), time(), tzinfo=UTC)


def notice_error(
    payload: Mapping[str, Any],
    *,
    function: str,
    symbol: str | None,
    now: datetime,
    retry_after_seconds: float = 60.0,
) -> ProviderError | None:
    """Return the error a notice body stands for, or None for an ordinary answer."""
    if "Error Message" in payload:
        return _error_message(str(payload["Error Message"]), function=function, symbol=symbol)
    if "Note" in payload:  # the legacy per-minute throttle always came as a Note
        return Throttled(str(payload["Note"]), retry_after_seconds=retry_after_seconds)
    if "Information" in payload:
        return _information(str(payload["Information"]), now, retry_after_seconds)
    return None


def _error_message(message: str, *, function: str, symbol: str | None) -> ProviderError:
    """Classify an "Error Message": bad key, unknown symbol or a malformed call."""
    lowered = message.lower()
    if "apikey" in lowered or "api key" in lowered:
        return InvalidApiKey(message)
    if symbol and function in SYMBOL_FUNCTIONS and lowered.startswith("invalid api call"):
        # Our calls are well-formed, so a refused symbol call means the symbol is unknown.
        return UnknownSymbol(symbol, message)
    return InvalidCall(message)


def _information(message: str, now: datetime, retry_after_seconds: float) -> ProviderError:
    """Classify an "Information" notice: throttle, premium, daily quota or demo key."""
    lowered = message.lower()
    if any(words in lowered for words in _DEMO_WORDS):
        return InvalidApiKey(message)
    # Throttle first: the burst notice also mentions the daily limit and premium endpoints.
    if any(words in lowered for words in _THROTTLE_WORDS):
        return Throttled(message, retry_after_seconds=retry_after_seconds)
    if any(words in lowered for words in _PREMIUM_WORDS):
        return NotEntitled(message)
    if any(words in lowered for words in _QUOTA_WORDS):
        return QuotaExhausted(message, retry_at=next_utc_midnight(now))
    return UnexpectedBody(f"unrecognised notice: {message}")


# --- Values ---------------------------------------------------------------------------------


def number(text: object) -> Decimal:
    """Read a numeric string exactly ("112.1300", "719.8", "-0.5852%")."""
    cleaned = str(text).strip().rstrip("%").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise UnexpectedBody(f"not a number: {text!r}") from None
    if not value.is_finite():
        raise UnexpectedBody(f"not a finite number: {text!r}")
    return value


def whole(text: object) -> int:
    """Read a share count such as "29062853" (or "29062853.0")."""
    return int(number(text))


def _field_name(key: str) -> str:
    """Drop Alpha Vantage's "NN. " numbering: "05. price" -> "price"."""
    head, dot, rest = key.partition(". ")
    return rest.strip().lower() if dot and head.strip().isdigit() else key.strip().lower()


def fields(record: Mapping[str, Any]) -> dict[str, Any]:
    """Index a record by its un-numbered, lower-case field names."""
    return {_field_name(key): value for key, value in record.items()}


def exchange_zone(payload: Mapping[str, Any]) -> ZoneInfo:
    """Return the time zone named in a series' Meta Data (US/Eastern by default)."""
    meta = fields(payload.get("Meta Data") or {})
    name = str(meta.get("time zone", "")).strip()
    try:
        return ZoneInfo(name) if name else EXCHANGE_TZ
    except (ZoneInfoNotFoundError, ValueError):
        return EXCHANGE_TZ


def bar_start(stamp: str, zone: ZoneInfo) -> datetime:
    """Turn a series key into the bar's UTC start; a daily bar starts at the 09:30 open."""
    stamp = stamp.strip()
    if len(stamp) <= 10:
        local = datetime.combine(date.fromisoformat(stamp), SESSION_OPEN, tzinfo=zone)
    else:
        # Current captures label each intraday bar by its start (the last 5-min bar is 19:55).
        local = datetime.fromisoformat(stamp).replace(tzinfo=zone)
    return local.astimezone(UTC)


def session_close_of(day: date) -> datetime:
    """Return the NYSE close of `day` (16:00 New York when the calendar has no session)."""
    try:
        close = calendar_for("nyse").session_close(day)
    except ValueError:
        close = None
    if close is None:
        close = datetime.combine(day, SESSION_CLOSE, tzinfo=EXCHANGE_TZ).astimezone(UTC)
    return close


# --- Answers --------------------------------------------------------------------------------


def parse_quote(record: Mapping[str, Any], *, fetched_at: datetime) -> Quote:
    """Build a Quote from a GLOBAL_QUOTE record (JSON object or CSV row)."""
    values = fields(record)
    day = date.fromisoformat(str(values.get("latest trading day") or values["latestday"]).strip())
    last = price(number(values["price"]))
    previous = values.get("previous close", values.get("previousclose"))
    return Quote(
        symbol=str(values["symbol"]).strip().upper(),
        bid=last,  # Alpha Vantage has no book: bid = ask = last
        ask=last,
        last=last,
        prev_close=price(number(previous)),
        day_open=price(number(values["open"])),
        day_high=price(number(values["high"])),
        day_low=price(number(values["low"])),
        volume=whole(values["volume"]),
        as_of=min(session_close_of(day), fetched_at),
        source=SOURCE,
    )


def parse_global_quote(payload: Mapping[str, Any], *, symbol: str, fetched_at: datetime) -> Quote:
    """Parse a GLOBAL_QUOTE JSON answer; an empty quote means the symbol is unknown."""
    record = payload.get("Global Quote")
    if not isinstance(record, Mapping):
        raise UnexpectedBody("GLOBAL_QUOTE answer has no 'Global Quote' object")
    if not record:
        raise UnknownSymbol(symbol)
    return parse_quote(record, fetched_at=fetched_at)


def parse_series(payload: Mapping[str, Any], *, symbol: str, interval: Interval) -> list[Bar]:
    """Parse a TIME_SERIES_* JSON answer into bars, oldest first."""
    key = next((k for k in payload if k.startswith("Time Series")), None)
    if key is None or not isinstance(payload[key], Mapping):
        raise UnexpectedBody("series answer has no 'Time Series' object")
    zone = exchange_zone(payload)
    bars = [
        _bar(symbol, interval, bar_start(stamp, zone), fields(row))
        for stamp, row in payload[key].items()
    ]
    return sorted(bars, key=lambda bar: bar.start)


def _bar(symbol: str, interval: Interval, start: datetime, values: Mapping[str, Any]) -> Bar:
    """Build one bar from open/high/low/close/volume fields."""
    return Bar(
        symbol=symbol,
        interval=interval,
        start=start,
        open=price(number(values["open"])),
        high=price(number(values["high"])),
        low=price(number(values["low"])),
        close=price(number(values["close"])),
        volume=whole(values["volume"]),
    )


def parse_search(payload: Mapping[str, Any]) -> list[SymbolMatch]:
    """Parse a SYMBOL_SEARCH JSON answer, best match first."""
    matches = payload.get("bestMatches")
    if not isinstance(matches, list):
        raise UnexpectedBody("SYMBOL_SEARCH answer has no 'bestMatches' list")
    return _matches(matches)


def _matches(records: list[Any]) -> list[SymbolMatch]:
    """Turn search records (JSON objects or CSV rows) into matches, best first."""
    result = []
    for record in records:
        values = fields(record)
        kind = str(values.get("type", "")).strip()
        result.append(
            SymbolMatch(
                symbol=str(values["symbol"]).strip(),
                name=str(values.get("name", "")).strip(),
                score=float(number(values.get("matchscore", "0"))),
                match="provider",
                exchange=str(values.get("region", "")).strip(),
                asset_class={"Equity": "us_equity", "ETF": "etf"}.get(kind, kind.lower()),
                region=str(values.get("region", "")).strip(),
                currency=str(values.get("currency", "")).strip(),
            )
        )
    return sorted(result, key=lambda match: -match.score)


def parse_corporate_actions(payload: Mapping[str, Any], *, symbol: str) -> list[CorporateAction]:
    """Read the dividends and splits of a TIME_SERIES_DAILY_ADJUSTED JSON answer, oldest first.

    A row's `dividend amount` (when not zero) is a cash dividend going ex that day and its
    `split coefficient` (when not one) a split; Alpha Vantage gives no declaration, record
    or pay date, so all three are the ex-date. Other series carry neither column: none.
    """
    key = next((k for k in payload if k.startswith("Time Series")), None)
    if key is None or not isinstance(payload[key], Mapping):
        raise UnexpectedBody("series answer has no 'Time Series' object")
    rows = [(stamp, fields(row)) for stamp, row in payload[key].items()]
    return _actions(symbol, rows, "dividend amount", "split coefficient")


def _actions(
    symbol: str, rows: Sequence[tuple[str, Mapping[str, Any]]], dividend: str, split: str
) -> list[CorporateAction]:
    """Turn rows with dividend and split columns into corporate actions, oldest first."""
    found = []
    for stamp, values in rows:
        ex_date = date.fromisoformat(stamp.strip()[:10])
        amount = number(values.get(dividend) or "0")
        ratio = number(values.get(split) or "1")
        if amount > 0:
            found.append(CorporateAction(symbol, "dividend", ex_date, ex_date, ex_date, ex_date,
                                         amount=amount))
        if ratio > 0 and ratio != 1:
            found.append(CorporateAction(symbol, "split", ex_date, ex_date, ex_date, ex_date,
                                         ratio=ratio))
    return sorted(found, key=lambda action: (action.ex_date, action.kind))


# --- CSV (datatype=csv) ---------------------------------------------------------------------


def csv_records(text: str) -> list[dict[str, str]]:
    """Read CSV text with CRLF or LF line endings into records keyed by header."""
    reader = csv.DictReader(io.StringIO(text.replace("\r\n", "\n").replace("\r", "\n")))
    return [
        {key.strip(): (value or "").strip() for key, value in row.items() if key}
        for row in reader
        if any((value or "").strip() for value in row.values())
    ]


def parse_series_csv(text: str, *, symbol: str, interval: Interval) -> list[Bar]:
    """Parse a TIME_SERIES_* CSV answer (New York times) into bars, oldest first."""
    rows = csv_records(text)
    if rows and "timestamp" not in rows[0]:
        raise UnexpectedBody("series CSV has no 'timestamp' column")
    bars = [_bar(symbol, interval, bar_start(row["timestamp"], EXCHANGE_TZ), row) for row in rows]
    return sorted(bars, key=lambda bar: bar.start)


def parse_global_quote_csv(text: str, *, symbol: str, fetched_at: datetime) -> Quote:
    """Parse a GLOBAL_QUOTE CSV answer; no data row means the symbol is unknown."""
    rows = csv_records(text)
    if not rows or not rows[0].get("symbol"):
        raise UnknownSymbol(symbol)
    return parse_quote(rows[0], fetched_at=fetched_at)


def parse_search_csv(text: str) -> list[SymbolMatch]:
    """Parse a SYMBOL_SEARCH CSV answer, best match first."""
    return _matches(list(csv_records(text)))


def parse_corporate_actions_csv(text: str, *, symbol: str) -> list[CorporateAction]:
    """Read the dividends and splits of a TIME_SERIES_DAILY_ADJUSTED CSV answer, oldest first."""
    rows = csv_records(text)
    if rows and "timestamp" not in rows[0]:
        raise UnexpectedBody("series CSV has no 'timestamp' column")
    return _actions(symbol, [(row["timestamp"], row) for row in rows], "dividend_amount",
                    "split_coefficient")
