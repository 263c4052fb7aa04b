"""A challenge's rules reach its portfolios: trading refuses what they forbid and writes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from invsim.challenges import access, jobs, service
from invsim.core.errors import NotFound, OrderRejected
from invsim.trading.models import Fill, Order
from tests.service.challenges.support import (
    END,
    START,
    D,
    count,
    make_challenge,
    new_user,
    place,
    portfolio_of,
)


@pytest.fixture()
def started(appctx, clock):
    """A started challenge with restrictive rules and one player holding a portfolio."""

    def build(**rules):
        player = new_user()
        challenge = make_challenge(new_user(), **rules)
        service.join_challenge(viewer_id=player.id, challenge_id=challenge.id)
        clock.set(START + timedelta(minutes=5))
        jobs.open_started()
        return challenge, player, portfolio_of(challenge.id, player)

    return build


@pytest.mark.parametrize(("rules", "order", "code"), [
    ({"allowed_order_types": ["limit"]}, {}, "order_type_not_allowed"),
    ({"allowed_symbols": ["MSFT"]}, {"symbol": "AAPL"}, "symbol_not_allowed"),
    ({"allowed_sectors": ["Energy"]}, {"symbol": "AAPL"}, "sector_not_allowed"),
    ({}, {"side": "sell", "qty": D(1)}, "short_selling_not_allowed"),
    ({"max_position_pct": D(5)}, {"qty": D(200)}, "position_limit_exceeded"),
    ({"min_share_price": D(100_000)}, {"qty": D(1)}, "below_min_price"),
    ({"trading_hours": {"start": "14:00", "end": "15:00"}}, {}, "outside_trading_window"),
])
def test_orders_breaking_a_challenge_rule_are_rejected_and_write_nothing(started, rules, order,
                                                                         code):
    _, player, portfolio = started(**rules)
    terms = {"qty": D(1), **order}
    with pytest.raises(OrderRejected) as refused:
        place(player, portfolio.id, **terms)
    assert refused.value.code == code
    assert count(Order) == 0 and count(Fill) == 0


def test_max_trades_per_day_is_enforced(started):
    _, player, portfolio = started(max_trades_per_day=1)
    place(player, portfolio.id, qty=D(1))
    with pytest.raises(OrderRejected) as refused:
        place(player, portfolio.id, qty=D(1))
    assert refused.value.code == "max_trades_per_day_exceeded"
    assert count(Order) == 1


def test_no_portfolio_exists_to_trade_before_the_start(appctx, clock):
    player = new_user()
    challenge = make_challenge(new_user())
    service.join_challenge(viewer_id=player.id, challenge_id=challenge.id)
    assert jobs.open_started() == 0
    assert access.participation(challenge.id, player.id).portfolio_id is None


def test_at_the_end_open_orders_are_canceled_and_orders_refused(started, clock):
    challenge, player, portfolio = started()
    resting = place(player, portfolio.id, type="limit", tif="gtc", qty=D(1), limit_price=D(1))
    clock.set(END + timedelta(seconds=30))
    assert jobs.close_finished() == 1
    canceled = count(Order, Order.id == resting.id, Order.status == "canceled",
                     Order.reason == "challenge_ended")
    assert canceled == 1
    with pytest.raises(NotFound):
        place(player, portfolio.id, qty=D(1))
    assert jobs.close_finished() == 0
