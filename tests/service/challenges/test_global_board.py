"""The global leaderboard: public challenge players by return, main portfolios by 30-day return."""

from __future__ import annotations

from datetime import timedelta

from invsim.challenges import global_board, jobs, service, sources
from invsim.core.money import money, rate
from invsim.extensions import db
from invsim.portfolios import service as portfolios
from invsim.portfolios.models import Portfolio
from tests.service.challenges.support import START, T0, D, make_challenge, new_user, place


def test_main_portfolio_return_is_measured_from_its_equity_thirty_days_ago(appctx, clock):
    trader = new_user()
    clock.set(T0 - timedelta(days=40))
    main = portfolios.create_portfolio(owner=trader, name="Main")
    place(trader, main.id, "AAPL", qty=D(100))
    clock.set(T0)
    since = T0 - global_board.PERIOD
    then_price = sources.prices_at({"AAPL"}, since)["AAPL"]
    now_price = sources.prices_now({"AAPL"})["AAPL"]
    cash = db.session.get(Portfolio, main.id).cash
    expected = rate((cash + money(D(100) * now_price)) / (cash + money(D(100) * then_price)) - 1)
    board = global_board.compute_global_board()
    assert [(e.portfolio_id, e.return_pct) for e in board.portfolios] == [(main.id, expected)]
    assert board.portfolios[0].user_id == trader.id and board.portfolios[0].rank == 1


def test_private_challenges_stay_off_the_global_leaderboard(appctx, clock):
    public, private = make_challenge(new_user()), make_challenge(new_user(), visibility="private")
    player = new_user()
    service.join_challenge(viewer_id=player.id, challenge_id=public.id)
    service.join_challenge(viewer_id=player.id, challenge_id=private.id,
                           invite_code=private.invite_code)
    clock.set(START + timedelta(minutes=1))
    jobs.refresh_standings()
    board = global_board.compute_global_board()
    assert [(e.challenge_id, e.user_id) for e in board.challenges] == [(public.id, player.id)]
