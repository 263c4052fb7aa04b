"""Alpaca's websocket streams: `trade_updates` at /alpaca/stream, market data at /alpaca/v2/iex.

The SDKs' stream clients work unchanged with `url_override="ws://HOST/alpaca/stream"`
(alpaca-py `TradingStream`) and `"ws://HOST/alpaca/v2/iex"` (`StockDataStream`); the
protocol is in docs/bots-streams.md. Authentication is in-band (the first message),
as Alpaca's: a wrong key gets Alpaca's refusal and the socket is closed.

- trade_updates: trading publishes each committed status change on the "orders"
  channel (`trading/events.py`); a connection listens to its key's portfolio only,
  loads the order (`trading.service.get_order`, a short read per event) and sends
  Alpaca's `{"stream": "trade_updates", "data": {"event", "order", ...}}`.
- market data: the "quotes" channel the tick job feeds (`market/ticks.py`), read
  as Alpaca's `q` / `t` / `b` messages (`frames.py`).

Each process holds one subscription per channel (`fanout.py`), not one per socket.
The routes are flask-sock's (simple-websocket): they run in the threaded development
server (`invsim run`, the tests' werkzeug server) and, in production, in the stream
process made for long connections, `gunicorn -k gevent invsim.market.stream:app`
(a greenlet per socket). nginx sends /alpaca/stream and /alpaca/v2/iex|sip there with
`proxy_http_version 1.1`, `Upgrade $http_upgrade`, `Connection "upgrade"` and a long
`proxy_read_timeout` (snippet in docs/bots-streams.md).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import structlog
from flask import Blueprint, request
from flask_sock import Sock

from invsim.brokerapi import keys, wire
from invsim.brokerapi.auth import trading_key
from invsim.brokerapi.fanout import POLL_SECONDS, Fanout, Listener, fanout
from invsim.brokerapi.frames import Codec, Tick, TickReader, decode, quote
from invsim.brokerapi.models import ApiKey
from invsim.core.errors import Forbidden, NotFound, Unauthorized
from invsim.extensions import db, stores
from invsim.market import service as market
from invsim.trading import service as trading

log = structlog.get_logger("invsim.brokerapi.streams")

bp = Blueprint("alpaca_streams", __name__, url_prefix="/alpaca")
sock = Sock()

AUTH_TIMEOUT_SECONDS = 10.0
RECHECK_SECONDS = 60.0  # an open socket notices a revoked key within a minute
MAX_SYMBOLS = 200
# invsim's status -> Alpaca's event. `new` is always followed in the same transaction by
# `accepted` (Alpaca's "new": the order works) or `rejected`, so it is not sent itself.
EVENTS = {"accepted": "new", "partially_filled": "partial_fill", "filled": "fill",
          "canceled": "canceled", "expired": "expired", "rejected": "rejected",
          "replaced": "replaced"}
DATA_KINDS = ("trades", "quotes", "bars")
UNSUPPORTED_KINDS = ("updatedBars", "dailyBars", "statuses", "lulds")


@dataclass(frozen=True)
class Login:
    """The key a socket authenticated with (its secret, to re-check it while open)."""

    key_id: str
    secret: str
    owner_id: int
    portfolio_id: int


def _login(key_id: Any, secret: Any, *, trading_allowed: bool) -> Login | None:
    """Check credentials as the REST layer does; None for any refusal (one answer for all)."""
    if not isinstance(key_id, str) or not isinstance(secret, str):
        return None
    try:
        with db.read():
            key: ApiKey = (trading_key(key_id.strip(), secret.strip())[0] if trading_allowed
                           else keys.authenticate(key_id.strip(), secret.strip()))
        keys.touch(key)
    except (Unauthorized, Forbidden, NotFound):
        return None
    return Login(key.key_id, secret.strip(), key.user_id, key.portfolio_id)


def _still_valid(login: Login, trading_allowed: bool) -> bool:
    return _login(login.key_id, login.secret, trading_allowed=trading_allowed) is not None


def _refuse(ws: Any) -> None:
    """Close after a refusal, with the policy-violation code (1008) as Alpaca does.

    Then wait (briefly) for the socket's reader to take the client's closing reply:
    werkzeug drains the socket when the view returns and, had it read that reply
    first, would block until the client gave up (a 10 s hang in the dev server).
    """
    ws.close(reason=1008, message="unauthorized")
    reader = getattr(ws, "thread", None)
    if reader is not None:
        reader.join(timeout=2.0)


def _receive(ws: Any, timeout: float) -> Any:
    """The next client message decoded (None when none came; `False` when unreadable)."""
    frame = ws.receive(timeout=timeout)
    if frame is None:
        return None
    found = decode(frame)
    return found if isinstance(found, dict) else False


# --- trade_updates --------------------------------------------------------------------------

def _order_feed() -> Fanout:
    def portfolio_of(message: str) -> str | None:
        try:
            return str(json.loads(message)["portfolio_id"])
        except (ValueError, KeyError, TypeError):
            return None

    return fanout("orders", lambda: Fanout("orders", trading.subscribe_order_events,
                                           portfolio_of))


def _authorization(status: str, action: str = "authenticate") -> str:
    return json.dumps({"stream": "authorization", "data": {"status": status, "action": action}})


def _trading_credentials(message: dict[str, Any]) -> tuple[Any, Any] | None:
    """The key and secret of either auth form (alpaca-py's `authenticate` or `auth`)."""
    if message.get("action") == "authenticate":
        data = message.get("data")
        return (data.get("key_id"), data.get("secret_key")) if isinstance(data, dict) else None
    if message.get("action") == "auth":
        return message.get("key"), message.get("secret")
    return None


def _trading_login(ws: Any) -> Login | None:
    message = _receive(ws, AUTH_TIMEOUT_SECONDS)
    credentials = _trading_credentials(message) if message else None
    login = _login(*credentials, trading_allowed=True) if credentials else None
    ws.send(_authorization("authorized" if login else "unauthorized"))
    if login is None:
        _refuse(ws)
    return login


def trade_update(login: Login, message: str) -> dict[str, Any] | None:
    """Alpaca's trade update for one "orders" message (None when not for this key)."""
    try:
        event = json.loads(message)
        name = EVENTS.get(event.get("event"))
        if name is None or event.get("portfolio_id") != login.portfolio_id:
            return None
        with db.read():
            order = trading.get_order(owner_id=login.owner_id, order_id=int(event["order_id"]))
            shaped = wire.jsonable(wire.order(order))
    except (ValueError, KeyError, TypeError, AttributeError, NotFound):
        return None  # not an order event, or an order gone since (a reset portfolio)
    data = {"event": name, "timestamp": event["at"], "order": shaped}
    if name in ("fill", "partial_fill"):
        data.update(price=event.get("price"), qty=event.get("qty"),
                    position_qty=event.get("position_qty"))
    return {"stream": "trade_updates", "data": data}


def _listen(ws: Any, message: dict[str, Any], login: Login,
            listener: Listener | None) -> Listener | None:
    """Answer a `listen` (trade_updates on or off); other actions are ignored."""
    if message.get("action") != "listen":
        return listener
    data = message.get("data")
    streams = data.get("streams") if isinstance(data, dict) else None
    wanted = isinstance(streams, list) and "trade_updates" in streams
    feed = _order_feed()
    if wanted and listener is None:
        listener = feed.add([str(login.portfolio_id)])
        feed.wait_ready()  # what commits after "listening" is delivered
    elif not wanted and listener is not None:
        feed.remove(listener)
        listener = None
    ws.send(json.dumps({"stream": "listening",
                        "data": {"streams": ["trade_updates"] if listener else []}}))
    return listener


def trade_updates(ws: Any) -> None:
    """Alpaca's trading stream: authenticate, listen, then the key's own order events."""
    login = _trading_login(ws)
    if login is None:
        return
    structlog.contextvars.bind_contextvars(api_key=login.key_id)
    listener: Listener | None = None
    checked = time.monotonic()
    try:
        while True:
            message = _receive(ws, 0 if listener else POLL_SECONDS)
            if message is False:
                ws.send(json.dumps({"stream": "error",
                                    "data": {"error_message": "invalid syntax"}}))
            elif message:
                listener = _listen(ws, message, login, listener)
            for item in listener.drain(POLL_SECONDS) if listener else ():
                update = trade_update(login, item)
                if update is not None:
                    ws.send(json.dumps(update))
            if time.monotonic() - checked > RECHECK_SECONDS:
                if not _still_valid(login, trading_allowed=True):
                    ws.send(_authorization("unauthorized"))
                    _refuse(ws)
                    return
                checked = time.monotonic()
    finally:
        _order_feed().remove(listener)


# --- market data ----------------------------------------------------------------------------

def _quote_feed() -> Fanout:
    def symbol_of(message: str) -> str | None:
        try:
            return str(json.loads(message)["symbol"])
        except (ValueError, KeyError, TypeError):
            return None

    def subscribe(timeout: float) -> Any:
        return stores.kv.subscribe([market.QUOTES_CHANNEL], timeout=timeout)

    return fanout("quotes", lambda: Fanout(
        "quotes", subscribe, symbol_of,
        refresh=lambda symbols: market.register_interest(stores.kv, symbols)))


def _error(code: int, text: str) -> dict[str, Any]:
    return {"T": "error", "code": code, "msg": text}


class DataSession:
    """One market-data socket: its codec, subscriptions and tick reader."""

    def __init__(self, ws: Any, codec: Codec) -> None:
        self.ws = ws
        self.codec = codec
        self.subscribed: dict[str, set[str]] = {kind: set() for kind in DATA_KINDS}
        self.listener: Listener | None = None
        self.reader = TickReader()
        self._quoted: dict[str, tuple[Any, ...]] = {}

    def send(self, *messages: dict[str, Any]) -> None:
        """Send one frame of messages."""
        self.ws.send(self.codec.encode(list(messages)))

    def login(self) -> Login | None:
        """Wait for `auth` (10 s); refuse anything else meanwhile."""
        deadline = time.monotonic() + AUTH_TIMEOUT_SECONDS
        while (left := deadline - time.monotonic()) > 0:
            message = _receive(self.ws, left)
            if message is None:
                break
            if message is False:
                self.send(_error(400, "invalid syntax"))
            elif message.get("action") != "auth":
                self.send(_error(401, "not authenticated"))
            else:
                login = _login(message.get("key"), message.get("secret"),
                               trading_allowed=False)
                if login is None:
                    self.send(_error(402, "auth failed"))
                    _refuse(self.ws)
                    return None
                self.send({"T": "success", "msg": "authenticated"})
                return login
        self.send(_error(404, "auth timeout"))
        _refuse(self.ws)
        return None

    def command(self, message: dict[str, Any]) -> None:
        """Apply a subscribe / unsubscribe and acknowledge it with the whole subscription."""
        action = message.get("action")
        if action == "auth":
            self.send(_error(403, "already authenticated"))
            return
        if action not in ("subscribe", "unsubscribe"):
            self.send(_error(400, "invalid syntax"))
            return
        changes = {kind: message.get(kind) or [] for kind in DATA_KINDS}
        if not all(isinstance(v, list) and all(isinstance(s, str) for s in v)
                   for v in changes.values()):
            self.send(_error(400, "invalid syntax"))
            return
        if any("*" in v for v in changes.values()):
            self.send(_error(410, "invalid subscribe action: the wildcard * is not supported"))
            return
        with db.read():
            known = market.known_symbols()
        wanted = {kind: {s.strip().upper() for s in v} & known for kind, v in changes.items()}
        after = {kind: (self.subscribed[kind] | wanted[kind]) if action == "subscribe"
                 else (self.subscribed[kind] - wanted[kind]) for kind in DATA_KINDS}
        if len(set().union(*after.values())) > MAX_SYMBOLS:
            self.send(_error(405, "symbol limit exceeded"))
            return
        self._follow(after)
        self.send(self.acknowledgement())

    def _follow(self, after: dict[str, set[str]]) -> None:
        """Listen to the new set of symbols (the new listener first, so no tick is lost)."""
        symbols = set().union(*after.values())
        before = set().union(*self.subscribed.values())
        self.subscribed = after
        if symbols == before:
            return
        feed = _quote_feed()
        old, self.listener = self.listener, feed.add(symbols) if symbols else None
        feed.remove(old)
        if symbols - before:
            market.register_interest(stores.kv, sorted(symbols - before))
            feed.wait_ready()

    def acknowledgement(self) -> dict[str, Any]:
        """Alpaca's `subscription` message: every channel, the unsupported ones empty."""
        trades = sorted(self.subscribed["trades"])
        ack: dict[str, Any] = {"T": "subscription", "trades": trades,
                               "quotes": sorted(self.subscribed["quotes"]),
                               "bars": sorted(self.subscribed["bars"])}
        ack.update({kind: [] for kind in UNSUPPORTED_KINDS})
        ack.update(corrections=trades, cancelErrors=trades)
        return ack

    def messages(self, raw: list[str]) -> list[dict[str, Any]]:
        """Alpaca's messages for the ticks received (per subscribed kind)."""
        out: list[dict[str, Any]] = []
        for item in raw:
            tick = Tick.parse(item)
            if tick is None:
                continue
            makers: list[tuple[str, Callable[[Tick], dict[str, Any] | None]]] = [
                ("trades", self.reader.trade), ("quotes", self._quote), ("bars", self.reader.bar)]
            out.extend(found for kind, make in makers
                       if tick.symbol in self.subscribed[kind] and (found := make(tick)))
            self.reader.seen(tick)
        return out

    def _quote(self, tick: Tick) -> dict[str, Any] | None:
        """A quote, unless it repeats the previous one (ticks can republish a cached quote)."""
        fingerprint = (tick.at, tick.bid, tick.ask)
        if self._quoted.get(tick.symbol) == fingerprint:
            return None
        self._quoted[tick.symbol] = fingerprint
        return quote(tick)

    def run(self, login: Login) -> None:
        """Serve commands and ticks until the client leaves (or its key is revoked)."""
        checked = time.monotonic()
        while True:
            message = _receive(self.ws, 0 if self.listener else POLL_SECONDS)
            if message is False:
                self.send(_error(400, "invalid syntax"))
            elif message:
                self.command(message)
            if self.listener is not None:
                out = self.messages(self.listener.drain(POLL_SECONDS))
                if out:
                    self.send(*out)
            if time.monotonic() - checked > RECHECK_SECONDS:
                if not _still_valid(login, trading_allowed=False):
                    self.send(_error(402, "auth failed"))
                    _refuse(self.ws)
                    return
                checked = time.monotonic()

    def close(self) -> None:
        """Stop listening."""
        _quote_feed().remove(self.listener)
        self.listener = None


def market_data(ws: Any) -> None:
    """Alpaca's stock data stream: connected, auth, subscribe, then q / t / b messages."""
    binary = "msgpack" in (request.headers.get("Content-Type") or "")
    session = DataSession(ws, Codec(binary=binary))
    session.send({"T": "success", "msg": "connected"})
    login = session.login()
    if login is None:
        return
    structlog.contextvars.bind_contextvars(api_key=login.key_id)
    try:
        session.run(login)
    finally:
        session.close()


sock.route("/stream", bp=bp)(trade_updates)
for _feed in ("iex", "sip"):
    sock.route(f"/v2/{_feed}", bp=bp, endpoint=f"market_data_{_feed}")(market_data)
