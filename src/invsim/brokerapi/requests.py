"""What a bot sends to /alpaca/v2, parsed with Alpaca's field names into invsim's requests.

Bodies and queries are validated with pydantic; a bad one is a 422 in Alpaca's
shape and writes nothing. Numbers may come as JSON numbers (alpaca-py sends
floats, parsed exactly) or strings (alpaca-trade-api).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from invsim.api.schemas import MoneyIn, PriceIn, QuantityIn, RateIn
from invsim.core.errors import ValidationFailed
from invsim.trading.engine.state import OrderType, Side, TimeInForce
from invsim.trading.service import Exits, OrderRequest, ReplaceRequest

Model = TypeVar("Model", bound=BaseModel)


class AlpacaModel(BaseModel):
    """A request model: unknown fields are errors, strings are stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class TakeProfit(AlpacaModel):
    """The profit-taking leg of a bracket or OCO order."""

    limit_price: PriceIn


class StopLoss(AlpacaModel):
    """The stop-loss leg of a bracket, OCO or OTO order."""

    stop_price: PriceIn
    limit_price: PriceIn | None = None


class OrderBody(AlpacaModel):
    """Alpaca's order request."""

    symbol: Annotated[str, Field(min_length=1, max_length=12)]
    side: Side
    type: OrderType = OrderType.MARKET
    time_in_force: TimeInForce = TimeInForce.DAY
    qty: QuantityIn | None = None
    notional: MoneyIn | None = None
    limit_price: PriceIn | None = None
    stop_price: PriceIn | None = None
    trail_price: PriceIn | None = None
    trail_percent: RateIn | None = None
    extended_hours: bool = False
    client_order_id: Annotated[str, Field(min_length=1, max_length=48)] | None = None
    order_class: Literal["simple", "bracket", "oco", "oto", ""] = "simple"
    take_profit: TakeProfit | None = None
    stop_loss: StopLoss | None = None
    position_intent: Literal["buy_to_open", "buy_to_close", "sell_to_open",
                             "sell_to_close"] | None = None

    def exits(self) -> Exits:
        """The take-profit and stop-loss prices of a bracket, OCO or OTO order."""
        return Exits(
            take_profit_limit=self.take_profit.limit_price if self.take_profit else None,
            stop_loss_stop=self.stop_loss.stop_price if self.stop_loss else None,
            stop_loss_limit=self.stop_loss.limit_price if self.stop_loss else None)

    def request(self) -> OrderRequest:
        """The service's request for the (parent) order."""
        return OrderRequest(symbol=self.symbol, side=self.side, type=self.type,
                            time_in_force=self.time_in_force, qty=self.qty,
                            notional=self.notional, limit_price=self.limit_price,
                            stop_price=self.stop_price, trail_percent=self.trail_percent,
                            trail_price=self.trail_price, client_order_id=self.client_order_id)


class ReplaceBody(AlpacaModel):
    """Alpaca's replace request (PATCH /orders/{id})."""

    qty: QuantityIn | None = None
    time_in_force: TimeInForce | None = None
    limit_price: PriceIn | None = None
    stop_price: PriceIn | None = None
    trail: PriceIn | None = None
    client_order_id: Annotated[str, Field(min_length=1, max_length=48)] | None = None

    def request(self, order_type: str) -> ReplaceRequest:
        """The service's replace request; `trail` is a price or a percent, per the order."""
        trail_percent = self.trail if order_type == "trailing_stop_percent" else None
        trail_price = self.trail if order_type == "trailing_stop_price" else None
        return ReplaceRequest(qty=self.qty, time_in_force=self.time_in_force,
                              limit_price=self.limit_price, stop_price=self.stop_price,
                              trail_percent=trail_percent, trail_price=trail_price,
                              client_order_id=self.client_order_id)


class OrdersQuery(AlpacaModel):
    """Alpaca's order listing filters."""

    status: Literal["open", "closed", "all"] = "open"
    limit: int = Field(50, ge=1, le=500)
    after: AwareDatetime | None = None
    until: AwareDatetime | None = None
    direction: Literal["asc", "desc"] = "desc"
    nested: bool = False
    symbols: Annotated[str, Field(max_length=1400)] | None = None
    side: Literal["buy", "sell"] | None = None

    def symbol_list(self) -> list[str] | None:
        """The comma-separated symbols as a list."""
        if not self.symbols:
            return None
        return [s.strip().upper() for s in self.symbols.split(",") if s.strip()]


