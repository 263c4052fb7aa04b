"""Concurrent orders never spend the same cash twice, and a retried client_order_id never trades twice."""

from __future__ import annotations

import multiprocessing
import threading
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from invsim.core.errors import OrderRejected
from invsim.core.money import money
from invsim.extensions import db
from invsim.portfolios.models import CashEntry
from invsim.trading import service as trading
from invsim.trading.engine.buying_power import reservation
from invsim.trading.engine.rules import TradingRules
from invsim.trading.models import Fill, Order
from invsim.trading.order_rows import spec_of
from tests.service.trading.support import (
    T0,
    D,
    assert_ledger_ok,
    count,
    make_portfolio,
    quote,
    reload,
    request,
)

ORDERS = 200
FILLABLE = 50


def funded_for_exactly(owner, fills: int):
    """Open a portfolio whose cash pays for exactly `fills` one-share market buys of AAPL."""
    ask = quote().ask
    gross = money(ask)
    probe = Order(side="buy", type="market", time_in_force="day", qty=D(1), filled_qty=D(0),
                  filled_notional=D(0), created_at=T0, stop_triggered=False)
    held_back = reservation(spec_of(probe), ask, TradingRules())
    # After fills-1 buys the last one must still find its reservation; one more must not.
    cash = gross * (fills - 1) + held_back
    assert cash - gross * fills < held_back
    return make_portfolio(owner, cash), cash, gross


def place_many(app, owner_id: int, portfolio_id: int, count_: int, results: list) -> None:
    """Place `count_` one-share market buys, recording "filled" or the rejection code."""
    with app.app_context():
        try:
            for _ in range(count_):
                try:
                    placed = trading.place_order(owner_id=owner_id, portfolio_id=portfolio_id,
                                                 request=request(qty=D(1)))
                    results.append(placed.order.status)
                except OrderRejected as error:
                    results.append(error.code)
        finally:
            db.session.remove()


def assert_spent_exactly(portfolio, cash: Decimal, gross: Decimal) -> None:
    """Prove 50 fills, cash never negative at any step, and the ledger intact."""
    db.session.expire_all()
    assert count(Fill) == FILLABLE
    assert reload(portfolio).cash == cash - gross * FILLABLE >= 0
    running = cash
    for amount in db.session.scalars(select(CashEntry.amount).where(
            CashEntry.portfolio_id == portfolio.id).order_by(CashEntry.id)):
        running += amount
        assert running >= 0
    assert_ledger_ok()


def test_200_concurrent_market_buys_from_8_threads_fill_exactly_50(app, owner):
    portfolio, cash, gross = funded_for_exactly(owner, FILLABLE)
    db.session.remove()
    results: list[str] = []
    threads = [threading.Thread(target=place_many,
                                args=(app, owner.id, portfolio.id, ORDERS // 8, results))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == ORDERS
    assert results.count("filled") == FILLABLE
    assert results.count("insufficient_buying_power") == ORDERS - FILLABLE
    assert_spent_exactly(portfolio, cash, gross)


def _buy_in_process(database_url: str, var_dir: str, owner_id: int, portfolio_id: int,
                    count_: int) -> list[str]:
    """Run in a child process: its own app and connections, the same frozen instant."""
    from invsim.app import create_app
    from invsim.core.clock import set_clock
    from tests.conftest import make_settings

    set_clock(lambda: T0)
    app = create_app(make_settings(Path(var_dir), database_url))
    results: list[str] = []
    place_many(app, owner_id, portfolio_id, count_, results)
    return results


def test_200_concurrent_market_buys_from_4_processes_fill_exactly_50(app, owner, tmp_path,
                                                                    database_url):
    portfolio, cash, gross = funded_for_exactly(owner, FILLABLE)
    db.session.remove()
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        batches = pool.starmap(_buy_in_process, [
            (database_url, str(tmp_path), owner.id, portfolio.id, ORDERS // 4)] * 4)
    results = [r for batch in batches for r in batch]
    assert results.count("filled") == FILLABLE
    assert results.count("insufficient_buying_power") == ORDERS - FILLABLE
    assert_spent_exactly(portfolio, cash, gross)


def test_simultaneous_requests_with_one_client_order_id_trade_once(app, owner):
    portfolio = make_portfolio(owner)
    db.session.remove()
    barrier = threading.Barrier(8)
    placements: list = []

    def same_request() -> None:
        with app.app_context():
            try:
                barrier.wait()
                placed = trading.place_order(
                    owner_id=owner.id, portfolio_id=portfolio.id,
                    request=request(qty=D(2), client_order_id="double-click"))
                placements.append((placed.order.id, placed.created))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=same_request) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(placements) == 8
    assert len({order_id for order_id, _ in placements}) == 1
    assert sum(created for _, created in placements) == 1
    assert (count(Order), count(Fill)) == (1, 1)
    assert_ledger_ok()
