"""Bots in challenges: a rule allows API keys, and the leaderboard marks who trades by key."""

from __future__ import annotations

from datetime import timedelta

from invsim.challenges import jobs

# The challenges' clock: it also gives the test an empty store and leaderboard page cache,
# so a page cached by an earlier test of the same worker cannot answer for this one.
from tests.service.challenges.support import END, START, clock  # noqa: F401, F811
from tests.service.trading.support import sign_in


def _challenge(client, headers, **rules):
    body = {"name": "Bot league", "visibility": "public", "starts_at": START.isoformat(),
            "ends_at": END.isoformat(), "starting_cash": "50000.00", "rules": rules}
    response = client.post("/api/v1/challenges", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _portfolio(client, headers, challenge_id):
    return client.get(f"/api/v1/challenges/{challenge_id}", headers=headers).get_json()[
        "portfolio_id"]


def test_keys_trade_a_challenge_that_allows_bots_and_the_board_marks_them(client, clock):  # noqa: F811
    robot, human = sign_in(client, clock), sign_in(client, clock)
    cid = _challenge(client, robot, allow_api_trading=True)
    for player in (robot, human):
        assert client.post(f"/api/v1/challenges/{cid}/join", json={},
                           headers=player).status_code == 200
    clock.set(START + timedelta(minutes=1))
    jobs.open_started()
    robot_pid, human_pid = _portfolio(client, robot, cid), _portfolio(client, human, cid)
    key = client.post(f"/api/v1/portfolios/{robot_pid}/api-keys", json={"name": "bot"},
                      headers=robot).get_json()
    headers = {"APCA-API-KEY-ID": key["key_id"], "APCA-API-SECRET-KEY": key["secret"]}
    placed = client.post("/alpaca/v2/orders", headers=headers,
                         json={"symbol": "AAPL", "side": "buy", "type": "market", "qty": "5",
                               "time_in_force": "day"})
    assert placed.status_code == 200 and placed.get_json()["source"] == "api"
    by_hand = client.post(f"/api/v1/portfolios/{human_pid}/orders", headers=human,
                          json={"symbol": "MSFT", "side": "buy", "type": "market", "qty": "1"})
    assert by_hand.status_code == 201
    jobs.refresh_standings()
    board = client.get(f"/api/v1/challenges/{cid}/leaderboard", headers=human).get_json()
    marks = {row["is_me"]: row["api_trading"] for row in board["items"]}
    assert marks == {True: False, False: True}
    assert board["me"]["api_trading"] is False


def test_a_challenge_that_forbids_bots_has_no_keys_and_refuses_old_ones(client, clock):  # noqa: F811
    player = sign_in(client, clock)
    cid = _challenge(client, player)  # allow_api_trading defaults to false
    client.post(f"/api/v1/challenges/{cid}/join", json={}, headers=player)
    clock.set(START + timedelta(minutes=1))
    jobs.open_started()
    pid = _portfolio(client, player, cid)
    refused = client.post(f"/api/v1/portfolios/{pid}/api-keys", json={"name": "bot"},
                          headers=player)
    assert (refused.status_code, refused.get_json()["error"]["code"]) == (
        403, "api_trading_not_allowed")
