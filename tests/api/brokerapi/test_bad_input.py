"""Refusals under /alpaca: Alpaca's error body and status, and nothing written."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from invsim.extensions import db
from tests.api.brokerapi.conftest import open_bot
from tests.api.trading.test_orders_api import BAD_ORDERS
from tests.service.trading.support import row_counts

# What Alpaca accepts that /api/v1 refuses: the flag is accepted (see docs/bots.md).
ALPACA_BAD_ORDERS = [(body, code) for body, code in BAD_ORDERS if "extended_hours" not in body]
FORBIDDEN = {"insufficient_buying_power"}


def counts(app: Any) -> tuple[int, int, int]:
    with app.app_context():
        try:
            return row_counts()
        finally:
            db.session.remove()


def alpaca(client: Any, bot: Any, method: str, path: str, body: Any = None,
           headers: dict[str, str] | None = None) -> Any:
    kwargs: dict[str, Any] = {"headers": headers if headers is not None else bot.key_headers}
    if body is not None:
        kwargs["data"] = body if isinstance(body, str) else json.dumps(body, default=str)
        kwargs["content_type"] = "application/json"
    return client.open(f"/alpaca/v2{path}", method=method, **kwargs)


def assert_alpaca_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert isinstance(body["code"], int) and str(body["code"]).startswith(str(status))
    assert isinstance(body["message"], str) and body["message"]
    assert "error" not in body
    return dict(body)


@pytest.mark.parametrize(("body", "code"), ALPACA_BAD_ORDERS)
def test_every_bad_order_is_refused_in_alpacas_shape_and_writes_nothing(client, app, bot,
                                                                        body, code):
    before = counts(app)
    payload = {"symbol": "AAPL", "side": "buy", "type": "market", **body}
    if isinstance(payload.get("qty"), Decimal):
        payload = '{"symbol": "AAPL", "side": "buy", "type": "market", "qty": 1e15}'
    response = alpaca(client, bot, "POST", "/orders", payload)
    refused = assert_alpaca_error(response, 403 if code in FORBIDDEN else 422)
    assert refused["reason"] == code
    assert counts(app) == before


@pytest.mark.parametrize("headers", [
    {},
    {"APCA-API-KEY-ID": "PKNOTAKEY0000000000"},
    {"APCA-API-KEY-ID": "PKNOTAKEY0000000000", "APCA-API-SECRET-KEY": "x" * 40},
    {"APCA-API-KEY-ID": "x" * 500, "APCA-API-SECRET-KEY": "y" * 5000},
])
def test_missing_or_unknown_credentials_are_401(client, bot, headers):
    assert_alpaca_error(alpaca(client, bot, "GET", "/account", headers=headers), 401)


def test_a_wrong_secret_is_401_and_places_nothing(client, app, bot):
    before = counts(app)
    wrong = {**bot.key_headers, "APCA-API-SECRET-KEY": bot.secret[:-1] + "!"}
    order = {"symbol": "AAPL", "side": "buy", "type": "market", "qty": "1"}
    assert_alpaca_error(alpaca(client, bot, "POST", "/orders", order, headers=wrong), 401)
    assert counts(app) == before


def test_a_jwt_is_not_an_api_key(client, bot):
    assert_alpaca_error(alpaca(client, bot, "GET", "/account", headers=bot.headers), 401)


def test_another_portfolios_order_is_404_and_untouched(client, app, bot, server, clock):
    mine = alpaca(client, bot, "POST", "/orders", {"symbol": "AAPL", "side": "buy",
                                                   "type": "limit", "qty": "1",
                                                   "limit_price": "1", "time_in_force": "gtc"})
    order_id = mine.get_json()["id"]
    other = open_bot(client, server, clock)
    for method, body in (("GET", None), ("PATCH", {"qty": "2"}), ("DELETE", None)):
        assert_alpaca_error(alpaca(client, other, method, f"/orders/{order_id}", body), 404)
    assert alpaca(client, other, "GET", "/orders?status=all").get_json() == []
    assert alpaca(client, bot, "GET", f"/orders/{order_id}").get_json()["status"] == "accepted"


def test_a_second_key_of_the_same_user_sees_only_its_own_portfolio(client, bot):
    other = client.post("/api/v1/portfolios", json={"name": "Second", "starting_cash": "5000"},
                        headers=bot.headers).get_json()
    key = client.post(f"/api/v1/portfolios/{other['id']}/api-keys", json={"name": "b"},
                      headers=bot.headers).get_json()
    headers = {"APCA-API-KEY-ID": key["key_id"], "APCA-API-SECRET-KEY": key["secret"]}
    alpaca(client, bot, "POST", "/orders", {"symbol": "AAPL", "side": "buy", "type": "market",
                                            "qty": "1"})
    assert alpaca(client, bot, "GET", "/account", headers=headers).get_json()["cash"] == \
        "5000.00"
    assert alpaca(client, bot, "GET", "/positions", headers=headers).get_json() == []


@pytest.mark.parametrize("text", ["not-a-uuid", "1", "x" * 300, "00000001-0000-4000-8000-zz"])
def test_a_malformed_order_id_is_422(client, bot, text):
    refused = assert_alpaca_error(alpaca(client, bot, "GET", f"/orders/{text}"), 422)
    assert refused["reason"] == "invalid_uuid"


@pytest.mark.parametrize("text", ["6f1c2b1e-8a3b-4c9e-9f1d-2a5b3c4d5e6f",
                                  "00000002-0000-4000-8000-000000000001",
                                  "00000001-0000-4000-8000-ffffffffffff"])
def test_a_uuid_that_names_no_order_of_this_key_is_404(client, bot, text):
    assert_alpaca_error(alpaca(client, bot, "GET", f"/orders/{text}"), 404)


@pytest.mark.parametrize(("method", "path", "body"), [
    ("POST", "/orders", "{not json"),
    ("POST", "/orders", "[1, 2]"),
    ("POST", "/orders", {"symbol": "AAPL", "side": "buy", "type": "market", "qty": "1",
                         "surprise": 1}),
    ("POST", "/orders", {"symbol": "AAPL", "side": "buy", "type": "market", "qty": "1",
                         "take_profit": {"limit_price": "10"}}),
    ("POST", "/orders", {"symbol": "AAPL", "side": "buy", "type": "market", "qty": "1",
                         "order_class": "bracket", "take_profit": {"limit_price": "900"}}),
    ("GET", "/orders?status=sideways", None),
    ("GET", "/orders?limit=0", None),
    ("GET", "/orders?after=yesterday", None),
    ("GET", "/orders:by_client_order_id", None),
    ("DELETE", "/positions/AAPL?percentage=abc", None),
    ("GET", "/calendar?start=2025-03-10&end=2025-03-01", None),
    ("GET", "/account/portfolio/history?period=forever", None),
    ("GET", "/account/portfolio/history?timeframe=7Min", None),
    ("PATCH", "/account/configurations", {"no_shorting": False, "fractional_trading": False}),
    ("POST", "/watchlists", {"symbols": ["AAPL"]}),
])
def test_bad_requests_are_422(client, app, bot, method, path, body):
    before = counts(app)
    assert_alpaca_error(alpaca(client, bot, method, path, body), 422)
    assert counts(app) == before


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/positions/AAPL"), ("DELETE", "/positions/AAPL"), ("GET", "/assets/NOPE"),
    ("GET", "/watchlists/00000004-0000-4000-8000-000000000999"),
    ("GET", "/orders:by_client_order_id?client_order_id=never"),
])
def test_missing_objects_are_404(client, bot, method, path):
    assert_alpaca_error(alpaca(client, bot, method, path), 404)


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/alpaca/v2/nothing"), ("POST", "/alpaca/v2/nothing"), ("GET", "/alpaca/v3/account"),
    ("DELETE", "/alpaca"), ("PUT", "/alpaca/v2/account"),
])
def test_unknown_paths_and_methods_answer_in_alpacas_shape(client, method, path):
    response = client.open(path, method=method)
    assert response.status_code in (404, 405)
    body = response.get_json()
    assert isinstance(body["code"], int) and body["message"]


def test_the_web_api_keeps_its_own_error_shape(client):
    response = client.get("/api/v1/nothing")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"
