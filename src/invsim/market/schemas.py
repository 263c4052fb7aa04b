"""Request and response models of the market endpoints. Amounts travel as strings."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, WithJsonSchema

from invsim.api.schemas import DecimalOut, ResponseModel, StrictModel
from invsim.market.bars import DEFAULT_LIMIT, MAX_LIMIT
from invsim.market.instruments import MAX_SEARCH_LIMIT
from invsim.market.providers.base import Interval


def _iso_datetime(raw: Any) -> Any:
    """Accept ISO 8601 text only (a date or a date and time); naive times are UTC."""
    if isinstance(raw, datetime):
        return raw
    if not isinstance(raw, str) or len(raw) > 40:
        raise ValueError("must be an ISO 8601 date or date-time, e.g. 2024-05-01T14:30:00Z")
    try:
        value = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise ValueError(
            "must be an ISO 8601 date or date-time, e.g. 2024-05-01T14:30:00Z") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


IsoDateTime = Annotated[datetime, BeforeValidator(_iso_datetime),
                        WithJsonSchema({"type": "string", "format": "date-time",
                                        "examples": ["2024-05-01T14:30:00Z"]})]
SymbolText = Annotated[str, Field(min_length=1, max_length=32, examples=["AAPL"])]
WatchlistName = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[^\x00-\x1f\x7f]+$")]


class InstrumentSearchQuery(StrictModel):
    """Search text (symbol prefix or words of the name) and how many answers."""

    q: Annotated[str, Field(min_length=1, max_length=64)]
    limit: int = Field(10, ge=1, le=MAX_SEARCH_LIMIT)


class InstrumentOut(ResponseModel):
    """A listed stock or ETF."""

    symbol: str
    name: str
    exchange: str
    sector: str
    industry: str
    asset_class: str
    tradable: bool
    shortable: bool
    fractionable: bool


class InstrumentListOut(ResponseModel):
    """Search results, best match first."""

    instruments: list[InstrumentOut]


class QuotesQuery(StrictModel):
    """Comma-separated symbols, up to 100."""

    symbols: Annotated[str, Field(min_length=1, max_length=1400, examples=["AAPL,MSFT"])]


class QuoteOut(ResponseModel):
    """The latest market for a symbol; `stale` with `age_seconds` when the provider lags."""

    symbol: str
    bid: DecimalOut
    ask: DecimalOut
    last: DecimalOut
    prev_close: DecimalOut
    day_open: DecimalOut
    day_high: DecimalOut
    day_low: DecimalOut
    change: DecimalOut
    change_percent: DecimalOut
    volume: int
    as_of: datetime
    source: str
    stale: bool
    age_seconds: int


class QuotesOut(ResponseModel):
    """Quotes keyed by symbol; symbols with no price at all are listed in `unavailable`."""

    quotes: dict[str, QuoteOut]
    unavailable: list[str]


class BarsQuery(StrictModel):
    """Interval, optional ISO range (end defaults to now), page size and page token."""

    interval: Interval = "1d"
    start: IsoDateTime | None = None
    end: IsoDateTime | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    page_token: Annotated[str, Field(max_length=512)] | None = None
    adjusted: bool = Field(False, description="Back-adjust prices and volume for dividends "
                           "and splits gone ex by today (default: as traded, unadjusted)")


class BarOut(ResponseModel):
    """One bar: start time, open, high, low, close, volume."""

    t: datetime
    o: DecimalOut
    h: DecimalOut
    l: DecimalOut  # noqa: E741 - the conventional OHLCV key
    c: DecimalOut
    v: int


class BarsOut(ResponseModel):
    """A page of bars, oldest first; pass `next_page_token` back for the next page."""

    symbol: str
    interval: str
    bars: list[BarOut]
    next_page_token: str | None


class ClockOut(ResponseModel):
    """Whether the market is open now, and its next open and close."""

    is_open: bool
    timestamp: datetime
    next_open: datetime
    next_close: datetime
    calendar: str


class StreamQuery(StrictModel):
    """Comma-separated symbols to stream, up to 100."""

    symbols: Annotated[str, Field(min_length=1, max_length=1400, examples=["AAPL,MSFT"])]


class WatchlistIn(StrictModel):
    """A new watchlist, optionally with its first symbols."""

    name: WatchlistName
    symbols: Annotated[list[SymbolText], Field(max_length=200)] = []


class WatchlistPatch(StrictModel):
    """A new name."""

    name: WatchlistName


class WatchlistSymbolIn(StrictModel):
    """A symbol to add."""

    symbol: SymbolText


class WatchlistItemOut(ResponseModel):
    """A symbol on a watchlist."""

    symbol: str
    position: int
    added_at: datetime


class WatchlistOut(ResponseModel):
    """A watchlist and its symbols in order."""

    id: int
    name: str
    created_at: datetime
    items: list[WatchlistItemOut]


class WatchlistListOut(ResponseModel):
    """The user's watchlists."""

    watchlists: list[WatchlistOut]


class CorporateActionsQuery(StrictModel):
    """An optional range of ex-dates (ISO dates); the end defaults to 90 days after today."""

    start: date | None = None
    end: date | None = None


class CorporateActionOut(ResponseModel):
    """A cash dividend (amount per share) or a stock split (new shares per old share)."""

    symbol: str
    kind: str
    declared_on: date
    ex_date: date
    record_date: date
    pay_date: date
    amount: DecimalOut | None
    ratio: DecimalOut | None


class CorporateActionsOut(ResponseModel):
    """A symbol's corporate actions by ex-date, oldest first."""

    symbol: str
    actions: list[CorporateActionOut]
