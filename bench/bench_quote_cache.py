"""Batch quote of 100 symbols served from the quote cache, in process.

Run: .venv/bin/python bench/bench_quote_cache.py   (prints one line; target p99 < 10 ms)

The clock is frozen so every call after the warm-up is a cache hit; with Redis reachable
(INVSIM_BENCH_REDIS_URL, default redis://127.0.0.1:6379/14) the Redis cache is measured too.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

CALLS = 2000
TARGET_MS = 10.0
NOW = datetime(2026, 11, 24, 17, 0, 7, tzinfo=UTC)
REDIS_URL = os.environ.get("INVSIM_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")


def measure(app: object, symbols: list[str]) -> tuple[float, float]:
    """Return p50 and p99 in milliseconds of get_quotes(symbols) from a warm cache."""
    from invsim.market.service import get_quotes

    with app.app_context():  # type: ignore[attr-defined]
        assert len(get_quotes(symbols)) == len(symbols)  # warm the cache
        samples = []
        for _ in range(CALLS):
            started = time.perf_counter()
            get_quotes(symbols)
            samples.append((time.perf_counter() - started) * 1000)
    cuts = statistics.quantiles(samples, n=100)
    return cuts[49], cuts[98]


def redis_reachable() -> bool:
    """Tell whether the benchmark's Redis answers."""
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


def main() -> None:
    """Measure the in-process store, then Redis when reachable; print one line."""
    from invsim.app import create_app
    from invsim.core.clock import set_clock
    from invsim.market.universe import load_universe
    from invsim.migrations.runner import upgrade

    set_clock(lambda: NOW)
    symbols = load_universe().symbols()[:100]
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        upgrade(url)
        base = {"database_url": url, "var_dir": tmp, "secret_key": "b" * 40,
                "scheduler_enabled": False, "log_level": "WARNING"}
        results = [("memory", *measure(create_app(**base), symbols))]
        if redis_reachable():
            results.append(("redis", *measure(create_app(**base, redis_url=REDIS_URL), symbols)))
    verdict = "OK" if all(p99 < TARGET_MS for _, _, p99 in results) else "SLOW"
    figures = "; ".join(f"{name} p50={p50:.2f} ms p99={p99:.2f} ms" for name, p50, p99 in results)
    print(f"quote cache, batch of 100 symbols x {CALLS} calls: {figures} "
          f"(target p99 < {TARGET_MS:.0f} ms) {verdict}")


if __name__ == "__main__":
    main()
