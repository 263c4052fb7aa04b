"""The trading API: the story over HTTP, bad input, ownership, cancel/replace, listings, activity."""

from decimal import Decimal

import pytest

from invsim.extensions import db
from invsim.trading.ledger import verify_ledger
from invsim.trading.matching import match_open_orders
from tests.service.trading.support import Api, D, advance_until, quote, row_counts


def counts(app):
    with app.app_context():
        try:
            return row_counts()
        finally:
            db.session.remove()


def test_story_over_http_buy_limit_sell_and_every_cent_in_the_activity(api, app, clock):
    pid = api.portfolio()["id"]
    with app.app_context():
        ask = quote().ask
    bought = api.order(pid, qty="10", client_order_id="buy-1")
    assert (bought["status"], bought["filled_qty"], bought["filled_avg_price"]) == (
        "filled", "10", format(ask.normalize(), "f"))
    with app.app_context():
        limit = (quote().bid * D("1.0005")).quantize(D("0.01"))
    resting = api.order(pid, side="sell", type="limit", time_in_force="gtc", qty="10",
                        limit_price=str(limit))
    assert resting["status"] == "accepted"
    with app.app_context():
        advance_until(clock, lambda s: s.bid >= limit or s.bar.open > limit)
        match_open_orders()
        db.session.remove()
    sold = api.get(f"/orders/{resting['id']}").get_json()
    assert sold["status"] == "filled" and D(sold["filled_avg_price"]) >= limit
    account = api.get(f"/portfolios/{pid}").get_json()
    activity = api.get(f"/portfolios/{pid}/activities").get_json()["items"]
    assert [a["activity_type"] for a in activity] == ["fill", "fill"]
    assert D(account["starting_cash"]) + sum(D(a["net_amount"]) for a in activity) == D(
        account["cash"])
    assert account["positions"] == 0 and account["long_market_value"] == "0.00"
    csv_text = api.get(f"/portfolios/{pid}/activities.csv").get_data(as_text=True)
    assert csv_text.splitlines()[0].startswith("id,activity_type,occurred_at")
    assert len(csv_text.splitlines()) == 3
    with app.app_context():
        assert verify_ledger().ok


BAD_ORDERS = [
    ({"qty": "-1"}, "invalid_order"),
    ({"qty": "0"}, "invalid_order"),
    ({"qty": "NaN"}, "validation_error"),
    ({"qty": "Infinity"}, "validation_error"),
    ({"qty": "1e3"}, "validation_error"),
    ({"qty": "1.0000001"}, "validation_error"),
    ({"qty": "1000000000000000"}, "validation_error"),
    ({"qty": Decimal("1E+15")}, "validation_error"),
    ({"qty": True}, "validation_error"),
    ({"qty": "1", "notional": "100"}, "invalid_order"),
    ({"qty": "1", "limit_price": "100"}, "invalid_order"),
    ({"type": "stop", "qty": "1"}, "invalid_order"),
    ({"type": "iceberg", "qty": "1"}, "validation_error"),
    ({"qty": "1", "time_in_force": "forever"}, "validation_error"),
    ({"type": "limit", "notional": "100", "limit_price": "100"}, "invalid_order"),
    ({"type": "limit", "qty": "1", "limit_price": "100.00001"}, "invalid_order"),
    ({"type": "limit", "qty": "1", "limit_price": "-5"}, "invalid_order"),
    ({"qty": "1", "client_order_id": "x" * 49}, "validation_error"),
    ({"qty": "1", "extended_hours": True}, "validation_error"),
    ({"symbol": "", "qty": "1"}, "validation_error"),
    ({"qty": "1000000000"}, "insufficient_buying_power"),
]


@pytest.mark.parametrize(("body", "code"), BAD_ORDERS)
def test_bad_order_input_is_422_and_writes_nothing(api, app, body, code):
    pid = api.portfolio()["id"]
    before = counts(app)
    payload = {"symbol": "AAPL", "side": "buy", "type": "market", **body}
    if isinstance(payload.get("qty"), Decimal):  # a JSON number in exponent notation
        response = api.client.post(f"/api/v1/portfolios/{pid}/orders", headers=api.headers,
                                   data='{"symbol": "AAPL", "side": "buy", "type": "market", '
                                        '"qty": 1e15}', content_type="application/json")
    else:
        response = api.post(f"/portfolios/{pid}/orders", payload)
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["error"]["code"] == code
    assert counts(app) == before


def test_fractional_qty_where_not_allowed_is_its_own_rejection(api, app):
    pid = api.portfolio(rules={"fractional": False})["id"]
    before = counts(app)
    response = api.post(f"/portfolios/{pid}/orders",
                        {"symbol": "AAPL", "side": "buy", "type": "market", "qty": "0.5"})
    assert (response.status_code, response.get_json()["error"]["code"]) == (
        422, "fractional_not_allowed")
    assert counts(app) == before


