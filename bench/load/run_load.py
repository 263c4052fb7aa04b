"""Run the Artillery scenario against invsim's production shape, summarise, verify the ledger.

Run: bash bench/load/run_artillery.sh [--environment trial|mid|full] [--web-workers 2]
     (the script installs Artillery from bench/load/package.json, then runs this file)

Starts the stack of production_shape.py (fresh PostgreSQL database, Redis db 11, gunicorn,
the gevent stream process, a Celery worker and beat), seeds one account per virtual user,
runs `artillery run --environment ENV scenario.yml` (bounded by a timeout: Artillery can
be slow to exit), samples CPU per process group and PostgreSQL's session states while it
runs, prints summarize.py's table, then runs `invsim ledger verify` and stops everything.
The report, the samples and every process's log stay in artifacts/load/<env>-<time>/.
The last line is the one-line result.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

import psutil
import psycopg
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from production_shape import ROOT, Shape, production_shape  # noqa: E402
from summarize import held_and_broken, summary, windows  # noqa: E402

HERE = Path(__file__).resolve().parent
ARTILLERY = HERE / "node_modules" / ".bin" / "artillery"
SAMPLE_SECONDS = 5.0


def environment_of(name: str) -> dict[str, int]:
    """Users and seconds of one environment of scenario.yml."""
    config = yaml.safe_load((HERE / "scenario.yml").read_text())["config"]["environments"][name]
    phases = config["phases"]
    return {"users": sum(int(phase.get("arrivalCount", 0)) for phase in phases),
            "seconds": sum(int(phase.get("duration", phase.get("pause", 0))) for phase in phases)}


def process_group(process: psutil.Process, shape: Shape) -> str:
    """Which part of the stack (or of the machine) a process belongs to."""
    ours = {name: proc.pid for name, proc in shape.processes.items()}
    try:
        lineage = [process.pid] + [parent.pid for parent in process.parents()]
        for name, pid in ours.items():
            if pid in lineage:
                return name
        command = " ".join(process.cmdline()[:3])
    except psutil.Error:
        return "gone"
    if process.name().startswith("postgres"):
        return "postgres (all databases)"
    if "artillery" in command or process.name() == "node" and str(HERE) in command:
        return "artillery"
    if process.name().startswith("redis"):
        return "redis"
    return "other"


def _busy_seconds() -> float:
    """CPU seconds all cores spent running something since boot (guest time is in user)."""
    times = psutil.cpu_times()
    return float(times.user + times.nice + times.system + getattr(times, "irq", 0.0)
                 + getattr(times, "softirq", 0.0))


class Sampler(threading.Thread):
    """Every few seconds: CPU % per process group, load average, PostgreSQL session states."""

    def __init__(self, shape: Shape, out: Path) -> None:
        super().__init__(name="load-sampler", daemon=True)
        self.shape, self.out = shape, out
        self.stopped = threading.Event()
        self.samples: list[dict[str, float]] = []
        self.idle_in_transaction: Counter[str] = Counter()  # last statement of such sessions

    def run(self) -> None:
        """Sample until stopped; write every sample to a JSON lines file."""
        url = self.shape.env["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
        previous, busy_before, at = self._cpu_times(), _busy_seconds(), time.monotonic()
        with psycopg.connect(url, autocommit=True) as probe, self.out.open("w") as out:
            while not self.stopped.wait(SAMPLE_SECONDS):
                current, busy, now = self._cpu_times(), _busy_seconds(), time.monotonic()
                elapsed, at = now - at, now
                sample: dict[str, float] = {"t": time.time(), "load1": os.getloadavg()[0]}
                for group, seconds in current.items():
                    if group not in ("other", "gone"):
                        used = seconds - previous.get(group, seconds)
                        sample[f"cpu.{group}"] = round(100 * max(0.0, used) / elapsed, 1)
                # Short-lived processes escape per-process sampling: the rest of the machine
                # is the whole machine's busy time less the groups above.
                machine = 100 * (busy - busy_before) / elapsed
                sample["cpu.machine (all cores)"] = round(machine, 1)
                sample["cpu.rest of the machine"] = round(max(0.0, machine - sum(
                    value for key, value in sample.items()
                    if key.startswith("cpu.") and key != "cpu.machine (all cores)")), 1)
                previous, busy_before = current, busy
                for state, count in probe.execute(
                        "SELECT coalesce(state, 'none'), count(*) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                        "GROUP BY 1").fetchall():
                    sample[f"pg.{state}"] = float(count)
                for (query,) in probe.execute(
                        "SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 70) "
                        "FROM pg_stat_activity WHERE datname = current_database() "
                        "AND state LIKE 'idle in transaction%'").fetchall():
                    self.idle_in_transaction[query] += 1
                self.samples.append(sample)
                out.write(json.dumps(sample) + "\n")
                out.flush()

    def _cpu_times(self) -> dict[str, float]:
        totals: dict[str, float] = defaultdict(float)
        for process in psutil.process_iter():
            try:
                times = process.cpu_times()
            except psutil.Error:
                continue
            totals[process_group(process, self.shape)] += times.user + times.system
        return totals

    def lines(self) -> list[str]:
        """Mean and peak of each measure over the samples."""
        keys = sorted({key for sample in self.samples for key in sample if key != "t"})
        lines = [f"CPU % of one core, {psutil.cpu_count()} cores; sampled every 5 s    mean    peak"]
        for key in keys:
            values = [sample.get(key, 0.0) for sample in self.samples]
            lines.append(f"{key:<40} {sum(values) / max(1, len(values)):7.1f} {max(values):7.1f}")
        lines.append("idle in transaction, by last statement (sessions seen over all samples):")
        lines.extend(f"{count:6d}  {query}" for query, count in
                     self.idle_in_transaction.most_common(6))
        return lines


def run_artillery(shape: Shape, environment: str, users: int, report: Path,
                  timeout: float) -> int:
    """Run Artillery (in its own process group, killed at the timeout); return its exit code."""
    env = {**os.environ, "STREAM_URL": shape.stream_url, "USER_COUNT": str(users),
           "ARTILLERY_DISABLE_TELEMETRY": "true", "NODE_OPTIONS": "--max-old-space-size=1024"}
    command = [str(ARTILLERY), "run", "--environment", environment, "--target", shape.web_url,
               "--output", str(report), str(HERE / "scenario.yml")]
    with (shape.run_dir / "artillery.log").open("wb") as log:
        process = subprocess.Popen(command, env=env, cwd=HERE, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        try:
            return process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                return process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                return process.wait(15)


def main() -> None:
    """Start the stack, load it, report, verify the ledger, stop."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--environment", default="trial", choices=["trial", "mid", "full"])
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--worker-concurrency", type=int, default=2)
    args = parser.parse_args()
    if not ARTILLERY.exists():
        raise SystemExit("Artillery is not installed: run bench/load/run_artillery.sh")
    plan = environment_of(args.environment)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    run_dir = ROOT / "artifacts" / "load" / f"{args.environment}-{stamp}"
    report = run_dir / "report.json"
    with production_shape(run_dir, users=plan["users"], web_workers=args.web_workers,
                          worker_concurrency=args.worker_concurrency) as shape:
        sampler = Sampler(shape, run_dir / "samples.jsonl")
        sampler.start()
        started = time.monotonic()
        code = run_artillery(shape, args.environment, plan["users"], report,
                             timeout=plan["seconds"] + 240)
        sampler.stopped.set()
        sampler.join(15)
        print(f"artillery exited {code} after {time.monotonic() - started:.0f} s; "
              f"run directory {run_dir}", flush=True)
        verify = shape.invsim("ledger", "verify", check=False)
        ledger = "ok" if verify.returncode == 0 else f"FAILED ({verify.returncode})"
        print(f"invsim ledger verify: {ledger}: {(verify.stdout + verify.stderr).strip()[-500:]}")
    if not report.exists():
        raise SystemExit(f"no Artillery report; see {run_dir / 'artillery.log'}")
    result = json.loads(report.read_text())
    lines = summary(result) + sampler.lines()
    (run_dir / "summary.txt").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    found = windows(result)
    held, broke = held_and_broken(found)
    held_others, _ = held_and_broken(found, but_login=True)
    aggregate = result["aggregate"]
    times = aggregate["summaries"].get("http.response_time", {})
    print(f"load env={args.environment} users={plan['users']} web_workers={args.web_workers} "
          f"requests={aggregate['counters'].get('http.requests', 0)} "
          f"p99_ms={times.get('p99', 0)} held_users={held.users if held else 0} "
          f"breaks_at_users={broke.users if broke else 'none'} "
          f"held_users_but_sign_in={held_others.users if held_others else 0} ledger={ledger}")
    if verify.returncode != 0:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
