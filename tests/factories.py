"""Build test data through the real service functions and endpoints."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

_counter = itertools.count(1)
PASSWORD = "correct-horse-battery-42"


def register(client: Any, username: str | None = None, password: str = PASSWORD) -> dict[str, Any]:
    """Register a user through the API and return the token pair JSON."""
    name = username or f"user{next(_counter)}"
    response = client.post("/api/v1/auth/register",
                           json={"email": f"{name}@example.com", "username": name,
                                 "password": password})
    assert response.status_code == 201, response.get_json()
    return dict(response.get_json())


def auth_headers(tokens: dict[str, Any]) -> dict[str, str]:
    """Authorization header for a token pair."""
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def signed_in(client: Any, username: str | None = None) -> dict[str, str]:
    """Register a fresh user and return its Authorization header."""
    return auth_headers(register(client, username))


def new_user(prefix: str = "user", display_name: str | None = None) -> Any:
    """Register a fresh user through the service layer (inside an app context)."""
    from invsim.users.service import register_user

    name = f"{prefix}{next(_counter)}"
    return register_user(email=f"{name}@example.com", username=name, password=PASSWORD,
                         display_name=display_name)


@dataclass
class Clock:
    """A clock tests move by hand (install it with `core.clock.set_clock`)."""

    now: datetime

    def set(self, now: datetime) -> datetime:
        """Jump to `now`."""
        self.now = now
        return now

    def advance(self, **delta: float) -> datetime:
        """Move forward by a timedelta's keywords and return the new instant."""
        self.now += timedelta(**delta)
        return self.now
