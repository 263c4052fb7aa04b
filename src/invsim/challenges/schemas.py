"""Request and response models of the challenges API (amounts and fractions as strings)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, Field, field_validator

from invsim.api.schemas import DecimalOut, IdIn, MoneyIn, MoneyOut, ResponseModel, StrictModel
from invsim.challenges.access import ChallengeView, Scope, Status
from invsim.challenges.board import Holdings, Leaderboard, RankHistory, Row
from invsim.challenges.models import Challenge
from invsim.challenges.rules import ChallengeRules
from invsim.core.clock import ensure_utc
from invsim.portfolios.schemas import PositionOut

ChallengeName = Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[^\x00-\x1f\x7f]+$")]
Description = Annotated[str, Field(max_length=2000)]
Visibility = Literal["public", "private"]
InviteCode = Annotated[str, Field(min_length=1, max_length=64)]


def _utc(value: datetime | None) -> datetime | None:
    """Store instants in UTC."""
    return None if value is None else ensure_utc(value)


class ChallengeIn(StrictModel):
    """A new challenge: name, dates (with a time zone), starting cash, visibility and rules."""

    name: ChallengeName
    description: Description = ""
    visibility: Visibility = "public"
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    starting_cash: MoneyIn = Decimal(100_000)
    rules: ChallengeRules = Field(default_factory=lambda: ChallengeRules())

    _to_utc = field_validator("starts_at", "ends_at")(_utc)


class ChallengePatch(StrictModel):
    """Changes to a challenge: any field before the start, only the description afterwards."""

    name: ChallengeName | None = None
    description: Description | None = None
    visibility: Visibility | None = None
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    starting_cash: MoneyIn | None = None
    rules: ChallengeRules | None = None

    _to_utc = field_validator("starts_at", "ends_at")(_utc)

    def changes(self) -> dict[str, Any]:
        """Return the fields the client sent (null means "leave as it is")."""
        return {name: getattr(self, name) for name in self.model_fields_set
                if getattr(self, name) is not None}


class ChallengeQuery(StrictModel):
    """Filters of the challenge listing."""

    status: Status | None = None
    scope: Scope = Scope.ALL
    q: str | None = Field(None, max_length=80)
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


class ChallengeLookup(StrictModel):
    """Present a private challenge's invite code to see it before joining."""

    invite_code: InviteCode | None = None


class JoinIn(StrictModel):
    """Join a challenge (a private one needs its invite code)."""

    invite_code: InviteCode | None = None


class ChallengeOut(ResponseModel):
    """A challenge as the caller sees it; `invite_code` is shown to its owner only."""

    id: int
    name: str
    description: str
    owner_id: int
    visibility: str
    invite_code: str | None
    starts_at: datetime
    ends_at: datetime
    starting_cash: MoneyOut
    rules: dict[str, Any]
    status: Status
    member_count: int
    joined: bool
    is_owner: bool
    portfolio_id: int | None
    finalized_at: datetime | None
    created_at: datetime

    @classmethod
    def of(cls, view: ChallengeView) -> ChallengeOut:
        """Build the response for a challenge view."""
        c = view.challenge
        return cls(id=c.id, name=c.name, description=c.description, owner_id=c.owner_id,
                   visibility=c.visibility, invite_code=c.invite_code if view.is_owner else None,
                   starts_at=c.starts_at, ends_at=c.ends_at, starting_cash=c.starting_cash,
                   rules=c.rules, status=view.status, member_count=view.member_count,
                   joined=view.joined, is_owner=view.is_owner, portfolio_id=view.portfolio_id,
                   finalized_at=c.finalized_at, created_at=c.created_at)


class InvitationOut(ResponseModel):
    """What an invite link shows before sign-in: the challenge's name and dates, no more."""

    id: int
    name: str
    status: Status
    starts_at: datetime
    ends_at: datetime

    @classmethod
    def of(cls, challenge: Challenge, status: Status) -> InvitationOut:
        """Build the response for a challenge an invite link names."""
        return cls(id=challenge.id, name=challenge.name, status=status,
                   starts_at=challenge.starts_at, ends_at=challenge.ends_at)