def test_another_users_portfolio_and_orders_answer_404(api, client, clock):
    pid = api.portfolio()["id"]
    order = api.order(pid, type="limit", qty="1", limit_price="1", time_in_force="gtc")
    other = Api(client, clock)
    for response in (
        other.get(f"/portfolios/{pid}"),
        other.get(f"/portfolios/{pid}/orders"),
        other.post(f"/portfolios/{pid}/orders", {"symbol": "AAPL", "side": "buy",
                                                 "type": "market", "qty": "1"}),
        other.get(f"/orders/{order['id']}"),
        other.patch(f"/orders/{order['id']}", {"qty": "2"}),
        other.delete(f"/orders/{order['id']}"),
        other.delete(f"/portfolios/{pid}/orders"),
        other.get(f"/portfolios/{pid}/positions"),
        other.get(f"/portfolios/{pid}/activities"),
        other.get(f"/portfolios/{pid}/activities.csv"),
        other.post(f"/portfolios/{pid}/reset"),
        other.delete(f"/portfolios/{pid}"),
    ):
        assert response.status_code == 404, response.get_json()
    assert api.get(f"/orders/{order['id']}").get_json()["status"] == "accepted"


def test_repeated_client_order_id_answers_200_with_the_original(api):
    pid = api.portfolio()["id"]
    first = api.order(pid, qty="2", client_order_id="once")
    again = api.order(pid, expect=200, qty="2", client_order_id="once")
    assert again["id"] == first["id"]
    clash = api.post(f"/portfolios/{pid}/orders", {"symbol": "AAPL", "side": "buy",
                                                   "type": "market", "qty": "3",
                                                   "client_order_id": "once"})
    assert (clash.status_code, clash.get_json()["error"]["code"]) == (
        422, "duplicate_client_order_id")
    found = api.get(f"/portfolios/{pid}/orders:by_client_order_id?client_order_id=once")
    assert found.get_json()["id"] == first["id"]


def test_replace_then_cancel_then_cancel_again(api):
    pid = api.portfolio()["id"]
    old = api.order(pid, type="limit", qty="5", limit_price="100", time_in_force="gtc")
    new = api.patch(f"/orders/{old['id']}", {"qty": "6", "limit_price": "101"}).get_json()
    assert (new["replaces"], new["qty"], new["limit_price"], new["status"]) == (
        old["id"], "6", "101", "accepted")
    assert api.get(f"/orders/{old['id']}").get_json()["status"] == "replaced"
    canceled = api.delete(f"/orders/{new['id']}")
    assert (canceled.status_code, canceled.get_json()["status"]) == (200, "canceled")
    again = api.delete(f"/orders/{new['id']}")
    assert (again.status_code, again.get_json()["error"]["code"]) == (
        409, "invalid_order_transition")


def test_cancel_all_answers_multi_status(api):
    pid = api.portfolio()["id"]
    for price in ("90", "91"):
        api.order(pid, type="limit", qty="1", limit_price=price, time_in_force="gtc")
    response = api.delete(f"/portfolios/{pid}/orders")
    assert response.status_code == 207
    assert {item["body"]["status"] for item in response.get_json()["items"]} == {"canceled"}


def test_order_listing_filters_by_status_and_symbols(api):
    pid = api.portfolio()["id"]
    api.order(pid, qty="1")
    api.order(pid, symbol="MSFT", type="limit", qty="1", limit_price="1", time_in_force="gtc")
    def ids(query):
        return [o["symbol"] for o in api.get(f"/portfolios/{pid}/orders?{query}")
                .get_json()["items"]]
    assert ids("status=open") == ["MSFT"]
    assert ids("status=closed") == ["AAPL"]
    assert sorted(ids("status=all")) == ["AAPL", "MSFT"]
    assert ids("status=all&symbols=aapl") == ["AAPL"]
    assert len(ids("status=all&limit=1")) == 1
    assert ids("status=all&after=2025-03-04T15:00:31Z") == []
    bad = api.get(f"/portfolios/{pid}/orders?after=yesterday")
    assert bad.status_code == 422


def test_activities_page_newest_first_with_a_cursor(api, clock):
    pid = api.portfolio()["id"]
    for _ in range(7):
        api.order(pid, qty="1")
        clock.advance(seconds=1)
    seen, cursor = [], None
    while True:
        query = "limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = api.get(f"/portfolios/{pid}/activities?{query}").get_json()
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 7 and len({a["id"] for a in seen}) == 7
    times = [a["occurred_at"] for a in seen]
    assert times == sorted(times, reverse=True)
    assert api.get(f"/portfolios/{pid}/activities?cursor=nonsense").status_code == 422


def test_close_part_of_a_position_over_http(api):
    pid = api.portfolio()["id"]
    api.order(pid, qty="10")
    closing = api.delete(f"/portfolios/{pid}/positions/AAPL?percentage=50")
    assert (closing.status_code, closing.get_json()["qty"], closing.get_json()["side"]) == (
        200, "5", "sell")
    position = api.get(f"/portfolios/{pid}/positions/AAPL").get_json()
    assert position["qty"] == "5"
    assert api.delete(f"/portfolios/{pid}/positions/MSFT").status_code == 404


def test_openapi_lists_the_trading_endpoints_and_their_statuses(api):
    spec = api.get("/openapi.json").get_json()
    post = spec["paths"]["/api/v1/portfolios/{portfolio_id}/orders"]["post"]["responses"]
    assert {"200", "201", "401", "404", "422", "503"} <= set(post)
    assert "/api/v1/orders/{order_id}" in spec["paths"]
    assert "/api/v1/portfolios/{portfolio_id}/activities.csv" in spec["paths"]
