"""When the API fails, pages say so and offer a retry; they never go blank.

Failures are injected in the browser (Playwright routes), so the server stays
healthy and only the requests under test fail.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.e2e.conftest import screenshot
from tests.e2e.flows import expect_, go, open_first_portfolio, sign_up

pytestmark = pytest.mark.browser

UNAVAILABLE = json.dumps({"error": {"code": "service_unavailable", "message": "Down for a moment.",
                                    "details": {}}})

# Chromium reports every failed HTTP response as a console error. These are the
# responses this test makes fail on purpose; any other console error still fails it.
EXPECTED = ("Failed to load resource: the server responded with a status of 503",
            "Failed to load resource: net::ERR_FAILED")


def test_pages_show_an_error_with_retry_when_the_api_fails(
        live_server: str, new_page: Any, console: Any) -> None:
    expect = expect_()
    page = new_page("desktop")
    sign_up(page, live_server, "carol")
    open_first_portfolio(page)

    page.route("**/api/v1/portfolios/*/history*",
               lambda route: route.fulfill(status=503, body=UNAVAILABLE,
                                           content_type="application/json"))
    page.reload()
    performance = page.get_by_role("region", name="Performance")
    expect(performance.get_by_role("alert")).to_contain_text("Couldn't load equity history.")
    expect(performance.get_by_role("alert")).to_contain_text("The server had a problem")
    expect(page.get_by_role("heading", name="Positions")).to_be_visible()
    screenshot(page, "error-dashboard-desktop")
    page.unroute("**/api/v1/portfolios/*/history*")
    performance.get_by_role("button", name="Try again").click()
    expect(performance.locator("canvas[role=img]")).to_be_visible()

    page.route("**/api/v1/challenges?*", lambda route: route.abort("failed"))
    go(page, "Challenges")
    expect(page.get_by_role("alert")).to_contain_text("Can't reach the server")
    expect(page.get_by_role("button", name="Try again")).to_be_visible()
    expect(page.get_by_role("form", name="Join with an invite code")).to_be_visible()

    unexpected = [e for e in console.errors if not any(x in e for x in EXPECTED)]
    assert unexpected == []
    assert any(EXPECTED[0] in e for e in console.errors), "the injected 503 never happened"
