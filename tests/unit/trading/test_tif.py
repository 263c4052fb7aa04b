"""Time in force: the session an order belongs to and when it expires."""

from __future__ import annotations

from datetime import timedelta

import pytest

from invsim.trading.engine.state import TimeInForce
from invsim.trading.engine.tif import AUCTION_GRACE, Session, expires_at, is_expired, order_session

from .builders import CLOSE, OPEN, SESSION

NEXT = Session(OPEN + timedelta(days=1), CLOSE + timedelta(days=1))
SESSIONS = [SESSION, NEXT]
DURING = OPEN + timedelta(hours=2)
AFTER_CLOSE = CLOSE + timedelta(hours=1)


def test_day_order_placed_during_the_session_belongs_to_it():
    assert order_session(DURING, TimeInForce.DAY, SESSIONS) == SESSION


def test_day_order_placed_after_the_close_queues_for_the_next_session():
    assert order_session(AFTER_CLOSE, TimeInForce.DAY, SESSIONS) == NEXT


def test_opg_order_placed_before_the_open_belongs_to_that_open():
    assert order_session(OPEN - timedelta(hours=1), TimeInForce.OPG, SESSIONS) == SESSION


def test_opg_order_placed_during_the_session_waits_for_the_next_open():
    assert order_session(DURING, TimeInForce.OPG, SESSIONS) == NEXT


def test_order_session_needs_a_calendar_window_that_reaches_far_enough():
    with pytest.raises(ValueError):
        order_session(CLOSE + timedelta(days=3), TimeInForce.DAY, SESSIONS)


def test_day_order_expires_at_the_session_close():
    assert expires_at(DURING, TimeInForce.DAY, SESSION) == CLOSE


def test_gtc_order_never_expires():
    assert expires_at(DURING, TimeInForce.GTC, SESSION) is None


@pytest.mark.parametrize("tif", [TimeInForce.IOC, TimeInForce.FOK])
def test_immediate_order_expires_when_it_is_placed(tif):
    assert expires_at(DURING, tif, SESSION) == DURING


def test_opg_order_expires_shortly_after_the_opening_auction():
    assert expires_at(OPEN - timedelta(hours=1), TimeInForce.OPG, SESSION) == OPEN + AUCTION_GRACE


def test_cls_order_expires_shortly_after_the_closing_auction():
    assert expires_at(DURING, TimeInForce.CLS, SESSION) == CLOSE + AUCTION_GRACE


def test_order_is_expired_from_its_expiry_instant_on():
    assert not is_expired(CLOSE, CLOSE - timedelta(seconds=1))
    assert is_expired(CLOSE, CLOSE)
    assert not is_expired(None, CLOSE + timedelta(days=400))


def test_session_must_close_after_it_opens():
    with pytest.raises(ValueError):
        Session(CLOSE, OPEN)


def test_session_is_open_from_its_open_up_to_but_not_at_its_close():
    assert SESSION.is_open_at(OPEN) and not SESSION.is_open_at(CLOSE)
