"""The Celery queue's depth, read from the real Redis broker and written as EMF."""

from __future__ import annotations

from typing import Any

import redis

from invsim.core import emf
from invsim.worker import QUEUE, create_celery, emit_queue_depth, queue_depth


def test_queue_depth_counts_the_waiting_messages_and_is_written_as_emf(redis_url: str):
    broker = redis.Redis.from_url(redis_url)
    broker.delete(QUEUE)
    celery = create_celery(redis_url)
    try:
        assert queue_depth(celery) == 0
        for _ in range(3):
            celery.send_task("invsim.ping")  # nobody consumes this broker: they wait
        assert queue_depth(celery) == 3
        written: list[dict[str, Any]] = []
        emf.emitter.configure(enabled=True, namespace="invsim-test", sink=written.append)
        emit_queue_depth(celery)
        (document,) = written
        assert (document["Queue"], document["QueueDepth"]) == (QUEUE, 3)
        assert document["_aws"]["CloudWatchMetrics"][0]["Metrics"] == [
            {"Name": "QueueDepth", "Unit": "Count"}]
    finally:
        emf.emitter.configure(enabled=False, namespace="invsim", sink=None)
        broker.delete(QUEUE)


def test_an_unreachable_broker_skips_the_metric_and_does_not_raise():
    celery = create_celery("redis://127.0.0.1:1/0")  # nothing listens on port 1
    celery.conf.broker_connection_timeout = 1
    celery.conf.broker_transport_options = {"max_retries": 0}
    written: list[dict[str, Any]] = []
    emf.emitter.configure(enabled=True, namespace="invsim-test", sink=written.append)
    try:
        emit_queue_depth(celery)
    finally:
        emf.emitter.configure(enabled=False, namespace="invsim", sink=None)
    assert written == []
