"""Dividends and splits through real orders: entitlements, pay-date cash, split positions and orders.

The simulated market decides the actions (deterministic from the seed); each test finds
one, places real orders around its ex-date with the clock moved by hand, runs the job and
checks the worked numbers and `verify_ledger`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from click.testing import CliRunner
from sqlalchemy import select

from invsim.analytics import service as analytics
from invsim.challenges import sources as standings
from invsim.cli import main
from invsim.core.clock import set_clock
from invsim.core.money import money
from invsim.extensions import db
from invsim.market import service as market
from invsim.market.providers.base import CorporateAction
from invsim.market.universe import universe_of
from invsim.portfolios.models import CashEntry, Portfolio, Position, TaxLot
from invsim.trading.activities import iter_activities
from invsim.trading.corporate_actions import apply_corporate_actions, entitlements, ex_open
from invsim.trading.corporate_models import CorporateActionRun
from tests.factories import Clock
from tests.service.trading.support import (
    D,
    assert_ledger_ok,
    make_portfolio,
    order,
    place,
    quote,
    reload,
)

SEARCH_FROM = date(2025, 2, 1)


def find_action(clock: Clock, kind: str, symbols: list[str] | None = None) -> CorporateAction:
    """Return the first `kind` action going ex after SEARCH_FROM (searched as of late 2026)."""
    saved = clock.now
    clock.set(datetime(2026, 11, 1, tzinfo=UTC))
    try:
        for symbol in symbols or [listing.symbol for listing in universe_of(None).listings]:
            for action in market.corporate_actions(symbol, SEARCH_FROM, date(2026, 10, 1)):
                if action.kind == kind:
                    return action
    finally:
        clock.set(saved)
    raise AssertionError(f"no {kind} in the simulated market")


def at_noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def cash_entries(portfolio: Any, kind: str) -> list[CashEntry]:
    db.session.expire_all()
    return list(db.session.scalars(select(CashEntry).where(
        CashEntry.portfolio_id == portfolio.id, CashEntry.kind == kind)))


def cli_verify_passes(monkeypatch: Any, database_url: str, tmp_path: Any) -> None:
    """Run `invsim ledger verify` against the test database and require it to pass."""
    for name, value in {"DATABASE_URL": database_url, "VAR_DIR": str(tmp_path),
                        "SECRET_KEY": "x" * 48, "SCHEDULER_ENABLED": "false"}.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(main, ["ledger", "verify"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith("ledger OK")


def test_a_dividend_credits_holders_and_charges_shorts_once_on_the_pay_date(
        owner, clock, monkeypatch, database_url, tmp_path):
    action = find_action(clock, "dividend", ["KO", "PG", "XOM", "JNJ", "PEP", "SPY"])
    assert action.amount is not None and action.pay_date > action.ex_date
    clock.set(ex_open(action.ex_date) - timedelta(hours=6))
    holder = make_portfolio(owner)
    short = make_portfolio(owner, account_type="margin", allow_short=True)
    place(owner, holder, action.symbol, qty=D(120))
    place(owner, short, action.symbol, side="sell", qty=D(50))
    before_ex = quote(action.symbol)

    clock.set(ex_open(action.ex_date) + timedelta(hours=2))
    late = make_portfolio(owner)
    place(owner, late, action.symbol, qty=D(10))  # bought after the ex-date open: not entitled
    ex_day = quote(action.symbol)
    # The price drops by the dividend at the ex-date open (the open of an always-open
    # market is the previous close): within one tick of rounding.
    assert abs(ex_day.day_open - (ex_day.prev_close - action.amount)) <= D("0.0001")
    assert ex_day.prev_close == before_ex.prev_close or ex_day.prev_close >= D(0)

    assert apply_corporate_actions() == 1  # the ex stage
    owed = {e.portfolio_id: (e.qty, e.amount) for p in (holder, short, late)
            for e in entitlements(p.id)}
    assert owed == {holder.id: (D(120), money(D(120) * action.amount)),
                    short.id: (D(-50), money(D(-50) * action.amount))}
    assert cash_entries(holder, "dividend") == []  # nothing is paid before the pay date

    cash_before = {p.id: reload(p).cash for p in (holder, short, late)}
    clock.set(at_noon(action.pay_date))
    assert apply_corporate_actions() == 1  # the pay stage
    assert apply_corporate_actions() == 0  # run twice: still one payment
    [credit] = cash_entries(holder, "dividend")
    [charge] = cash_entries(short, "dividend_charge")
    assert credit.amount == money(D(120) * action.amount) > 0
    assert charge.amount == -money(D(50) * action.amount) < 0
    assert reload(holder).cash == cash_before[holder.id] + credit.amount
    assert reload(short).cash == cash_before[short.id] + charge.amount
    assert reload(late).cash == cash_before[late.id]
    assert {e.cash_entry_id for e in entitlements(holder.id)} == {credit.id}
    shown = [a for a in iter_activities(reload(holder)) if a.activity_type == "dividend"]
    assert [(a.net_amount, a.description.split()[:2]) for a in shown] == [
        (credit.amount, ["Dividend", action.symbol])]
    runs = db.session.scalars(select(CorporateActionRun.stage).where(
        CorporateActionRun.action_key == action.key)).all()
    assert sorted(runs) == ["ex", "pay"]
    assert_ledger_ok()
    cli_verify_passes(monkeypatch, database_url, tmp_path)


def test_a_split_keeps_value_and_cost_and_adjusts_open_orders(
        owner, clock, monkeypatch, database_url, tmp_path):
    action = find_action(clock, "split")
    assert action.ratio is not None
    ratio = action.ratio
    clock.set(ex_open(action.ex_date) - timedelta(hours=3))
    portfolio = make_portfolio(owner, D(1_000_000))
    place(owner, portfolio, action.symbol, qty=D(10))
    place(owner, portfolio, action.symbol, qty=D(3))
    last = quote(action.symbol).last
    limit = place(owner, portfolio, action.symbol, type="limit", tif="gtc", qty=D(5),
                  limit_price=(last * D("0.8")).quantize(D("0.01")))
    trailing = place(owner, portfolio, action.symbol, side="sell", type="trailing_stop",
                     tif="gtc", qty=D(4), trail_percent=D(10))
    limit_before = order(limit.id).limit_price
    assert limit_before is not None
    hwm_before = order(trailing.id).hwm
    db.session.expire_all()
    [position] = db.session.scalars(select(Position).where(
        Position.portfolio_id == portfolio.id)).all()
    cost, qty, avg = position.cost_basis, position.qty, position.avg_entry_price

    clock.set(ex_open(action.ex_date) + timedelta(minutes=30))
    assert apply_corporate_actions() >= 1  # the split (and earlier dividends' stages, if any)
    assert apply_corporate_actions() == 0  # idempotent
    assert db.session.scalar(select(CorporateActionRun.portfolios).where(
        CorporateActionRun.action_key == action.key)) == 1
    db.session.expire_all()
    position = db.session.get(Position, position.id)
    assert position is not None
    assert (position.qty, position.cost_basis) == (qty * ratio, cost)
    assert avg is not None and position.avg_entry_price is not None
    assert abs(position.avg_entry_price - avg / ratio) <= D("0.0001")
    lots = db.session.scalars(select(TaxLot).where(TaxLot.portfolio_id == portfolio.id)).all()
    assert money(sum((lot.qty * lot.price for lot in lots), D(0))) == cost
    # The value is kept: the new shares at the adjusted previous close equal the old at the old.
    window = (ex_open(action.ex_date) - timedelta(days=3),
              ex_open(action.ex_date) - timedelta(minutes=1))
    traded = market.get_bars(action.symbol, "1d", *window).bars[-1].close
    adjusted = market.get_bars(action.symbol, "1d", *window, adjusted=True).bars[-1].close
    assert adjusted == (traded / ratio).quantize(D("0.0001"))
    assert abs(position.qty * adjusted - qty * traded) <= D("0.0001") * position.qty
    moved = order(limit.id)
    assert moved.qty == D(5) * ratio
    assert moved.limit_price == (limit_before / ratio).quantize(D("0.0001"), "ROUND_FLOOR")
    stop = order(trailing.id)
    assert stop.qty == D(4) * ratio
    assert hwm_before is not None and stop.hwm is not None  # the water mark, split too
    assert abs(stop.hwm - hwm_before / ratio) <= D("0.0001")
    assert_ledger_ok()
    clock.set(ex_open(action.ex_date) + timedelta(days=1, hours=1))
    # The equity curve replays the split too: no four-fold fall at the ex-date.
    points = analytics.daily_equity(owner_id=owner.id, portfolio_id=portfolio.id)
    held = [p for p in points if p.long_market_value > 0]
    assert len(held) >= 2
    assert all(abs(b.long_market_value / a.long_market_value - 1) < D("0.2")
               for a, b in zip(held, held[1:]))
    # Standings at a past instant (a challenge's final run) count the split's shares too.
    scope = Portfolio.id == portfolio.id
    assert standings.holdings(scope, at=clock.now).positions == standings.holdings(scope).positions
    place(owner, portfolio, action.symbol, side="sell", qty=position.qty - stop.qty)
    assert_ledger_ok()
    cli_verify_passes(monkeypatch, database_url, tmp_path)


def test_the_job_does_nothing_without_actions(owner, clock):
    make_portfolio(owner)
    assert apply_corporate_actions() == 0
    set_clock(lambda: clock.now)
    assert_ledger_ok()


def test_amounts_are_exact_decimals(clock, appctx):
    action = find_action(clock, "dividend", ["KO"])
    assert isinstance(action.amount, Decimal) and action.amount == action.amount.quantize(D("0.01"))
