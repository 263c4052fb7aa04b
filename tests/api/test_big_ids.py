"""Ids past what the database stores answer 404 on every id-bearing route, never a 500."""

import pytest
from werkzeug.routing import IntegerConverter

from tests.factories import signed_in

BIG_IDS = [2**31, 2**63, 10**30]


def id_routes(app):
    """Each (rule, method) whose path holds an integer id."""
    for rule in app.url_map.iter_rules():
        if any(isinstance(c, IntegerConverter) for c in rule._converters.values()):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method


@pytest.mark.parametrize("big", BIG_IDS)
def test_every_id_route_answers_404_for_an_id_too_big_to_store(app, client, big):
    headers = signed_in(client)
    routes = list(id_routes(app))
    assert len(routes) > 20
    failures = []
    for rule, method in routes:
        path = rule.rule
        for name in rule._converters:
            path = path.replace(f"<int:{name}>", str(big))
        response = client.open(path, method=method, headers=headers, json={})
        if response.status_code != 404:
            failures.append(f"{method} {path}: {response.status_code}")
    assert failures == []


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("path", ["/api/v1/nonexistent", "/v2/portfolios", "/orders"])
def test_an_unknown_path_answers_404_not_405_for_any_method(client, method, path):
    response = client.open(path, method=method, json={})
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_a_known_path_with_a_wrong_method_still_answers_405(client):
    assert client.delete("/api/v1/auth/login").status_code == 405


def test_the_openapi_document_states_the_id_bounds(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    schema = spec["paths"]["/api/v1/orders/{order_id}"]["get"]["parameters"][0]["schema"]
    assert schema == {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}


@pytest.mark.parametrize("big", BIG_IDS)
def test_an_id_in_a_query_too_big_to_store_answers_422(client, big):
    headers = signed_in(client)
    response = client.get(f"/api/v1/challenges/1/rank-history?user_id={big}", headers=headers)
    assert response.status_code == 422
