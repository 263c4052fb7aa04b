"""The Alpha Vantage path against a local server answering with recorded real responses."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from invsim.core.clock import set_clock, utcnow
from invsim.core.errors import NotFound, ServiceUnavailable
from invsim.extensions import db
from invsim.market import service
from invsim.market.fetch import fetcher
from invsim.market.models import Bar as StoredBar
from tests.service.market.fake_alphavantage import DAILY_LIMIT, PREMIUM, THROTTLE_NOTE

TSLA_HISTORY = (datetime(2020, 11, 1, tzinfo=UTC), datetime(2021, 5, 1, tzinfo=UTC))


def test_a_real_quote_is_fetched_once_then_served_from_the_cache(av_app, fake_av):
    first = service.get_quote("msft")
    second = service.get_quote("MSFT")
    assert (first.source, first.stale, first.last) == ("alphavantage", False, Decimal("112.13"))
    assert (second.last, second.as_of, second.stale) == (first.last, first.as_of, False)
    assert first.bid == first.ask == first.last  # Alpha Vantage has no book
    assert fake_av.calls("GLOBAL_QUOTE") == ["MSFT"]


def test_when_the_quota_is_spent_the_last_good_quote_is_served_stale_with_its_age(
        av_app, fake_av):
    good = service.get_quote("TSLA")
    assert good.stale is False
    fake_av.force("*", DAILY_LIMIT)
    set_clock(lambda: datetime.now(UTC) + timedelta(hours=2))  # past the freshness window
    assert service.refresh_real_quotes([["TSLA"]]) == 0
    stale = service.get_quote("TSLA")
    assert stale.stale is True and stale.last == good.last and stale.source == "alphavantage"
    assert stale.age_seconds >= int((utcnow() - good.as_of).total_seconds()) - 1 > 0
    backoff = fetcher().budget.back_off_state()
    assert backoff is not None and backoff.reason == "quota_exhausted"
    calls = len(fake_av.requests)
    assert service.refresh_real_quotes([["TSLA", "MSFT"]]) == 0
    assert len(fake_av.requests) == calls  # backing off: no request at all


def test_with_no_quote_ever_fetched_and_the_quota_spent_the_answer_is_quote_unavailable(
        av_app, fake_av):
    fake_av.force("*", DAILY_LIMIT)
    with pytest.raises(ServiceUnavailable) as raised:
        service.get_quote("AAPL")
    assert raised.value.code == "quote_unavailable"


def test_a_real_provider_never_falls_back_to_simulated_prices(av_app, fake_av):
    fake_av.unknown.add("AAPL")
    with pytest.raises(ServiceUnavailable):
        service.get_quote("AAPL")
    quotes = service.get_quotes(["AAPL", "MSFT"])
    assert list(quotes) == ["MSFT"] and quotes["MSFT"].source == "alphavantage"


def test_an_unlisted_symbol_is_unknown_without_spending_a_request(av_app, fake_av):
    with pytest.raises(NotFound):
        service.get_quote("ZZZZ")
    assert fake_av.requests == []


def test_a_symbol_the_provider_does_not_know_is_not_asked_again(av_app, fake_av):
    fake_av.unknown.add("IBM")
    assert service.refresh_real_quotes([["IBM"]]) == 0
    assert service.refresh_real_quotes([["IBM"]]) == 0
    assert fake_av.calls() == ["IBM"]


def test_the_per_minute_budget_is_never_exceeded(av_app, fake_av):
    symbols = ["AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META", "TSLA", "IBM"]
    set_clock(lambda: datetime(2026, 11, 24, 17, 0, 5, tzinfo=UTC))
    assert service.refresh_real_quotes([symbols]) == 5
    assert service.refresh_real_quotes([symbols]) == 0
    assert len(fake_av.requests) == 5  # the 6th call was never made
    set_clock(lambda: datetime(2026, 11, 24, 17, 1, 5, tzinfo=UTC))  # the next minute
    assert service.refresh_real_quotes([symbols]) == 3


def test_the_daily_budget_is_never_exceeded(make_app, fake_av):
    app = make_app(market_data_provider="alphavantage", alpha_vantage_api_key="daily-key",
                   alpha_vantage_base_url=fake_av.url, alpha_vantage_per_minute=100,
                   alpha_vantage_per_day=3)
    with app.app_context():
        set_clock(lambda: datetime(2026, 11, 24, 17, 0, tzinfo=UTC))
        assert service.refresh_real_quotes([["AAPL", "MSFT"]]) == 2
        set_clock(lambda: datetime(2026, 11, 24, 18, 0, tzinfo=UTC))
        assert service.refresh_real_quotes([["NVDA", "AMZN", "IBM"]]) == 1
        assert len(fake_av.requests) == 3


def test_the_budget_goes_to_orders_and_holdings_first_then_watchlists_then_the_rest(
        av_app, fake_av):
    tiers = [["TSLA", "IBM"], ["MSFT", "TSLA"], ["AAPL", "NVDA", "AMZN"]]
    assert service.refresh_real_quotes(tiers) == 5
    assert fake_av.calls("GLOBAL_QUOTE") == ["TSLA", "IBM", "MSFT", "AAPL", "NVDA"]


def test_fresh_quotes_are_not_fetched_again(av_app, fake_av):
    assert service.refresh_real_quotes([["MSFT", "TSLA"]]) == 2
    assert service.refresh_real_quotes([["MSFT", "TSLA"]]) == 0
    assert len(fake_av.requests) == 2


def test_a_throttle_note_backs_off_until_the_next_window(av_app, fake_av):
    fake_av.force("GLOBAL_QUOTE", THROTTLE_NOTE)
    assert service.refresh_real_quotes([["MSFT", "TSLA", "IBM"]]) == 0
    assert fake_av.calls() == ["MSFT"]
    backoff = fetcher().budget.back_off_state()
    assert backoff is not None and backoff.reason == "throttled"
    assert backoff.until > utcnow()


def test_a_premium_only_quote_uses_the_free_daily_series_and_is_never_retried(av_app, fake_av):
    fake_av.force("GLOBAL_QUOTE", PREMIUM)
    set_clock(lambda: datetime(2026, 11, 24, 17, 0, tzinfo=UTC))
    assert service.refresh_real_quotes([["TSLA"]]) == 1
    quote = service.get_quote("TSLA")
    assert quote.last == service.get_bars("TSLA", "1d", *TSLA_HISTORY).bars[-1].close
    assert quote.source == "alphavantage"
    set_clock(lambda: datetime(2026, 11, 24, 19, 0, tzinfo=UTC))  # quote no longer fresh
    service.refresh_real_quotes([["TSLA", "MSFT"]])
    assert fake_av.calls("GLOBAL_QUOTE") == ["TSLA"]  # the premium call is not repeated


def test_daily_bars_are_stored_by_upsert_without_duplicates_and_read_back(av_app, fake_av):
    assert service.backfill_daily_bars(["TSLA"]) == 1
    stored = db.session.scalar(select(func.count()).select_from(StoredBar))
    assert stored == 100
    fetcher().kv.delete(f"{fetcher().prefix}tried:TSLA:1d")  # allow an immediate second fetch
    assert service.backfill_daily_bars(["TSLA"]) == 1
    assert db.session.scalar(select(func.count()).select_from(StoredBar)) == stored
    page = service.get_bars("TSLA", "1d", *TSLA_HISTORY)
    assert len(page.bars) == 100 and page.bars[0].start < page.bars[-1].start
    assert page.bars[-1].close == service.get_bars("TSLA", "1w", *TSLA_HISTORY).bars[-1].close
    assert len(fake_av.calls("TIME_SERIES_DAILY")) == 2


def test_bars_are_fetched_on_demand_once_within_the_budget(av_app, fake_av):
    first = service.get_bars("MSFT", "1d", datetime(2018, 3, 1, tzinfo=UTC),
                             datetime(2018, 9, 1, tzinfo=UTC))
    again = service.get_bars("MSFT", "1d", datetime(2018, 3, 1, tzinfo=UTC),
                             datetime(2018, 9, 1, tzinfo=UTC))
    assert first == again and len(first.bars) == 100
    assert fake_av.calls() == ["MSFT"]


def test_intraday_bars_a_free_key_cannot_get_are_interval_unavailable(av_app, fake_av):
    with pytest.raises(ServiceUnavailable) as raised:
        service.get_bars("IBM", "5m")
    assert raised.value.code == "interval_unavailable"
    with pytest.raises(ServiceUnavailable):
        service.get_bars("MSFT", "5m")
    assert fake_av.calls() == ["IBM"]  # not entitled is remembered, never retried


def test_market_jobs_are_no_ops_on_the_simulated_market(ctx):
    from invsim.market import jobs

    assert jobs.refresh_real_quotes() == 0
    assert jobs.backfill_daily_bars() == 0
    assert service.refresh_real_quotes([["AAPL"]]) == 0


def test_refresh_job_runs_once_when_two_workers_start_it_together(av_app, fake_av):
    from invsim.market import jobs

    service.create_watchlist(user_id=_user().id, name="W", symbols=["MSFT"])
    assert jobs.refresh_real_quotes() == 1
    assert jobs.refresh_real_quotes() == 0  # the other worker finds the lock taken
    assert fake_av.calls() == ["MSFT"]


def _user():
    from invsim.users.service import register_user

    return register_user(email="job@example.com", username="jobuser",
                         password="correct-horse-battery-42")
