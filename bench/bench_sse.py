"""1,000 concurrent SSE subscribers on one stream process: tick delivery latency and memory.

Run: .venv/bin/python bench/bench_sse.py   (prints one line; needs Redis, loopback only)

Starts `gunicorn -k gevent invsim.market.stream:app` (one worker) on 127.0.0.1 with a
throw-away SQLite database and Redis (INVSIM_BENCH_REDIS_URL, default db 14), opens 1,000
streams from gevent greenlets in this script, publishes ticks on the "quotes" channel the
way the tick job does, and measures publish-to-receive latency. Bounded in count and time;
stops the stream process it started.
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import json  # noqa: E402 - gevent must patch the standard library first
import os  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
import psutil  # noqa: E402

CLIENTS = 1000
TICKS = 20
TICK_GAP_SECONDS = 0.25
DEADLINE_SECONDS = 120.0
HOST = "127.0.0.1"
SYMBOLS = ("AAPL", "MSFT", "SPY")
REDIS_URL = os.environ.get("INVSIM_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
VENV_BIN = Path(sys.executable).parent


class Subscriber:
    """One SSE client: counts the snapshot and records when each bench tick arrives."""

    def __init__(self, port: int, symbols: str) -> None:
        self.port, self.symbols = port, symbols
        self.snapshot = 0
        self.latencies: list[float] = []
        self.error = ""

    def run(self) -> None:
        """Connect, then read events until the socket closes."""
        try:
            with socket.create_connection((HOST, self.port), timeout=DEADLINE_SECONDS) as conn:
                request = (f"GET /api/v1/market/stream?symbols={self.symbols} HTTP/1.0\r\n"
                           f"Host: {HOST}\r\nAccept: text/event-stream\r\n\r\n")
                conn.sendall(request.encode())
                self._read(conn)
        except OSError as error:
            self.error = str(error) or type(error).__name__

    def _read(self, conn: socket.socket) -> None:
        buffer = b""
        while True:
            data = conn.recv(65536)
            if not data:
                return
            buffer += data
            *events, buffer = buffer.split(b"\n\n")
            for event in events:
                self._handle(event, time.time())

    def _handle(self, event: bytes, received: float) -> None:
        for line in event.split(b"\n"):
            if line.startswith(b"data: "):
                payload = json.loads(line[6:])
                if "bench_sent" in payload:
                    self.latencies.append(received - payload["bench_sent"])
                else:
                    self.snapshot += 1


def free_port() -> int:
    """Pick a free loopback port."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def start_stream_process(tmp: str, port: int) -> subprocess.Popen[bytes]:
    """Migrate a throw-away database and start the gevent stream process."""
    url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": REDIS_URL, "VAR_DIR": tmp,
           "SECRET_KEY": "s" * 48, "RATE_LIMITS_ENABLED": "false", "SCHEDULER_ENABLED": "false",
           "LOG_LEVEL": "WARNING"}
    subprocess.run([str(VENV_BIN / "invsim"), "db", "upgrade"], env=env, cwd=tmp, check=True,
                   capture_output=True)
    command = [str(VENV_BIN / "gunicorn"), "-k", "gevent", "--worker-connections", "2000",
               "-w", "1", "-b", f"{HOST}:{port}", "--timeout", "120", "--log-level", "warning",
               "invsim.market.stream:app"]
    return subprocess.Popen(command, env=env, cwd=tmp)


def wait_until_serving(port: int) -> None:
    """Poll the stream process until it answers (it builds the app on first request)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=5) as conn:
                conn.sendall(b"GET /api/v1/market/clock HTTP/1.0\r\nHost: x\r\n\r\n")
                if conn.recv(64).split(b"\r\n", 1)[0].endswith(b" 200 OK"):
                    return
        except OSError:
            pass
        gevent.sleep(0.2)
    raise SystemExit("bench_sse: the stream process did not start")


def rss_mib(process: subprocess.Popen[bytes]) -> float:
    """Return the resident memory of the stream process and its workers, in MiB."""
    parent = psutil.Process(process.pid)
    members = [parent, *parent.children(recursive=True)]
    return sum(member.memory_info().rss for member in members) / 2**20


def publish_ticks(redis_client: object) -> None:
    """Publish TICKS quotes per symbol, stamped with their send time."""
    for number in range(TICKS):
        for symbol in SYMBOLS:
            message = {"symbol": symbol, "last": f"{100 + number}.00", "bench_sent": time.time()}
            redis_client.publish("quotes", json.dumps(message))  # type: ignore[attr-defined]
        gevent.sleep(TICK_GAP_SECONDS)


def main() -> None:
    """Run the benchmark and print one line."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except Exception as error:
        print(f"bench_sse: skipped, Redis unreachable at {REDIS_URL}: {error}")
        return
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        process = start_stream_process(tmp, port)
        try:
            report(client, process, port)
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()


def report(client: object, process: subprocess.Popen[bytes], port: int) -> None:
    """Connect the subscribers, publish, and print the figures."""
    wait_until_serving(port)
    idle_rss = rss_mib(process)
    subscribers = [Subscriber(port, ",".join(SYMBOLS)) for _ in range(CLIENTS)]
    greenlets = [gevent.spawn(s.run) for s in subscribers]
    started = time.monotonic()
    while sum(s.snapshot >= len(SYMBOLS) for s in subscribers) < CLIENTS:
        if time.monotonic() - started > 60 or all(g.dead for g in greenlets):
            break
        gevent.sleep(0.1)
    connect_seconds = time.monotonic() - started
    gevent.sleep(0.5)  # let the hub's subscription settle
    publish_ticks(client)
    gevent.sleep(2.0)
    busy_rss = rss_mib(process)
    gevent.killall(greenlets, timeout=5)
    latencies = sorted(x * 1000 for s in subscribers for x in s.latencies)
    expected = CLIENTS * TICKS * len(SYMBOLS)
    connected = sum(s.snapshot >= len(SYMBOLS) for s in subscribers)
    errors = sum(bool(s.error) for s in subscribers)
    if not latencies:
        print(f"bench_sse: no tick delivered ({connected} connected, {errors} errors)")
        return
    cuts = statistics.quantiles(latencies, n=100)
    print(f"SSE: {connected}/{CLIENTS} streams connected in {connect_seconds:.1f} s, "
          f"{len(latencies)}/{expected} ticks delivered, latency p50={cuts[49]:.1f} ms "
          f"p99={cuts[98]:.1f} ms max={latencies[-1]:.1f} ms; stream process RSS "
          f"{idle_rss:.0f} MiB idle -> {busy_rss:.0f} MiB with {connected} streams "
          f"(gunicorn -k gevent, 1 worker, Redis pub/sub)")


if __name__ == "__main__":
    gevent.with_timeout(DEADLINE_SECONDS + 60, main)
