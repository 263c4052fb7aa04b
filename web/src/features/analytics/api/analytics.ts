import { api } from "@/lib/api";
import type {
  Allocation,
  BenchmarkComparison,
  CalendarReturns,
  Drawdowns,
  Period,
  PortfolioHistory,
  PortfolioMetrics,
  RollingFigures,
} from "../types";

type Id = number | string;

export const analyticsKeys = {
  all: (id: Id) => `analytics:${id}`,
  history: (id: Id, period: Period) => `analytics:${id}:history:${period}`,
  metrics: (id: Id, period: Period, benchmark: string) => `analytics:${id}:metrics:${period}:${benchmark}`,
  allocation: (id: Id) => `analytics:${id}:allocation`,
  benchmark: (id: Id, symbol: string, period: Period) => `analytics:${id}:benchmark:${symbol}:${period}`,
  rolling: (id: Id, benchmark: string) => `analytics:${id}:rolling:${benchmark}`,
  calendar: (id: Id) => `analytics:${id}:calendar-returns`,
  drawdowns: (id: Id) => `analytics:${id}:drawdowns`,
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

/** Rolling volatility, Sharpe and beta over the whole history (the windows need it). */
export function getRolling(id: Id, benchmark: string, signal?: AbortSignal): Promise<RollingFigures> {
  return api.get<RollingFigures>(`/portfolios/${id}/rolling`, { query: { period: "ALL", benchmark }, signal });
}

export function getCalendarReturns(id: Id, signal?: AbortSignal): Promise<CalendarReturns> {
  return api.get<CalendarReturns>(`/portfolios/${id}/calendar-returns`, { query: { period: "ALL" }, signal });
}

export function getDrawdowns(id: Id, signal?: AbortSignal): Promise<Drawdowns> {
  return api.get<Drawdowns>(`/portfolios/${id}/drawdowns`, { query: { period: "ALL", top: 5 }, signal });
}

/** The file name the server suggests in Content-Disposition, if any. */
export function filenameOf(header: string | null): string | null {
  const match = header ? /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(header) : null;
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

export type Report = "returns.csv" | "tearsheet.html";

/** Download the returns CSV or the HTML tearsheet of a period (a plain link can't carry the token). */
export async function downloadReport(id: Id, report: Report, period: Period, benchmark: string): Promise<string> {
  const accept = report === "returns.csv" ? "text/csv" : "text/html";
  const res = await api.raw("GET", `/portfolios/${id}/${report}`, { query: { period, benchmark }, headers: { Accept: accept } });
  const name = filenameOf(res.headers.get("Content-Disposition")) ?? `invsim-portfolio-${id}-${report}`;
  const url = URL.createObjectURL(await res.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  return name;
}
