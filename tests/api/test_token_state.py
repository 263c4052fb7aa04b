"""The token check reads no user row, and revocations still take effect at once (with Redis)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select

from invsim.core.kvstore import MemoryStore
from invsim.extensions import db, stores
from invsim.users.models import User
from invsim.users.token_state import TokenState, TokenStates, state_key
from tests.factories import PASSWORD, auth_headers, register


def _statements(run: Any) -> list[str]:
    """Run `run()` and return the SQL statements it sent."""
    sent: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        run()
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    return sent


def test_an_order_request_reads_no_user_row(client):
    tokens = register(client, "lean")
    headers = auth_headers(tokens)
    # SQLite hands a deleted user's id to the next account: an earlier test's stored state
    # for that id would (correctly) send every check to the row. Start from none.
    user_id = db.session.scalar(select(User.id).where(User.username == "lean"))
    stores.kv.delete(state_key(user_id))
    db.session.remove()
    portfolio = client.post("/api/v1/portfolios", headers=headers,
                            json={"name": "p", "starting_cash": "1000"}).get_json()
    client.get(f"/api/v1/portfolios/{portfolio['id']}/orders", headers=headers)  # state stored
    sent = _statements(lambda: client.get(f"/api/v1/portfolios/{portfolio['id']}/orders",
                                          headers=headers))
    assert sent and not any("FROM users" in s for s in sent)


def test_sign_out_everywhere_refuses_tokens_whose_state_was_stored(make_app, redis_url):
    app = make_app(redis_url=redis_url)
    with app.app_context():
        client = app.test_client()
        first = register(client, "shared")
        second = client.post("/api/v1/auth/login",
                             json={"login": "shared", "password": PASSWORD}
                             ).get_json()
        assert client.get("/api/v1/portfolios", headers=auth_headers(second)).status_code == 200
        assert client.post("/api/v1/auth/logout-all",
                           headers=auth_headers(first)).status_code == 204
        assert client.get("/api/v1/portfolios", headers=auth_headers(second)).status_code == 401


def test_a_reader_that_missed_never_overwrites_a_newer_state():
    states = TokenStates(store := MemoryStore())
    states.changed(7, TokenState(version=2, active=True))  # the writer, after its commit
    states.remember(7, TokenState(version=1, active=True))  # a reader that read the old row
    assert store.get(state_key(7)) == "2:1"


def test_stored_states_read_back_and_judge_tokens():
    state = TokenState.decode(TokenState(3, True).encode())
    assert state == TokenState(3, True)
    assert state.accepts(3) and not state.accepts(2)
    assert not TokenState(3, False).accepts(3)
    assert TokenState.decode("garbage") is None
