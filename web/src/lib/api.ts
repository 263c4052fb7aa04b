/**
 * The JSON client for the invsim API (`/api/v1`).
 *
 * Attaches the access token; on a 401 it refreshes the token pair once (one
 * refresh in flight, shared by every request that hit the 401) and retries.
 * When the refresh is refused the session is cleared, which the router sees as
 * "signed out" and answers by sending the user to the sign-in page.
 */
import { sessionFromTokens, sessionStore, type Session, type SessionStore, type TokenPair } from "./auth";

export type FieldErrors = Record<string, string[]>;

/** An error answered by the API (or a network failure, status 0), in one shape. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;
  /** Validation messages per field (422 `details.fields`). */
  readonly fields: FieldErrors;
  /** Seconds to wait before retrying (429 `Retry-After`), when the server said. */
  readonly retryAfter: number | null;

  constructor(
    status: number,
    code: string,
    message: string,
    details: Record<string, unknown> = {},
    retryAfter: number | null = null,
  ) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
    this.fields = normalizeFields(details.fields);
    this.retryAfter = retryAfter;
  }

  /** The endpoint does not exist (yet) on this server. */
  get isUnavailable(): boolean {
    return this.status === 501 || (this.status === 404 && (this.code === "not_found" || this.code === "http_404"));
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}

function normalizeFields(raw: unknown): FieldErrors {
  if (!raw || typeof raw !== "object") return {};
  const out: FieldErrors = {};
  for (const [field, messages] of Object.entries(raw as Record<string, unknown>)) {
    if (Array.isArray(messages)) out[field] = messages.map(String);
    else if (typeof messages === "string") out[field] = [messages];
  }
  return out;
}

/** Parse `Retry-After`: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

async function errorFromResponse(res: Response): Promise<ApiError> {
  const retryAfter = parseRetryAfter(res.headers.get("Retry-After"));
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON (a proxy's HTML page, an empty body): fall back to the status.
  }
  const err = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  if (err && typeof err.code === "string") {
    const details = err.details && typeof err.details === "object" ? (err.details as Record<string, unknown>) : {};
    return new ApiError(res.status, err.code, String(err.message ?? res.statusText), details, retryAfter);
  }
  return new ApiError(res.status, `http_${res.status}`, res.statusText || `HTTP ${res.status}`, {}, retryAfter);
}

export type Query = Record<string, string | number | boolean | null | undefined | readonly string[]>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Send the access token and refresh on 401 (default true). */
  auth?: boolean;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

export interface ApiClient {
  request<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
  get<T>(path: string, options?: RequestOptions): Promise<T>;
  post<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T>;
  patch<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T>;
  del<T>(path: string, options?: RequestOptions): Promise<T>;
  /** Send a request and return the raw successful Response (CSV downloads, streams). */
  raw(method: string, path: string, options?: RequestOptions): Promise<Response>;
  /** Build the URL for `path` (e.g. for links). */
  url(path: string, query?: Query): string;
}

export interface ApiClientConfig {
  baseUrl?: string;
  fetch?: typeof fetch;
  /** The session store, or a getter for it (so creating the client reads no storage). */
  session?: SessionStore | (() => SessionStore);
  /** Serialise refreshes across tabs (Web Locks); defaults to navigator.locks when present. */
  lock?: <T>(name: string, fn: () => Promise<T>) => Promise<T>;
}

function defaultLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
  return locks ? (locks.request(name, fn) as Promise<T>) : fn();
}

export function buildUrl(baseUrl: string, path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) params.set(key, value.join(","));
    else params.set(key, String(value));
  }
  const qs = params.toString();
  return `${baseUrl}${path}${qs ? `?${qs}` : ""}`;
}

const SESSION_EXPIRED = "Your session has ended. Please sign in again.";

export function createApiClient(config: ApiClientConfig = {}): ApiClient {
  const baseUrl = config.baseUrl ?? "/api/v1";
  const fetchImpl: typeof fetch = config.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const getStore = typeof config.session === "function" ? config.session : () => config.session as SessionStore;
  const lock = config.lock ?? defaultLock;
  let inflight: Promise<Session> | null = null;

  async function send(method: string, path: string, options: RequestOptions, token?: string): Promise<Response> {
    const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
    let body: string | undefined;
    if (options.body !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(options.body);
    }
    if (token) headers.Authorization = `Bearer ${token}`;
    try {
      return await fetchImpl(buildUrl(baseUrl, path, options.query), { method, headers, body, signal: options.signal });
    } catch (error) {
      if (isAbort(error)) throw error;
      throw new ApiError(0, "network_error", "Can't reach the server.", { cause: String(error) });
    }
  }

  /** Exchange the refresh token for a new pair; sign out if the server refuses it. */
  async function doRefresh(staleRefreshToken: string): Promise<Session> {
    const store = getStore();
    const current = store.sync();
    if (!current) throw new ApiError(401, "session_expired", SESSION_EXPIRED);
    // Another tab (or an earlier refresh) already rotated the pair: use it.
    if (current.refreshToken !== staleRefreshToken) return current;
    const res = await send("POST", "/auth/refresh", { body: { refresh_token: current.refreshToken } });
    if (res.ok) {
      const next = sessionFromTokens((await res.json()) as TokenPair, current);
      store.set(next);
      return next;
    }
    const error = await errorFromResponse(res);
    // A busy or broken server is not a verdict on the session: keep it.
    if (res.status >= 500 || res.status === 429) throw error;
    store.clear("expired");
    throw new ApiError(401, "session_expired", SESSION_EXPIRED, { reason: error.code });
  }

  function refresh(used: Session): Promise<Session> {
    const now = getStore().get();
    if (now && now.accessToken !== used.accessToken) return Promise.resolve(now);
    if (!now) return Promise.reject(new ApiError(401, "session_expired", SESSION_EXPIRED));
    inflight ??= lock("invsim-token-refresh", () => doRefresh(used.refreshToken)).finally(() => {
      inflight = null;
    });
    return inflight;
  }

  async function raw(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const auth = options.auth ?? true;
    const session = auth ? getStore().get() : null;
    let res = await send(method, path, options, session?.accessToken);
    if (res.status === 401 && session) {
      const fresh = await refresh(session);
      res = await send(method, path, options, fresh.accessToken);
      if (res.status === 401) {
        // A brand-new token refused: the account or every session was revoked.
        getStore().clear("expired");
        throw await errorFromResponse(res);
      }
    }
    if (!res.ok) throw await errorFromResponse(res);
    return res;
  }

  async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const res = await raw(method, path, options);
    if (res.status === 204 || res.headers.get("Content-Length") === "0") return undefined as T;
    const type = res.headers.get("Content-Type") ?? "";
    if (type.includes("json")) return (await res.json()) as T;
    return (await res.text()) as T;
  }

  return {
    request,
    raw,
    get: (path, options) => request("GET", path, options),
    post: (path, body, options) => request("POST", path, { ...options, body }),
    patch: (path, body, options) => request("PATCH", path, { ...options, body }),
    del: (path, options) => request("DELETE", path, options),
    url: (path, query) => buildUrl(baseUrl, path, query),
  };
}

/** The app's client, bound to the browser session. */
export const api: ApiClient = createApiClient({ session: sessionStore });
