"""Rank a challenge of 100,000 players holding 10 positions each, on PostgreSQL.

Run: .venv/bin/python bench/bench_rankings.py   (prints one line; target < 5 s per run)

Creates a database of its own on INVSIM_TEST_PG_ADMIN (default
postgresql://postgres@127.0.0.1:5432/postgres), migrates it, bulk-loads users,
portfolios, positions and participants with COPY, then times two ranking runs
(`standings.refresh_standings`: quotes, the valuation aggregate, the previous
run's statistics, the ranking and the insert of 100,000 ranked rows). The first
run starts every player from scratch; the second continues the first (the steady
state). The database is dropped at the end. BENCH_PLAYERS changes the size.
"""

from __future__ import annotations

import json
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from pg import copy_rows, postgres_problem, temporary_database

PLAYERS = int(os.environ.get("BENCH_PLAYERS", "100000"))
POSITIONS = 10
SYMBOLS = 500
TARGET_S = 5.0
NOW = datetime(2025, 3, 4, 15, 0, 30, tzinfo=UTC)  # inside a session, inside the challenge
START, END = NOW - timedelta(days=1), NOW + timedelta(days=30)





def _challenge(cursor: Any) -> int:
    """Insert the challenge every player takes part in."""
    cursor.execute(
        "INSERT INTO users (id, email, username, display_name, password_hash, token_version, "
        "is_active, created_at, updated_at) VALUES (1, 'owner@example.com', 'owner', 'Owner', "
        "'x', 0, true, %s, %s)", (START, START))
    cursor.execute(
        "INSERT INTO challenges (owner_id, name, description, visibility, starts_at, ends_at, "
        "starting_cash, rules, created_at, updated_at) VALUES (1, 'Bench cup', '', 'public', "
        "%s, %s, 10000000, %s, %s, %s) RETURNING id",
        (START, END, json.dumps({"ranking_metric": "total_return"}), START, START))
    return int(cursor.fetchone()[0])


def load(url: str, players: int, symbols: list[str]) -> int:
    """Bulk-load the players, their portfolios, positions and participations; return the challenge."""
    import psycopg

    rng = random.Random(7)
    ids = range(2, players + 2)
    joined = [START - timedelta(seconds=rng.randrange(86400)) for _ in ids]
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        challenge_id = _challenge(cursor)
        copy_rows(cursor, "users", ["id", "email", "username", "display_name", "password_hash",
                                "token_version", "is_active", "created_at", "updated_at"],
              ((i, f"p{i}@example.com", f"p{i}", f"Player {i}", "x", 0, True, START, START)
               for i in ids))
        copy_rows(cursor, "portfolios", ["id", "user_id", "name", "kind", "challenge_id", "currency",
                                     "starting_cash", "cash", "account_type", "rules",
                                     "generation", "generation_started_at", "created_at",
                                     "updated_at", "version"],
              ((i, i, "Bench", "challenge", challenge_id, "USD", 10_000_000,
                rng.randrange(0, 5_000_000), "cash", "{}", 0, START, START, START, 1)
               for i in ids))
        copy_rows(cursor, "positions", ["portfolio_id", "generation", "symbol", "qty",
                                    "avg_entry_price", "cost_basis", "realized_pl", "created_at",
                                    "updated_at"],
              ((i, 0, symbol, rng.randrange(1, 50) * 1_000_000, 100_000_000, 500_000, 0, START,
                START) for i in ids for symbol in rng.sample(symbols, POSITIONS)))
        copy_rows(cursor, "challenge_participants", ["challenge_id", "user_id", "portfolio_id",
                                                 "joined_at"],
              ((challenge_id, i, i, joined[i - 2]) for i in ids))
        cursor.execute("SELECT setval('users_id_seq', %s)", (players + 2,))
        cursor.execute("SELECT setval('portfolios_id_seq', %s)", (players + 2,))
        connection.commit()
        cursor.execute("ANALYZE")
    return challenge_id


def make_app(url: str, tmp: str) -> Any:
    """Build an app on the benchmark database with the clock frozen inside the challenge."""
    from invsim.app import create_app
    from invsim.core.clock import set_clock

    set_clock(lambda: NOW)
    sqlalchemy_url = url.replace("postgresql://", "postgresql+psycopg://")
    return create_app(var_dir=tmp, database_url=sqlalchemy_url, scheduler_enabled=False,
                      log_level="WARNING", secret_key="bench-secret-key-0123456789-abcdefghij")


def prepare(url: str, tmp: str, players: int = PLAYERS) -> tuple[Any, int]:
    """Migrate the database, load the players and return the app and the challenge id."""
    from invsim.migrations.runner import upgrade

    upgrade(url.replace("postgresql://", "postgresql+psycopg://"))
    app = make_app(url, tmp)
    with app.app_context():
        from invsim.market.instruments import known_symbols

        symbols = sorted(known_symbols())[:SYMBOLS]
    return app, load(url, players, symbols)


def timed_run(app: Any, challenge_id: int, at: datetime) -> tuple[float, int]:
    """Time one ranking run at `at`; return seconds and the players ranked."""
    from invsim.challenges import standings
    from invsim.core.clock import set_clock
    from invsim.extensions import db

    set_clock(lambda: at)
    with app.app_context():
        started = time.perf_counter()
        ranked = standings.refresh_standings(challenge_id)
        elapsed = time.perf_counter() - started
        db.session.remove()
    return elapsed, ranked


def main() -> None:
    """Load the data, rank twice and print one line."""
    problem = postgres_problem()
    if problem:
        print(f"bench_rankings: skipped (PostgreSQL unreachable: {problem})")
        return
    with temporary_database() as url, tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        app, challenge_id = prepare(url, tmp)
        loaded = time.perf_counter() - started
        first, ranked = timed_run(app, challenge_id, NOW)
        second, again = timed_run(app, challenge_id, NOW + timedelta(minutes=1))
    assert ranked == again == PLAYERS, (ranked, again)
    verdict = "ok" if max(first, second) < TARGET_S else "SLOW"
    print(f"bench_rankings: {PLAYERS} players x {POSITIONS} positions on PostgreSQL: "
          f"first run {first:.2f} s, steady-state run {second:.2f} s (target < {TARGET_S:.0f} s, "
          f"{verdict}; load {loaded:.1f} s)")
    sys.exit(0 if verdict == "ok" else 1)


if __name__ == "__main__":
    main()
