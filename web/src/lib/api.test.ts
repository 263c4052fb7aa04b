import { describe, expect, it, vi } from "vitest";
import { ApiError, buildUrl, createApiClient, parseRetryAfter } from "./api";
import { createSessionStore, type Session } from "./auth";

type Handler = (url: string, init: RequestInit) => Response | Promise<Response>;

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

function tokens(n: number) {
  return {
    access_token: `access-${n}`,
    refresh_token: `refresh-${n}`,
    token_type: "Bearer",
    expires_in: 900,
    user: { id: 1, email: "a@example.com", username: "ann", display_name: "Ann", created_at: "2025-01-01T00:00:00Z" },
  };
}

function signedIn(n = 1): Session {
  return { accessToken: `access-${n}`, refreshToken: `refresh-${n}`, expiresAt: 0, user: null };
}

function bearer(init: RequestInit): string | undefined {
  return (init.headers as Record<string, string>).Authorization;
}

/** A fake server: `/auth/refresh` rotates 1 -> 2; other paths accept only the current token. */
function fakeServer(options: { refresh?: Handler; refreshDelayMs?: number } = {}) {
  let valid = "Bearer access-1";
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    calls.push({ url, init });
    if (url.endsWith("/auth/refresh")) {
      if (options.refreshDelayMs) await new Promise((r) => setTimeout(r, options.refreshDelayMs));
      if (options.refresh) return options.refresh(url, init);
      const body = JSON.parse(String(init.body)) as { refresh_token: string };
      if (body.refresh_token !== "refresh-1") return json(401, { error: { code: "token_reused", message: "no", details: {} } });
      valid = "Bearer access-2";
      return json(200, tokens(2));
    }
    if (bearer(init) !== valid) return json(401, { error: { code: "token_expired", message: "expired", details: {} } });
    return json(200, { ok: true, url });
  });
  return { fetch, calls, expire: () => (valid = "Bearer access-2") };
}

function setup(server: ReturnType<typeof fakeServer>) {
  const store = createSessionStore(window.localStorage, "test.session");
  store.set(signedIn(1));
  const client = createApiClient({ fetch: server.fetch as unknown as typeof fetch, session: store, lock: (_n, fn) => fn() });
  return { store, client };
}

const refreshCalls = (server: ReturnType<typeof fakeServer>) =>
  server.calls.filter((c) => c.url.endsWith("/auth/refresh")).length;

