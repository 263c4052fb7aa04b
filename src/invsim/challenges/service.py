"""Challenge use-cases: create, edit, list, see, rotate the invite code, join, leave, close.

Every use-case owns its transaction and raises typed errors before writing;
who may see what is decided in `challenges.access`.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import structlog
from sqlalchemy import Select, delete, func, or_, select
from sqlalchemy.exc import IntegrityError

from invsim.challenges import sources
from invsim.challenges.access import (
    ChallengeView,
    Scope,
    Status,
    challenge_not_found,
    code_matches,
    invited_challenge,
    lock_challenge,
    participation,
    status_at,
    views,
    visible_challenge,
)
from invsim.challenges.models import Challenge, Participant
from invsim.challenges.rules import ChallengeRules, check_rules, load_rules, portfolio_rules
from invsim.core.clock import utcnow
from invsim.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from invsim.extensions import db
from invsim.portfolios.service import MAX_STARTING_CASH, MIN_STARTING_CASH

log = structlog.get_logger("invsim.challenges")

INVITE_CODE_BYTES = 12  # 96 random bits: 16 URL-safe characters
MAX_DURATION = timedelta(days=366)
START_GRACE = timedelta(minutes=5)  # a challenge may be created to start "now"
DESCRIPTION_ONLY = frozenset({"description"})
OPEN_BATCH = 500


def new_invite_code() -> str:
    """Return a random, unguessable invite code."""
    return secrets.token_urlsafe(INVITE_CODE_BYTES)


# --- Reading -------------------------------------------------------------------------------


def get_challenge(*, viewer_id: int, challenge_id: int,
                  invite_code: str | None = None) -> ChallengeView:
    """Return a challenge the viewer may see, opening their portfolio once it has started."""
    challenge = visible_challenge(viewer_id=viewer_id, challenge_id=challenge_id,
                                  invite_code=invite_code)
    mine = participation(challenge_id, viewer_id)
    if mine is not None and mine.portfolio_id is None and \
            status_at(challenge, utcnow()) is Status.ACTIVE:
        open_started_portfolios(challenge_id, user_id=viewer_id)
        db.session.refresh(challenge)
    return views(viewer_id, [challenge])[0]


def invitation(*, challenge_id: int, invite_code: str | None) -> tuple[Challenge, Status]:
    """Return the challenge an invite link names and its status now (404 without the code)."""
    challenge = invited_challenge(challenge_id=challenge_id, invite_code=invite_code)
    return challenge, status_at(challenge, utcnow())


def _status_filter(query: Select[Any], status: Status, now: datetime) -> Select[Any]:
    """Keep the challenges in `status` at `now`."""
    if status is Status.UPCOMING:
        return query.where(Challenge.starts_at > now)
    if status is Status.ACTIVE:
        return query.where(Challenge.starts_at <= now, Challenge.ends_at > now)
    return query.where(Challenge.ends_at <= now)


def list_challenges(*, viewer_id: int, scope: Scope = Scope.ALL, status: Status | None = None,
                    q: str | None = None, limit: int = 50,
                    offset: int = 0) -> tuple[list[ChallengeView], int]:
    """Return a page of the challenges the viewer may see (newest start first) and the total."""
    joined = select(Participant.challenge_id).where(Participant.user_id == viewer_id)
    mine = or_(Challenge.owner_id == viewer_id, Challenge.id.in_(joined))
    where = {Scope.PUBLIC: Challenge.visibility == "public", Scope.MINE: mine,
             Scope.ALL: or_(Challenge.visibility == "public", mine)}[scope]
    query = select(Challenge).where(where)
    if status is not None:
        query = _status_filter(query, status, utcnow())
    if q:
        query = query.where(func.lower(Challenge.name).contains(q.strip().lower(),
                                                                autoescape=True))
    total = int(db.session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    page = list(db.session.scalars(query.order_by(Challenge.starts_at.desc(), Challenge.id.desc())
                                   .limit(limit).offset(offset)))
    return views(viewer_id, page), total


# --- Creating and editing ------------------------------------------------------------------


def _check_schedule(starts_at: datetime, ends_at: datetime, *, now: datetime) -> None:
    """Refuse a challenge that ends before it starts, is over already or lasts over a year."""
    problems = []
    if ends_at <= starts_at:
        problems.append("ends_at must be after starts_at")
    if starts_at < now - START_GRACE:
        problems.append("starts_at must not be in the past")
    if ends_at - starts_at > MAX_DURATION:
        problems.append("a challenge lasts at most 366 days")
    if problems:
        raise ValidationFailed("The challenge's dates are not valid.", code="invalid_schedule",
                               details={"problems": problems})


def _check_cash(amount: Decimal) -> Decimal:
    """Refuse starting cash outside what a portfolio may start with."""
    if not MIN_STARTING_CASH <= amount <= MAX_STARTING_CASH:
        raise ValidationFailed("Starting cash must be between 1,000.00 and 10,000,000.00.",
                               code="invalid_starting_cash",
                               details={"fields": {"starting_cash": ["out of range"]}})
    return amount


def create_challenge(*, owner_id: int, name: str, description: str = "",
                     visibility: str = "public", starts_at: datetime, ends_at: datetime,
                     starting_cash: Decimal, rules: ChallengeRules | None = None) -> ChallengeView:
    """Create a challenge; a private one gets an invite code."""
    rules = rules or ChallengeRules()
    _check_schedule(starts_at, ends_at, now=utcnow())
    check_rules(rules, starts_at=starts_at, ends_at=ends_at,
                starting_cash=_check_cash(starting_cash))
    with db.transaction() as session:
        challenge = Challenge(
            owner_id=owner_id, name=name.strip(), description=description, visibility=visibility,
            invite_code=new_invite_code() if visibility == "private" else None,
            starts_at=starts_at, ends_at=ends_at, starting_cash=starting_cash,
            rules=rules.stored(), created_at=utcnow())
        session.add(challenge)
        session.flush()
    log.info("challenge_created", challenge_id=challenge.id, owner_id=owner_id)
    return views(owner_id, [challenge])[0]


def _lock_owned(viewer_id: int, challenge_id: int) -> Challenge:
    """Lock a challenge the viewer owns: 404 if they cannot see it, 403 if they only take part."""
    challenge = lock_challenge(challenge_id)
    if challenge.owner_id == viewer_id:
        return challenge
    visible_challenge(viewer_id=viewer_id, challenge_id=challenge_id)
    raise Forbidden("Only the challenge's owner may change it.", code="not_challenge_owner")


def _apply_changes(challenge: Challenge, changes: Mapping[str, Any]) -> None:
    """Write the changed fields, re-checking dates, cash and rules together."""
    starts_at = changes.get("starts_at", challenge.starts_at)
    ends_at = changes.get("ends_at", challenge.ends_at)
    cash = _check_cash(changes.get("starting_cash", challenge.starting_cash))
    rules = changes.get("rules") or load_rules(challenge.rules)
    if {"starts_at", "ends_at"} & set(changes):
        _check_schedule(starts_at, ends_at, now=utcnow())
    check_rules(rules, starts_at=starts_at, ends_at=ends_at, starting_cash=cash)
    for field in ("name", "description", "starts_at", "ends_at", "starting_cash"):
        if field in changes:
            setattr(challenge, field, changes[field])
    challenge.rules = rules.stored()
    visibility = changes.get("visibility", challenge.visibility)
    if visibility != challenge.visibility:
        challenge.visibility = visibility
        challenge.invite_code = new_invite_code() if visibility == "private" else None


def update_challenge(*, viewer_id: int, challenge_id: int,
                     changes: Mapping[str, Any]) -> ChallengeView:
    """Edit a challenge: anything before it starts, only the description afterwards (409)."""
    with db.transaction():
        challenge = _lock_owned(viewer_id, challenge_id)
        started = status_at(challenge, utcnow()) is not Status.UPCOMING
        locked = sorted(set(changes) - DESCRIPTION_ONLY)
        if started and locked:
            raise Conflict("Once a challenge has started only its description may change.",
                           code="challenge_rules_locked", details={"fields": locked})
        _apply_changes(challenge, changes)
    return views(viewer_id, [challenge])[0]


def rotate_invite_code(*, viewer_id: int, challenge_id: int) -> ChallengeView:
    """Give a private challenge a new invite code; the old one stops working."""
    with db.transaction():
        challenge = _lock_owned(viewer_id, challenge_id)
        if challenge.visibility != "private":
            raise Conflict("A public challenge has no invite code.", code="challenge_is_public")
        challenge.invite_code = new_invite_code()
    log.info("challenge_invite_rotated", challenge_id=challenge_id)
    return views(viewer_id, [challenge])[0]


# --- Joining and leaving -------------------------------------------------------------------


def _check_can_join(challenge: Challenge, viewer_id: int, invite_code: str | None,
                    now: datetime) -> None:
    """Refuse a join the challenge's visibility, dates or late-entry rule forbid."""
    if challenge.visibility == "private" and challenge.owner_id != viewer_id and \
            not code_matches(challenge, invite_code):
        raise challenge_not_found(challenge.id)
    status = status_at(challenge, now)
    if status is Status.FINISHED:
        raise Conflict("This challenge has finished.", code="challenge_finished")
    until = load_rules(challenge.rules).late_entry_until
    if status is Status.ACTIVE and (until is None or now > until):
        raise Conflict("This challenge has started and takes no late entries.",
                       code="late_entry_closed",
                       details={"late_entry_until": None if until is None else until.isoformat()})


