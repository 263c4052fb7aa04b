"""Request and response models of the trading API (Alpaca's shapes, every amount a string)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field

from invsim.api.schemas import (
    DecimalOut,
    MoneyIn,
    MoneyOut,
    PriceIn,
    QuantityIn,
    RateIn,
    ResponseModel,
    StrictModel,
)
from invsim.trading.activities import Activity, ActivityPage
from invsim.trading.engine.state import OrderType, Side, TimeInForce
from invsim.trading.models import Order
from invsim.trading.order_input import OrderRequest, ReplaceRequest
from invsim.trading.preview import Preview

SymbolText = Annotated[str, Field(min_length=1, max_length=12, examples=["AAPL"])]
ClientOrderId = Annotated[str, Field(min_length=1, max_length=48)]


class OrderIn(StrictModel):
    """A new order. Give exactly one of `qty` and `notional` (notional: market orders only)."""

    symbol: SymbolText
    side: Side
    type: OrderType
    time_in_force: TimeInForce = TimeInForce.DAY
    qty: QuantityIn | None = None
    notional: MoneyIn | None = None
    limit_price: PriceIn | None = None
    stop_price: PriceIn | None = None
    trail_percent: RateIn | None = None
    trail_price: PriceIn | None = None
    client_order_id: ClientOrderId | None = None

    def request(self) -> OrderRequest:
        """Return the service's order request."""
        return OrderRequest(**self.model_dump())


class ReplaceIn(StrictModel):
    """What to change on a working order; a new order replaces it."""

    qty: QuantityIn | None = None
    limit_price: PriceIn | None = None
    stop_price: PriceIn | None = None
    trail_percent: RateIn | None = None
    trail_price: PriceIn | None = None
    time_in_force: TimeInForce | None = None
    client_order_id: ClientOrderId | None = None

    def request(self) -> ReplaceRequest:
        """Return the service's replace request."""
        return ReplaceRequest(**self.model_dump())


class OrdersQuery(StrictModel):
    """Filters of the order listing (as Alpaca's)."""

    status: Literal["open", "closed", "all"] = "open"
    after: AwareDatetime | None = None
    until: AwareDatetime | None = None
    limit: int = Field(50, ge=1, le=500)
    symbols: Annotated[str, Field(max_length=1400, examples=["AAPL,MSFT"])] | None = None
    direction: Literal["asc", "desc"] = "desc"

    def symbol_list(self) -> list[str] | None:
        """Return the comma-separated symbols as a list."""
        if not self.symbols:
            return None
        return [s.strip().upper() for s in self.symbols.split(",") if s.strip()]


class ClientOrderIdQuery(StrictModel):
    """Look an order up by the client's id."""

    client_order_id: ClientOrderId


class ClosePositionQuery(StrictModel):
    """Close part of a position: a number of shares or a percentage (default: all of it)."""

    qty: QuantityIn | None = None
    percentage: RateIn | None = None


class ActivitiesQuery(StrictModel):
    """A page of the activity feed (of the current generation, or an earlier one's)."""

    cursor: Annotated[str, Field(max_length=200)] | None = None
    limit: int = Field(50, ge=1, le=500)
    generation: int | None = Field(default=None, ge=0)


class ActivitiesCsvQuery(StrictModel):
    """Which generation's activity to export (default: the current one)."""

    generation: int | None = Field(default=None, ge=0)


