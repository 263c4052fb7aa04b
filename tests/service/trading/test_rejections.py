"""Every rejection code: the order is refused with its code and nothing is written."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from invsim.core.errors import OrderRejected
from invsim.trading import marks as prices
from tests.service.trading.support import D, make_portfolio, place, reload, row_counts


def refused(code, owner, portfolio, **order):
    """Place an order that must be refused with `code`, and prove nothing was written."""
    before, cash = row_counts(), reload(portfolio).cash
    with pytest.raises(OrderRejected) as caught:
        place(owner, portfolio, **order)
    assert caught.value.code == code, caught.value.message
    assert caught.value.status == 422
    assert row_counts() == before
    assert reload(portfolio).cash == cash


def test_place_order_rejects_when_buying_power_insufficient(owner):
    refused("insufficient_buying_power", owner, make_portfolio(owner, D(1000)), qty=D(100))


def test_place_order_counts_open_buy_orders_against_buying_power(owner):
    portfolio = make_portfolio(owner, D(1000))
    below = (prices.mark("AAPL").ask * D("0.8")).quantize(D("0.01"))  # rests, does not fill
    resting = place(owner, portfolio, type="limit", qty=D(1000) // below, limit_price=below,
                    tif="gtc")
    assert resting.status == "accepted"
    refused("insufficient_buying_power", owner, portfolio, type="limit", qty=D(1),
            limit_price=below, tif="gtc")


def test_place_order_rejects_selling_more_than_held(owner):
    portfolio = make_portfolio(owner)
    place(owner, portfolio, qty=D(5))
    refused("insufficient_position", owner, portfolio, side="sell", qty=D(10))


def test_place_order_counts_shares_already_offered_by_open_sells(owner):
    portfolio = make_portfolio(owner)
    place(owner, portfolio, qty=D(10))
    place(owner, portfolio, side="sell", type="limit", qty=D(10), limit_price=D(999), tif="gtc")
    refused("insufficient_position", owner, portfolio, side="sell", qty=D(1))


def test_place_order_rejects_short_sale_in_a_cash_account(owner):
    refused("short_selling_not_allowed", owner, make_portfolio(owner), side="sell", qty=D(1))


def test_place_order_rejects_short_sale_of_an_instrument_that_is_not_shortable(owner):
    portfolio = make_portfolio(owner, account_type="margin", allow_short=True)
    refused("short_selling_not_allowed", owner, portfolio, symbol="ARKK", side="sell", qty=D(1))


def test_place_order_rejects_opening_below_the_minimum_price(owner):
    portfolio = make_portfolio(owner, min_share_price=D(1000))
    refused("below_min_price", owner, portfolio, qty=D(1))


def test_place_order_rejects_a_position_above_the_limit_share_of_equity(owner):
    portfolio = make_portfolio(owner, max_position_pct=D(10))
    refused("position_limit_exceeded", owner, portfolio, qty=D(100))


def test_place_order_rejects_fractional_qty_in_a_whole_shares_portfolio(owner):
    refused("fractional_not_allowed", owner, make_portfolio(owner, fractional=False),
            qty=D("1.5"))


def test_place_order_rejects_fractional_qty_of_an_instrument_that_cannot_split(owner):
    refused("fractional_not_allowed", owner, make_portfolio(owner), symbol="USO", qty=D("0.5"))


def test_place_order_rejects_an_unknown_symbol(owner):
    refused("unknown_symbol", owner, make_portfolio(owner), symbol="ZZZZZ", qty=D(1))


def test_place_order_rejects_an_instrument_that_is_not_tradable(owner, monkeypatch):
    listed = prices.instrument
    monkeypatch.setattr(prices, "instrument", lambda s: replace(listed(s), tradable=False))
    refused("symbol_not_tradable", owner, make_portfolio(owner), qty=D(1))


def test_place_order_rejects_ioc_on_a_stale_price(owner, stale_prices):
    refused("stale_price", owner, make_portfolio(owner), tif="ioc", qty=D(1))


def test_place_order_rejects_fok_while_the_market_is_closed(owner, clock, nyse):
    clock.set(datetime(2025, 3, 4, 12, 0, tzinfo=UTC))  # 07:00 in New York
    refused("market_closed", owner, make_portfolio(owner), tif="fok", qty=D(1))


def test_place_order_rejects_a_reused_client_order_id_with_other_terms(owner):
    portfolio = make_portfolio(owner)
    place(owner, portfolio, qty=D(1), client_order_id="abc")
    refused("duplicate_client_order_id", owner, portfolio, qty=D(2), client_order_id="abc")


def test_place_order_rejects_an_order_type_the_rules_do_not_allow(owner):
    portfolio = make_portfolio(owner, allowed_order_types=["limit"])
    refused("order_type_not_allowed", owner, portfolio, qty=D(1))


def test_place_order_rejects_a_symbol_the_rules_do_not_allow(owner):
    portfolio = make_portfolio(owner, allowed_symbols=["MSFT"])
    refused("symbol_not_allowed", owner, portfolio, qty=D(1))


def test_place_order_rejects_a_sector_the_rules_do_not_allow(owner):
    portfolio = make_portfolio(owner, allowed_sectors=["Energy"])
    refused("sector_not_allowed", owner, portfolio, qty=D(1))


def test_place_order_rejects_orders_beyond_the_daily_maximum(owner):
    portfolio = make_portfolio(owner, max_trades_per_day=2)
    place(owner, portfolio, qty=D(1))
    place(owner, portfolio, qty=D(1))
    refused("max_trades_per_day_exceeded", owner, portfolio, qty=D(1))


def test_place_order_counts_the_daily_maximum_per_day(owner, clock):
    portfolio = make_portfolio(owner, max_trades_per_day=1)
    place(owner, portfolio, qty=D(1))
    clock.advance(days=1)
    assert place(owner, portfolio, qty=D(1)).status == "filled"


def test_place_order_rejects_orders_outside_the_trading_window(owner):
    window = {"start": "09:45", "end": "10:00", "timezone": "America/New_York"}
    refused("outside_trading_window", owner, make_portfolio(owner, trading_window=window),
            qty=D(1))


def test_place_order_accepts_orders_inside_the_trading_window(owner):
    window = {"start": "09:45", "end": "15:30", "timezone": "America/New_York"}
    portfolio = make_portfolio(owner, trading_window=window)
    assert place(owner, portfolio, qty=D(1)).status == "filled"
