"""HTTP endpoints of the challenges domain."""

from __future__ import annotations

from apiflask import APIBlueprint
from flask import current_app

from invsim.challenges import board, global_board, service
from invsim.challenges.schemas import (
    ChallengeIn,
    ChallengeListOut,
    ChallengeLookup,
    ChallengeOut,
    ChallengePatch,
    ChallengeQuery,
    GlobalLeaderboardOut,
    GlobalQuery,
    HoldingsOut,
    InvitationOut,
    JoinIn,
    LeaderboardOut,
    LeaderboardQuery,
    RankHistoryOut,
    RankHistoryQuery,
)
from invsim.extensions import limiter
from invsim.users.auth import current_user, token_auth

bp = APIBlueprint("challenges", __name__, url_prefix="/api/v1", tag="Challenges")

AUTH = {401: "Missing, invalid or revoked token"}
MISSING = {404: "No such challenge, or a private one you may not see (`challenge_not_found`)"}
INVALID = {422: "Invalid fields (`validation_error`, `invalid_schedule`, `invalid_rules`, "
                "`invalid_starting_cash`)"}
OWNER = {403: "You take part but do not own the challenge (`not_challenge_owner`)"}


@bp.post("/challenges")
@bp.auth_required(token_auth)
@bp.input(ChallengeIn, arg_name="body")
@bp.output(ChallengeOut, status_code=201)
@bp.doc(summary="Create a challenge", responses={**AUTH, **INVALID})
def create_challenge(body: ChallengeIn) -> ChallengeOut:
    """Create a public challenge, or a private one with an invite code."""
    view = service.create_challenge(
        owner_id=current_user().id, name=body.name, description=body.description,
        visibility=body.visibility, starts_at=body.starts_at, ends_at=body.ends_at,
        starting_cash=body.starting_cash, rules=body.rules)
    return ChallengeOut.of(view)


@bp.get("/challenges")
@bp.auth_required(token_auth)
@bp.input(ChallengeQuery, location="query", arg_name="query")
@bp.output(ChallengeListOut)
@bp.doc(summary="List challenges", responses={**AUTH, 422: "Invalid filter"})
def list_challenges(query: ChallengeQuery) -> ChallengeListOut:
    """List public challenges and yours; filter by status, scope (public/mine) and name."""
    views, total = service.list_challenges(viewer_id=current_user().id, scope=query.scope,
                                           status=query.status, q=query.q, limit=query.limit,
                                           offset=query.offset)
    return ChallengeListOut(items=[ChallengeOut.of(v) for v in views], total=total,
                            limit=query.limit, offset=query.offset)


@bp.get("/challenges/<int:challenge_id>")
@bp.auth_required(token_auth)
@bp.input(ChallengeLookup, location="query", arg_name="query")
@bp.output(ChallengeOut)
@bp.doc(summary="A challenge", responses={**AUTH, **MISSING})
def get_challenge(challenge_id: int, query: ChallengeLookup) -> ChallengeOut:
    """Return a challenge (a private one: to its owner, its players, or with its invite code)."""
    return ChallengeOut.of(service.get_challenge(viewer_id=current_user().id,
                                                 challenge_id=challenge_id,
                                                 invite_code=query.invite_code))


@bp.get("/challenges/<int:challenge_id>/invitation")
@limiter.limit(lambda: str(current_app.config["INVSIM_SETTINGS"].rate_limit_login))
@bp.input(ChallengeLookup, location="query", arg_name="query")
@bp.output(InvitationOut)
@bp.doc(summary="What an invite link names, before sign-in", security=[], responses={
    **MISSING, 429: "Too many guesses"})
def get_invitation(challenge_id: int, query: ChallengeLookup) -> InvitationOut:
    """Return the name and dates of the challenge an invite link names, without a token.

    The sign-in and sign-up pages say "You're invited to <name>"; nothing else about the
    challenge is shown, and guessing codes is limited like guessing passwords.
    """
    challenge, status = service.invitation(challenge_id=challenge_id,
                                           invite_code=query.invite_code)
    return InvitationOut.of(challenge, status)


@bp.patch("/challenges/<int:challenge_id>")
@bp.auth_required(token_auth)
@bp.input(ChallengePatch, arg_name="body")
@bp.output(ChallengeOut)
@bp.doc(summary="Edit a challenge", responses={
    **AUTH, **OWNER, **MISSING, **INVALID,
    409: "Started: only the description may change (`challenge_rules_locked`)"})
def update_challenge(challenge_id: int, body: ChallengePatch) -> ChallengeOut:
    """Change anything before the start; only the description once it has started."""
    return ChallengeOut.of(service.update_challenge(viewer_id=current_user().id,
                                                    challenge_id=challenge_id,
                                                    changes=body.changes()))


