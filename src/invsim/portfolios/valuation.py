"""The one valuation rule: what a portfolio's holdings are worth at an instant.

    equity = cash + Σ long market value − Σ short market value,
    each position's value = qty × price rounded to the cent (half to even).

The arithmetic is the pure engine's (`trading.engine.margin.exposure_of`); this
module owns which price each position gets, the **missing-price policy**
`LAST_FILL`, used by every path that values a portfolio (the account summary
and buying power, the start-of-day equity, the leaderboards' set-based SQL, the
snapshot job and the rebuilt history):

    a position is valued at the price given for the instant (the current quote's
    last, or a close); when there is none, at the price of the portfolio's own
    last fill in that symbol in the current generation at or before the instant
    (what it last traded at). It is never valued at zero, at its average entry
    price, or skipped; a held position always has such a fill.

The figures built on a fallback price are marked stale by the callers that
show them (`price_stale` on a position).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select

from invsim.extensions import db
from invsim.trading.engine import margin
from invsim.trading.models import Fill

LAST_FILL = "last_fill"  # the name of the policy, as the docs use it


@dataclass(frozen=True, slots=True)
class Valuation:
    """Holdings valued to the cent."""

    cash: Decimal
    long_value: Decimal
    short_value: Decimal
    equity: Decimal


def prices_for(
    quantities: Mapping[str, Decimal], prices: Mapping[str, Decimal],
    last_fills: Mapping[str, Decimal],
) -> dict[str, Decimal]:
    """Return the price each held symbol is valued at under the policy."""
    return {symbol: prices[symbol] if symbol in prices else last_fills[symbol]
            for symbol in quantities}


def value(
    cash: Decimal, quantities: Mapping[str, Decimal], prices: Mapping[str, Decimal],
    last_fills: Mapping[str, Decimal],
) -> Valuation:
    """Value signed quantities at `prices`, falling back to `last_fills` (pure)."""
    used = prices_for(quantities, prices, last_fills)
    book = margin.exposure_of(quantities, used)
    return Valuation(cash, book.long_value, book.short_value, margin.equity(cash, book))


def last_fill_prices(
    portfolio_id: int, generation: int, symbols: Iterable[str], at: datetime | None = None,
) -> dict[str, Decimal]:
    """Return the portfolio's last fill price in each symbol (current generation, by `at`)."""
    found = last_fill_prices_of({(portfolio_id, generation)}, symbols, at)
    return found.get(portfolio_id, {})


def last_fill_prices_of(
    books: Iterable[tuple[int, int]], symbols: Iterable[str], at: datetime | None = None,
) -> dict[int, dict[str, Decimal]]:
    """Return each (portfolio, generation)'s last fill price per symbol, in one query."""
    wanted, keys = sorted(set(symbols)), set(books)
    if not wanted or not keys:
        return {}
    last = (select(func.max(Fill.id)).where(
        Fill.portfolio_id.in_({pid for pid, _ in keys}), Fill.symbol.in_(wanted))
        .group_by(Fill.portfolio_id, Fill.generation, Fill.symbol))
    if at is not None:
        last = last.where(Fill.created_at <= at)
    found: dict[int, dict[str, Decimal]] = {}
    for pid, generation, symbol, fill_price in db.session.execute(
            select(Fill.portfolio_id, Fill.generation, Fill.symbol, Fill.price)
            .where(Fill.id.in_(last))):
        if (pid, generation) in keys:
            found.setdefault(pid, {})[symbol] = fill_price
    return found
