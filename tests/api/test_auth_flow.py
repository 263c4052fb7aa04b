"""Accounts: register, login, refresh rotation and reuse, logout, password change."""

from sqlalchemy import func, select

from invsim.extensions import db
from invsim.users.models import RefreshToken, User
from tests.factories import PASSWORD, auth_headers, register


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_full_account_lifecycle_revokes_tokens_at_each_step(client):
    tokens = register(client, "alice")
    login = client.post("/api/v1/auth/login", json={"login": "alice", "password": PASSWORD})
    assert login.status_code == 200
    first = login.get_json()
    assert first["token_type"] == "Bearer" and first["expires_in"] == 900

    me = client.get("/api/v1/me", headers=auth_headers(first))
    assert me.status_code == 200 and me.get_json()["username"] == "alice"

    rotated = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert rotated.status_code == 200
    second = rotated.get_json()
    reused = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert reused.status_code == 401
    assert reused.get_json()["error"]["code"] == "refresh_token_reused"
    # Reuse revoked the whole family: the rotated tokens stop working too.
    assert client.get("/api/v1/me", headers=auth_headers(second)).status_code == 401
    again = client.post("/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert again.status_code == 401

    fresh = client.post("/api/v1/auth/login", json={"login": "alice@example.com",
                                                    "password": PASSWORD}).get_json()
    out = client.post("/api/v1/auth/logout", headers=auth_headers(fresh),
                      json={"refresh_token": fresh["refresh_token"]})
    assert out.status_code == 204
    assert client.get("/api/v1/me", headers=auth_headers(fresh)).status_code == 401
    assert client.post("/api/v1/auth/refresh",
                       json={"refresh_token": fresh["refresh_token"]}).status_code == 401

    other = client.post("/api/v1/auth/login", json={"login": "alice", "password": PASSWORD}).get_json()
    changed = client.post("/api/v1/me/password", headers=auth_headers(other),
                          json={"current_password": PASSWORD, "new_password": "a-new-long-secret-9"})
    assert changed.status_code == 200
    assert client.get("/api/v1/me", headers=auth_headers(tokens)).status_code == 401
    assert client.get("/api/v1/me", headers=auth_headers(other)).status_code == 401
    assert client.post("/api/v1/auth/refresh",
                       json={"refresh_token": other["refresh_token"]}).status_code == 401
    assert client.get("/api/v1/me", headers=auth_headers(changed.get_json())).status_code == 200
    old_login = client.post("/api/v1/auth/login", json={"login": "alice", "password": PASSWORD})
    assert old_login.status_code == 401


def test_logout_all_revokes_every_session(client):
    a = register(client, "multi")
    b = client.post("/api/v1/auth/login", json={"login": "multi", "password": PASSWORD}).get_json()
    assert client.post("/api/v1/auth/logout-all", headers=auth_headers(a)).status_code == 204
    assert client.get("/api/v1/me", headers=auth_headers(b)).status_code == 401
    assert client.post("/api/v1/auth/refresh",
                       json={"refresh_token": b["refresh_token"]}).status_code == 401


def test_login_failure_does_not_say_which_part_was_wrong(client):
    register(client, "bob")
    wrong_password = client.post("/api/v1/auth/login", json={"login": "bob", "password": "nope-nope-nope"})
    no_account = client.post("/api/v1/auth/login", json={"login": "ghost", "password": PASSWORD})
    assert wrong_password.status_code == no_account.status_code == 401
    assert wrong_password.get_json() == no_account.get_json()
    assert wrong_password.get_json()["error"]["message"] == "Invalid credentials."


def test_duplicate_email_after_normalisation_is_a_conflict(client):
    register(client, "carol")
    response = client.post("/api/v1/auth/register", json={
        "email": "  CAROL@Example.COM ", "username": "carol2", "password": PASSWORD})
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "email_taken"
    duplicate_name = client.post("/api/v1/auth/register", json={
        "email": "other@example.com", "username": "CAROL", "password": PASSWORD})
    assert duplicate_name.status_code == 409
    assert duplicate_name.get_json()["error"]["code"] == "username_taken"
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_sign_up_names_every_problem_at_once(client):
    register(client, "gina")
    weak_and_taken = client.post("/api/v1/auth/register", json={
        "email": "gina@example.com", "username": "gina", "password": "password123"})
    assert weak_and_taken.status_code == 422
    assert weak_and_taken.get_json()["error"]["details"]["fields"] == {
        "email": ["is already registered"], "username": ["is already taken"],
        "password": ["is too common"]}
    both_taken = client.post("/api/v1/auth/register", json={
        "email": "gina@example.com", "username": "gina", "password": PASSWORD})
    assert both_taken.status_code == 409
    assert both_taken.get_json()["error"]["code"] == "account_exists"
    assert set(both_taken.get_json()["error"]["details"]["fields"]) == {"email", "username"}
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_password_rules_reject_short_common_and_username_passwords(client):
    for password, problem in [("short", "at least 10"), ("password123", "too common"),
                              ("daveyjones", "username")]:
        response = client.post("/api/v1/auth/register", json={
            "email": "davey@example.com", "username": "daveyjones", "password": password})
        assert response.status_code == 422
        assert problem in " ".join(response.get_json()["error"]["details"]["fields"]["password"])
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_password_is_stored_as_argon2id_and_never_logged(client, caplog):
    caplog.set_level("DEBUG")
    register(client, "erin")
    client.post("/api/v1/auth/login", json={"login": "erin", "password": "wrong-password-xyz"})
    row = db.session.scalar(select(User).where(User.username == "erin"))
    assert row.password_hash.startswith("$argon2id$")
    assert PASSWORD not in row.password_hash
    assert "user_registered" in caplog.text and "login_failed" in caplog.text
    assert PASSWORD not in caplog.text and "wrong-password-xyz" not in caplog.text
    tokens = db.session.scalars(select(RefreshToken)).all()
    assert tokens and all(PASSWORD not in t.jti for t in tokens)


def test_profile_update_changes_display_name(client):
    headers = auth_headers(register(client, "frank"))
    response = client.patch("/api/v1/me", headers=headers, json={"display_name": "Frank Ü"})
    assert response.status_code == 200
    assert client.get("/api/v1/me", headers=headers).get_json()["display_name"] == "Frank Ü"


def test_tampered_and_missing_tokens_are_rejected(client):
    tokens = register(client, "gina")
    token = tokens["access_token"]
    tampered = token[:-2] + ("aa" if not token.endswith("aa") else "bb")
    assert client.get("/api/v1/me", headers=bearer(tampered)).status_code == 401
    missing = client.get("/api/v1/me")
    assert missing.status_code == 401
    assert missing.get_json()["error"]["code"] == "missing_token"
    refresh_as_access = client.get("/api/v1/me", headers=bearer(tokens["refresh_token"]))
    assert refresh_as_access.status_code == 401
