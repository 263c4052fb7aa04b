"""Rebuild a portfolio's equity at chosen instants from its ledger facts and prices.

Pure: plain values in, plain values out. The ledger is the append-only facts
(every cash entry and every fill) plus the instants at which resets started a
new generation; positions of a closed generation are archived with it, so they
stop counting at the reset. At any instant t:

    cash(t)     = starting cash + Σ cash entries booked at or before t
    holdings(t) = Σ signed fill quantities of the generation current at t, up to t
    equity(t)   = cash(t) + Σ long market value − Σ short market value

Each position is valued to the cent at the price given for that instant, or
the last price given before it, or (never priced yet) its last fill price:
portfolios' one valuation rule (`portfolios/valuation.py`, policy `last_fill`).
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from invsim.core.money import ZERO, money
from invsim.trading.engine import margin


@dataclass(frozen=True, slots=True)
class Trade:
    """One fill: `qty` is signed (+ bought, − sold)."""

    at: datetime
    symbol: str
    qty: Decimal
    price: Decimal
    generation: int


@dataclass(frozen=True, slots=True)
class CashMove:
    """One cash entry of any kind (trade, commission, interest, deposit, reset, liquidation)."""

    at: datetime
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Flow:
    """An external flow: a deposit (+) or a reset's net effect (starting cash − equity before)."""

    at: datetime
    amount: Decimal
    kind: str


@dataclass(frozen=True, slots=True)
class Ledger:
    """Everything needed to rebuild a portfolio's cash and holdings at any instant.

    `resets` are the instants at which generations 1, 2, ... started (ascending).
    Every sequence is sorted by time.
    """

    opened_at: datetime
    starting_cash: Decimal
    trades: Sequence[Trade] = ()
    cash_moves: Sequence[CashMove] = ()
    flows: Sequence[Flow] = ()
    resets: Sequence[datetime] = ()

    def symbols(self) -> set[str]:
        """Return every symbol the portfolio ever traded."""
        return {trade.symbol for trade in self.trades}


@dataclass(frozen=True, slots=True)
class Holdings:
    """Cash and signed quantities at one instant."""

    at: datetime
    generation: int
    cash: Decimal
    quantities: Mapping[str, Decimal]


@dataclass(frozen=True, slots=True)
class EquityPoint:
    """A valued observation: amounts to the cent, `short_market_value` ≥ 0."""

    at: datetime
    generation: int
    cash: Decimal
    long_market_value: Decimal
    short_market_value: Decimal
    equity: Decimal
    net_cash_flow: Decimal


@dataclass(slots=True)
class PriceBook:
    """Closing prices per symbol by date; a date without a price uses the last one before it."""

    closes: dict[str, tuple[list[date], list[Decimal]]] = field(default_factory=dict)

    @classmethod
    def of(cls, series: Mapping[str, Sequence[tuple[date, Decimal]]]) -> PriceBook:
        """Build the book from (date, close) pairs per symbol, in any order."""
        book = cls()
        for symbol, pairs in series.items():
            ordered = sorted(pairs)
            book.closes[symbol] = ([d for d, _ in ordered], [p for _, p in ordered])
        return book

    def price_on(self, symbol: str, day: date) -> Decimal | None:
        """Return the close of `symbol` on `day`, or the last close before it (None if none)."""
        found = self.closes.get(symbol)
        if found is None:
            return None
        index = bisect.bisect_right(found[0], day) - 1
        return found[1][index] if index >= 0 else None


def generation_at(ledger: Ledger, at: datetime) -> int:
    """Return the generation that was current at `at`."""
    return bisect.bisect_right(ledger.resets, at)


