"""Properties: TWR of a flow-free series is its simple return; no figure is ever NaN or infinite."""

import math
from dataclasses import fields
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from invsim.analytics.metrics import compute_metrics
from invsim.analytics.returns import period_irr, time_weighted_return

FIRST = date(2020, 1, 1)

positive_equity = st.lists(st.floats(0.01, 1e9), min_size=2, max_size=60)
any_equity = st.lists(
    st.one_of(st.floats(-1e6, 1e9), st.just(0.0), st.just(math.nan)), min_size=0, max_size=60
)


@st.composite
def ascending_dates(draw, size):
    gaps = draw(st.lists(st.integers(1, 10), min_size=size, max_size=size))
    return [FIRST + timedelta(days=int(total)) for total in np.cumsum(gaps)]


@st.composite
def histories(draw):
    equity = draw(any_equity)
    size = len(equity)
    flows = draw(st.lists(st.floats(-1e6, 1e6), min_size=size, max_size=size))
    bench = draw(st.lists(st.floats(-10.0, 1e5), min_size=size, max_size=size))
    return draw(ascending_dates(size)), equity, flows, bench


@settings(max_examples=200, deadline=None)
@given(positive_equity)
def test_twr_without_flows_equals_simple_return(equity):
    days = [FIRST + timedelta(days=i) for i in range(len(equity))]
    m = compute_metrics(days, equity)
    assert m.twr == pytest.approx(m.simple_return, rel=1e-9, abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.floats(-0.5, 0.5), st.floats(0, 1e6)), min_size=1, max_size=60),
)
def test_deposits_never_move_the_twr(steps):
    equity, flows = [10_000.0], [0.0]
    for r, deposit in steps:
        equity.append(equity[-1] * (1 + r) + deposit)
        flows.append(deposit)
    expected = math.prod(1 + r for r, _ in steps) - 1
    twr = time_weighted_return(np.array(equity), np.array(flows))
    assert twr == pytest.approx(expected, rel=1e-9, abs=1e-12)


@settings(max_examples=300, deadline=None)
@given(histories(), st.lists(st.floats(-1e6, 1e6), max_size=8), st.floats(0.0, 0.2))
def test_metrics_are_never_nan_or_infinite(history, positions, risk_free):
    days, equity, flows, bench = history
    m = compute_metrics(
        days,
        equity,
        flows,
        benchmark_dates=days,
        benchmark_levels=bench,
        position_values=positions,
        risk_free_rate=risk_free,
    )
    for field in fields(m):
        value = getattr(m, field.name)
        if isinstance(value, float):
            assert math.isfinite(value), field.name


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=12).flatmap(
        lambda amounts: st.tuples(st.just(amounts), ascending_dates(len(amounts)))
    )
)
def test_irr_when_found_zeroes_the_npv(case):
    amounts, days = case
    period = period_irr(days, amounts)
    # A rate within 1e-6 of −100 % keeps too few digits of 1 + rate to
    # re-discount the flows in floats; the solver itself works in ln(1 + rate).
    assume(period is not None and period > -1 + 1e-6)
    span = (days[-1] - days[0]).days
    terms = [a * (1 + period) ** (-(d - days[0]).days / span) for d, a in zip(days, amounts)]
    # Measured against the discounted terms: near a total loss they are huge
    # and the NPV can only vanish up to their rounding.
    assert abs(sum(terms)) <= 1e-6 * sum(abs(term) for term in terms)
