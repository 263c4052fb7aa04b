"""The issue's "Done when" story, through the service functions."""

from invsim.core.money import money
from invsim.trading.matching import match_open_orders
from invsim.trading.summary import account_summary, positions_view
from tests.service.trading.support import (
    D,
    activity_total,
    advance_until,
    assert_ledger_ok,
    entries_total,
    expected_limit_fill,
    make_portfolio,
    order,
    place,
    quote,
    reload,
)


def test_buy_then_limit_sell_fills_when_the_price_crosses_and_every_cent_is_accounted(owner, clock):
    portfolio = make_portfolio(owner)
    ask = quote().ask
    bought = place(owner, portfolio, qty=D(10))
    assert (bought.status, bought.filled_qty, bought.filled_avg_price) == ("filled", D(10), ask)

    limit = (quote().bid * D("1.0005")).quantize(D("0.01"))
    resting = place(owner, portfolio, side="sell", type="limit", tif="gtc", qty=D(10),
                    limit_price=limit)
    assert resting.status == "accepted"
    assert match_open_orders().fills == 0

    snap = advance_until(clock, lambda s: s.bid >= limit or (s.bar and s.bar.open > limit))
    report = match_open_orders()
    sold = order(resting.id)
    assert report.fills == 1
    assert sold.status == "filled"
    assert sold.filled_avg_price == expected_limit_fill(sold, snap) >= limit

    portfolio = reload(portfolio)
    expected_cash = D(100_000) - D(10) * ask + D(10) * sold.filled_avg_price
    assert portfolio.cash == expected_cash
    assert portfolio.cash == portfolio.starting_cash + entries_total(portfolio)
    assert portfolio.cash == portfolio.starting_cash + activity_total(portfolio)
    assert_ledger_ok()


def test_short_sale_where_allowed_credits_the_proceeds_and_equity_moves_only_by_the_spread(
        owner, clock):
    portfolio = make_portfolio(owner, account_type="margin", allow_short=True)
    bid = quote("MSFT").bid
    short = place(owner, portfolio, symbol="MSFT", side="sell", qty=D(5))
    assert (short.status, short.filled_avg_price) == ("filled", bid)
    summary = account_summary(reload(portfolio))
    assert summary.cash == D(100_000) + D(5) * bid
    assert summary.short_market_value == money(D(5) * quote("MSFT").last)
    assert summary.equity == summary.cash - summary.short_market_value
    assert summary.equity == money(D(100_000) + D(5) * (bid - quote("MSFT").last))
    [position] = positions_view(reload(portfolio))
    assert (position.symbol, position.qty, position.side) == ("MSFT", D(-5), "short")
    assert_ledger_ok()
