"""Alpaca's market-data stream frames: the codec, and quotes/trades/bars from invsim's ticks.

Alpaca answers in msgpack when the client connects with `Content-Type:
application/msgpack` (alpaca-py and alpaca-trade-api do), else in JSON; instants are
msgpack timestamps or RFC 3339 strings, prices are numbers (floats), as Alpaca sends.

invsim publishes one quote per symbol and tick (bid, ask, last, cumulative day
volume). Each is sent as Alpaca's quote `q`; a trade `t` is the tick's last price
when the day volume grew since the connection's previous tick of the symbol (size =
the growth); a minute bar `b` is built per connection from the ticks of a minute and
sent when the first tick of the next minute arrives. Quote sizes are not simulated
(always 100 shares).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import msgpack

QUOTE_SIZE = 100
EXCHANGE = "V"  # IEX's code: invsim's feed stands in for Alpaca's free IEX feed


@dataclass(frozen=True)
class Codec:
    """How one connection's frames are written: msgpack (binary) or JSON (text)."""

    binary: bool

    def encode(self, messages: list[dict[str, Any]]) -> bytes | str:
        """One frame holding a list of messages, as Alpaca batches them."""
        if self.binary:
            packed: bytes = msgpack.packb([_packable(m) for m in messages])
            return packed
        return json.dumps([_jsonable(m) for m in messages], separators=(",", ":"))


def decode(frame: bytes | str) -> Any:
    """A client frame (msgpack when binary, JSON when text); None when unreadable."""
    try:
        if isinstance(frame, bytes):
            return msgpack.unpackb(frame, raw=False, strict_map_key=False)
        return json.loads(frame)
    except (ValueError, TypeError, msgpack.ExtraData, msgpack.FormatError,
            msgpack.StackError):
        return None


def _packable(message: dict[str, Any]) -> dict[str, Any]:
    return {k: msgpack.Timestamp.from_datetime(v) if isinstance(v, datetime) else v
            for k, v in message.items()}


def _jsonable(message: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat().replace("+00:00", "Z") if isinstance(v, datetime) else v
            for k, v in message.items()}


@dataclass(frozen=True)
class Tick:
    """One published quote, read from the "quotes" channel's JSON."""

    symbol: str
    bid: float
    ask: float
    last: float
    volume: int
    at: datetime

    @classmethod
    def parse(cls, message: str) -> Tick | None:
        """Read a channel message (None when it is not a quote)."""
        try:
            data = json.loads(message)
            return cls(symbol=str(data["symbol"]), bid=_float(data["bid"]),
                       ask=_float(data["ask"]), last=_float(data["last"]),
                       volume=int(data["volume"]),
                       at=datetime.fromisoformat(str(data["as_of"]).replace("Z", "+00:00")))
        except (ValueError, KeyError, TypeError, ArithmeticError):
            return None


def _float(text: Any) -> float:
    return float(Decimal(str(text)))


def quote(tick: Tick) -> dict[str, Any]:
    """Alpaca's quote message."""
    return {"T": "q", "S": tick.symbol, "bx": EXCHANGE, "bp": tick.bid, "bs": QUOTE_SIZE,
            "ax": EXCHANGE, "ap": tick.ask, "as": QUOTE_SIZE, "t": tick.at, "c": ["R"]}


@dataclass
class _Minute:
    start: datetime
    open: float
    high: float
    low: float
    close: float
    volume: int = 0
    ticks: int = 1
    value: float = 0.0


class TickReader:
    """Per connection and symbol: the previous tick (for trades) and the minute being built."""

    def __init__(self) -> None:
        self._previous: dict[str, Tick] = {}
        self._minutes: dict[str, _Minute] = {}
        self._trade_ids = 0

    def trade(self, tick: Tick) -> dict[str, Any] | None:
        """Alpaca's trade message when volume traded since the previous tick, else None."""
        previous = self._previous.get(tick.symbol)
        if previous is None or tick.at <= previous.at or tick.volume <= previous.volume:
            return None
        self._trade_ids += 1
        return {"T": "t", "S": tick.symbol, "i": self._trade_ids, "x": EXCHANGE,
                "p": tick.last, "s": tick.volume - previous.volume, "t": tick.at,
                "c": ["@"]}

    def bar(self, tick: Tick) -> dict[str, Any] | None:
        """Add the tick to its minute; return the previous minute's bar once it is over."""
        start = tick.at.replace(second=0, microsecond=0)
        previous = self._previous.get(tick.symbol)
        grew = max(tick.volume - previous.volume, 0) if previous is not None else 0
        current = self._minutes.get(tick.symbol)
        finished = None
        if current is not None and start > current.start:
            finished = _bar_message(tick.symbol, current)
            current = None
        if current is None:
            self._minutes[tick.symbol] = _Minute(start, tick.last, tick.last, tick.last,
                                                 tick.last, grew, 1, grew * tick.last)
        elif previous is None or tick.at > previous.at:
            current.high = max(current.high, tick.last)
            current.low = min(current.low, tick.last)
            current.close = tick.last
            current.volume += grew
            current.ticks += 1
            current.value += grew * tick.last
        return finished

    def seen(self, tick: Tick) -> None:
        """Remember the tick as the symbol's previous one (after trade and bar read it)."""
        previous = self._previous.get(tick.symbol)
        if previous is None or tick.at >= previous.at:
            self._previous[tick.symbol] = tick


def _bar_message(symbol: str, minute: _Minute) -> dict[str, Any]:
    vwap = minute.value / minute.volume if minute.volume else minute.close
    return {"T": "b", "S": symbol, "o": minute.open, "h": minute.high, "l": minute.low,
            "c": minute.close, "v": minute.volume, "t": minute.start, "n": minute.ticks,
            "vw": round(vwap, 6)}
