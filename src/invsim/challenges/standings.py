"""Standings: computed in bulk from the ledger and prices, kept as ranked runs, frozen at the end.

A run values every portfolio of a challenge at once (`sources.equities`),
continues each player's running statistics from the previous run, ranks them
(`ranking.rank`) and stores one immutable row per player. The final run is
valued from the facts booked up to the end time and the prices at that time;
its uniqueness (and `Challenge.finalized_at`) make a late or repeated job a no-op.
Readers take the latest run from the key-value store, which each run replaces.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import structlog
from flask import current_app
from sqlalchemy import BigInteger, Boolean, Integer, column, insert, select, table, type_coerce
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from invsim.challenges import access, ranking, sources
from invsim.challenges.models import Challenge, StandingRun, StandingSnapshot
from invsim.challenges.ranking import Entrant, Standing, Stats
from invsim.challenges.rules import load_rules
from invsim.core.clock import utcnow
from invsim.core.money import RATE_SCALE, to_scaled_int
from invsim.db import UTCDateTime
from invsim.extensions import db, stores

log = structlog.get_logger("invsim.challenges.standings")

INSERT_BATCH = 5000
ON_DEMAND_MAX_PLAYERS = 500  # smaller challenges are ranked live when no fresh run exists
LATEST_TTL_SECONDS = 300

# Bulk insert with the integers already scaled (no per-value Decimal conversion).
_snapshot_rows = table(
    StandingSnapshot.__tablename__,
    column("challenge_id", Integer), column("computed_at", UTCDateTime()),
    column("user_id", Integer), column("participant_id", Integer), column("rank", Integer),
    column("equity", BigInteger), column("total_return", BigInteger),
    column("metric", BigInteger), column("disqualified", Boolean),
    column("peak_equity", BigInteger), column("max_drawdown", BigInteger),
    column("return_count", Integer), column("return_sum", BigInteger),
    column("return_sq_sum", BigInteger),
)


@dataclass(frozen=True, slots=True)
class LatestRun:
    """Which run readers should use."""

    computed_at: datetime
    is_final: bool
    participant_count: int


# --- Computing -----------------------------------------------------------------------------


def refresh_interval() -> timedelta:
    """Return how often standings are refreshed (the STANDINGS_INTERVAL_SECONDS setting)."""
    return timedelta(seconds=current_app.config["INVSIM_SETTINGS"].standings_interval_seconds)


def _prices(challenge_id: int, at: datetime, final: bool) -> tuple[set[str], dict[str, Decimal]]:
    """Return the symbols held and the prices known for them (the rest: last fill prices)."""
    scope = sources.challenge_scope(challenge_id)
    held = sources.held_symbols(scope, at if final else None)
    return held, sources.prices_at(held, at) if final else sources.prices_now(held)


def _raw(column: Any) -> Any:
    """Read an exact column as its stored integer."""
    return type_coerce(column, BigInteger)


def _previous_stats(challenge_id: int, before: datetime) -> dict[int, Stats]:
    """Return each player's running statistics from the latest run before `before`."""
    last = db.session.scalar(select(StandingRun.computed_at).where(
        StandingRun.challenge_id == challenge_id, StandingRun.computed_at < before)
        .order_by(StandingRun.computed_at.desc()).limit(1))
    if last is None:
        return {}
    s = StandingSnapshot
    rows = db.session.execute(select(
        s.participant_id, _raw(s.equity), _raw(s.peak_equity), _raw(s.max_drawdown),
        s.return_count, _raw(s.return_sum), _raw(s.return_sq_sum))
        .where(s.challenge_id == challenge_id, s.computed_at == last))
    return {int(row[0]): Stats(*(int(v) for v in row[1:])) for row in rows}


def compute_standings(challenge: Challenge, *, at: datetime, final: bool) -> list[Standing]:
    """Rank every player of the challenge at `at` (nothing is written)."""
    rules = load_rules(challenge.rules)
    held, prices = _prices(challenge.id, at, final)
    equities = sources.equity_cents(sources.challenge_scope(challenge.id), prices,
                                    at if final else None, held)
    starting = ranking.cents(challenge.starting_cash)
    entrants = [Entrant(pid, uid, seniority, equities.get(portfolio, starting)
                        if portfolio is not None else starting)
                for seniority, (pid, uid, portfolio)
                in enumerate(access.participant_rows(challenge.id))]
    limit = rules.max_drawdown_limit
    return ranking.rank(entrants, _previous_stats(challenge.id, at), starting_cents=starting,
                        metric=rules.ranking_metric,
                        drawdown_limit=None if limit is None else to_scaled_int(limit, RATE_SCALE))


COLUMNS = ("challenge_id", "computed_at", "user_id", "participant_id", "rank", "equity",
           "total_return", "metric", "disqualified", "peak_equity", "max_drawdown",
           "return_count", "return_sum", "return_sq_sum")


def _row(challenge_id: int, at: datetime, s: Standing) -> tuple[object, ...]:
    """Return one standing as a row of the stored integers, in COLUMNS order."""
    st = s.stats
    return (challenge_id, at, s.user_id, s.participant_id, s.rank, s.equity_cents,
            s.return_units, s.metric_units, s.disqualified, st.peak_equity, st.max_drawdown,
            st.return_count, st.return_sum, st.return_sq_sum)


