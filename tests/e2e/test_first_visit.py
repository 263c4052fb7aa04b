"""A newcomer's first visit, in a real browser against the real app on a fresh database.

Sign up, open a portfolio, buy 10 shares at market, see the position with a live
price, place, edit and cancel a limit order, sell, see the dashboard chart drawn,
create a private challenge; a second user joins it with its code and the
leaderboard shows both. Every page is photographed at desktop and phone width.
The browser console must stay free of errors throughout.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.conftest import screenshot
from tests.e2e.flows import (
    buy_at_market,
    check_dashboard,
    create_private_challenge,
    download_activity,
    expect_,
    global_leaderboard_opens,
    join_with_code,
    leaderboard_shows,
    open_first_portfolio,
    place_edit_and_cancel_limit,
    sell_some,
    sign_up,
    watch_and_chart,
)

pytestmark = pytest.mark.browser

PAGES = [
    ("dashboard", "/"),
    ("trade", "/trade/AAPL"),
    ("orders", "/orders"),
    ("analytics", "/analytics"),
    ("challenges", "/challenges"),
    ("instrument", "/instruments/AAPL"),
    ("settings", "/settings"),
    ("leaderboard", "/leaderboard"),
]
READY = {
    "dashboard": "Performance",
    "trade": "Order ticket",
    "orders": "Activity",
    "analytics": "Return and risk",
    "challenges": "Browse challenges",
    "instrument": "Price chart",
    "settings": "Password",
}


def photograph_pages(page: Any, base_url: str, viewport: str, challenge: str) -> None:
    """Visit every signed-in page and save a full-page screenshot once it has loaded."""
    expect = expect_()
    for name, path in [*PAGES, ("challenge", f"/challenges/{challenge}")]:
        page.goto(f"{base_url}{path}")
        heading = READY.get(name, "Leaderboard")
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        expect(page.get_by_role("status").filter(has_text=re.compile("^Loading"))).to_have_count(0)
        screenshot(page, f"{name}-{viewport}")


def test_newcomer_signs_up_trades_reads_returns_and_plays_a_challenge(
        live_server: str, new_page: Any, console: Any) -> None:
    alice = new_page("desktop")
    screenshot_sign_in(alice, live_server)
    sign_up(alice, live_server, "alice")
    open_first_portfolio(alice)
    buy_at_market(alice)
    place_edit_and_cancel_limit(alice)
    sell_some(alice)
    download_activity(alice)
    check_dashboard(alice)
    watch_and_chart(alice)
    number, code = create_private_challenge(alice)

    bob = new_page("desktop")
    sign_up(bob, live_server, "bob")
    join_with_code(bob, number, code)
    leaderboard_shows(bob, ["Alice", "Bob"])
    alice.reload()
    leaderboard_shows(alice, ["Alice", "Bob"])
    global_leaderboard_opens(alice)

    photograph_pages(alice, live_server, "desktop", number)
    phone = new_page("phone", storage_state=alice.context.storage_state())
    photograph_pages(phone, live_server, "phone", number)
    assert console.errors == []


def screenshot_sign_in(page: Any, base_url: str) -> None:
    """The signed-out front door at both widths."""
    expect = expect_()
    page.goto(f"{base_url}/sign-in")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    screenshot(page, "sign-in-desktop")
    page.set_viewport_size({"width": 375, "height": 740})
    screenshot(page, "sign-in-phone")
    page.set_viewport_size({"width": 1280, "height": 800})
