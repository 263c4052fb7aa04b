/** Ranges of bars (52-week high and low), compared exactly as decimals. */
import { cmp, tryDec } from "@/lib/decimal";
import type { Bar } from "../types";

/** The lowest low and highest high of some bars, as the API's strings; null without bars. */
export function highLow(bars: readonly Bar[]): { low: string; high: string } | null {
  let low: string | null = null;
  let high: string | null = null;
  for (const bar of bars) {
    const l = tryDec(bar.l);
    const h = tryDec(bar.h);
    if (l && (low === null || cmp(l, tryDec(low)!) < 0)) low = bar.l;
    if (h && (high === null || cmp(h, tryDec(high)!) > 0)) high = bar.h;
  }
  return low !== null && high !== null ? { low, high } : null;
}

/** Where `value` sits between low and high, from 0 to 1 (for a range bar; display only). */
export function positionInRange(value: string | null | undefined, low: string, high: string): number | null {
  const v = Number(value);
  const lo = Number(low);
  const hi = Number(high);
  if (!Number.isFinite(v) || !(hi > lo)) return null;
  return Math.min(1, Math.max(0, (v - lo) / (hi - lo)));
}
