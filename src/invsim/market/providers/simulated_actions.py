"""Corporate actions of the simulated market: quarterly cash dividends and rare stock splits.

Deterministic like the prices: whether a symbol pays, its yield, its dividend months and
its split decisions come from the stream (seed, symbol, "corporate") and from its own
price path. Actions start after the anchor session (history before it has none), so the
anchor close still equals the listing's base price.

The model's path is the *adjusted* (total-return) price. The traded, unadjusted price is
that path times a factor M that steps at each ex-date: (1 − D / previous close) for a
dividend D, 1 / r for an r-for-1 split. So the whole ex-date bar is scaled: the open drops
by D × open / previous close (exactly D on a market that never closes, where the open is
the previous close), and back-adjusting the unadjusted history gives the model's path again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

import numpy as np

from invsim.market.providers.base import CorporateAction
from invsim.market.providers.simulated_params import SymbolModel
from invsim.market.providers.simulated_streams import (
    FloatArray,
    IntArray,
    day_number,
    stream,
    to_date,
)

CENT = Decimal("0.01")
# (share of the sector's symbols that pay, annual yield of a typical payer)
DIVIDEND_PROFILES: dict[str, tuple[float, float]] = {
    "Information Technology": (0.55, 0.009),
    "Communication Services": (0.45, 0.012),
    "Consumer Discretionary": (0.45, 0.012),
    "Consumer Staples": (0.90, 0.028),
    "Health Care": (0.70, 0.018),
    "Financials": (0.85, 0.025),
    "Industrials": (0.75, 0.017),
    "Energy": (0.90, 0.035),
    "Materials": (0.80, 0.022),
    "Utilities": (0.95, 0.034),
    "Real Estate": (0.95, 0.038),
    "Broad Market": (1.00, 0.013),
    "International": (0.90, 0.028),
    "Fixed Income": (1.00, 0.035),
    "Commodities": (0.00, 0.0),
}
DEFAULT_PROFILE = (0.50, 0.015)
DECLARED_BEFORE = 21  # days between a dividend's declaration and its ex-date
SPLIT_PRICE = 500.0  # a split is considered only above this close
SPLIT_CHANCE = 0.15  # at each quarterly board meeting while the price is that high
SPLIT_NOTICE = 30  # days between a split's announcement and its ex-date
SPLIT_TARGET = 250.0  # the smallest ratio bringing the price to this level or below
SPLIT_RATIOS = (2, 4, 5, 10)  # divide a 4-decimal price exactly at the 6-decimal scale
_SPLIT_MONTHS = (2, 5, 8, 11)


@dataclass(frozen=True, slots=True)
class ActionPath:
    """A symbol's actions and the session-by-session factors they put on its bars."""

    actions: tuple[CorporateAction, ...]
    log_factor: FloatArray  # log M: unadjusted = model price × M
    shares: FloatArray  # shares outstanding per original share (volume multiplier)


@dataclass(frozen=True, slots=True)
class _Plan:
    """A decided action before its factor is known: where it is declared and goes ex."""

    kind: str
    declared: int  # session indexes
    ex: int
    pay: int
    amount: Decimal | None = None
    ratio: int | None = None


def no_actions(length: int) -> ActionPath:
    """Return the path of a symbol without corporate actions."""
    return ActionPath((), np.zeros(length), np.ones(length))


def action_path(
    seed: int, model: SymbolModel, days: IntArray, log_close: FloatArray, anchor: int
) -> ActionPath:
    """Decide `model`'s dividends and splits after session `anchor` and their factors."""
    rng = stream(seed, model.symbol, "corporate")
    pays_share, typical_yield = DIVIDEND_PROFILES.get(model.sector, DEFAULT_PROFILE)
    pays, scale, phase, day, lag = (float(u) for u in rng.random(5))
    dividend_yield = typical_yield * (0.6 + 0.8 * scale) if pays < pays_share else 0.0
    years = range(to_date(int(days[anchor])).year, to_date(int(days[-1])).year + 1)
    split_chances = rng.random(4 * len(years))  # one per board meeting, fixed slots
    book = _Book(days, log_close, anchor)
    timing = (int(phase * 3), 1 + int(day * 24), 10 + int(lag * 20))  # month, day, pay lag
    meetings = _decisions(days, years, anchor, *timing)
    for kind, slot, when, ex, pay in meetings:
        if kind == "dividend" and dividend_yield > 0.0:
            value = book.price(when) * dividend_yield / 4.0
            amount = max(Decimal(repr(value)).quantize(CENT, ROUND_HALF_EVEN), CENT)
            book.add(_Plan("dividend", when, ex, pay, amount=amount))
        elif kind == "split" and model.earnings_stdev > 0.0:
            close = book.price(when)
            if close >= SPLIT_PRICE and split_chances[slot] < SPLIT_CHANCE:
                if not book.split_pending(when):
                    book.add(_Plan("split", when, ex, ex, ratio=_ratio(close)))
    return book.path(model.symbol)


