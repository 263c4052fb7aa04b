"""The quant endpoints: rolling figures, calendar returns, drawdowns, returns CSV, tearsheet.

Shapes and figures on the worked scenario of the service tests (hand-checked),
end-to-end agreement with empyrical on a year of simulated prices, per-user
isolation and bad input answered in the one error shape.
"""

from __future__ import annotations

import csv
import io
import json
import math

import empyrical
import numpy as np
import pytest

from tests.service.analytics.support import at, open_portfolio, scenario, trade

JSON_ENDPOINTS = ["rolling", "calendar-returns", "drawdowns"]
DOWNLOADS = ["returns.csv", "tearsheet.html"]
ENDPOINTS = JSON_ENDPOINTS + DOWNLOADS


@pytest.fixture()
def story(client, headers, user, clock, fixed):
    """The worked scenario (10,000.00, +5,000.00 on 03-04) with SPY closes on every day."""
    _, portfolio = scenario(clock, fixed, owner=user)
    for day, close in [("2025-03-02", "500"), ("2025-03-03", "505"), ("2025-03-04", "500"),
                       ("2025-03-05", "510"), ("2025-03-06", "512")]:
        fixed.close("SPY", day, close)
    return portfolio.id


def get(client, headers, pid, path, **query):
    """GET an analytics endpoint of a portfolio."""
    return client.get(f"/api/v1/portfolios/{pid}/{path}", query_string=query, headers=headers)


def fetch(client, headers, pid, path, **query):
    """GET a JSON endpoint and decode its numbers as floats (the app's client reads Decimals)."""
    response = get(client, headers, pid, path, **query)
    assert response.status_code == 200, response.get_json()
    return json.loads(response.get_data())


def test_calendar_returns_compound_to_the_twr(client, headers, story):
    body = fetch(client, headers, story, "calendar-returns")
    twr = fetch(client, headers, story, "metrics", period="ALL")["metrics"]["twr"]
    assert body["period"] == "ALL"
    (march,) = body["months"]
    assert (march["year"], march["month"], march["periods"]) == (2025, 3, 4)
    assert (march["first_on"], march["last_on"]) == ("2025-03-03", "2025-03-06")
    # 10,050 / 10,000 × 9,980 / 10,050 × 15,112 / 14,980 × 15,130 / 15,112 − 1, by hand
    assert march["value"] == pytest.approx(0.9980 * 15112 / 14980 * 15130 / 15112 - 1, rel=1e-9)
    assert march["value"] == pytest.approx(twr, rel=1e-12)
    assert body["years"] == [{**march, "month": None}]


def test_drawdowns_list_the_spell_under_water_after_the_deposit(client, headers, story):
    body = fetch(client, headers, story, "drawdowns")
    (spell,) = body["drawdowns"]
    # 03-04: (14,980 − 5,000) / 10,050 − 1: the deposit is not a gain, the price fall is a loss.
    assert spell["depth"] == pytest.approx(9980 / 10050 - 1, rel=1e-9)
    assert (spell["peak_on"], spell["trough_on"], spell["recovery_on"]) == (
        "2025-03-03", "2025-03-04", "2025-03-05")
    assert (spell["days"], spell["periods"]) == (2, 2)
    metrics = fetch(client, headers, story, "metrics", period="ALL")["metrics"]
    assert spell["depth"] == metrics["max_drawdown"]


def test_rolling_windows_are_a_quarter_and_a_year_of_calendar_days(client, headers, story):
    body = fetch(client, headers, story, "rolling", benchmark="SPY")
    assert body["periods_per_year"] == 365 and body["benchmark"] == "SPY"
    assert [(w["label"], w["size"]) for w in body["windows"]] == [("3M", 91), ("1Y", 365)]
    assert all(w["volatility"] == [] and w["timestamp"] == [] for w in body["windows"])


def test_returns_csv_rebuilds_the_history(client, headers, story):
    response = get(client, headers, story, "returns.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="invsim-portfolio-' in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["equity"] for r in rows] == ["10000.00", "10050.00", "14980.00", "15112.00",
                                           "15130.00"]
    assert [r["net_cash_flow"] for r in rows] == ["0.00", "0.00", "5000.00", "0.00", "0.00"]
    assert rows[0]["return"] == "" and float(rows[1]["return"]) == pytest.approx(0.005)
    assert float(rows[2]["return"]) == pytest.approx(9980 / 10050 - 1, rel=1e-9)
    assert float(rows[2]["drawdown"]) == pytest.approx(9980 / 10050 - 1, rel=1e-9)
    history = fetch(client, headers, story, "history", period="ALL", timeframe="1D")
    for row, pct in zip(rows, history["profit_loss_pct"]):
        assert float(row["cumulative_return"]) == pytest.approx(float(pct), abs=5e-7)
    assert [r["benchmark_close"] for r in rows][:2] == ["500", "505"]
    assert float(rows[1]["benchmark_return"]) == pytest.approx(0.01)


