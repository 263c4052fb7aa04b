"""A portfolio's account at current prices: market values, equity, reservations, buying power.

Read inside the use-case's transaction (after the portfolio lock) so the numbers
the checks use are the numbers the fill will move.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from invsim.core.money import ONE, ZERO, money
from invsim.portfolios import service as portfolios
from invsim.portfolios.models import Portfolio, Position
from invsim.trading import marks as prices
from invsim.trading.engine import buying_power, margin
from invsim.trading.engine.buying_power import cash_buying_power
from invsim.trading.engine.rules import AccountType, TradingRules
from invsim.trading.marks import Mark
from invsim.trading.models import Order
from invsim.trading.order_rows import OPEN_VALUES, open_orders, spec_of


@dataclass(frozen=True, slots=True)
class AccountState:
    """The account's figures at current marks (all cash amounts to the cent)."""

    cash: Decimal
    long_value: Decimal
    short_value: Decimal
    equity: Decimal
    reserved: Decimal
    buying_power: Decimal
    maintenance: Decimal
    positions: tuple[Position, ...]
    open_orders: tuple[Order, ...]
    marks: Mapping[str, Mark]
    rows: tuple[Position, ...] = ()  # every position row, flat ones included
    prices: Mapping[str, Decimal] = field(default_factory=dict)  # each position's valuation price

    def position_qty(self, symbol: str) -> Decimal:
        """Return the signed quantity held in `symbol`."""
        return next((p.qty for p in self.positions if p.symbol == symbol), ZERO)


def valuation_prices(
    portfolio: Portfolio, positions: Sequence[Position], marks: Mapping[str, Mark]
) -> dict[str, Decimal]:
    """Return the price each position is valued at: its quote's last, else its last fill.

    The missing-price policy is portfolios' one valuation rule (`LAST_FILL`); the
    fills are read only for the symbols without a quote.
    """
    quoted = {p.symbol: marks[p.symbol].last for p in positions if p.symbol in marks}
    missing = [p.symbol for p in positions if p.symbol not in quoted]
    fills = portfolios.last_fill_prices(portfolio.id, portfolio.generation, missing)
    quantities = {p.symbol: p.qty for p in positions}
    return portfolios.valuation_prices(quantities, quoted, fills)


def holdings_values(
    portfolio: Portfolio, positions: Sequence[Position], marks: Mapping[str, Mark]
) -> tuple[margin.Exposure, dict[str, Decimal]]:
    """Return long/short exposure and the price used for each position."""
    used = valuation_prices(portfolio, positions, marks)
    holdings = [margin.Holding(p.symbol, p.qty) for p in positions]
    return margin.exposure(holdings, used), used


def _ask(order: Order, marks: Mapping[str, Mark]) -> Decimal:
    """Return the ask a buy order is reserved at (its placement price without a quote)."""
    found = marks.get(order.symbol)
    if found is not None:
        return found.ask
    return order.reference_price or order.limit_price or order.stop_price or ONE


def order_requirement(
    order: Order, position_qty: Decimal, marks: Mapping[str, Mark], rules: TradingRules
) -> Decimal:
    """Return what an open order holds back from buying power (engine.buying_power's rule)."""
    ask = _ask(order, marks)
    found = marks.get(order.symbol)
    bid = found.bid if found is not None else ask
    return buying_power.order_requirement(spec_of(order), position_qty, ask, bid, rules)


def reserved_by(
    orders: Iterable[Order],
    positions: Mapping[str, Decimal],
    marks: Mapping[str, Mark],
    rules: TradingRules,
    exclude_id: int | None = None,
) -> Decimal:
    """Sum what open orders (all but `exclude_id`) hold back from buying power."""
    return money(sum(
        (order_requirement(o, positions.get(o.symbol, ZERO), marks, rules)
         for o in orders if o.id != exclude_id and o.status in OPEN_VALUES),
        ZERO,
    ))


def account_state(
    portfolio: Portfolio,
    rules: TradingRules,
    *,
    marks: Mapping[str, Mark] | None = None,
    exclude_order_id: int | None = None,
    positions: Sequence[Position] | None = None,
    orders: Sequence[Order] | None = None,
) -> AccountState:
    """Compute the account's figures; quotes missing from `marks` are fetched.

    Callers that already hold the portfolio's positions and open orders (read under
    the same lock) pass them to save the queries.
    """
    rows = tuple(portfolios.position_rows(portfolio) if positions is None else positions)
    positions = tuple(p for p in rows if p.qty != ZERO)
    orders = tuple(o for o in (open_orders(portfolio) if orders is None else orders)
                   if o.status in OPEN_VALUES)
    known = dict(marks or {})
    missing = {p.symbol for p in positions} | {o.symbol for o in orders}
    known.update(prices.marks(missing - set(known)))
    book, used = holdings_values(portfolio, positions, known)
    equity = margin.equity(portfolio.cash, book)
    held = {p.symbol: p.qty for p in positions}
    reserved = reserved_by(orders, held, known, rules, exclude_order_id)
    if rules.account_type is AccountType.CASH:
        power = cash_buying_power(portfolio.cash, [reserved])
    else:
        power = margin.margin_buying_power(equity, book, reserved)
    return AccountState(
        cash=portfolio.cash, long_value=book.long_value, short_value=book.short_value,
        equity=equity, reserved=reserved, buying_power=power,
        maintenance=margin.maintenance_requirement(book), positions=positions,
        open_orders=orders, marks=known, rows=rows, prices=used,
    )
