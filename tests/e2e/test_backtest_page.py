"""The Backtest page in a real browser against the real server and its in-process job.

Sign up, open a portfolio, go to Backtest from the main navigation, run an SMA
crossover (progress, figures, charts with ink, trades), a sweep (heatmap and best
rows) and a walk-forward (the in/out-of-sample table and its verdict), compare two
saved runs, and press "Run live". Each result is photographed at 1280 and 375 px
and must not scroll sideways on the phone; the console stays free of errors (a
"Run live" refused while the live-strategies API is absent is the one allowed 404).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.conftest import VIEWPORTS, screenshot
from tests.e2e.flows import canvas_has_ink, expect_, go, open_first_portfolio, sign_up
from tests.e2e.test_api_keys_page import no_sideways_scroll

pytestmark = pytest.mark.browser

RUN_TIMEOUT = 60_000
ALLOWED = "Failed to load resource: the server responded with a status of 404"


def photograph(page: Any, name: str) -> None:
    """Screenshot at both widths; the phone must not scroll sideways."""
    for viewport in ("desktop", "phone"):
        page.set_viewport_size(VIEWPORTS[viewport])
        assert no_sideways_scroll(page), f"{name} scrolls sideways at {viewport} width"
        page.wait_for_timeout(400)  # Chart.js redraws at the new width on its resize observer
        page.evaluate("window.scrollTo(0, 0)")
        screenshot(page, f"{name}-{viewport}")
    page.set_viewport_size(VIEWPORTS["desktop"])


def fill_strategy(page: Any, fast: str, slow: str) -> None:
    """Choose the SMA crossover on AAPL over 2023–2024."""
    page.get_by_label("Strategy").select_option("sma_cross")
    page.get_by_label("fast", exact=True).fill(fast)
    page.get_by_label("slow", exact=True).fill(slow)
    page.get_by_label("Symbols").fill("AAPL")
    page.get_by_label("Start").fill("2023-01-01")
    page.get_by_label("End").fill("2024-12-31")


def test_run_sweep_and_walk_forward_through_the_page(live_server: str, new_page: Any,
                                                     console: Any) -> None:
    expect = expect_()
    page = new_page("desktop")
    sign_up(page, live_server, "quant")
    open_first_portfolio(page)
    go(page, "Backtest")
    expect(page.get_by_role("heading", name="Backtest", level=1)).to_be_visible()

    fill_strategy(page, "10", "30")
    page.get_by_label("Commission (%)").fill("0.1")
    page.get_by_role("button", name="Run backtest").click()
    expect(page.get_by_role("progressbar")).to_be_visible()
    figures = page.get_by_label("Backtest figures")
    expect(figures).to_be_visible(timeout=RUN_TIMEOUT)
    expect(page.get_by_role("progressbar")).to_have_attribute("value", "100")
    expect(figures.get_by_text("Final equity")).to_be_visible()
    expect(page.get_by_role("table", name="Trades").locator("tbody tr").first).to_be_visible()
    page.wait_for_timeout(300)  # a frame for Chart.js to paint
    assert canvas_has_ink(page, ".bt-chart canvas"), "the equity chart is blank"
    photograph(page, "backtest-run")

    page.get_by_role("radio", name="Sweep").check()
    page.get_by_label("First parameter").select_option("fast")
    page.get_by_label("fast values").fill("5:20:5")
    page.get_by_label("Second parameter").select_option("slow")
    page.get_by_label("slow values").fill("30:60:10")
    page.get_by_role("button", name="Run sweep").click()
    heatmap = page.locator(".bt-heatmap__table")
    expect(heatmap).to_be_visible(timeout=RUN_TIMEOUT)
    expect(heatmap.locator("td.is-best")).to_have_count(1)
    expect(page.get_by_role("table", name="Best parameter sets")).to_be_visible()
    photograph(page, "backtest-sweep")

    page.get_by_role("radio", name="Walk-forward").check()
    page.get_by_label("Training bars").fill("200")
    page.get_by_label("Test bars").fill("100")
    page.get_by_role("button", name="Run walk-forward").click()
    windows = page.get_by_role("table", name="Walk-forward windows")
    expect(windows).to_be_visible(timeout=RUN_TIMEOUT)
    expect(windows.locator("tbody tr").first).to_be_visible()
    expect(page.get_by_text(re.compile(r"Warning:|held out of sample"))).to_be_visible()
    photograph(page, "backtest-walk-forward")

    saved = page.get_by_role("region", name="Saved runs")
    items = saved.get_by_role("listitem")
    expect(items).to_have_count(3)
    saved.get_by_role("checkbox").nth(1).check()
    saved.get_by_role("checkbox").nth(2).check()
    saved.get_by_role("button", name="Compare selected (2)").click()
    comparison = page.get_by_role("table", name="Comparison")
    expect(comparison).to_be_visible()
    expect(comparison.get_by_text("Final equity")).to_be_visible()
    comparison.scroll_into_view_if_needed()
    photograph(page, "backtest-compare")

    saved.get_by_role("listitem").last.get_by_role("button", name="View").click()
    expect(figures).to_be_visible(timeout=RUN_TIMEOUT)
    page.get_by_role("button", name="Run live").click()
    expect(page.get_by_text(re.compile(
        r"now runs live on|isn't available on this server yet"))).to_be_visible()
    unexpected = [e for e in console.errors if ALLOWED not in e]
    assert unexpected == []
