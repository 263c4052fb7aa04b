"""Order events are announced on the store's "orders" channel after the commit, never before.

A rolled-back use-case announces nothing (even what it flushed); a store that cannot
publish never fails the trade it would have announced.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from invsim.core.kvstore import MemoryStore
from invsim.extensions import db, stores
from invsim.trading import service as trading
from invsim.trading.engine.state import OrderStatus
from invsim.trading.events import CHANNEL
from invsim.trading.matching import match_open_orders
from invsim.trading.models import Order
from invsim.trading.order_rows import set_status
from tests.service.trading.support import D, make_portfolio, place


@pytest.fixture()
def heard(appctx):
    """The channel's messages so far (the subscription is live before the test acts)."""
    subscription = stores.kv.subscribe([CHANNEL], timeout=0.01)
    assert next(subscription) is None  # subscribed now

    def read():
        found = []
        while (message := next(subscription)) is not None:
            found.append(json.loads(message))
        return found

    yield read
    subscription.close()


def test_a_market_order_announces_new_accepted_and_filled_with_the_execution(owner, heard):
    portfolio = make_portfolio(owner)
    placed = place(owner, portfolio, qty=D(4))
    events = heard()
    assert [e["event"] for e in events] == ["new", "accepted", "filled"]
    assert {e["order_id"] for e in events} == {placed.id}
    assert {e["portfolio_id"] for e in events} == {portfolio.id}
    filled = events[-1]
    assert D(filled["qty"]) == 4 and D(filled["price"]) == placed.filled_avg_price
    assert D(filled["position_qty"]) == 4 and filled["at"].endswith("Z")
    assert events[0]["price"] is None and events[0]["position_qty"] is None


def test_cancel_and_expiry_are_announced(owner, heard, clock):
    portfolio = make_portfolio(owner)
    canceled = place(owner, portfolio, type="limit", qty=D(1), limit_price=D(1))
    trading.cancel_order(owner_id=owner.id, order_id=canceled.id)
    expiring = place(owner, portfolio, type="limit", qty=D(1), limit_price=D(1))
    heard()
    clock.set(datetime(2025, 3, 5, 0, 0, 5, tzinfo=UTC))
    assert match_open_orders().expired == 1
    assert [(e["order_id"], e["event"]) for e in heard()] == [(expiring.id, "expired")]


def test_a_rolled_back_change_announces_nothing(owner, heard, clock):
    resting = place(owner, make_portfolio(owner), type="limit", qty=D(1), limit_price=D(1))
    heard()
    with pytest.raises(RuntimeError), db.transaction() as session:
        row = session.get(Order, resting.id)
        set_status(row, OrderStatus.CANCELED, clock.now, "canceled_by_user")
        session.flush()  # the event row is written, then the use-case fails
        raise RuntimeError("the use-case failed after its flush")
    assert heard() == []
    db.session.expire_all()
    assert trading.get_order(owner_id=owner.id, order_id=resting.id).status == "accepted"


class _PublishFails(MemoryStore):
    """A store whose pub/sub is down (everything else works)."""

    def publish(self, channel: str, message: str) -> None:
        raise ConnectionError("pub/sub is down")


def test_a_store_outage_never_fails_the_trade(owner, appctx):
    portfolio = make_portfolio(owner)
    working, stores.kv = stores.kv, _PublishFails()
    try:
        placed = place(owner, portfolio, qty=D(1))
    finally:
        stores.kv = working
    assert placed.status == "filled"
    db.session.expire_all()
    assert trading.get_order(owner_id=owner.id, order_id=placed.id).status == "filled"
