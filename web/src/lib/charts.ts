import {
  ArcElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
} from "chart.js";
import { formatDate } from "./format";

let registered = false;

/** Register only the Chart.js parts the app draws (keeps the bundle small). */
export function setupCharts(): void {
  if (registered) return;
  Chart.register(ArcElement, CategoryScale, Filler, Legend, LineElement, LinearScale, PointElement, Tooltip);
  registered = true;
}

/** Turn an API timestamp (ISO string or epoch seconds) into a Date. */
export function toDate(t: string | number): Date {
  return typeof t === "number" ? new Date(t * 1000) : new Date(t);
}

const clocks = new Map<string, Intl.DateTimeFormat>();

function clock(locale: string | undefined, withSeconds: boolean): Intl.DateTimeFormat {
  const key = `${locale ?? ""}|${withSeconds}`;
  let f = clocks.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { hour: "numeric", minute: "2-digit", second: withSeconds ? "2-digit" : undefined });
    clocks.set(key, f);
  }
  return f;
}

/**
 * Label an epoch-seconds axis value: the time of day (with seconds under ten minutes)
 * when the chart spans under two days, else the date. (A linear axis of epoch
 * seconds needs no Chart.js date adapter.)
 */
export function epochTickLabel(seconds: number, spanSeconds: number, locale?: string): string {
  const date = new Date(seconds * 1000);
  if (spanSeconds >= 2 * 86_400) return formatDate(date, { locale });
  return clock(locale, spanSeconds < 600).format(date);
}

/**
 * Labels for a time axis's ticks, each blank when it reads the same as the one before
 * (ticks closer than the label's resolution would otherwise repeat "5:25 PM").
 */
export function distinctTickLabels(values: readonly number[], spanSeconds: number, locale?: string): string[] {
  let previous: string | null = null;
  return values.map((v) => {
    const label = epochTickLabel(v, spanSeconds, locale);
    if (label === previous) return "";
    previous = label;
    return label;
  });
}

/** Decimal places that keep neighbouring axis labels apart: a step of 0.0004 needs 4. */
export function digitsForStep(step: number | undefined, min = 0, max = 6): number {
  if (!step || !Number.isFinite(step) || step <= 0) return min;
  const digits = Math.ceil(-Math.log10(step) - 1e-9);
  return Math.min(max, Math.max(min, digits));
}

/** The span in seconds covered by some epoch-second series. */
export function spanOf(...series: readonly number[][]): number {
  const all = series.flat();
  if (all.length < 2) return 0;
  return Math.max(...all) - Math.min(...all);
}
