import { Loading } from "@/components/ui/States";
import { useQuery } from "@/hooks/useQuery";
import { formatCompact, formatPrice } from "@/lib/format";
import { getBars, marketKeys } from "../api/market";
import type { Quote } from "../types";
import { highLow, positionInRange } from "../utils/ranges";

/** Start of the 52 weeks, rounded to the day so the query key is stable. */
function yearAgo(): string {
  const day = 86_400_000;
  return new Date(Math.floor((Date.now() - 365 * day) / day) * day).toISOString();
}

function RangeBar({ low, high, value, label }: { low: string; high: string; value?: string | null; label: string }) {
  const at = positionInRange(value, low, high);
  return (
    <span className="range">
      <span className="range__ends">
        {formatPrice(low)} – {formatPrice(high)}
      </span>
      {at !== null && (
        <meter className="range__meter" min={0} max={1} value={at} aria-label={`${label}: where the last price sits`} />
      )}
    </span>
  );
}

/** Day range, 52-week range, volume, open and previous close of a symbol. */
export function KeyFigures({ symbol, quote }: { symbol: string; quote: Quote | undefined }) {
  const start = yearAgo();
  const year = useQuery(marketKeys.bars(symbol, "1d", start), (signal) =>
    getBars(symbol, { interval: "1d", start, limit: 400 }, signal),
  );
  const yearRange = year.data ? highLow(year.data.bars) : null;
  return (
    <section className="card" aria-labelledby="figures-title">
      <h2 id="figures-title">Key figures</h2>
      <dl className="facts">
        <div>
          <dt>Day range</dt>
          <dd>
            {quote ? <RangeBar low={quote.day_low} high={quote.day_high} value={quote.last} label="Day range" /> : "—"}
          </dd>
        </div>
        <div>
          <dt>52-week range</dt>
          <dd>
            {yearRange ? (
              <RangeBar low={yearRange.low} high={yearRange.high} value={quote?.last} label="52-week range" />
            ) : year.status === "loading" ? (
              <Loading label="Loading…" />
            ) : (
              "—"
            )}
          </dd>
        </div>
        <div>
          <dt>Volume today</dt>
          <dd>{quote ? formatCompact(quote.volume) : "—"}</dd>
        </div>
        <div>
          <dt>Open</dt>
          <dd>{formatPrice(quote?.day_open)}</dd>
        </div>
        <div>
          <dt>Previous close</dt>
          <dd>{formatPrice(quote?.prev_close)}</dd>
        </div>
      </dl>
    </section>
  );
}
