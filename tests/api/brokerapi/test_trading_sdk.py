"""alpaca-py's TradingClient, unchanged, against a running invsim: its models parse every answer."""

from __future__ import annotations

from decimal import Decimal

import pytest
from alpaca.common.exceptions import APIError
from alpaca.trading.client import TradingClient
from alpaca.trading.enums import OrderSide, OrderStatus, QueryOrderStatus, TimeInForce
from alpaca.trading.requests import (
    ClosePositionRequest,
    GetAssetsRequest,
    GetCalendarRequest,
    GetOrdersRequest,
    GetPortfolioHistoryRequest,
    LimitOrderRequest,
    MarketOrderRequest,
    ReplaceOrderRequest,
    StopLimitOrderRequest,
    StopOrderRequest,
    TrailingStopOrderRequest,
)

D = Decimal


def trading_client(bot) -> TradingClient:
    return TradingClient(bot.key_id, bot.secret, url_override=bot.alpaca_url)


def test_account_clock_and_assets_parse(bot):
    client = trading_client(bot)
    account = client.get_account()
    assert account.cash == "100000.00" and account.equity == "100000.00"
    assert account.shorting_enabled is True and account.multiplier == "2"
    assert client.get_clock().is_open is True
    assets = client.get_all_assets(GetAssetsRequest(status="active"))
    assert any(a.symbol == "AAPL" for a in assets) and len(assets) > 100
    aapl = client.get_asset("AAPL")
    assert aapl.symbol == "AAPL" and aapl.tradable
    assert client.get_asset(str(aapl.id)).symbol == "AAPL"


def test_every_order_type_then_list_get_replace_cancel(bot):
    client = trading_client(bot)
    market = client.submit_order(MarketOrderRequest(symbol="AAPL", qty=5, side=OrderSide.BUY,
                                                    time_in_force=TimeInForce.DAY,
                                                    client_order_id="mkt-1"))
    assert market.status == OrderStatus.FILLED and D(market.filled_qty) == 5
    notional = client.submit_order(MarketOrderRequest(symbol="MSFT", notional=1000,
                                                      side=OrderSide.BUY,
                                                      time_in_force=TimeInForce.DAY))
    assert notional.status == OrderStatus.FILLED and D(notional.notional) == 1000
    price = D(market.filled_avg_price)
    limit = client.submit_order(LimitOrderRequest(
        symbol="AAPL", qty=1, side=OrderSide.BUY, time_in_force=TimeInForce.GTC,
        limit_price=float((price * D("0.5")).quantize(D("0.01")))))
    stop = client.submit_order(StopOrderRequest(
        symbol="AAPL", qty=1, side=OrderSide.SELL, time_in_force=TimeInForce.GTC,
        stop_price=float((price * D("0.5")).quantize(D("0.01")))))
    stop_limit = client.submit_order(StopLimitOrderRequest(
        symbol="AAPL", qty=1, side=OrderSide.SELL, time_in_force=TimeInForce.DAY,
        stop_price=float((price * D("0.5")).quantize(D("0.01"))),
        limit_price=float((price * D("0.49")).quantize(D("0.01")))))
    trailing = client.submit_order(TrailingStopOrderRequest(
        symbol="AAPL", qty=1, side=OrderSide.SELL, time_in_force=TimeInForce.GTC,
        trail_percent=5))
    resting = [limit, stop, stop_limit, trailing]
    assert all(o.status == OrderStatus.ACCEPTED for o in resting)
    listed = client.get_orders(GetOrdersRequest(status=QueryOrderStatus.OPEN))
    assert {o.id for o in listed} == {o.id for o in resting}
    closed = client.get_orders(GetOrdersRequest(status=QueryOrderStatus.CLOSED,
                                                symbols=["AAPL"]))
    assert [o.id for o in closed] == [market.id]
    assert client.get_order_by_id(limit.id).limit_price == limit.limit_price
    assert client.get_order_by_client_id("mkt-1").id == market.id
    new_limit = float((price * D("0.4")).quantize(D("0.01")))
    replaced = client.replace_order_by_id(limit.id, ReplaceOrderRequest(qty=2,
                                                                        limit_price=new_limit))
    assert replaced.replaces == limit.id and D(replaced.qty) == 2
    assert client.get_order_by_id(limit.id).status == OrderStatus.REPLACED
    client.cancel_order_by_id(stop.id)
    assert client.get_order_by_id(stop.id).status == OrderStatus.CANCELED
    canceled = client.cancel_orders()
    assert {c.id for c in canceled} == {replaced.id, stop_limit.id, trailing.id}
    assert all(c.status == 200 for c in canceled)


def test_positions_close_part_and_all(bot):
    client = trading_client(bot)
    client.submit_order(MarketOrderRequest(symbol="AAPL", qty=10, side=OrderSide.BUY,
                                           time_in_force=TimeInForce.DAY))
    client.submit_order(MarketOrderRequest(symbol="XOM", qty=3, side=OrderSide.SELL,
                                           time_in_force=TimeInForce.DAY))
    positions = {p.symbol: p for p in client.get_all_positions()}
    assert D(positions["AAPL"].qty) == 10 and positions["AAPL"].side == "long"
    assert D(positions["XOM"].qty) == -3 and positions["XOM"].side == "short"
    assert client.get_open_position("AAPL").symbol == "AAPL"
    part = client.close_position("AAPL", ClosePositionRequest(qty="4"))
    assert D(part.qty) == 4 and part.side == OrderSide.SELL
    half = client.close_position("AAPL", ClosePositionRequest(percentage="50"))
    assert D(half.qty) == 3
    closed = client.close_all_positions()
    assert {c.symbol for c in closed} == {"AAPL", "XOM"} and all(c.status == 200 for c in closed)
    assert client.get_all_positions() == []
    with pytest.raises(APIError) as missing:
        client.get_open_position("AAPL")
    assert missing.value.status_code == 404


def test_calendar_activities_history_and_watchlists(bot):
    from alpaca.trading.requests import CreateWatchlistRequest, UpdateWatchlistRequest

    client = trading_client(bot)
    days = client.get_calendar(GetCalendarRequest(start="2025-03-03", end="2025-03-07"))
    assert [d.date.isoformat() for d in days][:1] == ["2025-03-03"]
    client.submit_order(MarketOrderRequest(symbol="AAPL", qty=2, side=OrderSide.BUY,
                                           time_in_force=TimeInForce.DAY))
    history = client.get_portfolio_history(GetPortfolioHistoryRequest(period="1W",
                                                                      timeframe="1D"))
    assert len(history.timestamp) == len(history.equity) >= 1
    watch = client.create_watchlist(CreateWatchlistRequest(name="tech",
                                                           symbols=["AAPL", "MSFT"]))
    assert [a.symbol for a in watch.assets] == ["AAPL", "MSFT"]
    client.add_asset_to_watchlist_by_id(watch.id, "NVDA")
    client.remove_asset_from_watchlist_by_id(watch.id, "AAPL")
    updated = client.update_watchlist_by_id(watch.id, UpdateWatchlistRequest(name="chips"))
    assert updated.name == "chips" and [a.symbol for a in updated.assets] == ["MSFT", "NVDA"]
    assert [w.name for w in client.get_watchlists()] == ["chips"]
    client.delete_watchlist_by_id(watch.id)
    assert client.get_watchlists() == []
