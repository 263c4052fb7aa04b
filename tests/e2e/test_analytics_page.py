"""The analytics page of a portfolio with two years of history, in Chromium at 1280 and 375 px.

A separate `invsim run` serves a database seeded by `seed_history.py` (a
portfolio opened two years ago on the simulated market), so the rolling charts,
the monthly-returns heatmap and the drawdown table have something to show.
Both widths are photographed (artifacts/screenshots/analytics-history-*.png);
at 375 px nothing may scroll sideways and the heatmap's cells must stay legible.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import _free_port, _missing, _wait_until_up, screenshot
from tests.e2e.flows import PASSWORD, canvas_has_ink, expect_

pytestmark = pytest.mark.browser

EMAIL = "quinn@example.com"


@pytest.fixture(scope="module")
def seeded_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Seed two years of history, then serve it with `invsim run` on a free port."""
    from tests.e2e.conftest import ROOT

    if not (ROOT / "src" / "invsim" / "static" / "app" / "index.html").is_file():
        _missing("web app not built (make web)")
    var_dir = tmp_path_factory.mktemp("e2e-history")
    port = _free_port()
    env = {**os.environ, "VAR_DIR": str(var_dir), "PORT": str(port), "HOST": "127.0.0.1",
           "ARGON2_TIME_COST": "1", "ARGON2_MEMORY_KIB": "1024", "RATE_LIMITS_ENABLED": "false",
           "LOG_LEVEL": "WARNING", "SCHEDULER_ENABLED": "false"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    subprocess.run([sys.executable, "-m", "tests.e2e.seed_history", EMAIL, PASSWORD], env=env,
                   cwd=ROOT, check=True, timeout=300)
    log = open(var_dir / "server.log", "wb")  # noqa: SIM115 - closed in finally
    process = subprocess.Popen([sys.executable, "-m", "invsim", "run"], env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def sign_in(page: Any, base_url: str) -> None:
    """Sign in as the seeded user."""
    expect = expect_()
    page.goto(f"{base_url}/sign-in")
    page.get_by_label("Email or username").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Long history", level=1)).to_be_visible()


def analytics_loaded(page: Any, base_url: str) -> None:
    """Open the analytics page and wait for the long-run sections."""
    expect = expect_()
    page.goto(f"{base_url}/analytics")
    for heading in ("Rolling risk", "Monthly returns", "Worst drawdowns", "Reports"):
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Loading")).to_have_count(0)
    expect(page.locator(".heatmap tbody tr")).to_have_count(3)  # three calendar years touched
    # the deepest drawdowns of two simulated years: how many depends on the market's path
    # (the top-5 rule itself is tested in tests/api/analytics); at least one, at most five
    drawdowns = page.locator(".table--stack tbody tr")
    expect(drawdowns.first).to_be_visible()
    assert 1 <= drawdowns.count() <= 5


def no_sideways_scroll(page: Any) -> bool:
    """Say whether the document is no wider than the viewport."""
    return bool(page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"))


def test_the_analytics_page_shows_rolling_risk_monthly_returns_and_drawdowns(
        seeded_server: str, new_page: Any, console: Any, tmp_path: Any) -> None:
    expect = expect_()
    desktop = new_page("desktop")
    sign_in(desktop, seeded_server)
    analytics_loaded(desktop, seeded_server)
    for figure in ("Rolling volatility", "Rolling Sharpe ratio", "Rolling beta"):
        expect(desktop.get_by_role("heading", name=figure)).to_be_visible()
    assert desktop.locator(".rolling__latest").first.inner_text().startswith("Latest: 3M ")
    for index in range(3):
        assert canvas_has_ink(desktop, f".rolling:nth-child({index + 1}) canvas")
    months = desktop.locator(".heatmap td[data-month]:not(:empty)")
    assert months.count() >= 24  # two years of months, each showing its signed return
    assert no_sideways_scroll(desktop)
    screenshot(desktop, "analytics-history-desktop")
    desktop.get_by_role("radio", name="All").check()  # the reports follow the chosen period
    with desktop.expect_download() as download:
        desktop.get_by_role("button", name="Download tearsheet (HTML)").click()
    assert download.value.suggested_filename.endswith("-tearsheet.html")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    desktop.goto(saved.as_uri())  # the tearsheet opens on its own, offline
    expect(desktop.get_by_role("heading", name="Rolling figures")).to_be_visible()
    assert "Period ALL" in desktop.locator("p.muted").first.inner_text()
    assert desktop.locator("svg polyline").count() >= 8  # comparison, drawdown, 3 rolling × 2
    screenshot(desktop, "tearsheet-desktop")

    phone = new_page("phone", storage_state=desktop.context.storage_state())
    analytics_loaded(phone, seeded_server)
    assert no_sideways_scroll(phone)
    cell = phone.locator(".heatmap td[data-month]:not(:empty)").first
    box = cell.bounding_box()
    assert box is not None and box["width"] >= 60  # four months a row: wide enough to read
    font = phone.evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)", cell.element_handle())
    assert font >= 12
    screenshot(phone, "analytics-history-phone")
    assert console.errors == []
