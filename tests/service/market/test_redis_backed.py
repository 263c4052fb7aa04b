"""The shared store on a real Redis: quote cache, request budget, back-off and pub/sub fan-out."""

import json
import threading
from datetime import UTC, datetime

import pytest

from invsim.core.clock import set_clock
from invsim.core.kvstore import RedisStore
from invsim.extensions import stores
from invsim.market import service
from invsim.market.budget import RequestBudget
from invsim.market.provider import cache_namespace
from invsim.market.ticks import CHANNEL

NOW = datetime(2026, 11, 24, 17, 0, 7, tzinfo=UTC)


@pytest.fixture()
def redis_kv(redis_url):
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    return RedisStore(redis_url)


def test_simulated_quotes_are_cached_in_redis_for_one_tick(make_app, redis_kv, redis_url):
    app = make_app(redis_url=redis_url)
    with app.app_context():
        set_clock(lambda: NOW)
        quote = service.get_quote("AAPL")
        key = f"mkt:q:{cache_namespace()}:AAPL"
        assert redis_kv.get(key) is not None
        assert 0 < redis_kv.ttl(key) <= 6
        assert service.get_quotes(["AAPL"])["AAPL"] == quote


def test_two_processes_share_one_budget_and_never_exceed_it(redis_kv, redis_url):
    set_clock(lambda: NOW)
    budgets = [RequestBudget(RedisStore(redis_url), namespace="shared", per_minute=5,
                             per_day=25) for _ in range(2)]
    granted = []

    def spend(budget):
        for _ in range(10):
            granted.append(budget.acquire())

    threads = [threading.Thread(target=spend, args=(b,)) for b in budgets * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert granted.count(True) == 5
    assert budgets[0].used()[1] == 5  # refused minutes never touched the daily allowance


def test_a_back_off_set_by_one_process_stops_the_others(redis_kv, redis_url):
    set_clock(None)
    first = RequestBudget(RedisStore(redis_url), namespace="b", per_minute=5, per_day=25)
    second = RequestBudget(RedisStore(redis_url), namespace="b", per_minute=5, per_day=25)
    first.back_off(datetime(2100, 1, 1, tzinfo=UTC), "quota_exhausted")
    assert second.acquire() is False
    assert second.back_off_state().reason == "quota_exhausted"


def test_one_redis_subscription_per_process_feeds_every_stream_client(redis_kv, redis_url, start_hub):
    import redis

    def subscribers():
        # Channels are server-wide, so PUBSUB NUMSUB counts other workers' hubs too;
        # subscribed connections on this worker's own database are this test's.
        own = redis.Redis.from_url(redis_url)
        database = own.connection_pool.connection_kwargs.get("db", 0)
        return sum(1 for c in own.client_list() if int(c["db"]) == database and int(c["sub"]) > 0)

    before = subscribers()
    hub = start_hub(RedisStore(redis_url))
    clients = [hub.subscribe(["AAPL"]) for _ in range(50)]
    assert subscribers() == before + 1
    redis_kv.publish(CHANNEL, json.dumps({"symbol": "AAPL", "last": "3"}))
    assert all(json.loads(c.next(2.0))["last"] == "3" for c in clients)


def test_publish_ticks_reaches_redis_subscribers(make_app, redis_kv, redis_url, start_hub):
    app = make_app(redis_url=redis_url)
    with app.app_context():
        set_clock(lambda: NOW)
        client = start_hub(RedisStore(redis_url)).subscribe(["MSFT"])  # registers interest
        assert stores.kv is not redis_kv and service.publish_ticks() == 1
        assert json.loads(client.next(2.0))["symbol"] == "MSFT"
