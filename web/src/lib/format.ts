/**
 * Locale-aware display of API values. The API sends amounts as decimal strings;
 * they go to Intl.NumberFormat as strings so no digits are lost to floats.
 * Percent fields (`*_pct`, `*_plpc`, weights) are fractions: "0.0123" is 1.23 %.
 */
import { isDecimal } from "./decimal";

export type Numeric = string | number | null | undefined;
export type Tone = "gain" | "loss" | "flat";

const PLACEHOLDER = "—";
let defaultLocale: string | undefined;
let defaultCurrency = "USD";

/** Override the locale used when callers pass none (undefined = the browser's). */
export function setDefaultLocale(locale: string | undefined): void {
  defaultLocale = locale;
}

export function setDefaultCurrency(currency: string): void {
  defaultCurrency = currency;
}

export interface FormatOptions {
  locale?: string;
  /** Show "+" for gains and "−" for losses (never for zero). */
  signed?: boolean;
}

const cache = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string | undefined, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale ?? ""}|${JSON.stringify(options)}`;
  let nf = cache.get(key);
  if (!nf) {
    nf = new Intl.NumberFormat(locale, options);
    cache.set(key, nf);
  }
  return nf;
}

/** Turn an API value into something Intl accepts exactly, or null when it is not a number. */
function toIntlValue(value: Numeric): Intl.StringNumericLiteral | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  const text = value.trim();
  return isDecimal(text) ? (text as Intl.StringNumericLiteral) : null;
}

function render(value: Numeric, options: Intl.NumberFormatOptions, opts: FormatOptions = {}): string {
  const v = toIntlValue(value);
  if (v === null) return PLACEHOLDER;
  const signDisplay = opts.signed ? "exceptZero" : "auto";
  return numberFormat(opts.locale ?? defaultLocale, { ...options, signDisplay }).format(v);
}

/** Money with exactly two decimals: "$1,234.50"; "+$12.00" / "-$3.10" when signed. */
export function formatMoney(value: Numeric, opts: FormatOptions & { currency?: string } = {}): string {
  return render(
    value,
    {
      style: "currency",
      currency: opts.currency ?? defaultCurrency,
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    },
    opts,
  );
}

/** Whether a price is below one dollar (read from the digits, so 0.99999999 stays below). */
function belowOne(value: Numeric): boolean {
  const v = toIntlValue(value);
  if (v === null) return false;
  if (typeof v === "number") return Math.abs(v) < 1;
  return /^[+-]?0*(\.\d*)?$/.test(v);
}

/**
 * The instrument's tick size, the smallest price step it trades at: a cent for a US
 * stock at $1 and above, $0.0001 below (Reg NMS rule 612). The API keeps full precision;
 * the screen shows prices rounded to this step.
 */
export function tickSize(price: Numeric): "0.01" | "0.0001" {
  return belowOne(price) ? "0.0001" : "0.01";
}

/** The decimals of the tick size: 2 at $1 and above, 4 below. */
export function tickDigits(price: Numeric): 2 | 4 {
  return tickSize(price) === "0.01" ? 2 : 4;
}

/** A price at its tick size: "$385.01" (never "$385.0115"), "$0.1235" below a dollar. */
export function formatPrice(value: Numeric, opts: FormatOptions & { currency?: string } = {}): string {
  return render(
    value,
    {
      style: "currency",
      currency: opts.currency ?? defaultCurrency,
      minimumFractionDigits: 2,
      maximumFractionDigits: tickDigits(value),
    },
    opts,
  );
}

/** A fraction as a percent: "0.0123" -> "1.23%" ("+1.23%" when signed). */
export function formatPercent(value: Numeric, opts: FormatOptions & { digits?: number } = {}): string {
  const digits = opts.digits ?? 2;
  return render(value, { style: "percent", minimumFractionDigits: digits, maximumFractionDigits: digits }, opts);
}

/**
 * Decimals for a fraction shown as a percent: 2, or, when 2 would round a non-zero
 * value to 0.00 %, at least 4 and as many as its first significant digit needs (up
 * to 8): +$3.87 on $100,000 reads +0.0039 %, +$0.04 reads +0.00004 %, never 0.00 %.
 * `base` is the usual number of decimals (the heatmap's cells use 1).
 */
export function returnDigits(value: Numeric, base = 2): number {
  const v = Number(value);
  if (!Number.isFinite(v) || v === 0) return base;
  const percent = Math.abs(v) * 100;
  if (percent >= 0.5 * 10 ** -base) return base; // shows a non-zero digit already
  return Math.min(8, Math.max(base + 2, Math.ceil(-Math.log10(percent))));
}

/** A share quantity: no padding, up to six decimals (fractional shares). */
export function formatQty(value: Numeric, opts: FormatOptions = {}): string {
  return render(value, { maximumFractionDigits: 6 }, opts);
}

/** A plain number with fixed decimals, e.g. a Sharpe ratio. */
export function formatNumber(value: Numeric, opts: FormatOptions & { digits?: number } = {}): string {
  const digits = opts.digits ?? 2;
  return render(value, { minimumFractionDigits: digits, maximumFractionDigits: digits }, opts);
}

/** A large count, compacted: 1234567 -> "1.2M". */
export function formatCompact(value: Numeric, opts: FormatOptions = {}): string {
  return render(value, { notation: "compact", maximumFractionDigits: 1 }, opts);
}

/** Whether a signed value is a gain, a loss or flat (for colour, always paired with a sign). */
export function toneOf(value: Numeric): Tone {
  const v = toIntlValue(value);
  if (v === null) return "flat";
  const text = String(v).trim();
  if (/^-/.test(text) && /[1-9]/.test(text)) return "loss";
  if (/[1-9]/.test(text)) return "gain";
  return "flat";
}

const dateTimeCache = new Map<string, Intl.DateTimeFormat>();

function dateFormat(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale ?? ""}|${JSON.stringify(options)}`;
  let df = dateTimeCache.get(key);
  if (!df) {
    df = new Intl.DateTimeFormat(locale, options);
    dateTimeCache.set(key, df);
  }
  return df;
}

