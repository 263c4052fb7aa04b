"""Who may see what, and where a challenge is in time: the reads every use-case builds on.

A public challenge is visible to every signed-in user; a private one to its
owner and participants only, and to anyone presenting its invite code. To
everyone else it answers 404, as if it did not exist.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import and_, func, or_, select

from invsim.challenges.models import Challenge, Participant
from invsim.challenges.rules import ChallengeRules, load_rules
from invsim.core.clock import utcnow
from invsim.core.errors import NotFound
from invsim.extensions import db


class Status(StrEnum):
    """Where a challenge is in time."""

    UPCOMING = "upcoming"
    ACTIVE = "active"
    FINISHED = "finished"


class Scope(StrEnum):
    """Which challenges a listing covers."""

    ALL = "all"
    PUBLIC = "public"
    MINE = "mine"


def status_at(challenge: Challenge, now: datetime) -> Status:
    """Return the challenge's status at `now` (start included, end excluded)."""
    if now < challenge.starts_at:
        return Status.UPCOMING
    return Status.ACTIVE if now < challenge.ends_at else Status.FINISHED


@dataclass(frozen=True, slots=True)
class ChallengeView:
    """A challenge as one user sees it."""

    challenge: Challenge
    status: Status
    member_count: int
    joined: bool
    portfolio_id: int | None
    is_owner: bool

    @property
    def rules(self) -> ChallengeRules:
        """Return the challenge's rules."""
        return load_rules(self.challenge.rules)


def code_matches(challenge: Challenge, presented: str | None) -> bool:
    """Compare a presented invite code with the challenge's in constant time."""
    if not presented or challenge.invite_code is None:
        return False
    return hmac.compare_digest(presented.strip().encode(), challenge.invite_code.encode())


def challenge_not_found(challenge_id: int) -> NotFound:
    """Build the 404 for a challenge the user cannot see."""
    return NotFound("Challenge not found.", code="challenge_not_found",
                    details={"challenge_id": challenge_id})


def participation(challenge_id: int, user_id: int) -> Participant | None:
    """Return the user's participation in the challenge, if any."""
    return db.session.scalar(select(Participant).where(
        Participant.challenge_id == challenge_id, Participant.user_id == user_id))


def visible_challenge(*, viewer_id: int, challenge_id: int,
                      invite_code: str | None = None) -> Challenge:
    """Return the challenge if the viewer may see it (404 otherwise)."""
    challenge = db.session.get(Challenge, challenge_id)
    if challenge is None:
        raise challenge_not_found(challenge_id)
    if challenge.visibility == "public" or challenge.owner_id == viewer_id:
        return challenge
    if participation(challenge_id, viewer_id) is not None or code_matches(challenge, invite_code):
        return challenge
    raise challenge_not_found(challenge_id)


def invited_challenge(*, challenge_id: int, invite_code: str | None) -> Challenge:
    """Return the challenge an invite link names, for anyone holding the link (404 otherwise).

    A public challenge needs no code; a private one needs its current code.
    """
    challenge = db.session.get(Challenge, challenge_id)
    if challenge is None:
        raise challenge_not_found(challenge_id)
    if challenge.visibility == "public" or code_matches(challenge, invite_code):
        return challenge
    raise challenge_not_found(challenge_id)


def _member_counts(ids: list[int]) -> dict[int, int]:
    """Count the participants of each challenge."""
    if not ids:
        return {}
    rows = db.session.execute(select(Participant.challenge_id, func.count())
                              .where(Participant.challenge_id.in_(ids))
                              .group_by(Participant.challenge_id))
    return {int(cid): int(count) for cid, count in rows}


def _memberships(viewer_id: int, ids: list[int]) -> dict[int, int | None]:
    """Return the viewer's portfolio id in each of these challenges they joined."""
    if not ids:
        return {}
    rows = db.session.execute(select(Participant.challenge_id, Participant.portfolio_id)
                              .where(Participant.user_id == viewer_id,
                                     Participant.challenge_id.in_(ids)))
    return {int(cid): pid for cid, pid in rows}


def views(viewer_id: int, challenges: list[Challenge]) -> list[ChallengeView]:
    """Wrap challenges with their status, size and the viewer's part in them."""
    ids = [c.id for c in challenges]
    counts, mine, now = _member_counts(ids), _memberships(viewer_id, ids), utcnow()
    return [ChallengeView(c, status_at(c, now), counts.get(c.id, 0), c.id in mine,
                          mine.get(c.id), c.owner_id == viewer_id) for c in challenges]


def lock_challenge(challenge_id: int) -> Challenge:
    """Lock the challenge row for this transaction and return it freshly read."""
    session = db.session()
    challenge = session.scalar(select(Challenge).where(Challenge.id == challenge_id)
                               .with_for_update().execution_options(populate_existing=True))
    if challenge is None:
        raise challenge_not_found(challenge_id)
    return challenge


def challenges_to_open(now: datetime | None = None) -> list[int]:
    """Return the active challenges with participants still waiting for a portfolio."""
    now = now or utcnow()
    waiting = select(Participant.challenge_id).where(Participant.portfolio_id.is_(None))
    return list(db.session.scalars(
        select(Challenge.id).where(Challenge.starts_at <= now, Challenge.ends_at > now,
                                   Challenge.id.in_(waiting)).order_by(Challenge.id)))


def active_challenge_ids(now: datetime | None = None) -> list[int]:
    """Return the ids of the challenges running now."""
    now = now or utcnow()
    return list(db.session.scalars(select(Challenge.id).where(
        Challenge.starts_at <= now, Challenge.ends_at > now).order_by(Challenge.id)))


def finished_unclosed_ids(now: datetime | None = None) -> list[int]:
    """Return the finished challenges whose portfolios or final standings are still pending."""
    now = now or utcnow()
    return list(db.session.scalars(select(Challenge.id).where(
        Challenge.ends_at <= now,
        or_(Challenge.closed_at.is_(None), Challenge.finalized_at.is_(None)))
        .order_by(Challenge.id)))


def participant_rows(challenge_id: int) -> list[tuple[int, int, int | None]]:
    """Return (participant id, user id, portfolio id) of every participant, earliest join first.

    Ties of `joined_at` go to the lower participant id, so the order is total.
    """
    rows = db.session.execute(
        select(Participant.id, Participant.user_id, Participant.portfolio_id)
        .where(Participant.challenge_id == challenge_id)
        .order_by(Participant.joined_at, Participant.id))
    return [(int(a), int(b), c) for a, b, c in rows]


def member(challenge_id: int, user_id: int) -> Participant:
    """Return a participant of the challenge (404 `participant_not_found`)."""
    found = db.session.scalar(select(Participant).where(and_(
        Participant.challenge_id == challenge_id, Participant.user_id == user_id)))
    if found is None:
        raise NotFound("This user does not take part in the challenge.",
                       code="participant_not_found", details={"user_id": user_id})
    return found
