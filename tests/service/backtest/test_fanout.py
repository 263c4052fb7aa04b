"""Sweep fan-out over real Celery workers and Redis: results gathered exactly once.

In-thread workers (celery.contrib.testing) for the ordinary path and duplicates;
a worker *process* killed with SIGKILL mid-chunk for the redelivery path.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from decimal import Decimal
from pathlib import Path

import pytest

from invsim.backtest.broker import BrokerConfig
from invsim.backtest.fanout import (
    CeleryExecutor,
    decode_broker,
    decode_panel,
    encode_broker,
    encode_input,
    encode_panel,
    input_key,
    register_sweep_tasks,
    results_key,
    run_stored_chunk,
    runs_key,
)
from invsim.backtest.strategies import BUILTINS
from invsim.backtest.sweep import Chunk, SweepError, run_chunk, run_sweep
from invsim.trading.engine.costs import CommissionModel
from invsim.trading.engine.rules import AccountType, TradingRules
from tests.unit.backtest.sweep_bars import walk_panel

SMA = BUILTINS["sma_cross"]
BROKER = BrokerConfig(cash=Decimal("10000"), rules=TradingRules(
    commission=CommissionModel.percent(Decimal("0.1")), slippage_bps=Decimal("2"),
    account_type=AccountType.MARGIN, allow_short=True), margin_interest_rate=Decimal("0.05"))
SPACE = {"fast": [5, 10, 15], "slow": [30, 60], "long_short": [True, False]}
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def panel():
    """Three years of one symbol's daily bars."""
    return walk_panel(750, seed=11)


@pytest.fixture()
def client(redis_url):
    """A Redis client on the test database."""
    import redis

    return redis.Redis.from_url(redis_url)


@pytest.fixture()
def celery_app(redis_url):
    """A Celery app on the test Redis with the sweep task, on a queue of its own."""
    from invsim.worker import create_celery

    app = create_celery(redis_url)
    app.conf.update(task_default_queue=f"sweep-test-{uuid.uuid4().hex[:8]}")
    register_sweep_tasks(app, redis_url)
    return app


def in_thread_worker(app):
    """Start a real worker (solo pool) in this process."""
    from celery.contrib.testing.worker import start_worker

    return start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10,
                        queues=[app.conf.task_default_queue])


def test_the_wire_form_round_trips_bars_and_account(panel):
    again = decode_panel(encode_panel(panel))
    assert again.times == panel.times and again.series == panel.series
    assert decode_broker(encode_broker(BROKER)) == BROKER
    with pytest.raises(SweepError, match="only built-in strategies"):
        class Mine(SMA):  # a user's subclass is not a built-in, whatever its name
            pass
        encode_input(Chunk(Mine, BROKER, panel, None, ()))


def test_a_sweep_on_celery_workers_equals_the_in_process_sweep(celery_app, client, panel):
    here = run_sweep(SMA, SPACE, panel, BROKER, chunk_size=3)
    executor = CeleryExecutor(celery_app, client, queue=celery_app.conf.task_default_queue,
                              timeout=600)
    with in_thread_worker(celery_app):
        there = run_sweep(SMA, SPACE, panel, BROKER, executor=executor, chunk_size=3)
    assert there.rows == here.rows and len(there.rows) == 12
    sweep_id = executor.last_sweep_id
    assert client.hlen(results_key(sweep_id)) == 4  # 12 combinations in chunks of 3
    assert not client.exists(input_key(sweep_id))  # the inputs are dropped once gathered


def test_a_duplicate_delivery_is_gathered_once(celery_app, client, panel):
    params = [{"fast": f, "slow": 60, "long_short": False, "fraction": Decimal(1)}
              for f in (5, 10, 20, 30)]
    chunks = [Chunk(SMA, BROKER, panel, None, tuple(params[i:i + 2])) for i in (0, 2)]
    executor = CeleryExecutor(celery_app, client, queue=celery_app.conf.task_default_queue,
                              timeout=600)
    sweep_id = executor.start(chunks)
    executor.send(sweep_id, 0, chunks[0])  # chunk 0 delivered twice (as after a lost ack)
    executor.send(sweep_id, 0, chunks[0])
    with in_thread_worker(celery_app):
        gathered = list(executor.gather(sweep_id, chunks))
    assert gathered == [run_chunk(chunks[0]), run_chunk(chunks[1])]
    assert client.hlen(results_key(sweep_id)) == 2


