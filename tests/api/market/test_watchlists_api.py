"""Watchlists over HTTP: a token is required, and another user's list answers 404."""

import pytest

from tests.factories import signed_in

API = "/api/v1/watchlists"


def test_watchlists_need_a_token(client):
    assert client.get(API).status_code == 401
    assert client.post(API, json={"name": "x"}).status_code == 401


def test_create_read_rename_add_remove_and_delete(client):
    headers = signed_in(client)
    created = client.post(API, json={"name": "Tech", "symbols": ["aapl"]}, headers=headers)
    assert created.status_code == 201
    watchlist_id = created.get_json()["id"]
    assert [i["symbol"] for i in created.get_json()["items"]] == ["AAPL"]
    added = client.post(f"{API}/{watchlist_id}/symbols", json={"symbol": "msft"},
                        headers=headers)
    assert [i["symbol"] for i in added.get_json()["items"]] == ["AAPL", "MSFT"]
    renamed = client.patch(f"{API}/{watchlist_id}", json={"name": "Big tech"}, headers=headers)
    assert renamed.get_json()["name"] == "Big tech"
    removed = client.delete(f"{API}/{watchlist_id}/symbols/aapl", headers=headers)
    assert [i["symbol"] for i in removed.get_json()["items"]] == ["MSFT"]
    listed = client.get(API, headers=headers).get_json()["watchlists"]
    assert [w["name"] for w in listed] == ["Big tech"]
    assert client.delete(f"{API}/{watchlist_id}", headers=headers).status_code == 204
    assert client.get(f"{API}/{watchlist_id}", headers=headers).status_code == 404


def test_another_users_watchlist_answers_404_to_every_method(client):
    owner, other = signed_in(client), signed_in(client)
    watchlist_id = client.post(API, json={"name": "Mine"}, headers=owner).get_json()["id"]
    for method, path, body in (
        ("get", f"{API}/{watchlist_id}", None),
        ("patch", f"{API}/{watchlist_id}", {"name": "stolen"}),
        ("delete", f"{API}/{watchlist_id}", None),
        ("post", f"{API}/{watchlist_id}/symbols", {"symbol": "AAPL"}),
        ("delete", f"{API}/{watchlist_id}/symbols/AAPL", None),
    ):
        response = getattr(client, method)(path, json=body, headers=other)
        assert response.status_code == 404, (method, path)
        assert response.get_json()["error"]["code"] == "watchlist_not_found"
    assert client.get(API, headers=other).get_json()["watchlists"] == []
    assert client.get(f"{API}/{watchlist_id}", headers=owner).get_json()["name"] == "Mine"


@pytest.mark.parametrize("body,status,code", [
    ({"name": ""}, 422, "validation_error"),
    ({"name": "   "}, 422, "validation_error"),
    ({"name": "x" * 65}, 422, "validation_error"),
    ({"name": "tab\tname"}, 422, "validation_error"),
    ({"name": "ok", "symbols": ["ZZZZ"]}, 404, "unknown_symbol"),
    ({"name": "ok", "symbols": ["../etc"]}, 422, "invalid_symbol"),
    ({"name": "ok", "symbols": "AAPL"}, 422, "validation_error"),
    ({"name": "ok", "owner_id": 1}, 422, "validation_error"),
])
def test_bad_watchlist_input_is_refused_and_writes_nothing(client, body, status, code):
    headers = signed_in(client)
    response = client.post(API, json=body, headers=headers)
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code
    assert client.get(API, headers=headers).get_json()["watchlists"] == []


def test_a_duplicate_name_is_a_conflict(client):
    headers = signed_in(client)
    assert client.post(API, json={"name": "Dup"}, headers=headers).status_code == 201
    response = client.post(API, json={"name": "Dup"}, headers=headers)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "watchlist_name_taken"


def test_bad_symbols_and_ids_in_paths_are_4xx(client):
    headers = signed_in(client)
    watchlist_id = client.post(API, json={"name": "P"}, headers=headers).get_json()["id"]
    assert client.post(f"{API}/{watchlist_id}/symbols", json={"symbol": "A;DROP"},
                       headers=headers).status_code == 422
    assert client.delete(f"{API}/{watchlist_id}/symbols/A;DROP",
                         headers=headers).status_code == 422
    assert client.delete(f"{API}/{watchlist_id}/symbols/MSFT", headers=headers).status_code \
        == 404
    assert client.get(f"{API}/99999999999999999999", headers=headers).status_code == 404
    assert client.get(f"{API}/abc", headers=headers).status_code == 404
