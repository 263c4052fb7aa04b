"""Cash-account buying power: what open buy orders hold back, and what is left to spend."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from invsim.core.money import ONE, ZERO, money
from invsim.trading.engine import rejections
from invsim.trading.engine.checks import opening_qty
from invsim.trading.engine.costs import fill_commission
from invsim.trading.engine.outcome import Fill
from invsim.trading.engine.rules import AccountType, TradingRules
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


def order_requirement(
    order: OrderSpec, position_qty: Decimal, ask: Decimal, bid: Decimal, rules: TradingRules
) -> Decimal:
    """Return what an open order holds back from buying power.

    Cash account: a buy's reservation (remaining cost plus commission); sells hold
    nothing. Margin account: the value of the part that opens or grows a position.
    """
    if rules.account_type is AccountType.CASH:
        return reservation(order, ask, rules)
    remaining = order.remaining_qty
    if order.side is Side.BUY:
        full = reservation(order, ask, rules)
        if remaining is None or remaining == ZERO:
            return full
        share = opening_qty(Side.BUY, remaining, position_qty) / remaining
        return money(full * share)
    if remaining is None:  # a notional sell: its value is the notional
        assert order.remaining_notional is not None
        remaining = order.remaining_notional / bid
    return money(opening_qty(Side.SELL, remaining, position_qty) * bid)


def fill_refusal(
    fill: Fill,
    rules: TradingRules,
    *,
    held: Decimal,
    cash: Decimal,
    reserved_by_others: Decimal,
    margin_power: Decimal,
) -> str | None:
    """Check one fill against the balances at the moment it trades; the rejection code or None.

    A sell never takes shares that are not held (unless shorting is on); a cash
    account's buy pays from cash less what its other open buys reserve; a margin
    account's opening part needs its margin buying power (`margin_power`, computed
    without this order's own reservation).
    """
    if fill.side is Side.SELL and not rules.shorting_allowed and fill.qty > max(held, ZERO):
        return rejections.INSUFFICIENT_POSITION
    if rules.account_type is AccountType.CASH:
        if fill.side is Side.SELL:
            return None if cash + fill.net_cash >= ZERO else rejections.INSUFFICIENT_BUYING_POWER
        fits = -fill.net_cash <= cash - reserved_by_others
        return None if fits else rejections.INSUFFICIENT_BUYING_POWER
    opening = opening_qty(fill.side, fill.qty, held)
    if opening == ZERO:
        return None
    need = money(opening * fill.price) + fill.commission
    return None if need <= margin_power else rejections.INSUFFICIENT_BUYING_POWER
