/** Durations in words ("3 days 4 hours"), locale-aware through Intl's unit formatting. */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type Unit = "day" | "hour" | "minute";

function unit(value: number, name: Unit, locale?: string): string {
  return new Intl.NumberFormat(locale, { style: "unit", unit: name, unitDisplay: "long" }).format(value);
}

/** A duration as its two largest units, rounded down: "3 days 4 hours", "2 hours 5 minutes", "45 minutes". */
export function formatDuration(ms: number, locale?: string): string {
  const total = Math.max(0, ms);
  if (total < MINUTE) return `less than ${unit(1, "minute", locale)}`;
  const days = Math.floor(total / DAY);
  const hours = Math.floor((total % DAY) / HOUR);
  const minutes = Math.floor((total % HOUR) / MINUTE);
  if (days > 0) return hours > 0 ? `${unit(days, "day", locale)} ${unit(hours, "hour", locale)}` : unit(days, "day", locale);
  if (hours > 0)
    return minutes > 0 ? `${unit(hours, "hour", locale)} ${unit(minutes, "minute", locale)}` : unit(hours, "hour", locale);
  return unit(minutes, "minute", locale);
}

/** Milliseconds from `now` until `target` (negative once it has passed). */
export function msUntil(target: string | Date, now: number = Date.now()): number {
  const at = target instanceof Date ? target.getTime() : Date.parse(target);
  return Number.isNaN(at) ? 0 : at - now;
}

/** A `<input type="datetime-local">` value for an instant, in the viewer's time zone ("2025-03-05T14:30"). */
export function toLocalInput(date: Date, withSeconds = false): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  const base = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
  return withSeconds ? `${base}:${pad(date.getSeconds())}` : base;
}

/** Read a `datetime-local` value (the viewer's wall clock) as an ISO instant in UTC; null when invalid. */
export function fromLocalInput(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
