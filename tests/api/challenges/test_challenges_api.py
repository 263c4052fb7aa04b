"""Challenges API: validation, the error codes of every abuse case, listings, documentation."""

from __future__ import annotations

from datetime import timedelta

import pytest

from invsim.challenges import jobs
from invsim.challenges.models import Challenge, Participant
from tests.service.challenges.support import END, START, count, sign_in


def _body(**fields):
    return {"name": "Club cup", "starts_at": START.isoformat(), "ends_at": END.isoformat(),
            **fields}


def _create(client, headers, **fields):
    response = client.post("/api/v1/challenges", json=_body(**fields), headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_challenges_require_authentication(client, clock):
    assert client.get("/api/v1/challenges").status_code == 401
    assert client.get("/api/v1/leaderboard").status_code == 401


@pytest.mark.parametrize(("fields", "code"), [
    ({"starts_at": "2025-03-04T16:00:00"}, "validation_error"),  # no time zone
    ({"starting_cash": "1e5"}, "validation_error"),  # exponent notation
    ({"starting_cash": "10.00"}, "invalid_starting_cash"),
    ({"ends_at": START.isoformat()}, "invalid_schedule"),
    ({"rules": {"allow_short": True}}, "invalid_rules"),
    ({"rules": {"ranking_metric": "sharpe", "max_drawdown_limit": "0.2"}}, "validation_error"),
    ({"rules": {"allowed_order_types": ["teleport"]}}, "validation_error"),
    ({"surprise": 1}, "validation_error"),
])
def test_invalid_challenges_are_refused_with_422_and_nothing_written(client, clock, fields, code):
    headers = sign_in(client, clock)
    response = client.post("/api/v1/challenges", json=_body(**fields), headers=headers)
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["error"]["code"] == code
    assert count(Challenge) == 0


def test_created_challenge_carries_amounts_as_strings_and_its_rules(client, clock):
    headers = sign_in(client, clock)
    created = _create(client, headers, starting_cash="25000.5", rules={
        "ranking_metric": "return_with_drawdown_limit", "max_drawdown_limit": "0.25",
        "commission": {"kind": "per_trade", "amount": "1.00"}, "min_share_price": "5"})
    assert created["starting_cash"] == "25000.50"
    assert created["rules"]["max_drawdown_limit"] == "0.25"
    assert created["visibility"] == "public" and created["invite_code"] is None
    assert created["is_owner"] and created["member_count"] == 0


def test_listing_filters_and_pages(client, clock):
    alice, bob = sign_in(client, clock), sign_in(client, clock)
    _create(client, alice, name="Alpha league")
    _create(client, bob, name="Beta league", visibility="private")
    listed = client.get("/api/v1/challenges?limit=1", headers=alice).get_json()
    assert listed["total"] == 1 and listed["items"][0]["name"] == "Alpha league"
    mine = client.get("/api/v1/challenges?scope=mine", headers=bob).get_json()
    assert [c["name"] for c in mine["items"]] == ["Beta league"]
    found = client.get("/api/v1/challenges?q=alpha&status=upcoming", headers=bob).get_json()
    assert [c["name"] for c in found["items"]] == ["Alpha league"]
    assert client.get("/api/v1/challenges?status=later", headers=bob).status_code == 422


def test_abuse_cases_answer_the_right_code_and_write_nothing(client, clock):
    owner, player, stranger = (sign_in(client, clock) for _ in range(3))
    private = _create(client, owner, visibility="private")
    cid = private["id"]
    url = f"/api/v1/challenges/{cid}"
    assert client.post(f"{url}/join", json={"invite_code": "guess"},
                       headers=stranger).status_code == 404
    assert client.patch(url, json={"name": "x"}, headers=stranger).status_code == 404
    assert client.post(f"{url}/invite-code", headers=stranger).status_code == 404
    client.post(f"{url}/join", json={"invite_code": private["invite_code"]}, headers=player)
    assert client.patch(url, json={"name": "x"}, headers=player).status_code == 403
    assert client.post(f"{url}/invite-code", headers=player).status_code == 403
    before = (count(Challenge), count(Participant))
    twice = client.post(f"{url}/join", json={"invite_code": private["invite_code"]},
                        headers=player)
    assert twice.status_code == 409 and (count(Challenge), count(Participant)) == before
    clock.set(START)
    late = client.post(f"{url}/join", json={"invite_code": private["invite_code"]},
                       headers=stranger)
    assert late.status_code == 409 and late.get_json()["error"]["code"] == "late_entry_closed"
    leave = client.post(f"{url}/leave", headers=player)
    assert leave.status_code == 409 and leave.get_json()["error"]["code"] == "challenge_started"
    core = client.patch(url, json={"rules": {"allow_short": False}}, headers=owner)
    assert core.status_code == 409 and core.get_json()["error"]["details"]["fields"] == ["rules"]
    assert client.patch(url, json={"description": "Go!"}, headers=owner).status_code == 200
    assert count(Participant) == 1


def test_owner_rotates_the_invite_code(client, clock):
    owner = sign_in(client, clock)
    private = _create(client, owner, visibility="private")
    rotated = client.post(f"/api/v1/challenges/{private['id']}/invite-code", headers=owner)
    assert rotated.status_code == 200
    assert rotated.get_json()["invite_code"] not in (None, private["invite_code"])
    public = _create(client, owner)
    refused = client.post(f"/api/v1/challenges/{public['id']}/invite-code", headers=owner)
    assert refused.status_code == 409


def test_an_invite_link_names_its_challenge_without_a_token(client, clock):
    owner = sign_in(client, clock)
    private = _create(client, owner, name="Friends cup", visibility="private")
    url = f"/api/v1/challenges/{private['id']}/invitation"
    shown = client.get(f"{url}?invite_code={private['invite_code']}")
    assert shown.status_code == 200, shown.get_json()
    assert shown.get_json() == {"id": private["id"], "name": "Friends cup", "status": "upcoming",
                                "starts_at": private["starts_at"], "ends_at": private["ends_at"]}
    for wrong in ("", "?invite_code=guess"):
        refused = client.get(f"{url}{wrong}")
        assert refused.status_code == 404
        assert refused.get_json()["error"]["code"] == "challenge_not_found"
    assert client.get("/api/v1/challenges/999999/invitation?invite_code=x").status_code == 404
    public = _create(client, owner, name="Open league")
    assert client.get(f"/api/v1/challenges/{public['id']}/invitation").get_json()["name"] == "Open league"


def test_leaving_before_the_start_frees_the_place(client, clock):
    owner, player = sign_in(client, clock), sign_in(client, clock)
    cid = _create(client, owner)["id"]
    client.post(f"/api/v1/challenges/{cid}/join", json={}, headers=player)
    assert client.post(f"/api/v1/challenges/{cid}/leave", headers=player).status_code == 204
    assert client.post(f"/api/v1/challenges/{cid}/leave", headers=player).status_code == 404
    assert client.post(f"/api/v1/challenges/{cid}/join", json={}, headers=player).status_code == 200


def test_rank_history_of_a_non_player_is_not_found(client, clock):
    owner = sign_in(client, clock)
    cid = _create(client, owner)["id"]
    response = client.get(f"/api/v1/challenges/{cid}/rank-history", headers=owner)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "participant_not_found"


def test_global_leaderboard_lists_public_players_and_main_portfolios(client, clock):
    owner, player = sign_in(client, clock), sign_in(client, clock)
    cid = _create(client, owner)["id"]
    client.post(f"/api/v1/challenges/{cid}/join", json={}, headers=player)
    client.post("/api/v1/portfolios", json={"name": "Main"}, headers=owner)
    clock.set(START + timedelta(minutes=1))
    jobs.open_started()
    jobs.refresh_standings()
    jobs.refresh_global_leaderboard()
    board = client.get("/api/v1/leaderboard?period=30d", headers=owner)
    assert board.status_code == 200, board.get_json()
    body = board.get_json()
    assert [e["challenge_id"] for e in body["challenges"]] == [cid]
    assert len(body["portfolios"]) == 1 and body["portfolios"][0]["return_pct"] == "0"
    assert client.get("/api/v1/leaderboard?period=7d", headers=owner).status_code == 422


def test_every_challenge_endpoint_documents_its_statuses(client, clock):
    spec = client.get("/api/v1/openapi.json").get_json()
    paths = {p: ops for p, ops in spec["paths"].items()
             if p.startswith("/api/v1/challenges") or p == "/api/v1/leaderboard"}
    assert len(paths) == 10
    for ops in paths.values():
        for op in ops.values():
            # The invite link's preview is the one answered without a token.
            assert "401" in op["responses"] or op["summary"] == "What an invite link names, before sign-in"
            assert {"404", "422", "409", "403"} & set(op["responses"]) or op["operationId"] in {
                "challenges_list_challenges", "challenges_create_challenge"}
