import type { SessionUser, TokenPair } from "@/lib/auth";

export type User = SessionUser;
export type AuthTokens = TokenPair;

export interface RegisterInput {
  email: string;
  username: string;
  password: string;
  display_name?: string;
}

export interface LoginInput {
  /** Email or username. */
  login: string;
  password: string;
}
