"""The analytics endpoints: shapes, strings for amounts, isolation, and bad input (never a 500)."""

from __future__ import annotations

import pytest

from tests.service.analytics.support import at, scenario

ENDPOINTS = ["history", "metrics", "allocation", "benchmark", "positions/AAPL/performance"]


@pytest.fixture()
def story(client, headers, user, clock, fixed):
    """The worked scenario of the service tests, owned by the signed-in user."""
    _, portfolio = scenario(clock, fixed, owner=user)
    for day, close in [("2025-03-02", "500"), ("2025-03-03", "505"), ("2025-03-04", "500"),
                       ("2025-03-05", "510"), ("2025-03-06", "512")]:
        fixed.close("SPY", day, close)
    return portfolio.id


def get(client, headers, pid, path, **query):
    """GET an analytics endpoint of a portfolio."""
    return client.get(f"/api/v1/portfolios/{pid}/{path}", query_string=query, headers=headers)


def test_history_has_alpacas_shape_with_amounts_as_strings(client, headers, story):
    response = get(client, headers, story, "history", period="ALL", timeframe="1D")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["equity"] == ["10000.00", "10050.00", "14980.00", "15112.00", "15130.00"]
    assert body["profit_loss"] == ["0.00", "50.00", "-20.00", "112.00", "130.00"]
    assert body["cash_flow"] == ["0.00", "0.00", "5000.00", "0.00", "0.00"]
    assert body["base_value"] == "10000.00" and body["timeframe"] == "1D"
    assert all(isinstance(t, int) for t in body["timestamp"])
    assert body["profit_loss_pct"][1] == "0.005"


def test_metrics_allocation_benchmark_and_position_answer(client, headers, story):
    metrics = get(client, headers, story, "metrics", period="ALL").get_json()
    assert metrics["benchmark"] == "SPY" and metrics["risk_free_rate"] == "0.04"
    assert metrics["returns"]["profit_loss"] == "130.00"
    assert metrics["returns"]["net_flows"] == "5000.00"
    assert metrics["metrics"]["points"] == 5 and metrics["metrics"]["beta"] is not None
    allocation = get(client, headers, story, "allocation").get_json()
    assert allocation["equity"] == "15130.00" and allocation["cash"] == "14440.00"
    assert allocation["by_symbol"][0]["label"] == "AAPL"
    assert allocation["by_symbol"][0]["value"] == "690.00"
    versus = get(client, headers, story, "benchmark", symbol="SPY", period="ALL").get_json()
    assert versus["benchmark"][0] == "100" and versus["portfolio"][0] == "100"
    assert len(versus["timestamp"]) == len(versus["return_pct"]) == 5
    position = get(client, headers, story, "positions/aapl/performance").get_json()
    assert (position["qty"], position["realized_pl"], position["unrealized_pl"]) == (
        "6", "40.00", "90.00")


def test_another_users_portfolio_is_not_found_and_a_token_is_required(client, stranger, story):
    for path in ENDPOINTS:
        response = get(client, stranger, story, path)
        assert response.status_code == 404, path
        assert response.get_json()["error"]["code"] == "portfolio_not_found"
        assert get(client, {}, story, path).status_code == 401
    for path, query in [("metrics", {"benchmark": "NOSUCH"}), ("positions/NOSUCH/performance", {})]:
        assert get(client, stranger, story, path, **query).get_json()["error"]["code"] == \
            "portfolio_not_found"  # ownership is checked before anything else


@pytest.mark.parametrize(("path", "query", "code"), [
    ("history", {"period": "2Y"}, "validation_error"),
    ("history", {"timeframe": "15Min"}, "validation_error"),
    ("history", {"start": "yesterday"}, "validation_error"),
    ("history", {"start": "2025-03-05", "end": "2025-03-04"}, "invalid_range"),
    ("history", {"period": "1M", "start": "2025-03-04"}, "invalid_period"),
    ("metrics", {"benchmark": "NOSUCH"}, "unknown_benchmark"),
    ("metrics", {"benchmark": "$$"}, "validation_error"),
    ("benchmark", {"symbol": "ZZZZZ"}, "unknown_benchmark"),
    ("metrics", {"period": "1D", "surprise": "1"}, "validation_error"),
])
def test_bad_input_is_a_422_in_the_error_shape(client, headers, story, path, query, code):
    response = get(client, headers, story, path, **query)
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["error"]["code"] == code


def test_a_period_before_the_portfolio_existed_is_empty_not_an_error(client, headers, story):
    window = {"start": "2024-01-01", "end": "2024-06-30"}
    history = get(client, headers, story, "history", **window).get_json()
    assert history["equity"] == [] and history["base_value"] is None
    metrics = get(client, headers, story, "metrics", **window).get_json()
    assert metrics["metrics"]["points"] == 0 and metrics["metrics"]["twr"] is None
    versus = get(client, headers, story, "benchmark", **window).get_json()
    assert versus["timestamp"] == [] and versus["benchmark"] == []


def test_a_position_never_held_and_an_unlisted_symbol_are_not_found(client, headers, story):
    assert get(client, headers, story, "positions/MSFT/performance").get_json()["error"][
        "code"] == "position_not_found"
    assert get(client, headers, story, "positions/NOSUCH/performance").get_json()["error"][
        "code"] == "unknown_symbol"


def test_strange_inputs_never_answer_500(client, headers, story, clock, fixed):
    clock.set(at("2025-03-06", "09:30"))
    strange = [{"period": "ALL", "timeframe": "5Min"}, {"start": "2025-03-06T09:00:00+05:00"},
               {"end": "2999-01-01"}, {"start": "0001-01-01"}, {"period": ""},
               {"start": "2025-03-06", "end": "2025-03-06"}, {"benchmark": "a" * 40}]
    for query in strange:
        for path in ENDPOINTS:
            response = get(client, headers, story, path, **query)
            assert response.status_code < 500, (path, query, response.get_json())


def test_every_answer_is_documented_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path in ENDPOINTS[:4]:
        documented = spec["paths"][f"/api/v1/portfolios/{{portfolio_id}}/{path}"]["get"]
        assert {"200", "401", "404"} <= set(documented["responses"]), path
    assert "422" in spec["paths"]["/api/v1/portfolios/{portfolio_id}/history"]["get"]["responses"]
