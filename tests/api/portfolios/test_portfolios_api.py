"""The portfolios API: open, list, read, rename, delete, reset, positions."""

import pytest

from tests.service.trading.support import D


def test_open_a_portfolio_with_rules_and_read_its_summary(api):
    created = api.portfolio(name="Margin", starting_cash="25000.00",
                            rules={"account_type": "margin", "allow_short": True,
                                   "commission": {"kind": "per_trade", "amount": "1.00"}})
    assert (created["starting_cash"], created["cash"], created["buying_power"]) == (
        "25000.00", "25000.00", "50000.00")
    assert created["rules"]["commission"] == {"kind": "per_trade", "amount": "1.00",
                                              "rate": "0", "minimum": "0"}
    for field in ("equity", "long_market_value", "short_market_value", "day_pl", "day_pl_pct",
                  "total_pl", "total_pl_pct", "created_at"):
        assert field in created
    listed = api.get("/portfolios").get_json()["items"]
    assert [p["id"] for p in listed] == [created["id"]]


@pytest.mark.parametrize("body", [
    {"name": "x", "starting_cash": "999.99"},
    {"name": "x", "starting_cash": "10000000.01"},
    {"name": "x", "starting_cash": "NaN"},
    {"name": "x", "starting_cash": "1e6"},
    {"name": ""},
    {"name": "x", "rules": {"allow_short": True}},
    {"name": "x", "rules": {"max_volume_share": "2"}},
    {"name": "x", "colour": "red"},
])
def test_bad_portfolio_input_is_422(api, body):
    response = api.post("/portfolios", body)
    assert response.status_code == 422, response.get_json()
    assert api.get("/portfolios").get_json()["items"] == []


def test_rename_and_delete(api):
    pid = api.portfolio()["id"]
    assert api.patch(f"/portfolios/{pid}", {"name": "Renamed"}).get_json()["name"] == "Renamed"
    assert api.delete(f"/portfolios/{pid}").status_code == 204
    assert api.get(f"/portfolios/{pid}").status_code == 404
    assert api.get("/portfolios").get_json()["items"] == []


def test_reset_over_http_and_refused_reset(api):
    pid = api.portfolio()["id"]
    api.order(pid, qty="3")
    reset = api.post(f"/portfolios/{pid}/reset")
    assert reset.status_code == 200
    body = reset.get_json()
    assert (body["cash"], body["equity"], body["generation"], body["positions"]) == (
        "100000.00", "100000.00", 1, 0)
    assert api.get(f"/portfolios/{pid}/positions").get_json()["items"] == []
    assert api.get(f"/portfolios/{pid}/activities").get_json()["items"] == []
    before = api.get(f"/portfolios/{pid}/activities?generation=0").get_json()["items"]
    assert sorted(a["activity_type"] for a in before) == ["fill", "reset"]
    assert "reset" in api.get(f"/portfolios/{pid}/activities.csv?generation=0").get_data(
        as_text=True)
    locked = api.portfolio(rules={"allow_reset": False})["id"]
    refused = api.post(f"/portfolios/{locked}/reset")
    assert (refused.status_code, refused.get_json()["error"]["code"]) == (
        403, "reset_not_allowed")


def test_positions_show_alpaca_fields_as_strings(api):
    pid = api.portfolio(rules={"account_type": "margin", "allow_short": True})["id"]
    api.order(pid, qty="2")
    api.order(pid, symbol="MSFT", side="sell", qty="1")
    positions = {p["symbol"]: p for p in api.get(f"/portfolios/{pid}/positions")
                 .get_json()["items"]}
    assert positions["AAPL"]["side"] == "long" and positions["MSFT"]["side"] == "short"
    assert D(positions["MSFT"]["market_value"]) < 0 and positions["MSFT"]["qty"] == "-1"
    for field in ("avg_entry_price", "current_price", "market_value", "cost_basis",
                  "unrealized_pl", "unrealized_plpc", "change_today", "lastday_price"):
        assert isinstance(positions["AAPL"][field], str)
    assert api.get(f"/portfolios/{pid}/positions/KO").status_code == 404
    account = api.get(f"/portfolios/{pid}").get_json()
    assert D(account["equity"]) == D(account["cash"]) + D(account["long_market_value"]) - D(
        account["short_market_value"])
