"""Market data over HTTP: shapes, amounts as strings, and every bad input as a 4xx."""

from datetime import UTC, datetime, timedelta

import pytest

from invsim.core.clock import set_clock
from invsim.market.universe import load_universe

NOW = datetime(2026, 11, 24, 17, 0, 7, tzinfo=UTC)
API = "/api/v1/market"


@pytest.fixture()
def frozen():
    set_clock(lambda: NOW)
    return NOW


def error_code(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    return body["error"]["code"]


def test_searching_apple_finds_aapl_first(client):
    response = client.get(f"{API}/instruments?q=apple&limit=5")
    assert response.status_code == 200
    first = response.get_json()["instruments"][0]
    assert first["symbol"] == "AAPL" and first["name"] == "Apple Inc."
    assert first["tradable"] is True and first["asset_class"] == "us_equity"


def test_an_instrument_is_found_by_symbol_in_any_case(client):
    body = client.get(f"{API}/instruments/spy").get_json()
    assert body["symbol"] == "SPY" and body["asset_class"] == "etf"


def test_a_quote_carries_amounts_as_strings_with_source_and_staleness(client, frozen):
    body = client.get(f"{API}/quotes/aapl").get_json()
    assert body["symbol"] == "AAPL" and body["source"] == "simulated"
    for field in ("bid", "ask", "last", "prev_close", "day_open", "day_high", "day_low",
                  "change", "change_percent"):
        assert isinstance(body[field], str), field
    assert body["stale"] is False and isinstance(body["age_seconds"], int)
    assert body["as_of"].endswith("Z") and body["as_of"] <= NOW.isoformat()


def test_batch_quotes_are_keyed_by_normalised_symbol(client, frozen):
    body = client.get(f"{API}/quotes?symbols=aapl, MSFT,spy,AAPL").get_json()
    assert list(body["quotes"]) == ["AAPL", "MSFT", "SPY"]
    assert body["unavailable"] == []


def test_a_batch_of_100_symbols_is_served_and_101_is_refused(client, frozen):
    symbols = load_universe().symbols()
    ok = client.get(f"{API}/quotes?symbols={','.join(symbols[:100])}")
    assert ok.status_code == 200 and len(ok.get_json()["quotes"]) == 100
    too_many = client.get(f"{API}/quotes?symbols={','.join(symbols[:101])}")
    assert error_code(too_many, 422) == "too_many_symbols"


def test_bars_come_oldest_first_with_a_token_for_the_next_page(client, frozen):
    start = (NOW - timedelta(days=30)).isoformat()  # "+00:00" must be URL-encoded
    first = client.get(f"{API}/bars/msft", query_string={"interval": "1d", "limit": 10,
                                                          "start": start}).get_json()
    assert first["symbol"] == "MSFT" and first["interval"] == "1d"
    assert len(first["bars"]) == 10 and set(first["bars"][0]) == {"t", "o", "h", "l", "c", "v"}
    assert isinstance(first["bars"][0]["c"], str)
    following = client.get(f"{API}/bars/MSFT?interval=1d&limit=10&page_token="
                           f"{first['next_page_token']}").get_json()
    assert following["bars"][0]["t"] > first["bars"][-1]["t"]


def test_bars_never_include_the_future(client, frozen):
    end = (NOW + timedelta(days=365)).isoformat().replace("+00:00", "Z")
    body = client.get(f"{API}/bars/AAPL?interval=1h&start=2026-11-20&end={end}").get_json()
    assert body["bars"] and all(bar["t"] <= NOW.isoformat() for bar in body["bars"])


def _bars(client, symbol, interval, start, end, **extra):
    """Read bars over HTTP, asserting a 200."""
    response = client.get(f"{API}/bars/{symbol}", query_string={
        "interval": interval, "start": start.isoformat(), "end": end.isoformat(), **extra})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_a_bar_whose_end_lies_inside_it_comes_back_finished(client, frozen):
    day = datetime(2026, 11, 10, tzinfo=UTC)
    cut = _bars(client, "KO", "1d", day, day + timedelta(hours=9))["bars"]
    whole = _bars(client, "KO", "1d", day, day + timedelta(hours=23, minutes=59))["bars"]
    assert len(cut) == 1 and cut == whole
    hour = _bars(client, "KO", "1h", day, day + timedelta(hours=9, minutes=20))["bars"]
    later = _bars(client, "KO", "1h", day, day + timedelta(hours=12))["bars"]
    assert hour[-1]["t"].startswith("2026-11-10T09:00") and hour[-1] == later[9]


def test_paged_intraday_bars_equal_one_request(client, frozen):
    start, end = NOW - timedelta(days=2, hours=5), NOW - timedelta(hours=3)
    whole = _bars(client, "IBM", "15m", start, end, limit=5000)
    pages, token = [], None
    while True:
        query = {"interval": "15m", "limit": 17, **({"page_token": token} if token else
                                                   {"start": start.isoformat(),
                                                    "end": end.isoformat()})}
        body = client.get(f"{API}/bars/IBM", query_string=query).get_json()
        pages += body["bars"]
        token = body["next_page_token"]
        if token is None:
            break
    assert pages == whole["bars"] and len(pages) > 17 * 3


def test_intraday_history_covers_the_last_30_sessions_as_documented(client, frozen):
    # docs/market-simulation.md and docs/market-data.md: intraday bars exist for the last
    # 30 sessions, counted from now, however the range is asked for.
    hourly = _bars(client, "MSFT", "1h", NOW - timedelta(days=89), NOW, limit=5000)["bars"]
    days = sorted({bar["t"][:10] for bar in hourly})
    assert len(days) == 30
    assert days[-1] == NOW.date().isoformat()
    assert days[0] == (NOW - timedelta(days=29)).date().isoformat()
    old = NOW - timedelta(days=40)
    assert _bars(client, "MSFT", "5m", old - timedelta(days=3), old)["bars"] == []
    assert _bars(client, "MSFT", "1d", old - timedelta(days=3), old)["bars"]  # daily goes back


def test_the_clock_says_open_with_the_next_open_and_close(client):
    body = client.get(f"{API}/clock").get_json()
    assert body["is_open"] is True and body["calendar"] == "always_open"
    assert body["next_close"] > body["timestamp"]


@pytest.mark.parametrize("path,status,code", [
    ("/instruments/ZZZZ", 404, "unknown_symbol"),
    ("/quotes/ZZZZ", 404, "unknown_symbol"),
    ("/quotes?symbols=AAPL,ZZZZ", 404, "unknown_symbol"),
    ("/bars/ZZZZ", 404, "unknown_symbol"),
    ("/instruments/A;DROP", 422, "invalid_symbol"),
    ("/quotes/A;DROP%20TABLE", 422, "invalid_symbol"),
    ("/quotes?symbols=AAPL,../etc", 422, "invalid_symbol"),
    ("/quotes?symbols=AAPL,'%20OR%201=1--", 422, "invalid_symbol"),
    ("/quotes/ABCDEFGHIJKLM", 422, "invalid_symbol"),
    ("/instruments/..%2Fetc", 404, None),
    ("/instruments/../etc", 404, None),
    ("/quotes?symbols=", 422, "validation_error"),
    ("/quotes?symbols=,,,", 422, "no_symbols"),
    ("/quotes", 422, "validation_error"),
    ("/quotes?symbols=AAPL&extra=1", 422, "validation_error"),
    ("/bars/AAPL?interval=2m", 422, "validation_error"),
    ("/bars/AAPL?interval=1d&start=2024-02-01&end=2024-01-01", 422, "invalid_range"),
    ("/bars/AAPL?interval=1m&start=2026-01-01&end=2026-02-01", 422, "range_too_large"),
    ("/bars/AAPL?start=01/02/2024", 422, "validation_error"),
    ("/bars/AAPL?start=yesterday", 422, "validation_error"),
    ("/bars/AAPL?end=2024-13-45", 422, "validation_error"),
    ("/bars/AAPL?start=1700000000", 422, "validation_error"),
    ("/bars/AAPL?limit=0", 422, "validation_error"),
    ("/bars/AAPL?limit=5001", 422, "validation_error"),
    ("/bars/AAPL?limit=ten", 422, "validation_error"),
    ("/bars/AAPL?page_token=garbage", 422, "invalid_page_token"),
    ("/bars/AAPL?page_token=" + "x" * 600, 422, "validation_error"),
    ("/instruments?q=", 422, "validation_error"),
    ("/instruments?q=apple&limit=51", 422, "validation_error"),
    ("/instruments?q=" + "a" * 65, 422, "validation_error"),
    ("/stream?symbols=ZZZZ", 404, "unknown_symbol"),
    ("/stream?symbols=A;DROP", 422, "invalid_symbol"),
    ("/stream", 422, "validation_error"),
])
def test_bad_market_input_is_a_4xx_in_the_error_shape(client, frozen, path, status, code):
    found = error_code(client.get(API + path), status)
    assert code is None or found == code


def test_every_market_endpoint_documents_its_statuses(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    quote = paths["/api/v1/market/quotes/{symbol}"]["get"]["responses"]
    assert {"200", "404", "422", "503"} <= set(quote)
    bars = paths["/api/v1/market/bars/{symbol}"]["get"]["responses"]
    assert {"200", "404", "422", "503"} <= set(bars)
    stream = paths["/api/v1/market/stream"]["get"]["responses"]
    assert "text/event-stream" in stream["200"]["content"]
    watchlist = paths["/api/v1/watchlists/{watchlist_id}"]
    assert {"401", "404"} <= set(watchlist["get"]["responses"])
    assert {"401", "404", "409", "422"} <= set(watchlist["patch"]["responses"])
