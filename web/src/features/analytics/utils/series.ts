/**
 * Chart coordinates from the analytics API's series. Floats appear here only as
 * points to draw; every figure shown as text is formatted from the API's strings.
 */
import type { BenchmarkComparison, PortfolioHistory } from "../types";

export interface Point {
  x: number;
  y: number;
}

/** The equity curve: (epoch seconds, equity). */
export function equityPoints(history: PortfolioHistory): Point[] {
  const out: Point[] = [];
  history.timestamp.forEach((t, i) => {
    const y = Number(history.equity[i]);
    if (Number.isFinite(y)) out.push({ x: t, y });
  });
  return out;
}

/**
 * The benchmark as if the portfolio's starting equity had been put into it:
 * base × index / 100 (the API's index is 100 at the period's start).
 */
export function benchmarkAsEquity(benchmark: BenchmarkComparison, base: string | null): Point[] {
  const start = Number(base);
  if (!base || !Number.isFinite(start)) return [];
  const out: Point[] = [];
  benchmark.timestamp.forEach((t, i) => {
    const index = benchmark.benchmark[i];
    if (index == null) return;
    const y = (start * Number(index)) / 100;
    if (Number.isFinite(y)) out.push({ x: t, y });
  });
  return out;
}

/** A 100-based index series of the comparison, for the portfolio or the benchmark. */
export function indexPoints(comparison: BenchmarkComparison, which: "portfolio" | "benchmark"): Point[] {
  const out: Point[] = [];
  comparison.timestamp.forEach((t, i) => {
    const v = comparison[which][i];
    if (v == null) return;
    const y = Number(v) - 100;
    if (Number.isFinite(y)) out.push({ x: t, y: y / 100 });
  });
  return out;
}

/**
 * The drawdown at each point, as a fraction at or below zero: how far the
 * time-weighted index has fallen from its highest point so far (deposits don't count).
 */
export function drawdownPoints(history: PortfolioHistory): Point[] {
  const out: Point[] = [];
  let peak = -Infinity;
  history.timestamp.forEach((t, i) => {
    const pct = history.profit_loss_pct[i];
    if (pct == null) return;
    const index = 1 + Number(pct);
    if (!Number.isFinite(index)) return;
    peak = Math.max(peak, index);
    out.push({ x: t, y: peak > 0 ? index / peak - 1 : 0 });
  });
  return out;
}

/** The last non-null value of a series, or null. */
export function lastOf<T>(values: readonly (T | null | undefined)[]): T | null {
  for (let i = values.length - 1; i >= 0; i -= 1) {
    const v = values[i];
    if (v !== null && v !== undefined) return v;
  }
  return null;
}

/** A rolling figure's points: (epoch seconds, value), windows without a value left out. */
export function rollingPoints(timestamp: number[], values: (number | null)[]): Point[] {
  const out: Point[] = [];
  timestamp.forEach((t, i) => {
    const y = values[i];
    if (y !== null && y !== undefined && Number.isFinite(y)) out.push({ x: t, y });
  });
  return out;
}

/** The last defined value of a rolling figure, or null. */
export function latestOf(values: (number | null)[]): number | null {
  for (let i = values.length - 1; i >= 0; i -= 1) {
    const v = values[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) return v;
  }
  return null;
}

/** How strongly to colour a monthly return: 1 (faint) to 4 (strong), 0 for none, by |value| / scale. */
export function heatLevel(value: number, scale: number): number {
  if (!(scale > 0) || value === 0) return 0;
  return Math.min(4, Math.max(1, Math.ceil((Math.abs(value) / scale) * 4)));
}
