"""Bad backtest requests answer a clear 4xx in the one error shape and write nothing; never a 500."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from invsim.backtest.models import BacktestRun
from invsim.core.clock import utcnow
from invsim.extensions import db
from tests.api.backtest.conftest import SMA, submit, wait_for

TOMORROW = (utcnow() + timedelta(days=1)).date().isoformat()


def rows() -> int:
    """Count every saved run."""
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(BacktestRun)) or 0)


def assert_refused(response, status, code):
    """The one error shape with this status and code, and nothing written."""
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code, body
    assert body["error"]["message"]
    assert rows() == 0
    return body["error"]


@pytest.mark.parametrize(("changes", "code", "says"), [
    ({"strategy": "my_own.py:Evil"}, "unknown_strategy", "built-in"),
    ({"params": {"fast": 5, "slow": 20, "turbo": 1}}, "invalid_parameter", "unknown parameter"),
    ({"params": {"fast": 0}}, "invalid_parameter", "at least 1"),
    ({"params": {"fast": 30, "slow": 20}}, "invalid_parameter", "smaller than slow"),
    ({"params": {"fast": "ten"}}, "invalid_parameter", "integer"),
    ({"start": "2024-06-01", "end": "2024-06-01"}, "invalid_range", "before end"),
    ({"start": "2024-06-01", "end": "2024-01-01"}, "invalid_range", "before end"),
    ({"end": TOMORROW}, "invalid_range", "future"),
    ({"symbols": ["NOSUCH"]}, "no_data", "NOSUCH"),
    ({"benchmark": "MSFT"}, "invalid_benchmark", "one of the run's symbols"),
    ({"source": "alphavantage"}, "source_unavailable", "simulated"),
    ({"commission": "0.5"}, "invalid_commission", "fraction"),
    ({"strategy": "rebalance", "params": {"weights": "SPY:0.6,TLT:0.4"}}, "invalid_parameter",
     "exactly the run's symbols"),
])
def test_a_request_the_strategy_or_data_refuse_is_a_422_naming_the_fault(
        client, headers, changes, code, says):
    error = assert_refused(submit(client, headers, **changes), 422, code)
    assert says in error["message"]


def test_unknown_strategy_lists_the_builtins(client, headers):
    error = assert_refused(submit(client, headers, strategy="nope"), 422, "unknown_strategy")
    assert "sma_cross" in error["details"]["strategies"]


@pytest.mark.parametrize("changes", [
    {"symbols": []}, {"symbols": ["AAPL", "aapl"]}, {"symbols": ["A A"]},
    {"start": "yesterday"}, {"cash": "0"}, {"cash": "-5"}, {"cash": "1e400"},
    {"slippage_bps": "5000"}, {"extra": 1}, {"commission": {"kind": "gold"}},
    {"sweep": {"space": {}}}, {"walk_forward": {"train_bars": 1, "test_bars": 1}},
    {"allow_short": "maybe"}, {"params": ["fast", 5]}, {"strategy": ""},
])
def test_a_malformed_field_is_a_422_validation_error(client, headers, changes):
    assert_refused(submit(client, headers, **changes), 422, "validation_error")


@pytest.mark.parametrize("body", [
    None, [], "sma_cross", 7, {}, {"strategy": None}, {"symbols": "AAPL"},
    {**SMA, "start": 20240101}, {**SMA, "params": {"fast": {"deep": [1, {"x": None}]}}},
    {**SMA, "params": {"fast": True}}, {**SMA, "params": {"fraction": "NaN"}},
    {**SMA, "params": {"fraction": "-Infinity"}}, {**SMA, "params": {"fast": 1e308}},
    {**SMA, "symbols": ["AAPL"] * 2000}, {**SMA, "end": "9999-12-31"},
    {**SMA, "start": "0001-01-01"}, {**SMA, "benchmark": ""},
])
def test_fuzzed_bodies_never_answer_500_and_write_nothing(client, headers, body):
    response = client.post("/api/v1/backtests", json=body, headers=headers)
    assert 400 <= response.status_code < 500, response.get_data(as_text=True)
    assert set(response.get_json()["error"]) == {"code", "message", "details"}
    assert rows() == 0


def test_malformed_json_and_wrong_content_type_are_refused(client, headers):
    broken = client.post("/api/v1/backtests", data="{not json", headers=headers,
                         content_type="application/json")
    assert 400 <= broken.status_code < 500
    text = client.post("/api/v1/backtests", data="x", headers=headers, content_type="text/plain")
    assert 400 <= text.status_code < 500
    assert rows() == 0


@pytest.mark.parametrize("query", ["ids=", "ids=a,b", "ids=1,,2", "ids=" + ",".join(["1"] * 11),
                                   "limit=0", "offset=-1", ""])
def test_bad_queries_are_4xx(client, headers, query):
    path = "/api/v1/backtests?" + query if query.startswith(("limit", "offset")) \
        else "/api/v1/backtests/compare?" + query
    response = client.get(path, headers=headers)
    assert 400 <= response.status_code < 500, (path, response.get_data(as_text=True))


def test_an_id_beyond_the_column_is_not_found(client, headers):
    assert client.get(f"/api/v1/backtests/{2**40}", headers=headers).status_code == 404


def test_the_daily_limit_answers_429_with_retry_after_and_delete_does_not_reset_it(
        make_app, headers):
    app = make_app(backtest_max_daily=2)
    with app.test_client() as client:
        ids = [submit(client, headers).get_json()["id"] for _ in range(2)]
        for run_id in ids:
            assert wait_for(client, headers, run_id)["status"] == "done"
        refused = submit(client, headers)
        assert refused.status_code == 429 and refused.get_json()["error"]["code"] == "daily_limit"
        assert 0 < int(refused.headers["Retry-After"]) <= 86400
        assert refused.get_json()["error"]["details"] == {"limit": 2}
        client.delete(f"/api/v1/backtests/{ids[0]}", headers=headers)
        assert submit(client, headers).status_code == 429
        assert client.get("/api/v1/backtests", headers=headers).get_json()["total"] == 1


@pytest.mark.parametrize(("sweep", "code", "says"), [
    ({"space": {"fast": "1:500:1", "slow": "2:100:1"}}, "too_many_combinations", "2000"),
    ({"space": {"turbo": "1:3:1"}}, "invalid_parameter", "unknown parameter"),
    ({"space": {"fast": "0:3:1"}}, "invalid_parameter", "at least 1"),
    ({"space": {"fast": "30:40:5"}}, "invalid_sweep", "no valid combination"),
    ({"space": {"fast": "a:b:c"}}, "invalid_sweep", "fast"),
])
def test_a_sweep_the_core_refuses_is_a_422_with_the_limit_named(client, headers, sweep, code,
                                                                  says):
    error = assert_refused(submit(client, headers, sweep=sweep), 422, code)
    assert says in error["message"]
    if code == "too_many_combinations":
        assert error["details"]["limit"] == 2000 and error["details"]["combinations"] == 500 * 99


@pytest.mark.parametrize("changes", [
    {"sweep": {"space": {"fast": "5:10:5"}, "metric": "luck"}},
    {"sweep": {"space": {"fast": "5:10:5"}, "mode": "random"}},
    {"sweep": {"space": {"fast": "5:10:5"}, "samples": 0, "mode": "random"}},
])
def test_a_malformed_sweep_is_a_validation_error(client, headers, changes):
    assert_refused(submit(client, headers, **changes), 422, "validation_error")


def test_the_sweep_metrics_are_the_cores(client):
    from typing import get_args

    from invsim.backtest.schemas import Metric
    from invsim.backtest.sweep import METRICS

    assert set(get_args(Metric)) == set(METRICS)


@pytest.mark.parametrize(("changes", "says"), [
    ({"walk_forward": {"train_bars": 120, "test_bars": 60}}, "needs a sweep block"),
    ({"walk_forward": {"train_bars": 300, "test_bars": 100},
      "sweep": {"space": {"fast": [5, 10]}}}, "needs at least 400 bars; the data has 366"),
])
def test_a_walk_forward_that_cannot_be_laid_out_is_refused_before_it_is_saved(
        client, headers, changes, says):
    error = assert_refused(submit(client, headers, **changes), 422, "invalid_walk_forward")
    assert says in error["message"]
