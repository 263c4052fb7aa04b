"""Request and response models of the account endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, EmailStr, Field

from invsim.api.schemas import ResponseModel, StrictModel
from invsim.users.passwords import MAX_LENGTH, MIN_LENGTH


def _no_control_characters(value: str) -> str:
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise ValueError("must not contain control characters")
    return value


PlainText = Annotated[str, AfterValidator(_no_control_characters)]
Username = Annotated[str, Field(min_length=3, max_length=32, pattern=r"^[A-Za-z0-9_.-]+$")]
DisplayName = Annotated[PlainText, Field(min_length=1, max_length=64)]
Password = Annotated[str, Field(min_length=1, max_length=128)]
# A password being chosen: the document states the service's minimum, while the service
# itself checks it (passwords.password_problems) so that every rule it breaks is reported
# together, in words, rather than the length alone by the schema layer.
NewPassword = Annotated[str, Field(min_length=1, max_length=MAX_LENGTH,
                                   json_schema_extra={"minLength": MIN_LENGTH})]


class RegisterIn(StrictModel):
    """A new account."""

    email: Annotated[EmailStr, Field(max_length=254)]
    username: Username
    password: NewPassword
    display_name: DisplayName | None = None


class LoginIn(StrictModel):
    """Credentials: email or username, and password."""

    login: Annotated[PlainText, Field(min_length=1, max_length=254)]
    password: Password


class RefreshIn(StrictModel):
    """A refresh token to rotate."""

    refresh_token: Annotated[str, Field(min_length=10, max_length=2048)]


class LogoutIn(StrictModel):
    """Optionally the refresh token to revoke along with the access token."""

    refresh_token: Annotated[str, Field(max_length=2048)] | None = None


class ProfileIn(StrictModel):
    """Editable profile fields."""

    display_name: DisplayName


class PasswordChangeIn(StrictModel):
    """Current and new password."""

    current_password: Password
    new_password: NewPassword


class UserOut(ResponseModel):
    """A user's own account."""

    id: int
    email: str
    username: str
    display_name: str
    created_at: datetime


class TokenPairOut(ResponseModel):
    """Tokens for the client; send the access token as `Authorization: Bearer ...`."""

    access_token: str
    refresh_token: str
    token_type: str = "Bearer"  # noqa: S105 - the scheme name, not a secret
    expires_in: int
    refresh_expires_in: int
    user: UserOut