def _open_for(challenge: Challenge, participant: Participant) -> None:
    """Open the participant's portfolio with the challenge's cash and rules (flush only)."""
    participant.portfolio_id = sources.open_portfolio(
        user_id=participant.user_id, challenge_id=challenge.id,
        name=f"Challenge: {challenge.name}", starting_cash=challenge.starting_cash,
        rules=portfolio_rules(load_rules(challenge.rules)))


def join_challenge(*, viewer_id: int, challenge_id: int,
                   invite_code: str | None = None) -> ChallengeView:
    """Join a challenge once; after the start (a late entry) the portfolio opens at once."""
    now = utcnow()
    try:
        with db.transaction() as session:
            challenge = lock_challenge(challenge_id)
            _check_can_join(challenge, viewer_id, invite_code, now)
            if participation(challenge_id, viewer_id) is not None:
                raise Conflict("You already take part in this challenge.", code="already_joined")
            participant = Participant(challenge_id=challenge_id, user_id=viewer_id, joined_at=now)
            session.add(participant)
            session.flush()
            if status_at(challenge, now) is Status.ACTIVE:
                _open_for(challenge, participant)
    except IntegrityError:
        raise Conflict("You already take part in this challenge.", code="already_joined") from None
    log.info("challenge_joined", challenge_id=challenge_id, user_id=viewer_id)
    return views(viewer_id, [challenge])[0]


