from tests.service.trading.support import D, assert_ledger_ok, make_portfolio, place, quote, reload


def test_market_buy_fills_at_the_ask_and_moves_cash(owner):
    portfolio = make_portfolio(owner)
    ask = quote().ask
    order = place(owner, portfolio, qty=D(10))
    assert order.status == "filled"
    assert order.filled_avg_price == ask
    assert reload(portfolio).cash == D(100_000) - D(10) * ask
    assert_ledger_ok()
