"""The jobs table runs in-process (embedded) and through Celery (production)."""

import time

from invsim.extensions import stores
from invsim.jobs import JOBS, EmbeddedScheduler, find_job, resolve


def test_every_job_resolves_to_a_function():
    names = [job.name for job in JOBS]
    assert len(names) == len(set(names))
    for job in JOBS:
        assert callable(resolve(job))


def test_embedded_scheduler_runs_the_heartbeat_job(app):
    stores.kv.delete("jobs:heartbeat")
    scheduler = EmbeddedScheduler(app, jobs=(find_job("health.heartbeat"),))
    scheduler.start()
    try:
        deadline = time.time() + 5
        while stores.kv.get("jobs:heartbeat") is None and time.time() < deadline:
            time.sleep(0.05)
    finally:
        scheduler.stop()
    assert stores.kv.get("jobs:heartbeat") is not None


def test_celery_worker_runs_the_health_task(redis_url):
    from celery.contrib.testing.worker import start_worker

    from invsim.worker import create_celery

    celery = create_celery(redis_url)
    celery.conf.update(task_default_queue="invsim-test")
    with start_worker(celery, pool="solo", perform_ping_check=False, shutdown_timeout=10,
                      queues=["invsim-test"]):
        result = celery.send_task("invsim.ping", queue="invsim-test")
        assert result.get(timeout=20) == "pong"


def test_beat_schedule_lists_every_job():
    from invsim.worker import beat_schedule

    schedule = beat_schedule()
    assert set(schedule) == {job.name for job in JOBS}
    assert all(entry["task"] == "invsim.run_job" for entry in schedule.values())
