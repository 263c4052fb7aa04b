"""The equity snapshot job for 10,000 portfolios holding 5 positions each, on PostgreSQL.

Run: .venv/bin/python bench/bench_snapshot_job.py   (prints one line; target < 10 s per run)

Creates a database of its own on INVSIM_TEST_PG_ADMIN (default
postgresql://postgres@127.0.0.1:5432/postgres), migrates it, bulk-loads users,
portfolios and positions with COPY, and places real orders in 1 % of the
portfolios, one of them after the snapshot instant (so those books are rebuilt
from the ledger as of that instant). Then it times three runs of
`analytics.snapshots.record_snapshots` (the job's whole use-case: reads, quotes,
daily closes, valuation, bulk upsert):

- first: the intraday sample and the closes of the last 5 sessions (nothing stored yet);
- steady: the next interval's intraday sample (closes already stored) — what runs every 5 min;
- close: just after midnight (the always-open calendar's close): that session's close
  for every portfolio and the new session's first intraday sample.

The database is dropped at the end. BENCH_PORTFOLIOS changes the size.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from pg import copy_rows, temporary_database

PORTFOLIOS = int(os.environ.get("BENCH_PORTFOLIOS", "10000"))
POSITIONS = 5
MOVED_SHARE = 100  # one portfolio in a hundred trades through the real service
TARGET_S = 10.0
NOW = datetime(2025, 3, 4, 15, 0, 30, tzinfo=UTC)
OPENED = NOW - timedelta(days=30)




def load(url: str, symbols: list[str]) -> list[int]:
    """Bulk-load users, portfolios and positions; return the ids left to trade for real."""
    import psycopg

    rng = random.Random(11)
    ids = range(1, PORTFOLIOS + 1)
    moved = [i for i in ids if i % MOVED_SHARE == 0]
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        copy_rows(cursor, "users", ["id", "email", "username", "display_name", "password_hash",
                                "token_version", "is_active", "created_at", "updated_at"],
              ((i, f"u{i}@example.com", f"u{i}", f"User {i}", "x", 0, True, OPENED, OPENED)
               for i in ids))
        copy_rows(cursor, "portfolios", ["id", "user_id", "name", "kind", "currency",
                                     "starting_cash", "cash", "account_type", "rules",
                                     "generation", "generation_started_at", "created_at",
                                     "updated_at", "version"],
              ((i, i, "Bench", "personal", "USD", 10_000_000,
                10_000_000 if i in moved else rng.randrange(0, 5_000_000),
                "cash", '{"max_volume_share": null}', 0, OPENED, OPENED, OPENED, 1)
               for i in ids))
        copy_rows(cursor, "positions", ["portfolio_id", "generation", "symbol", "qty",
                                    "avg_entry_price", "cost_basis", "realized_pl", "created_at",
                                    "updated_at"],
              ((i, 0, symbol, rng.randrange(1, 50) * 1_000_000, 100_000_000, 500_000, 0, OPENED,
                OPENED) for i in ids if i not in moved
               for symbol in rng.sample(symbols, POSITIONS)))
        cursor.execute("SELECT setval('users_id_seq', %s)", (PORTFOLIOS + 1,))
        cursor.execute("SELECT setval('portfolios_id_seq', %s)", (PORTFOLIOS + 1,))
        connection.commit()
        cursor.execute("ANALYZE")
    return moved


def make_app(url: str, tmp: str) -> Any:
    """Build an app on the benchmark database."""
    from invsim.app import create_app

    sqlalchemy_url = url.replace("postgresql://", "postgresql+psycopg://")
    return create_app(var_dir=tmp, database_url=sqlalchemy_url, scheduler_enabled=False,
                      log_level="WARNING", secret_key="bench-secret-key-0123456789-abcdefghij")


def trade_for_real(app: Any, moved: list[int], symbols: list[str]) -> None:
    """Place orders through the trading service: two before NOW's interval, one inside it."""
    from invsim.core.clock import set_clock
    from invsim.trading.engine.state import OrderType, Side, TimeInForce
    from invsim.trading.order_input import OrderRequest
    from invsim.trading.service import place_order

    def buy(pid: int, symbol: str) -> None:
        place_order(owner_id=pid, portfolio_id=pid, request=OrderRequest(
            symbol=symbol, side=Side.BUY, type=OrderType.MARKET,
            time_in_force=TimeInForce.DAY, qty=Decimal(2)))

    with app.app_context():
        for when, picks in [(NOW - timedelta(minutes=10), symbols[:2]),
                            (NOW - timedelta(seconds=20), symbols[2:3])]:
            set_clock(lambda when=when: when)
            for pid in moved:
                for symbol in picks:
                    buy(pid, symbol)


def timed_run(app: Any, at: datetime) -> tuple[float, Any]:
    """Time one snapshot run at `at`."""
    from invsim.analytics.snapshots import record_snapshots
    from invsim.core.clock import set_clock
    from invsim.extensions import db

    set_clock(lambda: at)
    with app.app_context():
        started = time.perf_counter()
        report = record_snapshots()
        elapsed = time.perf_counter() - started
        db.session.remove()
    return elapsed, report


def main() -> None:
    """Load the data, run the job three times and print one line."""
    from invsim.migrations.runner import upgrade

    with temporary_database() as url, tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        upgrade(url.replace("postgresql://", "postgresql+psycopg://"))
        app = make_app(url, tmp)
        with app.app_context():
            from invsim.market.instruments import known_symbols

            symbols = sorted(known_symbols())
        moved = load(url, symbols)
        trade_for_real(app, moved, symbols)
        loaded = time.perf_counter() - started
        first, report = timed_run(app, NOW)
        steady, again = timed_run(app, NOW + timedelta(minutes=5))
        close, closed = timed_run(app, datetime(2025, 3, 5, 0, 0, 40, tzinfo=UTC))
    assert report.intraday == again.intraday == closed.intraday == PORTFOLIOS, (report, again)
    assert sum(report.closes.values()) == 5 * PORTFOLIOS and report.unpriced == 0
    assert sum(closed.closes.values()) == PORTFOLIOS
    verdict = "ok" if max(first, steady, close) < TARGET_S else "SLOW"
    print(f"bench_snapshot_job: {PORTFOLIOS} portfolios x {POSITIONS} positions on PostgreSQL: "
          f"steady-state run {steady:.2f} s, session-close run {close:.2f} s, first run "
          f"(+5 sessions of closes) {first:.2f} s (target < {TARGET_S:.0f} s, {verdict}; "
          f"load {loaded:.1f} s)")
    sys.exit(0 if verdict == "ok" else 1)


if __name__ == "__main__":
    main()
