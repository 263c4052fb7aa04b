"""What every market-data provider returns and raises, and the registry that picks one.

Providers return plain frozen values. Caching, rate budgets, fallbacks and persistence
belong to `market/service.py`, never to a provider.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal, Protocol, get_args

Interval = Literal["1m", "5m", "15m", "1h", "1d", "1w"]
INTERVALS: tuple[Interval, ...] = get_args(Interval)
INTRADAY_INTERVALS: tuple[Interval, ...] = ("1m", "5m", "15m", "1h")
INTERVAL_SECONDS: dict[Interval, int] = {"1m": 60, "5m": 300, "15m": 900, "1h": 3600}

AssetClass = Literal["us_equity", "etf"]


@dataclass(frozen=True, slots=True)
class Quote:
    """The market for one symbol at one instant.

    Providers without an order book (Alpha Vantage) report bid = ask = last.
    The day_* fields and volume cover the session that `as_of` belongs to, so far.
    """

    symbol: str
    bid: Decimal
    ask: Decimal
    last: Decimal
    prev_close: Decimal
    day_open: Decimal
    day_high: Decimal
    day_low: Decimal
    volume: int
    as_of: datetime
    source: str


class BarView(Protocol):
    """A bar's time and OHLCV, read-only: what readers of bars need, whether the
    provider's `Bar` or a stored row (so callers outside the market need neither)."""

    @property
    def start(self) -> datetime: ...
    @property
    def open(self) -> Decimal: ...
    @property
    def high(self) -> Decimal: ...
    @property
    def low(self) -> Decimal: ...
    @property
    def close(self) -> Decimal: ...
    @property
    def volume(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Bar:
    """Open/high/low/close/volume of one interval that starts at `start` (UTC).

    Daily and weekly bars start at their first session's open.
    """

    symbol: str
    interval: Interval
    start: datetime
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: int


CorporateActionKind = Literal["dividend", "split"]


@dataclass(frozen=True, slots=True)
class CorporateAction:
    """A cash dividend or a stock split of one symbol.

    A dividend pays `amount` per share held at the ex-date's open (the record date is the
    ex-date: T+1 settlement) on `pay_date`. A split turns each share into `ratio` shares at
    the ex-date's open (`pay_date` is the ex-date). Prices before `ex_date` are unadjusted.
    """

    symbol: str
    kind: CorporateActionKind
    declared_on: date
    ex_date: date
    record_date: date
    pay_date: date
    amount: Decimal | None = None  # cash per share (dividends)
    ratio: Decimal | None = None  # new shares per old share (splits)

    @property
    def key(self) -> str:
        """Return the action's unique name: symbol, kind and ex-date."""
        return f"{self.symbol}:{self.kind}:{self.ex_date.isoformat()}"


@dataclass(frozen=True, slots=True)
class InstrumentInfo:
    """Static facts about a tradable instrument."""

    symbol: str
    name: str
    exchange: str
    sector: str
    industry: str
    asset_class: AssetClass
    tradable: bool = True
    shortable: bool = True
    fractionable: bool = True


@dataclass(frozen=True, slots=True)
class SymbolMatch:
    """One answer to a symbol search; a higher `score` (0..1) is a better match."""

    symbol: str
    name: str
    score: float
    match: str = ""  # how it matched: "symbol", "symbol_prefix", "name_word", "name", "provider"
    exchange: str = ""
    asset_class: str = ""
    region: str = ""
    currency: str = ""


class MarketDataProvider(Protocol):
    """A source of quotes, bars, symbol search and instrument facts.

    No method ever returns a price from after the current instant (`utcnow()`).
    """

    name: str

    def quotes(self, symbols: Sequence[str], at: datetime | None = None) -> dict[str, Quote]:
        """Return the latest quote at or before `at` (default now) per known symbol.

        Symbols the provider does not know are left out of the result.
        """
        ...

    def bars(self, symbol: str, interval: Interval, start: datetime, end: datetime) -> list[Bar]:
        """Return bars starting in [start, min(end, now)], oldest first."""
        ...

    def search(self, text: str, limit: int = 10) -> list[SymbolMatch]:
        """Return up to `limit` instruments matching `text`, best first."""
        ...

    def instrument(self, symbol: str) -> InstrumentInfo:
        """Return the facts about `symbol`, or raise UnknownSymbol."""
        ...


# --- Errors ---------------------------------------------------------------------------------


class ProviderError(Exception):
    """A market-data provider could not answer."""

    retryable = False


class UnknownSymbol(ProviderError):
    """The provider does not know the symbol."""

    def __init__(self, symbol: str, message: str | None = None) -> None:
        super().__init__(message or f"unknown symbol {symbol!r}")
        self.symbol = symbol


class InvalidCall(ProviderError):
    """The provider refused the request as malformed (a bug on our side)."""


class Throttled(ProviderError):
    """Too many calls in a short time; try again after `retry_after_seconds`."""

    retryable = True

    def __init__(self, message: str, *, retry_after_seconds: float) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class QuotaExhausted(ProviderError):
    """The daily (or monthly) allowance is spent; nothing will succeed before `retry_at`."""

    retryable = True

    def __init__(self, message: str, *, retry_at: datetime) -> None:
        super().__init__(message)
        self.retry_at = retry_at


class NotEntitled(ProviderError):
    """The endpoint or parameter needs a plan we do not have; never retry it."""


class InvalidApiKey(NotEntitled):
    """The API key is missing, invalid or a demo key; fix the configuration."""


class ProviderUnavailable(ProviderError):
    """The provider could not be reached (network error, timeout, server error)."""

    retryable = True