class ClientOrderIdQuery(AlpacaModel):
    """Look an order up by the client's id."""

    client_order_id: Annotated[str, Field(min_length=1, max_length=48)]
    nested: bool = False


class CloseQuery(AlpacaModel):
    """Close part of a position (default: all of it)."""

    qty: QuantityIn | None = None
    percentage: RateIn | None = None


class CloseAllQuery(AlpacaModel):
    """Close every position; optionally cancel open orders first."""

    cancel_orders: bool = False


class AssetsQuery(AlpacaModel):
    """Alpaca's asset filters."""

    status: Literal["active", "inactive"] | None = None
    asset_class: Literal["us_equity", "us_option", "crypto"] | None = None
    exchange: Annotated[str, Field(max_length=16)] | None = None
    attributes: Annotated[str, Field(max_length=200)] | None = None


class CalendarQuery(AlpacaModel):
    """A range of trading days (default: the next month)."""

    start: date | None = None
    end: date | None = None
    date_type: Literal["TRADING", "SETTLEMENT"] = "TRADING"


class ActivitiesQuery(AlpacaModel):
    """Alpaca's activity filters."""

    activity_types: Annotated[str, Field(max_length=200)] | None = None
    activity_type: Annotated[str, Field(max_length=16)] | None = None
    date: AwareDatetime | Annotated[date, Field()] | None = None
    until: AwareDatetime | None = None
    after: AwareDatetime | None = None
    direction: Literal["asc", "desc"] = "desc"
    page_size: int = Field(100, ge=1, le=100)
    page_token: Annotated[str, Field(max_length=200)] | None = None
    category: Literal["trade_activity", "non_trade_activity"] | None = None


class HistoryQuery(AlpacaModel):
    """Alpaca's portfolio-history parameters."""

    period: Annotated[str, Field(max_length=8)] | None = None
    timeframe: Annotated[str, Field(max_length=8)] | None = None
    date_end: date | None = None
    start: AwareDatetime | None = None
    end: AwareDatetime | None = None
    extended_hours: bool | None = None
    intraday_reporting: Annotated[str, Field(max_length=32)] | None = None
    pnl_reset: Annotated[str, Field(max_length=16)] | None = None
    force_engine_version: Annotated[str, Field(max_length=8)] | None = None


class WatchlistBody(AlpacaModel):
    """Create or update a watchlist."""

    name: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    symbols: list[Annotated[str, Field(min_length=1, max_length=12)]] | None = Field(
        default=None, max_length=200)


class SymbolBody(AlpacaModel):
    """Add one symbol to a watchlist."""

    symbol: Annotated[str, Field(min_length=1, max_length=12)]


class ConfigurationsBody(AlpacaModel):
    """The account configurations a bot may change (the ones that map onto invsim's rules)."""

    dtbp_check: Literal["both", "entry", "exit"] | None = None
    trade_confirm_email: Literal["all", "none"] | None = None
    suspend_trade: bool | None = None
    no_shorting: bool | None = None
    fractional_trading: bool | None = None
    max_margin_multiplier: Annotated[str, Field(max_length=4)] | None = None
    pdt_check: Literal["both", "entry", "exit"] | None = None
    ptp_no_exception_entry: bool | None = None
    max_options_trading_level: int | None = None


def _messages(error: ValidationError) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for problem in error.errors():
        name = ".".join(str(p) for p in problem["loc"]) or "body"
        fields.setdefault(name, []).append(str(problem["msg"]).removeprefix("Value error, "))
    return fields


def parse(model: type[Model], data: Any) -> Model:
    """Validate a body or query; a bad one is a 422 naming the fields."""
    if not isinstance(data, dict):
        raise ValidationFailed("request body must be a JSON object", code="invalid_body")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        fields = _messages(error)
        first = next(iter(fields.items()))
        raise ValidationFailed(f"invalid {first[0]}: {first[1][0]}", code="validation_error",
                               details={"fields": fields}) from None


def decimal_or_none(value: Any) -> Decimal | None:
    """A query number as an exact decimal."""
    return None if value is None else Decimal(str(value))


def as_utc_day_start(value: date | datetime) -> datetime:
    """A date (or an instant) as the instant the day starts in UTC."""
    if isinstance(value, datetime):
        return value
    from datetime import UTC, time
    return datetime.combine(value, time(), tzinfo=UTC)
