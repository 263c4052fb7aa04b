import { api } from "@/lib/api";
import type { Allocation, BenchmarkComparison, Period, PortfolioHistory, PortfolioMetrics } from "../types";

type Id = number | string;

export const analyticsKeys = {
  all: (id: Id) => `analytics:${id}`,
  history: (id: Id, period: Period) => `analytics:${id}:history:${period}`,
  metrics: (id: Id, period: Period, benchmark: string) => `analytics:${id}:metrics:${period}:${benchmark}`,
  allocation: (id: Id) => `analytics:${id}:allocation`,
  benchmark: (id: Id, symbol: string, period: Period) => `analytics:${id}:benchmark:${symbol}:${period}`,
};

export function getHistory(id: Id, period: Period, signal?: AbortSignal): Promise<PortfolioHistory> {
  return api.get<PortfolioHistory>(`/portfolios/${id}/history`, { query: { period }, signal });
}

export function getMetrics(id: Id, period: Period, benchmark: string, signal?: AbortSignal): Promise<PortfolioMetrics> {
  return api.get<PortfolioMetrics>(`/portfolios/${id}/metrics`, { query: { period, benchmark }, signal });
}

export function getAllocation(id: Id, signal?: AbortSignal): Promise<Allocation> {
  return api.get<Allocation>(`/portfolios/${id}/allocation`, { signal });
}

export function getBenchmark(id: Id, symbol: string, period: Period, signal?: AbortSignal): Promise<BenchmarkComparison> {
  return api.get<BenchmarkComparison>(`/portfolios/${id}/benchmark`, { query: { symbol, period }, signal });
}
