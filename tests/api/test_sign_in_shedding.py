"""A burst of password checks is shed with a fast 503, not queued until every client times out."""

import threading

from sqlalchemy import func, select

from invsim.extensions import db
from invsim.users.models import RefreshToken
from invsim.users.passwords import hasher
from tests.factories import PASSWORD, register


def test_a_sign_in_that_finds_every_slot_taken_is_a_503_with_retry_after(make_app):
    app = make_app(password_hash_concurrency=1, password_hash_wait_seconds=0.05)
    client = app.test_client()
    with app.app_context():
        register(client, "shed")
        sessions_before = db.session.scalar(select(func.count()).select_from(RefreshToken))
        db.session.remove()
        with hasher.slot():  # another request is checking a password in this process
            busy = client.post("/api/v1/auth/login", json={"login": "shed", "password": PASSWORD})
        after = client.post("/api/v1/auth/login", json={"login": "shed", "password": PASSWORD})
        sessions_after = db.session.scalar(select(func.count()).select_from(RefreshToken))
    assert busy.status_code == 503
    assert int(busy.headers["Retry-After"]) >= 1
    error = busy.get_json()["error"]
    assert error["code"] == "service_unavailable"
    assert error["details"] == {"reason": "password_checks_busy"}
    assert after.status_code == 200  # the slot freed: sign-in works again
    assert sessions_after == sessions_before + 1  # the shed attempt wrote nothing


def test_a_check_waits_for_a_free_slot_and_runs_when_one_frees(make_app):
    make_app(password_hash_concurrency=2, password_hash_wait_seconds=30)
    results: list[bool] = []
    waiting = threading.Thread(target=lambda: results.append(hasher.verify(None, "x" * 12)))
    with hasher.slot(), hasher.slot():  # both slots taken
        waiting.start()
        waiting.join(timeout=0.3)
        assert waiting.is_alive() and results == []  # it waits; it is neither run nor shed
    waiting.join(timeout=30)
    assert results == [False]  # a slot freed: the check ran (and refused the unknown hash)
