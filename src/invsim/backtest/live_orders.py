"""Translate a strategy's order into a live order with the same meaning.

qty and notional orders pass through. A `fraction` of equity and an
`order_target` weight are sized here, on the portfolio's equity at the current
quote (the backtest sizes them at the next bar's open: a live strategy decides
after the close and its market orders reach the next open, so the two differ by
the overnight move; see docs/live-strategies.md). As in the backtest, a sized
buy in a cash account is trimmed to the buying power left after its commission
("this much, or all I can"), and a target of 0 closes the whole position.
Sized sells become share quantities at the quote (never more than held unless
the sale is meant to go short), so a sell never depends on a notional sell.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_DOWN, Decimal

from invsim.backtest.orders import OrderRequest as StrategyOrder
from invsim.backtest.orders import sized_at_open
from invsim.core.money import QUANTITY_STEP, ZERO, money
from invsim.trading.engine.buying_power import order_requirement
from invsim.trading.engine.rules import AccountType, TradingRules
from invsim.trading.engine.spec import OrderSpec
from invsim.trading.engine.state import OrderType, Side
from invsim.trading.service import OrderRequest


@dataclass(frozen=True, slots=True)
class Sizing:
    """What sizing reads: the account's equity and buying power, the position and the quote."""

    equity: Decimal
    buying_power: Decimal
    held: Decimal
    bid: Decimal
    ask: Decimal
    last: Decimal
    rules: TradingRules
    at: datetime


class Skip(Exception):
    """The order has nothing to trade (already at target, no equity); the reason is the code."""


def live_request(order: StrategyOrder, sizing: Sizing, client_order_id: str) -> OrderRequest:
    """Return the trading request for a strategy's order (raise Skip when nothing trades)."""
    if not sized_at_open(order):
        return _request(order, order.side, client_order_id, qty=order.qty,
                        notional=order.notional)
    if order.target_weight is not None:
        return _target(order, order.target_weight, sizing, client_order_id)
    assert order.equity_fraction is not None
    wanted = money(sizing.equity * order.equity_fraction)
    if wanted <= ZERO:
        raise Skip("no_equity")
    return _sized(order, order.side, wanted, sizing, client_order_id)


def selling_first(order: StrategyOrder, sizing: Sizing | None) -> bool:
    """Say whether the order sells (sells are placed first, as the backtest trades them).

    Only a target order needs the sizing (its side depends on what is held).
    """
    if order.target_weight is None or sizing is None:
        return order.side is Side.SELL
    return order.target_weight * sizing.equity < sizing.held * sizing.last


def _target(order: StrategyOrder, weight: Decimal, sizing: Sizing, cid: str) -> OrderRequest:
    """Buy or sell the difference between the position's value and `weight` of equity."""
    held, price = sizing.held, sizing.last
    delta = money(weight * sizing.equity - held * price)
    if abs(delta) < price * QUANTITY_STEP or (weight == ZERO and held == ZERO):
        raise Skip("already_at_target")
    side = Side.BUY if delta > ZERO else Side.SELL
    if weight == ZERO:
        return _request(order, side, cid, qty=abs(held))
    return _sized(order, side, abs(delta), sizing, cid)


def _sized(order: StrategyOrder, side: Side, value: Decimal, sizing: Sizing,
           cid: str) -> OrderRequest:
    """Turn an amount of money into a notional buy or a share-quantity sell."""
    if side is Side.BUY:
        notional = _affordable(order, value, sizing)
        if notional <= ZERO:
            raise Skip("no_buying_power")
        return _request(order, side, cid, notional=notional)
    qty = _shares(value, sizing.last, sizing.rules)
    if sizing.held > ZERO and order.target_weight is not None and order.target_weight >= ZERO:
        qty = min(qty, sizing.held)  # reducing toward a long target never goes short
    if qty <= ZERO:
        raise Skip("below_one_share")
    return _request(order, side, cid, qty=qty)


def _affordable(order: StrategyOrder, notional: Decimal, sizing: Sizing) -> Decimal:
    """Trim a cash account's sized buy to the buying power left after its commission."""
    if sizing.rules.account_type is not AccountType.CASH:
        return notional
    spec = OrderSpec(side=Side.BUY, type=OrderType.MARKET, time_in_force=order.time_in_force,
                     created_at=sizing.at, notional=notional)
    fee = order_requirement(spec, ZERO, sizing.ask, sizing.ask, sizing.rules) - notional
    left = sizing.buying_power - fee
    return notional if left >= notional or left <= ZERO else money(left).quantize(
        Decimal("0.01"), rounding=ROUND_DOWN)


def _shares(value: Decimal, price: Decimal, rules: TradingRules) -> Decimal:
    """Return how many shares `value` buys at `price` (whole ones when fractions are off)."""
    step = QUANTITY_STEP if rules.fractional else Decimal(1)
    return (value / price).quantize(step, rounding=ROUND_DOWN)


def _request(order: StrategyOrder, side: Side, cid: str, *, qty: Decimal | None = None,
             notional: Decimal | None = None) -> OrderRequest:
    """Build the trading request with the strategy's type, prices and time in force."""
    return OrderRequest(symbol=order.symbol, side=side, type=order.type,
                        time_in_force=order.time_in_force,
                        qty=qty, notional=notional, limit_price=order.limit_price,
                        stop_price=order.stop_price, trail_percent=order.trail_percent,
                        trail_price=order.trail_price, client_order_id=cid)
