"""Live-strategy endpoints: attach, list, pause/resume, stop; isolation, validation, limits.

Also the strategy challenge: its portfolios take only its strategy, with its fixed
parameters, and refuse orders placed by hand; the leaderboard marks strategy players.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from invsim.backtest import live
from invsim.backtest.live_models import LiveStrategy
from invsim.challenges import jobs
from invsim.extensions import db
from tests.service.challenges.support import END, START, sign_in

BODY = {"strategy": "sma_cross", "params": {"fast": 5, "slow": 20}, "symbols": ["AAPL"]}


def _portfolio(client: Any, headers: dict[str, str]) -> int:
    response = client.post("/api/v1/portfolios", json={"name": "Algo"}, headers=headers)
    assert response.status_code == 201, response.get_json()
    return int(response.get_json()["id"])


def _url(pid: int, suffix: str = "") -> str:
    return f"/api/v1/portfolios/{pid}/live-strategies{suffix}"


def _rows() -> int:
    db.session.expire_all()
    found = int(db.session.scalar(select(func.count(LiveStrategy.id))) or 0)
    db.end_read()
    return found


def test_attach_answers_201_with_the_interface_shape_and_lists_it(client, clock):
    headers = sign_in(client, clock)
    pid = _portfolio(client, headers)
    created = client.post(_url(pid), json=BODY, headers=headers)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert {"id", "strategy", "params", "symbols", "status", "created_at",
            "last_run_at"} <= set(body)
    assert (body["strategy"], body["symbols"], body["status"]) == ("sma_cross", ["AAPL"],
                                                                  "active")
    assert body["params"] == {"fast": 5, "slow": 20, "long_short": False, "fraction": "1"}
    listed = client.get(_url(pid), headers=headers).get_json()["items"]
    assert [item["id"] for item in listed] == [body["id"]]


def test_numbers_and_weights_keep_their_exact_values(client, clock):
    headers = sign_in(client, clock)
    pid = _portfolio(client, headers)
    exact = client.post(_url(pid), headers=headers, json={
        "strategy": "rebalance", "params": {"weights": {"SPY": 0.6, "TLT": 0.3}},
        "symbols": ["SPY", "TLT"]})
    assert exact.status_code == 201, exact.get_json()
    assert exact.get_json()["params"]["weights"] == {"SPY": "0.6", "TLT": "0.3"}
    fraction = client.post(_url(pid), headers=headers, json={**BODY, "params": {
        "fast": 5, "slow": 20, "fraction": 0.1}})
    assert fraction.get_json()["params"]["fraction"] == "0.1"


@pytest.mark.parametrize(("body", "status", "code"), [
    ({**BODY, "strategy": "teleport"}, 422, "unknown_strategy"),
    ({**BODY, "params": {"fast": 30, "slow": 20}}, 422, "invalid_params"),
    ({**BODY, "params": {"fast": 0}}, 422, "invalid_params"),
    ({**BODY, "params": {"speed": 3}}, 422, "invalid_params"),
    ({**BODY, "symbols": ["NOPE"]}, 422, "unknown_symbol"),
    ({**BODY, "symbols": []}, 422, "validation_error"),
    ({"strategy": "momentum", "params": {"top_n": 2}, "symbols": ["AAPL", "MSFT"]}, 422,
     "invalid_params"),
    ({**BODY, "surprise": 1}, 422, "validation_error"),
])
def test_bad_input_is_a_4xx_in_the_one_error_shape_and_writes_nothing(client, clock, body,
                                                                        status, code):
    headers = sign_in(client, clock)
    pid = _portfolio(client, headers)
    response = client.post(_url(pid), json=body, headers=headers)
    assert response.status_code == status, response.get_json()
    assert response.get_json()["error"]["code"] == code
    assert _rows() == 0


def test_another_users_portfolio_and_strategy_are_404(client, clock):
    alice, mallory = sign_in(client, clock), sign_in(client, clock)
    pid = _portfolio(client, alice)
    live_id = client.post(_url(pid), json=BODY, headers=alice).get_json()["id"]
    assert client.post(_url(pid), json=BODY, headers=mallory).status_code == 404
    assert client.get(_url(pid), headers=mallory).status_code == 404
    assert client.post(_url(pid, f"/{live_id}/pause"), headers=mallory).status_code == 404
    assert client.delete(_url(pid, f"/{live_id}"), headers=mallory).status_code == 404
    assert client.get(_url(pid), headers=alice).get_json()["items"][0]["status"] == "active"
    assert client.get(_url(pid)).status_code == 401


def test_pause_resume_and_stop_follow_the_transitions(client, clock):
    headers = sign_in(client, clock)
    pid = _portfolio(client, headers)
    live_id = client.post(_url(pid), json=BODY, headers=headers).get_json()["id"]
    paused = client.post(_url(pid, f"/{live_id}/pause"), headers=headers)
    assert paused.status_code == 200 and paused.get_json()["status"] == "paused"
    resumed = client.post(_url(pid, f"/{live_id}/resume"), headers=headers)
    assert resumed.get_json()["status"] == "active"
    assert client.delete(_url(pid, f"/{live_id}"), headers=headers).status_code == 204
    again = client.post(_url(pid, f"/{live_id}/resume"), headers=headers)
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "invalid_live_strategy_transition"
    assert client.get(_url(pid), headers=headers).get_json()["items"][0]["status"] == "stopped"


def test_a_portfolio_runs_at_most_five_active_strategies(client, clock):
    headers = sign_in(client, clock)
    pid = _portfolio(client, headers)
    for _ in range(5):
        assert client.post(_url(pid), json=BODY, headers=headers).status_code == 201
    refused = client.post(_url(pid), json=BODY, headers=headers)
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "too_many_live_strategies"
    assert refused.get_json()["error"]["details"]["limit"] == 5
    assert _rows() == 5


def _challenge(client: Any, owner: dict[str, str], rules: dict[str, Any]) -> int:
    body = {"name": "Algo cup", "starts_at": START.isoformat(), "ends_at": END.isoformat(),
            "rules": rules}
    response = client.post("/api/v1/challenges", json=body, headers=owner)
    assert response.status_code == 201, response.get_json()
    return int(response.get_json()["id"])


def _joined_portfolio(client: Any, clock: Any, cid: int, player: dict[str, str]) -> int:
    assert client.post(f"/api/v1/challenges/{cid}/join", json={}, headers=player).status_code \
        == 200
    clock.set(START + timedelta(minutes=1))
    jobs.open_started()
    listed = client.get("/api/v1/portfolios", headers=player).get_json()["items"]
    return int(next(p["id"] for p in listed if p["challenge_id"] == cid))


def test_a_challenge_refuses_live_strategies_unless_its_rules_allow_them(client, clock):
    owner, player = sign_in(client, clock), sign_in(client, clock)
    cid = _challenge(client, owner, {})
    pid = _joined_portfolio(client, clock, cid, player)
    refused = client.post(_url(pid), json=BODY, headers=player)
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "strategies_not_allowed"


def test_a_strategy_challenge_takes_only_its_strategy_with_its_fixed_params(client, clock):
    owner, player = sign_in(client, clock), sign_in(client, clock)
    cid = _challenge(client, owner, {"strategy": {"name": "sma_cross", "params": {"slow": 30}}})
    pid = _joined_portfolio(client, clock, cid, player)
    other = client.post(_url(pid), json={**BODY, "strategy": "rsi_reversion", "params": {}},
                        headers=player)
    assert other.status_code == 403
    assert other.get_json()["error"]["code"] == "strategy_not_allowed"
    fixed = client.post(_url(pid), json={**BODY, "params": {"fast": 5, "slow": 40}},
                        headers=player)
    assert fixed.status_code == 403
    assert fixed.get_json()["error"]["code"] == "strategy_params_fixed"
    assert _rows() == 0
    attached = client.post(_url(pid), json={**BODY, "params": {"fast": 7}}, headers=player)
    assert attached.status_code == 201, attached.get_json()
    assert attached.get_json()["params"]["slow"] == 30
    manual = client.post(f"/api/v1/portfolios/{pid}/orders", headers=player, json={
        "symbol": "AAPL", "side": "buy", "type": "market", "time_in_force": "day", "qty": "1"})
    assert manual.status_code == 422
    assert manual.get_json()["error"]["code"] == "manual_trading_not_allowed"


def test_a_strategy_challenge_with_an_unknown_strategy_is_refused(client, clock):
    owner = sign_in(client, clock)
    body = {"name": "Bad", "starts_at": START.isoformat(), "ends_at": END.isoformat(),
            "rules": {"strategy": {"name": "teleport"}}}
    response = client.post("/api/v1/challenges", json=body, headers=owner)
    assert response.status_code == 422


def test_the_leaderboard_marks_players_whose_live_strategy_traded(client, clock):
    owner, player = sign_in(client, clock), sign_in(client, clock)
    cid = _challenge(client, owner, {"strategy": {"name": "buy_and_hold"}})
    pid = _joined_portfolio(client, clock, cid, player)
    assert client.post(_url(pid), json={"strategy": "buy_and_hold", "symbols": ["AAPL"]},
                       headers=player).status_code == 201
    # The always-open test calendar: yesterday's bar is complete, the market trades now.
    report = live.run_live_strategies()
    assert (report.placed, report.errors) == (1, [])
    board = client.get(f"/api/v1/challenges/{cid}/leaderboard", headers=player).get_json()
    [row] = board["items"]
    assert row["strategy_trading"] is True and row["api_trading"] is False
