import { api } from "@/lib/api";
import { sessionFromTokens, sessionStore } from "@/lib/auth";
import type { AuthTokens, LoginInput, RegisterInput, User } from "../types";

/** Create an account and start its session. */
export async function register(input: RegisterInput): Promise<User | undefined> {
  const pair = await api.post<AuthTokens>("/auth/register", input, { auth: false });
  sessionStore().set(sessionFromTokens(pair));
  return pair.user;
}

/** Sign in with email or username and start the session. */
export async function login(input: LoginInput): Promise<User | undefined> {
  const pair = await api.post<AuthTokens>("/auth/login", input, { auth: false });
  sessionStore().set(sessionFromTokens(pair));
  return pair.user;
}

/** Revoke this device's refresh token, then forget the session whatever the server said. */
export async function logout(): Promise<void> {
  const session = sessionStore().get();
  try {
    if (session) await api.post<void>("/auth/logout", { refresh_token: session.refreshToken });
  } catch {
    // Already expired or offline: signing out locally is what the user asked for.
  } finally {
    sessionStore().clear("signed_out");
  }
}

/** Fetch the signed-in user and keep the stored copy current. */
export async function fetchMe(signal?: AbortSignal): Promise<User> {
  const user = await api.get<User>("/me", { signal });
  sessionStore().setUser(user);
  return user;
}
