"""AWS Lambda entry point: background work that fits a function, on the Celery task's code path.

`handler(event, context)` runs one task of `TASKS` and answers JSON. The app is built once
per container (a warm start reuses it, with its database pool and key cache) from the
environment, exactly as a Celery worker builds its own (`invsim.worker.flask_app`); a
scheduled task runs through `invsim.jobs.run_job`, the function the Celery task calls.

The task and its parameters come from the event, whichever service sent it:

- a direct invocation or an EventBridge rule with constant input: `{"task": ..., ...}`;
- an EventBridge event (a scheduled rule's own event, a Scheduler or PutEvents event):
  `detail.task` and the other `detail` members, or INVSIM_LAMBDA_TASK for a scheduled
  event, whose `detail` is empty (one function per task, the usual deployment);
- API Gateway (REST or HTTP API, proxy integration): the `task` path parameter or the
  JSON body's `task`, the body's other members; answered as a proxy response, a bad
  request as a 4xx in the API's one error shape.

docs/deploy-aws.md ("Lambda") shows the packaging, the environment and the events.
"""

from __future__ import annotations

import base64
import json
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import structlog
from flask import Flask

from invsim.backtest import jobs as backtest_jobs
from invsim.backtest import service as backtest
from invsim.challenges import standings
from invsim.core.errors import NotFound
from invsim.extensions import db
from invsim.jobs import find_job, run_job

log = structlog.get_logger("invsim.lambda")

TASK_ENV = "INVSIM_LAMBDA_TASK"
Params = Mapping[str, Any]
Runner = Callable[[Flask, Params], Any]
_app: Flask | None = None


class BadEvent(ValueError):
    """The event names no known task or carries bad parameters; retrying cannot help."""

    def __init__(self, message: str, *, code: str = "bad_event",
                 details: dict[str, Any] | None = None, status: int = 400) -> None:
        super().__init__(message)
        self.message, self.code, self.details, self.status = message, code, details or {}, status


@dataclass(frozen=True, slots=True)
class LambdaTask:
    """A unit of work a function can run: a name, what runs it, what it is for."""

    name: str
    run: Runner
    description: str


def scheduled_job(job_name: str, description: str) -> LambdaTask:
    """A task that runs one job of the jobs table, as the Celery task `invsim.run_job` does."""
    find_job(job_name)  # a misspelt job fails at import, not at the first invocation

    def run(app: Flask, params: Params) -> Any:
        """Run the job (it takes no parameters)."""
        return run_job(app, job_name)

    return LambdaTask(job_name, run, description)


def positive_int(params: Params, name: str) -> int:
    """Read a required positive integer parameter (a JSON number or a digit string)."""
    value = params.get(name)
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**31:
        raise BadEvent(f"{name} must be a positive integer", code="validation_error",
                       details={"field": name, "value": value}, status=422)
    return value


def refresh_standings(app: Flask, params: Params) -> Any:
    """Rank one challenge (`challenge_id`) or, without it, every running challenge.

    One challenge is what the Celery job does for each running challenge, so a fan-out
    (one invocation per challenge) ranks big challenges in parallel.
    """
    if "challenge_id" not in params:
        return run_job(app, "challenges.refresh_standings")
    challenge_id = positive_int(params, "challenge_id")
    with app.app_context():
        try:
            return {"challenge_id": challenge_id,
                    "players": standings.refresh_standings(challenge_id)}
        finally:
            db.session.remove()


def run_backtest(app: Flask, params: Params) -> Any:
    """Run one saved backtest (`run_id`) as the Celery task `invsim.backtest.run` does.

    A run that is no longer queued (done, failed, taken by a worker) is not run again;
    the answer is its state either way.
    """
    run_id = positive_int(params, "run_id")
    backtest_jobs.run_saved(app, run_id)
    with app.app_context():
        try:
            return backtest.run_state(run_id)
        except NotFound as error:
            raise BadEvent(error.message, code=error.code, details=error.details,
                           status=404) from None
        finally:
            db.session.remove()


# The registry: adding a function's task is one line here.
TASKS: dict[str, LambdaTask] = {task.name: task for task in (
    LambdaTask("backtest.run", run_backtest, "Run one saved backtest (run_id) to the end"),
    scheduled_job("trading.match_orders",
                  "One matching pass over every open order; expires the overdue"),
    LambdaTask("challenges.refresh_standings", refresh_standings,
               "Rank one challenge (challenge_id) or every running challenge"),
)}


