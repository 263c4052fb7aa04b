"""Creating, seeing, editing, joining and leaving challenges; statuses follow the clock."""

from __future__ import annotations

from datetime import timedelta

import pytest

from invsim.challenges import access, jobs, service
from invsim.challenges.models import Challenge
from invsim.challenges.rules import ChallengeRules
from invsim.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from invsim.extensions import db
from tests.service.challenges.support import (
    END,
    START,
    D,
    make_challenge,
    new_user,
    portfolio_of,
    row_counts,
)


def test_status_follows_the_clock(appctx, clock):
    challenge = make_challenge(new_user())
    assert access.status_at(challenge, clock.now) is access.Status.UPCOMING
    assert access.status_at(challenge, START) is access.Status.ACTIVE
    assert access.status_at(challenge, END - timedelta(microseconds=1)) is access.Status.ACTIVE
    assert access.status_at(challenge, END) is access.Status.FINISHED


def test_private_challenge_gets_an_unguessable_invite_code(appctx):
    challenge = make_challenge(new_user(), visibility="private")
    other = make_challenge(new_user(), visibility="private")
    assert challenge.invite_code and len(challenge.invite_code) >= 16
    assert challenge.invite_code != other.invite_code
    assert make_challenge(new_user()).invite_code is None


def test_private_challenge_is_hidden_from_strangers_unless_they_present_the_code(appctx):
    owner, stranger = new_user(), new_user()
    challenge = make_challenge(owner, visibility="private")
    with pytest.raises(NotFound):
        service.get_challenge(viewer_id=stranger.id, challenge_id=challenge.id)
    with pytest.raises(NotFound):
        service.get_challenge(viewer_id=stranger.id, challenge_id=challenge.id,
                              invite_code="wrong-code")
    seen = service.get_challenge(viewer_id=stranger.id, challenge_id=challenge.id,
                                 invite_code=challenge.invite_code)
    assert seen.challenge.id == challenge.id and not seen.is_owner
    assert service.get_challenge(viewer_id=owner.id, challenge_id=challenge.id).is_owner


def test_listing_filters_by_status_scope_and_name(appctx, clock):
    alice, bob = new_user(), new_user()
    cup = make_challenge(alice)
    service.update_challenge(viewer_id=alice.id, challenge_id=cup.id, changes={"name": "Cup 100%"})
    hidden = make_challenge(bob, visibility="private")
    later = make_challenge(bob, starts_at=END, ends_at=END + timedelta(days=2))
    ids = lambda views: {v.challenge.id for v in views[0]}  # noqa: E731
    assert ids(service.list_challenges(viewer_id=alice.id)) == {cup.id, later.id}
    assert ids(service.list_challenges(viewer_id=bob.id)) == {cup.id, hidden.id, later.id}
    assert ids(service.list_challenges(viewer_id=bob.id, scope=access.Scope.MINE)) == {
        hidden.id, later.id}
    assert ids(service.list_challenges(viewer_id=bob.id, q="100%")) == {cup.id}
    clock.set(START)
    active = service.list_challenges(viewer_id=bob.id, status=access.Status.ACTIVE)
    assert ids(active) == {cup.id, hidden.id} and active[1] == 2
    assert ids(service.list_challenges(viewer_id=bob.id, status=access.Status.UPCOMING)) == {
        later.id}


def test_owner_edits_everything_before_the_start(appctx):
    owner = new_user()
    challenge = make_challenge(owner)
    changed = service.update_challenge(
        viewer_id=owner.id, challenge_id=challenge.id,
        changes={"name": "Renamed", "starting_cash": D(50_000), "visibility": "private",
                 "rules": ChallengeRules(max_trades_per_day=3)})
    assert changed.challenge.starting_cash == D(50_000)
    assert changed.challenge.invite_code is not None
    assert changed.rules.max_trades_per_day == 3


def test_editing_core_rules_after_the_start_is_refused_and_writes_nothing(appctx, clock):
    owner = new_user()
    challenge = make_challenge(owner)
    clock.set(START + timedelta(minutes=1))
    with pytest.raises(Conflict) as refused:
        service.update_challenge(viewer_id=owner.id, challenge_id=challenge.id,
                                 changes={"starting_cash": D(1_000_000)})
    assert refused.value.code == "challenge_rules_locked"
    with pytest.raises(Conflict):
        service.update_challenge(viewer_id=owner.id, challenge_id=challenge.id,
                                 changes={"rules": ChallengeRules(allow_short=True,
                                                                  account_type="margin")})
    db.session.expire_all()
    assert db.session.get(Challenge, challenge.id).starting_cash == D(100_000)
    edited = service.update_challenge(viewer_id=owner.id, challenge_id=challenge.id,
                                      changes={"description": "Good luck"})
    assert edited.challenge.description == "Good luck"


def test_only_the_owner_edits(appctx):
    owner, player, stranger = new_user(), new_user(), new_user()
    challenge = make_challenge(owner, visibility="private")
    service.join_challenge(viewer_id=player.id, challenge_id=challenge.id,
                           invite_code=challenge.invite_code)
    with pytest.raises(Forbidden):
        service.update_challenge(viewer_id=player.id, challenge_id=challenge.id,
                                 changes={"description": "mine now"})
    with pytest.raises(NotFound):
        service.update_challenge(viewer_id=stranger.id, challenge_id=challenge.id,
                                 changes={"description": "mine now"})


