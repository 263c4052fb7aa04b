"""Pure parts: request windows, session plans, P&L arrays, allocation edge cases (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from invsim.analytics.allocation import Holding, allocate
from invsim.analytics.history import EquityPoint
from invsim.analytics.periods import resolve
from invsim.analytics.report import Observed, history_arrays, normalised
from invsim.analytics.series import thin
from invsim.analytics.sessions import Observation, Session, daily_observations, inception_day
from invsim.core.clock import calendar_for
from invsim.core.errors import ValidationFailed

D = Decimal
NOW = datetime(2024, 3, 31, 15, 0, tzinfo=UTC)  # a Sunday
OPENED = date(2023, 1, 1)


def window(**query):
    """Resolve a request window for a portfolio opened long ago."""
    args = {"period": None, "timeframe": None, "start": None, "end": None}
    return resolve(**{**args, **query}, opening=OPENED, now=NOW)


def test_named_periods_and_defaults():
    assert (window().period, window().timeframe, window().first) == ("1M", "1D", date(2024, 2, 29))
    assert (window(period="1D").timeframe, window(period="1W").timeframe) == ("5Min", "1H")
    assert window(period="YTD").first == date(2023, 12, 31)
    assert window(period="ALL").first == OPENED


@pytest.mark.parametrize(("query", "code"), [
    ({"period": "2D"}, "invalid_period"),
    ({"timeframe": "15Min"}, "invalid_timeframe"),
    ({"period": "1M", "start": NOW - timedelta(days=3)}, "invalid_period"),
    ({"start": NOW, "end": NOW - timedelta(days=1)}, "invalid_range"),
    ({"start": NOW + timedelta(days=1)}, "invalid_range"),
    ({"period": "3M", "timeframe": "5Min"}, "range_too_large"),
])
def test_bad_windows_are_refused_with_a_code(query, code):
    with pytest.raises(ValidationFailed) as raised:
        window(**query)
    assert raised.value.code == code


def test_a_window_before_the_portfolio_existed_is_empty_and_an_end_in_the_future_is_now():
    before = window(start=datetime(2022, 1, 1, tzinfo=UTC), end=datetime(2022, 6, 1, tzinfo=UTC))
    assert before.empty
    assert window(end=NOW + timedelta(days=9)).end == NOW
    clamped = window(start=datetime(2020, 1, 1, tzinfo=UTC))
    assert (clamped.first, clamped.empty) == (OPENED, False)


def nyse_sessions(start: date, end: date) -> list[Session]:
    """Return NYSE sessions with their instants."""
    cal = calendar_for("nyse")
    return [Session(d, cal.session_open(d), cal.session_close(d)) for d in cal.sessions(start, end)]


def test_a_portfolio_opened_on_a_weekend_is_based_on_fridays_close_and_trades_monday():
    sessions = nyse_sessions(date(2024, 3, 1), date(2024, 3, 12))
    opened = datetime(2024, 3, 9, 12, 0, tzinfo=UTC)  # Saturday
    assert inception_day(opened, sessions) == date(2024, 3, 8)
    now = datetime(2024, 3, 11, 15, 0, tzinfo=UTC)  # Monday, market open
    plan = daily_observations(opened, date(2024, 3, 8), sessions, now)
    assert [(o.day, o.kind) for o in plan] == [(date(2024, 3, 8), "inception"),
                                               (date(2024, 3, 11), "live")]


def test_profit_loss_pct_chain_links_and_stops_after_a_total_loss():
    days = [datetime(2024, 1, d, tzinfo=UTC) for d in (1, 2, 3, 4)]
    points = [Observed(d.date(), d, D(e), D(f))
              for d, e, f in zip(days, [100, 50, 0, 10], [0, 0, 0, 10], strict=True)]
    arrays = history_arrays(points)
    assert [str(p) if p is not None else None for p in arrays.profit_loss_pct] == [
        "0.000000", "-0.500000", "-1.000000", "-1.000000"]
    assert [str(p) for p in arrays.profit_loss] == ["0.00", "-50.00", "-100.00", "-100.00"]
    assert history_arrays([]).base_value is None
    assert normalised([None, D(50), D(55)]) == [None, D("100.0000"), D("110.0000")]


def test_allocation_without_equity_has_no_weights():
    found = allocate(D("-100.00"), [Holding("AAPL", D(1), D("50.00"), "IT", "us_equity")])
    assert found.equity == D("-50.00") and found.cash_weight is None
    assert found.by_symbol[0].weight is None
    empty = allocate(D("1000.00"), [])
    assert (empty.equity, empty.cash_weight, empty.by_symbol) == (D("1000.00"), D(1), [])


def test_thinning_keeps_the_last_sample_of_each_bucket():
    base = datetime(2024, 1, 2, 10, 0, tzinfo=UTC)
    items = [(base + timedelta(minutes=m), Observation(base.date(), base, "intraday"),
              EquityPoint(base, 0, D(m), D(0), D(0), D(m), D(0))) for m in (0, 4, 5, 59, 61)]
    kept = [point.equity for _, _, point in thin(items, timedelta(minutes=5))]
    assert kept == [D(4), D(5), D(59), D(61)]
    assert [p.equity for _, _, p in thin(items, timedelta(hours=1))] == [D(59), D(61)]
