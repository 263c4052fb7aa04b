import { useState } from "react";
import { ChoiceGroup } from "@/components/ui/Field";
import { QueryView } from "@/components/ui/States";
import { useQuery } from "@/hooks/useQuery";
import { formatPrice } from "@/lib/format";
import { getBars, marketKeys } from "../api/market";
import type { BarInterval } from "../types";
import { PriceChart, type ChartStyle } from "./PriceChart";

type Range = "1D" | "1W" | "1M" | "6M" | "1Y" | "5Y";

/** Each range's bar interval: intervals get coarser as the range grows. */
export const RANGES: Record<Range, { interval: BarInterval; days: number; words: string }> = {
  "1D": { interval: "5m", days: 1, words: "the past day, 5-minute bars" },
  "1W": { interval: "1h", days: 7, words: "the past week, hourly bars" },
  "1M": { interval: "1d", days: 31, words: "the past month, daily bars" },
  "6M": { interval: "1d", days: 183, words: "the past 6 months, daily bars" },
  "1Y": { interval: "1d", days: 366, words: "the past year, daily bars" },
  "5Y": { interval: "1w", days: 5 * 366, words: "the past 5 years, weekly bars" },
};

/** Start of a range, rounded to the minute so the query key stays stable across renders. */
function rangeStart(days: number): string {
  const minute = 60_000;
  return new Date(Math.floor((Date.now() - days * 86_400_000) / minute) * minute).toISOString();
}

type Prices = "traded" | "adjusted";

/**
 * A symbol's price over a chosen range and interval, as a line or candles, with volume:
 * as traded, or back-adjusted for dividends and splits (no gap at a split or an ex-date).
 */
export function PriceHistory({ symbol }: { symbol: string }) {
  const [range, setRange] = useState<Range>("6M");
  const [style, setStyle] = useState<ChartStyle>("line");
  const [prices, setPrices] = useState<Prices>("traded");
  const adjusted = prices === "adjusted";
  const { interval, days, words } = RANGES[range];
  const [start, setStart] = useState(() => ({ range, at: rangeStart(days) }));
  if (start.range !== range) setStart({ range, at: rangeStart(days) });
  const bars = useQuery(marketKeys.bars(symbol, interval, start.at, adjusted), (signal) =>
    getBars(symbol, { interval, start: start.at, limit: 2000, ...(adjusted ? { adjusted } : {}) }, signal),
  );
  return (
    <section className="card" aria-labelledby="price-history-title">
      <h2 id="price-history-title">Price chart</h2>
      <div className="toolbar toolbar--wrap">
        <ChoiceGroup
          legend="Range"
          name="range"
          className="choices--compact"
          value={range}
          onChange={setRange}
          options={(Object.keys(RANGES) as Range[]).map((r) => ({ value: r, label: r }))}
        />
        <ChoiceGroup
          legend="Chart"
          name="chart-style"
          className="choices--compact"
          value={style}
          onChange={setStyle}
          options={[
            { value: "line", label: "Line" },
            { value: "candles", label: "Candles" },
          ]}
        />
        <ChoiceGroup
          legend="Prices"
          name="chart-prices"
          className="choices--compact"
          value={prices}
          onChange={setPrices}
          options={[
            { value: "traded", label: "As traded" },
            { value: "adjusted", label: "Adjusted" },
          ]}
        />
      </div>
      <QueryView query={bars} what="price history" isEmpty={(page) => page.bars.length === 0}>
        {(page) => {
          const first = page.bars[0];
          const last = page.bars[page.bars.length - 1];
          return (
            <PriceChart
              bars={page.bars}
              style={style}
              intraday={interval !== "1d" && interval !== "1w"}
              label={`${symbol} price${adjusted ? " (adjusted for dividends and splits)" : ""} over ${words}: from ${formatPrice(first?.o)} to ${formatPrice(last?.c)}.`}
            />
          );
        }}
      </QueryView>
    </section>
  );
}
