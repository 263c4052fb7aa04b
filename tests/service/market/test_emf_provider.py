"""EMF lines of the real provider path: each call's outcome and latency, the budget left."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from invsim.market import service
from tests.emf_support import captured_log_stream, emf_documents, turn_emf_off, with_metric
from tests.service.market.fake_alphavantage import THROTTLE_NOTE


@pytest.fixture()
def emf_av_app(make_app: Any, fake_av: Any, tmp_path: Any) -> Iterator[Any]:
    """An Alpha Vantage app (5 calls a minute, 25 a day) with METRICS_EMF on."""
    app = make_app(market_data_provider="alphavantage", alpha_vantage_api_key="emf-test-key",
                   alpha_vantage_base_url=fake_av.url, metrics_emf=True)
    with app.app_context():
        yield app
    turn_emf_off(tmp_path)


def test_provider_calls_carry_outcome_latency_and_the_budget_left(emf_av_app, fake_av):
    with captured_log_stream() as stream:
        service.get_quote("MSFT")
        fake_av.force("*", THROTTLE_NOTE)
        service.refresh_real_quotes([["TSLA"]])
        service.refresh_real_quotes([["TSLA"]])  # the back-off refuses it before any request
    documents = emf_documents(stream.getvalue())
    calls = with_metric(documents, "ProviderCalls")
    assert [(d["Provider"], d["Call"], d["Outcome"]) for d in calls] == [
        ("alphavantage", "quote", "ok"), ("alphavantage", "quote", "throttled")]
    assert [(d["BudgetLeftMinute"], d["BudgetLeftDay"]) for d in calls] == [(4, 24), (3, 23)]
    assert all(d["ProviderLatency"] > 0 for d in calls)
    refused = with_metric(documents, "ProviderCallsRefused")
    assert [(d["Provider"], d["Call"]) for d in refused] == [("alphavantage", "quote")]
    lookups = with_metric(documents, "QuoteCacheHits")
    assert [(d["Market"], d["QuoteCacheHits"], d["QuoteCacheMisses"]) for d in lookups] == [
        ("real", 0, 1)]
