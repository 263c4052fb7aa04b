"""Simulated bars: computed on demand, oldest first, paginated, never from the future."""

from datetime import UTC, datetime, timedelta

import pytest

from invsim.core.clock import set_clock
from invsim.core.errors import NotFound, ValidationFailed
from invsim.market import service

NOW = datetime(2026, 11, 24, 17, 0, 7, tzinfo=UTC)


@pytest.fixture()
def frozen(ctx):
    set_clock(lambda: NOW)
    return NOW


def all_pages(symbol, interval, start, end, limit):
    bars, token, pages = [], None, 0
    while True:
        page = service.get_bars(symbol, interval, start, end, limit, token)
        bars += page.bars
        pages += 1
        token = page.next_page_token
        if token is None:
            return bars, pages


def test_five_years_of_daily_bars_page_without_gaps_or_overlaps(frozen):
    start = NOW - timedelta(days=5 * 365)
    whole = service.get_bars("AAPL", "1d", start, NOW, 5000).bars
    paged, pages = all_pages("AAPL", "1d", start, NOW, 300)
    assert len(whole) >= 5 * 365 - 10  # always-open calendar: one bar a day
    assert paged == whole and pages == -(-len(whole) // 300)
    starts = [bar.start for bar in whole]
    assert starts == sorted(set(starts))


def test_bars_are_consistent_ohlc(frozen):
    for bar in service.get_bars("MSFT", "1h", NOW - timedelta(days=2), NOW, 100).bars:
        assert bar.low <= min(bar.open, bar.close) <= max(bar.open, bar.close) <= bar.high
        assert bar.volume > 0


@pytest.mark.parametrize("interval", ["1m", "5m", "15m", "1h", "1d", "1w"])
def test_no_bar_ever_starts_after_now_even_when_end_is_in_the_future(frozen, interval):
    page = service.get_bars("SPY", interval, NOW - timedelta(days=3), NOW + timedelta(days=30),
                            5000)
    assert page.bars and all(bar.start <= NOW for bar in page.bars)
    assert page.next_page_token is None


def test_latest_bar_is_the_minute_in_progress(frozen):
    bar = service.latest_bar("aapl")
    assert bar is not None and bar.interval == "1m"
    assert bar.start <= NOW < bar.start + timedelta(minutes=1)
    quote = service.get_quote("AAPL")
    assert bar.low <= quote.last <= bar.high


def test_latest_bar_when_the_market_is_closed_is_the_last_completed_one(make_app):
    app = make_app(market_calendar="nyse")
    with app.app_context():
        saturday = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
        set_clock(lambda: saturday)
        bar = service.latest_bar("AAPL", "1m")
        assert bar is not None and bar.start == datetime(2026, 11, 27, 17, 59, tzinfo=UTC)


def test_start_after_end_is_invalid_range(frozen):
    with pytest.raises(ValidationFailed) as raised:
        service.get_bars("AAPL", "1d", NOW, NOW - timedelta(days=1))
    assert raised.value.code == "invalid_range"


def test_a_range_longer_than_the_interval_allows_is_refused(frozen):
    with pytest.raises(ValidationFailed) as raised:
        service.get_bars("AAPL", "1m", NOW - timedelta(days=30), NOW)
    assert raised.value.code == "range_too_large"


@pytest.mark.parametrize("interval", ["2m", "1D", "", "1d;"])
def test_unknown_intervals_are_refused(frozen, interval):
    with pytest.raises(ValidationFailed) as raised:
        service.get_bars("AAPL", interval)
    assert raised.value.code == "invalid_interval"


@pytest.mark.parametrize("limit", [0, -1, 5001])
def test_limits_out_of_range_are_refused(frozen, limit):
    with pytest.raises(ValidationFailed):
        service.get_bars("AAPL", "1d", limit=limit)


def test_a_page_token_only_works_for_its_own_symbol_and_interval(frozen):
    token = service.get_bars("AAPL", "1d", NOW - timedelta(days=30), NOW, 5).next_page_token
    assert token
    for symbol, interval, bad in (("MSFT", "1d", token), ("AAPL", "1w", token),
                                  ("AAPL", "1d", "not-a-token"), ("AAPL", "1d", token[:-3])):
        with pytest.raises(ValidationFailed) as raised:
            service.get_bars(symbol, interval, limit=5, page_token=bad)
        assert raised.value.code == "invalid_page_token"


def test_bars_of_an_unlisted_symbol_are_unknown_symbol(frozen):
    with pytest.raises(NotFound):
        service.get_bars("ZZZZ", "1d")


def test_weekly_bars_start_on_the_first_session_of_each_week(make_app):
    app = make_app(market_calendar="nyse")
    with app.app_context():
        set_clock(lambda: NOW)
        page = service.get_bars("AAPL", "1w", datetime(2025, 1, 1, tzinfo=UTC), NOW, 100)
        assert all(bar.start.weekday() <= 1 for bar in page.bars)  # Monday, or Tuesday after a holiday
        assert page.bars[0].start.hour == 14 and page.bars[0].start.minute == 30
