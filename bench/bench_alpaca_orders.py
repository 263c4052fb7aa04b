"""The same market orders through /api/v1 (JWT) and /alpaca/v2 (API key), in one run.

Run: .venv/bin/python bench/bench_alpaca_orders.py [--clients 8] [--seconds 8] [--rounds 3]

Starts gunicorn on a scratch PostgreSQL database (as bench_orders_http.py does), opens
one account per client with a JWT session and an API key of the same portfolio, then
alternates rounds: every client places one-share market orders (buy, then sell) through
one path for `--seconds`, then through the other. Alternating cancels the drift of a
warming machine. Prints one line: orders/s and p50 of each path and alpaca ÷ v1
(the issue's target: the ratio is at least 1.0 within noise).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_orders_http import SYMBOLS, gunicorn, open_account  # noqa: E402
from tests.services import postgres_reachable, temporary_postgres_database  # noqa: E402

Account = tuple[requests.Session, requests.Session, int]


def open_bot(base: str, n: int) -> Account:
    """A JWT session and an API-key session of one portfolio."""
    web, portfolio_id = open_account(base, n)
    key = web.post(f"{base}/api/v1/portfolios/{portfolio_id}/api-keys",
                   json={"name": "bench"}, timeout=30)
    key.raise_for_status()
    bot = requests.Session()
    bot.headers.update({"APCA-API-KEY-ID": key.json()["key_id"],
                        "APCA-API-SECRET-KEY": key.json()["secret"]})
    return web, bot, portfolio_id


def loop(base: str, account: Account, path: str, stop_at: float, latencies: list[float],
         failures: list[str]) -> None:
    """Place orders through one path until `stop_at`."""
    web, bot, portfolio_id = account
    session, url, ok = ((web, f"{base}/api/v1/portfolios/{portfolio_id}/orders", 201)
                        if path == "v1" else (bot, f"{base}/alpaca/v2/orders", 200))
    n = 0
    while time.monotonic() < stop_at:
        body = {"symbol": SYMBOLS[(n // 2) % len(SYMBOLS)], "side": "buy" if n % 2 == 0
                else "sell", "type": "market", "qty": "1", "time_in_force": "day"}
        started = time.perf_counter()
        response = session.post(url, json=body, timeout=30)
        elapsed = time.perf_counter() - started
        if response.status_code != ok or response.json().get("status") != "filled":
            failures.append(f"{path} {response.status_code} {response.text[:200]}")
        else:
            latencies.append(elapsed)
        n += 1


def round_of(base: str, accounts: list[Account], path: str, seconds: float,
             results: dict[str, list[float]], failures: list[str]) -> float:
    """One round through one path; return its wall time."""
    stop_at = time.monotonic() + seconds
    threads = [threading.Thread(target=loop, args=(base, a, path, stop_at, results[path],
                                                   failures)) for a in accounts]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def main() -> None:
    """Run the comparison and print one line."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if postgres_reachable():
        raise SystemExit("PostgreSQL is not reachable")
    results: dict[str, list[float]] = {"v1": [], "alpaca": []}
    walls = {"v1": 0.0, "alpaca": 0.0}
    failures: list[str] = []
    with temporary_postgres_database() as url:
        from invsim.migrations.runner import upgrade

        upgrade(url)
        with gunicorn(url, workers=2, threads=4) as base:
            accounts = [open_bot(base, n) for n in range(args.clients)]
            for path in ("v1", "alpaca"):  # warm both paths
                round_of(base, accounts, path, 1, {"v1": [], "alpaca": []}, [])
            for _ in range(args.rounds):
                for path in ("v1", "alpaca"):
                    walls[path] += round_of(base, accounts, path, args.seconds, results,
                                            failures)
    if failures:
        raise SystemExit(f"{len(failures)} orders failed, first: {failures[0]}")
    rate = {p: len(results[p]) / walls[p] for p in results}
    p50 = {p: statistics.median(results[p]) * 1000 for p in results}
    print(f"bench_alpaca_orders: v1 {rate['v1']:.0f} orders/s p50 {p50['v1']:.1f} ms; "
          f"alpaca {rate['alpaca']:.0f} orders/s p50 {p50['alpaca']:.1f} ms; "
          f"alpaca/v1 {rate['alpaca'] / rate['v1']:.2f} "
          f"({args.clients} clients, {args.rounds}x{args.seconds:.0f} s each, alternating)")


if __name__ == "__main__":
    main()
