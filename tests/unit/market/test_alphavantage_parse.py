"""Reading recorded Alpha Vantage bodies: notices, JSON and CSV answers."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from invsim.market.providers import alphavantage_parse as parse
from invsim.market.providers.base import (
    InvalidApiKey,
    InvalidCall,
    NotEntitled,
    QuotaExhausted,
    Throttled,
    UnknownSymbol,
)
from tests.unit.market.conftest import fixture_bytes

FETCHED = datetime(2026, 5, 17, 12, 0, tzinfo=UTC)


def body(name: str) -> str:
    """Decode a recorded body the way the client does."""
    return parse.decode(fixture_bytes(name))


def notice(name: str, function: str = "TIME_SERIES_DAILY", symbol: str | None = "IBM") -> object:
    """Classify a recorded notice body."""
    payload = parse.load_json(body(name))
    return parse.notice_error(payload, function=function, symbol=symbol, now=FETCHED)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("alphavantage_note_ratelimit.json", Throttled),
        ("alphavantage_note_ratelimit_utf8bom.json", Throttled),
        ("alphavantage_information_burst_limit.json", Throttled),
        ("alphavantage_information_premium_legacy_utf8bom.json", Throttled),
        ("alphavantage_information_daily_limit.json", QuotaExhausted),
        ("alphavantage_information_daily_limit_detected_key.json", QuotaExhausted),
        ("alphavantage_information_premium.json", NotEntitled),
        ("alphavantage_information_premium_outputsize_full.json", NotEntitled),
        ("alphavantage_information_demo_key.json", InvalidApiKey),
        ("alphavantage_error_invalid_apikey.json", InvalidApiKey),
        ("alphavantage_error_invalid_TIME_SERIES_DAILY.json", UnknownSymbol),
    ],
)
def test_each_recorded_notice_is_classified(name: str, kind: type) -> None:
    assert type(notice(name)) is kind


def test_a_premium_notice_is_not_entitled_and_never_retryable() -> None:
    error = notice("alphavantage_information_premium.json")
    assert isinstance(error, NotEntitled) and not error.retryable
    assert isinstance(notice("alphavantage_information_demo_key.json"), NotEntitled)


def test_throttle_notices_ask_to_retry_after_a_minute() -> None:
    error = notice("alphavantage_information_burst_limit.json")
    assert isinstance(error, Throttled) and error.retryable
    assert error.retry_after_seconds == 60


def test_the_daily_quota_resets_at_the_next_utc_midnight() -> None:
    error = notice("alphavantage_information_daily_limit.json")
    assert isinstance(error, QuotaExhausted)
    assert error.retry_at == datetime(2026, 5, 18, tzinfo=UTC)


def test_an_invalid_call_for_an_unknown_function_is_a_bad_call() -> None:
    error = notice("alphavantage_error_invalid_CMO_utf8bom.json", function="CMO", symbol=None)
    assert isinstance(error, InvalidCall)


def test_an_ordinary_answer_is_not_a_notice() -> None:
    assert notice("alphavantage_global_quote_MSFT.json", function="GLOBAL_QUOTE") is None


def test_a_byte_order_mark_is_dropped() -> None:
    raw = fixture_bytes("alphavantage_daily_MSFT_utf8bom.json")
    assert raw.startswith(b"\xef\xbb\xbf")
    assert parse.decode(raw).startswith("{")


def test_numbers_are_read_exactly_with_or_without_padding_and_percent() -> None:
    assert parse.number("112.1300") == Decimal("112.1300")
    assert parse.number("719.8") == Decimal("719.8")
    assert parse.number(" -0.5852% ") == Decimal("-0.5852")
    assert parse.whole("29062853") == 29062853
    with pytest.raises(parse.UnexpectedBody):
        parse.number("n/a")


def test_global_quote_json_is_parsed_exactly() -> None:
    payload = parse.load_json(body("alphavantage_global_quote_MSFT.json"))
    quote = parse.parse_global_quote(payload, symbol="MSFT", fetched_at=FETCHED)
    assert quote.symbol == "MSFT"
    assert quote.last == quote.bid == quote.ask == Decimal("112.1300")
    assert quote.prev_close == Decimal("112.7900")
    assert (quote.day_open, quote.day_high, quote.day_low) == (
        Decimal("112.6300"),
        Decimal("113.1700"),
        Decimal("110.6400"),
    )
    assert quote.volume == 29062853
    assert quote.as_of == datetime(2018, 10, 5, 20, 0, tzinfo=UTC)  # the 16:00 New York close
    assert quote.source == "alphavantage"


def test_an_empty_global_quote_means_an_unknown_symbol() -> None:
    payload = parse.load_json(body("alphavantage_global_quote_empty_unknown_symbol.json"))
    with pytest.raises(UnknownSymbol):
        parse.parse_global_quote(payload, symbol="NOPE", fetched_at=FETCHED)


def test_global_quote_csv_is_parsed() -> None:
    quote = parse.parse_global_quote_csv(
        body("alphavantage_global_quote_IBM.csv"), symbol="IBM", fetched_at=FETCHED
    )
    assert quote.last == Decimal("219.3000")
    assert quote.prev_close == Decimal("218.3700")
    assert quote.as_of == datetime(2026, 5, 15, 20, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "count", "first_start"),
    [
        ("alphavantage_daily_MSFT_utf8bom.json", 100, datetime(2018, 3, 27, 13, 30, tzinfo=UTC)),
        ("alphavantage_daily_TSLA.json", 100, datetime(2020, 11, 30, 14, 30, tzinfo=UTC)),
        ("alphavantage_intraday_1min_MSFT.json", 100, None),
        ("alphavantage_intraday_5min_TSLA.json", 100, None),
        ("alphavantage_intraday_15min_MSFT_utf8bom.json", 39, None),
    ],
)
def test_json_series_are_parsed_oldest_first(
    name: str, count: int, first_start: datetime | None
) -> None:
    bars = parse.parse_series(parse.load_json(body(name)), symbol="X", interval="1d")
    assert len(bars) == count
    assert [bar.start for bar in bars] == sorted(bar.start for bar in bars)
    if first_start is not None:
        assert bars[0].start == first_start
    assert all(bar.low <= bar.open <= bar.high and bar.volume >= 0 for bar in bars)


def test_a_daily_series_keeps_exact_values() -> None:
    bars = parse.parse_series(
        parse.load_json(body("alphavantage_daily_TSLA.json")), symbol="TSLA", interval="1d"
    )
    last = bars[-1]
    assert last.start == datetime(2021, 4, 23, 13, 30, tzinfo=UTC)
    assert (last.open, last.high, last.low, last.close) == (
        Decimal("719.8000"),
        Decimal("737.3600"),
        Decimal("715.4600"),
        Decimal("729.4000"),
    )
    assert last.volume == 27703323


def test_intraday_times_are_new_york_bar_starts_in_utc() -> None:
    bars = parse.parse_series(
        parse.load_json(body("alphavantage_intraday_15min_MSFT_utf8bom.json")),
        symbol="MSFT",
        interval="15m",
    )
    assert bars[-1].start == datetime(2018, 4, 11, 19, 30, tzinfo=UTC)  # 15:30 EDT


@pytest.mark.parametrize(
    ("name", "count", "last_start"),
    [
        ("alphavantage_daily_IBM.csv", 100, datetime(2026, 5, 15, 13, 30, tzinfo=UTC)),
        ("alphavantage_intraday_5min_IBM.csv", 100, datetime(2026, 5, 15, 23, 55, tzinfo=UTC)),
        ("alphavantage_intraday_5min_TSLA.csv", 100, datetime(2021, 5, 14, 0, 0, tzinfo=UTC)),
    ],
)
def test_csv_series_with_lf_or_crlf_are_parsed(name: str, count: int, last_start: datetime) -> None:
    interval = "1d" if "daily" in name else "5m"
    bars = parse.parse_series_csv(body(name), symbol="X", interval=interval)
    assert len(bars) == count
    assert bars[-1].start == last_start
    assert [bar.start for bar in bars] == sorted(bar.start for bar in bars)


def test_crlf_csv_is_really_crlf() -> None:
    assert b"\r\n" in fixture_bytes("alphavantage_intraday_5min_TSLA.csv")


def test_symbol_search_json_and_csv_are_parsed_best_first() -> None:
    tesla = parse.parse_search(parse.load_json(body("alphavantage_symbol_search_tesla.json")))
    assert tesla[0].score == 1.0
    assert any(match.symbol == "TSLA" for match in tesla)
    boeing = parse.parse_search(parse.load_json(body("alphavantage_symbol_search_BA.json")))
    assert boeing[0].symbol == "BA"
    tesco = parse.parse_search_csv(body("alphavantage_symbol_search_tesco.csv"))
    assert tesco[0].symbol == "TSCO.LON"
    assert tesco[1].currency == "USD"
    assert [m.score for m in tesco] == sorted((m.score for m in tesco), reverse=True)
