"""API keys: created and listed through /api/v1, revoked at once everywhere, limited per key."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from invsim.brokerapi.keys import secret_digest
from invsim.brokerapi.models import ApiKey
from invsim.extensions import db
from tests.api.brokerapi.conftest import open_bot
from tests.conftest import TEST_SETTINGS
from tests.e2e.conftest import _free_port
from tests.service.trading.support import sign_in


def get(url: str, headers: dict[str, str]) -> tuple[int, Any]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def test_the_secret_is_shown_once_and_stored_only_as_a_hash(client, app, bot):
    listed = client.get(f"/api/v1/portfolios/{bot.portfolio_id}/api-keys",
                        headers=bot.headers).get_json()["items"]
    assert [k["key_id"] for k in listed] == [bot.key_id]
    assert "secret" not in listed[0] and listed[0]["status"] == "active"
    with app.app_context():
        row = db.session.scalar(select(ApiKey).where(ApiKey.key_id == bot.key_id))
        assert row.secret_hash == secret_digest(bot.secret) and bot.secret not in row.secret_hash
        db.session.remove()


def test_last_used_is_recorded(client, bot):
    assert client.get("/alpaca/v2/account", headers=bot.key_headers).status_code == 200
    listed = client.get(f"/api/v1/portfolios/{bot.portfolio_id}/api-keys",
                        headers=bot.headers).get_json()["items"]
    assert listed[0]["last_used_at"] is not None


def test_keys_belong_to_their_owner(client, bot, clock):
    stranger = sign_in(client, clock)
    base = f"/api/v1/portfolios/{bot.portfolio_id}/api-keys"
    assert client.get(base, headers=stranger).status_code == 404
    assert client.post(base, json={"name": "x"}, headers=stranger).status_code == 404
    assert client.delete(f"{base}/{bot.key_id}", headers=stranger).status_code == 404
    assert client.get("/alpaca/v2/account", headers=bot.key_headers).status_code == 200


@pytest.mark.parametrize("body", [{}, {"name": ""}, {"name": "x" * 65}, {"name": 5},
                                  {"name": "ok", "scope": "all"}])
def test_a_bad_name_is_422(client, bot, body):
    response = client.post(f"/api/v1/portfolios/{bot.portfolio_id}/api-keys", json=body,
                           headers=bot.headers)
    assert response.status_code == 422 and response.get_json()["error"]["code"]


def test_at_most_ten_active_keys(client, bot):
    base = f"/api/v1/portfolios/{bot.portfolio_id}/api-keys"
    for n in range(9):
        assert client.post(base, json={"name": f"k{n}"}, headers=bot.headers).status_code == 201
    refused = client.post(base, json={"name": "eleventh"}, headers=bot.headers)
    assert (refused.status_code, refused.get_json()["error"]["code"]) == (
        409, "too_many_api_keys")
    client.delete(f"{base}/{bot.key_id}", headers=bot.headers)
    assert client.post(base, json={"name": "again"}, headers=bot.headers).status_code == 201


@pytest.fixture()
def second_process(database_url: str, tmp_path: Path) -> Iterator[str]:
    """Another server process (`invsim run`) on the same database."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "VAR_DIR": str(tmp_path),
           "PORT": str(port), "HOST": "127.0.0.1", "SCHEDULER_ENABLED": "false",
           "RATE_LIMITS_ENABLED": "false", "LOG_LEVEL": "WARNING",
           "SECRET_KEY": TEST_SETTINGS["secret_key"],
           "BLIND_INDEX_KEY": TEST_SETTINGS["blind_index_key"],
           "LOCAL_KEYRING": str(TEST_SETTINGS["local_keyring"])}
    env.pop("REDIS_URL", None)
    process = subprocess.Popen([sys.executable, "-m", "invsim", "run"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"{url}/readyz", timeout=2)  # noqa: S310 - loopback
                break
            except Exception:
                assert process.poll() is None, "the second server exited"
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(10)


def test_a_revoked_key_is_refused_at_once_by_another_process(client, bot, second_process):
    assert get(f"{second_process}/alpaca/v2/account", bot.key_headers)[0] == 200
    revoked = client.delete(f"/api/v1/portfolios/{bot.portfolio_id}/api-keys/{bot.key_id}",
                            headers=bot.headers)
    assert revoked.status_code == 200 and revoked.get_json()["status"] == "revoked"
    status, body = get(f"{second_process}/alpaca/v2/account", bot.key_headers)
    assert status == 401 and isinstance(body["code"], int)
    assert client.get("/alpaca/v2/account", headers=bot.key_headers).status_code == 401


def test_keys_are_rate_limited_per_key(make_app, client, server, clock):
    limited = make_app(rate_limits_enabled=True, rate_limit_api_key="3 per minute",
                       rate_limit_default="1000 per minute")
    first = open_bot(client, server, clock)
    second = open_bot(client, server, clock)
    with limited.test_client() as limited_client:
        answers = [limited_client.get("/alpaca/v2/clock", headers=first.key_headers)
                   for _ in range(4)]
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        refused = answers[-1]
        assert int(refused.headers["Retry-After"]) > 0
        assert refused.get_json()["code"] == 42910000
        assert limited_client.get("/alpaca/v2/clock",
                                  headers=second.key_headers).status_code == 200
