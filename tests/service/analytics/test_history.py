"""The equity history agrees with a hand calculation, stored or rebuilt from the ledger."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import delete, select

from invsim.analytics import service
from invsim.analytics.models import EquitySnapshot
from invsim.analytics.snapshots import record_snapshots
from invsim.extensions import db
from tests.service.analytics.support import D, at, scenario

EXPECTED_EQUITY = ["10000.00", "10050.00", "14980.00", "15112.00", "15130.00"]
EXPECTED_DAYS = [date(2025, 3, 2), date(2025, 3, 3), date(2025, 3, 4), date(2025, 3, 5),
                 date(2025, 3, 6)]


def hand_twr() -> Decimal:
    """Chain-link the daily returns of the scenario by hand."""
    return (D(10050) / D(10000)) * ((D(14980) - D(5000)) / D(10050)) \
        * (D(15112) / D(14980)) * (D(15130) / D(15112)) - 1


def test_daily_history_is_rebuilt_from_the_ledger_to_the_cent(ctx, clock, fixed):
    owner, portfolio = scenario(clock, fixed)
    points = service.daily_equity(owner_id=owner.id, portfolio_id=portfolio.id)
    assert [p.day for p in points] == EXPECTED_DAYS
    assert [str(p.equity) for p in points] == EXPECTED_EQUITY
    assert [str(p.net_cash_flow) for p in points] == ["0.00", "0.00", "5000.00", "0.00", "0.00"]
    assert [p.kind for p in points] == ["inception", "close", "close", "close", "live"]
    assert (points[3].cash, points[3].long_market_value) == (D("14440.00"), D("672.00"))


def test_history_reports_profit_loss_net_of_deposits_and_twr_percent(ctx, clock, fixed):
    owner, portfolio = scenario(clock, fixed)
    found = service.portfolio_history(owner_id=owner.id, portfolio_id=portfolio.id,
                                      period="ALL", timeframe="1D")
    arrays = found.arrays
    assert arrays.base_value == D("10000.00")
    assert [str(e) for e in arrays.equity] == EXPECTED_EQUITY
    assert [str(p) for p in arrays.profit_loss] == ["0.00", "50.00", "-20.00", "112.00", "130.00"]
    assert [str(f) for f in arrays.cash_flow] == ["0.00", "0.00", "5000.00", "0.00", "0.00"]
    assert arrays.profit_loss_pct[-1] == hand_twr().quantize(D("0.000001"))
    assert arrays.timestamp[1] == int(at("2025-03-04", "00:00").timestamp())


def test_returns_agree_with_the_hand_calculation(ctx, clock, fixed):
    owner, portfolio = scenario(clock, fixed)
    found = service.portfolio_returns(owner_id=owner.id, portfolio_id=portfolio.id)
    assert abs(found.twr - float(hand_twr())) < 1e-12
    assert abs(found.simple_return - 130 / 15000) < 1e-12
    assert found.profit_loss == D("130.00") and found.net_flows == D("5000.00")
    assert found.mwr is not None and found.mwr_annualized is None  # four days: not annualised


def test_job_snapshots_are_read_back_and_a_missed_close_is_rebuilt(ctx, clock, fixed):
    owner, portfolio = scenario(clock, fixed)
    record_snapshots()
    with db.transaction() as session:
        stored = session.scalars(select(EquitySnapshot).where(
            EquitySnapshot.kind == "close").order_by(EquitySnapshot.at)).all()
        assert [str(s.equity) for s in stored] == EXPECTED_EQUITY[1:4]
        assert [str(s.net_cash_flow) for s in stored] == ["0.00", "5000.00", "0.00"]
        session.execute(delete(EquitySnapshot).where(
            EquitySnapshot.at == at("2025-03-05", "00:00")))  # the job "missed" 03-04
    points = service.daily_equity(owner_id=owner.id, portfolio_id=portfolio.id)
    assert [str(p.equity) for p in points] == EXPECTED_EQUITY
    report = record_snapshots()
    assert report.closes[at("2025-03-05", "00:00")] == 1  # filled in on the next run


def test_snapshot_job_is_idempotent(ctx, clock, fixed):
    scenario(clock, fixed)
    first = record_snapshots()
    second = record_snapshots()
    assert first.intraday == 1 and first.intraday_at == at("2025-03-06", "09:00")
    assert sum(first.closes.values()) == 3
    assert second.intraday == 0 and sum(second.closes.values()) == 0
    with db.transaction() as session:
        assert len(session.scalars(select(EquitySnapshot)).all()) == 4
