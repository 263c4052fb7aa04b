"""Cash-account buying power: what open buy orders hold back, and what is left to spend."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from invsim.core.money import ONE, ZERO, money
from invsim.trading.engine.costs import fill_commission
from invsim.trading.engine.rules import TradingRules
from invsim.trading.engine.spec import OrderSpec
from invsim.trading.engine.state import OrderType, Side


def estimated_price(order: OrderSpec, ask: Decimal, buffer: Decimal) -> Decimal:
    """Return the highest price per share a buy order is expected to pay.

    A limit bounds the price. Anything that becomes a market order fills at an
    ask we do not know yet, so it is priced at the higher of the ask and its
    stop, plus `buffer` (a fraction: 0.05 is 5 %) of head-room.
    """
    if order.type in (OrderType.LIMIT, OrderType.STOP_LIMIT):
        assert order.limit_price is not None
        return order.limit_price
    reference = max(ask, order.stop_price) if order.stop_price is not None else ask
    return reference * (ONE + buffer)


def reservation(order: OrderSpec, ask: Decimal, rules: TradingRules) -> Decimal:
    """Return the cash an open buy order holds back: its remaining cost plus commission.

    Sells hold back no cash (they hold shares instead). A notional buy can spend
    no more than its remaining notional, but its commission is estimated at the ask.
    """
    if order.side is Side.SELL:
        return ZERO
    if order.remaining_notional is not None:
        qty = order.remaining_notional / ask
        cost = order.remaining_notional
    else:
        assert order.remaining_qty is not None
        qty = order.remaining_qty
        cost = qty * estimated_price(order, ask, rules.market_buy_buffer)
    fee = fill_commission(rules.commission, order.filled_qty, order.filled_notional, qty, cost)
    return money(cost + fee)


def cash_buying_power(cash: Decimal, reservations: Iterable[Decimal]) -> Decimal:
    """Return cash minus what open buy orders hold back, never below zero."""
    return money(max(ZERO, cash - sum(reservations, ZERO)))
