"""The snapshot job: books as of each snapshot's instant, intraday history, two workers."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from invsim.analytics import service
from invsim.analytics.models import EquitySnapshot
from invsim.analytics.snapshots import record_snapshots
from invsim.extensions import db
from tests.service.analytics.support import D, at, new_user, open_portfolio, scenario, trade


def snapshots(kind: str) -> dict:
    """Return {(portfolio_id, at): equity} of one kind."""
    with db.transaction() as session:
        rows = session.execute(select(EquitySnapshot.portfolio_id, EquitySnapshot.at,
                                      EquitySnapshot.equity)
                               .where(EquitySnapshot.kind == kind)).all()
    return {(pid, when): equity for pid, when, equity in rows}


def test_intraday_snapshot_values_the_book_as_it_was_at_its_instant(ctx, clock, fixed):
    owner = new_user()
    fixed.price("AAPL", "100")
    clock.set(at("2025-03-03", "08:00"))
    early = open_portfolio(owner)
    clock.set(at("2025-03-03", "09:02"))
    late = open_portfolio(owner)  # opened inside the 09:00 interval
    clock.set(at("2025-03-03", "09:03"))
    trade(owner, early, "buy", "10")  # after the 09:00 instant
    fixed.price("AAPL", "120")
    clock.set(at("2025-03-03", "09:04"))
    report = record_snapshots()
    assert report.intraday_at == at("2025-03-03", "09:00") and report.intraday == 1
    assert snapshots("intraday") == {(early.id, at("2025-03-03", "09:00")): D("10000.00")}
    clock.set(at("2025-03-03", "09:06"))
    record_snapshots()
    assert snapshots("intraday")[(early.id, at("2025-03-03", "09:05"))] == D("10200.00")
    assert snapshots("intraday")[(late.id, at("2025-03-03", "09:05"))] == D("10000.00")


def test_intraday_history_reads_the_samples_after_the_last_close(ctx, clock, fixed):
    owner, portfolio = scenario(clock, fixed)
    for when, price in [("09:00", "115"), ("09:07", "116"), ("09:12", "117")]:
        clock.set(at("2025-03-06", when))
        fixed.price("AAPL", price)
        record_snapshots()
    clock.set(at("2025-03-06", "09:14"))
    fixed.price("AAPL", "118")
    five = service.portfolio_history(owner_id=owner.id, portfolio_id=portfolio.id, period="1D")
    assert five.timeframe == "5Min"
    assert [str(e) for e in five.arrays.equity] == ["15112.00", "15130.00", "15136.00",
                                                    "15148.00"]
    assert five.arrays.timestamp[0] == int(at("2025-03-06", "00:00").timestamp())
    assert five.arrays.timestamp[-1] == int(at("2025-03-06", "09:14").timestamp())
    hourly = service.portfolio_history(owner_id=owner.id, portfolio_id=portfolio.id,
                                       period="1D", timeframe="1H")
    assert [str(e) for e in hourly.arrays.equity] == ["15112.00", "15148.00"]


def test_two_workers_at_once_store_each_snapshot_once(ctx, app, clock, fixed):
    owner = new_user()
    fixed.price("AAPL", "100")
    for _ in range(3):
        trade(owner, open_portfolio(owner), "buy", "1")
    clock.set(at("2025-03-04", "10:01"))
    errors: list[BaseException] = []

    def run() -> None:
        with app.app_context():
            try:
                record_snapshots()
            except BaseException as error:  # reported by the assertion below
                errors.append(error)
            finally:
                db.session.remove()

    workers = [threading.Thread(target=run) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    with db.transaction() as session:
        counts = dict(session.execute(select(EquitySnapshot.kind, func.count())
                                      .group_by(EquitySnapshot.kind)).all())
    assert counts == {"intraday": 3, "close": 3}


def test_on_the_nyse_calendar_a_weekend_has_no_samples_and_closes_are_sessions(
        make_app, clock, fixed):
    nyse = make_app(market_calendar="nyse")
    with nyse.app_context():
        owner = new_user()
        clock.set(at("2025-03-05", "15:00"))  # Wednesday, market open
        fixed.price("AAPL", "100")
        portfolio = open_portfolio(owner)
        trade(owner, portfolio, "buy", "10")
        for day, close in [("2025-03-05", "101"), ("2025-03-06", "102"), ("2025-03-07", "103")]:
            fixed.close("AAPL", day, close)
        clock.set(at("2025-03-08", "12:00"))  # Saturday
        report = record_snapshots()
        assert report.intraday_at is None and report.intraday == 0
        assert sorted(k for k, n in report.closes.items() if n) == [at("2025-03-05", "21:00"), at("2025-03-06", "21:00"),
                                         at("2025-03-07", "21:00")]
        points = service.daily_equity(owner_id=owner.id, portfolio_id=portfolio.id)
        assert [(p.day.isoformat(), str(p.equity)) for p in points] == [
            ("2025-03-04", "10000.00"), ("2025-03-05", "10010.00"), ("2025-03-06", "10020.00"),
            ("2025-03-07", "10030.00")]
        db.session.remove()


def test_intraday_samples_older_than_32_days_are_pruned(ctx, clock, fixed):
    owner = new_user()
    open_portfolio(owner)
    clock.set(at("2025-03-03", "12:00"))
    record_snapshots()
    assert at("2025-03-03", "12:00") in {when for _, when in snapshots("intraday")}
    clock.set(at("2025-04-05", "12:00"))
    record_snapshots()
    assert {when for _, when in snapshots("intraday")} == {at("2025-04-05", "12:00")}
    assert len(snapshots("close")) == 5  # the last 5 sessions; older closes are rebuilt on read
