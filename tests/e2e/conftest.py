"""Run the real app (`invsim run`) on a temporary database and drive it with Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.services import services_required

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("INVSIM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 740}}


def _missing(what: str) -> None:
    if services_required():
        pytest.fail(f"{what} (INVSIM_REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(what)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"invsim run exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/readyz", timeout=2):  # noqa: S310 - loopback
                return
        except Exception:
            time.sleep(0.3)
    raise RuntimeError("invsim run did not become ready")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start `invsim run` on a free port with a fresh SQLite database."""
    if not (ROOT / "src" / "invsim" / "static" / "app" / "index.html").is_file():
        _missing("web app not built (make web)")
    var_dir = tmp_path_factory.mktemp("e2e-var")
    port = _free_port()
    env = {**os.environ, "VAR_DIR": str(var_dir), "PORT": str(port), "HOST": "127.0.0.1",
           "ARGON2_TIME_COST": "1", "ARGON2_MEMORY_KIB": "1024", "RATE_LIMITS_ENABLED": "false",
           "MARKET_TICK_SECONDS": "1", "STANDINGS_INTERVAL_SECONDS": "5", "LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
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


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        _missing(f"chromium not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_ARGS)
        yield instance
        instance.close()


class ConsoleWatcher:
    """Collect browser console errors and page errors; a test fails on any."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def attach(self, page: Any) -> None:
        page.on("console", lambda msg: self.errors.append(f"console.{msg.type}: {msg.text}")
                if msg.type == "error" else None)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))


@pytest.fixture()
def console() -> ConsoleWatcher:
    """A console watcher; assert `console.errors == []` at the end of a test."""
    return ConsoleWatcher()


@pytest.fixture()
def new_page(browser: Any, console: ConsoleWatcher) -> Iterator[Any]:
    """Open pages in fresh contexts (separate sessions) with console watching."""
    contexts: list[Any] = []

    def open_page(viewport: str = "desktop", storage_state: Any = None) -> Any:
        """Open a page; pass another context's `storage_state()` to reuse its session."""
        context = browser.new_context(viewport=VIEWPORTS[viewport], storage_state=storage_state,
                                      locale="en-US", timezone_id="UTC")
        contexts.append(context)
        page = context.new_page()
        console.attach(page)
        return page

    yield open_page
    for context in contexts:
        context.close()


def screenshot(page: Any, name: str) -> Path:
    """Save a screenshot under artifacts/screenshots (git-ignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
