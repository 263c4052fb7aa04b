"""The issue's story over HTTP: a private challenge from invitation to frozen final standings."""

from __future__ import annotations

from datetime import timedelta

from invsim.challenges import jobs
from tests.service.challenges.support import END, START, sign_in

RULES = {"allowed_order_types": ["market", "limit"], "max_trades_per_day": 5,
         "positions_visible": False, "ranking_metric": "total_return"}


def _create(client, headers, **fields):
    body = {"name": "Class of 2025", "visibility": "private", "starts_at": START.isoformat(),
            "ends_at": END.isoformat(), "starting_cash": "50000.00", "rules": RULES, **fields}
    response = client.post("/api/v1/challenges", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _order(client, headers, portfolio_id, **terms):
    body = {"symbol": "AAPL", "side": "buy", "type": "market", "qty": "10", **terms}
    return client.post(f"/api/v1/portfolios/{portfolio_id}/orders", json=body, headers=headers)


def test_two_players_compete_in_a_private_challenge_and_see_frozen_final_standings(client, clock):
    alice, bob = sign_in(client, clock), sign_in(client, clock)
    created = _create(client, alice)
    cid, code = created["id"], created["invite_code"]
    assert created["status"] == "upcoming" and created["starting_cash"] == "50000.00"
    assert code and len(code) >= 16

    assert client.get(f"/api/v1/challenges/{cid}", headers=bob).status_code == 404
    preview = client.get(f"/api/v1/challenges/{cid}?invite_code={code}", headers=bob)
    assert preview.status_code == 200 and preview.get_json()["invite_code"] is None
    assert client.post(f"/api/v1/challenges/{cid}/join", json={}, headers=bob).status_code == 404
    joined = client.post(f"/api/v1/challenges/{cid}/join", json={"invite_code": code},
                         headers=bob)
    assert joined.status_code == 200 and joined.get_json()["joined"] is True
    again = client.post(f"/api/v1/challenges/{cid}/join", json={"invite_code": code},
                        headers=bob)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_joined"
    assert client.post(f"/api/v1/challenges/{cid}/join", json={}, headers=alice).status_code == 200
    assert joined.get_json()["portfolio_id"] is None  # nothing to trade before the start

    clock.set(START + timedelta(minutes=1))
    bob_view = client.get(f"/api/v1/challenges/{cid}", headers=bob).get_json()
    assert bob_view["status"] == "active" and bob_view["member_count"] == 2
    jobs.open_started()
    alice_pid = client.get(f"/api/v1/challenges/{cid}", headers=alice).get_json()["portfolio_id"]
    bob_pid = bob_view["portfolio_id"]
    bought = _order(client, bob, bob_pid, qty="100")
    assert bought.status_code == 201, bought.get_json()
    stop = _order(client, bob, bob_pid, type="stop", stop_price="1.00", side="sell")
    assert stop.status_code == 422
    assert stop.get_json()["error"]["code"] == "order_type_not_allowed"
    assert _order(client, alice, alice_pid, symbol="MSFT", qty="1").status_code == 201

    locked = client.patch(f"/api/v1/challenges/{cid}", json={"starting_cash": "1000000.00"},
                          headers=alice)
    assert locked.status_code == 409
    assert locked.get_json()["error"]["code"] == "challenge_rules_locked"
    hidden = client.get(f"/api/v1/challenges/{cid}/participants/{_user_id(client, bob)}",
                        headers=alice)
    assert hidden.status_code == 403 and hidden.get_json()["error"]["code"] == "holdings_hidden"
    own = client.get(f"/api/v1/challenges/{cid}/participants/{_user_id(client, bob)}",
                     headers=bob).get_json()
    assert own["positions"][0]["symbol"] == "AAPL" and own["trades"][0]["qty"] == "100"

    ranks = []
    for _ in range(6):
        jobs.refresh_standings()
        board = client.get(f"/api/v1/challenges/{cid}/leaderboard?limit=1", headers=alice)
        body = board.get_json()
        assert board.status_code == 200 and body["total"] == 2 and len(body["items"]) == 1
        assert body["me"]["is_me"] and isinstance(body["me"]["equity"], str)
        ranks.append(body["me"]["rank"])
        clock.advance(hours=3)
    history = client.get(f"/api/v1/challenges/{cid}/rank-history", headers=bob).get_json()
    assert len(history["timestamp"]) == 6 and set(history["rank"]) <= {1, 2}
    assert history["equity"][0] != history["equity"][-1]  # bob's equity moved with AAPL

    clock.set(END + timedelta(minutes=7))
    jobs.close_finished()
    final = client.get(f"/api/v1/challenges/{cid}/leaderboard", headers=bob).get_json()
    assert final["final"] is True and final["computed_at"].startswith(END.isoformat()[:19])
    assert sorted(r["rank"] for r in final["items"]) == [1, 2]
    assert _order(client, bob, bob_pid).status_code == 404  # archived: no order after the end

    clock.advance(days=2)
    jobs.close_finished()
    jobs.refresh_standings()
    later = client.get(f"/api/v1/challenges/{cid}/leaderboard", headers=bob).get_json()
    assert later["items"] == final["items"] and later["computed_at"] == final["computed_at"]
    finished = client.get(f"/api/v1/challenges/{cid}", headers=bob).get_json()
    assert finished["status"] == "finished" and finished["finalized_at"] is not None


def _user_id(client, headers):
    return client.get("/api/v1/me", headers=headers).get_json()["id"]
