"""Bracket, OCO and OTO orders through alpaca-py: legs held until the entry fills, then
one-cancels-other, on the same fill model and ledger as every order."""

from __future__ import annotations

from decimal import Decimal

import pytest
from alpaca.common.exceptions import APIError
from alpaca.trading.client import TradingClient
from alpaca.trading.enums import OrderClass, OrderSide, OrderStatus, QueryOrderStatus, TimeInForce
from alpaca.trading.requests import (
    GetOrdersRequest,
    LimitOrderRequest,
    MarketOrderRequest,
    StopLossRequest,
    TakeProfitRequest,
)

from invsim.extensions import db
from invsim.trading.ledger import verify_ledger
from invsim.trading.matching import match_open_orders
from tests.api.brokerapi.conftest import open_bot
from tests.service.trading.support import advance_until, quote, row_counts

D = Decimal


def client_of(bot) -> TradingClient:
    return TradingClient(bot.key_id, bot.secret, url_override=bot.alpaca_url)


def price_now(app) -> Decimal:
    with app.app_context():
        try:
            return quote().last
        finally:
            db.session.remove()


def cents(value: Decimal) -> float:
    return float(value.quantize(D("0.01")))


def match_until(app, clock, predicate) -> None:
    """Move the market until the predicate holds of AAPL's snapshot, then run the matcher."""
    with app.app_context():
        advance_until(clock, predicate, seconds=60)
        match_open_orders()
        assert verify_ledger().ok
        db.session.remove()


def test_a_bracket_fills_its_entry_then_one_exit_cancels_the_other(app, bot, clock):
    client = client_of(bot)
    last = price_now(app)
    take, stop = last * D("1.002"), last * D("0.998")
    entry = client.submit_order(MarketOrderRequest(
        symbol="AAPL", qty=10, side=OrderSide.BUY, time_in_force=TimeInForce.GTC,
        order_class=OrderClass.BRACKET, take_profit=TakeProfitRequest(limit_price=cents(take)),
        stop_loss=StopLossRequest(stop_price=cents(stop))))
    assert entry.order_class == OrderClass.BRACKET and entry.status == OrderStatus.FILLED
    assert [leg.status for leg in entry.legs] == [OrderStatus.ACCEPTED] * 2
    assert {leg.type.value for leg in entry.legs} == {"limit", "stop"}
    assert all(leg.side == OrderSide.SELL and D(leg.qty) == 10 for leg in entry.legs)
    assert D(client.get_open_position("AAPL").qty_available) == 0  # offered once, not twice
    match_until(app, clock, lambda s: s.bid >= D(str(cents(take))) or
                s.bid <= D(str(cents(stop))))
    legs = client.get_order_by_id(entry.id).legs
    assert sorted(leg.status for leg in legs) == [OrderStatus.CANCELED, OrderStatus.FILLED]
    assert client.get_all_positions() == []


def test_a_bracket_with_a_resting_entry_holds_its_legs_and_cancels_them_with_it(app, bot):
    client = client_of(bot)
    low = price_now(app) * D("0.5")
    entry = client.submit_order(LimitOrderRequest(
        symbol="AAPL", qty=2, side=OrderSide.BUY, time_in_force=TimeInForce.DAY,
        limit_price=cents(low), order_class=OrderClass.BRACKET,
        take_profit=TakeProfitRequest(limit_price=cents(low * 3)),
        stop_loss=StopLossRequest(stop_price=cents(low * D("0.9")),
                                  limit_price=cents(low * D("0.89")))))
    assert entry.status == OrderStatus.ACCEPTED
    assert [leg.status for leg in entry.legs] == [OrderStatus.HELD] * 2
    assert {leg.type.value for leg in entry.legs} == {"limit", "stop_limit"}
    nested = client.get_orders(GetOrdersRequest(status=QueryOrderStatus.OPEN, nested=True))
    assert [o.id for o in nested] == [entry.id] and len(nested[0].legs) == 2
    flat = client.get_orders(GetOrdersRequest(status=QueryOrderStatus.OPEN))
    assert len(flat) == 3
    client.cancel_order_by_id(entry.id)
    legs = client.get_order_by_id(entry.id).legs
    assert [leg.status for leg in legs] == [OrderStatus.CANCELED] * 2
    assert client.get_orders(GetOrdersRequest(status=QueryOrderStatus.OPEN)) == []


