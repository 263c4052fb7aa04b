import { Change } from "@/components/ui/Values";
import { dec, div, sign, sub, toString, tryDec } from "@/lib/decimal";
import { formatCompact, formatDateTime, formatPrice } from "@/lib/format";
import type { Quote } from "../types";

/** Today's change from the previous close, in money and as a fraction (display only). */
export function dayChange(quote: Quote): { amount: string | null; fraction: string | null } {
  const change = tryDec(quote.change ?? null);
  const percent = tryDec(quote.change_percent ?? null);
  if (change && percent) return { amount: toString(change), fraction: toString(div(percent, dec("100"), 8)) };
  const last = tryDec(quote.last);
  const prev = tryDec(quote.prev_close);
  if (!last || !prev || sign(prev) === 0) return { amount: null, fraction: null };
  const amount = sub(last, prev);
  return { amount: toString(amount), fraction: toString(div(amount, prev, 6)) };
}

interface QuoteCardProps {
  symbol: string;
  name?: string | null;
  quote: Quote | undefined;
  live?: boolean;
  /** Leave out the day range and volume (when a key-figures card shows them). */
  compact?: boolean;
}

/** Last price, change, bid/ask and freshness of one symbol. */
export function QuoteCard({ symbol, name, quote, live, compact }: QuoteCardProps) {
  const change = quote ? dayChange(quote) : { amount: null, fraction: null };
  return (
    <section className="quote card" aria-label={`${symbol} quote`}>
      <div className="quote__head">
        <h2>
          {symbol}
          {name && <span className="quote__name">{name}</span>}
        </h2>
        <span className={`badge ${live ? "badge--live" : ""}`} title={live ? "Prices stream from the server as they change" : "Prices refresh every 15 seconds"}>
          {live ? "Live" : "Every 15 s"}
        </span>
      </div>
      {quote ? (
        <>
          <p className="quote__last">
            {formatPrice(quote.last)} <Change amount={change.amount} fraction={change.fraction} />
          </p>
          <dl className="quote__book">
            <div>
              <dt>Bid</dt>
              <dd>{formatPrice(quote.bid)}</dd>
            </div>
            <div>
              <dt>Ask</dt>
              <dd>{formatPrice(quote.ask)}</dd>
            </div>
            <div>
              <dt>Prev. close</dt>
              <dd>{formatPrice(quote.prev_close)}</dd>
            </div>
            {!compact && (
              <div>
                <dt>Day range</dt>
                <dd>
                  {formatPrice(quote.day_low)} – {formatPrice(quote.day_high)}
                </dd>
              </div>
            )}
            {!compact && (
              <div>
                <dt>Volume</dt>
                <dd>{formatCompact(quote.volume)}</dd>
              </div>
            )}
          </dl>
          <p className="quote__asof">
            As of {formatDateTime(quote.as_of)}
            {quote.stale && <strong className="badge badge--warn"> Stale: the data provider is not answering</strong>}
          </p>
        </>
      ) : (
        <p className="quote__missing">Waiting for a price…</p>
      )}
    </section>
  );
}
