"""alpaca-py's stream clients, unchanged, against a running invsim: trade_updates and market data.

Each SDK stream runs its own event loop in a thread of the test (its `run()` blocks);
the test waits until the server listens for the socket, acts through the REST
client or the market's tick publisher, and reads what the handler received. Every
wait has a deadline, so a failure is an assertion, never a hang.
"""

from __future__ import annotations

import asyncio
import json
import queue
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import msgpack
import pytest
from alpaca.data.live.stock import StockDataStream
from alpaca.trading.client import TradingClient
from alpaca.trading.enums import OrderSide, TimeInForce
from alpaca.trading.requests import LimitOrderRequest, MarketOrderRequest
from alpaca.trading.stream import TradingStream
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect
from werkzeug.serving import make_server

from invsim.brokerapi import streams
from invsim.extensions import db, stores
from invsim.market import service as market
from tests.api.brokerapi.conftest import open_bot

D = Decimal
WAIT = 10.0


class Running:
    """An SDK stream's `_run_forever` in an event loop this test controls."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_until_complete,
                                       args=(stream._run_forever(),), daemon=True)

    def __enter__(self) -> Running:
        self.thread.start()
        return self

    def __exit__(self, *_exc: Any) -> None:
        for step in (self.stream.stop_ws, self.stream.close):
            asyncio.run_coroutine_threadsafe(step(), self.loop).result(WAIT)
        self.thread.join(WAIT)
        assert not self.thread.is_alive()
        self.loop.close()


def collector() -> tuple[queue.Queue[Any], Callable[[Any], Any]]:
    """A queue and the async handler that fills it."""
    received: queue.Queue[Any] = queue.Queue()

    async def handler(item: Any) -> None:
        received.put(item)

    return received, handler


def until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def listening(feed: Any, key: str) -> None:
    """Wait until the server holds a listener for `key` and its subscription is live."""
    until(lambda: feed.listener_count(key) >= 1, f"a listener of {key}")
    assert feed.wait_ready(WAIT)


def next_item(received: queue.Queue[Any]) -> Any:
    return received.get(timeout=WAIT)


def ws_url(bot: Any, path: str) -> str:
    return bot.base_url.replace("http://", "ws://") + path


def trading_stream(bot: Any, secret: str | None = None) -> TradingStream:
    return TradingStream(bot.key_id, secret or bot.secret, paper=True,
                         url_override=ws_url(bot, "/alpaca/stream"))


def trading_client(bot: Any) -> TradingClient:
    return TradingClient(bot.key_id, bot.secret, url_override=bot.alpaca_url)


def buy(bot: Any, qty: int = 3) -> Any:
    return trading_client(bot).submit_order(MarketOrderRequest(
        symbol="AAPL", qty=qty, side=OrderSide.BUY, time_in_force=TimeInForce.DAY))


# --- trade_updates --------------------------------------------------------------------------

def test_trade_updates_new_and_fill_of_a_market_order(bot):
    received, handler = collector()
    stream = trading_stream(bot)
    stream.subscribe_trade_updates(handler)
    with Running(stream):
        listening(streams._order_feed(), str(bot.portfolio_id))
        placed = buy(bot)
        new, fill = next_item(received), next_item(received)
    assert (new.event, fill.event) == ("new", "fill")
    assert new.order.id == fill.order.id == placed.id
    assert fill.order.status == "filled" and fill.order.symbol == "AAPL"
    assert D(str(fill.qty)) == 3 and D(str(fill.position_qty)) == 3
    assert D(str(fill.price)) == D(placed.filled_avg_price)
    assert fill.timestamp.tzinfo is not None
    assert received.empty()


def test_cancel_and_replace_are_announced(bot):
    received, handler = collector()
    stream = trading_stream(bot)
    stream.subscribe_trade_updates(handler)
    client = trading_client(bot)
    with Running(stream):
        listening(streams._order_feed(), str(bot.portfolio_id))
        order = client.submit_order(LimitOrderRequest(
            symbol="AAPL", qty=1, side=OrderSide.BUY, time_in_force=TimeInForce.GTC,
            limit_price=1.00))
        assert next_item(received).event == "new"
        client.cancel_order_by_id(order.id)
        canceled = next_item(received)
    assert canceled.event == "canceled" and canceled.order.id == order.id
    assert canceled.order.status == "canceled" and canceled.price is None


def test_a_key_sees_only_its_own_portfolio(bot, client, clock):
    other = open_bot(client, bot.base_url, clock, name="other")
    mine, mine_handler = collector()
    theirs, their_handler = collector()
    first, second = trading_stream(bot), trading_stream(other)
    first.subscribe_trade_updates(mine_handler)
    second.subscribe_trade_updates(their_handler)
    with Running(first), Running(second):
        listening(streams._order_feed(), str(bot.portfolio_id))
        listening(streams._order_feed(), str(other.portfolio_id))
        placed = buy(bot)
        assert [next_item(mine).event, next_item(mine).event] == ["new", "fill"]
        theirs_order = buy(other, qty=1)
        assert next_item(theirs).order.id == theirs_order.id  # their stream works...
        assert next_item(theirs).order.id == theirs_order.id
        time.sleep(0.3)
    assert mine.empty() and theirs.empty()  # ...and never showed the other's order
    assert placed.id != theirs_order.id


def test_wrong_secret_is_refused_and_closed(bot):
    with connect(ws_url(bot, "/alpaca/stream"), open_timeout=WAIT) as ws:
        ws.send(json.dumps({"action": "authenticate",
                            "data": {"key_id": bot.key_id, "secret_key": "wrong" * 8}}))
        answer = json.loads(ws.recv(timeout=WAIT))
        assert answer == {"stream": "authorization",
                          "data": {"status": "unauthorized", "action": "authenticate"}}
        with pytest.raises(ConnectionClosed):
            ws.recv(timeout=WAIT)
    stream = trading_stream(bot, secret="wrong" * 8)

    async def sdk_login() -> None:
        await stream._connect()
        try:
            await stream._auth()
        finally:
            await stream.close()

    with pytest.raises(ValueError, match="failed to authenticate"):
        asyncio.run(sdk_login())


def test_auth_form_with_key_and_secret_and_listen_reply(bot):
    with connect(ws_url(bot, "/alpaca/stream"), open_timeout=WAIT) as ws:
        ws.send(json.dumps({"action": "auth", "key": bot.key_id, "secret": bot.secret}))
        assert json.loads(ws.recv(timeout=WAIT))["data"] == {"status": "authorized",
                                                             "action": "authenticate"}
        ws.send(json.dumps({"action": "listen", "data": {"streams": ["trade_updates"]}}))
        assert json.loads(ws.recv(timeout=WAIT)) == {
            "stream": "listening", "data": {"streams": ["trade_updates"]}}
        ws.send("not json")
        assert json.loads(ws.recv(timeout=WAIT))["stream"] == "error"


def test_a_revoked_key_is_dropped_from_an_open_stream(bot, client, monkeypatch):
    monkeypatch.setattr(streams, "RECHECK_SECONDS", 0.2)
    with connect(ws_url(bot, "/alpaca/stream"), open_timeout=WAIT) as ws:
        ws.send(json.dumps({"action": "auth", "key": bot.key_id, "secret": bot.secret}))
        assert json.loads(ws.recv(timeout=WAIT))["data"]["status"] == "authorized"
        revoked = client.delete(f"/api/v1/portfolios/{bot.portfolio_id}/api-keys/{bot.key_id}",
                                headers=bot.headers)
        assert revoked.status_code == 200, revoked.get_json()
        assert json.loads(ws.recv(timeout=WAIT))["data"]["status"] == "unauthorized"
        with pytest.raises(ConnectionClosed):
            ws.recv(timeout=WAIT)


# --- market data ----------------------------------------------------------------------------

def publish_until(app: Any, received: queue.Queue[Any], symbols: list[str]) -> Any:
    """Publish ticks (as the tick job does) until the handler gets something."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        with app.app_context():
            market.publish_ticks(symbols)
        try:
            return received.get(timeout=0.2)
        except queue.Empty:
            continue
    raise AssertionError("no market data received")


