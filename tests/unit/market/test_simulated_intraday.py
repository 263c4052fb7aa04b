"""The simulated market's ticks, quotes and intraday bars agree with its daily bars."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import numpy as np
import pytest

from invsim.market.providers.base import Bar
from invsim.market.providers.simulated import SimulatedProvider

INTRADAY = ("1m", "5m", "15m", "1h")


def daily_bar(provider: SimulatedProvider, symbol: str, day_start: datetime) -> Bar:
    """Return the daily bar that starts on the day of `day_start`, as of the day's end."""
    return provider.bars(symbol, "1d", day_start, day_start + timedelta(days=1))[0]


def day_of(provider: SimulatedProvider, symbol: str, interval: str, day: datetime) -> list[Bar]:
    """Return one day's intraday bars, as of the day's end."""
    bars = provider.bars(symbol, interval, day, day + timedelta(days=1))  # type: ignore[arg-type]
    return [bar for bar in bars if bar.start < day + timedelta(days=1)]


@pytest.mark.parametrize("market", ["always_open", "nyse"])
def test_intraday_bars_aggregate_to_the_daily_bar(
    market: str, request: pytest.FixtureRequest, now: datetime
) -> None:
    provider: SimulatedProvider = request.getfixturevalue(market)
    yesterday = (now - timedelta(days=1)).replace(hour=0, minute=0, second=0)
    daily = daily_bar(provider, "MSFT", yesterday)
    for interval in INTRADAY:
        bars = day_of(provider, "MSFT", interval, yesterday)
        assert bars[0].start == daily.start
        assert bars[0].open == daily.open
        assert bars[-1].close == daily.close
        assert max(bar.high for bar in bars) == daily.high
        assert min(bar.low for bar in bars) == daily.low
        assert sum(bar.volume for bar in bars) == daily.volume
        for bar in bars:
            assert bar.low <= min(bar.open, bar.close) <= max(bar.open, bar.close) <= bar.high


def test_intraday_bars_are_aligned_to_the_session_open(
    nyse: SimulatedProvider, now: datetime
) -> None:
    yesterday = (now - timedelta(days=1)).replace(hour=0, minute=0, second=0)
    hourly = day_of(nyse, "JPM", "1h", yesterday)
    assert [bar.start.strftime("%H:%M") for bar in hourly] == [
        "14:30", "15:30", "16:30", "17:30", "18:30", "19:30", "20:30",
    ]  # fmt: skip
    assert len(day_of(nyse, "JPM", "1m", yesterday)) == 390


def test_daily_close_equals_the_last_tick_of_the_session(
    nyse: SimulatedProvider, now: datetime
) -> None:
    yesterday = (now - timedelta(days=1)).replace(hour=0, minute=0, second=0)
    daily = daily_bar(nyse, "AMZN", yesterday)
    close = datetime(2026, 11, 23, 21, tzinfo=UTC)
    for moment in (close, close + timedelta(hours=5)):
        quote = nyse.quotes(["AMZN"], moment)["AMZN"]
        assert quote.last == daily.close
        assert quote.as_of == close
        assert (quote.day_open, quote.day_high, quote.day_low) == (
            daily.open,
            daily.high,
            daily.low,
        )
        assert quote.volume == daily.volume
    just_before = nyse.quotes(["AMZN"], close - timedelta(seconds=1))["AMZN"]
    assert just_before.as_of == close - timedelta(seconds=5)


def test_quotes_never_come_from_the_future(always_open: SimulatedProvider, now: datetime) -> None:
    in_an_hour = always_open.quotes(["AAPL", "SPY"], now + timedelta(hours=1))
    current = always_open.quotes(["AAPL", "SPY"])
    assert in_an_hour == current
    assert all(quote.as_of <= now for quote in current.values())


def test_a_quote_is_the_last_tick_at_or_before_the_instant(
    always_open: SimulatedProvider, now: datetime
) -> None:
    moment = now - timedelta(minutes=17, seconds=3, microseconds=250)
    quote = always_open.quotes(["NVDA"], moment)["NVDA"]
    assert quote.as_of <= moment < quote.as_of + timedelta(seconds=5)
    assert quote.as_of.second % 5 == 0


def test_a_quote_is_reproducible_at_any_instant(now: datetime) -> None:
    moment = now - timedelta(hours=3, minutes=2, seconds=41)
    first = SimulatedProvider(seed=3).quotes(["GOOGL", "KO"], moment)
    second = SimulatedProvider(seed=3).quotes(["KO", "GOOGL"], moment)
    assert first == second


def test_a_quote_matches_the_forming_intraday_bars(
    always_open: SimulatedProvider, now: datetime
) -> None:
    quote = always_open.quotes(["META"], now)["META"]
    today = now.replace(hour=0, minute=0, second=0)
    minute = always_open.bars("META", "1m", now - timedelta(minutes=5), now)[-1]
    daily = always_open.bars("META", "1d", today, now)[-1]
    assert minute.start == now.replace(second=0)
    assert minute.close == daily.close == quote.last
    assert (daily.open, daily.high, daily.low) == (quote.day_open, quote.day_high, quote.day_low)
    assert daily.volume == quote.volume


