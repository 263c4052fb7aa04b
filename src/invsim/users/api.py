"""Account endpoints: /api/v1/auth/* and /api/v1/me."""

from __future__ import annotations

import hashlib
from typing import Any

from apiflask import APIBlueprint
from flask import current_app, request

from invsim.extensions import limiter
from invsim.users import service
from invsim.users.auth import current_claims, current_user, token_auth
from invsim.users.schemas import (
    LoginIn,
    LogoutIn,
    PasswordChangeIn,
    ProfileIn,
    RefreshIn,
    RegisterIn,
    TokenPairOut,
    UserOut,
)

bp = APIBlueprint("accounts", __name__, url_prefix="/api/v1", tag="Accounts")

RATE_LIMITED = {429: "Too many attempts; see Retry-After"}


def _setting(name: str) -> str:
    return str(getattr(current_app.config["INVSIM_SETTINGS"], name))


def _account_name_key() -> str:
    """Rate-limit key for the account name in the body (registration: email or username)."""
    body: Any = request.get_json(silent=True)
    if not isinstance(body, dict):
        return "account:-"
    name = body.get("email") or body.get("username") or "-"
    return f"account:{str(name).strip().lower()[:254]}"


def _login_account_key() -> str:
    """Rate-limit key for the account a login names: its email and username share one bucket."""
    body: Any = request.get_json(silent=True)
    name = body.get("login") if isinstance(body, dict) else None
    if not isinstance(name, str) or not name.strip():
        return "account:-"
    return "account:" + service.rate_limit_identity(name)


login_limits = [
    limiter.limit(lambda: _setting("rate_limit_login")),
    limiter.limit(lambda: _setting("rate_limit_login"), key_func=_login_account_key),
]


def _token_key() -> str:
    """Rate-limit key for the bearer token: one stolen token cannot guess faster than a login."""
    token = request.headers.get("Authorization", "")
    return "token:" + hashlib.sha256(token.encode()).hexdigest()[:32]


password_limits = [
    limiter.limit(lambda: _setting("rate_limit_login")),
    limiter.limit(lambda: _setting("rate_limit_login"), key_func=_token_key),
]
register_limits = [
    limiter.limit(lambda: _setting("rate_limit_register")),
    limiter.limit(lambda: _setting("rate_limit_register"), key_func=_account_name_key),
]


def _pair(pair: service.TokenPair) -> TokenPairOut:
    return TokenPairOut.model_validate(pair, from_attributes=True)


@bp.post("/auth/register")
@register_limits[0]
@register_limits[1]
@bp.input(RegisterIn, arg_name="body")
@bp.output(TokenPairOut, status_code=201)
@bp.doc(summary="Create an account", responses={409: "Email or username taken", **RATE_LIMITED})
def register(body: RegisterIn) -> TokenPairOut:
    """Create an account and sign it in."""
    service.register_user(email=body.email, username=body.username, password=body.password,
                          display_name=body.display_name)
    return _pair(service.sign_in(login=body.email, password=body.password))


@bp.post("/auth/login")
@login_limits[0]
@login_limits[1]
@bp.input(LoginIn, arg_name="body")
@bp.output(TokenPairOut)
@bp.doc(summary="Sign in", responses={401: "Invalid credentials", **RATE_LIMITED})
def login(body: LoginIn) -> TokenPairOut:
    """Exchange email or username and password for a token pair."""
    return _pair(service.sign_in(login=body.login, password=body.password))


@bp.post("/auth/refresh")
@bp.input(RefreshIn, arg_name="body")
@bp.output(TokenPairOut)
@bp.doc(summary="Rotate the refresh token", responses={401: "Revoked, reused or expired"})
def refresh(body: RefreshIn) -> TokenPairOut:
    """Trade a refresh token for a new pair; the old refresh token stops working."""
    return _pair(service.refresh_tokens(refresh_token=body.refresh_token))


@bp.post("/auth/logout")
@bp.auth_required(token_auth)
@bp.input(LogoutIn, arg_name="body")
@bp.output({}, status_code=204)
@bp.doc(summary="Sign out")
def logout(body: LogoutIn) -> tuple[str, int]:
    """Revoke this access token and its refresh token family."""
    service.sign_out(claims=current_claims(), refresh_token=body.refresh_token)
    return "", 204


@bp.post("/auth/logout-all")
@bp.auth_required(token_auth)
@bp.output({}, status_code=204)
@bp.doc(summary="Sign out everywhere")
def logout_all() -> tuple[str, int]:
    """Revoke every token of this account on every device."""
    service.sign_out_everywhere(user=current_user())
    return "", 204


@bp.get("/me")
@bp.auth_required(token_auth)
@bp.output(UserOut)
@bp.doc(summary="Your account")
def me() -> UserOut:
    """Return the signed-in account."""
    return UserOut.model_validate(current_user())


@bp.patch("/me")
@bp.auth_required(token_auth)
@bp.input(ProfileIn, arg_name="body")
@bp.output(UserOut)
@bp.doc(summary="Edit your profile")
def update_me(body: ProfileIn) -> UserOut:
    """Change the display name."""
    return UserOut.model_validate(service.update_profile(user=current_user(),
                                                         display_name=body.display_name))


@bp.post("/me/password")
@password_limits[0]
@password_limits[1]
@bp.auth_required(token_auth)
@bp.input(PasswordChangeIn, arg_name="body")
@bp.output(TokenPairOut)
@bp.doc(summary="Change your password",
        responses={422: "Wrong current password or weak new", **RATE_LIMITED})
def change_password(body: PasswordChangeIn) -> TokenPairOut:
    """Change the password; every existing token is revoked and a new pair returned."""
    pair = service.change_password(user=current_user(), current_password=body.current_password,
                                   new_password=body.new_password)
    return _pair(pair)
