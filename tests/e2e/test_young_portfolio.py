"""A minutes-old portfolio in Chromium: phone-width cards, trading rules, honest young figures, tick prices.

Issue 15 (defects 7, 8, 9 and 11), on the shared `invsim run` of the session:
one trader signs up, buys 10 AAPL and opens a challenge (module fixture), then

- at 375 px the numbers that matter (positions' market value, day change and
  P&L, past orders' status, the leaderboard's equity, the allocation's weight)
  are on screen, each with its label, without scrolling sideways;
- a new portfolio's account type, shorting, fractions, commission and slippage
  are set in the form (behind a disclosure) and shown on the portfolio page;
- the young history is labelled by its real span, figures needing more history
  say so, and the return, P&L and largest holding agree with each other;
- prices are shown at the cent, however many decimals the API sends.

Pages changed are photographed at both widths (artifacts/screenshots/young-*.png).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import VIEWPORTS, screenshot
from tests.e2e.flows import (
    buy_at_market,
    create_private_challenge,
    expect_,
    open_first_portfolio,
    sign_up,
)

pytestmark = pytest.mark.browser

CENTS = re.compile(r"^\$\d{1,3}(,\d{3})*\.\d{2}$")


@pytest.fixture(scope="module")
def trader(browser: Any, live_server: str) -> Iterator[dict[str, Any]]:
    """A trader who bought 10 AAPL minutes ago and opened a challenge; their session."""
    context = browser.new_context(viewport=VIEWPORTS["desktop"], locale="en-US", timezone_id="UTC")
    page = context.new_page()
    sign_up(page, live_server, "young")
    open_first_portfolio(page)
    buy_at_market(page)
    number, _ = create_private_challenge(page)
    yield {"state": context.storage_state(), "challenge": number}
    context.close()


def _table(page: Any, region: str) -> Any:
    """The scrolling box of a table, named like its section."""
    return page.locator(f'.table-scroll[role=region][aria-label="{region}"]').first


def _cell_under(page: Any, region: str, header: str) -> Any:
    """The first row's cell under a column header of a table region."""
    table = _table(page, region)
    expect_()(table.locator("tbody tr").first).to_be_visible()
    headers = [t.strip() for t in table.locator("thead th").all_text_contents()]
    assert header in headers, headers
    row = table.locator("tbody tr").first
    return row.locator(":scope > th, :scope > td").nth(headers.index(header))


def assert_on_screen_with_label(page: Any, region: str, header: str) -> None:
    """The value is visible inside the 375 px viewport, labelled, and nothing scrolls sideways."""
    expect = expect_()
    cell = _cell_under(page, region, header)
    expect(cell).to_be_visible()
    box = cell.bounding_box()  # never scrolled into view: sideways scrolling is the defect
    width = page.viewport_size["width"]
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, (
        f"{region} / {header} is off screen at {width} px: {box}")
    label = cell.evaluate("""(el) => {
        const before = getComputedStyle(el, '::before').content;
        return before && before !== 'none' ? before.replace(/^"|"$/g, '') : el.innerText;
    }""")
    assert header in label, f"{region} / {header}: the value is shown without its label ({label!r})"
    assert cell.evaluate("(el) => el.innerText.trim()"), f"{region} / {header} is empty"
    scrolls = _table(page, region).evaluate(
        "(el) => el.scrollWidth > el.clientWidth + 1")
    assert not scrolls, f"{region} scrolls sideways at {width} px"
    assert page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_phone_width_shows_value_day_change_pl_status_equity_and_weight(
        trader: dict[str, Any], live_server: str, new_page: Any, console: Any) -> None:
    expect = expect_()
    phone = new_page("phone", storage_state=trader["state"])
    phone.goto(f"{live_server}/")
    expect(phone.get_by_role("region", name="Positions").locator("tbody tr")).to_have_count(1)
    for header in ("Market value", "Day change", "Unrealized P&L", "Last price"):
        assert_on_screen_with_label(phone, "Positions", header)
    expect(phone.get_by_role("region", name="Allocation by holding")).to_be_visible()
    assert_on_screen_with_label(phone, "Allocation by holding", "Weight")
    screenshot(phone, "young-dashboard-phone")
    phone.goto(f"{live_server}/orders")
    expect(phone.get_by_role("region", name="Past orders").locator("tbody tr").first).to_be_visible()
    assert_on_screen_with_label(phone, "Past orders", "Status")
    screenshot(phone, "young-orders-phone")
    phone.goto(f"{live_server}/challenges/{trader['challenge']}")
    board = phone.get_by_role("region", name="Leaderboard")
    expect(board.locator("tbody tr").first).to_be_visible(timeout=30_000)
    assert_on_screen_with_label(phone, "Leaderboard", "Equity")
    assert_on_screen_with_label(phone, "Leaderboard", "Return")
    screenshot(phone, "young-challenge-phone")
    phone.goto(f"{live_server}/analytics")
    expect(phone.get_by_role("region", name="Allocation by holding").first).to_be_visible()
    assert_on_screen_with_label(phone, "Allocation by holding", "Weight")
    assert console.errors == []


