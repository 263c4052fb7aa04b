"""Dividends and splits over HTTP, and bars as traded or back-adjusted; bad input is a 4xx."""

from datetime import UTC, datetime

import pytest

from invsim.core.clock import set_clock
from tests.api.market.test_market_api import API, error_code

NOW = datetime(2026, 11, 24, 17, 0, 7, tzinfo=UTC)


@pytest.fixture()
def frozen():
    set_clock(lambda: NOW)
    yield NOW
    set_clock(None)


def test_a_dividend_payer_lists_its_declared_dividends_as_strings(client, frozen):
    response = client.get(f"{API}/instruments/ko/corporate-actions",
                          query_string={"start": "2025-01-01", "end": "2026-12-31"})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["symbol"] == "KO" and body["actions"]
    first = body["actions"][0]
    assert first["kind"] == "dividend" and isinstance(first["amount"], str)
    assert first["ratio"] is None and first["ex_date"] < first["pay_date"]
    assert all(a["declared_on"] <= "2026-11-24" for a in body["actions"])
    assert [a["ex_date"] for a in body["actions"]] == sorted(a["ex_date"] for a in body["actions"])


def test_bars_are_unadjusted_by_default_and_back_adjusted_on_request(client, frozen):
    actions = client.get(f"{API}/instruments/KO/corporate-actions",
                         query_string={"start": "2025-01-01", "end": "2026-11-24"}).get_json()
    ex_date = actions["actions"][-1]["ex_date"]
    query = {"interval": "1d", "start": "2026-01-01", "end": f"{ex_date}T00:00:00Z"}
    traded = client.get(f"{API}/bars/KO", query_string=query).get_json()["bars"]
    assert traded == client.get(f"{API}/bars/KO", query_string={
        **query, "adjusted": "false"}).get_json()["bars"]
    adjusted = client.get(f"{API}/bars/KO", query_string={
        **query, "adjusted": "true"}).get_json()["bars"]
    assert len(adjusted) == len(traded)
    pairs = list(zip(adjusted, traded, strict=True))
    assert all(float(a["c"]) < float(t["c"]) for a, t in pairs if a["t"][:10] < ex_date)
    assert [a for a, _ in pairs if a["t"][:10] >= ex_date] == [
        t for _, t in pairs if t["t"][:10] >= ex_date]


@pytest.mark.parametrize(("path", "query", "status", "code"), [
    ("/instruments/NOPE/corporate-actions", {}, 404, "unknown_symbol"),
    ("/instruments/A;DROP/corporate-actions", {}, 422, "invalid_symbol"),
    ("/instruments/KO/corporate-actions", {"start": "2026-05-01", "end": "2026-01-01"}, 422,
     "invalid_range"),
    ("/instruments/KO/corporate-actions", {"start": "1900-01-01", "end": "2026-01-01"}, 422,
     "range_too_large"),
    ("/instruments/KO/corporate-actions", {"start": "yesterday"}, 422, None),
    ("/instruments/KO/corporate-actions", {"limit": "3"}, 422, None),
    ("/bars/KO", {"adjusted": "maybe"}, 422, None),
])
def test_bad_input_is_a_4xx_in_the_error_shape(client, frozen, path, query, status, code):
    response = client.get(f"{API}{path}", query_string=query)
    found = error_code(response, status)
    assert code is None or found == code
