import { dayChange } from "@/features/market/components/QuoteCard";
import type { Quote } from "@/features/market/types";
import type { LivePrice } from "@/features/portfolios/components/PositionsTable";

/** Turn streamed quotes into the positions table's live prices. */
export function toLivePrices(quotes: Record<string, Quote>): Record<string, LivePrice> {
  const out: Record<string, LivePrice> = {};
  for (const [symbol, q] of Object.entries(quotes)) {
    out[symbol] = { last: q.last, changeToday: dayChange(q).fraction, asOf: q.as_of, stale: q.stale };
  }
  return out;
}
