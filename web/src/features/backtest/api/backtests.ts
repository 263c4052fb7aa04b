import { api } from "@/lib/api";
import type {
  BacktestDetail,
  BacktestRequest,
  BacktestRun,
  Comparison,
  LiveStrategy,
  RunList,
  StrategyList,
} from "../types";

/** Query keys: submitting or deleting a run reloads the saved list. */
export const backtestKeys = {
  strategies: "backtests:strategies",
  list: "backtests:list",
  run: (id: number) => `backtests:run:${id}`,
  compare: (ids: number[]) => `backtests:compare:${ids.join(",")}`,
};

export function listStrategies(signal?: AbortSignal): Promise<StrategyList> {
  return api.get<StrategyList>("/backtests/strategies", { signal });
}

/** Queue a run (202); the answer is the queued run, poll `getBacktest` for progress. */
export function submitBacktest(request: BacktestRequest): Promise<BacktestRun> {
  return api.post<BacktestRun>("/backtests", request);
}

export function getBacktest(id: number, signal?: AbortSignal): Promise<BacktestDetail> {
  return api.get<BacktestDetail>(`/backtests/${id}`, { signal });
}

export function listBacktests(limit = 20, signal?: AbortSignal): Promise<RunList> {
  return api.get<RunList>("/backtests", { query: { limit }, signal });
}

export function deleteBacktest(id: number): Promise<void> {
  return api.del<void>(`/backtests/${id}`);
}

export function compareBacktests(ids: number[], signal?: AbortSignal): Promise<Comparison> {
  return api.get<Comparison>("/backtests/compare", { query: { ids: ids.join(",") }, signal });
}

/** Attach a built-in strategy to a paper portfolio (the live-strategies API). */
export function runLive(
  portfolioId: number,
  body: { strategy: string; params: Record<string, unknown>; symbols: string[] },
): Promise<LiveStrategy> {
  return api.post<LiveStrategy>(`/portfolios/${portfolioId}/live-strategies`, body);
}