def test_bid_is_below_last_and_ask_above_on_whole_cents(
    always_open: SimulatedProvider, now: datetime
) -> None:
    for quote in always_open.quotes(["AAPL", "F", "BKNG", "WBD"], now).values():
        assert quote.bid < quote.last < quote.ask
        assert quote.ask - quote.bid <= Decimal("0.01") + quote.last * Decimal("0.002")
        assert quote.bid == quote.bid.quantize(Decimal("0.01"))
        assert quote.ask == quote.ask.quantize(Decimal("0.01"))


def test_the_previous_close_is_yesterdays_close(
    always_open: SimulatedProvider, now: datetime
) -> None:
    yesterday = (now - timedelta(days=1)).replace(hour=0, minute=0, second=0)
    quote = always_open.quotes(["V"], now)["V"]
    assert quote.prev_close == daily_bar(always_open, "V", yesterday).close
    assert quote.day_open == quote.prev_close  # an always-open market has no overnight gap


def test_nyse_quote_outside_hours_is_the_last_close(nyse: SimulatedProvider, now: datetime) -> None:
    night = datetime(2026, 11, 24, 3, tzinfo=UTC)
    quote = nyse.quotes(["IBM"], night)["IBM"]
    assert quote.as_of == datetime(2026, 11, 23, 21, tzinfo=UTC)
    saturday = nyse.quotes(["IBM"], datetime(2026, 11, 21, 12, tzinfo=UTC))["IBM"]
    assert saturday.as_of == datetime(2026, 11, 20, 21, tzinfo=UTC)


def test_nyse_early_close_ends_the_session_at_18_utc(
    nyse: SimulatedProvider, clock: list[datetime]
) -> None:
    clock[0] = datetime(2025, 11, 28, 22, tzinfo=UTC)
    day = datetime(2025, 11, 28, tzinfo=UTC)
    hourly = day_of(nyse, "WMT", "1h", day)
    assert [bar.start.strftime("%H:%M") for bar in hourly] == ["14:30", "15:30", "16:30", "17:30"]
    quote = nyse.quotes(["WMT"], datetime(2025, 11, 28, 19, tzinfo=UTC))["WMT"]
    assert quote.as_of == datetime(2025, 11, 28, 18, tzinfo=UTC)
    assert quote.last == daily_bar(nyse, "WMT", day).close


def test_intraday_bars_cover_only_recent_sessions(
    always_open: SimulatedProvider, now: datetime
) -> None:
    bars = always_open.bars("CSCO", "1h", now - timedelta(days=90), now)
    days = {bar.start.date() for bar in bars}
    assert len(days) == always_open.intraday_sessions
    assert max(days) == now.date()
    assert bars[-1].start <= now


def test_the_tick_interval_is_a_setting(now: datetime) -> None:
    provider = SimulatedProvider(seed=7, tick_seconds=60)
    quote = provider.quotes(["PG"], now - timedelta(seconds=30))["PG"]
    assert quote.as_of.second == 0
    minutes = provider.bars("PG", "1m", now - timedelta(minutes=10), now - timedelta(minutes=1))
    assert all(bar.open == bar.close == bar.high == bar.low for bar in minutes)


def test_intraday_prices_move_smoothly_without_spikes(
    nyse: SimulatedProvider, now: datetime
) -> None:
    for symbol in ("AAPL", "KO", "TSLA", "SPY"):
        bars = nyse.bars(symbol, "1m", now - timedelta(days=8), now - timedelta(days=1))
        days = np.array([bar.start.date().toordinal() for bar in bars])
        closes = np.log([float(bar.close) for bar in bars])
        moves = np.diff(closes)[np.diff(days) == 0]  # within sessions: no overnight gaps
        assert np.max(np.abs(moves)) / moves.std() < 12


def test_intraday_volatility_is_u_shaped_like_volume(nyse: SimulatedProvider, now: datetime) -> None:
    # Minute moves are largest just after the open, smallest around midday and pick up
    # into the close (as in US equities), on an exchange that opens and closes.
    moves: dict[int, list[float]] = {}
    for symbol in ("AAPL", "KO", "XOM", "JPM"):
        for bar in nyse.bars(symbol, "1m", now - timedelta(days=15), now - timedelta(days=1)):
            session = nyse.sessions.of(bar.start.date())
            minute = int((bar.start.timestamp() - session.opens_at) // 60)
            moves.setdefault(minute, []).append(abs(math.log(bar.close / bar.open)))
    by_minute = {minute: float(np.mean(values)) for minute, values in moves.items()}
    opening = np.mean([by_minute[m] for m in range(0, 20)])
    midday = np.mean([by_minute[m] for m in range(150, 240)])
    closing = np.mean([by_minute[m] for m in range(370, 390)])
    assert opening > 1.6 * midday  # an even spread of variance gives about 1
    assert closing > 1.2 * midday


def test_a_calm_day_and_a_nervous_day_differ_in_their_intraday_range(
    nyse: SimulatedProvider, now: datetime
) -> None:
    # The tick paths follow the day's own (clustering) volatility, not a fixed figure.
    days = nyse.bars("TSLA", "1d", now - timedelta(days=400), now - timedelta(days=1))
    ranges = sorted(math.log(bar.high / bar.low) for bar in days)
    assert ranges[-len(ranges) // 10] > 2.5 * ranges[len(ranges) // 10]