def test_prices_show_at_the_instruments_tick(
        trader: dict[str, Any], live_server: str, new_page: Any, console: Any) -> None:
    expect = expect_()
    page = new_page("desktop", storage_state=trader["state"])
    page.goto(f"{live_server}/trade/AAPL")
    quote = page.get_by_label("AAPL quote")
    expect(quote.get_by_text("Bid")).to_be_visible()
    for term in ("Bid", "Ask", "Prev. close"):
        shown = quote.locator(f"dt:text-is('{term}') + dd").inner_text()
        assert CENTS.match(shown), f"{term} {shown!r} is not at the cent"
    last = quote.locator(".quote__last").inner_text().split()[0]
    assert CENTS.match(last), f"last {last!r} is not at the cent"
    page.goto(f"{live_server}/")
    for header in ("Avg cost", "Last price"):
        shown = _cell_under(page, "Positions", header).inner_text().split("\n")[0].strip()
        shown = shown.removesuffix("Stale").strip()
        assert CENTS.match(shown), f"{header} {shown!r} is not at the cent"
    assert console.errors == []


def test_a_minutes_old_portfolio_labels_its_span_and_holds_back_figures(
        trader: dict[str, Any], live_server: str, new_page: Any, console: Any) -> None:
    expect = expect_()
    for viewport in ("desktop", "phone"):
        page = new_page(viewport, storage_state=trader["state"])
        page.goto(f"{live_server}/")
        performance = page.get_by_role("region", name="Performance")
        expect(performance.get_by_text(re.compile(r"since it opened"))).to_be_visible()
        expect(performance.get_by_text(re.compile(r"over the past month"))).to_have_count(0)
        # SPY's base is a session close: no line falling "in 20 seconds" beside the opening
        expect(performance.get_by_text(re.compile(r"SPY joins the chart after the first day"))).to_be_visible()
        screenshot(page, f"young-dashboard-{viewport}")
        page.goto(f"{live_server}/analytics")
        metrics = page.get_by_role("region", name="Return and risk")
        expect(metrics.get_by_text(re.compile(r"^Since the portfolio opened"))).to_be_visible()
        expect(metrics.get_by_text(re.compile(r"^From \w+ \d+"))).to_have_count(0)

        def card(label: str) -> Any:
            return metrics.locator(".metric").filter(has=page.locator(f"dt:text-is('{label}')"))

        expect(card("Days with a gain")).to_contain_text("Needs 5 days of history")
        expect(card("Value at risk (95 %)")).to_contain_text("Needs 20 days of history")
        expect(card("SPY return")).to_contain_text("Needs 2 days of history")
        pl = card("Profit / loss").locator(".metric__value").inner_text()
        ret = card("Return").locator(".metric__value").inner_text()
        if re.search(r"[1-9]", pl):  # a non-zero P&L never sits next to a 0.00 % return
            assert re.search(r"[1-9]", ret), f"P&L {pl} next to return {ret}"
        expect(page.get_by_text("Not enough history for drawdowns yet.")).to_be_visible()
        weight = _cell_under(page, "Allocation by holding", "Weight").inner_text().strip()
        expect(card("Largest holding")).to_contain_text(f"{weight} of equity")
        screenshot(page, f"young-analytics-{viewport}")
    assert console.errors == []


def test_a_new_portfolio_sets_its_trading_rules_and_shows_them(
        trader: dict[str, Any], live_server: str, new_page: Any, console: Any) -> None:
    expect = expect_()
    page = new_page("desktop", storage_state=trader["state"])
    page.goto(f"{live_server}/")
    page.get_by_role("button", name="New portfolio").click()
    form = page.get_by_role("form", name="Open another portfolio")
    form.get_by_label("Name").fill("Margin book")
    rules = form.get_by_text("Trading rules")
    expect(form.get_by_label("Margin account")).to_be_hidden()  # the defaults sit behind it
    rules.click()
    expect(form.get_by_label("Cash account")).to_be_checked()
    expect(form.get_by_label("Fractional shares")).to_be_checked()
    expect(form.get_by_label("Allow short selling")).to_be_disabled()  # needs a margin account
    form.get_by_label("Margin account").check()
    form.get_by_label("Allow short selling").check()
    form.get_by_label("Fractional shares").uncheck()
    form.get_by_label("Commission").select_option("per_trade")
    form.get_by_label("Fee per order (USD)").fill("1.50")
    form.get_by_label("Slippage (basis points)").fill("5")
    page.evaluate("window.scrollTo(0, 0)")  # the sticky header stays on top of the full-page shot
    screenshot(page, "young-new-portfolio-desktop")
    form.get_by_role("button", name="Create portfolio").click()
    expect(page.get_by_role("heading", name="Margin book", level=1)).to_be_visible()
    shown = page.get_by_role("region", name="Trading rules")
    for text in ("Margin account", "Short selling allowed", "Whole shares only",
                 "$1.50 per order", "5 bps"):
        expect(shown.get_by_text(text, exact=False)).to_be_visible()
    screenshot(page, "young-rules-desktop")
    phone = new_page("phone", storage_state=page.context.storage_state())
    phone.goto(f"{live_server}/")
    expect(phone.get_by_role("region", name="Trading rules").get_by_text("Margin account")).to_be_visible()
    screenshot(phone, "young-rules-phone")
    phone.get_by_role("button", name="New portfolio").click()
    phone.get_by_role("form", name="Open another portfolio").get_by_text("Trading rules").click()
    screenshot(phone, "young-new-portfolio-phone")
    assert console.errors == []
