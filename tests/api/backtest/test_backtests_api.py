"""The backtest endpoints: a run through the job, its result and provenance, isolation, paging."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from invsim.backtest import ENGINE_VERSION
from invsim.backtest.bars import OHLCV, BarSeries, align
from invsim.backtest.broker import BrokerConfig
from invsim.backtest.engine import RunSpec, run
from invsim.backtest.strategies import BUILTINS
from invsim.market import service as market
from invsim.trading.engine.costs import CommissionModel
from invsim.trading.engine.rules import TradingRules
from tests.api.backtest.conftest import SMA, submit, wait_for


def engine_result(symbol, start, end, params, rules=None, cash=Decimal(10000)):
    """Run the engine directly on the market's daily bars (what the API should reproduce)."""
    page = market.get_bars(symbol, "1d", datetime.fromisoformat(start).replace(tzinfo=UTC),
                           datetime.fromisoformat(end).replace(hour=23, tzinfo=UTC), limit=5000)
    series = BarSeries(symbol, tuple(OHLCV(b.start, b.open, b.high, b.low, b.close,
                                           Decimal(b.volume)) for b in page.bars))
    spec = RunSpec(BUILTINS["sma_cross"], params,
                   BrokerConfig(cash=cash, rules=rules or TradingRules()))
    return run(spec, align([series]))


def test_a_run_is_queued_then_done_with_the_engines_figures(client, headers):
    response = submit(client, headers, commission=Decimal("0.002"))
    assert response.status_code == 202, response.get_json()
    queued = response.get_json()
    assert queued["status"] in ("queued", "running", "done") and queued["kind"] == "run"
    body = wait_for(client, headers, queued["id"])
    assert body["status"] == "done", body["error"]
    assert body["progress"] == 100 and body["started_at"] and body["finished_at"]
    expected = engine_result("AAPL", "2024-01-01", "2024-12-31", {"fast": 5, "slow": 20},
                             TradingRules(commission=CommissionModel.percent(Decimal("0.2"))))
    summary = body["summary"]
    assert summary["final_equity"] == str(expected.final_equity)
    assert summary["trades"] == expected.stats.trades > 0
    assert Decimal(summary["commission"]) == expected.commission > 0
    result = body["result"]
    assert len(result["dates"]) == len(result["equity"]) == len(result["drawdown"]) \
        == len(result["benchmark"]) == 366
    assert result["equity"][-1] == summary["final_equity"]
    assert all(d <= 0 for d in result["drawdown"])
    assert len(result["fills"]) == summary["fills"] and result["fills"][0]["rules"]
    assert result["trades"][0]["symbol"] == "AAPL"


def test_provenance_names_the_data_the_seed_the_strategy_and_the_engine(client, headers):
    run_id = submit(client, headers).get_json()["id"]
    body = wait_for(client, headers, run_id)
    prov = body["provenance"]
    assert prov["source"] == "simulated" and prov["market_seed"] == 20240101
    assert (prov["start"], prov["end"], prov["symbols"]) == ("2024-01-01", "2024-12-31",
                                                             ["AAPL"])
    assert prov["strategy"] == "sma_cross" and prov["engine_version"] == ENGINE_VERSION
    # defaults are recorded too, so the run can be repeated exactly
    assert prov["params"] == {"fast": 5, "slow": 20, "long_short": False, "fraction": "1"}
    assert prov["account"]["cash"] == "10000" and prov["account"]["account_type"] == "cash"


def test_the_same_request_gives_the_same_result(client, headers):
    first = wait_for(client, headers, submit(client, headers).get_json()["id"])
    second = wait_for(client, headers, submit(client, headers).get_json()["id"])
    assert first["result"] == second["result"] and first["summary"] == second["summary"]


def test_allow_short_runs_a_margin_account_that_goes_short(client, headers):
    params = {"fast": 5, "slow": 20, "long_short": True}
    body = wait_for(client, headers, submit(client, headers, params=params,
                                            allow_short=True).get_json()["id"])
    assert body["status"] == "done", body["error"]
    assert body["provenance"]["account"]["account_type"] == "margin"
    assert {t["direction"] for t in body["result"]["trades"]} == {"long", "short"}


def test_list_is_newest_first_with_summaries_only_and_pages(client, headers):
    ids = [submit(client, headers).get_json()["id"] for _ in range(2)]
    for run_id in ids:
        wait_for(client, headers, run_id)
    ids.append(submit(client, headers, strategy="buy_and_hold", params={}).get_json()["id"])
    wait_for(client, headers, ids[-1])
    page = client.get("/api/v1/backtests?limit=2", headers=headers).get_json()
    assert page["total"] == 3 and [r["id"] for r in page["runs"]] == ids[::-1][:2]
    assert "result" not in page["runs"][0] and page["runs"][0]["summary"]["trades"] >= 0
    rest = client.get("/api/v1/backtests?limit=2&offset=2", headers=headers).get_json()
    assert [r["id"] for r in rest["runs"]] == [ids[0]]


def test_compare_puts_runs_side_by_side_in_the_order_asked(client, headers):
    a = wait_for(client, headers, submit(client, headers).get_json()["id"])
    b = wait_for(client, headers, submit(client, headers, strategy="buy_and_hold",
                                         params={}).get_json()["id"])
    body = client.get(f"/api/v1/backtests/compare?ids={b['id']},{a['id']}",
                      headers=headers).get_json()
    assert [r["id"] for r in body["runs"]] == [b["id"], a["id"]]
    assert [r["strategy"] for r in body["runs"]] == ["buy_and_hold", "sma_cross"]
    assert {"final_equity", "sharpe", "max_drawdown", "trades"} <= set(body["metrics"])


