"""Time the matching job (`match_open_orders`) over 10,000 open orders on one tick, in the database.

Run: .venv/bin/python bench/bench_matching_job.py [--orders 10000] [--portfolios 1000]
     [--marketable 0.01] [--sqlite]

Uses a PostgreSQL database it creates and drops (INVSIM_TEST_PG_ADMIN, as the tests),
or a temporary SQLite file when PostgreSQL is unreachable or --sqlite is given. The
book is written straight into the tables (placing 10,000 orders through the service
would time the setup, not the job): margin portfolios with cash, open orders of every
type in 40 symbols, most resting away from the market; `--marketable` of them are
limits through the current quote, so they fill on this tick. Prints one line.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert  # noqa: E402

from invsim.app import create_app  # noqa: E402
from invsim.config import load_settings  # noqa: E402
from invsim.core.clock import set_clock  # noqa: E402
from invsim.core.money import price  # noqa: E402
from invsim.extensions import db  # noqa: E402
from invsim.migrations.runner import upgrade  # noqa: E402
from invsim.portfolios.models import Portfolio  # noqa: E402
from invsim.portfolios.rules import PortfolioRules  # noqa: E402
from invsim.trading import marks as prices  # noqa: E402
from invsim.trading.matching import match_open_orders  # noqa: E402
from invsim.trading.models import Order  # noqa: E402
from invsim.users.models import User  # noqa: E402

TARGET_SECONDS = 1.0
NOW = datetime(2025, 3, 4, 15, 0, 30, tzinfo=UTC)
SYMBOLS = ["AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META", "TSLA", "JPM", "V", "KO", "PEP",
           "XOM", "CVX", "WMT", "PG", "JNJ", "UNH", "HD", "MA", "BAC", "ORCL", "CRM", "ADBE",
           "AMD", "INTC", "CSCO", "NFLX", "DIS", "NKE", "MCD", "T", "VZ", "PFE", "MRK", "ABBV",
           "COST", "AVGO", "QCOM", "TXN", "IBM"]


def database(stack: ExitStack, force_sqlite: bool) -> tuple[str, str]:
    """Return a migrated database URL and its kind (PostgreSQL when reachable)."""
    from tests.services import postgres_reachable, temporary_postgres_database

    if not force_sqlite and postgres_reachable() is None:
        url = stack.enter_context(temporary_postgres_database())
        kind = "postgresql"
    else:
        url = f"sqlite:///{stack.enter_context(tempfile.TemporaryDirectory())}/bench.sqlite3"
        kind = "sqlite"
    upgrade(url)
    return url, kind


def order_terms(rng: random.Random, mark: prices.Mark, marketable: bool) -> dict[str, object]:
    """Return one open order's type and prices: resting away from the quote unless marketable."""
    side = rng.choice(("buy", "sell"))
    sign = -1 if side == "buy" else 1
    if marketable:
        through = mark.ask * Decimal("1.01") if side == "buy" else mark.bid * Decimal("0.99")
        return {"side": side, "type": "limit", "limit_price": price(through)}
    away = Decimal(1) + sign * Decimal(rng.randint(2, 80)) / 1000
    kind = rng.choices(("limit", "stop", "stop_limit", "trailing_stop"), (60, 15, 10, 15))[0]
    if kind == "limit":
        return {"side": side, "type": kind, "limit_price": price(mark.last * away)}
    stop = price(mark.last * (2 - away))  # on the other side of the market: not triggered
    if kind == "stop":
        return {"side": side, "type": kind, "stop_price": stop}
    if kind == "stop_limit":
        return {"side": side, "type": kind, "stop_price": stop, "limit_price": stop}
    # As placed: the mark at the last price seen, the stop trailing it. One in ten saw a
    # slightly worse price at its last evaluation, so this tick moves its mark.
    percent = Decimal(rng.randint(2, 8))
    moved = rng.random() < 0.1
    water = price(mark.last * (Decimal("0.999") if side == "sell" else Decimal("1.001"))) \
        if moved else mark.last
    offset = water * percent / 100
    return {"side": side, "type": kind, "trail_percent": percent, "hwm": water,
            "stop_price": price(water - offset if side == "sell" else water + offset)}


def build_book(orders: int, portfolios: int, marketable: float) -> None:
    """Write users, margin portfolios and the open book straight into the tables."""
    rng = random.Random(20250304)
    rules = PortfolioRules(account_type="margin", allow_short=True).stored()
    with db.transaction() as session:
        session.execute(insert(User), [
            {"email": f"b{i}@example.com", "username": f"bench{i}", "display_name": f"b{i}",
             "password_hash": "x", "token_version": 0, "is_active": True,
             "created_at": NOW, "updated_at": NOW} for i in range(portfolios)])
        user_ids = [u.id for u in session.query(User.id).order_by(User.id)]
        session.execute(insert(Portfolio), [
            {"user_id": uid, "name": "bench", "kind": "personal", "currency": "USD",
             "starting_cash": Decimal(10_000_000), "cash": Decimal(10_000_000),
             "account_type": "margin", "rules": rules, "generation": 0,
             "generation_started_at": NOW, "created_at": NOW, "updated_at": NOW, "version": 1}
            for uid in user_ids])
        portfolio_ids = [p.id for p in session.query(Portfolio.id).order_by(Portfolio.id)]
    marks = prices.marks(SYMBOLS)
    rows = []
    for n in range(orders):
        symbol = SYMBOLS[n % len(SYMBOLS)]
        terms = order_terms(rng, marks[symbol], rng.random() < marketable)
        rows.append({
            "portfolio_id": portfolio_ids[n % len(portfolio_ids)], "generation": 0,
            "client_order_id": f"bench-{n}", "request_hash": "bench", "source": "user",
            "symbol": symbol, "time_in_force": "gtc", "status": "accepted",
            "qty": Decimal(rng.randint(1, 20)), "stop_triggered": False,
            "filled_qty": Decimal(0), "filled_notional": Decimal(0), "commission": Decimal(0),
            "fill_count": 0, "reference_price": marks[symbol].ask,
            "created_at": NOW - timedelta(hours=2), "updated_at": NOW - timedelta(hours=2),
            "submitted_at": NOW - timedelta(hours=2),
            "limit_price": None, "stop_price": None, "trail_percent": None, "hwm": None,
            **terms,
        })
    with db.transaction() as session:
        for start in range(0, len(rows), 2000):
            session.execute(insert(Order), rows[start:start + 2000])


def main() -> None:
    """Build the book, run the job once on one frozen tick, print the one-line result."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--portfolios", type=int, default=1_000)
    parser.add_argument("--marketable", type=float, default=0.01)
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args()
    set_clock(lambda: NOW)
    with ExitStack() as stack:
        url, kind = database(stack, args.sqlite)
        var = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        app = create_app(load_settings(database_url=url, var_dir=var, scheduler_enabled=False,
                                       log_level="WARNING", secret_key="b" * 48))
        with app.app_context():
            build_book(args.orders, args.portfolios, args.marketable)
            prices.market_views(SYMBOLS)  # warm the simulated market's caches, as a running job has
            db.session.remove()
            started = time.perf_counter()
            report = match_open_orders()
            seconds = time.perf_counter() - started
            db.session.remove()
            db.engine.dispose()
    print(f"matching_job db={kind} open_orders={report.open_orders} "
          f"portfolios_visited={report.portfolios} fills={report.fills} "
          f"updated={report.updated} seconds={seconds:.3f} (target < {TARGET_SECONDS:g} s)")


if __name__ == "__main__":
    main()
