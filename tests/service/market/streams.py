"""Helpers for tests of live quotes."""

from __future__ import annotations

import json
import time

from invsim.core.kvstore import KeyValueStore
from invsim.market.stream import QuoteHub
from invsim.market.ticks import CHANNEL


def started_hub(kv: KeyValueStore, timeout: float = 5.0) -> QuoteHub:
    """Return a new hub whose shared subscription provably receives messages."""
    return wait_until_listening(QuoteHub(kv), timeout)


def wait_until_listening(hub: QuoteHub, timeout: float = 5.0) -> QuoteHub:
    """Publish probes until the hub's subscription delivers one."""
    probe = hub.subscribe(["PROBE"])
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            hub.kv.publish(CHANNEL, json.dumps({"symbol": "PROBE"}))
            if probe.next(0.02) is not None:
                return hub
    finally:
        hub.unsubscribe(probe)
    raise AssertionError("the hub never received a message")