def test_delete_removes_the_run(client, headers):
    run_id = submit(client, headers).get_json()["id"]
    wait_for(client, headers, run_id)
    assert client.delete(f"/api/v1/backtests/{run_id}", headers=headers).status_code == 204
    assert client.get(f"/api/v1/backtests/{run_id}", headers=headers).status_code == 404
    assert client.get("/api/v1/backtests", headers=headers).get_json()["total"] == 0


def test_another_users_run_is_not_found(client, headers, stranger):
    run_id = submit(client, headers).get_json()["id"]
    wait_for(client, headers, run_id)
    for response in (client.get(f"/api/v1/backtests/{run_id}", headers=stranger),
                     client.delete(f"/api/v1/backtests/{run_id}", headers=stranger),
                     client.get(f"/api/v1/backtests/compare?ids={run_id}", headers=stranger)):
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "backtest_not_found"
    assert client.get("/api/v1/backtests", headers=stranger).get_json()["total"] == 0
    assert client.get(f"/api/v1/backtests/{run_id}", headers=headers).status_code == 200


def test_a_token_is_required(client):
    for method, path in (("get", "/api/v1/backtests"), ("post", "/api/v1/backtests"),
                         ("get", "/api/v1/backtests/1"), ("delete", "/api/v1/backtests/1"),
                         ("get", "/api/v1/backtests/strategies"),
                         ("get", "/api/v1/backtests/compare?ids=1")):
        assert getattr(client, method)(path).status_code == 401, path


def test_strategies_lists_every_builtin_with_its_parameters(client, headers):
    body = client.get("/api/v1/backtests/strategies", headers=headers).get_json()
    by_name = {s["name"]: s for s in body["strategies"]}
    assert set(by_name) == set(BUILTINS)
    fast = next(p for p in by_name["sma_cross"]["params"] if p["name"] == "fast")
    assert (fast["type"], fast["default"], fast["minimum"], fast["maximum"]) == ("int", 10, 1,
                                                                                 500)
    assert body["limits"] == {"concurrent": 2, "daily": 50, "symbols": 100}
    assert all(s["summary"] for s in body["strategies"])


def test_a_request_body_echoes_what_was_asked(client, headers):
    body = submit(client, headers).get_json()
    assert body["request"]["strategy"] == SMA["strategy"]
    assert body["symbols"] == ["AAPL"] and body["strategy"] == "sma_cross"
    wait_for(client, headers, body["id"])


def test_a_sweep_ranks_the_grid_keeps_a_heatmap_and_runs_the_best(client, headers):
    sweep = {"space": {"fast": "5:15:5", "slow": [20, 30]}, "metric": "total_return"}
    response = submit(client, headers, sweep=sweep)
    assert response.status_code == 202, response.get_json()
    body = wait_for(client, headers, response.get_json()["id"])
    assert body["status"] == "done", body["error"] and body["kind"] == "sweep"
    result, summary = body["result"], body["summary"]
    assert summary["combinations"] == 6 and summary["evaluated"] == 6
    returns = [row["summary"]["total_return"] for row in result["rows"]]
    assert returns == sorted(returns, reverse=True)
    best = result["rows"][0]["params"]
    assert summary["best_params"] == best
    heatmap = result["heatmap"]
    assert (heatmap["x"], heatmap["y"]) == ([5, 10, 15], [20, 30])
    assert heatmap["values"][[20, 30].index(best["slow"])][[5, 10, 15].index(best["fast"])] \
        == returns[0]
    # the best row is an engine run: its curves are stored and end at its final equity
    direct = engine_result("AAPL", "2024-01-01", "2024-12-31",
                           {"fast": best["fast"], "slow": best["slow"]})
    assert summary["final_equity"] == str(direct.final_equity)
    assert result["best_run"]["equity"][-1] == str(direct.final_equity)


def test_fixed_parameters_hold_while_others_are_swept(client, headers):
    sweep = {"space": {"fast": [5, 10]}, "metric": "sharpe"}
    body = wait_for(client, headers, submit(client, headers, params={"slow": 40},
                                            sweep=sweep).get_json()["id"])
    assert body["status"] == "done", body["error"]
    assert {row["params"]["slow"] for row in body["result"]["rows"]} == {40}
    assert body["result"]["heatmap"] is None


def test_a_walk_forward_reports_in_and_out_of_sample_per_window(client, headers):
    body = wait_for(client, headers, submit(
        client, headers, sweep={"space": {"fast": [5, 10], "slow": [20, 40]}},
        walk_forward={"train_bars": 120, "test_bars": 60}).get_json()["id"])
    assert body["status"] == "done", body["error"] and body["kind"] == "walk_forward"
    windows = body["result"]["windows"]
    # 366 bars: train 0–119 then test 120–179, 180–239, 240–299, 300–359
    assert [w["test"]["bars"] for w in windows] == [60, 60, 60, 60]
    assert windows[1]["train"]["start"][:10] == "2024-03-01"
    for window in windows:
        assert set(window["best_params"]) >= {"fast", "slow"}
        assert {"in_sample_metric", "out_of_sample_metric", "held"} <= set(window)
    summary = body["summary"]
    assert summary["windows"] == 4 and summary["warning"] == body["result"]["warning"]
    assert summary["in_sample_mean"] == body["result"]["aggregate"]["in_sample_mean"]
