"""Market calendars: the always-open default and the NYSE from exchange_calendars."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from invsim.core.clock import AlwaysOpenCalendar, NyseCalendar, calendar_for


def at(text: str) -> datetime:
    """Parse an ISO instant as UTC."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_nyse_sessions_skip_weekends_and_christmas() -> None:
    sessions = NyseCalendar().sessions(date(2025, 12, 19), date(2025, 12, 29))
    assert sessions == [
        date(2025, 12, 19),
        date(2025, 12, 22),
        date(2025, 12, 23),
        date(2025, 12, 24),
        date(2025, 12, 26),
        date(2025, 12, 29),
    ]


def test_nyse_closes_early_the_day_after_thanksgiving() -> None:
    nyse = NyseCalendar()
    assert nyse.session_open(date(2025, 11, 28)) == at("2025-11-28T14:30")
    assert nyse.session_close(date(2025, 11, 28)) == at("2025-11-28T18:00")
    assert nyse.is_open(at("2025-11-28T17:59:59"))
    assert not nyse.is_open(at("2025-11-28T18:00"))


def test_nyse_hours_follow_daylight_saving_time() -> None:
    nyse = NyseCalendar()
    assert nyse.session_open(date(2025, 7, 1)) == at("2025-07-01T13:30")
    assert nyse.session_close(date(2025, 7, 1)) == at("2025-07-01T20:00")
    assert nyse.session_close(date(2025, 12, 1)) == at("2025-12-01T21:00")


def test_nyse_has_no_session_on_a_holiday() -> None:
    nyse = NyseCalendar()
    assert nyse.session_open(date(2025, 12, 25)) is None
    assert nyse.session_close(date(2025, 12, 25)) is None
    assert not nyse.is_open(at("2025-12-25T16:00"))


def test_nyse_next_open_and_close_skip_the_weekend() -> None:
    nyse = NyseCalendar()
    friday_evening = at("2025-11-28T19:00")
    assert nyse.next_open(friday_evening) == at("2025-12-01T14:30")
    assert nyse.next_close(friday_evening) == at("2025-12-01T21:00")
    assert nyse.next_close(at("2025-11-28T15:00")) == at("2025-11-28T18:00")


def test_nyse_before_the_open_is_closed() -> None:
    assert not NyseCalendar().is_open(at("2025-12-01T14:29:59"))
    assert NyseCalendar().is_open(at("2025-12-01T14:30"))


def test_always_open_market_trades_every_day_around_the_clock() -> None:
    calendar = AlwaysOpenCalendar()
    assert calendar.is_open(at("2025-12-25T03:00"))
    assert calendar.sessions(date(2025, 12, 24), date(2025, 12, 26)) == [
        date(2025, 12, 24),
        date(2025, 12, 25),
        date(2025, 12, 26),
    ]
    assert calendar.session_open(date(2025, 12, 25)) == at("2025-12-25T00:00")
    assert calendar.session_close(date(2025, 12, 25)) == at("2025-12-26T00:00")


def test_always_open_next_close_is_the_next_utc_midnight() -> None:
    calendar = AlwaysOpenCalendar()
    assert calendar.next_close(at("2025-12-25T03:00")) == at("2025-12-26T00:00")
    assert calendar.next_close(at("2025-12-25T00:00")) == at("2025-12-26T00:00")
    assert calendar.next_open(at("2025-12-25T03:00")) == at("2025-12-26T00:00")


def test_calendar_for_knows_both_names_and_refuses_others() -> None:
    assert isinstance(calendar_for("always_open"), AlwaysOpenCalendar)
    assert isinstance(calendar_for("nyse"), NyseCalendar)
    with pytest.raises(ValueError, match="unknown market calendar"):
        calendar_for("lse")


def test_calendar_instants_are_aware_utc() -> None:
    opened = NyseCalendar().session_open(date(2025, 12, 1))
    assert opened is not None and opened.utcoffset() is not None
    assert opened.tzinfo == UTC


def test_nyse_is_open_answers_a_python_bool():
    from datetime import UTC, datetime

    from invsim.core.clock import NyseCalendar

    answer = NyseCalendar().is_open(datetime(2025, 11, 25, 15, 0, tzinfo=UTC))
    assert answer is True