def test_stock_data_stream_quotes(bot, app):
    received, handler = collector()
    stream = StockDataStream(bot.key_id, bot.secret, url_override=ws_url(bot, "/alpaca/v2/iex"))
    stream.subscribe_quotes(handler, "AAPL")
    with Running(stream):
        listening(streams._quote_feed(), "AAPL")
        got = publish_until(app, received, ["AAPL"])
    with app.app_context():
        expected = market.get_quote("AAPL")
    assert got.symbol == "AAPL"
    assert D(str(got.bid_price)) == expected.bid and D(str(got.ask_price)) == expected.ask
    assert got.timestamp == expected.as_of and got.bid_size > 0


def test_stock_data_stream_trades_and_bars_follow_the_ticks(bot, app, clock):
    trades, on_trade = collector()
    bars, on_bar = collector()
    stream = StockDataStream(bot.key_id, bot.secret, url_override=ws_url(bot, "/alpaca/v2/iex"))
    stream.subscribe_trades(on_trade, "MSFT")
    stream.subscribe_bars(on_bar, "MSFT")
    with Running(stream):
        listening(streams._quote_feed(), "MSFT")
        with app.app_context():
            market.publish_ticks(["MSFT"])  # the baseline tick
        clock.advance(seconds=30)
        trade = publish_until(app, trades, ["MSFT"])
        clock.advance(seconds=60)
        bar = publish_until(app, bars, ["MSFT"])
    with app.app_context():
        last = market.get_quote("MSFT").last
    assert trade.symbol == "MSFT" and trade.size > 0 and trade.price > 0
    assert bar.symbol == "MSFT" and bar.timestamp.second == 0
    assert bar.low <= bar.close <= bar.high and D(str(bar.close)) != 0
    assert last > 0


