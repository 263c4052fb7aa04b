"""Account use-cases: register, sign in, rotate tokens, sign out, change password."""

from __future__ import annotations

from dataclasses import dataclass

import structlog
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from invsim.core.clock import utcnow
from invsim.core.errors import Conflict, NotFound, Unauthorized, ValidationFailed
from invsim.extensions import db
from invsim.users.auth import authn, token_state_changed
from invsim.users.models import RefreshToken, User, email_index
from invsim.users.passwords import hasher, password_problems
from invsim.users.tokens import AccessClaims, decode, issue_access, issue_refresh, new_id

log = structlog.get_logger("invsim.users")


@dataclass(frozen=True)
class TokenPair:
    """Tokens handed to a client after sign-in, refresh or password change."""

    access_token: str
    refresh_token: str
    expires_in: int
    refresh_expires_in: int
    user: User


def normalise_email(email: str) -> str:
    """Compare emails without case or surrounding space."""
    return email.strip().lower()


def _check_password(password: str, *, username: str, email: str, field: str = "password") -> None:
    problems = password_problems(password, username=username, email=email)
    if problems:
        raise ValidationFailed("The password does not meet the rules.",
                               code="weak_password", details={"fields": {field: problems}})


def _taken(email: str, username: str) -> dict[str, list[str]]:
    """The fields of a new account that an existing account already uses."""
    session = db.session()
    fields: dict[str, list[str]] = {}
    if session.scalar(select(User.id).where(User.email_index == email_index(email))) is not None:
        fields["email"] = ["is already registered"]
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        fields["username"] = ["is already taken"]
    return fields


def _check_registration(email: str, username: str, password: str) -> None:
    """Refuse a sign-up with every problem at once (the form shows them together).

    A weak password is a 422 `weak_password` that also names any taken field; taken
    fields alone are a 409: `email_taken`, `username_taken`, or `account_exists` for both.
    """
    problems = password_problems(password, username=username, email=email)
    taken = _taken(email, username)
    db.end_read()
    if problems:
        raise ValidationFailed("The password does not meet the rules.", code="weak_password",
                               details={"fields": {**taken, "password": problems}})
    if len(taken) == 2:
        raise Conflict("An account with this email or username already exists.",
                       code="account_exists", details={"fields": taken})
    if "email" in taken:
        raise Conflict("An account with this email already exists.", code="email_taken",
                       details={"fields": taken})
    if "username" in taken:
        raise Conflict("This username is taken.", code="username_taken",
                       details={"fields": taken})


def _ensure_unique(email: str, username: str) -> None:
    session = db.session()
    if session.scalar(select(User.id).where(User.email_index == email_index(email))) is not None:
        raise Conflict("An account with this email already exists.", code="email_taken",
                       details={"fields": {"email": ["is already registered"]}})
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict("This username is taken.", code="username_taken",
                       details={"fields": {"username": ["is already taken"]}})


def register_user(*, email: str, username: str, password: str,
                  display_name: str | None = None) -> User:
    """Create an account with a hashed password; duplicates are a 409."""
    email, username = normalise_email(email), username.strip().lower()
    _check_registration(email, username, password)
    password_hash = hasher.hash(password)
    with db.transaction() as session:
        _ensure_unique(email, username)
        user = User(email=email, username=username, display_name=display_name or username,
                    password_hash=password_hash)
        session.add(user)
        try:
            session.flush()
        except IntegrityError:
            raise Conflict("An account with this email or username already exists.",
                           code="account_exists") from None
    log.info("user_registered", user_id=user.id, username=username)
    return user


def _find_by_login(login: str) -> User | None:
    key = login.strip().lower()
    if "@" in key:  # emails are encrypted: found through their blind index
        return db.session.scalar(select(User).where(User.email_index == email_index(key)))
    return db.session.scalar(select(User).where(func.lower(User.username) == key))


def rate_limit_identity(login: str) -> str:
    """One rate-limit identity per account, whichever of its names a login uses.

    Keyed by the name alone, "alice" and "alice@example.com" would be two
    buckets and double the guesses an account allows. Names no account has
    keep their own bucket (guessing at them costs the same as at real ones).
    """
    key = login.strip().lower()[:254]
    if "@" in key:
        user_id = db.session.scalar(select(User.id).where(User.email_index == email_index(key)))
    else:
        user_id = db.session.scalar(select(User.id).where(func.lower(User.username) == key))
    db.end_read()  # the limiter runs before the view: hold no transaction across argon2
    return f"user:{user_id}" if user_id is not None else f"name:{key}"


def authenticate(*, login: str, password: str) -> User:
    """Return the user for valid credentials; say only "invalid credentials" otherwise."""
    user = _find_by_login(login)
    # End the read before hashing: argon2 takes ~0.1-0.2 s of CPU, and a transaction held
    # across it kept a pooled connection "idle in transaction" for every sign-in in flight.
    db.end_read()
    valid = hasher.verify(user.password_hash if user else None, password)
    if user is None or not valid or not user.is_active:
        log.info("login_failed", login=login[:254], account_exists=user is not None)
        raise Unauthorized("Invalid credentials.", code="invalid_credentials")
    return user


