"""Pure ranking in exact integer units: statistics, Sharpe ratio, drawdown limit, the order."""

from __future__ import annotations

from datetime import UTC, datetime

from invsim.challenges.ranking import (
    RATE,
    Entrant,
    advance,
    div_round,
    opening_stats,
    rank,
    sharpe,
    total_return,
)
from invsim.challenges.rules import RankingMetric

JOINED = datetime(2025, 1, 1, tzinfo=UTC)
CASH = 100_000_00  # cents


def _entrant(pid, dollars, joined=JOINED):
    """Build an entrant; seniority follows (joined, participant id) as the query orders them."""
    seniority = int(joined.timestamp()) * 1000 + pid
    return Entrant(participant_id=pid, user_id=pid * 10, seniority=seniority,
                   equity_cents=dollars * 100)


def _history(*dollars):
    stats = opening_stats(CASH)
    for amount in dollars:
        stats = advance(stats, amount * 100)
    return stats


def test_division_rounds_half_to_even_for_either_sign():
    assert [div_round(n, 2) for n in (1, 3, 5, -1, -3)] == [0, 2, 2, 0, -2]
    assert div_round(7, 3) == 2 and div_round(-7, 3) == -2


def test_total_return_can_fall_below_minus_one_with_negative_equity():
    assert total_return(110_000_00, CASH) == RATE // 10
    assert total_return(-5_000_00, CASH) == -1_050_000


def test_running_statistics_track_peak_and_maximum_drawdown():
    stats = _history(120_000, 90_000, 130_000)
    assert stats.peak_equity == 130_000_00 and stats.max_drawdown == 250_000  # 25 %
    assert stats.return_count == 3


def test_interval_from_non_positive_equity_is_skipped():
    assert _history(-1, 50).return_count == 1


def test_sharpe_needs_two_returns_and_scores_a_flat_player_zero():
    assert sharpe(_history(101_000)) is None
    assert sharpe(_history(100_000, 100_000)) == 0
    steady = _history(101_000, 103_020, 104_050)
    assert sharpe(steady) > RATE


def test_rank_orders_by_return_then_join_then_id():
    later = datetime(2025, 1, 2, tzinfo=UTC)
    ranked = rank([_entrant(3, 100_000), _entrant(2, 100_000, later), _entrant(1, 100_000),
                   _entrant(4, 120_000, later)], {}, starting_cents=CASH,
                  metric=RankingMetric.TOTAL_RETURN)
    assert [s.participant_id for s in ranked] == [4, 1, 3, 2]
    assert [s.rank for s in ranked] == [1, 2, 3, 4]
    assert str(ranked[0].total_return) == "0.200000" and str(ranked[0].equity) == "120000.00"


def test_players_past_the_drawdown_limit_rank_last_whatever_their_return():
    deep = _history(60_000)  # a 40 % drawdown earlier on
    ranked = rank([_entrant(1, 150_000), _entrant(2, 101_000)], {1: deep}, starting_cents=CASH,
                  metric=RankingMetric.RETURN_WITH_DRAWDOWN_LIMIT, drawdown_limit=300_000)
    assert [(s.participant_id, s.disqualified) for s in ranked] == [(2, False), (1, True)]


def test_sharpe_ranking_puts_missing_figures_after_present_ones():
    ranked = rank([_entrant(1, 200_000), _entrant(2, 101_000)], {2: _history(100_500)},
                  starting_cents=CASH, metric=RankingMetric.SHARPE)
    assert [s.participant_id for s in ranked] == [2, 1] and ranked[1].metric is None
