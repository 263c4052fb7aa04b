"""The API keys page in a real browser, its key checked against the real Alpaca-compatible API.

Sign up, open a portfolio, go from the dashboard to the API keys page, create a key,
read its secret from the one-time panel (and copy it), call `GET /alpaca/v2/account`
with it (200), revoke it in the page, and see the same call refused (401). The page
is photographed at 1280 and 375 px with the secret shown and after the revocation,
must not scroll sideways on the phone, and the console must stay free of errors.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from typing import Any

import pytest

from tests.e2e.conftest import VIEWPORTS, screenshot
from tests.e2e.flows import expect_, open_first_portfolio, sign_up

pytestmark = pytest.mark.browser


def alpaca_account(base_url: str, key_id: str, secret: str) -> tuple[int, dict[str, Any]]:
    """Call Alpaca's account endpoint the way a bot does; return the status and JSON body."""
    request = urllib.request.Request(  # noqa: S310 - the loopback test server
        f"{base_url}/alpaca/v2/account",
        headers={"APCA-API-KEY-ID": key_id, "APCA-API-SECRET-KEY": secret})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def no_sideways_scroll(page: Any) -> bool:
    """Say whether the page fits the viewport's width (nothing pokes out to the right).

    Waits up to 5 s: after a resize, charts take a frame or two to shrink to their card.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        # A function, not an expression string: Playwright polls a string with eval, which
        # the app's CSP (script-src 'self') refuses once the first check is false.
        page.wait_for_function(
            "() => document.documentElement.scrollWidth <= window.innerWidth", timeout=5_000)
    except PlaywrightTimeout:
        return False
    return True


def photograph_both_widths(page: Any, name: str) -> None:
    """Screenshot at the desktop and phone widths (same page, so one-time content stays)."""
    for viewport in ("desktop", "phone"):
        page.set_viewport_size(VIEWPORTS[viewport])
        assert no_sideways_scroll(page), f"{name} scrolls sideways at {viewport} width"
        page.evaluate("window.scrollTo(0, 0)")  # the sticky app bar otherwise covers the heading
        screenshot(page, f"{name}-{viewport}")
    page.set_viewport_size(VIEWPORTS["desktop"])


def test_create_use_and_revoke_an_api_key(live_server: str, new_page: Any, console: Any) -> None:
    expect = expect_()
    page = new_page("desktop")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    sign_up(page, live_server, "botmaker")
    open_first_portfolio(page)
    page.set_viewport_size(VIEWPORTS["phone"])  # the dashboard's header gained a link: still fits
    assert no_sideways_scroll(page), "the dashboard scrolls sideways at phone width"
    screenshot(page, "api-keys-dashboard-link-phone")
    page.set_viewport_size(VIEWPORTS["desktop"])

    page.get_by_role("link", name="API keys").click()
    expect(page.get_by_role("heading", name="API keys", level=1)).to_be_visible()
    expect(page.get_by_text("No API keys yet.")).to_be_visible()
    expect(page.get_by_text(f"{live_server}/alpaca/v2", exact=True)).to_be_visible()

    page.get_by_label("Key name").fill("e2e-bot")
    page.get_by_label("Key name").press("Enter")
    panel = page.get_by_role("region", name=re.compile("Your new API key"))
    expect(panel).to_be_visible()
    expect(panel.get_by_role("heading", level=2)).to_be_focused()
    expect(panel.get_by_text("it will not be shown again")).to_be_visible()
    key_id = panel.get_by_test_id("new-key-id").inner_text()
    secret = panel.get_by_test_id("new-key-secret").inner_text()
    assert re.fullmatch(r"PK[A-Z0-9]{18}", key_id), key_id
    assert re.fullmatch(r"[A-Za-z0-9]{40}", secret), secret
    expect(panel.get_by_text(f'TradingClient("{key_id}", "{secret}", '
                             f'url_override="{live_server}/alpaca")')).to_be_visible()
    panel.get_by_role("button", name="Copy the secret key").click()
    expect(panel.get_by_text("Copied the secret key.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == secret
    keys = page.get_by_role("region", name="Your API keys")
    expect(keys.get_by_role("listitem", name="e2e-bot").get_by_text(key_id)).to_be_visible()
    photograph_both_widths(page, "api-keys-new")

    status, account = alpaca_account(live_server, key_id, secret)
    assert status == 200, account
    assert account["status"] == "ACTIVE" and "buying_power" in account

    page.get_by_role("button", name="I've stored the secret").click()
    expect(panel).to_have_count(0)
    assert secret not in page.content()
    page.reload()  # the list shows the bot's call
    item = keys.get_by_role("listitem", name="e2e-bot")
    expect(item.get_by_text("Active", exact=True)).to_be_visible()
    expect(item.locator("dd", has_text="Never")).to_have_count(0)

    item.get_by_role("button", name="Revoke e2e-bot").click()
    confirm = page.get_by_role("group", name="Confirm revoking e2e-bot")
    expect(confirm.get_by_role("button", name="Keep key")).to_be_focused()
    confirm.get_by_role("button", name="Yes, revoke key").click()
    expect(page.get_by_role("status").filter(has_text="Revoked “e2e-bot”")).to_be_visible()
    expect(item.get_by_text("Revoked", exact=True).first).to_be_visible()
    expect(keys.get_by_text("0 of 10 active")).to_be_visible()

    status, error = alpaca_account(live_server, key_id, secret)
    assert status == 401, error
    photograph_both_widths(page, "api-keys-revoked")
    assert console.errors == []
