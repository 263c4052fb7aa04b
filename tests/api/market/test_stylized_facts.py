"""The simulated market behaves like a real one: the stylized facts of five years of daily bars.

The bars come through the HTTP API (NYSE calendar, the default seed). Each range is what
real US large caps show over five years of daily data (the recorded daily series in
tests/fixtures/marketdata/ and the literature, see docs/market-simulation.md); a market
whose shocks were drawn independently (the model before) fails every one of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pytest

from invsim.app import create_app
from invsim.core.clock import set_clock
from invsim.market.universe import load_universe
from tests import stylized
from tests.conftest import activate, make_settings

END = datetime(2026, 11, 20, 22, tzinfo=UTC)  # after a Friday's close
START = END - timedelta(days=5 * 365 + 2)
ETFS = ("XLE", "XLK")


@pytest.fixture(scope="module")
def bars(sqlite_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Five years of daily bars of the spread of symbols, read over HTTP (one app, SQLite)."""
    app = activate(
        create_app(
            make_settings(tmp_path_factory.mktemp("facts"), sqlite_url, market_calendar="nyse")
        )
    )
    set_clock(lambda: END)
    found = {}
    with app.app_context():
        client = app.test_client()
        for symbol in (*stylized.SYMBOLS, stylized.MARKET, *ETFS):
            response = client.get(
                f"/api/v1/market/bars/{symbol}",
                query_string={
                    "interval": "1d",
                    "start": START.isoformat(),
                    "end": END.isoformat(),
                    "limit": 5000,
                    "adjusted": "true",  # total returns: splits and dividends taken out
                },
            )
            assert response.status_code == 200, response.get_data(as_text=True)
            body = response.get_json()
            assert body["next_page_token"] is None
            found[symbol] = body["bars"]
    set_clock(None)
    yield found


def closes(bars: list[dict[str, Any]]) -> np.ndarray:
    """Return the closes as floats (statistics only)."""
    return np.array([float(bar["c"]) for bar in bars])


@pytest.fixture(scope="module")
def facts(bars: dict[str, Any]) -> list[stylized.Facts]:
    """The per-symbol facts of the spread."""
    return [
        stylized.facts_of(closes(bars[s]), np.array([float(b["v"]) for b in bars[s]]))
        for s in stylized.SYMBOLS
    ]


def test_five_years_of_sessions_come_back(bars: dict[str, Any]) -> None:
    assert all(len(series) >= stylized.FIVE_YEARS_OF_SESSIONS for series in bars.values())


def test_large_moves_follow_large_moves(facts: list[stylized.Facts]) -> None:
    # Real: 0.15 to 0.29 for |r| at lag 1; independent shocks give about 0.
    assert 0.10 < stylized.median_of(facts, "abs_acf") < 0.35
    assert min(f.abs_acf for f in facts) > 0.03


def test_squared_returns_are_autocorrelated(facts: list[stylized.Facts]) -> None:
    # Ljung–Box on r² over 10 lags: real series reject "no autocorrelation" (p = 0.000).
    assert stylized.median_of(facts, "ljung_box_p") < 0.01
    assert sum(f.ljung_box_p < 0.05 for f in facts) >= 0.8 * len(facts)


def test_a_garch_fit_finds_volatility_reacting_to_shocks(facts: list[stylized.Facts]) -> None:
    # GARCH(1,1) α: real 0.10 to 0.21 (the literature: 0.05 to 0.15 for single stocks).
    assert 0.05 < stylized.median_of(facts, "garch_alpha") < 0.25


def test_falls_raise_the_next_days_volatility(facts: list[stylized.Facts]) -> None:
    # corr(r_t, |r_t+1|): real -0.12 to -0.17; negative for most stocks.
    assert -0.20 < stylized.median_of(facts, "leverage") < -0.03
    assert sum(f.leverage < 0 for f in facts) >= 0.75 * len(facts)


def test_volume_persists_from_day_to_day(facts: list[stylized.Facts]) -> None:
    # Lag-1 autocorrelation of log volume: real 0.56 to 0.95 (0.56 to 0.61 in the fixtures).
    assert 0.5 < stylized.median_of(facts, "volume_acf") < 0.95
    assert min(f.volume_acf for f in facts) > 0.4


def test_weekly_returns_have_fat_tails(facts: list[stylized.Facts]) -> None:
    # Excess kurtosis of weekly returns: real 1 to 4 (a normal distribution: 0).
    assert 0.8 < stylized.median_of(facts, "weekly_kurtosis") < 6.0


def test_volatility_has_calm_and_nervous_years(facts: list[stylized.Facts]) -> None:
    # Largest over smallest rolling 63-day volatility in five years: real 2.8 to 4.7.
    assert 2.5 < stylized.median_of(facts, "volatility_ratio") < 8.0


def test_stocks_of_one_sector_move_together_beyond_the_market(bars: dict[str, Any]) -> None:
    # Residual correlation within a sector: real 0.15 to 0.8; across sectors about 0.
    sectors = {s: load_universe().get(s).info.sector for s in stylized.SYMBOLS}  # type: ignore[union-attr]
    returns = {s: stylized.log_returns(closes(bars[s])) for s in stylized.SYMBOLS}
    market = stylized.log_returns(closes(bars[stylized.MARKET]))
    within, across = stylized.residual_correlations(returns, market, sectors)
    assert 0.15 < float(np.median(within)) < 0.8
    assert abs(float(np.mean(across))) < 0.05


def test_a_sector_fund_moves_with_its_members(bars: dict[str, Any]) -> None:
    market = stylized.log_returns(closes(bars[stylized.MARKET]))
    returns = {
        s: stylized.log_returns(closes(bars[s])) for s in ("XLE", "XOM", "CVX", "XLK", "AAPL", "KO")
    }
    sectors = {s: load_universe().get(s).info.sector for s in returns}  # type: ignore[union-attr]
    residual = {
        s: r - np.cov(r, market)[0, 1] / market.var(ddof=1) * market for s, r in returns.items()
    }

    def corr(a: str, b: str) -> float:
        return float(np.corrcoef(residual[a], residual[b])[0, 1])

    assert sectors["XLE"] == sectors["XOM"] == "Energy"
    assert corr("XLE", "XOM") > 0.4 and corr("XLE", "CVX") > 0.4
    assert corr("XLK", "AAPL") > 0.3
    assert abs(corr("XLE", "KO")) < 0.15
