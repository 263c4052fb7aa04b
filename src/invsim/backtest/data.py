"""Loading a backtest's bars from the market: the simulated history or Alpha Vantage's daily bars.

Not pure: `load_panel` reads through `invsim.market.service` and so needs a
Flask app context whose market provider is the requested source (the CLI
builds one; the API's job runs inside one). Simulated bars are computed on
demand (no key, no network); Alpha Vantage bars are fetched within the
market's request budget, stored, and read back from the database (a repeated
run spends no request). A CSV file needs no app: see `csvbars`.

The market's "never a future price" rule holds: the range ends at now at the
latest, and a bar still forming (its session not closed by now, or by the end
of the range) is left out: a backtest sees whole bars only.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from flask import current_app

from invsim.backtest.bars import OHLCV, BarSeries, BarsError, Panel, align
from invsim.core.clock import ensure_utc, utcnow
from invsim.core.errors import DomainError
from invsim.market import service as market

SOURCES = ("simulated", "alphavantage")
INTERVALS = ("1m", "5m", "15m", "1h", "1d", "1w")
MAX_SYMBOLS = 100
PAGE_LIMIT = 5000  # the market's largest page
DEFAULT_YEARS = 25  # a missing start reads this far back (the simulated history starts in 2015)
_STEP = {"1m": timedelta(minutes=1), "5m": timedelta(minutes=5),
         "15m": timedelta(minutes=15), "1h": timedelta(hours=1),
         "1d": timedelta(days=1), "1w": timedelta(days=7)}

When = date | datetime | str | None


def load_panel(symbols: Iterable[str], start: When, end: When, source: str = "simulated",
               interval: str = "1d") -> Panel:
    """Load the bars of `symbols` in [start, end] from the market and align them on one calendar.

    `start`/`end` are dates (whole days, UTC), aware datetimes or ISO strings;
    None means "from the start of the history" and "until now". Needs an app
    context whose market provider is `source`. Raises BarsError (one line) for
    an empty or reversed range, an unknown symbol, a symbol without bars in the
    range, or a source this app does not serve.
    """
    names = _symbols(symbols)
    _check_source(source, interval)
    first, last = resolve_range(start, end, interval)
    return align([_series(symbol, interval, first, last) for symbol in names])


def resolve_range(start: When, end: When, interval: str = "1d") -> tuple[datetime, datetime]:
    """Turn the requested range into aware UTC instants ending no later than now."""
    if interval not in INTERVALS:
        raise BarsError(f"unknown interval {interval} (use one of {', '.join(INTERVALS)})")
    now = utcnow()
    asked_end = now if end is None else _instant(end, "end")
    first = (min(asked_end, now) - timedelta(days=366 * DEFAULT_YEARS) if start is None
             else _instant(start, "start"))
    if first > now:
        raise BarsError(f"the range starts in the future ({_day(first)}): "
                        "a backtest reads past prices only")
    if first > asked_end:
        raise BarsError(f"the start ({_day(first)}) is after the end ({_day(asked_end)})")
    return first, min(asked_end, now)


def _symbols(symbols: Iterable[str]) -> list[str]:
    """Upper-case and deduplicate the symbols; refuse none or too many."""
    names = list(dict.fromkeys(s.strip().upper() for s in symbols if s.strip()))
    if not names:
        raise BarsError("give at least one symbol")
    if len(names) > MAX_SYMBOLS:
        raise BarsError(f"at most {MAX_SYMBOLS} symbols per backtest")
    return names


def _check_source(source: str, interval: str) -> None:
    """Refuse an unknown source, or one this app's market does not serve."""
    if source not in SOURCES:
        raise BarsError(f"unknown data source {source} (use one of {', '.join(SOURCES)})")
    configured = current_app.config["INVSIM_SETTINGS"].market_data_provider
    if configured != source:
        raise BarsError(f"this app's market is {configured}, not {source} "
                        f"(set MARKET_DATA_PROVIDER={source})")
    if source == "alphavantage" and interval not in ("1d", "1w"):
        raise BarsError("Alpha Vantage history is daily: use interval 1d (or 1w)")


def _series(symbol: str, interval: str, first: datetime, last: datetime) -> BarSeries:
    """Read every page of one symbol's bars and keep the completed ones up to `last`.

    The market answers the last bar as of the request's end (a session cut
    short), so the request reaches one bar past `last` and a bar counts only
    once its interval has ended by then.
    """
    reach = min(last + _STEP[interval], utcnow())
    bars: list[OHLCV] = []
    token: str | None = None
    while True:
        try:
            page = market.get_bars(symbol, interval, first, reach, PAGE_LIMIT, token,
                                   adjusted=True)
        except DomainError as error:
            raise BarsError(_market_message(symbol, error)) from None
        bars += [_ohlcv(bar) for bar in page.bars if bar.start <= last]
        token = page.next_page_token
        if token is None:
            break
    if bars and not _completed(bars[-1], interval, reach):
        bars.pop()  # still forming at the end of the range: its close is not known
    if not bars:
        raise BarsError(f"no bars for {symbol} from {_day(first)} to {_day(last)} "
                        f"({_source_name()})")
    return BarSeries(symbol, tuple(bars))


def _ohlcv(bar: market.BarView) -> OHLCV:
    """Turn a market bar into a backtest bar."""
    return OHLCV(at=bar.start, open=bar.open, high=bar.high, low=bar.low, close=bar.close,
                 volume=Decimal(bar.volume))


def _completed(bar: OHLCV, interval: str, by: datetime) -> bool:
    """Say whether a bar's interval (a daily bar: its session) has ended by `by`."""
    if interval == "1d":
        try:
            sessions = market.trading_sessions(bar.at.date(), bar.at.date())
        except ValueError:  # a day outside the calendar's table: long past
            sessions = []
        ends = sessions[0].close if sessions else bar.at + _STEP["1d"]
        return ends <= by
    return bar.at + _STEP[interval] <= by


def _market_message(symbol: str, error: DomainError) -> str:
    """Phrase the market's refusal as one line naming the symbol."""
    if error.code == "unknown_symbol":
        return f"unknown symbol {symbol} (not listed by this market)"
    if error.code == "invalid_symbol":
        return f"invalid symbol {symbol[:32]}: use 1 to 12 letters, digits, dots or dashes"
    return f"{symbol}: {error.message}"


def _source_name() -> str:
    """Name the source in an error (with a hint where the budget may be the cause)."""
    configured: str = current_app.config["INVSIM_SETTINGS"].market_data_provider
    if configured == "alphavantage":
        return ("alphavantage: none stored, and none fetched: the provider has none, "
                "or the request budget is spent for now")
    return configured


def _instant(value: date | datetime | str, side: str) -> datetime:
    """Read one end of the range; a date covers its whole day (UTC)."""
    if isinstance(value, str):
        value = _parse(value, side)
    if isinstance(value, datetime):
        return ensure_utc(value)
    moment = datetime.combine(value, time.min, tzinfo=UTC)
    return moment if side == "start" else moment + timedelta(days=1, microseconds=-1)


def _parse(text: str, side: str) -> date | datetime:
    """Parse an ISO date or date-time."""
    try:
        if len(text.strip()) == 10:
            return date.fromisoformat(text.strip())
        return datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise BarsError(f"the {side} {text[:40]!r} is not a date (use YYYY-MM-DD)") from None


def _day(moment: datetime) -> str:
    """Format an instant as its UTC day."""
    return f"{moment:%Y-%m-%d}"
