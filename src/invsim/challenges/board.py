"""What players read: a challenge's leaderboard, a player's rank history, a rival's holdings.

Reads come from the latest ranked run by index: the page by (challenge_id,
computed_at, rank), the caller's own row by (challenge_id, computed_at, user_id).
A small active challenge with no fresh run is ranked live instead.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, select

from invsim.challenges import access, sources, standings
from invsim.challenges.models import Challenge, StandingRun, StandingSnapshot
from invsim.challenges.ranking import Standing
from invsim.challenges.rules import RankingMetric, load_rules
from invsim.core.clock import utcnow
from invsim.core.errors import Forbidden
from invsim.extensions import db, stores
from invsim.portfolios.service import FillFact
from invsim.trading.service import PositionView
from invsim.users.models import User

MAX_HISTORY_POINTS = 1000
LOCAL_PAGES = 256


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a leaderboard."""

    rank: int
    user_id: int
    username: str
    display_name: str
    equity: Decimal
    return_pct: Decimal
    metric: Decimal | None
    disqualified: bool
    is_me: bool
    # The player has traded through an API key (a bot); read live, never cached with the run.
    api_trading: bool = False
    # The player's portfolio is traded by a live strategy (read live, like api_trading).
    strategy_trading: bool = False


@dataclass(frozen=True, slots=True)
class Leaderboard:
    """A page of a challenge's standings, and the caller's own row."""

    challenge_id: int
    metric: RankingMetric
    computed_at: datetime | None
    final: bool
    live: bool
    total: int
    items: list[Row]
    me: Row | None


@dataclass(frozen=True, slots=True)
class RankHistory:
    """A player's rank in each run (columns of equal length)."""

    user_id: int
    timestamp: list[datetime]
    rank: list[int]
    participants: list[int]
    equity: list[Decimal]
    return_pct: list[Decimal]


@dataclass(frozen=True, slots=True)
class Holdings:
    """A participant's open positions and trades in a challenge."""

    user_id: int
    display_name: str
    portfolio_id: int | None
    positions: list[PositionView]
    trades: list[FillFact]


def _names(user_ids: set[int]) -> dict[int, tuple[str, str]]:
    """Return each user's (username, display name)."""
    if not user_ids:
        return {}
    rows = db.session.execute(select(User.id, User.username, User.display_name)
                              .where(User.id.in_(user_ids)))
    return {int(uid): (name, display) for uid, name, display in rows}


def _select_rows(challenge_id: int, at: datetime, condition: Any, viewer_id: int) -> list[Row]:
    """Read rows of a stored run with the players' names, best first."""
    s = StandingSnapshot
    found = db.session.execute(
        select(s.rank, s.user_id, User.username, User.display_name, s.equity, s.total_return,
               s.metric, s.disqualified)
        .join(User, User.id == s.user_id)
        .where(s.challenge_id == challenge_id, s.computed_at == at, condition).order_by(s.rank))
    return [Row(int(rank), int(uid), name, display, equity, ret, metric, bool(out),
                uid == viewer_id)
            for rank, uid, name, display, equity, ret, metric, out in found]


class _PageCache:
    """A small in-process cache of pages of runs.

    A run never changes once written, and a page's key names its run, so a
    cached page can never be stale: only the pointer to the latest run, kept in
    the shared key-value store, decides what readers see.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._pages: OrderedDict[str, list[Row]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> list[Row] | None:
        """Return a cached page, or None."""
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: str, page: list[Row]) -> None:
        """Keep a page, forgetting the least recently used beyond the size."""
        with self._lock:
            self._pages[key] = page
            while len(self._pages) > self._size:
                self._pages.popitem(last=False)


_local_pages = _PageCache(LOCAL_PAGES)


def _page_key(challenge_id: int, at: datetime, limit: int, offset: int) -> str:
    """Return the key of a cached page; a new run has a new instant, hence new keys."""
    return f"challenges:standings:{challenge_id}:{at.isoformat()}:page:{offset}:{limit}"


def _page(challenge_id: int, at: datetime, limit: int, offset: int) -> list[Row]:
    """Return a page of a stored run, from the key-value store when another reader cached it.

    Ranks of a run are 1..N without gaps (unique per run), so the page is a rank
    range the (challenge_id, computed_at, rank) index yields exactly.
    """
    key = _page_key(challenge_id, at, limit, offset)
    local = _local_pages.get(key)
    if local is not None:
        return local
    cached = stores.kv.get(key)
    if cached is not None:
        rows = [_decode(item) for item in json.loads(cached)]
    else:
        s = StandingSnapshot
        rows = _select_rows(challenge_id, at, and_(s.rank > offset, s.rank <= offset + limit), 0)
        stores.kv.set(key, json.dumps([_encode(r) for r in rows]), standings.LATEST_TTL_SECONDS)
    _local_pages.put(key, rows)
    return rows


def _encode(row: Row) -> dict[str, Any]:
    """Turn a row into JSON-ready values (amounts as strings)."""
    return {**asdict(row), "equity": str(row.equity), "return_pct": str(row.return_pct),
            "metric": None if row.metric is None else str(row.metric)}


def _decode(item: dict[str, Any]) -> Row:
    """Read a cached row back."""
    metric = item["metric"]
    return Row(**{**item, "equity": Decimal(item["equity"]),
                  "return_pct": Decimal(item["return_pct"]),
                  "metric": None if metric is None else Decimal(metric)})


def _stored_rows(challenge_id: int, at: datetime, limit: int, offset: int,
                 viewer_id: int) -> tuple[list[Row], Row | None]:
    """Return a page of a stored run and the viewer's row (primary-key lookup)."""
    page = [replace(r, is_me=r.user_id == viewer_id) for r in _page(challenge_id, at, limit,
                                                                      offset)]
    mine = next((r for r in page if r.is_me), None)
    if mine is None:
        found = _select_rows(challenge_id, at, StandingSnapshot.user_id == viewer_id, viewer_id)
        mine = found[0] if found else None
    return page, mine


