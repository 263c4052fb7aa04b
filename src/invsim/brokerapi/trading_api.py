"""Alpaca's Trading API v2 under /alpaca/v2: account, orders, positions, assets, clock.

Each view parses Alpaca's request, calls the other domains' services acting on the
key's portfolio, and answers Alpaca's shape (`wire.py`). Nothing here trades by itself.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Response, jsonify, request

from invsim.brokerapi import wire
from invsim.brokerapi.auth import caller
from invsim.brokerapi.blueprint import bp
from invsim.brokerapi.errors import alpaca_error
from invsim.brokerapi.ids import Kind, decode, is_uuid
from invsim.brokerapi.requests import (
    AssetsQuery,
    ClientOrderIdQuery,
    CloseAllQuery,
    CloseQuery,
    ConfigurationsBody,
    OrderBody,
    OrdersQuery,
    ReplaceBody,
    parse,
)
from invsim.core.errors import NotFound, ValidationFailed
from invsim.market import service as market
from invsim.portfolios import service as portfolios
from invsim.trading import service as trading
from invsim.trading.models import Order

JSON = dict[str, Any] | list[Any]


def _json_body() -> Any:
    data = request.get_json(silent=True)
    if data is None:
        raise ValidationFailed("request body must be JSON", code="malformed_json")
    return data


def _query() -> dict[str, str]:
    return request.args.to_dict()


def ok(payload: JSON, status: int = 200) -> Response:
    """A JSON answer (Alpaca sends bare arrays for lists)."""
    response = jsonify(wire.jsonable(payload))
    response.status_code = status
    return response


def order_not_found(text: str) -> NotFound:
    """The 404 of an order this key cannot see."""
    return NotFound("order not found", code="order_not_found", details={"order_id": text})


def own_order(text: str) -> Order:
    """The key's portfolio's order with this UUID (any other is a 404; a non-UUID a 422)."""
    number = decode(Kind.ORDER, text)
    if number is None:
        raise order_not_found(text)
    try:
        found = trading.get_order(owner_id=caller().owner_id, order_id=number)
    except NotFound:
        raise order_not_found(text) from None
    if found.portfolio_id != caller().portfolio.id:
        raise order_not_found(text)
    return found


def order_json(order: Order, *, nested: bool = True) -> dict[str, Any]:
    """An order in Alpaca's shape; a group's first order carries its legs when `nested`."""
    if not nested or order.order_class == "simple" or order.parent_id is not None:
        return wire.order(order)
    legs = [wire.order(m) for m in trading.group_of(order) if m.id != order.id]
    return wire.order(order, legs)


# --- account -------------------------------------------------------------------------------

@bp.get("/v2/account")
def get_account() -> Response:
    """The key's portfolio as Alpaca's account."""
    portfolio = caller().portfolio
    summary = trading.account_summary(portfolio)
    rules = portfolios.rules_of(portfolio)
    return ok(wire.account(portfolio, summary, shorting_enabled=rules.allow_short))


def _configurations() -> dict[str, Any]:
    rules = portfolios.rules_of(caller().portfolio)
    return {"dtbp_check": "entry", "trade_confirm_email": "none", "suspend_trade": False,
            "no_shorting": not rules.allow_short, "fractional_trading": rules.fractional,
            "max_margin_multiplier": "2" if rules.account_type == "margin" else "1",
            "max_options_trading_level": 0, "pdt_check": "entry",
            "ptp_no_exception_entry": False}


@bp.get("/v2/account/configurations")
def get_configurations() -> Response:
    """The account configurations, read from the portfolio's rules."""
    return ok(_configurations())


@bp.patch("/v2/account/configurations")
def patch_configurations() -> Response:
    """Accept the configurations that agree with the portfolio's rules.

    A portfolio's rules are fixed when it is opened (a challenge's fairness and the
    ledger depend on it), so a change of a rule is a 422 naming it; settings with no
    counterpart in invsim (e-mails, PDT checks) are accepted and have no effect.
    """
    body = parse(ConfigurationsBody, _json_body())
    current = _configurations()
    fixed = ("no_shorting", "fractional_trading", "max_margin_multiplier", "suspend_trade")
    for name in fixed:
        wanted = getattr(body, name)
        if wanted is not None and wanted != current[name]:
            raise ValidationFailed(
                f"{name} is fixed by the portfolio's rules (it is {current[name]!r}); open a "
                "portfolio with other rules instead", code="configuration_fixed")
    return ok(current)


