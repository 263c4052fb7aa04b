import type { ChartPoint } from "@/components/charts/TimeLineChart";
import type { Heatmap, RunCurves } from "../types";

/** A YYYY-MM-DD day as epoch seconds (midnight UTC). */
export function daySeconds(day: string): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / 1000;
}

/** The strategy's equity and the benchmark's buy-and-hold, one point a day. */
export function equitySeries(curves: RunCurves): { equity: ChartPoint[]; benchmark: ChartPoint[] } {
  const equity: ChartPoint[] = [];
  const benchmark: ChartPoint[] = [];
  curves.dates.forEach((day, i) => {
    const x = daySeconds(day);
    const value = Number(curves.equity[i]);
    if (Number.isFinite(value)) equity.push({ x, y: value });
    const bench = curves.benchmark[i];
    if (bench !== null && bench !== undefined) benchmark.push({ x, y: bench });
  });
  return { equity, benchmark };
}

/** The drawdown curve in percent (≤ 0). */
export function drawdownSeries(curves: RunCurves): ChartPoint[] {
  const out: ChartPoint[] = [];
  curves.dates.forEach((day, i) => {
    const d = curves.drawdown[i];
    if (d !== null && d !== undefined) out.push({ x: daySeconds(day), y: d * 100 });
  });
  return out;
}

/** Where a value sits between the heatmap's lowest and highest (0–1), or null when undefined. */
export function heatLevel(value: number | null, map: Heatmap): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  const all = map.values.flat().filter((v): v is number => v !== null && Number.isFinite(v));
  const low = Math.min(...all);
  const high = Math.max(...all);
  return high === low ? 1 : (value - low) / (high - low);
}

/** The best (highest) cell of a heatmap as [row, column], or null when every cell is empty. */
export function bestCell(map: Heatmap): [number, number] | null {
  let best: [number, number] | null = null;
  let top = -Infinity;
  map.values.forEach((row, j) =>
    row.forEach((v, i) => {
      if (v !== null && Number.isFinite(v) && v > top) {
        top = v;
        best = [j, i];
      }
    }),
  );
  return best;
}
