"""Write what the engine decided: fills with their cash entries and lots, and status changes.

Called inside a use-case transaction with the portfolio locked; flushes, never commits.
Buying power is checked again here, at fill time, against the locked balances.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from invsim.core.money import ZERO, price
from invsim.extensions import db
from invsim.portfolios import service as portfolios
from invsim.portfolios.models import Portfolio, Position
from invsim.trading.account import account_state, order_requirement, reserved_by
from invsim.trading.engine import matcher, rejections
from invsim.trading.engine.buying_power import fill_refusal
from invsim.trading.engine.checks import opening_qty
from invsim.trading.engine.lots import Lot
from invsim.trading.engine.outcome import Action, MatchResult
from invsim.trading.engine.rules import AccountType, TradingRules
from invsim.trading.engine.snapshot import MarketSnapshot
from invsim.trading.engine.state import OrderStatus, Side
from invsim.trading.marks import Mark
from invsim.trading.models import Fill, Order
from invsim.trading.order_rows import average_fill_price, set_status, spec_of

INSUFFICIENT = rejections.INSUFFICIENT_BUYING_POWER


@dataclass
class FillContext:
    """What fill-time checks need: the portfolio's other open orders and current marks."""

    portfolio: Portfolio
    rules: TradingRules
    open_orders: Sequence[Order] = ()
    marks: Mapping[str, Mark] = field(default_factory=dict)
    positions: Mapping[str, Decimal] = field(default_factory=dict)
    liquidation: bool = False
    position_rows: Mapping[str, Position] = field(default_factory=dict)
    lots: dict[str, list[Lot]] = field(default_factory=dict)  # read before this context's fills
    positions_complete: bool = False  # position_rows holds every row: a missing one is new


def execute(
    order: Order, market: MarketSnapshot, rules: TradingRules, ctx: FillContext, now: datetime,
    filled_this_bar: Decimal = ZERO,
) -> MatchResult:
    """Evaluate one order against a snapshot under `rules` (narrowed to its instrument) and
    persist the outcome."""
    result = matcher.evaluate(spec_of(order, filled_this_bar), market, rules)
    apply_result(order, result, ctx, now)
    return result


def apply_result(order: Order, result: MatchResult, ctx: FillContext, now: datetime) -> None:
    """Persist the stop state, then the fill, cancel or reject the engine decided."""
    if (order.stop_triggered, order.stop_price, order.hwm) != (
            result.stop_triggered, result.stop_price, result.water_mark):
        order.stop_triggered = result.stop_triggered
        order.stop_price = result.stop_price
        order.hwm = result.water_mark
    if result.action is Action.FILL:
        assert result.fill is not None
        refusal = _fill_time_refusal(order, result.fill, ctx)
        if refusal is not None:
            _refuse(order, refusal, now)
            return
        record_fill(order, result.fill, ctx, now)
        _advance(order, result, now)
    elif result.action is Action.CANCEL:
        set_status(order, OrderStatus.CANCELED, now, result.rule)
    elif result.action is Action.REJECT:
        _refuse(order, result.rule, now)


def _refuse(order: Order, reason: str, now: datetime) -> None:
    """Reject an order that never traded; cancel the rest of one that partly did."""
    target = OrderStatus.REJECTED if order.status == OrderStatus.ACCEPTED.value else (
        OrderStatus.CANCELED)
    set_status(order, target, now, reason)


def _fill_time_refusal(order: Order, fill: matcher.Fill, ctx: FillContext) -> str | None:
    """Check the fill against the locked balances again (engine.buying_power.fill_refusal).

    A liquidation closes positions: it never needs buying power.
    """
    if ctx.liquidation:
        return None
    held = ctx.positions.get(order.symbol, ZERO)
    cash_account = ctx.rules.account_type is AccountType.CASH
    others = (reserved_by(ctx.open_orders, ctx.positions, ctx.marks, ctx.rules, order.id)
              if cash_account and fill.side is Side.BUY else ZERO)
    return fill_refusal(fill, ctx.rules, held=held, cash=ctx.portfolio.cash,
                        reserved_by_others=others,
                        margin_power=ZERO if cash_account else _margin_power(order, fill, ctx))


