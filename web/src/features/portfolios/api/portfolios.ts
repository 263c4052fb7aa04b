import { api } from "@/lib/api";
import type { CreatePortfolioInput, Portfolio, Position } from "../types";

/** Query keys, so mutations elsewhere can invalidate exactly what they changed. */
export const portfolioKeys = {
  all: "portfolios",
  positions: (id: Portfolio["id"]) => `portfolios:${id}:positions`,
};

/** Some servers wrap lists as {items: [...]}; accept both. */
function unwrapList<T>(body: T[] | { items: T[] }): T[] {
  return Array.isArray(body) ? body : body.items;
}

export async function listPortfolios(signal?: AbortSignal): Promise<Portfolio[]> {
  return unwrapList(await api.get<Portfolio[] | { items: Portfolio[] }>("/portfolios", { signal }));
}

export function createPortfolio(input: CreatePortfolioInput): Promise<Portfolio> {
  return api.post<Portfolio>("/portfolios", input);
}

export async function listPositions(portfolioId: Portfolio["id"], signal?: AbortSignal): Promise<Position[]> {
  return unwrapList(await api.get<Position[] | { items: Position[] }>(`/portfolios/${portfolioId}/positions`, { signal }));
}
