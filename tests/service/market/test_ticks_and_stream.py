"""Live quotes: interest registry, tick publishing, the per-process hub and the SSE generator."""

import json
from datetime import UTC, datetime, timedelta

from invsim.core.clock import set_clock
from invsim.extensions import stores
from invsim.jobs import find_job
from invsim.market import jobs, service
from invsim.market.stream import CLIENT_QUEUE_SIZE, QuoteHub, StreamClient, sse_events
from invsim.market.ticks import CHANNEL, register_interest

NOW = datetime(2026, 11, 24, 17, 0, 7, tzinfo=UTC)


def test_publish_ticks_sends_watched_and_requested_symbols(ctx, start_hub):
    set_clock(lambda: NOW)
    hub = start_hub(stores.kv)
    client = hub.subscribe(["AAPL", "MSFT"])  # registers interest in AAPL and MSFT
    assert service.watched_symbols() == ["AAPL", "MSFT"]
    assert service.publish_ticks(["MSFT", "SPY", "ZZZZ"]) == 3
    messages = [json.loads(client.next(2.0)) for _ in range(2)]
    assert {m["symbol"] for m in messages} == {"AAPL", "MSFT"}
    assert messages[0]["source"] == "simulated" and isinstance(messages[0]["last"], str)


def test_without_watchers_nothing_is_published(ctx):
    assert service.publish_ticks() == 0


def test_publishing_twice_in_one_tick_sends_the_same_quotes(ctx, start_hub):
    set_clock(lambda: NOW)
    client = start_hub(stores.kv).subscribe(["SPY"])
    service.publish_ticks(["SPY"])
    service.publish_ticks(["SPY"])
    assert client.next(2.0) == client.next(2.0)


def test_the_tick_job_publishes_once_per_tick_when_two_workers_run_it(ctx):
    set_clock(lambda: NOW)
    register_interest(stores.kv, ["AAPL"])
    assert jobs.tick() == 1
    assert jobs.tick() == 0
    set_clock(lambda: NOW + timedelta(seconds=5))
    assert jobs.tick() == 1


def test_the_jobs_table_lists_the_market_jobs(ctx):
    tick = find_job("market.tick")
    assert tick.function == "invsim.market.jobs:tick"
    assert tick.interval(ctx.config["INVSIM_SETTINGS"]) == 5.0
    assert find_job("market.refresh_real_quotes").interval_seconds == 60
    assert find_job("market.backfill_daily_bars").interval_seconds == 86400


def test_the_hub_hands_a_tick_only_to_clients_watching_its_symbol(ctx, start_hub):
    hub = start_hub(stores.kv)
    apple, microsoft = hub.subscribe(["AAPL"]), hub.subscribe(["MSFT", "AAPL"])
    stores.kv.publish(CHANNEL, json.dumps({"symbol": "MSFT", "last": "1"}))
    assert json.loads(microsoft.next(2.0))["symbol"] == "MSFT"
    assert apple.next(0.05) is None
    hub.unsubscribe(microsoft)
    assert hub.client_count() == 1
    assert hub.dispatch(json.dumps({"symbol": "MSFT"})) == 0
    assert hub.dispatch("not json") == 0


def test_a_slow_client_loses_its_oldest_messages_not_the_newest():
    client = StreamClient(["AAPL"])
    for number in range(CLIENT_QUEUE_SIZE + 10):
        client.offer(str(number))
    assert client.next(0) == "10"
    assert client.inbox.qsize() == CLIENT_QUEUE_SIZE - 1


def test_sse_events_send_the_snapshot_then_quotes_then_heartbeats(ctx):
    hub = QuoteHub(stores.kv)
    client = hub.subscribe(["AAPL"])
    events = sse_events(hub, client, ['{"symbol":"AAPL","last":"1"}'], heartbeat=0.05)
    assert next(events).startswith("retry: ")
    assert next(events) == 'event: quote\ndata: {"symbol":"AAPL","last":"1"}\n\n'
    hub.dispatch('{"symbol":"AAPL","last":"2"}')
    assert next(events) == 'event: quote\ndata: {"symbol":"AAPL","last":"2"}\n\n'
    assert next(events) == ": heartbeat\n\n"
    events.close()
    assert hub.client_count() == 0


def test_a_new_stream_starts_with_the_latest_tick_the_process_saw(ctx):
    from invsim.market.stream import hub_for, open_stream

    hub = hub_for(stores.kv)
    hub.dispatch('{"symbol":"AAPL","last":"7","marker":true}')
    events = open_stream(["aapl"])
    next(events)
    assert next(events) == 'event: quote\ndata: {"symbol":"AAPL","last":"7","marker":true}\n\n'
    events.close()
