"""GET /market/stream: Server-Sent Events with a snapshot, then every published tick."""

import json
from datetime import UTC, datetime, timedelta

from invsim.core.clock import set_clock
from invsim.extensions import stores
from invsim.market import service
from invsim.market.stream import hub_for
from tests.service.market.streams import wait_until_listening

NOW = datetime(2026, 11, 24, 17, 0, 7, tzinfo=UTC)


def events_of(response):
    """Yield SSE events one by one (a chunk may carry several)."""
    for chunk in response.response:
        text = chunk.decode() if isinstance(chunk, bytes) else chunk
        for event in text.split("\n\n"):
            if event:
                yield event + "\n\n"


def parse(event):
    lines = dict(line.split(": ", 1) for line in event.strip().splitlines())
    return lines["event"], json.loads(lines["data"])


def test_the_stream_sends_a_snapshot_then_a_published_tick(client):
    set_clock(lambda: NOW)
    response = client.get("/api/v1/market/stream?symbols=aapl,MSFT", buffered=False)
    assert response.status_code == 200
    assert response.mimetype == "text/event-stream"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["X-Accel-Buffering"] == "no"
    events = events_of(response)
    assert next(events).startswith("retry: ")
    snapshot = [parse(next(events)) for _ in range(2)]
    assert [(kind, data["symbol"]) for kind, data in snapshot] == \
        [("quote", "AAPL"), ("quote", "MSFT")]
    wait_until_listening(hub_for(stores.kv))
    set_clock(lambda: NOW + timedelta(seconds=10))
    assert service.publish_ticks() == 2  # the open stream registered its interest
    ticks = [parse(next(events)) for _ in range(2)]
    assert {data["symbol"] for _, data in ticks} == {"AAPL", "MSFT"}
    assert all(data["as_of"] > snapshot[0][1]["as_of"] for _, data in ticks)
    response.close()
    assert hub_for(stores.kv).client_count() == 0
