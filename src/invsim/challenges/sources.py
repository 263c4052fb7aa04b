"""Everything the challenges domain takes from other domains, in one place.

Portfolios are opened and archived through the portfolios service; prices come
from the market service; a participant's holdings and trades come from the
portfolios and trading views.

Deliberate exception (performance): `holdings`, `equities` and friends read the portfolios and
trading tables (portfolios, positions, cash_entries, fills) directly, read-only,
in set-based queries over all portfolios of one challenge (or all main portfolios). Ranking 100,000
players through per-portfolio service calls would be 100,000 round trips; no
service function offers the bulk read yet (asked for in docs/challenges.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Numeric,
    String,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql import Select

from invsim.challenges.ranking import div_round
from invsim.core.errors import DomainError, NotFound
from invsim.core.money import MONEY_SCALE, PRICE_SCALE, QUANTITY_SCALE, from_scaled_int
from invsim.extensions import db
from invsim.market import service as market
from invsim.portfolios import service as portfolios
from invsim.portfolios.models import CashEntry, Portfolio, Position
from invsim.trading import service as trading
from invsim.trading.corporate_models import SplitAdjustment
from invsim.trading.models import Fill, Order

QUOTE_CHUNK = 2000  # the market service answers at most this many symbols per call
VALUE_SCALE = QUANTITY_SCALE + PRICE_SCALE  # qty units × price units
CENTS_TO_VALUE = 10 ** (VALUE_SCALE - MONEY_SCALE)
BIGINT_SAFE = 2**63 // 2 - 1  # |qty| × price below this leaves room for the rounding steps


# --- Portfolios ------------------------------------------------------------------------------


def api_traders(challenge_id: int) -> set[int]:
    """The players of a challenge who have placed an order through an API key."""
    found = db.session.scalars(
        select(Portfolio.user_id).join(Order, Order.portfolio_id == Portfolio.id)
        .where(Portfolio.challenge_id == challenge_id, Order.source == "api").distinct())
    return {int(uid) for uid in found}


def strategy_traders(challenge_id: int) -> set[int]:
    """The players of a challenge whose live strategies have placed an order."""
    found = db.session.scalars(
        select(Portfolio.user_id).join(Order, Order.portfolio_id == Portfolio.id)
        .where(Portfolio.challenge_id == challenge_id, Order.source == "strategy").distinct())
    return {int(uid) for uid in found}


def open_portfolio(*, user_id: int, challenge_id: int, name: str, starting_cash: Decimal,
                   rules: portfolios.PortfolioRules) -> int:
    """Open a participant's challenge portfolio in the current transaction (flush only)."""
    portfolio = portfolios.new_portfolio(owner=user_id, name=name[:64], starting_cash=starting_cash,
                                         rules=rules, kind="challenge", challenge_id=challenge_id)
    return portfolio.id


def close_portfolio(*, user_id: int, portfolio_id: int, reason: str = "challenge_ended") -> bool:
    """Cancel the portfolio's open orders with `reason`, then archive it; False if done already.

    Both steps own their transactions; an order slipping in between is canceled
    by the archiving (reason `portfolio_archived`).
    """
    try:
        with db.transaction():
            portfolio = portfolios.lock_portfolio(portfolio_id)
            if portfolio.archived_at is not None:
                return False
            trading.cancel_open_orders(portfolio, reason)
        trading.archive_portfolio(owner_id=user_id, portfolio_id=portfolio_id)
    except NotFound:
        return False
    return True


def open_portfolio_ids(challenge_id: int) -> list[tuple[int, int]]:
    """Return (user_id, portfolio_id) of the challenge's portfolios not archived yet."""
    rows = db.session.execute(
        select(Portfolio.user_id, Portfolio.id).where(
            Portfolio.challenge_id == challenge_id, Portfolio.kind == "challenge",
            Portfolio.archived_at.is_(None)).order_by(Portfolio.id))
    return [(int(user_id), int(pid)) for user_id, pid in rows]


# --- Prices ----------------------------------------------------------------------------------



def prices_now(symbols: Iterable[str]) -> dict[str, Decimal]:
    """Return the last price of each symbol a quote can be had for (bulk, 2,000 per call)."""
    wanted = sorted(set(symbols))
    found: dict[str, Decimal] = {}
    for start in range(0, len(wanted), QUOTE_CHUNK):
        try:
            quotes = market.get_quotes(wanted[start:start + QUOTE_CHUNK])
        except DomainError:
            continue
        found.update({symbol: quote.last for symbol, quote in quotes.items()})
    return found