def data_socket(bot: Any) -> Any:
    return connect(ws_url(bot, "/alpaca/v2/iex"), open_timeout=WAIT,
                   additional_headers={"Content-Type": "application/msgpack"})


def test_data_stream_protocol_answers(bot):
    with data_socket(bot) as ws:
        def ask(message: dict[str, Any]) -> list[dict[str, Any]]:
            ws.send(msgpack.packb(message))
            return msgpack.unpackb(ws.recv(timeout=WAIT))

        assert msgpack.unpackb(ws.recv(timeout=WAIT)) == [{"T": "success", "msg": "connected"}]
        assert ask({"action": "subscribe", "quotes": ["AAPL"]})[0]["code"] == 401
        assert ask({"action": "auth", "key": bot.key_id, "secret": bot.secret}) == [
            {"T": "success", "msg": "authenticated"}]
        ack = ask({"action": "subscribe", "quotes": ["aapl", "NOPE"], "trades": ["MSFT"]})[0]
        assert ack["T"] == "subscription" and ack["quotes"] == ["AAPL"]
        assert ack["trades"] == ack["corrections"] == ["MSFT"] and ack["dailyBars"] == []
        assert ask({"action": "subscribe", "bars": ["*"]})[0]["code"] == 410
        after = ask({"action": "unsubscribe", "quotes": ["AAPL"]})[0]
        assert after["quotes"] == [] and after["trades"] == ["MSFT"]


def test_data_stream_refuses_a_wrong_key_in_json(bot):
    with connect(ws_url(bot, "/alpaca/v2/iex"), open_timeout=WAIT) as ws:
        assert json.loads(ws.recv(timeout=WAIT)) == [{"T": "success", "msg": "connected"}]
        ws.send(json.dumps({"action": "auth", "key": bot.key_id, "secret": "nope"}))
        assert json.loads(ws.recv(timeout=WAIT)) == [
            {"T": "error", "code": 402, "msg": "auth failed"}]
        with pytest.raises(ConnectionClosed):
            ws.recv(timeout=WAIT)


# --- Redis: the production pub/sub -----------------------------------------------------------

@pytest.fixture()
def redis_served(clock, make_app, redis_url):
    """An app whose store is Redis, served over HTTP, and a bot of it."""
    app = make_app(redis_url=redis_url)
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        with app.app_context():
            bot = open_bot(app.test_client(), f"http://127.0.0.1:{httpd.server_port}", clock)
        yield app, bot
    finally:
        httpd.shutdown()
        thread.join(5)
        with app.app_context():
            db.session.remove()


@pytest.mark.redis
def test_both_streams_through_redis(redis_served):
    app, bot = redis_served
    assert type(stores.kv).__name__ == "RedisStore"
    updates, on_update = collector()
    quotes, on_quote = collector()
    trades = trading_stream(bot)
    trades.subscribe_trade_updates(on_update)
    data = StockDataStream(bot.key_id, bot.secret, url_override=ws_url(bot, "/alpaca/v2/iex"))
    data.subscribe_quotes(on_quote, "AAPL")
    with Running(trades), Running(data):
        listening(streams._order_feed(), str(bot.portfolio_id))
        listening(streams._quote_feed(), "AAPL")
        placed = buy(bot)
        assert [next_item(updates).event, next_item(updates).event] == ["new", "fill"]
        got = publish_until(app, quotes, ["AAPL"])
    assert got.symbol == "AAPL" and placed.symbol == "AAPL"
