"""Alpaca's Market Data API v2 driven by the unchanged SDKs against a running invsim.

alpaca-py's StockHistoricalDataClient and alpaca-trade-api's REST parse every answer
with their own models. The clock is frozen at T0 (a Tuesday, 15:00:30 UTC) and the
simulated market is deterministic, so the bars can be checked exactly against the web
API's /api/v1/market/bars and between the database backends.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import requests
from alpaca.common.exceptions import APIError
from alpaca.data.historical import StockHistoricalDataClient
from alpaca.data.requests import (
    StockBarsRequest,
    StockLatestQuoteRequest,
    StockLatestTradeRequest,
    StockSnapshotRequest,
)
from alpaca.data.timeframe import TimeFrame, TimeFrameUnit
from alpaca_trade_api.rest import REST
from alpaca_trade_api.rest import APIError as TradeApiError
from alpaca_trade_api.rest import TimeFrame as TradeApiTimeFrame

from tests.service.trading.support import T0

D = Decimal
MINUTE = timedelta(minutes=1)
# alpaca-py timeframe, its step, and a start that gives a few dozen bars or more.
TIMEFRAMES = [
    (TimeFrame.Minute, MINUTE, T0 - timedelta(hours=2)),
    (TimeFrame(5, TimeFrameUnit.Minute), 5 * MINUTE, T0 - timedelta(hours=6)),
    (TimeFrame(15, TimeFrameUnit.Minute), 15 * MINUTE, T0 - timedelta(days=1)),
    (TimeFrame.Hour, 60 * MINUTE, T0 - timedelta(days=3)),
    (TimeFrame.Day, timedelta(days=1), T0 - timedelta(days=60)),
    (TimeFrame.Week, timedelta(days=7), T0 - timedelta(days=200)),
]
# One answer per backend of this process, to check both backends serve the same bars.
FINGERPRINTS: dict[str, str] = {}


def data_client(bot: Any) -> StockHistoricalDataClient:
    return StockHistoricalDataClient(bot.key_id, bot.secret, url_override=bot.alpaca_url)


def trade_api(bot: Any, monkeypatch: Any) -> REST:
    """alpaca-trade-api reads market data from APCA_API_DATA_URL (not from base_url)."""
    monkeypatch.setenv("APCA_API_DATA_URL", bot.alpaca_url)
    return REST(bot.key_id, bot.secret, base_url=bot.alpaca_url)


def raw(bot: Any, path: str, **params: Any) -> requests.Response:
    return requests.get(f"{bot.alpaca_url}/v2{path}", params=params, headers=bot.key_headers,
                        timeout=30)


def exact(response: requests.Response) -> Any:
    """The body with JSON numbers read as exact decimals."""
    return json.loads(response.text, parse_float=Decimal)


def assert_sane(bars: list[Any], step: timedelta, start: datetime) -> None:
    """Strictly increasing, aligned to the step, OHLC consistent, none after now."""
    times = [bar.timestamp for bar in bars]
    assert times == sorted(set(times)) and times[0] >= start and times[-1] <= T0
    for bar in bars:
        assert bar.low <= min(bar.open, bar.close) <= max(bar.open, bar.close) <= bar.high
        assert bar.volume >= 0 and bar.low <= bar.vwap <= bar.high
        if step < timedelta(days=7):
            assert bar.timestamp.timestamp() % step.total_seconds() == 0
        else:
            assert bar.timestamp.weekday() == 0 and bar.timestamp.hour == 0


@pytest.mark.parametrize(("timeframe", "step", "start"), TIMEFRAMES,
                         ids=[str(t[0].value) for t in TIMEFRAMES])
def test_alpaca_py_bars_of_several_symbols_every_timeframe(bot, timeframe, step, start):
    barset = data_client(bot).get_stock_bars(StockBarsRequest(
        symbol_or_symbols=["MSFT", "AAPL"], timeframe=timeframe, start=start))
    assert set(barset.data) == {"AAPL", "MSFT"}
    for bars in barset.data.values():
        assert len(bars) >= 3
        assert_sane(bars, step, start)
    frame = barset.df
    assert len(frame) == sum(len(b) for b in barset.data.values())
    assert set(frame.index.get_level_values("symbol")) == {"AAPL", "MSFT"}


def test_bars_are_the_web_apis_exact_prices(bot, client, database_url):
    start = T0 - timedelta(days=2)
    ours = exact(raw(bot, "/stocks/AAPL/bars", timeframe="1Hour", start=start.isoformat()))
    web = client.get("/api/v1/market/bars/AAPL",
                     query_string={"interval": "1h", "start": start.isoformat()}).get_json()
    assert ours["symbol"] == "AAPL" and ours["next_page_token"] is None
    assert len(ours["bars"]) == len(web["bars"]) >= 40
    for mine, theirs in zip(ours["bars"], web["bars"], strict=True):
        assert [mine[k] for k in "ohlc"] == [D(theirs[k]) for k in "ohlc"]
        assert mine["v"] == theirs["v"] and mine["t"] == theirs["t"].replace("+00:00", "Z")
    FINGERPRINTS.setdefault(database_url.split(":")[0], json.dumps(ours["bars"], default=str))
    assert len(set(FINGERPRINTS.values())) == 1  # the other backend (if it ran) agrees


def test_alpaca_py_follows_pages_across_symbols(bot):
    start = T0 - timedelta(days=4)
    barset = data_client(bot).get_stock_bars(StockBarsRequest(
        symbol_or_symbols=["AAPL", "MSFT"], timeframe=TimeFrame.Minute, start=start))
    counts = {s: len(b) for s, b in barset.data.items()}
    # More bars than alpaca-py's 10000 per request: it had to follow next_page_token.
    assert sum(counts.values()) > 10_000
    for bars in barset.data.values():
        assert_sane(bars, MINUTE, start)
        assert len(bars) == (bars[-1].timestamp - bars[0].timestamp) / MINUTE + 1  # no gap
    capped = data_client(bot).get_stock_bars(StockBarsRequest(
        symbol_or_symbols=["AAPL", "MSFT"], timeframe=TimeFrame.Minute, start=start,
        limit=7000))
    assert len(capped.data["AAPL"]) == counts["AAPL"]
    assert capped.data["MSFT"] == barset.data["MSFT"][:7000 - counts["AAPL"]]


def walk(bot: Any, **params: Any) -> list[dict[str, Any]]:
    """Every page of a multi-symbol bars request, by hand."""
    pages, token = [], None
    while True:
        body = raw(bot, "/stocks/bars", **params, **({"page_token": token} if token else {}))
        assert body.status_code == 200, body.text
        pages.append(body.json())
        token = pages[-1]["next_page_token"]
        if token is None:
            return pages


def test_small_pages_cover_every_bar_once_in_both_orders(bot):
    query = {"symbols": "XOM,AAPL,MSFT", "timeframe": "15Min",
             "start": (T0 - timedelta(hours=8)).isoformat()}
    whole = raw(bot, "/stocks/bars", **query, limit=10_000).json()
    assert whole["next_page_token"] is None and list(whole["bars"]) == ["AAPL", "MSFT", "XOM"]
    pages = walk(bot, **query, limit=7)
    assert all(sum(len(b) for b in page["bars"].values()) <= 7 for page in pages)
    total = sum(len(b) for b in whole["bars"].values())
    assert len(pages) == -(-total // 7)
    joined: dict[str, list[Any]] = {}
    for page in pages:
        for symbol, bars in page["bars"].items():
            joined.setdefault(symbol, []).extend(bars)
    assert joined == whole["bars"]
    newest_first: dict[str, list[Any]] = {}
    for page in walk(bot, **query, limit=5, sort="desc"):
        for symbol, bars in page["bars"].items():
            newest_first.setdefault(symbol, []).extend(bars)
    assert newest_first == {s: list(reversed(b)) for s, b in whole["bars"].items()}


def test_alpaca_py_latest_quote_trade_and_snapshot(bot, client):
    data = data_client(bot)
    quotes = data.get_stock_latest_quote(StockLatestQuoteRequest(
        symbol_or_symbols=["AAPL", "MSFT"]))
    web = client.get("/api/v1/market/quotes/AAPL").get_json()
    aapl = quotes["AAPL"]
    assert set(quotes) == {"AAPL", "MSFT"} and aapl.timestamp <= T0
    assert D(str(aapl.bid_price)) == D(web["bid"]) and D(str(aapl.ask_price)) == D(web["ask"])
    assert aapl.bid_price <= aapl.ask_price and aapl.ask_exchange == "Q"
    trades = data.get_stock_latest_trade(StockLatestTradeRequest(symbol_or_symbols="AAPL"))
    assert D(str(trades["AAPL"].price)) == D(web["last"])
    snap = data.get_stock_snapshot(StockSnapshotRequest(symbol_or_symbols=["AAPL", "XOM"]))
    assert set(snap) == {"AAPL", "XOM"}
    one = snap["AAPL"]
    assert one.latest_trade.price == trades["AAPL"].price == one.minute_bar.close
    assert one.minute_bar.timestamp == T0.replace(second=0)
    assert one.daily_bar.timestamp.date() == T0.date()
    assert one.previous_daily_bar.timestamp == one.daily_bar.timestamp - timedelta(days=1)
    assert one.daily_bar.close == one.latest_trade.price


@pytest.mark.filterwarnings("ignore:The 'unit' keyword:UserWarning")  # the SDK's own pandas call
def test_alpaca_trade_api_bars_quotes_trades_snapshots(bot, monkeypatch):
    api = trade_api(bot, monkeypatch)
    start = (T0 - timedelta(days=3)).isoformat()
    bars = api.get_bars("AAPL", TradeApiTimeFrame.Hour, start=start)
    assert len(bars) >= 60 and bars[-1].t <= T0
    assert all(b.l <= min(b.o, b.c) and max(b.o, b.c) <= b.h for b in bars)
    # No limit: the server's 1000 per page, so the SDK followed the tokens.
    minutes = api.get_bars(["AAPL", "MSFT"], TradeApiTimeFrame.Minute, start=start)
    frame = minutes.df
    assert len(minutes) > 1000 and set(frame["symbol"]) == {"AAPL", "MSFT"}
    quote = api.get_latest_quote("AAPL")
    assert 0 < quote.bid_price <= quote.ask_price
    trade = api.get_latest_trade("AAPL")
    assert trade.price > 0 and trade.timestamp <= T0
    snap = api.get_snapshot("AAPL")
    assert snap.daily_bar.close == trade.price and snap.prev_daily_bar is not None
    assert set(api.get_snapshots(["AAPL", "MSFT"])) == {"AAPL", "MSFT"}
    with pytest.raises(TradeApiError) as unknown:
        api.get_latest_quote("ZZZZ")
    assert unknown.value.status_code == 404


def test_unknown_symbols_are_left_out_of_multi_symbol_answers(bot):
    data = data_client(bot)
    quotes = data.get_stock_latest_quote(StockLatestQuoteRequest(
        symbol_or_symbols=["AAPL", "ZZZZ"]))
    assert set(quotes) == {"AAPL"}
    barset = data.get_stock_bars(StockBarsRequest(
        symbol_or_symbols=["ZZZZ", "AAPL"], timeframe=TimeFrame.Day,
        start=T0 - timedelta(days=10)))
    assert set(barset.data) == {"AAPL"}
    for path in ("/stocks/ZZZZ/bars", "/stocks/ZZZZ/snapshot", "/stocks/ZZZZ/trades/latest"):
        answer = raw(bot, path, timeframe="1Day")
        assert answer.status_code == 404 and answer.json()["code"] == 40410000


@pytest.mark.parametrize("params", [
    {"timeframe": "2Min"}, {"timeframe": "1Month"}, {"timeframe": "fast"}, {},
    {"timeframe": "1Day", "start": "yesterday"},
    {"timeframe": "1Day", "start": "2025-03-04", "end": "2025-03-01"},
    {"timeframe": "1Day", "limit": "0"}, {"timeframe": "1Day", "limit": "10001"},
    {"timeframe": "1Day", "sort": "up"}, {"timeframe": "1Day", "feed": "nyse"},
    {"timeframe": "1Day", "currency": "EUR"}, {"timeframe": "1Day", "page_token": "bm9wZQ"},
    {"timeframe": "1Min", "start": "2025-01-01"},  # longer than 1Min bars may span
    {"timeframe": "1Week", "end": "0001-01-02"},  # the default start would overflow
    {"timeframe": "1Day", "start": "9999-12-31T23:59:59-05:00"},
], ids=lambda p: "-".join(f"{k}={v}" for k, v in p.items()) or "no-timeframe")
def test_bad_bars_queries_are_422_in_alpacas_shape(bot, params):
    for path, extra in (("/stocks/AAPL/bars", {}), ("/stocks/bars", {"symbols": "AAPL"})):
        answer = raw(bot, path, **params, **extra)
        assert answer.status_code == 422, answer.text
        body = answer.json()
        assert body["code"] == 42210000 and body["message"]


def test_alpaca_py_errors_end_before_start_and_wrong_secret(bot):
    with pytest.raises(APIError) as backwards:
        data_client(bot).get_stock_bars(StockBarsRequest(
            symbol_or_symbols="AAPL", timeframe=TimeFrame.Day, start=T0,
            end=T0 - timedelta(days=3)))
    assert backwards.value.status_code == 422
    wrong = StockHistoricalDataClient(bot.key_id, "not-the-secret", url_override=bot.alpaca_url)
    with pytest.raises(APIError) as refused:
        wrong.get_stock_latest_quote(StockLatestQuoteRequest(symbol_or_symbols="AAPL"))
    assert refused.value.status_code == 401
    assert raw(bot, "/stocks/quotes/latest", symbols="AA$L").status_code == 422
    assert raw(bot, "/stocks/quotes/latest").status_code == 422


@pytest.mark.parametrize(("alias", "same_as"), [
    ("1T", "1Min"), ("5T", "5Min"), ("60Min", "1Hour"), ("1H", "1Hour"), ("1D", "1Day"),
    ("1W", "1Week"), ("1day", "1Day"),
])
def test_alpacas_short_timeframes_mean_the_same(bot, alias, same_as):
    days = 30 if same_as == "1Week" else 1
    query = {"symbols": "AAPL", "start": (T0 - timedelta(days=days)).isoformat(), "limit": 50,
             "feed": "iex", "adjustment": "raw"}
    short = raw(bot, "/stocks/bars", timeframe=alias, **query)
    assert short.status_code == 200 and short.json()["bars"]["AAPL"]
    assert short.json() == raw(bot, "/stocks/bars", timeframe=same_as, **query).json()


def test_a_range_in_the_future_is_empty_not_an_error(bot):
    later = (T0 + timedelta(days=2)).isoformat()
    single = raw(bot, "/stocks/AAPL/bars", timeframe="1Day", start=later)
    assert single.status_code == 200
    assert single.json() == {"bars": [], "symbol": "AAPL", "next_page_token": None}
    multi = raw(bot, "/stocks/bars", symbols="AAPL", timeframe="1Min", start=later)
    assert multi.json() == {"bars": {}, "next_page_token": None}