def _margin_power(order: Order, fill: matcher.Fill, ctx: FillContext) -> Decimal:
    """Return the margin buying power without this order's reservation (only when it opens)."""
    if opening_qty(fill.side, fill.qty, ctx.positions.get(order.symbol, ZERO)) == ZERO:
        return ZERO
    state = account_state(ctx.portfolio, ctx.rules, marks=ctx.marks, exclude_order_id=order.id,
                          positions=list(ctx.position_rows.values()), orders=ctx.open_orders)
    return state.buying_power


def record_fill(order: Order, fill: matcher.Fill, ctx: FillContext, now: datetime) -> Fill:
    """Write the fill, its cash entries and lots, and the order's progress (flush only)."""
    portfolio = ctx.portfolio
    row = Fill(order=order, sequence=order.fill_count + 1, portfolio_id=portfolio.id,
               generation=portfolio.generation, symbol=order.symbol, side=fill.side.value,
               qty=fill.qty, price=fill.price, gross=fill.gross, commission=fill.commission,
               price_source=fill.price_source, priced_at=fill.at, rule=str(fill.rule),
               volume_capped=fill.volume_capped, liquidation=ctx.liquidation, created_at=now)
    db.session.add(row)
    _post_cash(portfolio, row, ctx.liquidation)
    position = ctx.position_rows.get(order.symbol)
    if position is None:
        position = (portfolios.new_position(portfolio, order.symbol) if ctx.positions_complete
                    else portfolios.ensure_position(portfolio, order.symbol))
        if isinstance(ctx.position_rows, dict):
            ctx.position_rows[order.symbol] = position
    portfolios.apply_fill_to_position(portfolio=portfolio, fill=row, position=position,
                                      lots=ctx.lots.pop(order.symbol, None))
    _track(order, row)
    if isinstance(ctx.positions, dict):
        signed = fill.qty if fill.side is Side.BUY else -fill.qty
        ctx.positions[order.symbol] = ctx.positions.get(order.symbol, ZERO) + signed
    return row


def _post_cash(portfolio: Portfolio, fill: Fill, liquidation: bool) -> None:
    """Post the fill's gross value, then its commission, as cash entries pointing at the fill.

    The gross goes first so a sale's proceeds are in before its fee is taken.
    """
    buying = fill.side == Side.BUY.value
    verb = "bought" if buying else "sold"
    memo = f"{verb} {fill.qty.normalize():f} {fill.symbol} @ {fill.price:f}"
    portfolios.post_cash_entry(
        portfolio=portfolio, kind="liquidation" if liquidation else "trade",
        amount=-fill.gross if buying else fill.gross, fill=fill,
        memo=f"margin call: {memo}" if liquidation else memo,
    )
    if fill.commission > ZERO:
        portfolios.post_cash_entry(portfolio=portfolio, kind="commission",
                                   amount=-fill.commission, fill=fill,
                                   memo=f"commission: {memo}")


def _track(order: Order, fill: Fill) -> None:
    """Add a fill to the order's cached progress."""
    order.fill_count += 1
    order.filled_qty += fill.qty
    order.filled_notional += fill.gross
    order.commission += fill.commission
    if order.fill_count == 1:
        order.filled_avg_price = fill.price
    else:
        order.filled_avg_price = price(average_fill_price(order))  # autoflushes the new fill


def _advance(order: Order, result: MatchResult, now: datetime) -> None:
    """Move the order to partially filled or filled, and cancel an ioc's remainder."""
    target = OrderStatus.FILLED if result.complete else OrderStatus.PARTIALLY_FILLED
    set_status(order, target, now)
    if result.cancel_remainder and target is OrderStatus.PARTIALLY_FILLED:
        set_status(order, OrderStatus.CANCELED, now, "ioc_remainder_canceled")


def requirement_of(order: Order, ctx: FillContext) -> Decimal:
    """Return what `order` holds back from buying power in this context."""
    return order_requirement(order, ctx.positions.get(order.symbol, ZERO), ctx.marks, ctx.rules)