def test_inconsistent_rules_are_refused(appctx):
    with pytest.raises(ValidationFailed) as refused:
        make_challenge(new_user(), allow_short=True)  # shorting needs a margin account
    assert refused.value.code == "invalid_rules"
    with pytest.raises(ValidationFailed):
        make_challenge(new_user(), late_entry_until=END + timedelta(hours=1))
    with pytest.raises(ValidationFailed):
        make_challenge(new_user(), starts_at=END, ends_at=START)
    with pytest.raises(ValueError):
        ChallengeRules(ranking_metric="return_with_drawdown_limit")


def test_rotating_the_invite_code_retires_the_old_one(appctx):
    owner, late = new_user(), new_user()
    challenge = make_challenge(owner, visibility="private")
    old = challenge.invite_code
    rotated = service.rotate_invite_code(viewer_id=owner.id, challenge_id=challenge.id)
    assert rotated.challenge.invite_code not in (None, old)
    with pytest.raises(NotFound):
        service.join_challenge(viewer_id=late.id, challenge_id=challenge.id, invite_code=old)
    service.join_challenge(viewer_id=late.id, challenge_id=challenge.id,
                           invite_code=rotated.challenge.invite_code)


def test_joining_twice_is_a_conflict_and_writes_nothing(appctx):
    player = new_user()
    challenge = make_challenge(new_user())
    service.join_challenge(viewer_id=player.id, challenge_id=challenge.id)
    before = row_counts()
    with pytest.raises(Conflict) as refused:
        service.join_challenge(viewer_id=player.id, challenge_id=challenge.id)
    assert refused.value.code == "already_joined"
    assert row_counts() == before


@pytest.mark.parametrize("code", [None, "", "not-the-code"])
def test_joining_a_private_challenge_without_the_right_code_is_not_found(appctx, code):
    challenge = make_challenge(new_user(), visibility="private")
    before = row_counts()
    with pytest.raises(NotFound) as refused:
        service.join_challenge(viewer_id=new_user().id, challenge_id=challenge.id,
                               invite_code=code)
    assert refused.value.code == "challenge_not_found"
    assert row_counts() == before


def test_portfolio_opens_at_the_start_with_the_challenge_cash_and_rules(appctx, clock):
    player = new_user()
    challenge = make_challenge(new_user(), starting_cash=D(25_000), max_trades_per_day=2,
                               allowed_order_types=["market", "limit"])
    service.join_challenge(viewer_id=player.id, challenge_id=challenge.id)
    assert portfolio_of(challenge.id, player) is None  # nothing to trade with before the start
    clock.set(START)
    assert jobs.open_started() == 1
    portfolio = portfolio_of(challenge.id, player)
    assert portfolio is not None and portfolio.kind == "challenge"
    assert portfolio.challenge_id == challenge.id and portfolio.cash == D(25_000)
    assert portfolio.rules["max_trades_per_day"] == 2 and portfolio.rules["allow_reset"] is False
    assert portfolio.rules["allowed_order_types"] == ["market", "limit"]
    assert jobs.open_started() == 0


def test_late_entry_is_allowed_until_its_time_and_opens_the_portfolio_at_once(appctx, clock):
    challenge = make_challenge(new_user(), late_entry_until=START + timedelta(hours=2))
    closed = make_challenge(new_user())
    clock.set(START + timedelta(hours=1))
    early = new_user()
    service.join_challenge(viewer_id=early.id, challenge_id=challenge.id)
    assert portfolio_of(challenge.id, early) is not None
    with pytest.raises(Conflict) as refused:
        service.join_challenge(viewer_id=early.id, challenge_id=closed.id)
    assert refused.value.code == "late_entry_closed"
    clock.set(START + timedelta(hours=3))
    with pytest.raises(Conflict):
        service.join_challenge(viewer_id=new_user().id, challenge_id=challenge.id)
    clock.set(END)
    with pytest.raises(Conflict) as finished:
        service.join_challenge(viewer_id=new_user().id, challenge_id=challenge.id)
    assert finished.value.code == "challenge_finished"


def test_leaving_is_allowed_before_the_start_only(appctx, clock):
    quitter, stayer = new_user(), new_user()
    challenge = make_challenge(new_user())
    service.join_challenge(viewer_id=quitter.id, challenge_id=challenge.id)
    service.join_challenge(viewer_id=stayer.id, challenge_id=challenge.id)
    service.leave_challenge(viewer_id=quitter.id, challenge_id=challenge.id)
    assert access.participation(challenge.id, quitter.id) is None
    clock.set(START)
    with pytest.raises(Conflict) as refused:
        service.leave_challenge(viewer_id=stayer.id, challenge_id=challenge.id)
    assert refused.value.code == "challenge_started"
    with pytest.raises(NotFound):
        service.leave_challenge(viewer_id=quitter.id, challenge_id=challenge.id)
