"""The matching job: resting orders fill as prices move, volume caps split them, tif expires them."""

import threading
from datetime import UTC, datetime

from sqlalchemy import func, select

from invsim.extensions import db
from invsim.trading.matching import match_open_orders
from invsim.trading.models import Fill, OrderEvent
from tests.service.trading.support import (
    D,
    advance_until,
    assert_ledger_ok,
    make_portfolio,
    new_user,
    order,
    place,
    quote,
    snapshot,
    too_large_for_one_bar,
)


def fills_of(order_id):
    return list(db.session.scalars(select(Fill).where(Fill.order_id == order_id)
                                   .order_by(Fill.id)))


def test_large_order_fills_in_parts_within_the_volume_cap_over_several_bars(owner, clock):
    portfolio = make_portfolio(owner, D(10_000_000))
    qty = too_large_for_one_bar(bars=3)
    placed = place(owner, portfolio, qty=qty)
    assert placed.status == "partially_filled"
    seen: dict = {}
    for _ in range(180):
        snap = snapshot()
        # The cap allows 10 % of the bar's volume or of a typical minute, whichever is more.
        depth = max(snap.bar.volume, snap.minute_volume)
        seen[snap.bar.start] = max(seen.get(snap.bar.start, D(0)), depth)
        if order(placed.id).status == "filled":
            break
        clock.advance(seconds=5)
        match_open_orders()
    done = order(placed.id)
    fills = fills_of(placed.id)
    assert done.status == "filled" and done.filled_qty == qty
    assert sum(f.qty for f in fills) == qty
    assert len({f.priced_at.replace(second=0) for f in fills}) >= 2  # more than one bar
    for start, depth in seen.items():
        in_bar = sum(f.qty for f in fills if f.priced_at.replace(second=0) == start)
        assert in_bar <= depth * D("0.10")
    assert any(f.volume_capped for f in fills)
    assert_ledger_ok()


def test_a_small_market_order_fills_at_once_even_early_in_a_minute(owner, clock):
    # A thin forming bar (a few seconds old) does not split an order that is small against
    # a typical minute of the session: 200 KO shares fill in one piece.
    clock.advance(seconds=-25)  # 5 s into a minute
    snap = snapshot("KO")
    assert snap.bar.volume * D("0.10") < D(200) <= snap.minute_volume * D("0.10")
    placed = place(owner, make_portfolio(owner, D(1_000_000)), symbol="KO", qty=D(200))
    assert (placed.status, placed.filled_qty) == ("filled", D(200))
    fills = fills_of(placed.id)
    assert len(fills) == 1 and not fills[0].volume_capped
    assert_ledger_ok()


def test_ioc_fills_what_the_cap_allows_and_cancels_the_rest(owner):
    qty = too_large_for_one_bar()
    placed = place(owner, make_portfolio(owner, D(10_000_000)), qty=qty, tif="ioc")
    assert placed.status == "canceled"
    assert D(0) < placed.filled_qty < qty
    assert placed.reason == "ioc_remainder_canceled"
    assert_ledger_ok()


def test_ioc_that_cannot_trade_is_canceled_without_a_fill(owner):
    placed = place(owner, make_portfolio(owner), type="limit", tif="ioc", qty=D(1),
                   limit_price=D(1))
    assert (placed.status, placed.reason, placed.filled_qty) == ("canceled", "ioc_not_filled", 0)


def test_fok_larger_than_the_volume_cap_is_canceled_whole(owner):
    placed = place(owner, make_portfolio(owner, D(10_000_000)), qty=too_large_for_one_bar(),
                   tif="fok")
    assert (placed.status, placed.reason, placed.filled_qty) == ("canceled", "fok_cannot_fill", 0)
    assert fills_of(placed.id) == []


def test_fok_that_fits_fills_completely(owner):
    placed = place(owner, make_portfolio(owner), qty=D(5), tif="fok")
    assert (placed.status, placed.filled_qty) == ("filled", D(5))