function toDate(value: string | number | Date | null | undefined): Date | null {
  if (value === null || value === undefined || value === "") return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** An ISO-8601 instant in the viewer's time zone: "Mar 5, 2025, 2:30 PM". */
export function formatDateTime(
  value: string | number | Date | null | undefined,
  opts: { locale?: string; timeZone?: string } = {},
): string {
  const date = toDate(value);
  if (!date) return PLACEHOLDER;
  return dateFormat(opts.locale ?? defaultLocale, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: opts.timeZone,
  }).format(date);
}

/** A calendar date: "Mar 5, 2025". */
export function formatDate(
  value: string | number | Date | null | undefined,
  opts: { locale?: string; timeZone?: string } = {},
): string {
  const date = toDate(value);
  if (!date) return PLACEHOLDER;
  return dateFormat(opts.locale ?? defaultLocale, { dateStyle: "medium", timeZone: opts.timeZone }).format(date);
}

/** The decimal and grouping characters of a locale ("," and "." for de-DE). */
export function separators(locale?: string): { decimal: string; group: string } {
  const parts = numberFormat(locale ?? defaultLocale, { useGrouping: true }).formatToParts(12345.6);
  return {
    decimal: parts.find((p) => p.type === "decimal")?.value ?? ".",
    group: parts.find((p) => p.type === "group")?.value ?? ",",
  };
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Turn what a person typed into a plain decimal literal: "1.234,5" (de) -> "1234.5".
 * Grouping is removed only where it is unambiguous (groups of three); a "." is
 * always accepted as the decimal point. Anything else is left for validation to reject.
 */
export function parseDecimalInput(text: string, locale?: string): string {
  const { decimal, group } = separators(locale);
  let t = text.trim().replace(/[\s\u00a0\u202f]/g, "");
  const groupChar = /\s/.test(group) ? "" : group;
  if (groupChar) {
    const grouped = new RegExp(`^[+-]?\\d{1,3}(${escapeRe(groupChar)}\\d{3})+(${escapeRe(decimal)}\\d*)?$`);
    if (grouped.test(t)) t = t.split(groupChar).join("");
  }
  if (decimal !== "." && t.includes(decimal) && !t.includes(".")) t = t.replace(decimal, ".");
  return t;
}