# --- orders --------------------------------------------------------------------------------

@bp.post("/v2/orders")
def submit_order() -> Response:
    """Place an order with the key's portfolio (market, limit, stop, stop_limit, trailing)."""
    body = parse(OrderBody, _json_body())
    if body.order_class not in ("simple", ""):
        group = trading.place_group(owner_id=caller().owner_id,
                                    portfolio_id=caller().portfolio.id, request=body.request(),
                                    order_class=body.order_class, exits=body.exits(),
                                    source="api")
        return ok(order_json(group.order))
    if body.take_profit is not None or body.stop_loss is not None:
        raise ValidationFailed("take_profit and stop_loss need order_class bracket, oco or oto",
                               code="invalid_order")
    placed = trading.place_order(owner_id=caller().owner_id, portfolio_id=caller().portfolio.id,
                                 request=body.request(), source="api")
    return ok(order_json(placed.order))


@bp.get("/v2/orders")
def list_orders() -> Response:
    """The portfolio's orders with Alpaca's filters, as a bare array."""
    query = parse(OrdersQuery, _query())
    orders = trading.list_orders(portfolio=caller().portfolio, status=query.status,
                                 after=query.after, until=query.until, limit=query.limit,
                                 symbols=query.symbol_list(), direction=query.direction,
                                 side=query.side)
    if query.nested:  # legs appear inside their first order, not on their own
        orders = [o for o in orders if o.parent_id is None]
    return ok([order_json(o, nested=query.nested) for o in orders])


@bp.get("/v2/orders:by_client_order_id")
def get_by_client_order_id() -> Response:
    """The order placed with this client_order_id."""
    query = parse(ClientOrderIdQuery, _query())
    order = trading.get_order_by_client_order_id(portfolio=caller().portfolio,
                                                 client_order_id=query.client_order_id)
    return ok(order_json(order))


@bp.get("/v2/orders/<order_id>")
def get_order(order_id: str) -> Response:
    """One order by its UUID."""
    return ok(order_json(own_order(order_id)))


def _trail_kind(order: Order) -> str:
    if order.type != "trailing_stop":
        return order.type
    return "trailing_stop_percent" if order.trail_percent is not None else "trailing_stop_price"


@bp.patch("/v2/orders/<order_id>")
def replace_order(order_id: str) -> Response:
    """Replace a working order; the answer is the new order."""
    original = own_order(order_id)
    body = parse(ReplaceBody, _json_body())
    new = trading.replace_order(owner_id=caller().owner_id, order_id=original.id,
                                changes=body.request(_trail_kind(original)))
    return ok(order_json(new))


@bp.delete("/v2/orders/<order_id>")
def cancel_order(order_id: str) -> Response:
    """Cancel a working order: 204 as at Alpaca."""
    original = own_order(order_id)
    trading.cancel_order(owner_id=caller().owner_id, order_id=original.id)
    return Response(status=204)


@bp.delete("/v2/orders")
def cancel_all_orders() -> Response:
    """Cancel every open order: 207 with one entry per order."""
    canceled = trading.cancel_all(owner_id=caller().owner_id, portfolio_id=caller().portfolio.id)
    return ok([{"id": wire.order_id(o.id), "status": 200, "body": order_json(o)}
               for o in canceled], 207)


# --- positions -----------------------------------------------------------------------------

def _offered(symbol: str | None = None) -> dict[str, Decimal]:
    """Shares already offered by open orders, per symbol and side sign (sells +, buys −)."""
    offered: dict[str, Decimal] = {}
    for order in trading.list_orders(portfolio=caller().portfolio, status="open", limit=500,
                                     symbols=[symbol] if symbol else None):
        if order.qty is None:
            continue
        left = order.qty - order.filled_qty
        offered[order.symbol] = offered.get(order.symbol, Decimal(0)) + (
            left if order.side == "sell" else -left)
    return offered