def _copy_line(prefix: str, s: Standing) -> str:
    """Render one standing as a line of COPY's text format (after the run's columns)."""
    st = s.stats
    metric = "\\N" if s.metric_units is None else s.metric_units
    return (f"{prefix}{s.user_id}\t{s.participant_id}\t{s.rank}\t{s.equity_cents}\t"
            f"{s.return_units}\t{metric}\t{'t' if s.disqualified else 'f'}\t{st.peak_equity}\t"
            f"{st.max_drawdown}\t{st.return_count}\t{st.return_sum}\t{st.return_sq_sum}\n")


def _copy_rows(session: Session, challenge_id: int, at: datetime,
               standings: list[Standing]) -> None:
    """Stream the rows into PostgreSQL with COPY (inside the session's transaction).

    The text is built here in one pass: adapting 1.4 million values one by one
    costs more than the copy itself.
    """
    driver = session.connection().connection.driver_connection
    statement = f"COPY {StandingSnapshot.__tablename__} ({', '.join(COLUMNS)}) FROM STDIN"
    prefix = f"{challenge_id}\t{at.isoformat()}\t"
    text = "".join([_copy_line(prefix, s) for s in standings])
    with driver.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
        copy.write(text)


def _store(challenge: Challenge, at: datetime, standings: list[Standing], final: bool) -> None:
    """Write the run and its rows in the current transaction (COPY on PostgreSQL)."""
    session = db.session()
    session.add(StandingRun(challenge_id=challenge.id, computed_at=at, is_final=final,
                            participant_count=len(standings), created_at=utcnow()))
    session.flush()
    if session.bind.dialect.name == "postgresql":  # type: ignore[union-attr]
        _copy_rows(session, challenge.id, at, standings)
        return
    rows = [_row(challenge.id, at, s) for s in standings]
    for start in range(0, len(rows), INSERT_BATCH):
        batch = rows[start:start + INSERT_BATCH]
        session.execute(insert(_snapshot_rows), [dict(zip(COLUMNS, r, strict=True)) for r in batch])


def _publish(challenge_id: int, at: datetime, final: bool, count: int) -> None:
    """Point readers at the new run (explicit invalidation of the cached latest run)."""
    value = json.dumps({"at": at.isoformat(), "final": final, "count": count})
    stores.kv.set(_latest_key(challenge_id), value, LATEST_TTL_SECONDS)


def refresh_standings(challenge_id: int) -> int:
    """Rank an active challenge now and keep the run; return its size (0 when not due).

    Idempotent: a run younger than half the interval makes a second call a no-op,
    and the challenge row lock serialises two workers.
    """
    now = utcnow()
    with db.transaction():
        challenge = access.lock_challenge(challenge_id)
        if access.status_at(challenge, now) is not access.Status.ACTIVE:
            return 0
        latest = _latest_from_db(challenge_id)
        if latest is not None and now - latest.computed_at < refresh_interval() / 2:
            return 0
        standings = compute_standings(challenge, at=now, final=False)
        _store(challenge, now, standings, final=False)
    _publish(challenge_id, now, False, len(standings))
    log.info("standings_refreshed", challenge_id=challenge_id, players=len(standings))
    return len(standings)


def finalize_standings(challenge_id: int) -> bool:
    """Freeze the final standings of a finished challenge once; True when this call wrote them.

    Valued from the facts booked up to the end and the prices at the end, so the
    hour the job runs does not matter; a repeated run changes nothing.
    """
    try:
        with db.transaction():
            challenge = access.lock_challenge(challenge_id)
            if challenge.finalized_at is not None or utcnow() < challenge.ends_at:
                return False
            standings = compute_standings(challenge, at=challenge.ends_at, final=True)
            _store(challenge, challenge.ends_at, standings, final=True)
            challenge.finalized_at = utcnow()
    except IntegrityError:
        return False  # another worker froze them first (unique final run)
    _publish(challenge_id, challenge.ends_at, True, len(standings))
    log.info("standings_finalized", challenge_id=challenge_id, players=len(standings))
    return True


# --- Reading -------------------------------------------------------------------------------


def _latest_key(challenge_id: int) -> str:
    """Return the key-value key of a challenge's latest run."""
    return f"challenges:standings:{challenge_id}:latest"


def _latest_from_db(challenge_id: int) -> LatestRun | None:
    """Return the latest run of a challenge from the database."""
    row = db.session.execute(
        select(StandingRun.computed_at, StandingRun.is_final, StandingRun.participant_count)
        .where(StandingRun.challenge_id == challenge_id)
        .order_by(StandingRun.is_final.desc(), StandingRun.computed_at.desc()).limit(1)).first()
    return None if row is None else LatestRun(row[0], bool(row[1]), int(row[2]))


def latest_run(challenge_id: int) -> LatestRun | None:
    """Return the run readers should use: the final one once frozen, else the newest."""
    cached = stores.kv.get(_latest_key(challenge_id))
    if cached is not None:
        data = json.loads(cached)
        return LatestRun(datetime.fromisoformat(data["at"]), bool(data["final"]),
                         int(data["count"]))
    found = _latest_from_db(challenge_id)
    if found is not None:
        _publish(challenge_id, found.computed_at, found.is_final, found.participant_count)
    return found
