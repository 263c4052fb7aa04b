"""The simulated market's daily bars: realistic, deterministic, consistent, never from the future."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import numpy as np
import pytest

from invsim.core.money import price
from invsim.market.providers.base import Bar, UnknownSymbol
from invsim.market.providers.simulated import ANCHOR_ON, SimulatedProvider
from invsim.market.providers.simulated_streams import to_date
from invsim.market.universe import load_universe

FIVE_YEARS = timedelta(days=5 * 365 + 2)


def closes(bars: list[Bar]) -> np.ndarray:
    """Return the closes of bars as floats (for statistics only)."""
    return np.array([float(bar.close) for bar in bars])


@pytest.fixture(scope="module")
def five_years(nyse: SimulatedProvider) -> dict[str, list[Bar]]:
    """Five years of NYSE daily bars for the whole universe, ending at the test clock."""
    end = datetime(2026, 11, 20, 22, tzinfo=UTC)  # after Friday's close: no forming bar
    return nyse.daily_bars(load_universe().symbols(), end - FIVE_YEARS, end)


@pytest.fixture(scope="module")
def log_returns(nyse: SimulatedProvider) -> np.ndarray:
    """Daily log total returns (bars adjusted for dividends and splits), one row per symbol."""
    end = datetime(2026, 11, 20, 22, tzinfo=UTC)
    adjusted = nyse.daily_bars(load_universe().symbols(), end - FIVE_YEARS, end, adjusted=True)
    return np.array([np.diff(np.log(closes(bars))) for bars in adjusted.values()])


def test_realised_volatility_is_the_configured_value_up_to_the_common_regime(
    nyse: SimulatedProvider, log_returns: np.ndarray
) -> None:
    # Volatility has regimes, so five years realise more or less than the long-run figure
    # for the whole market at once: the ratio is common, not each symbol's own.
    configured = np.array([listing.sim.volatility for listing in load_universe().listings])
    realised = log_returns.std(axis=1, ddof=1) * np.sqrt(252)
    ratio = realised / configured
    assert 0.7 < np.median(ratio) < 1.3
    assert np.all((ratio > 0.6 * np.median(ratio)) & (ratio < 1.5 * np.median(ratio))), ratio
    assert np.corrcoef(configured, realised)[0, 1] > 0.9


def test_stocks_move_together_with_positive_average_pairwise_correlation(
    log_returns: np.ndarray,
) -> None:
    correlation = np.corrcoef(log_returns)
    count = len(correlation)
    average = (correlation.sum() - count) / (count * count - count)
    assert 0.15 < average < 0.6


def test_a_high_beta_stock_tracks_the_market_etf() -> None:
    universe = load_universe()
    provider = SimulatedProvider(seed=7, calendar="nyse")
    end = datetime(2026, 11, 20, 22, tzinfo=UTC)
    bars = provider.daily_bars(["SPY", "AAPL", "GLD"], end - timedelta(days=730), end)
    returns = {s: np.diff(np.log(closes(b))) for s, b in bars.items()}
    with_stock = np.corrcoef(returns["SPY"], returns["AAPL"])[0, 1]
    with_gold = np.corrcoef(returns["SPY"], returns["GLD"])[0, 1]
    assert universe.get("AAPL").sim.beta > universe.get("GLD").sim.beta  # type: ignore[union-attr]
    assert with_stock > 0.4
    assert with_stock > with_gold


def test_daily_returns_have_fat_tails(log_returns: np.ndarray) -> None:
    standardised = (log_returns - log_returns.mean(axis=1, keepdims=True)) / log_returns.std(
        axis=1, keepdims=True
    )
    kurtosis = float(np.mean(standardised**4))
    assert kurtosis > 4.0  # a normal distribution gives 3


def test_same_seed_gives_identical_bars_and_another_seed_differs() -> None:
    start, end = datetime(2024, 1, 1, tzinfo=UTC), datetime(2024, 3, 1, tzinfo=UTC)
    first = SimulatedProvider(seed=11).bars("MSFT", "1d", start, end)
    again = SimulatedProvider(seed=11).bars("MSFT", "1d", start, end)
    other = SimulatedProvider(seed=12).bars("MSFT", "1d", start, end)
    assert first == again
    assert [bar.start for bar in other] == [bar.start for bar in first]
    assert [bar.close for bar in other] != [bar.close for bar in first]


def test_another_process_computes_the_same_prices() -> None:
    script = (
        "from datetime import datetime, UTC\n"
        "from invsim.market.providers.simulated import SimulatedProvider\n"
        "p = SimulatedProvider(seed=5)\n"
        "q = p.quotes(['NVDA'], datetime(2026, 11, 20, 15, 37, 12, tzinfo=UTC))['NVDA']\n"
        "b = p.bars('NVDA', '1d', datetime(2023, 6, 1, tzinfo=UTC), datetime(2023, 6, 3, tzinfo=UTC))\n"
        "print(q.last, q.bid, q.ask, q.volume, [(x.open, x.high, x.low, x.close, x.volume) for x in b])\n"
    )
    here = SimulatedProvider(seed=5)
    quote = here.quotes(["NVDA"], datetime(2026, 11, 20, 15, 37, 12, tzinfo=UTC))["NVDA"]
    bars = here.bars(
        "NVDA", "1d", datetime(2023, 6, 1, tzinfo=UTC), datetime(2023, 6, 3, tzinfo=UTC)
    )
    expected = (
        f"{quote.last} {quote.bid} {quote.ask} {quote.volume} "
        f"{[(x.open, x.high, x.low, x.close, x.volume) for x in bars]}"
    )
    output = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    ).stdout.strip()
    assert output == expected


def test_a_days_bar_does_not_depend_on_the_range_requested(
    nyse: SimulatedProvider, five_years: dict[str, list[Bar]]
) -> None:
    day = datetime(2023, 3, 1, tzinfo=UTC)
    alone = nyse.bars("KO", "1d", day, day + timedelta(days=1))
    fresh = SimulatedProvider(seed=7, calendar="nyse").bars(
        "KO", "1d", day, day + timedelta(days=1)
    )
    from_history = [bar for bar in five_years["KO"] if bar.start.date() == date(2023, 3, 1)]
    assert alone == fresh == from_history
    assert len(alone) == 1


def test_daily_bars_are_internally_consistent(five_years: dict[str, list[Bar]]) -> None:
    for bars in five_years.values():
        for bar in bars:
            assert bar.high >= max(bar.open, bar.close)
            assert bar.low <= min(bar.open, bar.close)
            assert bar.low > 0
            assert bar.volume > 0


def test_prices_are_decimals_rounded_to_price_ticks(five_years: dict[str, list[Bar]]) -> None:
    for bar in five_years["AAPL"][-50:]:
        for value in (bar.open, bar.high, bar.low, bar.close):
            assert isinstance(value, Decimal)
            assert value == price(value)
            assert value.as_tuple().exponent == -4


def test_every_instrument_has_five_years_of_daily_history_ending_today(
    always_open: SimulatedProvider, now: datetime
) -> None:
    bars = always_open.daily_bars(load_universe().symbols(), now - FIVE_YEARS, now)
    for series in bars.values():
        assert series[0].start <= now - timedelta(days=5 * 365)
        assert series[-1].start.date() == now.date()


def test_the_anchor_session_closes_at_the_listed_base_price(nyse: SimulatedProvider) -> None:
    start = datetime.combine(ANCHOR_ON, datetime.min.time(), tzinfo=UTC)
    for symbol in ("AAPL", "SPY", "TLT"):
        bar = nyse.bars(symbol, "1d", start, start + timedelta(days=1))[0]
        assert bar.close == price(load_universe().get(symbol).sim.base_price)  # type: ignore[union-attr]


def test_nyse_daily_bars_skip_weekends_and_holidays(nyse: SimulatedProvider) -> None:
    bars = nyse.bars(
        "IBM", "1d", datetime(2025, 12, 20, tzinfo=UTC), datetime(2025, 12, 31, tzinfo=UTC)
    )
    days = [bar.start.date() for bar in bars]
    assert date(2025, 12, 25) not in days
    assert all(day.weekday() < 5 for day in days)
    assert bars[0].start == datetime(2025, 12, 22, 14, 30, tzinfo=UTC)  # a bar starts at the open


def test_bars_with_an_end_in_the_future_stop_at_now(
    always_open: SimulatedProvider, now: datetime
) -> None:
    for interval in ("1d", "1w", "1h", "5m"):
        bars = always_open.bars("AAPL", interval, now - timedelta(days=3), now + timedelta(days=30))
        assert bars
        assert all(bar.start <= now for bar in bars)


def test_a_range_that_starts_in_the_future_is_empty(nyse: SimulatedProvider, now: datetime) -> None:
    for interval in ("1d", "1w", "1h", "1m"):
        assert nyse.bars("AAPL", interval, now + timedelta(days=1), now + timedelta(days=8)) == []


def test_todays_daily_bar_is_only_shown_as_of_now(
    always_open: SimulatedProvider, clock: list[datetime]
) -> None:
    midnight = clock[0].replace(hour=0, minute=0, second=0)
    clock[0] = midnight.replace(hour=9)
    early = always_open.bars("TSLA", "1d", midnight, midnight + timedelta(days=1))
    clock[0] = midnight.replace(hour=23, minute=59, second=59)
    late = always_open.bars("TSLA", "1d", midnight, midnight + timedelta(days=1))
    assert len(early) == len(late) == 1
    early, late = early[0], late[0]
    assert early.start == late.start == midnight
    assert early.open == late.open
    assert early.volume < late.volume
    assert early.high <= late.high and early.low >= late.low


def test_weekly_bars_aggregate_the_daily_bars(nyse: SimulatedProvider, now: datetime) -> None:
    start = datetime(2026, 9, 7, tzinfo=UTC)  # a Monday (Labor Day: the week starts Tuesday)
    daily = nyse.bars("XOM", "1d", start, now)
    weekly = nyse.bars("XOM", "1w", start, now)
    first_week = [bar for bar in daily if bar.start < datetime(2026, 9, 14, tzinfo=UTC)]
    assert weekly[0].start == first_week[0].start == datetime(2026, 9, 8, 13, 30, tzinfo=UTC)
    assert weekly[0].open == first_week[0].open
    assert weekly[0].close == first_week[-1].close
    assert weekly[0].high == max(bar.high for bar in first_week)
    assert weekly[0].low == min(bar.low for bar in first_week)
    assert weekly[0].volume == sum(bar.volume for bar in first_week)
    assert weekly[-1].close == daily[-1].close  # the forming week ends with today's bar


def test_unknown_symbols_raise_for_bars_and_are_left_out_of_quotes(
    always_open: SimulatedProvider, now: datetime
) -> None:
    with pytest.raises(UnknownSymbol):
        always_open.bars("NOPE", "1d", now - timedelta(days=5), now)
    with pytest.raises(UnknownSymbol):
        always_open.instrument("NOPE")
    assert set(always_open.quotes(["AAPL", "NOPE"], now)) == {"AAPL"}


def test_instrument_and_search_come_from_the_universe(always_open: SimulatedProvider) -> None:
    assert always_open.instrument("aapl").name == "Apple Inc."
    assert always_open.search("apple")[0].symbol == "AAPL"


def _window(provider: SimulatedProvider, symbol: str, year: int) -> list[Bar]:
    """Return a month of daily bars of `symbol` in `year`."""
    start = datetime(year, 3, 1, tzinfo=UTC)
    return provider.bars(symbol, "1d", start, start + timedelta(days=31))


def test_the_order_of_requests_does_not_change_any_price(now: datetime) -> None:
    # Volatility has memory, so a price depends on the whole history before it: the model
    # generates that history from a fixed epoch, whatever is asked for first.
    early_first = SimulatedProvider(seed=3, calendar="nyse")
    late_first = SimulatedProvider(seed=3, calendar="nyse")
    first = [_window(early_first, "JPM", 2016), _window(early_first, "JPM", 2026)]
    second = [_window(late_first, "JPM", 2026), _window(late_first, "JPM", 2016)]
    assert first == second[::-1]
    alone = SimulatedProvider(seed=3, calendar="nyse")
    together = SimulatedProvider(seed=3, calendar="nyse").daily_bars(
        ["JPM", "KO", "XOM"], datetime(2016, 3, 1, tzinfo=UTC), datetime(2016, 4, 1, tzinfo=UTC)
    )
    assert together["JPM"] == _window(alone, "JPM", 2016)


def test_a_restarted_process_serves_the_same_history(now: datetime) -> None:
    script = (
        "from datetime import datetime, UTC, timedelta\n"
        "from invsim.core.clock import set_clock\n"
        "from invsim.market.providers.simulated import SimulatedProvider\n"
        "set_clock(lambda: datetime(2026, 11, 24, 17, 0, 7, tzinfo=UTC))\n"
        "p = SimulatedProvider(seed=9, calendar='nyse')\n"
        "s = datetime(2026, 10, 1, tzinfo=UTC)\n"
        "late = p.bars('XOM', '1d', s, s + timedelta(days=10))\n"
        "s = datetime(2015, 6, 1, tzinfo=UTC)\n"
        "early = p.bars('XOM', '1d', s, s + timedelta(days=10))\n"
        "print([(x.close, x.volume) for x in early + late])\n"
    )
    here = SimulatedProvider(seed=9, calendar="nyse")
    early = here.bars("XOM", "1d", datetime(2015, 6, 1, tzinfo=UTC), datetime(2015, 6, 11, tzinfo=UTC))
    late = here.bars("XOM", "1d", datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 10, 11, tzinfo=UTC))
    output = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    ).stdout.strip()
    assert output == str([(x.close, x.volume) for x in early + late])


def test_a_bar_with_an_end_inside_it_is_the_finished_bar(
    always_open: SimulatedProvider, now: datetime
) -> None:
    day = datetime(2026, 11, 10, tzinfo=UTC)
    whole = always_open.bars("AAPL", "1d", day, day + timedelta(hours=23, minutes=59))
    cut = always_open.bars("AAPL", "1d", day, day + timedelta(hours=9))
    assert len(whole) == len(cut) == 1 and whole == cut
    next_day = always_open.quotes(["AAPL"], day + timedelta(days=1, seconds=1))["AAPL"]
    assert cut[0].close == next_day.prev_close
    hourly = always_open.bars("AAPL", "1h", day, day + timedelta(hours=9, minutes=30))
    assert hourly[-1].start == day + timedelta(hours=9)
    assert hourly[-1] == always_open.bars("AAPL", "1h", day, day + timedelta(hours=12))[9]
    monday = day - timedelta(days=1)
    [week] = always_open.bars("AAPL", "1w", monday, monday + timedelta(hours=1))
    days = always_open.bars("AAPL", "1d", monday, monday + timedelta(days=6, hours=1))
    assert len(days) == 7 and (week.close, week.volume) == (
        days[-1].close,
        sum(bar.volume for bar in days),
    )


def test_the_market_has_crash_and_recovery_regimes() -> None:
    # Over 12 years the market factor (SPY) falls 10 %+ from a peak at least once, with its
    # volatility at least doubling, and regains ground afterwards.
    provider = SimulatedProvider(seed=4, calendar="nyse")
    bars = provider.bars("SPY", "1d", datetime(2015, 1, 1, tzinfo=UTC), datetime(2026, 11, 20, tzinfo=UTC))
    level = np.log(closes(bars))
    drawdown = level - np.maximum.accumulate(level)
    trough = int(np.argmin(drawdown))
    assert drawdown[trough] < np.log(0.9)
    returns = np.diff(level)
    calm = np.median([returns[i : i + 63].std() for i in range(0, len(returns) - 63, 21)])
    around = returns[max(trough - 63, 0) : trough + 1].std()
    assert around > 2 * calm
    assert level[-1] > level[trough] + 0.05


def test_equities_report_earnings_four_times_a_year_with_a_gap_and_heavy_volume(
    nyse: SimulatedProvider,
) -> None:
    model = nyse._model("KO")
    path = nyse.daily._symbol_paths([model])[0]
    timeline = nyse.daily.timeline()
    year = [i for i, day in enumerate(timeline.days.tolist()) if 2023 == to_date(day).year]
    reports = [i for i in year if path.earnings[i] != 0.0]
    assert len(reports) == 4
    months = sorted({to_date(int(timeline.days[i])).month for i in reports})
    assert months == [1, 4, 7, 10]
    volume = path.volume[year].astype(float)
    ordinary = np.median(volume)
    assert all(path.volume[i] > 1.5 * ordinary for i in reports)
    fund = nyse.daily._symbol_paths([nyse._model("SPY")])[0]
    assert not fund.earnings.any()  # funds do not report
