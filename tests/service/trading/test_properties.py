"""Property: random orders and price moves never break the ledger's invariants.

After every step: cash = starting cash + Σ cash entries (and + Σ activities);
equity = cash + long market value − short market value; each position equals the
sum of its fills; a cash account never goes below zero. After each sequence the
ledger rebuilds to exactly the cached balances.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from invsim.core.clock import set_clock, utcnow
from invsim.core.errors import DomainError
from invsim.core.money import ZERO, money
from invsim.extensions import db
from invsim.portfolios.service import open_positions
from invsim.trading import marks as prices
from invsim.trading import service as trading
from invsim.trading.ledger import verify_ledger
from invsim.trading.matching import match_open_orders
from invsim.trading.models import Fill
from invsim.trading.summary import account_summary
from tests.service.trading.support import (
    T0,
    D,
    activity_total,
    entries_total,
    make_portfolio,
    new_user,
    reload,
    request,
)

SYMBOL_CHOICES = ["AAPL", "MSFT", "KO", "USO", "ARKK"]
QTY_CHOICES = [D(1), D(2), D(5), D(13), D(40), D("0.5"), D("2.25")]
SYMBOLS = st.sampled_from(SYMBOL_CHOICES)
SIDES = st.sampled_from(["buy", "sell"])
QTY = st.sampled_from(QTY_CHOICES)
ACTIONS = st.one_of(
    st.tuples(st.just("market"), SYMBOLS, SIDES, QTY),
    st.tuples(st.just("limit"), SYMBOLS, SIDES, QTY, st.integers(-30, 30)),
    st.tuples(st.just("notional"), SYMBOLS, st.sampled_from([D("250.00"), D("1234.56")])),
    st.tuples(st.just("ioc"), SYMBOLS, SIDES, st.sampled_from([D(500), D(3)])),
    st.tuples(st.just("advance"), st.integers(1, 240)),
    st.tuples(st.just("cancel"), st.integers(0, 5)),
    st.tuples(st.just("close"), SYMBOLS, st.sampled_from([None, D(50)])),
)
ACCOUNT_CHOICES = [
    {},
    {"account_type": "margin", "allow_short": True},
    {"fractional": False, "commission": {"kind": "per_trade", "amount": "1.00"}},
    {"slippage_bps": "5", "commission": {"kind": "percent", "rate": "0.1", "minimum": "1"}},
    {"account_type": "margin", "commission": {"kind": "per_share", "rate": "0.005",
                                              "minimum": "1"}},
]
ACCOUNTS = st.sampled_from(ACCOUNT_CHOICES)


def act(owner, portfolio, action) -> None:
    """Carry out one random action; refusals are part of the game."""
    kind, *args = action
    try:
        if kind == "advance":
            later = utcnow() + timedelta(seconds=args[0])
            set_clock(lambda: later)
            match_open_orders()
        elif kind == "cancel":
            open_orders = trading.list_orders(portfolio=reload(portfolio))
            if open_orders:
                trading.cancel_order(owner_id=owner.id,
                                     order_id=open_orders[args[0] % len(open_orders)].id)
        elif kind == "close":
            trading.close_position(owner_id=owner.id, portfolio_id=portfolio.id,
                                   symbol=args[0], percentage=args[1])
        else:
            trading.place_order(owner_id=owner.id, portfolio_id=portfolio.id,
                                request=_request(kind, args))
    except DomainError:
        db.session.rollback()


def _request(kind: str, args: list):
    """Build the order request of a random action."""
    if kind == "market":
        return request(args[0], args[1], qty=args[2])
    if kind == "ioc":
        return request(args[0], args[1], tif="ioc", qty=args[2])
    if kind == "notional":
        return request(args[0], "buy", notional=args[1])
    mark = prices.mark(args[0])
    limit = (mark.last * (1 + Decimal(args[3]) / 10_000)).quantize(D("0.01"))
    return request(args[0], args[1], "limit", "gtc", qty=args[2], limit_price=limit)


def check_invariants(portfolio) -> None:
    """Assert the ledger's invariants for one portfolio at this instant."""
    portfolio = reload(portfolio)
    assert portfolio.cash == portfolio.starting_cash + entries_total(portfolio)
    assert portfolio.cash == portfolio.starting_cash + activity_total(portfolio)
    if portfolio.account_type == "cash":
        assert portfolio.cash >= ZERO
    held = {p.symbol: p.qty for p in open_positions(portfolio)}
    summed: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for symbol, side, qty in db.session.execute(
            select(Fill.symbol, Fill.side, Fill.qty).where(
                Fill.portfolio_id == portfolio.id, Fill.generation == portfolio.generation)):
        summed[symbol] += qty if side == "buy" else -qty
    assert held == {s: q for s, q in summed.items() if q != ZERO}
    marks = prices.marks(held)
    values = [money(q * marks[s].last) for s, q in held.items()]
    long_value = sum((v for v in values if v > 0), ZERO)
    short_value = -sum((v for v in values if v < 0), ZERO)
    summary = account_summary(portfolio)
    assert (summary.long_market_value, summary.short_market_value) == (long_value, short_value)
    assert summary.equity == portfolio.cash + long_value - short_value


@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rules=ACCOUNTS, actions=st.lists(ACTIONS, min_size=5, max_size=40))
def test_random_orders_and_price_moves_keep_the_ledger_exact(appctx, rules, actions):
    set_clock(lambda: T0)
    owner = new_user()
    portfolio = make_portfolio(owner, D(25_000), **rules)
    for action in actions:
        act(owner, portfolio, action)
        check_invariants(portfolio)
    trading.cancel_all(owner_id=owner.id, portfolio_id=portfolio.id)
    report = verify_ledger([portfolio.id])
    assert report.ok, [str(d) for d in report.differences]




def _random_action(rng) -> tuple:
    """Draw one action like ACTIONS does, from a seeded generator (for the long soak)."""
    symbol, side = rng.choice(SYMBOL_CHOICES), rng.choice(["buy", "sell"])
    qty = rng.choice(QTY_CHOICES)
    return rng.choice([
        ("market", symbol, side, qty),
        ("limit", symbol, side, qty, rng.randint(-30, 30)),
        ("notional", symbol, rng.choice([D("250.00"), D("1234.56")])),
        ("ioc", symbol, side, rng.choice([D(500), D(3)])),
        ("advance", rng.randint(1, 240)),
        ("cancel", rng.randint(0, 5)),
        ("close", symbol, rng.choice([None, D(50)])),
    ])


def test_ledger_verifies_after_thousands_of_random_orders(appctx):
    import random

    rng = random.Random(20250304)
    accounts = []
    for rules in ACCOUNT_CHOICES:
        owner = new_user()
        accounts.append((owner, make_portfolio(owner, D(1_000_000), **rules)))
    placed = 0
    for _ in range(2000):
        owner, portfolio = rng.choice(accounts)
        action = _random_action(rng)
        act(owner, portfolio, action)
        placed += action[0] in ("market", "limit", "notional", "ioc")
    for _, portfolio in accounts:
        check_invariants(portfolio)
    report = verify_ledger()
    assert placed > 1000 and report.fills > 500, (placed, report.fills)
    assert report.ok, [str(d) for d in report.differences]
