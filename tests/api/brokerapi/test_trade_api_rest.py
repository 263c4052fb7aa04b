"""alpaca-trade-api's REST client, unchanged, for the same basics (it reads raw JSON entities)."""

from __future__ import annotations

from decimal import Decimal

import alpaca_trade_api
import pytest

D = Decimal


def rest(bot) -> alpaca_trade_api.REST:
    return alpaca_trade_api.REST(bot.key_id, bot.secret, base_url=bot.alpaca_url,
                                 api_version="v2")


def test_account_orders_positions_assets_clock(bot):
    api = rest(bot)
    account = api.get_account()
    assert account.status == "ACTIVE" and D(account.buying_power) > 0
    bought = api.submit_order(symbol="AAPL", qty=3, side="buy", type="market",
                              time_in_force="day", client_order_id="rest-1")
    assert bought.status == "filled" and bought.client_order_id == "rest-1"
    limit = api.submit_order(symbol="AAPL", qty=1, side="sell", type="limit",
                             time_in_force="gtc",
                             limit_price=str((D(bought.filled_avg_price) * 2).quantize(D("0.01"))))
    assert limit.status == "accepted"
    assert [o.id for o in api.list_orders(status="open")] == [limit.id]
    assert api.get_order(limit.id).id == limit.id
    assert api.get_order_by_client_order_id("rest-1").id == bought.id
    replaced = api.replace_order(limit.id, qty="2")
    assert replaced.replaces == limit.id
    api.cancel_order(replaced.id)
    assert api.get_order(replaced.id).status == "canceled"
    assert D(api.get_position("AAPL").qty) == 3
    assert [p.symbol for p in api.list_positions()] == ["AAPL"]
    closed = api.close_position("AAPL")
    assert closed.side == "sell" and D(closed.qty) == 3
    assert api.get_asset("MSFT").symbol == "MSFT"
    assert len(api.list_assets(status="active")) > 100
    assert api.get_clock().is_open is True
    assert [d.date.strftime("%Y-%m-%d") for d in api.get_calendar("2025-03-03", "2025-03-04")] \
        == ["2025-03-03", "2025-03-04"]
    fills = api.get_activities(activity_types="FILL")
    assert [a.side for a in fills] == ["sell", "buy"] and all(a.activity_type == "FILL"
                                                              for a in fills)


def test_an_error_reaches_the_client_as_alpacas_api_error(bot):
    api = rest(bot)
    with pytest.raises(alpaca_trade_api.rest.APIError) as refused:
        api.submit_order(symbol="AAPL", qty=10_000_000, side="buy", type="market",
                         time_in_force="day")
    assert refused.value.status_code == 403 and refused.value.code == 40310000
    assert "buying power" in str(refused.value)