def _ratio(close: float) -> int:
    """Return the smallest ratio bringing `close` to SPLIT_TARGET or below (else the largest)."""
    for ratio in SPLIT_RATIOS:
        if close / ratio <= SPLIT_TARGET:
            return ratio
    return SPLIT_RATIOS[-1]


def _decisions(
    days: IntArray, years: range, anchor: int, phase: int, day: int, lag: int
) -> list[tuple[str, int, int, int, int]]:
    """Return (kind, slot, decision, ex, pay sessions) candidates in decision order."""
    found = []
    for number, year in enumerate(years):
        for quarter in range(4):
            ex_nominal = date(year, 1 + phase + 3 * quarter, day)
            ex = _session_on_or_after(days, ex_nominal)
            declared = _session_on_or_after(days, ex_nominal - timedelta(days=DECLARED_BEFORE))
            pay = _session_on_or_after(days, ex_nominal + timedelta(days=lag))
            if declared > anchor and pay < len(days):
                found.append(("dividend", 4 * number + quarter, declared, ex, pay))
            meeting = _session_on_or_after(days, date(year, _SPLIT_MONTHS[quarter], 1))
            split_ex = _session_on_or_after(
                days, to_date(int(days[min(meeting, len(days) - 1)])) + timedelta(days=SPLIT_NOTICE)
            )
            if meeting > anchor and split_ex < len(days):
                found.append(("split", 4 * number + quarter, meeting, split_ex, split_ex))
    return sorted(found, key=lambda item: (item[2], item[0]))


def _session_on_or_after(days: IntArray, on: date) -> int:
    """Return the index of the first session on or after `on` (len(days) if none)."""
    return int(np.searchsorted(days, day_number(on)))


class _Book:
    """The actions decided so far and the factor M they imply, applied in ex-date order."""

    def __init__(self, days: IntArray, log_close: FloatArray, anchor: int) -> None:
        self.days, self.log_close, self.anchor = days, log_close, anchor
        self.pending: list[_Plan] = []
        self.applied: list[tuple[_Plan, float]] = []  # with its factor

    def add(self, plan: _Plan) -> None:
        """Record a decided action."""
        self.pending.append(plan)

    def split_pending(self, session: int) -> bool:
        """Tell whether a split was announced and has not gone ex by `session`."""
        return any(p.kind == "split" and p.ex > session for p in self.pending) or any(
            p.kind == "split" and p.ex > session for p, _ in self.applied
        )

    def price(self, session: int) -> float:
        """Return the unadjusted close of `session` (every action ex by then applied)."""
        self._apply_through(session)
        factor = math.prod(f for plan, f in self.applied if plan.ex <= session)
        return math.exp(float(self.log_close[session])) * factor

    def _apply_through(self, session: int) -> None:
        """Fix the factor of every pending action that goes ex by `session`, in ex order."""
        due = sorted((p for p in self.pending if p.ex <= session), key=lambda p: p.ex)
        for plan in due:
            self.pending.remove(plan)
            if plan.kind == "split" and plan.ratio is not None:
                self.applied.append((plan, 1.0 / plan.ratio))
            elif plan.amount is not None:
                before = self.price(plan.ex - 1)
                self.applied.append((plan, max(1.0 - float(plan.amount) / before, 0.5)))

    def path(self, symbol: str) -> ActionPath:
        """Return every decided action and the session factors."""
        self._apply_through(len(self.days) - 1)
        steps = np.zeros(len(self.days))
        split_steps = np.zeros(len(self.days))
        actions = []
        for plan, factor in sorted(self.applied, key=lambda item: item[0].ex):
            steps[plan.ex] += math.log(factor)
            ex, declared = to_date(int(self.days[plan.ex])), to_date(int(self.days[plan.declared]))
            if plan.ratio is not None:
                split_steps[plan.ex] += math.log(plan.ratio)
            actions.append(
                CorporateAction(
                    symbol=symbol,
                    kind="split" if plan.ratio is not None else "dividend",
                    declared_on=declared,
                    ex_date=ex,
                    record_date=ex,
                    pay_date=to_date(int(self.days[plan.pay])),
                    amount=plan.amount,
                    ratio=Decimal(plan.ratio) if plan.ratio is not None else None,
                )
            )
        return ActionPath(tuple(actions), np.cumsum(steps), np.exp(np.cumsum(split_steps)))
