"""OpenAPI, docs, health, readiness, metrics and rate limits."""

import time

from openapi_spec_validator import validate

from invsim.extensions import db
from tests.factories import PASSWORD, register


def test_openapi_document_validates_and_lists_error_responses(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.1")
    validate(spec)
    login = spec["paths"]["/api/v1/auth/login"]["post"]["responses"]
    for status in ("200", "401", "415", "422", "429", "500", "503"):
        assert status in login, status
    assert login["401"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    me = spec["paths"]["/api/v1/me"]["get"]
    assert me["security"] and "401" in me["responses"]


def test_the_document_says_which_bodies_are_required_and_the_password_minimum(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    paths, schemas = spec["paths"], spec["components"]["schemas"]
    assert paths["/api/v1/auth/login"]["post"]["requestBody"]["required"] is True
    assert paths["/api/v1/auth/register"]["post"]["requestBody"]["required"] is True
    assert not paths["/api/v1/auth/logout"]["post"]["requestBody"].get("required")  # all optional
    assert schemas["RegisterIn"]["properties"]["password"]["minLength"] == 10
    assert schemas["PasswordChangeIn"]["properties"]["new_password"]["minLength"] == 10
    required_bodies = [op for item in paths.values() for op in item.values()
                       if isinstance(op, dict) and op.get("requestBody", {}).get("required")]
    assert len(required_bodies) > 10  # orders, portfolios, challenges, ... not just the account ones


def test_a_body_the_document_calls_required_is_refused_when_missing(client):
    missing = client.post("/api/v1/auth/login")
    assert missing.status_code == 422
    assert missing.get_json()["error"]["code"] == "validation_error"


def test_swagger_ui_is_served_from_local_files(client):
    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "/static/swagger-ui/swagger-ui-bundle.js" in html
    assert "http" not in html.replace("http-equiv", "")


def test_healthz_and_readyz_answer_when_dependencies_are_up(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.get_json()["checks"] == {"database": True, "cache": True}


def test_readyz_answers_503_when_the_database_is_unreachable(app):
    url = str(db.engine.url.render_as_string(hide_password=False))
    broken = ("postgresql+psycopg://nobody@127.0.0.1:1/none" if url.startswith("postgresql")
              else "sqlite:////nonexistent-dir/invsim.sqlite3")
    db.bind(broken)
    try:
        response = app.test_client().get("/readyz")
    finally:
        db.bind(url)
    assert response.status_code == 503
    body = response.get_json()
    assert body["error"]["code"] == "not_ready"
    assert body["error"]["details"]["checks"]["database"] is False


def test_metrics_count_requests_by_endpoint_and_status(client):
    client.get("/healthz")
    text = client.get("/metrics").get_data(as_text=True)
    assert 'invsim_http_requests_total{endpoint="/healthz",method="GET",status="200"}' in text
    assert "invsim_http_request_duration_seconds_bucket" in text


def test_login_rate_limit_answers_429_with_retry_after(make_app):
    app = make_app(rate_limits_enabled=True, rate_limit_login="3 per minute")
    client = app.test_client()
    with app.app_context():
        register(client, "ratey")
        statuses = [client.post("/api/v1/auth/login",
                                json={"login": "ratey", "password": "wrong-password-1"}).status_code
                    for _ in range(4)]
        assert statuses[:3] == [401, 401, 401]
        limited = client.post("/api/v1/auth/login", json={"login": "ratey", "password": PASSWORD})
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert limited.get_json()["error"]["code"] == "rate_limited"


def test_login_rate_limit_also_applies_per_account_across_addresses(make_app):
    app = make_app(rate_limits_enabled=True, rate_limit_login="2 per minute")
    client = app.test_client()
    with app.app_context():
        codes = [client.post("/api/v1/auth/login", json={"login": "victim", "password": "x" * 12},
                             environ_base={"REMOTE_ADDR": f"10.0.0.{i}"}).status_code
                 for i in range(3)]
    assert codes == [401, 401, 429]


def test_the_email_and_the_username_of_an_account_share_one_login_bucket(make_app):
    app = make_app(rate_limits_enabled=True, rate_limit_login="3 per minute")
    client = app.test_client()
    with app.app_context():
        register(client, "twonames")
        names = ["twonames", "TwoNames@Example.com", " twonames ", "twonames@example.com"]
        codes = [client.post("/api/v1/auth/login", json={"login": name, "password": "x" * 12},
                             environ_base={"REMOTE_ADDR": f"10.0.1.{i}"}).status_code
                 for i, name in enumerate(names)]
        other = client.post("/api/v1/auth/login", json={"login": "someone-else", "password": "x" * 12},
                            environ_base={"REMOTE_ADDR": "10.0.1.9"}).status_code
    assert codes == [401, 401, 401, 429]  # four names of one account: one budget of three
    assert other == 401  # another account's bucket is untouched


def test_login_takes_similar_time_with_or_without_the_account(make_app):
    app = make_app(argon2_time_cost=2, argon2_memory_kib=16384)
    client = app.test_client()
    with app.app_context():
        register(client, "timed")

        def elapsed(login):
            # CPU time of this process (argon2's lanes included), not wall time: another
            # process's load (the suite's second worker, a benchmark) cannot skew it.
            start = time.process_time()
            client.post("/api/v1/auth/login", json={"login": login, "password": "wrong-password-2"})
            return time.process_time() - start

        # Interleaved, and the best of several of each is the cost of the work itself.
        existing, missing = [], []
        for _ in range(6):
            existing.append(elapsed("timed"))
            missing.append(elapsed("nobody-here"))
        statuses = {client.post("/api/v1/auth/login", json={"login": name, "password": "x"})
                    .status_code for name in ("timed", "nobody-here")}
    assert statuses == {401}  # both measured the refusal of bad credentials, not a limit
    assert 0.5 < min(existing) / min(missing) < 2.0
