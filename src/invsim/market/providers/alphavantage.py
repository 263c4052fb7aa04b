"""The Alpha Vantage client: GLOBAL_QUOTE, TIME_SERIES_DAILY/INTRADAY and SYMBOL_SEARCH.

Every answer is HTTP 200, so each body is classified (see `alphavantage_parse`). Network
errors are retried with exponential backoff; classified notices never are. Budgets, caching
and fallbacks belong to the market service, which can count calls with `calls_made` or the
`on_call` hook.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Literal

import requests

from invsim.core.clock import ensure_utc, utcnow
from invsim.market.providers import alphavantage_parse as parse
from invsim.market.providers.base import (
    INTERVALS,
    Bar,
    InstrumentInfo,
    Interval,
    ProviderError,
    ProviderUnavailable,
    Quote,
    SymbolMatch,
    Throttled,
    UnknownSymbol,
)

DEFAULT_BASE_URL = "https://www.alphavantage.co/query"
AV_INTERVALS: dict[Interval, str] = {
    "1m": "1min",
    "5m": "5min",
    "15m": "15min",
    "1h": "60min",
}
_RETRY_STATUSES = frozenset({500, 502, 503, 504})

CallHook = Callable[[str, dict[str, str]], None]


class AlphaVantageProvider:
    """Market data from https://www.alphavantage.co (the free tier is 25 calls a day)."""

    name = "alphavantage"

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str = DEFAULT_BASE_URL,
        session: requests.Session | None = None,
        timeout_seconds: float = 10.0,
        retries: int = 2,
        backoff_seconds: float = 0.5,
        throttle_retry_seconds: float = 60.0,
        full_history_entitled: bool = False,
        datatype: Literal["json", "csv"] = "json",
        on_call: CallHook | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.api_key = api_key
        self.base_url = base_url
        self.session = session or requests.Session()
        self.timeout_seconds = timeout_seconds
        self.retries = retries
        self.backoff_seconds = backoff_seconds
        self.throttle_retry_seconds = throttle_retry_seconds
        self.full_history_entitled = full_history_entitled
        self.datatype = datatype
        self.on_call = on_call
        self.calls_made = 0  # HTTP requests sent, retries included
        self._sleep = sleep

    # --- MarketDataProvider ---------------------------------------------------------------

    def quotes(self, symbols: Sequence[str], at: datetime | None = None) -> dict[str, Quote]:
        """Return the latest quote per known symbol (one call each); unknown ones are left out.

        Alpha Vantage only knows the present: a quote newer than `at` is left out too.
        """
        limit = None if at is None else ensure_utc(at)
        result: dict[str, Quote] = {}
        for symbol in dict.fromkeys(s.strip().upper() for s in symbols):
            try:
                quote = self.quote(symbol)
            except UnknownSymbol:
                continue
            if limit is None or quote.as_of <= limit:
                result[symbol] = quote
        return result

    def quote(self, symbol: str) -> Quote:
        """Return the latest quote of `symbol` (GLOBAL_QUOTE)."""
        text, fetched_at = self._fetch("GLOBAL_QUOTE", symbol=symbol, expect="Global Quote")
        if self._is_csv(text):
            return parse.parse_global_quote_csv(text, symbol=symbol, fetched_at=fetched_at)
        payload = parse.load_json(text)
        return parse.parse_global_quote(payload, symbol=symbol, fetched_at=fetched_at)

    def bars(self, symbol: str, interval: Interval, start: datetime, end: datetime) -> list[Bar]:
        """Return bars starting in [start, min(end, now)], oldest first."""
        if interval not in INTERVALS:
            raise ValueError(f"unknown interval {interval!r}; use one of {INTERVALS}")
        series = self._series(symbol.strip().upper(), interval)
        if interval == "1w":
            series = weekly(series)
        first, last = ensure_utc(start), min(ensure_utc(end), utcnow())
        return [bar for bar in series if first <= bar.start <= last]

    def search(self, text: str, limit: int = 10) -> list[SymbolMatch]:
        """Return up to `limit` matches for `text` (SYMBOL_SEARCH), best first."""
        if not text.strip() or limit <= 0:
            return []
        body, _ = self._fetch("SYMBOL_SEARCH", keywords=text.strip(), expect="bestMatches")
        if self._is_csv(body):
            return parse.parse_search_csv(body)[:limit]
        return parse.parse_search(parse.load_json(body))[:limit]

    def instrument(self, symbol: str) -> InstrumentInfo:
        """Return what SYMBOL_SEARCH knows about exactly `symbol`, or raise UnknownSymbol."""
        wanted = symbol.strip().upper()
        for match in self.search(wanted, limit=25):
            if match.symbol.upper() == wanted:
                return InstrumentInfo(
                    symbol=wanted,
                    name=match.name,
                    exchange=match.region,
                    sector="",
                    industry="",
                    asset_class="etf" if match.asset_class == "etf" else "us_equity",
                )
        raise UnknownSymbol(symbol)

    # --- Calls ----------------------------------------------------------------------------

    def _series(self, symbol: str, interval: Interval) -> list[Bar]:
        """Fetch the daily or intraday series that `interval` is built from."""
        if interval in AV_INTERVALS:
            function = "TIME_SERIES_INTRADAY"
            params = {"interval": AV_INTERVALS[interval]}
            kind: Interval = interval
        else:
            function, params, kind = "TIME_SERIES_DAILY", {}, "1d"
        params["outputsize"] = "full" if self.full_history_entitled else "compact"
        text, _ = self._fetch(function, symbol=symbol, expect="Time Series", **params)
        if self._is_csv(text):
            return parse.parse_series_csv(text, symbol=symbol, interval=kind)
        return parse.parse_series(parse.load_json(text), symbol=symbol, interval=kind)

    def _fetch(
        self, function: str, *, expect: str, symbol: str | None = None, **params: str
    ) -> tuple[str, datetime]:
        """Call `function` and return the body (raising classified notices) and its time."""
        query = {"function": function, **params}
        if symbol is not None:
            query["symbol"] = symbol
        if self.datatype == "csv":
            query["datatype"] = "csv"
        text = self._get(query)
        fetched_at = utcnow()
        if parse.looks_like_json(text):
            payload = parse.load_json(text)
            if not any(key.startswith(expect) for key in payload):
                error = parse.notice_error(
                    payload,
                    function=function,
                    symbol=symbol,
                    now=fetched_at,
                    retry_after_seconds=self.throttle_retry_seconds,
                )
                raise error or parse.UnexpectedBody(f"{function} answer has no {expect!r}")
        return text, fetched_at

    def _get(self, query: dict[str, str]) -> str:
        """GET the API once per attempt, retrying network errors with exponential backoff."""
        attempt = 0
        while True:
            try:
                return self._attempt(query)
            except ProviderUnavailable:
                if attempt >= self.retries:
                    raise
            self._sleep(self.backoff_seconds * 2**attempt)
            attempt += 1

    def _attempt(self, query: dict[str, str]) -> str:
        """Send one request and return its body; network trouble becomes ProviderUnavailable."""
        self.calls_made += 1
        if self.on_call is not None:
            self.on_call(query["function"], dict(query))
        try:
            response = self.session.get(
                self.base_url,
                params={**query, "apikey": self.api_key},
                timeout=self.timeout_seconds,
            )
        except (requests.ConnectionError, requests.Timeout) as exc:
            # `from None` and redaction keep the API key out of messages and tracebacks.
            raise ProviderUnavailable(self._redact(f"{query['function']}: {exc}")) from None
        return self._body(response, query["function"])

    def _body(self, response: requests.Response, function: str) -> str:
        """Return a response's text, turning HTTP-level failures into provider errors."""
        if response.status_code in _RETRY_STATUSES:
            raise ProviderUnavailable(f"{function}: HTTP {response.status_code}")
        if response.status_code == 429:
            raise Throttled(f"{function}: HTTP 429", retry_after_seconds=_retry_after(response))
        if response.status_code != 200:
            raise ProviderError(f"{function}: HTTP {response.status_code}")
        return parse.decode(response.content)

    def _redact(self, message: str) -> str:
        """Remove the API key from a message."""
        return message.replace(self.api_key, "***") if self.api_key else message

    def _is_csv(self, text: str) -> bool:
        """Tell whether an answer is CSV (only when CSV was asked for)."""
        return self.datatype == "csv" and not parse.looks_like_json(text)


def _retry_after(response: requests.Response) -> float:
    """Read a Retry-After header in seconds (60 when absent or unreadable)."""
    try:
        return float(response.headers.get("Retry-After", "60"))
    except ValueError:
        return 60.0


def weekly(daily: list[Bar]) -> list[Bar]:
    """Aggregate daily bars (oldest first) into Monday-to-Sunday weeks."""
    weeks: dict[tuple[int, int], list[Bar]] = {}
    for bar in daily:
        year, week, _ = bar.start.isocalendar()
        weeks.setdefault((year, week), []).append(bar)
    return [_merge(bars) for bars in weeks.values()]


def _merge(bars: list[Bar]) -> Bar:
    """Merge consecutive bars into one weekly bar."""
    return Bar(
        symbol=bars[0].symbol,
        interval="1w",
        start=bars[0].start,
        open=bars[0].open,
        high=max(bar.high for bar in bars),
        low=min(bar.low for bar in bars),
        close=bars[-1].close,
        volume=sum(bar.volume for bar in bars),
    )
