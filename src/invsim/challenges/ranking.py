"""Pure ranking: running return statistics, the metric ranked on, and the deterministic order.

Plain values in, plain values out (no database). Each run continues the
previous run's statistics, so a run costs O(players) however long the
challenge has lasted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from invsim.challenges.rules import RankingMetric
from invsim.core.money import ONE, ZERO, rate

STAT_QUANTUM = Decimal(1).scaleb(-12)


@dataclass(frozen=True, slots=True)
class Stats:
    """What a player's history contributes to the next run."""

    equity: Decimal
    peak_equity: Decimal
    max_drawdown: Decimal
    return_count: int
    return_sum: Decimal
    return_sq_sum: Decimal


@dataclass(frozen=True, slots=True)
class Entrant:
    """A player to rank: who, when they joined, and their equity now."""

    participant_id: int
    user_id: int
    joined_at: datetime
    equity: Decimal


@dataclass(frozen=True, slots=True)
class Standing:
    """A player's place in one run."""

    participant_id: int
    user_id: int
    rank: int
    equity: Decimal
    total_return: Decimal
    metric: Decimal | None
    disqualified: bool
    stats: Stats


def opening_stats(starting_cash: Decimal) -> Stats:
    """Return the statistics of a player before the first run (all cash, no returns yet)."""
    return Stats(starting_cash, starting_cash, ZERO, 0, ZERO, ZERO)


def _stat(value: Decimal) -> Decimal:
    """Round a running statistic to 12 decimals."""
    return value.quantize(STAT_QUANTUM)


def advance(previous: Stats, equity: Decimal) -> Stats:
    """Add one interval (previous equity -> `equity`) to the running statistics.

    An interval that starts at zero or negative equity has no defined return and
    is skipped; the drawdown is measured from the highest equity seen.
    """
    peak = max(previous.peak_equity, equity)
    drawdown = (ONE - equity / peak) if peak > ZERO else ZERO
    count, total, squares = previous.return_count, previous.return_sum, previous.return_sq_sum
    if previous.equity > ZERO:
        step = _stat(equity / previous.equity - ONE)
        count, total, squares = count + 1, total + step, squares + _stat(step * step)
    return Stats(equity, peak, rate(max(previous.max_drawdown, drawdown)), count, total, squares)


def total_return(equity: Decimal, starting_cash: Decimal) -> Decimal:
    """Return equity / starting cash − 1 (below −1 when equity is negative)."""
    return rate(equity / starting_cash - ONE)


def sharpe(stats: Stats) -> Decimal | None:
    """Return mean ÷ sample standard deviation of the interval returns (None under two returns).

    Not annualised and with a zero risk-free rate: every player of a challenge is
    sampled at the same instants, so any annualisation would not change the order.
    A player whose returns never vary (all cash) scores 0.
    """
    n = stats.return_count
    if n < 2:
        return None
    mean = stats.return_sum / n
    variance = (stats.return_sq_sum - n * mean * mean) / (n - 1)
    if variance <= ZERO:
        return ZERO
    return rate(mean / variance.sqrt())


def _metric(metric: RankingMetric, ret: Decimal, stats: Stats) -> Decimal | None:
    """Return the figure ranked on."""
    return sharpe(stats) if metric is RankingMetric.SHARPE else ret


def rank(
    entrants: Iterable[Entrant],
    previous: Mapping[int, Stats],
    *,
    starting_cash: Decimal,
    metric: RankingMetric,
    drawdown_limit: Decimal | None = None,
) -> list[Standing]:
    """Rank the players: best metric first, then earlier join, then lower participant id.

    Players past the drawdown limit rank after everyone else; a missing metric
    (Sharpe before two returns) ranks after every present one.
    """
    scored = []
    for entrant in entrants:
        stats = advance(previous.get(entrant.participant_id, opening_stats(starting_cash)),
                        entrant.equity)
        ret = total_return(entrant.equity, starting_cash)
        out = drawdown_limit is not None and stats.max_drawdown > drawdown_limit
        figure = _metric(metric, ret, stats)
        key = (out, figure is None, -(figure or ZERO), entrant.joined_at, entrant.participant_id)
        scored.append((key, entrant, ret, figure, out, stats))
    scored.sort(key=lambda item: item[0])
    return [Standing(e.participant_id, e.user_id, place, e.equity, ret, figure, out, stats)
            for place, (_, e, ret, figure, out, stats) in enumerate(scored, start=1)]
