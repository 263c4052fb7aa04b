import { ErrorState } from "@/components/ui/States";
import { useAction } from "@/hooks/useAction";
import { invalidate, useQuery } from "@/hooks/useQuery";
import { addToWatchlist, createWatchlist, listWatchlists, marketKeys, removeFromWatchlist } from "../api/market";

const DEFAULT_NAME = "Watchlist";

/** A star that adds the symbol to (or removes it from) your first watchlist, creating one if needed. */
export function WatchlistStar({ symbol }: { symbol: string }) {
  const lists = useQuery(marketKeys.watchlists, listWatchlists);
  const list = lists.data?.[0];
  const starred = !!list?.items.some((i) => i.symbol === symbol);
  const toggle = useAction(async () => {
    if (!list) await createWatchlist(DEFAULT_NAME, [symbol]);
    else if (starred) await removeFromWatchlist(list.id, symbol);
    else await addToWatchlist(list.id, symbol);
    invalidate(marketKeys.watchlists);
    return true;
  });
  if (lists.status === "error") return null;
  return (
    <>
      <button
        type="button"
        className={`button button--secondary star${starred ? " star--on" : ""}`}
        aria-pressed={starred}
        disabled={lists.status !== "success" || toggle.pending}
        onClick={() => void toggle.run()}
        title={starred ? `Remove ${symbol} from your watchlist` : `Add ${symbol} to your watchlist`}
      >
        <span aria-hidden="true">{starred ? "★" : "☆"}</span> Watchlist
      </button>
      {toggle.error !== undefined && <ErrorState error={toggle.error} title="The watchlist was not changed." />}
    </>
  );
}
