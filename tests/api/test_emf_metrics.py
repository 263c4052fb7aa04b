"""CloudWatch EMF lines in the JSON logs, emitted by real requests, orders, jobs and quotes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from invsim.config import ConfigError, load_settings
from invsim.jobs import run_job
from tests.emf_support import captured_log_stream, emf_documents, turn_emf_off, with_metric
from tests.service.trading.support import Api, clock  # noqa: F401


@pytest.fixture()
def emf_app(clock: Any, make_app: Any, tmp_path: Any) -> Iterator[Any]:  # noqa: F811
    """An app with METRICS_EMF on (and LOG_LEVEL=WARNING, which must not silence metrics)."""
    app = make_app(metrics_emf=True, metrics_namespace="invsim-test")
    yield app
    turn_emf_off(tmp_path)


@pytest.fixture()
def emf_api(emf_app: Any, clock: Any) -> Iterator[Api]:  # noqa: F811
    """A signed-in user's client of the EMF app."""
    with emf_app.app_context():
        yield Api(emf_app.test_client(), clock)


def test_a_request_writes_one_emf_line_with_route_status_and_latency(emf_app):
    client = emf_app.test_client()
    with captured_log_stream() as stream:
        response = client.get("/healthz", headers={"X-Request-ID": "req-emf-1"})
        missing = client.get("/api/v1/portfolios/999999")  # 401: no token
    assert response.status_code == 200 and missing.status_code == 401
    requests = with_metric(emf_documents(stream.getvalue()), "Requests")
    assert [(d["Route"], d["Status"], d["StatusClass"]) for d in requests] == [
        ("/healthz", "200", "2xx"), ("/api/v1/portfolios/<int:portfolio_id>", "401", "4xx")]
    first = requests[0]
    assert first["Requests"] == 1 and first["Latency"] > 0 and first["Method"] == "GET"
    assert first["request_id"] == "req-emf-1"  # the log context rides along as a property
    directive = first["_aws"]["CloudWatchMetrics"][0]
    assert directive["Namespace"] == "invsim-test"
    assert directive["Dimensions"] == [["Route", "Method", "Status"], ["StatusClass"], ["Route"]]
    assert {m["Name"]: m["Unit"] for m in directive["Metrics"]} == {
        "Requests": "Count", "Latency": "Milliseconds"}


def test_the_prometheus_endpoint_stays_and_is_not_itself_counted(emf_app):
    client = emf_app.test_client()
    client.get("/healthz")
    with captured_log_stream() as stream:
        scraped = client.get("/metrics")
    assert scraped.status_code == 200
    assert b'invsim_http_requests_total{endpoint="/healthz"' in scraped.data
    assert with_metric(emf_documents(stream.getvalue()), "Requests") == []


def test_orders_placed_and_rejected_by_code(emf_api):
    pid = emf_api.portfolio()["id"]
    with captured_log_stream() as stream:
        emf_api.order(pid, qty="1")
        emf_api.order(pid, expect=422, qty="1000000")  # far beyond the cash
        emf_api.order(pid, expect=422, symbol="NOPE", qty="1")
    documents = emf_documents(stream.getvalue())
    placed = with_metric(documents, "OrdersPlaced")
    assert [(d["Source"], d["OrderType"], d["OrdersPlaced"]) for d in placed] == [
        ("user", "market", 1)]
    rejected = with_metric(documents, "OrdersRejected")
    assert [d["Code"] for d in rejected] == ["insufficient_buying_power", "unknown_symbol"]
    statuses = [d["Status"] for d in with_metric(documents, "Requests")
                if d["Route"].endswith("/orders")]
    assert statuses == ["201", "422", "422"]


def test_quote_lookups_count_cache_hits_and_misses(emf_api):
    with captured_log_stream() as stream:
        first = emf_api.get("/market/quotes?symbols=AAPL,MSFT")
        again = emf_api.get("/market/quotes?symbols=AAPL,MSFT")
    assert first.status_code == again.status_code == 200, first.get_json()
    lookups = with_metric(emf_documents(stream.getvalue()), "QuoteCacheHits")
    assert [(d["Market"], d["QuoteCacheHits"], d["QuoteCacheMisses"]) for d in lookups] == [
        ("simulated", 0, 2), ("simulated", 2, 0)]


def test_job_runs_record_duration_failures_and_lag(emf_app):
    with captured_log_stream() as stream:
        run_job(emf_app, "health.heartbeat")
        run_job(emf_app, "health.heartbeat")
    runs = with_metric(emf_documents(stream.getvalue()), "JobRuns")
    assert [(d["Job"], d["JobRuns"], d["JobFailures"], d["outcome"]) for d in runs] == [
        ("health.heartbeat", 1, 0, "ok")] * 2
    assert all(d["JobDuration"] >= 0 for d in runs)
    # Due every 60 s and run twice at once: the second start is early, so not late at all.
    assert [d["JobLag"] for d in runs] == [0, 0]


def test_a_failing_job_is_counted_as_a_failure_and_still_raises(emf_app, monkeypatch):
    from invsim.api import health_jobs

    def broken() -> str:
        raise RuntimeError("store down")

    monkeypatch.setattr(health_jobs, "heartbeat", broken)  # the job's own body, not the metric
    with captured_log_stream() as stream, pytest.raises(RuntimeError, match="store down"):
        run_job(emf_app, "health.heartbeat")
    (run,) = with_metric(emf_documents(stream.getvalue()), "JobRuns")
    assert (run["JobFailures"], run["outcome"]) == (1, "failed")


def test_a_late_job_reports_its_lag(emf_app):
    from invsim.extensions import stores
    from invsim.job_metrics import LAST_START_KEY, wall_clock

    with emf_app.app_context():
        # The previous start was 100 s ago; the job is due every 60 s: 40 s late.
        stores.kv.set(LAST_START_KEY + "health.heartbeat", repr(wall_clock() - 100), 600)
    with captured_log_stream() as stream:
        run_job(emf_app, "health.heartbeat")
    (run,) = with_metric(emf_documents(stream.getvalue()), "JobRuns")
    assert 39 < run["JobLag"] < 45


def test_no_emf_line_while_the_setting_is_off(client):
    with captured_log_stream() as stream:
        assert client.get("/healthz").status_code == 200
    assert "_aws" not in stream.getvalue()


def test_emf_needs_json_logs(tmp_path):
    with pytest.raises(ConfigError, match="METRICS_EMF: needs JSON logs"):
        load_settings(var_dir=tmp_path, metrics_emf=True, log_json=False)
    assert load_settings(var_dir=tmp_path, metrics_emf=True).json_logs is True
    assert load_settings(var_dir=tmp_path).json_logs is False
