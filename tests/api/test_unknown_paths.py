"""Unknown paths are 404 everywhere: the JSON error shape, or the web app's page for a browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from invsim.api.frontend import CLIENT_ROUTES

ROUTER = Path(__file__).resolve().parents[2] / "web" / "src" / "app" / "router.tsx"
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def test_the_server_knows_exactly_the_web_apps_routes():
    paths = re.findall(r'path: "([^"]+)"', ROUTER.read_text())
    first = {p.split("/", 1)[0] for p in paths if p != "*"} | {""}
    assert first == CLIENT_ROUTES


@pytest.mark.parametrize("path", ["/nothing", "/wp-login.php", "/orders-old", "/.env",
                                  "/settings.json/x"])
def test_an_unknown_get_is_a_404_in_the_error_shape(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_a_browser_gets_the_app_with_404_so_it_shows_its_not_found_page(client):
    response = client.get("/nothing", headers=BROWSER)
    assert response.status_code == 404 and response.mimetype == "text/html"


@pytest.mark.parametrize("path", ["/", "/orders", "/trade/AAPL", "/challenges/3", "/api-keys"])
def test_the_web_apps_routes_still_load(client, path):
    response = client.get(path, headers=BROWSER)
    assert response.status_code == 200 and response.mimetype == "text/html"


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_other_methods_on_unknown_paths_are_404(client, method):
    response = client.open("/nothing", method=method)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