class OrderOut(ResponseModel):
    """An order as Alpaca shows one."""

    id: int
    client_order_id: str
    portfolio_id: int
    symbol: str
    side: str
    type: str
    order_type: str
    time_in_force: str
    status: str
    qty: DecimalOut | None
    notional: MoneyOut | None
    filled_qty: DecimalOut
    filled_avg_price: DecimalOut | None
    limit_price: DecimalOut | None
    stop_price: DecimalOut | None
    trail_percent: DecimalOut | None
    trail_price: DecimalOut | None
    hwm: DecimalOut | None
    commission: MoneyOut
    source: str
    reason: str | None
    reject_reason: str | None
    replaced_by: int | None
    replaces: int | None
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    filled_at: datetime | None
    canceled_at: datetime | None
    expired_at: datetime | None
    replaced_at: datetime | None
    failed_at: datetime | None
    expires_at: datetime | None

    @classmethod
    def of(cls, order: Order) -> OrderOut:
        """Build the response for an order row."""
        return cls(
            id=order.id, client_order_id=order.client_order_id, portfolio_id=order.portfolio_id,
            symbol=order.symbol, side=order.side, type=order.type, order_type=order.type,
            time_in_force=order.time_in_force, status=order.status, qty=order.qty,
            notional=order.notional, filled_qty=order.filled_qty,
            filled_avg_price=order.filled_avg_price, limit_price=order.limit_price,
            stop_price=order.stop_price, trail_percent=order.trail_percent,
            trail_price=order.trail_price, hwm=order.hwm, commission=order.commission,
            source=order.source, reason=order.reason,
            reject_reason=order.reason if order.status == "rejected" else None,
            replaced_by=order.replaced_by_id, replaces=order.replaces_id,
            created_at=order.created_at, updated_at=order.updated_at,
            submitted_at=order.submitted_at, filled_at=order.filled_at,
            canceled_at=order.canceled_at, expired_at=order.expired_at,
            replaced_at=order.replaced_at, failed_at=order.failed_at,
            expires_at=order.expires_at,
        )


class OrderListOut(ResponseModel):
    """A list of orders."""

    items: list[OrderOut]


class CancelResultOut(ResponseModel):
    """One order of a cancel-all (Alpaca's multi-status shape)."""

    id: int
    status: int
    body: OrderOut


class CancelAllOut(ResponseModel):
    """Every open order the cancel-all canceled."""

    items: list[CancelResultOut]


class ActivityOut(ResponseModel):
    """One line of the activity feed: a fill, or a cash movement that is not part of one."""

    id: str
    activity_type: str
    occurred_at: datetime
    net_amount: MoneyOut
    description: str
    generation: int
    symbol: str | None
    side: str | None
    qty: DecimalOut | None
    price: DecimalOut | None
    gross: MoneyOut | None
    commission: MoneyOut | None
    order_id: int | None
    price_source: str | None
    priced_at: datetime | None
    rule: str | None


class ActivityPageOut(ResponseModel):
    """A page of activities, newest first, and the cursor of the next page."""

    items: list[ActivityOut]
    next_cursor: str | None

    @classmethod
    def of(cls, page: ActivityPage) -> ActivityPageOut:
        """Build the response for a page of activities."""
        return cls(items=[ActivityOut.model_validate(a) for a in page.items],
                   next_cursor=page.next_cursor)


def activity_out(activity: Activity) -> ActivityOut:
    """Build the response for one activity."""
    return ActivityOut.model_validate(activity)



class OrderPreviewOut(ResponseModel):
    """What an order would do if placed now: the server's arithmetic, for the trade ticket."""

    symbol: str
    side: str
    status: str | None = Field(description="The status it would get: filled, "
                               "partially_filled, accepted (it would rest), ...; null if rejected")
    estimated_qty: DecimalOut | None
    estimated_price: DecimalOut | None
    estimated_value: MoneyOut | None
    commission: MoneyOut
    estimated_total: MoneyOut | None = Field(description="Cash out for a buy (value + "
                                             "commission), cash in for a sell (value − commission)")
    slippage: MoneyOut
    quote_price: DecimalOut
    buying_power: MoneyOut
    buying_power_after: MoneyOut | None
    rejection: str | None = Field(description="The rejection code it would get, or null")
    message: str | None

    @classmethod
    def of(cls, preview: Preview) -> OrderPreviewOut:
        """Build the response for a preview."""
        return cls(**{name: getattr(preview, name) for name in cls.model_fields})
