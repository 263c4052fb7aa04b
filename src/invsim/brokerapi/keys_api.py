"""HTTP endpoints for a portfolio's API keys (JWT-authenticated, for the web app)."""

from __future__ import annotations

from apiflask import APIBlueprint

from invsim.brokerapi import service
from invsim.brokerapi.schemas import ApiKeyIn, ApiKeyListOut, ApiKeyOut, IssuedKeyOut
from invsim.users.auth import current_user, token_auth

bp = APIBlueprint("api_keys", __name__, url_prefix="/api/v1", tag="API keys")

AUTH = {401: "Missing, invalid or revoked token"}
NO_PORTFOLIO = {404: "No such portfolio, or another user's (`portfolio_not_found`)"}


@bp.post("/portfolios/<int:portfolio_id>/api-keys")
@bp.auth_required(token_auth)
@bp.input(ApiKeyIn, arg_name="body")
@bp.output(IssuedKeyOut, status_code=201)
@bp.doc(summary="Create an API key", responses={
    **AUTH, **NO_PORTFOLIO, 409: "Ten active keys already (`too_many_api_keys`)",
    422: "Invalid name"})
def create_key(portfolio_id: int, body: ApiKeyIn) -> IssuedKeyOut:
    """Issue a key for `/alpaca/v2` acting on this portfolio; the secret is shown only here."""
    issued = service.create_key(owner_id=current_user().id, portfolio_id=portfolio_id,
                                name=body.name)
    return IssuedKeyOut(**ApiKeyOut.of(issued.key).model_dump(), secret=issued.secret)


@bp.get("/portfolios/<int:portfolio_id>/api-keys")
@bp.auth_required(token_auth)
@bp.output(ApiKeyListOut)
@bp.doc(summary="List API keys", responses={**AUTH, **NO_PORTFOLIO})
def list_keys(portfolio_id: int) -> ApiKeyListOut:
    """The portfolio's keys, newest first, revoked ones included (never a secret)."""
    keys = service.list_keys(owner_id=current_user().id, portfolio_id=portfolio_id)
    return ApiKeyListOut(items=[ApiKeyOut.of(k) for k in keys])


@bp.delete("/portfolios/<int:portfolio_id>/api-keys/<key_id>")
@bp.auth_required(token_auth)
@bp.output(ApiKeyOut)
@bp.doc(summary="Revoke an API key", responses={
    **AUTH, 404: "No such portfolio or key (`api_key_not_found`)"})
def revoke_key(portfolio_id: int, key_id: str) -> ApiKeyOut:
    """Revoke the key: every process refuses it from the next request on."""
    return ApiKeyOut.of(service.revoke_key(owner_id=current_user().id,
                                           portfolio_id=portfolio_id, key_id=key_id))