describe("api client", () => {
  it("sends JSON with the access token and parses the answer", async () => {
    const server = fakeServer();
    const { client } = setup(server);
    await expect(client.post("/things", { a: 1 })).resolves.toEqual({ ok: true, url: "/api/v1/things" });
    const { init } = server.calls[0]!;
    expect(bearer(init)).toBe("Bearer access-1");
    expect((init.headers as Record<string, string>)["Content-Type"]).toBe("application/json");
    expect(init.body).toBe('{"a":1}');
  });

  it("refreshes once for concurrent 401s and retries every request with the new token", async () => {
    const server = fakeServer({ refreshDelayMs: 10 });
    const { client, store } = setup(server);
    server.expire();
    const results = await Promise.all([client.get("/a"), client.get("/b"), client.get("/c")]);
    expect(results.map((r) => (r as { url: string }).url)).toEqual(["/api/v1/a", "/api/v1/b", "/api/v1/c"]);
    expect(refreshCalls(server)).toBe(1);
    expect(store.get()?.accessToken).toBe("access-2");
    expect(store.get()?.refreshToken).toBe("refresh-2");
    expect(JSON.parse(window.localStorage.getItem("test.session")!).accessToken).toBe("access-2");
  });

  it("does not refresh again for a 401 that arrives after another request refreshed", async () => {
    const server = fakeServer();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slowFetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const answer = server.fetch(input, init);
      if (String(input).endsWith("/slow") && bearer(init) === "Bearer access-1") await gate;
      return answer;
    });
    const store = createSessionStore(window.localStorage, "test.session");
    store.set(signedIn(1));
    const client = createApiClient({ fetch: slowFetch as unknown as typeof fetch, session: store, lock: (_n, fn) => fn() });
    server.expire();
    const slow = client.get("/slow"); // carries access-1, its 401 is held back
    await client.get("/fast"); // 401 -> refresh -> retry
    release();
    await expect(slow).resolves.toMatchObject({ ok: true });
    expect(refreshCalls(server)).toBe(1);
  });

  it("clears the session and reports it when the refresh is refused", async () => {
    const server = fakeServer({
      refresh: () => json(401, { error: { code: "token_reused", message: "reused", details: {} } }),
    });
    const { client, store } = setup(server);
    const signedOut = vi.fn();
    store.subscribe(signedOut);
    server.expire();
    const outcomes = await Promise.allSettled([client.get("/a"), client.get("/b")]);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe("rejected");
      const error = (outcome as PromiseRejectedResult).reason as ApiError;
      expect(error).toBeInstanceOf(ApiError);
      expect(error.status).toBe(401);
      expect(error.code).toBe("session_expired");
    }
    expect(refreshCalls(server)).toBe(1);
    expect(store.get()).toBeNull();
    expect(store.lastSignOut()).toBe("expired");
    expect(window.localStorage.getItem("test.session")).toBeNull();
    expect(signedOut).toHaveBeenCalled();
  });

  it("keeps the session when the refresh fails because the server is down", async () => {
    const server = fakeServer({ refresh: () => json(503, { error: { code: "unavailable", message: "down", details: {} } }) });
    const { client, store } = setup(server);
    server.expire();
    await expect(client.get("/a")).rejects.toMatchObject({ status: 503 });
    expect(store.get()?.refreshToken).toBe("refresh-1");
  });

  it("uses a pair another tab already rotated instead of reusing the old refresh token", async () => {
    const server = fakeServer();
    const { client, store } = setup(server);
    server.expire();
    // The other tab wrote the new pair to storage; this tab has not seen the event yet.
    window.localStorage.setItem("test.session", JSON.stringify(signedIn(2)));
    await expect(client.get("/a")).resolves.toMatchObject({ ok: true });
    expect(refreshCalls(server)).toBe(0);
    expect(store.get()?.accessToken).toBe("access-2");
  });

  it("does not refresh for requests made without a session", async () => {
    const server = fakeServer();
    const store = createSessionStore(null);
    const client = createApiClient({ fetch: server.fetch as unknown as typeof fetch, session: store });
    await expect(client.post("/auth/login", { login: "x", password: "y" }, { auth: false })).rejects.toMatchObject({
      status: 401,
    });
    expect(refreshCalls(server)).toBe(0);
  });

  it("turns error bodies into ApiError with fields and Retry-After", async () => {
    const responses = [
      json(422, { error: { code: "validation_error", message: "bad", details: { fields: { password: ["too short"] } } } }),
      json(429, { error: { code: "rate_limited", message: "slow down", details: {} } }, { "Retry-After": "30" }),
      new Response("<html>bad gateway</html>", { status: 502, statusText: "Bad Gateway" }),
    ];
    const fetch = vi.fn(async () => responses.shift()!);
    const client = createApiClient({ fetch: fetch as unknown as typeof globalThis.fetch, session: createSessionStore(null) });
    const e422 = await client.get("/x").catch((e: ApiError) => e);
    expect(e422).toMatchObject({ status: 422, code: "validation_error", fields: { password: ["too short"] } });
    const e429 = await client.get("/x").catch((e: ApiError) => e);
    expect(e429).toMatchObject({ status: 429, code: "rate_limited", retryAfter: 30 });
    const e502 = await client.get("/x").catch((e: ApiError) => e);
    expect(e502).toMatchObject({ status: 502, code: "http_502" });
  });

  it("reports network failures as status 0", async () => {
    const fetch = vi.fn(async () => {
      throw new TypeError("Failed to fetch");
    });
    const client = createApiClient({ fetch: fetch as unknown as typeof globalThis.fetch, session: createSessionStore(null) });
    await expect(client.get("/x")).rejects.toMatchObject({ status: 0, code: "network_error" });
  });

  it("returns undefined for 204", async () => {
    const fetch = vi.fn(async () => new Response(null, { status: 204 }));
    const client = createApiClient({ fetch: fetch as unknown as typeof globalThis.fetch, session: createSessionStore(null) });
    await expect(client.del("/orders/1")).resolves.toBeUndefined();
  });
});

describe("helpers", () => {
  it("builds query strings, skipping empty values", () => {
    expect(buildUrl("/api/v1", "/market/quotes", { symbols: ["AAPL", "MSFT"], q: "", x: undefined })).toBe(
      "/api/v1/market/quotes?symbols=AAPL%2CMSFT",
    );
  });

  it("parses Retry-After seconds and dates", () => {
    expect(parseRetryAfter("12")).toBe(12);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:10 GMT", Date.parse("Wed, 21 Oct 2015 07:28:00 GMT"))).toBe(10);
    expect(parseRetryAfter(null)).toBeNull();
  });
});
