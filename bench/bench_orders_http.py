"""Market orders through HTTP under gunicorn on PostgreSQL, against two ceilings in the same run.

Run: PYTHONPATH=src .venv/bin/python bench/bench_orders_http.py [--clients 8,32] [--seconds 20]
     [--workers 2] [--threads 8] [--pgbench-seconds 15]

For each client count: creates a PostgreSQL database (INVSIM_TEST_PG_ADMIN, as the tests),
migrates it, starts gunicorn on 127.0.0.1 (loopback only; Redis database 13 as its store),
registers one user and portfolio per client, then runs that many threads, each with its own
keep-alive http.client connection (one light process), placing one-share market orders (buy,
then sell, over a few symbols) for `--seconds`. Every order must answer 201 and fill, and
`invsim ledger verify` must pass afterwards. The gunicorn workers' CPU time (psutil) gives
the CPU per order. Then pgbench drives bench/order_write_set.sql, the same write set as one
PL/pgSQL function, each client on its own portfolio: the physical limit of this workload.
Last, pgbench tpcb-like (scale 10) at the same client counts in a scratch database. Prints one
line: per client count orders/s, p50/p99, CPU per order, both ceilings and both ratios.
"""

from __future__ import annotations

import argparse
import http.client
import json
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
import psycopg
import requests  # only to poll /healthz while gunicorn starts

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


