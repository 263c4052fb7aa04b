import { api } from "@/lib/api";
import type { Challenge, ChallengeFilters, ChallengePage, CreateChallengeInput, GlobalLeaderboard, Invitation, Leaderboard, RankHistory } from "../types";

type Id = number | string;

export const challengeKeys = {
  all: "challenges",
  list: (f: ChallengeFilters) => `challenges:list:${f.scope ?? "all"}:${f.status ?? ""}:${f.offset ?? 0}:${f.q ?? ""}`,
  one: (id: Id) => `challenges:${id}`,
  leaderboard: (id: Id) => `challenges:${id}:leaderboard`,
  rankHistory: (id: Id) => `challenges:${id}:rank-history`,
  global: "challenges:global-leaderboard",
};

export function listChallenges(filters: ChallengeFilters, signal?: AbortSignal): Promise<ChallengePage> {
  return api.get<ChallengePage>("/challenges", {
    query: { q: filters.q, status: filters.status, scope: filters.scope, limit: filters.limit, offset: filters.offset },
    signal,
  });
}

/** One challenge; a private one is visible to its players, its owner, or with its invite code. */
export function getChallenge(id: Id, inviteCode?: string, signal?: AbortSignal): Promise<Challenge> {
  return api.get<Challenge>(`/challenges/${id}`, { query: { invite_code: inviteCode }, signal });
}

/** What an invite link names (its name and dates), readable before sign-in. */
export function getInvitation(id: Id, inviteCode: string, signal?: AbortSignal): Promise<Invitation> {
  return api.get<Invitation>(`/challenges/${id}/invitation`, { query: { invite_code: inviteCode }, signal, auth: false });
}

export function createChallenge(input: CreateChallengeInput): Promise<Challenge> {
  return api.post<Challenge>("/challenges", input);
}

export function joinChallenge(id: Id, inviteCode?: string): Promise<Challenge> {
  return api.post<Challenge>(`/challenges/${id}/join`, inviteCode ? { invite_code: inviteCode } : {});
}

export function leaveChallenge(id: Id): Promise<void> {
  return api.post<void>(`/challenges/${id}/leave`);
}

export function rotateInviteCode(id: Id): Promise<Challenge> {
  return api.post<Challenge>(`/challenges/${id}/invite-code`);
}

export function getLeaderboard(id: Id, signal?: AbortSignal): Promise<Leaderboard> {
  return api.get<Leaderboard>(`/challenges/${id}/leaderboard`, { query: { limit: 100 }, signal });
}

/** The best challenge players and main portfolios of the past 30 days. */
export function getGlobalLeaderboard(signal?: AbortSignal): Promise<GlobalLeaderboard> {
  return api.get<GlobalLeaderboard>("/leaderboard", { query: { period: "30d" }, signal });
}

export function getRankHistory(id: Id, signal?: AbortSignal): Promise<RankHistory> {
  return api.get<RankHistory>(`/challenges/${id}/rank-history`, { signal });
}
