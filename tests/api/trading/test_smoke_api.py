from tests.service.trading.support import sign_in


def test_story_smoke(client, clock):
    headers = sign_in(client, clock)
    r = client.post("/api/v1/portfolios", json={"name": "Main"}, headers=headers)
    assert r.status_code == 201, r.get_json()
    pid = r.get_json()["id"]
    print(r.get_json())
    r = client.post(f"/api/v1/portfolios/{pid}/orders", json={"symbol": "AAPL", "side": "buy", "type": "market", "qty": "10"}, headers=headers)
    assert r.status_code == 201, r.get_json()
    print(r.get_json())
    for url in [f"/api/v1/portfolios/{pid}", f"/api/v1/portfolios/{pid}/positions", f"/api/v1/portfolios/{pid}/positions/AAPL",
                f"/api/v1/portfolios/{pid}/orders?status=all", f"/api/v1/portfolios/{pid}/activities", f"/api/v1/portfolios/{pid}/activities.csv",
                "/api/v1/openapi.json"]:
        r = client.get(url, headers=headers)
        assert r.status_code == 200, (url, r.get_json())
        print(url, r.get_data(as_text=True)[:600])