class Client:
    """One keep-alive HTTP/1.1 connection with a bearer token (http.client: a light client)."""

    def __init__(self, base: str) -> None:
        host, port = base.removeprefix("http://").split(":")
        self.connection = http.client.HTTPConnection(host, int(port), timeout=30)
        self.headers = {"Content-Type": "application/json"}

    def post(self, path: str, body: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """POST a JSON body; return the status and the decoded answer."""
        self.connection.request("POST", path, json.dumps(body), self.headers)
        response = self.connection.getresponse()
        return response.status, json.loads(response.read() or b"{}")


def open_account(base: str, n: int) -> tuple[Client, int]:
    """Register a user, open a portfolio with plenty of cash; return a client and its id."""
    client = Client(base)
    name = f"bench{n}{uuid.uuid4().hex[:6]}"
    status, tokens = client.post("/api/v1/auth/register", {
        "email": f"{name}@example.com", "username": name, "password": PASSWORD})
    if status != 201:
        raise SystemExit(f"register answered {status}: {tokens}")
    client.headers["Authorization"] = f"Bearer {tokens['access_token']}"
    status, portfolio = client.post("/api/v1/portfolios",
                                    {"name": "bench", "starting_cash": "10000000"})
    if status != 201:
        raise SystemExit(f"opening a portfolio answered {status}: {portfolio}")
    return client, int(portfolio["id"])


def client_loop(client: Client, portfolio_id: int, stop_at: float,
                latencies: list[float], failures: list[str]) -> None:
    """Place one-share market orders, buy then sell, until `stop_at`; record each latency."""
    path = f"/api/v1/portfolios/{portfolio_id}/orders"
    n = 0
    while time.monotonic() < stop_at:
        symbol = SYMBOLS[(n // 2) % len(SYMBOLS)]
        side = "buy" if n % 2 == 0 else "sell"
        started = time.perf_counter()
        status, answer = client.post(path, {"symbol": symbol, "side": side, "type": "market",
                                            "qty": "1"})
        elapsed = time.perf_counter() - started
        if status != 201 or answer.get("status") != "filled":
            failures.append(f"{status} {str(answer)[:200]}")
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


def wait_until_booted(master: subprocess.Popen[bytes], workers: int) -> None:
    """Wait (at most 180 s) until every worker has loaded the app: all idle for a second.

    /healthz answers as soon as one worker is up; on a busy machine another may still be
    importing the app (seconds of CPU) when the load starts, which would count against
    the orders.
    """
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if len(psutil.Process(master.pid).children()) >= workers:
            before = worker_cpu_seconds(master)
            time.sleep(1)
            if worker_cpu_seconds(master) - before < 0.05:
                return
        else:
            time.sleep(0.5)
    raise SystemExit("the gunicorn workers did not settle within 180 s")


def own_cpu_seconds() -> float:
    """Return the CPU seconds this process (the load generator) used so far."""
    times = os.times()
    return times.user + times.system


def open_accounts(base: str, clients: int) -> list[tuple[Client, int]]:
    """Open one account per client and warm every worker's caches and connections."""
    accounts = [open_account(base, n) for n in range(clients)]
    for client, portfolio_id in accounts:
        client_loop(client, portfolio_id, time.monotonic() + 0.2, [], [])
    return accounts


def run_load(accounts: list[tuple[Client, int]], seconds: float
             ) -> tuple[list[float], list[str], float]:
    """Run one thread per account for `seconds`; return latencies, failures and the wall time."""
    latencies: list[float] = []
    failures: list[str] = []
    stop_at = time.monotonic() + seconds
    threads = [threading.Thread(target=client_loop, args=(c, pid, stop_at, latencies, failures))
               for c, pid in accounts]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, failures, time.perf_counter() - started


def pgbench(url: str, clients: int, seconds: int, *script: str) -> float:
    """Run pgbench (`clients` clients, two threads) for `seconds`; return its TPS."""
    result = subprocess.run(["pgbench", "-n", "-c", str(clients), "-j", "2", "-T", str(seconds),
                             *script, url], check=True, capture_output=True, text=True)
    found = re.search(r"tps = ([0-9.]+)", result.stdout)
    if found is None:
        raise SystemExit(f"pgbench printed no TPS:\n{result.stdout}")
    return float(found.group(1))


def tpcb_tps(counts: list[int], seconds: int) -> dict[int, float]:
    """Run pgbench tpcb-like (scale 10) in a scratch database at each client count."""
    name = f"invsim_pgbench_{uuid.uuid4().hex[:10]}"
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = f"{base}/{name}"
        subprocess.run(["pgbench", "-i", "-s", "10", "-q", url], check=True,
                       capture_output=True)
        return {n: pgbench(url, n, seconds) for n in counts}
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def write_set_tps(database_url: str, portfolio_ids: list[int], seconds: int) -> float:
    """Drive bench/order_write_set.sql with pgbench, each client on its own portfolio (as the
    HTTP clients are); return the function's TPS: the physical limit of the order path."""
    url = database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute((Path(__file__).parent / "order_write_set.sql").read_text())
    first = min(portfolio_ids)
    script = (f"\\set portfolio {first} + :client_id\n"
              "\\set buy random(0, 1)\n"
              f"SELECT bench_order_write_set(:portfolio, '{SYMBOLS[0]}', :buy = 1);\n")
    with tempfile.NamedTemporaryFile("w", suffix=".pgbench", delete=False) as file:
        file.write(script)
    try:
        return pgbench(url, len(portfolio_ids), seconds, "-f", file.name)
    finally:
        os.unlink(file.name)


def percentile(values: list[float], share: float) -> float:
    """Return the `share` percentile (0..1) of the values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


@dataclass(frozen=True)
class Run:
    """What one client count measured."""

    clients: int
    latencies: list[float]
    wall: float
    worker_cpu: float
    client_cpu: float
    write_set_tps: float

    def line(self, tpcb: float) -> str:
        """Return this run's part of the result line."""
        orders = len(self.latencies)
        rate = orders / self.wall
        return (f"[{self.clients} clients] orders={orders} orders_per_s={rate:.0f} "
                f"p50_ms={statistics.median(self.latencies) * 1000:.1f} "
                f"p99_ms={percentile(self.latencies, 0.99) * 1000:.1f} "
                f"worker_cpu_ms_per_order={self.worker_cpu / orders * 1000:.2f} "
                f"client_cpu_ms_per_order={self.client_cpu / orders * 1000:.2f} "
                f"pgbench_tpcb_tps={tpcb:.0f} sql_function_tps={self.write_set_tps:.0f} "
                f"ratio_tpcb={rate / tpcb:.2f} ratio_function={rate / self.write_set_tps:.2f}")


def measure(url: str, base: str, master: subprocess.Popen[bytes], clients: int,
            args: argparse.Namespace) -> Run:
    """Run the HTTP load at one client count, verify the ledger, then the SQL function."""
    wait_until_booted(master, args.workers)
    accounts = open_accounts(base, clients)  # sign-ups and warm-up stay out of the CPU figures
    cpu_before, own_before = worker_cpu_seconds(master), own_cpu_seconds()
    latencies, failures, wall = run_load(accounts, args.seconds)
    portfolio_ids = [portfolio_id for _, portfolio_id in accounts]
    worker_cpu = worker_cpu_seconds(master) - cpu_before
    client_cpu = own_cpu_seconds() - own_before
    if failures:
        raise SystemExit(f"{len(failures)} orders failed, e.g. {failures[0]}")
    verify_ledger(url)  # before the SQL function writes its own (unbalanced) rows
    function = write_set_tps(url, portfolio_ids, args.pgbench_seconds)
    return Run(clients, latencies, wall, worker_cpu, client_cpu, function)


def main() -> None:
    """Run the HTTP load, the SQL function and pgbench at each client count; print one line."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", default="8,32", help="client counts, comma-separated")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2)  # `invsim serve` on 2 cores
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--pgbench-seconds", type=int, default=15)
    args = parser.parse_args()
    counts = [int(n) for n in args.clients.split(",")]
    reason = postgres_reachable()
    if reason:
        raise SystemExit(f"PostgreSQL unreachable: {reason}")
    from invsim.migrations.runner import upgrade

    runs = []
    for clients in counts:  # a fresh database each, so the function's rows never meet verify
        with ExitStack() as stack:
            url = stack.enter_context(temporary_postgres_database())
            upgrade(url)
            base, master = stack.enter_context(gunicorn(url, args.workers, args.threads))
            runs.append(measure(url, base, master, clients, args))
    tpcb = tpcb_tps(counts, args.pgbench_seconds)
    print(f"orders_http workers={args.workers}x{args.threads} "
          + " ".join(run.line(tpcb[run.clients]) for run in runs)
          + f" load1={os.getloadavg()[0]:.1f} (targets at 32 clients: ratio_tpcb >= 0.25, "
          "ratio_function >= 0.5, p99 < 150 ms; at 8: p99 < 50 ms; worker CPU <= 3 ms/order)")


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