def test_market_order_waits_on_a_stale_price_and_fills_once_it_is_fresh(owner, stale_prices,
                                                                        monkeypatch):
    placed = place(owner, make_portfolio(owner), qty=D(2))
    assert placed.status == "accepted"
    assert match_open_orders().fills == 0
    monkeypatch.undo()
    assert match_open_orders().fills == 1
    assert (order(placed.id).status, order(placed.id).filled_avg_price) == ("filled", quote().ask)


def test_day_order_expires_after_the_close(owner, clock):
    placed = place(owner, make_portfolio(owner), type="limit", qty=D(1), limit_price=D(1))
    clock.set(datetime(2025, 3, 5, 0, 0, 5, tzinfo=UTC))
    assert match_open_orders().expired == 1
    expired = order(placed.id)
    assert (expired.status, expired.reason) == ("expired", "time_in_force_expired")
    assert expired.expired_at == clock.now


def test_gtc_order_survives_the_close(owner, clock):
    placed = place(owner, make_portfolio(owner), type="limit", qty=D(1), limit_price=D(1),
                   tif="gtc")
    clock.set(datetime(2025, 3, 6, 0, 0, 5, tzinfo=UTC))
    match_open_orders()
    assert order(placed.id).status == "accepted"


def test_stop_sell_fires_when_the_last_price_falls_to_it(owner, clock):
    portfolio = make_portfolio(owner)
    place(owner, portfolio, qty=D(10))
    stop = (quote().last - D("0.30")).quantize(D("0.01"))
    resting = place(owner, portfolio, side="sell", type="stop", qty=D(10), stop_price=stop,
                    tif="gtc")
    assert resting.status == "accepted"
    snap = advance_until(clock, lambda s: s.last <= stop)
    match_open_orders()
    fired = order(resting.id)
    assert (fired.status, fired.stop_triggered, fired.filled_avg_price) == (
        "filled", True, snap.bid)
    assert fills_of(fired.id)[0].rule == "stop_triggered"
    assert_ledger_ok()


def test_trailing_stop_moves_its_mark_up_with_the_price_then_fires(owner, clock):
    portfolio = make_portfolio(owner)
    place(owner, portfolio, qty=D(10))
    trailing = place(owner, portfolio, side="sell", type="trailing_stop", qty=D(10),
                     trail_price=D("0.40"), tif="gtc")
    start = trailing.hwm
    advance_until(clock, lambda s: s.last > start + D("0.10"))
    match_open_orders()
    moved = order(trailing.id)
    assert moved.status == "accepted" and moved.hwm > start
    assert moved.stop_price == moved.hwm - D("0.40")
    advance_until(clock, lambda s: s.last <= order(trailing.id).hwm - D("0.40")
                  or s.last > order(trailing.id).hwm, seconds=5)
    for _ in range(2000):
        match_open_orders()
        if order(trailing.id).status == "filled":
            break
        clock.advance(seconds=5)
    fired = order(trailing.id)
    assert fired.status == "filled"
    assert fills_of(fired.id)[0].rule == "trailing_stop_triggered"
    assert_ledger_ok()


def test_market_order_placed_while_closed_fills_after_the_open(owner, clock, nyse):
    clock.set(datetime(2025, 3, 4, 12, 0, tzinfo=UTC))  # 07:00 New York
    placed = place(owner, make_portfolio(owner), qty=D(3))
    assert (placed.status, placed.filled_qty) == ("accepted", 0)
    assert match_open_orders().fills == 0
    clock.set(datetime(2025, 3, 4, 14, 30, 10, tzinfo=UTC))
    match_open_orders()
    assert (order(placed.id).status, order(placed.id).filled_avg_price) == ("filled", quote().ask)


