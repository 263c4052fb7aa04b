"""HTTP endpoints of a portfolio's live strategies (JWT-authenticated, for the web app)."""

from __future__ import annotations

from apiflask import APIBlueprint

from invsim.backtest import live_manage as live
from invsim.backtest.live_schemas import LiveStrategyIn, LiveStrategyListOut, LiveStrategyOut
from invsim.users.auth import current_user, token_auth

bp = APIBlueprint("live_strategies", __name__, url_prefix="/api/v1", tag="Live strategies")

BASE = "/portfolios/<int:portfolio_id>/live-strategies"
AUTH = {401: "Missing, invalid or revoked token"}
NOT_FOUND = {404: "No such portfolio or live strategy, or another user's"}


@bp.post(BASE)
@bp.auth_required(token_auth)
@bp.input(LiveStrategyIn, arg_name="body")
@bp.output(LiveStrategyOut, status_code=201)
@bp.doc(summary="Run a built-in strategy live", responses={
    **AUTH, **NOT_FOUND,
    403: "The portfolio's rules refuse it (`strategies_not_allowed`, `strategy_not_allowed`, "
         "`strategy_params_fixed`, `symbol_not_allowed`)",
    409: "Five active live strategies already (`too_many_live_strategies`)",
    422: "Unknown strategy or symbol, invalid parameters"})
def attach(portfolio_id: int, body: LiveStrategyIn) -> LiveStrategyOut:
    """Attach the strategy: from the latest complete daily bar on, it trades the portfolio."""
    row = live.attach(user_id=current_user().id, portfolio_id=portfolio_id,
                      strategy=body.strategy, params=body.params, symbols=body.symbols)
    return LiveStrategyOut.of(row)


@bp.get(BASE)
@bp.auth_required(token_auth)
@bp.output(LiveStrategyListOut)
@bp.doc(summary="List live strategies", responses={**AUTH, **NOT_FOUND})
def list_live(portfolio_id: int) -> LiveStrategyListOut:
    """The portfolio's live strategies, newest first."""
    rows = live.list_live(user_id=current_user().id, portfolio_id=portfolio_id)
    return LiveStrategyListOut(items=[LiveStrategyOut.of(r) for r in rows])


@bp.post(f"{BASE}/<int:live_id>/pause")
@bp.auth_required(token_auth)
@bp.output(LiveStrategyOut)
@bp.doc(summary="Pause a live strategy", responses={
    **AUTH, **NOT_FOUND, 409: "Stopped (`invalid_live_strategy_transition`)"})
def pause(portfolio_id: int, live_id: int) -> LiveStrategyOut:
    """Stop deciding new bars until resumed (open orders stay)."""
    return LiveStrategyOut.of(live.set_status(user_id=current_user().id,
                                              portfolio_id=portfolio_id, live_id=live_id,
                                              status="paused"))


@bp.post(f"{BASE}/<int:live_id>/resume")
@bp.auth_required(token_auth)
@bp.output(LiveStrategyOut)
@bp.doc(summary="Resume a live strategy", responses={
    **AUTH, **NOT_FOUND,
    409: "Stopped, or five active already (`invalid_live_strategy_transition`, "
         "`too_many_live_strategies`)"})
def resume(portfolio_id: int, live_id: int) -> LiveStrategyOut:
    """Decide again from the next new bar (bars missed while paused are not traded)."""
    return LiveStrategyOut.of(live.set_status(user_id=current_user().id,
                                              portfolio_id=portfolio_id, live_id=live_id,
                                              status="active"))


@bp.delete(f"{BASE}/<int:live_id>")
@bp.auth_required(token_auth)
@bp.output({}, status_code=204)
@bp.doc(summary="Stop a live strategy", responses={**AUTH, **NOT_FOUND})
def stop(portfolio_id: int, live_id: int) -> tuple[str, int]:
    """Stop it for good; what it placed stays in the portfolio."""
    live.stop(user_id=current_user().id, portfolio_id=portfolio_id, live_id=live_id)
    return "", 204
