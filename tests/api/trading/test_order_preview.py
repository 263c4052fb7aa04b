"""`POST /portfolios/{id}/orders:preview`: the placing use-case's own figures, nothing written."""

from invsim.core.money import money
from tests.api.trading.test_orders_api import counts
from tests.service.trading.support import D


def preview(api, pid, **body):
    body = {"symbol": "AAPL", "side": "buy", "type": "market", **body}
    response = api.post(f"/portfolios/{pid}/orders:preview", body)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_preview_says_what_the_order_then_does_and_writes_nothing(api, app):
    pid = api.portfolio(rules={"commission": {"kind": "per_share", "rate": "0.01",
                                              "minimum": "1.00"},
                               "slippage_bps": "5"})["id"]
    before = counts(app)
    seen = preview(api, pid, qty="10")
    assert counts(app) == before
    assert seen["rejection"] is None and seen["status"] == "filled"
    placed = api.order(pid, qty="10")
    account = api.get(f"/portfolios/{pid}").get_json()
    assert seen["estimated_price"] == placed["filled_avg_price"]
    assert seen["commission"] == placed["commission"] == "1.00"
    assert D(seen["estimated_value"]) == money(D(placed["filled_avg_price"]) * 10)
    assert D(seen["slippage"]) > 0  # 5 bps over the ask
    assert seen["buying_power_after"] == account["buying_power"]
    assert D(seen["estimated_total"]) == D(seen["estimated_value"]) + D("1.00")
    assert D(seen["buying_power"]) == D("100000.00")


def test_a_preview_names_the_rejection_instead_of_refusing(api, app):
    pid = api.portfolio()["id"]
    before = counts(app)
    oversell = preview(api, pid, side="sell", qty="5")
    assert (oversell["rejection"], oversell["status"]) == ("short_selling_not_allowed", None)
    too_big = preview(api, pid, qty="1000000")
    assert too_big["rejection"] == "insufficient_buying_power"
    assert counts(app) == before


def test_a_resting_limit_order_is_previewed_with_its_commission_and_reservation(api, app):
    pid = api.portfolio(rules={"commission": {"kind": "per_trade", "amount": "4.95"}})["id"]
    seen = preview(api, pid, type="limit", time_in_force="gtc", qty="2", limit_price="1.00")
    assert (seen["status"], seen["estimated_price"], seen["estimated_value"]) == (
        "accepted", "1", "2.00")
    assert seen["commission"] == "4.95"
    assert D(seen["buying_power_after"]) == D(seen["buying_power"]) - D("2.00") - D("4.95")


def test_another_users_portfolio_and_bad_input_are_refused(api, app, client, clock):
    from tests.service.trading.support import Api

    pid = api.portfolio()["id"]
    other = Api(client, clock)
    response = other.post(f"/portfolios/{pid}/orders:preview",
                          {"symbol": "AAPL", "side": "buy", "type": "market", "qty": "1"})
    assert response.status_code == 404
    bad = api.post(f"/portfolios/{pid}/orders:preview",
                   {"symbol": "AAPL", "side": "buy", "type": "market", "qty": "-1"})
    assert bad.status_code == 422 and bad.get_json()["error"]["code"] == "invalid_order"