def leave_challenge(*, viewer_id: int, challenge_id: int) -> None:
    """Leave a challenge before it starts (afterwards: 409 `challenge_started`)."""
    with db.transaction() as session:
        challenge = lock_challenge(challenge_id)
        visible_challenge(viewer_id=viewer_id, challenge_id=challenge_id)
        mine = participation(challenge_id, viewer_id)
        if mine is None:
            raise NotFound("You do not take part in this challenge.", code="not_participant")
        if status_at(challenge, utcnow()) is not Status.UPCOMING:
            raise Conflict("A challenge can only be left before it starts.",
                           code="challenge_started")
        portfolio_id = mine.portfolio_id
        session.execute(delete(Participant).where(Participant.id == mine.id))
    if portfolio_id is not None:  # only a portfolio opened early exists; archive it
        sources.close_portfolio(user_id=viewer_id, portfolio_id=portfolio_id,
                                reason="left_challenge")


def open_started_portfolios(challenge_id: int, *, user_id: int | None = None) -> int:
    """Open the portfolios of participants of a started challenge who have none yet; count them."""
    opened = 0
    while True:
        with db.transaction():
            challenge = lock_challenge(challenge_id)
            if status_at(challenge, utcnow()) is not Status.ACTIVE:
                return opened
            query = select(Participant).where(Participant.challenge_id == challenge_id,
                                              Participant.portfolio_id.is_(None))
            if user_id is not None:
                query = query.where(Participant.user_id == user_id)
            batch = list(db.session.scalars(query.order_by(Participant.id).limit(OPEN_BATCH)))
            for participant in batch:
                _open_for(challenge, participant)
        opened += len(batch)
        if len(batch) < OPEN_BATCH:
            return opened


def close_portfolios(challenge_id: int) -> int:
    """Cancel the open orders and archive the portfolios of a finished challenge; count them."""
    challenge = db.session.get(Challenge, challenge_id)
    if challenge is None or status_at(challenge, utcnow()) is not Status.FINISHED:
        return 0
    closed = sum(sources.close_portfolio(user_id=user_id, portfolio_id=pid)
                 for user_id, pid in sources.open_portfolio_ids(challenge_id))
    with db.transaction():
        locked = lock_challenge(challenge_id)
        locked.closed_at = locked.closed_at or utcnow()
    return closed


