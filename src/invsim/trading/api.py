"""HTTP endpoints of the trading domain: orders, closing positions and the activity feed."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint
from flask import Response

from invsim.portfolios import service as portfolios
from invsim.trading import service
from invsim.trading.schemas import (
    ActivitiesCsvQuery,
    ActivitiesQuery,
    ActivityPageOut,
    CancelAllOut,
    CancelResultOut,
    ClientOrderIdQuery,
    ClosePositionQuery,
    OrderIn,
    OrderListOut,
    OrderOut,
    OrderPreviewOut,
    OrdersQuery,
    ReplaceIn,
)
from invsim.users.auth import current_user_id, token_auth

bp = APIBlueprint("trading", __name__, url_prefix="/api/v1", tag="Trading")

AUTH = {401: "Missing, invalid or revoked token"}
NO_PORTFOLIO = {404: "No such portfolio, or another user's (`portfolio_not_found`)"}
NO_ORDER = {404: "No such order, or another user's (`order_not_found`)"}
NO_PRICE = {503: "No price can be had for the symbol right now (`quote_unavailable`)"}
TRANSITION = {409: "The order is no longer working (`invalid_order_transition`)"}
REJECTED = {422: "Invalid fields (`validation_error`, `invalid_order`) or a rule refused the "
                 "order: `insufficient_buying_power`, `insufficient_position`, "
                 "`short_selling_not_allowed`, `below_min_price`, `position_limit_exceeded`, "
                 "`fractional_not_allowed`, `market_closed`, `stale_price`, `unknown_symbol`, "
                 "`symbol_not_tradable`, `duplicate_client_order_id`, `order_type_not_allowed`, "
                 "`symbol_not_allowed`, `sector_not_allowed`, `max_trades_per_day_exceeded`, "
                 "`outside_trading_window`"}

CSV_RESPONSES: dict[int | str, Any] = {
    200: {"description": "text/csv, newest first",
          "content": {"text/csv": {"schema": {"type": "string"}}}},
    401: {"description": AUTH[401]},
    404: {"description": NO_PORTFOLIO[404]},
}


def _portfolio(portfolio_id: int) -> Any:
    """Return the signed-in user's portfolio (404 otherwise)."""
    return portfolios.get_portfolio(owner_id=current_user_id(), portfolio_id=portfolio_id)


@bp.post("/portfolios/<int:portfolio_id>/orders")
@bp.auth_required(token_auth)
@bp.input(OrderIn, arg_name="body")
@bp.output(OrderOut, status_code=201)
@bp.doc(summary="Place an order", responses={
    200: "The client_order_id was used before with the same terms: the original order",
    **AUTH, **NO_PORTFOLIO, **REJECTED, **NO_PRICE})
def place_order(portfolio_id: int, body: OrderIn) -> tuple[OrderOut, int]:
    """Place an order; a market order fills at once while the market is open."""
    placed = service.place_order(owner_id=current_user_id(), portfolio_id=portfolio_id,
                                 request=body.request())
    return OrderOut.of(placed.order), 201 if placed.created else 200


@bp.post("/portfolios/<int:portfolio_id>/orders:preview")
@bp.auth_required(token_auth)
@bp.input(OrderIn, arg_name="body")
@bp.output(OrderPreviewOut)
@bp.doc(summary="Preview an order", responses={
    **AUTH, **NO_PORTFOLIO, 422: "Invalid fields (`validation_error`, `invalid_order`)",
    **NO_PRICE})
def preview_order(portfolio_id: int, body: OrderIn) -> OrderPreviewOut:
    """What the order would do now (price, value, commission, slippage, buying power after,
    or the rejection code it would get), computed by the placing use-case; nothing is written.
    """
    return OrderPreviewOut.of(service.preview_order(
        owner_id=current_user_id(), portfolio_id=portfolio_id, request=body.request()))


@bp.get("/portfolios/<int:portfolio_id>/orders")
@bp.auth_required(token_auth)
@bp.input(OrdersQuery, location="query", arg_name="query")
@bp.output(OrderListOut)
@bp.doc(summary="List orders", responses={**AUTH, **NO_PORTFOLIO, 422: "Invalid filters"})
def list_orders(portfolio_id: int, query: OrdersQuery) -> OrderListOut:
    """List orders by status (open, closed, all), submission time and symbols, newest first."""
    orders = service.list_orders(portfolio=_portfolio(portfolio_id), status=query.status,
                                 after=query.after, until=query.until, limit=query.limit,
                                 symbols=query.symbol_list(), direction=query.direction)
    return OrderListOut(items=[OrderOut.of(o) for o in orders])


