"""Cancel, cancel all, replace and close a position: the transitions and what they write."""

import pytest

from invsim.core.errors import NotFound, OrderRejected, ValidationFailed
from invsim.trading import service as trading
from invsim.trading.engine.state import InvalidTransition
from invsim.trading.models import OrderEvent
from tests.service.trading.support import (
    D,
    assert_ledger_ok,
    make_portfolio,
    new_user,
    order,
    place,
    reload,
    row_counts,
    too_large_for_one_bar,
)


def resting_buy(owner, portfolio, **terms):
    terms.setdefault("qty", D(10))
    terms.setdefault("limit_price", D(100))
    return place(owner, portfolio, type="limit", tif="gtc", **terms)


def test_cancel_moves_a_working_order_to_canceled_with_a_timestamp(owner, clock):
    placed = resting_buy(owner, make_portfolio(owner))
    canceled = trading.cancel_order(owner_id=owner.id, order_id=placed.id)
    assert (canceled.status, canceled.reason, canceled.canceled_at) == (
        "canceled", "canceled_by_user", clock.now)
    history = trading.order_history(owner_id=owner.id, order_id=placed.id)
    assert [e.status for e in history] == ["new", "accepted", "canceled"]


def test_cancel_of_a_filled_order_is_an_invalid_transition(owner):
    filled = place(owner, make_portfolio(owner), qty=D(1))
    with pytest.raises(InvalidTransition) as caught:
        trading.cancel_order(owner_id=owner.id, order_id=filled.id)
    assert caught.value.status == 409
    assert order(filled.id).status == "filled"


def test_another_users_order_cannot_be_seen_or_canceled(owner):
    placed = resting_buy(owner, make_portfolio(owner))
    stranger = new_user()
    with pytest.raises(NotFound):
        trading.get_order(owner_id=stranger.id, order_id=placed.id)
    with pytest.raises(NotFound):
        trading.cancel_order(owner_id=stranger.id, order_id=placed.id)
    assert order(placed.id).status == "accepted"


def test_cancel_all_cancels_only_the_open_orders(owner):
    portfolio = make_portfolio(owner)
    filled = place(owner, portfolio, qty=D(1))
    working = [resting_buy(owner, portfolio), resting_buy(owner, portfolio, limit_price=D(90))]
    canceled = trading.cancel_all(owner_id=owner.id, portfolio_id=portfolio.id)
    assert sorted(o.id for o in canceled) == sorted(o.id for o in working)
    assert order(filled.id).status == "filled"
    assert trading.list_orders(portfolio=reload(portfolio), status="open") == []


def test_replace_creates_a_new_order_and_marks_the_old_one_replaced(owner):
    portfolio = make_portfolio(owner)
    old = resting_buy(owner, portfolio)
    new = trading.replace_order(owner_id=owner.id, order_id=old.id,
                                changes=trading.ReplaceRequest(qty=D(20), limit_price=D(101)))
    old = order(old.id)
    assert (old.status, old.replaced_by_id) == ("replaced", new.id)
    assert (new.status, new.replaces_id, new.qty, new.limit_price) == (
        "accepted", old.id, D(20), D(101))
    assert new.client_order_id != old.client_order_id
    assert trading.list_orders(portfolio=reload(portfolio)) == [new]


def test_replace_releases_the_old_reservation_before_checking_the_new_one(owner):
    portfolio = make_portfolio(owner, D(1000))
    old = resting_buy(owner, portfolio, qty=D(9), limit_price=D(100))
    new = trading.replace_order(owner_id=owner.id, order_id=old.id,
                                changes=trading.ReplaceRequest(qty=D(10)))
    assert new.qty == D(10)


def test_replace_that_fails_its_checks_leaves_the_old_order_working(owner):
    portfolio = make_portfolio(owner, D(1000))
    old = resting_buy(owner, portfolio, qty=D(9), limit_price=D(100))
    before = row_counts()
    with pytest.raises(OrderRejected) as caught:
        trading.replace_order(owner_id=owner.id, order_id=old.id,
                              changes=trading.ReplaceRequest(qty=D(11)))
    assert caught.value.code == "insufficient_buying_power"
    assert order(old.id).status == "accepted"
    assert row_counts() == before


def test_replace_of_a_partially_filled_order_is_refused(owner):
    partial = place(owner, make_portfolio(owner, D(10_000_000)), qty=too_large_for_one_bar())
    assert partial.status == "partially_filled"
    with pytest.raises(InvalidTransition):
        trading.replace_order(owner_id=owner.id, order_id=partial.id,
                              changes=trading.ReplaceRequest(qty=D(2000)))


def test_replace_without_changes_is_a_validation_error(owner):
    old = resting_buy(owner, make_portfolio(owner))
    with pytest.raises(ValidationFailed):
        trading.replace_order(owner_id=owner.id, order_id=old.id,
                              changes=trading.ReplaceRequest())


def test_close_position_sells_everything_at_market(owner):
    portfolio = make_portfolio(owner)
    place(owner, portfolio, qty=D(7))
    closing = trading.close_position(owner_id=owner.id, portfolio_id=portfolio.id,
                                     symbol="aapl").order
    assert (closing.side, closing.qty, closing.status, closing.source) == (
        "sell", D(7), "filled", "close_position")
    assert_ledger_ok()


def test_close_position_by_percentage_and_by_qty(owner):
    portfolio = make_portfolio(owner, fractional=False)
    place(owner, portfolio, qty=D(10))
    half = trading.close_position(owner_id=owner.id, portfolio_id=portfolio.id, symbol="AAPL",
                                  percentage=D(35)).order
    assert half.qty == D(3)  # 35 % of 10 whole shares, rounded down
    rest = trading.close_position(owner_id=owner.id, portfolio_id=portfolio.id, symbol="AAPL",
                                  qty=D(2)).order
    assert rest.qty == D(2)
    with pytest.raises(ValidationFailed):
        trading.close_position(owner_id=owner.id, portfolio_id=portfolio.id, symbol="AAPL",
                               qty=D(6))


def test_close_position_buys_back_a_short(owner):
    portfolio = make_portfolio(owner, account_type="margin", allow_short=True)
    place(owner, portfolio, side="sell", qty=D(4))
    cover = trading.close_position(owner_id=owner.id, portfolio_id=portfolio.id,
                                   symbol="AAPL").order
    assert (cover.side, cover.qty, cover.status) == ("buy", D(4), "filled")
    assert_ledger_ok()


def test_close_position_without_a_position_is_not_found(owner):
    with pytest.raises(NotFound) as caught:
        trading.close_position(owner_id=owner.id, portfolio_id=make_portfolio(owner).id,
                               symbol="AAPL")
    assert caught.value.code == "position_not_found"


def test_every_status_change_is_recorded_with_its_time(owner):
    placed = place(owner, make_portfolio(owner), qty=D(1))
    from sqlalchemy import select

    from invsim.extensions import db

    events = db.session.scalars(select(OrderEvent).where(OrderEvent.order_id == placed.id)
                                .order_by(OrderEvent.id)).all()
    assert [e.status for e in events] == ["new", "accepted", "filled"]
    assert all(e.at == placed.created_at for e in events)


def test_replace_does_not_count_against_the_daily_maximum(owner):
    portfolio = make_portfolio(owner, max_trades_per_day=1)
    old = resting_buy(owner, portfolio)
    new = trading.replace_order(owner_id=owner.id, order_id=old.id,
                                changes=trading.ReplaceRequest(limit_price=D(99)))
    assert new.status == "accepted"
