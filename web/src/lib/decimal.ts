/**
 * Exact decimal arithmetic on strings, backed by BigInt.
 *
 * The API sends money, prices and quantities as decimal strings ("1234.50");
 * the order ticket's estimates must not drift the way binary floats do.
 */

export type Rounding = "half_up" | "half_even" | "down" | "up";

/** A decimal value: `units / 10^scale`. */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

const DECIMAL_RE = /^([+-])?(\d*)(?:\.(\d*))?$/;

/** Return true when `text` is a plain decimal literal such as "-12.50" or ".5". */
export function isDecimal(text: string): boolean {
  const m = DECIMAL_RE.exec(text.trim());
  return m !== null && ((m[2] ?? "") + (m[3] ?? "")).length > 0;
}

/** Parse a decimal literal; throw on anything else (no exponents, no grouping). */
export function dec(value: string | number | bigint | Decimal): Decimal {
  if (typeof value === "object") return value;
  if (typeof value === "bigint") return { units: value, scale: 0 };
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
    return dec(String(value).includes("e") ? value.toFixed(12) : String(value));
  }
  const text = value.trim();
  const m = DECIMAL_RE.exec(text);
  if (!m || !isDecimal(text)) throw new RangeError(`not a decimal: "${value}"`);
  const fraction = m[3] ?? "";
  const units = BigInt((m[2] || "0") + fraction);
  return { units: m[1] === "-" ? -units : units, scale: fraction.length };
}

/** Parse, returning null instead of throwing for blank or malformed input. */
export function tryDec(value: string | null | undefined): Decimal | null {
  if (value == null || !isDecimal(value)) return null;
  return dec(value);
}

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

function rescaleUp(a: Decimal, scale: number): bigint {
  return a.units * pow10(scale - a.scale);
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [rescaleUp(a, scale), rescaleUp(b, scale), scale];
}

export function add(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = align(a, b);
  return { units: x + y, scale };
}

export function sub(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = align(a, b);
  return { units: x - y, scale };
}

export function mul(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

/** Divide `numerator / denominator` by `divisor`, rounding the integer result. */
function divRound(numerator: bigint, divisor: bigint, mode: Rounding): bigint {
  const quotient = numerator / divisor; // truncates toward zero
  const remainder = numerator % divisor;
  if (remainder === 0n) return quotient;
  const negative = numerator < 0n !== divisor < 0n;
  const step = negative ? -1n : 1n;
  const twice = 2n * (remainder < 0n ? -remainder : remainder);
  const absDivisor = divisor < 0n ? -divisor : divisor;
  switch (mode) {
    case "down":
      return quotient;
    case "up":
      return quotient + step;
    case "half_up":
      return twice >= absDivisor ? quotient + step : quotient;
    case "half_even":
      if (twice > absDivisor) return quotient + step;
      if (twice < absDivisor) return quotient;
      return quotient % 2n === 0n ? quotient : quotient + step;
  }
}

/** Round to `scale` fraction digits (default half-up, like the back end's cash quantum). */
export function round(a: Decimal, scale: number, mode: Rounding = "half_up"): Decimal {
  if (a.scale <= scale) return { units: rescaleUp(a, scale), scale };
  return { units: divRound(a.units, pow10(a.scale - scale), mode), scale };
}

/** Divide to `scale` fraction digits; throw on division by zero. */
export function div(a: Decimal, b: Decimal, scale: number, mode: Rounding = "half_up"): Decimal {
  if (b.units === 0n) throw new RangeError("division by zero");
  // a/b = (a.units / 10^a.scale) / (b.units / 10^b.scale); shift so the quotient has `scale` digits.
  const shift = scale + b.scale - a.scale;
  const numerator = shift >= 0 ? a.units * pow10(shift) : a.units;
  const divisor = shift >= 0 ? b.units : b.units * pow10(-shift);
  return { units: divRound(numerator, divisor, mode), scale };
}

export function cmp(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function sign(a: Decimal): -1 | 0 | 1 {
  return a.units < 0n ? -1 : a.units > 0n ? 1 : 0;
}

export function max(a: Decimal, b: Decimal): Decimal {
  return cmp(a, b) >= 0 ? a : b;
}

export function min(a: Decimal, b: Decimal): Decimal {
  return cmp(a, b) <= 0 ? a : b;
}

/** Count the significant fraction digits of a literal ("1.2300" has 2). */
export function fractionDigits(a: Decimal): number {
  let { units, scale } = a;
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale -= 1;
  }
  return scale;
}

/** Format as a plain decimal string with exactly `a.scale` fraction digits. */
export function toString(a: Decimal): string {
  const negative = a.units < 0n;
  const digits = (negative ? -a.units : a.units).toString().padStart(a.scale + 1, "0");
  const whole = digits.slice(0, digits.length - a.scale);
  const fraction = a.scale > 0 ? `.${digits.slice(digits.length - a.scale)}` : "";
  return `${negative ? "-" : ""}${whole}${fraction}`;
}

/** Round then format: `fixed(dec("1.005"), 2) === "1.01"`. */
export function fixed(a: Decimal, scale: number, mode: Rounding = "half_up"): string {
  return toString(round(a, scale, mode));
}

export const ZERO: Decimal = { units: 0n, scale: 0 };
