"""CPU each request of the load scenario costs the web process, one request at a time.

Run: .venv/bin/python bench/load/endpoint_cpu.py [--repeat 40]

The app in this process (Flask test client, no HTTP server, no other thread) on a fresh
PostgreSQL database with production argon2 cost, one seeded account per repeat; every
request of scenario.yml is made `--repeat` times and the process CPU time it took is
averaged (the PostgreSQL server's own work is not in it). Divides two cores by the
scenario's mix to say how many requests a second, and so how many users, the web tier
could serve at most on this machine with nothing else running. Prints one line per
endpoint, then the ceiling.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.services import temporary_postgres_database  # noqa: E402

THINK_SECONDS_PER_LOOP = 17.0  # scenario.yml: five 3 s thinks and one 2 s
CORES = os.cpu_count() or 2


def measure(client: Any, repeat: int, password: str) -> dict[str, float]:
    """Average CPU ms per request name over `repeat` users."""
    spent: dict[str, float] = {}

    def timed(name: str, method: str, url: str, **kwargs: Any) -> Any:
        started = time.process_time()
        response = client.open(url, method=method, **kwargs)
        spent[name] = spent.get(name, 0.0) + time.process_time() - started
        assert response.status_code < 400, (name, response.status_code, response.get_data())
        return response.get_json()

    for n in range(1, repeat + 1):
        token = timed("POST /auth/login", "POST", "/api/v1/auth/login",
                      json={"login": f"loaduser{n}", "password": password})["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        pid = timed("GET /portfolios", "GET", "/api/v1/portfolios", headers=auth)["items"][0]["id"]
        timed("GET /market/quotes", "GET", "/api/v1/market/quotes?symbols=AAPL,MSFT,NVDA,GOOGL,AMZN",
              headers=auth)
        timed("GET /portfolios/{id}", "GET", f"/api/v1/portfolios/{pid}", headers=auth)
        timed("GET /portfolios/{id}/history", "GET", f"/api/v1/portfolios/{pid}/history",
              headers=auth)
        timed("POST /portfolios/{id}/orders market", "POST", f"/api/v1/portfolios/{pid}/orders",
              headers=auth, json={"symbol": "AAPL", "side": "buy", "type": "market", "qty": "1"})
        order = timed("POST /portfolios/{id}/orders limit", "POST",
                      f"/api/v1/portfolios/{pid}/orders", headers=auth,
                      json={"symbol": "AAPL", "side": "buy", "type": "limit",
                            "time_in_force": "gtc", "qty": "1", "limit_price": "1.00"})
        timed("DELETE /orders/{id}", "DELETE", f"/api/v1/orders/{order['id']}", headers=auth)
        timed("GET /leaderboard", "GET", "/api/v1/leaderboard", headers=auth)
    return {name: 1000 * seconds / repeat for name, seconds in spent.items()}


def main() -> None:
    """Seed, warm up, measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    from invsim.app import create_app
    from invsim.migrations.runner import upgrade

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from seed_users import PASSWORD, seed

    with temporary_postgres_database() as url, tempfile.TemporaryDirectory() as var_dir:
        upgrade(url)
        app = create_app(database_url=url, var_dir=Path(var_dir), rate_limits_enabled=False,
                         scheduler_enabled=False, log_level="WARNING",
                         secret_key=secrets.token_urlsafe(48),
                         blind_index_key=secrets.token_urlsafe(48))
        with app.app_context():
            seed(args.repeat + 5)
            client = app.test_client()
            measure(client, 3, PASSWORD)  # warm caches, histories and connections
            costs = measure(client, args.repeat, PASSWORD)
    for name, ms in costs.items():
        print(f"{name:<40} cpu_ms={ms:6.1f}")
    loop = {name: ms for name, ms in costs.items()
            if name not in ("POST /auth/login", "GET /portfolios")}
    loop_ms = sum(loop.values())
    per_user = len(loop) / (THINK_SECONDS_PER_LOOP + len(loop) * 0.05)
    ceiling = CORES * 1000 / (loop_ms / len(loop))
    print(f"endpoint_cpu loop_requests={len(loop)} loop_cpu_ms={loop_ms:.1f} "
          f"mean_cpu_ms={loop_ms / len(loop):.1f} sign_in_cpu_ms={costs['POST /auth/login']:.1f} "
          f"web_ceiling_rps={ceiling:.0f} (all {CORES} cores) "
          f"users_at_ceiling={ceiling / per_user:.0f} (one user ~{per_user:.2f} req/s)")


if __name__ == "__main__":
    main()
