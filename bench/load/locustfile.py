"""scenario.yml's users as a locust user: the same steps, read from the same file.

The flow is not copied: `Trader` interprets scenario.yml (the subset it uses: get, post and
delete with `{{ var }}` templates and json bodies, capture of `$.field` / `$.items[0].field`,
think, loop with whileTrue, function steps and the beforeRequest hook), with the Python
twins of processor.js's functions below. So a change of the scenario, or of an endpoint it
calls, shows up in the smoke run of `make test` (tests/service/test_load_smoke.py).

Interactive: `locust -f bench/load/locustfile.py --host http://127.0.0.1:8000`
(STREAM_URL, USER_COUNT, LOAD_PASSWORD, THINK_SCALE and LOAD_SECONDS from the environment).
Smoke: `python bench/load/locustfile.py --host URL --users 4 --seconds 6 --out result.json`
runs locust as a library and writes, per request name, how many ran and failed, the
function steps that ran, and the stream's figures.
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()  # before ssl and sockets are imported (locust would patch too late here)

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import gevent  # noqa: E402
import requests  # noqa: E402
import yaml  # noqa: E402
from locust import HttpUser, constant, events, task  # noqa: E402
from locust.env import Environment  # noqa: E402
from locust.exception import StopUser  # noqa: E402

SCENARIO = Path(__file__).resolve().parent / "scenario.yml"
USER_COUNT = int(os.environ.get("USER_COUNT", "1000"))
PASSWORD = os.environ.get("LOAD_PASSWORD", "load-test-horse-battery-42")
THINK_SCALE = float(os.environ.get("THINK_SCALE", "1"))
SYMBOLS = ["AAPL", "MSFT", "NVDA", "GOOGL", "AMZN", "TSLA", "KO", "JPM", "XOM", "SPY"]
STREAM_SYMBOLS = "AAPL,MSFT,SPY"
TEMPLATE = re.compile(r"\{\{\s*(\w+)\s*\}\}")
PATH_PART = re.compile(r"\.(\w+)|\[(\d+)\]")
METHODS = ("get", "post", "put", "patch", "delete")

STARTED_AT = time.monotonic()
functions_run: set[str] = set()
stream_figures: dict[str, int] = {"opened": 0, "completed": 0, "events": 0, "errors": 0}


class CaptureFailed(Exception):
    """A capture found nothing: the user stops, as an Artillery user does."""


def render(value: Any, variables: dict[str, Any]) -> Any:
    """Fill `{{ name }}` templates in strings, lists and objects."""
    if isinstance(value, str):
        return TEMPLATE.sub(lambda found: str(variables[found.group(1)]), value)
    if isinstance(value, list):
        return [render(item, variables) for item in value]
    if isinstance(value, dict):
        return {key: render(item, variables) for key, item in value.items()}
    return value


def json_path(document: Any, path: str) -> Any:
    """Follow `$.a.b[0].c` into a JSON document (None when a step is missing)."""
    if not path.startswith("$"):
        raise ValueError(f"unsupported capture path {path!r}")
    for name, index in PATH_PART.findall(path[1:]):
        try:
            document = document[int(index)] if index else document[name]
        except (KeyError, IndexError, TypeError):
            return None
    return document


class Stream:
    """The background quote stream of one user (processor.js's openStream)."""

    def __init__(self, user: Trader) -> None:
        self.user, self.events, self.closing = user, 0, False
        self.response: requests.Response | None = None
        self.greenlet = gevent.spawn(self._read)

    def _read(self) -> None:
        url = f"{self.user.stream_url}/api/v1/market/stream?symbols={STREAM_SYMBOLS}"
        started = time.perf_counter()
        try:
            self.response = requests.get(url, stream=True, timeout=30,
                                         headers={"Accept": "text/event-stream"})
            if self.response.status_code != 200:
                raise RuntimeError(f"stream answered {self.response.status_code}")
            stream_figures["opened"] += 1
            buffer = b""
            for chunk in self.response.iter_content(chunk_size=None):  # as it arrives
                buffer += chunk
                *finished, buffer = buffer.split(b"\n\n")
                for event in finished:
                    if any(line.startswith(b"data:") for line in event.split(b"\n")):
                        self._received(started)
            raise RuntimeError("stream closed early")
        except Exception as error:  # the close below ends the read with an error too
            if not self.closing:
                self.closing = True
                stream_figures["errors"] += 1
                self.user.record("SSE", "SSE /market/stream", 0, error)

    def _received(self, started: float) -> None:
        if self.events == 0:
            self.user.record("SSE", "SSE /market/stream", (time.perf_counter() - started) * 1000)
        self.events += 1
        stream_figures["events"] += 1

    def close(self) -> None:
        """End the stream; a stream that delivered nothing is an error."""
        if self.closing:
            return
        self.closing = True
        if self.events == 0:
            stream_figures["errors"] += 1
            self.user.record("SSE", "SSE /market/stream", 0, RuntimeError("no event"))
        else:
            stream_figures["completed"] += 1
        self.greenlet.kill()  # first: closing the response under its reader is reentrant
        if self.response is not None:
            self.response.close()


class Trader(HttpUser):
    """One scenario.yml user: the flow once, then it stops."""

    wait_time = constant(0)
    stream_url = os.environ.get("STREAM_URL", "")
    scenario = yaml.safe_load(SCENARIO.read_text())["scenarios"][0]
    next_account = random.randrange(USER_COUNT)

    def on_start(self) -> None:
        """Fresh variables; the run lasts LOAD_SECONDS (as ramp + hold in Artillery)."""
        self.vars: dict[str, Any] = {}
        self.stream: Stream | None = None
        self.stream_url = self.stream_url or self.host

    @task
    def trade(self) -> None:
        """Run the scenario's flow, then stop this user."""
        try:
            self.run_steps(self.scenario["flow"])
        except CaptureFailed:
            pass
        finally:
            if self.stream is not None:
                self.stream.close()
        raise StopUser()

    def run_steps(self, steps: list[dict[str, Any]]) -> None:
        """Run steps in order, as Artillery does."""
        for step in steps:
            if "function" in step:
                self.call(step["function"])
            elif "think" in step:
                gevent.sleep(float(step["think"]) * THINK_SCALE)
            elif "loop" in step:
                while self.call(step["whileTrue"]):
                    self.run_steps(step["loop"])
            else:
                method = next(name for name in METHODS if name in step)
                self.request(method, step[method])

    def call(self, name: str) -> Any:
        """Run the twin of a processor.js function."""
        functions_run.add(name)
        return getattr(self, f"fn_{name}")()

    def request(self, method: str, spec: dict[str, Any]) -> None:
        """One request: template, beforeRequest hook, 4xx/5xx as failures, capture."""
        headers: dict[str, str] = {}
        hook = self.scenario.get("beforeRequest")
        if hook:
            functions_run.add(hook)
            getattr(self, f"fn_{hook}")(headers)
        body = render(spec["json"], self.vars) if "json" in spec else None
        capture = spec.get("capture")
        captured = None
        # locust's response context swallows exceptions once a result is set: raise after it
        with self.client.request(method.upper(), render(spec["url"], self.vars),
                                 name=spec["name"], json=body, headers=headers,
                                 catch_response=True) as response:
            if response.status_code >= 400:
                response.failure(f"{response.status_code} {response.text[:200]}")
            elif capture:
                captured = json_path(response.json(), capture["json"])
                if captured is None:
                    response.failure(f"capture {capture['json']} found nothing")
        if capture:
            if captured is None:
                raise CaptureFailed(spec["name"])
            self.vars[capture["as"]] = captured

    def record(self, kind: str, name: str, milliseconds: float,
               error: BaseException | None = None) -> None:
        """Report a non-HTTP measure (the stream) to locust's statistics."""
        self.environment.events.request.fire(request_type=kind, name=name,
                                             response_time=milliseconds, response_length=0,
                                             exception=error, context={})

    # Twins of processor.js (same names with fn_, same behaviour).
    def fn_pickAccount(self) -> None:  # noqa: N802 - the scenario's names
        Trader.next_account += 1
        self.vars.update(username=f"loaduser{Trader.next_account % USER_COUNT + 1}",
                         password=PASSWORD)

    def fn_withToken(self, headers: dict[str, str]) -> None:  # noqa: N802
        if "token" in self.vars:
            headers["Authorization"] = f"Bearer {self.vars['token']}"

    def fn_pickSymbols(self) -> None:  # noqa: N802
        start = random.randrange(len(SYMBOLS))
        watchlist = [SYMBOLS[(start + i) % len(SYMBOLS)] for i in range(5)]
        self.vars.update(watchlist=",".join(watchlist), symbol=watchlist[0])

    def fn_keepTrading(self) -> bool:  # noqa: N802
        return time.monotonic() < STARTED_AT + float(os.environ.get("LOAD_SECONDS", "60"))

    def fn_openStream(self) -> None:  # noqa: N802
        self.stream = Stream(self)

    def fn_closeStream(self) -> None:  # noqa: N802
        if self.stream is not None:
            self.stream.close()


def run(host: str, users: int, seconds: float) -> dict[str, Any]:
    """Run `users` traders for `seconds` (their loops end a second before); return results."""
    global STARTED_AT
    os.environ["LOAD_SECONDS"] = str(max(1.0, seconds - 1.5))
    STARTED_AT = time.monotonic()
    environment = Environment(user_classes=[Trader], host=host, events=events)
    runner = environment.create_local_runner()
    runner.start(users, spawn_rate=users)
    gevent.sleep(seconds)
    runner.quit()
    return {
        "requests": {name: {"count": entry.num_requests, "failures": entry.num_failures}
                     for (name, _method), entry in environment.stats.entries.items()},
        "errors": [f"{error.name}: {error.error} x{error.occurrences}"
                   for error in environment.stats.errors.values()],
        "functions": sorted(functions_run),
        "stream": stream_figures,
    }


def main() -> None:
    """Run locust as a library for a few seconds and write the results as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", required=True)
    parser.add_argument("--users", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=6)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.write_text(json.dumps(run(args.host, args.users, args.seconds), indent=2))


if __name__ == "__main__":
    main()
