"""`invsim run` stops cleanly on SIGTERM (docker stop, systemd), as a real process."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"invsim run exited with {process.returncode}"
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("invsim run did not come up")


def test_invsim_run_exits_within_seconds_of_sigterm(tmp_path: Path):
    port = free_port()
    env = {**os.environ, "VAR_DIR": str(tmp_path), "PORT": str(port), "HOST": "127.0.0.1",
           "LOG_LEVEL": "WARNING", "MARKET_TICK_SECONDS": "1"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    with open(tmp_path / "server.log", "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "invsim", "run"], env=env,
                                   stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until_up(f"http://127.0.0.1:{port}", process)
            process.send_signal(signal.SIGTERM)
            started = time.monotonic()
            code = process.wait(15)
            assert code == 0
            assert time.monotonic() - started < 5
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(5)
