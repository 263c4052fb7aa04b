"""Back-adjusting bars for dividends and splits (pure: any provider's bars and actions)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal

from invsim.core.money import price
from invsim.market.providers.base import Bar, CorporateAction

ONE = Decimal(1)


def adjust_bars(
    bars: Sequence[Bar], actions: Sequence[CorporateAction],
    previous_close: Callable[[date], Decimal | None],
) -> list[Bar]:
    """Back-adjust `bars` for the actions gone ex after each bar (prices and volume).

    A bar before a dividend's ex-date is multiplied by (1 − D / the close before the
    ex-date), one before an r-for-1 split divided by r (its volume multiplied by r). The
    latest bars are unchanged: adjusted history is as of the last action.
    """
    steps: list[tuple[date, Decimal, Decimal]] = []  # (ex-date, price factor, volume factor)
    for action in sorted(actions, key=lambda a: a.ex_date):
        if action.kind == "split" and action.ratio:
            steps.append((action.ex_date, ONE / action.ratio, action.ratio))
        elif action.kind == "dividend" and action.amount:
            close = previous_close(action.ex_date)
            if close is not None and close > action.amount:
                steps.append((action.ex_date, ONE - action.amount / close, ONE))
    if not steps:
        return list(bars)
    adjusted = []
    for bar in bars:
        factor, volume = ONE, ONE
        for ex_date, price_factor, volume_factor in steps:
            if bar.start.date() < ex_date:
                factor *= price_factor
                volume *= volume_factor
        if factor == ONE and volume == ONE:
            adjusted.append(bar)
            continue
        adjusted.append(Bar(bar.symbol, bar.interval, bar.start, price(bar.open * factor),
                            price(bar.high * factor), price(bar.low * factor),
                            price(bar.close * factor), int(bar.volume * volume)))
    return adjusted
