"""The ledger check rebuilds portfolios from their facts and finds any cached value that drifted."""

from click.testing import CliRunner
from sqlalchemy import update

from invsim.cli import main
from invsim.extensions import db
from invsim.portfolios.models import Portfolio, Position, TaxLot
from invsim.trading.ledger import verify_ledger
from invsim.trading.models import Order
from tests.service.trading.support import D, assert_ledger_ok, make_portfolio, place


def trade_a_little(owner):
    portfolio = make_portfolio(owner, commission={"kind": "per_trade", "amount": "1.50"})
    place(owner, portfolio, qty=D(10))
    place(owner, portfolio, side="sell", qty=D(4))
    place(owner, portfolio, symbol="MSFT", notional=D("999.99"))
    assert_ledger_ok()
    return portfolio


def tamper(statement):
    db.session.execute(statement)
    db.session.commit()


def test_verify_reports_cached_cash_that_differs_from_the_entries(owner):
    portfolio = trade_a_little(owner)
    tamper(update(Portfolio).where(Portfolio.id == portfolio.id)
           .values(cash=Portfolio.cash + D("0.01")))
    [difference] = verify_ledger().differences
    assert (difference.portfolio_id, difference.what) == (portfolio.id, "cash")
    assert D(difference.cached) - D(difference.rebuilt) == D("0.01")


def test_verify_reports_positions_lots_and_order_progress_that_drifted(owner):
    portfolio = trade_a_little(owner)
    tamper(update(Position).where(Position.symbol == "AAPL").values(qty=Position.qty + 1))
    tamper(update(TaxLot).where(TaxLot.symbol == "MSFT").values(price=TaxLot.price + 1))
    tamper(update(Order).where(Order.symbol == "MSFT").values(filled_qty=Order.filled_qty + 1))
    whats = {d.what.split(" (")[0] for d in verify_ledger().differences}
    assert {"position AAPL", "lots of MSFT"} <= whats
    assert any(w.startswith("order ") for w in whats)
    assert all(d.portfolio_id == portfolio.id for d in verify_ledger().differences)


def test_cli_verify_exits_non_zero_on_a_difference_and_rebuild_repairs_it(
        owner, monkeypatch, database_url, tmp_path):
    portfolio = trade_a_little(owner)
    for name, value in {"DATABASE_URL": database_url, "VAR_DIR": str(tmp_path),
                        "SECRET_KEY": "x" * 48, "SCHEDULER_ENABLED": "false"}.items():
        monkeypatch.setenv(name, value)
    runner = CliRunner()
    ok = runner.invoke(main, ["ledger", "verify"])
    assert (ok.exit_code, ok.output.splitlines()[-1].startswith("ledger OK")) == (0, True)
    tamper(update(Portfolio).where(Portfolio.id == portfolio.id)
           .values(cash=Portfolio.cash - D("2.50")))
    broken = runner.invoke(main, ["ledger", "verify"])
    assert broken.exit_code == 1
    assert f"portfolio {portfolio.id}: cash" in broken.output
    dry = runner.invoke(main, ["ledger", "rebuild", str(portfolio.id)])
    assert dry.exit_code == 1 and "dry run" in dry.output
    fixed = runner.invoke(main, ["ledger", "rebuild", str(portfolio.id), "--yes"])
    assert fixed.exit_code == 0, fixed.output
    assert runner.invoke(main, ["ledger", "verify"]).exit_code == 0


def test_verify_running_beside_trading_never_reports_a_difference(app, owner):
    import threading

    from invsim.trading import service as trading
    from tests.service.trading.support import request

    portfolio = make_portfolio(owner)
    db.session.remove()
    reports, done = [], threading.Event()

    def trade():
        with app.app_context():
            try:
                for n in range(40):
                    trading.place_order(owner_id=owner.id, portfolio_id=portfolio.id,
                                        request=request(side="buy" if n % 2 == 0 else "sell",
                                                        qty=D(1)))
            finally:
                done.set()
                db.session.remove()

    def verify():
        with app.app_context():
            try:
                while not done.is_set():
                    reports.append(verify_ledger([portfolio.id]))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=trade), threading.Thread(target=verify)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert reports and all(r.ok for r in reports), [str(d) for r in reports
                                                   for d in r.differences]
    assert_ledger_ok()