def prices_at(symbols: Iterable[str], at: datetime) -> dict[str, Decimal]:
    """Return each symbol's price at `at`: the close of its last bar starting at or before it.

    Minute bars first (the bar forming at `at` closes at the price of that
    instant), daily bars when the market was closed.
    """
    found: dict[str, Decimal] = {}
    for symbol in sorted(set(symbols)):
        close = _last_close(symbol, "1m", at - timedelta(minutes=30), at) or \
            _last_close(symbol, "1d", at - timedelta(days=16), at)
        if close is not None:
            found[symbol] = close
    return found


def _last_close(symbol: str, interval: str, start: datetime, end: datetime) -> Decimal | None:
    """Return the close of the last bar of `symbol` in [start, end] (None without one)."""
    try:
        page = market.get_bars(symbol, interval, start=start, end=end, limit=5000)
    except DomainError:
        return None
    bars = [bar for bar in page.bars if bar.start <= end]
    return bars[-1].close if bars else None


# --- Equity of every portfolio of a challenge (set-based) ------------------------------------


@dataclass(frozen=True, slots=True)
class Holdings:
    """Cash and signed quantities of a challenge's portfolios, in scaled integer units."""

    cash: dict[int, int]                      # portfolio id -> cash in cents
    positions: list[tuple[int, str, int]]     # (portfolio id, symbol, qty in 1e-6 shares)

    @property
    def symbols(self) -> set[str]:
        """Return the symbols held."""
        return {symbol for _, symbol, _ in self.positions}


def _raw(column: Any) -> Any:
    """Read an exact column as its stored integer (no Decimal conversion per row)."""
    return type_coerce(column, BigInteger)


def challenge_scope(challenge_id: int) -> Any:
    """Return the condition selecting a challenge's portfolios."""
    return and_(Portfolio.challenge_id == challenge_id, Portfolio.kind == "challenge")


def personal_scope(created_before: datetime | None = None) -> Any:
    """Return the condition selecting the main (personal) portfolios still in use."""
    condition = and_(Portfolio.kind == "personal", Portfolio.archived_at.is_(None))
    if created_before is not None:
        condition = and_(condition, Portfolio.created_at <= created_before)
    return condition


def _cash_query(scope: Any, at: datetime | None) -> Select[Any]:
    """Select (portfolio_id, cash): cached, or starting cash + entries booked by `at`."""
    if at is None:
        return select(Portfolio.id.label("portfolio_id"), _raw(Portfolio.cash).label("cash")) \
            .where(scope)
    booked = (select(CashEntry.portfolio_id, func.sum(_raw(CashEntry.amount)).label("amount"))
              .join(Portfolio, Portfolio.id == CashEntry.portfolio_id)
              .where(scope, CashEntry.created_at <= at).group_by(CashEntry.portfolio_id)
              .subquery())
    cash = _raw(Portfolio.starting_cash) + func.coalesce(booked.c.amount, 0)
    return (select(Portfolio.id.label("portfolio_id"), cash.label("cash"))
            .outerjoin(booked, booked.c.portfolio_id == Portfolio.id).where(scope))


def _positions_query(scope: Any, at: datetime | None) -> Select[Any]:
    """Select (portfolio_id, symbol, qty): cached positions, or fills summed up to `at`."""
    if at is None:
        cached: Select[Any] = (
            select(Position.portfolio_id, Position.symbol, _raw(Position.qty).label("qty"))
            .join(Portfolio, and_(Portfolio.id == Position.portfolio_id,
                                  Portfolio.generation == Position.generation))
            .where(scope, _raw(Position.qty) != 0))
        return cached
    # A split is a move of shares too (its shares added), so a past holding stays set-based.
    fills = (select(Fill.portfolio_id, Fill.symbol,
                    case((Fill.side == "buy", _raw(Fill.qty)), else_=-_raw(Fill.qty)).label("qty"))
             .join(Portfolio, and_(Portfolio.id == Fill.portfolio_id,
                                   Portfolio.generation == Fill.generation))
             .where(scope, Fill.created_at <= at))
    splits = (select(SplitAdjustment.portfolio_id, SplitAdjustment.symbol,
                     _raw(SplitAdjustment.shares_added).label("qty"))
              .join(Portfolio, and_(Portfolio.id == SplitAdjustment.portfolio_id,
                                    Portfolio.generation == SplitAdjustment.generation))
              .where(scope, SplitAdjustment.created_at <= at))
    moves = union_all(fills, splits).subquery()
    signed = func.sum(moves.c.qty)
    # SUM(bigint) is NUMERIC in PostgreSQL; the valuation's integer path needs BIGINT back.
    summed: Select[Any] = (
        select(moves.c.portfolio_id, moves.c.symbol, _raw(cast(signed, BigInteger())).label("qty"))
        .group_by(moves.c.portfolio_id, moves.c.symbol).having(signed != 0))
    return summed


