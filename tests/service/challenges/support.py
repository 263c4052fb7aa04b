"""Shared fixtures and helpers of the challenges tests (service and API).

Time is driven with `core.clock.set_clock`: T0 is inside a session of the
default (always open) calendar, the challenge starts an hour later and ends a
day after that. The simulated market is deterministic, so expected equities are
computed from the same quotes the standings use.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from invsim.challenges import access, board, service
from invsim.challenges.models import Challenge, Participant, StandingRun, StandingSnapshot
from invsim.challenges.rules import ChallengeRules
from invsim.core.clock import set_clock
from invsim.core.kvstore import MemoryStore
from invsim.extensions import db, stores
from invsim.portfolios.models import Portfolio
from invsim.trading import service as trading
from invsim.trading.engine.state import OrderType, Side, TimeInForce
from invsim.trading.models import Order
from invsim.trading.order_input import OrderRequest
from tests import factories
from tests.factories import Clock

D = Decimal
T0 = datetime(2025, 3, 4, 15, 0, 30, tzinfo=UTC)
START = T0 + timedelta(hours=1)
END = START + timedelta(days=1)




@pytest.fixture()
def clock(app: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    """Freeze time at T0 for the test with an empty key-value store (cached runs die with it)."""
    monkeypatch.setattr(stores, "kv", MemoryStore())
    monkeypatch.setattr(board, "_local_pages", board._PageCache(board.LOCAL_PAGES))
    frozen = Clock(T0)
    set_clock(lambda: frozen.now)
    yield frozen
    set_clock(None)


@pytest.fixture()
def appctx(app: Any, clock: Clock) -> Iterator[Any]:
    """Run the test inside an app context with the clock frozen."""
    with app.app_context():
        yield app
        db.session.remove()


def new_user(display_name: str | None = None) -> Any:
    """Register a fresh user."""
    return factories.new_user("player", display_name)


def make_challenge(owner: Any, *, visibility: str = "public", starts_at: datetime = START,
                   ends_at: datetime = END, starting_cash: Decimal = D(100_000),
                   **rules: Any) -> Challenge:
    """Create a challenge with the given rules and return the row."""
    view = service.create_challenge(owner_id=owner.id, name="Spring cup", visibility=visibility,
                                    starts_at=starts_at, ends_at=ends_at,
                                    starting_cash=starting_cash, rules=ChallengeRules(**rules))
    return view.challenge


def request(symbol: str = "AAPL", side: str = "buy", type: str = "market", tif: str = "day",
            **terms: Any) -> OrderRequest:
    """Build an order request."""
    return OrderRequest(symbol=symbol, side=Side(side), type=OrderType(type),
                        time_in_force=TimeInForce(tif), **terms)


def place(user: Any, portfolio_id: int, symbol: str = "AAPL", side: str = "buy",
          type: str = "market", tif: str = "day", **terms: Any) -> Order:
    """Place an order in a portfolio and return it."""
    return trading.place_order(owner_id=user.id, portfolio_id=portfolio_id,
                               request=request(symbol, side, type, tif, **terms)).order


def portfolio_of(challenge_id: int, user: Any) -> Portfolio | None:
    """Return the user's challenge portfolio, freshly read."""
    db.session.expire_all()
    found = access.participation(challenge_id, user.id)
    if found is None or found.portfolio_id is None:
        return None
    return db.session.get(Portfolio, found.portfolio_id)


def count(model: Any, *where: Any) -> int:
    """Count the rows of a table."""
    db.session.expire_all()
    return int(db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def row_counts() -> tuple[int, int, int, int]:
    """Count challenges, participants, runs and standings (to prove nothing was written)."""
    return count(Challenge), count(Participant), count(StandingRun), count(StandingSnapshot)


def standings_at(challenge_id: int, computed_at: datetime) -> list[tuple[int, int, Decimal]]:
    """Return (rank, user id, equity) of a stored run, best first."""
    db.session.expire_all()
    s = StandingSnapshot
    rows = db.session.execute(select(s.rank, s.user_id, s.equity).where(
        s.challenge_id == challenge_id, s.computed_at == computed_at).order_by(s.rank))
    return [(int(r), int(u), e) for r, u, e in rows]


def sign_in(client: Any, clock: Clock) -> dict[str, str]:
    """Register a user through the API under the real clock (tokens are checked against it)."""
    from tests.factories import signed_in

    set_clock(None)
    try:
        return signed_in(client)
    finally:
        set_clock(lambda: clock.now)