def test_an_oco_exits_a_position_and_cancelling_one_cancels_both(app, client, server, clock):
    cash_bot = open_bot(client, server, clock)  # no shorting: the shares are all it may sell
    client = client_of(cash_bot)
    client.submit_order(MarketOrderRequest(symbol="AAPL", qty=5, side=OrderSide.BUY,
                                           time_in_force=TimeInForce.DAY))
    last = price_now(app)
    oco = client.submit_order(LimitOrderRequest(
        symbol="AAPL", qty=5, side=OrderSide.SELL, time_in_force=TimeInForce.GTC,
        limit_price=cents(last * D("1.5")), order_class=OrderClass.OCO,
        take_profit=TakeProfitRequest(limit_price=cents(last * D("1.5"))),
        stop_loss=StopLossRequest(stop_price=cents(last * D("0.5")))))
    assert oco.order_class == OrderClass.OCO and oco.status == OrderStatus.ACCEPTED
    assert [leg.status for leg in oco.legs] == [OrderStatus.ACCEPTED]
    with pytest.raises(APIError) as refused:  # the shares are offered by the group
        client.submit_order(MarketOrderRequest(symbol="AAPL", qty=1, side=OrderSide.SELL,
                                               time_in_force=TimeInForce.DAY))
    assert refused.value.status_code == 403
    client.cancel_order_by_id(oco.legs[0].id)
    assert client.get_order_by_id(oco.id).status == OrderStatus.CANCELED


def test_an_oto_entry_holds_one_exit(app, bot):
    client = client_of(bot)
    low = price_now(app) * D("0.5")
    entry = client.submit_order(LimitOrderRequest(
        symbol="AAPL", qty=1, side=OrderSide.BUY, time_in_force=TimeInForce.GTC,
        limit_price=cents(low), order_class=OrderClass.OTO,
        stop_loss=StopLossRequest(stop_price=cents(low * D("0.9")))))
    assert [(leg.type.value, leg.status) for leg in entry.legs] == [("stop", OrderStatus.HELD)]


@pytest.mark.parametrize("body", [
    {"order_class": "bracket", "take_profit": {"limit_price": "900"}},
    {"order_class": "bracket", "take_profit": {"limit_price": "1"},
     "stop_loss": {"stop_price": "900"}},
    {"order_class": "bracket", "time_in_force": "ioc", "take_profit": {"limit_price": "900"},
     "stop_loss": {"stop_price": "1"}},
    {"order_class": "bracket", "qty": None, "notional": "100",
     "take_profit": {"limit_price": "900"}, "stop_loss": {"stop_price": "1"}},
    {"order_class": "oto", "take_profit": {"limit_price": "900"},
     "stop_loss": {"stop_price": "1"}},
    {"order_class": "oco", "take_profit": {"limit_price": "900"},
     "stop_loss": {"stop_price": "1"}},
    {"order_class": "bracket", "type": "stop", "stop_price": "1",
     "take_profit": {"limit_price": "900"}, "stop_loss": {"stop_price": "1"}},
    {"order_class": "bracket", "take_profit": {"limit_price": "-1"},
     "stop_loss": {"stop_price": "1"}},
])
def test_a_malformed_group_is_422_and_writes_nothing(app, client, bot, body):
    with app.app_context():
        before = row_counts()
        db.session.remove()
    payload = {"symbol": "AAPL", "side": "buy", "type": "market", "qty": "1",
               "time_in_force": "day", **body}
    payload = {k: v for k, v in payload.items() if v is not None}
    response = client.post("/alpaca/v2/orders", json=payload, headers=bot.key_headers)
    assert response.status_code == 422, response.get_json()
    with app.app_context():
        assert row_counts() == before
        db.session.remove()


def test_a_group_member_cannot_be_replaced(app, bot):
    client = client_of(bot)
    from alpaca.trading.requests import ReplaceOrderRequest

    low = price_now(app) * D("0.5")
    entry = client.submit_order(LimitOrderRequest(
        symbol="AAPL", qty=1, side=OrderSide.BUY, time_in_force=TimeInForce.GTC,
        limit_price=cents(low), order_class=OrderClass.OTO,
        take_profit=TakeProfitRequest(limit_price=cents(low * 3))))
    with pytest.raises(APIError) as refused:
        client.replace_order_by_id(entry.id, ReplaceOrderRequest(qty=2))
    assert refused.value.status_code == 422
