import { api } from "@/lib/api";
import type { CreatePortfolioInput, Portfolio, Position } from "../types";

type Id = Portfolio["id"];

/** Query keys, so mutations elsewhere can invalidate exactly what they changed. */
export const portfolioKeys = {
  all: "portfolios",
  positions: (id: Id) => `portfolios:${id}:positions`,
};

export async function listPortfolios(signal?: AbortSignal): Promise<Portfolio[]> {
  return (await api.get<{ items: Portfolio[] }>("/portfolios", { signal })).items;
}

export function createPortfolio(input: CreatePortfolioInput): Promise<Portfolio> {
  return api.post<Portfolio>("/portfolios", input);
}

export function renamePortfolio(id: Id, name: string): Promise<Portfolio> {
  return api.patch<Portfolio>(`/portfolios/${id}`, { name });
}

/** Cancel open orders, archive the history and start again with the starting cash. */
export function resetPortfolio(id: Id): Promise<Portfolio> {
  return api.post<Portfolio>(`/portfolios/${id}/reset`);
}

/** Archive a portfolio (its history is kept on the server). */
export function deletePortfolio(id: Id): Promise<void> {
  return api.del<void>(`/portfolios/${id}`);
}

export async function listPositions(portfolioId: Id, signal?: AbortSignal): Promise<Position[]> {
  return (await api.get<{ items: Position[] }>(`/portfolios/${portfolioId}/positions`, { signal })).items;
}
