"""Pure ranking: running return statistics, the metric ranked on, and the deterministic order.

Plain values in, plain values out (no database). Amounts are exact integers in
the units the columns store: equity in cents, returns and drawdowns in
millionths (`RATE`), running sums of interval returns in 1e-12 (`STAT`); every
division rounds half to even, like `core.money`. Each run continues the
previous run's statistics, so a run costs O(players) however long the
challenge has lasted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import NamedTuple

from invsim.challenges.rules import RankingMetric
from invsim.core.money import MONEY_SCALE, RATE_SCALE, from_scaled_int, to_scaled_int

RATE: int = 10 ** RATE_SCALE
STAT: int = 10 ** 12


def div_round(numerator: int, denominator: int) -> int:
    """Divide integers exactly, rounding half to even (denominator > 0)."""
    quotient, remainder = divmod(numerator, denominator)
    twice = 2 * remainder
    if twice > denominator or (twice == denominator and quotient % 2 == 1):
        quotient += 1
    return quotient


class Stats(NamedTuple):
    """What a player's history contributes to the next run (integer units).

    Named tuples, not frozen dataclasses: a run builds 100,000 of them.
    """

    equity: int          # cents
    peak_equity: int     # cents
    max_drawdown: int    # millionths
    return_count: int
    return_sum: int      # 1e-12
    return_sq_sum: int   # 1e-12


class Entrant(NamedTuple):
    """A player to rank: who, their place in the joining order, and their equity now (cents).

    `seniority` orders players by (joined_at, participant id): 0 joined first.
    """

    participant_id: int
    user_id: int
    seniority: int
    equity_cents: int


class Standing(NamedTuple):
    """A player's place in one run (integer units, with Decimal views)."""

    participant_id: int
    user_id: int
    rank: int
    equity_cents: int
    return_units: int
    metric_units: int | None
    disqualified: bool
    stats: Stats

    @property
    def equity(self) -> Decimal:
        """Return the equity in dollars."""
        return from_scaled_int(self.equity_cents, MONEY_SCALE)

    @property
    def total_return(self) -> Decimal:
        """Return the total return as a fraction."""
        return from_scaled_int(self.return_units, RATE_SCALE)

    @property
    def metric(self) -> Decimal | None:
        """Return the figure ranked on."""
        return None if self.metric_units is None else from_scaled_int(self.metric_units,
                                                                      RATE_SCALE)


def cents(amount: Decimal) -> int:
    """Return a cash amount in cents."""
    return to_scaled_int(amount, MONEY_SCALE)


def opening_stats(starting_cents: int) -> Stats:
    """Return the statistics of a player before the first run (all cash, no returns yet)."""
    return Stats(starting_cents, starting_cents, 0, 0, 0, 0)


def advance(previous: Stats, equity: int) -> Stats:
    """Add one interval (previous equity -> `equity`) to the running statistics.

    An interval that starts at zero or negative equity has no defined return and
    is skipped; the drawdown is measured from the highest equity seen.
    """
    peak = max(previous.peak_equity, equity)
    drawdown = RATE - div_round(equity * RATE, peak) if 0 < peak != equity else 0
    count, total, squares = previous.return_count, previous.return_sum, previous.return_sq_sum
    if previous.equity > 0:
        step = div_round(equity * STAT, previous.equity) - STAT
        count, total, squares = count + 1, total + step, squares + div_round(step * step, STAT)
    return Stats(equity, peak, max(previous.max_drawdown, drawdown), count, total, squares)


def total_return(equity: int, starting: int) -> int:
    """Return equity / starting cash − 1 in millionths (below −1 when equity is negative)."""
    return div_round(equity * RATE, starting) - RATE


def sharpe(stats: Stats) -> int | None:
    """Return mean ÷ sample standard deviation of the interval returns, in millionths.

    None under two returns. Not annualised and with a zero risk-free rate: every
    player of a challenge is sampled at the same instants, so any annualisation
    would not change the order. A player whose returns never vary scores 0.
    """
    n = stats.return_count
    if n < 2:
        return None
    mean = Decimal(stats.return_sum) / n
    variance = (Decimal(stats.return_sq_sum) * STAT - n * mean * mean) / (n - 1)
    if variance <= 0:
        return 0
    return int((mean / variance.sqrt() * RATE).to_integral_value())


def rank(
    entrants: Iterable[Entrant],
    previous: Mapping[int, Stats],
    *,
    starting_cents: int,
    metric: RankingMetric,
    drawdown_limit: int | None = None,
) -> list[Standing]:
    """Rank the players: best metric first, then earlier join, then lower participant id.

    Both tie-breaks are the entrant's `seniority`, so the order is total.

    Players past the drawdown limit (millionths) rank after everyone else; a
    missing metric (Sharpe before two returns) ranks after every present one.
    """
    opening = opening_stats(starting_cents)
    by_sharpe = metric is RankingMetric.SHARPE
    scored = []
    for e in entrants:
        stats = advance(previous.get(e.participant_id, opening), e.equity_cents)
        ret = total_return(e.equity_cents, starting_cents)
        out = drawdown_limit is not None and stats.max_drawdown > drawdown_limit
        figure = sharpe(stats) if by_sharpe else ret
        key = (out, figure is None, -(figure or 0), e.seniority)
        scored.append((key, e, ret, figure, out, stats))
    scored.sort(key=lambda item: item[0])
    return [Standing(e.participant_id, e.user_id, place, e.equity_cents, ret, figure, out, stats)
            for place, (_, e, ret, figure, out, stats) in enumerate(scored, start=1)]