@bp.delete("/portfolios/<int:portfolio_id>/orders")
@bp.auth_required(token_auth)
@bp.output(CancelAllOut, status_code=207)
@bp.doc(summary="Cancel all open orders", responses={**AUTH, **NO_PORTFOLIO})
def cancel_all(portfolio_id: int) -> CancelAllOut:
    """Cancel every open order of the portfolio (Alpaca's multi-status answer)."""
    canceled = service.cancel_all(owner_id=current_user_id(), portfolio_id=portfolio_id)
    return CancelAllOut(items=[CancelResultOut(id=o.id, status=200, body=OrderOut.of(o))
                               for o in canceled])


@bp.get("/portfolios/<int:portfolio_id>/orders:by_client_order_id")
@bp.auth_required(token_auth)
@bp.input(ClientOrderIdQuery, location="query", arg_name="query")
@bp.output(OrderOut)
@bp.doc(summary="Find an order by client_order_id",
        responses={**AUTH, 404: "No such portfolio or order", 422: "Invalid client_order_id"})
def get_by_client_order_id(portfolio_id: int, query: ClientOrderIdQuery) -> OrderOut:
    """Return the portfolio's order placed with this client_order_id."""
    order = service.get_order_by_client_order_id(portfolio=_portfolio(portfolio_id),
                                                 client_order_id=query.client_order_id)
    return OrderOut.of(order)


@bp.get("/orders/<int:order_id>")
@bp.auth_required(token_auth)
@bp.output(OrderOut)
@bp.doc(summary="One order", responses={**AUTH, **NO_ORDER})
def get_order(order_id: int) -> OrderOut:
    """Return one of your orders."""
    return OrderOut.of(service.get_order(owner_id=current_user_id(), order_id=order_id))


@bp.patch("/orders/<int:order_id>")
@bp.auth_required(token_auth)
@bp.input(ReplaceIn, arg_name="body")
@bp.output(OrderOut)
@bp.doc(summary="Replace an order", responses={
    **AUTH, **NO_ORDER, 409: "Only an accepted order that has not started filling can be "
                             "replaced (`invalid_order_transition`)", **REJECTED, **NO_PRICE})
def replace_order(order_id: int, body: ReplaceIn) -> OrderOut:
    """Replace a working order: the old one becomes `replaced`; the new one is returned."""
    order = service.replace_order(owner_id=current_user_id(), order_id=order_id,
                                  changes=body.request())
    return OrderOut.of(order)


@bp.delete("/orders/<int:order_id>")
@bp.auth_required(token_auth)
@bp.output(OrderOut)
@bp.doc(summary="Cancel an order", responses={**AUTH, **NO_ORDER, **TRANSITION})
def cancel_order(order_id: int) -> OrderOut:
    """Cancel a working order and return it."""
    return OrderOut.of(service.cancel_order(owner_id=current_user_id(), order_id=order_id))


@bp.delete("/portfolios/<int:portfolio_id>/positions/<symbol>")
@bp.auth_required(token_auth)
@bp.input(ClosePositionQuery, location="query", arg_name="query")
@bp.output(OrderOut)
@bp.doc(summary="Close a position (all, `qty` shares, or a `percentage`)", responses={
    **AUTH, 404: "No such portfolio, or no open position (`position_not_found`)",
    **REJECTED, **NO_PRICE})
def close_position(portfolio_id: int, symbol: str, query: ClosePositionQuery) -> OrderOut:
    """Close all or part of a position with a market order; return that order."""
    placed = service.close_position(owner_id=current_user_id(), portfolio_id=portfolio_id,
                                    symbol=symbol, qty=query.qty, percentage=query.percentage)
    return OrderOut.of(placed.order)


@bp.get("/portfolios/<int:portfolio_id>/activities")
@bp.auth_required(token_auth)
@bp.input(ActivitiesQuery, location="query", arg_name="query")
@bp.output(ActivityPageOut)
@bp.doc(summary="Account activity", responses={
    **AUTH, **NO_PORTFOLIO, 422: "Invalid cursor or limit (`invalid_cursor`)"})
def list_activities(portfolio_id: int, query: ActivitiesQuery) -> ActivityPageOut:
    """Return fills and cash movements, newest first, a page at a time."""
    page = service.list_activities(_portfolio(portfolio_id), cursor=query.cursor,
                                   limit=query.limit, generation=query.generation)
    return ActivityPageOut.of(page)


@bp.get("/portfolios/<int:portfolio_id>/activities.csv")
@bp.auth_required(token_auth)
@bp.input(ActivitiesCsvQuery, location="query", arg_name="query")
@bp.doc(summary="Account activity as CSV", responses=CSV_RESPONSES)
def activities_csv(portfolio_id: int, query: ActivitiesCsvQuery) -> Response:
    """Download every activity of the portfolio's current (or an earlier) generation as CSV."""
    text = "".join(service.activities_csv(_portfolio(portfolio_id),
                                          generation=query.generation))
    filename = f"invsim-portfolio-{portfolio_id}-activities.csv"
    return Response(text, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