def _issue_pair(user: User, family_id: str) -> TokenPair:
    """Sign a token pair and record the refresh token (caller commits)."""
    access = issue_access(authn.tokens, user_id=user.id, family_id=family_id,
                          version=user.token_version)
    refresh = issue_refresh(authn.tokens, user_id=user.id, family_id=family_id)
    db.session.add(RefreshToken(jti=refresh.jti, user_id=user.id, family_id=family_id,
                                expires_at=refresh.expires_at))
    return TokenPair(
        access_token=access.token, refresh_token=refresh.token,
        expires_in=int(authn.tokens.access_lifetime.total_seconds()),
        refresh_expires_in=int(authn.tokens.refresh_lifetime.total_seconds()), user=user)


def sign_in(*, login: str, password: str) -> TokenPair:
    """Check credentials and start a new token family."""
    user = authenticate(login=login, password=password)
    with db.transaction():
        return _issue_pair(user, new_id())


def _revoke_family(family_id: str) -> None:
    """Mark every refresh token of a family revoked and refuse its access tokens."""
    now = utcnow()
    tokens = db.session.scalars(select(RefreshToken).where(
        RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None)))
    for token in tokens:
        token.revoked_at = now
    authn.revocations.revoke_family(family_id)


def refresh_tokens(*, refresh_token: str) -> TokenPair:
    """Rotate a refresh token; reusing an old one revokes its whole family."""
    claims = decode(authn.tokens, refresh_token, expected_type="refresh")
    with db.transaction() as session:
        stored = session.get(RefreshToken, str(claims["jti"]), with_for_update=True)
        if stored is None or stored.revoked_at is not None:
            raise Unauthorized("The refresh token has been revoked.", code="token_revoked")
        reused = stored.used_at is not None
        if reused:  # the revocation commits with the use-case; the refusal follows it
            _revoke_family(stored.family_id)
        else:
            pair = _rotate(session, stored)
    if reused:
        raise Unauthorized("The refresh token was already used; every session of this "
                           "sign-in has been revoked.", code="refresh_token_reused")
    return pair


def _rotate(session: Session, stored: RefreshToken) -> TokenPair:
    """Mark a refresh token used and issue the next pair of its family (flush only)."""
    user = session.get(User, stored.user_id)
    if user is None or not user.is_active:
        raise Unauthorized("The refresh token has been revoked.", code="token_revoked")
    stored.used_at = utcnow()
    return _issue_pair(user, stored.family_id)


def sign_out(*, claims: AccessClaims, refresh_token: str | None) -> None:
    """Revoke this access token and its refresh family."""
    authn.revocations.revoke_access(claims.jti, claims.expires_at)
    with db.transaction():
        _revoke_family(claims.family_id)
        if refresh_token:
            try:
                other = decode(authn.tokens, refresh_token, expected_type="refresh")
            except Unauthorized:
                return
            if int(other["sub"]) == claims.user_id:
                _revoke_family(str(other["fam"]))


def _revoke_everything(user_id: int) -> User:
    """Move the user's token version on and revoke all refresh tokens (caller commits)."""
    session = db.session()
    locked = session.get(User, user_id, with_for_update=True)
    if locked is None:
        raise NotFound("User not found.")
    locked.token_version += 1
    # Stored before the commit too: if the store is down the revocation fails whole (503)
    # instead of committing a version the workers do not see. A state that refuses is
    # checked against the row, so a rollback after this leaves the old tokens working.
    token_state_changed(locked)
    for token in session.scalars(select(RefreshToken).where(
            RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))):
        token.revoked_at = utcnow()
    return locked


def sign_out_everywhere(*, user: User) -> None:
    """Revoke every token the user holds."""
    with db.transaction():
        locked = _revoke_everything(user.id)
    token_state_changed(locked)  # after the commit: see users/token_state.py


def change_password(*, user: User, current_password: str, new_password: str) -> TokenPair:
    """Replace the password, revoke every existing token and sign in afresh."""
    db.end_read()  # the token check's read: not held across two argon2 runs (see authenticate)
    if not hasher.verify(user.password_hash, current_password):
        raise ValidationFailed("The current password is wrong.", code="invalid_current_password",
                               details={"fields": {"current_password": ["is wrong"]}})
    _check_password(new_password, username=user.username, email=user.email,
                    field="new_password")
    new_hash = hasher.hash(new_password)
    with db.transaction():
        locked = _revoke_everything(user.id)
        locked.password_hash = new_hash
        pair = _issue_pair(locked, new_id())
    token_state_changed(locked)  # after the commit: see users/token_state.py
    return pair


def update_profile(*, user: User, display_name: str) -> User:
    """Change the display name."""
    with db.transaction() as session:
        locked = session.get(User, user.id)
        if locked is None:
            raise NotFound("User not found.")
        locked.display_name = display_name
    return locked


def get_user(user_id: int) -> User:
    """Return a user by id (404 if absent)."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("User not found.")
    return user