def test_tearsheet_is_one_self_contained_html_download(client, headers, story):
    response = get(client, headers, story, "tearsheet.html", benchmark="QQQ")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    page = response.get_data(as_text=True)
    for heading in ("Key figures", "Monthly returns", "Worst drawdowns", "Rolling figures"):
        assert f"<h2>{heading}</h2>" in page
    assert "benchmark QQQ" in page and "Analytics" in page  # the portfolio's name
    assert "<script" not in page and "http://" not in page and "https://" not in page
    assert "-0.70 %" in page  # the drawdown spell, 9,980 / 10,050 − 1


def test_a_long_history_matches_empyrical_end_to_end(client, headers, user, clock, fixed):
    """Fourteen months of a simulated stock: the rolling figures of the last window by hand."""
    clock.set(at("2024-01-02", "10:00"))
    portfolio = open_portfolio(user, cash="100000")
    trade(user, portfolio, "buy", "200", symbol="MSFT")
    clock.set(at("2025-03-03", "10:00"))
    rolling = fetch(client, headers, portfolio.id, "rolling")
    history = fetch(client, headers, portfolio.id, "history", period="ALL")
    equity = np.array([float(e) for e in history["equity"]])
    flows = np.array([float(f) for f in history["cash_flow"]])
    returns = (equity[1:] - flows[1:]) / equity[:-1] - 1
    quarter, year = rolling["windows"]
    assert quarter["size"] == 91 and len(quarter["volatility"]) == returns.size - 90
    assert quarter["timestamp"][-1] == history["timestamp"][-1]
    assert quarter["volatility"][-1] == pytest.approx(
        empyrical.annual_volatility(returns[-91:], annualization=365), rel=1e-6)
    assert year["volatility"][0] == pytest.approx(
        empyrical.annual_volatility(returns[:365], annualization=365), rel=1e-6)
    assert all(v is None or math.isfinite(v) for v in quarter["beta"])
    metrics = fetch(client, headers, portfolio.id, "metrics", period="ALL")["metrics"]
    assert metrics["periods_per_year"] == 365
    assert metrics["volatility"] == pytest.approx(
        empyrical.annual_volatility(returns, annualization=365), rel=1e-6)
    months = fetch(client, headers, portfolio.id, "calendar-returns")["months"]
    assert len(months) == 15 and months[0]["month"] == 1 and months[-1]["month"] == 3
    assert np.prod([1 + m["value"] for m in months]) - 1 == pytest.approx(metrics["twr"])
    top = fetch(client, headers, portfolio.id, "drawdowns", top=3)["drawdowns"]
    assert 1 <= len(top) <= 3 and top[0]["depth"] == pytest.approx(metrics["max_drawdown"])
    assert [d["depth"] for d in top] == sorted(d["depth"] for d in top)


def test_another_users_portfolio_is_not_found_and_a_token_is_required(client, stranger, story):
    for path in ENDPOINTS:
        response = get(client, stranger, story, path)
        assert response.status_code == 404, path
        assert response.get_json()["error"]["code"] == "portfolio_not_found"
        assert get(client, {}, story, path).status_code == 401
        # ownership is checked before the benchmark is
        assert get(client, stranger, story, path, benchmark="NOSUCH").status_code == 404


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize(("query", "code"), [
    ({"period": "2Y"}, "validation_error"),
    ({"start": "yesterday"}, "validation_error"),
    ({"start": "2025-03-05", "end": "2025-03-04"}, "invalid_range"),
    ({"period": "1M", "start": "2025-03-04"}, "invalid_period"),
    ({"benchmark": "NOSUCH"}, "unknown_benchmark"),
    ({"benchmark": "$$"}, "validation_error"),
    ({"surprise": "1"}, "validation_error"),
])
def test_bad_input_is_a_422_in_the_error_shape(client, headers, story, path, query, code):
    response = get(client, headers, story, path, **query)
    assert response.status_code == 422, (path, response.get_data(as_text=True)[:200])
    assert response.get_json()["error"]["code"] == code


@pytest.mark.parametrize("top", ["0", "51", "many", "-1"])
def test_drawdowns_top_must_be_between_1_and_50(client, headers, story, top):
    response = get(client, headers, story, "drawdowns", top=top)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "validation_error"


def test_a_window_before_the_portfolio_existed_is_empty(client, headers, story):
    window = {"start": "2024-01-01", "end": "2024-06-30"}
    assert fetch(client, headers, story, "calendar-returns", **window)["months"] == []
    assert fetch(client, headers, story, "drawdowns", **window)["drawdowns"] == []
    assert fetch(client, headers, story, "rolling", **window)["windows"][0]["beta"] == []
    text = get(client, headers, story, "returns.csv", **window).get_data(as_text=True)
    assert text.splitlines() == ["date,equity,net_cash_flow,return,cumulative_return,drawdown,"
                                 "benchmark_close,benchmark_return"]
    assert get(client, headers, story, "tearsheet.html", **window).status_code == 200


def test_the_new_endpoints_are_documented(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path in ENDPOINTS:
        documented = spec["paths"][f"/api/v1/portfolios/{{portfolio_id}}/{path}"]["get"]
        assert {"200", "401", "404", "422"} <= set(documented["responses"]), path