def _positions(symbol: str | None = None) -> list[dict[str, Any]]:
    views = trading.positions_view(caller().portfolio, symbol=symbol)
    offered = _offered(symbol)
    instruments = {i.symbol: i for i in market.list_instruments()}
    found = []
    for view in views:
        closing = offered.get(view.symbol, Decimal(0))
        available = view.qty - closing  # sells offered shrink a long, buys a short
        if (view.qty > 0 and available < 0) or (view.qty < 0 and available > 0):
            available = Decimal(0)
        found.append(wire.position(view, instruments.get(view.symbol), available))
    return found


def symbol_of(text: str) -> str:
    """A symbol from a path that may carry a symbol or an asset UUID."""
    if is_uuid(text):
        for instrument in market.list_instruments():
            if wire.asset_id(instrument.symbol) == text.lower():
                return instrument.symbol
        raise NotFound("asset not found", code="asset_not_found", details={"asset": text})
    return trading.normalise_symbol(text)


def position_not_found(symbol: str) -> NotFound:
    """Alpaca's 404 for a symbol without a position."""
    return NotFound("position does not exist", code="position_not_found",
                    details={"symbol": symbol})


@bp.get("/v2/positions")
def list_positions() -> Response:
    """Every open position, as a bare array."""
    return ok(_positions())


@bp.get("/v2/positions/<symbol_or_id>")
def get_position(symbol_or_id: str) -> Response:
    """One open position by symbol or asset id."""
    symbol = symbol_of(symbol_or_id)
    found = _positions(symbol)
    if not found:
        raise position_not_found(symbol)
    return ok(found[0])


@bp.delete("/v2/positions/<symbol_or_id>")
def close_position(symbol_or_id: str) -> Response:
    """Close all or part of a position (`qty` or `percentage`) with a market order."""
    symbol = symbol_of(symbol_or_id)
    query = parse(CloseQuery, _query())
    placed = trading.close_position(owner_id=caller().owner_id,
                                    portfolio_id=caller().portfolio.id, symbol=symbol,
                                    qty=query.qty, percentage=query.percentage)
    return ok(order_json(placed.order))


@bp.delete("/v2/positions")
def close_all_positions() -> Response:
    """Close every position (cancelling open orders first if asked): 207, one entry each."""
    query = parse(CloseAllQuery, _query())
    if query.cancel_orders:
        trading.cancel_all(owner_id=caller().owner_id, portfolio_id=caller().portfolio.id)
    results = []
    for view in trading.positions_view(caller().portfolio):
        try:
            placed = trading.close_position(owner_id=caller().owner_id,
                                            portfolio_id=caller().portfolio.id,
                                            symbol=view.symbol)
            results.append({"symbol": view.symbol, "status": 200,
                            "order_id": wire.order_id(placed.order.id),
                            "body": order_json(placed.order)})
        except (ValidationFailed, NotFound) as error:
            results.append({"symbol": view.symbol, "status": 403 if error.status == 422
                            else error.status,
                            "body": {"code": 40310000, "message": error.message,
                                     "symbol": view.symbol}})
    return ok(results, 207)


# --- assets, clock, calendar ---------------------------------------------------------------

@bp.get("/v2/assets")
def list_assets() -> Response:
    """Every listed instrument (invsim lists us_equity only; all are active)."""
    query = parse(AssetsQuery, _query())
    if query.status == "inactive" or query.asset_class not in (None, "us_equity"):
        return ok([])
    shorting = portfolios.rules_of(caller().portfolio).allow_short
    assets = [wire.asset(i, shorting_possible=shorting) for i in market.list_instruments()]
    if query.exchange:
        assets = [a for a in assets if a["exchange"] == query.exchange.upper()]
    if query.attributes:
        wanted = {a.strip() for a in query.attributes.split(",") if a.strip()}
        assets = [a for a in assets if wanted & set(a["attributes"])]
    return ok(assets)


@bp.get("/v2/assets/<symbol_or_id>")
def get_asset(symbol_or_id: str) -> Response:
    """One asset by symbol or id."""
    symbol = symbol_of(symbol_or_id)
    try:
        instrument = market.get_instrument(symbol)
    except NotFound:
        return alpaca_error(404, "asset not found", "asset_not_found")
    shorting = portfolios.rules_of(caller().portfolio).allow_short
    return ok(wire.asset(instrument, shorting_possible=shorting))


@bp.get("/v2/clock")
def get_clock() -> Response:
    """Whether the market is open now, and its next open and close."""
    return ok(wire.clock(market.market_clock()))
