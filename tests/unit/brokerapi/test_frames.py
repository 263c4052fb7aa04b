"""The market-data frames: trades and minute bars read from successive ticks, and the codec."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import msgpack

from invsim.brokerapi.frames import Codec, Tick, TickReader, decode

T0 = datetime(2025, 3, 4, 15, 0, 10, tzinfo=UTC)


def tick(seconds: float, last: float, volume: int) -> Tick:
    return Tick("AAPL", bid=last - 0.01, ask=last + 0.01, last=last, volume=volume,
                at=T0 + timedelta(seconds=seconds))


def read(reader: TickReader, item: Tick) -> tuple[dict | None, dict | None]:
    found = reader.trade(item), reader.bar(item)
    reader.seen(item)
    return found


def test_trades_need_volume_growth_and_bars_close_with_the_next_minute():
    reader = TickReader()
    assert read(reader, tick(0, 10.0, 1000)) == (None, None)  # the baseline
    trade, bar = read(reader, tick(20, 12.0, 1300))
    assert (trade["p"], trade["s"], trade["i"]) == (12.0, 300, 1) and bar is None
    assert read(reader, tick(20, 12.0, 1300)) == (None, None)  # a repeated tick
    assert read(reader, tick(40, 9.0, 1400))[0]["s"] == 100
    trade, bar = read(reader, tick(55, 11.0, 1600))  # 15:01:05, the next minute
    assert trade["s"] == 200
    assert bar["t"] == T0.replace(second=0) and bar["n"] == 3
    assert (bar["o"], bar["h"], bar["l"], bar["c"], bar["v"]) == (10.0, 12.0, 9.0, 9.0, 400)
    assert bar["vw"] == round((12.0 * 300 + 9.0 * 100) / 400, 6)


def test_codec_writes_msgpack_timestamps_or_rfc3339_and_reads_both():
    message = {"T": "q", "S": "AAPL", "t": T0}
    packed = msgpack.unpackb(Codec(binary=True).encode([message]))
    assert packed[0]["t"].to_datetime() == T0
    assert json.loads(Codec(binary=False).encode([message]))[0]["t"] == "2025-03-04T15:00:10Z"
    assert decode(msgpack.packb({"action": "auth"})) == {"action": "auth"}
    assert decode('{"action": "auth"}') == {"action": "auth"}
    assert decode(b"\xc1") is None and decode("{nope") is None
