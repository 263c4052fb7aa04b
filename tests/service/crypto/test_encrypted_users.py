"""Users' email and display name are encrypted at rest on SQLite and PostgreSQL."""

import subprocess
import threading
from pathlib import Path

from sqlalchemy import text

from invsim.crypto.fields import cipher
from invsim.crypto.rotation import rotate, verify
from invsim.extensions import db
from invsim.users.service import authenticate
from tests.factories import PASSWORD, auth_headers, new_user, register


def raw_users():
    db.session.remove()  # end this thread's transaction (SQLite takes the write lock at BEGIN)
    with db.engine.connect() as connection:
        return connection.execute(text(
            "SELECT id, email, display_name, email_index FROM users ORDER BY id")).all()


def test_email_and_name_round_trip_and_are_stored_as_ciphertext(client):
    tokens = register(client, "alice")
    me = client.get("/api/v1/me", headers=auth_headers(tokens)).get_json()
    assert me["email"] == "alice@example.com" and me["display_name"] == "alice"
    (_, email, name, index), = raw_users()
    assert email.startswith("enc.") and name.startswith("enc.") and "alice" not in email + name
    assert len(index) == 64


def test_login_by_email_goes_through_the_blind_index_in_any_case(client):
    register(client, "bob")
    response = client.post("/api/v1/auth/login",
                           json={"login": "  BOB@Example.com ", "password": PASSWORD})
    assert response.status_code == 200, response.get_json()


def test_a_duplicate_email_in_another_case_is_a_409(client):
    register(client, "carol")
    response = client.post("/api/v1/auth/register", json={
        "email": "CAROL@example.com", "username": "carol2", "password": PASSWORD})
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "email_taken"


def test_the_database_holds_no_plaintext_email(app, database_url, tmp_path):
    with app.app_context():
        new_user("dave", display_name="Dave Secretname")
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        dump = b"".join(p.read_bytes() for p in Path(url.database).parent.glob("*sqlite3*"))
    else:
        dump = subprocess.run(["pg_dump", "-h", url.host, "-U", url.username, url.database],
                              capture_output=True, check=True).stdout
    assert b"@example.com" not in dump
    assert b"Secretname" not in dump


def test_a_tampered_ciphertext_answers_a_clear_503_not_a_500(client):
    tokens = register(client, "erin")
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE users SET display_name = 'enc.1.AAAAAAAA'"))
    response = client.get("/api/v1/me", headers=auth_headers(tokens))
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "undecryptable_value"


def test_verify_counts_every_value_and_names_the_broken_ones(app):
    with app.app_context():
        users = [new_user("v") for _ in range(3)]
        stored = next(row.email for row in raw_users() if row.id == users[1].id)
        relabelled = "enc.99." + stored.split(".", 2)[2]
        with db.engine.begin() as connection:
            connection.execute(text("UPDATE users SET email = :e WHERE id = :id"),
                               {"e": relabelled, "id": users[1].id})
        report = verify(db.session.session_factory, batch_size=2)
    assert report.checked == 6
    assert len(report.failures) == 1 and f"users {users[1].id} email" in report.failures[0]


def test_rotation_re_encrypts_everything_while_people_keep_signing_in(app):
    with app.app_context():
        names = [new_user("rot").username for _ in range(30)]
    old_version = cipher.current_version()
    new_version = cipher.provider.add_version()
    failures, stop = [], threading.Event()

    def keep_signing_in(name):
        with app.app_context():
            while not stop.is_set():
                try:
                    authenticate(login=f"{name}@example.com", password=PASSWORD)
                except Exception as error:
                    failures.append(repr(error))
                db.session.remove()

    threads = [threading.Thread(target=keep_signing_in, args=(n,)) for n in names[:4]]
    for thread in threads:
        thread.start()
    try:
        with app.app_context():
            assert rotate(db.session.session_factory, batch_size=4) == 30
            assert rotate(db.session.session_factory, batch_size=4) == 0  # nothing left: resumable
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert failures == []
    assert new_version == old_version + 1
    assert all(row.email.startswith(f"enc.{new_version}.") for row in raw_users())
    with app.app_context():
        assert verify(db.session.session_factory).failures == []
        assert authenticate(login=f"{names[-1]}@example.com", password=PASSWORD)
