/**
 * The signed-in session: tokens and the user, kept in localStorage so a reload
 * keeps you signed in, and shared between tabs through the `storage` event.
 */

export interface SessionUser {
  id: number | string;
  email: string;
  username: string;
  display_name: string;
  created_at: string;
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds at which the access token expires (a hint; 401 is the truth). */
  expiresAt: number;
  user: SessionUser | null;
}

/** The API's token pair (register, login, refresh, password change). */
export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
  refresh_expires_in?: number;
  user?: SessionUser;
}

/** Why the session ended: you asked, or the server no longer accepts it. */
export type SignOutReason = "signed_out" | "expired";

export interface SessionStore {
  get(): Session | null;
  set(session: Session): void;
  setUser(user: SessionUser): void;
  clear(reason?: SignOutReason): void;
  /** Re-read storage (another tab may have rotated the tokens) and return the session. */
  sync(): Session | null;
  /** The reason for the most recent sign-out, until a new session starts. */
  lastSignOut(): SignOutReason | null;
  subscribe(listener: () => void): () => void;
}

export const SESSION_KEY = "invsim.session";

/** Build a session from a token pair answered by the API. */
export function sessionFromTokens(pair: TokenPair, previous?: Session | null, now = Date.now()): Session {
  return {
    accessToken: pair.access_token,
    refreshToken: pair.refresh_token,
    expiresAt: now + pair.expires_in * 1000,
    user: pair.user ?? previous?.user ?? null,
  };
}

function parseSession(raw: string | null): Session | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<Session>;
    if (typeof value.accessToken !== "string" || typeof value.refreshToken !== "string") return null;
    return {
      accessToken: value.accessToken,
      refreshToken: value.refreshToken,
      expiresAt: typeof value.expiresAt === "number" ? value.expiresAt : 0,
      user: value.user ?? null,
    };
  } catch {
    return null;
  }
}

/** Return window.localStorage, or null where storage is blocked (private modes, tests). */
export function browserStorage(): Storage | null {
  try {
    return typeof window === "undefined" ? null : window.localStorage;
  } catch {
    return null;
  }
}

/** Create a session store over `storage` (null keeps the session in memory only). */
export function createSessionStore(storage: Storage | null, key = SESSION_KEY): SessionStore {
  let current: Session | null = parseSession(storage?.getItem(key) ?? null);
  let reason: SignOutReason | null = null;
  const listeners = new Set<() => void>();
  let detachStorage: (() => void) | null = null;

  const emit = () => listeners.forEach((listener) => listener());

  const write = (session: Session | null) => {
    current = session;
    try {
      if (session) storage?.setItem(key, JSON.stringify(session));
      else storage?.removeItem(key);
    } catch {
      // Storage full or blocked: the in-memory session still works for this tab.
    }
    emit();
  };

  // Another tab signed in, refreshed or signed out: adopt its session.
  const onStorage = (event: StorageEvent) => {
    if (event.key !== key && event.key !== null) return;
    const next = parseSession(storage?.getItem(key) ?? null);
    if (!next && current) reason = "signed_out";
    current = next;
    emit();
  };

  return {
    get: () => current,
    set(session) {
      reason = null;
      write(session);
    },
    setUser(user) {
      if (current) write({ ...current, user });
    },
    clear(why = "signed_out") {
      reason = why;
      write(null);
    },
    lastSignOut: () => reason,
    sync() {
      const raw = storage?.getItem(key) ?? null;
      if (storage && raw !== (current ? JSON.stringify(current) : null)) {
        current = parseSession(raw);
        emit();
      }
      return current;
    },
    subscribe(listener) {
      listeners.add(listener);
      if (!detachStorage && typeof window !== "undefined" && storage) {
        window.addEventListener("storage", onStorage);
        detachStorage = () => window.removeEventListener("storage", onStorage);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && detachStorage) {
          detachStorage();
          detachStorage = null;
        }
      };
    },
  };
}

let defaultStore: SessionStore | null = null;

/** The app's session store, created on first use (no work at import time). */
export function sessionStore(): SessionStore {
  defaultStore ??= createSessionStore(browserStorage());
  return defaultStore;
}
