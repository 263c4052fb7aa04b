"""The simulated market's dividends and splits: deterministic, in the traded prices, back-adjustable."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import numpy as np

from invsim.market.providers.base import Bar, CorporateAction
from invsim.market.providers.simulated import SimulatedProvider
from invsim.market.universe import load_universe

FROM, TO = date(2025, 1, 1), date(2026, 11, 1)


def every_action(provider: SimulatedProvider) -> list[CorporateAction]:
    return [a for symbol in load_universe().symbols()
            for a in provider.corporate_actions(symbol, FROM, TO)]


def daily(provider: SimulatedProvider, symbol: str, around: date, adjusted: bool) -> list[Bar]:
    start = datetime.combine(around - timedelta(days=10), time(), tzinfo=UTC)
    end = datetime.combine(around + timedelta(days=10), time(), tzinfo=UTC)
    return provider.daily_bars([symbol], start, end, adjusted=adjusted)[symbol]


def test_actions_are_a_function_of_the_seed_and_realistic(now: datetime) -> None:
    first = every_action(SimulatedProvider(seed=7, calendar="nyse"))
    assert first == every_action(SimulatedProvider(seed=7, calendar="nyse"))
    assert first != every_action(SimulatedProvider(seed=8, calendar="nyse"))
    dividends = [a for a in first if a.kind == "dividend"]
    payers = {a.symbol for a in dividends}
    assert 0.4 < len(payers) / len(load_universe().symbols()) < 0.95
    assert {"KO", "XOM", "NEE", "SPY"} & payers and "GLD" not in payers  # gold pays nothing
    for action in dividends:
        assert action.amount is not None and action.amount >= Decimal("0.01")
        assert action.declared_on < action.ex_date == action.record_date < action.pay_date
    splits = [a for a in first if a.kind == "split"]
    assert 0 < len(splits) < 20 and all(a.ratio in {2, 4, 5, 10} for a in splits)


def test_nothing_declared_after_today_is_known(clock: list[datetime]) -> None:
    provider = SimulatedProvider(seed=7, calendar="nyse")
    known = every_action(provider)
    clock[0] = datetime(2025, 6, 1, tzinfo=UTC)
    early = every_action(provider)
    assert early and all(a.declared_on <= date(2025, 6, 1) for a in early)
    assert set(early) < set(known)


def test_the_price_drops_by_the_dividend_at_the_ex_date_open(now: datetime) -> None:
    provider = SimulatedProvider(seed=7, calendar="always_open")
    action = next(a for a in provider.corporate_actions("KO", FROM, TO))
    assert action.amount is not None
    bars = daily(provider, "KO", action.ex_date, adjusted=False)
    before = next(b for b in reversed(bars) if b.start.date() < action.ex_date)
    ex = next(b for b in bars if b.start.date() == action.ex_date)
    assert abs(ex.open - (before.close - action.amount)) <= Decimal("0.0001")
    # Back-adjusted, the day before is scaled by (1 - D / close): no gap at the ex-date.
    adjusted = daily(provider, "KO", action.ex_date, adjusted=True)
    adjusted_before = next(b for b in reversed(adjusted) if b.start.date() < action.ex_date)
    adjusted_ex = next(b for b in adjusted if b.start.date() == action.ex_date)
    step = (adjusted_before.close / before.close) / (adjusted_ex.close / ex.close)
    assert abs(step - (1 - action.amount / before.close)) < Decimal("0.00001")


def test_a_split_divides_prices_and_multiplies_volume_in_the_traded_history(now: datetime) -> None:
    provider = SimulatedProvider(seed=7, calendar="nyse")
    split = next(a for a in every_action(provider) if a.kind == "split")
    assert split.ratio is not None
    bars = daily(provider, split.symbol, split.ex_date, adjusted=False)
    adjusted = daily(provider, split.symbol, split.ex_date, adjusted=True)
    index = next(i for i, b in enumerate(bars) if b.start.date() >= split.ex_date)
    jump = float(bars[index].open / bars[index - 1].close)
    assert abs(jump * float(split.ratio) - 1) < 0.2  # unadjusted: the price falls r-fold
    smooth = float(adjusted[index].open / adjusted[index - 1].close)
    assert abs(smooth - 1) < 0.2  # adjusted: the history is continuous
    assert adjusted[index - 1].close == (bars[index - 1].close / split.ratio).quantize(
        Decimal("0.0001"))
    assert adjusted[index - 1].volume == bars[index - 1].volume * int(split.ratio)
    returns = np.diff(np.log([float(b.close) for b in adjusted]))
    assert np.abs(returns).max() < 0.3