def _live_rows(ranked: list[Standing], limit: int, offset: int,
               viewer_id: int) -> tuple[list[Row], Row | None]:
    """Turn live standings into a page and the viewer's row."""
    chosen = ranked[offset:offset + limit]
    mine = next((r for r in ranked if r.user_id == viewer_id), None)
    names = _names({r.user_id for r in chosen} | ({mine.user_id} if mine else set()))

    def row(item: Standing) -> Row:
        username, display = names.get(item.user_id, ("", ""))
        return Row(item.rank, item.user_id, username, display, item.equity, item.total_return,
                   item.metric, item.disqualified, item.user_id == viewer_id)

    return [row(r) for r in chosen], None if mine is None else row(mine)


def _board(challenge: Challenge, items: list[Row], mine: Row | None,
           **facts: object) -> Leaderboard:
    """Assemble a leaderboard, marking the players who trade through API keys or strategies."""
    metric = RankingMetric(challenge.rules.get("ranking_metric", "total_return"))
    bots, runs = sources.api_traders(challenge.id), sources.strategy_traders(challenge.id)

    def marked(row: Row) -> Row:
        return replace(row, api_trading=row.user_id in bots,
                       strategy_trading=row.user_id in runs)

    items = [marked(r) for r in items]
    mine = None if mine is None else marked(mine)
    return Leaderboard(challenge_id=challenge.id, metric=metric, items=items, me=mine,
                       **facts)  # type: ignore[arg-type]


def _live_due(challenge: Challenge, latest: standings.LatestRun | None, now: datetime) -> bool:
    """Say whether to rank a small active challenge live.

    It is ranked live when no run exists in the last interval, and also when players
    joined since the last run: a player who just joined must find their own row.
    """
    if access.status_at(challenge, now) is not access.Status.ACTIVE:
        return False
    if latest is None:
        return len(access.participant_rows(challenge.id)) <= standings.ON_DEMAND_MAX_PLAYERS
    if latest.participant_count > standings.ON_DEMAND_MAX_PLAYERS:
        return False
    if now - latest.computed_at >= standings.refresh_interval():
        return True
    return len(access.participant_rows(challenge.id)) != latest.participant_count


def leaderboard(*, viewer_id: int, challenge_id: int, limit: int = 100,
                offset: int = 0) -> Leaderboard:
    """Return a page of the standings, with the caller's own row always included."""
    challenge = access.visible_challenge(viewer_id=viewer_id, challenge_id=challenge_id)
    now = utcnow()
    latest = standings.latest_run(challenge_id)
    if _live_due(challenge, latest, now):
        ranked = standings.compute_standings(challenge, at=now, final=False)
        db.end_read()  # a read: release what computing touched
        page, mine = _live_rows(ranked, limit, offset, viewer_id)
        return _board(challenge, page, mine, computed_at=now, final=False, live=True,
                      total=len(ranked))
    if latest is None:
        return _board(challenge, [], None, computed_at=None, final=False, live=False, total=0)
    page, mine = _stored_rows(challenge_id, latest.computed_at, limit, offset, viewer_id)
    return _board(challenge, page, mine, computed_at=latest.computed_at, final=latest.is_final,
                  live=False, total=latest.participant_count)


def rank_history(*, viewer_id: int, challenge_id: int, user_id: int | None = None) -> RankHistory:
    """Return a player's rank over time (at most 1,000 points, the latest always kept)."""
    access.visible_challenge(viewer_id=viewer_id, challenge_id=challenge_id)
    target = viewer_id if user_id is None else user_id
    access.member(challenge_id, target)
    s, r = StandingSnapshot, StandingRun
    rows = list(db.session.execute(
        select(s.computed_at, s.rank, r.participant_count, s.equity, s.total_return)
        .join(r, (r.challenge_id == s.challenge_id) & (r.computed_at == s.computed_at))
        .where(s.challenge_id == challenge_id, s.user_id == target).order_by(s.computed_at)))
    step = max(1, -(-len(rows) // MAX_HISTORY_POINTS))
    kept = rows[::step] if step > 1 else rows
    if rows and kept[-1] is not rows[-1]:
        kept = [*kept, rows[-1]]
    return RankHistory(target, [k[0] for k in kept], [int(k[1]) for k in kept],
                       [int(k[2]) for k in kept], [k[3] for k in kept], [k[4] for k in kept])


def participant_holdings(*, viewer_id: int, challenge_id: int, user_id: int) -> Holdings:
    """Return a participant's positions and trades: their own, or a rival's when the rules allow.

    An owner who organises without playing may always look; an owner who plays
    is a player like the others.
    """
    challenge = access.visible_challenge(viewer_id=viewer_id, challenge_id=challenge_id)
    target = access.member(challenge_id, user_id)
    organiser = viewer_id == challenge.owner_id and \
        access.participation(challenge_id, viewer_id) is None
    allowed = load_rules(challenge.rules).positions_visible or organiser
    if viewer_id != user_id and not allowed:
        raise Forbidden("This challenge keeps players' positions and trades private.",
                        code="holdings_hidden")
    pid = target.portfolio_id
    end = challenge.ends_at + timedelta(microseconds=1)
    positions = [] if pid is None else sources.portfolio_positions(pid)
    trades = [] if pid is None else sources.portfolio_fills(pid, challenge.starts_at, end)
    display = _names({user_id}).get(user_id, ("", ""))[1]
    return Holdings(user_id, display, pid, positions, trades)
