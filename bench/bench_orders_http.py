"""Market orders through HTTP under gunicorn on PostgreSQL, against pgbench as the ceiling.

Run: PYTHONPATH=src .venv/bin/python bench/bench_orders_http.py [--clients 32] [--seconds 20]
     [--workers 2] [--threads 8] [--pgbench-seconds 15]

Creates a PostgreSQL database (INVSIM_TEST_PG_ADMIN, as the tests), migrates it, starts
gunicorn on 127.0.0.1 (loopback only) with the app, registers one user and portfolio
per client, then runs `--clients` threads that place one-share market orders (buy,
then sell, over a few symbols, so positions stay small) for `--seconds`, each with its
own keep-alive connection. Every order must answer 201 and fill. Then `pgbench -i -s 10`
into a second scratch database and `pgbench` tpcb-like with 8 clients for
`--pgbench-seconds`. Both databases are dropped at the end. Prints one line: orders/s,
p50/p99 latency, pgbench TPS and orders/s ÷ TPS (targets: ratio >= 0.5, p99 < 50 ms).
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import psutil
import psycopg
import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.services import PG_ADMIN_URL, postgres_reachable, temporary_postgres_database  # noqa: E402

SYMBOLS = ("AAPL", "MSFT", "KO", "JPM")
# The app's own Redis database for the bench (revocations and caches shared by the workers,
# as in production); the tests use others.
REDIS_URL = os.environ.get("INVSIM_BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
PASSWORD = "correct-horse-battery-42"


def free_port() -> int:
    """Return a free TCP port on the loopback interface."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn(database_url: str, workers: int, threads: int
             ) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Run gunicorn with the app on a loopback port; yield its base URL and the master."""
    port = free_port()
    var_dir = tempfile.mkdtemp(prefix="invsim-bench-")
    env = {**os.environ, "DATABASE_URL": database_url, "VAR_DIR": var_dir,
           "SECRET_KEY": "bench-secret-key-" + "x" * 40, "RATE_LIMITS_ENABLED": "false",
           "SCHEDULER_ENABLED": "false", "LOG_LEVEL": "WARNING", "ARGON2_TIME_COST": "1",
           "ARGON2_MEMORY_KIB": "1024", "PROMETHEUS_MULTIPROC_DIR": var_dir,
           "REDIS_URL": REDIS_URL}
    command = [str(Path(sys.executable).parent / "gunicorn"), "invsim.wsgi:app",
               "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
               "--worker-class", "gthread", "--threads", str(threads),
               "--keep-alive", "30", "--log-level", "warning",
               "--config", "python:invsim.gunicorn_conf"]
    process = subprocess.Popen(command, env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process)
        yield base, process
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    """Wait for the app's health endpoint to answer (at most 60 s)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited during start")
        try:
            if requests.get(f"{base}/healthz", timeout=1).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within 60 s")


def open_account(base: str, n: int) -> tuple[requests.Session, int]:
    """Register a user, open a portfolio with plenty of cash; return a session and its id."""
    session = requests.Session()
    name = f"bench{n}{uuid.uuid4().hex[:6]}"
    tokens = session.post(f"{base}/api/v1/auth/register", json={
        "email": f"{name}@example.com", "username": name, "password": PASSWORD}, timeout=30)
    tokens.raise_for_status()
    session.headers["Authorization"] = f"Bearer {tokens.json()['access_token']}"
    portfolio = session.post(f"{base}/api/v1/portfolios",
                             json={"name": "bench", "starting_cash": "10000000"}, timeout=30)
    portfolio.raise_for_status()
    return session, int(portfolio.json()["id"])


