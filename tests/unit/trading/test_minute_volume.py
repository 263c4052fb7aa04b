"""The typical minute the volume cap measures against: the session's volume per minute so far."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

from invsim.trading.engine.tif import Session
from invsim.trading.marks import Mark, minute_volume

OPEN = datetime(2026, 11, 24, 14, 30, tzinfo=UTC)
SESSION = Session(OPEN, OPEN + timedelta(hours=6, minutes=30))


def mark(at: datetime, volume: int) -> Mark:
    """A mark of `volume` shares traded by `at`."""
    return Mark(symbol="KO", bid=D("60.00"), ask=D("60.01"), last=D("60.00"),
                prev_close=D("59.50"), day_open=D("59.80"), as_of=at, stale=False,
                volume=volume)


def test_the_typical_minute_is_the_sessions_volume_per_minute_so_far():
    assert minute_volume(mark(OPEN + timedelta(minutes=90), 3_600_000), SESSION) == D(40_000)


def test_the_first_minute_counts_as_one_minute_not_as_a_few_seconds():
    assert minute_volume(mark(OPEN + timedelta(seconds=5), 90_000), SESSION) == D(90_000)


def test_after_the_close_the_whole_session_is_averaged():
    at = SESSION.close_at + timedelta(hours=2)
    assert minute_volume(mark(at, 7_800_000), SESSION) == D(20_000)


def test_no_typical_minute_before_the_open_without_volume_or_session():
    assert minute_volume(mark(OPEN - timedelta(minutes=1), 1000), SESSION) is None
    assert minute_volume(mark(OPEN + timedelta(minutes=5), 0), SESSION) is None
    assert minute_volume(mark(OPEN + timedelta(minutes=5), 1000), None) is None
