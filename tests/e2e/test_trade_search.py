"""Search + Enter picks the suggestion, and the ticket keeps orders it knows are refused.

Issue 15: "nvidia" + Enter went to /trade/NVIDIA (nothing listed) although the one
suggestion was NVDA; the ticket sent an order for an unlisted symbol and an oversell
it had already warned about, each answered 422 with a console error. Here Enter
lands on NVDA, and neither order reaches the server (no POST, no console error).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.e2e.conftest import VIEWPORTS, screenshot
from tests.e2e.flows import expect_, go, open_first_portfolio, sign_up

pytestmark = pytest.mark.browser


def order_posts(page: Any) -> list[str]:
    """Collect the URLs of order placements the page sends from now on."""
    posts: list[str] = []
    page.on("request", lambda request: posts.append(request.url)
            if request.method == "POST" and urlparse(request.url).path.endswith("/orders") else None)
    return posts


def test_search_enter_picks_the_suggestion_and_the_ticket_holds_refused_orders(
        live_server: str, new_page: Any, console: Any) -> None:
    expect = expect_()
    page = new_page("desktop")
    sign_up(page, live_server, "erin")
    open_first_portfolio(page)
    posts = order_posts(page)

    go(page, "Trade")
    search = page.get_by_label("Search stocks")
    search.fill("nvidia")
    search.press("Enter")  # at once: before the search has answered
    expect(page.get_by_role("heading", name="Trade NVDA")).to_be_visible()
    assert urlparse(page.url).path == "/trade/NVDA"

    page.goto(f"{live_server}/trade/NVIDIA")
    expect(page.get_by_text("No stock or ETF is listed under “NVIDIA”.")).to_be_visible()
    page.get_by_label("Quantity (shares)").fill("1")
    page.get_by_role("button", name="Buy NVIDIA").click()
    expect(page.get_by_label("Symbol")).to_have_accessible_description(
        re.compile("No stock or ETF is listed under NVIDIA"))

    page.goto(f"{live_server}/trade/AAPL?side=sell")
    expect(page.get_by_label("AAPL quote").get_by_text("Bid")).to_be_visible()
    page.get_by_label("Quantity (shares)").fill("5")
    expect(page.get_by_text(re.compile("You hold 0 shares and this portfolio can't sell short"))).to_be_visible()
    page.get_by_role("button", name="Sell AAPL").click()
    expect(page.get_by_role("alert")).to_have_text(re.compile(r"^Not sent: the estimate above says why"))
    for viewport in ("desktop", "phone"):
        page.set_viewport_size(VIEWPORTS[viewport])
        page.evaluate("window.scrollTo(0, 0)")  # the sticky app bar otherwise lands mid-page
        screenshot(page, f"trade-refused-{viewport}")

    assert posts == [], f"the ticket sent orders the app knew would be refused: {posts}"
    assert console.errors == []