class ChallengeListOut(ResponseModel):
    """A page of challenges."""

    items: list[ChallengeOut]
    total: int
    limit: int
    offset: int


class LeaderboardQuery(StrictModel):
    """Which page of the standings."""

    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10_000_000)


class EntryOut(ResponseModel):
    """One player's line: `return_pct` is a fraction (0.05 = 5 %); `metric` what is ranked on."""

    rank: int
    user_id: int
    username: str
    display_name: str
    equity: MoneyOut
    return_pct: DecimalOut
    metric: DecimalOut | None
    disqualified: bool
    is_me: bool
    api_trading: bool = Field(description="The player trades through an API key (a bot)")
    strategy_trading: bool = Field(
        default=False, description="A live strategy trades the player's portfolio")

    @classmethod
    def of(cls, row: Row) -> EntryOut:
        """Build the response for a leaderboard row."""
        return cls.model_validate(row)


class LeaderboardOut(ResponseModel):
    """A page of standings and the caller's own row (`me`, null if not playing)."""

    challenge_id: int
    metric: str
    computed_at: datetime | None
    final: bool
    live: bool
    total: int
    limit: int
    offset: int
    items: list[EntryOut]
    me: EntryOut | None

    @classmethod
    def of(cls, board: Leaderboard, limit: int, offset: int) -> LeaderboardOut:
        """Build the response for a leaderboard."""
        return cls(challenge_id=board.challenge_id, metric=board.metric.value,
                   computed_at=board.computed_at, final=board.final, live=board.live,
                   total=board.total, limit=limit, offset=offset,
                   items=[EntryOut.of(r) for r in board.items],
                   me=None if board.me is None else EntryOut.of(board.me))


class RankHistoryQuery(StrictModel):
    """Whose rank history (default: the caller's)."""

    user_id: IdIn | None = None


class RankHistoryOut(ResponseModel):
    """A player's rank in each run, as columns of equal length."""

    user_id: int
    timestamp: list[datetime]
    rank: list[int]
    participants: list[int]
    equity: list[MoneyOut]
    return_pct: list[DecimalOut]

    @classmethod
    def of(cls, history: RankHistory) -> RankHistoryOut:
        """Build the response for a rank history."""
        return cls.model_validate(history)


class TradeOut(ResponseModel):
    """One execution of a participant."""

    id: int
    at: datetime
    symbol: str
    side: str
    qty: DecimalOut
    price: DecimalOut
    gross: MoneyOut
    commission: MoneyOut
    realized_pl: MoneyOut


class HoldingsOut(ResponseModel):
    """A participant's open positions and trades in the challenge."""

    user_id: int
    display_name: str
    portfolio_id: int | None
    positions: list[PositionOut]
    trades: list[TradeOut]

    @classmethod
    def of(cls, holdings: Holdings) -> HoldingsOut:
        """Build the response for a participant's holdings."""
        return cls.model_validate(holdings)


class GlobalQuery(StrictModel):
    """The period of the global leaderboard (30 days)."""

    period: Literal["30d"] = "30d"
    limit: int = Field(100, ge=1, le=100)


class GlobalEntryOut(ResponseModel):
    """A player of the global leaderboard: a challenge player or a main portfolio."""

    rank: int
    user_id: int
    username: str
    display_name: str
    return_pct: DecimalOut
    equity: MoneyOut
    challenge_id: int | None
    portfolio_id: int | None


class GlobalLeaderboardOut(ResponseModel):
    """The best challenge players and the best main portfolios over the period."""

    period: str
    computed_at: datetime | None
    challenges: list[GlobalEntryOut]
    portfolios: list[GlobalEntryOut]
