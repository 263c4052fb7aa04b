import { useMemo, type ReactNode } from "react";
import { EmptyState, QueryView } from "@/components/ui/States";
import { useQuery } from "@/hooks/useQuery";
import { formatPrice } from "@/lib/format";
import { Change } from "@/components/ui/Values";
import { listWatchlists, marketKeys } from "../api/market";
import { useLiveQuotes } from "../hooks/useLiveQuotes";
import { dayChange } from "./QuoteCard";

/** Your first watchlist with live prices and today's change. */
export function WatchlistCard({ renderSymbol }: { renderSymbol: (symbol: string) => ReactNode }) {
  const lists = useQuery(marketKeys.watchlists, listWatchlists);
  const items = useMemo(() => lists.data?.[0]?.items ?? [], [lists.data]);
  const symbols = useMemo(() => items.map((i) => i.symbol), [items]);
  const { quotes } = useLiveQuotes(symbols);
  return (
    <section className="card" aria-labelledby="watchlist-title">
      <h2 id="watchlist-title">Watchlist</h2>
      <QueryView
        query={lists}
        what="watchlist"
        isEmpty={(l) => !l[0]?.items.length}
        empty={
          <EmptyState title="Nothing on your watchlist.">
            <p>Open a stock's page and press ☆ Watchlist to follow its price here.</p>
          </EmptyState>
        }
      >
        {() => (
          <ul className="watchlist">
            {items.map((item) => {
              const q = quotes[item.symbol];
              const change = q ? dayChange(q) : null;
              return (
                <li key={item.symbol} className="watchlist__item">
                  <span className="watchlist__symbol">{renderSymbol(item.symbol)}</span>
                  <span className="watchlist__price">{formatPrice(q?.last)}</span>
                  <span className="watchlist__change">{change && <Change amount={change.amount} fraction={change.fraction} />}</span>
                </li>
              );
            })}
          </ul>
        )}
      </QueryView>
    </section>
  );
}