@bp.post("/challenges/<int:challenge_id>/invite-code")
@bp.auth_required(token_auth)
@bp.output(ChallengeOut)
@bp.doc(summary="Rotate the invite code", responses={
    **AUTH, **OWNER, **MISSING, 409: "A public challenge has no code (`challenge_is_public`)"})
def rotate_invite_code(challenge_id: int) -> ChallengeOut:
    """Give a private challenge a new invite code; the old one stops working."""
    return ChallengeOut.of(service.rotate_invite_code(viewer_id=current_user().id,
                                                      challenge_id=challenge_id))


@bp.post("/challenges/<int:challenge_id>/join")
@bp.auth_required(token_auth)
@bp.input(JoinIn, arg_name="body")
@bp.output(ChallengeOut)
@bp.doc(summary="Join a challenge", responses={
    **AUTH, 404: "No such challenge, or private without the right invite code "
                 "(`challenge_not_found`)",
    409: "`already_joined`, `challenge_finished` or `late_entry_closed`"})
def join_challenge(challenge_id: int, body: JoinIn) -> ChallengeOut:
    """Take part once; a private challenge needs its invite code."""
    return ChallengeOut.of(service.join_challenge(viewer_id=current_user().id,
                                                  challenge_id=challenge_id,
                                                  invite_code=body.invite_code))


@bp.post("/challenges/<int:challenge_id>/leave")
@bp.auth_required(token_auth)
@bp.output({}, status_code=204)
@bp.doc(summary="Leave a challenge", responses={
    **AUTH, 404: "`challenge_not_found` or `not_participant`",
    409: "Already started (`challenge_started`)"})
def leave_challenge(challenge_id: int) -> tuple[str, int]:
    """Leave a challenge before it starts."""
    service.leave_challenge(viewer_id=current_user().id, challenge_id=challenge_id)
    return "", 204


@bp.get("/challenges/<int:challenge_id>/leaderboard")
@bp.auth_required(token_auth)
@bp.input(LeaderboardQuery, location="query", arg_name="query")
@bp.output(LeaderboardOut)
@bp.doc(summary="A challenge's standings", responses={**AUTH, **MISSING, 422: "Invalid page"})
def leaderboard(challenge_id: int, query: LeaderboardQuery) -> LeaderboardOut:
    """Return a page of the latest ranked run (the final one once frozen) and your own row."""
    found = board.leaderboard(viewer_id=current_user().id, challenge_id=challenge_id,
                              limit=query.limit, offset=query.offset)
    return LeaderboardOut.of(found, query.limit, query.offset)


@bp.get("/challenges/<int:challenge_id>/rank-history")
@bp.auth_required(token_auth)
@bp.input(RankHistoryQuery, location="query", arg_name="query")
@bp.output(RankHistoryOut)
@bp.doc(summary="A player's rank over time", responses={
    **AUTH, 404: "`challenge_not_found` or `participant_not_found`"})
def rank_history(challenge_id: int, query: RankHistoryQuery) -> RankHistoryOut:
    """Return a player's rank, equity and return in each ranked run (default: yours)."""
    return RankHistoryOut.of(board.rank_history(viewer_id=current_user().id,
                                                challenge_id=challenge_id,
                                                user_id=query.user_id))


@bp.get("/challenges/<int:challenge_id>/participants/<int:user_id>")
@bp.auth_required(token_auth)
@bp.output(HoldingsOut)
@bp.doc(summary="A player's positions and trades", responses={
    **AUTH, 403: "The rules keep rivals' holdings private (`holdings_hidden`)",
    404: "`challenge_not_found` or `participant_not_found`"})
def participant(challenge_id: int, user_id: int) -> HoldingsOut:
    """Return a player's positions and trades: your own, or a rival's when the rules allow."""
    return HoldingsOut.of(board.participant_holdings(viewer_id=current_user().id,
                                                     challenge_id=challenge_id, user_id=user_id))


@bp.get("/leaderboard")
@bp.auth_required(token_auth)
@bp.input(GlobalQuery, location="query", arg_name="query")
@bp.output(GlobalLeaderboardOut)
@bp.doc(summary="The global leaderboard", responses={**AUTH, 422: "Unknown period"})
def global_leaderboard(query: GlobalQuery) -> GlobalLeaderboardOut:
    """Return the best players of public challenges and the best main portfolios over 30 days."""
    found = global_board.global_board()
    return GlobalLeaderboardOut.model_validate(
        {"period": query.period, "computed_at": found.computed_at,
         "challenges": found.challenges[:query.limit],
         "portfolios": found.portfolios[:query.limit]},
        from_attributes=True)
