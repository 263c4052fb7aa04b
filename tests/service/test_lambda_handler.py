"""The Lambda entry point, invoked as AWS would: realistic EventBridge and API Gateway events,
against an app built from the environment on a real SQLite database with data in it."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from invsim import lambda_handler
from invsim.backtest.models import BacktestRun
from invsim.backtest.schemas import BacktestIn
from invsim.challenges import jobs
from invsim.challenges import service as challenges
from invsim.challenges.models import StandingRun
from invsim.core.clock import set_clock
from invsim.extensions import db
from invsim.migrations.runner import upgrade
from invsim.trading.engine.state import OrderStatus
from tests.conftest import TEST_SETTINGS
from tests.factories import Clock
from tests.service.challenges.support import START, make_challenge
from tests.service.trading.support import (
    T0,
    D,
    advance_until,
    assert_ledger_ok,
    count,
    make_portfolio,
    new_user,
    order,
    place,
    quote,
)

CONTEXT = type("Context", (), {"function_name": "invsim-match", "aws_request_id": "r-1"})()


def scheduled_event(rule: str) -> dict[str, Any]:
    """What an EventBridge schedule rule sends (its detail is always empty)."""
    return {"version": "0", "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
            "detail-type": "Scheduled Event", "source": "aws.events",
            "account": "123456789012", "time": "2025-03-04T15:05:00Z", "region": "us-east-1",
            "resources": [f"arn:aws:events:us-east-1:123456789012:rule/{rule}"], "detail": {}}


def http_event(body: Any, *, path_task: str | None = None, encode: bool = False) -> dict[str, Any]:
    """An API Gateway HTTP API (payload 2.0) proxy event for POST /tasks/{task}."""
    text = body if isinstance(body, str) else json.dumps(body)
    return {"version": "2.0", "routeKey": "POST /tasks/{task}", "rawPath": "/tasks/x",
            "headers": {"content-type": "application/json"},
            "requestContext": {"http": {"method": "POST", "path": "/tasks/x",
                                        "sourceIp": "203.0.113.9"}, "stage": "$default"},
            "pathParameters": {"task": path_task} if path_task else None,
            "body": base64.b64encode(text.encode()).decode() if encode else text,
            "isBase64Encoded": encode}


@pytest.fixture()
def container(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    """A function container's environment: its own migrated SQLite database, the app built
    by the handler from the environment, the clock frozen mid-session."""
    url = f"sqlite:///{tmp_path / 'lambda.sqlite3'}"
    upgrade(url)
    env = {"VAR_DIR": str(tmp_path), "DATABASE_URL": url, "SCHEDULER_ENABLED": "false",
           "LOG_LEVEL": "WARNING", "SECRET_KEY": TEST_SETTINGS["secret_key"],
           "BLIND_INDEX_KEY": TEST_SETTINGS["blind_index_key"],
           "LOCAL_KEYRING": str(TEST_SETTINGS["local_keyring"]),
           "ARGON2_TIME_COST": "1", "ARGON2_MEMORY_KIB": "1024"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv(lambda_handler.TASK_ENV, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env file is read
    frozen = Clock(T0)
    set_clock(lambda: frozen.now)
    lambda_handler.reset_app()
    yield frozen
    set_clock(None)
    lambda_handler.reset_app()
    db.session.remove()


def test_the_app_is_built_once_per_container_from_the_environment(container, tmp_path):
    first = lambda_handler.get_app()
    assert lambda_handler.get_app() is first
    assert first.config["INVSIM_SETTINGS"].effective_database_url.endswith("lambda.sqlite3")


def test_a_scheduled_event_runs_one_matching_pass_that_fills_a_resting_order(
        container, monkeypatch):
    app = lambda_handler.get_app()
    with app.app_context():
        owner = new_user()
        portfolio = make_portfolio(owner)
        place(owner, portfolio, qty=D(10))  # a market buy fills at once
        limit = (quote().bid * D("1.0005")).quantize(D("0.01"))
        resting = place(owner, portfolio, side="sell", type="limit", tif="gtc", qty=D(10),
                        limit_price=limit)
        assert resting.status == OrderStatus.ACCEPTED.value
        advance_until(container, lambda s: s.bid >= limit or s.bar.open > limit)
        db.session.remove()
    monkeypatch.setenv(lambda_handler.TASK_ENV, "trading.match_orders")
    answer = lambda_handler.handler(scheduled_event("invsim-match-orders"), CONTEXT)
    assert answer["task"] == "trading.match_orders" and answer["ok"] is True
    assert (answer["result"]["open_orders"], answer["result"]["fills"]) == (1, 1)
    json.dumps(answer)  # the whole answer is JSON
    with app.app_context():
        filled = order(resting.id)
        assert filled.status == OrderStatus.FILLED.value and filled.filled_avg_price >= limit
        assert_ledger_ok()
        db.session.remove()
    again = lambda_handler.handler(scheduled_event("invsim-match-orders"), CONTEXT)
    assert again["result"]["open_orders"] == 0  # a second pass has nothing left to do


def _running_challenge(container: Clock) -> int:
    """A started challenge with two players whose portfolios are open."""
    app = lambda_handler.get_app()
    with app.app_context():
        challenge = make_challenge(new_user())
        for _ in range(2):
            challenges.join_challenge(viewer_id=new_user().id, challenge_id=challenge.id)
        container.set(START + timedelta(minutes=1))
        jobs.open_started()
        challenge_id = int(challenge.id)
        db.session.remove()
    return challenge_id


def test_an_eventbridge_event_with_a_challenge_id_ranks_that_challenge(container):
    challenge_id = _running_challenge(container)
    event = {**scheduled_event("invsim-standings"), "detail-type": "Refresh standings",
             "source": "invsim.challenges",
             "detail": {"task": "challenges.refresh_standings", "challenge_id": challenge_id}}
    answer = lambda_handler.handler(event, CONTEXT)
    assert answer["result"] == {"challenge_id": challenge_id, "players": 2}
    with lambda_handler.get_app().app_context():
        assert count(StandingRun) == 1
        db.session.remove()


def test_an_api_gateway_call_ranks_every_running_challenge_and_answers_a_proxy_response(
        container):
    _running_challenge(container)
    response = lambda_handler.handler(
        http_event({}, path_task="challenges.refresh_standings", encode=True), CONTEXT)
    assert response["statusCode"] == 200
    assert response["headers"]["Content-Type"] == "application/json"
    body = json.loads(response["body"])
    assert (body["task"], body["result"]) == ("challenges.refresh_standings", 2)


@pytest.mark.parametrize(("event", "status", "code"), [
    (http_event({"task": "backtest.nope"}), 404, "unknown_task"),
    (http_event("{not json"), 400, "malformed_json"),
    (http_event([1, 2]), 400, "malformed_json"),
    (http_event({"task": "challenges.refresh_standings", "challenge_id": -3}), 422,
     "validation_error"),
    (http_event({"task": "challenges.refresh_standings", "challenge_id": True}), 422,
     "validation_error"),
])
def test_a_bad_http_request_is_a_4xx_in_the_error_shape_and_runs_nothing(
        container, event, status, code):
    response = lambda_handler.handler(event, CONTEXT)
    assert response["statusCode"] == status
    error = json.loads(response["body"])["error"]
    assert error["code"] == code and error["message"]


def test_a_scheduled_event_without_a_task_is_refused_clearly(container):
    with pytest.raises(lambda_handler.BadEvent, match="unknown task None") as raised:
        lambda_handler.handler(scheduled_event("invsim-unconfigured"), CONTEXT)
    assert raised.value.details["known"] == sorted(lambda_handler.TASKS)
    with pytest.raises(lambda_handler.BadEvent, match="must be a JSON object"):
        lambda_handler.handler(["not", "an", "object"], CONTEXT)


def test_the_registry_holds_the_function_tasks():
    assert sorted(lambda_handler.TASKS) == ["backtest.run", "challenges.refresh_standings",
                                            "trading.match_orders"]
    with pytest.raises(KeyError):
        lambda_handler.scheduled_job("no.such.job", "")


def test_a_direct_invocation_runs_a_queued_backtest_once(container):
    app = lambda_handler.get_app()
    body = BacktestIn.model_validate({
        "strategy": "sma_cross", "params": {"fast": 5, "slow": 20}, "symbols": ["AAPL"],
        "start": "2024-01-01", "end": "2024-12-31", "cash": "10000"})
    with app.app_context():
        owner_id = new_user().id
        with db.transaction() as session:  # saved but not dispatched: the function runs it
            row = BacktestRun(user_id=owner_id, status="queued", progress=0, kind="run",
                              request=body.model_dump(mode="json", exclude_none=True),
                              provenance={})
            session.add(row)
            session.flush()
            run_id = int(row.id)
        db.session.remove()
    answer = lambda_handler.handler({"task": "backtest.run", "run_id": run_id}, CONTEXT)
    assert answer["result"]["status"] == "done", answer
    assert int(answer["result"]["summary"]["trades"]) >= 1
    json.dumps(answer)
    with app.app_context():
        finished = db.session.get(BacktestRun, run_id)
        first_finish = finished.finished_at
        db.session.remove()
    again = lambda_handler.handler({"task": "backtest.run", "run_id": run_id}, CONTEXT)
    assert again["result"]["summary"] == answer["result"]["summary"]
    with app.app_context():
        assert db.session.get(BacktestRun, run_id).finished_at == first_finish  # not re-run
        db.session.remove()
    with pytest.raises(lambda_handler.BadEvent) as missing:
        lambda_handler.handler({"task": "backtest.run", "run_id": run_id + 1000}, CONTEXT)
    assert missing.value.status == 404
