import { useState } from "react";
import { ErrorState, QueryView } from "@/components/ui/States";
import { SignedMoney } from "@/components/ui/Values";
import { useAction } from "@/hooks/useAction";
import { useQuery } from "@/hooks/useQuery";
import { formatDateTime, formatMoney, formatPrice, formatQty } from "@/lib/format";
import { downloadActivitiesCsv, listActivities, tradingKeys } from "../api/orders";
import type { Activity, Page } from "../types";

/** The account's activity (fills, cash, fees), newest first, a page at a time, with CSV export. */
export function ActivityList({ portfolioId }: { portfolioId: number | string }) {
  const first = useQuery(tradingKeys.activities(portfolioId), (signal) => listActivities(portfolioId, null, signal));
  const [more, setMore] = useState<{ for: string; pages: Page<Activity>[] }>({ for: "", pages: [] });
  const key = `${portfolioId}:${first.data?.next_cursor ?? ""}`;
  const pages = more.for === key ? more.pages : [];
  const nextCursor = pages.length ? pages[pages.length - 1]!.next_cursor : (first.data?.next_cursor ?? null);
  const loadMore = useAction(async () => {
    if (!nextCursor) return null;
    const page = await listActivities(portfolioId, nextCursor);
    setMore({ for: key, pages: [...pages, page] });
    return page;
  });
  const csv = useAction(() => downloadActivitiesCsv(portfolioId).then(() => true));

  return (
    <div className="activity">
      <div className="toolbar">
        <button type="button" className="button button--secondary" onClick={() => void csv.run()} disabled={csv.pending}>
          {csv.pending ? "Preparing CSV…" : "Download CSV"}
        </button>
      </div>
      {csv.error !== undefined && <ErrorState error={csv.error} title="The CSV could not be downloaded." />}
      <QueryView query={first} what="activity" isEmpty={(page) => page.items.length === 0}>
        {(page) => (
          <>
            <ul className="activity__list">
              {[page, ...pages].flatMap((p) => p.items).map((a) => (
                <ActivityItem key={a.id} activity={a} />
              ))}
            </ul>
            {loadMore.error !== undefined && <ErrorState error={loadMore.error} onRetry={() => void loadMore.run()} />}
            {nextCursor && (
              <button
                type="button"
                className="button button--secondary"
                onClick={() => void loadMore.run()}
                disabled={loadMore.pending}
              >
                {loadMore.pending ? "Loading…" : "Load more"}
              </button>
            )}
          </>
        )}
      </QueryView>
    </div>
  );
}

function ActivityItem({ activity: a }: { activity: Activity }) {
  const when = a.occurred_at;
  const trade = a.symbol && a.qty;
  return (
    <li className="activity__item">
      <span className="activity__type">{a.activity_type.replace(/_/g, " ").toLowerCase()}</span>
      <span className="activity__what">
        {trade
          ? `${a.side === "sell" ? "Sold" : "Bought"} ${formatQty(a.qty)} ${a.symbol}${a.price ? ` at ${formatPrice(a.price)}` : ""}`
          : a.description}
        {trade && a.commission && Number(a.commission) !== 0 && <small> · commission {formatMoney(a.commission)}</small>}
      </span>
      {a.net_amount != null && (
        <span className="activity__amount">
          <SignedMoney value={a.net_amount} />
        </span>
      )}
      <time className="activity__when" dateTime={when}>
        {formatDateTime(when)}
      </time>
    </li>
  );
}
