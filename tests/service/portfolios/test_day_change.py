"""Today's P&L: one definition for a position's day change and the portfolio's day P&L.

A position's day change = shares held since the previous close × (last − previous
close) + for shares bought today (last − fill price) − for shares sold today
(previous close − fill price); summed over the symbols it is the portfolio's
day P&L less today's fees and interest (docs/portfolios.md). Real orders on the
simulated market, the clock frozen mid-session.
"""

from decimal import Decimal

from sqlalchemy import select

from invsim.core.money import money
from invsim.extensions import db
from invsim.portfolios.rules import CommissionRule
from invsim.trading.models import Fill
from invsim.trading.summary import account_summary, positions_view
from tests.service.trading.support import D, make_portfolio, place, quote, reload


def _fills(symbol: str = "AAPL") -> list[Fill]:
    db.session.expire_all()
    return list(db.session.scalars(select(Fill).where(Fill.symbol == symbol).order_by(Fill.id)))


def test_a_position_bought_today_changes_by_last_minus_its_fill_price(owner):
    portfolio = make_portfolio(owner)
    place(owner, portfolio, qty=D(10))
    [fill] = _fills()
    [view] = positions_view(reload(portfolio))
    mark = quote()
    assert view.unrealized_intraday_pl == money(D(10) * mark.last) - fill.gross
    assert view.unrealized_intraday_pl != money(D(10) * (mark.last - mark.prev_close))
    summary = account_summary(reload(portfolio))
    assert summary.day_pl == view.unrealized_intraday_pl  # no fees: the card and the row agree


def test_held_bought_and_sold_today_sum_to_the_day_pl_less_fees(owner, clock):
    portfolio = make_portfolio(owner, commission=CommissionRule(kind="per_trade", amount=D("1.00")))
    place(owner, portfolio, qty=D(10))
    place(owner, portfolio, symbol="MSFT", qty=D(4))
    clock.advance(days=1)  # a new session: 10 AAPL and 4 MSFT held since the previous close
    place(owner, portfolio, qty=D(5))
    place(owner, portfolio, side="sell", qty=D(3))
    place(owner, portfolio, symbol="MSFT", side="sell", qty=D(4))  # closed today
    today = [f for f in _fills() if f.created_at >= clock.now.replace(hour=0, minute=0)]
    bought, sold = today
    mark = quote()
    [view] = positions_view(reload(portfolio))
    assert view.qty == D(12)
    expected = (money(D(12) * mark.last) - money(D(10) * mark.prev_close)
                - bought.gross + sold.gross)
    assert view.unrealized_intraday_pl == expected
    # the same, read as the definition: held × move, bought × (last − fill), sold × (fill − close)
    by_parts = (D(10) * (mark.last - mark.prev_close) + D(5) * (mark.last - bought.price)
                - D(3) * (mark.last - sold.price))
    assert abs(view.unrealized_intraday_pl - by_parts) <= D("0.02")  # cents rounding only
    [msft_sale] = [f for f in _fills("MSFT") if f.side == "sell"]
    msft_day = msft_sale.gross - money(D(4) * quote("MSFT").prev_close)
    summary = account_summary(reload(portfolio))
    fees = D(3)  # three orders today at $1.00
    assert summary.day_pl == view.unrealized_intraday_pl + msft_day - fees
    assert summary.day_pl == summary.equity - summary.last_equity  # the equity change, no deposit


def test_positions_held_overnight_change_from_the_previous_close(owner, clock):
    portfolio = make_portfolio(owner)
    place(owner, portfolio, qty=D(10))
    clock.advance(days=1)
    mark = quote()
    [view] = positions_view(reload(portfolio))
    assert view.unrealized_intraday_pl == money(D(10) * mark.last) - money(D(10) * mark.prev_close)
    assert account_summary(reload(portfolio)).day_pl == view.unrealized_intraday_pl
    assert isinstance(view.unrealized_intraday_pl, Decimal)