def holdings(scope: Any, at: datetime | None = None) -> Holdings:
    """Return the portfolios' cash and positions now (cached balances) or at `at` (the facts)."""
    session = db.session()
    cash = {int(pid): int(units) for pid, units in session.execute(_cash_query(scope, at))}
    positions = [(int(pid), str(symbol), int(qty)) for pid, symbol, qty in
                 session.execute(_positions_query(scope, at))]
    return Holdings(cash, positions)


def held_symbols(scope: Any, at: datetime | None = None) -> set[str]:
    """Return the symbols the portfolios hold now (or traded by `at`)."""
    if at is None:
        query = (select(Position.symbol).join(Portfolio, Portfolio.id == Position.portfolio_id)
                 .where(scope, _raw(Position.qty) != 0))
    else:
        query = (select(Fill.symbol).join(Portfolio, Portfolio.id == Fill.portfolio_id)
                 .where(scope, Fill.created_at <= at))
    return {str(symbol) for symbol in db.session.scalars(query.distinct())}


def fallback_prices(scope: Any, symbols: Iterable[str],
                    at: datetime | None) -> dict[tuple[int, str], Decimal]:
    """Return each portfolio's own last fill price in `symbols` (current generation, by `at`).

    Portfolios' missing-price policy (`portfolios.service.LAST_FILL`), set-based:
    one query for every portfolio of the scope, only for the symbols without a price.
    """
    wanted = sorted(set(symbols))
    if not wanted:
        return {}
    last = (select(func.max(Fill.id))
            .join(Portfolio, and_(Portfolio.id == Fill.portfolio_id,
                                  Portfolio.generation == Fill.generation))
            .where(scope, Fill.symbol.in_(wanted)).group_by(Fill.portfolio_id, Fill.symbol))
    if at is not None:
        last = last.where(Fill.created_at <= at)
    rows = db.session.execute(select(Fill.portfolio_id, Fill.symbol, Fill.price)
                              .where(Fill.id.in_(last)))
    return {(int(pid), str(symbol)): Decimal(p) for pid, symbol, p in rows}


def _price_units(prices: Mapping[str, Decimal]) -> dict[str, int]:
    """Encode prices as integer 1e-6 dollar units."""
    return {s: int(p.scaleb(PRICE_SCALE).to_integral_value()) for s, p in prices.items()}


def equities(scope: Any, prices: Mapping[str, Decimal], at: datetime | None = None,
             held: set[str] | None = None) -> dict[int, Decimal]:
    """Return each portfolio's equity, cash + Σ qty × price, to the cent (see equity_cents)."""
    return {pid: from_scaled_int(units, MONEY_SCALE)
            for pid, units in equity_cents(scope, prices, at, held).items()}


def equity_cents(scope: Any, prices: Mapping[str, Decimal], at: datetime | None = None,
                 held: set[str] | None = None) -> dict[int, int]:
    """Return each portfolio's equity in cents (one bulk computation, rounded half to even).

    Portfolios' one valuation rule, set-based: each position's value is rounded
    to the cent (half to even) as in the account figures, and a held symbol
    without a price is valued at the portfolio's own last fill in it. PostgreSQL
    multiplies, rounds and sums in SQL (exact NUMERIC); SQLite, which has no
    exact decimal type, does the same with Python integers.
    """
    unpriced = (held_symbols(scope, at) if held is None else held) - set(prices)
    fallback = _fallback_units(fallback_prices(scope, unpriced, at))
    if db.session().bind.dialect.name == "postgresql":  # type: ignore[union-attr]
        return _equities_in_sql(scope, _price_units(prices), fallback, at)
    return equities_from(holdings(scope, at), _price_units(prices), fallback)


def _fallback_units(found: Mapping[tuple[int, str], Decimal]) -> dict[tuple[int, str], int]:
    """Encode per-portfolio fallback prices as integer 1e-6 dollar units."""
    return {key: int(p.scaleb(PRICE_SCALE).to_integral_value()) for key, p in found.items()}


def equities_from(found: Holdings, price_units: Mapping[str, int],
                  fallback_units: Mapping[tuple[int, str], int] | None = None) -> dict[int, int]:
    """Value holdings at integer prices exactly; return equity in cents.

    Like the account figures, each position's market value is rounded to the
    cent (half to even) before the sum; a symbol without a price takes the
    portfolio's fallback (its last fill price).
    """
    spare = fallback_units or {}
    values: dict[int, int] = dict.fromkeys(found.cash, 0)
    for pid, symbol, qty in found.positions:
        unit = price_units[symbol] if symbol in price_units else spare.get((pid, symbol), 0)
        value = div_round(qty * unit, CENTS_TO_VALUE)
        values[pid] = values.get(pid, 0) + value
    return {pid: found.cash.get(pid, 0) + value for pid, value in values.items()}


