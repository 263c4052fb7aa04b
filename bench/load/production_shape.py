"""Start invsim's production shape on this machine, all on loopback, and stop it again.

One fresh PostgreSQL database (created and dropped as the tests do, tests/services.py),
Redis on its own database number (INVSIM_LOAD_REDIS_URL, default db 11, flushed first),
then the processes of docs/ARCHITECTURE.md's production column:

- web: `invsim serve` (gunicorn gthread, WEB_WORKERS x 8 threads, access log to a file)
- stream: `gunicorn -k gevent --worker-connections 2000 invsim.market.stream:app`
- jobs: `invsim worker` (Celery) and `invsim beat`

The app runs in production mode with production argon2 cost. Rate limits are off: every
virtual user comes from 127.0.0.1, and the per-address limits would refuse them all.
Logs of each process land in the run directory.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.services import postgres_reachable, temporary_postgres_database  # noqa: E402

VENV_BIN = Path(sys.executable).parent
REDIS_URL = os.environ.get("INVSIM_LOAD_REDIS_URL", "redis://127.0.0.1:6379/11")


def free_port() -> int:
    """Return a free TCP port on the loopback interface."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Shape:
    """The running stack: where to reach it, its environment and its processes."""

    web_url: str
    stream_url: str
    env: dict[str, str]
    run_dir: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run a command with the stack's environment; exit with its output if it fails."""
        done = subprocess.run(command, env=self.env, cwd=self.run_dir, capture_output=True,
                              text=True, check=False)
        if check and done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} exited with {done.returncode}:\n"
                             f"{done.stdout[-2000:]}{done.stderr[-2000:]}")
        return done

    def invsim(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run an `invsim` command against this stack."""
        return self.run(str(VENV_BIN / "invsim"), *args, check=check)


def app_environment(database_url: str, run_dir: Path, web_port: int,
                    web_workers: int) -> dict[str, str]:
    """The production settings of every process of the stack."""
    return {
        **os.environ,
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        # this checkout's code, whatever the venv has installed, from any working directory
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"),
                                                    os.environ.get("PYTHONPATH", "")])),
        "INVSIM_MODE": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "BLIND_INDEX_KEY": secrets.token_urlsafe(48),
        "KEY_PROVIDER": "local",
        "ALLOW_LOCAL_KEYS_IN_PRODUCTION": "true",
        "LOCAL_KEYRING": str(run_dir / "keyring.json"),
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "VAR_DIR": str(run_dir),
        "HOST": "127.0.0.1",
        "PORT": str(web_port),
        "WEB_WORKERS": str(web_workers),
        "RATE_LIMITS_ENABLED": "false",
        "LOG_LEVEL": "WARNING",
        "PROMETHEUS_MULTIPROC_DIR": str(run_dir / "metrics"),
    }


def wait_for(url: str, processes: dict[str, subprocess.Popen[bytes]], seconds: float = 90) -> None:
    """Wait until `url` answers 200, failing early when a process of the stack died."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for name, process in processes.items():
            if process.poll() is not None:
                raise SystemExit(f"{name} exited with {process.returncode} during start")
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - loopback
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {seconds:.0f} s")


def stop(processes: dict[str, subprocess.Popen[bytes]]) -> None:
    """SIGTERM every process we started, then kill those still running after 30 s."""
    for process in processes.values():
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 30
    for process in processes.values():
        try:
            process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def _start(shape: Shape, name: str, command: list[str]) -> None:
    log = open(shape.run_dir / f"{name}.log", "wb")  # noqa: SIM115 - the process owns it
    shape.processes[name] = subprocess.Popen(command, env=shape.env, cwd=shape.run_dir,
                                             stdout=log, stderr=subprocess.STDOUT)


def start_processes(shape: Shape, stream_port: int, worker_concurrency: int) -> None:
    """Start web, stream, Celery worker and beat; wait for web and stream to answer."""
    _start(shape, "web", [str(VENV_BIN / "invsim"), "serve",
                          "--access-logfile", str(shape.run_dir / "access.log")])
    _start(shape, "stream", [str(VENV_BIN / "gunicorn"), "-k", "gevent",
                             "--worker-connections", "2000", "-w", "1",
                             "-b", f"127.0.0.1:{stream_port}", "--timeout", "0",
                             "--log-level", "warning", "invsim.market.stream:app"])
    _start(shape, "worker", [str(VENV_BIN / "invsim"), "worker", "--loglevel", "WARNING",
                             "--concurrency", str(worker_concurrency)])
    _start(shape, "beat", [str(VENV_BIN / "invsim"), "beat", "--loglevel", "WARNING",
                           "--schedule", str(shape.run_dir / "celerybeat-schedule")])
    wait_for(f"{shape.web_url}/readyz", shape.processes)
    wait_for(f"{shape.stream_url}/api/v1/market/clock", shape.processes)


@contextmanager
def production_shape(run_dir: Path, *, users: int, web_workers: int = 2,
                     worker_concurrency: int = 2) -> Iterator[Shape]:
    """Create the database, migrate and seed it, start the stack; stop it, drop the database.

    Seeding runs before the processes start: it also creates the keyring they all share.
    """
    reason = postgres_reachable()
    if reason:
        raise SystemExit(f"PostgreSQL unreachable: {reason}")
    import redis

    redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).flushdb()
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "metrics").mkdir(exist_ok=True)
    web_port, stream_port = free_port(), free_port()
    with ExitStack() as stack:
        database_url = stack.enter_context(temporary_postgres_database())
        shape = Shape(web_url=f"http://127.0.0.1:{web_port}",
                      stream_url=f"http://127.0.0.1:{stream_port}",
                      env=app_environment(database_url, run_dir, web_port, web_workers),
                      run_dir=run_dir)
        shape.invsim("db", "upgrade")
        seeded = shape.run(sys.executable, str(ROOT / "bench" / "load" / "seed_users.py"),
                           "--count", str(users))
        print(seeded.stdout.strip(), flush=True)
        stack.callback(stop, shape.processes)
        start_processes(shape, stream_port, worker_concurrency)
        yield shape