def test_opening_and_closing_auction_orders_fill_at_the_official_prices(owner, clock, nyse):
    portfolio = make_portfolio(owner)
    clock.set(datetime(2025, 3, 4, 12, 0, tzinfo=UTC))
    opening = place(owner, portfolio, qty=D(2), tif="opg")
    clock.set(datetime(2025, 3, 4, 14, 30, 5, tzinfo=UTC))
    match_open_orders()
    filled = order(opening.id)
    assert (filled.status, filled.filled_avg_price) == ("filled", quote().day_open)
    assert fills_of(filled.id)[0].price_source == "opening_price"
    closing = place(owner, portfolio, side="sell", qty=D(2), tif="cls")
    clock.set(datetime(2025, 3, 4, 21, 0, 1, tzinfo=UTC))
    match_open_orders()
    sold = order(closing.id)
    assert (sold.status, sold.filled_avg_price) == ("filled", quote().last)
    assert fills_of(sold.id)[0].rule == "cls_at_close"
    assert_ledger_ok()


def test_two_matching_jobs_at_once_never_fill_an_order_twice(app, owner, stale_prices,
                                                            monkeypatch):
    placed = []
    for _ in range(6):
        portfolio = make_portfolio(new_user())
        placed += [place(portfolio_owner(portfolio), portfolio, qty=D(1)) for _ in range(4)]
    assert {o.status for o in placed} == {"accepted"}
    monkeypatch.undo()
    db.session.remove()  # end this thread's transaction (SQLite: its write lock)
    barrier = threading.Barrier(2)
    errors = []

    def run():
        with app.app_context():
            try:
                barrier.wait()
                match_open_orders()
            except Exception as error:  # pragma: no cover - reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    db.session.expire_all()
    assert all(order(o.id).fill_count == 1 for o in placed)
    assert db.session.scalar(select(func.count()).select_from(Fill)) == len(placed)
    filled_events = db.session.scalar(select(func.count()).select_from(OrderEvent)
                                      .where(OrderEvent.status == "filled"))
    assert filled_events == len(placed)
    assert_ledger_ok()


def portfolio_owner(portfolio):
    from invsim.users.models import User

    return db.session.get(User, portfolio.user_id)


def test_several_trailing_marks_move_in_one_batch_without_touching_balances(owner, clock):
    portfolio = make_portfolio(owner)
    place(owner, portfolio, qty=D(30))
    place(owner, portfolio, symbol="MSFT", qty=D(30))
    trailing = [place(owner, portfolio, symbol=s, side="sell", type="trailing_stop", qty=D(10),
                      trail_percent=D(20), tif="gtc") for s in ("AAPL", "AAPL", "MSFT")]
    marks = {o.id: o.hwm for o in trailing}
    advance_until(clock, lambda s: s.last > marks[trailing[0].id])
    advance_until(clock, lambda s: s.last > marks[trailing[2].id], symbol="MSFT")
    report = match_open_orders()
    assert report.fills == 0 and report.updated >= 2
    assert all(order(o.id).hwm >= marks[o.id] for o in trailing)
    assert any(order(o.id).hwm > marks[o.id] for o in trailing)
    assert_ledger_ok()


def test_a_portfolio_that_fails_to_match_does_not_hold_up_the_others(owner, stale_prices,
                                                                     monkeypatch):
    import invsim.trading.matching as matching

    broken, healthy = make_portfolio(owner), make_portfolio(owner)
    stuck = place(owner, broken, qty=D(1))
    waiting = place(owner, healthy, qty=D(1))
    monkeypatch.undo()
    real = matching._match_portfolio

    def fail_for_broken(portfolio, *args):
        if portfolio.id == broken.id:
            raise RuntimeError("boom")
        return real(portfolio, *args)

    monkeypatch.setattr(matching, "_match_portfolio", fail_for_broken)
    report = match_open_orders()
    assert (report.errors, report.fills) == (1, 1)
    assert (order(stuck.id).status, order(waiting.id).status) == ("accepted", "filled")
    assert_ledger_ok()
