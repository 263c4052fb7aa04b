"""Pure ranking: running statistics, Sharpe ratio, drawdown limit and the deterministic order."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from invsim.challenges.ranking import Entrant, advance, opening_stats, rank, sharpe, total_return
from invsim.challenges.rules import RankingMetric

D = Decimal
JOINED = datetime(2025, 1, 1, tzinfo=UTC)
CASH = D(100_000)


def _entrant(pid, equity, joined=JOINED):
    return Entrant(participant_id=pid, user_id=pid * 10, joined_at=joined, equity=D(equity))


def test_total_return_can_fall_below_minus_one_with_negative_equity():
    assert total_return(D(110_000), CASH) == D("0.1")
    assert total_return(D(-5_000), CASH) == D("-1.05")


def test_running_statistics_track_peak_and_maximum_drawdown():
    stats = opening_stats(CASH)
    for equity in (D(120_000), D(90_000), D(130_000)):
        stats = advance(stats, equity)
    assert stats.peak_equity == D(130_000) and stats.max_drawdown == D("0.25")
    assert stats.return_count == 3


def test_interval_from_non_positive_equity_is_skipped():
    stats = advance(advance(opening_stats(CASH), D(-1)), D(50))
    assert stats.return_count == 1


def test_sharpe_needs_two_returns_and_scores_a_flat_player_zero():
    one = advance(opening_stats(CASH), D(101_000))
    assert sharpe(one) is None
    flat = advance(advance(opening_stats(CASH), CASH), CASH)
    assert sharpe(flat) == 0
    steady = advance(advance(advance(opening_stats(CASH), D(101_000)), D(103_020)), D(104_050))
    assert sharpe(steady) > 1


def test_rank_orders_by_return_then_join_then_id():
    later = datetime(2025, 1, 2, tzinfo=UTC)
    ranked = rank([_entrant(3, 100_000), _entrant(2, 100_000, later), _entrant(1, 100_000),
                   _entrant(4, 120_000, later)], {}, starting_cash=CASH,
                  metric=RankingMetric.TOTAL_RETURN)
    assert [s.participant_id for s in ranked] == [4, 1, 3, 2]
    assert [s.rank for s in ranked] == [1, 2, 3, 4]


def test_players_past_the_drawdown_limit_rank_last_whatever_their_return():
    deep = advance(opening_stats(CASH), D(60_000))  # a 40 % drawdown earlier on
    ranked = rank([_entrant(1, 150_000), _entrant(2, 101_000)], {1: deep}, starting_cash=CASH,
                  metric=RankingMetric.RETURN_WITH_DRAWDOWN_LIMIT, drawdown_limit=D("0.3"))
    assert [(s.participant_id, s.disqualified) for s in ranked] == [(2, False), (1, True)]


def test_sharpe_ranking_puts_missing_figures_after_present_ones():
    history = advance(opening_stats(CASH), D(100_500))
    ranked = rank([_entrant(1, 200_000), _entrant(2, 101_000)], {2: history},
                  starting_cash=CASH, metric=RankingMetric.SHARPE)
    assert [s.participant_id for s in ranked] == [2, 1] and ranked[1].metric is None