def _half_even(size: Any, scale: Any) -> Any:
    """Round a non-negative integer `size` divided by `scale` half to even (exact, in SQL).

    NUMERIC uses `div` (plain division rounds to a limited number of digits);
    BIGINT uses PostgreSQL's integer `/`, which truncates (the same for size >= 0).
    """
    if isinstance(scale.type, Numeric):
        quotient = func.div(size, scale)
        odd = func.mod(quotient, 2)
    else:
        quotient = size.op("/", return_type=BigInteger())(scale)
        odd = quotient.op("%", return_type=BigInteger())(2)
    twice = 2 * (size - quotient * scale)
    return quotient + case((twice > scale, 1), (twice == scale, odd), else_=0)


def _signed(sign_of: Any, magnitude: Any) -> Any:
    """Give `magnitude` the sign of `sign_of` (PostgreSQL has no integer sign(): it goes float)."""
    return case((sign_of < 0, -magnitude), else_=magnitude)


def _half_even_cents(value: Any) -> Any:
    """Round an exact NUMERIC in 1e-12 dollars to cents, half to even, in SQL.

    `div` is PostgreSQL's exact integer quotient (plain division rounds to a
    limited number of digits); half to even is symmetric, so the magnitude is
    rounded and the sign put back.
    """
    return _signed(value, _half_even(func.abs(value), literal(CENTS_TO_VALUE, Numeric())))


def _position_cents(qty: Any, price: Any) -> Any:
    """Return qty × price in cents, half to even: BIGINT when it cannot overflow, else NUMERIC."""
    limit = literal(BIGINT_SAFE, BigInteger()).op("/", return_type=BigInteger())(
        func.greatest(price, 1))
    fits = func.abs(qty) <= limit
    fast = _signed(qty, _half_even(func.abs(qty) * price, literal(CENTS_TO_VALUE, BigInteger())))
    exact = _half_even_cents(cast(qty, Numeric()) * price)
    return case((fits, fast), else_=exact)


def _equities_in_sql(scope: Any, price_units: Mapping[str, int],
                     fallback_units: Mapping[tuple[int, str], int],
                     at: datetime | None) -> dict[int, int]:
    """Value the portfolios' holdings (now, or at `at`) in one PostgreSQL aggregate."""
    symbols = sorted(price_units)
    arrays = func.unnest(bindparam("symbols", symbols, type_=ARRAY(String)),
                         bindparam("prices", [price_units[s] for s in symbols],
                                   type_=ARRAY(BigInteger)))
    quotes = arrays.table_valued("symbol", "price").render_derived(name="quotes")
    held = _positions_query(scope, at).subquery()
    if fallback_units:  # per-portfolio last fill prices of the symbols without a price
        keys = sorted(fallback_units)
        spare = func.unnest(
            bindparam("fallback_ids", [pid for pid, _ in keys], type_=ARRAY(BigInteger)),
            bindparam("fallback_symbols", [s for _, s in keys], type_=ARRAY(String)),
            bindparam("fallback_prices", [fallback_units[k] for k in keys],
                      type_=ARRAY(BigInteger)),
        ).table_valued("portfolio_id", "symbol", "price").render_derived(name="spare")
        unit = func.coalesce(quotes.c.price, spare.c.price)
        joined = (select(held.c.portfolio_id,
                         func.sum(_position_cents(held.c.qty, unit)).label("cents"))
                  .outerjoin(quotes, quotes.c.symbol == held.c.symbol)
                  .outerjoin(spare, and_(spare.c.portfolio_id == held.c.portfolio_id,
                                         spare.c.symbol == held.c.symbol))
                  .where(unit.is_not(None)))
    else:
        joined = (select(held.c.portfolio_id,
                         func.sum(_position_cents(held.c.qty, quotes.c.price)).label("cents"))
                  .join(quotes, quotes.c.symbol == held.c.symbol))
    value = joined.group_by(held.c.portfolio_id).subquery()
    cash = _cash_query(scope, at).subquery()
    query = (select(cash.c.portfolio_id, cash.c.cash, func.coalesce(value.c.cents, 0))
             .outerjoin(value, value.c.portfolio_id == cash.c.portfolio_id))
    return {int(pid): int(units) + int(cents) for pid, units, cents in db.session.execute(query)}


# --- What a participant holds and traded -----------------------------------------------------


def portfolio_positions(portfolio_id: int) -> list[trading.PositionView]:
    """Return a portfolio's open positions valued at current prices."""
    portfolio = db.session.get(Portfolio, portfolio_id)
    return [] if portfolio is None else trading.positions_view(portfolio)


def portfolio_fills(portfolio_id: int, start: datetime, end: datetime) -> list[portfolios.FillFact]:
    """Return a portfolio's fills with start <= at < end, oldest first."""
    return portfolios.fills_between(portfolio_id, start, end)
