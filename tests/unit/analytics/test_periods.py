"""Period selection: calendar maths for 1D…ALL and custom ranges, and the slice they select."""

from datetime import date

import pytest

from invsim.analytics.metrics import add_months, period_bounds, period_slice

SUNDAY_MARCH_31 = date(2024, 3, 31)


@pytest.mark.parametrize(
    ("period", "start"),
    [
        ("1D", date(2024, 3, 30)),
        ("1W", date(2024, 3, 24)),
        ("1M", date(2024, 2, 29)),  # clamped: there is no February 31
        ("3M", date(2023, 12, 31)),
        ("6M", date(2023, 9, 30)),
        ("YTD", date(2023, 12, 31)),  # the base is the last close of last year
        ("1Y", date(2023, 3, 31)),
        ("ytd", date(2023, 12, 31)),
    ],
)
def test_named_periods_end_today_and_start_at_their_base(period, start):
    assert period_bounds(period, SUNDAY_MARCH_31) == (start, SUNDAY_MARCH_31)


def test_one_year_from_a_leap_day_clamps_to_february_28():
    assert period_bounds("1Y", date(2024, 2, 29)) == (date(2023, 2, 28), date(2024, 2, 29))


def test_all_starts_at_inception():
    assert period_bounds("ALL", SUNDAY_MARCH_31, inception=date(2022, 6, 1))[0] == date(2022, 6, 1)
    assert period_bounds("ALL", SUNDAY_MARCH_31) == (SUNDAY_MARCH_31, SUNDAY_MARCH_31)


def test_period_never_starts_before_inception():
    assert period_bounds("1Y", SUNDAY_MARCH_31, inception=date(2024, 2, 1))[0] == date(2024, 2, 1)


def test_custom_period_uses_start_and_end():
    assert period_bounds("CUSTOM", SUNDAY_MARCH_31, start=date(2024, 1, 15)) == (
        date(2024, 1, 15),
        SUNDAY_MARCH_31,
    )
    assert period_bounds(
        "custom", SUNDAY_MARCH_31, start=date(2024, 1, 15), end=date(2024, 2, 15)
    ) == (date(2024, 1, 15), date(2024, 2, 15))


@pytest.mark.parametrize(
    ("period", "kwargs"),
    [
        ("2Y", {}),
        ("CUSTOM", {}),
        ("CUSTOM", {"start": date(2024, 3, 1), "end": date(2024, 2, 1)}),
    ],
)
def test_bad_periods_are_refused(period, kwargs):
    with pytest.raises(ValueError):
        period_bounds(period, SUNDAY_MARCH_31, **kwargs)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2024, 1, 15), -13, date(2022, 12, 15)),
        (date(2024, 12, 31), 2, date(2025, 2, 28)),
    ],
)
def test_add_months_clamps_to_month_end(day, months, expected):
    assert add_months(day, months) == expected


def test_period_slice_takes_the_last_close_on_or_before_start_as_base():
    dates = [date(2024, 3, 27), date(2024, 3, 28), date(2024, 3, 29), date(2024, 4, 1)]
    # Start on Saturday the 30th: the base is Friday the 29th.
    assert period_slice(dates, date(2024, 3, 30), date(2024, 4, 1)) == slice(2, 4)
    assert period_slice(dates, date(2024, 3, 28), date(2024, 3, 29)) == slice(1, 3)


def test_period_slice_before_history_or_after_it():
    dates = [date(2024, 3, 27), date(2024, 3, 28)]
    assert period_slice(dates, date(2020, 1, 1), date(2024, 12, 31)) == slice(0, 2)
    assert period_slice(dates, date(2020, 1, 1), date(2021, 1, 1)) == slice(0, 0)
    assert period_slice([], date(2020, 1, 1), date(2021, 1, 1)) == slice(0, 0)
