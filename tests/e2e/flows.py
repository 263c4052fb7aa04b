"""Steps a person takes in the app, shared by the browser tests."""

from __future__ import annotations

import re
import uuid
from typing import Any

PASSWORD = "a long enough passphrase 42"
TIMEOUT = 15_000  # ms: the slowest step is a standings run (every 5 s in the test server)


def expect_() -> Any:
    """Playwright's expect with the suite's timeout."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT)
    return expect


def sign_up(page: Any, base_url: str, name: str) -> None:
    """Create an account through the sign-up form and land on the dashboard."""
    expect = expect_()
    page.goto(f"{base_url}/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_role("link", name="Create an account").click()
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    tag = uuid.uuid4().hex[:8]
    page.get_by_label("Email").fill(f"{name}-{tag}@example.com")
    page.get_by_label("Username").fill(f"{name}{tag}")
    page.get_by_label("Display name (optional)").fill(name.capitalize())
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Open your first portfolio")).to_be_visible()


def open_first_portfolio(page: Any) -> None:
    """Accept the suggested name and cash."""
    expect = expect_()
    page.get_by_role("button", name="Create portfolio").click()
    expect(page.get_by_role("heading", name="My portfolio", level=1)).to_be_visible()


def go(page: Any, link: str) -> None:
    """Follow a main navigation link (the menu button opens it on a phone)."""
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible():
        menu.click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name=link, exact=True).click()


def canvas_has_ink(page: Any, selector: str) -> bool:
    """Say whether a canvas under `selector` has any non-transparent pixel."""
    return bool(page.evaluate(
        """(selector) => {
            const canvas = document.querySelector(selector);
            if (!canvas || !canvas.width || !canvas.height) return false;
            const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
            for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
            return false;
        }""",
        selector,
    ))


def buy_at_market(page: Any) -> None:
    """Find Apple by name and buy 10 shares at market."""
    expect = expect_()
    go(page, "Trade")
    page.get_by_label("Search stocks").fill("Apple")
    page.get_by_role("button", name=re.compile(r"^AAPL\b")).click()
    expect(page.get_by_role("heading", name="Trade AAPL")).to_be_visible()
    expect(page.get_by_label("AAPL quote").get_by_text("Bid")).to_be_visible()
    page.get_by_label("Quantity (shares)").fill("10")
    expect(page.get_by_text("Estimated cost")).to_be_visible()
    expect(page.get_by_text("Buying power after")).to_be_visible()
    from tests.e2e.conftest import screenshot  # the conftest imports these flows

    screenshot(page, "trade-ticket-estimate-desktop")
    page.get_by_role("button", name="Buy AAPL").click()
    expect(page.get_by_role("status").filter(has_text="Bought 10 AAPL at")).to_be_visible()


def place_edit_and_cancel_limit(page: Any) -> None:
    """Place a limit order far below the market, raise its price, then cancel it."""
    expect = expect_()
    page.get_by_label("Order type").select_option("limit")
    page.get_by_label("Quantity (shares)").fill("2")
    page.get_by_label("Limit price (USD)").fill("1.00")
    page.get_by_label("Time in force").select_option("gtc")
    page.get_by_role("button", name="Buy AAPL").click()
    expect(page.get_by_role("status").filter(has_text="Limit order to buy 2 AAPL at $1.00 is working")).to_be_visible()
    page.get_by_role("link", name="See your orders").click()
    open_orders = page.get_by_role("region", name="Open orders")
    expect(open_orders.get_by_text("limit $1.00 · GTC")).to_be_visible()
    open_orders.get_by_role("button", name="Edit buy AAPL order").click()
    page.get_by_role("form", name="Edit order: Buy AAPL").get_by_label("Limit price (USD)").fill("1.50")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status").filter(has_text="Updated the order to buy AAPL.")).to_be_visible()
    expect(open_orders.get_by_text("limit $1.50 · GTC")).to_be_visible()
    open_orders.get_by_role("button", name="Cancel buy AAPL order").click()
    confirm = open_orders.get_by_role("group", name="Cancel the buy AAPL order?")
    confirm.get_by_role("button", name="Keep").click()  # asks first: nothing is canceled yet
    expect(open_orders.get_by_text("limit $1.50 · GTC")).to_be_visible()
    open_orders.get_by_role("button", name="Cancel buy AAPL order").click()
    confirm.get_by_role("button", name="Yes, cancel").click()
    expect(page.get_by_role("status").filter(has_text="Canceled the order to buy AAPL.")).to_be_visible()
    expect(page.get_by_text("No open orders.", exact=True)).to_be_visible()
    past = page.get_by_role("region", name="Past orders")
    expect(past.get_by_text("Canceled")).to_be_visible()
    expect(past.get_by_text("Replaced", exact=True)).to_be_visible()


def sell_some(page: Any) -> None:
    """Sell 4 of the 10 shares from the dashboard's Sell button."""
    expect = expect_()
    go(page, "Dashboard")
    page.get_by_role("link", name="Sell AAPL").click()
    expect(page.get_by_text("You own 10 AAPL.")).to_be_visible()
    page.get_by_label("Quantity (shares)").fill("4")
    expect(page.get_by_text("Estimated proceeds")).to_be_visible()
    page.get_by_role("button", name="Sell AAPL").click()
    expect(page.get_by_role("status").filter(has_text="Sold 4 AAPL at")).to_be_visible()


