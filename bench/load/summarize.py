"""Summarise an Artillery JSON report: one line per endpoint, then the load it held.

Run: .venv/bin/python bench/load/summarize.py artifacts/load/<run>/report.json

Per endpoint (the request names of scenario.yml, from the metrics-by-endpoint plugin):
count, requests/s over the whole run, p50/p95/p99 in ms and errors (answers >= 400 and
transport errors such as ETIMEDOUT). Then the quote stream's figures, the totals, and
per 10-second window the concurrent users, requests/s, p99 and errors, from which
`held` is the most concurrent users of a window still within p99 < 500 ms and 0 errors,
and `breaks` the first window that was not (with how many users were on); the first window
(the cold start) is left out.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENDPOINT = "plugins.metrics-by-endpoint."
P99_TARGET_MS = 500.0
LOGIN = "POST /auth/login"


@dataclass(frozen=True)
class Window:
    """One reporting period of the run."""

    started_s: float
    users: int
    rps: float
    p99_ms: float
    login_p99_ms: float
    others_p99_ms: float
    errors: int

    @property
    def within_target(self) -> bool:
        """p99 under the target and no error in this window."""
        return self.errors == 0 and self.p99_ms < P99_TARGET_MS

    @property
    def within_target_but_login(self) -> bool:
        """The same for every endpoint but the sign-in (argon2 is its cost, by design)."""
        return self.errors == 0 and self.others_p99_ms < P99_TARGET_MS


def error_count(counters: dict[str, int], prefix: str = "") -> int:
    """Answers >= 400 and transport errors among the counters under `prefix`."""
    total = 0
    for name, value in counters.items():
        if not name.startswith(prefix):
            continue
        rest = name[len(prefix):]
        if rest.startswith("codes.") and rest[6:].isdigit() and int(rest[6:]) >= 400:
            total += value
        elif rest.startswith("errors."):
            total += value
    return total


def endpoint_names(summaries: dict[str, Any]) -> list[str]:
    """The request names measured by the metrics-by-endpoint plugin, in scenario order."""
    prefix = ENDPOINT + "response_time."
    return [name[len(prefix):] for name in summaries if name.startswith(prefix)]


def run_seconds(aggregate: dict[str, Any]) -> float:
    """Wall time from the first to the last metric of the run."""
    return max(1.0, (aggregate["lastMetricAt"] - aggregate["firstMetricAt"]) / 1000)


def endpoint_lines(aggregate: dict[str, Any]) -> list[str]:
    """One line per endpoint: count, rps, p50/p95/p99 and errors."""
    counters, summaries = aggregate["counters"], aggregate["summaries"]
    seconds = run_seconds(aggregate)
    lines = []
    for name in endpoint_names(summaries):
        times = summaries[f"{ENDPOINT}response_time.{name}"]
        errors = error_count(counters, f"{ENDPOINT}{name}.")
        lines.append(f"{name:<40} count={times['count']:>7} rps={times['count'] / seconds:6.1f} "
                     f"p50={times['p50']:6.1f} p95={times['p95']:7.1f} p99={times['p99']:7.1f} "
                     f"errors={errors}")
    return lines


def stream_line(aggregate: dict[str, Any]) -> str:
    """The quote stream: opened, completed, events, time to the first event, errors."""
    counters, summaries = aggregate["counters"], aggregate["summaries"]
    first = summaries.get("sse.first_event", {})
    errors = {name[len("sse.errors."):]: value for name, value in counters.items()
              if name.startswith("sse.errors.")}
    return (f"{'SSE /market/stream':<40} opened={counters.get('sse.opened', 0)} "
            f"completed={counters.get('sse.completed', 0)} events={counters.get('sse.events', 0)} "
            f"first_event p50={first.get('p50', 0):.1f} p99={first.get('p99', 0):.1f} "
            f"errors={sum(errors.values())}{' ' + str(errors) if errors else ''}")


def windows(report: dict[str, Any]) -> list[Window]:
    """Each reporting period: users on, requests/s, p99 and errors."""
    periods = report.get("intermediate", [])
    if not periods:
        return []
    origin = periods[0]["firstMetricAt"]
    users = 0
    found = []
    for period in periods:
        counters = period["counters"]
        users += counters.get("vusers.created", 0) - counters.get("vusers.completed", 0) \
            - counters.get("vusers.failed", 0)
        seconds = max(1.0, (period["lastMetricAt"] - period["firstMetricAt"]) / 1000)
        times = period["summaries"].get("http.response_time", {})
        login = period["summaries"].get(f"{ENDPOINT}response_time.{LOGIN}", {})
        others = [float(summary.get("p99", 0)) for name, summary in period["summaries"].items()
                  if name.startswith(f"{ENDPOINT}response_time.") and not name.endswith(LOGIN)]
        errors = error_count(counters, "http.") + counters.get("vusers.failed", 0) + sum(
            value for name, value in counters.items() if name.startswith("sse.errors."))
        found.append(Window(started_s=(period["firstMetricAt"] - origin) / 1000, users=users,
                            rps=counters.get("http.requests", 0) / seconds,
                            p99_ms=float(times.get("p99", 0)),
                            login_p99_ms=float(login.get("p99", 0)),
                            others_p99_ms=max(others, default=0.0), errors=errors))
    return found


def held_and_broken(found: list[Window], *, but_login: bool = False,
                    ) -> tuple[Window | None, Window | None]:
    """The busiest window within target before the first that was not, and that one.

    The first window is left out: it holds the cold start (each worker's first requests).
    """
    held: Window | None = None
    for window in found[1:]:
        if not (window.within_target_but_login if but_login else window.within_target):
            return held, window
        if held is None or window.users >= held.users:
            held = window
    return held, None


def summary(report: dict[str, Any]) -> list[str]:
    """Every line of the summary."""
    aggregate = report["aggregate"]
    counters, summaries = aggregate["counters"], aggregate["summaries"]
    seconds = run_seconds(aggregate)
    overall = summaries.get("http.response_time", {})
    lines = endpoint_lines(aggregate)
    lines.append(stream_line(aggregate))
    errors = error_count(counters, "http.") + counters.get("vusers.failed", 0)
    lines.append(f"{'all requests':<40} count={counters.get('http.requests', 0):>7} "
                 f"rps={counters.get('http.requests', 0) / seconds:6.1f} "
                 f"p50={overall.get('p50', 0):6.1f} p95={overall.get('p95', 0):7.1f} "
                 f"p99={overall.get('p99', 0):7.1f} errors={errors} "
                 f"users={counters.get('vusers.created', 0)} seconds={seconds:.0f}")
    found = windows(report)
    lines.append("window   users   rps    p99  login_p99  others_p99  errors")
    lines.extend(f"{w.started_s:6.0f}s {w.users:6d} {w.rps:6.1f} {w.p99_ms:6.0f} "
                 f"{w.login_p99_ms:10.0f} {w.others_p99_ms:11.0f} {w.errors:7d}" for w in found)
    for label, but_login in (("every request", False), ("every endpoint but sign-in", True)):
        held, broke = held_and_broken(found, but_login=but_login)
        lines.append(
            f"held ({label}): {held.users if held else 0} users at "
            f"{held.rps if held else 0:.1f} req/s within p99 < {P99_TARGET_MS:.0f} ms and "
            "0 errors; " + (
                f"breaks at {broke.users} users ({broke.rps:.1f} req/s, p99 {broke.p99_ms:.0f} "
                f"ms, sign-in p99 {broke.login_p99_ms:.0f} ms, others' worst p99 "
                f"{broke.others_p99_ms:.0f} ms, {broke.errors} errors) at {broke.started_s:.0f} s"
                if broke else "did not break"))
    return lines


def main() -> None:
    """Print the summary of one report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path)
    args = parser.parse_args()
    print("\n".join(summary(json.loads(args.report.read_text()))))


if __name__ == "__main__":
    main()
