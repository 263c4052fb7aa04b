"""Placing orders: immediate fills, resting orders, costs, idempotency and bad terms."""

import pytest

from invsim.core.errors import ValidationFailed
from invsim.core.money import money, price
from invsim.trading import service as trading
from invsim.trading.order_rows import spec_of
from tests.service.trading.support import (
    D,
    assert_ledger_ok,
    entries_total,
    make_portfolio,
    place,
    quote,
    reload,
    request,
    row_counts,
)


def test_market_sell_fills_at_the_bid_and_realizes_the_pnl(owner):
    portfolio = make_portfolio(owner)
    bought = place(owner, portfolio, qty=D(4))
    sold = place(owner, portfolio, side="sell", qty=D(4))
    assert sold.filled_avg_price == quote().bid
    from invsim.portfolios.service import position_of

    position = position_of(reload(portfolio), "AAPL")
    assert position.qty == 0
    assert position.realized_pl == money(D(4) * (sold.filled_avg_price - bought.filled_avg_price))
    assert_ledger_ok()


def test_slippage_and_per_share_commission_are_charged_on_the_fill(owner):
    portfolio = make_portfolio(owner, slippage_bps=D(10),
                               commission={"kind": "per_share", "rate": "0.01", "minimum": "1"})
    filled = place(owner, portfolio, qty=D(50))
    expected_price = price(quote().ask * D("1.001"))
    assert filled.filled_avg_price == expected_price
    assert filled.commission == D("1.00")  # 50 x 0.01 = 0.50, lifted to the 1.00 minimum
    cash = reload(portfolio).cash
    assert cash == D(100_000) - money(D(50) * expected_price) - D(1)
    assert cash == D(100_000) + entries_total(portfolio)
    assert_ledger_ok()


def test_notional_buy_spends_no_more_than_the_notional(owner):
    portfolio = make_portfolio(owner)
    filled = place(owner, portfolio, notional=D("1000.00"))
    ask = quote().ask
    assert filled.filled_qty == (D(1000) / ask).quantize(D("0.000001"), rounding="ROUND_DOWN")
    assert filled.filled_notional <= D(1000)
    assert_ledger_ok()


def test_notional_buy_in_a_whole_shares_portfolio_buys_whole_shares(owner):
    filled = place(owner, make_portfolio(owner, fractional=False), notional=D("1000.00"))
    assert filled.filled_qty == D(1000) // quote().ask


def test_limit_buy_below_the_ask_rests_and_reserves_its_cost(owner):
    from invsim.trading.summary import account_summary

    portfolio = make_portfolio(owner)
    resting = place(owner, portfolio, type="limit", qty=D(10), limit_price=D(200), tif="gtc")
    assert (resting.status, resting.expires_at) == ("accepted", None)
    summary = account_summary(reload(portfolio))
    assert summary.cash == D(100_000)
    assert summary.buying_power == D(100_000) - D(2000)


def test_marketable_limit_buy_fills_at_the_ask_not_the_limit(owner):
    filled = place(owner, make_portfolio(owner), type="limit", qty=D(1), limit_price=D(400))
    assert (filled.status, filled.filled_avg_price) == ("filled", quote().ask)


def test_day_order_expires_at_the_session_close(owner):
    resting = place(owner, make_portfolio(owner), type="limit", qty=D(1), limit_price=D(1))
    assert resting.expires_at.isoformat() == "2025-03-05T00:00:00+00:00"


def test_trailing_stop_starts_with_its_mark_at_the_last_price(owner):
    portfolio = make_portfolio(owner)
    place(owner, portfolio, qty=D(10))
    trailing = place(owner, portfolio, side="sell", type="trailing_stop", qty=D(10),
                     trail_percent=D(5), tif="gtc")
    last = quote().last
    assert trailing.status == "accepted"
    assert trailing.hwm == last
    assert trailing.stop_price == price(last * D("0.95"))
    assert spec_of(trailing).water_mark == last


def test_repeating_a_client_order_id_returns_the_original_and_never_trades_twice(owner):
    portfolio = make_portfolio(owner)
    first = trading.place_order(owner_id=owner.id, portfolio_id=portfolio.id,
                                request=request(qty=D(3), client_order_id="retry-1"))
    counts = row_counts()
    again = trading.place_order(owner_id=owner.id, portfolio_id=portfolio.id,
                                request=request(qty=D(3), client_order_id="retry-1"))
    assert (first.created, again.created) == (True, False)
    assert again.order.id == first.order.id
    assert row_counts() == counts


@pytest.mark.parametrize("terms", [
    {"qty": D(1), "notional": D(100)},
    {"qty": D(0)},
    {"qty": D(-1)},
    {"qty": D("NaN")},
    {"qty": D("Infinity")},
    {"qty": D("0.0000001")},
    {"qty": D("1E+15")},
    {"type": "market", "qty": D(1), "limit_price": D(100)},
    {"type": "stop", "qty": D(1)},
    {"type": "limit", "notional": D(100), "limit_price": D(100)},
    {"type": "limit", "qty": D(1), "limit_price": D("100.00001")},
    {"type": "trailing_stop", "qty": D(1)},
    {"type": "stop", "tif": "ioc", "qty": D(1), "stop_price": D(100)},
    {"qty": D(1), "client_order_id": "x" * 49},
])
def test_place_order_refuses_bad_terms_and_writes_nothing(owner, terms):
    portfolio = make_portfolio(owner)
    before = row_counts()
    with pytest.raises(ValidationFailed) as caught:
        place(owner, portfolio, **terms)
    assert caught.value.status == 422
    assert row_counts() == before
