import { useState } from "react";
import { ChoiceGroup } from "@/components/ui/Field";
import { QueryView } from "@/components/ui/States";
import { useQuery } from "@/hooks/useQuery";
import { getBars, marketKeys } from "../api/market";
import type { BarInterval } from "../types";
import { CandlestickChart } from "./CandlestickChart";

type Range = "1D" | "1W" | "1M" | "6M" | "1Y" | "5Y";

const RANGES: Record<Range, { interval: BarInterval; days: number }> = {
  "1D": { interval: "5m", days: 1 },
  "1W": { interval: "1h", days: 7 },
  "1M": { interval: "1d", days: 31 },
  "6M": { interval: "1d", days: 183 },
  "1Y": { interval: "1d", days: 366 },
  "5Y": { interval: "1w", days: 5 * 366 },
};

/** Start of a range, rounded to the hour so the query key stays stable across renders. */
function rangeStart(days: number): string {
  const hour = 3600_000;
  return new Date(Math.floor((Date.now() - days * 86_400_000) / hour) * hour).toISOString();
}

/** A symbol's candles over a chosen range. */
export function PriceHistory({ symbol }: { symbol: string }) {
  const [range, setRange] = useState<Range>("6M");
  const { interval, days } = RANGES[range];
  const start = rangeStart(days);
  const bars = useQuery(marketKeys.bars(symbol, interval, start), (signal) =>
    getBars(symbol, { interval, start }, signal),
  );
  return (
    <section className="card" aria-labelledby="price-history-title">
      <h2 id="price-history-title">Price history</h2>
      <ChoiceGroup
        legend="Range"
        name="range"
        value={range}
        onChange={setRange}
        options={(Object.keys(RANGES) as Range[]).map((r) => ({ value: r, label: r }))}
      />
      <QueryView query={bars} what="price history" isEmpty={(page) => page.bars.length === 0}>
        {(page) => <CandlestickChart bars={page.bars} label={`${symbol} candlestick chart, ${range}`} />}
      </QueryView>
    </section>
  );
}
