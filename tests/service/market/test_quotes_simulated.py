"""Simulated quotes: deterministic, cached until the next tick, never from the future."""

from datetime import UTC, datetime, timedelta

import pytest

from invsim.core.clock import set_clock
from invsim.core.errors import NotFound, ValidationFailed
from invsim.extensions import stores
from invsim.market import service
from invsim.market.cache import QuoteCache
from invsim.market.provider import cache_namespace
from invsim.market.schemas import QuoteOut
from invsim.market.ticks import quote_payload

# A Tuesday: the NYSE is open 14:30-21:00 UTC.
OPEN = datetime(2026, 11, 24, 17, 0, 7, tzinfo=UTC)
CLOSED = datetime(2026, 11, 24, 23, 0, 0, tzinfo=UTC)


def freeze(moment):
    set_clock(lambda: moment)


def test_simulated_quote_is_fresh_and_labelled_with_its_source(ctx):
    freeze(OPEN)
    quote = service.get_quote("aapl")
    assert quote.symbol == "AAPL" and quote.source == "simulated"
    assert quote.stale is False and 0 <= quote.age_seconds < 5
    assert quote.bid <= quote.last <= quote.ask
    assert quote.day_low <= quote.last <= quote.day_high
    assert quote.as_of <= OPEN and quote.as_of.tzinfo is not None


def test_same_instant_gives_the_same_quote_with_or_without_the_cache(ctx):
    freeze(OPEN)
    first = service.get_quote("MSFT")
    stores.kv.delete(f"mkt:q:{cache_namespace()}:MSFT")
    assert service.get_quote("MSFT") == first


def test_quote_moves_to_the_next_tick_when_the_cached_one_is_due(ctx):
    freeze(OPEN)
    first = service.get_quote("NVDA")
    freeze(OPEN + timedelta(seconds=30))
    later = service.get_quote("NVDA")
    assert later.as_of > first.as_of


def test_a_quote_cached_at_a_later_instant_is_never_served_earlier(ctx):
    freeze(OPEN + timedelta(hours=1))
    service.get_quote("AAPL")
    freeze(OPEN)
    assert service.get_quote("AAPL").as_of <= OPEN


def test_batch_quotes_answer_every_symbol_in_the_order_asked(ctx):
    freeze(OPEN)
    symbols = ["MSFT", "aapl", "SPY", "MSFT"]
    quotes = service.get_quotes(symbols)
    assert list(quotes) == ["MSFT", "AAPL", "SPY"]
    assert all(q.source == "simulated" for q in quotes.values())


def test_batch_quotes_with_an_unlisted_symbol_are_unknown_symbol(ctx):
    with pytest.raises(NotFound) as raised:
        service.get_quotes(["AAPL", "NOPE1", "NOPE2"])
    assert raised.value.details["symbols"] == ["NOPE1", "NOPE2"]


def test_quotes_refuse_an_empty_list_and_bad_symbols(ctx):
    with pytest.raises(ValidationFailed):
        service.get_quotes([])
    with pytest.raises(ValidationFailed):
        service.get_quotes(["AAPL", "A;DROP"])


def test_cache_ttl_is_one_tick_when_open_and_until_the_open_when_closed(make_app):
    app = make_app(market_calendar="nyse", market_tick_seconds=5)
    with app.app_context():
        cache = QuoteCache(stores.kv, cache_namespace())
        freeze(OPEN)
        open_quote = service.get_quote("AAPL")
        entry = cache.read(["AAPL"])["AAPL"]
        assert entry.fresh_until - open_quote.as_of == timedelta(seconds=5)
        freeze(CLOSED)
        closed_quote = service.get_quote("AAPL")
        entry = cache.read(["AAPL"])["AAPL"]
        assert entry.fresh_until == datetime(2026, 11, 25, 0, 0, tzinfo=UTC)  # capped at 1 h
        assert closed_quote.as_of == datetime(2026, 11, 24, 21, 0, tzinfo=UTC)  # the close
        assert closed_quote.stale is False


def test_quote_payload_matches_the_api_serialisation(ctx):
    freeze(OPEN)
    quote = service.get_quote("AAPL")
    assert QuoteOut.model_validate(quote).model_dump(mode="json") == quote_payload(quote)
    assert isinstance(quote_payload(quote)["last"], str)


def test_market_clock_follows_the_configured_calendar(make_app):
    app = make_app(market_calendar="nyse")
    with app.app_context():
        freeze(CLOSED)
        clock = service.market_clock()
        assert clock.is_open is False and clock.calendar == "nyse"
        assert clock.next_open == datetime(2026, 11, 25, 14, 30, tzinfo=UTC)
        assert clock.next_close == datetime(2026, 11, 25, 21, 0, tzinfo=UTC)
