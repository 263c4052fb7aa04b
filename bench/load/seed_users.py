"""Pre-register the load test's accounts, each with one funded portfolio, in seconds.

Run with the same environment as the server (DATABASE_URL, SECRET_KEY, BLIND_INDEX_KEY,
the keyring...), after `invsim db upgrade`:

    .venv/bin/python bench/load/seed_users.py --count 1000

Accounts are `loaduser1` ... `loaduserN` (`loaduserN@example.com`), all with the same
password (LOAD_PASSWORD, default below). Registering them over HTTP would spend one
argon2 hash (~0.2 s of CPU at production cost) per account during the run; here the
password is hashed once with the app's own hasher and settings and the rows go in
through the ORM (so emails are encrypted and blind-indexed as the app does), in
batches, with each portfolio opened by the portfolios service's `new_portfolio`
(cash = starting cash, as `POST /portfolios` does), so `invsim ledger verify` holds.
Prints one line.
"""

from __future__ import annotations

import argparse
import os
import time
from decimal import Decimal

from sqlalchemy import select

from invsim.app import create_app
from invsim.extensions import db
from invsim.portfolios.service import new_portfolio
from invsim.users.models import User
from invsim.users.passwords import hasher

PASSWORD = os.environ.get("LOAD_PASSWORD", "load-test-horse-battery-42")
PREFIX = "loaduser"
STARTING_CASH = Decimal("100000")
BATCH = 200


def seed(count: int) -> int:
    """Create the accounts not there yet; return how many were created."""
    password_hash = hasher.hash(PASSWORD)  # once: every account shares the password
    existing = set(db.session.scalars(select(User.username).where(
        User.username.startswith(PREFIX))))
    db.end_read()
    missing = [n for n in range(1, count + 1) if f"{PREFIX}{n}" not in existing]
    for start in range(0, len(missing), BATCH):
        with db.transaction() as session:
            users = [User(email=f"{PREFIX}{n}@example.com", username=f"{PREFIX}{n}",
                          display_name=f"Load user {n}", password_hash=password_hash)
                     for n in missing[start:start + BATCH]]
            session.add_all(users)
            session.flush()
            for user in users:
                new_portfolio(owner=user, name="Main", starting_cash=STARTING_CASH)
    return len(missing)


def main() -> None:
    """Seed `--count` accounts and print one line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    started = time.perf_counter()
    with create_app().app_context():
        created = seed(args.count)
    print(f"seed_users count={args.count} created={created} "
          f"seconds={time.perf_counter() - started:.1f}")


if __name__ == "__main__":
    main()
