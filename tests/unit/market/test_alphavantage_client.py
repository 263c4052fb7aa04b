"""The Alpha Vantage client against a local HTTP server answering with recorded bodies."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from invsim.core.clock import set_clock
from invsim.market.providers.alphavantage import AlphaVantageProvider
from invsim.market.providers.base import (
    InvalidApiKey,
    NotEntitled,
    ProviderUnavailable,
    QuotaExhausted,
    Throttled,
    UnknownSymbol,
)
from tests.unit.market.conftest import Canned, FakeAlphaVantage

KEY = "SECRETKEY123"


def client(alpha: FakeAlphaVantage, **settings: object) -> AlphaVantageProvider:
    """Build a client of the local server that never really sleeps."""
    return AlphaVantageProvider(api_key=KEY, base_url=alpha.url, sleep=lambda _: None, **settings)  # type: ignore[arg-type]


def test_quotes_come_from_global_quote_with_the_api_key(
    alpha: FakeAlphaVantage, now: datetime
) -> None:
    alpha.answer("GLOBAL_QUOTE", "alphavantage_global_quote_MSFT.json")
    quotes = client(alpha).quotes(["msft"])
    assert quotes["MSFT"].last == Decimal("112.1300")
    assert alpha.requests == [{"function": "GLOBAL_QUOTE", "symbol": "MSFT", "apikey": KEY}]


def test_an_unknown_symbol_is_left_out_of_quotes(alpha: FakeAlphaVantage, now: datetime) -> None:
    alpha.answer("GLOBAL_QUOTE", "alphavantage_global_quote_empty_unknown_symbol.json")
    provider = client(alpha)
    assert provider.quotes(["NOPE"]) == {}
    with pytest.raises(UnknownSymbol):
        provider.quote("NOPE")


def test_quotes_newer_than_the_requested_instant_are_left_out(
    alpha: FakeAlphaVantage, now: datetime
) -> None:
    alpha.answer("GLOBAL_QUOTE", "alphavantage_global_quote_TSLA.json")
    provider = client(alpha)
    assert provider.quotes(["TSLA"], datetime(2021, 4, 23, 12, tzinfo=UTC)) == {}
    assert provider.quotes(["TSLA"], datetime(2021, 4, 24, tzinfo=UTC))["TSLA"].last == Decimal(
        "729.4000"
    )


def test_a_live_quote_is_stamped_with_its_fetch_time_during_the_session(
    alpha: FakeAlphaVantage, clock: list[datetime]
) -> None:
    moments = iter(datetime(2018, 10, 5, 15, 0, second, tzinfo=UTC) for second in range(60))
    set_clock(lambda: next(moments))  # every reading of the clock is a second later
    alpha.answer("GLOBAL_QUOTE", "alphavantage_global_quote_MSFT.json")
    quotes = client(alpha).quotes(["MSFT"])
    assert quotes["MSFT"].as_of.replace(second=0) == datetime(2018, 10, 5, 15, tzinfo=UTC)


def test_daily_bars_use_compact_output_unless_entitled_to_full_history(
    alpha: FakeAlphaVantage, now: datetime
) -> None:
    alpha.answer("TIME_SERIES_DAILY", "alphavantage_daily_MSFT_utf8bom.json")
    start, end = datetime(2018, 1, 1, tzinfo=UTC), datetime(2019, 1, 1, tzinfo=UTC)
    bars = client(alpha).bars("MSFT", "1d", start, end)
    assert len(bars) == 100
    client(alpha, full_history_entitled=True).bars("MSFT", "1d", start, end)
    assert [r["outputsize"] for r in alpha.requests] == ["compact", "full"]


def test_bars_never_start_after_now(alpha: FakeAlphaVantage, clock: list[datetime]) -> None:
    clock[0] = datetime(2018, 8, 10, 12, tzinfo=UTC)
    alpha.answer("TIME_SERIES_DAILY", "alphavantage_daily_MSFT_utf8bom.json")
    bars = client(alpha).bars(
        "MSFT", "1d", datetime(2018, 8, 1, tzinfo=UTC), clock[0] + timedelta(days=30)
    )
    assert bars
    assert all(bar.start <= clock[0] for bar in bars)
    assert bars[-1].start == datetime(2018, 8, 10, 13, 30, tzinfo=UTC) - timedelta(days=1)


def test_weekly_bars_aggregate_the_daily_series(alpha: FakeAlphaVantage, now: datetime) -> None:
    alpha.answer("TIME_SERIES_DAILY", "alphavantage_daily_TSLA.json")
    provider = client(alpha)
    start, end = datetime(2021, 4, 12, tzinfo=UTC), datetime(2021, 4, 17, tzinfo=UTC)
    daily = provider.bars("TSLA", "1d", start, end)
    (week,) = provider.bars("TSLA", "1w", start, end)
    assert len(daily) == 5
    assert (week.open, week.close) == (daily[0].open, daily[-1].close)
    assert week.high == max(bar.high for bar in daily)
    assert week.volume == sum(bar.volume for bar in daily)


def test_intraday_bars_ask_for_the_matching_interval(
    alpha: FakeAlphaVantage, now: datetime
) -> None:
    alpha.answer("TIME_SERIES_INTRADAY", "alphavantage_intraday_5min_TSLA.json")
    bars = client(alpha).bars("TSLA", "5m", datetime(2021, 4, 23, tzinfo=UTC), now)
    assert len(bars) == 100
    assert alpha.requests[0]["interval"] == "5min"


def test_csv_answers_are_parsed_when_csv_is_configured(
    alpha: FakeAlphaVantage, now: datetime
) -> None:
    alpha.answer("TIME_SERIES_INTRADAY", "alphavantage_intraday_5min_TSLA.csv")
    alpha.answer("GLOBAL_QUOTE", "alphavantage_global_quote_IBM.csv")
    alpha.answer("SYMBOL_SEARCH", "alphavantage_symbol_search_tesco.csv")
    provider = client(alpha, datatype="csv")
    assert len(provider.bars("TSLA", "5m", datetime(2021, 5, 1, tzinfo=UTC), now)) == 100
    assert provider.quote("IBM").last == Decimal("219.3000")
    assert provider.search("tesco")[0].symbol == "TSCO.LON"
    assert all(r["datatype"] == "csv" for r in alpha.requests)


def test_a_json_notice_is_recognised_even_when_csv_was_asked(
    alpha: FakeAlphaVantage, now: datetime
) -> None:
    alpha.answer("GLOBAL_QUOTE", "alphavantage_information_daily_limit.json")
    with pytest.raises(QuotaExhausted):
        client(alpha, datatype="csv").quote("IBM")


def test_search_and_instrument_use_symbol_search(alpha: FakeAlphaVantage, now: datetime) -> None:
    alpha.answer("SYMBOL_SEARCH", "alphavantage_symbol_search_BA.json")
    provider = client(alpha)
    assert provider.search("BA", limit=3)[0].symbol == "BA"
    info = provider.instrument("BA")
    assert info.symbol == "BA" and info.name
    assert alpha.requests[0]["keywords"] == "BA"


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("alphavantage_note_ratelimit.json", Throttled),
        ("alphavantage_note_ratelimit_utf8bom.json", Throttled),
        ("alphavantage_information_burst_limit.json", Throttled),
        ("alphavantage_information_daily_limit.json", QuotaExhausted),
        ("alphavantage_information_daily_limit_detected_key.json", QuotaExhausted),
        ("alphavantage_information_premium.json", NotEntitled),
        ("alphavantage_information_demo_key.json", InvalidApiKey),
        ("alphavantage_error_invalid_apikey.json", InvalidApiKey),
        ("alphavantage_error_invalid_TIME_SERIES_DAILY.json", UnknownSymbol),
    ],
)
def test_notices_raise_typed_errors_and_are_never_retried(
    alpha: FakeAlphaVantage, now: datetime, name: str, error: type
) -> None:
    alpha.answer("TIME_SERIES_DAILY", name)
    provider = client(alpha, retries=3)
    with pytest.raises(error):
        provider.bars("IBM", "1d", now - timedelta(days=10), now)
    assert provider.calls_made == 1


def test_full_history_without_entitlement_is_not_entitled(
    alpha: FakeAlphaVantage, now: datetime
) -> None:
    alpha.answer("TIME_SERIES_DAILY", "alphavantage_information_premium_outputsize_full.json")
    with pytest.raises(NotEntitled, match="outputsize=full"):
        client(alpha, full_history_entitled=True).bars("IBM", "1d", now - timedelta(days=9), now)


def test_quota_exhaustion_says_when_to_retry(alpha: FakeAlphaVantage, now: datetime) -> None:
    alpha.answer("GLOBAL_QUOTE", "alphavantage_information_daily_limit.json")
    with pytest.raises(QuotaExhausted) as caught:
        client(alpha).quote("IBM")
    assert caught.value.retry_at == datetime(2026, 11, 25, tzinfo=UTC)


def test_server_errors_are_retried_with_exponential_backoff(
    alpha: FakeAlphaVantage, now: datetime
) -> None:
    alpha.answer(
        "GLOBAL_QUOTE",
        Canned(b"busy", status=503),
        Canned(b"busy", status=502),
        "alphavantage_global_quote_MSFT.json",
    )
    waits: list[float] = []
    provider = AlphaVantageProvider(
        api_key=KEY, base_url=alpha.url, retries=2, backoff_seconds=0.5, sleep=waits.append
    )
    assert provider.quote("MSFT").last == Decimal("112.1300")
    assert waits == [0.5, 1.0]
    assert provider.calls_made == 3


def test_unreachable_server_is_unavailable_and_hides_the_api_key(now: datetime) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again when the block ends: nothing listens
    waits: list[float] = []
    provider = AlphaVantageProvider(
        api_key=KEY, base_url=f"http://127.0.0.1:{port}/query", retries=2, sleep=waits.append
    )
    with pytest.raises(ProviderUnavailable) as caught:
        provider.quote("IBM")
    assert provider.calls_made == 3
    assert len(waits) == 2
    assert KEY not in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_a_slow_answer_times_out_as_unavailable(alpha: FakeAlphaVantage, now: datetime) -> None:
    alpha.answer("GLOBAL_QUOTE", Canned(b"{}", delay=0.5))
    provider = client(alpha, timeout_seconds=0.1, retries=0)
    with pytest.raises(ProviderUnavailable):
        provider.quote("IBM")


def test_every_call_is_counted_and_reported_to_the_hook(
    alpha: FakeAlphaVantage, now: datetime
) -> None:
    alpha.answer("GLOBAL_QUOTE", "alphavantage_global_quote_MSFT.json")
    alpha.answer("SYMBOL_SEARCH", "alphavantage_symbol_search_tesla.json")
    seen: list[tuple[str, dict[str, str]]] = []
    provider = client(alpha, on_call=lambda function, params: seen.append((function, params)))
    provider.quotes(["MSFT", "MSFT", "AAPL"])
    provider.search("tesla")
    assert provider.calls_made == 3
    assert [function for function, _ in seen] == ["GLOBAL_QUOTE", "GLOBAL_QUOTE", "SYMBOL_SEARCH"]
    assert seen[0][1] == {"function": "GLOBAL_QUOTE", "symbol": "MSFT"}  # never the API key
