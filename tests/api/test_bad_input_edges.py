"""Bad input that used to get through (issue 15 E): deep JSON, non-canonical amounts,
a body-less logout, and password guessing with a stolen token."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import PASSWORD, register


def _headers(pair: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {pair['access_token']}"}


def test_deeply_nested_json_is_a_400_not_a_500(client: Any) -> None:
    body = "[" * 5000 + "]" * 5000
    response = client.post("/api/v1/auth/login", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "malformed_json"
    # brackets inside strings are text, not nesting
    text = '{"login": "' + "[" * 100 + '", "password": "x"}'
    response = client.post("/api/v1/auth/login", data=text, content_type="application/json")
    assert response.status_code == 401


@pytest.mark.parametrize("qty", [" 1 ", "+1", "١", "1_0", "1e1", "1.", ".5", "0x1"])
def test_only_the_canonical_decimal_form_is_accepted(client: Any, qty: str) -> None:
    pair = register(client)
    portfolio = client.post("/api/v1/portfolios", json={"name": "P"}, headers=_headers(pair))
    pid = portfolio.get_json()["id"]
    response = client.post(f"/api/v1/portfolios/{pid}/orders", headers=_headers(pair),
                           json={"symbol": "AAPL", "side": "buy", "type": "market", "qty": qty})
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["error"]["code"] == "validation_error"
    orders = client.get(f"/api/v1/portfolios/{pid}/orders", headers=_headers(pair)).get_json()
    assert orders["items"] == []  # nothing was written


def test_logout_without_a_body_signs_out(client: Any) -> None:
    pair = register(client)
    response = client.post("/api/v1/auth/logout", headers=_headers(pair))
    assert response.status_code == 204
    assert client.get("/api/v1/me", headers=_headers(pair)).status_code == 401


def test_password_guesses_with_one_token_are_rate_limited(make_app: Any) -> None:
    app = make_app(rate_limits_enabled=True, rate_limit_login="3 per minute")
    client = app.test_client()
    pair = register(client)
    statuses = [client.post("/api/v1/me/password", headers=_headers(pair),
                            json={"current_password": f"wrong-{n}-guess!",
                                  "new_password": PASSWORD + "x"}).status_code
                for n in range(5)]
    assert statuses[:3] == [422, 422, 422] and statuses[3:] == [429, 429], statuses
