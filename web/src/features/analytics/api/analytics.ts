import { api } from "@/lib/api";
import type { AllocationSlice, BenchmarkHistory, Period, PortfolioHistory, PortfolioMetrics } from "../types";

type Id = number | string;

export const analyticsKeys = {
  history: (id: Id, period: Period) => `analytics:${id}:history:${period}`,
  metrics: (id: Id, period: Period) => `analytics:${id}:metrics:${period}`,
  allocation: (id: Id) => `analytics:${id}:allocation`,
  benchmark: (id: Id, symbol: string, period: Period) => `analytics:${id}:benchmark:${symbol}:${period}`,
};

export function getHistory(id: Id, period: Period, signal?: AbortSignal): Promise<PortfolioHistory> {
  return api.get<PortfolioHistory>(`/portfolios/${id}/history`, { query: { period }, signal });
}

export async function getMetrics(id: Id, period: Period, signal?: AbortSignal): Promise<PortfolioMetrics> {
  const body = await api.get<PortfolioMetrics | { metrics: PortfolioMetrics }>(`/portfolios/${id}/metrics`, {
    query: { period },
    signal,
  });
  return "metrics" in body && body.metrics && typeof body.metrics === "object" ? (body.metrics as PortfolioMetrics) : (body as PortfolioMetrics);
}

export async function getAllocation(id: Id, signal?: AbortSignal): Promise<AllocationSlice[]> {
  return toSlices(await api.get<unknown>(`/portfolios/${id}/allocation`, { signal }));
}

export function getBenchmark(id: Id, symbol: string, period: Period, signal?: AbortSignal): Promise<BenchmarkHistory> {
  return api.get<BenchmarkHistory>(`/portfolios/${id}/benchmark`, { query: { symbol, period }, signal });
}

type RawSlice = Record<string, unknown>;

/**
 * Accept the allocation as a list or as `{items | by_symbol | positions: [...]}`, with
 * each slice named by `label | symbol | sector | key` and sized by `value | market_value`.
 * The endpoint is still being built; this keeps the chart working while its shape settles.
 */
export function toSlices(body: unknown): AllocationSlice[] {
  const record = (body ?? {}) as Record<string, unknown>;
  const list = Array.isArray(body)
    ? body
    : ([record.items, record.by_symbol, record.positions, record.slices].find(Array.isArray) as unknown[] | undefined);
  const slices = (list ?? []).map((raw) => {
    const s = raw as RawSlice;
    return {
      label: String(s.label ?? s.symbol ?? s.sector ?? s.key ?? "?"),
      value: String(s.value ?? s.market_value ?? "0"),
      weight: s.weight == null ? null : String(s.weight),
    };
  });
  if (record.cash != null && !slices.some((s) => s.label.toLowerCase() === "cash")) {
    slices.push({ label: "Cash", value: String(record.cash), weight: record.cash_weight == null ? null : String(record.cash_weight) });
  }
  return slices;
}
