"""What one evaluation produces: the fill record, the result, and the codes that name them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from invsim.core.money import money, quantity
from invsim.trading.engine import rejections
from invsim.trading.engine.costs import fill_commission
from invsim.trading.engine.pricing import FillRule, Priced
from invsim.trading.engine.rules import TradingRules
from invsim.trading.engine.sizing import FillSize
from invsim.trading.engine.spec import OrderSpec
from invsim.trading.engine.state import Side
from invsim.trading.engine.triggers import Trigger

VOLUME_CAP_PARTIAL = "volume_cap_partial"


class Action(StrEnum):
    """What the service must do with the order after an evaluation."""

    FILL = "fill"
    WAIT = "wait"
    CANCEL = "cancel"
    REJECT = "reject"


class Reason(StrEnum):
    """Why an order waits or is canceled instead of filling."""

    STALE_PRICE = rejections.STALE_PRICE
    MARKET_CLOSED = rejections.MARKET_CLOSED
    STOP_NOT_TRIGGERED = "stop_not_triggered"
    LIMIT_NOT_REACHED = "limit_not_reached"
    NO_VOLUME = "no_volume"
    AWAITING_OPEN = "awaiting_open"
    AWAITING_CLOSE = "awaiting_close"
    AUCTION_PRICE_UNKNOWN = "auction_price_unknown"
    IOC_NOT_FILLED = "ioc_not_filled"
    FOK_CANNOT_FILL = "fok_cannot_fill"
    AUCTION_LIMIT_NOT_REACHED = "auction_limit_not_reached"
    NO_AUCTION_SESSION = "no_auction_session"
    NOTIONAL_TOO_SMALL = "notional_too_small"


@dataclass(frozen=True, slots=True)
class Fill:
    """One execution: what traded, at what price, from which source, when and by which rule."""

    side: Side
    qty: Decimal
    price: Decimal
    gross: Decimal
    commission: Decimal
    rule: FillRule
    price_source: str
    at: datetime
    volume_capped: bool = False

    @property
    def net_cash(self) -> Decimal:
        """Return the cash this fill moves: negative for a buy, positive for a sell."""
        if self.side is Side.BUY:
            return -(self.gross + self.commission)
        return self.gross - self.commission

    @property
    def applied_rules(self) -> tuple[str, ...]:
        """Return the price rule, plus `volume_cap_partial` when the cap cut the fill."""
        return (self.rule, VOLUME_CAP_PARTIAL) if self.volume_capped else (self.rule,)


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The outcome of one evaluation, and the stop state the service must persist.

    `rule` is the FillRule for a fill, the Reason for a wait or cancel, and the
    rejection code for a reject. `complete` says the fill finished the order;
    `cancel_remainder` says the rest of a partially filled order must be canceled.
    """

    action: Action
    rule: str
    stop_triggered: bool
    stop_price: Decimal | None
    water_mark: Decimal | None
    fill: Fill | None = None
    complete: bool = False
    cancel_remainder: bool = False


def make_fill(
    order: OrderSpec, rules: TradingRules, priced: Priced, size: FillSize, at: datetime
) -> Fill:
    """Build the fill record, charging this fill's share of the order's commission."""
    gross = money(size.qty * priced.price)
    fee = fill_commission(
        rules.commission, order.filled_qty, order.filled_notional, size.qty, gross
    )
    return Fill(
        side=order.side,
        qty=quantity(size.qty),
        price=priced.price,
        gross=gross,
        commission=fee,
        rule=priced.rule,
        price_source=priced.source,
        at=at,
        volume_capped=size.volume_capped,
    )


def unchanged(order: OrderSpec) -> Trigger:
    """Return the order's stop state as it was (no price was trusted this time)."""
    return Trigger(order.stop_triggered, order.stop_price, order.water_mark)


def no_fill(action: Action, rule: str, trigger: Trigger) -> MatchResult:
    """Build a result without a fill, carrying the stop state forward."""
    return MatchResult(action, rule, trigger.triggered, trigger.stop_price, trigger.water_mark)
