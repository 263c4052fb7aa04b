"""HTTP endpoints of the portfolios domain: portfolios, their account summary and positions."""

from __future__ import annotations

from apiflask import APIBlueprint

from invsim.core.errors import NotFound
from invsim.portfolios import service
from invsim.portfolios.schemas import (
    PortfolioIn,
    PortfolioListOut,
    PortfolioOut,
    PortfolioPatch,
    PositionListOut,
    PositionOut,
)
from invsim.trading import service as trading
from invsim.users.auth import current_user, token_auth

bp = APIBlueprint("portfolios", __name__, url_prefix="/api/v1", tag="Portfolios")

AUTH = {401: "Missing, invalid or revoked token"}
MISSING = {404: "No such portfolio, or another user's (`portfolio_not_found`)"}
INVALID = {422: "Invalid fields (`validation_error`)"}


@bp.post("/portfolios")
@bp.auth_required(token_auth)
@bp.input(PortfolioIn, arg_name="body")
@bp.output(PortfolioOut, status_code=201)
@bp.doc(summary="Open a portfolio", responses={
    **AUTH, 422: "Invalid name, starting cash (1,000 to 10,000,000) or rules; "
                 "`too_many_portfolios`"})
def create_portfolio(body: PortfolioIn) -> PortfolioOut:
    """Open a portfolio funded with its starting cash, with the given trading rules."""
    portfolio = service.create_portfolio(owner=current_user(), name=body.name,
                                         starting_cash=body.starting_cash, rules=body.rules)
    return PortfolioOut.of(trading.account_summary(portfolio))


@bp.get("/portfolios")
@bp.auth_required(token_auth)
@bp.output(PortfolioListOut)
@bp.doc(summary="Your portfolios", responses={**AUTH})
def list_portfolios() -> PortfolioListOut:
    """List your portfolios (not the deleted ones) with their account figures."""
    portfolios = service.list_portfolios(owner_id=current_user().id)
    return PortfolioListOut(items=[PortfolioOut.of(s) for s in trading.summaries(portfolios)])


@bp.get("/portfolios/<int:portfolio_id>")
@bp.auth_required(token_auth)
@bp.output(PortfolioOut)
@bp.doc(summary="A portfolio's account summary", responses={**AUTH, **MISSING})
def get_portfolio(portfolio_id: int) -> PortfolioOut:
    """Return cash, buying power, equity, market values and P&L at current prices."""
    portfolio = service.get_portfolio(owner_id=current_user().id, portfolio_id=portfolio_id)
    return PortfolioOut.of(trading.account_summary(portfolio))


@bp.patch("/portfolios/<int:portfolio_id>")
@bp.auth_required(token_auth)
@bp.input(PortfolioPatch, arg_name="body")
@bp.output(PortfolioOut)
@bp.doc(summary="Rename a portfolio", responses={**AUTH, **MISSING, **INVALID})
def rename_portfolio(portfolio_id: int, body: PortfolioPatch) -> PortfolioOut:
    """Give the portfolio a new name."""
    portfolio = service.rename_portfolio(owner_id=current_user().id, portfolio_id=portfolio_id,
                                         name=body.name)
    return PortfolioOut.of(trading.account_summary(portfolio))


@bp.delete("/portfolios/<int:portfolio_id>")
@bp.auth_required(token_auth)
@bp.output({}, status_code=204)
@bp.doc(summary="Delete (archive) a portfolio", responses={**AUTH, **MISSING})
def delete_portfolio(portfolio_id: int) -> tuple[str, int]:
    """Cancel the portfolio's open orders and archive it; its history is kept."""
    trading.archive_portfolio(owner_id=current_user().id, portfolio_id=portfolio_id)
    return "", 204


@bp.post("/portfolios/<int:portfolio_id>/reset")
@bp.auth_required(token_auth)
@bp.output(PortfolioOut)
@bp.doc(summary="Reset a portfolio", responses={
    **AUTH, **MISSING, 403: "The rules do not allow a reset (`reset_not_allowed`)"})
def reset_portfolio(portfolio_id: int) -> PortfolioOut:
    """Cancel open orders, archive the history and start over with the starting cash."""
    portfolio = trading.reset_portfolio(owner_id=current_user().id, portfolio_id=portfolio_id)
    return PortfolioOut.of(trading.account_summary(portfolio))


@bp.get("/portfolios/<int:portfolio_id>/positions")
@bp.auth_required(token_auth)
@bp.output(PositionListOut)
@bp.doc(summary="Open positions", responses={**AUTH, **MISSING})
def list_positions(portfolio_id: int) -> PositionListOut:
    """List the open positions valued at current prices."""
    portfolio = service.get_portfolio(owner_id=current_user().id, portfolio_id=portfolio_id)
    return PositionListOut(items=[PositionOut.of(v) for v in trading.positions_view(portfolio)])


@bp.get("/portfolios/<int:portfolio_id>/positions/<symbol>")
@bp.auth_required(token_auth)
@bp.output(PositionOut)
@bp.doc(summary="One open position", responses={
    **AUTH, 404: "No such portfolio, or no open position in the symbol (`position_not_found`)",
    **INVALID})
def get_position(portfolio_id: int, symbol: str) -> PositionOut:
    """Return the open position in one symbol."""
    portfolio = service.get_portfolio(owner_id=current_user().id, portfolio_id=portfolio_id)
    views = trading.positions_view(portfolio, symbol=trading.normalise_symbol(symbol))
    if not views:
        raise NotFound("There is no open position in this symbol.", code="position_not_found",
                       details={"symbol": symbol.upper()})
    return PositionOut.of(views[0])
