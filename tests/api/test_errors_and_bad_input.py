"""Every error answers in the one shape; bad input writes nothing."""

import pytest
from sqlalchemy import func, select

from invsim.extensions import db
from invsim.users.models import RefreshToken, User


def assert_error_shape(response, status, code=None):
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    if code:
        assert body["error"]["code"] == code


def row_counts():
    return (db.session.scalar(select(func.count()).select_from(User)),
            db.session.scalar(select(func.count()).select_from(RefreshToken)))


def test_unknown_route_and_wrong_method_answer_in_the_error_shape(client):
    assert_error_shape(client.get("/api/v1/does-not-exist"), 404, "not_found")
    assert_error_shape(client.delete("/api/v1/auth/login"), 405, "method_not_allowed")


def test_unexpected_exception_is_a_500_in_the_shape_without_internals(make_app, caplog):
    app = make_app()

    @app.get("/api/v1/test-explode")
    def explode():
        raise RuntimeError("secret internal detail")

    with app.test_client() as client:
        response = client.get("/api/v1/test-explode", headers={"X-Request-ID": "req-123"})
    assert_error_shape(response, 500, "internal_error")
    assert "secret internal detail" not in response.get_data(as_text=True)
    assert response.get_json()["error"]["details"]["request_id"] == "req-123"
    assert "req-123" in caplog.text


VALID = {"email": "x@example.com", "username": "xavier", "password": "correct-horse-42!"}


@pytest.mark.parametrize("kwargs,status,code", [
    ({"data": "{not json", "content_type": "application/json"}, 400, "malformed_json"),
    ({"data": '{"email": NaN}', "content_type": "application/json"}, 400, "malformed_json"),
    ({"data": "email=a", "content_type": "application/x-www-form-urlencoded"}, 415,
     "unsupported_media_type"),
    ({"data": "x" * 70_000, "content_type": "application/json"}, 413, "payload_too_large"),
    ({"json": {**VALID, "is_admin": True}}, 422, "validation_error"),
    ({"json": {"email": "x@example.com"}}, 422, "validation_error"),
    ({"json": {**VALID, "username": "x" * 10_000}}, 422, "validation_error"),
    ({"json": {**VALID, "display_name": "bad\x00name"}}, 422, "validation_error"),
    ({"json": {**VALID, "display_name": "tab\tname"}}, 422, "validation_error"),
    ({"json": {**VALID, "username": "robert'); DROP TABLE users;--"}}, 422, "validation_error"),
    ({"json": {**VALID, "username": 12345}}, 422, "validation_error"),
    ({"json": {**VALID, "email": "not-an-email"}}, 422, "validation_error"),
    ({"json": [VALID]}, 422, "validation_error"),
    ({"json": "just a string"}, 422, "validation_error"),
])
def test_bad_registration_input_is_refused_and_writes_nothing(client, kwargs, status, code):
    before = row_counts()
    response = client.post("/api/v1/auth/register", **kwargs)
    assert_error_shape(response, status, code)
    assert row_counts() == before


def test_validation_errors_name_the_fields(client):
    response = client.post("/api/v1/auth/register", json={"email": "x@example.com"})
    fields = response.get_json()["error"]["details"]["fields"]
    assert "username" in fields and "password" in fields


def test_field_messages_are_plain_sentences(client):
    response = client.post("/api/v1/auth/register", json={**VALID, "display_name": "a\x01b"})
    messages = response.get_json()["error"]["details"]["fields"]["display_name"]
    assert messages == ["must not contain control characters"]


def test_unicode_text_is_accepted_where_it_is_valid(client):
    response = client.post("/api/v1/auth/register",
                           json={**VALID, "display_name": "Zoë 株式 🚀"})
    assert response.status_code == 201
    assert response.get_json()["user"]["display_name"] == "Zoë 株式 🚀"


def test_request_id_is_echoed_or_generated(client):
    assert client.get("/healthz", headers={"X-Request-ID": "abc-1"}).headers["X-Request-ID"] == "abc-1"
    generated = client.get("/healthz").headers["X-Request-ID"]
    assert len(generated) == 32
    bad = client.get("/healthz", headers={"X-Request-ID": "<script>"}).headers["X-Request-ID"]
    assert bad != "<script>"


def test_security_headers_are_set(client):
    response = client.get("/healthz")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"]
    assert "Access-Control-Allow-Origin" not in response.headers
    https = client.get("/healthz", base_url="https://localhost")
    assert "max-age" in https.headers["Strict-Transport-Security"]