def client_loop(base: str, session: requests.Session, portfolio_id: int, stop_at: float,
                latencies: list[float], failures: list[str]) -> None:
    """Place one-share market orders, buy then sell, until `stop_at`; record each latency."""
    url = f"{base}/api/v1/portfolios/{portfolio_id}/orders"
    n = 0
    while time.monotonic() < stop_at:
        symbol = SYMBOLS[(n // 2) % len(SYMBOLS)]
        side = "buy" if n % 2 == 0 else "sell"
        started = time.perf_counter()
        response = session.post(url, json={"symbol": symbol, "side": side, "type": "market",
                                           "qty": "1"}, timeout=30)
        elapsed = time.perf_counter() - started
        if response.status_code != 201 or response.json().get("status") != "filled":
            failures.append(f"{response.status_code} {response.text[:200]}")
        else:
            latencies.append(elapsed)
        n += 1


def worker_cpu_seconds(master: subprocess.Popen[bytes]) -> float:
    """Return the user+system CPU seconds the gunicorn workers (the master's children) used."""
    total = 0.0
    for worker in psutil.Process(master.pid).children(recursive=True):
        times = worker.cpu_times()
        total += times.user + times.system
    return total


def own_cpu_seconds() -> float:
    """Return the CPU seconds this process (the load generator) used so far."""
    times = os.times()
    return times.user + times.system


def run_load(base: str, clients: int, seconds: float
             ) -> tuple[list[float], list[str], float]:
    """Run `clients` threads for `seconds`; return latencies, failures and the wall time."""
    accounts = [open_account(base, n) for n in range(clients)]
    for session, portfolio_id in accounts:  # warm each worker's caches and connections
        client_loop(base, session, portfolio_id, time.monotonic() + 0.05, [], [])
    latencies: list[float] = []
    failures: list[str] = []
    stop_at = time.monotonic() + seconds
    threads = [threading.Thread(target=client_loop,
                                args=(base, s, pid, stop_at, latencies, failures))
               for s, pid in accounts]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, failures, time.perf_counter() - started


def pgbench_tps(seconds: int) -> float:
    """Run pgbench tpcb-like (scale 10, 8 clients) in a scratch database; return its TPS."""
    name = f"invsim_pgbench_{uuid.uuid4().hex[:10]}"
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = f"{base}/{name}"
        subprocess.run(["pgbench", "-i", "-s", "10", "-q", url], check=True,
                       capture_output=True)
        result = subprocess.run(["pgbench", "-c", "8", "-j", "2", "-T", str(seconds), url],
                                check=True, capture_output=True, text=True)
        found = re.search(r"tps = ([0-9.]+)", result.stdout)
        if found is None:
            raise SystemExit(f"pgbench printed no TPS:\n{result.stdout}")
        return float(found.group(1))
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def percentile(values: list[float], share: float) -> float:
    """Return the `share` percentile (0..1) of the values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    """Run the HTTP load, then pgbench, and print the one-line comparison."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2)  # `invsim serve` on 2 cores
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--pgbench-seconds", type=int, default=15)
    args = parser.parse_args()
    reason = postgres_reachable()
    if reason:
        raise SystemExit(f"PostgreSQL unreachable: {reason}")
    from invsim.migrations.runner import upgrade

    with ExitStack() as stack:
        url = stack.enter_context(temporary_postgres_database())
        upgrade(url)
        base, master = stack.enter_context(gunicorn(url, args.workers, args.threads))
        cpu_before, own_before = worker_cpu_seconds(master), own_cpu_seconds()
        latencies, failures, wall = run_load(base, args.clients, args.seconds)
        worker_cpu = worker_cpu_seconds(master) - cpu_before
        client_cpu = own_cpu_seconds() - own_before
        verify_ledger(url)
    if failures:
        raise SystemExit(f"{len(failures)} orders failed, e.g. {failures[0]}")
    tps = pgbench_tps(args.pgbench_seconds)
    rate = len(latencies) / wall
    orders = len(latencies)
    print(f"orders_http clients={args.clients} workers={args.workers}x{args.threads} "
          f"orders={orders} orders_per_s={rate:.0f} "
          f"p50_ms={statistics.median(latencies) * 1000:.1f} "
          f"p99_ms={percentile(latencies, 0.99) * 1000:.1f} "
          f"worker_cpu_ms_per_order={worker_cpu / orders * 1000:.2f} "
          f"client_cpu_ms_per_order={client_cpu / orders * 1000:.2f} "
          f"pgbench_tps={tps:.0f} ratio={rate / tps:.2f} "
          f"load1={os.getloadavg()[0]:.1f} (targets: ratio >= 0.25, p99 < 50 ms at 8 clients "
          f"and < 150 ms at 32, worker CPU <= 3 ms/order)")


def verify_ledger(database_url: str) -> None:
    """Run `invsim ledger verify` on the bench database; stop when it finds a difference."""
    env = {**os.environ, "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING",
           "SECRET_KEY": "bench-secret-key-" + "x" * 40, "SCHEDULER_ENABLED": "false"}
    result = subprocess.run([str(Path(sys.executable).parent / "invsim"), "ledger", "verify"],
                            env=env, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"invsim ledger verify failed:\n{result.stdout}{result.stderr}")


if __name__ == "__main__":
    main()
