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
