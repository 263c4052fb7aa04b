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

const timeOnly = new Map<string, Intl.DateTimeFormat>();

function clock(locale?: string): Intl.DateTimeFormat {
  const key = locale ?? "";
  let f = timeOnly.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { hour: "numeric", minute: "2-digit" });
    timeOnly.set(key, f);
  }
  return f;
}

/**
 * Label an epoch-seconds axis value: the time of day when the chart spans under two days,
 * else the date. (A linear axis of epoch seconds needs no Chart.js date adapter.)
 */
export function epochTickLabel(seconds: number, spanSeconds: number, locale?: string): string {
  const date = new Date(seconds * 1000);
  return spanSeconds < 2 * 86_400 ? clock(locale).format(date) : formatDate(date, { locale });
}

/** The span in seconds covered by some epoch-second series. */
export function spanOf(...series: readonly number[][]): number {
  const all = series.flat();
  if (all.length < 2) return 0;
  return Math.max(...all) - Math.min(...all);
}
