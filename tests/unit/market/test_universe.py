"""The bundled instrument universe and its symbol search."""

from __future__ import annotations

from invsim.market.universe import load_universe

GICS_SECTORS = {
    "Information Technology",
    "Communication Services",
    "Consumer Discretionary",
    "Consumer Staples",
    "Health Care",
    "Financials",
    "Industrials",
    "Energy",
    "Materials",
    "Utilities",
    "Real Estate",
}


def test_universe_has_at_least_110_instruments_with_unique_symbols() -> None:
    symbols = load_universe().symbols()
    assert len(symbols) >= 110
    assert len(set(symbols)) == len(symbols)


def test_universe_includes_the_well_known_stocks_and_etfs() -> None:
    universe = load_universe()
    for symbol in ("SPY", "QQQ", "IWM", "DIA", "VTI", "TLT", "GLD", "AAPL", "MSFT", "AMZN"):
        assert symbol in universe
    for symbol in ("GOOGL", "TSLA", "NVDA", "META", "IBM"):
        assert symbol in universe
    assert universe.get("spy").info.asset_class == "etf"  # type: ignore[union-attr]
    assert universe.get("IBM").info.asset_class == "us_equity"  # type: ignore[union-attr]


def test_universe_covers_every_gics_sector_with_stocks() -> None:
    sectors = {
        listing.info.sector
        for listing in load_universe().listings
        if listing.info.asset_class == "us_equity"
    }
    assert GICS_SECTORS <= sectors


def test_universe_simulation_parameters_are_sane() -> None:
    for listing in load_universe().listings:
        assert listing.sim.base_price > 0
        assert 0.03 <= listing.sim.volatility <= 1.0
        assert -1.0 <= listing.sim.beta <= 2.5
        assert listing.sim.avg_volume > 0


def test_search_apple_finds_aapl_first() -> None:
    assert load_universe().search("apple")[0].symbol == "AAPL"


def test_search_exact_symbol_beats_symbol_prefix_beats_name() -> None:
    matches = load_universe().search("t", limit=50)
    assert matches[0].symbol == "T"
    assert matches[0].match == "symbol"
    assert {m.match for m in matches[1:5]} == {"symbol_prefix"}
    tiers = [m.match for m in matches]
    order = ["symbol", "symbol_prefix", "name_word", "name"]
    assert tiers == sorted(tiers, key=order.index)
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


def test_search_is_case_insensitive_and_matches_name_words() -> None:
    universe = load_universe()
    assert universe.search("MICROSOFT")[0].symbol == "MSFT"
    assert universe.search("bank of am")[0].symbol == "BAC"
    assert universe.search("coca-cola")[0].symbol == "KO"


def test_search_falls_back_to_a_name_substring() -> None:
    matches = load_universe().search("olab")
    assert [m.symbol for m in matches] == ["ECL"]
    assert matches[0].match == "name"


def test_search_respects_the_limit_and_ignores_blank_text() -> None:
    universe = load_universe()
    assert len(universe.search("a", limit=3)) == 3
    assert universe.search("   ") == []
    assert universe.search("zzzzzz") == []
