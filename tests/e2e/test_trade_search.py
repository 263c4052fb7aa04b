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


def top_of(page: Any, locator: Any) -> float:
    """The element's top, in CSS pixels from the top of the page."""
    box = locator.bounding_box()
    assert box is not None
    return float(box["y"] + page.evaluate("window.scrollY"))


def test_trade_and_instrument_pages_put_the_ticket_and_chart_within_reach(
        live_server: str, new_page: Any, console: Any) -> None:
    """Issue 15: on desktop the Buy button sat below the fold at 1280×800 beside an empty
    column; on phones the ticket began 1.5 screens down and the instrument chart 3."""
    expect = expect_()
    page = new_page("desktop")
    sign_up(page, live_server, "ivy")
    open_first_portfolio(page)
    page.goto(f"{live_server}/trade/AAPL")
    expect(page.get_by_role("heading", name="Price chart")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("AAPL price over"))).to_be_visible()
    buy = page.get_by_role("button", name="Buy AAPL")
    page.get_by_label("Quantity (shares)").fill("1")
    expect(page.get_by_text("Estimated cost")).to_be_visible()
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "trade-desktop-fold")
    box = buy.bounding_box()
    assert box is not None and box["y"] + box["height"] <= VIEWPORTS["desktop"]["height"], box

    phone = new_page("phone", storage_state=page.context.storage_state())
    phone.goto(f"{live_server}/trade/AAPL")
    ticket = phone.get_by_role("heading", name="Order ticket")
    expect(ticket).to_be_visible()
    assert top_of(phone, ticket) < VIEWPORTS["phone"]["height"] / 2
    screenshot(phone, "trade-phone-ticket-first")
    phone.goto(f"{live_server}/instruments/AAPL")
    chart = phone.get_by_role("heading", name="Price chart")
    expect(chart).to_be_visible()
    assert top_of(phone, chart) < VIEWPORTS["phone"]["height"]
    screenshot(phone, "instrument-phone-chart-first")
    assert console.errors == []
