import { api } from "@/lib/api";
import { sessionFromTokens, sessionStore, type SessionUser, type TokenPair } from "@/lib/auth";

/** Change the display name; the stored user follows so the app bar updates at once. */
export async function updateProfile(input: { display_name: string }): Promise<SessionUser> {
  const user = await api.patch<SessionUser>("/me", input);
  sessionStore().setUser(user);
  return user;
}

/** Change the password; the server revokes every old token and answers with a fresh pair. */
export async function changePassword(input: { current_password: string; new_password: string }): Promise<void> {
  const pair = await api.post<TokenPair>("/me/password", input);
  sessionStore().set(sessionFromTokens(pair, sessionStore().get()));
}

/** Revoke every session of this account (all devices), then sign out here. */
export async function signOutEverywhere(): Promise<void> {
  await api.post<void>("/auth/logout-all");
  sessionStore().clear("signed_out");
}
