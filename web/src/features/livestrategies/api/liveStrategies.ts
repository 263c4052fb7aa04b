import { api } from "@/lib/api";
import type { LiveStrategy, LiveStrategyInput } from "../types";

/** Query keys, so a change reloads exactly its portfolio's list. */
export const liveStrategyKeys = {
  list: (portfolioId: number) => `live-strategies:${portfolioId}`,
};

const base = (portfolioId: number) => `/portfolios/${portfolioId}/live-strategies`;

/** The portfolio's live strategies, newest first, stopped ones included. */
export async function listLiveStrategies(portfolioId: number, signal?: AbortSignal): Promise<LiveStrategy[]> {
  return (await api.get<{ items: LiveStrategy[] }>(base(portfolioId), { signal })).items;
}

/** Attach a built-in strategy: from the latest complete daily bar on, it trades the portfolio. */
export function attachLiveStrategy(portfolioId: number, input: LiveStrategyInput): Promise<LiveStrategy> {
  return api.post<LiveStrategy>(base(portfolioId), input);
}

/** Pause (no new bars decided) or resume a live strategy. */
export function setLiveStrategyRunning(portfolioId: number, id: number, running: boolean): Promise<LiveStrategy> {
  return api.post<LiveStrategy>(`${base(portfolioId)}/${id}/${running ? "resume" : "pause"}`);
}

/** Stop a live strategy for good; what it placed stays in the portfolio. */
export function stopLiveStrategy(portfolioId: number, id: number): Promise<void> {
  return api.del<void>(`${base(portfolioId)}/${id}`);
}