def check_dashboard(page: Any) -> None:
    """The position shows a live price and the equity chart is drawn."""
    expect = expect_()
    go(page, "Dashboard")
    positions = page.get_by_role("region", name="Positions")
    expect(positions.get_by_role("link", name="AAPL", exact=True)).to_be_visible()
    expect(positions.get_by_role("cell", name="6", exact=True)).to_be_visible()
    expect(page.get_by_test_id("price-AAPL")).to_have_attribute("data-live", "true")
    expect(page.get_by_test_id("price-AAPL")).to_have_text(re.compile(r"^\$\d[\d,]*\.\d{2,4}"))
    expect(page.get_by_text("Live prices")).to_be_visible()
    chart = "#main .card canvas[role=img]"
    expect(page.locator(chart).first).to_be_visible()
    page.wait_for_function(
        """(selector) => { const c = document.querySelector(selector); return c && c.width > 0; }""",
        arg=chart,
    )
    assert canvas_has_ink(page, chart), "the equity chart drew nothing"
    page.get_by_role("radio", name="1W").check()
    # minutes old: the summary names the real span, not "over the past week" (issue 15 #9)
    expect(page.get_by_text(re.compile(r"since it opened \d+ (second|minute)s? ago"))).to_be_visible()
    assert canvas_has_ink(page, chart)


def create_private_challenge(page: Any) -> tuple[str, str]:
    """Create a private challenge that starts now and return its number and invite code."""
    expect = expect_()
    go(page, "Challenges")
    page.get_by_role("button", name="Create a challenge").click()
    form = page.get_by_role("form", name="Create a challenge")
    form.get_by_label("Name").fill("Friends cup")
    form.get_by_role("radio", name="Only with an invite code").check()
    form.get_by_role("button", name="Create challenge").click()
    expect(page.get_by_role("heading", name="Friends cup", level=1)).to_be_visible()
    expect(page.get_by_text("You're in.")).to_be_visible()
    number = page.get_by_test_id("challenge-number").inner_text()
    code = page.get_by_test_id("invite-code").inner_text()
    assert number.isdigit() and code
    return number, code


def join_with_code(page: Any, number: str, code: str) -> None:
    """Enter the challenge's number and invite code on the Challenges page."""
    expect = expect_()
    go(page, "Challenges")
    form = page.get_by_role("form", name="Join with an invite code")
    form.get_by_label("Challenge number").fill(number)
    form.get_by_label("Invite code").fill(code)
    form.get_by_role("button", name="Join challenge").click()
    expect(page.get_by_role("heading", name="Friends cup", level=1)).to_be_visible()
    expect(page.get_by_text("You're in.")).to_be_visible()


def leaderboard_shows(page: Any, names: list[str]) -> None:
    """Wait until the leaderboard lists every name (standings refresh every few seconds)."""
    expect = expect_()
    board = page.get_by_role("region", name="Leaderboard")
    for name in names:
        expect(board.get_by_role("rowheader", name=re.compile(rf"^{name}"))).to_be_visible(timeout=30_000)
    expect(board.locator("tr[aria-current=true]")).to_have_count(1)
    # The whole "You" row is tinted, the sticky Player cell too (it once kept the plain background).
    tints = board.locator("tr[aria-current=true] > *").evaluate_all(
        "(cells) => cells.map((c) => getComputedStyle(c).backgroundColor)")
    assert len(set(tints)) == 1, f"the You row's cells differ in background: {tints}"


def global_leaderboard_opens(page: Any) -> None:
    """The global leaderboard page, from the main navigation, lists both boards."""
    expect = expect_()
    go(page, "Leaderboard")
    expect(page.get_by_role("heading", name="Leaderboard", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Challenge players")).to_be_visible()
    expect(page.get_by_role("heading", name="Portfolios")).to_be_visible()


def download_activity(page: Any) -> None:
    """The activity lists the trades and downloads as CSV with the session's token."""
    expect = expect_()
    go(page, "Orders")
    activity = page.get_by_role("region", name="Activity")
    expect(activity.get_by_text("Sold 4 AAPL at")).to_be_visible()
    expect(activity.get_by_text("Bought 10 AAPL at")).to_be_visible()
    with page.expect_download() as info:
        activity.get_by_role("button", name="Download CSV").click()
    download = info.value
    assert re.fullmatch(r"invsim-portfolio-\d+-activities\.csv", download.suggested_filename)
    text = open(download.path(), encoding="utf-8").read()  # noqa: SIM115 - a small temp file
    assert text.startswith("id,activity_type,occurred_at") and "Sold 4 AAPL" in text


def watch_and_chart(page: Any) -> None:
    """From a position to its instrument page: candles, key figures, and the watchlist star."""
    expect = expect_()
    go(page, "Dashboard")
    page.get_by_role("region", name="Positions").get_by_role("link", name="AAPL", exact=True).click()
    expect(page.get_by_role("heading", name="Apple Inc. (AAPL)")).to_be_visible()
    expect(page.get_by_text("52-week range")).to_be_visible()
    page.get_by_role("radio", name="Candles").check()
    page.get_by_role("radio", name="1Y").check()
    expect(page.get_by_role("img", name=re.compile(r"AAPL price over the past year"))).to_be_visible()
    star = page.get_by_role("button", name="Watchlist")
    expect(star).to_have_attribute("aria-pressed", "false")
    star.click()
    expect(star).to_have_attribute("aria-pressed", "true")
    go(page, "Dashboard")
    watchlist = page.get_by_role("region", name="Watchlist")
    expect(watchlist.get_by_role("link", name="AAPL")).to_be_visible()
    expect(watchlist.get_by_text(re.compile(r"^\$\d"))).to_be_visible()
