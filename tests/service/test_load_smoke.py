"""The load test's scenario still runs: locust plays bench/load/scenario.yml for a few seconds.

A real `invsim run` (SQLite, in-process market ticks, the stream on the same server) with a
few accounts from bench/load/seed_users.py; bench/load/locustfile.py interprets the same
scenario file Artillery runs. Every request of the scenario must run and answer below 400,
every function step must run, the quote stream must open and deliver, and each function
the scenario names must exist in processor.js (Artillery) and in the locust twin.
"""

from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
LOAD = ROOT / "bench" / "load"
USERS = 4


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"invsim run exited with {process.returncode}"
        try:
            with urllib.request.urlopen(f"{url}/readyz", timeout=2):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("invsim run did not become ready")


@pytest.fixture()
def server(sqlite_url: str, tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """`invsim run` on a copy of the migrated SQLite database, with USERS seeded accounts."""
    database = tmp_path / "load.sqlite3"
    with sqlite3.connect(sqlite_url.removeprefix("sqlite:///")) as source, \
            sqlite3.connect(database) as copy:
        source.backup(copy)  # migrated already: the server starts without migrating
    port = _free_port()
    env = {**os.environ, "VAR_DIR": str(tmp_path), "PORT": str(port), "HOST": "127.0.0.1",
           "DATABASE_URL": f"sqlite:///{database}", "ARGON2_TIME_COST": "1",
           "ARGON2_MEMORY_KIB": "1024", "RATE_LIMITS_ENABLED": "false",
           "MARKET_TICK_SECONDS": "1", "LOG_LEVEL": "WARNING"}
    for name in ("REDIS_URL", "INVSIM_MODE"):
        env.pop(name, None)
    # Seeding first also writes the keys and keyring the server then reads from VAR_DIR.
    subprocess.run([sys.executable, str(LOAD / "seed_users.py"), "--count", str(USERS)],
                   env=env, cwd=ROOT, check=True, capture_output=True, timeout=60)
    with open(tmp_path / "server.log", "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "invsim", "run"], env=env, cwd=ROOT,
                                   stdout=log, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_until_ready(url, process)
            yield url, env
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)


def _scenario() -> dict[str, Any]:
    return dict(yaml.safe_load((LOAD / "scenario.yml").read_text())["scenarios"][0])


def _steps(steps: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for step in steps:
        yield step
        yield from _steps(step.get("loop", []))


def _request_names(scenario: dict[str, Any]) -> set[str]:
    return {spec["name"] for step in _steps(scenario["flow"])
            for method, spec in step.items() if method in ("get", "post", "delete")}


def _function_names(scenario: dict[str, Any]) -> set[str]:
    names = {scenario["beforeRequest"]}
    for step in _steps(scenario["flow"]):
        names.update(value for key, value in step.items() if key in ("function", "whileTrue"))
    return names


def test_every_function_of_the_scenario_exists_for_artillery_and_for_locust():
    exported = re.search(r"module\.exports = \{([^}]*)\}", (LOAD / "processor.js").read_text())
    assert exported is not None
    in_processor = {name.strip() for name in exported.group(1).split(",")}
    in_locust = set(re.findall(r"def fn_(\w+)\(", (LOAD / "locustfile.py").read_text()))
    needed = _function_names(_scenario())
    assert needed <= in_processor and needed <= in_locust


def test_locust_plays_the_scenario_without_a_failure(server, tmp_path):
    url, env = server
    out = tmp_path / "locust.json"
    done = subprocess.run([sys.executable, str(LOAD / "locustfile.py"), "--host", url,
                           "--users", str(USERS), "--seconds", "6", "--out", str(out)],
                          env={**env, "USER_COUNT": str(USERS), "THINK_SCALE": "0.02",
                               "STREAM_URL": url},
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(out.read_text())
    scenario = _scenario()
    assert result["errors"] == []
    ran = {name: figures["count"] for name, figures in result["requests"].items()}
    assert {name for name in _request_names(scenario) if ran.get(name, 0) < 1} == set()
    assert sum(figures["failures"] for figures in result["requests"].values()) == 0
    assert set(result["functions"]) == _function_names(scenario)
    stream = result["stream"]
    assert stream["errors"] == 0 and stream["opened"] >= 1 and stream["completed"] >= 1
    assert stream["events"] >= stream["completed"]