def test_a_chunk_that_fails_on_the_worker_fails_the_sweep_at_once(celery_app, client, panel):
    bad = Chunk(SMA, BROKER, panel, None, ({"fast": 50, "slow": 20},))  # never validated
    executor = CeleryExecutor(celery_app, client, queue=celery_app.conf.task_default_queue,
                              timeout=600)
    began = time.monotonic()
    with in_thread_worker(celery_app), pytest.raises(
            SweepError, match="chunk 0 failed on a worker: ParamError: fast must be smaller"):
        list(executor.map(run_chunk, [bad]))
    assert time.monotonic() - began < 60


def test_two_runs_of_one_chunk_racing_store_one_result(client, panel):
    params = [{"fast": f, "slow": s, "long_short": False, "fraction": Decimal(1)}
              for f in (5, 10) for s in (40, 60, 90)]
    chunk = Chunk(SMA, BROKER, panel, None, tuple(params))
    sweep_id = uuid.uuid4().hex
    client.set(input_key(sweep_id), encode_input(chunk))
    start, stored = threading.Barrier(2), []

    def worker() -> None:
        start.wait()
        stored.append(run_stored_chunk(client, sweep_id, 0, params))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(stored) == [False, True]  # exactly one stored its result
    assert client.hlen(results_key(sweep_id)) == 1
    import json

    assert json.loads(client.hget(results_key(sweep_id), "0")) == run_chunk(chunk)
    assert run_stored_chunk(client, sweep_id, 0, params) is False  # later redelivery: no-op
    assert int(client.hget(runs_key(sweep_id), "0")) <= 2


def worker_process(redis_url: str, queue: str) -> subprocess.Popen[bytes]:
    """Start a real Celery worker process (solo pool) consuming the test queue."""
    env = {**os.environ, "INVSIM_FANOUT_REDIS_URL": redis_url, "INVSIM_FANOUT_QUEUE": queue,
           "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}"}
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "tests.service.backtest.fanout_worker_app",
         "worker", "--pool=solo", "-Q", queue, "--without-mingle", "--without-gossip",
         "--without-heartbeat", "-l", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a worker process this test started: warm shutdown, then SIGKILL after a minute."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def wait_for(condition, seconds: float) -> None:
    """Poll until `condition()` holds, or fail."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.01)


def test_a_worker_killed_mid_chunk_is_redone_elsewhere_and_counted_once(redis_url, client):
    from celery import Celery

    queue = f"sweep-kill-{uuid.uuid4().hex[:8]}"
    app = Celery("sender", broker=redis_url)
    panel = walk_panel(2520, seed=5)  # ten years: a chunk takes long enough to be killed in
    params = [{"fast": f, "slow": s, "long_short": False, "fraction": Decimal(1)}
              for f in range(5, 45, 2) for s in (50, 100, 150)]
    chunks = [Chunk(SMA, BROKER, panel, None, tuple(params[:40])),
              Chunk(SMA, BROKER, panel, None, tuple(params[40:]))]
    executor = CeleryExecutor(app, client, queue=queue, timeout=600, retry_after=10)
    first = worker_process(redis_url, queue)
    try:
        sweep_id = executor.start(chunks)
        wait_for(lambda: client.hget(runs_key(sweep_id), "0") is not None, 300)
        first.send_signal(signal.SIGKILL)  # mid-chunk: no result, no ack
        first.wait(10)
        assert client.hget(results_key(sweep_id), "0") is None
        second = worker_process(redis_url, queue)
        try:
            gathered = list(executor.gather(sweep_id, chunks))
        finally:
            stop(second)
    finally:
        stop(first)
    assert gathered == [run_chunk(chunks[0]), run_chunk(chunks[1])]
    assert sum(len(rows) for rows in gathered) == len(params)  # nothing twice, nothing lost
    assert client.hlen(results_key(sweep_id)) == 2
    assert int(client.hget(runs_key(sweep_id), "0")) >= 2  # chunk 0 really ran again
