"""The backtest service: the concurrent limit, the job on a real Celery worker, stale runs."""

from __future__ import annotations

from datetime import timedelta

import pytest

from invsim.backtest import jobs, service
from invsim.backtest.models import BacktestRun
from invsim.backtest.schemas import BacktestIn
from invsim.core.clock import set_clock, utcnow
from invsim.core.errors import RateLimited
from invsim.core.kvstore import MemoryStore
from invsim.extensions import db, stores
from tests.factories import new_user

REQUEST = {"strategy": "sma_cross", "params": {"fast": 5, "slow": 20}, "symbols": ["AAPL"],
           "start": "2024-01-01", "end": "2024-06-30"}


@pytest.fixture()
def owner(app):
    """A user, with the daily counters in a store of this test only."""
    previous = stores.kv
    stores.kv = MemoryStore()
    with app.app_context():
        yield new_user("bt")
    stores.kv = previous


def saved(owner_id: int, status: str, **fields) -> int:
    """Write a run in a given state (as a job in progress leaves it)."""
    with db.transaction() as session:
        row = BacktestRun(user_id=owner_id, status=status, progress=50, kind="run",
                          request=REQUEST, provenance={}, **fields)
        session.add(row)
        session.flush()
        return row.id


def test_runs_in_progress_count_against_the_concurrent_limit(app, owner):
    with app.test_request_context():
        saved(owner.id, "running")
        saved(owner.id, "queued")
        with pytest.raises(RateLimited) as refused:
            service.create_run(owner_id=owner.id, body=BacktestIn.model_validate(REQUEST))
        assert refused.value.code == "too_many_running" and refused.value.retry_after > 0
        assert service.list_runs(owner_id=owner.id, limit=10, offset=0)[1] == 2
        other = new_user("bt")
        saved(other.id, "running")  # another user's runs do not count
        row = service.create_run(owner_id=other.id, body=BacktestIn.model_validate(REQUEST))
        assert row.user_id == other.id and _wait(other.id, row.id).status == "done"
        # a finished run frees its place
        first = service.list_runs(owner_id=owner.id, limit=10, offset=0)[0][-1].id
        with db.transaction() as session:
            session.get(BacktestRun, first).status = "done"
        freed = service.create_run(owner_id=owner.id, body=BacktestIn.model_validate(REQUEST))
        assert _wait(owner.id, freed.id).status == "done"


def test_stale_runs_are_failed_and_stop_counting(app, owner):
    with app.app_context():
        old = saved(owner.id, "running")
        later = utcnow() + timedelta(hours=2)
        set_clock(lambda: later)
        fresh = saved(owner.id, "queued")
        assert jobs.fail_stale() == 1
        stale = service.get_run(owner_id=owner.id, run_id=old)
        assert stale.status == "failed" and "did not finish" in (stale.error or "")
        assert service.get_run(owner_id=owner.id, run_id=fresh).status == "queued"


def test_a_finished_or_deleted_run_is_not_run_again(app, owner):
    with app.app_context():
        done = saved(owner.id, "done", summary={"trades": 1})
        service.execute_run(done)
        assert service.get_run(owner_id=owner.id, run_id=done).summary == {"trades": 1}
        service.execute_run(10**9)  # deleted: nothing to do, nothing raised


def test_a_queued_run_executes_on_a_real_celery_worker(app, owner, redis_url):
    from celery.contrib.testing.worker import start_worker

    import invsim.worker as worker

    celery = worker.create_celery(redis_url)
    celery.conf.update(task_default_queue="invsim-test-bt")
    previous, worker._flask_app = worker._flask_app, app
    try:
        with app.app_context():
            run_id = saved(owner.id, "queued")
            with start_worker(celery, pool="solo", perform_ping_check=False,
                              shutdown_timeout=10, queues=["invsim-test-bt"]):
                celery.send_task(jobs.TASK_NAME, args=[run_id], queue="invsim-test-bt")
                row = _wait(owner.id, run_id)
        assert row.status == "done", row.error
        assert row.summary and row.summary["bars"] == 182 and row.progress == 100
    finally:
        worker._flask_app = previous


def _wait(owner_id: int, run_id: int) -> BacktestRun:
    """Poll until the run is finished (or 30 s pass)."""
    import time

    deadline = time.monotonic() + 30
    while True:
        row = service.get_run(owner_id=owner_id, run_id=run_id)
        if row.status in ("done", "failed") or time.monotonic() > deadline:
            return row
        db.session.expire_all()
        time.sleep(0.1)


def test_in_production_a_submission_is_sent_to_the_celery_workers(make_app, redis_url):
    from celery.contrib.testing.worker import start_worker

    import invsim.worker as worker
    from invsim.backtest.runner import celery_app

    app = make_app(invsim_mode="production", redis_url=redis_url,
                   allow_local_keys_in_production=True)
    celery = celery_app(redis_url)  # the client the service sends with, on this REDIS_URL
    previous, worker._flask_app = worker._flask_app, app
    try:
        with app.test_request_context():
            owner = new_user("bt")
            with start_worker(celery, pool="solo", perform_ping_check=False,
                              shutdown_timeout=10, queues=["invsim"]):
                row = service.create_run(owner_id=owner.id,
                                         body=BacktestIn.model_validate(REQUEST))
                done = _wait(owner.id, row.id)
        assert done.status == "done", done.error
        assert done.summary and done.summary["bars"] == 182
    finally:
        worker._flask_app = previous
