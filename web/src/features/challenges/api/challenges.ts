import { api } from "@/lib/api";
import type { Challenge, CreateChallengeInput, LeaderboardEntry, RankHistory } from "../types";

type Id = number | string;

export const challengeKeys = {
  all: "challenges",
  leaderboard: (id: Id) => `challenges:${id}:leaderboard`,
  rankHistory: (id: Id) => `challenges:${id}:rank-history`,
};

function unwrap<T>(body: T[] | { items: T[] }): T[] {
  return Array.isArray(body) ? body : body.items;
}

export async function listChallenges(signal?: AbortSignal): Promise<Challenge[]> {
  return unwrap(await api.get<Challenge[] | { items: Challenge[] }>("/challenges", { signal }));
}

export function createChallenge(input: CreateChallengeInput): Promise<Challenge> {
  return api.post<Challenge>("/challenges", input);
}

export function joinChallenge(id: Id, inviteCode?: string): Promise<Challenge> {
  return api.post<Challenge>(`/challenges/${id}/join`, inviteCode ? { invite_code: inviteCode } : {});
}

export async function getLeaderboard(id: Id, signal?: AbortSignal): Promise<LeaderboardEntry[]> {
  const body = await api.get<LeaderboardEntry[] | { items: LeaderboardEntry[]; entries?: LeaderboardEntry[] }>(
    `/challenges/${id}/leaderboard`,
    { signal },
  );
  return Array.isArray(body) ? body : (body.entries ?? body.items);
}

export function getRankHistory(id: Id, signal?: AbortSignal): Promise<RankHistory> {
  return api.get<RankHistory>(`/challenges/${id}/rank-history`, { signal });
}
