import { useQuery } from "@/hooks/useQuery";
import { formatDateTime } from "@/lib/format";
import { getClock, marketKeys } from "../api/market";

/** "Market open · closes …" / "Market closed · opens …", refreshed every minute. */
export function MarketClockBadge() {
  const clock = useQuery(marketKeys.clock, getClock, { refetchInterval: 60_000 });
  if (!clock.data) {
    return clock.status === "error" ? <span className="clock clock--unknown">Market hours unavailable</span> : null;
  }
  const { is_open, next_open, next_close, calendar } = clock.data;
  if (calendar === "always_open") {
    return (
      <span className="clock clock--open" title="The simulated market trades around the clock, every day.">
        <span className="clock__dot" aria-hidden="true" />
        Market open<span className="clock__next"> · simulated, 24/7</span>
      </span>
    );
  }
  return (
    <span className={`clock clock--${is_open ? "open" : "closed"}`}>
      <span className="clock__dot" aria-hidden="true" />
      {is_open ? "Market open" : "Market closed"}
      <span className="clock__next">
        {is_open ? ` · closes ${formatDateTime(next_close)}` : ` · opens ${formatDateTime(next_open)}`}
      </span>
    </span>
  );
}