def get_app() -> Flask:
    """Build the app from the environment once per container (warm starts reuse it)."""
    global _app
    if _app is None:
        from invsim.app import create_app

        _app = create_app()
    return _app


def reset_app() -> None:
    """Forget the container's app (tests; a new environment takes effect on the next call)."""
    global _app
    _app = None


# --- events ------------------------------------------------------------------------------


def is_http(event: Mapping[str, Any]) -> bool:
    """Tell an API Gateway proxy event (REST: httpMethod; HTTP API: requestContext.http)."""
    return "httpMethod" in event or "http" in (event.get("requestContext") or {})


def _http_body(event: Mapping[str, Any]) -> dict[str, Any]:
    """Decode the JSON object an API Gateway event carries (empty when it has no body)."""
    raw = event.get("body") or ""
    if event.get("isBase64Encoded") and raw:
        raw = base64.b64decode(raw).decode("utf-8", "replace")
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        raise BadEvent("the body is not JSON", code="malformed_json") from None
    if not isinstance(body, dict):
        raise BadEvent("the body must be a JSON object", code="malformed_json")
    return body


def parse_event(event: Any) -> tuple[str, dict[str, Any]]:
    """Return the task name and its parameters from any of the supported event shapes."""
    if not isinstance(event, Mapping):
        raise BadEvent("the event must be a JSON object")
    if is_http(event):
        params = _http_body(event)
        task = (event.get("pathParameters") or {}).get("task") or params.pop("task", None)
    elif "detail-type" in event and "source" in event:  # EventBridge
        detail = event.get("detail") or {}
        params = dict(detail) if isinstance(detail, Mapping) else {}
        task = params.pop("task", None) or os.environ.get(TASK_ENV)
    else:
        params = dict(event)
        task = params.pop("task", None) or os.environ.get(TASK_ENV)
    if not isinstance(task, str) or task not in TASKS:
        raise BadEvent(f"unknown task {task!r}", code="unknown_task", status=404,
                       details={"task": task, "known": sorted(TASKS)})
    return task, params


# --- the handler ---------------------------------------------------------------------------


def _json_safe(value: Any) -> Any:
    """Make a task's result JSON (Decimals and times as strings, like the API's amounts)."""
    return json.loads(json.dumps(value, default=str))


def run_task(name: str, params: Params) -> dict[str, Any]:
    """Run one task on the container's app and describe the outcome."""
    started = time.perf_counter()
    result = TASKS[name].run(get_app(), params)
    elapsed = round((time.perf_counter() - started) * 1000, 3)
    log.info("lambda_task_done", task=name, duration_ms=elapsed)
    return {"task": name, "ok": True, "result": _json_safe(result), "duration_ms": elapsed}


def _http_response(status: int, payload: Mapping[str, Any]) -> dict[str, Any]:
    """An API Gateway proxy response."""
    return {"statusCode": status, "headers": {"Content-Type": "application/json"},
            "body": json.dumps(payload)}


def _error(error: BadEvent) -> dict[str, Any]:
    """The API's one error shape."""
    return {"error": {"code": error.code, "message": error.message, "details": error.details}}


def handler(event: Any, context: Any = None) -> dict[str, Any]:
    """The Lambda handler: run the event's task and answer its JSON result.

    A bad event is answered 4xx over HTTP and raised as BadEvent otherwise (the caller
    sees the message; a dead-letter queue keeps the event). A task that fails raises,
    so Lambda's retries and alarms apply; over HTTP it is a 500 in the error shape.
    """
    http = isinstance(event, Mapping) and is_http(event)
    try:
        name, params = parse_event(event)
        result = run_task(name, params)
    except BadEvent as error:
        log.warning("lambda_bad_event", code=error.code, message=error.message)
        if http:
            return _http_response(error.status, _error(error))
        raise
    except Exception:
        log.exception("lambda_task_failed")
        if http:
            return _http_response(500, {"error": {
                "code": "task_failed", "message": "the task failed; see the function's logs",
                "details": {}}})
        raise
    return _http_response(200, result) if http else result


lambda_handler = handler  # the name the AWS console proposes