def holdings_at(ledger: Ledger, instants: Sequence[datetime]) -> list[Holdings]:
    """Return cash and quantities at each of `instants` (ascending) in one sweep of the facts."""
    found: list[Holdings] = []
    cash, moves = ledger.starting_cash, 0
    books: dict[int, dict[str, Decimal]] = {}
    trades = 0
    for at in instants:
        while moves < len(ledger.cash_moves) and ledger.cash_moves[moves].at <= at:
            cash += ledger.cash_moves[moves].amount
            moves += 1
        while trades < len(ledger.trades) and ledger.trades[trades].at <= at:
            trade = ledger.trades[trades]
            book = books.setdefault(trade.generation, {})
            book[trade.symbol] = book.get(trade.symbol, ZERO) + trade.qty
            trades += 1
        generation = generation_at(ledger, at)
        held = {s: q for s, q in books.get(generation, {}).items() if q != ZERO}
        found.append(Holdings(at, generation, cash, held))
    return found


def last_trade_prices(ledger: Ledger, instants: Sequence[datetime]) -> list[dict[str, Decimal]]:
    """Return, for each instant, the last fill price of every symbol traded up to it."""
    prices: dict[str, Decimal] = {}
    result: list[dict[str, Decimal]] = []
    index = 0
    for at in instants:
        while index < len(ledger.trades) and ledger.trades[index].at <= at:
            prices[ledger.trades[index].symbol] = ledger.trades[index].price
            index += 1
        result.append(dict(prices))
    return result


def market_values(
    quantities: Mapping[str, Decimal], prices: Mapping[str, Decimal]
) -> tuple[Decimal, Decimal]:
    """Return (long, short) market value to the cent; short is the short book's size (≥ 0).

    The arithmetic of portfolios' one valuation rule (the pure engine's exposure).
    """
    book = margin.exposure_of(quantities, prices)
    return book.long_value, book.short_value


def flows_between(flows: Sequence[Flow], after: datetime | None, until: datetime) -> Decimal:
    """Sum the flows booked in (after, until]; `after` None means from the beginning."""
    times = [flow.at for flow in flows]
    first = 0 if after is None else bisect.bisect_right(times, after)
    last = bisect.bisect_right(times, until)
    return money(sum((flow.amount for flow in flows[first:last]), ZERO))


def value_points(
    holdings: Sequence[Holdings],
    prices: Sequence[Mapping[str, Decimal]],
    fallback: Sequence[Mapping[str, Decimal]],
    flows: Sequence[Flow],
    *,
    flows_after: datetime | None = None,
) -> list[EquityPoint]:
    """Value each holdings at its prices: `prices[i]`, else `fallback[i]` (last fill prices).

    Raises KeyError when a held symbol has neither. The first point's flow
    counts from `flows_after` (None: from the beginning).
    """
    points: list[EquityPoint] = []
    previous = flows_after
    for held, given, spare in zip(holdings, prices, fallback, strict=True):
        used = {s: given[s] if s in given else spare[s] for s in held.quantities}
        long_value, short_value = market_values(held.quantities, used)
        points.append(EquityPoint(
            at=held.at, generation=held.generation, cash=held.cash,
            long_market_value=long_value, short_market_value=short_value,
            equity=held.cash + long_value - short_value,
            net_cash_flow=flows_between(flows, previous, held.at),
        ))
        previous = held.at
    return points


def rebuild_points(
    ledger: Ledger, instants: Sequence[datetime], prices: Sequence[Mapping[str, Decimal]]
) -> list[EquityPoint]:
    """Rebuild and value the portfolio at each instant (ascending) from its ledger alone."""
    held = holdings_at(ledger, instants)
    return value_points(held, prices, last_trade_prices(ledger, instants), ledger.flows)


def close_prices(
    book: PriceBook, days: Sequence[date], symbols: set[str]
) -> list[dict[str, Decimal]]:
    """Return the close (or last close before) of each symbol on each of `days`."""
    result: list[dict[str, Decimal]] = []
    for day in days:
        found = {s: book.price_on(s, day) for s in symbols}
        result.append({s: p for s, p in found.items() if p is not None})
    return result
