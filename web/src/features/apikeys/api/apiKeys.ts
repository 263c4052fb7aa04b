import { api } from "@/lib/api";
import type { ApiKey, IssuedKey } from "../types";

/** Query keys, so creating or revoking a key reloads exactly its portfolio's list. */
export const apiKeyKeys = {
  list: (portfolioId: number) => `api-keys:${portfolioId}`,
};

const base = (portfolioId: number) => `/portfolios/${portfolioId}/api-keys`;

/** The portfolio's keys, newest first, revoked ones included. */
export async function listApiKeys(portfolioId: number, signal?: AbortSignal): Promise<ApiKey[]> {
  return (await api.get<{ items: ApiKey[] }>(base(portfolioId), { signal })).items;
}

/** Issue a key; the answer carries the secret, which no later call returns. */
export function createApiKey(portfolioId: number, name: string): Promise<IssuedKey> {
  return api.post<IssuedKey>(base(portfolioId), { name });
}

/** Revoke a key: the server refuses it from the next request on. */
export function revokeApiKey(portfolioId: number, keyId: string): Promise<ApiKey> {
  return api.del<ApiKey>(`${base(portfolioId)}/${encodeURIComponent(keyId)}`);
}
