"""The order state machine: one table, every move checked."""

from __future__ import annotations

import pytest

from invsim.core.errors import Conflict
from invsim.trading.engine.state import (
    TRANSITIONS,
    InvalidTransition,
    OrderStatus,
    is_open,
    is_terminal,
    transition,
)

S = OrderStatus

ALLOWED = [
    (S.NEW, S.ACCEPTED),
    (S.NEW, S.REJECTED),
    (S.NEW, S.HELD),
    (S.HELD, S.ACCEPTED),
    (S.HELD, S.CANCELED),
    (S.ACCEPTED, S.PARTIALLY_FILLED),
    (S.ACCEPTED, S.FILLED),
    (S.ACCEPTED, S.CANCELED),
    (S.ACCEPTED, S.EXPIRED),
    (S.ACCEPTED, S.REJECTED),
    (S.ACCEPTED, S.REPLACED),
    (S.PARTIALLY_FILLED, S.PARTIALLY_FILLED),
    (S.PARTIALLY_FILLED, S.FILLED),
    (S.PARTIALLY_FILLED, S.CANCELED),
    (S.PARTIALLY_FILLED, S.EXPIRED),
]


def test_every_status_has_a_row_in_the_transition_table():
    assert set(TRANSITIONS) == set(OrderStatus)


@pytest.mark.parametrize(("current", "target"), ALLOWED)
def test_transition_returns_target_for_allowed_move(current, target):
    assert transition(current, target) is target


@pytest.mark.parametrize(
    ("current", "target"),
    [(c, t) for c in OrderStatus for t in OrderStatus if (c, t) not in ALLOWED],
)
def test_transition_raises_invalid_transition_for_every_other_move(current, target):
    with pytest.raises(InvalidTransition) as caught:
        transition(current, target)
    assert caught.value.details == {"from": current.value, "to": target.value}


def test_invalid_transition_is_a_conflict_with_its_own_code():
    error = InvalidTransition(S.FILLED, S.CANCELED)
    assert isinstance(error, Conflict)
    assert error.status == 409
    assert error.code == "invalid_order_transition"


def test_filled_order_cannot_be_canceled():
    with pytest.raises(InvalidTransition):
        transition(S.FILLED, S.CANCELED)


def test_partially_filled_order_cannot_be_replaced():
    with pytest.raises(InvalidTransition):
        transition(S.PARTIALLY_FILLED, S.REPLACED)


@pytest.mark.parametrize("status", [S.NEW, S.ACCEPTED, S.PARTIALLY_FILLED])
def test_working_statuses_are_open_and_not_terminal(status):
    assert is_open(status)
    assert not is_terminal(status)


@pytest.mark.parametrize("status", [S.FILLED, S.CANCELED, S.EXPIRED, S.REJECTED, S.REPLACED])
def test_finished_statuses_are_terminal_and_not_open(status):
    assert is_terminal(status)
    assert not is_open(status)
    assert TRANSITIONS[status] == frozenset()
