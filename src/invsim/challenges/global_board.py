"""The global leaderboard: the best players of public challenges and the best main portfolios.

Computed by a job (every `GLOBAL_INTERVAL_SECONDS`) in bulk and kept in the
key-value store; the endpoint only reads that entry.

- Challenge players: each public challenge that is running or ended within the
  period contributes its latest (or final) run; players are ordered by return.
- Main portfolios (kind `personal`): the 30-day return
  `(equity now − base − deposits) / (base + deposits)`, where `base` is the
  equity 30 days ago valued from the facts booked by then and that day's prices
  (or the starting cash of a portfolio opened, or reset, since), and `deposits`
  the deposits of the period.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import and_, func, select

from invsim.challenges import sources
from invsim.challenges.models import Challenge, StandingRun, StandingSnapshot
from invsim.core.clock import utcnow
from invsim.core.money import ZERO, rate
from invsim.extensions import db, stores
from invsim.portfolios.models import CashEntry, Portfolio
from invsim.users.models import User

PERIOD = timedelta(days=30)
TOP = 100
GLOBAL_KEY = "challenges:global:30d"
GLOBAL_TTL_SECONDS = 6 * 3600


@dataclass(frozen=True, slots=True)
class GlobalEntry:
    """One line of the global leaderboard."""

    rank: int
    user_id: int
    username: str
    display_name: str
    return_pct: Decimal
    equity: Decimal
    challenge_id: int | None
    portfolio_id: int | None


@dataclass(frozen=True, slots=True)
class GlobalBoard:
    """Both halves of the global leaderboard and when they were computed."""

    computed_at: datetime | None
    challenges: list[GlobalEntry]
    portfolios: list[GlobalEntry]


def _latest_runs(now: datetime) -> list[tuple[int, datetime]]:
    """Return (challenge id, computed_at) of each public challenge's latest run in the period."""
    latest = (select(StandingRun.challenge_id, func.max(StandingRun.computed_at).label("at"))
              .join(Challenge, Challenge.id == StandingRun.challenge_id)
              .where(Challenge.visibility == "public", Challenge.ends_at > now - PERIOD)
              .group_by(StandingRun.challenge_id))
    return [(int(cid), at) for cid, at in db.session.execute(latest)]


def _challenge_players(now: datetime) -> list[tuple[int, Decimal, Decimal, int | None, int]]:
    """Return the best (user, return, equity, challenge, participant) lines across challenges."""
    s = StandingSnapshot
    lines: list[tuple[int, Decimal, Decimal, int | None, int]] = []
    for cid, at in _latest_runs(now):
        rows = db.session.execute(
            select(s.user_id, s.total_return, s.equity, s.participant_id)
            .where(s.challenge_id == cid, s.computed_at == at)
            .order_by(s.total_return.desc(), s.participant_id).limit(TOP))
        lines += [(int(u), ret, eq, cid, int(p)) for u, ret, eq, p in rows]
    lines.sort(key=lambda line: (-line[1], line[4]))
    return lines[:TOP]


def _names(user_ids: set[int]) -> dict[int, tuple[str, str]]:
    """Return each user's (username, display name)."""
    if not user_ids:
        return {}
    rows = db.session.execute(select(User.id, User.username, User.display_name)
                              .where(User.id.in_(user_ids)))
    return {int(uid): (name, display) for uid, name, display in rows}


def _deposits(since: datetime) -> dict[int, Decimal]:
    """Sum each main portfolio's deposits booked after `since`."""
    rows = db.session.execute(
        select(CashEntry.portfolio_id, func.sum(CashEntry.amount))
        .join(Portfolio, Portfolio.id == CashEntry.portfolio_id)
        .where(sources.personal_scope(), CashEntry.kind == "deposit",
               CashEntry.created_at > since).group_by(CashEntry.portfolio_id))
    return {int(pid): Decimal(total) for pid, total in rows}


def _bases(now: datetime, since: datetime) -> dict[int, Decimal]:
    """Return each main portfolio's equity at the start of the period (or its starting cash)."""
    scope = sources.personal_scope()
    bases = {int(pid): cash for pid, cash in db.session.execute(
        select(Portfolio.id, Portfolio.starting_cash).where(scope))}
    older = and_(scope, Portfolio.generation_started_at <= since)
    held = sources.held_symbols(older, since)
    prices = sources.prices_at(held, since)
    bases.update(sources.equities(older, prices, since, held))
    return bases


def _portfolio_lines(now: datetime) -> list[tuple[int, Decimal, Decimal, int]]:
    """Return the best (user, return, equity, portfolio) lines of main portfolios."""
    since = now - PERIOD
    scope = sources.personal_scope()
    held = sources.held_symbols(scope)
    prices = sources.prices_now(held)
    current = sources.equities(scope, prices, None, held)
    bases, deposits = _bases(now, since), _deposits(since)
    owners = {int(pid): int(uid) for pid, uid in db.session.execute(
        select(Portfolio.id, Portfolio.user_id).where(scope))}
    lines = []
    for pid, equity in current.items():
        invested = bases.get(pid, ZERO) + deposits.get(pid, ZERO)
        if invested > ZERO:
            lines.append((owners[pid], rate(equity / invested - 1), equity, pid))
    lines.sort(key=lambda line: (-line[1], line[3]))
    return lines[:TOP]


def compute_global_board() -> GlobalBoard:
    """Compute both halves of the global leaderboard now."""
    now = utcnow()
    players, portfolios = _challenge_players(now), _portfolio_lines(now)
    names = _names({p[0] for p in players} | {p[0] for p in portfolios})

    def entry(place: int, user_id: int, ret: Decimal, equity: Decimal, challenge_id: int | None,
              portfolio_id: int | None) -> GlobalEntry:
        username, display = names.get(user_id, ("", ""))
        return GlobalEntry(place, user_id, username, display, ret, equity, challenge_id,
                           portfolio_id)

    return GlobalBoard(
        now,
        [entry(i, u, r, e, c, None) for i, (u, r, e, c, _) in enumerate(players, start=1)],
        [entry(i, u, r, e, None, p) for i, (u, r, e, p) in enumerate(portfolios, start=1)])


def refresh_global_board() -> int:
    """Recompute the global leaderboard and replace the cached copy; return its size."""
    board = compute_global_board()
    db.end_read()
    stores.kv.set(GLOBAL_KEY, json.dumps(asdict(board), default=str), GLOBAL_TTL_SECONDS)
    return len(board.challenges) + len(board.portfolios)


def _entry(data: dict[str, object]) -> GlobalEntry:
    """Read one cached entry back."""
    return GlobalEntry(**{**data, "return_pct": Decimal(str(data["return_pct"])),  # type: ignore[arg-type]
                          "equity": Decimal(str(data["equity"]))})


def global_board() -> GlobalBoard:
    """Return the cached global leaderboard, computing it when the cache is empty."""
    cached = stores.kv.get(GLOBAL_KEY)
    if cached is None:
        refresh_global_board()
        cached = stores.kv.get(GLOBAL_KEY)
    data = json.loads(cached or "{}")
    if not data:
        return GlobalBoard(None, [], [])
    return GlobalBoard(datetime.fromisoformat(data["computed_at"]),
                       [_entry(e) for e in data["challenges"]],
                       [_entry(e) for e in data["portfolios"]])

