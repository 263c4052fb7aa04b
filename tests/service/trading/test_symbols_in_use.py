"""The symbols the market-data budget serves first: open orders and held positions."""

from invsim.trading import service as trading
from tests.service.trading.support import D, make_portfolio, place


def test_symbols_in_use_lists_open_orders_and_held_positions_only(owner):
    portfolio = make_portfolio(owner)
    place(owner, portfolio, symbol="AAPL", qty=D(2))
    place(owner, portfolio, symbol="MSFT", type="limit", qty=D(1), limit_price=D(1), tif="gtc")
    sold = make_portfolio(owner)
    place(owner, sold, symbol="IBM", qty=D(1))
    place(owner, sold, symbol="IBM", side="sell", qty=D(1))
    assert trading.symbols_in_use() == ["AAPL", "MSFT"]


def test_symbols_of_archived_portfolios_are_not_in_use(owner):
    portfolio = make_portfolio(owner)
    place(owner, portfolio, symbol="NVDA", qty=D(1))
    trading.archive_portfolio(owner_id=owner.id, portfolio_id=portfolio.id)
    assert "NVDA" not in trading.symbols_in_use()


def test_the_market_jobs_get_the_symbols_in_use_through_the_apps_wiring(owner):
    from invsim.market import jobs as market_jobs

    portfolio = make_portfolio(owner)
    place(owner, portfolio, symbol="AAPL", qty=D(2))
    assert market_jobs.symbols_in_use() == trading.symbols_in_use() == ["AAPL"]
