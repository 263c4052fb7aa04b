"""Standings: valued in bulk from the ledger and prices, ranked deterministically, frozen at the end."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import BigInteger, Numeric, literal, select
from sqlalchemy.exc import IntegrityError

from invsim.challenges import board, jobs, service, sources, standings
from invsim.challenges.models import StandingRun
from invsim.challenges.ranking import div_round
from invsim.core.clock import utcnow
from invsim.core.errors import Forbidden
from invsim.core.money import money
from invsim.extensions import db, make_engine
from invsim.portfolios.models import Portfolio
from invsim.trading.summary import account_summary
from tests.service.challenges.support import (
    END,
    START,
    D,
    count,
    make_challenge,
    new_user,
    place,
    portfolio_of,
    standings_at,
)


@pytest.fixture()
def game(appctx, clock):
    """A started public challenge with three players who joined one after another."""
    challenge = make_challenge(new_user())
    players = []
    for _ in range(3):
        player = new_user()
        service.join_challenge(viewer_id=player.id, challenge_id=challenge.id)
        clock.advance(seconds=1)
        players.append(player)
    clock.set(START + timedelta(minutes=1))
    jobs.open_started()
    return challenge, players


def _pid(challenge, player):
    return portfolio_of(challenge.id, player).id


def test_equity_is_cash_plus_positions_at_last_price_like_the_account_summary(game):
    challenge, (alice, bob, _) = game
    place(alice, _pid(challenge, alice), "AAPL", qty=D(10))
    place(alice, _pid(challenge, alice), "MSFT", qty=D("2.5"))
    place(bob, _pid(challenge, bob), "AAPL", qty=D(3))
    ranked = standings.compute_standings(db.session.get(type(challenge), challenge.id),
                                         at=START + timedelta(minutes=1), final=False)
    by_user = {s.user_id: s for s in ranked}
    for player in (alice, bob):
        summary = account_summary(db.session.get(Portfolio, _pid(challenge, player)))
        assert by_user[player.id].equity == summary.equity
        assert by_user[player.id].total_return == (summary.equity / D(100_000) - 1).quantize(
            D("0.000001"))


def test_ties_are_broken_by_earlier_join_then_id(game):
    challenge, players = game
    ranked = standings.compute_standings(challenge, at=START + timedelta(minutes=1), final=False)
    assert [s.user_id for s in ranked] == [p.id for p in players]
    assert [s.rank for s in ranked] == [1, 2, 3]
    again = standings.compute_standings(challenge, at=START + timedelta(minutes=1), final=False)
    assert [s.user_id for s in again] == [s.user_id for s in ranked]


def test_same_join_instant_ranks_the_lower_participant_id_first(appctx, clock):
    challenge = make_challenge(new_user())
    first, second = new_user(), new_user()
    service.join_challenge(viewer_id=second.id, challenge_id=challenge.id)
    service.join_challenge(viewer_id=first.id, challenge_id=challenge.id)
    clock.set(START)
    ranked = standings.compute_standings(challenge, at=START, final=False)
    assert [s.user_id for s in ranked] == [second.id, first.id]


def test_refresh_keeps_a_ranked_run_and_is_idempotent_within_the_interval(game, clock):
    challenge, _ = game
    assert standings.refresh_standings(challenge.id) == 3
    assert standings.refresh_standings(challenge.id) == 0
    clock.advance(seconds=61)
    assert jobs.refresh_standings() == 3
    assert count(StandingRun) == 2


def test_rank_history_moves_as_players_trade(game, clock):
    challenge, (alice, bob, carol) = game
    jobs.refresh_standings()
    place(carol, _pid(challenge, carol), "AAPL", qty=D(300))
    moved = None
    for _ in range(200):  # let the market move until carol's position is up or down
        clock.advance(minutes=5)
        jobs.refresh_standings()
        rank = board.rank_history(viewer_id=carol.id, challenge_id=challenge.id).rank[-1]
        if rank != 3:
            moved = rank
            break
    assert moved is not None, "carol's rank never moved"
    history = board.rank_history(viewer_id=alice.id, challenge_id=challenge.id,
                                 user_id=carol.id)
    assert history.rank[0] == 3 and history.rank[-1] == moved
    assert len(history.timestamp) == len(history.rank) == len(history.participants)


def test_final_standings_use_facts_and_prices_at_the_end_and_stay_frozen(game, clock):
    challenge, (alice, bob, _) = game
    place(alice, _pid(challenge, alice), "AAPL", qty=D(50))
    clock.set(END - timedelta(minutes=1))
    jobs.refresh_standings()
    clock.set(END + timedelta(hours=5))  # the job runs late
    assert jobs.close_finished() == 1
    final = standings_at(challenge.id, END)
    alice_final = next(e for _, u, e in final if u == alice.id)
    end_price = sources.prices_at({"AAPL"}, END)["AAPL"]
    pf = db.session.get(Portfolio, _pid(challenge, alice))
    assert alice_final == money(pf.cash + D(50) * end_price)
    clock.advance(hours=1)
    assert jobs.close_finished() == 0
    assert standings.finalize_standings(challenge.id) is False
    assert standings_at(challenge.id, END) == final
    assert standings.refresh_standings(challenge.id) == 0
    latest = board.leaderboard(viewer_id=bob.id, challenge_id=challenge.id)
    assert latest.final and latest.computed_at == END


def test_the_database_refuses_a_second_final_run(game, clock):
    challenge, _ = game
    clock.set(END)
    jobs.close_finished()
    db.session.add(StandingRun(challenge_id=challenge.id, computed_at=END + timedelta(hours=1),
                               is_final=True, participant_count=0))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_trades_after_the_end_do_not_count_in_the_final_standings(game, clock):
    challenge, (alice, _, _) = game
    clock.set(END + timedelta(seconds=1))
    place(alice, _pid(challenge, alice), "AAPL", qty=D(100))  # slipped in before the close job
    jobs.close_finished()
    final = {u: e for _, u, e in standings_at(challenge.id, END)}
    assert final[alice.id] == D(100_000)


def test_postgresql_aggregate_and_python_valuation_agree(game):
    challenge, (alice, bob, _) = game
    place(alice, _pid(challenge, alice), "AAPL", qty=D("10.123456"))
    place(bob, _pid(challenge, bob), "MSFT", qty=D(7))
    scope = sources.challenge_scope(challenge.id)
    prices = sources.prices_now(sources.held_symbols(scope))
    units = sources._price_units(prices)
    for at in (None, utcnow()):  # cached balances, and the facts booked by now
        in_python = sources.equities_from(sources.holdings(scope, at), units)
        assert sources.equity_cents(scope, prices, at) == in_python
        assert len(in_python) == 3 and in_python[_pid(challenge, alice)] != 100_000_00


def test_leaderboard_always_includes_the_callers_own_row(game):
    challenge, players = game
    standings.refresh_standings(challenge.id)
    last = players[-1]
    page = board.leaderboard(viewer_id=last.id, challenge_id=challenge.id, limit=1)
    assert [r.rank for r in page.items] == [1]
    assert page.me is not None and page.me.user_id == last.id and page.me.rank == 3
    assert page.total == 3 and not page.live


def test_small_challenge_without_a_fresh_run_is_ranked_live(game, clock):
    challenge, players = game
    page = board.leaderboard(viewer_id=players[0].id, challenge_id=challenge.id)
    assert page.live and page.total == 3 and page.me.rank == 1
    assert count(StandingRun) == 0


def test_a_player_who_joins_after_a_fresh_run_finds_their_row_at_once(appctx, clock):
    challenge = make_challenge(new_user(), late_entry_until=START + timedelta(hours=12))
    first = new_user()
    service.join_challenge(viewer_id=first.id, challenge_id=challenge.id)
    clock.set(START + timedelta(minutes=1))
    jobs.open_started()
    assert standings.refresh_standings(challenge.id) == 1
    late = new_user()
    service.join_challenge(viewer_id=late.id, challenge_id=challenge.id)
    page = board.leaderboard(viewer_id=late.id, challenge_id=challenge.id)
    assert page.live and page.total == 2
    assert page.me is not None and page.me.rank == 2


def test_rivals_holdings_are_hidden_unless_the_rules_allow(appctx, clock):
    closed = make_challenge(new_user())
    shown = make_challenge(new_user(), positions_visible=True)
    alice, bob = new_user(), new_user()
    for c in (closed, shown):
        for p in (alice, bob):
            service.join_challenge(viewer_id=p.id, challenge_id=c.id)
    clock.set(START)
    jobs.open_started()
    place(alice, portfolio_of(closed.id, alice).id, qty=D(1))
    with pytest.raises(Forbidden) as refused:
        board.participant_holdings(viewer_id=bob.id, challenge_id=closed.id, user_id=alice.id)
    assert refused.value.code == "holdings_hidden"
    own = board.participant_holdings(viewer_id=alice.id, challenge_id=closed.id, user_id=alice.id)
    assert [p.symbol for p in own.positions] == ["AAPL"] and len(own.trades) == 1
    seen = board.participant_holdings(viewer_id=bob.id, challenge_id=shown.id, user_id=alice.id)
    assert seen.positions == [] and seen.portfolio_id is not None


@pytest.fixture(scope="module")
def postgres_connection(postgres_url):
    """The SQL valuation runs on PostgreSQL only: test it there, on its own connection."""
    engine = make_engine(postgres_url, pool_size=0)
    with engine.connect() as connection:
        yield connection
    engine.dispose()


@pytest.mark.parametrize("units", [5 * 10**9, 15 * 10**9, 25 * 10**9, -5 * 10**9,
                                   -15 * 10**9, -25 * 10**9, 12_345_678_901, -12_345_678_901,
                                   10**27 + 5 * 10**9])
def test_sql_rounds_position_values_half_to_even_like_python(postgres_connection, units):
    expression = sources._half_even_cents(literal(units, Numeric()))
    assert int(postgres_connection.scalar(select(expression))) == div_round(units, 10**10)


@pytest.mark.parametrize(("qty", "price"), [
    (5, 10**9), (15, 10**9), (25, 10**9), (-5, 10**9), (-15, 10**9), (-25, 10**9),
    (123_456_789, 100_000_001), (-987_654_321, 2_500_000), (10**15, 10**12),
    (-(10**15) - 5, 10**12), (2**40, 2**22),
])
def test_sql_position_values_are_exact_in_bigint_and_numeric_ranges(postgres_connection, qty,
                                                                    price):
    expression = sources._position_cents(literal(qty, BigInteger()), literal(price, BigInteger()))
    assert int(postgres_connection.scalar(select(expression))) == div_round(qty * price, 10**10)


def test_sharpe_challenge_ranks_on_the_ratio_once_two_returns_exist(appctx, clock):
    challenge = make_challenge(new_user(), ranking_metric="sharpe")
    trader, saver = new_user(), new_user()
    for player in (trader, saver):
        service.join_challenge(viewer_id=player.id, challenge_id=challenge.id)
    clock.set(START + timedelta(minutes=1))
    jobs.open_started()
    place(trader, _pid(challenge, trader), "AAPL", qty=D(200))
    metrics = []
    for _ in range(3):
        jobs.refresh_standings()
        page = board.leaderboard(viewer_id=saver.id, challenge_id=challenge.id)
        metrics.append({r.user_id: r.metric for r in page.items})
        clock.advance(hours=2)
    assert metrics[0] == {trader.id: None, saver.id: None}  # one return: no ratio yet
    assert metrics[-1][saver.id] == 0 and metrics[-1][trader.id] != 0
    assert page.metric.value == "sharpe"
