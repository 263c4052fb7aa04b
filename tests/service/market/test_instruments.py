"""Instruments: the universe loaded by migration, look-up by symbol, search."""

import pytest
from sqlalchemy import func, select

from invsim.core.errors import NotFound, ValidationFailed
from invsim.extensions import db
from invsim.market import service
from invsim.market.instruments import sync_instruments
from invsim.market.models import Instrument
from invsim.market.universe import load_universe


def test_migration_loads_every_instrument_of_the_packaged_universe(ctx):
    count = db.session.scalar(select(func.count()).select_from(Instrument))
    assert count == len(load_universe()) >= 100
    assert sync_instruments() == 0


def test_get_instrument_normalises_case_and_spaces(ctx):
    instrument = service.get_instrument("  aapl ")
    assert (instrument.symbol, instrument.name) == ("AAPL", "Apple Inc.")
    assert service.get_instrument("spy").asset_class == "etf"


def test_get_instrument_of_an_unlisted_symbol_is_unknown_symbol(ctx):
    with pytest.raises(NotFound) as raised:
        service.get_instrument("ZZZZ")
    assert raised.value.code == "unknown_symbol"


@pytest.mark.parametrize("symbol", ["../etc", "A;DROP", "AAPL MSFT", "X" * 13, "", "A'--",
                                    "%2E%2E", "AAPL\x00", "ÄPFEL"])
def test_get_instrument_refuses_symbols_with_path_or_sql_characters(ctx, symbol):
    with pytest.raises(ValidationFailed) as raised:
        service.get_instrument(symbol)
    assert raised.value.code == "invalid_symbol"


def test_search_apple_returns_aapl_first(ctx):
    found = service.search_instruments("apple", 5)
    assert found[0].symbol == "AAPL"


def test_search_by_symbol_prefix_puts_the_exact_symbol_first(ctx):
    found = service.search_instruments("ms", 10)
    assert found[0].symbol == "MS" or found[0].symbol.startswith("MS")
    assert [i.symbol for i in service.search_instruments("MSFT", 3)][0] == "MSFT"


def test_search_with_no_match_is_empty_and_bad_limits_are_refused(ctx):
    assert service.search_instruments("qwertyuiop", 5) == []
    with pytest.raises(ValidationFailed):
        service.search_instruments("apple", 0)
    with pytest.raises(ValidationFailed):
        service.search_instruments("   ", 5)
